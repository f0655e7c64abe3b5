"""Add the optional extra validation set to shipped Fashion-MNIST packages without retraining.

    /usr/bin/python3 training/extra_validation.py fashion-mbconv fashion-vit [--fashion-dir D]

Writes public/supernets/<name>/validation-extra.safetensors: the Fashion-MNIST test images beyond the
package's validation set (which is checked to be the test set's first 2,000), and adds
files.validation_extra / data.validation_extra to supernet.json right after the `validation` keys —
the same bytes train_mbconv.py / train_vit.py now write. Nothing else in the manifest changes: with
those two lines removed it is byte for byte what it was (checked here), which is what bench caches'
package fingerprint relies on (bench/linas-common.ts ignores exactly these lines).
"""
import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import export, shipped, st  # noqa: E402

EXTRA_LINE = re.compile(r'^\s*"validation_extra": "[^"\n]*",\n', re.M)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("names", nargs="+")
    ap.add_argument("--fashion-dir", default=None, help="folder with t10k-*-ubyte.gz (default: Debian's)")
    a = ap.parse_args()
    for name in a.names:
        d = export.package_dir(name)
        path = os.path.join(d, "supernet.json")
        raw = open(path, encoding="utf-8").read()
        base = EXTRA_LINE.sub("", raw)
        test, n_val = shipped.fashion_test10k(name, a.fashion_dir)
        extra, desc = export.extra_validation(test["images"], test["labels"], n_val)
        st.save(os.path.join(d, export.EXTRA_FILE), extra)
        man = json.loads(base)
        man["files"] = export.with_after(man["files"], "validation", "validation_extra", export.EXTRA_FILE)
        man["data"] = export.with_after(man["data"], "validation", "validation_extra", desc)
        export.write_json(path, man)
        new = open(path, encoding="utf-8").read()
        assert EXTRA_LINE.sub("", new) == base, f"{name}: supernet.json changed beyond the two validation_extra lines"
        print(f"{name}: {export.EXTRA_FILE} {len(extra['labels'])} samples "
              f"({os.path.getsize(os.path.join(d, export.EXTRA_FILE))} bytes); supernet.json + 2 lines")


if __name__ == "__main__":
    main()
