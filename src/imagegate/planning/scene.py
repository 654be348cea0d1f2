"""Scene structure for the rule planner: surfaces, counts, relations, materials, time of day,
weather, light effects and what each quoted text is written on, read from word tables
(`planning.words`), and a gloss of prompts in other languages into English words.

Everything here works on the masked prompt (quoted text replaced by ⟦i⟧ tokens), one sentence
at a time, with the subject mentions `planner._find_subjects` found in it.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from typing import Any

from imagegate.plan import COLORS

from imagegate.planning.extra_words import PORTION_WORDS
from imagegate.planning.words import (
    CARRIER_NOUNS,
    EFFECT_RULES,
    ENGLISH_WORDS,
    GENERIC_SURFACE_ON_ONLY,
    GENERIC_SURFACES,
    GLOSS_ORDER,
    GLOSSES,
    GLOSS_ENGLISH,
    LATIN_HINTS,
    MATERIALS,
    NOT_SUBJECT,
    PLACE_SETTINGS,
    PREP_SETTINGS,
    NOUN_KINDS,
    RELATION_RULES,
    SURFACE_CARRIERS,
    SURFACE_NOUNS,
    SURFACE_ON_ONLY,
    TIME_RULES,
    WEATHER_RULES,
    GLOSS_ORDER_GENERAL,
    counter_rules,
    gloss_rules,
)

# ---------------------------------------------------------------- other languages


def _gloss_table(lang: str, rules) -> tuple[re.Pattern[str], tuple[str, ...]]:
    cjk = lang in ("ja", "zh")
    if cjk:  # only where a pattern's first character is (when every pattern starts with a plain character)
        firsts = {p[0] for p, _ in rules}
        lead = "(?=[" + "".join(re.escape(c) for c in sorted(firsts)) + "])" if all(c not in "\\([.?*+^$|" for c in firsts) else ""
        return re.compile(lead + "(?:" + "|".join(f"({p})" for p, _ in rules) + ")", re.I), tuple(english for _, english in rules)
    # one word boundary before the alternatives: a position inside a word fails once, not once per rule
    parts = [rf"((?:{p})(?!\w))" for p, _ in rules]
    return re.compile(r"\b(?:" + "|".join(parts) + ")", re.I), tuple(english for _, english in rules)


def _phrases_first(lang: str, rules) -> tuple[tuple[str, str], ...]:
    """The gloss rules in the order they are tried: phrases of several words before single words
    ("de piedra" before "de"), otherwise as listed."""
    every = (*rules, *counter_rules(lang), *gloss_rules(lang))
    if lang in ("ja", "zh"):
        return every
    phrase = [r for r in every if " " in r[0] or r"\s" in r[0]]
    return (*phrase, *(r for r in every if not (" " in r[0] or r"\s" in r[0])))


@functools.cache
def _gloss_pattern(lang: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """One pattern of all a language's rules, compiled on its first prompt (every language's, compiled
    at import, took about 2 s of the server's start-up): how Japanese and Chinese are read, and what
    the other languages' buckets must read like."""
    return _gloss_table(lang, _phrases_first(lang, GLOSSES[lang]))


_GLOSS_ORDER = {
    lang: tuple((marker, re.compile(p), r) for marker, p, r in (*GLOSS_ORDER_GENERAL.get(lang, ()), *GLOSS_ORDER.get(lang, ())))
    for lang in GLOSSES
}
_CLAUSES = re.compile("([、。,，!?！？;；\n])")
_CLAUSE_CHARS = 300  # longer clauses keep their word order
_KANA = re.compile("[\u3040-\u30ff]")
_HAN = re.compile("[\u4e00-\u9fff]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_LATIN_LETTERS = (("es", re.compile("[ñ¿¡]", re.I)), ("pt", re.compile("[ãõ]", re.I)), ("de", re.compile("[ßäöü]", re.I)),
                  ("fr", re.compile("[œëîûÿ]|\\b(?:d|l|qu)['’]", re.I)))
_LATIN_WORD = re.compile(r"[a-zà-öø-ÿ]+", re.I)


def prompt_language(masked: str) -> str:
    """'en' or the language whose gloss table should read the prompt (ja, zh, ru, es, fr, de, it, pt)."""
    if _KANA.search(masked):
        return "ja"
    if _HAN.search(masked):
        return "zh"
    if _CYRILLIC.search(masked):
        return "ru"
    words = [w.lower() for w in _LATIN_WORD.findall(masked[:2000])]
    if not words:
        return "en"
    english = sum(w in ENGLISH_WORDS for w in words)
    scores = {lang: sum(w in hints for w in words) for lang, hints in LATIN_HINTS.items()}
    for lang, letters in _LATIN_LETTERS:  # letters only one of the languages writes
        if letters.search(masked, 0, 2000):
            scores[lang] += 2
    best = max(scores, key=scores.get)  # type: ignore[arg-type]
    if english * 5 >= len(words) and not (scores[best] >= 3 and scores[best] > english):
        return "en"  # "Ein Fahrrad lehnt an einer Mauer in einem Dorf" has "an" and "in", but more German
    return best if scores[best] > english else "en"


def gloss(masked: str) -> tuple[str, str]:
    """(English-word version of the masked prompt, its language); English prompts come back as they are."""
    lang = prompt_language(masked)
    if lang == "en":
        return masked, lang
    text = masked
    rules = _GLOSS_ORDER.get(lang)
    if rules:  # clause by clause, and only where a rule's marker is: the patterns read a clause from each start
        clauses = _CLAUSES.split(text)
        for i, clause in enumerate(clauses):
            if len(clause) <= _CLAUSE_CHARS:
                for marker, pattern, replacement in rules:
                    if marker in clause:
                        clause = pattern.sub(replacement, clause)
                clauses[i] = clause
        text = "".join(clauses)
    if lang not in _ONE_PATTERN:
        text = _bucketed_sub(lang, text)
    elif _char_rules(lang) is not None:
        text = _by_char_sub(lang, text)
    else:
        pattern, values = _gloss_pattern(lang)

        def english(m: re.Match) -> str:
            return values[m.lastindex - 1] if m.lastindex else m.group(0)

        text = pattern.sub(english, text)
    return " ".join(text.split()), lang


# Japanese and Chinese: any character can start a rule, and the one pattern of all rules, tried
# at every character, took seconds on a long prompt of common characters (8,000 characters of
# "猫が机の上に": 2.3 s). So the rules are split by the character they start with, and each
# position tries only its character's rules, in table order: the same reading, in milliseconds.


@functools.cache
def _char_rules(lang: str) -> tuple[tuple[tuple[str, str], ...], dict[str, list[int]]] | None:
    """The rules and, per (lower-case) first character, the indices of those that start with it;
    None when some rule can start with something other than a plain character."""
    rules = _phrases_first(lang, GLOSSES[lang])
    by_char: dict[str, list[int]] = {}
    for i, (p, _) in enumerate(rules):
        for branch in _branches(p):
            if not branch or branch[0] in "\\()[].?*+^$|{}" or branch[1:2] in ("?", "*", "{", "+"):
                return None  # a class, a group, an escape or an optional first character
            key = branch[0].lower()
            if not by_char.get(key) or by_char[key][-1] != i:
                by_char.setdefault(key, []).append(i)
    return rules, by_char


_char_cache: dict[tuple[str, str], tuple[re.Pattern[str], tuple[str, ...]] | None] = {}


def _char_bucket(lang: str, char: str) -> tuple[re.Pattern[str], tuple[str, ...]] | None:
    key = (lang, char)
    if key not in _char_cache:
        rules, by_char = _char_rules(lang)
        _char_cache[key] = _rules_pattern(rules, by_char.get(char, ()), word_end=False)
    return _char_cache[key]


def _rules_pattern(rules, chosen, word_end: bool) -> tuple[re.Pattern[str], tuple[str, ...]] | None:
    """One pattern of the `chosen` rules, in order, and their English words (None for no rules);
    `word_end`: a rule must end at a word's end."""
    if not chosen:
        return None
    parts = (rf"((?:{rules[i][0]})(?!\w))" if word_end else f"({rules[i][0]})" for i in chosen)
    return re.compile("|".join(parts), re.I), tuple(rules[i][1] for i in chosen)


