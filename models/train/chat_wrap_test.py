"""Tests of datasets.chat_wrap, the conversational openers and closers around domain training
texts: labels and order never change, the share is honoured, and a wrapped text still holds
the original whole. Pure Python. Run by ctest as `models_chat_wrap_test`."""

import random
import unittest

import datasets as ds

EXAMPLES = [(f"What is term number {i}?", ds.DOMAIN_LABELS[i % len(ds.DOMAIN_LABELS)])
            for i in range(3000)]


class ChatWrapTest(unittest.TestCase):
    def test_share_zero_is_identity(self):
        self.assertEqual(ds.chat_wrap(EXAMPLES, random.Random(1), 0.0), EXAMPLES)

    def test_labels_order_and_text_kept(self):
        out = ds.chat_wrap(EXAMPLES, random.Random(2), 0.7)
        self.assertEqual(len(out), len(EXAMPLES))
        for (text, label), (wrapped, wrapped_label) in zip(EXAMPLES, out):
            self.assertEqual(label, wrapped_label)
            self.assertIn(text, wrapped)
            if wrapped != text:
                rest = wrapped.replace(text, "|", 1).split("|")
                self.assertTrue(rest[0].strip() == "" or rest[0].strip() in ds.CHAT_OPENERS, rest)
                self.assertTrue(rest[1].strip() == "" or rest[1].strip() in ds.CHAT_CLOSERS, rest)

    def test_share_is_honoured_with_all_three_forms(self):
        out = ds.chat_wrap(EXAMPLES, random.Random(3), 0.5)
        wrapped = [(t, w) for (t, _), (w, _) in zip(EXAMPLES, out) if w != t]
        self.assertAlmostEqual(len(wrapped) / len(EXAMPLES), 0.5, delta=0.04)
        opener_only = sum(1 for t, w in wrapped if w.endswith(t))
        closer_only = sum(1 for t, w in wrapped if w.startswith(t))
        both = len(wrapped) - opener_only - closer_only
        for count in (opener_only, closer_only, both):
            self.assertAlmostEqual(count / len(wrapped), 1 / 3, delta=0.05)

    def test_same_seed_same_texts(self):
        self.assertEqual(ds.chat_wrap(EXAMPLES, random.Random(4), 0.7),
                         ds.chat_wrap(EXAMPLES, random.Random(4), 0.7))

    def test_wrappers_name_no_field(self):
        # The wrappers must carry no label: none may name a category.
        for phrase in ds.CHAT_OPENERS + ds.CHAT_CLOSERS:
            for label in ds.DOMAIN_LABELS:
                self.assertNotIn(label, phrase.lower(), phrase)


if __name__ == "__main__":
    unittest.main()
