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
from dataclasses import replace
from typing import Any

from imagegate.plan import COLORS, RGB, Plan, Subject, TextElement, default_palette, luminance

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
    SURFACE_WORDS,
    TONE_RULES,
    TRANSPARENT_RULE,
    WEAK_PERSON,
)

_QUOTE = re.compile(
    r'"([^"\n]+)"|“([^”“]+)[”“]|„([^“”]+)[“”]|«([^»]+)»|»([^«]+)«|「([^」]+)」|『([^』]+)』'
    r"|‹([^›]+)›|‘(.+?)’(?!\w)|(?<![\w'])'([^\n]+?)'(?![\w'])"
)
_SENTENCE = re.compile(r"(?<=[.!?;。！？])\s*|\n+")
_TOKEN = "\u27e6{}\u27e7"  # ⟦i⟧ stands in for quoted text i while reading the rest
_COLOR_WORDS = "|".join(re.escape(c) for c in sorted(COLORS, key=len, reverse=True))
_COLOR = re.compile(rf"\b(?:(dark|deep|light|pale|bright|neon|pastel|soft|muted|rich|warm|cool) )?({_COLOR_WORDS})\b", re.I)


def _first(rules, text: str):
    """The first rule (in table order) whose pattern occurs in `text`, with its match."""
    for rule in rules:
        found = re.search(rule[0], text, re.I)
        if found:
            return rule, found
    return None, None


def _matches(rules, text: str) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, value) matches of any rule, scanning left to right."""
    pattern = re.compile("|".join(f"({p})" for p, *_ in rules), re.I)
    out = []
    for m in pattern.finditer(text):
        index = next(i for i, g in enumerate(m.groups()) if g is not None)
        out.append((m.start(), m.end(), rules[index][1]))
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


def _extract_quotes(prompt: str) -> tuple[str, list[str]]:
    """Replace every quoted string with a token; return the masked prompt and the strings."""
    quotes: list[str] = []

    def sub(match: re.Match) -> str:
        text = next(g for g in match.groups() if g is not None).strip()
        if not text:
            return match.group(0)
        quotes.append(text)
        return f" {_TOKEN.format(len(quotes) - 1)} "

    return _QUOTE.sub(sub, prompt), quotes


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
    """Give each (start, end, value) match to its nearest anchor."""
    out: dict[tuple[str, Any], list[str]] = {}
    for start, end, value in matches:
        if anchors:
            nearest = min(anchors, key=lambda a: a.distance(start, end))
            out.setdefault(nearest.key, []).append(value)
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


_SUBJECT_PATTERNS = {
    kind: re.compile(rf"\b((?:[\w'-]+ ){{0,2}})({nouns})\b", re.I) for kind, nouns in SUBJECT_NOUNS.items()
}
_NEGATIONS = {"no", "without", "not"}
DEFAULT_SCALES = {
    "watch": 0.62, "person": 0.8, "bottle": 0.62, "cup": 0.5, "tree": 0.75, "building": 0.72, "animal": 0.55,
    "car": 0.55, "phone": 0.66, "flower": 0.6, "mountain": 0.95, "object": 0.5,
}


def _find_subjects(sentence: str) -> list[tuple[str, str, str, RGB | None, int, int, int]]:
    """(kind, head noun, name, colour, start, end, phrase start) for each subject noun phrase in a sentence."""
    found = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _SUBJECT_PATTERNS.items():
        for m in pattern.finditer(sentence):
            noun = m.group(2)
            if any(s < m.end(2) and m.start(2) < e for s, e in taken):
                continue
            words = m.group(1).split()
            if _NEGATIONS & {w.lower() for w in words}:
                continue
            if re.match(r" (?:shop|store|bar|house|maker|factory|company)\b", sentence[m.end(2):], re.I):
                continue  # "tea shop", "coffee house": a place, not the thing
            if kind == "object" and noun[0].isupper():
                continue  # "Apple aesthetic" is a brand, not fruit
            cut = max((i for i, w in enumerate(words) if w.lower() in STOP_WORDS), default=-1)
            words = words[cut + 1 :]
            color_match = _COLOR.search(" ".join(words))
            name = " ".join([*words, noun])
            taken.append((m.start(2), m.end(2)))
            found.append((kind, noun.lower().rstrip("s"), name, _color_at(color_match) if color_match else None, m.start(2), m.end(2), m.start(1)))
    found.sort(key=lambda f: f[4])
    # "a cup of tea", "a bouquet of roses": the second noun belongs to the first
    return [f for i, f in enumerate(found) if not (i and found[i - 1][0] == f[0] and re.fullmatch(r"\s+of\s+(?:[\w'-]+\s+)?", sentence[found[i - 1][5] : f[4]]))]


def _read_subjects(sentences: list[tuple[int, str]]):
    """Subject mentions per sentence, merged across sentences by kind and noun."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    per_sentence = []
    for index, (_, sentence) in enumerate(sentences):
        mentions = _find_subjects(sentence)
        per_sentence.append(mentions)
        for kind, head, name, color, *_ in mentions:
            entry = merged.setdefault((kind, head), {"name": name, "kind": kind, "color": color, "placements": [], "sizes": []})
            if len(name) > len(entry["name"]):
                entry["name"] = name
            entry["color"] = entry["color"] or color
    return merged, per_sentence


