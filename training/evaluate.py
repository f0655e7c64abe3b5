"""Check a shipped package and measure random sub-networks (reads only public/supernets/<name>/).

- re-computes every reference.json entry with the static reference forward from the shipped
  files (logits, correct, params, MACs) and reports the max deviation;
- evaluates N seeded random sub-networks (+ largest, smallest) on the shipped validation set:
  accuracy min/median/max, params and MACs spread;
- mbconv: also the accuracy with the largest's stored BN statistics (no recalibration).

    /usr/bin/python3 training/evaluate.py fashion-mbconv --n 50
"""
import argparse
import json
import os
import random
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import export, shipped  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("name")
    ap.add_argument("--n", type=int, default=50)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--test10k", action="store_true", help="Fashion packages: the whole 10k test set instead of the shipped validation (skips the reference check)")
    ap.add_argument("--dir", default=None, help="package folder (default public/supernets/<name>)")
    ap.add_argument("--stored-bn-n", type=int, default=20, help="mbconv: random sub-networks also run with stored BN stats")
    args = ap.parse_args()
    torch.set_num_threads(1)
    validation = None
    if args.test10k:
        from common import data
        xte, yte = data.fashion("t10k")
        validation = {"images": xte, "labels": yte}
    man, y, run = shipped.load(args.name, pkg_dir=args.dir, validation=validation)
    ref = json.load(open(os.path.join(args.dir or export.package_dir(args.name), "reference.json")))
    space = man["space"]
    t0 = time.time()

    # 1. reference.json reproduction
    worst = 0.0
    for e in ([] if args.test10k else ref["configs"]):
        logits, p, m = run(e["config"])
        dev = float(np.abs(logits[:8] - np.array(e["logits"], dtype=np.float32)).max())
        worst = max(worst, dev)
        c = int((logits.argmax(1) == y).sum())
        assert c == e["correct"] and p == e["params"] and m == e["macs"], (e["name"], c, e["correct"], p, e["params"], m, e["macs"])
    if not args.test10k:
        print(f"reference.json reproduced: {len(ref['configs'])} configs, max |logit diff| {worst:.2e}")

    # 2. random sub-networks
    rng = random.Random(args.seed)
    rows = []
    cfgs = [("largest", {v["name"]: max(v["choices"]) for v in space}),
            ("smallest", {v["name"]: min(v["choices"]) for v in space})] + \
        [(f"r{i}", {v["name"]: rng.choice(v["choices"]) for v in space}) for i in range(args.n)]
    for nm, cfg in cfgs:
        logits, p, m = run(cfg)
        row = {"name": nm, "config": cfg, "acc": float((logits.argmax(1) == y).mean()), "params": p, "macs": m}
        if man["family"] == "mbconv" and len(rows) < 2 + args.stored_bn_n:
            lr, _, _ = run(cfg, mode="running")
            row["acc_stored_bn"] = float((lr.argmax(1) == y).mean())
        rows.append(row)
    rnd = rows[2:]
    acc = np.array([r["acc"] for r in rnd])
    L, S = rows[0], rows[1]
    summary = {
        "name": args.name, "count": len(y), "n_random": args.n, "seed": args.seed,
        "largest": {k: L[k] for k in L if k != "config"}, "smallest": {k: S[k] for k in S if k != "config"},
        "random_acc": {"min": float(acc.min()), "median": float(np.median(acc)), "max": float(acc.max())},
        "random_params": [int(min(r["params"] for r in rnd)), int(max(r["params"] for r in rnd))],
        "random_macs": [int(min(r["macs"] for r in rnd)), int(max(r["macs"] for r in rnd))],
        "random_below_smallest": int((acc < S["acc"]).sum()),
        "random_above_largest": int((acc > L["acc"]).sum()),
        "reference_max_logit_diff": worst,
        "seconds": round(time.time() - t0, 1),
    }
    if man["family"] == "mbconv" and any("acc_stored_bn" in r for r in rnd):
        sb = np.array([r["acc_stored_bn"] for r in rnd if "acc_stored_bn" in r])
        rc = np.array([r["acc"] for r in rnd if "acc_stored_bn" in r])
        summary["same_subnets_recalibrated"] = {"n": len(rc), "min": float(rc.min()), "median": float(np.median(rc)), "max": float(rc.max())}
        summary["random_acc_stored_bn"] = {"min": float(sb.min()), "median": float(np.median(sb)), "max": float(sb.max())}
    # Pearson correlation of accuracy with MACs over the random sample (is the middle in between?)
    summary["corr_acc_macs"] = float(np.corrcoef(acc, [r["macs"] for r in rnd])[0, 1])
    os.makedirs(os.path.join(os.path.dirname(os.path.abspath(__file__)), "out"), exist_ok=True)
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "out", f"{args.name}_eval{'_test10k' if args.test10k else ''}.json"), "w") as f:
        json.dump({"summary": summary, "rows": rows}, f, indent=1)
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
