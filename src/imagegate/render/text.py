"""Typography: set exact text of any script into an image, shaped by HarfBuzz through Pillow RAQM.

Each line is split into runs that share one font and one bidi direction; every run is shaped by
RAQM (so Arabic joins and Indic conjuncts form) and the runs are placed in visual order. Emoji
come from the colour font's 109 px strike, scaled. Text is wrapped and shrunk to fit its box, and
the pixels under it decide the colour and whether an outline or a backing panel is needed.
"""

from __future__ import annotations

import math
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PIL import Image, ImageColor, ImageDraw, features

from imagegate.render import _backdrop, _bidi, _segment, fonts
from imagegate.render.fonts import EMOJI_PX, FontFace

REF_PX = 100  # widths are measured once at this size and scaled while searching for a fit
MIN_PX = 6
# Word-level wrapping is abandoned for breaks inside words only when it would shrink the text
# below this share of the size that breaking anywhere allows (long compounds, Thai sentences).
WORD_WRAP_MIN_SHARE = 0.6
STROKE_EM = 0.06
PANEL_PAD_EM = 0.3


@dataclass(frozen=True)
class PlacedRun:
    """One shaped run: its text (logical order), face, left edge and baseline in box coordinates."""

    text: str
    face: FontFace
    x: float
    baseline: float
    width: float
    rtl: bool


@dataclass(frozen=True)
class TextLayout:
    """Text fitted into a box: font size, runs in visual order, and the lines' extent (box coords)."""

    size: int
    runs: tuple[PlacedRun, ...]
    extent: tuple[int, int, int, int]
    lines: int


@dataclass(frozen=True)
class _Paragraph:
    """One paragraph (text between newlines) with a face and a bidi level per character."""

    text: str
    faces: list[FontFace]
    levels: list[int]
    rtl: bool


def check_raqm() -> None:
    """Raise RuntimeError unless Pillow has its RAQM layout (needed for complex scripts)."""
    if not features.check("raqm"):
        raise RuntimeError(
            "Pillow has no RAQM layout (HarfBuzz/FriBiDi): install libfribidi0 (apt-get install "
            "libfribidi0) and a Pillow build with raqm; without it Arabic, Hebrew and Indic text "
            "would be drawn unshaped."
        )


@lru_cache(maxsize=1)
def _has_raqm() -> bool:
    """Whether Pillow can shape (checked once; the server refuses to start without it)."""
    return bool(features.check_feature("raqm"))


def _direction(rtl: bool) -> dict[str, str]:
    """Keyword arguments fixing a run's direction (BASIC layout accepts none)."""
    return {"direction": "rtl" if rtl else "ltr"} if _has_raqm() else {}


@lru_cache(maxsize=8192)
def run_width(text: str, face: FontFace, size: int, rtl: bool) -> float:
    """Advance width in px of one shaped run at `size`."""
    if face.is_emoji:
        return fonts.load_font(face, EMOJI_PX).getlength(text) * size / EMOJI_PX
    return fonts.load_font(face, size).getlength(text, **_direction(rtl))


def _metrics(face: FontFace, size: int) -> tuple[float, float]:
    """Ascent and descent in px of `face` at `size`."""
    ascent, descent = fonts.load_font(face, size).getmetrics()
    scale = size / EMOJI_PX if face.is_emoji else 1.0
    return ascent * scale, descent * scale


def _paragraph(text: str, style: str, weight: str, language: str | None) -> _Paragraph:
    """Analyse one paragraph: faces per character and bidi levels."""
    rtl = _bidi.is_rtl_paragraph(text)
    return _Paragraph(text, _segment.assign_faces(text, style, weight, language), _bidi.resolve_levels(text, rtl), rtl)


def _span_width(p: _Paragraph, start: int, end: int, size: int) -> float:
    """Width of text[start:end] drawn as its runs (no shaping across run boundaries)."""
    return sum(
        run_width(p.text[a:b], p.faces[a], size, p.levels[a] % 2 == 1)
        for a, b in _segment.split_runs(p.faces, p.levels, start, end)
    )


def _trim(p: _Paragraph, start: int, end: int) -> int:
    """End index of text[start:end] without trailing whitespace."""
    while end > start and p.text[end - 1].isspace():
        end -= 1
    return end


@dataclass(frozen=True)
class _Unit:
    """An unbreakable piece of a paragraph with its widths at REF_PX (with/without trailing space)."""

    start: int
    end: int
    full: float
    trimmed: float
    pieces: tuple[_Unit, ...] = ()  # grapheme-cluster pieces, for words that may need splitting