def _language(text: str, prompt: str) -> str | None:
    """A BCP-47 hint from the text's script, refined by a language named in the prompt."""
    for words, language, script in LANGUAGE_WORDS:
        if re.search(script, text) and re.search(words, prompt, re.I):
            return language
    for script, language in SCRIPT_LANGUAGES:
        if re.search(script, text):
            return language
    return None


def _text_color(sentence: str, anchors: list[_Anchor]) -> dict[tuple[str, Any], list[str]]:
    """Colour words that describe lettering ('in gold letters', 'white text'), by text anchor."""
    pattern = re.compile(
        rf"(?:\bin |\b)((?:(?:dark|deep|light|pale|bright|neon|pastel|soft|rich|warm|cool) )?(?:{_COLOR_WORDS}))"
        rf"(?: (?:{LETTER_WORDS})\b|(?=[ ,.;]|$))",
        re.I,
    )
    matches = []
    for m in pattern.finditer(sentence):
        phrase = m.group(0).lower()
        if phrase.startswith("in ") or re.search(rf" (?:{LETTER_WORDS})$", phrase):
            matches.append((m.start(), m.end(), m.group(1)))
    return _assign(anchors, matches)


def _read_sentence(sentence: str, quotes: list[str], mentions, merged, texts: dict[int, dict[str, Any]]) -> None:
    """Attach layout, size, font and colour words in one sentence to its subjects and texts."""
    anchors = [_Anchor(("subject", (k, h)), s, e) for k, h, _, _, s, e, _ in mentions]
    text_anchors = [
        _Anchor(("text", int(m.group(1))), m.start(), m.end()) for m in re.finditer("\u27e6(\\d+)\u27e7", sentence)
    ]
    anchors += text_anchors
    for key, values in _assign(anchors, _matches(PLACEMENT_RULES, sentence)).items():
        target = merged[key[1]]["placements"] if key[0] == "subject" else texts[key[1]]["positions"]
        target.extend(values)
    for key, values in _assign(anchors, _matches(SIZE_RULES, sentence)).items():
        (merged[key[1]]["sizes"] if key[0] == "subject" else texts[key[1]]["sizes"]).extend(values)
    if not text_anchors:
        return
    for key, values in _assign(text_anchors, _matches(FONT_STYLE_RULES, sentence)).items():
        texts[key[1]]["styles"].extend(values)
    for key, _ in _assign(text_anchors, [(m.start(), m.end(), "bold") for m in re.finditer(BOLD_RULE, sentence, re.I)]).items():
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
        subjects.append(Subject(entry["name"], entry["kind"], placement, round(min(scale, 1.2), 3), entry["color"]))
    return tuple(subjects)


