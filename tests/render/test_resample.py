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