def _unit(p: _Paragraph, a: int, b: int) -> _Unit:
    """Measure text[a:b] at REF_PX."""
    full = _span_width(p, a, b, REF_PX)
    trimmed_end = _trim(p, a, b)
    return _Unit(a, b, full, full if trimmed_end == b else _span_width(p, a, trimmed_end, REF_PX))


def _units(p: _Paragraph, split_over: float | None = None) -> list[_Unit]:
    """Word units of a paragraph; words wider than `split_over` also get cluster pieces."""
    out = []
    for a, b in _segment.break_units(p.text):
        unit = _unit(p, a, b)
        if split_over is not None and unit.trimmed > split_over:
            pieces = tuple(_unit(p, a + i, a + j) for i, j in _segment.break_units(p.text[a:b], anywhere=True))
            unit = _Unit(a, b, unit.full, unit.trimmed, pieces)
        out.append(unit)
    return out


def _wrap(units: list[_Unit], limit: float) -> list[tuple[int, int]] | None:
    """Greedy lines (start, end) within `limit` (REF_PX units); None if something cannot fit.

    A word wider than the line is split into its cluster pieces when it has them.
    """
    lines: list[tuple[int, int]] = []
    start = end = None
    width = 0.0
    for word in units:
        for unit in word.pieces if word.trimmed > limit and word.pieces else (word,):
            if unit.trimmed > limit:
                return None
            if start is not None and width + unit.trimmed > limit:
                lines.append((start, end))
                start = None
            if start is None:
                start, width = unit.start, 0.0
            end, width = unit.end, width + unit.full
    if start is not None:
        lines.append((start, end))
    return lines or [(0, 0)]


def _fit(units: list[list[_Unit]], width: int, height: int, line_em: float, hi: int) -> int | None:
    """Largest size in [MIN_PX, hi] whose wrapped lines fit width x height, else None."""
    best, lo = None, MIN_PX
    while lo <= hi:
        mid = (lo + hi) // 2
        wrapped = [_wrap(u, width * REF_PX / mid) for u in units]
        if all(w is not None for w in wrapped) and sum(map(len, wrapped)) * line_em * mid <= height:
            best, lo = mid, mid + 1
        else:
            hi = mid - 1
    return best


def _line_em(paragraphs: list[_Paragraph]) -> float:
    """Line height in em: the largest ascent plus the largest descent of the faces used."""
    faces = {f for p in paragraphs for f in p.faces} or {fonts.resolve_face("a")}
    metrics = [_metrics(f, REF_PX) for f in faces]
    return (max(m[0] for m in metrics) + max(m[1] for m in metrics)) / REF_PX


def _choose_size(paragraphs: list[_Paragraph], width: int, height: int, hi: int) -> tuple[int, list[list[_Unit]]]:
    """Font size and units to wrap with: whole words, unless splitting words allows a far larger size."""
    line_em = _line_em(paragraphs)
    hi = max(MIN_PX, min(hi, int(height / line_em)))
    words = [_units(p) for p in paragraphs]
    size = _fit(words, width, height, line_em, hi)
    if size is None or size < hi * WORD_WRAP_MIN_SHARE:
        # Only words too wide at the largest size could ever need splitting.
        splittable = [_units(p, split_over=width * REF_PX / hi) for p in paragraphs]
        split = _fit(splittable, width, height, line_em, hi)
        if split is not None and (size is None or size < split * WORD_WRAP_MIN_SHARE):
            return split, splittable
    return size or MIN_PX, words


def _place_line(p: _Paragraph, start: int, end: int, size: int, baseline: float, width: int, align: str) -> list[PlacedRun]:
    """Runs of one line in visual order, positioned according to `align`."""
    end = _trim(p, start, end)
    spans = _segment.split_runs(p.faces, p.levels, start, end)
    order = _bidi.visual_order([p.levels[a] for a, _ in spans])
    widths = [run_width(p.text[a:b], p.faces[a], size, p.levels[a] % 2 == 1) for a, b in spans]
    side = {"start": "right" if p.rtl else "left", "end": "left" if p.rtl else "right"}.get(align, align)
    slack = width - sum(widths)
    x = {"left": 0.0, "right": slack}.get(side, slack / 2)
    runs = []
    for k in order:
        a, b = spans[k]
        runs.append(PlacedRun(p.text[a:b], p.faces[a], x, baseline, widths[k], p.levels[a] % 2 == 1))
        x += widths[k]
    return runs


_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")  # what Unicode calls a line break, besides \n
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # C0 and C1 controls: nothing to draw, and HarfBuzz/raqm may refuse them


def printable_lines(text: str) -> list[str]:
    """The lines to draw: every Unicode line or paragraph separator breaks the line (not just
    "\n"), tabs become spaces and other control characters are dropped."""
    text = _CONTROLS.sub("", _LINE_BREAKS.sub("\n", text).replace("\t", " "))
    return text.split("\n")


