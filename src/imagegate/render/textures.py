"""Procedural backgrounds from seeded value noise, computed small and upscaled by the caller.

Every painter takes (rng, height, width, palette, detail) and returns float32 RGB in 0..255 of
shape (height, width, 3). `detail` is the number of fBm octaves (quality: low 3, medium 4,
high 5). Noise is made by bicubic upscaling of small random grids (Pillow's filter, applied as
matrix products: all of an fBm's octaves in one), which is much faster than evaluating noise per
pixel in numpy.

The colour maths is planar: painters work on (3, height, width) arrays and return them viewed as
(height, width, 3). An interleaved last axis of 3 makes every broadcast NumPy operation step
three elements at a time, several times slower than running along whole rows.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from imagegate.plan import RGB

Painter = Callable[[np.random.Generator, int, int, tuple[RGB, ...], int], np.ndarray]


@lru_cache(maxsize=512)
def _bicubic_matrix(n: int, size: int) -> np.ndarray:
    """Pillow's bicubic resize of n samples to `size` as a (size, n) float32 matrix (resizing is
    linear and separable, so an image's resize is `rows @ image @ columns.T`)."""
    matrix = np.array(Image.fromarray(np.eye(n, dtype=np.float32), "F").resize((n, size), Image.BICUBIC), dtype=np.float32)
    matrix.flags.writeable = False  # cached and shared between threads
    return matrix


# OpenBLAS hands a matrix product to its thread pool once m * n * k passes 4 * 65536. For the
# products here that costs more than it saves: the pool sleeps between renders' NumPy steps, and
# waking it took 10-20 ms of wall time (and ~8 ms of spinning CPU) per product on a busy 2-core
# machine, against 0.1-1 ms for the product on the calling thread. Products are cut into row
# blocks under that size, which also keeps the result the same whatever the BLAS thread count.
_SERIAL_GEMM = 4 * 65536


