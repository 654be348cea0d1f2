"""Lighting as a small multiplicative light map: ambient + a key light with direction and
falloff, focused on the subjects, a vignette and a colour grade. The map is computed at about
128 px and upscaled, since light is smooth. The light is one grey level times a constant tint (and,
for neon, a left-to-right colour ramp), so the background upscales just that level and applies
the colour per plane.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
from PIL import Image, ImageChops


@dataclass(frozen=True)
class Light:
    """One lighting preset."""

    ambient: float  # light everywhere, 0..1
    key: float  # strength of the key light
    spread: float  # key falloff distance, in canvas widths/heights
    vignette: float  # corner darkening, 0..1
    focus: float  # how much the key light pools on the subjects, 0..1
    tint: tuple[float, float, float] = (1.0, 1.0, 1.0)
    direction: str = "front"
    glow: float = 0.0  # additive (screen) key light, lifts the lit side above the base texture


PRESETS: dict[str | None, Light] = {
    None: Light(0.9, 0.1, 1.2, 0.2, 0.2),
    "dramatic side": Light(0.08, 1.0, 0.6, 0.45, 0.35, (1.0, 0.97, 0.92), "left", 0.14),
    "soft studio": Light(0.78, 0.22, 1.4, 0.15, 0.3, (1.0, 1.0, 1.0), "front"),
    "golden hour": Light(0.5, 0.5, 0.9, 0.3, 0.3, (1.0, 0.84, 0.6), "right", 0.12),
    "backlit": Light(0.35, 0.75, 0.45, 0.45, 0.0, (1.0, 0.97, 0.9), "back", 0.2),
    "neon": Light(0.55, 0.45, 0.8, 0.4, 0.3, (1.0, 1.0, 1.0), "front"),
    "candle-lit": Light(0.14, 0.86, 0.6, 0.6, 0.5, (1.0, 0.7, 0.4), "bottom"),
    "spotlight": Light(0.16, 0.9, 0.4, 0.5, 0.9, (1.0, 0.98, 0.95), "top", 0.08),
    "moonlight": Light(0.42, 0.45, 0.9, 0.35, 0.3, (0.72, 0.82, 1.0), "top"),
    "natural": Light(0.8, 0.2, 1.2, 0.12, 0.1, (1.0, 0.98, 0.95), "top"),
    "overcast": Light(0.85, 0.1, 1.5, 0.12, 0.0, (0.95, 0.97, 1.0), "top"),
    "cinematic": Light(0.3, 0.7, 0.7, 0.45, 0.4, (1.0, 0.93, 0.85), "left"),
}


def preset(lighting: str | None, direction: str | None) -> Light:
    """The preset for a plan's lighting words, turned to the plan's direction."""
    light = PRESETS.get(lighting) or next((v for k, v in PRESETS.items() if k and lighting and k in lighting), PRESETS[None])
    if direction:
        light = replace(light, direction=direction)
    return light


def _key_term(light: Light, x: np.ndarray, y: np.ndarray, focus_xy: tuple[float, float]) -> np.ndarray:
    """Key light over the unit canvas by direction; 'back' and 'front' glow around the focus."""
    fx, fy = focus_xy
    distance = {
        "left": x + 0 * y,
        "right": 1.0 - x + 0 * y,
        "top": y + 0 * x,
        "bottom": 1.0 - y + 0 * x,
    }.get(light.direction)
    if distance is not None:
        return np.exp(-((distance / light.spread) ** 2))
    if light.direction == "back":
        return np.exp(-(((x - fx) ** 2) * 2.0 + ((y - fy + 0.1) ** 2) * 2.0) / light.spread**2)
    return np.exp(-(((x - fx) ** 2) + ((y - fy) ** 2)) / light.spread**2)


_NEON_LEFT = np.array([1.0, 0.45, 0.9], np.float32)  # magenta from one side, cyan from the other
_NEON_RIGHT = np.array([0.45, 0.9, 1.0], np.float32)


def light_levels(
    light: Light, width: int, height: int, spots: list[tuple[float, float, float]]
) -> tuple[np.ndarray, np.ndarray | None]:
    """The light's grey level (multiplier, 1 = unchanged) and glow strength (or None), float32
    (height, width); `light_fields` colours them."""
    y = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None]
    x = np.linspace(0.0, 1.0, width, dtype=np.float32)[None, :]
    aspect = np.float32(width / height)
    focus_xy = (spots[0][0], spots[0][1]) if spots else (0.5, 0.5)
    direct = _key_term(light, x, y, focus_xy)
    key = direct
    if spots and light.focus > 0:
        pool = np.zeros((height, width), np.float32)
        for cx, cy, r in spots:
            pool = np.maximum(pool, np.exp(-(((x - cx) / (r * 1.6)) ** 2 + ((y - cy) / (r * 1.6 * aspect)) ** 2)))
        key = key * ((1.0 - light.focus) + light.focus * pool)
    vignette = 1.0 - light.vignette * (((x - 0.5) ** 2 + (y - 0.5) ** 2) * 2.0) ** 1.2
    level = np.clip((light.ambient + light.key * key) * vignette, 0.0, 1.0)
    glow = direct**2 * light.glow if light.glow > 0 else None
    return level.astype(np.float32), None if glow is None else glow.astype(np.float32)


def light_fields(
    light: Light, width: int, height: int, spots: list[tuple[float, float, float]], *, neon: bool = False
) -> tuple[np.ndarray, np.ndarray | None]:
    """The light as float32 (height, width, 3) fields: a multiplier (1 = unchanged) and an
    optional additive glow (0..1, applied as a screen).

    Args:
        spots: subject centres and radii as fractions of the canvas (cx, cy, r) the key pools on.
    """
    return _coloured(light, *light_levels(light, width, height, spots), neon=neon)


def _coloured(light: Light, level: np.ndarray, glow: np.ndarray | None, *, neon: bool) -> tuple[np.ndarray, np.ndarray | None]:
    """The grey level and glow as (h, w, 3) fields in the light's tint (and neon ramp)."""
    tint = np.asarray(light.tint, np.float32)
    multiply = level[..., None] * tint
    if neon:
        multiply = multiply * _neon_ramp(level.shape[1]).T[None]
    glow3 = None if glow is None else glow[..., None] * tint
    return multiply.astype(np.float32), None if glow3 is None else glow3.astype(np.float32)


