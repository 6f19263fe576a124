#!/usr/bin/python3
"""PyTorch reference for the C++ encoder engine: writes tiny seeded models in the Hugging
Face directory format and the outputs the engine must reproduce (to 1e-4).

The math is written from the architecture facts of HF transformers' modeling_bert.py and
modeling_modernbert.py (not imported: transformers is not installed here); it runs in
float64 on weights already rounded to the stored dtype, so the goldens are the exact
answer for the stored file. Run with Debian's torch:

    /usr/bin/python3 src/inference/reference/make_goldens.py src/inference/testdata
"""
import json
import math
import os
import struct
import sys

import numpy as np
import torch

VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + [
    "the", "a", "is", "of", "and", "to", "in", "my", "name", "email", "call", "me", "at",
    "john", "smith", "mary", "jones", "paris", "france", "capital", "what", "how", "do",
    "i", "write", "python", "code", "binary", "search", "tree", "derivative", "x", "photo",
    "##synthesis", "cloud", "computing", "benefits", "ignore", "previous", "instructions",
    "pretend", "you", "are", "dan", "phone", "number", "555", "123", "4567", "@", ".", ",",
    "?", "!", "com", "example", "gmail", "social", "security", "card", "credit", "account",
    "live", "street", "main", "new", "york", "hello", "world", "please", "help", "with",
    "math", "physics", "law", "health", "business", "history", "computer", "science",
    "##s", "##ing", "##ed", "##er", "bank", "address", "2", "3", "5", "+", "^", "=", "-", "(", ")",
]
assert len(VOCAB) == 100, len(VOCAB)


def rounded(t, dtype):
    if dtype == "F32":
        return t.float()
    if dtype == "F16":
        return t.half().float()
    return t.bfloat16().float()


def raw_bytes(t, dtype):
    if dtype == "F32":
        return t.float().numpy().astype("<f4").tobytes()
    if dtype == "F16":
        return t.half().numpy().astype("<f2").tobytes()
    return t.bfloat16().view(torch.int16).numpy().astype("<i2").tobytes()


def write_safetensors(path, tensors, dtype):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        b = raw_bytes(t, dtype)
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    header["__metadata__"] = {"format": "pt"}
    h = json.dumps(header).encode()
    h += b" " * ((8 - (8 + len(h)) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


class Weights:
    def __init__(self, seed, dtype):
        self.g = torch.Generator().manual_seed(seed)
        self.dtype = dtype
        self.stored = {}

    def add(self, name, shape, kind="w"):
        r = torch.randn(*shape, generator=self.g, dtype=torch.float32)
        if kind == "w":
            t = r * 0.2
        elif kind == "ln":
            t = 1.0 + 0.1 * r
        else:
            t = 0.1 * r
        self.stored[name] = t
        return rounded(t, self.dtype).double()


def layer_norm(x, g, b, eps):
    mu = x.mean(-1, keepdim=True)
    var = ((x - mu) ** 2).mean(-1, keepdim=True)
    y = (x - mu) / torch.sqrt(var + eps) * g
    return y + b if b is not None else y


def gelu(x):
    return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))


def attention(q, k, v, heads, window=None, rope=None):
    L, H = q.shape
    d = H // heads
    q = q.view(L, heads, d).transpose(0, 1)
    k = k.view(L, heads, d).transpose(0, 1)
    v = v.view(L, heads, d).transpose(0, 1)
    if rope is not None:
        cos, sin = rope
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
    s = q @ k.transpose(1, 2) / math.sqrt(d)
    if window is not None:
        i = torch.arange(L).view(-1, 1)
        j = torch.arange(L).view(1, -1)
        s = s.masked_fill((i - j).abs() > window, float("-inf"))
    p = torch.softmax(s, dim=-1)
    return (p @ v).transpose(0, 1).reshape(L, H)


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat((-x[..., h:], x[..., :h]), dim=-1)