def _product(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """left @ right for float32 (m, k) @ (k, n), computed on the calling thread."""
    m, k = left.shape
    n = right.shape[1]
    rows = max(1, _SERIAL_GEMM // max(1, k * n))
    if rows >= m:
        return left @ right
    blocks = -(-m // rows)
    stacked = np.zeros((blocks * rows, k), np.float32)
    stacked[:m] = left
    return np.matmul(stacked.reshape(blocks, rows, k), right).reshape(blocks * rows, n)[:m]


def value_noise(rng: np.random.Generator, height: int, width: int, cells_y: int, cells_x: int) -> np.ndarray:
    """Smooth noise in about 0..1: a (cells_y+1)x(cells_x+1) random grid, bicubically upscaled."""
    grid = rng.random((cells_y + 1, cells_x + 1), dtype=np.float32)
    return _product(_bicubic_matrix(cells_y + 1, height) @ grid, np.ascontiguousarray(_bicubic_matrix(cells_x + 1, width).T))


def fbm(rng: np.random.Generator, height: int, width: int, cells: int = 3, octaves: int = 4, stretch: float = 1.0) -> np.ndarray:
    """Fractal sum of value noise octaves, normalised to 0..1; `stretch` > 1 elongates it horizontally.

    The octaves are one matrix product: sum(a * rows @ grid @ cols.T) = [a * rows @ grid ...] @ [cols ...].T.
    Where the finest octave's cells are tall enough, it is made at half the height and its rows
    interpolated linearly (a product half as large; Pillow's resize cost more than it saved).
    """
    aspect = width / height
    half = octaves <= 5 and height >= 64 and height % 2 == 0 and cells * 2 ** (octaves - 1) * 4 <= height
    rows = height // 2 if half else height
    left, right = [], []
    amplitude = 1.0
    for octave in range(octaves):
        cy = max(1, int(cells * 2**octave))
        cx = max(1, int(cells * 2**octave * aspect / stretch))
        grid = rng.random((cy + 1, cx + 1), dtype=np.float32)
        left.append(_bicubic_matrix(cy + 1, rows) @ (grid * np.float32(amplitude)))
        right.append(_bicubic_matrix(cx + 1, width))
        amplitude *= 0.5
    total = _product(np.concatenate(left, axis=1), np.concatenate(right, axis=1).T.copy())
    lo, hi = float(total.min()), float(total.max())
    total -= np.float32(lo)
    total *= np.float32(1.0 / max(hi - lo, 1e-6))
    return _rows2x(total) if half else total


def _rows2x(field: np.ndarray) -> np.ndarray:
    """float32 (h, w) enlarged to (2h, w) along its rows with Pillow's bilinear taps (0.75 of the
    nearest row, 0.25 of the next nearest; the edge rows repeat)."""
    h, w = field.shape
    out = np.empty((h, 2, w), np.float32)  # output rows 2i and 2i+1 side by side
    quarter = field * np.float32(0.25)
    np.subtract(field, quarter, out=out[:, 0])
    out[:, 1] = out[:, 0]
    out[1:, 0] += quarter[:-1]
    out[0, 0] += quarter[0]
    out[:-1, 1] += quarter[1:]
    out[-1, 1] += quarter[-1]
    return out.reshape(2 * h, w)


def _coords(height: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Pixel centres scaled so the short side spans 0..1."""
    scale = 1.0 / min(height, width)
    y = (np.arange(height, dtype=np.float32) + 0.5)[:, None] * scale
    x = (np.arange(width, dtype=np.float32) + 0.5)[None, :] * scale
    return y, x


def _ipow(v: np.ndarray, n: int) -> np.ndarray:
    """v ** n for a positive integer n by repeated squaring (much faster than np.power on float32).

    Works in place on `v` (which it overwrites) and one more array.
    """
    out = None
    while n:
        if n & 1:
            if out is None:
                out = v.copy() if n > 1 else v
            else:
                out *= v
        n >>= 1
        if n:
            v *= v
    return out


def _ridges(t: np.ndarray, sharpness: int) -> np.ndarray:
    """(1 - |sin(pi t)|) ** sharpness, computed in place in `t`: thin bright lines where t is whole."""
    t *= np.float32(np.pi)
    np.sin(t, out=t)
    np.abs(t, out=t)
    np.subtract(np.float32(1.0), t, out=t)
    return _ipow(t, sharpness)


def _rgb(color: RGB) -> np.ndarray:
    """A colour as float32 (3, 1, 1), to broadcast over planar (3, H, W) arrays."""
    return np.asarray(color, np.float32).reshape(3, 1, 1)


def _lerp(a: RGB, b: RGB, t: np.ndarray) -> np.ndarray:
    """Blend colour a to b by t (H, W) -> planar (3, H, W)."""
    a_ = _rgb(a)
    out = (_rgb(b) - a_) * t
    out += a_
    return out


def _hwc(planes: np.ndarray) -> np.ndarray:
    """Planar (3, H, W) viewed as (H, W, 3), without a copy."""
    return planes.transpose(1, 2, 0)


def _colors(palette: tuple[RGB, ...], defaults: tuple[RGB, RGB]) -> tuple[RGB, RGB]:
    base = palette[0] if palette else defaults[0]
    second = palette[1] if len(palette) > 1 else defaults[1]
    return base, second


def marble(rng: np.random.Generator, h: int, w: int, palette: tuple[RGB, ...], detail: int, squash: float = 1.0) -> np.ndarray:
    """Polished stone: a clouded ground crossed by a few long veins of the secondary colour that
    wander, swell and fade, each in a soft halo, with finer veins splitting off at shallow angles.

    The veins' path is bent by smooth noise of few octaves and their strength is capped: sharp
    ridges on a many-octave warp read as cracks or lightning, not stone. `squash` > 1 paints the
    slab as if `squash` times taller and squeezed to h rows (a top receding in perspective)
    without painting the extra rows."""
    base, vein = _colors(palette, ((230, 228, 224), (140, 140, 145)))
    scale = 1.0 / min(h * squash, w)
    y = (np.arange(h, dtype=np.float32) + 0.5)[:, None] * np.float32(squash * scale)
    x = (np.arange(w, dtype=np.float32) + 0.5)[None, :] * np.float32(scale)
    angle = float(rng.uniform(0.45, 1.0))
    # the noise's cells squeezed as the rows are (fbm's stretch); shared: fine veins follow the main ones
    warp = fbm(rng, h, w, cells=2, octaves=min(detail, 3), stretch=squash)
    t = warp * np.float32(1.1)
    t += x * np.float32(math.cos(angle) * 1.5)
    t += y * np.float32(math.sin(angle) * 1.5)
    t *= np.float32(np.pi)
    np.sin(t, out=t)
    np.abs(t, out=t)
    np.subtract(np.float32(1.0), t, out=t)  # r: 1 on a main vein's centre line
    halo = t * t
    t = halo * halo
    t *= t
    strength = t * halo
    strength *= t  # r ** 18: the vein
    halo *= np.float32(0.22)  # r ** 2: a soft band around it, so its edge is no cut
    strength += halo
    t = warp * np.float32(1.9)
    t += x * np.float32(math.cos(angle + 0.45) * 3.4)
    t += y * np.float32(math.sin(angle + 0.45) * 3.4)
    fine = _ridges(t, 14)  # no finer: a hairline thinner than a pixel breaks into dashes
    fine *= np.float32(0.4)
    strength += fine
    patch = fbm(rng, h, w, cells=3, octaves=min(detail, 3), stretch=squash)  # where veins show, and the clouding
    show = patch * np.float32(1.9)
    show -= np.float32(0.3)
    np.clip(show, 0.2, 1.0, out=show)
    strength *= show
    strength *= np.float32(0.75)  # veins never reach the full secondary colour: low contrast
    patch -= np.float32(0.5)
    patch *= np.float32(0.22)
    strength += patch
    np.clip(strength, 0.0, 1.0, out=strength)
    return _hwc(_lerp(base, vein, strength))


def wood(rng: np.random.Generator, h: int, w: int, palette: tuple[RGB, ...], detail: int) -> np.ndarray:
    """Planks of grain: stretched noise rings along x with fine streaks."""
    light, dark = _colors(palette, ((150, 98, 58), (98, 60, 32)))
    y, _ = _coords(h, w)
    warp = fbm(rng, h, w, cells=2, octaves=detail, stretch=6.0)
    rings = (y * 9.0 + warp * 4.0) % 1.0
    rings = np.abs(rings - 0.5) * 2.0
    streaks = fbm(rng, h, w, cells=24, octaves=2, stretch=12.0)
    t = np.clip(0.55 * rings**3 + 0.45 * streaks, 0.0, 1.0)
    planks = (np.floor(y * 4.0 + 0.0) % 2).astype(np.float32)  # alternate plank tone
    seams = ((y * 4.0) % 1.0 < 0.008).astype(np.float32)
    return _hwc(_lerp(light, dark, t) * ((0.94 + 0.06 * planks) * (1.0 - 0.35 * seams)))


def paper(rng: np.random.Generator, h: int, w: int, palette: tuple[RGB, ...], detail: int) -> np.ndarray:
    """Warm paper with fibres and a little grain."""
    base, shade = _colors(palette, ((238, 230, 212), (205, 192, 165)))
    mottle = fbm(rng, h, w, cells=3, octaves=detail)
    fibres = fbm(rng, h, w, cells=40, octaves=2, stretch=4.0)
    grain = rng.random((h, w), dtype=np.float32)
    t = np.clip(mottle * 0.35 + fibres * 0.25 + grain * 0.08, 0.0, 1.0)
    return _hwc(_lerp(base, shade, t))


def sky(rng: np.random.Generator, h: int, w: int, palette: tuple[RGB, ...], detail: int) -> np.ndarray:
    """Blue gradient to a pale horizon with soft, horizontally stretched clouds."""
    top, cloud = _colors(palette, ((70, 130, 210), (235, 240, 250)))
    y = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None] * np.ones((1, w), np.float32)
    horizon = tuple(int(c + (255 - c) * 0.55) for c in top)
    air = _lerp(top, horizon, y**1.4)
    density = fbm(rng, h, w, cells=2, octaves=detail + 1, stretch=2.5)
    cover = np.clip((density - 0.45) / 0.3, 0.0, 1.0) ** 1.5 * (1.0 - 0.5 * y)
    return _hwc(air + (_rgb(cloud) - air) * cover)


def night_sky(rng: np.random.Generator, h: int, w: int, palette: tuple[RGB, ...], detail: int) -> np.ndarray:
    """Deep gradient with a faint nebula and stars."""
    top, glow = _colors(palette, ((8, 10, 28), (40, 40, 90)))
    y, _ = _coords(h, w)
    nebula = fbm(rng, h, w, cells=2, octaves=detail)
    out = _lerp(top, glow, np.clip(nebula**2 * 1.2, 0.0, 1.0))
    stars = rng.random((h, w), dtype=np.float32) > 0.996
    out[:, stars] = 235.0
    return _hwc(out)


def studio(rng: np.random.Generator, h: int, w: int, palette: tuple[RGB, ...], detail: int) -> np.ndarray:
    """Seamless sweep: a wall that curves into the floor, brighter behind the subject."""
    wall, floor = _colors(palette, ((200, 200, 204), (236, 236, 238)))
    y = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None]
    x = np.linspace(-1.0, 1.0, w, dtype=np.float32)[None, :]
    sweep = 1.0 / (1.0 + np.exp(-(y - 0.72) * 14.0))
    out = _lerp(wall, floor, sweep * np.ones_like(x))
    halo = np.exp(-(x**2 * 1.2 + (y - 0.45) ** 2 * 3.0))
    return _hwc(out * (0.86 + 0.18 * halo))


def concrete(rng: np.random.Generator, h: int, w: int, palette: tuple[RGB, ...], detail: int) -> np.ndarray:
    """Cast concrete: mottled grey with pits and speckle."""
    base, dark = _colors(palette, ((140, 138, 134), (100, 98, 95)))
    mottle = fbm(rng, h, w, cells=4, octaves=detail + 1)
    speckle = rng.random((h, w), dtype=np.float32)
    pits = (speckle > 0.985).astype(np.float32)
    t = np.clip(mottle * 0.8 + (speckle - 0.5) * 0.25 + pits * 0.6, 0.0, 1.0)
    return _hwc(_lerp(base, dark, t))


def fabric(rng: np.random.Generator, h: int, w: int, palette: tuple[RGB, ...], detail: int) -> np.ndarray:
    """Draped cloth: soft folds with a fine weave."""
    base, deep = _colors(palette, ((120, 30, 50), (80, 18, 34)))
    y, x = _coords(h, w)
    folds = fbm(rng, h, w, cells=2, octaves=max(2, detail - 1), stretch=0.4)
    ripple = 0.5 + 0.5 * np.sin((x * 7.0 + folds * 4.0) * np.pi)
    weave = 0.5 + 0.25 * (np.sin(x * min(h, w) * 1.4) + np.sin(y * min(h, w) * 1.4))
    t = np.clip(ripple * 0.75 + weave * 0.12, 0.0, 1.0)
    return _hwc(_lerp(deep, base, t) * (0.85 + 0.3 * folds))


def water(rng: np.random.Generator, h: int, w: int, palette: tuple[RGB, ...], detail: int) -> np.ndarray:
    """Open water: depth gradient with ridged caustic highlights."""
    deep, light = _colors(palette, ((20, 90, 140), (120, 200, 230)))
    y = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None] * np.ones((1, w), np.float32)
    ridged = 1.0 - np.abs(fbm(rng, h, w, cells=4, octaves=detail, stretch=3.0) * 2.0 - 1.0)
    body = _lerp(light, deep, y**0.8)
    return _hwc(body + (255.0 - body) * (ridged**6 * 0.7))


def _disc_layer(rng: np.random.Generator, h: int, w: int, colors: list[RGB], count: int, size: float, blur: float) -> np.ndarray:
    """Soft, additive, out-of-focus light discs, planar (3, h, w)."""
    layer = Image.new("RGB", (w, h))
    draw = ImageDraw.Draw(layer)
    short = min(h, w)
    for _ in range(count):
        r = short * size * rng.uniform(0.4, 1.0)
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        c = colors[int(rng.integers(len(colors)))]
        k = rng.uniform(0.25, 0.7)
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=tuple(int(v * k) for v in c))
    return np.stack([np.asarray(band, np.float32) for band in layer.filter(ImageFilter.GaussianBlur(short * blur)).split()])


def bokeh(rng: np.random.Generator, h: int, w: int, palette: tuple[RGB, ...], detail: int) -> np.ndarray:
    """A blurred scene: a dark gradient with glowing discs in the palette's colours."""
    base, light = _colors(palette, ((30, 28, 40), (230, 180, 110)))
    y, _ = _coords(h, w)
    ground = _lerp(base, tuple(int(c * 0.6) for c in base), np.clip(y / y.max(), 0, 1) * np.ones((1, w), np.float32))
    colors = [light, *(palette[2:] or ((250, 240, 220),))]
    discs = _disc_layer(rng, h, w, colors, 14 + 6 * detail, 0.07, 0.012)
    return _hwc(ground + discs * (1.0 - ground / 255.0))


def night_city(rng: np.random.Generator, h: int, w: int, palette: tuple[RGB, ...], detail: int) -> np.ndarray:
    """A night skyline: dusk gradient, blurred city lights, building silhouettes with windows."""
    top, glow = _colors(palette, ((10, 12, 35), (60, 30, 90)))
    y = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None] * np.ones((1, w), np.float32)
    sky_ = _lerp(top, glow, y**1.5)
    lights = [*(palette[2:] or ((255, 190, 90),)), (255, 220, 160)]
    sky_ = sky_ + _disc_layer(rng, h, w, lights, 10 + 4 * detail, 0.05, 0.01) * 0.6
    layer = Image.new("L", (w, h), 0)
    windows = Image.new("L", (w, h), 0)
    draw, wdraw = ImageDraw.Draw(layer), ImageDraw.Draw(windows)
    x = 0.0
    while x < w:
        bw = w * rng.uniform(0.04, 0.1)
        top_y = h * rng.uniform(0.35, 0.75)
        draw.rectangle((x, top_y, x + bw, h), fill=255)
        step = max(2.0, bw / 6)
        for wy in np.arange(top_y + step, h - step, step * 1.6):
            for wx in np.arange(x + step * 0.6, x + bw - step, step * 1.4):
                if rng.random() < 0.35:
                    wdraw.rectangle((wx, wy, wx + step * 0.6, wy + step * 0.7), fill=255)
        x += bw * rng.uniform(0.85, 1.1)
    mass = np.asarray(layer, np.float32) / 255.0
    lit = np.asarray(windows, np.float32) / 255.0
    city = _rgb(top) * 0.5 + lit * _rgb(lights[0])
    return _hwc(sky_ * (1.0 - mass) + city * mass)


def gradient(rng: np.random.Generator, h: int, w: int, palette: tuple[RGB, ...], detail: int) -> np.ndarray:
    """A diagonal two-colour gradient with a soft radial glow and gentle noise."""
    a, b = _colors(palette, ((60, 80, 140), (200, 120, 150)))
    y, x = _coords(h, w)
    angle = float(rng.uniform(0.0, np.pi))
    t = x * math.cos(angle) + y * math.sin(angle)
    t = (t - t.min()) / max(float(t.max() - t.min()), 1e-6)
    out = _lerp(a, b, t)
    return _hwc(out * (0.94 + 0.08 * fbm(rng, h, w, cells=2, octaves=2)))


def plain(rng: np.random.Generator, h: int, w: int, palette: tuple[RGB, ...], detail: int) -> np.ndarray:
    """A flat colour with a barely visible centre-weighted falloff."""
    base, _ = _colors(palette, ((236, 236, 236), (214, 214, 216)))
    yy = np.linspace(-1.0, 1.0, h, dtype=np.float32)[:, None]
    xx = np.linspace(-1.0, 1.0, w, dtype=np.float32)[None, :]
    falloff = 1.0 - 0.06 * (xx**2 + yy**2)
    return _hwc(_rgb(base) * falloff)


PAINTERS: dict[str, Painter] = {
    "marble": marble, "wood": wood, "paper": paper, "sky": sky, "night sky": night_sky, "studio": studio,
    "concrete": concrete, "fabric": fabric, "water": water, "bokeh": bokeh, "night city": night_city,
    "gradient": gradient, "plain": plain,
}


SMOOTH = frozenset({"plain", "gradient", "studio", "sky"})  # may be made at a lower resolution


def paint_planes(name: str, rng: np.random.Generator, height: int, width: int, palette: tuple[RGB, ...], detail: int) -> np.ndarray:
    """The named background as planar float32 (3, height, width) in 0..255 (unknown names: a gradient)."""
    planes = PAINTERS.get(name, gradient)(rng, height, width, palette, detail).transpose(2, 0, 1)
    return np.ascontiguousarray(np.clip(planes, 0, 255, dtype=np.float32))


def paint_background(name: str, rng: np.random.Generator, height: int, width: int, palette: tuple[RGB, ...], detail: int) -> np.ndarray:
    """The named background as float32 RGB (height, width, 3) in 0..255 (unknown names: a gradient)."""
    return _hwc(paint_planes(name, rng, height, width, palette, detail))
