"""Engine-neutral scene plan: what the planner ("thinking mode") makes of a prompt.

A plan is plain frozen data. Every engine can read it: the built-in renderer draws it, a
diffusion engine turns it back into a prompt, and the typography overlay sets its text
elements exactly after any engine has run.

Palette convention: ``palette[0]`` is the dominant (background) colour, ``palette[1]`` the
secondary background colour (veins, clouds, grain), ``palette[2:]`` accents (metal, lettering).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

RGB = tuple[int, int, int]

ASPECTS = ("landscape", "portrait", "square")
TEXT_STYLES = ("sans", "serif", "script", "mono", "display")
TEXT_WEIGHTS = ("regular", "bold")
TEXT_SIZES = ("small", "medium", "large", "headline")
DIRECTIONS = ("left", "right", "top", "bottom", "front", "back")
# Scene-structure vocabularies (the planner emits these values; the chat planner must too).
RELATIONS = ("on", "beside", "in front of", "behind", "under", "above", "in", "held by", "against", "between")
DEPTHS = ("foreground", "midground", "background")
TIMES_OF_DAY = ("dawn", "morning", "noon", "afternoon", "golden hour", "sunset", "dusk", "night")
WEATHERS = ("clear", "mist", "rain", "snow", "storm", "overcast")
EFFECTS = (
    "reflection", "shadow", "glow", "bokeh", "steam", "smoke", "sparkle", "light rays", "motion blur",
    "condensation", "lens flare", "silhouette",
)

# Colour words -> sRGB. Multi-word names first matters to the planner's regex (longest first).
COLORS: dict[str, RGB] = {
    "rose gold": (183, 110, 121), "sky blue": (135, 190, 235), "navy blue": (20, 32, 82),
    "royal blue": (45, 75, 200), "baby blue": (170, 205, 240), "forest green": (34, 90, 50),
    "off-white": (240, 236, 226), "jet black": (12, 12, 14), "blood red": (130, 10, 16),
    "red": (200, 30, 40), "crimson": (170, 20, 50), "scarlet": (220, 36, 30),
    "burgundy": (110, 20, 40), "maroon": (110, 25, 30), "orange": (240, 130, 30),
    "amber": (255, 175, 40), "yellow": (245, 210, 40), "gold": (212, 175, 55),
    "golden": (218, 180, 70), "green": (50, 150, 70), "emerald": (20, 130, 90),
    "mint": (160, 225, 195), "olive": (110, 115, 50), "teal": (20, 128, 128),
    "turquoise": (60, 200, 190), "cyan": (30, 210, 230), "blue": (40, 90, 200),
    "navy": (20, 32, 82), "cobalt": (20, 70, 170), "purple": (120, 50, 160),
    "violet": (140, 70, 200), "lavender": (190, 170, 225), "lilac": (200, 162, 200),
    "magenta": (220, 30, 160), "pink": (240, 150, 180), "coral": (250, 120, 95),
    "peach": (250, 195, 160), "salmon": (245, 140, 115), "brown": (110, 70, 40),
    "chocolate": (80, 45, 25), "tan": (205, 170, 125), "beige": (225, 210, 185),
    "cream": (245, 238, 215), "ivory": (250, 246, 232), "white": (245, 245, 245),
    "black": (18, 18, 20), "charcoal": (50, 52, 56), "gray": (128, 128, 128),
    "grey": (128, 128, 128), "silver": (192, 194, 200), "copper": (184, 115, 51),
    "bronze": (170, 120, 60), "neutral": (205, 200, 192), "sand": (215, 195, 160),
    "terracotta": (200, 100, 70), "indigo": (60, 40, 130),
}

# What each background looks like by default (base, secondary, accent), by tone.
_BACKGROUND_PALETTES: dict[str, tuple[RGB, RGB, RGB]] = {
    "marble": ((232, 230, 226), (150, 148, 150), (190, 160, 90)),
    "dark marble": ((52, 52, 58), (190, 190, 198), (212, 180, 110)),
    "wood": ((150, 98, 58), (98, 60, 32), (240, 230, 210)),
    "dark wood": ((70, 42, 24), (40, 24, 14), (230, 200, 150)),
    "paper": ((238, 230, 212), (205, 192, 165), (60, 50, 40)),
    "sky": ((70, 130, 210), (235, 240, 250), (255, 220, 150)),
    "dark sky": ((18, 24, 60), (70, 80, 120), (240, 220, 170)),
    "night sky": ((8, 10, 28), (40, 40, 90), (240, 240, 255)),
    "studio": ((200, 200, 204), (236, 236, 238), (40, 40, 44)),
    "dark studio": ((28, 28, 32), (70, 70, 76), (220, 220, 224)),
    "concrete": ((140, 138, 134), (100, 98, 95), (240, 240, 240)),
    "dark concrete": ((60, 60, 62), (38, 38, 40), (230, 230, 230)),
    "fabric": ((120, 30, 50), (80, 18, 34), (230, 200, 140)),
    "water": ((20, 90, 140), (120, 200, 230), (250, 250, 255)),
    "night city": ((10, 12, 35), (60, 30, 90), (255, 190, 90)),
    "bokeh": ((30, 28, 40), (230, 180, 110), (250, 250, 250)),
    "gradient": ((60, 80, 140), (200, 120, 150), (250, 250, 250)),
    "dark gradient": ((12, 14, 22), (50, 55, 75), (230, 230, 235)),
    "plain": ((236, 236, 236), (214, 214, 216), (30, 30, 30)),
    "dark plain": ((20, 20, 22), (40, 40, 44), (230, 230, 230)),
}


def luminance(color: RGB) -> float:
    """Relative luminance on a 0..255 scale (Rec. 709 weights, no gamma)."""
    r, g, b = color
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def default_palette(background: str, tone: str | None = None) -> tuple[RGB, RGB, RGB]:
    """The stock (base, secondary, accent) colours of a background, for a tone like 'dark'."""
    if tone == "dark" and f"dark {background}" in _BACKGROUND_PALETTES:
        return _BACKGROUND_PALETTES[f"dark {background}"]
    return _BACKGROUND_PALETTES.get(background, _BACKGROUND_PALETTES["gradient"])


@dataclass(frozen=True)
class TextElement:
    """One exact string to set in the image."""

    text: str
    style: str = "sans"  # sans | serif | script | mono | display
    weight: str = "regular"  # regular | bold
    position: str = "center"  # center, top, bottom, upper right, lower left, left, ...
    size: str = "medium"  # small | medium | large | headline
    color: RGB | None = None  # None: the renderer picks a colour that contrasts
    language: str | None = None  # BCP-47 hint for the script (zh-Hans, ja, ko, ar, ...)
    carrier: str | None = None  # what it is written on: sign, label, poster, screen, t-shirt, mug, ...


@dataclass(frozen=True)
class Subject:
    """Something to depict, and where."""

    name: str  # the noun phrase from the prompt ("luxury watch")
    kind: str = "object"  # watch, person, tree, building, animal, bottle, object, ...
    placement: str = "center"  # center, left third, right third, upper left, ...
    scale: float = 0.45  # fraction of the short canvas side
    color: RGB | None = None
    count: int = 1  # how many of it ("three apples": 3)
    relation: str | None = None  # one of RELATIONS, to `anchor`: on, beside, in front of, behind, ...
    anchor: str | None = None  # the name of the subject or surface it relates to
    depth: str | None = None  # foreground | midground | background (None: not said)
    material: str | None = None  # glass, ceramic, leather, gold, wood, marble, ...


@dataclass(frozen=True)
class Surface:
    """Something the scene stands on or against: a windowsill, a brick wall, a table, a street."""

    name: str  # the phrase, in English ("brick wall", "wood table")
    kind: str = "surface"  # windowsill, wall, table, street, floor, shelf, desk, counter, ground, ...
    material: str | None = None  # brick, wood, marble, concrete, glass, stone, ...
    color: RGB | None = None


@dataclass(frozen=True)
class Relation:
    """How one subject stands to another subject or a surface: "plant beside cat"."""

    subject: str  # a subject's name
    relation: str  # one of RELATIONS
    anchor: str  # the other subject's or the surface's name


@dataclass(frozen=True)
class Effect:
    """A light effect the prompt asks for, and what it belongs to when named."""

    kind: str  # one of EFFECTS: reflection, shadow, glow, steam, ...
    target: str | None = None  # the subject it belongs to ("watch")
    on: str | None = None  # where it shows ("marble surface", "water")


@dataclass(frozen=True)
class Plan:
    """The structured reading of one prompt."""

    prompt: str
    complexity: float = 0.0  # planner points; thinking mode starts at THINKING_THRESHOLD
    thinking: bool = False
    aspect: str | None = None  # landscape | portrait | square | None (no hint)
    background: str = "gradient"  # gradient, marble, wood, paper, sky, bokeh, studio, plain, ...
    setting: str | None = None
    palette: tuple[RGB, ...] = ()
    lighting: str | None = None  # dramatic side, soft studio, golden hour, backlit, neon, ...
    light_direction: str | None = None  # left | right | top | bottom | front | back
    subjects: tuple[Subject, ...] = ()
    texts: tuple[TextElement, ...] = ()
    mood: str | None = None
    transparent: bool = False  # the prompt itself asks for a transparent background
    notes: tuple[str, ...] = field(default=())  # the planner's reasoning steps, for debugging
    tone: str | None = None  # dark | light | pastel | neon | vibrant | muted | monochrome
    format: str | None = None  # advertisement, poster, magazine spread, sticker, logo, ...
    medium: str | None = None  # photo, illustration, watercolor, 3d render, minimal, ...
    research: bool = False  # the prompt asks to look real-world details up first
    source: str = "rule"  # which planner made it: rule | chat
    surfaces: tuple[Surface, ...] = ()  # what subjects stand on or against (first: the main one)
    time_of_day: str | None = None  # one of TIMES_OF_DAY
    weather: str | None = None  # one of WEATHERS
    effects: tuple[Effect, ...] = ()
    relations: tuple[Relation, ...] = ()  # every relation read; each subject's first is also on the subject

    def to_dict(self) -> dict:
        """The plan as JSON-ready data."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any], prompt: str | None = None) -> Plan:
        """Build a plan from JSON-like data, validating types; raises ValueError when malformed."""
        if not isinstance(data, dict):
            raise ValueError("a plan must be a JSON object")
        values = _known(cls, data)
        values["prompt"] = prompt if prompt is not None else _str(data.get("prompt"), "prompt")
        for name in ("background",):
            if name in values:
                values[name] = _str(values[name], name)
        for name in ("setting", "lighting", "mood", "tone", "format", "medium"):
            if name in values:
                values[name] = _opt_str(values[name], name)
        if "aspect" in values:
            values["aspect"] = _choice(values["aspect"], ASPECTS, "aspect", optional=True)
        if "light_direction" in values:
            values["light_direction"] = _choice(values["light_direction"], DIRECTIONS, "light_direction", optional=True)
        if "palette" in values:
            values["palette"] = tuple(_rgb(c) for c in _list(values["palette"], "palette"))
        if "subjects" in values:
            values["subjects"] = tuple(_subject(s) for s in _list(values["subjects"], "subjects"))
        if "texts" in values:
            values["texts"] = tuple(_text(t) for t in _list(values["texts"], "texts"))
        if "surfaces" in values:
            values["surfaces"] = tuple(_surface(s) for s in _list(values["surfaces"], "surfaces"))
        if "effects" in values:
            values["effects"] = tuple(_effect(e) for e in _list(values["effects"], "effects"))
        if "relations" in values:
            values["relations"] = tuple(r for r in (_relation(r) for r in _list(values["relations"], "relations")) if r)
        if "time_of_day" in values:
            values["time_of_day"] = _vocab(values["time_of_day"], TIMES_OF_DAY, "time_of_day")
        if "weather" in values:
            values["weather"] = _vocab(values["weather"], WEATHERS, "weather")
        if "notes" in values:
            values["notes"] = tuple(_str(n, "notes") for n in _list(values["notes"], "notes"))
        for name in ("thinking", "transparent", "research"):
            if name in values and not isinstance(values[name], bool):
                raise ValueError(f"{name} must be a boolean")
        if "complexity" in values:
            values["complexity"] = _number(values["complexity"], "complexity")
        return cls(**values)


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def _str(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string")
    return value


def _opt_str(value: Any, name: str) -> str | None:
    return None if value is None else _str(value, name)


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} must be a number")
    return float(value)