def _by_char_sub(lang: str, text: str) -> str:
    out: list[str] = []
    last = i = 0
    n = len(text)
    while i < n:
        found = _char_bucket(lang, text[i].lower())
        if found is not None:
            pattern, values = found
            hit = pattern.match(text, i)
            if hit and hit.end() > i:
                out += [text[last:i], values[hit.lastindex - 1]]
                last = i = hit.end()
                continue
        i += 1
    out.append(text[last:])
    return "".join(out)


# Latin and Cyrillic scripts: every rule starts at a word, so the rules are split by the first
# letter they can start with, and each word start tries only its letter's rules (in table order),
# which reads the same as the one pattern of all rules, several times faster.
_WORD_START = re.compile(r"\b\w")


def _branches(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern ("el|la|los" -> el, la, los)."""
    out, depth, start, i = [], 0, 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            close = pattern.find("]", i + 2)
            i = (close if close > 0 else len(pattern)) + 1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    return [*out, pattern[start:]]


def _first_letters(pattern: str) -> set[str] | None:
    """The lower-case letters a rule's pattern can start with, or None when it can start otherwise."""
    letters = set()
    for branch in _branches(pattern):
        if not branch or not branch[0].isalnum() or (len(branch) > 1 and branch[1] in "?*{"):
            return None
        letters.add(branch[0].lower())
    return letters


def _buckets(rules) -> tuple[dict[str, list[int]], list[int]]:
    by_letter: dict[str, list[int]] = {}
    anywhere: list[int] = []
    for i, (p, _) in enumerate(rules):
        letters = _first_letters(p)
        if letters is None:
            anywhere.append(i)
        else:
            for letter in letters:
                by_letter.setdefault(letter, []).append(i)
    return by_letter, anywhere


_ONE_PATTERN = ("ja", "zh")  # no word starts to bucket by


@functools.cache
def _lang_buckets(lang: str) -> tuple[tuple[tuple[str, str], ...], dict[str, list[int]], list[int]]:
    """A Latin or Cyrillic language's rules and their buckets, made on its first prompt."""
    rules = _phrases_first(lang, GLOSSES[lang])
    return (rules, *_buckets(rules))


_bucket_cache: dict[tuple[str, str], tuple[re.Pattern[str], tuple[str, ...]] | None] = {}


def _bucket(lang: str, letter: str) -> tuple[re.Pattern[str], tuple[str, ...]] | None:
    key = (lang, letter)
    if key not in _bucket_cache:
        rules, by_letter, anywhere = _lang_buckets(lang)
        _bucket_cache[key] = _rules_pattern(rules, sorted({*by_letter.get(letter, ()), *anywhere}), word_end=True)
    return _bucket_cache[key]


def _bucketed_sub(lang: str, text: str) -> str:
    out: list[str] = []
    last = 0
    for m in _WORD_START.finditer(text):
        if m.start() < last:
            continue
        found = _bucket(lang, m.group().lower())
        if found is None:
            continue
        pattern, values = found
        hit = pattern.match(text, m.start())
        if hit:
            out += [text[last : hit.start()], values[hit.lastindex - 1]]
            last = hit.end()
    out.append(text[last:])
    return "".join(out)


# ---------------------------------------------------------------- surfaces

SURFACE_NOUNS = SURFACE_NOUNS + GENERIC_SURFACES
SURFACE_ON_ONLY = SURFACE_ON_ONLY | GENERIC_SURFACE_ON_ONLY

_WORD = 40
_SURFACE = re.compile(
    rf"\b((?:[\w'-]{{1,{_WORD}}} ){{0,2}})(" + "|".join(f"(?:{p})" for p, _ in SURFACE_NOUNS) + r")\b", re.I
)
_SURFACE_KINDS = tuple((re.compile(rf"(?:{p})\Z", re.I), kind) for p, kind in SURFACE_NOUNS)
_SURFACE_STOP = frozenset(
    "a an the of for with on in at and or to by from into onto some its their his her this that is are be"
    " top long empty narrow sunny sunlit snowy wet rustic checkered big small old".split()
) | frozenset("against beside behind under over above below beneath near inside outside atop upon across along around"
              " between through toward towards within without past by".split())
_BEFORE_ON = re.compile(r"\b(?:on|onto|upon|across|over)(?: (?:a|an|the|some|its|their))?(?: [\w'-]+){0,2} \Z", re.I)


class Mention:
    """A subject or surface in a sentence: where its phrase and its noun are."""

    __slots__ = ("kind", "key", "name", "start", "end", "phrase", "surface", "attached", "place")

    def __init__(self, kind: str, key: Any, name: str, start: int, end: int, phrase: int, surface: bool) -> None:
        self.kind, self.key, self.name, self.start, self.end, self.phrase = kind, key, name, start, end, phrase
        self.surface = surface
        self.place = False  # a place noun ("city", "field"): an anchor only, not a surface of the plan
        self.attached: str | bool = False  # follows "with" or "of": an attachment of the thing before it


def find_surfaces(sentence: str) -> list[dict[str, Any]]:
    """Surface mentions in a sentence: {kind, name, material, start, end, phrase}."""
    out = []
    for m in _SURFACE.finditer(sentence):
        noun = m.group(2)
        kind = next(k for p, k in _SURFACE_KINDS if p.match(noun))
        if kind in SURFACE_ON_ONLY and not _BEFORE_ON.search(sentence, 0, m.start(2)):
            continue
        if kind in _FURNITURE and _BEFORE_UNDER.search(sentence, max(0, m.start(2) - 60), m.start(2)):
            continue  # "a cat under the table": the table is a thing beside it, not what it stands on
        if kind == "fabric" and _OF_FABRIC.search(sentence, max(0, m.start(2) - 12), m.start(2)):
            continue  # "a cushion of velvet" (glossed "un cojín de terciopelo"): the cushion's material, not a cloth
        if kind in PIECES and _NAMED_THING.search(sentence, max(0, m.start(2) - 60), m.start(2)):
            continue  # "a desk, a chair and a fern", "lights above the tables": furniture named as a thing
        if _NEXT_NOUN.match(sentence, m.end(2)) or _noun_after_surface(sentence, m.end(2)):
            continue  # "street lamp", "table lamp", "porch step": a modifier of the next noun
        # the words before the noun, read from the text (a skipped modifier like "linen" in "linen cloth" is one of them)
        prefix = _PREFIX.search(sentence, max(0, m.start(2) - 2 * _WORD - 2), m.start(2)).group(1).split()
        cut = max((i for i, w in enumerate(prefix) if w.lower() in _SURFACE_STOP), default=-1)
        words = [_PANELLED.sub("", w).lower() for w in prefix[cut + 1 :]]  # "pine-panelled wall": a pine wall
        phrase = m.start(2) - (len(" ".join(prefix[cut + 1 :])) + 1 if words else 0)
        material = next((MATERIALS[w] for w in words if w in MATERIALS), None)
        after = _OF_MATERIAL.match(sentence, m.end(2))
        if after and material is None:
            material = MATERIALS[after.group(1).lower()]
            words.insert(0, after.group(1).lower())
        if kind == "fabric":
            material, kind = noun.lower(), noun.lower()
        noun_word = kind if kind in ("windowsill", "counter", "table", "rug", "sidewalk", "crossroads", "seabed") else noun.lower()
        out.append({"kind": kind, "name": " ".join([*words, noun_word]), "material": material,
                    "start": m.start(2), "end": m.end(2), "phrase": max(phrase, m.start(1))})
    return out


_FURNITURE = frozenset("table desk bench bed workbench".split())  # (under a shelf, things hang from it)
_BEFORE_UNDER = re.compile(r"\b(?:under|underneath|beneath|below)(?: (?:a|an|the|some|its|their|his|her))?(?: [\w'-]{1,30}){0,2} \Z", re.I)
_OF_FABRIC = re.compile(r"\b(?:of|in)\s+\Z", re.I)
PIECES = frozenset({"table", "desk", "bench", "sofa", "workbench", "dresser", "nightstand", "podium", "altar", "cutting board"})
# a determiner after a list mark, a sentence start or a preposition that is no support ("on a table" is one)
_NAMED_THING = re.compile(r"(?:\A|[,;:]|\b(?:and|or|with|beside|near|behind|by|next to|in front of))\s*"
                          r"(?:a|an|the|some|two|three|four|five|six|\d+)(?: [\w'-]+){0,2} \Z", re.I)
_PREFIX = re.compile(rf"((?:[\w'-]{{1,{_WORD}}} ){{0,2}})\Z")
_PANELLED = re.compile(r"-(?:panell?ed|clad|lined|tiled|topped|framed)\Z", re.I)


_NOT_AFTER_SURFACE = frozenset("set full made laid piled lit top edge corner side cut split cast shut put hit".split())
_PLACE_HEADS = frozenset("station stations platform platforms market markets stall stalls store stores shop shops garage lot".split())


def _noun_after_surface(sentence: str, end: int) -> bool:
    """A noun right after a surface word makes the surface word its modifier ("a street photo", "a porch step")."""
    m = _NEXT_WORD.match(sentence, end)
    if not m:
        return False
    low = m.group(1).lower()
    if low in _NEVER_MODIFIER or low in _DETERMINERS or (low.endswith(("ing", "ed", "ly")) and low not in NOUN_KINDS) \
            or low in COLORS or low in _NOT_AFTER_SURFACE:
        return False  # ("a porch railing": railing is a noun)
    lemma, verb, adj = _lexicon(low)
    if lemma is None or (verb and low.endswith("s") and low != lemma) or (adj and low == lemma and lemma not in NOT_SUBJECT and verb):
        return False
    return True


_NEXT_NOUN = re.compile(r" (?:lamps?|lights?|food|signs?|cart|markets?|musicians?|vendors?|art|menus?)\b", re.I)
_OF_MATERIAL = re.compile(
    r"(?: (?:made|wrapped|covered|carved|cast|crafted|built|bound|lined|upholstered|clad|framed|woven|knitted|printed|trimmed))?"
    r" (?:of|in|from) (?:[a-z]+ )?(" + "|".join(sorted(MATERIALS, key=len, reverse=True)) + r")\b", re.I)


_PLACE = re.compile(r"\b(?:(?:wheat |corn )?fields?|city|cities|town|village|meadow|beach|desert|forest|sea|ocean|harbou?r)\b", re.I)


def find_places(sentence: str) -> list[Mention]:
    """Place nouns, as relation anchors only ("a helicopter over a city")."""
    out = []
    for m in _PLACE.finditer(sentence):
        mention = Mention("place", None, m.group(0).lower(), m.start(), m.end(), m.start(), True)
        mention.place = True
        out.append(mention)
    return out


# ---------------------------------------------------------------- counts and materials

_NUMBERS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "dozen": 12, "pair": 2, "couple": 2, "both": 2, "twin": 2,
}
_COUNT = re.compile(
    r"(?:\b(" + "|".join(_NUMBERS) + r"|\d{1,2})|\b(?:a )?(pair|couple) of)(?: [\w'-]+){0,2} \Z", re.I
)


