"""Small self-checks of the shared code (no training): `/usr/bin/python3 training/test_common.py`."""
import json
import os
import random
import sys
import tempfile

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import encoder as E  # noqa: E402
from common import mbconv as M  # noqa: E402
from common import st  # noqa: E402
from common import wordpiece as WP  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_safetensors_roundtrip():
    t = {"a": np.arange(6, dtype=np.float32).reshape(2, 3), "b": np.array([1, 2], dtype=np.uint8),
         "c": np.array([[-1]], dtype=np.int32)}
    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, "x.safetensors")
        st.save(p, t, {"k": "v"})
        back, meta = st.load(p)
        assert meta == {"k": "v"}
        for k in t:
            assert back[k].dtype == t[k].dtype and np.array_equal(back[k], t[k])


def test_keep_freed_memory_switch():
    """glibc told to keep freed memory (stop 51); KEEP_FREED_MEMORY=0 leaves it as it is (stop 52)."""
    import subprocess
    code = "import sys; sys.path.insert(0, %r); from common.malloc import keep_freed_memory; print(keep_freed_memory())" % os.path.dirname(os.path.abspath(__file__))
    run = lambda env: subprocess.run([sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, text=True, check=True).stdout.strip()
    assert run({"KEEP_FREED_MEMORY": "0"}) == "False"
    assert run({"KEEP_FREED_MEMORY": "1"}) == "True"  # glibc here


def test_normalizer_pretokenizer():
    assert WP.words_of("Québec—isn't  GREAT!!") == ["quebec", "—", "isn", "'", "t", "great", "!", "!"]
    assert WP.words_of("a\tb\u00a0c") == ["a", "b", "c"]
    assert WP.words_of("x\u0096y") == ["xy"]  # control characters are dropped


def test_wordpiece_greedy():
    tok = WP.WordPiece(WP.SPECIALS + ["un", "##believ", "##able", "a", "##b"], 8)
    assert tok.tokens("unbelievable") == [5, 6, 7]
    assert tok.tokens("unz") == [WP.UNK]
    ids, mask = tok.encode("a a a a a a a a a")
    assert ids == [WP.CLS] + [8] * 6 + [WP.SEP] and mask == [1] * 8


def test_shipped_tokenizer_matches_validation():
    d = os.path.join(REPO, "public", "supernets", "text-transformer")
    tj = json.load(open(os.path.join(d, "tokenizer.json")))
    vocab = sorted(tj["model"]["vocab"], key=tj["model"]["vocab"].get)
    tok = WP.WordPiece(vocab, tj["truncation"]["max_length"])
    val = json.load(open(os.path.join(d, "validation.json")))
    v, _ = st.load(os.path.join(d, "validation.safetensors"))
    for i, t in enumerate(val["texts"]):
        ids, mask = tok.encode(t)
        assert ids == list(v["input_ids"][i]) and mask == list(v["attention_mask"][i]), i


def test_counts_match_numel():
    arch = {"stem": {"out": 8, "kernel": 3, "stride": 2, "act": "relu"},
            "stages": [{"out": 8, "stride": 1, "max_depth": 4, "act": "relu"}, {"out": 16, "stride": 2, "max_depth": 4, "act": "hswish"}],
            "head": {"out": 32, "act": "hswish"}, "num_classes": 10, "max_kernel": 7, "max_expand": 6, "bn_eps": 1e-5}
    m = M.ElasticMBConv(arch)
    sp = M.space_of(arch)
    full = M.largest(sp)
    net = M.static_extract(M.export_state(m), arch, full)
    p, _ = M.static_count(net, (28, 28))
    assert p == sum(v.numel() for k, v in m.named_parameters())
    x = torch.randn(16, 1, 28, 28)
    cfg = M.sample(sp, random.Random(1))
    M.static_calibrate_and_fold(net := M.static_extract(M.export_state(m), arch, cfg), x)
    m.eval()
    assert torch.allclose(m(x, cfg, m.calibrate(x, cfg)), M.static_forward(net, x), atol=1e-4)
    # a widened space (train_mbconv.py --depths 1,2,3,4 --expands 1,2,3,4,6): its smallest runs the same way
    wide = M.space_of(arch, [1, 2, 3, 4], M.KERNELS, [1, 2, 3, 4, 6])
    assert [v["choices"] for v in wide[:3]] == [[1, 2, 3, 4], [3, 5, 7], [1, 2, 3, 4, 6]]
    tiny = M.smallest(wide)
    M.static_calibrate_and_fold(net := M.static_extract(M.export_state(m), arch, tiny), x)
    assert torch.allclose(m(x, tiny, m.calibrate(x, tiny)), M.static_forward(net, x), atol=1e-4)
    va = {"front": "vision", "hidden": 64, "max_layers": 2, "max_heads": 2, "head_dim": 32, "max_ffn": 128,
          "num_classes": 10, "image_size": 28, "patch_size": 7, "channels": 1}
    e = E.ElasticEncoder(va, 1e-12)
    vs = E.space_of(va, [1, 2], [1, 2], [64, 128])
    big = {v["name"]: max(v["choices"]) for v in vs}
    W = E.static_extract(E.export_state(e), va, big)
    assert E.static_count(W, va, big)[0] == sum(v.numel() for v in e.parameters())


def test_shipped_device_path_matches_cpu():
    """shipped.load(device=...) (training/table.py on a GPU) takes tensors already on the device;
    "cpu:0" runs that path on the CPU: the same logits as the numpy path, every family."""
    from common import shipped
    for name in ("fashion-mbconv", "fashion-vit", "text-transformer"):
        man, _, run = shipped.load(name, 40, fast=True)
        _, _, run_dev = shipped.load(name, 40, fast=True, device="cpu:0")
        rng = random.Random(3)
        for _ in range(2):
            cfg = {v["name"]: rng.choice(v["choices"]) for v in man["space"]}
            a, pa, ma = run(cfg)
            b, pb, mb = run_dev(cfg)
            assert (pa, ma) == (pb, mb) and np.abs(a - b).max() < 1e-5, name


def test_shipped_extra_validation():
    """A Fashion-MNIST package's validation-extra.safetensors is the test set after its validation
    set (Debian's copy, when installed), and supernet.json without the two validation_extra lines is
    what it was before them (the bench caches' fingerprint relies on that form)."""
    import extra_validation as X
    from common import data, export
    for name in ("fashion-mbconv", "fashion-vit"):
        d = export.package_dir(name)
        man = json.load(open(os.path.join(d, "supernet.json")))
        extra = st.load(os.path.join(d, man["files"]["validation_extra"]))[0]
        val = st.load(os.path.join(d, man["files"]["validation"]))[0]
        assert len(val["labels"]) + len(extra["labels"]) == 10000, name
        raw = open(os.path.join(d, "supernet.json"), encoding="utf-8").read()
        assert len(X.EXTRA_LINE.findall(raw)) == 2, name
        if os.path.exists(os.path.join(data.FASHION_DIR, "t10k-labels-idx1-ubyte.gz")):
            x, y = data.fashion("t10k")
            n = len(val["labels"])
            assert np.array_equal(extra["images"], x[n:]) and np.array_equal(extra["labels"], y[n:]), name


if __name__ == "__main__":
    torch.set_num_threads(1)
    for name, fn in list(globals().items()):
        if name.startswith("test_"):
            fn()
            print("ok", name)
