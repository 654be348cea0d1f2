"""Legibility on any background: text colour, outline or backing panel from the pixels under text."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

BLACK = (0, 0, 0)
WHITE = (255, 255, 255)
# Calibrated on the OCR judge's backgrounds: below MIN_CONTRAST (WCAG ratio against the darkest or
# brightest tenth of the backdrop) the glyph edges need an outline; above BUSY_EDGES (mean absolute
# Laplacian of luma sampled once per stroke width: calm photos 0.5-2, clutter 3.5-8) shapes and
# lines compete with the strokes themselves and a panel goes behind the text.
MIN_CONTRAST = 4.5
BUSY_EDGES = 2.5
PANEL_ALPHA = 0.8
_SAMPLES = 256  # the backdrop is sampled on a grid at most this many points wide
_STROKE_EM = 1 / 12  # stem width of a regular-weight face, in em


@dataclass(frozen=True)
class Backdrop:
    """Statistics of the pixels under a text block (luminance is WCAG relative, 0..1)."""

    mean: float
    dark: float
    light: float
    edges: float


@dataclass(frozen=True)
class Treatment:
    """How to set text on a backdrop: fill colour, outline colour (or None), panel colour (or None)."""

    fill: tuple[int, ...]
    stroke: tuple[int, int, int] | None
    panel: tuple[int, int, int] | None


_LUMINANCE_WEIGHTS = np.array([0.2126, 0.7152, 0.0722])


def _relative_luminance(srgb: np.ndarray) -> np.ndarray:
    """WCAG relative luminance of sRGB values in 0..255 (last axis RGB)."""
    c = srgb / 255.0
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return lin @ _LUMINANCE_WEIGHTS


# The linear-light value of every 8-bit sRGB level: sampled pixels are 8-bit, so their
# luminance is a table lookup rather than a power per channel.
_LINEAR = np.where(np.arange(256) / 255.0 <= 0.04045, np.arange(256) / 255.0 / 12.92, ((np.arange(256) / 255.0 + 0.055) / 1.055) ** 2.4)


def contrast(a: float, b: float) -> float:
    """WCAG contrast ratio of two relative luminances."""
    hi, lo = max(a, b), min(a, b)
    return (hi + 0.05) / (lo + 0.05)


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
    dark, light = np.percentile(values, (10, 90))
    return Backdrop(
        mean=float(values.mean()),
        dark=float(dark),
        light=float(light),
        edges=float(lap.mean()) if lap.size else 0.0,
    )


def _luminance_of(color: tuple[int, ...]) -> float:
    """Relative luminance of one RGB(A) colour."""
    return float(_relative_luminance(np.array(color[:3], dtype=np.float32)))


def choose_treatment(backdrop: Backdrop | None, color: tuple[int, ...] | None) -> Treatment:
    """Fill colour (black/white by contrast when None) plus an outline or panel where needed."""
    if backdrop is None:
        return Treatment(color or BLACK, None, None)
    if color is None:
        color = WHITE if contrast(1.0, backdrop.mean) > contrast(0.0, backdrop.mean) else BLACK
    lum = _luminance_of(color)
    opposite = BLACK if lum > 0.179 else WHITE
    if backdrop.edges > BUSY_EDGES:
        return Treatment(color, None, opposite)
    worst = min(contrast(lum, backdrop.dark), contrast(lum, backdrop.light))
    return Treatment(color, opposite if worst < MIN_CONTRAST else None, None)


def draw_panel(image: Image.Image, rect: tuple[int, int, int, int], color: tuple[int, int, int], radius: int) -> None:
    """Blend a rounded, semi-transparent panel of `color` into `image` over `rect` (in place)."""
    left, top = max(rect[0], 0), max(rect[1], 0)
    right, bottom = min(rect[2], image.width), min(rect[3], image.height)
    if right <= left or bottom <= top:
        return
    mask = Image.new("L", (rect[2] - rect[0], rect[3] - rect[1]), 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, mask.width - 1, mask.height - 1), radius, fill=round(255 * PANEL_ALPHA))
    mask = mask.crop((left - rect[0], top - rect[1], right - rect[0], bottom - rect[1]))
    if image.mode == "RGBA":
        layer = Image.new("RGBA", mask.size, color + (0,))
        layer.putalpha(mask)
        image.alpha_composite(layer, (left, top))
    else:
        image.paste(color, (left, top, right, bottom), mask)
