"""Elastic transformer encoder (FORMATS.md family `transformer-encoder`), shared by the text
(BERT, post-LN) and vision (ViT, pre-LN) super-networks, with Hugging Face tensor names.

`ElasticEncoder` slices its weights on the fly for a sub-network config (training).
`static_extract` / `static_forward` are the reference: sliced plain tensors + explicit ops.
"""
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

NEG = -1e9


def space_of(arch, layer_choices, head_choices, ffn_choices):
    sp = [{"name": "layers", "kind": "ordinal", "choices": list(layer_choices)}]
    for i in range(arch["max_layers"]):
        sp.append({"name": f"heads_{i}", "kind": "ordinal", "choices": list(head_choices)})
        sp.append({"name": f"ffn_{i}", "kind": "ordinal", "choices": list(ffn_choices)})
    return sp


def _lin(i, o):
    m = nn.Linear(i, o)
    nn.init.trunc_normal_(m.weight, std=0.02)
    nn.init.zeros_(m.bias)
    return m


def _ln(h):
    return nn.LayerNorm(h)


class ElasticEncoder(nn.Module):
    def __init__(self, arch, ln_eps):
        super().__init__()
        self.arch = arch
        self.eps = ln_eps
        H, A, Fm = arch["hidden"], arch["max_heads"] * arch["head_dim"], arch["max_ffn"]
        text = arch["front"] == "text"
        self.text = text
        layers = []
        for _ in range(arch["max_layers"]):
            if text:
                layers.append(nn.ModuleDict({
                    "attention": nn.ModuleDict({
                        "self": nn.ModuleDict({"query": _lin(H, A), "key": _lin(H, A), "value": _lin(H, A)}),
                        "output": nn.ModuleDict({"dense": _lin(A, H), "LayerNorm": _ln(H)})}),
                    "intermediate": nn.ModuleDict({"dense": _lin(H, Fm)}),
                    "output": nn.ModuleDict({"dense": _lin(Fm, H), "LayerNorm": _ln(H)})}))
            else:
                layers.append(nn.ModuleDict({
                    "layernorm_before": _ln(H),
                    "attention": nn.ModuleDict({
                        "attention": nn.ModuleDict({"query": _lin(H, A), "key": _lin(H, A), "value": _lin(H, A)}),
                        "output": nn.ModuleDict({"dense": _lin(A, H)})}),
                    "layernorm_after": _ln(H),
                    "intermediate": nn.ModuleDict({"dense": _lin(H, Fm)}),
                    "output": nn.ModuleDict({"dense": _lin(Fm, H)})}))
        if text:
            emb = nn.ModuleDict({
                "word_embeddings": nn.Embedding(arch["vocab_size"], H),
                "position_embeddings": nn.Embedding(arch["max_length"], H),
                "token_type_embeddings": nn.Embedding(2, H),
                "LayerNorm": _ln(H)})
            for k in ("word_embeddings", "position_embeddings", "token_type_embeddings"):
                nn.init.trunc_normal_(emb[k].weight, std=0.02)
            self.bert = nn.ModuleDict({
                "embeddings": emb,
                "encoder": nn.ModuleDict({"layer": nn.ModuleList(layers)}),
                "pooler": nn.ModuleDict({"dense": _lin(H, H)})})
        else:
            n = (arch["image_size"] // arch["patch_size"]) ** 2
            emb = nn.Module()
            emb.cls_token = nn.Parameter(torch.zeros(1, 1, H))
            emb.position_embeddings = nn.Parameter(torch.zeros(1, n + 1, H))
            nn.init.trunc_normal_(emb.position_embeddings, std=0.02)
            nn.init.trunc_normal_(emb.cls_token, std=0.02)
            pe = nn.Module()
            pe.projection = nn.Conv2d(arch["channels"], H, arch["patch_size"], arch["patch_size"])
            emb.patch_embeddings = pe
            self.vit = nn.ModuleDict({
                "embeddings": emb,
                "encoder": nn.ModuleDict({"layer": nn.ModuleList(layers)}),
                "layernorm": _ln(H)})
        self.classifier = _lin(H, arch["num_classes"])

    def layers(self):
        return (self.bert if self.text else self.vit)["encoder"]["layer"]

    def _attn(self, x, q_l, k_l, v_l, o_l, h, mask_add, drop):
        B, S, _ = x.shape
        d = self.arch["head_dim"]
        hd = h * d
        q = F.linear(x, q_l.weight[:hd], q_l.bias[:hd]).view(B, S, h, d).transpose(1, 2)
        k = F.linear(x, k_l.weight[:hd], k_l.bias[:hd]).view(B, S, h, d).transpose(1, 2)
        v = F.linear(x, v_l.weight[:hd], v_l.bias[:hd]).view(B, S, h, d).transpose(1, 2)
        sc = q @ k.transpose(-1, -2) / math.sqrt(d)
        if mask_add is not None:
            sc = sc + mask_add
        p = sc.softmax(-1)
        if drop:
            p = F.dropout(p, drop, True)
        ctx = (p @ v).transpose(1, 2).reshape(B, S, hd)
        return F.linear(ctx, o_l.weight[:, :hd], o_l.bias)

    def _ffn(self, x, i_l, o_l, f):
        return F.linear(F.gelu(F.linear(x, i_l.weight[:f], i_l.bias[:f])), o_l.weight[:, :f], o_l.bias)

    def embed_text(self, ids):
        e = self.bert["embeddings"]
        S = ids.shape[1]
        x = e["word_embeddings"](ids) + e["position_embeddings"].weight[:S][None] + e["token_type_embeddings"].weight[0][None, None]
        return F.layer_norm(x, (x.shape[-1],), e["LayerNorm"].weight, e["LayerNorm"].bias, self.eps)

    def encode(self, inp, cfg, mask=None, drop=0.0, attn_drop=0.0):
        """Returns the final hidden states [B, S, H] (text: after the last post-LN; vision: before
        the final LayerNorm)."""
        H = self.arch["hidden"]
        ln = lambda x, m: F.layer_norm(x, (H,), m.weight, m.bias, self.eps)  # noqa: E731
        dr = (lambda x: F.dropout(x, drop, True)) if drop else (lambda x: x)  # noqa: E731
        if self.text:
            x = dr(self.embed_text(inp))
            mask_add = None if mask is None else ((1.0 - mask.float()) * NEG)[:, None, None, :]
            for i in range(cfg["layers"]):
                L = self.layers()[i]
                a = L["attention"]
                y = self._attn(x, a["self"]["query"], a["self"]["key"], a["self"]["value"], a["output"]["dense"],
                               cfg[f"heads_{i}"], mask_add, attn_drop)
                x = ln(x + dr(y), a["output"]["LayerNorm"])
                y = self._ffn(x, L["intermediate"]["dense"], L["output"]["dense"], cfg[f"ffn_{i}"])
                x = ln(x + dr(y), L["output"]["LayerNorm"])
            return x
        e = self.vit["embeddings"]
        p = F.conv2d(inp, e.patch_embeddings.projection.weight, e.patch_embeddings.projection.bias,
                     self.arch["patch_size"])
        p = p.flatten(2).transpose(1, 2)
        x = torch.cat([e.cls_token.expand(p.shape[0], -1, -1), p], 1) + e.position_embeddings
        x = dr(x)
        for i in range(cfg["layers"]):
            L = self.layers()[i]
            a = L["attention"]
            y = self._attn(ln(x, L["layernorm_before"]), a["attention"]["query"], a["attention"]["key"],
                           a["attention"]["value"], a["output"]["dense"], cfg[f"heads_{i}"], None, attn_drop)
            x = x + dr(y)
            y = self._ffn(ln(x, L["layernorm_after"]), L["intermediate"]["dense"], L["output"]["dense"], cfg[f"ffn_{i}"])
            x = x + dr(y)
        return x

    def forward(self, inp, cfg, mask=None, drop=0.0, attn_drop=0.0):
        x = self.encode(inp, cfg, mask, drop, attn_drop)
        H = self.arch["hidden"]
        if self.text:
            pd = self.bert["pooler"]["dense"]
            pooled = torch.tanh(F.linear(x[:, 0], pd.weight, pd.bias))
            if drop:
                pooled = F.dropout(pooled, drop, True)
            return self.classifier(pooled)
        m = self.vit["layernorm"]
        return self.classifier(F.layer_norm(x[:, 0], (H,), m.weight, m.bias, self.eps))


def export_state(model):
    return {k: v.detach().float().contiguous() for k, v in model.state_dict().items()}


# ------------------------------------------------------------ static reference (plain ops)

def static_extract(state, arch, cfg):
    """Sliced plain tensors of one sub-network: dict name -> tensor (only what it uses)."""
    t = lambda n: state[n] if torch.is_tensor(state[n]) else torch.as_tensor(np.asarray(state[n]), dtype=torch.float32)  # noqa: E731
    d = arch["head_dim"]
    out = {}
    text = arch["front"] == "text"
    pre = "bert" if text else "vit"
    if text:
        for k in ("word_embeddings", "position_embeddings", "token_type_embeddings"):
            out[f"bert.embeddings.{k}.weight"] = t(f"bert.embeddings.{k}.weight").clone()
        for k in ("weight", "bias"):
            out[f"bert.embeddings.LayerNorm.{k}"] = t(f"bert.embeddings.LayerNorm.{k}").clone()
    else:
        for k in ("cls_token", "position_embeddings", "patch_embeddings.projection.weight", "patch_embeddings.projection.bias"):
            out[f"vit.embeddings.{k}"] = t(f"vit.embeddings.{k}").clone()
    for i in range(cfg["layers"]):
        p = f"{pre}.encoder.layer.{i}"
        hd = cfg[f"heads_{i}"] * d
        f = cfg[f"ffn_{i}"]
        att = f"{p}.attention.self" if text else f"{p}.attention.attention"
        for k in ("query", "key", "value"):
            out[f"{att}.{k}.weight"] = t(f"{att}.{k}.weight")[:hd].clone()
            out[f"{att}.{k}.bias"] = t(f"{att}.{k}.bias")[:hd].clone()
        out[f"{p}.attention.output.dense.weight"] = t(f"{p}.attention.output.dense.weight")[:, :hd].clone()
        out[f"{p}.attention.output.dense.bias"] = t(f"{p}.attention.output.dense.bias").clone()
        out[f"{p}.intermediate.dense.weight"] = t(f"{p}.intermediate.dense.weight")[:f].clone()
        out[f"{p}.intermediate.dense.bias"] = t(f"{p}.intermediate.dense.bias")[:f].clone()
        out[f"{p}.output.dense.weight"] = t(f"{p}.output.dense.weight")[:, :f].clone()
        out[f"{p}.output.dense.bias"] = t(f"{p}.output.dense.bias").clone()
        lns = ("attention.output.LayerNorm", "output.LayerNorm") if text else ("layernorm_before", "layernorm_after")
        for ln in lns:
            for k in ("weight", "bias"):
                out[f"{p}.{ln}.{k}"] = t(f"{p}.{ln}.{k}").clone()
    if text:
        for k in ("weight", "bias"):
            out[f"bert.pooler.dense.{k}"] = t(f"bert.pooler.dense.{k}").clone()
    else:
        for k in ("weight", "bias"):
            out[f"vit.layernorm.{k}"] = t(f"vit.layernorm.{k}").clone()
    for k in ("weight", "bias"):
        out[f"classifier.{k}"] = t(f"classifier.{k}").clone()
    return out


def _layernorm(x, w, b, eps):
    mu = x.mean(-1, keepdim=True)
    var = ((x - mu) ** 2).mean(-1, keepdim=True)
    return (x - mu) / torch.sqrt(var + eps) * w + b


def _gelu(x):
    return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))


