"""Splitting text for layout: a font per character, emoji sequences, and line-break units."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from imagegate.render import fonts
from imagegate.render.fonts import FontFace

# Characters that continue the cluster before them (joiners, selectors, keycap, tags, skin tones).
_ZWJ = 0x200D
_CONTINUERS = frozenset({0x200C, 0x200D, 0xFE0E, 0xFE0F, 0x20E3})
# BMP code points with Emoji_Presentation=Yes (emoji-data.txt): drawn as emoji without U+FE0F.
_BMP_EMOJI = frozenset(
    [0x231A, 0x231B, 0x23E9, 0x23EA, 0x23EB, 0x23EC, 0x23F0, 0x23F3, 0x25FD, 0x25FE, 0x2614, 0x2615]
    + list(range(0x2648, 0x2654))
    + [0x267F, 0x2693, 0x26A1, 0x26AA, 0x26AB, 0x26BD, 0x26BE, 0x26C4, 0x26C5, 0x26CE, 0x26D4, 0x26EA]
    + [0x26F2, 0x26F3, 0x26F5, 0x26FA, 0x26FD, 0x2705, 0x270A, 0x270B, 0x2728, 0x274C, 0x274E]
    + [0x2753, 0x2754, 0x2755, 0x2757, 0x2795, 0x2796, 0x2797, 0x27B0, 0x27BF, 0x2B1B, 0x2B1C, 0x2B50, 0x2B55]
)
# Line breaking: scripts written without spaces that may break between any two characters,
# and the kinsoku sets (no line may start with the first or end with the second).
_BREAK_ANYWHERE = frozenset({"Hani", "Hira", "Kana", "Bopo"})
_NO_LINE_START = frozenset("、。，．・：；？！）」』】〕〉》〙〗ー々ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ,.!?:;)]}%")
_NO_LINE_END = frozenset("（「『【〔〈《〘〖([{")
# Thai/Lao vowels written before the consonant, and following vowels that cannot start a line.
_LEADING_VOWELS = frozenset(range(0x0E40, 0x0E45)) | frozenset(range(0x0EC0, 0x0EC5))
_FOLLOWING_VOWELS = frozenset({0x0E30, 0x0E32, 0x0E33, 0x0E45, 0x0E46, 0x0EB0, 0x0EB2, 0x0EB3, 0x0EC6})


def _continues(cp: int) -> bool:
    """True for code points that always belong to the preceding character's cluster."""
    return cp in _CONTINUERS or 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F or 0xFE00 <= cp <= 0xFE0F


def emoji_mask(text: str) -> list[bool]:
    """Per character, whether it belongs to an emoji presentation sequence."""
    face = fonts.candidates(fonts.EMOJI)
    cmap = fonts.coverage(face[0]) if face else frozenset()
    mask = [False] * len(text)
    for i, ch in enumerate(text):
        cp = ord(ch)
        nxt = ord(text[i + 1]) if i + 1 < len(text) else 0
        if i and _continues(cp):
            mask[i] = mask[i - 1]
        elif i and mask[i - 1] and ord(text[i - 1]) == _ZWJ:
            mask[i] = cp in cmap  # the next member of a ZWJ sequence
        elif nxt == 0xFE0E or cp not in cmap:
            mask[i] = False
        else:
            mask[i] = cp >= 0x1F000 or cp in _BMP_EMOJI or nxt in (0xFE0F, 0x20E3)
    return mask


@lru_cache(maxsize=8192)
def _face_for(ch: str, script: str, style: str, weight: str, region: str) -> FontFace:
    """The first table face for `script` covering `ch`, else a fallback face."""
    language = {"JP": "ja", "KR": "ko", "SC": "zh-Hans", "TC": "zh-Hant", "HK": "zh-HK"}[region]
    for face in fonts.candidates(script, style, weight, language):
        if ord(ch) in fonts.coverage(face):
            return face
    return fonts.fallback_face(ch, weight)


