"""Correct counts of many sub-networks at once, for bench/table.ts (issue #5's benchmark tables).

Reads the sub-networks to measure from --configs (JSON lines {"k": canonical genome key, "c": config},
written by `npm run bench:table -- emit <name>`) and writes one JSON line per sub-network to --out:
{"k", "correct": on the package's validation set (its first --limit samples, 0 = all)} and, with
--test10k (Fashion-MNIST packages, whose validation set is the first 2,000 images of the 10k test
set), "correct10k": on all 10,000 test images, so that samples 2,000-9,999 are held out from any
search. --bits N also saves, for the first N sub-networks, which samples each got right
(numpy packbits, one row per sub-network) to <out>.bits.npz: accuracy on any subset, any split.

The forward is the static reference of training/common (shipped.load), as training/oracle.py;
--device cuda runs it on a GPU (float32, TF32 off): on an H100, seven processes sharing it measured
ViT sub-networks on 10,000 images at 25/s and text ones at 80/s (stop 14), against ~0.3/s and ~2.7/s
on this project's 2-core CPU. --skip / --shard / --done split and resume the work.
--check N first measures N sub-networks on both the CPU and --device and reports any difference.

    /usr/bin/python3 training/table.py fashion-vit --configs c.jsonl --out t.jsonl --test10k --device cuda
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import data, shipped  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("name")
    ap.add_argument("--configs", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--limit", type=int, default=0, help="first N validation samples (bench:table import expects 0: all)")
    ap.add_argument("--test10k", action="store_true")
    ap.add_argument("--fashion-dir", default=data.FASHION_DIR)
    ap.add_argument("--bits", type=int, default=0)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--check", type=int, default=0)
    ap.add_argument("--max", type=int, default=0, help="measure only the first N configs")
    ap.add_argument("--skip", type=int, default=0, help="leave out the first N configs (measured by an earlier run)")
    ap.add_argument("--done", default="", help="a,b.jsonl: leave out configs these earlier outputs hold")
    ap.add_argument("--shard", default="0/1", help="i/n: every n-th config from the i-th (n processes share one GPU)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seconds", type=float, default=0, help="stop after this long, keeping what is measured")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    rows = [json.loads(line) for line in open(args.configs) if line.strip()]
    if args.max:
        rows = rows[:args.max]
    done_keys = {json.loads(line)["k"] for f in args.done.split(",") if f for line in open(f) if line.strip()}
    rows = [r for r in rows if r["k"] not in done_keys]
    si, sn = (int(v) for v in args.shard.split("/"))
    rows = rows[args.skip:][si::sn]

    validation, n_val = None, None
    if args.test10k and args.limit:
        sys.exit("--test10k counts on all 10,000 test images and all validation samples: leave --limit at 0")
    if args.test10k:
        try:
            validation, n_val = shipped.fashion_test10k(args.name, args.fashion_dir)
        except ValueError as e:
            sys.exit(str(e))
    _, y, run = shipped.load(args.name, 0 if args.test10k else args.limit, fast=True, validation=validation, device=args.device)
    n_val = n_val or len(y)

    if args.check:
        _, _, run_cpu = shipped.load(args.name, 0 if args.test10k else args.limit, fast=True, validation=validation)
        diffs = []
        for r in rows[:args.check]:
            a, b = run(r["c"])[0].argmax(1) == y, run_cpu(r["c"])[0].argmax(1) == y
            if not np.array_equal(a, b):
                diffs.append({"k": r["k"], "samples": int((a != b).sum()), "correct": [int(a[:n_val].sum()), int(b[:n_val].sum())]})
        print(json.dumps({"check": args.check, "device": args.device, "differ": len(diffs), "diffs": diffs[:20]}), flush=True)

    bits = []
    done = 0
    t0 = time.time()
    with open(args.out, "w") as f:
        for i, r in enumerate(rows):
            if args.seconds and time.time() - t0 > args.seconds:
                print(json.dumps({"stopped": "--seconds", "done": i}), flush=True)
                break
            ok = run(r["c"])[0].argmax(1) == y
            out = {"k": r["k"], "correct": int(ok[:n_val].sum())}
            if args.test10k:
                out["correct10k"] = int(ok.sum())
            f.write(json.dumps(out) + "\n")
            done += 1
            if i < args.bits:
                bits.append(np.packbits(ok))
            if (i + 1) % 2000 == 0:
                f.flush()
                print(json.dumps({"done": i + 1, "of": len(rows), "s": round(time.time() - t0, 1)}), flush=True)
    if bits:
        np.savez_compressed(args.out + ".bits.npz", bits=np.stack(bits), n=len(y), n_val=n_val,
                            keys=np.array([r["k"] for r in rows[:len(bits)]]))
    print(json.dumps({"name": args.name, "measured": done, "samples": len(y), "validation": n_val,
                      "device": args.device, "s": round(time.time() - t0, 1),
                      "torch": torch.__version__}), flush=True)


if __name__ == "__main__":
    main()
