"""Test-retest ceiling of accuracy rankings (issue #5's Kendall-tau target): for N random
sub-networks, accuracy on validation samples [0, 500) vs [500, 1000) of the shipped package.
Two independent 500-sample measurements of the same sub-networks; their Kendall tau bounds what any
accuracy predictor can reach when it is scored against 500-sample accuracies.

    /usr/bin/python3 training/retest.py fashion-mbconv --n 200
"""
import argparse
import json
import os
import random
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import shipped  # noqa: E402


def kendall_tau_b(a, b):
    a, b = np.asarray(a), np.asarray(b)
    n = len(a)
    conc = disc = ta = tb = 0
    for i in range(n):
        da = np.sign(a[i + 1:] - a[i])
        db = np.sign(b[i + 1:] - b[i])
        conc += int(((da * db) > 0).sum())
        disc += int(((da * db) < 0).sum())
        ta += int(((da == 0) & (db != 0)).sum())
        tb += int(((db == 0) & (da != 0)).sum())
    return (conc - disc) / np.sqrt((conc + disc + ta) * (conc + disc + tb))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("name")
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    torch.set_num_threads(1)
    man, y, run = shipped.load(args.name, 1000, fast=True)
    rng = random.Random(args.seed)
    a, b = [], []
    for _ in range(args.n):
        cfg = {v["name"]: rng.choice(v["choices"]) for v in man["space"]}
        ok = run(cfg)[0].argmax(1) == y
        a.append(ok[:500].mean() * 100)
        b.append(ok[500:].mean() * 100)
    out = {"supernet": args.name, "n": args.n, "tau_first500_vs_next500": kendall_tau_b(a, b),
           "pearson": float(np.corrcoef(a, b)[0, 1]), "acc_first500": [min(a), float(np.median(a)), max(a)],
           "acc_next500": [min(b), float(np.median(b)), max(b)]}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