_MATERIAL_STOP = frozenset("a an the of for with on in at and or to by from into onto its their his her this that".split())
_PLURAL_ONLY = re.compile(r"(?:head|ear)phones|sunglasses|spectacles|binoculars|goggles|pliers|tongs|chopsticks|scissors"
                          r"|jeans|trousers|pants|shorts|tights", re.I)
_A_PAIR_IS_ONE = re.compile(r"(?:eye)?glasses\b", re.I)  # "a pair of glasses" is one thing


def count_before(sentence: str, phrase: int, noun: int) -> int:
    """The number said just before a noun ("three red apples", "a pair of shoes"), or 1."""
    m = _COUNT.search(sentence, max(0, phrase - 16), noun)
    if not m or _PLURAL_ONLY.match(sentence, noun):
        return 1
    if m.group(1) and re.search(r"\bof\b", m.group(0), re.I):
        return 1  # "two glasses of wine": two glasses, not two wines
    if m.group(2) and _A_PAIR_IS_ONE.match(sentence, noun):
        return 1
    if (m.group(1) or "").lower() == "twin" and not re.match(r"\w+s\b", sentence[noun:noun + 40]):
        return 1  # "a twin bed"; "twin lighthouses" are two
    word = (m.group(1) or m.group(2)).lower()
    n = int(word) if word.isdigit() else _NUMBERS[word]
    return n if 1 < n <= 100 else 1


_SPECIES = frozenset("oak walnut bamboo pine cedar maple birch beech teak mahogany cherrywood rosewood ebony".split())
_BOUND = re.compile(r"-(?:bound|clad|framed|topped|covered|lined|panell?ed|trimmed|handled|rimmed|plated|cased|soled|tipped)\Z")
_TREE_WORDS = re.compile(r"(?:trees?|forests?|groves?|woods|stalks?|shoots?|syrup|leaf|leaves|cones?|needles?|nuts?|branch(?:es)?|blossoms?)\b", re.I)


def material_of(sentence: str, phrase: int, noun_start: int, noun_end: int) -> str | None:
    """A material word in the noun phrase ("glass perfume bottle") or right after it ("table of wood")."""
    raw = sentence[max(0, min(phrase, noun_start - 30)) : noun_start].split()[-3:]
    proper = sentence[noun_start : noun_start + 1].isupper()
    for original in reversed(raw):
        word = _BOUND.sub("", original.lower())  # "leather-bound": leather
        if word in _MATERIAL_STOP or original[-1] in ",;:.!?)":
            break  # "at golden hour, jagged peaks": another phrase
        if proper and original[:1].isupper():
            continue  # "the Golden Gate Bridge": a name
        if word in MATERIALS and not (word == "golden" and sentence.startswith("retriever", noun_start)) \
                and not (word in _SPECIES and _TREE_WORDS.match(sentence, noun_start)):
            return MATERIALS[word]
    after = _OF_MATERIAL.match(sentence, noun_end)
    return MATERIALS[after.group(1).lower()] if after else None


# ---------------------------------------------------------------- relations

_RELATION = re.compile(
    r"\b(?:" + "|".join(f"({p})" for p, _ in RELATION_RULES) + r")\b", re.I
)
_RELATION_VALUES = tuple(v for _, v in RELATION_RULES)
_PRONOUN = re.compile(r"(?: the| a| an)? (?:it|him|her|them|this|that)\b", re.I)
_CLAUSE_BREAK = re.compile(r"[,;:]|\band\b|\bwhile\b", re.I)
_GAP_WORDS = 8
_ATTACH = re.compile(r".*\b(with|of)(?: (?:a|an|the|some|its|their|his|her))?(?: [\w'-]+){0,2} \Z", re.I)
_NOT_A_RELATION = re.compile(r"(?:\bfrom|\breflected|\breflecting|\breflections?|\bmirrored|\bcovered|\bdressed|\bsurrounded by"
                             r"|\b(?:printed|written|painted|engraved|embroidered|stamped|etched|inscribed|lettered|spelled|spelt|embossed)) \Z", re.I)
_OUTLINED = re.compile(r"\b(?:silhouetted|silhouette|outlined|framed|backlit)(?: \w+)? \Z", re.I)
CHAIN_BACK = True
IN_MEANS_ON = frozenset({"windowsill", "table", "desk", "counter", "shelf", "floor", "street", "road", "sidewalk", "highway",
                         "pier", "dock", "deck", "porch", "balcony", "rug", "tablecloth", "doorstep", "nightstand", "slate",
                         "grass", "rock", "cliff", "surface", "mirror", "bed", "fabric", "ice", "moon", "sand", "window", "hillside"})


