"""The renderer's array paths agree with the Pillow and interleaved maths they replace."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from imagegate.render import textures
from imagegate.render._resample import to_image, upscale
from imagegate.render.lighting import LightMaps, light_array, preset


def _smooth(shape: tuple[int, int, int], seed: int = 0) -> np.ndarray:
    """Planar uint8 noise smooth enough to stand for a texture (no cubic overshoot to clip)."""
    rng = np.random.default_rng(seed)
    c, h, w = shape
    coarse = Image.fromarray((rng.random((max(2, h // 8), max(2, w // 8), 3)) * 255).astype(np.uint8), "RGB")
    return np.ascontiguousarray(np.asarray(coarse.resize((w, h), Image.BICUBIC)).transpose(2, 0, 1))


@pytest.mark.parametrize(("factor", "resample"), [(2, Image.BICUBIC), (2, Image.BILINEAR), (4, Image.BILINEAR)], ids=["2x-cubic", "2x-linear", "4x-linear"])
@pytest.mark.parametrize("shape", [(3, 64, 96), (3, 37, 5), (3, 1, 2)], ids=lambda s: f"{s[2]}x{s[1]}")
def test_whole_factor_upscales_match_pillow(shape: tuple[int, int, int], factor: int, resample: int) -> None:
    planes = _smooth(shape)
    _, h, w = shape
    got = np.asarray(upscale(planes, w * factor, h * factor, resample), np.int16)
    want = np.asarray(to_image(planes).resize((w * factor, h * factor), resample), np.int16)
    assert got.shape == want.shape
    assert np.abs(got - want).max() <= 2
    if min(h, w) >= 8:  # the edges (where Pillow renormalises its taps) dominate tiny images
        assert np.abs(got - want).mean() < 0.3


def test_cubic_upscale_clips_overshoot() -> None:
    """Hard black/white edges ring; the result stays within 0..255 and close to Pillow's."""
    planes = np.zeros((3, 16, 16), np.uint8)
    planes[:, :, 8:] = 255
    planes[:, ::2] = 255 - planes[:, ::2]
    got = np.asarray(upscale(planes, 32, 32, Image.BICUBIC), np.int16)
    want = np.asarray(to_image(planes).resize((32, 32), Image.BICUBIC), np.int16)
    assert np.abs(got - want).mean() < 3


def test_other_factors_are_pillow_exactly() -> None:
    planes = _smooth((3, 30, 40))
    for size, resample in (((100, 75), Image.BICUBIC), ((120, 90), Image.BICUBIC), ((70, 53), Image.BILINEAR)):
        assert upscale(planes, *size, resample).tobytes() == to_image(planes).resize(size, resample).tobytes()


def test_to_image_interleaves_planes() -> None:
    planes = _smooth((3, 9, 11))
    assert np.array_equal(np.asarray(to_image(planes)), planes.transpose(1, 2, 0))


def test_value_noise_is_pillows_bicubic_resize() -> None:
    rng = np.random.default_rng(4)
    noise = textures.value_noise(rng, 70, 90, 5, 9)
    grid = np.random.default_rng(4).random((6, 10), dtype=np.float32)
    want = np.asarray(Image.fromarray(grid, "F").resize((90, 70), Image.BICUBIC))
    assert noise.dtype == np.float32 and noise.shape == (70, 90)
    assert np.abs(noise - want).max() < 1e-5


@pytest.mark.parametrize("shape", [(256, 67, 256), (301, 40, 97), (7, 5, 3)], ids=lambda s: "x".join(map(str, s)))
def test_products_cut_into_row_blocks_equal_the_plain_product(shape: tuple[int, int, int]) -> None:
    """fbm's matrix products run in row blocks small enough for OpenBLAS to keep them on the
    calling thread; the result is the product."""
    m, k, n = shape
    rng = np.random.default_rng(3)
    left, right = rng.random((m, k), dtype=np.float32), rng.random((k, n), dtype=np.float32)
    got = textures._product(left, right)
    assert got.shape == (m, n) and got.dtype == np.float32
    assert np.allclose(got, left.astype(np.float64) @ right, rtol=1e-5, atol=1e-5)


def test_half_height_noise_rows_are_pillows_bilinear_rows() -> None:
    field = np.random.default_rng(5).random((37, 53), dtype=np.float32)
    want = np.asarray(Image.fromarray(field, "F").resize((53, 74), Image.BILINEAR))
    assert np.abs(textures._rows2x(field) - want).max() < 1e-5


