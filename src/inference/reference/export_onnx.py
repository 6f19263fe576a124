#!/usr/bin/python3
"""Exports a BERT-family sequence classifier from an HF model directory (config.json +
model.safetensors, e.g. one written by vsr-gen-model) to ONNX with Debian's torch, so
ONNX Runtime can be timed on exactly the model our engine runs (ort_bench.mjs).

    /usr/bin/python3 src/inference/reference/export_onnx.py MODEL_DIR OUT.onnx
"""
import json
import math
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F

DTYPES = {"F32": np.float32, "F16": np.float16}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        b, e = info["data_offsets"]
        if info["dtype"] == "BF16":
            raw = np.frombuffer(data[base + b:base + e], dtype=np.uint16).astype(np.uint32) << 16
            arr = raw.view(np.float32)
        else:
            arr = np.frombuffer(data[base + b:base + e], dtype=DTYPES[info["dtype"]])
        out[name] = torch.from_numpy(arr.astype(np.float32).reshape(info["shape"]).copy())
    return out


class BertForSequenceClassification(torch.nn.Module):
    """HF BertForSequenceClassification inference math on unpadded [batch, seq] ids."""

    def __init__(self, cfg, w):
        super().__init__()
        self.cfg = cfg
        p = "bert." if any(k.startswith("bert.") for k in w) else ""
        self.w = {k[len(p):] if k.startswith(p) else k: torch.nn.Parameter(v, requires_grad=False)
                  for k, v in w.items()}
        for i, (k, v) in enumerate(self.w.items()):
            self.register_parameter(f"p{i}", v)

    def forward(self, ids):
        w, c = self.w, self.cfg
        B, L = ids.shape
        H, nh = c["hidden_size"], c["num_attention_heads"]
        d = H // nh
        eps = c.get("layer_norm_eps", 1e-12)
        pos = torch.arange(L).unsqueeze(0)
        x = (F.embedding(ids, w["embeddings.word_embeddings.weight"])
             + F.embedding(pos, w["embeddings.position_embeddings.weight"])
             + w["embeddings.token_type_embeddings.weight"][0])
        x = F.layer_norm(x, (H,), w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
        for i in range(c["num_hidden_layers"]):
            p = f"encoder.layer.{i}."
            def heads(t):
                return t.view(B, L, nh, d).transpose(1, 2)
            q = heads(F.linear(x, w[p + "attention.self.query.weight"], w[p + "attention.self.query.bias"]))
            k = heads(F.linear(x, w[p + "attention.self.key.weight"], w[p + "attention.self.key.bias"]))
            v = heads(F.linear(x, w[p + "attention.self.value.weight"], w[p + "attention.self.value.bias"]))
            a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d), dim=-1) @ v
            a = a.transpose(1, 2).reshape(B, L, H)
            a = F.linear(a, w[p + "attention.output.dense.weight"], w[p + "attention.output.dense.bias"])
            x = F.layer_norm(a + x, (H,), w[p + "attention.output.LayerNorm.weight"],
                             w[p + "attention.output.LayerNorm.bias"], eps)
            h = F.gelu(F.linear(x, w[p + "intermediate.dense.weight"], w[p + "intermediate.dense.bias"]))
            h = F.linear(h, w[p + "output.dense.weight"], w[p + "output.dense.bias"])
            x = F.layer_norm(h + x, (H,), w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)
        pooled = torch.tanh(F.linear(x[:, 0], w["pooler.dense.weight"], w["pooler.dense.bias"]))
        return F.linear(pooled, w["classifier.weight"], w["classifier.bias"])


def main(model_dir, out):
    cfg = json.load(open(f"{model_dir}/config.json"))
    model = BertForSequenceClassification(cfg, read_safetensors(f"{model_dir}/model.safetensors")).eval()
    ids = torch.randint(0, cfg["vocab_size"], (2, 32))
    with torch.no_grad():
        torch.onnx.export(model, (ids,), out, input_names=["input_ids"], output_names=["logits"],
                          dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "logits": {0: "batch"}},
                          opset_version=14)
    print("wrote", out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
