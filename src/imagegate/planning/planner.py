"""Planner ("thinking mode"): turns a prompt into an engine-neutral Plan.

`RulePlanner` reads a prompt with word tables (no model): quoted strings in any script become
exact text elements, noun phrases become subjects, and words about format, surface, colour,
light, layout and mood fill the rest. Every prompt gets a complexity score; from
`THINKING_THRESHOLD` points the plan is marked `thinking` and `revised_prompt` spells it out.
`planning.chat.ChatPlanner` asks a chat model for the same plan instead.
"""

from __future__ import annotations

import inspect
import re
from bisect import bisect_left, bisect_right
from dataclasses import replace
from typing import Any

from imagegate.sizes import listed_sizes
from imagegate.plan import COLORS, RGB, Effect, Plan, Relation, Subject, Surface, TextElement, default_palette, luminance
from imagegate.planning import scene as structure
from imagegate.planning.words import HYPERNYMS, MATERIALS
from imagegate.planning.extra_words import BRAND_KINDS as BRAND_WORDS

THINKING_THRESHOLD = 3.5

from imagegate.planning.words import (
    ASPECT_RULES,
    BACKGROUND_RULES,
    BOLD_RULE,
    DIRECTION_RULES,
    FONT_STYLE_RULES,
    FORMAT_RULES,
    LANGUAGE_WORDS,
    LETTER_WORDS,
    LIGHTING_RULES,
    MEDIUM_RULES,
    MOOD_RULES,
    PLACEMENT_RULES,
    RESEARCH_RULE,
    SCRIPT_LANGUAGES,
    SETTING_BACKGROUNDS,
    SETTING_RULES,
    SIZE_RULES,
    STOP_WORDS,
    SUBJECT_NOUNS,
    SURFACE_PALETTES,
    SURFACE_WORDS,
    TIME_LIGHTING,
    TIME_PALETTES,
    WEATHER_LIGHTING,
    WEATHER_MIX,
    TONE_RULES,
    TRANSPARENT_RULE,
    WEAK_PERSON,
)

# Quoted text, in any script: "…", “…”, „…“, «…», »…«, 「…」, 『…』, ‹…›, ‘…’ and '…'. The
# quoted text is at least one character; "…" and '…' stay on one line, ‘…’ too; ‘…’ ends at a ’
# that no letter follows ("‘rock’n’roll’"), and '…' opens where no letter or ' comes before it
# and ends at a ' that no letter or ' follows ("'Joe's Diner'"). Found by `_quote_spans` in one
# pass over the text, however many marks are left open.
_OPENING = re.compile("[\"“„«»「『‹‘']")
_STOPS = {  # opening mark -> where its text stops, and which stops close it (the others end it unclosed)
    '"': (re.compile('["\n]'), '"'), "“": (re.compile("[”“]"), "”“"), "„": (re.compile("[“”]"), "“”"),
    "«": (re.compile("»"), "»"), "»": (re.compile("«"), "«"), "「": (re.compile("」"), "」"),
    "『": (re.compile("』"), "』"), "‹": (re.compile("›"), "›"),
}
_CLOSING = {"‘": re.compile(r"’(?!\w)"), "'": re.compile(r"'(?![\w'])")}  # the first after the text's first character
_NEWLINE = re.compile("\n")
_LETTER_OR_APOSTROPHE = re.compile(r"[\w']")
_SENTENCE = re.compile(r"(?<=[.!?;。！？])\s*|\n+")
_TOKEN = "\u27e6{}\u27e7"  # ⟦i⟧ stands in for quoted text i while reading the rest
_TOKEN_AT = re.compile("\u27e6(\\d+)\u27e7")
_COLOR_WORDS = "|".join(re.escape(c) for c in sorted(COLORS, key=len, reverse=True))
_COLOR = re.compile(rf"\b(?:(dark|deep|light|pale|bright|neon|pastel|soft|muted|rich|warm|cool) )?({_COLOR_WORDS})\b", re.I)


def _compiled(rules):
    """A word table with its patterns compiled (case-insensitive)."""
    return tuple((re.compile(pattern, re.I), *rest) for pattern, *rest in rules)


def _any_of(rules) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """One pattern for a word table, a group per rule, and the rules' values."""
    return re.compile("|".join(f"({p})" for p, *_ in rules), re.I), tuple(value for _, value, *_ in rules)


(_ASPECT, _FORMAT, _BACKGROUND, _SETTING, _TONE, _LIGHTING, _DIRECTION, _MOOD, _MEDIUM) = (
    _compiled(rules) for rules in (ASPECT_RULES, FORMAT_RULES, BACKGROUND_RULES, SETTING_RULES, TONE_RULES,
                                   LIGHTING_RULES, DIRECTION_RULES, MOOD_RULES, MEDIUM_RULES)
)
_PLACEMENT, _SIZE, _FONT_STYLE = (_any_of(rules) for rules in (PLACEMENT_RULES, SIZE_RULES, FONT_STYLE_RULES))
_BOLD = re.compile(BOLD_RULE, re.I)
_TRANSPARENT = re.compile(TRANSPARENT_RULE, re.I)
_RESEARCH = re.compile(RESEARCH_RULE, re.I)
_WEAK_PERSON = re.compile(rf"\b(?:{WEAK_PERSON})\b", re.I)
_CLOSE_PERSON = re.compile(r"\b(?:headshot|close-?up|portrait of)\b", re.I)
_LANGUAGES = tuple((re.compile(words, re.I), language, re.compile(script)) for words, language, script in LANGUAGE_WORDS)
_SCRIPTS = tuple((re.compile(script), language) for script, language in SCRIPT_LANGUAGES)
_ANY_SCRIPT = re.compile("[" + "".join(p[1:-1] for p in {*(s for s, _ in SCRIPT_LANGUAGES), *(s for *_, s in LANGUAGE_WORDS)}) + "]")


def _first(rules, text: str):
    """The first rule (in table order) whose pattern occurs in `text`, with its match."""
    for rule in rules:
        found = rule[0].search(text)
        if found:
            return rule, found
    return None, None