def _list(value: Any, name: str) -> list:
    if not isinstance(value, list | tuple):
        raise ValueError(f"{name} must be a list")
    return list(value)


def _choice(value: Any, allowed: tuple[str, ...], name: str, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or value.lower() not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}")
    return value.lower()


# Words a chat model may use for a value of the vocabularies above.
_VOCAB_SYNONYMS = {
    "sunrise": "dawn", "daybreak": "dawn", "midday": "noon", "twilight": "dusk", "evening": "dusk", "blue hour": "dusk",
    "midnight": "night", "nighttime": "night", "fog": "mist", "foggy": "mist", "misty": "mist", "haze": "mist",
    "rainy": "rain", "snowy": "snow", "snowfall": "snow", "stormy": "storm", "thunderstorm": "storm", "cloudy": "overcast",
    "sunny": "clear", "next to": "beside", "near": "beside", "by": "beside", "below": "under", "beneath": "under",
    "over": "above", "inside": "in", "within": "in", "on top of": "on", "upon": "on", "held": "held by", "middle": "midground",
}


def _vocab(value: Any, allowed: tuple[str, ...], name: str) -> str | None:
    """A vocabulary value, its synonym mapped; None for None or a word outside the vocabulary."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string")
    word = " ".join(value.lower().split())
    word = _VOCAB_SYNONYMS.get(word, word)
    return word if word in allowed else None


def _rgb(value: Any) -> RGB:
    if isinstance(value, str):
        text = value.strip().lower()
        if text in COLORS:
            return COLORS[text]
        if len(text) == 7 and text.startswith("#"):
            try:
                return (int(text[1:3], 16), int(text[3:5], 16), int(text[5:7], 16))
            except ValueError:
                pass
        raise ValueError(f"unknown colour {value!r}")
    items = _list(value, "colour")
    if len(items) != 3 or not all(isinstance(c, int) and not isinstance(c, bool) for c in items):
        raise ValueError("a colour is [r, g, b] with integers")
    r, g, b = (max(0, min(255, c)) for c in items)
    return (r, g, b)


def _subject(data: Any) -> Subject:
    if not isinstance(data, dict):
        raise ValueError("a subject must be an object")
    values = _known(Subject, data)
    values["name"] = _str(values.get("name"), "subject name")
    for name in ("kind", "placement"):
        if name in values:
            values[name] = _str(values[name], f"subject {name}").lower()
    if "scale" in values:
        values["scale"] = min(1.5, max(0.05, _number(values["scale"], "subject scale")))
    if values.get("color") is not None:
        values["color"] = _rgb(values["color"])
    if "count" in values:
        count = values["count"]
        if isinstance(count, bool) or not isinstance(count, int | float) or count != int(count) or count < 1:
            raise ValueError("subject count must be a positive integer")
        values["count"] = min(int(count), 100)
    if "relation" in values:
        values["relation"] = _vocab(values["relation"], RELATIONS, "subject relation")
    if "depth" in values:
        values["depth"] = _vocab(values["depth"], DEPTHS, "subject depth")
    for name in ("anchor", "material"):
        if name in values:
            values[name] = _opt_str(values[name], f"subject {name}")
    return Subject(**values)


def _surface(data: Any) -> Surface:
    if isinstance(data, str):
        data = {"name": data}
    if not isinstance(data, dict):
        raise ValueError("a surface must be an object")
    values = _known(Surface, data)
    values["name"] = _str(values.get("name"), "surface name")
    if "kind" in values:
        values["kind"] = _str(values["kind"], "surface kind").lower()
    if "material" in values:
        values["material"] = _opt_str(values["material"], "surface material")
    if values.get("color") is not None:
        values["color"] = _rgb(values["color"])
    return Surface(**values)


def _relation(data: Any) -> Relation | None:
    if not isinstance(data, dict):
        raise ValueError("a relation must be an object")
    subject, anchor = _str(data.get("subject"), "relation subject"), _str(data.get("anchor"), "relation anchor")
    relation = _vocab(data.get("relation"), RELATIONS, "relation")
    return Relation(subject, relation, anchor) if relation else None


def _effect(data: Any) -> Effect:
    if isinstance(data, str):
        data = {"kind": data}
    if not isinstance(data, dict):
        raise ValueError("an effect must be a string or an object")
    values = _known(Effect, data)
    values["kind"] = _str(values.get("kind"), "effect kind").lower()
    for name in ("target", "on"):
        if name in values:
            values[name] = _opt_str(values[name], f"effect {name}")
    return Effect(**values)


def _text(data: Any) -> TextElement:
    if not isinstance(data, dict):
        raise ValueError("a text element must be an object")
    values = _known(TextElement, data)
    values["text"] = _str(values.get("text"), "text")
    if not values["text"].strip():
        raise ValueError("a text element needs text")
    if "style" in values:
        values["style"] = _choice(values["style"], TEXT_STYLES, "text style")
    if "weight" in values:
        values["weight"] = _choice(values["weight"], TEXT_WEIGHTS, "text weight")
    if "size" in values:
        values["size"] = _choice(values["size"], TEXT_SIZES, "text size")
    if "position" in values:
        values["position"] = _str(values["position"], "text position").lower()
    if values.get("color") is not None:
        values["color"] = _rgb(values["color"])
    if "language" in values:
        values["language"] = _opt_str(values["language"], "text language")
    if "carrier" in values:
        values["carrier"] = _opt_str(values["carrier"], "text carrier")
    return TextElement(**values)
