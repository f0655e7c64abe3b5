"""Elastic MobileNetV3 / Once-for-All style CNN (FORMATS.md family `mbconv`).

`ElasticMBConv` is the weight-sharing super-network used for training: it slices its full
weights on the fly for a sub-network config. `static_*` functions are the *reference*: they
copy the sliced weights of one sub-network into plain tensors, recalibrate BN on the
calibration batch, fold BN into the convs and run explicit ops (what the browser runtime does).
"""
import random

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

KERNELS = [3, 5, 7]
EXPANDS = [3, 4, 6]
DEPTHS = [2, 3, 4]


def act_fn(name):
    return {"relu": F.relu, "hswish": F.hardswish}[name]


class ConvBN(nn.Module):
    def __init__(self, cin, cout, k, groups=1):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, padding=k // 2, groups=groups, bias=False)
        self.bn = nn.BatchNorm2d(cout)


class Block(nn.Module):
    def __init__(self, cin, cout, max_k, max_e):
        super().__init__()
        mid = cin * max_e
        self.expand = ConvBN(cin, mid, 1)
        self.dw = ConvBN(mid, mid, max_k, groups=mid)
        self.project = ConvBN(mid, cout, 1)


class Stage(nn.Module):
    def __init__(self, blocks):
        super().__init__()
        self.blocks = nn.ModuleList(blocks)


def space_of(arch, depths=DEPTHS, kernels=KERNELS, expands=EXPANDS):
    """The search space: per stage its depth, per block its kernel and expand ratio (the shipped
    package's choices by default; train_mbconv.py --depths/--kernels/--expands widen them)."""
    assert all(1 <= d <= st["max_depth"] for d in depths for st in arch["stages"]), depths
    assert all(k % 2 == 1 and k <= arch["max_kernel"] for k in kernels), kernels
    assert all(1 <= e <= arch["max_expand"] for e in expands), expands
    space = []
    for s, st in enumerate(arch["stages"]):
        space.append({"name": f"depth_{s}", "kind": "ordinal", "choices": sorted(depths)})
        for b in range(st["max_depth"]):
            space.append({"name": f"kernel_{s}_{b}", "kind": "ordinal", "choices": sorted(kernels)})
            space.append({"name": f"expand_{s}_{b}", "kind": "ordinal", "choices": sorted(expands)})
    return space


def largest(space):
    return {v["name"]: max(v["choices"]) for v in space}


def smallest(space):
    return {v["name"]: min(v["choices"]) for v in space}


def sample(space, rng):
    return {v["name"]: rng.choice(v["choices"]) for v in space}


class BNStats:
    """BN behaviour for a forward pass.
    mode 'batch': normalise with the batch's statistics (training).
    mode 'record': same, and store (mean, biased var) per BN into self.stats (recalibration).
    mode 'fixed': use self.stats[name] (inference with recalibrated statistics).
    mode 'running': use the stored running statistics (the largest's; for the comparison only).
    """

    def __init__(self, mode, stats=None):
        self.mode = mode
        self.stats = {} if stats is None else stats


