"""Accuracy oracle for `npm run bench:linas -- --oracle real --evaluator torch`.

Reads one JSON sub-network configuration per line on stdin and answers one line
`{"correct": c, "n": n}`: its correct count on the first --limit validation samples of the shipped
package, computed from the package files alone with the static reference forward (the one that
reference.json and the TypeScript runtime's parity tests are checked against; mbconv: BN
recalibrated on the calibration split and folded, as the runtime does). Same numbers as the app's
evaluator, about 10x faster on this CPU, which makes a benchmark of ~10,000 real validations fit.

    /usr/bin/python3 training/oracle.py fashion-mbconv --limit 500

With --bits each answer also has "bits": which samples it got right, as the hex of numpy.packbits
(first sample = the highest bit of the first byte), for the per-sample predictor (bench:linas's
`ps-…` methods).

With --test10k the samples are the whole Fashion-MNIST test set (the package's validation set is its
first 2,000), for re-scoring fronts on test images no search saw.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common.malloc import keep_freed_memory  # noqa: E402

keep_freed_memory()  # before torch allocates: several times faster here (common/malloc.py)

import numpy as np  # noqa: E402
import torch  # noqa: E402

from common import shipped  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("name")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--dir", default=None)
    ap.add_argument("--test10k", action="store_true",
                    help="Fashion-MNIST packages: count on the whole 10k test set (--limit up to 10000), whose "
                         "first 2,000 images are the package's validation set (bench:linas --rescore)")
    ap.add_argument("--bits", action="store_true", help="also answer which samples were right (hex of numpy.packbits)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    validation = shipped.fashion_test10k(args.name)[0] if args.test10k else None
    _, y, run = shipped.load(args.name, args.limit, args.dir, fast=True, validation=validation)
    print(json.dumps({"ready": True, "n": len(y)}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            logits, _, _ = run(json.loads(line))
            right = logits.argmax(1) == y
            out = {"correct": int(right.sum()), "n": len(y)}
            if args.bits:
                out["bits"] = np.packbits(np.asarray(right, dtype=np.uint8)).tobytes().hex()
        except Exception as e:  # a bad config must not kill the benchmark's process
            out = {"error": f"{type(e).__name__}: {e}"}
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