def _make_texts(quotes: list[str], texts: dict[int, dict[str, Any]], prompt: str, has_subjects: bool) -> tuple[TextElement, ...]:
    defaults = ["top", "bottom", "center"] if has_subjects else ["center", "bottom", "top"]
    out = []
    for i, text in enumerate(quotes):
        info = texts[i]
        position = _combine_positions(info["positions"]) if info["positions"] else defaults[min(i, 2)]
        size = info["sizes"][0] if info["sizes"] else "medium"
        style = info["styles"][0] if info["styles"] else ("display" if size == "headline" and info["bold"] else "sans")
        weight = "bold" if info["bold"] else "regular"
        out.append(TextElement(text, style, weight, position, size, info["color"], _language(text, prompt)))
    return tuple(out)


def _background(masked: str) -> tuple[str | None, RGB | None, str | None]:
    """(background, its colour, the phrase) from 'on a dark marble surface', else from any surface word."""
    for m in re.finditer(rf"((?:[\w-]+ ){{1,3}})(?:{SURFACE_WORDS})\b", masked, re.I):
        phrase = m.group(0)
        if re.match(r"(?:in|on) the (?:background|foreground)", phrase, re.I):
            continue
        rule, _ = _first(BACKGROUND_RULES, phrase)
        color = _COLOR.search(phrase)
        if rule or color:
            return (rule[1] if rule else "plain"), (_color_at(color) if color else None), phrase.strip()
    rule, found = _first(BACKGROUND_RULES, masked)
    return (rule[1] if rule else None), None, (found.group(0) if found else None)


def _palette(masked: str, background: str, bg_color: RGB | None, tone: str | None, mood: str | None, reserved: list[tuple[int, int]]) -> tuple[RGB, ...]:
    """Dominant, secondary and accent colours from the background, colour words, tone and mood."""
    base, secondary, accent = default_palette(background, tone)
    loose = [
        _color_at(m) for m in _COLOR.finditer(masked)
        if not any(s <= m.start() < e for s, e in reserved) and not masked[m.end() :].startswith(" hour")
    ]
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


