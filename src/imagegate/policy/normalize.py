"""Text normalisation for moderation: undo the usual tricks people use to slip words past a filter.

`normalize(text)` gives one canonical string; `views(text)` gives the strings the rule layer
matches against:

* the *native* view keeps every script as it is (Russian terms match Russian text), and
* the *latin* view also folds Cyrillic/Greek look-alikes and leetspeak to Latin letters
  ("ѕех", "$3x" -> "sex").

Both views are NFKC-folded (full-width letters, ligatures), lower-cased, stripped of accents and
zero-width/format characters, with spaced-out letters joined ("k i l l", "k.i.l.l" -> "kill")
and masking punctuation inside words removed ("se.x", "f_ck"). Runs of three or more repeated
letters shrink to two ("kiiiill" -> "kiill"); the rule patterns accept any repeat count, so a
run's exact length does not matter. `1`, `!` and `|` stay in the text because they may stand
for either "i" or "l"; the rule patterns accept both readings (see `term_pattern`).
"""

from __future__ import annotations

import re
import unicodedata

# Zero-width and other invisible characters that split words without showing.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
                                    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\ufeff"))

# Cyrillic and Greek letters that look like Latin ones (lower case; text is case-folded first).
HOMOGLYPHS = {
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d",
    "һ": "h", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ɡ": "g", "ո": "n", "ս": "u",
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ϲ": "c", "ω": "w", "μ": "u",
}