def rope_tables(L, d, theta):
    inv_freq = 1.0 / (theta ** (torch.arange(0, d, 2, dtype=torch.int64).float() / d))
    freqs = torch.arange(L).float().view(-1, 1) * inv_freq.view(1, -1)
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos().double(), emb.sin().double()


# ---------------------------------------------------------------- BERT
def bert_model(cfg, w, prefix, head):
    H, I, nl = cfg["hidden_size"], cfg["intermediate_size"], cfg["num_hidden_layers"]
    p = prefix
    P = {}
    P["word"] = w.add(p + "embeddings.word_embeddings.weight", (cfg["vocab_size"], H))
    P["pos"] = w.add(p + "embeddings.position_embeddings.weight", (cfg["max_position_embeddings"], H))
    P["type"] = w.add(p + "embeddings.token_type_embeddings.weight", (cfg["type_vocab_size"], H))
    P["eg"] = w.add(p + "embeddings.LayerNorm.weight", (H,), "ln")
    P["eb"] = w.add(p + "embeddings.LayerNorm.bias", (H,), "b")
    P["layers"] = []
    for i in range(nl):
        q = f"{p}encoder.layer.{i}."
        L = {}
        for n in ("query", "key", "value"):
            L[n + "_w"] = w.add(q + f"attention.self.{n}.weight", (H, H))
            L[n + "_b"] = w.add(q + f"attention.self.{n}.bias", (H,), "b")
        L["ao_w"] = w.add(q + "attention.output.dense.weight", (H, H))
        L["ao_b"] = w.add(q + "attention.output.dense.bias", (H,), "b")
        L["ln1_g"] = w.add(q + "attention.output.LayerNorm.weight", (H,), "ln")
        L["ln1_b"] = w.add(q + "attention.output.LayerNorm.bias", (H,), "b")
        L["in_w"] = w.add(q + "intermediate.dense.weight", (I, H))
        L["in_b"] = w.add(q + "intermediate.dense.bias", (I,), "b")
        L["out_w"] = w.add(q + "output.dense.weight", (H, I))
        L["out_b"] = w.add(q + "output.dense.bias", (H,), "b")
        L["ln2_g"] = w.add(q + "output.LayerNorm.weight", (H,), "ln")
        L["ln2_b"] = w.add(q + "output.LayerNorm.bias", (H,), "b")
        P["layers"].append(L)
    P["pool_w"] = w.add(p + "pooler.dense.weight", (H, H))
    P["pool_b"] = w.add(p + "pooler.dense.bias", (H,), "b")
    if head is not None:
        n = len(cfg["id2label"])
        P["cls_w"] = w.add("classifier.weight", (n, H))
        P["cls_b"] = w.add("classifier.bias", (n,), "b")
    return P


def bert_forward(cfg, P, ids):
    eps = cfg["layer_norm_eps"]
    ids = torch.tensor(ids)
    L = len(ids)
    x = P["word"][ids] + P["pos"][torch.arange(L)] + P["type"][0]
    x = layer_norm(x, P["eg"], P["eb"], eps)
    for W in P["layers"]:
        q = x @ W["query_w"].T + W["query_b"]
        k = x @ W["key_w"].T + W["key_b"]
        v = x @ W["value_w"].T + W["value_b"]
        ctx = attention(q, k, v, cfg["num_attention_heads"])
        a = layer_norm(ctx @ W["ao_w"].T + W["ao_b"] + x, W["ln1_g"], W["ln1_b"], eps)
        inter = gelu(a @ W["in_w"].T + W["in_b"])
        x = layer_norm(inter @ W["out_w"].T + W["out_b"] + a, W["ln2_g"], W["ln2_b"], eps)
    return x


def bert_sequence_logits(cfg, P, ids):
    h = bert_forward(cfg, P, ids)
    pooled = torch.tanh(h[0] @ P["pool_w"].T + P["pool_b"])
    return pooled @ P["cls_w"].T + P["cls_b"]