class RulePlanner:
    """The rule planner: word tables, no model. `plan` is pure and synchronous."""

    source = "rule"

    def plan(self, prompt: str) -> Plan:
        """Read a prompt into a Plan."""
        masked, quotes = _extract_quotes(prompt)
        sentences = _sentences(masked)
        notes: list[str] = []
        merged, per_sentence = _read_subjects(sentences)
        texts = {i: {"positions": [], "sizes": [], "styles": [], "bold": False, "color": None} for i in range(len(quotes))}
        for (_, sentence), mentions in zip(sentences, per_sentence):
            _read_sentence(sentence, quotes, mentions, merged, texts)
        if not any(k == "person" for k, _ in merged) and (weak := re.search(rf"\b(?:{WEAK_PERSON})\b", masked, re.I)):
            merged[("person", "person")] = {"name": "person", "kind": "person", "color": None, "placements": [], "sizes": []}
            notes.append(f"subject: a person implied by '{weak.group(0)}'")
        transparent = bool(re.search(TRANSPARENT_RULE, masked, re.I))
        subjects = _place_subjects(merged, transparent)
        if re.search(r"\b(?:headshot|close-?up|portrait of)\b", masked, re.I):
            subjects = tuple(replace(s, scale=round(s.scale * 1.15, 3)) if s.kind == "person" else s for s in subjects)
        elements = _make_texts(quotes, texts, prompt, bool(subjects))
        aspect_rule, aspect_found = _first(ASPECT_RULES, masked)
        format_rule, _ = _first(FORMAT_RULES, masked)
        background, bg_color, bg_phrase = _background(masked)
        setting_rule, _ = _first(SETTING_RULES, masked)
        setting = setting_rule[1] if setting_rule else None
        if background is None:
            background = SETTING_BACKGROUNDS.get(setting or "", "plain" if transparent else None) or "gradient"
        tone_rule, _ = _first(TONE_RULES, masked)
        tone = tone_rule[1] if tone_rule else None
        if tone is None and bg_color is not None:
            tone = "dark" if luminance(bg_color) < 60 else "light" if luminance(bg_color) > 200 else None
        light_rule, light_found = _first(LIGHTING_RULES, masked)
        lighting, direction = (light_rule[1], light_rule[2]) if light_rule else (None, None)
        if light_found:
            clause = next((s for o, s in sentences if o <= light_found.start() < o + len(s)), masked)
            dir_rule, _ = _first(DIRECTION_RULES, clause)
            direction = dir_rule[1] if dir_rule else direction
        if lighting is None and background == "studio":
            lighting, direction = "soft studio", "front"
        mood_rule, _ = _first(MOOD_RULES, masked)
        medium_rule, _ = _first(MEDIUM_RULES, masked)
        mood = mood_rule[1] if mood_rule else None
        reserved = self._reserved_color_spans(masked, bg_phrase) + [
            (o + start, o + end) for (o, _), mentions in zip(sentences, per_sentence) for *_, end, start in mentions
        ]
        palette = _palette(masked, background, bg_color, tone, mood, reserved)
        plan = Plan(
            prompt=prompt, aspect=aspect_rule[1] if aspect_rule else None, background=background, setting=setting,
            palette=palette, lighting=lighting, light_direction=direction, subjects=subjects, texts=elements,
            mood=mood, transparent=transparent, tone=tone, format=format_rule[1] if format_rule else None,
            medium=medium_rule[1] if medium_rule else None, research=bool(re.search(RESEARCH_RULE, masked, re.I)),
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
        for m in re.finditer(rf"\bin [\w -]{{0,20}}?(?:{LETTER_WORDS})\b|\b\w+ (?:{LETTER_WORDS})\b", masked, re.I):
            spans.append((m.start(), m.end()))
        for m in re.finditer(r"\u27e7 in (\w+ )?\w+", masked):
            spans.append((m.start(), m.end()))
        return spans

    @staticmethod
    def _notes(plan: Plan, aspect_found: re.Match | None, bg_phrase: str | None, points: float) -> list[str]:
        notes = []
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
        parts.append(f"{s.name[0].upper()}{s.name[1:]}, {where}.")
    where = f"{plan.tone + ' ' if plan.tone else ''}{plan.background}" + (f", {plan.setting} setting" if plan.setting else "")
    parts.append("Transparent background." if plan.transparent else f"Background: {where}.")
    if plan.lighting:
        parts.append(f"Lighting: {plan.lighting}, from the {plan.light_direction or 'front'}.")
    if plan.palette:
        parts.append("Palette: " + ", ".join(dict.fromkeys(_color_name(c) for c in plan.palette)) + ".")
    for t in plan.texts:
        color = f" in {_color_name(t.color)}" if t.color else ""
        parts.append(f"The text \u201c{t.text}\u201d exactly as written, {t.weight if t.weight != 'regular' else ''} {t.style} type, {t.size} size{color}, {t.position}.".replace(",  ", ", ").replace(" ,", ","))
    if plan.research:
        parts.append("Real-world details checked before drawing.")
    return " ".join(parts)


def engine_prompt(plan: Plan) -> str:
    """The prompt for an engine that cannot spell: the plan without its text elements, which
    the typography overlay sets afterwards."""
    quoted = _QUOTE.sub(" ", plan.prompt) if plan.texts else plan.prompt
    rewritten = revised_prompt(replace(plan, texts=())) if plan.thinking else None
    return " ".join((rewritten or quoted).split())


def _parse_size(size: str) -> tuple[int, int] | None:
    m = re.fullmatch(r"\s*(\d+)\s*x\s*(\d+)\s*", size or "")
    return (int(m.group(1)), int(m.group(2))) if m and int(m.group(1)) > 0 and int(m.group(2)) > 0 else None


def size_for_plan(plan: Plan, sizes: list[str]) -> tuple[int, int] | None:
    """The best listed size for the plan's aspect (for size=auto); None when the plan has no hint.

    Landscape picks the widest ratio listed, portrait the tallest, square the one closest to 1:1;
    among ratios within 5% of the best it prefers the area closest to 1024x1024 (cost).
    """
    parsed = [p for p in (_parse_size(s) for s in sizes) if p]
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