# Unambiguous leetspeak; 1, ! and | are left for the patterns (i or l).
LEET = {"0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "€": "e", "+": "t"}

_LEET_CHARS = re.escape("".join(LEET) + "1!|")
_TOKEN = re.compile(rf"[\w{_LEET_CHARS}]+")
# Three or more single characters separated by one separator each: "k i l l", "k.i.l.l", "k-i-l-l".
_SPACED = re.compile(r"(?<![\w])\w( ?[.\-_*·/~] ?| )(?:\w\1)+\w(?![\w])")
_SEPARATORS = re.compile(r"[ .\-_*·/~]")
# Masking punctuation between letters: "se.x", "f_ck", "nu*de".
_MASK = re.compile(r"(?<=[^\W\d_])[.*_·'’`](?=[^\W\d_])")
_REPEATS = re.compile(r"(\w)\1{2,}")
_SPACE = re.compile(r"\s+")


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", kept)


def _base(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    text = _strip_accents(text.casefold())
    text = _SPACED.sub(lambda m: _SEPARATORS.sub("", m.group(0)), text)
    text = _MASK.sub("", text)
    text = _REPEATS.sub(r"\1\1", text)
    return _SPACE.sub(" ", text).strip()


def _is_latin_letter(c: str) -> bool:
    return "a" <= c <= "z"


def _fold_token(token: str) -> str:
    """Fold look-alikes and leet inside one token that is at least partly letters."""
    if not any(c.isalpha() for c in token):
        return token  # "2024", "5" stay numbers
    letters = [c for c in token if c.isalpha()]
    latinish = sum(1 for c in letters if _is_latin_letter(c) or c in HOMOGLYPHS)
    if latinish < len(letters):
        return token  # a real Cyrillic/Greek/CJK word with letters that have no Latin twin
    return "".join(LEET.get(c, HOMOGLYPHS.get(c, c)) for c in token)


def _latin(text: str) -> str:
    return _TOKEN.sub(lambda m: _fold_token(m.group(0)), text)


def views(text: str) -> tuple[str, ...]:
    """The normalised strings to match against: native script, and Latin-folded when different."""
    base = _base(text)
    latin = _REPEATS.sub(r"\1\1", _latin(base))
    return (base,) if latin == base else (base, latin)


def normalize(text: str) -> str:
    """The Latin-folded canonical form (what a filter should see)."""
    return views(text)[-1]


# Pattern side: which text characters each Latin letter may appear as after normalisation.
_LETTER_CLASS = {"i": "[i1!|]", "l": "[l1!|]", "o": "[o0]", "s": "[s5$]"}
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def fold_term(term: str) -> str:
    """A policy term in the same form as the text views (case, accents, spacing)."""
    term = _MASK.sub("", _strip_accents(unicodedata.normalize("NFKC", term).casefold()))
    return _SPACE.sub(" ", term).strip()


# Term patterns bound every repeat, so that no text can make them backtrack for long: one letter
# of a term takes at most RUN_LIMIT characters of the text (the text's runs of one letter are
# already cut to two; the rest is for mixes like "1!" or "$s"), and the gap between two words of
# a term at most GAP_LIMIT spaces or punctuation marks. A run that nothing after it could use
# is possessive (it never gives characters back).
RUN_LIMIT = 8
GAP_LIMIT = 16
WORD_START = r"(?<![^\W_])"

# A token of a term's regex: (kind, source, chars). "char" matches exactly one character, one of
# `chars` (None: too many to list); "fixed" matches in at most one way (a possessive run, a
# lookaround); "any" may backtrack.
Token = tuple[str, str, frozenset[str] | None]


def _chars(cls: str) -> frozenset[str]:
    return frozenset(cls[1:-1]) if cls in _LETTER_CLASS.values() else frozenset(re.sub(r"\\(.)", r"\1", cls))


def term_tokens(term: str) -> tuple[list[Token], bool]:
    """A policy term as regex tokens (see `term_pattern`), and whether it is a whole word (not CJK).

    A matcher that combines many terms (`rules.Matcher`) shares the tokens that terms have in
    common, so the regex engine passes over a term that cannot match by one character.
    """
    term = fold_term(term)
    prefix = term.endswith("*")
    term = term.rstrip("*")
    word = not _CJK.search(term)
    # Runs of one letter as (class, the characters it matches, fewest); None for a gap between words.
    runs: list[tuple[str, frozenset[str], int] | None] = []
    for i, part in enumerate(re.split(r"[\s\-]+", term)):
        if i:
            runs.append(None)
        for m in re.finditer(r"(.)\1*", part):
            cls = _LETTER_CLASS.get(m.group(1), re.escape(m.group(1)))
            runs.append((cls, _chars(cls), min(len(m.group(0)), 2)))  # the text's runs are cut to two
    tail = r"(?:e?s)?(?![^\W_])" if word and not prefix else ""

    def overlaps(chars: frozenset[str] | None, k: int) -> bool:
        """Whether text that run k took (chars None: a gap) could also start what follows it;
        only then may the engine have to give some of it back."""
        if k + 1 < len(runs):
            after = runs[k + 1]
            if after is None:  # a gap: any character that is not a letter or digit
                return chars is None or any(not c.isalnum() for c in chars)
            return any(not c.isalnum() for c in after[1]) if chars is None else bool(chars & after[1])
        if tail:  # "e", "s", or the check that no letter or digit follows
            return chars is None or bool(chars & {"e", "s"}) or any(not c.isalnum() for c in chars)
        return False  # the end of the term

    tokens: list[Token] = []
    for k, run in enumerate(runs):  # each run as its first character, then the rest of it
        cls, chars, fewest, most = (r"[\W_]", None, 1, GAP_LIMIT) if run is None else (*run, RUN_LIMIT)
        tokens.append(("char", cls, chars))
        if overlaps(chars, k):
            tokens.append(("any", f"{cls}{{{fewest - 1},{most - 1}}}", None))
        else:
            tokens.append(("fixed", f"{cls}{{{fewest - 1},{most - 1}}}+", None))
    if tail:
        tokens.append(("any", tail, None))
    return tokens, word


def term_pattern(term: str) -> str:
    """A regex for one policy term.

    `kill` matches "kill", "kills", "kiiill", "ki11", "k!ll"; `kill*` also matches "killing";
    words are whole words; a space matches a run of up to GAP_LIMIT non-letters; CJK terms match
    anywhere (those scripts have no spaces between words).
    """
    tokens, word = term_tokens(term)
    return (WORD_START if word else "") + "".join(source for _, source, _ in tokens)
