"""Readers of the real text the training uses, all from Debian packages:

  dict-gcide   /usr/share/dictd/gcide.{index,dict.dz}   definitions with subject tags
  dict-foldoc  /usr/share/dictd/foldoc.{index,dict.dz}  computing definitions
  wordnet-base /usr/share/wordnet/data.*                glosses, topic domains, hypernyms
  fortunes     /usr/share/games/fortunes/*              quotations by theme
  dict-jargon  /usr/share/dictd/jargon.{index,dict.dz}  the hacker Jargon File
  dict-elements /usr/share/dictd/elements.dict.dz       the chemical elements, described
  bsdgames     /usr/share/games/bsdgames/quiz/*         quiz tables (presidents, sovereigns,
                                                        elements, UCC sections, ...)

Every reader returns plain records; labelling for each task happens in datasets.py.
"""

import collections
import gzip
import os
import re

DICTD = "/usr/share/dictd"
WORDNET = "/usr/share/wordnet"
FORTUNES = "/usr/share/games/fortunes"


def require(path, package):
    if not os.path.exists(path):
        raise SystemExit(f"missing {path}: install the Debian package {package} "
                         f"(scripts/install-deps.sh --models)")


def _squash(s):
    return re.sub(r"\s+", " ", s).strip()


def _read_dictd(name, package):
    path = f"{DICTD}/{name}.dict.dz"
    require(path, package)
    with gzip.open(path, "rt", encoding="utf-8", errors="replace") as f:
        return f.read()


# ---------------------------------------------------------------- GCIDE

_GCIDE_HEAD = re.compile(r"^([A-Za-z][A-Za-z' -]*?) \\")
_GCIDE_TAG = re.compile(r"\(([A-Z][A-Za-z]*\.?(?: [A-Z][A-Za-z]*\.?)?)\)")


def _clean_gcide(s):
    s = re.sub(r"\\[^\\]*\\", " ", s)          # pronunciations \A*ban"don\
    s = re.sub(r"\[[^\]]*\]", " ", s)           # etymologies, sources, accents [=e]
    s = re.sub(r"--\s*[A-Z][\w'. ]{0,40}\.", " ", s)  # --Author. citations
    s = s.replace("{", "").replace("}", "").replace("|", " ")
    s = re.sub(r"\bSyn(onyms)?:.*", " ", s)
    s = re.sub(r"^\s*\d+\.\s*", " ", s)
    return _squash(s)


def gcide_tagged():
    """[(headword, tag, definition)] for every definition carrying a subject tag."""
    text = _read_dictd("gcide", "dict-gcide")
    out = []
    head = None
    for block in re.split(r"\n\s*\n", text):
        m = _GCIDE_HEAD.match(block)
        if m:
            head = m.group(1).strip()
        if head is None:
            continue
        tm = _GCIDE_TAG.search(block)
        if not tm:
            continue
        body = block[tm.end():]
        body = re.split(r"\n\s*\[(?:1913 Webster|Webster|PJC|WordNet|Century)", body)[0]
        body = _clean_gcide(body)
        if len(body.split()) >= 4:
            out.append((head, tm.group(1).rstrip("."), body))
    return out


# ---------------------------------------------------------------- FOLDOC

def foldoc_entries(name="foldoc", package="dict-foldoc"):
    """[(headword, first paragraph of the definition)]; also reads the Jargon File, which
    has the same shape (headword, indented paragraphs)."""
    text = _read_dictd(name, package)
    out = []
    for entry in re.split(r"\n(?=\S)", text):
        lines = entry.split("\n")
        head = lines[0].strip()
        if not head or head.startswith("00-"):
            continue
        paras = re.split(r"\n\s*\n", "\n".join(lines[1:]))
        for p in paras:
            p = _squash(p)
            if len(p.split()) < 6 or re.fullmatch(r"\(\d{4}-\d\d-\d\d\)", p):
                continue
            p = re.sub(r"^\[[^\]]*\]\s*", "", p)  # Jargon: [origin] before the text
            p = re.sub(r"^\d+\.\s+", "", p)
            p = re.sub(r"<[^>]*>", " ", p)
            p = re.sub(r"\{([^}]*)\}", r"\1", p)
            p = re.sub(r"\(?(https?|ftp)://\S+", " ", p)
            p = _squash(p)
            if len(p.split()) >= 6:
                out.append((head, p))
            break
    return out


# ---------------------------------------------------------------- WordNet