def relations(sentence: str, mentions: list[Mention]) -> list[tuple[Mention, str, Mention | None]]:
    """(subject, relation, anchor) triples in one sentence; anchor None means "it" (the main subject)."""
    if not mentions:
        return []
    for m in mentions:
        link = _ATTACH.search(sentence, max(0, m.phrase - 40), m.phrase) if m is not mentions[0] else None
        if link and link.group(1).lower() == "of" and _QUANTITY_OF.search(sentence, max(0, link.start(1) - 24), link.start(1)):
            link = None  # "a pair of glasses": the glasses are the thing, not an attachment
        elif link and link.group(1).lower() == "of" and not any(_OF_OWNER.fullmatch(sentence, o.end, link.start(1)) for o in mentions):
            link = None  # "an illustration of a bear": of no thing drawn, so the bear is the thing
        m.attached = link.group(1).lower() if link else False
    for before, m in zip(mentions, mentions[1:]):  # "with moss and a tiny mushroom": both come with it
        if not m.attached and before.attached and not m.surface and _LIST_GAP.match(sentence, before.end, m.phrase) \
                and _AND.search(sentence, before.end, m.phrase) \
                and not (before.attached == "of" and _OWN_DETERMINER.search(sentence, before.end, m.phrase)):
            m.attached = before.attached  # ("two cups of espresso and a croissant": the croissant is a thing of its own)
    # "piled with mangoes, papayas and pineapples": a list that ends with "and" comes with it whole
    run = [mentions[0]]
    for m in [*mentions[1:], None]:
        if m is not None and not m.surface and _LIST_GAP.match(sentence, run[-1].end, m.phrase):
            run.append(m)
            continue
        if len(run) > 2 and run[0].attached and not run[0].surface and _AND.search(sentence, run[-2].end, run[-1].phrase):
            for item in run[1:]:
                item.attached = item.attached or run[0].attached
        run = [m]
    out: list[tuple[Mention, str, Mention | None]] = []
    things = sorted((m for m in mentions if not m.surface), key=lambda m: m.end)  # subjects by where they end
    thing_ends = [m.end for m in things]
    by_phrase = {}
    for m in mentions:
        by_phrase.setdefault(m.phrase, m)

    def ending_by(pos: int):
        """The subjects that end at or before `pos`, nearest first."""
        return reversed(things[: bisect_right(thing_ends, pos)])
    last: tuple[Mention, str, Mention | None] | None = None
    for rm in _RELATION.finditer(sentence):
        rel = _RELATION_VALUES[rm.lastindex - 1]
        if _NOT_A_RELATION.search(sentence, max(0, rm.start() - 16), rm.start()):
            continue
        if rel == "against" and _OUTLINED.search(sentence, max(0, rm.start() - 30), rm.start()):
            continue  # "an owl silhouetted against the moon": how it looks, not where it stands
        # the right-hand side: "it" or the next mention whose phrase starts within a few words
        right: Mention | None = None
        pronoun = _PRONOUN.match(sentence, rm.end()) or _AT_CLAUSE_END.match(sentence, rm.end())  # "two chairs in front"
        if not pronoun:
            right = _next_within(sentence, mentions, rm.end(), "phrase",
                                 lambda m: not _POSSESSIVE.match(sentence, m.end) and not _RIGHT_BREAK.search(sentence, rm.end(), m.phrase))
            if right is None:
                right = _next_within(sentence, mentions, rm.end(), "start", lambda m: not _RIGHT_BREAK.search(sentence, rm.end(), m.start))
            if right is None:
                continue
            head = next((h for h in (by_phrase.get(right.end + 1), by_phrase.get(right.end)) if h is not None and h is not right), None)
            if head is not None:
                right = head  # "beside a tulip field": the field
            if right.phrase > rm.end() and setting(sentence[rm.end() : right.phrase]) is not None:
                continue  # "a chef in the kitchen chopping onions": in the kitchen, not in the onions
        # the left-hand side: the nearest subject before it in the same clause
        left = None
        cursor = rm.start()  # a clause break counts only outside the things skipped ("with pebbles and a cactus")
        for m in ending_by(rm.start()):
            if len(sentence[m.end : rm.start()].split()) > _GAP_WORDS:
                break
            if _worn(m.name.lower().split()[-1]) and _WORN_BY.search(sentence, max(0, m.phrase - 40), m.phrase) \
                    and any(o.end <= m.phrase and not o.surface for o in mentions):
                cursor = m.phrase
                continue  # "a man in a wool coat reading a newspaper": the man reads it
            if (m.attached == "of" and rel != "holds") or (m.attached and right is not None and rel in ("on", "in", "under", "behind", "in front of", "beside")):
                if any(o.end <= m.phrase and not o.surface for o in mentions):
                    cursor = m.phrase
                    continue  # "a girl with a kite on a hill": the girl is on it; "a glass of wine beside it": the glass
            if _CLAUSE_BREAK.search(sentence, m.end, max(m.end, cursor)):
                break
            left = m
            if rel != "holds" and right is not None and rm.start() - m.end < 4 and rm.group(0).lower() not in ("into", "onto"):
                left = _agent_of(sentence, m, ending_by) or m
            break
        if left is None and pronoun:
            # ", a potted plant beside it" / "with stormy waves behind it": the subject comes first
            left = next((m for m in reversed(mentions) if m.end <= rm.start() and not m.surface
                         and not _CLAUSE_BREAK.search(sentence[m.end : rm.start()])), None)
        if left is None and right is not None and _AFTER_COMMA_VERB.search(sentence, max(0, rm.start() - 30), rm.start()):
            # "a journal with a gold title, lying on a map": the sentence's first thing lies there
            left = next((m for m in mentions if not m.surface and not m.place and m.end <= rm.start() and m is not right), None)
        if left is None and right is not None and not right.surface:
            # ", beside it are two lanterns"
            continue
        if left is None:
            continue
        # "a truck under a tree on a road": the truck is on the road; "roses in a vase on a piano": the vase is
        if CHAIN_BACK and last is not None and last[2] is left and last[1] not in ("in",) and not left.surface:
            left = last[0]
        if last is not None and last[1] == "held by" and last[0] is left and rel != "holds":
            left = last[2]  # "a woman reading a book in a hammock": the woman is in it
        if rel == "holds":
            if right is None or (right.kind in _TOO_BIG_TO_HOLD and not _HAND_SIZED.search(right.name)):
                continue  # "a koala hugging a tree" holds no tree
            left, rel, right = right, "held by", left
        if rel == "in" and right is not None and right.surface and right.kind in IN_MEANS_ON:
            rel = "on"
        if right is not None and (right is left or right.key == left.key):
            continue
        if right is not None and _not_an_anchor(rel, right):
            continue
        last = (left, rel, right)
        out.append(last)
        if rel not in ("held by", "between"):
            anchors = {id(r[2]) for r in out}  # "mugs on a railing, mountains behind": the railing is no part of the list
            out += [(other, rel, right) for other in _listed_before(sentence, ending_by(left.phrase), left) if id(other) not in anchors]
    return _contents(sentence, mentions, _held_with(sentence, mentions, out, ending_by), ending_by)


_POSSESSIVE = re.compile(r"['’]s? \w", re.I)
_AFTER_COMMA_VERB = re.compile(r", (?:(?:[a-z]{2,20}ly )?[a-z]{2,20}(?:ing|ed|ked|ped)(?: (?:up|out|down|over))? )?\Z", re.I)
_WORN_BY = re.compile(r"\b(?:in|wearing|with)\s+(?:[\w'-]+\s+){0,3}\Z", re.I)
_TOO_BIG_TO_HOLD = frozenset("tree building mountain water sky car".split())
_HAND_SIZED = re.compile(r"(?<!air )\b(?:balloons?|bikes?|bicycles?|kayaks?|canoes?|toy \w+)\Z", re.I)  # "holding a balloon"; a hot air balloon is too big
_AND = re.compile(r"\b(?:and|or)\b|&", re.I)
_AT_CLAUSE_END = re.compile(r"\s*(?:[,;:.!?]|\Z)")
_QUANTITY_OF = re.compile(r"\b(?:pair|couple|set|dozen|handful|few)\s+\Z", re.I)
# what is worn, not held ("a woman in a red coat", "a girl with headphones")
WORN = frozenset("""coat coats jacket jackets suit suits dress dresses gown shirt shirts t-shirt sweater hoodie scarf hat hats cap
helmet mask masks glove gloves uniform costume robe apron kimono armor armour boots shoes sneakers jeans trousers pants skirt
headphones earbuds glasses sunglasses goggles necklace earrings ring bracelet watch backpack tattoo tattoos beard hair braid
braids crown veil overalls raincoat cloak cape tie bow pajamas pyjamas swimsuit bikini jersey jerseys scrubs wetsuit
tuxedo vest leggings sweaters hoodies uniforms costumes robes kimonos gowns""".split())


