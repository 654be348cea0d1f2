"""Legibility on any background: text fill, outline and backing panel from the measured contrast
of the pixels under the text.

The rule (WCAG 2 contrast, target MIN_CONTRAST = 4.5 between the glyphs and what is right behind
them), from the backdrop's relative-luminance percentiles:

1. Plain fill: the requested colour if it reaches 4.5 against the whole backdrop (its 5th and 95th
   luminance percentiles), else the nearest colour that does (the requested one mixed towards
   black or white, whichever needs less), or black/white when no colour was requested.
2. Fill + outline: when the backdrop's luminance spread is too large for any one colour, the fill
   (nearest to the requested colour) only has to reach 4.5 against the bulk of the backdrop (its
   25th-75th percentiles) and an outline of the opposite polarity (black or white) takes over where
   the backdrop comes close to the fill: the fill against the outline and, at every luminance from
   the 5th to the 95th percentile, the fill or the outline against the backdrop reach 4.5.
3. Backing panel: a busy backdrop (shapes and lines at stroke scale) or one where 2 cannot be met
   gets a rounded, semi-opaque panel of the opposite polarity, opaque enough (PANEL_ALPHA or more)
   that the fill reaches 4.5 against the panel blended over the backdrop's 5th and 95th percentiles.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

BLACK = (0, 0, 0)
WHITE = (255, 255, 255)
MIN_CONTRAST = 4.5
# A colour the rule has to move aims at WCAG's enhanced level (7:1) where it can, else a little
# above the threshold: the measured backdrop is sampled once per stroke width, and antialiasing
# and rounding to 8 bits move the drawn colours slightly; thin strokes at exactly 4.5 read worse.
AIMS = (7.0, 4.8)
# Above BUSY_EDGES (mean absolute Laplacian of luma sampled once per stroke width: calm photos
# 0.5-2, clutter 3.5-8) shapes and lines compete with the strokes themselves and a panel goes
# behind the text.
BUSY_EDGES = 2.5
PANEL_ALPHA = 0.8
_PANEL_ALPHAS = (0.8, 0.86, 0.92, 1.0)
_SAMPLES = 256  # the backdrop is sampled on a grid at most this many points wide
_STROKE_EM = 1 / 12  # stem width of a regular-weight face, in em


@dataclass(frozen=True)
class Backdrop:
    """Statistics of the pixels under a text block (luminance is WCAG relative, 0..1)."""

    mean: float
    dark: float  # 5th percentile
    light: float  # 95th percentile
    edges: float
    core_dark: float = -1.0  # 25th percentile (-1: same as `dark`)
    core_light: float = -1.0  # 75th percentile (-1: same as `light`)
    median: float = -1.0  # (-1: same as `mean`)

    @property
    def core(self) -> tuple[float, float]:
        return (self.core_dark if self.core_dark >= 0 else self.dark, self.core_light if self.core_light >= 0 else self.light)

    @property
    def middle(self) -> float:
        return self.median if self.median >= 0 else self.mean


@dataclass(frozen=True)
class Treatment:
    """How to set text on a backdrop: fill colour, outline colour (or None), panel colour (or None)
    and the panel's opacity."""

    fill: tuple[int, ...]
    stroke: tuple[int, int, int] | None
    panel: tuple[int, int, int] | None
    panel_alpha: float = PANEL_ALPHA


_LUMINANCE_WEIGHTS = np.array([0.2126, 0.7152, 0.0722])


def _linear(channel: float) -> float:
    """sRGB channel value 0..255 -> linear light 0..1 (the WCAG 2 piecewise curve)."""
    c = channel / 255.0
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _srgb(linear: float) -> float:
    """Linear light 0..1 -> sRGB channel value 0..255 (inverse of `_linear`)."""
    linear = min(max(linear, 0.0), 1.0)
    c = linear * 12.92 if linear <= 0.0031308 else 1.055 * linear ** (1 / 2.4) - 0.055
    return c * 255.0


