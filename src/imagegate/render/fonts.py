"""Font selection: (script, style, weight, language) -> a Debian Noto face that covers the text.

A curated table picks the face for each script and style; every choice is checked against the
font's cmap (fontTools, cached per face), and fontconfig is asked only for stray characters no
table face covers. Loaded Pillow fonts are cached per (path, index, size).
"""

from __future__ import annotations

import os
import subprocess
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from fontTools import unicodedata as fu
from fontTools.ttLib import TTFont
from PIL import ImageFont, features

STYLES = ("sans", "serif", "display", "mono", "script")
WEIGHTS = ("regular", "bold")
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")

# NotoColorEmoji is a CBDT bitmap font with a single strike: it only loads at this pixel size.
EMOJI_PX = 109
EMOJI = "Zsye"  # ISO 15924 code for emoji presentation
CJK_SCRIPTS = frozenset({"Hani", "Hira", "Kana", "Hang", "Bopo"})
NEUTRAL_SCRIPTS = frozenset({"Zyyy", "Zinh", "Zzzz"})

# Face order inside Debian's NotoSansCJK/NotoSerifCJK .ttc files (fc-query); mono faces follow at +5.
_CJK_FACE = {"JP": 0, "KR": 1, "SC": 2, "TC": 3, "HK": 4}

# Per script and style, families to try in order ("Family" or "Family:Italic"). Scripts without
# an entry use NotoSans<Name> / NotoSerif<Name> derived from the Unicode script name.
_LATIN = {
    "sans": ("NotoSans", "DejaVuSans"),
    "serif": ("NotoSerif", "DejaVuSerif"),
    "display": ("NotoSansDisplay", "NotoSans"),
    "mono": ("NotoSansMono", "NotoMono", "DejaVuSansMono"),
    "script": ("DancingScript", "NotoSerif:Italic", "NotoSans:Italic"),
}
_TABLE: dict[str, dict[str, tuple[str, ...]]] = {
    "Latn": _LATIN,
    "Grek": _LATIN,
    "Cyrl": _LATIN,
    "Arab": {
        "sans": ("NotoSansArabic",),
        "serif": ("NotoNaskhArabic",),
        "display": ("NotoKufiArabic", "NotoSansArabic"),
        "mono": ("NotoSansArabic",),
        "script": ("NotoNaskhArabic",),
    },
    "Hebr": {
        "sans": ("NotoSansHebrew",),
        "serif": ("NotoSerifHebrew",),
        "display": ("NotoSansHebrew",),
        "mono": ("NotoSansHebrew",),
        "script": ("NotoSerifHebrew",),
    },
    "Thai": {
        "sans": ("NotoSansThai",),
        "serif": ("NotoSerifThai",),
        "display": ("NotoSansThai",),
        "mono": ("NotoSansThai",),
        "script": ("NotoLoopedThai", "NotoSerifThai"),
    },
}
# Families tried for any character the script's own faces miss (symbols, stray letters).
_GENERIC = ("NotoSans", "NotoSansSymbols", "NotoSansSymbols2", "NotoSansMath", "NotoMusic", "DejaVuSans")
# Characters a face need not contain: whitespace, joiners and other format characters, selectors.
_IGNORABLE = frozenset({0x200C, 0x200D, 0xFE0E, 0xFE0F, 0x20E3})


class FontFace(NamedTuple):
    """One face of a font file: path and index inside a .ttc collection."""

    path: str
    index: int = 0

    @property
    def is_emoji(self) -> bool:
        """True for the colour emoji face, which must be loaded at EMOJI_PX and scaled."""
        return "Emoji" in os.path.basename(self.path)


@lru_cache(maxsize=1)
def _font_files() -> dict[str, str]:
    """Map file stem (e.g. 'NotoSans-Bold') to path for every installed font file."""
    found: dict[str, str] = {}
    for root_dir in FONT_DIRS:
        for root, _dirs, files in os.walk(root_dir):
            for name in sorted(files):
                stem, ext = os.path.splitext(name)
                if ext.lower() in (".ttf", ".otf", ".ttc"):
                    found.setdefault(stem, os.path.join(root, name))
    return found


def _family_file(family: str, weight: str) -> str | None:
    """Path of `family` ('Name' or 'Name:Italic') in `weight`, falling back to regular."""
    name, _, slant = family.partition(":")
    files = _font_files()
    bold = "Bold" if weight == "bold" else ""
    for w in dict.fromkeys((bold, "")):
        suffix = (w + slant) or "Regular"
        for stem in (f"{name}-{suffix}", name if suffix == "Regular" else None):
            if stem and stem in files:
                return files[stem]
    return None


@lru_cache(maxsize=None)
def coverage(face: FontFace) -> frozenset[int]:
    """Code points in the face's best cmap (read once per face)."""
    with TTFont(face.path, fontNumber=face.index, lazy=True) as font:
        return frozenset(font.getBestCmap() or ())


def is_ignorable(ch: str) -> bool:
    """True for characters coverage checks skip (whitespace, format characters, selectors)."""
    cp = ord(ch)
    return ch.isspace() or cp in _IGNORABLE or 0xFE00 <= cp <= 0xFE0F or unicodedata.category(ch) == "Cf"


def covers(face: FontFace, text: str) -> bool:
    """True when `face` has a glyph for every non-ignorable character of `text`."""
    cmap = coverage(face)
    return all(ord(c) in cmap for c in text if not is_ignorable(c))