class WordNet:
    """Synsets with words, pointers, lexicographer file, definition and examples."""

    LEXNAMES = ["adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal",
                "noun.artifact", "noun.attribute", "noun.body", "noun.cognition",
                "noun.communication", "noun.event", "noun.feeling", "noun.food", "noun.group",
                "noun.location", "noun.motive", "noun.object", "noun.person",
                "noun.phenomenon", "noun.plant", "noun.possession", "noun.process",
                "noun.quantity", "noun.relation", "noun.shape", "noun.state",
                "noun.substance", "noun.time", "verb.body", "verb.change", "verb.cognition",
                "verb.communication", "verb.competition", "verb.consumption", "verb.contact",
                "verb.creation", "verb.emotion", "verb.motion", "verb.perception",
                "verb.possession", "verb.social", "verb.stative", "verb.weather", "adj.ppl"]

    def __init__(self):
        require(f"{WORDNET}/data.noun", "wordnet-base")
        self.syn = {}
        self.index = collections.defaultdict(list)  # (lemma, pos) -> [key] in sense order
        for pos, name in (("n", "noun"), ("v", "verb"), ("a", "adj"), ("r", "adv")):
            with open(f"{WORDNET}/data.{name}", encoding="latin-1") as f:
                for line in f:
                    if line.startswith("  "):
                        continue
                    head, _, gloss = line.partition(" | ")
                    t = head.split()
                    off, lex = t[0], int(t[1])
                    wc = int(t[3], 16)
                    words = [t[4 + 2 * i].replace("_", " ") for i in range(wc)]
                    i = 4 + 2 * wc
                    pc = int(t[i])
                    i += 1
                    ptrs = []
                    for _ in range(pc):
                        tpos = t[i + 2]
                        ptrs.append((t[i], (t[i + 1], "a" if tpos == "s" else tpos)))
                        i += 4
                    parts = gloss.strip().split("; \"")
                    definition = parts[0].strip()
                    examples = [p.strip().strip('"').strip() for p in parts[1:]]
                    self.syn[(off, pos)] = {"words": words, "ptrs": ptrs,
                                            "lex": self.LEXNAMES[lex] if lex < len(self.LEXNAMES) else "",
                                            "def": definition, "ex": examples}
            with open(f"{WORDNET}/index.{name}", encoding="latin-1") as f:
                for line in f:
                    if line.startswith("  "):
                        continue
                    t = line.split()
                    lemma = t[0].replace("_", " ")
                    p_cnt = int(t[3])
                    offs = t[6 + p_cnt:]
                    self.index[(lemma, pos)] = [(o, pos) for o in offs]

    def senses(self, lemma, pos="n"):
        return self.index.get((lemma, pos), [])

    def sense(self, lemma, n=1, pos="n"):
        s = self.senses(lemma, pos)
        return s[n - 1] if len(s) >= n else None

    def hyponyms(self, key, instances=True, max_depth=12):
        """All synsets below `key` (hyponyms and, optionally, instances)."""
        syms = {"~", "~i"} if instances else {"~"}
        out, frontier, depth = set(), [key], 0
        while frontier and depth < max_depth:
            nxt = []
            for k in frontier:
                for sym, tgt in self.syn[k]["ptrs"]:
                    if sym in syms and tgt not in out and tgt in self.syn:
                        out.add(tgt)
                        nxt.append(tgt)
            frontier, depth = nxt, depth + 1
        return out

    def topic_members(self, topic_key):
        """Synsets whose topic domain (';c') is `topic_key`, and the topics below it."""
        if not hasattr(self, "_members"):
            self._members = collections.defaultdict(set)
            for k, s in self.syn.items():
                for sym, tgt in s["ptrs"]:
                    if sym == ";c":
                        self._members[tgt].add(k)
        topics = {topic_key} | self.hyponyms(topic_key, instances=False, max_depth=3)
        out = set()
        for t in topics:
            out |= self._members.get(t, set())
        return out


# ---------------------------------------------------------------- fortunes

def fortunes(files):
    """[(file, text)] of the fortune cookies in the given files (offensive ones excluded)."""
    out = []
    for name in files:
        path = f"{FORTUNES}/{name}"
        require(path, "fortunes")
        with open(path, encoding="utf-8", errors="replace") as f:
            for cookie in f.read().split("\n%\n"):
                text = _squash(re.sub(r"^\s*--.*$", "", cookie, flags=re.M))
                if 5 <= len(text.split()) <= 60:
                    out.append((name, text))
    return out


# ---------------------------------------------------------------- dict-elements

def elements():
    """[(name, symbol, description)] of the chemical elements."""
    text = _read_dictd("elements", "dict-elements")
    out = []
    for block in re.split(r"\n\s*\n", text):
        m = re.match(r"\s*([a-z]+)\s*\nSymbol: (\w+)\n(?:.*\n)*?Atomic weight: \S+\n(.*)", block, re.S)
        if m and len(m.group(3).split()) >= 5:
            out.append((m.group(1), m.group(2), _squash(m.group(3))))
    return out


# ---------------------------------------------------------------- bsdgames quiz tables

QUIZ = "/usr/share/games/bsdgames/quiz"


def _quiz_full(s, top=True):
    """The full form of a quiz field: {optional} parts kept, the first of [a|b] and a|b."""
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c in "{[":
            depth, j = 1, i + 1
            while depth:
                depth += {"{": 1, "[": 1, "}": -1, "]": -1}.get(s[j], 0)
                j += 1
            inner = s[i + 1:j - 1]
            out.append(_quiz_full(_first_alt(inner) if c == "[" else inner, False))
            i = j
        elif c == "|":
            break  # top-level alternatives: keep the first
        else:
            out.append(c)
            i += 1
    s = "".join(out)
    return re.sub(r"\s+", " ", s).strip() if top else s


def _first_alt(s):
    depth = 0
    for i, c in enumerate(s):
        depth += {"{": 1, "[": 1, "}": -1, "]": -1}.get(c, 0)
        if c == "|" and depth == 0:
            return s[:i]
    return s


def quiz(name):
    """Rows of a bsdgames quiz table, each a list of fields in their full form."""
    path = f"{QUIZ}/{name}"
    require(path, "bsdgames")
    with open(path, encoding="latin-1") as f:
        text = f.read().replace("\\\n", "")
    rows = []
    for line in text.splitlines():
        if line.strip():
            rows.append([_quiz_full(x) for x in re.split(r"(?<!\\):", line)])
    return rows


def plural_forms():
    """{singular: plural} of WordNet's irregular nouns (noun.exc), e.g. mitochondrion."""
    out = {}
    with open(f"{WORDNET}/noun.exc", encoding="latin-1") as f:
        for line in f:
            t = line.split()
            if len(t) >= 2:
                out.setdefault(t[1].replace("_", " "), t[0].replace("_", " "))
    return out