def relative_luminance(color: tuple[int, ...] | tuple[float, ...]) -> float:
    """WCAG 2 relative luminance of an sRGB colour (0..255 channels; alpha ignored):
    L = 0.2126 R + 0.7152 G + 0.0722 B of the linearised channels."""
    r, g, b = (_linear(float(v)) for v in color[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: float, b: float) -> float:
    """WCAG contrast ratio (L1 + 0.05) / (L2 + 0.05) of two relative luminances, L1 the lighter."""
    hi, lo = max(a, b), min(a, b)
    return (hi + 0.05) / (lo + 0.05)


def contrast_colors(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """WCAG contrast ratio of two sRGB colours (black on white: 21)."""
    return contrast(relative_luminance(a), relative_luminance(b))


# The linear-light value of every 8-bit sRGB level: sampled pixels are 8-bit, so their
# luminance is a table lookup rather than a power per channel.
_LINEAR = np.array([_linear(v) for v in range(256)])


def measure_backdrop(image: Image.Image, rect: tuple[int, int, int, int], font_px: int = 32) -> Backdrop | None:
    """Sample `rect` of `image` under text of `font_px`; None where it is empty or transparent."""
    left, top, right, bottom = max(rect[0], 0), max(rect[1], 0), min(rect[2], image.width), min(rect[3], image.height)
    if right <= left or bottom <= top:
        return None
    # One sample per stroke width: detail finer than a glyph stroke does not hide the glyph.
    step = max(1, round(font_px * _STROKE_EM), (right - left) // _SAMPLES, (bottom - top) // _SAMPLES)
    size = (max(1, (right - left) // step), max(1, (bottom - top) // step))
    if image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert("RGBA")
    # Box averaging keeps shapes and lines but smooths away grain too fine to hurt legibility.
    px = np.asarray(image.resize(size, Image.Resampling.BOX, box=(left, top, right, bottom)))
    if px.ndim == 2:  # L or P-less grey images
        px = np.repeat(px[..., None], 3, axis=2)
    rgb = px[..., :3].astype(np.float32)
    lum = _LINEAR[px[..., :3]] @ _LUMINANCE_WEIGHTS
    opaque = px[..., 3] > 0 if px.shape[2] == 4 else np.ones(lum.shape, bool)
    if not opaque.any():
        return None
    luma = rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    # Laplacian, not gradient: smooth colour ramps (which text reads fine on) score zero.
    lap = np.abs(4 * luma[1:-1, 1:-1] - luma[:-2, 1:-1] - luma[2:, 1:-1] - luma[1:-1, :-2] - luma[1:-1, 2:]) / 4
    values = lum[opaque]
    p5, p25, p50, p75, p95 = np.percentile(values, (5, 25, 50, 75, 95))
    return Backdrop(
        mean=float(values.mean()),
        dark=float(p5),
        light=float(p95),
        edges=float(lap.mean()) if lap.size else 0.0,
        core_dark=float(p25),
        core_light=float(p75),
        median=float(p50),
    )


def worst_contrast(lum: float, lo: float, hi: float) -> float:
    """The lowest contrast of `lum` against any luminance between lo and hi."""
    if lo <= lum <= hi:
        return 1.0
    return min(contrast(lum, lo), contrast(lum, hi))


def _mix(color: tuple[int, ...], towards: int, t: float) -> tuple[int, int, int]:
    return tuple(round(c + (towards - c) * t) for c in color[:3])  # type: ignore[return-value]


def nearest_color(color: tuple[int, ...], lo: float, hi: float, targets: tuple[float, ...] = AIMS) -> tuple[int, int, int] | None:
    """The colour closest to `color` (mixed towards black or white as little as possible) whose
    contrast against every luminance in [lo, hi] is at least the first of `targets` that any
    colour reaches; None if none reaches the last."""
    for target in targets:
        found = _nearest(color, lo, hi, target)
        if found is not None:
            return found
    return None


def _nearest(color: tuple[int, ...], lo: float, hi: float, target: float) -> tuple[int, int, int] | None:
    best: tuple[float, tuple[int, int, int]] | None = None
    for towards in (0, 255):
        end = _mix(color, towards, 1.0)
        if worst_contrast(relative_luminance(end), lo, hi) < target:
            continue
        a, b = 0.0, 1.0  # contrast against [lo, hi] grows monotonically with t once past the range
        for _ in range(14):
            mid = (a + b) / 2
            if worst_contrast(relative_luminance(_mix(color, towards, mid)), lo, hi) >= target:
                b = mid
            else:
                a = mid
        if best is None or b < best[0]:
            best = (b, _mix(color, towards, b))
    return best[1] if best else None


def _outline_guarantee(fill_lum: float, outline_lum: float, lo: float, hi: float) -> bool:
    """Whether fill and outline together read against every backdrop luminance in [lo, hi]."""
    if contrast(fill_lum, outline_lum) < MIN_CONTRAST:
        return False
    for b in np.linspace(lo, hi, 17):
        if max(contrast(fill_lum, b), contrast(outline_lum, b)) < MIN_CONTRAST:
            return False
    return True


def _blend(panel_lum: float, backdrop_lum: float, alpha: float) -> float:
    """Luminance of a panel of `panel_lum` blended (in sRGB, as Pillow pastes) over a backdrop."""
    s = alpha * _srgb(panel_lum) + (1 - alpha) * _srgb(backdrop_lum)
    return _linear(s)


def _panel(backdrop: Backdrop, color: tuple[int, ...]) -> Treatment:
    """Fill on a panel: the panel polarity that contrasts more with the requested colour, opaque
    enough for the fill (nearest to the requested colour) to reach the target over the backdrop."""
    lum = relative_luminance(color)
    panels = sorted((BLACK, WHITE), key=lambda p: -contrast(lum, relative_luminance(p)))
    for alpha in _PANEL_ALPHAS:
        for panel in panels:
            p = relative_luminance(panel)
            under = (_blend(p, backdrop.dark, alpha), _blend(p, backdrop.light, alpha))
            fill = nearest_color(color, min(under), max(under))
            if fill is not None:
                return Treatment(_keep_alpha(fill, color), None, panel, alpha)
    fill = WHITE if panels[0] == BLACK else BLACK
    return Treatment(_keep_alpha(fill, color), None, panels[0], 1.0)


def _keep_alpha(rgb: tuple[int, ...], color: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(rgb[:3]) + tuple(color[3:4])


def choose_treatment(backdrop: Backdrop | None, color: tuple[int, ...] | None) -> Treatment:
    """Fill colour (nearest to `color`, black/white when None) plus an outline or panel where
    needed, so the glyphs reach MIN_CONTRAST against what is behind them (see the module doc)."""
    if backdrop is None:
        return Treatment(color or BLACK, None, None)
    if color is None:
        mid = backdrop.middle
        color = WHITE if contrast(1.0, mid) > contrast(0.0, mid) else BLACK
    if backdrop.edges > BUSY_EDGES:
        return _panel(backdrop, color)
    lo, hi = backdrop.dark, backdrop.light
    if worst_contrast(relative_luminance(color), lo, hi) >= MIN_CONTRAST:
        return Treatment(color, None, None)
    fill = nearest_color(color, lo, hi)
    if fill is not None:
        return Treatment(_keep_alpha(fill, color), None, None)
    core_lo, core_hi = backdrop.core
    fill = nearest_color(color, core_lo, core_hi)
    if fill is not None:
        f = relative_luminance(fill)
        outline = BLACK if contrast(f, 0.0) >= contrast(f, 1.0) else WHITE
        if _outline_guarantee(f, relative_luminance(outline), lo, hi):
            return Treatment(_keep_alpha(fill, color), outline, None)
    return _panel(backdrop, color)


def draw_panel(image: Image.Image, rect: tuple[int, int, int, int], color: tuple[int, int, int], radius: int, alpha: float = PANEL_ALPHA) -> None:
    """Blend a rounded, semi-transparent panel of `color` into `image` over `rect` (in place)."""
    left, top = max(rect[0], 0), max(rect[1], 0)
    right, bottom = min(rect[2], image.width), min(rect[3], image.height)
    if right <= left or bottom <= top:
        return
    mask = Image.new("L", (rect[2] - rect[0], rect[3] - rect[1]), 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, mask.width - 1, mask.height - 1), radius, fill=round(255 * alpha))
    mask = mask.crop((left - rect[0], top - rect[1], right - rect[0], bottom - rect[1]))
    if image.mode == "RGBA":
        layer = Image.new("RGBA", mask.size, color + (0,))
        layer.putalpha(mask)
        image.alpha_composite(layer, (left, top))
    else:
        image.paste(color, (left, top, right, bottom), mask)
