"""Scene structure for the rule planner: surfaces, counts, relations, materials, time of day,
weather, light effects and what each quoted text is written on, read from word tables
(`planning.words`), and a gloss of prompts in other languages into English words.

Everything here works on the masked prompt (quoted text replaced by ⟦i⟧ tokens), one sentence
at a time, with the subject mentions `planner._find_subjects` found in it.
"""

from __future__ import annotations

import re
from typing import Any

from imagegate.plan import COLORS

from imagegate.planning.words import (
    CARRIER_NOUNS,
    EFFECT_RULES,
    ENGLISH_WORDS,
    GENERIC_SURFACE_ON_ONLY,
    GENERIC_SURFACES,
    GLOSS_ORDER,
    GLOSSES,
    LATIN_HINTS,
    MATERIALS,
    NOT_SUBJECT,
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
    parts = [f"({p})" if cjk else rf"(\b(?:{p})(?!\w))" for p, _ in rules]
    return re.compile("|".join(parts), re.I), tuple(english for _, english in rules)


_GLOSS = {lang: _gloss_table(lang, (*rules, *counter_rules(lang), *gloss_rules(lang))) for lang, rules in GLOSSES.items()}
_GLOSS_ORDER = {
    lang: tuple((marker, re.compile(p), r) for marker, p, r in (*GLOSS_ORDER_GENERAL.get(lang, ()), *GLOSS_ORDER.get(lang, ())))
    for lang in GLOSSES
}
_CLAUSES = re.compile("([、。,，!?！？;；\n])")
_CLAUSE_CHARS = 300  # longer clauses keep their word order
_KANA = re.compile("[\u3040-\u30ff]")
_HAN = re.compile("[\u4e00-\u9fff]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
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
    if english * 5 >= len(words):
        return "en"
    scores = {lang: sum(w in hints for w in words) for lang, hints in LATIN_HINTS.items()}
    best = max(scores, key=scores.get)  # type: ignore[arg-type]
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
    pattern, values = _GLOSS[lang]

    def english(m: re.Match) -> str:
        return values[m.lastindex - 1] if m.lastindex else m.group(0)

    text = pattern.sub(english, text)
    return " ".join(text.split()), lang


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
)
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
        if _NEXT_NOUN.match(sentence, m.end(2)):
            continue  # "street lamp", "table lamp": a modifier of the next noun
        prefix = m.group(1).split()
        cut = max((i for i, w in enumerate(prefix) if w.lower() in _SURFACE_STOP), default=-1)
        words = [w.lower() for w in prefix[cut + 1 :]]
        phrase = m.start(2) - (len(" ".join(prefix[cut + 1 :])) + 1 if words else 0)
        material = next((MATERIALS[w] for w in words if w in MATERIALS), None)
        after = _OF_MATERIAL.match(sentence, m.end(2))
        if after and material is None:
            material = MATERIALS[after.group(1).lower()]
            words.insert(0, after.group(1).lower())
        if kind == "fabric":
            material, kind = noun.lower(), noun.lower()
        noun_word = kind if kind in ("windowsill", "counter", "table", "rug", "sidewalk", "crossroads") else noun.lower()
        out.append({"kind": kind, "name": " ".join([*words, noun_word]), "material": material,
                    "start": m.start(2), "end": m.end(2), "phrase": max(phrase, m.start(1))})
    return out


_NEXT_NOUN = re.compile(r" (?:lamps?|lights?|food|signs?|cart|markets?|musicians?|vendors?|art|menus?)\b", re.I)
_OF_MATERIAL = re.compile(r" (?:of|made of|in) (" + "|".join(sorted(MATERIALS, key=len, reverse=True)) + r")\b", re.I)


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
    "eleven": 11, "twelve": 12, "dozen": 12, "pair": 2, "couple": 2, "both": 2,
}
_COUNT = re.compile(
    r"(?:\b(" + "|".join(_NUMBERS) + r"|\d{1,2})|\b(?:a )?(pair|couple) of)(?: [\w'-]+){0,2} \Z", re.I
)


_MATERIAL_STOP = frozenset("a an the of for with on in at and or to by from into onto its their his her this that".split())
_PLURAL_ONLY = re.compile(r"(?:head|ear)phones|sunglasses|chopsticks|scissors|jeans|trousers|pants", re.I)


def count_before(sentence: str, phrase: int, noun: int) -> int:
    """The number said just before a noun ("three red apples", "a pair of shoes"), or 1."""
    m = _COUNT.search(sentence, max(0, phrase - 16), noun)
    if not m or _PLURAL_ONLY.match(sentence, noun):
        return 1
    word = (m.group(1) or m.group(2)).lower()
    n = int(word) if word.isdigit() else _NUMBERS[word]
    return n if 1 < n <= 100 else 1


