"""Font selection: (script, style, weight, language) -> a Debian Noto face that covers the text.

A curated table picks the face for each script and style; every choice is checked against the
font's cmap (the code points fontTools' `getBestCmap` gives, read by a small array reader, cached
per face), and fontconfig is asked only for stray characters no table face covers. Loaded Pillow
fonts are cached per (path, index, size).
"""

from __future__ import annotations

import os
import struct
import subprocess
import unicodedata
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from fontTools import unicodedata as fu
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
    """Code points in the face's best cmap (read once per face): the keys of fontTools'
    `getBestCmap()`, read from the raw cmap table with numpy (`_best_cmap_codes`) when the
    file and the table are well formed, else by fontTools itself."""
    try:
        data = _raw_table(face.path, face.index, b"cmap")
        codes = _best_cmap_codes(data) if data is not None else None
    except (OSError, struct.error, ValueError, IndexError):
        codes = None
    if codes is not None:
        return frozenset(codes.tolist())
    from fontTools.ttLib import TTFont  # noqa: PLC0415 - only for fonts the fast reader leaves alone

    with TTFont(face.path, fontNumber=face.index, lazy=True) as font:
        return frozenset(font.getBestCmap() or ())


def _raw_table(path: str, index: int, tag: bytes) -> bytes | None:
    """The bytes of table `tag` of face `index` of a TrueType/OpenType file or collection, read
    as fontTools' SFNTReader reads them; None for anything else (WOFF, a missing table, a
    truncated file), which fontTools then reads."""
    with open(path, "rb") as file:
        head = file.read(12)
        if head[:4] == b"ttcf":
            if not 0 <= index < struct.unpack(">L", head[8:12])[0]:
                return None
            file.seek(12 + 4 * index)
            file.seek(struct.unpack(">L", file.read(4))[0])
            head = file.read(12)
        if len(head) < 12 or head[:4] not in (b"\0\1\0\0", b"OTTO", b"true"):
            return None
        count = struct.unpack(">H", head[4:6])[0]
        records = file.read(16 * count)
        if len(records) < 16 * count:
            return None
        found = None
        for i in range(count):  # the last record of a tag wins, as in fontTools
            if records[16 * i:16 * i + 4] == tag:
                found = struct.unpack(">LL", records[16 * i + 8:16 * i + 16])
        if found is None:
            return None
        file.seek(found[0])
        data = file.read(found[1])
        return data if len(data) == found[1] else None


# fontTools' getBestCmap order (HarfBuzz's): Windows/Unicode full repertoire first, then BMP ones.
_CMAP_PREFERENCES = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))
_MIN_HEADER = {0: 6, 2: 6, 4: 6, 6: 6, 12: 16, 13: 16, 14: 10, 15: 10}  # fontTools' headerFormat sizes
_MAX_CODES = 1 << 21  # more code points than Unicode has: a malformed table, left to fontTools


def _best_cmap_codes(data: bytes) -> np.ndarray | None:
    """Code points (possibly repeated) that the subtable fontTools' `getBestCmap()` picks maps to
    a glyph other than .notdef, from the raw `cmap` table; None for anything not read here exactly
    as fontTools reads it (other subtable formats, overlapping or unsorted groups, truncated or
    inconsistent tables), which the caller then hands to fontTools.

    fontTools decodes every code point's glyph name, and to name glyphs it reads the font's whole
    glyph order (for CFF fonts the charset: ~65k glyphs in a CJK face), in pure Python: ~0.15 s per
    CJK face. This reads only the code points, with array arithmetic: about a millisecond.
    """
    if len(data) < 4:
        return None
    _version, count = struct.unpack_from(">HH", data)
    if 4 + 8 * count > len(data):
        return None
    subtables: list[tuple[int, int, int, int, int]] = []  # platform, encoding, format, offset, length
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHL", data, 4 + 8 * i)
        if offset + 8 > len(data):
            return None
        fmt = struct.unpack_from(">H", data, offset)[0]
        if fmt in (8, 10, 12, 13):
            length = struct.unpack_from(">L", data, offset + 4)[0]
        elif fmt in (14, 15):
            length = struct.unpack_from(">L", data, offset + 2)[0]
        else:
            length = struct.unpack_from(">H", data, offset + 2)[0]
        if fmt not in _MIN_HEADER or not _MIN_HEADER[fmt] <= length <= len(data) - offset:
            return None  # a format fontTools keeps opaque, a zero length it skips, or a bad one
        if fmt in (12, 13) and length != 16 + 12 * struct.unpack_from(">L", data, offset + 12)[0]:
            return None
        subtables.append((platform, encoding, fmt, offset, length))
    decoded: dict[int, np.ndarray | None] = {}

    def codes(fmt: int, offset: int, length: int) -> np.ndarray | None:
        if fmt not in (4, 12, 13):
            return None
        if offset not in decoded:
            body = data[offset:offset + length]
            decoded[offset] = _format4_codes(body) if fmt == 4 else _format12_codes(body, step=fmt == 12)
        return decoded[offset]

    offsets: set[int] = set()
    for _platform, _encoding, fmt, offset, length in subtables:
        # fontTools decodes the first subtable at a shared offset while it reads the table
        if offset in offsets and codes(fmt, offset, length) is None:
            return None
        offsets.add(offset)
    for wanted in _CMAP_PREFERENCES:
        for platform, encoding, fmt, offset, length in subtables:
            if (platform, encoding) == wanted:
                return codes(fmt, offset, length)
    return np.empty(0, dtype=np.int64)  # no Unicode subtable: fontTools returns None


