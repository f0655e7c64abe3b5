"""Package writer (FORMATS.md): manifest, data tensors, reference.json."""
import json
import os

import numpy as np

from . import st

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def package_dir(name, out=None):
    d = out or os.path.join(REPO, "public", "supernets", name)
    os.makedirs(d, exist_ok=True)
    return d


def write_json(path, obj, compact=False):
    with open(path, "w", encoding="utf-8") as f:
        if compact:
            json.dump(obj, f, separators=(",", ":"), ensure_ascii=False)
        else:
            json.dump(obj, f, indent=1, ensure_ascii=False)
        f.write("\n")


def f32list(a):
    a = np.asarray(a, dtype=np.float32)
    return [[float(v) for v in row] for row in a]


def reference_entry(name, cfg, logits8, correct, count, params, macs, extra=None):
    e = {"name": name, "config": cfg, "logits": f32list(logits8),
         "accuracy": round(correct / count, 6), "correct": int(correct), "count": int(count),
         "params": int(params), "macs": int(macs)}
    if extra:
        e.update(extra)
    return e


def sizes(d):
    return {f: os.path.getsize(os.path.join(d, f)) for f in sorted(os.listdir(d))}
