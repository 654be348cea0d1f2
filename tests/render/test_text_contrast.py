"""Text reads on any background: fill, outline and backing panel chosen from measured WCAG contrast.

The render tests measure the output: the same scene drawn with and without text, the pixels the
text changed (glyphs, outline, panel) against the unchanged ones around them.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageFilter

from imagegate.plan import Plan, TextElement
from imagegate.render import _backdrop
from imagegate.render._backdrop import (
    Backdrop,
    choose_treatment,
    contrast,
    contrast_colors,
    measure_backdrop,
    nearest_color,
    relative_luminance,
)
from imagegate.render.scene import draw_texts, text_box
from imagegate.render.text import draw_text_block, layout_text


def _lum(image: Image.Image) -> np.ndarray:
    """WCAG relative luminance of every pixel."""
    px = np.asarray(image.convert("RGB"))
    return _backdrop._LINEAR[px] @ _backdrop._LUMINANCE_WEIGHTS


# --- the formula -----------------------------------------------------------------------------------


def test_contrast_of_black_on_white_is_21() -> None:
    assert contrast_colors((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast_colors((255, 255, 255), (0, 0, 0)) == pytest.approx(21.0)
    assert contrast_colors((120, 30, 200), (120, 30, 200)) == pytest.approx(1.0)


def test_contrast_of_777_on_white_is_just_under_aa() -> None:
    assert contrast_colors((0x77, 0x77, 0x77), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)
    assert contrast_colors((0x76, 0x76, 0x76), (255, 255, 255)) > 4.5  # #767676: the usual AA grey


@pytest.mark.parametrize(
    ("color", "expected"),
    [((255, 255, 255), 1.0), ((0, 0, 0), 0.0), ((255, 0, 0), 0.2126), ((0, 255, 0), 0.7152), ((0, 0, 255), 0.0722), ((128, 128, 128), 0.2159)],
)
def test_relative_luminance_known_values(color, expected) -> None:
    assert relative_luminance(color) == pytest.approx(expected, abs=1e-4)


def test_contrast_is_symmetric_and_uses_the_offset() -> None:
    assert contrast(0.5, 0.0) == contrast(0.0, 0.5) == pytest.approx(0.55 / 0.05)


# --- the rule --------------------------------------------------------------------------------------


def _flat(lum: float) -> Backdrop:
    return Backdrop(mean=lum, dark=lum, light=lum, edges=0.2, core_dark=lum, core_light=lum, median=lum)


def test_requested_colour_is_kept_when_it_reaches_4_5() -> None:
    t = choose_treatment(_flat(1.0), (200, 30, 30))  # red on white: 5.3
    assert (t.fill, t.stroke, t.panel) == ((200, 30, 30), None, None)


def test_requested_colour_that_fails_moves_to_the_nearest_that_reaches_it() -> None:
    grey = relative_luminance((128, 128, 128))
    t = choose_treatment(_flat(grey), (110, 110, 110))
    assert t.stroke is None and t.panel is None
    assert contrast(relative_luminance(t.fill), grey) >= 4.5
    assert t.fill[0] == t.fill[1] == t.fill[2]  # a grey stays grey: only mixed towards black or white
    assert nearest_color((200, 30, 30), 0.9, 1.0) is not None


def test_wide_spread_gets_an_outline_of_the_opposite_polarity() -> None:
    # backdrop from deep shadow to mid grey: white fill reads on its bulk, a black outline on its top
    b = Backdrop(mean=0.08, dark=0.005, light=0.3, edges=0.5, core_dark=0.02, core_light=0.13, median=0.06)
    t = choose_treatment(b, None)
    assert t.panel is None and t.stroke == (0, 0, 0)
    assert relative_luminance(t.fill) > 0.8


def test_mid_tone_ramp_that_no_fill_and_outline_can_cover_gets_a_panel() -> None:
    b = Backdrop(mean=0.2, dark=0.04, light=0.6, edges=0.3, core_dark=0.1, core_light=0.4, median=0.2)
    t = choose_treatment(b, (24, 24, 28))
    assert t.panel is not None
    for under in (b.dark, b.light):
        blended = _backdrop._blend(relative_luminance(t.panel), under, t.panel_alpha)
        assert contrast(relative_luminance(t.fill), blended) >= 4.5


# --- rendered output -------------------------------------------------------------------------------


def _ramp(lo: int, hi: int, size=(800, 300)) -> Image.Image:
    ramp = np.linspace(lo, hi, size[0], dtype=np.float32)[None, :, None].repeat(size[1], 0).repeat(3, 2)
    return Image.fromarray(ramp.astype(np.uint8))


def _noise(seed: int = 5, size=(800, 300)) -> Image.Image:
    rng = np.random.default_rng(seed)
    cells = rng.integers(0, 256, (size[1] // 20 + 1, size[0] // 20 + 1, 3), dtype=np.uint8)
    return Image.fromarray(cells).resize(size, Image.Resampling.NEAREST)


BACKGROUNDS = {
    "dark": lambda: Image.new("RGB", (800, 300), (18, 20, 30)),
    "light": lambda: Image.new("RGB", (800, 300), (238, 232, 220)),
    "mid-grey": lambda: Image.new("RGB", (800, 300), (128, 128, 128)),
    "mid-tone gradient": lambda: _ramp(40, 230),
    "dark gradient": lambda: _ramp(0, 150),
    "blocky noise": _noise,
}
# Requested colours that the old rule kept whatever was under them.
REQUESTS = [None, (24, 24, 28), (244, 240, 232), (120, 120, 120), (200, 30, 30)]


def _glyph_mask(draw, size: tuple[int, int] = (800, 300)) -> np.ndarray:
    """Where the glyphs are: the same text drawn by `draw` on a transparent canvas (nothing to
    measure there, so neither outline nor panel), its fully opaque pixels less a pixel of edge."""
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    draw(layer)
    alpha = layer.getchannel("A").point(lambda v: 255 if v >= 250 else 0)
    return np.asarray(alpha.filter(ImageFilter.MinFilter(3))) > 0


def _dilate(mask: np.ndarray, px: int) -> np.ndarray:
    """Dilation by a (2px+1)-square, separably (rows, then columns)."""
    out = mask
    for axis in (0, 1):
        pad = [(0, 0), (0, 0)]
        pad[axis] = (px, px)
        windows = np.lib.stride_tricks.sliding_window_view(np.pad(out, pad), 2 * px + 1, axis=axis)
        out = windows.any(axis=-1)
    return out


def _glyph_contrast(after: Image.Image, glyphs: np.ndarray, font_px: int) -> float:
    """WCAG contrast of the drawn glyphs against what they sit on, from the output image.

    Glyph luminance: the median over the glyph cores. Behind: the pixels from just past an
    outline's width (0.06 em, plus antialiasing) out to 0.25 em around the glyphs, i.e. the
    backdrop as the text left it: the raw background, or the panel where one was laid. The
    contrast is taken against the worst part of its bulk: its 25th luminance percentile for
    dark glyphs, its 75th for light ones.
    """
    a = _lum(after)
    ring = _dilate(glyphs, round(font_px * 0.06) + 3)
    behind = _dilate(glyphs, round(font_px * 0.25)) & ~ring
    assert glyphs.sum() > 400 and behind.sum() > 400, "no text drawn"
    glyph = float(np.median(a[glyphs]))
    light_text = glyph > np.median(a[behind])
    worst = float(np.percentile(a[behind], 75 if light_text else 25))
    return contrast(glyph, worst)


BOX = (40, 60, 760, 240)


@pytest.mark.parametrize("request_color", REQUESTS, ids=lambda c: "auto" if c is None else "rgb" + "-".join(map(str, c)))
@pytest.mark.parametrize("background", list(BACKGROUNDS))
def test_drawn_glyphs_reach_4_5_against_what_is_behind_them(background: str, request_color) -> None:
    after = BACKGROUNDS[background]()
    draw_text_block(after, "Horizon Bakery", BOX, color=request_color)
    glyphs = _glyph_mask(lambda im: draw_text_block(im, "Horizon Bakery", BOX, color=(255, 255, 255)))
    font_px = layout_text("Horizon Bakery", BOX[2] - BOX[0], BOX[3] - BOX[1]).size
    assert _glyph_contrast(after, glyphs, font_px) >= 4.5


def test_scene_text_on_a_mid_tone_gradient_reaches_4_5() -> None:
    """The reported failure: the renderer's own colour choice on a mid-tone ramp."""
    after = _ramp(40, 230, (1024, 512))
    plan = Plan(prompt="x", background="gradient", texts=(TextElement("Свежий хлеб", position="center", size="headline"),))
    draw_texts(after, plan)

    box, _ = text_box(plan.texts[0], 1024, 512, 0)
    font_px = layout_text("Свежий хлеб", box[2] - box[0], box[3] - box[1], max_font_px=box[3] - box[1]).size
    glyphs = _glyph_mask(lambda im: draw_texts(im, plan, transparent=True), (1024, 512))
    assert _glyph_contrast(after, glyphs, font_px) >= 4.5