def bert_token_logits(cfg, P, ids):
    return bert_forward(cfg, P, ids) @ P["cls_w"].T + P["cls_b"]


# ---------------------------------------------------------------- ModernBERT
def modernbert_model(cfg, w, head):
    H, I, nl = cfg["hidden_size"], cfg["intermediate_size"], cfg["num_hidden_layers"]
    P = {"tok": w.add("model.embeddings.tok_embeddings.weight", (cfg["vocab_size"], H)),
         "en": w.add("model.embeddings.norm.weight", (H,), "ln"), "layers": []}
    for i in range(nl):
        q = f"model.layers.{i}."
        L = {}
        if i != 0:
            L["an"] = w.add(q + "attn_norm.weight", (H,), "ln")
        L["wqkv"] = w.add(q + "attn.Wqkv.weight", (3 * H, H))
        L["wo"] = w.add(q + "attn.Wo.weight", (H, H))
        L["mn"] = w.add(q + "mlp_norm.weight", (H,), "ln")
        L["wi"] = w.add(q + "mlp.Wi.weight", (2 * I, H))
        L["mwo"] = w.add(q + "mlp.Wo.weight", (H, I))
        P["layers"].append(L)
    P["fn"] = w.add("model.final_norm.weight", (H,), "ln")
    if head is not None:
        n = len(cfg["id2label"])
        P["hd"] = w.add("head.dense.weight", (H, H))
        P["hn"] = w.add("head.norm.weight", (H,), "ln")
        P["cls_w"] = w.add("classifier.weight", (n, H))
        P["cls_b"] = w.add("classifier.bias", (n,), "b")
    return P


def modernbert_forward(cfg, P, ids):
    eps = cfg["norm_eps"]
    H, heads = cfg["hidden_size"], cfg["num_attention_heads"]
    d = H // heads
    ids = torch.tensor(ids)
    L = len(ids)
    x = layer_norm(P["tok"][ids], P["en"], None, eps)
    rope_g = rope_tables(L, d, cfg["global_rope_theta"])
    rope_l = rope_tables(L, d, cfg["local_rope_theta"])
    for i, W in enumerate(P["layers"]):
        glob = i % cfg["global_attn_every_n_layers"] == 0
        a_in = x if i == 0 else layer_norm(x, W["an"], None, eps)
        qkv = a_in @ W["wqkv"].T
        q, k, v = qkv[:, :H], qkv[:, H:2 * H], qkv[:, 2 * H:]
        ctx = attention(q, k, v, heads, None if glob else cfg["local_attention"] // 2,
                        rope_g if glob else rope_l)
        x = x + ctx @ W["wo"].T
        m = layer_norm(x, W["mn"], None, eps) @ W["wi"].T
        inp, gate = m.chunk(2, dim=-1)
        x = x + (gelu(inp) * gate) @ W["mwo"].T
    return layer_norm(x, P["fn"], None, eps)


def modernbert_head(cfg, P, h):
    return layer_norm(gelu(h @ P["hd"].T), P["hn"], None, cfg["norm_eps"])


def modernbert_sequence_logits(cfg, P, ids):
    h = modernbert_forward(cfg, P, ids)
    pooled = h.mean(0) if cfg["classifier_pooling"] == "mean" else h[0]
    return modernbert_head(cfg, P, pooled) @ P["cls_w"].T + P["cls_b"]


def modernbert_token_logits(cfg, P, ids):
    return modernbert_head(cfg, P, modernbert_forward(cfg, P, ids)) @ P["cls_w"].T + P["cls_b"]


# ---------------------------------------------------------------- driver
def bert_config(arch, labels):
    c = {"model_type": "bert", "architectures": [arch], "vocab_size": 100, "hidden_size": 32,
         "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 64,
         "max_position_embeddings": 64, "type_vocab_size": 2, "layer_norm_eps": 1e-12,
         "hidden_act": "gelu", "pad_token_id": 0}
    if labels:
        c["id2label"] = {str(i): l for i, l in enumerate(labels)}
        c["label2id"] = {l: i for i, l in enumerate(labels)}
    return c