def _worn(word: str) -> bool:
    """Whether a noun is worn, plural or not ("kids in yellow raincoats")."""
    return word in WORN or (word.endswith("s") and (word[:-1] in WORN or (word.endswith("es") and word[:-2] in WORN)))


_LIST_GAP = re.compile(r"(?:\s*,)?\s*(?:and|or|&)?(?:\s+(?:a|an|the|some|two|three|four|five|six|\d+|pair|couple|set|of|its|their|his|her))*\s*\Z", re.I)
_IN_HAND = re.compile(r"\bin (?:(?:his|her|their|one|each|a) )?hands?\b", re.I)


# verbs whose object is put where the place says ("a toddler stacking blocks on a rug": the blocks are on it)
PLACING_VERBS = frozenset("""stacking shelving placing putting setting laying arranging hanging pinning planting pouring
hammering planing sanding carving stirring chopping slicing kneading rolling spreading pushing pulling dragging steering
rowing paddling loading unloading dropping tossing throwing lifting lowering balancing piling sorting folding wrapping
painting drawing writing scattering sprinkling dipping dunking serving plating displaying showing selling handing passing sliding""".split())
_VERB_OBJECT = re.compile(r"\s+([a-z]{3,20}ing)(?:\s+(?:a|an|the|some|his|her|its|their|two|three|four|five|\d+))?(?:\s+[\w'-]+){0,2}\s+\Z", re.I)


def _agent_of(sentence: str, obj: Mention, ending_by) -> Mention | None:
    """The one doing it, when `obj` is the object of a verb that does not put it anywhere: "two
    hedgehogs sharing a strawberry on a log" (the hedgehogs are on the log); None otherwise."""
    agent = next((o for o in ending_by(obj.phrase) if o is not obj), None)
    if agent is None or agent.surface:
        return None
    m = _VERB_OBJECT.match(sentence[: obj.phrase], agent.end)
    if not m or m.group(1).lower() in PLACING_VERBS or not _lexicon(m.group(1).lower())[1] \
            or any(w.lower() in _NEVER_MODIFIER and w.lower() not in _DETERMINERS for w in sentence[m.end(1) : obj.phrase].split()):
        return None  # "an octopus hiding inside a pot on the sea floor": no object, the pot is there
    return agent


def _next_within(sentence: str, mentions: list[Mention], pos: int, where: str, fits) -> Mention | None:
    """The first mention (in text order) whose phrase or noun starts at most three words after `pos`
    and that `fits`; the search stops at the first one further away (the rest are further still)."""
    for m in mentions:
        at = getattr(m, where)
        if at < pos:
            continue
        if len(sentence[pos : min(at, pos + 200)].split()) > 3:
            break
        if fits(m):
            return m
    return None


_CONTAINER_PLACES = frozenset("pool pools greenhouse greenhouses".split())  # "a swimmer in a pool": in it
_LANDFORMS = frozenset("dune dunes reef reefs platform platforms shore grove groves".split())


def _not_an_anchor(rel: str, right: Mention) -> bool:
    """A relation that says where someone is rather than how things stand: "in a red coat"
    (clothing), "in the forest", "on a dark stage" (the setting, not a thing to draw by)."""
    last = right.name.lower().split()[-1] if right.name else ""
    if rel == "in" and _worn(last):
        return True
    if rel in ("in", "on") and not right.surface and setting(last) not in (None, "sea") and last not in _LANDFORMS:
        return True
    if rel == "in" and not right.surface and in_place(last) and last not in _CONTAINER_PLACES:
        return True  # "a cocktail in a dimly lit bar": the bar is where, not a thing to draw
    return rel in ("in", "on") and right.place and setting(last) not in (None, "sea")


def _listed_before(sentence: str, earlier, left: Mention) -> list[Mention]:
    """Subjects listed right before `left` ("a stethoscope and a pair of glasses on a desk"): they share its relation.
    `earlier`: the subjects ending before it, nearest first."""
    out = []
    current = left
    for m in earlier:
        if not _LIST_GAP.match(sentence, m.end, current.phrase):
            break
        if m.attached == "of" and current.attached != "of" and _OWN_DETERMINER.search(sentence, m.end, current.phrase):
            current = m  # "two cups of espresso and a croissant on a table": the cups, not the espresso
            continue
        if m.attached:
            break
        out.append(m)
        current = m
    return out


# what holds things: "a bowl with bananas", "a case full of croissants" (on the flat ones: "a tray with rolls")
CONTAINERS = frozenset("""bowl cup mug glass jar vase basket box crate can bottle pot pan skillet wok case cabinet aquarium tank
terrarium bucket bag sack barrel mailbox drawer chest cage nest teapot kettle pitcher jug carton tin bin cart
wheelbarrow trough tub bathtub sink cauldron flask thermos tumbler goblet teacup vial""".split())
FLAT_HOLDERS = frozenset("tray plate platter board dish saucer shelf rack palette".split())
# "with", "full of", or a bare "of" ("a cup of tea": the tea in the cup; "jars of jam")
_CONTENT_LINK = re.compile(r"\s+(?:with|(?:full|filled|stuffed|packed|piled|loaded|brimming|overflowing|heaped|crammed|teeming)\s+(?:of|with))\s", re.I)
# a determiner of its own after "and": "cups of espresso and a croissant" (a thing of its own), not "a vase of roses and lilies"
_OWN_DETERMINER = re.compile(r"\b(?:a|an|the|one|two|three|four|five|six|some|\d+)\b", re.I)
# what may stand between a thing and the "of" that attaches to it ("a can full of screws")
_OF_OWNER = re.compile(r"\s+(?:(?:full|filled|stuffed|packed|piled|loaded|brimming|overflowing|heaped|crammed|teeming)\s+)?")


def _contents(sentence: str, mentions: list[Mention], out: list, ending_by) -> list:
    """What a container holds is in it ("a fruit bowl with bananas": the bananas in the bowl; "a
    mailbox stuffed with letters"), or on it when it is flat ("a baking tray with rolls")."""
    placed = {id(left) for left, _, _ in out}
    # "a board with a glass of red wine beside it": the glass stands where it says
    placed |= {id(m) for left, _, _ in out for m in mentions if 0 < left.phrase - m.end < 12 and " of " in sentence[m.end : left.phrase]}
    extra = []
    for m in mentions:
        if not m.attached or m.surface or id(m) in placed:
            continue
        owner = next(iter(ending_by(m.phrase)), None)
        if owner is None or not _CONTENT_LINK.match(sentence, owner.end) or len(sentence[owner.end : m.phrase].split()) > 4:
            continue
        head = owner.name.lower().split()[-1]
        head = head[:-2] if head.endswith(("xes", "ches", "shes", "sses")) else head[:-1] if head.endswith("s") and head[:-1] in CONTAINERS | FLAT_HOLDERS else head
        if head in CONTAINERS or head in FLAT_HOLDERS:
            extra.append((m, "on" if head in FLAT_HOLDERS else "in", owner))
    return out + extra