def test_busy_region_gets_a_panel_that_calms_it() -> None:
    before = _noise(9)
    after = before.copy()
    used = draw_text_block(after, "Grand Opening", BOX)
    region = (slice(used[1], used[3]), slice(used[0], used[2]))
    b, a = _lum(before)[region], _lum(after)[region]
    assert (np.abs(a - b) > 0.02).mean() > 0.6  # the panel covers the block, not just the glyphs
    glyphs = _glyph_mask(lambda im: draw_text_block(im, "Grand Opening", BOX, color=(255, 255, 255)))
    font_px = layout_text("Grand Opening", BOX[2] - BOX[0], BOX[3] - BOX[1]).size
    assert _glyph_contrast(after, glyphs, font_px) >= 4.5


def test_calm_uniform_background_gets_neither_outline_nor_panel() -> None:
    before = Image.new("RGB", (800, 300), (238, 232, 220))
    after = before.copy()
    draw_text_block(after, "Horizon", (50, 50, 750, 250), color=(30, 60, 160))
    a = np.asarray(after).reshape(-1, 3)
    changed = np.abs(a.astype(int) - np.array([238, 232, 220])).sum(1) > 10
    # only the requested blue (and its antialiasing towards the backdrop) was drawn
    assert ((a[changed, 2] > a[changed, 0]) | (a[changed].min(1) > 150)).mean() > 0.97


def test_measure_backdrop_reports_percentiles_and_spread() -> None:
    b = measure_backdrop(_ramp(0, 255), (0, 0, 800, 300), font_px=48)
    assert b is not None
    assert b.dark < b.core[0] < b.middle < b.core[1] < b.light
    assert b.dark < 0.01 and b.light > 0.8 and b.edges < 1.0
    assert measure_backdrop(Image.new("RGBA", (50, 50)), (0, 0, 50, 50)) is None
