"""Random strings that a regular expression matches: turns the prompt-injection pattern
lists shipped by npm packages into example attack phrases.

Walks the parse tree of Python's regex parser. Unbounded repeats are kept short; `.*`
becomes a few ordinary words and `\\w+` one word, so the output reads like text.
"""

import re

try:  # Python >= 3.11
    import re._parser as sre_parse
    import re._constants as sre_c
except ImportError:  # pragma: no cover
    import sre_parse
    import sre_constants as sre_c

FILLER = ["the", "new", "file", "data", "records", "users", "table", "project", "notes",
          "config", "report", "old", "message", "account", "everything"]
WORDS = ["assistant", "hacker", "expert", "model", "bot", "helper", "agent", "robot",
         "pirate", "admin", "genius", "oracle"]


def js_to_python(pattern):
    """The few JS regex spellings that Python spells differently."""
    pattern = re.sub(r"\(\?<([A-Za-z_]\w*)>", r"(?P<\1>", pattern)
    pattern = re.sub(r"\\u\{([0-9a-fA-F]+)\}", lambda m: "\\U%08x" % int(m.group(1), 16), pattern)
    pattern = pattern.replace("\\/", "/")
    return pattern


def _expand(items, rng, out):
    for op, av in items:
        if op is sre_c.LITERAL:
            out.append(chr(av))
        elif op is sre_c.NOT_LITERAL:
            out.append("x" if av != ord("x") else "y")
        elif op is sre_c.ANY:
            out.append(rng.choice("abcdefghijklmnopqrstuvwxyz"))
        elif op is sre_c.IN:
            out.append(_pick_in(av, rng))
        elif op is sre_c.BRANCH:
            _expand(rng.choice(av[1]), rng, out)
        elif op is sre_c.SUBPATTERN:
            _expand(av[-1], rng, out)
        elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, getattr(sre_c, "POSSESSIVE_REPEAT", None)):
            lo, hi, sub = av
            unbounded = hi == sre_c.MAXREPEAT
            if unbounded and len(sub) == 1 and sub[0][0] is sre_c.ANY:
                if lo == 0 and rng.random() < 0.3:
                    continue
                out.append(" ".join(rng.sample(FILLER, rng.randint(1, 3))))
                continue
            if len(sub) == 1 and sub[0][0] is sre_c.IN and _is_word_class(sub[0][1]) and hi >= 3:
                out.append(rng.choice(WORDS))
                continue
            top = min(hi, lo + (1 if unbounded else 2))
            if _is_space(sub):  # one space, occasionally none where none is allowed
                n = 1 if lo > 0 or rng.random() < 0.85 else 0
            else:
                n = rng.randint(lo, max(lo, top))
            for _ in range(n):
                _expand(sub, rng, out)
        elif op is sre_c.CATEGORY:
            out.append(_category(av, rng))
        elif op in (sre_c.AT, sre_c.ASSERT, sre_c.ASSERT_NOT, sre_c.GROUPREF):
            continue
        else:
            raise ValueError(f"unsupported regex op {op}")


def _is_space(sub):
    return (len(sub) == 1 and (
        (sub[0][0] is sre_c.CATEGORY and sub[0][1] is sre_c.CATEGORY_SPACE)
        or (sub[0][0] is sre_c.IN and any(a is sre_c.CATEGORY and b is sre_c.CATEGORY_SPACE
                                          for a, b in sub[0][1]))
        or (sub[0][0] is sre_c.LITERAL and sub[0][1] == 32)))


def _is_word_class(items):
    return any(op is sre_c.CATEGORY and av is sre_c.CATEGORY_WORD for op, av in items)


def _category(av, rng):
    if av is sre_c.CATEGORY_SPACE:
        return " "
    if av is sre_c.CATEGORY_DIGIT:
        return rng.choice("0123456789")
    if av is sre_c.CATEGORY_WORD:
        return rng.choice("abcdefghijklmnopqrstuvwxyz")
    if av is sre_c.CATEGORY_NOT_SPACE:
        return rng.choice("abcdefghijklmnopqrstuvwxyz")
    return "x"


def _pick_in(items, rng):
    if items and items[0][0] is sre_c.NEGATE:
        return rng.choice("abcdefghijklmnopqrstuvwxyz ")
    choices = []
    for op, av in items:
        if op is sre_c.LITERAL:
            choices.append(chr(av))
        elif op is sre_c.RANGE:
            lo, hi = av
            choices.append(chr(rng.randint(lo, hi)))
        elif op is sre_c.CATEGORY:
            choices.append(_category(av, rng))
    return rng.choice(choices) if choices else "x"


def compile_pattern(pattern):
    """Parse tree of a JS pattern, or None when Python's parser cannot read it."""
    try:
        return sre_parse.parse(js_to_python(pattern), re.IGNORECASE)
    except (re.error, ValueError, OverflowError):
        return None


def sample(tree, rng):
    out = []
    _expand(tree, rng, out)
    return re.sub(r" {2,}", " ", "".join(out)).strip()
