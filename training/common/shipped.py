"""Run sub-networks of a shipped package from its files alone (public/supernets/<name>/), with the
explicit static reference forward (the parity oracle of the TypeScript runtime)."""
import json
import os

import numpy as np
import torch

from . import encoder as E
from . import export, st
from . import mbconv as M


def load(name, limit=0, pkg_dir=None, fast=False, validation=None):
    """Returns (manifest, labels, run) where run(cfg, mode="folded") -> (logits, params, macs) on
    the first `limit` validation samples (0: all). mbconv: BN recalibrated on the whole
    calibration split and folded (mode "folded") or the stored running statistics ("running");
    fast: mbconv: channels-last tensors and the fused statistics kernel; text: length-bucketed
    batches cut to their longest sentence (logits differ by ~1e-6).
    validation: {"images", "labels"} to use instead of the shipped validation set (images only)."""
    d = pkg_dir or export.package_dir(name)
    man = json.load(open(os.path.join(d, "supernet.json")))
    W, _ = st.load(os.path.join(d, man["files"]["weights"]))
    val = validation or st.load(os.path.join(d, man["files"]["validation"]))[0]
    cal, _ = st.load(os.path.join(d, man["files"]["calibration"]))
    arch = man["arch"]
    n = len(val["labels"]) if not limit else min(limit, len(val["labels"]))
    y = val["labels"][:n].astype(np.int64)

    if man["family"] == "mbconv":
        mean, std = man["input"]["mean"][0], man["input"]["std"][0]
        prep = lambda u8: ((torch.from_numpy(u8).float() / 255.0 - mean) / std).contiguous()  # noqa: E731
        calib = prep(cal["images"])
        X = prep(val["images"][:n])
        if fast:
            calib, X = (t.contiguous(memory_format=torch.channels_last) for t in (calib, X))

        @torch.no_grad()
        def run(cfg, mode="folded"):
            net = M.static_extract(W, arch, cfg)
            if mode == "folded":
                M.static_calibrate_and_fold(net, calib, fast)
            logits = torch.cat([M.static_forward(net, X[i:i + 500], mode=mode) for i in range(0, n, 500)]).numpy()
            p, m = M.static_count(net, tuple(man["input"]["shape"][1:]))
            return logits, p, m
    else:
        ln_eps = json.load(open(os.path.join(d, "config.json")))["layer_norm_eps"]
        if arch["front"] == "text":
            ids, mask = val["input_ids"][:n], val["attention_mask"][:n]
            if fast:
                # batches of similar length, each cut to its longest sentence (padding is at the
                # end): padded keys are masked out and only the first ([CLS]) position is
                # classified, so the logits are those of the full-length forward up to float
                # rounding (bench:linas --check-evaluator: identical correct counts; 2-4x faster)
                order = np.argsort(mask.sum(1), kind="stable")
                inv = np.argsort(order)
                batches = []
                for i in range(0, n, 100):
                    sel = order[i:i + 100]
                    L = max(1, int(mask[sel].sum(1).max()))
                    batches.append((ids[sel, :L], mask[sel, :L]))

                def fwd(Wc, cfg):
                    out = torch.cat([E.static_forward(Wc, arch, cfg, b_ids, b_mask, ln_eps) for b_ids, b_mask in batches])
                    return out.numpy()[inv]
            else:
                def fwd(Wc, cfg):
                    return torch.cat([E.static_forward(Wc, arch, cfg, ids[i:i + 200], mask[i:i + 200], ln_eps)
                                      for i in range(0, n, 200)]).numpy()
        else:
            mean, std = man["input"]["mean"][0], man["input"]["std"][0]
            X = (torch.from_numpy(val["images"][:n]).float() / 255.0 - mean) / std

            def fwd(Wc, cfg):
                return torch.cat([E.static_forward(Wc, arch, cfg, X[i:i + 500], None, ln_eps)
                                  for i in range(0, n, 500)]).numpy()

        @torch.no_grad()
        def run(cfg, mode="folded"):
            Wc = E.static_extract(W, arch, cfg)
            p, m = E.static_count(Wc, arch, cfg)
            return fwd(Wc, cfg), p, m

    return man, y, run