def assign_faces(text: str, style: str, weight: str, language: str | None) -> list[FontFace]:
    """A face per character: letters by their script, neutrals and marks joining a neighbour."""
    region = fonts.cjk_region(language, text)
    emoji = emoji_mask(text)
    emoji_face = fonts.candidates(fonts.EMOJI)
    faces: list[FontFace | None] = [None] * len(text)
    for i, ch in enumerate(text):
        script = fonts.script_of(ch)
        if emoji[i] and emoji_face:
            faces[i] = emoji_face[0]
        elif script not in fonts.NEUTRAL_SCRIPTS:
            faces[i] = _face_for(ch, script, style, weight, region)
    strong = [f for f in faces if f is not None and not f.is_emoji]
    default = strong[0] if strong else _face_for("a", "Latn", style, weight, region)
    nxt: FontFace | None = None
    ahead: list[FontFace | None] = [None] * len(text)
    for i in range(len(text) - 1, -1, -1):  # the next strong face after each position
        ahead[i] = nxt
        nxt = faces[i] or nxt
    prev: FontFace | None = None
    for i, ch in enumerate(text):
        if faces[i] is None:
            faces[i] = _neutral_face(ch, prev, ahead[i] or default, default, weight)
        prev = faces[i]
    return faces  # type: ignore[return-value]


def _neutral_face(ch: str, prev: FontFace | None, after: FontFace, default: FontFace, weight: str) -> FontFace:
    """Face for a space, digit, punctuation or mark: the previous run's, else the next one's."""
    options = [f for f in (prev, after) if f is not None]
    if ch.isspace():  # the emoji font's space is far too wide: spaces come from a text face
        options = [f for f in options if not f.is_emoji] or [default]
    for face in options:
        if face is prev and fonts.is_ignorable(ch) and not ch.isspace():
            return face  # joiners and selectors stay in their cluster's run
        if ord(ch) in fonts.coverage(face):
            return face
    if fonts.is_ignorable(ch):
        return options[0]
    return fonts.fallback_face(ch, weight)


def _may_break_cluster(text: str, i: int) -> bool:
    """True when a line may break between text[i-1] and text[i] inside a word."""
    prev, cur = text[i - 1], text[i]
    cp, pcp = ord(cur), ord(prev)
    if unicodedata.category(cur)[0] == "M" or _continues(cp) or pcp == _ZWJ:
        return False
    if unicodedata.combining(prev) == 9:  # after a virama the next consonant forms a conjunct
        return False
    if pcp in _LEADING_VOWELS or cp in _FOLLOWING_VOWELS:
        return False
    if 0x1F1E6 <= cp <= 0x1F1FF and 0x1F1E6 <= pcp <= 0x1F1FF:
        return False  # regional indicator pairs are flags
    return cur not in _NO_LINE_START and prev not in _NO_LINE_END


def break_units(text: str, *, anywhere: bool = False) -> list[tuple[int, int]]:
    """Unbreakable (start, end) ranges in logical order; each keeps its trailing whitespace.

    Breaks fall after whitespace, between Han/kana characters, and, when `anywhere` is set,
    between any two grapheme clusters (the last resort for long words and Thai).
    """
    units: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(text)):
        prev, cur = text[i - 1], text[i]
        if cur.isspace():
            continue
        if prev.isspace():
            brk = True
        elif anywhere:
            brk = _may_break_cluster(text, i)
        else:
            cjk = fonts.script_of(prev) in _BREAK_ANYWHERE or fonts.script_of(cur) in _BREAK_ANYWHERE
            brk = cjk and _may_break_cluster(text, i)
        if brk:
            units.append((start, i))
            start = i
    if text:
        units.append((start, len(text)))
    return units


def split_runs(faces: list[FontFace], levels: list[int], start: int, end: int) -> list[tuple[int, int]]:
    """Maximal (start, end) ranges within [start, end) sharing one face and one bidi level."""
    runs: list[tuple[int, int]] = []
    i = start
    while i < end:
        j = i + 1
        while j < end and faces[j] == faces[i] and levels[j] == levels[i]:
            j += 1
        runs.append((i, j))
        i = j
    return runs