def material_of(sentence: str, phrase: int, noun_start: int, noun_end: int) -> str | None:
    """A material word in the noun phrase ("glass perfume bottle") or right after it ("table of wood")."""
    words = sentence[max(0, min(phrase, noun_start - 30)) : noun_start].lower().split()[-3:]
    for word in reversed(words):
        if word in _MATERIAL_STOP:
            break
        if word in MATERIALS and not (word == "golden" and sentence.startswith("retriever", noun_start)) \
                and not (word in ("oak", "walnut", "bamboo") and sentence.startswith("tree", noun_start)):
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
_ATTACH = re.compile(r"\b(with|of)(?: (?:a|an|the|some|its|their|his|her))?(?: [\w'-]+){0,2} \Z", re.I)
_NOT_A_RELATION = re.compile(r"(?:\bfrom|\breflected|\breflecting|\bmirrored|\bcovered|\bdressed|\bsurrounded by) \Z", re.I)
IN_MEANS_ON = frozenset({"windowsill", "table", "desk", "counter", "shelf", "floor", "street", "road", "sidewalk", "highway",
                         "pier", "dock", "deck", "porch", "balcony", "rug", "tablecloth", "doorstep", "nightstand", "slate",
                         "grass", "rock", "cliff", "surface", "mirror", "bed", "fabric", "ice", "moon", "sand", "window"})


def relations(sentence: str, mentions: list[Mention]) -> list[tuple[Mention, str, Mention | None]]:
    """(subject, relation, anchor) triples in one sentence; anchor None means "it" (the main subject)."""
    if not mentions:
        return []
    for m in mentions:
        link = _ATTACH.search(sentence, max(0, m.phrase - 40), m.phrase) if m is not mentions[0] else None
        m.attached = link.group(1).lower() if link else False
    out: list[tuple[Mention, str, Mention | None]] = []
    last: tuple[Mention, str, Mention | None] | None = None
    for rm in _RELATION.finditer(sentence):
        rel = _RELATION_VALUES[rm.lastindex - 1]
        if _NOT_A_RELATION.search(sentence, max(0, rm.start() - 16), rm.start()):
            continue
        # the right-hand side: "it" or the next mention whose phrase starts within a few words
        right: Mention | None = None
        pronoun = _PRONOUN.match(sentence, rm.end())
        if not pronoun:
            right = next((m for m in mentions if m.phrase >= rm.end() and len(sentence[rm.end() : m.phrase].split()) <= 3), None)
            if right is None:
                right = next((m for m in mentions if m.start >= rm.end() and len(sentence[rm.end() : m.start].split()) <= 3), None)
            if right is None:
                continue
        # the left-hand side: the nearest subject before it in the same clause
        left = None
        for m in sorted((m for m in mentions if m.end <= rm.start() and not m.surface), key=lambda m: -m.end):
            gap = sentence[m.end : rm.start()]
            if _CLAUSE_BREAK.search(gap) or len(gap.split()) > _GAP_WORDS:
                break
            if m.attached == "of" or (m.attached and rel in ("on", "in")):
                if any(o.end <= m.phrase and not o.surface for o in mentions):
                    continue  # "a girl with a kite on a hill": the girl is on it; "a glass of wine beside it": the glass
            left = m
            break
        if left is None and pronoun:
            # ", a potted plant beside it" / "with stormy waves behind it": the subject comes first
            left = next((m for m in reversed(mentions) if m.end <= rm.start() and not m.surface
                         and not _CLAUSE_BREAK.search(sentence[m.end : rm.start()])), None)
        if left is None and right is not None and not right.surface:
            # ", beside it are two lanterns"
            continue
        if left is None:
            continue
        # "a truck under a tree on a road": the truck is on the road; "roses in a vase on a piano": the vase is
        if last is not None and last[2] is left and last[1] not in ("in",) and not left.surface:
            left = last[0]
        if rel == "holds":
            if right is None:
                continue
            left, rel, right = right, "held by", left
        if rel == "in" and right is not None and right.surface and right.kind in IN_MEANS_ON:
            rel = "on"
        if right is not None and (right is left or right.key == left.key):
            continue
        last = (left, rel, right)
        out.append(last)
    return out


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