class ElasticMBConv(nn.Module):
    def __init__(self, arch):
        super().__init__()
        self.arch = arch
        st = arch["stem"]
        self.stem = ConvBN(arch.get("in_channels", 1), st["out"], st["kernel"])
        stages = []
        cin = st["out"]
        for sa in arch["stages"]:
            blocks = []
            for b in range(sa["max_depth"]):
                blocks.append(Block(cin if b == 0 else sa["out"], sa["out"], arch["max_kernel"], arch["max_expand"]))
            cin = sa["out"]
            stages.append(Stage(blocks))
        self.stages = nn.ModuleList(stages)
        self.head = ConvBN(cin, arch["head"]["out"], 1)
        self.classifier = nn.Linear(arch["head"]["out"], arch["num_classes"])
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out")
        # zero-init the last BN gamma of every residual block (standard trick)
        cin = st["out"]
        for s, sa in zip(self.stages, arch["stages"]):
            for i, b in enumerate(s.blocks):
                if i > 0 or (sa["stride"] == 1 and cin == sa["out"]):
                    nn.init.zeros_(b.project.bn.weight)
            cin = sa["out"]

    def _bn(self, x, bn, name, c, bns):
        eps = self.arch["bn_eps"]
        w, b = bn.weight[:c], bn.bias[:c]
        if bns.mode == "batch":
            return F.batch_norm(x, None, None, w, b, True, 0.0, eps)
        if bns.mode == "record":
            mean = x.mean(dim=(0, 2, 3))
            var = ((x - mean[None, :, None, None]) ** 2).mean(dim=(0, 2, 3))
            bns.stats[name] = (mean, var)
            return F.batch_norm(x, mean, var, w, b, False, 0.0, eps)
        if bns.mode == "fixed":
            mean, var = bns.stats[name]
            return F.batch_norm(x, mean, var, w, b, False, 0.0, eps)
        return F.batch_norm(x, bn.running_mean[:c], bn.running_var[:c], w, b, False, 0.0, eps)

    def forward(self, x, cfg, bns=None):
        bns = bns or BNStats("batch")
        a = self.arch
        st = a["stem"]
        x = F.conv2d(x, self.stem.conv.weight, None, st["stride"], st["kernel"] // 2)
        x = act_fn(st["act"])(self._bn(x, self.stem.bn, "stem", st["out"], bns))
        for s, sa in enumerate(a["stages"]):
            act = act_fn(sa["act"])
            for b in range(cfg[f"depth_{s}"]):
                blk = self.stages[s].blocks[b]
                k, e = cfg[f"kernel_{s}_{b}"], cfg[f"expand_{s}_{b}"]
                cin = x.shape[1]
                mid = cin * e
                stride = sa["stride"] if b == 0 else 1
                p = f"stages.{s}.blocks.{b}"
                y = F.conv2d(x, blk.expand.conv.weight[:mid])
                y = act(self._bn(y, blk.expand.bn, p + ".expand", mid, bns))
                off = (a["max_kernel"] - k) // 2
                wd = blk.dw.conv.weight[:mid, :, off:off + k, off:off + k]
                y = F.conv2d(y, wd, None, stride, k // 2, 1, mid)
                y = act(self._bn(y, blk.dw.bn, p + ".dw", mid, bns))
                y = F.conv2d(y, blk.project.conv.weight[:, :mid])
                y = self._bn(y, blk.project.bn, p + ".project", sa["out"], bns)
                x = x + y if (stride == 1 and cin == sa["out"]) else y
        x = F.conv2d(x, self.head.conv.weight)
        x = act_fn(a["head"]["act"])(self._bn(x, self.head.bn, "head", a["head"]["out"], bns))
        x = x.mean(dim=(2, 3))
        return self.classifier(x)

    @torch.no_grad()
    def calibrate(self, calib_x, cfg):
        bns = BNStats("record")
        self.forward(calib_x, cfg, bns)
        return BNStats("fixed", bns.stats)

    @torch.no_grad()
    def set_running_stats(self, bns):
        """Store a (largest's) recalibrated statistics as running_mean/var."""
        for name, (m, v) in bns.stats.items():
            mod = self.get_submodule(name).bn
            mod.running_mean[:len(m)] = m
            mod.running_var[:len(v)] = v


def export_state(model):
    """The tensors shipped in model.safetensors (no num_batches_tracked), float32."""
    return {k: v.detach().float().contiguous() for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")}


# ------------------------------------------------------------ static reference (plain ops)

def static_extract(state, arch, cfg):
    """Slice one sub-network out of the full state dict into plain, contiguous tensors.
    Returns a list of ops: ('conv', dict) / ('add_from', idx) etc. kept simple: a list of layers."""
    def t(name):  # a numpy array, or a float32 tensor already on the device (shipped.load(device=…))
        v = state[name]
        return v if torch.is_tensor(v) else torch.as_tensor(np.asarray(v), dtype=torch.float32)

    def bn(prefix, c):
        return {k: t(f"{prefix}.bn.{k}")[:c].clone() for k in ("weight", "bias", "running_mean", "running_var")}

    layers = []
    st = arch["stem"]
    layers.append(dict(name="stem", w=t("stem.conv.weight").clone(), stride=st["stride"], pad=st["kernel"] // 2,
                       groups=1, bn=bn("stem", st["out"]), act=st["act"]))
    cin = st["out"]
    for s, sa in enumerate(arch["stages"]):
        for b in range(cfg[f"depth_{s}"]):
            k, e = cfg[f"kernel_{s}_{b}"], cfg[f"expand_{s}_{b}"]
            mid = cin * e
            stride = sa["stride"] if b == 0 else 1
            p = f"stages.{s}.blocks.{b}"
            off = (arch["max_kernel"] - k) // 2
            res = stride == 1 and cin == sa["out"]
            layers.append(dict(name=p + ".expand", w=t(p + ".expand.conv.weight")[:mid].clone(), stride=1, pad=0, groups=1,
                               bn=bn(p + ".expand", mid), act=sa["act"], block_start=True))
            layers.append(dict(name=p + ".dw", w=t(p + ".dw.conv.weight")[:mid, :, off:off + k, off:off + k].clone(),
                               stride=stride, pad=k // 2, groups=mid, bn=bn(p + ".dw", mid), act=sa["act"]))
            layers.append(dict(name=p + ".project", w=t(p + ".project.conv.weight")[:, :mid].clone(), stride=1, pad=0,
                               groups=1, bn=bn(p + ".project", sa["out"]), act=None, residual=res))
            cin = sa["out"]
    layers.append(dict(name="head", w=t("head.conv.weight").clone(), stride=1, pad=0, groups=1,
                       bn=bn("head", arch["head"]["out"]), act=arch["head"]["act"]))
    fc = dict(w=t("classifier.weight").clone(), b=t("classifier.bias").clone())
    return {"layers": layers, "fc": fc, "eps": arch["bn_eps"]}


def _act(x, a):
    if a is None:
        return x
    return torch.relu(x) if a == "relu" else F.hardswish(x)


@torch.no_grad()
def static_forward(net, x, mode="folded", record=None):
    """mode 'folded': use net['folded'] (BN folded into conv weight+bias).
    mode 'record': BN in training mode on this batch (biased var); stores stats in `record`.
    mode 'running': BN with the stored running statistics (largest's)."""
    block_in = None
    eps = net["eps"]
    for L in net["layers"]:
        if L.get("block_start"):
            block_in = x
        if mode == "folded":
            w, b = net["folded"][L["name"]]
            x = F.conv2d(x, w, b, L["stride"], L["pad"], 1, L["groups"])
        else:
            x = F.conv2d(x, L["w"], None, L["stride"], L["pad"], 1, L["groups"])
            if mode == "record_fast":
                # one fused batch-norm kernel; running stats with momentum 1 = this batch's mean and
                # unbiased variance, turned back into the biased one (differs from "record" by ~1e-7)
                c = x.shape[1]
                rm, rv = torch.zeros(c, device=x.device), torch.ones(c, device=x.device)
                x = F.batch_norm(x, rm, rv, L["bn"]["weight"], L["bn"]["bias"], True, 1.0, eps)
                n = x.numel() // c
                record[L["name"]] = (rm, rv * ((n - 1) / n))
                if L.get("residual"):
                    x = x + block_in
                x = _act(x, L["act"])
                continue
            if mode == "record":
                mean = x.mean(dim=(0, 2, 3))
                var = ((x - mean[None, :, None, None]) ** 2).mean(dim=(0, 2, 3))
                record[L["name"]] = (mean, var)
            else:
                mean, var = L["bn"]["running_mean"], L["bn"]["running_var"]
            x = (x - mean[None, :, None, None]) / torch.sqrt(var[None, :, None, None] + eps)
            x = x * L["bn"]["weight"][None, :, None, None] + L["bn"]["bias"][None, :, None, None]
        if L.get("residual"):
            x = x + block_in
        x = _act(x, L["act"])
    x = x.mean(dim=(2, 3))
    return x @ net["fc"]["w"].t() + net["fc"]["b"]


@torch.no_grad()
def static_calibrate_and_fold(net, calib_x, fast=False):
    """Recalibrate BN on the whole calibration batch and fold it into the convs (float64 fold).
    fast: fused batch-norm kernel for the statistics (training/oracle.py; same to ~1e-7)."""
    rec = {}
    static_forward(net, calib_x, mode="record_fast" if fast else "record", record=rec)
    folded = {}
    for L in net["layers"]:
        mean, var = (v.double() for v in rec[L["name"]])
        g = L["bn"]["weight"].double() / torch.sqrt(var + net["eps"])
        w = (L["w"].double() * g[:, None, None, None]).float()
        b = (L["bn"]["bias"].double() - mean * g).float()
        folded[L["name"]] = (w, b)
    net["folded"] = folded
    net["stats"] = rec
    return net


def static_count(net, in_hw):
    """params (PyTorch count of the sliced sub-network: conv weights, BN weight+bias, classifier)
    and MACs for batch 1 (per conv output element cin/groups*k*k; classifier in*out)."""
    params = 0
    macs = 0
    h, w = in_hw
    for L in net["layers"]:
        co, cig, kh, kw = L["w"].shape
        params += L["w"].numel() + L["bn"]["weight"].numel() + L["bn"]["bias"].numel()
        h = (h + 2 * L["pad"] - kh) // L["stride"] + 1
        w = (w + 2 * L["pad"] - kw) // L["stride"] + 1
        macs += co * h * w * cig * kh * kw
    params += net["fc"]["w"].numel() + net["fc"]["b"].numel()
    macs += net["fc"]["w"].numel()
    return int(params), int(macs)