def modernbert_config(arch, labels, pooling):
    c = {"model_type": "modernbert", "architectures": [arch], "vocab_size": 100,
         "hidden_size": 32, "num_hidden_layers": 3, "num_attention_heads": 4,
         "intermediate_size": 48, "max_position_embeddings": 64, "norm_eps": 1e-5,
         "norm_bias": False, "hidden_activation": "gelu", "global_attn_every_n_layers": 2,
         "local_attention": 8, "global_rope_theta": 160000.0, "local_rope_theta": 10000.0,
         "attention_bias": False, "mlp_bias": False, "classifier_bias": False,
         "classifier_activation": "gelu", "classifier_pooling": pooling, "pad_token_id": 0,
         "id2label": {str(i): l for i, l in enumerate(labels)},
         "label2id": {l: i for i, l in enumerate(labels)}}
    return c


def sequences(seed):
    g = torch.Generator().manual_seed(seed)
    out = []
    for L in (1, 3, 7, 12, 20, 33):
        body = torch.randint(5, 100, (max(L - 2, 0),), generator=g).tolist()
        out.append(([2] + body + [3])[:L] if L >= 2 else [2])
    return out


def main(outdir):
    DOMAIN = ["math", "computer science", "other"]
    PII = ["O", "B-PERSON", "I-PERSON", "B-EMAIL_ADDRESS", "I-EMAIL_ADDRESS"]
    models = [
        ("bert_seq_f32", "F32", bert_config("BertForSequenceClassification", DOMAIN), "seq", "bert."),
        ("bert_token_f16", "F16", bert_config("BertForTokenClassification", PII), "token", "bert."),
        ("bert_embed_bf16", "BF16", bert_config("BertModel", []), "embed", ""),
        ("modernbert_seq_f32", "F32",
         modernbert_config("ModernBertForSequenceClassification", DOMAIN, "mean"), "seq", None),
        ("modernbert_token_bf16", "BF16",
         modernbert_config("ModernBertForTokenClassification", PII, "cls"), "token", None),
    ]
    for idx, (name, dtype, cfg, kind, prefix) in enumerate(models):
        d = os.path.join(outdir, name)
        os.makedirs(d, exist_ok=True)
        w = Weights(1000 + idx, dtype)
        mb = cfg["model_type"] == "modernbert"
        head = None if kind == "embed" else kind
        P = modernbert_model(cfg, w, head) if mb else bert_model(cfg, w, prefix, head)
        write_safetensors(os.path.join(d, "model.safetensors"), w.stored, dtype)
        with open(os.path.join(d, "config.json"), "w") as f:
            json.dump(cfg, f, indent=2)
        with open(os.path.join(d, "vocab.txt"), "w") as f:
            f.write("\n".join(VOCAB) + "\n")
        seqs = sequences(7 + idx)
        outs = []
        with torch.no_grad():
            for ids in seqs:
                if kind == "seq":
                    o = (modernbert_sequence_logits if mb else bert_sequence_logits)(cfg, P, ids)
                elif kind == "token":
                    o = (modernbert_token_logits if mb else bert_token_logits)(cfg, P, ids)
                else:
                    h = bert_forward(cfg, P, ids).mean(0)
                    o = h / h.norm()
                outs.append(o.reshape(-1).tolist())
        golden = {"kind": kind, "dtype": dtype, "sequences": seqs, "outputs": outs}
        with open(os.path.join(d, "golden.json"), "w") as f:
            json.dump(golden, f)
        print(name, os.path.getsize(os.path.join(d, "model.safetensors")), "bytes")


if __name__ == "__main__":
    torch.set_default_dtype(torch.float64)
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "testdata"))