def _matches(table: tuple[re.Pattern[str], tuple[str, ...]], text: str) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, value) matches of any rule of an `_any_of` table, left to right."""
    pattern, values = table
    out = []
    for m in pattern.finditer(text):
        index = next(i for i, g in enumerate(m.groups()) if g is not None)
        out.append((m.start(), m.end(), values[index]))
    return out


def _shade(color: RGB, modifier: str | None) -> RGB:
    """Apply a modifier like 'dark' or 'pastel' to a colour."""
    r, g, b = color
    if modifier in ("dark", "deep", "rich"):
        return (int(r * 0.45), int(g * 0.45), int(b * 0.45))
    if modifier in ("light", "pale", "pastel", "soft"):
        return tuple(int(c + (255 - c) * 0.55) for c in color)  # type: ignore[return-value]
    if modifier == "muted":
        m = (r + g + b) / 3
        return tuple(int(c * 0.5 + m * 0.5) for c in color)  # type: ignore[return-value]
    if modifier in ("bright", "neon"):
        top = max(color) or 1
        return tuple(min(255, int(c * 255 / top)) for c in color)  # type: ignore[return-value]
    return color


def _color_at(match: re.Match) -> RGB:
    return _shade(COLORS[match.group(2).lower()], (match.group(1) or "").lower() or None)


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b))  # type: ignore[return-value]


# ---------------------------------------------------------------- reading a prompt


def _quote_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, quoted text) of each quoted string, left to right, not overlapping.

    A regex would look for the closing mark again from every opening mark, which takes
    quadratic time on text full of unclosed marks; this remembers where each kind of mark was
    next seen, so the whole text is read a bounded number of times.
    """
    seen: dict[re.Pattern[str], tuple[int, int | None]] = {}

    def next_at(pattern: re.Pattern[str], start: int) -> int | None:
        """Where `pattern` next matches at or after `start`."""
        if pattern in seen:
            searched_from, at = seen[pattern]
            if searched_from <= start and (at is None or at >= start):
                return at
        m = pattern.search(text, start)
        at = m.start() if m else None
        seen[pattern] = (start, at)
        return at

    spans = []
    pos = 0
    while (m := _OPENING.search(text, pos)) is not None:
        i, mark = m.start(), m.group()
        if mark in _STOPS:
            stops, closing = _STOPS[mark]
            j = next_at(stops, i + 1)
            ok = j is not None and j > i + 1 and text[j] in closing
        elif mark == "'" and i and _LETTER_OR_APOSTROPHE.match(text, i - 1):
            ok = False  # an apostrophe ("don't"), not an opening quote
        else:  # ‘ and ': the first fitting closing mark, with no line break before it
            j = next_at(_CLOSING[mark], i + 2)
            newline = next_at(_NEWLINE, i + 1)
            ok = j is not None and (newline is None or j < newline)
        if ok:
            spans.append((i, j + 1, text[i + 1 : j]))
            pos = j + 1
        else:
            pos = i + 1
    return spans


def _without_quotes(text: str) -> str:
    """The text with each quoted string replaced by a space."""
    parts: list[str] = []
    last = 0
    for start, end, _ in _quote_spans(text):
        parts += [text[last:start], " "]
        last = end
    return "".join([*parts, text[last:]])


def _extract_quotes(prompt: str) -> tuple[str, list[str]]:
    """Replace every quoted string with a token; return the masked prompt and the strings."""
    quotes: list[str] = []
    parts: list[str] = []
    last = 0
    for start, end, quoted in _quote_spans(prompt):
        text = quoted.strip()
        if text:  # quotes around nothing but spaces stay as they are
            quotes.append(text)
            parts += [prompt[last:start], f" {_TOKEN.format(len(quotes) - 1)} "]
            last = end
    return "".join([*parts, prompt[last:]]), quotes