def _held_with(sentence: str, mentions: list[Mention], out: list, ending_by) -> list:
    """A person "with" a thing holds it ("a street musician with a saxophone"), unless it is worn."""
    held = {id(left) for left, rel, _ in out if rel == "held by"}
    extra = []
    for m in mentions:
        if m.attached != "with" or m.surface or m.kind in ("person", "animal") or id(m) in held:
            continue
        if _worn((m.name.lower().split() or [""])[-1]):
            continue
        owner = next(iter(ending_by(m.phrase)), None)
        if owner is None or owner.kind != "person" or _CLAUSE_BREAK.search(sentence, owner.end, m.phrase):
            continue
        extra.append((m, "held by", owner))
    if _IN_HAND.search(sentence):  # "with a lantern in hand": the hand is no anchor
        out = [r for r in out if not (r[2] is not None and r[2].name.lower().split()[-1] in ("hand", "hands"))]
    return out + extra


# ---------------------------------------------------------------- time, weather, effects, carriers

_TIME = tuple((re.compile(p, re.I), v) for p, v in TIME_RULES)
_WEATHER = tuple((re.compile(p, re.I), v) for p, v in WEATHER_RULES)
_EFFECT = re.compile("|".join(f"({p})" for p, _ in EFFECT_RULES), re.I)
_EFFECT_VALUES = tuple(v for _, v in EFFECT_RULES)
_EFFECT_OF = re.compile(r" (?:of|from) (?:the |a |an |its |their )?([\w'-]+(?: [\w'-]+)?)", re.I)
_EFFECT_ON = re.compile(r"(?: of (?:the |a |an |its |their )?[\w'-]+)?(?: \w+)? (?:on|in|across) (?:the |a |an |its |their )?([\w'-]+(?: [\w'-]+)?)", re.I)


def time_of_day(text: str) -> str | None:
    return next((v for p, v in _TIME if p.search(text)), None)


def weather(text: str) -> str | None:
    return next((v for p, v in _WEATHER if p.search(text)), None)


def effects(text: str) -> list[tuple[str, str | None, str | None]]:
    """(effect, target, on) for each effect word, first mention of each kind."""
    out: dict[str, tuple[str, str | None, str | None]] = {}
    for m in _EFFECT.finditer(text):
        kind = _EFFECT_VALUES[m.lastindex - 1]
        if kind in out:
            continue
        of = _EFFECT_OF.match(text, m.end())
        on = _EFFECT_ON.match(text, m.end())
        out[kind] = (kind, of.group(1).lower() if of else None, on.group(1).lower() if on else None)
    return list(out.values())


_CARRIER = re.compile(r"\b(" + "|".join(sorted((re.escape(k) for k in CARRIER_NOUNS), key=len, reverse=True)) + r")\b", re.I)
_TOKEN_AT = re.compile("\u27e6(\\d+)\u27e7")


_ON_AFTER = re.compile(
    r"\s{0,3}(?:(?:is |are )?(?:printed|written|painted|embossed|engraved|stamped|etched|lettered|embroidered|carved|displayed|shown|"
    r"scrawled|chalked|sewn|stitched|inscribed) (?:on|across|onto) (?:the|a|an|its|their|his|her) (?:[a-z-]{1,30} )?([a-z][a-z-]{1,30})\b(?! of\b)"
    r"|\s{0,3}(?:on|across) (?:(?:the|its|their|his|her) )?(screen|display|monitor|cover|label|front cover))\b", re.I)


def carriers(sentence: str) -> dict[int, str]:
    """What each quoted text token in a sentence is written on: the nearest carrier noun before it
    (a wall or a window only when nothing else is named), else the first after it."""
    out: dict[int, str] = {}
    tokens = list(_TOKEN_AT.finditer(sentence))
    if not tokens:
        return out
    matches = list(_CARRIER.finditer(sentence))
    # "a storefront window": the last noun of a compound is the thing
    found = [(m.start(), CARRIER_NOUNS[m.group(1).lower()]) for i, m in enumerate(matches)
             if not (i + 1 < len(matches) and matches[i + 1].start() == m.end() + 1)]
    for t in tokens:
        named = _named_carrier(sentence, t.start())
        # "'Field Notes' embossed on the cover", "„Update“ auf dem Bildschirm"
        on = _ON_AFTER.match(sentence, t.end()) if not named else None
        word = (on.group(1) or on.group(2)).lower() if on else ""
        if on and (word in CARRIER_NOUNS or (word not in NOT_SUBJECT and _lexicon(word)[0])):
            out[int(t.group(1))] = CARRIER_NOUNS.get(word, _lexicon(word)[0] or word)
            continue
        if named:
            out[int(t.group(1))] = named
            continue
        before = [c for at, c in found if at < t.start()]
        things = [c for c in before if c not in SURFACE_CARRIERS]
        carrier = things[-1] if things else (before[-1] if before else next((c for at, c in found if at > t.end()), None))
        if carrier:
            out[int(t.group(1))] = carrier
    return out


_SAYS = re.compile(
    r"([A-Za-z][\w'-]*)(?: (?:that|which))? (says|reads|said|read|reading|saying|showing|shows|displaying|displays|labell?ed|printed with|stamped with|engraved with"
    r"|inscribed with|embroidered with|marked|with the (?:text|words?|inscription|slogan|message|caption|lettering)) ?[:,]? ?\Z", re.I)
_FOR_BEFORE = re.compile(r"([A-Za-z][\w'-]{0,39}) for (?:a|an|the|my|our|his|her|their) (?:[\w'-]{1,40} ){0,2}?[\w'-]{1,40}\Z", re.I)
_OF_BEFORE = re.compile(r"([A-Za-z][\w'-]*) of (?:[\w'-]+ )?\Z", re.I)
_NOT_CARRIER = frozenset("it this that one text words word letters lettering writing message slogan caption graphic graphics"
                         " design illustration print artwork image picture headline title wrist hand hands arm arms palm finger".split())


def _named_carrier(sentence: str, at: int) -> str | None:
    """The thing right before "that says / reading / labeled" and a quoted text ("a notebook that
    says 'IDEAS'": notebook; "a tube of toothpaste labeled 'MINT'": tube), when it is a noun."""
    m = _SAYS.search(sentence, max(0, at - 120), at)
    if not m:
        return None
    word = m.group(1).lower()
    made_for = _FOR_BEFORE.search(sentence, max(0, m.start() - 60), m.start(1) + len(m.group(1)))
    if made_for and made_for.group(1).lower() in CARRIER_NOUNS and word not in CARRIER_NOUNS:
        return CARRIER_NOUNS[made_for.group(1).lower()]  # "a poster for a chess tournament reading ...": the poster
    if word in CARRIER_NOUNS:
        return None if CARRIER_NOUNS[word] in SURFACE_CARRIERS else CARRIER_NOUNS[word]
    if word in _NOT_CARRIER or word in _DETERMINERS or word in _NEVER_MODIFIER or word in MATERIALS:
        return None
    lemma, _, _ = _lexicon(word)
    if lemma is None:
        lemma = _unknown_noun(word)
    if lemma is None or lemma in NOT_SUBJECT:
        return None
    of = _OF_BEFORE.search(sentence, max(0, m.start() - 60), m.start())
    if of and of.group(1).lower() not in _DETERMINERS and _lexicon(of.group(1).lower())[0] and of.group(1).lower() not in NOT_SUBJECT:
        carrier = CARRIER_NOUNS.get(of.group(1).lower(), _lexicon(of.group(1).lower())[0])
        return None if carrier in SURFACE_CARRIERS else carrier
    return lemma


# ---------------------------------------------------------------- any English noun

_TOKENS = re.compile(r"(?<![^\W\d_])[A-Za-z][A-Za-z'-]{0,39}(?![^\W\d_])")  # not a piece of "français"
_DETERMINERS = frozenset(
    "a an the two three four five six seven eight nine ten eleven twelve dozen several many some few its their his her"
    " this that these those each every another both couple pair single lone".split()
)
_PLURAL_TRIGGERS = frozenset("with and among amid near beside between under on in behind above over below beneath across along"
                              " around against inside into onto atop through past".split())
