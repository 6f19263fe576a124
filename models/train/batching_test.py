"""Tests of the length-bucketed batching (batching.py) that all training loops use. Pure
Python (no torch), run by ctest as `models_batching_test`."""

import random
import unittest

import batching


def padded_tokens(batch_list, lengths):
    """Tokens the steps compute when every batch is padded to its longest text."""
    return sum(len(b) * max(lengths[i] for i in b) for b in batch_list if b)


def shuffler(seed):
    rng = random.Random(seed)

    def permutation(n):
        p = list(range(n))
        rng.shuffle(p)
        return p

    return permutation


class BucketTest(unittest.TestCase):
    def setUp(self):
        rng = random.Random(7)
        # mostly short texts and a tail of long ones, like the training sets
        self.lengths = [rng.choice([6, 8, 10, 12, 14, 18, 24, 32, 48, 64]) for _ in range(5000)]
        self.idx = shuffler(1)(len(self.lengths))

    def test_every_index_exactly_once(self):
        out = batching.bucket(self.idx, self.lengths, 64, shuffler(2), pool_batches=10)
        flat = [i for b in out for i in b]
        self.assertEqual(sorted(flat), list(range(len(self.lengths))))

    def test_batch_sizes_match_random_batching(self):
        out = batching.bucket(self.idx, self.lengths, 64, shuffler(2), pool_batches=10)
        self.assertEqual(len(out), -(-len(self.lengths) // 64))
        self.assertEqual(sorted(len(b) for b in out).count(64), len(out) - 1)

    def test_each_pool_is_cut_in_length_order(self):
        out = batching.bucket(self.idx, self.lengths, 64, lambda n: list(range(n)),
                              pool_batches=10)
        for p in range(0, len(out), 10):
            pool = [self.lengths[i] for b in out[p:p + 10] for i in b]
            self.assertEqual(pool, sorted(pool))

    def test_cuts_padding_against_random_batches(self):
        random_batches = [self.idx[i:i + 64] for i in range(0, len(self.idx), 64)]
        bucketed = batching.bucket(self.idx, self.lengths, 64, shuffler(2), pool_batches=10)
        real = sum(self.lengths)
        self.assertLess(padded_tokens(bucketed, self.lengths),
                        0.7 * padded_tokens(random_batches, self.lengths))
        self.assertGreaterEqual(padded_tokens(bucketed, self.lengths), real)

    def test_pool_of_one_batch_keeps_random_batch_membership(self):
        out = batching.bucket(self.idx, self.lengths, 64, lambda n: list(range(n)),
                              pool_batches=1)
        self.assertEqual([sorted(b) for b in out],
                         [sorted(self.idx[i:i + 64]) for i in range(0, len(self.idx), 64)])

    def test_batch_order_is_shuffled(self):
        out = batching.bucket(self.idx, self.lengths, 64, shuffler(3), pool_batches=10)
        first = [self.lengths[b[0]] for b in out[:20]]
        self.assertNotEqual(first, sorted(first))

    def test_deterministic_for_a_given_permutation_source(self):
        a = batching.bucket(self.idx, self.lengths, 32, shuffler(5))
        b = batching.bucket(self.idx, self.lengths, 32, shuffler(5))
        self.assertEqual(a, b)

    def test_empty_input(self):
        self.assertEqual(batching.bucket([], [], 8, shuffler(0)), [])

    def test_bad_sizes_are_refused(self):
        with self.assertRaises(ValueError):
            batching.bucket(self.idx, self.lengths, 0, shuffler(0))
        with self.assertRaises(ValueError):
            batching.bucket(self.idx, self.lengths, 8, shuffler(0), pool_batches=0)

    def test_a_non_permutation_is_refused(self):
        with self.assertRaises(ValueError):
            batching.bucket(self.idx, self.lengths, 64, lambda n: [0] * n)


if __name__ == "__main__":
    unittest.main()