def _sentences(masked: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs of the masked prompt."""
    out, start = [], 0
    for m in _SENTENCE.finditer(masked):
        if m.start() > start:
            out.append((start, masked[start : m.start()]))
        start = m.end()
    if start < len(masked):
        out.append((start, masked[start:]))
    return [(o, s) for o, s in out if s.strip()]


class _Anchor:
    """Something in a sentence that layout and size words can attach to."""

    def __init__(self, key: tuple[str, Any], start: int, end: int) -> None:
        self.key, self.start, self.end = key, start, end

    def distance(self, start: int, end: int) -> int:
        if end <= self.start:
            return self.start - end
        if start >= self.end:
            return start - self.end
        return 0


def _assign(anchors: list[_Anchor], matches: list[tuple[int, int, str]]) -> dict[tuple[str, Any], list[str]]:
    """Give each (start, end, value) match to its nearest anchor (the first listed, on a tie)."""
    out: dict[tuple[str, Any], list[str]] = {}
    if not anchors or not matches:
        return out
    # The anchors come as runs in text order (subjects, then texts); in a run that does not
    # overlap itself the nearest one is the last before the match, the first overlapping it, or
    # the first after it, found by bisection rather than by measuring every anchor.
    runs: list[tuple[int, list[int], list[int]]] = []  # (index of the first anchor, starts, ends)
    last_end = None  # where the previous anchor ends, if the next may join its run
    for i, a in enumerate(anchors):
        if last_end is not None and a.end > a.start and a.start >= last_end:
            runs[-1][1].append(a.start)
            runs[-1][2].append(a.end)
        else:
            runs.append((i, [a.start], [a.end]))
        last_end = a.end if a.end > a.start else None
    for start, end, value in matches:
        best: tuple[int, int] | None = None  # (distance, index)
        for first, starts, ends in runs:
            before = bisect_right(ends, start)  # anchors [0, before) end at or before the match
            after = bisect_left(starts, end)  # anchors [after, ...) start at or after it
            for k in (before - 1, before, after):
                if 0 <= k < len(starts):
                    candidate = (anchors[first + k].distance(start, end), first + k)
                    best = candidate if best is None or candidate < best else best
        out.setdefault(anchors[best[1]].key, []).append(value)
    return out


def _combine_positions(values: list[str]) -> str:
    """'centered at the top' -> top; 'top' + 'right' -> upper right."""
    corners = [v for v in values if " " in v and "third" not in v]
    if corners:
        return corners[0]
    vertical = next((v for v in values if v in ("top", "bottom")), None)
    horizontal = next((v for v in values if v in ("left", "right")), None)
    if vertical and horizontal:
        return f"{'upper' if vertical == 'top' else 'lower'} {horizontal}"
    return vertical or horizontal or values[0]


# Words before a noun or a surface are at most _WORD characters long: a pattern tried from every
# position of a long run of letters would otherwise read to the end of the run each time.
_WORD = 40
_SUBJECT_PATTERNS = {
    # no "of" among the words before the noun: "Cup of tea" holds a cup too
    kind: re.compile(rf"\b((?:(?!of )[\w'-]{{1,{_WORD}}} ){{0,2}})({nouns})\b(?!-\w)", re.I) for kind, nouns in SUBJECT_NOUNS.items()
}
_PLACE_NOUN = re.compile(r" (?:shop|store|bar|house|maker|factory|company|font|typeface|type|style|lettering|aesthetic"
                         r"|groves?|orchards?|farms?|plantations?)\b", re.I)
_BOOK_GENRE = re.compile(r" (?:illustrations?|art|artwork|style)\b", re.I)
_POSSESSIVE = re.compile("['\u2019]s\\b")
_BODY_PART = re.compile(r"['\u2019]s (?:\w+ )?(?:shoulders?|hands?|arms?|lap|palms?|back|face|knees?|foot|feet|fingers?|wrists?|neck|paws?)\b", re.I)
_LAST_WORD = re.compile(r"([A-Za-z][\w'-]{0,39}) \Z")
_SENTENCE_START = re.compile(r"\s*")  # a capital there is only the sentence's
_OWN_BODY = re.compile(r"\b(?:its|his|her|their) \Z", re.I)
_BODY_PARTS = frozenset("beak mouth jaw jaws paw paws hand hands shoulder shoulders head lap arm arms back tail wing wings nose ear ears"
                        " eye eyes face hair neck foot feet leg legs knee knees finger fingers claw claws lips chest belly".split())
OF_ONE = False  # on: "a cup of tea" is the cup alone
_OF_LINK = re.compile(r"\A\s+of\s+(?:[\w'-]+\s+)?\Z")
_NEGATIONS = {"no", "without", "not"}
# words that end a subject's name on its left ("a dog under a tree": the tree is not "dog under tree")
_NAME_BREAKS = frozenset("under over above below beneath behind beside near inside outside atop against between across"
                         " along around through during next front".split())
DEFAULT_SCALES = {
    "watch": 0.62, "person": 0.8, "bottle": 0.62, "cup": 0.5, "tree": 0.75, "building": 0.72, "animal": 0.55,
    "car": 0.55, "phone": 0.66, "flower": 0.6, "mountain": 0.95, "object": 0.5,
}


def _find_subjects(sentence: str, surfaces: list[dict[str, Any]] = (), lenient: bool = False) -> list[tuple[str, str, str, RGB | None, int, int, int]]:
    """(kind, head noun, name, colour, start, end, phrase start) for each subject noun phrase in a sentence
    (nouns inside a surface phrase excluded)."""
    found = []
    taken = sorted((sf["start"], sf["end"]) for sf in surfaces)
    taken_starts: list[int] = [a for a, _ in taken]  # the nouns taken so far, which never overlap, in text order
    taken_ends: list[int] = [b for _, b in taken]
    for kind, pattern in _SUBJECT_PATTERNS.items():
        pos = 0
        while (m := pattern.search(sentence, pos)) is not None:
            pos = m.end()
            noun = m.group(2)
            k = bisect_left(taken_starts, m.end(2))  # only the last noun starting before this one ends can overlap it
            if k and taken_ends[k - 1] > m.start(2):
                continue
            words = m.group(1).split()
            if _NEGATIONS & {w.lower() for w in words}:
                continue
            if _PLACE_NOUN.match(sentence, m.end(2)):
                continue  # "tea shop", "coffee house": a place, not the thing
            if noun.lower() == "book" and _BOOK_GENRE.match(sentence, m.end(2)):
                continue  # "a children's book illustration of a bear": a kind of picture, no book drawn
            if _POSSESSIVE.match(sentence, m.end(2)) and not _BODY_PART.match(sentence, m.end(2)):
                continue  # "a doctor's desk": the desk is the thing
            if not lenient and structure.noun_follows(sentence, m.end(2)):
                if m.start(2) > m.start():
                    pos = m.start(2)  # "near a pine tree": read again from "pine", which names the tree
                continue  # "a record player", "a coffee bean": the last noun heads the compound
            if kind == "object" and noun[0].isupper() and not _SENTENCE_START.fullmatch(sentence, 0, m.start(2)):
                continue  # "Apple aesthetic" is a brand, not fruit (but "Bowl of oranges" opens the sentence)
            cut = max((i for i, w in enumerate(words) if w.lower() in STOP_WORDS or w.lower() in _NAME_BREAKS
                       or (lenient and not structure.known_word(w)) or (i and w.lower().endswith("ing") and structure.is_noun(words[i - 1]))), default=-1)
            words = words[cut + 1 :]
            # (not after a cut word: "a post with fishing boats" keeps its fishing boats)
            if words and cut < 0 and words[0].lower().endswith("ing") and structure.is_noun(words[0]) is False:
                before = _LAST_WORD.search(sentence, max(0, m.start(1) - 40), m.start(1))
                if before and structure.is_noun(before.group(1)):
                    words = words[1:]  # "a vendor selling hot dogs": the dogs, not "selling hot dogs"
            color_match = _COLOR.search(" ".join(words))
            name = " ".join([*words, noun])
            taken_starts.insert(k, m.start(2))
            taken_ends.insert(k, m.end(2))
            phrase = m.start(2) - (len(" ".join(words)) + 1 if words else 0)
            found.append((kind, noun.lower().rstrip("s"), name, _color_at(color_match) if color_match else None, m.start(2), m.end(2), phrase))
    found.sort(key=lambda f: f[4])
    # "coffee cups", "palm trees": a noun right before another noun is its modifier
    by_start = {f[4]: i for i, f in enumerate(found)}
    surface_starts = {sf["start"] for sf in surfaces}
    kept = []
    dropped = set()
    for i, f in enumerate(found):
        if i in dropped:
            continue
        if f[5] < len(sentence) and sentence[f[5]] == " " and (f[5] + 1 in by_start or f[5] + 1 in surface_starts):
            j = by_start.get(f[5] + 1)
            if j is not None and sentence[found[j][4] : found[j][5]].lower() in structure.KEEP_FIRST:
                dropped.add(j)  # "an elephant family": the elephants are the thing
                kept.append(i)
                continue
            if j is not None:  # the head noun takes the modifier into its name and phrase
                kind, head, name, color, start, end, _ = found[j]
                found[j] = (kind, head, f"{f[2]} {name.split()[-1]}" if len(name.split()) == 1 else name, color or f[3], start, end, f[6])
            continue
        kept.append(i)
    found = [found[i] for i in kept]
    taken = [(f[6], f[5]) for f in found] + [(sf["phrase"], sf["end"]) for sf in surfaces]
    # "a cup of tea", "a bouquet of roses": the second noun belongs to the first
    # (the labels name both: "a cup of tea" shows the cup and the tea)
    found = [f for i, f in enumerate(found) if not (OF_ONE and i and found[i - 1][0] == f[0] and _OF_LINK.match(sentence[found[i - 1][5] : f[4]]))]
    # any other noun after a determiner or a number (the lexicon tells nouns from other words)
    extra = []
    for kind, head, name, start, end, phrase in structure.generic_subjects(sentence, taken, lenient):
        if _PLACE_NOUN.match(sentence, end) or _NEGATIONS & {w.lower() for w in sentence[max(0, phrase - 8) : phrase].split()[-1:]}:
            continue
        if structure.place_after_in(sentence, phrase, sentence[start:end]):
            continue  # "in a dimly lit bar": the setting, not a subject
        if _OWN_BODY.search(sentence, max(0, phrase - 12), phrase) and head in _BODY_PARTS:
            continue  # "a puffin with fish in its beak": part of the puffin
        color_match = _COLOR.search(name)
        extra.append((kind, head, name, _color_at(color_match) if color_match else None, start, end, phrase))
    if extra:
        found = sorted(found + extra, key=lambda f: f[4])
    return found


def _singular(word: str) -> str | None:
    """The singular of a plural head noun whose plain "-s" / "-es" reading is wrong ("skis", "mangoes",
    "bookshelves", "cookies"), else None: a plan names one of a kind, its count says how many."""
    low = word.lower()
    if len(low) < 4 or not low.endswith("s") or not low.isalpha():
        return None
    lemma = structure.noun_lemma(low)
    if lemma == low and low.endswith("is") and structure.noun_lemma(low[:-1]) == low[:-1]:
        lemma = low[:-1]  # "taxis": the lexicon knows "taxis" too, but a taxi is what is drawn
    if lemma is None or lemma == low or not word.islower():
        return None
    plain = low[:-3] + "y" if low.endswith("ies") else low[:-2] if low.endswith(("ches", "shes", "xes", "sses")) \
        else low if low.endswith(("ss", "us", "is")) else low[:-1]
    return None if plain == lemma else lemma


def _with_category(name: str) -> str:
    """A breed is drawn, and named, with its everyday kind: "a corgi" -> "corgi dog"."""
    words = name.split()
    category = HYPERNYMS.get(words[-1].lower()) if words and (words[-1].lower() not in BRAND_WORDS or words[-1][:1].isupper()) else None
    if category is None and words:
        single = _singular(words[-1])
        return name if single is None else " ".join([*words[:-1], single])
    if category is None or category in (w.lower() for w in words):
        return name
    last = words[-1]
    if last.lower().endswith("s") and last.lower()[:-1] in HYPERNYMS:
        return " ".join([*words[:-1], last[:-1], category + "s"])  # "two poodles" -> "poodle dogs"
    return f"{name} {category}"


def _read_subjects(sentences: list[tuple[int, str]], lenient: bool = False):
    """Subject mentions per sentence, merged across sentences by kind and noun; and the surfaces."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    per_sentence = []
    surfaces = []
    for index, (_, sentence) in enumerate(sentences):
        found = structure.find_surfaces(sentence)
        mentions = _find_subjects(sentence, found, lenient)
        starts = {m[4] for m in mentions}
        found = [sf for sf in found if sf["end"] + 1 not in starts]  # "a velvet chair": velvet is the chair's
        surfaces.append(found)
        per_sentence.append(mentions)
        for kind, head, name, color, start, end, phrase in mentions:
            name = _with_category(name)
            entry = merged.setdefault((kind, head), {"name": name, "kind": kind, "color": color, "placements": [], "sizes": [],
                                                     "count": 1, "material": None, "relations": []})
            if len(name) > len(entry["name"]):
                entry["name"] = name
            entry["color"] = entry["color"] or color
            entry["count"] = max(entry["count"], structure.count_before(sentence, phrase, start))
            entry["material"] = entry["material"] or structure.material_of(sentence, phrase, start, end)
    return merged, per_sentence, surfaces


def _language(text: str, prompt: str, named: dict[re.Pattern[str], bool] | None = None) -> str | None:
    """A BCP-47 hint from the text's script, refined by a language named in the prompt.

    `named` remembers which language words the prompt has, for the prompt's other texts."""
    if not _ANY_SCRIPT.search(text):
        return None  # none of the scripts below
    named = {} if named is None else named
    for words, language, script in _LANGUAGES:
        if script.search(text):
            if words not in named:
                named[words] = words.search(prompt) is not None
            if named[words]:
                return language
    for script, language in _SCRIPTS:
        if script.search(text):
            return language
    return None


_TEXT_COLOR = re.compile(
    rf"(?:\bin |\b)((?:(?:dark|deep|light|pale|bright|neon|pastel|soft|rich|warm|cool) )?(?:{_COLOR_WORDS}))"
    rf"(?: (?:{LETTER_WORDS})\b|(?=[ ,.;]|$))",
    re.I,
)
_LETTER_WORD_END = re.compile(rf" (?:{LETTER_WORDS})$")


def _text_color(sentence: str, anchors: list[_Anchor]) -> dict[tuple[str, Any], list[str]]:
    """Colour words that describe lettering ('in gold letters', 'white text'), by text anchor."""
    matches = []
    for m in _TEXT_COLOR.finditer(sentence):
        phrase = m.group(0).lower()
        if phrase.startswith("in ") or _LETTER_WORD_END.search(phrase):
            matches.append((m.start(), m.end(), m.group(1)))
    return _assign(anchors, matches)


def _read_sentence(sentence: str, quotes: list[str], mentions, merged, texts: dict[int, dict[str, Any]]) -> None:
    """Attach layout, size, font and colour words in one sentence to its subjects and texts."""
    anchors = [_Anchor(("subject", (k, h)), s, e) for k, h, _, _, s, e, _ in mentions]
    text_anchors = [
        _Anchor(("text", int(m.group(1))), m.start(), m.end()) for m in _TOKEN_AT.finditer(sentence)
    ]
    anchors += text_anchors
    for key, values in _assign(anchors, _matches(_PLACEMENT, sentence)).items():
        target = merged[key[1]]["placements"] if key[0] == "subject" else texts[key[1]]["positions"]
        target.extend(values)
    for key, values in _assign(anchors, _matches(_SIZE, sentence)).items():
        (merged[key[1]]["sizes"] if key[0] == "subject" else texts[key[1]]["sizes"]).extend(values)
    if not text_anchors:
        return
    for key, values in _assign(text_anchors, _matches(_FONT_STYLE, sentence)).items():
        texts[key[1]]["styles"].extend(values)
    for key, _ in _assign(text_anchors, [(m.start(), m.end(), "bold") for m in _BOLD.finditer(sentence)]).items():
        texts[key[1]]["bold"] = True
    for key, values in _text_color(sentence, text_anchors).items():
        color = _COLOR.search(values[0])
        texts[key[1]]["color"] = _color_at(color) if color else None


def _place_subjects(merged: dict, transparent: bool) -> tuple[Subject, ...]:
    """Turn merged mentions into Subjects; unplaced ones share the free slots."""
    entries = list(merged.values())
    unplaced = [e for e in entries if not e["placements"]]
    slots = {1: ["center"], 2: ["left third", "right third"], 3: ["left third", "center", "right third"]}
    free = slots.get(len(unplaced), ["left third", "center", "right third", "upper left", "upper right", "foreground"])
    subjects = []
    for entry in entries:
        placement = _combine_positions(entry["placements"]) if entry["placements"] else free[unplaced.index(entry) % len(free)]
        scale = DEFAULT_SCALES.get(entry["kind"], 0.5) * (0.72 if len(entries) > 1 else 1.0)
        if "headline" in entry["sizes"] or "large" in entry["sizes"]:
            scale *= 1.25
        elif "small" in entry["sizes"]:
            scale *= 0.6
        if placement == "background":
            scale *= 0.6
        depth = next((p for p in reversed(entry["placements"]) if p in ("foreground", "background")), None)
        relation, anchor = entry.get("relations", [(None, None)])[0] if entry.get("relations") else (None, None)
        subjects.append(Subject(entry["name"], entry["kind"], placement, round(min(scale, 1.2), 3), entry["color"],
                                count=entry.get("count", 1), relation=relation, anchor=anchor, depth=depth,
                                material=entry.get("material")))
    return tuple(subjects)


def _make_texts(quotes: list[str], texts: dict[int, dict[str, Any]], prompt: str, has_subjects: bool,
                carriers: dict[int, str] | None = None) -> tuple[TextElement, ...]:
    defaults = ["top", "bottom", "center"] if has_subjects else ["center", "bottom", "top"]
    out = []
    named: dict[re.Pattern[str], bool] = {}
    for i, text in enumerate(quotes):
        info = texts[i]
        position = _combine_positions(info["positions"]) if info["positions"] else defaults[min(i, 2)]
        size = info["sizes"][0] if info["sizes"] else "medium"
        style = info["styles"][0] if info["styles"] else ("display" if size == "headline" and info["bold"] else "sans")
        weight = "bold" if info["bold"] else "regular"
        out.append(TextElement(text, style, weight, position, size, info["color"], _language(text, prompt, named),
                               (carriers or {}).get(i)))
    return tuple(out)


_SURFACE_PHRASE = re.compile(rf"((?:[\w-]{{1,{_WORD}}} ){{1,3}})(?:{SURFACE_WORDS})\b", re.I)
_IN_THE_BACK = re.compile(r"(?:in|on) the (?:background|foreground)", re.I)


def _background(masked: str) -> tuple[str | None, RGB | None, str | None]:
    """(background, its colour, the phrase) from 'on a dark marble surface', else from any surface word."""
    for m in _SURFACE_PHRASE.finditer(masked):
        phrase = m.group(0)
        if _IN_THE_BACK.match(phrase):
            continue
        rule, _ = _first(_BACKGROUND, phrase)
        color = _COLOR.search(phrase)
        if rule or color:
            return (rule[1] if rule else "plain"), (_color_at(color) if color else None), phrase.strip()
    rule, found = _first(_BACKGROUND, masked)
    return (rule[1] if rule else None), None, (found.group(0) if found else None)


def _palette(masked: str, background: str, bg_color: RGB | None, tone: str | None, mood: str | None, reserved: list[tuple[int, int]]) -> tuple[RGB, ...]:
    """Dominant, secondary and accent colours from the background, colour words, tone and mood."""
    base, secondary, accent = default_palette(background, tone)
    # a colour word inside a reserved span does not count: the spans by start, with the furthest
    # end reached so far, tell at once whether any span covers a position
    spans = sorted(reserved)
    starts = [s for s, _ in spans]
    reach = []
    for _, e in spans:
        reach.append(max(e, reach[-1]) if reach else e)

    def covered(i: int) -> bool:
        k = bisect_right(starts, i)
        return k > 0 and reach[k - 1] > i

    loose = [_color_at(m) for m in _COLOR.finditer(masked) if not covered(m.start()) and not masked.startswith(" hour", m.end())]
    if bg_color is not None:
        base = bg_color
        secondary = _mix(bg_color, (0, 0, 0) if luminance(bg_color) > 128 else (255, 255, 255), 0.18)
    elif loose and background in ("gradient", "bokeh", "plain", "fabric", "studio"):
        base = loose[0]
        secondary = loose[1] if len(loose) > 1 else _mix(loose[0], (255, 255, 255), 0.4)
    accents = [c for c in loose if c not in (base, secondary)]
    if mood == "luxurious" and not accents:
        accents.append(COLORS["gold"])
    palette = [base, secondary, *accents, accent] if not accents else [base, secondary, *accents]
    if tone == "dark" and bg_color is None and luminance(base) > 90:
        palette[0], palette[1] = _shade(palette[0], "dark"), _shade(palette[1], "dark")
    if tone == "pastel":
        palette = [_shade(c, "pastel") for c in palette]
    elif tone == "neon":
        palette = [palette[0] if luminance(palette[0]) < 60 else (14, 10, 30), (255, 40, 200), (30, 230, 255), *palette[2:]]
    elif tone == "monochrome":
        palette = [(int(luminance(c)),) * 3 for c in palette]  # type: ignore[misc]
    return tuple(dict.fromkeys(palette))


def _score(plan: Plan, sentences: int, words: int, placed: bool) -> float:
    """Complexity points: elements, text, layout, light, format, setting, colour, length."""
    points = min(len(plan.subjects), 3) * 1.0 + len(plan.texts) * 1.5
    points += 1.0 if placed else 0.0
    points += 1.0 if plan.lighting else 0.0
    points += 1.0 if (plan.format or plan.aspect) else 0.0
    points += 0.5 if plan.background != "gradient" or plan.setting else 0.0
    points += 0.5 if plan.tone or len(plan.palette) > 3 else 0.0
    points += 1.0 if plan.research else 0.0
    points += min(max(sentences - 2, 0) * 0.5, 1.5) + (0.5 if words > 40 else 0.0)
    return points


_LETTERING = re.compile(rf"\bin [\w -]{{0,20}}?(?:{LETTER_WORDS})\b|\b\w+ (?:{LETTER_WORDS})\b", re.I)
_AFTER_TOKEN = re.compile(r"\u27e7 in (\w+ )?\w+")


# Scene analysis (subjects, layout, light, colour) reads the first SCENE_CHARS characters of a
# prompt, with its quoted texts masked; quoted text is found in the whole prompt. Ordinary
# prompts are far shorter; the limit keeps a 32,000-character prompt quick to read.
SCENE_CHARS = 8000


def _scene(masked: str) -> str:
    """The part of the masked prompt that scene analysis reads: all of it, or its first
    SCENE_CHARS characters up to the last clause break among them (else the last space): a phrase
    cut in two ("under a pale| sky") would read as another thing."""
    if len(masked) <= SCENE_CHARS:
        return masked
    cut = max(masked.rfind(mark, 0, SCENE_CHARS + 1) for mark in (", ", ". ", "; ", "\n"))
    if cut <= SCENE_CHARS // 2:
        cut = masked.rfind(" ", 0, SCENE_CHARS + 1)
    return masked[: cut if cut > 0 else SCENE_CHARS]


_OUTDOOR = frozenset({"sky", "gradient", "water", "night sky", "night city", "plain", "bokeh", "concrete"})


def _read_relations(sentences, per_sentence, surface_mentions, merged) -> tuple[Relation, ...]:
    """Relations between subjects (and surfaces), per sentence; each subject keeps its first as
    `relation` / `anchor`. "it" is the prompt's first subject."""
    main = next(iter(merged), None)
    out: list[Relation] = []
    for (_, sentence), mentions, found in zip(sentences, per_sentence, surface_mentions):
        items = [structure.Mention(k, (k, h), n, s, e, p, False) for k, h, n, _, s, e, p in mentions]
        items += [structure.Mention(sf["kind"], None, sf["name"], sf["start"], sf["end"], sf["phrase"], True) for sf in found]
        taken = [(m.start, m.end) for m in items]
        items += [p for p in structure.find_places(sentence) if not any(a < p.end and p.start < b for a, b in taken)]
        items.sort(key=lambda m: m.start)
        for left, rel, right in structure.relations(sentence, items):
            if left.key not in merged:
                continue
            if right is None:
                anchor_key = main if main != left.key else next((k for k in merged if k != left.key), None)
                if anchor_key is None:
                    continue
                anchor = merged[anchor_key]["name"]
            else:
                anchor = right.name if right.surface or right.key not in merged else merged[right.key]["name"]
            entry = merged[left.key]
            if anchor.lower().split()[-1:] == entry["name"].lower().split()[-1:]:
                continue  # "a desk, a chair, a monitor on the desk": the desk is not on itself
            if (rel, anchor) not in entry["relations"]:
                entry["relations"].append((rel, anchor))
                out.append(Relation(entry["name"], rel, anchor))
    return tuple(out)


def _surfaces(surface_mentions) -> tuple[Surface, ...]:
    out: dict[str, Surface] = {}
    for found in surface_mentions:
        for sf in found:
            key = sf["kind"]
            if key not in out or len(sf["name"]) > len(out[key].name):
                out[key] = Surface(sf["name"], sf["kind"], sf["material"])
    return tuple(out.values())


_LOOSE_MATERIAL = re.compile(
    r"(?:^|[,;:(])\s*(?:(?:in|of|made of|all)\s+)?(?:[\w-]{1,30}\s+){0,3}?(" + "|".join(sorted(map(re.escape, MATERIALS), key=len, reverse=True))
    + r")\s*(?=[,;.)]|$)", re.I)


def _loose_material(scene: str, subjects: tuple[Subject, ...]) -> tuple[Subject, ...]:
    """A material said on its own ("earbuds in a case, glossy black acrylic, reflection") is the main subject's."""
    if not subjects or subjects[0].material or len(scene) > 2000:
        return subjects
    m = _LOOSE_MATERIAL.search(scene)
    if not m or (m.group(1).lower() in COLORS and not re.search(r"\b(?:in|of)\s", m.group(0), re.I)):
        return subjects  # ", gold," in a list of colours is a colour
    return (replace(subjects[0], material=MATERIALS[m.group(1).lower()]), *subjects[1:])


def _same_surfaces(relations: tuple[Relation, ...], surface_mentions, surfaces: tuple[Surface, ...], merged) -> tuple[Relation, ...]:
    """Relations name each surface as the plan does ("marble surface" -> "dark marble surface"), once."""
    final = {sf.kind: sf.name for sf in surfaces}
    names = {sf["name"]: final[sf["kind"]] for found in surface_mentions for sf in found}
    for entry in merged.values():
        entry["relations"] = list(dict.fromkeys((rel, names.get(anchor, anchor)) for rel, anchor in entry["relations"]))
    return tuple(dict.fromkeys(replace(r, anchor=names.get(r.anchor, r.anchor)) for r in relations))


def _pieces_as_subjects(surfaces: tuple[Surface, ...], relations: tuple[Relation, ...], merged) -> tuple[tuple[Surface, ...], tuple[Relation, ...]]:
    """A piece of furniture named as a thing is that subject wherever else it is named ("a desk, a chair,
    a monitor on the desk": one desk, a subject), not a surface too."""
    heads = {head: entry["name"] for (_, head), entry in merged.items()}
    pieces = {sf.name: heads[sf.kind.split()[-1]] for sf in surfaces if sf.kind in structure.PIECES and sf.kind.split()[-1] in heads}
    if not pieces:
        return surfaces, relations
    for entry in merged.values():
        entry["relations"] = list(dict.fromkeys((rel, pieces.get(anchor, anchor)) for rel, anchor in entry["relations"]))
    relations = tuple(dict.fromkeys(replace(r, anchor=pieces.get(r.anchor, r.anchor)) for r in relations if pieces.get(r.anchor) != r.subject))
    return tuple(sf for sf in surfaces if sf.name not in pieces), relations


def _subject_named(words: str | None, subjects: tuple[Subject, ...]) -> str | None:
    if not words:
        return None
    return next((s.name for s in subjects if s.name.lower().split()[-1].rstrip("s") in words.split()), None)


def _infer_depth(subjects: tuple[Subject, ...]) -> tuple[Subject, ...]:
    """With something in the foreground, mountains that were given no depth stand behind it."""
    if not any(s.depth == "foreground" for s in subjects):
        return subjects
    return tuple(replace(s, depth="background") if s.kind == "mountain" and s.depth is None else s for s in subjects)


def _sky_palette(palette: tuple[RGB, ...], background: str, when: str | None, sky: str | None, surfaces: tuple[Surface, ...]) -> tuple[RGB, ...]:
    """Time of day and weather colour an outdoor background; a brick or stone wall colours a plain one."""
    colours = list(palette)
    if when and background in _OUTDOOR and background not in ("plain", "concrete"):
        base, secondary, accent = TIME_PALETTES[when]
        colours[:2] = [base, secondary]
        if len(colours) < 3:
            colours.append(accent)
    elif surfaces and surfaces[0].kind == "wall" and surfaces[0].material in SURFACE_PALETTES and background in ("gradient", "concrete", "plain"):
        colours[:2] = list(SURFACE_PALETTES[surfaces[0].material])
    if sky in WEATHER_MIX and background in _OUTDOOR:
        tint, amount = WEATHER_MIX[sky]
        colours[:2] = [_mix(c, tint, amount) for c in colours[:2]]
    return tuple(dict.fromkeys(colours))


class RulePlanner:
    """The rule planner: word tables, no model. `plan` is pure and synchronous."""

    source = "rule"

    def plan(self, prompt: str) -> Plan:
        """Read a prompt into a Plan."""
        masked, quotes = _extract_quotes(prompt)
        scene, lang = structure.gloss(_scene(masked))
        sentences = _sentences(scene)
        notes: list[str] = [f"read as English words from '{lang}'"] if lang != "en" else []
        merged, per_sentence, surface_mentions = _read_subjects(sentences, lang != "en")
        surfaces = _surfaces(surface_mentions)
        relations = _read_relations(sentences, per_sentence, surface_mentions, merged)
        relations = _same_surfaces(relations, surface_mentions, surfaces, merged)
        surfaces, relations = _pieces_as_subjects(surfaces, relations, merged)
        texts = {i: {"positions": [], "sizes": [], "styles": [], "bold": False, "color": None} for i in range(len(quotes))}
        for (_, sentence), mentions in zip(sentences, per_sentence):
            _read_sentence(sentence, quotes, mentions, merged, texts)
        if not any(k == "person" for k, _ in merged) and (weak := _WEAK_PERSON.search(scene)):
            merged[("person", "person")] = {"name": "person", "kind": "person", "color": None, "placements": [], "sizes": [],
                                            "count": 1, "material": None, "relations": []}
            notes.append(f"subject: a person implied by '{weak.group(0)}'")
        transparent = bool(_TRANSPARENT.search(scene))
        format_rule, _ = _first(_FORMAT, scene)
        carriers = {i: c for _, sentence in sentences for i, c in structure.carriers(sentence).items()}
        # a sign, poster or card that carries a quoted text is that text's `carrier`, not a subject
        # drawn under it; "a poster with ...": the image is the poster, not a poster in it
        flat = {c.split()[-1] for c in carriers.values()} | ({format_rule[1].split()[-1]} if format_rule else set())
        for key in [k for k in merged if k[0] == "sign" and k[1] in flat]:
            del merged[key]
        subjects = _place_subjects(merged, transparent)
        subjects = _loose_material(scene, subjects)
        if _CLOSE_PERSON.search(scene):
            subjects = tuple(replace(s, scale=round(s.scale * 1.15, 3)) if s.kind == "person" else s for s in subjects)
        elements = _make_texts(quotes, texts, prompt, bool(subjects), carriers)
        when, sky = structure.time_of_day(scene), structure.weather(scene)
        effects = tuple(Effect(kind, _subject_named(target, subjects), on) for kind, target, on in structure.effects(scene))
        subjects = _infer_depth(subjects)
        aspect_rule, aspect_found = _first(_ASPECT, scene)
        background, bg_color, bg_phrase = _background(scene)
        setting_rule, _ = _first(_SETTING, scene)
        setting = structure.setting(scene)
        if background is None:
            background = SETTING_BACKGROUNDS.get(setting_rule[1] if setting_rule else "", "plain" if transparent else None)
        if background is None and (when or sky) and not any(sf.kind == "wall" for sf in surfaces):
            background = "night sky" if when == "night" and sky in (None, "clear") else "sky"  # outdoors: its sky
        background = background or "gradient"
        if background == "water" and (when or any(s.kind == "mountain" for s in subjects)) and any(s.kind == "water" for s in subjects):
            background = "sky"  # "a mountain landscape with a lake in the foreground": the lake is a subject under a sky
        tone_rule, _ = _first(_TONE, scene)
        tone = tone_rule[1] if tone_rule else None
        if tone is None and bg_color is not None:
            tone = "dark" if luminance(bg_color) < 60 else "light" if luminance(bg_color) > 200 else None
        light_rule, light_found = _first(_LIGHTING, scene)
        lighting, direction = (light_rule[1], light_rule[2]) if light_rule else (None, None)
        if light_found:
            clause = next((s for o, s in sentences if o <= light_found.start() < o + len(s)), scene)
            dir_rule, _ = _first(_DIRECTION, clause)
            direction = dir_rule[1] if dir_rule else direction
        if lighting is None and background == "studio":
            lighting, direction = "soft studio", "front"
        if lighting is None and when and background in _OUTDOOR:
            lighting, direction = TIME_LIGHTING[when]
        elif lighting is None and sky in WEATHER_LIGHTING and background in _OUTDOOR:
            lighting, direction = WEATHER_LIGHTING[sky], "top"
        mood_rule, _ = _first(_MOOD, scene)
        medium_rule, _ = _first(_MEDIUM, scene)
        mood = mood_rule[1] if mood_rule else None
        reserved = self._reserved_color_spans(scene, bg_phrase) + [
            (o + start, o + end) for (o, _), mentions in zip(sentences, per_sentence) for *_, end, start in mentions
        ]
        palette = _palette(scene, background, bg_color, tone, mood, reserved)
        if bg_color is None:
            palette = _sky_palette(palette, background, when, sky, surfaces)
        plan = Plan(
            prompt=prompt, aspect=aspect_rule[1] if aspect_rule else None, background=background, setting=setting,
            palette=palette, lighting=lighting, light_direction=direction, subjects=subjects, texts=elements,
            mood=mood, transparent=transparent, tone=tone, format=format_rule[1] if format_rule else None,
            medium=medium_rule[1] if medium_rule else None, research=bool(_RESEARCH.search(scene)),
            surfaces=surfaces, time_of_day=when, weather=sky, effects=effects, relations=relations,
        )
        placed = any(m["placements"] for m in merged.values()) or any(t["positions"] for t in texts.values())
        points = _score(plan, len(sentences), len(prompt.split()), placed)
        notes += self._notes(plan, aspect_found, bg_phrase, points)
        return replace(plan, complexity=points, thinking=points >= THINKING_THRESHOLD, notes=tuple(notes))

    @staticmethod
    def _reserved_color_spans(masked: str, bg_phrase: str | None) -> list[tuple[int, int]]:
        """Spans whose colour words belong to the background phrase or to lettering."""
        spans = []
        if bg_phrase and (i := masked.find(bg_phrase)) >= 0:
            spans.append((i, i + len(bg_phrase)))
        for m in _LETTERING.finditer(masked):
            spans.append((m.start(), m.end()))
        for m in _AFTER_TOKEN.finditer(masked):
            spans.append((m.start(), m.end()))
        return spans

    @staticmethod
    def _notes(plan: Plan, aspect_found: re.Match | None, bg_phrase: str | None, points: float) -> list[str]:
        notes = []
        notes += [f"surface: {sf.name}" for sf in plan.surfaces]
        if plan.time_of_day or plan.weather:
            notes.append(f"time: {plan.time_of_day or '-'}, weather: {plan.weather or '-'}")
        notes += [f"relation: {r.subject} {r.relation} {r.anchor}" for r in plan.relations]
        if plan.effects:
            notes.append("effects: " + ", ".join(e.kind + (f" of {e.target}" if e.target else "") + (f" on {e.on}" if e.on else "") for e in plan.effects))
        if plan.aspect:
            notes.append(f"aspect: {plan.aspect} (from '{aspect_found.group(0) if aspect_found else '?'}')")
        notes.append(f"background: {plan.tone + ' ' if plan.tone else ''}{plan.background}" + (f" (from '{bg_phrase}')" if bg_phrase else " (default)"))
        if plan.lighting:
            notes.append(f"lighting: {plan.lighting}, from the {plan.light_direction}")
        notes += [f"subject: {s.name} ({s.kind}) at {s.placement}, scale {s.scale}" for s in plan.subjects]
        notes += [f"text: '{t.text}' {t.style} {t.weight} {t.size} at {t.position}" + (f" [{t.language}]" if t.language else "") for t in plan.texts]
        if plan.transparent:
            notes.append("transparent background requested")
        if plan.research:
            notes.append("the prompt asks for real-world reference (web research)")
        notes.append(f"complexity {points:.1f} -> {'thinking' if points >= THINKING_THRESHOLD else 'direct'}")
        return notes


def plan_prompt(prompt: str) -> Plan:
    """Read a prompt into a Plan with the rule planner (kept for older call sites)."""
    return RulePlanner().plan(prompt)


async def make_plan(planner: Any, prompt: str) -> Plan:
    """Plan with either planner kind: RulePlanner.plan is sync, ChatPlanner.plan is async."""
    result = planner.plan(prompt)
    if inspect.isawaitable(result):
        result = await result
    return result


# ---------------------------------------------------------------- after planning


def _color_name(color: RGB) -> str:
    name = min(COLORS, key=lambda n: sum((a - b) ** 2 for a, b in zip(COLORS[n], color)))
    return {"grey": "gray", "golden": "gold"}.get(name, name)


_PLACEMENT_PHRASES = {"center": "centred", "left": "on the left", "right": "on the right", "top": "at the top", "bottom": "at the bottom"}


def revised_prompt(plan: Plan) -> str | None:
    """A readable rewrite of the prompt from the plan, or None when nothing was added."""
    if not plan.thinking:
        return None
    kind = " ".join(w for w in (plan.aspect and f"{plan.aspect}-format", plan.medium, plan.format or "image") if w)
    parts = [f"{'An' if kind[0] in 'aeiou' else 'A'} {kind}" + (f" with a {plan.mood} mood." if plan.mood else ".")]
    for s in plan.subjects:
        where = _PLACEMENT_PHRASES.get(s.placement, f"in the {s.placement}")
        name = f"{s.count} {s.name}" if s.count > 1 and not s.name[:1].isdigit() else s.name
        how = "".join((f", {s.relation} the {s.anchor}" if s.relation and s.anchor else "",
                       f", in the {s.depth}" if s.depth and s.depth != s.placement else "", f", {s.material}" if s.material else ""))
        parts.append(f"{name[0].upper()}{name[1:]}, {where}{how}.")
    if plan.surfaces:
        parts.append("Surfaces: " + ", ".join(sf.name for sf in plan.surfaces) + ".")
    if plan.time_of_day or plan.weather:
        parts.append(" ".join(w for w in (plan.time_of_day and f"Time: {plan.time_of_day}.", plan.weather and f"Weather: {plan.weather}.") if w))
    if plan.effects:
        parts.append("Effects: " + ", ".join(e.kind + (f" of the {e.target}" if e.target else "") + (f" on the {e.on}" if e.on else "") for e in plan.effects) + ".")
    where = f"{plan.tone + ' ' if plan.tone else ''}{plan.background}" + (f", {plan.setting} setting" if plan.setting else "")
    parts.append("Transparent background." if plan.transparent else f"Background: {where}.")
    if plan.lighting:
        parts.append(f"Lighting: {plan.lighting}, from the {plan.light_direction or 'front'}.")
    if plan.palette:
        parts.append("Palette: " + ", ".join(dict.fromkeys(_color_name(c) for c in plan.palette)) + ".")
    for t in plan.texts:
        color = f" in {_color_name(t.color)}" if t.color else ""
        on = f" on the {t.carrier}" if t.carrier else ""
        parts.append(f"The text \u201c{t.text}\u201d{on} exactly as written, {t.weight if t.weight != 'regular' else ''} {t.style} type, {t.size} size{color}, {t.position}.".replace(",  ", ", ").replace(" ,", ","))
    if plan.research:
        parts.append("Real-world details checked before drawing.")
    return " ".join(parts)


def engine_prompt(plan: Plan) -> str:
    """The prompt for an engine that cannot spell: the plan without its text elements, which
    the typography overlay sets afterwards."""
    quoted = _without_quotes(plan.prompt) if plan.texts else plan.prompt
    rewritten = revised_prompt(replace(plan, texts=())) if plan.thinking else None
    return " ".join((rewritten or quoted).split())


def size_for_plan(plan: Plan, sizes: list[str]) -> tuple[int, int] | None:
    """The best listed size for the plan's aspect (for size=auto); None when the plan has no hint.

    Landscape picks the widest ratio listed, portrait the tallest, square the one closest to 1:1;
    among ratios within 5% of the best it prefers the area closest to 1024x1024 (cost).
    """
    parsed = [p for p in listed_sizes(sizes) if min(p) > 0]
    if plan.aspect not in ("landscape", "portrait", "square") or not parsed:
        return None
    import math

    def fit(wh: tuple[int, int]) -> float:
        ratio = math.log(wh[0] / wh[1])
        return {"landscape": ratio, "portrait": -ratio, "square": -abs(ratio)}[plan.aspect]

    best = max(fit(p) for p in parsed)
    if plan.aspect != "square" and best <= 0:
        return None  # nothing listed has that orientation
    close = [p for p in parsed if fit(p) >= best - 0.05]
    return min(close, key=lambda p: abs(math.log(p[0] * p[1] / 1024**2)))


# ---------------------------------------------------------------- the optional LLM planner