_OF_WHOLE = frozenset(  # "a flock of birds", "a basket of apples": what follows "of" is depicted too
    "flock stack pile herd bunch bouquet swarm group row set cluster handful heap pair couple dozen lots plenty"
    " spool roll ball tube bank rack shelf table tin can carton packet pack bundle sheaf string line array"
    " basket bowl plate box bag bucket jar crate tray cart sack pot vase glass cup mug jug pitcher loaf slice piece"
    " dollop blade wedge sprig pat wisp shaft scoop pinch splash drop chunk sliver school".split()
)
# "a shot of wireless earbuds", "a basket full of yarn": what follows "of" is what is shown
_DEPICTION = frozenset("full shot shots photo photos photograph picture image portrait illustration painting drawing render"
                       " rendering close-up closeup sketch lay macro view".split())
_NEVER_MODIFIER = frozenset(
    "a an the of for with on in at and or to by from into onto is are was be it its inside outside over under above"
    " below beneath behind beside near next front top across along against between through around upon atop within"
    " while during as like than then there here where when which who that this down up out off away past toward towards whose"
    " overhead nearby around".split()
)
_SINGULAR = frozenset("a an one this that each every another single lone".split())
_lexicon_cache: dict[str, tuple[str | None, bool, bool]] = {}


def _lexicon(word: str) -> tuple[str | None, bool, bool]:
    """(noun lemma or None, can be a verb form, can be an adjective) for a lower-case English word."""
    hit = _lexicon_cache.get(word)
    if hit is not None:
        return hit
    try:
        from lemminflect import getAllLemmas
    except ImportError:  # pragma: no cover - the base dependencies bring it
        return (None, False, False)
    lemmas = getAllLemmas(word)
    noun = lemmas.get("NOUN") or lemmas.get("PROPN")
    lemma = None
    if noun:
        lemma = word if word in noun else (noun[-1] if word.endswith("ves") else noun[0])
    verb = "VERB" in lemmas or "AUX" in lemmas
    result = (lemma, verb, "ADJ" in lemmas)
    if len(_lexicon_cache) < 50_000:
        _lexicon_cache[word] = result
    return result


# a part or a group of the thing before it: "a laptop screen", "a penguin colony" are the laptop and the penguins
KEEP_FIRST = frozenset("screen screens colony colonies swarm swarms pack packs whose whom which model models design brand"
                        " caravan caravans stalk stalks herd herds flock flocks family families range ranges".split())
_NEXT_WORD = re.compile(r" ([A-Za-z][\w'-]{0,39})")


_ONE_BEFORE = re.compile(r"(?:\b(?:" + "|".join(sorted(_DETERMINERS | {"my", "our", "one"})) + r")|\d)\s+(?:[\w'-]+\s+)?[\w'-]+\Z", re.I)


def noun_follows(sentence: str, end: int) -> bool:
    """Whether a noun that can head the phrase comes right after `end` ("a record player", "a coffee
    bean"): the word before it is then its modifier, not a subject of its own."""
    m = _NEXT_WORD.match(sentence, end)
    if not m:
        return False
    low = m.group(1).lower()
    if low in _PLACE_HEADS:
        return True  # "a train station", "a farmers market": a place, not the train
    if low in NOT_SUBJECT or low in _NEVER_MODIFIER or low in _DETERMINERS or low in KEEP_FIRST or low in _NOT_AFTER_SURFACE \
            or low.endswith(("ing", "ed")):
        return False
    lemma, verb, _ = _lexicon(low)
    if lemma is None:
        return _unknown_noun(low) is not None
    if verb and low != lemma and low.endswith("s") and low not in NOUN_KINDS and _ONE_BEFORE.search(sentence, max(0, end - 50), end):
        return False  # "a dog runs"; with no "a" before it, a compound: ", bread racks against the wall"
    return _is_head(low, False) is not None


def noun_lemma(word: str) -> str | None:
    """The lexicon's noun lemma of a lower-case word, or None."""
    return _lexicon(word)[0]


def is_noun(word: str) -> bool:
    """Whether the word can head a noun phrase ("librarian" in "a librarian shelving books")."""
    return _is_head(word, False) is not None


def known_word(word: str) -> bool:
    """Whether an English lexicon knows the word (any part of speech), or it is a colour or a number."""
    low = word.lower()
    if low in COLORS or low in _DETERMINERS or low.isdigit():
        return True
    if not low.isascii():
        return False
    lemma, verb, adj = _lexicon(low)
    return lemma is not None or verb or adj


def _is_head(word: str, lenient: bool) -> str | None:
    """The noun lemma when `word` can head a subject phrase."""
    low = word.lower()
    if len(low) < 3 or low in NOT_SUBJECT or low in _DETERMINERS or low in _NEVER_MODIFIER or low in COLORS or low in MATERIALS:
        return None
    lemma, verb, adj = _lexicon(low)
    if lemma is None and low in NOUN_KINDS:
        return low  # a noun the lexicon lists only as a verb ("bar")
    if lemma is None or lemma in NOT_SUBJECT or lemma in MATERIALS:
        return None
    if verb and low not in NOUN_KINDS and (low.endswith("ing") or (low.endswith("ed") and (low != lemma or len(low) > 5))
                                           or (low == lemma and not lenient and adj)):
        return None  # "sitting", "covered"
    if adj and not lenient and low not in NOUN_KINDS and low.endswith(("ful", "ous", "ive", "al", "ic", "ish", "less", "y")):
        return None
    return lemma


GENERIC = True  # off: the word tables alone (for comparisons)
_CLAUSE_MARK = re.compile(r"[,;:]")
# nor a "with" between a relation word and its anchor: "hills in Provence with a farmhouse" are not in the farmhouse
_RIGHT_BREAK = re.compile(r"[,;:]|\bwith\b", re.I)
_UNKNOWN = re.compile(r"[a-z][a-z-]{3,24}\Z")


def _unknown_noun(word: str) -> str | None:
    """A lower-case English-looking word the lexicon does not know ("barista", "smartwatch",
    "macarons"): taken as a noun where a determiner or a number comes before it."""
    low = word.lower()
    if not _UNKNOWN.match(word) or low in NOT_SUBJECT or low in _NEVER_MODIFIER or low.endswith(("ing", "ed", "ly")):
        return None
    lemma, verb, adj = _lexicon(low)
    if lemma is not None or verb or adj:
        return None
    return low[:-1] if low.endswith("s") and not low.endswith(("ss", "us", "is")) else low


