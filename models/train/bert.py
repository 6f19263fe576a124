"""A small BERT encoder in PyTorch whose parameter names are exactly Hugging Face's
(`bert.embeddings.word_embeddings.weight`, `bert.encoder.layer.N.attention.self.query.weight`,
...), plus the writers of the HF model directory: config.json and model.safetensors
(written here byte by byte: 8-byte little-endian header length, JSON header, raw data).
"""

import json
import math
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F


class Config:
    def __init__(self, vocab_size, hidden=128, layers=2, heads=2, intermediate=512,
                 max_pos=512, type_vocab=2, eps=1e-12, dropout=0.1):
        self.vocab_size = vocab_size
        self.hidden = hidden
        self.layers = layers
        self.heads = heads
        self.intermediate = intermediate
        self.max_pos = max_pos
        self.type_vocab = type_vocab
        self.eps = eps
        self.dropout = dropout


class Embeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.word_embeddings = nn.Embedding(c.vocab_size, c.hidden, padding_idx=0)
        self.position_embeddings = nn.Embedding(c.max_pos, c.hidden)
        self.token_type_embeddings = nn.Embedding(c.type_vocab, c.hidden)
        self.LayerNorm = nn.LayerNorm(c.hidden, eps=c.eps)
        self.dropout = nn.Dropout(c.dropout)

    def forward(self, ids):
        pos = torch.arange(ids.shape[1], device=ids.device).unsqueeze(0)
        x = (self.word_embeddings(ids) + self.position_embeddings(pos)
             + self.token_type_embeddings(torch.zeros_like(ids)))
        return self.dropout(self.LayerNorm(x))


class SelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.heads = c.heads
        self.query = nn.Linear(c.hidden, c.hidden)
        self.key = nn.Linear(c.hidden, c.hidden)
        self.value = nn.Linear(c.hidden, c.hidden)
        self.dropout = nn.Dropout(c.dropout)

    def forward(self, x, bias):
        b, t, h = x.shape
        d = h // self.heads

        def split(y):
            return y.view(b, t, self.heads, d).transpose(1, 2)

        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(d) + bias
        p = self.dropout(F.softmax(scores, dim=-1))
        return (p @ v).transpose(1, 2).reshape(b, t, h)


class DenseNorm(nn.Module):
    """HF's BertSelfOutput / BertOutput: dense, dropout, residual, LayerNorm."""

    def __init__(self, c, n_in):
        super().__init__()
        self.dense = nn.Linear(n_in, c.hidden)
        self.LayerNorm = nn.LayerNorm(c.hidden, eps=c.eps)
        self.dropout = nn.Dropout(c.dropout)

    def forward(self, x, residual):
        return self.LayerNorm(self.dropout(self.dense(x)) + residual)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self = SelfAttention(c)
        self.output = DenseNorm(c, c.hidden)

    def forward(self, x, bias):
        return self.output(self.self(x, bias), x)


class Intermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.hidden, c.intermediate)

    def forward(self, x):
        return F.gelu(self.dense(x))


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = Attention(c)
        self.intermediate = Intermediate(c)
        self.output = DenseNorm(c, c.intermediate)

    def forward(self, x, bias):
        a = self.attention(x, bias)
        return self.output(self.intermediate(a), a)


class Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList([Layer(c) for _ in range(c.layers)])

    def forward(self, x, bias):
        for layer in self.layer:
            x = layer(x, bias)
        return x


class CasedWordEmbedding(nn.Module):
    """Word embeddings of a cased vocabulary built on an uncased one (text.cased_extension):
    row i = base[lower_id[i]] + (a shared "capitalised" vector + a per-token residual, for
    the entries that carry upper case). An unseen capitalised name piece thus still says
    "capitalised" from the first step, which a copy of the lower-case row would not.
    `materialize()` folds it into a plain nn.Embedding, so the exported model is a
    standard BERT."""

    def __init__(self, base_weight, lower_id, has_upper):
        super().__init__()
        self.base = nn.Parameter(base_weight.clone())
        self.register_buffer("lower_id", torch.tensor(lower_id, dtype=torch.long))
        self.register_buffer("has_upper", torch.tensor(has_upper, dtype=torch.float32).unsqueeze(1))
        self.cap = nn.Parameter(torch.zeros(base_weight.shape[1]))
        self.residual = nn.Parameter(torch.zeros(len(lower_id), base_weight.shape[1]))

    def weight(self):
        return self.base[self.lower_id] + self.has_upper * (self.cap + self.residual)

    def forward(self, ids):
        return F.embedding(ids, self.weight(), padding_idx=0)

    def materialize(self):
        w = self.weight().detach()
        emb = nn.Embedding(w.shape[0], w.shape[1], padding_idx=0)
        with torch.no_grad():
            emb.weight.copy_(w)
        return emb


class Pooler(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.hidden, c.hidden)

    def forward(self, x):
        return torch.tanh(self.dense(x[:, 0]))


