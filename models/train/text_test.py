"""Tests of the training-side tokenizer (text.py): the cased extension of the shared
vocabulary that the PII model uses, and the files it exports. Pure Python (no torch), run
by ctest as `models_text_test`."""

import json
import os
import struct
import unittest

import text as tx

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
UNCASED = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "c", "d", "f", "m", "n", "o",
           "r", "s", "##a", "##c", "##d", "##f", "##m", "##n", "##o", "##r", "##s", "ford",
           "smith", "##ford", "cafe", "3", "##3"]


class CasedExtensionTest(unittest.TestCase):
    def setUp(self):
        self.cased, self.lower_id = tx.cased_extension(UNCASED)
        self.ids = {t: i for i, t in enumerate(self.cased)}

    def test_keeps_every_uncased_id(self):
        self.assertEqual(self.cased[:len(UNCASED)], UNCASED)
        self.assertEqual(self.lower_id[:len(UNCASED)], list(range(len(UNCASED))))

    def test_capitalised_forms_point_at_their_lower_case_entry(self):
        for upper, lower in (("Ford", "ford"), ("Smith", "smith"), ("Cafe", "cafe"),
                             ("F", "f"), ("##M", "##m")):
            self.assertIn(upper, self.ids)
            self.assertEqual(self.lower_id[self.ids[upper]], self.ids[lower], upper)

    def test_no_capitalised_specials_or_suffix_words(self):
        self.assertNotIn("[Pad]", self.cased)
        self.assertNotIn("##Ford", self.cased)
        self.assertEqual(len(self.cased), len(set(self.cased)))

    def test_case_reaches_the_ids(self):
        wp = tx.WordPiece(self.cased, lowercase=False)
        upper, _ = wp.encode("Ford", special=False)
        lower, _ = wp.encode("ford", special=False)
        self.assertNotEqual(upper, lower)
        self.assertEqual(lower, [self.ids["ford"]])
        self.assertEqual(upper, [self.ids["Ford"]])

    def test_all_caps_and_mixed_case_words_are_never_unknown(self):
        wp = tx.WordPiece(self.cased, lowercase=False)
        ids, offs = wp.encode("FORD McDonas", special=False)
        self.assertNotIn(tx.UNK, ids)
        self.assertEqual(offs[0], (0, 1))  # "F", then ## pieces
        self.assertEqual(offs[-1][1], len("FORD McDonas"))

    def test_accents_are_stripped_but_case_kept(self):
        self.assertEqual(tx.basic_tokenize("Café", lowercase=False), [("Cafe", 0, 4)])
        self.assertEqual(tx.basic_tokenize("Café"), [("cafe", 0, 4)])

    def test_empty_vocabulary_gives_empty_extension(self):
        self.assertEqual(tx.cased_extension([]), ([], []))

    def test_tokenizer_files_say_cased(self):
        norm = tx.tokenizer_json(self.cased, lowercase=False)["normalizer"]
        self.assertEqual((norm["lowercase"], norm["strip_accents"]), (False, True))
        norm = tx.tokenizer_json(UNCASED)["normalizer"]
        self.assertEqual((norm["lowercase"], norm["strip_accents"]), (True, None))


class CommittedModelsTest(unittest.TestCase):
    """The committed PII model is the cased extension of the shared vocabulary."""

    def read(self, model, name):
        with open(os.path.join(ROOT, "models", model, name), encoding="utf-8") as f:
            return f.read()

    def test_pii_vocabulary_extends_the_shared_one(self):
        shared = self.read("domain-classifier", "vocab.txt").splitlines()
        pii = self.read("pii-classifier", "vocab.txt").splitlines()
        self.assertEqual(pii, tx.cased_extension(shared)[0])

    def test_pii_tokenizer_is_cased_and_the_others_are_not(self):
        pii = json.loads(self.read("pii-classifier", "tokenizer.json"))["normalizer"]
        self.assertEqual((pii["lowercase"], pii["strip_accents"]), (False, True))
        self.assertFalse(json.loads(self.read("pii-classifier", "tokenizer_config.json"))["do_lower_case"])
        for model in ("domain-classifier", "jailbreak-classifier", "embedding"):
            norm = json.loads(self.read(model, "tokenizer.json"))["normalizer"]
            self.assertTrue(norm["lowercase"], model)

    def test_domain_model_has_its_ngram_head(self):
        config = json.loads(self.read("domain-classifier", "config.json"))
        head = config["ngram_head"]
        self.assertGreater(head["buckets"], 0)
        self.assertTrue(0.0 <= head["weight"] <= 1.0)
        with open(os.path.join(ROOT, "models", "domain-classifier", "ngram_head.safetensors"), "rb") as f:
            header = json.loads(f.read(struct.unpack("<Q", f.read(8))[0]))
        self.assertEqual(header["ngram_head.weight"]["shape"],
                         [config["vocab_size"] + head["buckets"], len(config["id2label"])])
        for model in ("pii-classifier", "jailbreak-classifier", "embedding"):
            self.assertNotIn("ngram_head", json.loads(self.read(model, "config.json")), model)


if __name__ == "__main__":
    unittest.main()