def layout_text(
    text: str,
    width: int,
    height: int,
    *,
    style: str = "sans",
    weight: str = "regular",
    align: str = "center",
    language: str | None = None,
    max_font_px: int | None = None,
) -> TextLayout:
    """Fit `text` into a width x height box: wrap, shrink, split into runs and place them."""
    paragraphs = [_paragraph(t, style, weight, language) for t in printable_lines(text)]
    size, units = _choose_size(paragraphs, width, height, max_font_px or height)
    for _ in range(12):  # hinting makes real widths differ slightly from scaled ones
        wrapped = [_wrap(u, width * REF_PX / size) or [(u[0].start, u[-1].end)] if u else [(0, 0)] for u in units]
        lines = [(p, a, b) for p, w in zip(paragraphs, wrapped) for a, b in w]
        if size <= MIN_PX or max(_span_width(p, a, _trim(p, a, b), size) for p, a, b in lines) <= width:
            break
        size = max(MIN_PX, size - max(1, size // 25))
    metrics = [_metrics(f, size) for f in {f for p in paragraphs for f in p.faces} or {fonts.resolve_face("a")}]
    ascent, descent = max(m[0] for m in metrics), max(m[1] for m in metrics)
    top = (height - len(lines) * (ascent + descent)) / 2
    runs: list[PlacedRun] = []
    for i, (p, a, b) in enumerate(lines):
        runs += _place_line(p, a, b, size, top + i * (ascent + descent) + ascent, width, align)
    inked = [r for r in runs if r.width > 0] or [PlacedRun("", FontFace(""), width / 2, 0, 0, False)]
    extent = (
        math.floor(min(r.x for r in inked)),
        math.floor(top),
        math.ceil(max(r.x + r.width for r in inked)),
        math.ceil(top + len(lines) * (ascent + descent)),
    )
    return TextLayout(size, tuple(runs), extent, len(lines))


@lru_cache(maxsize=256)
def _emoji_bitmap(text: str, size: int) -> tuple[Image.Image, int]:
    """An emoji run drawn from the 109 px colour strike and scaled to `size`; with its ascent."""
    face = fonts.candidates(fonts.EMOJI)[0]
    font = fonts.load_font(face, EMOJI_PX)
    ascent, descent = font.getmetrics()
    # Pillow pastes colour glyphs with their alpha as the mask, which darkens the edges on a
    # transparent canvas; drawing on black and on white recovers colour and alpha exactly.
    dims = (max(1, math.ceil(font.getlength(text))), ascent + descent)
    on_black, on_white = Image.new("RGB", dims, (0, 0, 0)), Image.new("RGB", dims, (255, 255, 255))
    for canvas in (on_black, on_white):
        ImageDraw.Draw(canvas).text((0, ascent), text, font=font, anchor="ls", embedded_color=True)
    black = np.asarray(on_black, dtype=np.float32)
    alpha = 255.0 - (np.asarray(on_white, dtype=np.float32) - black).mean(axis=2)
    rgb = black * 255.0 / np.maximum(alpha, 1.0)[..., None]
    rgba = np.dstack([np.clip(rgb, 0, 255), np.clip(alpha, 0, 255)]).round().astype(np.uint8)
    strike = Image.fromarray(rgba, "RGBA")
    k = size / EMOJI_PX
    scaled = strike.resize((max(1, round(strike.width * k)), max(1, round(strike.height * k))), Image.Resampling.LANCZOS)
    return scaled, round(ascent * k)


def _composite(image: Image.Image, layer: Image.Image, x: int, y: int) -> None:
    """Alpha-composite an RGBA `layer` onto `image` at (x, y), clipping at the image edges."""
    left, top = max(x, 0), max(y, 0)
    right, bottom = min(x + layer.width, image.width), min(y + layer.height, image.height)
    if right <= left or bottom <= top:
        return
    part = layer.crop((left - x, top - y, right - x, bottom - y))
    if image.mode == "RGBA":
        image.alpha_composite(part, (left, top))
    else:
        image.paste(part if image.mode == "RGB" else part.convert(image.mode), (left, top), part)


def _render_layer(layout: TextLayout, fill: tuple[int, ...], stroke: tuple[int, int, int] | None, stroke_px: int, pad: int) -> Image.Image:
    """The text of `layout` on a transparent RGBA layer covering its extent plus `pad`."""
    x0, y0, x1, y1 = layout.extent
    fill = tuple(fill[:3]) + (fill[3] if len(fill) > 3 else 255,)
    layer = Image.new("RGBA", (x1 - x0 + 2 * pad, y1 - y0 + 2 * pad), fill[:3] + (0,))
    draw = ImageDraw.Draw(layer)
    for run in layout.runs:
        x, y = run.x - x0 + pad, run.baseline - y0 + pad
        if run.face.is_emoji:
            bitmap, ascent = _emoji_bitmap(run.text, layout.size)
            layer.alpha_composite(bitmap, (max(0, round(x)), max(0, round(y) - ascent)))
            continue
        font = fonts.load_font(run.face, layout.size)
        draw.text((x, y), run.text, font=font, fill=fill, anchor="ls", stroke_width=stroke_px if stroke else 0,
                  stroke_fill=stroke, **_direction(run.rtl))
    return layer


class _LayerCache:
    """Text layers drawn lately, by what they were drawn from, within a budget of bytes: the same
    text at the same size, colour and position (every image of an n > 1 request, a repeated
    prompt) is drawn once. FreeType rasterises glyphs afresh on every Pillow text call, holding
    the GIL: 1-5 ms for a headline. The layers are shared, so callers only read them."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._layers: OrderedDict[tuple, Image.Image] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def __call__(self, layout: TextLayout, fill: tuple[int, ...], stroke: tuple[int, int, int] | None, stroke_px: int, pad: int) -> Image.Image:
        key = (layout, tuple(fill), stroke, stroke_px, pad, _has_raqm())
        with self._lock:
            layer = self._layers.get(key)
            if layer is not None:
                self._layers.move_to_end(key)
                return layer
        layer = _render_layer(layout, fill, stroke, stroke_px, pad)
        size = layer.width * layer.height * 4
        if size <= self.budget // 8:
            with self._lock:
                if key not in self._layers:
                    self._layers[key] = layer
                    self._bytes += size
                while self._bytes > self.budget:
                    old = self._layers.popitem(last=False)[1]
                    self._bytes -= old.width * old.height * 4
        return layer

    def cache_clear(self) -> None:
        with self._lock:
            self._layers.clear()
            self._bytes = 0


_text_layer = _LayerCache(16 * 1024 * 1024)


def draw_text_block(
    image: Image.Image,
    text: str,
    box: tuple[int, int, int, int],
    *,
    style: str = "sans",
    weight: str = "regular",
    align: str = "center",
    color: tuple[int, int, int] | None = None,
    language: str | None = None,
    max_font_px: int | None = None,
) -> tuple[int, int, int, int]:
    """Draw `text` fitted into `box` (left, top, right, bottom); return the box actually used.

    Args:
        style: sans | serif | display | mono | script; weight: regular | bold.
        align: left | center | right (start | end follow the paragraph direction).
        color: the requested fill colour; None asks for black or white. Either way the pixels under
            the laid-out text are measured and the fill is kept only if it reaches WCAG contrast
            4.5 against them, else moved to the nearest colour that does, with an outline or a
            backing panel where the backdrop's luminance spread or clutter needs one
            (`_backdrop.choose_treatment`).
        language: BCP 47 hint (zh-Hans, zh-Hant, ja, ko pick the CJK face).
    """
    left, top, right, bottom = (int(v) for v in box)
    if not text.strip() or right - left < 2 or bottom - top < 2:
        return (left, top, left, top)
    layout = layout_text(text, right - left, bottom - top, style=style, weight=weight, align=align,
                         language=language, max_font_px=max_font_px)
    x0, y0, x1, y1 = (layout.extent[0] + left, layout.extent[1] + top, layout.extent[2] + left, layout.extent[3] + top)
    fill = ImageColor.getrgb(color) if isinstance(color, str) else color
    treatment = _backdrop.choose_treatment(_backdrop.measure_backdrop(image, (x0, y0, x1, y1), layout.size), fill)
    used = [(x0, y0, x1, y1)]
    if treatment.panel:
        pad = max(2, round(layout.size * PANEL_PAD_EM))
        panel = (x0 - pad, y0 - pad // 2, x1 + pad, y1 + pad // 2)
        _backdrop.draw_panel(image, panel, treatment.panel, radius=pad, alpha=treatment.panel_alpha)
        used.append(panel)
    stroke_px = max(1, round(layout.size * STROKE_EM)) if treatment.stroke else 0
    pad = stroke_px + layout.size // 2  # room for marks above the ascent and italic overhangs
    layer = _text_layer(layout, treatment.fill, treatment.stroke, stroke_px, pad)
    _composite(image, layer, x0 - pad, y0 - pad)
    ink = layer.getchannel("A").getbbox()
    if ink:
        used.append((ink[0] + x0 - pad, ink[1] + y0 - pad, ink[2] + x0 - pad, ink[3] + y0 - pad))
    return (
        max(0, min(u[0] for u in used)),
        max(0, min(u[1] for u in used)),
        min(image.width, max(u[2] for u in used)),
        min(image.height, max(u[3] for u in used)),
    )