class BertModel(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embeddings = Embeddings(c)
        self.encoder = Encoder(c)
        self.pooler = Pooler(c)

    def forward(self, ids, mask):
        bias = (1.0 - mask[:, None, None, :].float()) * -10000.0
        return self.encoder(self.embeddings(ids), bias)


def init_weights(module, std=0.02):
    for m in module.modules():
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, std=std)
            nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Embedding):
            nn.init.normal_(m.weight, std=std)
        elif isinstance(m, nn.LayerNorm):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)


class _WithHead(nn.Module):
    """An encoder with a dropout + linear classifier head (HF names `bert.*`, `classifier.*`)."""

    def __init__(self, c, num_labels):
        super().__init__()
        self.bert = BertModel(c)
        self.dropout = nn.Dropout(c.dropout)
        self.classifier = nn.Linear(c.hidden, num_labels)
        init_weights(self)


class SequenceClassifier(_WithHead):
    """BertForSequenceClassification: pooled [CLS] -> dropout -> classifier."""

    def forward(self, ids, mask):
        h = self.bert(ids, mask)
        return self.classifier(self.dropout(self.bert.pooler(h)))


class TokenClassifier(_WithHead):
    """BertForTokenClassification: per-token hidden state -> dropout -> classifier."""

    def forward(self, ids, mask):
        return self.classifier(self.dropout(self.bert(ids, mask)))


class MaskedLM(nn.Module):
    """Encoder + a tied-weight MLM head, used only to pre-train the shared backbone."""

    def __init__(self, c):
        super().__init__()
        self.bert = BertModel(c)
        self.transform = nn.Linear(c.hidden, c.hidden)
        self.norm = nn.LayerNorm(c.hidden, eps=c.eps)
        self.out_bias = nn.Parameter(torch.zeros(c.vocab_size))
        init_weights(self)

    def forward(self, ids, mask, positions):
        """Logits at the selected (masked) positions only: [n_selected, vocab]."""
        h = self.bert(ids, mask)[positions]
        h = self.norm(F.gelu(self.transform(h)))
        return h @ self.bert.embeddings.word_embeddings.weight.t() + self.out_bias


def mean_pool(hidden, mask):
    m = mask.unsqueeze(-1).float()
    return (hidden * m).sum(1) / m.sum(1).clamp(min=1.0)


def hf_config(c, architecture, id2label=None):
    cfg = {
        "architectures": [architecture],
        "model_type": "bert",
        "vocab_size": c.vocab_size,
        "hidden_size": c.hidden,
        "num_hidden_layers": c.layers,
        "num_attention_heads": c.heads,
        "intermediate_size": c.intermediate,
        "max_position_embeddings": c.max_pos,
        "type_vocab_size": c.type_vocab,
        "layer_norm_eps": c.eps,
        "hidden_act": "gelu",
        "hidden_dropout_prob": c.dropout,
        "attention_probs_dropout_prob": c.dropout,
        "initializer_range": 0.02,
        "pad_token_id": 0,
        "position_embedding_type": "absolute",
        "torch_dtype": "float16",
    }
    if id2label is not None:
        cfg["id2label"] = {str(i): l for i, l in enumerate(id2label)}
        cfg["label2id"] = {l: i for i, l in enumerate(id2label)}
    return cfg


_DTYPES = {torch.float16: ("F16", "<f2"), torch.float32: ("F32", "<f4")}


def write_safetensors(tensors, path, dtype=torch.float16):
    """tensors: name -> torch tensor. Written in `dtype`, names sorted, 8-byte aligned."""
    header = {}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name].detach().to("cpu", dtype).contiguous()
        data = t.numpy().astype(_DTYPES[dtype][1], copy=False).tobytes()
        header[name] = {"dtype": _DTYPES[dtype][0], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {"format": "pt"}
    hbytes = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hbytes += b" " * ((8 - len(hbytes) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hbytes)))
        f.write(hbytes)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    """The inverse of write_safetensors (F16/F32), for round-trip checks."""
    import numpy as np
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        np_dtype = {"F16": "<f2", "F32": "<f4"}[info["dtype"]]
        b, e = info["data_offsets"]
        arr = np.frombuffer(data[b:e], dtype=np_dtype).reshape(info["shape"])
        out[name] = torch.from_numpy(arr.astype("float32"))
    return out


def export_state(model, prefix_bert=True):
    """HF tensor names of a model's state. Drops buffers (position ids) and MLM-only parts.
    With prefix_bert=False (a bare encoder, as sentence-transformers ships) the `bert.`
    prefix is removed."""
    out = {}
    for name, t in model.state_dict().items():
        if not (name.startswith("bert.") or name.startswith("classifier.")):
            continue
        if not prefix_bert and name.startswith("bert."):
            name = name[len("bert."):]
        out[name] = t
    return out