@torch.no_grad()
def static_forward(W, arch, cfg, inp, mask=None, eps=1e-12):
    """Explicit ops on the sliced tensors. text: inp = input_ids [B,S] (int), mask [B,S];
    vision: inp = pixel_values [B,C,H,W] (normalised float32)."""
    text = arch["front"] == "text"
    d = arch["head_dim"]
    if text:
        ids = torch.as_tensor(inp).long()
        B, S = ids.shape
        x = W["bert.embeddings.word_embeddings.weight"][ids] + W["bert.embeddings.position_embeddings.weight"][:S][None] \
            + W["bert.embeddings.token_type_embeddings.weight"][0][None, None]
        x = _layernorm(x, W["bert.embeddings.LayerNorm.weight"], W["bert.embeddings.LayerNorm.bias"], eps)
        madd = (1.0 - torch.as_tensor(mask).float())[:, None, None, :] * NEG
        pre = "bert"
    else:
        pix = torch.as_tensor(inp).float()
        P = arch["patch_size"]
        B, C, Hh, Ww = pix.shape
        n = Hh // P
        # patch projection as a matmul over flattened patches (== the stride-P conv)
        patches = pix.reshape(B, C, n, P, n, P).permute(0, 2, 4, 1, 3, 5).reshape(B, n * n, C * P * P)
        wp = W["vit.embeddings.patch_embeddings.projection.weight"].reshape(arch["hidden"], -1)
        x = patches @ wp.t() + W["vit.embeddings.patch_embeddings.projection.bias"]
        cls = W["vit.embeddings.cls_token"].reshape(1, 1, -1).expand(B, 1, -1)
        x = torch.cat([cls, x], 1) + W["vit.embeddings.position_embeddings"]
        madd = None
        pre = "vit"
        S = x.shape[1]

    def attn(x, p, h):
        att = f"{p}.attention.self" if text else f"{p}.attention.attention"
        lin = lambda z, n: z @ W[f"{n}.weight"].t() + W[f"{n}.bias"]  # noqa: E731
        q = lin(x, f"{att}.query").reshape(B, S, h, d).permute(0, 2, 1, 3)
        k = lin(x, f"{att}.key").reshape(B, S, h, d).permute(0, 2, 1, 3)
        v = lin(x, f"{att}.value").reshape(B, S, h, d).permute(0, 2, 1, 3)
        sc = q @ k.transpose(-1, -2) * (1.0 / math.sqrt(d))
        if madd is not None:
            sc = sc + madd
        sc = sc - sc.max(-1, keepdim=True).values
        e = torch.exp(sc)
        pr = e / e.sum(-1, keepdim=True)
        ctx = (pr @ v).permute(0, 2, 1, 3).reshape(B, S, h * d)
        return lin(ctx, f"{p}.attention.output.dense")

    def ffn(x, p):
        y = _gelu(x @ W[f"{p}.intermediate.dense.weight"].t() + W[f"{p}.intermediate.dense.bias"])
        return y @ W[f"{p}.output.dense.weight"].t() + W[f"{p}.output.dense.bias"]

    for i in range(cfg["layers"]):
        p = f"{pre}.encoder.layer.{i}"
        h = cfg[f"heads_{i}"]
        if text:
            x = _layernorm(x + attn(x, p, h), W[f"{p}.attention.output.LayerNorm.weight"], W[f"{p}.attention.output.LayerNorm.bias"], eps)
            x = _layernorm(x + ffn(x, p), W[f"{p}.output.LayerNorm.weight"], W[f"{p}.output.LayerNorm.bias"], eps)
        else:
            x = x + attn(_layernorm(x, W[f"{p}.layernorm_before.weight"], W[f"{p}.layernorm_before.bias"], eps), p, h)
            x = x + ffn(_layernorm(x, W[f"{p}.layernorm_after.weight"], W[f"{p}.layernorm_after.bias"], eps), p)
    if text:
        pooled = torch.tanh(x[:, 0] @ W["bert.pooler.dense.weight"].t() + W["bert.pooler.dense.bias"])
    else:
        pooled = _layernorm(x[:, 0], W["vit.layernorm.weight"], W["vit.layernorm.bias"], eps)
    return pooled @ W["classifier.weight"].t() + W["classifier.bias"]


def static_count(W, arch, cfg):
    """params = numel of all sliced tensors (all trainable; embeddings count).
    MACs (batch 1): every Linear at every position of S, attention QK^T and AV = 2*S^2*h*d per
    layer, patch projection as a conv; embedding lookups are gathers (0 MACs); the text pooler
    and the classifiers act on one token."""
    params = sum(int(v.numel()) for v in W.values())
    H, d = arch["hidden"], arch["head_dim"]
    C = arch["num_classes"]
    if arch["front"] == "text":
        S = arch["max_length"]
        macs = H * H + H * C
    else:
        n = (arch["image_size"] // arch["patch_size"]) ** 2
        S = n + 1
        macs = n * arch["channels"] * arch["patch_size"] ** 2 * H + H * C
    for i in range(cfg["layers"]):
        hd = cfg[f"heads_{i}"] * d
        f = cfg[f"ffn_{i}"]
        macs += S * (3 * H * hd + hd * H + 2 * H * f) + 2 * S * S * hd
    return params, int(macs)
