"""How reproducible is a K-sample accuracy? (issue #5's Kendall-tau target.) For N random
sub-networks of a shipped package, accuracy on P disjoint parts of its validation set
([0, K), [K, 2K), …) — P independent measurements of the same sub-networks. Prints, as one JSON line,
the Kendall tau and Pearson r between every two parts (test-retest: what any accuracy predictor
scored against a K-sample accuracy can hope for), each part's correlation with MACs (does "bigger is
better" hold on that part?), and the same for the whole P*K samples.

    /usr/bin/python3 training/retest.py fashion-mbconv --n 200 --size 500 --parts 4

The N sub-networks are distinct: configs that differ only in genes of blocks/layers the
sub-network does not have (SearchSpace `activeIf` in the app) count as one and are drawn again.
"""
import argparse
import json
import os
import random
import re
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


def subnet_key(cfg):
    """The sub-network's identity: the config without the variables of absent blocks/layers
    (mbconv kernel_<s>_<b>/expand_<s>_<b> when depth_<s> <= b; heads_<i>/ffn_<i> when layers <= i),
    the same gating as mbconvGate / transformerGate in src/core/supernets."""
    keep = []
    for k, v in sorted(cfg.items()):
        m = re.fullmatch(r"(?:kernel|expand)_(\d+)_(\d+)", k)
        if m and int(m.group(2)) >= cfg.get(f"depth_{m.group(1)}", 1 << 30):
            continue
        m = re.fullmatch(r"(?:heads|ffn)_(\d+)", k)
        if m and int(m.group(1)) >= cfg.get("layers", 1 << 30):
            continue
        keep.append((k, v))
    return tuple(keep)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("name")
    ap.add_argument("--n", type=int, default=200, help="random sub-networks")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--size", type=int, default=500, help="samples per part")
    ap.add_argument("--parts", type=int, default=2, help="disjoint parts (size*parts samples are used)")
    args = ap.parse_args()
    torch.set_num_threads(1)
    K, P = args.size, args.parts
    man, y, run = shipped.load(args.name, K * P, fast=True)
    if len(y) < K * P:
        sys.exit(f"{args.name} has {len(y)} validation samples: --size x --parts must be at most that")
    rng = random.Random(args.seed)
    acc, macs, seen = [], [], set()
    while len(acc) < args.n:
        cfg = {v["name"]: rng.choice(v["choices"]) for v in man["space"]}
        key = subnet_key(cfg)
        if key in seen:
            continue
        seen.add(key)
        logits, _, m = run(cfg)
        ok = logits.argmax(1) == y
        acc.append([ok[j * K:(j + 1) * K].mean() * 100 for j in range(P)] + [ok.mean() * 100])
        macs.append(m)
    A, M = np.array(acc), np.array(macs, dtype=np.float64)
    pairs = [(i, j) for i in range(P) for j in range(i + 1, P)]
    r2 = lambda v: [round(float(x), 3) for x in v]  # noqa: E731
    out = {
        "supernet": args.name, "n": args.n, "size": K, "parts": P,
        "tau_between_parts": {f"{i}-{j}": round(float(kendall_tau_b(A[:, i], A[:, j])), 3) for i, j in pairs},
        "pearson_between_parts": {f"{i}-{j}": round(float(np.corrcoef(A[:, i], A[:, j])[0, 1]), 3) for i, j in pairs},
        "tau_with_macs": r2(kendall_tau_b(A[:, j], M) for j in range(P + 1)),
        "pearson_with_macs": r2(np.corrcoef(A[:, j], M)[0, 1] for j in range(P + 1)),
        "acc_median": r2(np.median(A, 0)), "acc_std": r2(A.std(0)),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