def _neon_ramp(width: int) -> np.ndarray:
    """The neon colour ramp across `width` columns, float32 (3, width)."""
    t = np.linspace(0.0, 1.0, width, dtype=np.float32)
    return _NEON_LEFT[:, None] * (1.0 - t) + _NEON_RIGHT[:, None] * t


def light_array(rgb: np.ndarray, fields: tuple[np.ndarray, np.ndarray | None]) -> np.ndarray:
    """Light a float32 RGB array (0..255) in place-free float maths."""
    multiply, glow = fields
    lit = rgb * multiply
    if glow is not None:
        lit = 255.0 - (255.0 - lit) * (1.0 - glow)
    return lit


class LightMaps:
    """The light at 128 px, for lighting any region of the canvas (subjects) cheaply."""

    def __init__(self, light: Light, width: int, height: int, spots: list[tuple[float, float, float]], *, neon: bool = False) -> None:
        short = 128
        self.size = (width, height)
        self._tint = np.asarray(light.tint, np.float32).reshape(3, 1, 1)
        tinted = any(t != 1.0 for t in light.tint)
        levels = np.arange(256, dtype=np.float64)
        self._tint_table = np.minimum(255, np.round(levels * np.array(light.tint)[:, None])).astype(int).ravel().tolist() if tinted else None
        self._neon = neon
        mw, mh = (max(1, short * width // height), short) if width >= height else (short, max(1, short * height // width))
        self._light = light
        self._level, self._glow_level = light_levels(light, mw, mh, spots)

    @cached_property
    def _coloured(self) -> tuple[np.ndarray, np.ndarray | None]:
        """The (h, w, 3) multiplier and glow fields: only neon subjects and `fields()` need them
        (the grey level and the tint serve everything else), so they are made on first use."""
        return _coloured(self._light, self._level, self._glow_level, neon=self._neon)

    @property
    def _multiply(self) -> np.ndarray:
        return self._coloured[0]

    @property
    def _glow(self) -> np.ndarray | None:
        return self._coloured[1]

    def light_planes(self, planes: np.ndarray) -> np.ndarray:
        """Light planar float32 RGB (3, h, w) in 0..255 that covers the whole canvas, in place."""
        _, h, w = planes.shape
        planes *= _resample_plane(self._level, w, h)
        if np.any(self._tint != 1.0):
            planes *= self._tint
        if self._neon:
            planes *= _neon_ramp(w)[:, None, :]
        if self._glow_level is not None:  # screen: 255 - (255 - x) * (1 - glow * tint) = x + (255 - x) * glow * tint
            glow = _resample_plane(self._glow_level, w, h)
            lift = np.empty((h, w), np.float32)
            for plane, tint in zip(planes, self._tint.ravel()):
                np.subtract(np.float32(255.0), plane, out=lift)
                lift *= glow
                if tint != 1.0:
                    lift *= tint
                plane += lift
        return planes

    def fields(self, width: int, height: int) -> tuple[np.ndarray, np.ndarray | None]:
        """The multiplier and glow fields resampled to width x height (for the background)."""
        return _resample(self._multiply, width, height), None if self._glow is None else _resample(self._glow, width, height)

    def _crop(self, field: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
        """The field under `box`, as a 32x32 float32 sample."""
        mh, mw = field.shape[:2]
        ys = np.clip(np.linspace(box[1], box[3], 32) * mh / self.size[1], 0, mh - 1).astype(np.intp)
        xs = np.clip(np.linspace(box[0], box[2], 32) * mw / self.size[0], 0, mw - 1).astype(np.intp)
        return field[ys][:, xs]

    def light_layer(self, layer: Image.Image, box: tuple[int, int, int, int], shade: np.ndarray | None = None) -> Image.Image:
        """Light an RGBA layer that will sit at `box` on the canvas; `shade` (32x32) adds form shading.

        Subjects take the multiplier only. (They always have: the glow used to be screened from a
        map resized as RGBA with alpha 0, which Pillow's premultiplied resize turns to black.)
        """
        multiply = self._crop(self._multiply, box)
        if shade is not None:
            multiply = multiply * shade[..., None]
        return ImageChops.multiply(layer, _field_image(multiply, layer.size))

    def light_rgb(self, rgb: Image.Image, box: tuple[int, int, int, int], shade: np.ndarray | None = None) -> Image.Image:
        """`light_layer` for a subject's straight RGB with its alpha kept apart (to lay it with
        `canvas.paste(rgb, box, alpha)`), in Pillow steps that release the GIL: a masked paste of
        black for the grey level, a lookup table for the tint. May change `rgb` in place."""
        if self._neon:  # the colour changes across the box: multiply channel by channel
            return ImageChops.multiply(rgb, _field_image(self._box_field(box, shade), rgb.size, "RGB"))
        rgb.paste(Image.new("RGB", rgb.size), (0, 0), self._darkness(box, shade, rgb.size))  # rgb * level
        if self._tint_table is not None:
            rgb = rgb.point(self._tint_table)
        return rgb

    def light_premultiplied(
        self, layer: Image.Image, box: tuple[int, int, int, int], shade: np.ndarray | None = None, alpha: Image.Image | None = None,
    ) -> Image.Image:
        """`light_layer` for a premultiplied ("RGBa") layer, which the canvas takes with one
        premultiplied paste (`canvas.paste(layer, xy, layer)`, several times faster than a paste
        through a separate alpha mask). Pillow steps that release the GIL but one: black pasted
        through the darkness mask scales every channel, so the alpha (`alpha`, when the caller
        has it already) is put back afterwards; the tint is a lookup table (the identity for
        alpha). May change `layer` in place."""
        if self._neon:  # RGBX field: the alpha is multiplied by 255 / 255
            return ImageChops.multiply(layer, _field_image(self._box_field(box, shade), layer.size))
        if alpha is None:
            alpha = layer.getchannel("a")
        layer.paste(Image.new("RGBa", layer.size), (0, 0), self._darkness(box, shade, layer.size))
        layer.im.putband(alpha.im, 3)  # what Image.putalpha does, without relabelling RGBa as RGBA
        if self._tint_table is not None:
            layer = layer.point(self._tint_table + _IDENTITY)
        return layer

    def _box_field(self, box: tuple[int, int, int, int], shade: np.ndarray | None) -> np.ndarray:
        multiply = self._crop(self._multiply, box)
        return multiply if shade is None else multiply * shade[..., None]

    def _darkness(self, box: tuple[int, int, int, int], shade: np.ndarray | None, size: tuple[int, int]) -> Image.Image:
        """255 * (1 - grey level) under `box` as an L mask of `size`: pasting black through it
        multiplies by the level."""
        level = self._crop(self._level, box)
        if shade is not None:
            level = level * shade
        darkness = np.ascontiguousarray(np.clip(255.5 - level * 255.0, 0, 255), dtype=np.uint8)
        return Image.frombuffer("L", darkness.shape[::-1], darkness, "raw", "L", 0, 1).resize(size, Image.BILINEAR)


_IDENTITY = list(range(256))


def _field_image(field: np.ndarray, size: tuple[int, int], mode: str = "RGBX") -> Image.Image:
    """A small float (h, w, 3) field as an RGBX (X = 255) or RGB image of `size`, for Pillow channel
    maths against RGBA or RGB layers; neither resizes through premultiplied alpha as RGBA does."""
    x = np.full(field.shape[:2] + (1,), 255, np.uint8)
    small = np.concatenate([np.clip(field * 255.0 + 0.5, 0, 255).astype(np.uint8), x], axis=2)
    image = Image.frombuffer("RGBX", small.shape[1::-1], small, "raw", "RGBX", 0, 1)
    return (image if mode == "RGBX" else image.convert(mode)).resize(size, Image.BILINEAR)


def _resample_plane(field: np.ndarray, width: int, height: int) -> np.ndarray:
    """Bilinear resize of a float32 (h, w) field in Pillow's F mode."""
    return _f_array(Image.fromarray(field, "F").resize((width, height), Image.BILINEAR))


def _f_array(image: Image.Image) -> np.ndarray:
    """An "F" image's pixels as a float32 array. `np.asarray` would go through `tobytes`, which
    holds the GIL; instead the pixels are pasted (a row copy that releases it) into an RGBA image
    mapped onto the array's memory: Pillow's core paste asks only for the same bytes per pixel."""
    out = np.empty((image.height, image.width), np.float32)
    try:
        Image.frombuffer("RGBA", image.size, out, "raw", "RGBA", 0, 1).im.paste(image.im, (0, 0, *image.size))
    except ValueError:  # pragma: no cover - a Pillow whose core paste checks modes
        return np.asarray(image)
    return out


def _resample(field: np.ndarray, width: int, height: int) -> np.ndarray:
    """Bilinear resize of a float32 (h, w, 3) field, channel by channel in Pillow's F mode."""
    channels = [_resample_plane(np.ascontiguousarray(field[..., i]), width, height) for i in range(3)]
    return np.stack(channels, axis=2)
