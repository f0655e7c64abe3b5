"""Minimal safetensors reader/writer (no `safetensors` package needed).

Layout: 8-byte little-endian u64 header length n, n bytes of UTF-8 JSON header, raw buffer.
Tensors are written little-endian, C order, 8-byte aligned (header padded with spaces).
"""
import json
import struct

import numpy as np

_DT = {
    np.dtype("float32"): "F32", np.dtype("float16"): "F16", np.dtype("int8"): "I8",
    np.dtype("uint8"): "U8", np.dtype("int32"): "I32", np.dtype("int64"): "I64",
}
_NP = {v: k for k, v in _DT.items()}


def _to_np(t):
    if hasattr(t, "detach"):
        t = t.detach().cpu().numpy()
    return np.ascontiguousarray(t)


def save(path, tensors, metadata=None):
    """tensors: dict name -> numpy array or torch tensor (order kept)."""
    header = {}
    chunks = []
    off = 0
    for name, t in tensors.items():
        a = _to_np(t)
        if a.dtype not in _DT:
            raise TypeError(f"{name}: unsupported dtype {a.dtype}")
        a = a.astype(a.dtype.newbyteorder("<"), copy=False)
        b = a.tobytes(order="C")
        header[name] = {"dtype": _DT[a.dtype], "shape": list(a.shape), "data_offsets": [off, off + len(b)]}
        chunks.append(b)
        off += len(b)
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in chunks:
            f.write(b)


def load(path):
    """Returns (dict name -> numpy array, metadata). Validates offsets like the TS reader."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    if 8 + n > len(raw):
        raise ValueError("header length outside file")
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    buf = raw[8 + n:]
    meta = header.pop("__metadata__", {})
    out = {}
    spans = []
    for name, info in header.items():
        dt = _NP[info["dtype"]]
        b, e = info["data_offsets"]
        count = int(np.prod(info["shape"])) if info["shape"] else 1
        if not (0 <= b <= e <= len(buf)) or e - b != count * dt.itemsize:
            raise ValueError(f"{name}: bad offsets")
        spans.append((b, e))
        out[name] = np.frombuffer(buf[b:e], dtype=dt.newbyteorder("<")).reshape(info["shape"]).astype(dt)
    spans.sort()
    for (b0, e0), (b1, e1) in zip(spans, spans[1:]):
        if b1 < e0:
            raise ValueError("overlapping tensors")
    return out, meta
