"""The n-gram head of a sequence classifier: a linear model over WordPiece ids and hashed
pairs of neighbouring ids, whose probabilities the router averages with the encoder's.

The feature rule and the file format are the C++ reader's (src/classification/ngram_head.h):
row `id` for every non-special id, row vocab_size + (a * 1000003 + b) % buckets for every
neighbouring pair (a, b); logits = mean of the rows; p = (1 - w) p_encoder + w softmax(logits).
"""

import torch
import torch.nn.functional as F

PAIR_MULTIPLIER = 1000003


def features(ids, vocab_size, buckets):
    """Row indices of one text's ids (specials already removed)."""
    return list(ids) + [vocab_size + (a * PAIR_MULTIPLIER + b) % buckets for a, b in zip(ids, ids[1:])]


class NgramHead(torch.nn.Module):
    def __init__(self, vocab_size, buckets, num_labels):
        super().__init__()
        self.vocab_size, self.buckets = vocab_size, buckets
        self.rows = torch.nn.EmbeddingBag(vocab_size + buckets, num_labels, mode="mean")
        torch.nn.init.zeros_(self.rows.weight)

    def forward(self, flat, offsets):
        return self.rows(flat, offsets)


def _pack(feature_lists):
    offsets = torch.tensor([0] + [len(f) for f in feature_lists[:-1]]).cumsum(0)
    return torch.tensor([x for f in feature_lists for x in f], dtype=torch.long), offsets


def train(id_lists, labels, vocab_size, num_labels, buckets, epochs, gen, log, lr=0.02, bs=64,
          label_smoothing=0.1):
    """Adam on mini-batches in an order drawn from `gen`; texts without ids are skipped."""
    head = NgramHead(vocab_size, buckets, num_labels)
    data = [(features(ids, vocab_size, buckets), y) for ids, y in zip(id_lists, labels) if ids]
    opt = torch.optim.Adam(head.parameters(), lr=lr)
    for epoch in range(epochs):
        order = torch.randperm(len(data), generator=gen).tolist()
        total = 0.0
        for i in range(0, len(order), bs):
            batch = [data[j] for j in order[i:i + bs]]
            flat, offsets = _pack([f for f, _ in batch])
            loss = F.cross_entropy(head(flat, offsets), torch.tensor([y for _, y in batch]),
                                   label_smoothing=label_smoothing)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(batch)
        log(f"ngram head epoch {epoch + 1}/{epochs}: loss {total / len(data):.4f}")
    with torch.no_grad():  # what the exported fp16 file holds
        head.rows.weight.copy_(head.rows.weight.half().float())
    return head


@torch.no_grad()
def mix(head, id_lists, encoder_probs, weight):
    """The router's final probabilities; texts without ids keep the encoder's."""
    out = encoder_probs.clone()
    keep = [i for i, ids in enumerate(id_lists) if ids]
    if keep:
        flat, offsets = _pack([features(id_lists[i], head.vocab_size, head.buckets) for i in keep])
        p = torch.softmax(head(flat, offsets), -1)
        out[keep] = (1 - weight) * encoder_probs[keep] + weight * p
    return out


def config_entry(head, weight):
    return {"buckets": head.buckets, "weight": weight}


def state(head):
    return {"ngram_head.weight": head.rows.weight.detach()}