def generic_subjects(sentence: str, taken: list[tuple[int, int]], lenient: bool = False) -> list[tuple[str, str, str, int, int, int]]:
    """(kind, lemma, name, start, end, phrase start) for nouns no table names: a determiner or a
    number, up to two modifiers and a noun ("a brass telescope", "three giraffes"); a plural after
    "with", "and", "of" or a preposition; any noun when `lenient` (a prompt glossed from another
    language, where the English words left are the glossed ones)."""
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKENS.finditer(sentence)] if GENERIC else []
    if not tokens:
        return []
    blocked = [False] * len(tokens)
    if taken:
        spans = sorted(taken)
        k = 0
        for i, (s, e, _) in enumerate(tokens):
            while k < len(spans) and spans[k][1] <= s:
                k += 1
            blocked[i] = k < len(spans) and spans[k][0] < e
    out = []
    for i, (start, end, word) in enumerate(tokens):
        if blocked[i]:
            continue
        if (word.lower() in _NOT_AFTER_SURFACE or word.lower() in KEEP_FIRST) and i and tokens[i - 1][1] + 1 == start \
                and _is_head(tokens[i - 1][2], lenient):
            continue  # "a pomegranate cut in half": cut is no noun here; "a camel caravan": the camels
        lemma = _is_head(word, lenient)
        if lemma is None and (not lenient or word.lower() in GLOSS_ENGLISH):
            lemma = _unknown_noun(word)
        if lemma is None and lenient and word in GLOSS_ENGLISH and word not in NOT_SUBJECT and word not in _NEVER_MODIFIER \
                and word not in _DETERMINERS and word not in COLORS and word not in MATERIALS:
            lemma = _lexicon(word)[0] or word  # a glossed noun that is also a verb form: "Lichtung" -> "clearing"
        weak = False  # a noun the lexicon also reads as a verb and an adjective ("corkscrew", "bay"): only as "a ... <noun> on"
        if lemma is None and not lenient:
            low = word.lower()
            weak_lemma = _lexicon(low)[0]
            if weak_lemma is not None and not low.endswith(("ing", "ed")) and len(low) > 2 and weak_lemma not in NOT_SUBJECT \
                    and low not in NOT_SUBJECT and low not in _NEVER_MODIFIER and low not in _DETERMINERS and low not in COLORS \
                    and low not in MATERIALS and weak_lemma not in MATERIALS and setting(low) is None and not in_place(low):
                lemma, weak = weak_lemma, True
        if lemma is None:
            continue
        if i + 1 < len(tokens) and blocked[i + 1] and tokens[i + 1][0] == end + 1:
            continue  # a modifier of a noun a table found ("tea cup")
        # walk back over up to two modifiers to a determiner, a number or a trigger
        mods: list[int] = []
        j = i - 1
        trigger = None
        after_verb = False
        clause_start = i == 0
        while j >= 0 and len(mods) <= 2:
            w = tokens[j][2].lower()
            if blocked[j] or sentence[tokens[j][1] : tokens[j + 1][0]].strip():
                clause_start = _CLAUSE_MARK.search(sentence, tokens[j][1], tokens[j + 1][0]) is not None
                break  # punctuation or a table's noun in between
            if w in _DETERMINERS or w.isdigit() or w in _NEVER_MODIFIER:
                trigger = w
                break
            if lenient and not known_word(w):
                break  # a word the gloss left in the other language
            if w.endswith(("ing", "ed")) and j and _is_head(tokens[j - 1][2], lenient) and tokens[j - 1][2].lower() not in _NEVER_MODIFIER:
                if w.endswith("ing"):
                    trigger = "with"  # "a child blowing bubbles", "a toddler stacking wooden blocks": a plural object of the verb
                    after_verb = not sentence[tokens[j - 1][1] : tokens[j][0]].strip()
                break  # "a hamster sleeping inside": the hamster heads its own phrase
            mods.append(j)
            j -= 1
        # the last noun of a compound heads it: "tea kettle" -> kettle; "a dog runs": runs is a verb
        if i + 1 < len(tokens) and tokens[i + 1][0] == end + 1 and not blocked[i + 1]:
            nxt = tokens[i + 1][2].lower()
            nl, nv, _ = _lexicon(nxt)
            if nl is not None and (not nxt.endswith(("ing", "ed")) or nxt in NOUN_KINDS) and nxt not in _NEVER_MODIFIER and nxt not in _DETERMINERS \
                    and nxt not in _NOT_AFTER_SURFACE and nxt not in KEEP_FIRST and nxt not in PORTION_WORDS \
                    and not (lenient and nxt in COLORS):  # "a flamingo pink" (glossed "un flamenco rosa"): pink is its colour
                verb_like = nv and nxt.endswith("s") and nxt not in NOT_SUBJECT and nxt not in NOUN_KINDS
                if not (verb_like and trigger in _SINGULAR):
                    continue
        plural = lemma != word.lower()
        before_of = tokens[j - 1][2].lower() if trigger == "of" and j > 0 else ""
        nxt_word = tokens[i + 1][2].lower() if i + 1 < len(tokens) and sentence[end : tokens[i + 1][0]] == " " else ""
        if weak and not (trigger in ("a", "an", "the") and (not nxt_word or nxt_word in _NEVER_MODIFIER)
                         and not _CLAUSE_MARK.search(sentence, max(0, start - 2), start)):
            continue
        ok = (
            lenient
            or (trigger is not None and (trigger in _DETERMINERS or (plural and trigger in _PLURAL_TRIGGERS)))
            or (before_of and (before_of in _OF_WHOLE or before_of.rstrip("s") in _OF_WHOLE or before_of in _DEPICTION))
            or (plural and (j < 0 or clause_start))  # ", stars in the background", ", hay bales stacked behind it"
            or (trigger in ("with", "and", "among", "amid") and lemma in NOUN_KINDS)  # "with moss and a mushroom"
            or (after_verb and not plural and (not nxt_word or nxt_word in _NEVER_MODIFIER))  # "a barista pouring steamed milk into a cup"
            or ((j < 0 or clause_start) and not _lexicon(word.lower())[1] and nxt_word not in _DETERMINERS
                and (not mods or (setting(word.lower()) is None and not in_place(word)))  # "Loft apartment with ...": a place
                and (nxt_word in _NEVER_MODIFIER or nxt_word.endswith(("ing", "ed"))))  # "Octopus hiding in ...", "Red scooter parked"
        )
        if not ok:
            continue
        mods = [m for m in reversed(mods) if tokens[m][2].lower() not in _NEVER_MODIFIER]
        phrase = tokens[mods[0]][0] if mods else start
        name = " ".join([*(tokens[m][2] for m in mods[-2:]), word])
        out.append((NOUN_KINDS.get(lemma, "object"), lemma, name, start, end, phrase))
    return out


# ---------------------------------------------------------------- setting

_PLACE_SETTING = re.compile(  # a place word, unless it modifies a thing ("a shop sign", "a beach towel")
    r"\b(?:" + "|".join(f"({p})" for p, _ in PLACE_SETTINGS) + r")\b(?! (?:signs?|storefronts?|facades?|fa\u00e7ades?|exteriors?"
    r"|logos?|owners?|keepers?|windows?|towels?|doors?|chairs?|umbrellas?|bags?|hats?|buildings?|towers?|blocks?|supplies|desks?)\b)", re.I)
_PLACE_SETTING_VALUES = tuple(v for _, v in PLACE_SETTINGS)
_PREP_SETTING = re.compile(
    r"\b(?:in|at|inside|into|within|through)(?: (?:a|an|the|his|her|their|my|our|its))?(?: [\w'-]+){0,2}? (?:"
    + "|".join(f"({p})" for p, _ in PREP_SETTINGS) + r")\b(?! (?:light|lighting|shot|photo|portrait|backdrop|background|of)\b)", re.I)
_PREP_SETTING_VALUES = tuple(v for _, v in PREP_SETTINGS)


_setting_cache: dict[str, str | None] = {}
_IN_PLACE = re.compile(r"\b(?:in|at|inside) (?:(?:a|an|the|his|her|their|my|our|its) )?(?:[\w'-]{1,30} ){0,2}?\Z", re.I)


def in_place(noun: str) -> bool:
    """Whether a noun names a place only when something is in it ("in a bar", "at the pool"), not on its own."""
    low = noun.lower()
    return setting(low) is None and setting("in the " + low) is not None


def place_after_in(sentence: str, phrase: int, noun: str) -> bool:
    """A noun after in / at / inside that names where the scene is ("a cocktail in a dimly lit bar")."""
    low = noun.lower()
    if low in _LANDFORMS or (setting(low) is None and not in_place(low)):
        return False
    return _IN_PLACE.search(sentence, max(0, phrase - 40), phrase) is not None


def setting(text: str) -> str | None:
    """Where the scene is ("in a hotel lobby": lobby), by the place words' priority; None when no place is named."""
    if len(text) <= 40:  # a single name, asked again and again
        if text not in _setting_cache:
            if len(_setting_cache) > 20_000:
                _setting_cache.clear()
            _setting_cache[text] = _setting(text)
        return _setting_cache[text]
    return _setting(text)


def _setting(text: str) -> str | None:
    best = None
    for m in _PLACE_SETTING.finditer(text):
        index = m.lastindex - 1
        if best is None or index < best:
            best = index
            if index == 0:
                break
    if best is not None and best < _OFFICE_RANK:
        return _PLACE_SETTING_VALUES[best]
    m = _PREP_SETTING.search(text)
    if m:
        return _PREP_SETTING_VALUES[m.lastindex - 1]
    return _PLACE_SETTING_VALUES[best] if best is not None else None


_OFFICE_RANK = _PLACE_SETTING_VALUES.index("office")
