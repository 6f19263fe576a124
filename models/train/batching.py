"""Length-bucketed batches for training on texts of mixed length.

The training texts run from 5 to 64 tokens (mean 18-28), so batches of random texts padded
to their longest spend 55-67 % of every step on padding. `bucket` takes a pool of
`pool_batches` batches' worth of texts in random order, sorts the pool by length and cuts it
into batches, then shuffles the order of all batches: each batch holds texts of about one
length, and the data order stays random from batch to batch. Pure Python; the caller passes
the permutation source, so the training script can keep its seeded torch generator.
"""

POOL_BATCHES = 50


def bucket(idx, lengths, bs, permutation, pool_batches=POOL_BATCHES):
    """Cuts the index list `idx` (already in random order) into batches of similar length
    (`lengths[i]` is the length of text i) and returns them in the order given by
    `permutation(n)`, a function returning a permutation of range(n). Every index appears
    exactly once; every batch has `bs` entries except the last of the last pool. Ties keep
    their order in `idx` (the sort is stable)."""
    if bs < 1 or pool_batches < 1:
        raise ValueError(f"batch size and pool size must be >= 1 (got {bs}, {pool_batches})")
    out = []
    span = bs * pool_batches
    for i in range(0, len(idx), span):
        pool = sorted(idx[i:i + span], key=lambda j: lengths[j])
        out += [pool[k:k + bs] for k in range(0, len(pool), bs)]
    order = permutation(len(out))
    if sorted(order) != list(range(len(out))):
        raise ValueError("permutation(n) must return a permutation of range(n)")
    return [out[k] for k in order]