def carriers(sentence: str) -> dict[int, str]:
    """What each quoted text token in a sentence is written on: the nearest carrier noun before it
    (a wall or a window only when nothing else is named), else the first after it."""
    out: dict[int, str] = {}
    tokens = list(_TOKEN_AT.finditer(sentence))
    if not tokens:
        return out
    found = [(m.start(), CARRIER_NOUNS[m.group(1).lower()]) for m in _CARRIER.finditer(sentence)]
    for t in tokens:
        before = [c for at, c in found if at < t.start()]
        things = [c for c in before if c not in SURFACE_CARRIERS]
        carrier = things[-1] if things else (before[-1] if before else next((c for at, c in found if at > t.end()), None))
        if carrier:
            out[int(t.group(1))] = carrier
    return out


# ---------------------------------------------------------------- any English noun

_TOKENS = re.compile(r"[A-Za-z][A-Za-z'-]{0,39}")
_DETERMINERS = frozenset(
    "a an the two three four five six seven eight nine ten eleven twelve dozen several many some few its their his her"
    " this that these those each every another both couple pair single lone".split()
)
_PLURAL_TRIGGERS = frozenset("with and among amid near beside between under on in behind".split())
_OF_WHOLE = frozenset(  # "a flock of birds", "a basket of apples": what follows "of" is depicted too
    "flock stack pile herd bunch bouquet swarm group row set cluster handful heap pair couple dozen lots plenty"
    " basket bowl plate box bag bucket jar crate tray cart sack pot vase glass cup mug jug pitcher loaf slice piece".split()
)
_NEVER_MODIFIER = frozenset(
    "a an the of for with on in at and or to by from into onto is are was be it its inside outside over under above"
    " below beneath behind beside near next front top across along against between through around upon atop within"
    " while during as like than then there here where when which who that this".split()
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
    if lemma is None or lemma in NOT_SUBJECT or lemma in MATERIALS:
        return None
    if verb and (low.endswith(("ing", "ed")) or (low == lemma and not lenient and low not in NOUN_KINDS and adj)):
        return None  # "sitting", "covered"
    if adj and not lenient and low not in NOUN_KINDS and low.endswith(("ful", "ous", "ive", "al", "ic", "ish", "less", "y")):
        return None
    return lemma


GENERIC = True  # off: the word tables alone (for comparisons)


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
        lemma = _is_head(word, lenient)
        if lemma is None:
            continue
        if i + 1 < len(tokens) and blocked[i + 1] and tokens[i + 1][0] == end + 1:
            continue  # a modifier of a noun a table found ("tea cup")
        # walk back over up to two modifiers to a determiner, a number or a trigger
        mods: list[int] = []
        j = i - 1
        trigger = None
        while j >= 0 and len(mods) <= 2:
            w = tokens[j][2].lower()
            if blocked[j] or sentence[tokens[j][1] : tokens[j + 1][0]].strip():
                break  # punctuation or a table's noun in between
            if w in _DETERMINERS or w.isdigit() or w in _NEVER_MODIFIER:
                trigger = w
                break
            if lenient and not known_word(w):
                break  # a word the gloss left in the other language
            if w.endswith(("ing", "ed")) and j and _is_head(tokens[j - 1][2], lenient) and tokens[j - 1][2].lower() not in _NEVER_MODIFIER:
                if not mods and w.endswith("ing"):
                    trigger = "with"  # "a child blowing bubbles": a plural object of the verb
                break  # "a hamster sleeping inside": the hamster heads its own phrase
            mods.append(j)
            j -= 1
        # the last noun of a compound heads it: "tea kettle" -> kettle; "a dog runs": runs is a verb
        if i + 1 < len(tokens) and tokens[i + 1][0] == end + 1 and not blocked[i + 1]:
            nxt = tokens[i + 1][2].lower()
            nl, nv, _ = _lexicon(nxt)
            if nl is not None and not nxt.endswith(("ing", "ed")) and nxt not in _NEVER_MODIFIER and nxt not in _DETERMINERS:
                verb_like = nv and nxt.endswith("s") and nxt not in NOT_SUBJECT and nxt not in NOUN_KINDS
                if not (verb_like and trigger in _SINGULAR):
                    continue
        plural = lemma != word.lower()
        ok = (
            lenient
            or (trigger is not None and (trigger in _DETERMINERS or (plural and trigger in _PLURAL_TRIGGERS)))
            or (trigger == "of" and j > 0 and tokens[j - 1][2].lower() in _OF_WHOLE)
            or (plural and j < 0 and not mods)
        )
        if not ok:
            continue
        mods = [m for m in reversed(mods) if tokens[m][2].lower() not in _NEVER_MODIFIER]
        phrase = tokens[mods[0]][0] if mods else start
        name = " ".join([*(tokens[m][2] for m in mods[-2:]), word])
        out.append((NOUN_KINDS.get(lemma, "object"), lemma, name, start, end, phrase))
    return out
