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
from common import encoder as E  # noqa: E402
from common import export, st  # noqa: E402
from common import mbconv as M  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("name")
    ap.add_argument("--n", type=int, default=50)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--stored-bn-n", type=int, default=20, help="mbconv: random sub-networks also run with stored BN stats")
    args = ap.parse_args()
    torch.set_num_threads(1)
    d = export.package_dir(args.name)
    man = json.load(open(os.path.join(d, "supernet.json")))
    ref = json.load(open(os.path.join(d, "reference.json")))
    W, _ = st.load(os.path.join(d, man["files"]["weights"]))
    val, _ = st.load(os.path.join(d, man["files"]["validation"]))
    cal, _ = st.load(os.path.join(d, man["files"]["calibration"]))
    arch, space = man["arch"], man["space"]
    y = val["labels"].astype(np.int64)
    t0 = time.time()

    if man["family"] == "mbconv":
        mean, std = man["input"]["mean"][0], man["input"]["std"][0]
        prep = lambda u8: ((torch.from_numpy(u8).float() / 255.0 - mean) / std).contiguous()  # noqa: E731
        calib = prep(cal["images"])
        X = prep(val["images"])

        def run(cfg, mode="folded"):
            net = M.static_extract(W, arch, cfg)
            if mode == "folded":
                M.static_calibrate_and_fold(net, calib)
            logits = torch.cat([M.static_forward(net, X[i:i + 500], mode=mode) for i in range(0, len(y), 500)]).numpy()
            p, m = M.static_count(net, tuple(man["input"]["shape"][1:]))
            return logits, p, m
    else:
        ln_eps = json.load(open(os.path.join(d, "config.json")))["layer_norm_eps"]
        if arch["front"] == "text":
            ids, mask = val["input_ids"], val["attention_mask"]

            def fwd(Wc, cfg):
                return torch.cat([E.static_forward(Wc, arch, cfg, ids[i:i + 200], mask[i:i + 200], ln_eps)
                                  for i in range(0, len(y), 200)]).numpy()
        else:
            mean, std = man["input"]["mean"][0], man["input"]["std"][0]
            X = (torch.from_numpy(val["images"]).float() / 255.0 - mean) / std

            def fwd(Wc, cfg):
                return torch.cat([E.static_forward(Wc, arch, cfg, X[i:i + 500], None, ln_eps)
                                  for i in range(0, len(y), 500)]).numpy()

        def run(cfg, mode="folded"):
            Wc = E.static_extract(W, arch, cfg)
            p, m = E.static_count(Wc, arch, cfg)
            return fwd(Wc, cfg), p, m

    # 1. reference.json reproduction
    worst = 0.0
    for e in ref["configs"]:
        logits, p, m = run(e["config"])
        dev = float(np.abs(logits[:8] - np.array(e["logits"], dtype=np.float32)).max())
        worst = max(worst, dev)
        c = int((logits.argmax(1) == y).sum())
        assert c == e["correct"] and p == e["params"] and m == e["macs"], (e["name"], c, e["correct"], p, e["params"], m, e["macs"])
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
    if man["family"] == "mbconv":
        sb = np.array([r["acc_stored_bn"] for r in rnd if "acc_stored_bn" in r])
        rc = np.array([r["acc"] for r in rnd if "acc_stored_bn" in r])
        summary["same_subnets_recalibrated"] = {"n": len(rc), "min": float(rc.min()), "median": float(np.median(rc)), "max": float(rc.max())}
        summary["random_acc_stored_bn"] = {"min": float(sb.min()), "median": float(np.median(sb)), "max": float(sb.max())}
    # Pearson correlation of accuracy with MACs over the random sample (is the middle in between?)
    summary["corr_acc_macs"] = float(np.corrcoef(acc, [r["macs"] for r in rnd])[0, 1])
    os.makedirs(os.path.join(os.path.dirname(os.path.abspath(__file__)), "out"), exist_ok=True)
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "out", f"{args.name}_eval.json"), "w") as f:
        json.dump({"summary": summary, "rows": rows}, f, indent=1)
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
