"""BERT-style text processing: the basic tokenizer (clean, lowercase, strip accents, split
punctuation and CJK), WordPiece with greedy longest match, a small WordPiece vocabulary
builder, and the HF tokenizer.json / vocab.txt writers.

The tokenizer tracks character offsets into the original text, so token labels for PII
can be derived from character spans. It follows the rules of HF's BertNormalizer +
BertPreTokenizer + WordPiece, which is what the C++ tokenizer implements.
"""

import collections
import functools
import json
import unicodedata

SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
PAD, UNK, CLS, SEP, MASK = range(5)
MAX_CHARS_PER_WORD = 100


def _is_whitespace(ch):
    if ch in (" ", "\t", "\n", "\r"):
        return True
    return unicodedata.category(ch) == "Zs"


def _is_control(ch):
    if ch in ("\t", "\n", "\r"):
        return False
    return unicodedata.category(ch) in ("Cc", "Cf")


def _is_punctuation(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp):
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
            or 0x2A700 <= cp <= 0x2B73F or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF
            or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


def _normalize_char(ch, lowercase=True):
    """Lowercase (unless cased) and strip accents of one character (may return '' or
    several chars)."""
    out = []
    for c in unicodedata.normalize("NFD", ch.lower() if lowercase else ch):
        if unicodedata.category(c) != "Mn":
            out.append(c)
    return "".join(out)


@functools.lru_cache(maxsize=None)
def _char_role(ch, lowercase):
    """(role, normalised form) of one character for basic_tokenize: "skip" (dropped), "space"
    (ends a word), "split" (a word of its own: punctuation, CJK) or "word". A pure function
    of its arguments, cached: texts repeat few distinct characters, and the per-character
    Unicode lookups were most of the tokenizer's time."""
    cp = ord(ch)
    if cp == 0 or cp == 0xFFFD or _is_control(ch):
        return "skip", ""
    if _is_whitespace(ch):
        return "space", ""
    norm = _normalize_char(ch, lowercase)
    if not norm:
        return "skip", ""
    if _is_cjk(cp) or _is_punctuation(ch):
        return "split", norm
    return "word", norm


def basic_tokenize(text, lowercase=True):
    """Returns [(word, begin_char, end_char)] after BERT normalisation and pre-tokenisation
    (accents are stripped either way, as BertNormalizer does with strip_accents=true)."""
    words = []
    cur = []
    begin = last = 0
    for i, ch in enumerate(text):
        role, norm = _char_role(ch, lowercase)
        if role == "word":
            if not cur:
                begin = i
            cur.append(norm)
            last = i + 1
            continue
        if role == "skip":
            continue
        if cur:
            words.append(("".join(cur), begin, last))
            cur = []
        if role == "split":
            words.append((norm, i, i + 1))
    if cur:
        words.append(("".join(cur), begin, last))
    return words


class WordPiece:
    """Greedy longest-match WordPiece over a fixed vocabulary."""

    def __init__(self, vocab_list, lowercase=True):
        self.vocab = list(vocab_list)
        self.lowercase = lowercase
        self.ids = {t: i for i, t in enumerate(self.vocab)}
        self._cache = {}

    def __len__(self):
        return len(self.vocab)

    def word_pieces(self, word):
        hit = self._cache.get(word)
        if hit is not None:
            return hit
        if len(word) > MAX_CHARS_PER_WORD:
            out = [(UNK, 0, len(word))]
        else:
            out = []
            start = 0
            while start < len(word):
                end = len(word)
                found = None
                while start < end:
                    piece = word[start:end]
                    if start > 0:
                        piece = "##" + piece
                    idx = self.ids.get(piece)
                    if idx is not None:
                        found = idx
                        break
                    end -= 1
                if found is None:
                    out = [(UNK, 0, len(word))]
                    break
                out.append((found, start, end))
                start = end
        if len(self._cache) < 500000:
            self._cache[word] = out
        return out

    def encode(self, text, max_len=128, special=True):
        """Returns (ids, offsets) with [CLS]/[SEP]; offsets are char spans, (0,0) for specials."""
        ids, offs = [], []
        budget = max_len - 2 if special else max_len
        for word, b, e in basic_tokenize(text, self.lowercase):
            pieces = self.word_pieces(word)
            if len(pieces) + len(ids) > budget:
                break
            for idx, pb, pe in pieces:
                ids.append(idx)
                # pieces of a normalised word map back proportionally; exact for ASCII
                if e - b == len(word):
                    offs.append((b + pb, b + pe))
                else:
                    offs.append((b, e))
        if special:
            ids = [CLS] + ids + [SEP]
            offs = [(0, 0)] + offs + [(0, 0)]
        return ids, offs


