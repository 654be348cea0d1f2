"""Touches laid over the painted scene: depth haze on a subject, a subject's mirror image on a
glossy surface, and the weather (mist bands, rain streaks, snowflakes) over everything.

All work on premultiplied ("RGBa") subject layers or the RGB canvas with Pillow pastes through
small masks, so each costs a few milliseconds at 1024 px.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from imagegate.plan import RGB
from imagegate.render.stage import Stage


def haze(layer: Image.Image, alpha: Image.Image, color: RGB, amount: float) -> Image.Image:
    """A premultiplied layer faded `amount` (0..1) towards `color` (aerial perspective, mist)."""
    solid = Image.new("RGBA", layer.size, (*color, 255))
    solid.putalpha(alpha)
    return Image.blend(layer, solid.convert("RGBa"), min(1.0, max(0.0, amount)))


def reflect(canvas: Image.Image, box: tuple[int, int, int, int], layer: Image.Image, strength: float) -> None:
    """Lay a subject's mirror image under it: flipped, softened, darkened and fading out downwards
    (`strength` is its opacity at the subject's base)."""
    w, h = layer.size
    if w < 4 or h < 4 or box[3] >= canvas.height:
        return
    room = canvas.height - box[3]
    keep = min(h, room)
    flipped = layer.transpose(Image.Transpose.FLIP_TOP_BOTTOM).crop((0, 0, w, keep))
    small = flipped.reduce(3) if min(w, keep) >= 24 else flipped
    px = np.asarray(small, np.float32)
    rows = px.shape[0]
    fade = np.clip(1.0 - np.arange(rows, dtype=np.float32) / max(1.0, rows * min(1.0, 0.75 * h / max(keep, 1))), 0.0, 1.0)
    fade = (fade**1.5 * strength)[:, None, None]
    px[..., :3] *= fade * 0.85  # a little darker than the subject
    px[..., 3:] *= fade
    faded = Image.frombuffer("RGBa", (px.shape[1], rows), np.ascontiguousarray(px.astype(np.uint8)), "raw", "RGBa", 0, 1)
    up = faded.resize((w, keep), Image.BILINEAR)
    canvas.paste(up, (box[0], box[3]), up)


def weather(canvas: Image.Image, stage: Stage, rng: np.random.Generator) -> None:
    """Mist bands, rain streaks or snowflakes over the whole picture."""
    kind = stage.weather
    if kind not in ("mist", "rain", "storm", "snow"):
        return
    w, h = canvas.size
    if kind == "mist":
        sw, sh = max(8, w // 16), max(8, h // 16)
        y = (np.arange(sh, dtype=np.float32)[:, None] + 0.5) / sh
        x = np.arange(sw, dtype=np.float32)[None, :] / sw
        horizon = stage.horizon if stage.kind == "outdoor" else 0.7
        mask = np.zeros((sh, sw), np.float32)
        for k, (offset, width, level) in enumerate(((-0.02, 0.06, 0.75), (0.05, 0.05, 0.55), (-0.14, 0.05, 0.45), (0.16, 0.07, 0.35))):
            wobble = 0.015 * np.sin(x * (5 + 3 * k) + rng.uniform(0, 6.28))
            mask += level * np.exp(-(((y - horizon - offset - wobble) / width) ** 2))
        mask += 0.06
        band = np.ascontiguousarray(np.clip(mask * 130, 0, 170).astype(np.uint8))
        m = Image.frombuffer("L", (sw, sh), band, "raw", "L", 0, 1).resize((w, h), Image.BILINEAR)
        canvas.paste(stage.haze, (0, 0, w, h), m)
        return
    mask = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(mask)
    if kind in ("rain", "storm"):
        n = int(w * h / 2500)
        xs, ys = rng.uniform(-0.1 * w, w, n), rng.uniform(-0.05 * h, h, n)
        length = rng.uniform(0.02, 0.05, n) * h
        width = max(1, round(min(w, h) / 700))
        for x, y, ln in zip(xs, ys, length):
            d.line((x, y, x + ln * 0.18, y + ln), fill=90, width=width)
        canvas.paste((214, 220, 230), (0, 0, w, h), mask)
    else:
        n = int(w * h / 1800)
        xs, ys = rng.uniform(0, w, n), rng.uniform(0, h, n)
        r = rng.uniform(0.6, 2.4, n) * max(1.0, min(w, h) / 512)
        for x, y, rr in zip(xs, ys, r):
            d.ellipse((x - rr, y - rr, x + rr, y + rr), fill=230)
        canvas.paste((250, 250, 255), (0, 0, w, h), mask)
