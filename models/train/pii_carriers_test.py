"""Tests of the session-5 PII carriers (datasets.pii_context_carriers): the spans must cover
exactly the values, with the pronouns and commas around them outside. Pure Python: a stub
stands in for Faker (which only the training machine installs). Run by ctest as
`models_pii_carriers_test`."""

import random
import unittest

import datasets as ds

VALUES = {"PERSON": ["Ana Ruiz", "Dr. Lee", "Ford"], "EMAIL_ADDRESS": ["a.b@example.com"],
          "PHONE_NUMBER": ["(555) 010-2000", "+1 555 010 3000"],
          "STREET_ADDRESS": ["12 Oak Lane", "9 Elm St, Springfield, IL 62701"],
          "DATE_TIME": ["May 4, 2021"]}


class StubFaker:
    def __init__(self, seed):
        self.rng = random.Random(seed)

    def value(self, kind):
        if kind not in VALUES:
            raise ValueError(kind)
        return self.rng.choice(VALUES[kind])


CONTEXT = ["The river rose after the storm.", "She painted the fence green."]


class PiiCarriersTest(unittest.TestCase):
    def setUp(self):
        self.rows = ds.pii_context_carriers(StubFaker(1), CONTEXT, random.Random(2), 600)

    def test_count(self):
        self.assertEqual(len(self.rows), 600)

    def test_spans_are_exactly_the_values(self):
        for text, spans in self.rows:
            self.assertTrue(spans, text)
            for kind, b, e in spans:
                self.assertIn(text[b:e], VALUES[kind], text)

    def test_spans_do_not_overlap(self):
        for text, spans in self.rows:
            ordered = sorted((b, e) for _, b, e in spans)
            for (_, e1), (b2, _) in zip(ordered, ordered[1:]):
                self.assertLessEqual(e1, b2, text)

    def test_pronouns_and_commas_stay_outside(self):
        pronouns = {p for pair in ds._PRONOUNS for p in pair}
        for text, spans in self.rows:
            for kind, b, e in spans:
                value = text[b:e]
                self.assertFalse(value.startswith((",", " ")) or value.endswith((",", " ")), text)
                if kind != "PERSON":
                    self.assertFalse(set(value.lower().split()) & pronouns, text)

    def test_all_three_constructions_appear(self):
        texts = [t for t, _ in self.rows]
        self.assertTrue(any(", " in t and t.split(", ")[0] in ds.APPOSITION_HEADS for t in texts))
        self.assertTrue(any(f" {p} " in f" {t.lower()} " for t in texts for p in ("she", "he", "they")))
        self.assertTrue(any("(" in t or "<" in t or "[" in t for t in texts))

    def test_deterministic(self):
        again = ds.pii_context_carriers(StubFaker(1), CONTEXT, random.Random(2), 600)
        self.assertEqual(self.rows, again)

    def test_zero_examples(self):
        self.assertEqual(ds.pii_context_carriers(StubFaker(1), CONTEXT, random.Random(2), 0), [])

    def test_no_context_sentences_is_an_error(self):
        with self.assertRaises(ValueError):
            ds.pii_context_carriers(StubFaker(1), [], random.Random(2), 10)


if __name__ == "__main__":
    unittest.main()
