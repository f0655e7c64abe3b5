"""How much faster is training/oracle.py with glibc told to keep freed memory? (stop 51)

Times the same sub-networks (random, seeded) in two fresh processes — `training/oracle.py`'s forward
with and without `common.malloc.keep_freed_memory()` — alternating, each process running them all
in turn; prints seconds per sub-network (the first, which includes warming up, left out of the median)
and the ratio. Identical correct counts are checked.

    /usr/bin/python3 training/oracle_speed.py fashion-mbconv --n 12 --limit 2000
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def child(name, limit, keep, configs):
    sys.path.insert(0, HERE)
    if keep:
        from common.malloc import keep_freed_memory
        assert keep_freed_memory()
    import time
    import torch
    from common import shipped
    torch.set_num_threads(1)
    _, y, run = shipped.load(name, limit, None, fast=True)
    out = []
    for cfg in configs:
        t = time.perf_counter()
        logits, _, _ = run(cfg)
        out.append([time.perf_counter() - t, int((logits.argmax(1) == y).sum())])
    print(json.dumps(out))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("name", nargs="?", default="fashion-mbconv")
    ap.add_argument("--n", type=int, default=12)
    ap.add_argument("--limit", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=51)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        keep, configs = json.loads(args.child)
        return child(args.name, args.limit, keep, configs)
    sys.path.insert(0, HERE)
    from common import export
    man = json.load(open(os.path.join(export.package_dir(args.name), "supernet.json")))
    rng = random.Random(args.seed)
    space = man["space"]
    configs = [{v["name"]: rng.choice(v["choices"]) for v in space} for _ in range(args.n)]
    res = {}
    for keep in (False, True, False, True):
        p = subprocess.run([sys.executable, __file__, args.name, "--limit", str(args.limit), "--child", json.dumps([keep, configs])],
                           check=True, capture_output=True, text=True)
        res.setdefault(keep, []).append(json.loads(p.stdout.strip().splitlines()[-1]))
    counts = {keep: [c for run in runs for _, c in run] for keep, runs in res.items()}
    assert counts[False] == counts[True], "correct counts differ"
    med = {keep: statistics.median([s for run in runs for s, _ in run[1:]]) for keep, runs in res.items()}
    line = {"bench": "oracle-speed", "supernet": args.name, "limit": args.limit, "n": args.n,
            "secondsMedianPlain": round(med[False], 3), "secondsMedianKeep": round(med[True], 3),
            "ratio": round(med[False] / med[True], 2)}
    print(json.dumps(line))
    print(f"{args.name} at {args.limit} samples, {args.n} sub-networks x 2 processes each: plain glibc {med[False]:.2f} s "
          f"each (median), keeping freed memory {med[True]:.2f} s: {med[False] / med[True]:.1f}x", file=sys.stderr)


if __name__ == "__main__":
    main()