def build_vocab(texts, size, min_char_freq=3):
    """A WordPiece vocabulary of about `size` entries derived from `texts`: the specials,
    characters (as initial and ## pieces), the most frequent whole words, then the most
    useful prefixes and ## suffix pieces of the remaining words."""
    words = collections.Counter()
    for t in texts:
        for w, _, _ in basic_tokenize(t):
            words[w] += 1
    chars = collections.Counter()
    for w, c in words.items():
        for ch in w:
            chars[ch] += c
    base = [chr(c) for c in range(33, 127) if not chr(c).isupper()]
    char_list = sorted(set(base) | {ch for ch, c in chars.items() if c >= min_char_freq})
    vocab = list(SPECIAL_TOKENS)
    vocab += char_list
    vocab += ["##" + ch for ch in char_list if not _is_punctuation(ch)]
    # digits pairs help numbers (phone numbers, card numbers, years) stay short
    vocab += [f"{a}{b}" for a in "0123456789" for b in "0123456789"]
    vocab += [f"##{a}{b}" for a in "0123456789" for b in "0123456789"]
    seen = set(vocab)
    remaining = size - len(vocab)
    n_words = int(remaining * 0.7)
    ranked = [w for w, c in words.most_common() if len(w) > 1 and w not in seen and c >= 2]
    for w in ranked[:n_words]:
        vocab.append(w)
        seen.add(w)
    # pieces for the rest: score = frequency x (length - 1)
    pieces = collections.Counter()
    for w, c in words.items():
        if w in seen or len(w) < 3 or len(w) > 30:
            continue
        for k in range(2, min(len(w), 9)):
            pieces[w[:k]] += c * (k - 1)
        for k in range(1, len(w) - 1):
            suf = w[k:]
            if len(suf) <= 8:
                pieces["##" + suf] += c * max(len(suf) - 1, 1)
    for p, _ in pieces.most_common():
        if len(vocab) >= size:
            break
        if p not in seen:
            vocab.append(p)
            seen.add(p)
    return vocab


def write_vocab_txt(vocab, path):
    with open(path, "w", encoding="utf-8") as f:
        for t in vocab:
            f.write(t + "\n")


def tokenizer_json(vocab, max_len=512, lowercase=True):
    """The HF tokenizers JSON of a BERT WordPiece tokenizer over `vocab` (uncased, or cased
    with accents still stripped)."""
    added = [{"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": False, "special": True} for i, t in enumerate(SPECIAL_TOKENS)]
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": {"type": "BertNormalizer", "clean_text": True,
                       "handle_chinese_chars": True,
                       "strip_accents": None if lowercase else True, "lowercase": lowercase},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                       {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                     {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 1}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": {
                "[CLS]": {"id": "[CLS]", "ids": [CLS], "tokens": ["[CLS]"]},
                "[SEP]": {"id": "[SEP]", "ids": [SEP], "tokens": ["[SEP]"]},
            },
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": MAX_CHARS_PER_WORD,
                  "vocab": {t: i for i, t in enumerate(vocab)}},
    }


def write_tokenizer_files(vocab, out_dir, max_len=512, lowercase=True):
    write_vocab_txt(vocab, f"{out_dir}/vocab.txt")
    with open(f"{out_dir}/tokenizer.json", "w", encoding="utf-8") as f:
        json.dump(tokenizer_json(vocab, max_len, lowercase), f, ensure_ascii=False)
    with open(f"{out_dir}/tokenizer_config.json", "w", encoding="utf-8") as f:
        json.dump({"tokenizer_class": "BertTokenizer", "do_lower_case": lowercase,
                   "model_max_length": max_len, "unk_token": "[UNK]", "sep_token": "[SEP]",
                   "pad_token": "[PAD]", "cls_token": "[CLS]", "mask_token": "[MASK]"},
                  f, indent=2)


def cased_extension(vocab):
    """A cased vocabulary that extends the uncased `vocab`: every entry keeps its id, and
    capitalised forms of the word-initial alphabetic entries ("Smith" next to "smith"),
    and the upper-case letters as initial and ## pieces, are appended. Returns
    (cased_vocab, lower_id), lower_id[i] being the id of entry i's lower-case form, so a
    cased model can start from the uncased backbone's embeddings."""
    ids = {t: i for i, t in enumerate(vocab)}
    out, lower_id = list(vocab), list(range(len(vocab)))

    def add(token, lower):
        if token not in ids and lower in ids:
            ids[token] = len(out)
            out.append(token)
            lower_id.append(ids[lower])

    for t in vocab:
        if t not in SPECIAL_TOKENS and not t.startswith("##") and t[:1].isalpha() and t[:1].islower():
            add(t[:1].upper() + t[1:], t)
    for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        add(c, c.lower())
        add("##" + c, "##" + c.lower())
    return out, lower_id
