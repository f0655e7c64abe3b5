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


# Optional extra validation data (FORMATS.md, files.validation_extra): the Fashion-MNIST test images
# beyond a package's validation set, loaded by the app only when the user asks for them.
EXTRA_FILE = "validation-extra.safetensors"


def extra_validation(x_test, y_test, n_val):
    """({"images", "labels"}, description) of test samples n_val.. (the package's validation set is
    the first n_val of the same test set)."""
    n = len(y_test)
    return ({"images": x_test[n_val:], "labels": y_test[n_val:]},
            f"test images {n_val}-{n - 1} of the 10k test set")


def with_after(d, after, key, value):
    """A copy of dict d with key: value inserted right after key `after` (manifest key order)."""
    out = {}
    for k, v in d.items():
        if k != key:
            out[k] = v
        if k == after:
            out[key] = value
    return out


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