@pytest.mark.parametrize("size", [(512, 512), (96, 70), (64, 33)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_fbm_is_normalised_float32_noise(size: tuple[int, int]) -> None:
    w, h = size
    noise = textures.fbm(np.random.default_rng(2), h, w, cells=2, octaves=5)
    assert noise.shape == (h, w) and noise.dtype == np.float32 and noise.flags.writeable
    assert 0.0 <= noise.min() < 0.01 and 0.99 < noise.max() <= 1.0 + 1e-6
    assert np.abs(np.diff(noise, axis=0)).max() < 0.2 and np.abs(np.diff(noise, axis=1)).max() < 0.2  # smooth


def test_painters_share_planar_memory() -> None:
    """paint_background's (h, w, 3) is a view of contiguous planes: no interleaved copy is made."""
    palette = ((52, 52, 58), (190, 190, 198), (200, 100, 50))
    planes = textures.paint_planes("marble", np.random.default_rng(1), 48, 64, palette, 3)
    assert planes.shape == (3, 48, 64) and planes.flags.c_contiguous and planes.dtype == np.float32
    hwc = textures.paint_background("marble", np.random.default_rng(1), 48, 64, palette, 3)
    assert np.array_equal(hwc, planes.transpose(1, 2, 0))


@pytest.mark.parametrize("lighting", ["dramatic side", "golden hour", "neon", "candle-lit", None])
def test_planar_lighting_matches_the_light_fields(lighting: str | None) -> None:
    light = preset(lighting, None)
    spots = [(0.5, 0.5, 0.2)]
    maps = LightMaps(light, 640, 480, spots, neon=lighting == "neon")
    planes = textures.paint_planes("concrete", np.random.default_rng(2), 120, 160, ((140, 138, 134), (100, 98, 95)), 3)
    want = light_array(planes.transpose(1, 2, 0), maps.fields(160, 120))
    got = maps.light_planes(planes.copy()).transpose(1, 2, 0)
    assert np.abs(got - want).max() < 1.5  # the neon ramp is made at full size, not resampled


@pytest.mark.parametrize("lighting", ["dramatic side", "golden hour", "neon", None])
def test_premultiplied_subject_lighting_lays_like_the_straight_path(lighting: str | None) -> None:
    """A premultiplied layer lit in place and laid with one premultiplied paste gives the canvas
    the straight path gave (lit RGB pasted through the alpha), to rounding."""
    from PIL import ImageDraw

    from imagegate.render.subjects import shade_ramp

    light = preset(lighting, None)
    maps = LightMaps(light, 640, 480, [(0.5, 0.5, 0.2)], neon=lighting == "neon")
    box = (200, 100, 380, 400)
    layer = Image.new("RGBa", (360, 600), (0, 0, 0, 0))  # supersampled 2x, reduced below: soft edges
    draw = ImageDraw.Draw(layer)
    draw.ellipse((20, 30, 340, 560), fill=(200, 150, 90, 255))
    draw.rectangle((100, 100, 260, 300), fill=(30, 60, 220, 255))
    layer = layer.reduce(2)
    alpha = layer.getchannel("a")
    shade = shade_ramp(light.direction)
    background = Image.new("RGB", (640, 480), (90, 120, 60))

    straight = background.copy()
    straight.paste(maps.light_rgb(layer.convert("RGB"), box, shade), box[:2], alpha)
    premultiplied = background.copy()
    lit = maps.light_premultiplied(layer.copy(), box, shade, alpha)
    assert lit.mode == "RGBa" and lit.getchannel("a").tobytes() == alpha.tobytes()
    premultiplied.paste(lit, box[:2], lit)

    diff = np.abs(np.asarray(straight, np.int16) - np.asarray(premultiplied, np.int16))
    assert diff.max() <= 2 and diff.mean() < 0.01


def test_float_fields_leave_pillow_unchanged() -> None:
    """The light fields come out of Pillow's F mode by a row paste into the array's memory (no
    `tobytes`, which holds the GIL); the pixels are Pillow's, and the array is the caller's."""
    from imagegate.render.lighting import _f_array

    field = Image.fromarray(np.random.default_rng(6).random((30, 41), dtype=np.float32), "F").resize((123, 90), Image.BILINEAR)
    got = _f_array(field)
    assert got.dtype == np.float32 and got.shape == (90, 123) and got.flags.writeable
    assert np.array_equal(got, np.asarray(field))
