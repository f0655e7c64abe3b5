"""Own sanity check (nothing shipped): export the static reference sub-networks of a package to
ONNX with torch.onnx and run them with onnxruntime-web (wasm, in Node) from the repo's
node_modules; compare with reference.json logits.

    /usr/bin/python3 training/onnx_check.py fashion-mbconv
"""
import json
import os
import subprocess
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import encoder as E  # noqa: E402
from common import export, st  # noqa: E402
from common import mbconv as M  # noqa: E402

NODE = r"""
const ort = require(process.argv[2]);
const fs = require('fs');
(async () => {
  const spec = JSON.parse(fs.readFileSync(process.argv[3]));
  ort.env.wasm.numThreads = 1;
  const out = {};
  for (const m of spec.models) {
    const s = await ort.InferenceSession.create(m.path);
    const feeds = {};
    for (const [name, inp] of Object.entries(m.inputs)) {
      const buf = fs.readFileSync(inp.path);
      const data = inp.type === 'int64' ? new BigInt64Array(buf.buffer, buf.byteOffset, buf.length / 8)
                                        : new Float32Array(buf.buffer, buf.byteOffset, buf.length / 4);
      feeds[name] = new ort.Tensor(inp.type, data, inp.shape);
    }
    const r = await s.run(feeds);
    out[m.name] = Array.from(r[s.outputNames[0]].data);
  }
  fs.writeFileSync(spec.result, JSON.stringify(out));
})();
"""


class Wrap(torch.nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, *a):
        return self.fn(*a)


def main():
    name = sys.argv[1]
    d = export.package_dir(name)
    man = json.load(open(os.path.join(d, "supernet.json")))
    ref = json.load(open(os.path.join(d, "reference.json")))
    W, _ = st.load(os.path.join(d, "model.safetensors"))
    val, _ = st.load(os.path.join(d, "validation.safetensors"))
    cal, _ = st.load(os.path.join(d, "calibration.safetensors"))
    arch = man["arch"]
    tmp = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out", "onnx_" + name)
    os.makedirs(tmp, exist_ok=True)
    models = []
    for e in ref["configs"]:
        cfg = e["config"]
        path = os.path.join(tmp, e["name"] + ".onnx")
        if man["family"] == "mbconv":
            mean, std = man["input"]["mean"][0], man["input"]["std"][0]
            prep = lambda u8: ((torch.from_numpy(u8).float() / 255.0 - mean) / std).contiguous()  # noqa: E731
            net = M.static_calibrate_and_fold(M.static_extract(W, arch, cfg), prep(cal["images"]))
            x = prep(val["images"][:8])
            torch.onnx.export(Wrap(lambda z: M.static_forward(net, z)), (x,), path, input_names=["pixel_values"],
                              output_names=["logits"], opset_version=13)
            x.numpy().astype("<f4").tofile(path + ".x.bin")
            inputs = {"pixel_values": {"path": path + ".x.bin", "type": "float32", "shape": list(x.shape)}}
        else:
            eps = json.load(open(os.path.join(d, "config.json")))["layer_norm_eps"]
            Wc = E.static_extract(W, arch, cfg)
            if arch["front"] == "text":
                ids = torch.from_numpy(val["input_ids"][:8].astype(np.int64))
                mask = torch.from_numpy(val["attention_mask"][:8].astype(np.int64))
                torch.onnx.export(Wrap(lambda a, m: E.static_forward(Wc, arch, cfg, a, m, eps)), (ids, mask), path,
                                  input_names=["input_ids", "attention_mask"], output_names=["logits"], opset_version=13)
                ids.numpy().astype("<i8").tofile(path + ".ids.bin")
                mask.numpy().astype("<i8").tofile(path + ".mask.bin")
                inputs = {"input_ids": {"path": path + ".ids.bin", "type": "int64", "shape": list(ids.shape)},
                          "attention_mask": {"path": path + ".mask.bin", "type": "int64", "shape": list(mask.shape)}}
            else:
                mean, std = man["input"]["mean"][0], man["input"]["std"][0]
                x = (torch.from_numpy(val["images"][:8]).float() / 255.0 - mean) / std
                torch.onnx.export(Wrap(lambda z: E.static_forward(Wc, arch, cfg, z, None, eps)), (x,), path,
                                  input_names=["pixel_values"], output_names=["logits"], opset_version=13)
                x.numpy().astype("<f4").tofile(path + ".x.bin")
                inputs = {"pixel_values": {"path": path + ".x.bin", "type": "float32", "shape": list(x.shape)}}
        models.append({"name": e["name"], "path": path, "inputs": inputs})
    spec = os.path.join(tmp, "spec.json")
    result = os.path.join(tmp, "result.json")
    json.dump({"models": models, "result": result}, open(spec, "w"))
    js = os.path.join(tmp, "run.cjs")
    open(js, "w").write(NODE)
    ort = os.path.join(export.REPO, "node_modules", "onnxruntime-web")
    subprocess.run(["node", js, ort, spec], check=True)
    res = json.load(open(result))
    for e in ref["configs"]:
        got = np.array(res[e["name"]], dtype=np.float32).reshape(8, -1)
        diff = float(np.abs(got - np.array(e["logits"], dtype=np.float32)).max())
        print(f"{name} {e['name']}: onnxruntime-web vs reference.json max |diff| {diff:.2e}")


if __name__ == "__main__":
    main()
