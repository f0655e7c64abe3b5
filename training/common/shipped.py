"""Run sub-networks of a shipped package from its files alone (public/supernets/<name>/), with the
explicit static reference forward (the parity oracle of the TypeScript runtime)."""
import json
import os

import numpy as np
import torch

from . import data
from . import encoder as E
from . import export, st
from . import mbconv as M


def load(name, limit=0, pkg_dir=None, fast=False, validation=None, device="cpu"):
    """Returns (manifest, labels, run) where run(cfg, mode="folded") -> (logits, params, macs) on
    the first `limit` validation samples (0: all). mbconv: BN recalibrated on the whole
    calibration split and folded (mode "folded") or the stored running statistics ("running");
    fast: mbconv: channels-last tensors and the fused statistics kernel; text: length-bucketed
    batches cut to their longest sentence (logits differ by ~1e-6).
    validation: {"images", "labels"} to use instead of the shipped validation set (images only).
    device: where the forward runs ("cuda" for training/table.py on a GPU machine); logits come back
    as numpy either way. Off the CPU, float32 stays float32 (TF32 off) but reductions may run in
    another order, so a borderline sample can flip: table.py's --check compares with the CPU."""
    d = pkg_dir or export.package_dir(name)
    man = json.load(open(os.path.join(d, "supernet.json")))
    W, _ = st.load(os.path.join(d, man["files"]["weights"]))
    on_cpu = device == "cpu"  # "cpu:0" takes the device path on the CPU (a check of it without a GPU)
    if not on_cpu:
        W = {k: torch.as_tensor(v, dtype=torch.float32).to(device) for k, v in W.items()}
    bs = 500 if on_cpu else 10000
    val = validation or st.load(os.path.join(d, man["files"]["validation"]))[0]
    cal, _ = st.load(os.path.join(d, man["files"]["calibration"]))
    arch = man["arch"]
    n = len(val["labels"]) if not limit else min(limit, len(val["labels"]))
    y = val["labels"][:n].astype(np.int64)

    if man["family"] == "mbconv":
        mean, std = man["input"]["mean"][0], man["input"]["std"][0]
        prep = lambda u8: ((torch.from_numpy(u8).float() / 255.0 - mean) / std).contiguous()  # noqa: E731
        calib = prep(cal["images"]).to(device)
        X = prep(val["images"][:n]).to(device)
        if fast:
            calib, X = (t.contiguous(memory_format=torch.channels_last) for t in (calib, X))

        @torch.no_grad()
        def run(cfg, mode="folded"):
            net = M.static_extract(W, arch, cfg)
            if mode == "folded":
                M.static_calibrate_and_fold(net, calib, fast)
            logits = torch.cat([M.static_forward(net, X[i:i + bs], mode=mode) for i in range(0, n, bs)]).cpu().numpy()
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
                    batches.append((torch.as_tensor(ids[sel, :L]).to(device), torch.as_tensor(mask[sel, :L]).to(device)))

                def fwd(Wc, cfg):
                    out = torch.cat([E.static_forward(Wc, arch, cfg, b_ids, b_mask, ln_eps) for b_ids, b_mask in batches])
                    return out.cpu().numpy()[inv]
            else:
                ids_d, mask_d = torch.as_tensor(ids).to(device), torch.as_tensor(mask).to(device)

                def fwd(Wc, cfg):
                    return torch.cat([E.static_forward(Wc, arch, cfg, ids_d[i:i + 200], mask_d[i:i + 200], ln_eps)
                                      for i in range(0, n, 200)]).cpu().numpy()
        else:
            mean, std = man["input"]["mean"][0], man["input"]["std"][0]
            X = ((torch.from_numpy(val["images"][:n]).float() / 255.0 - mean) / std).to(device)

            def fwd(Wc, cfg):
                return torch.cat([E.static_forward(Wc, arch, cfg, X[i:i + bs], None, ln_eps)
                                  for i in range(0, n, bs)]).cpu().numpy()

        @torch.no_grad()
        def run(cfg, mode="folded"):
            Wc = E.static_extract(W, arch, cfg)
            p, m = E.static_count(Wc, arch, cfg)
            return fwd(Wc, cfg), p, m

    return man, y, run


def fashion_test10k(name, fashion_dir=None):
    """The whole Fashion-MNIST test set as a `validation` for load(): a Fashion-MNIST package's
    validation set is its first 2,000 images (checked here), so samples 2,000-9,999 are held out from
    anything the app or bench:linas measured on the package. Returns ({"images", "labels"}, n_val)."""
    if fashion_dir:
        data.FASHION_DIR = fashion_dir
    x, y = data.fashion("t10k")
    d = export.package_dir(name)
    man = json.load(open(os.path.join(d, "supernet.json")))
    val = st.load(os.path.join(d, man["files"]["validation"]))[0]
    n_val = len(val["labels"])
    if "images" not in val or not (np.array_equal(val["images"], x[:n_val]) and np.array_equal(val["labels"], y[:n_val])):
        raise ValueError(f"{name}: its validation set is not the first {n_val} images of the Fashion-MNIST test set")
    return {"images": x, "labels": y}, n_val