def _format4_codes(body: bytes) -> np.ndarray | None:
    """Code points of a format 4 subtable (segments of the BMP), as fontTools' cmap_format_4."""
    if len(body) < 14 or len(body) % 2:
        return None
    seg_count = struct.unpack_from(">H", body, 6)[0] // 2
    words = np.frombuffer(body, dtype=">u2", offset=14).astype(np.int64)
    if len(words) < 4 * seg_count + 1:
        return None
    end = words[:seg_count]
    start = words[seg_count + 1:2 * seg_count + 1]
    delta = words[2 * seg_count + 1:3 * seg_count + 1]
    range_offset = words[3 * seg_count + 1:4 * seg_count + 1]
    glyphs = words[4 * seg_count + 1:]
    n = max(seg_count - 1, 0)  # fontTools skips the last segment (the 0xFFFF terminator)
    sizes = np.maximum(end[:n] - start[:n] + 1, 0)
    total = int(sizes.sum())
    if total > _MAX_CODES:
        return None
    seg = np.repeat(np.arange(n), sizes)
    codes = start[seg] + (np.arange(total) - np.repeat(np.cumsum(sizes) - sizes, sizes))
    gids = (codes + delta[seg]) & 0xFFFF
    indirect = range_offset[seg] != 0
    if indirect.any():
        s = seg[indirect]
        index = codes[indirect] + range_offset[s] // 2 - start[s] + s - seg_count
        if index.min() < 0 or index.max() >= len(glyphs):
            return None  # fontTools refuses the subtable
        g = glyphs[index]
        gids[indirect] = np.where(g != 0, (g + delta[s]) & 0xFFFF, 0)
    return codes[gids != 0]


def _format12_codes(body: bytes, *, step: bool) -> np.ndarray | None:
    """Code points of a format 12 (`step`) or 13 subtable (groups of code points), as fontTools'
    cmap_format_12_or_13; groups that fontTools would clamp, skip or let overlap return None."""
    groups = np.frombuffer(body, dtype=">u4", offset=16).astype(np.int64).reshape(-1, 3)
    first, last, glyph = groups[:, 0], groups[:, 1], groups[:, 2]
    if len(groups) and (last.max() > 0x10FFFF or (first > last).any() or (first[1:] < last[:-1]).any()):
        return None
    if step:  # glyph 0 maps only the group's first code point (the next ones get 1, 2, ...)
        first = first + (glyph == 0)
    else:  # the whole group maps the one glyph
        keep = glyph != 0
        first, last = first[keep], last[keep]
    sizes = np.maximum(last - first + 1, 0)
    total = int(sizes.sum())
    if total > _MAX_CODES:
        return None
    codes = np.repeat(first, sizes) + (np.arange(total) - np.repeat(np.cumsum(sizes) - sizes, sizes))
    return codes


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
    """Read the cmaps of the main faces now (~20 ms in all) so first requests are fast."""
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