def script_of(ch: str) -> str:
    """ISO 15924 script code of one character ('Zyyy' common, 'Zinh' inherited)."""
    return fu.script(ch)


def detect_script(text: str) -> str:
    """The script most letters of `text` are in; CJK scripts count as 'Hani'; 'Latn' if none."""
    counts: dict[str, int] = {}
    for ch in text:
        sc = script_of(ch)
        if sc not in NEUTRAL_SCRIPTS:
            sc = "Hani" if sc in CJK_SCRIPTS else sc
            counts[sc] = counts.get(sc, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else "Latn"


def cjk_region(language: str | None, text: str = "") -> str:
    """CJK face region (JP, KR, SC, TC, HK) from a BCP 47 hint, else guessed from the text."""
    tag = (language or "").lower().replace("_", "-")
    parts = tag.split("-")
    if parts[0] == "ja":
        return "JP"
    if parts[0] == "ko":
        return "KR"
    if parts[0] in ("zh", "yue", "cmn"):
        if "hk" in parts or "mo" in parts:
            return "HK"
        if "hant" in parts or "tw" in parts:
            return "TC"
        return "SC"
    scripts = {script_of(c) for c in text}
    if scripts & {"Hira", "Kana"}:
        return "JP"
    if "Hang" in scripts:
        return "KR"
    return "SC"


def _cjk_faces(style: str, weight: str, region: str) -> list[FontFace]:
    """Noto CJK faces for a style: sans/display/mono from NotoSansCJK, serif/script from Serif."""
    files = _font_files()
    serif = style in ("serif", "script")
    family = "NotoSerifCJK" if serif else "NotoSansCJK"
    index = _CJK_FACE[region] + (5 if style == "mono" else 0)
    out = []
    for w in dict.fromkeys(("Bold" if weight == "bold" else "Regular", "Regular")):
        if f"{family}-{w}" in files:
            out.append(FontFace(files[f"{family}-{w}"], index))
    return out


def _families(script: str, style: str) -> tuple[str, ...]:
    """Families the table lists for (script, style), derived from the script name if absent."""
    if script in _TABLE:
        entry = _TABLE[script]
        return entry.get(style, ()) + entry["sans"]
    name = "".join(w.capitalize() for w in fu.script_name(script, default="").replace("_", " ").split())
    sans, serif = f"NotoSans{name}", f"NotoSerif{name}"
    return (serif, sans) if style in ("serif", "script") else (sans, serif)


def candidates(script: str, style: str = "sans", weight: str = "regular", language: str | None = None, text: str = "") -> list[FontFace]:
    """Faces to try for `script` in preference order (style and weight first, then fallbacks)."""
    style = style if style in STYLES else "sans"
    weight = weight if weight in WEIGHTS else "regular"
    if script == EMOJI:
        path = _family_file("NotoColorEmoji", "regular")
        return [FontFace(path)] if path else []
    if script in CJK_SCRIPTS:
        return _cjk_faces(style, weight, cjk_region(language, text)) + _cjk_faces("sans", weight, "SC")
    paths = [_family_file(f, weight) for f in _families(script, style)]
    return [FontFace(p) for p in dict.fromkeys(paths) if p]


def resolve_face(text: str, style: str = "sans", weight: str = "regular", language: str | None = None, script: str | None = None) -> FontFace:
    """The face for `text` (one script): first table candidate covering it, else the best cover."""
    script = script or detect_script(text)
    faces = candidates(script, style, weight, language, text)
    for face in faces:
        if covers(face, text):
            return face
    return faces[0] if faces else fallback_face(text[:1] or " ")


def fallback_face(ch: str, weight: str = "regular") -> FontFace:
    """A face for a stray character: generic Noto families, then fontconfig, then DejaVu Sans."""
    for family in _GENERIC:
        path = _family_file(family, weight)
        if path and covers(FontFace(path), ch):
            return FontFace(path)
    found = _fontconfig_face(ord(ch))
    if found:
        return found
    return FontFace(_family_file("DejaVuSans", weight) or next(iter(_font_files().values())))


@lru_cache(maxsize=4096)
def _fontconfig_face(cp: int) -> FontFace | None:
    """First face in `fc-match -s` order whose cmap covers code point `cp` (cached, slow path)."""
    try:
        out = subprocess.run(
            ["fc-match", "-s", "--format=%{file}|%{index}\n", f":charset={cp:x}"],
            capture_output=True, text=True, timeout=5, check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for line in out.splitlines()[:50]:
        path, _, index = line.partition("|")
        face = FontFace(path, int(index or 0))
        if os.path.exists(path) and cp in coverage(face):
            return face
    return None


def warm_up(scripts: tuple[str, ...] = ("Latn", "Arab", "Hebr", "Deva", "Thai", "Hani", EMOJI)) -> None:
    """Read the cmaps of the main faces now (the CJK one takes ~0.1 s) so first requests are fast."""
    for script in scripts:
        for style in STYLES:
            for face in candidates(script, style)[:1]:
                coverage(face)


@lru_cache(maxsize=256)
def load_font(face: FontFace, size: int) -> ImageFont.FreeTypeFont:
    """A Pillow font for `face` at `size` px (the emoji face always at EMOJI_PX), cached."""
    layout = ImageFont.Layout.RAQM if features.check_feature("raqm") else ImageFont.Layout.BASIC
    px = EMOJI_PX if face.is_emoji else max(1, int(size))
    return ImageFont.truetype(face.path, px, index=face.index, layout_engine=layout)
