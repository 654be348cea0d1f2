"""Edits and variations for the built-in renderer, composed from `render_plan` layers.

Edit: the input is the canvas. With a mask, the editable area (mask 0) is repainted from the
plan; without one, the plan's subjects are laid over the input. Text elements are always drawn
on top (text edits), and further input images are placed as reference cut-outs.
Variation: the input re-coloured, re-framed and re-textured under a seed.
"""

from __future__ import annotations

import dataclasses
import hashlib

import numpy as np
from PIL import Image, ImageChops, ImageFilter, ImageOps

from imagegate.plan import Plan
from imagegate.render.scene import draw_texts, render_plan


def _rng(seed: int, salt: str) -> np.random.Generator:
    digest = hashlib.sha256(f"{salt}\0{seed}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def _layer(plan: Plan, w: int, h: int, seed: int, quality: str, *, texts: bool, subjects: bool, background: bool) -> Image.Image:
    part = dataclasses.replace(plan, texts=plan.texts if texts else (), subjects=plan.subjects if subjects else ())
    return render_plan(part, w, h, seed, transparent=not background, quality=quality).convert("RGBA")


def _place_references(canvas: Image.Image, references: tuple[Image.Image, ...]) -> None:
    """Lay further input images along the lower edge, as reference cut-outs."""
    if not references:
        return
    w, h = canvas.size
    slot = w // (len(references) + 1)
    side = int(min(slot * 0.8, h * 0.3))
    for i, ref in enumerate(references):
        thumb = ImageOps.contain(ref.convert("RGBA"), (side, side))
        x = slot * (i + 1) - thumb.width // 2
        y = h - thumb.height - h // 20
        canvas.alpha_composite(thumb, (max(0, x), max(0, y)))


def _diffuse(rgb: np.ndarray, known: np.ndarray, guess: np.ndarray, iterations: int) -> np.ndarray:
    """Relax unknown pixels towards the average of their neighbours (a harmonic fill)."""
    out = np.where(known[..., None], rgb, guess)
    for _ in range(iterations):
        padded = np.pad(out, ((1, 1), (1, 1), (0, 0)), mode="edge")
        neighbours = (padded[:-2, 1:-1] + padded[2:, 1:-1] + padded[1:-1, :-2] + padded[1:-1, 2:]) / 4.0
        out = np.where(known[..., None], rgb, neighbours)
    return out


def _context_fill(canvas: Image.Image) -> Image.Image:
    """RGB for the transparent pixels of `canvas`, continued smoothly from the opaque ones: a
    harmonic fill solved coarse to fine (each level starts from the coarser level's answer)."""
    w, h = canvas.size
    levels = []
    size = (max(4, w // 8), max(4, h // 8))
    while True:
        small = np.asarray(canvas.resize(size, Image.BOX), np.float32) / 255.0
        levels.append((small[..., :3], small[..., 3] > 0.5))
        if max(size) <= 16:
            break
        size = (max(4, size[0] // 2), max(4, size[1] // 2))
    rgb, known = levels[-1]
    mean = rgb[known].mean(axis=0) if known.any() else np.full(3, 0.5, np.float32)
    out = _diffuse(rgb, known, np.broadcast_to(mean, rgb.shape), 60)
    for rgb, known in reversed(levels[:-1]):
        up = Image.fromarray(np.clip(out * 255, 0, 255).astype(np.uint8), "RGB").resize(known.shape[::-1], Image.BILINEAR)
        out = _diffuse(rgb, known, np.asarray(up, np.float32) / 255.0, 30)
    filled = Image.fromarray(np.clip(out * 255, 0, 255).astype(np.uint8), "RGB")
    return filled.resize((w, h), Image.BICUBIC)


def render_edit(plan: Plan, base: Image.Image, mask: Image.Image | None, references: tuple[Image.Image, ...], seed: int, quality: str, transparent: bool, report=None) -> Image.Image:
    """The edited image, RGBA when `transparent`, else RGB; `report(step, total, preview)` as it goes."""
    report = report or (lambda *a: None)
    w, h = base.size
    canvas = base.convert("RGBA")
    holes = ImageOps.invert(canvas.getchannel("A"))
    if not transparent and holes.getbbox():
        # transparent input pixels (an expanded canvas, cut-outs): continue the picture into them,
        # with the plan's surface texture on top so the new area is not a flat smear
        texture = _layer(plan, w, h, seed, quality, texts=False, subjects=False, background=True).convert("RGB")
        fill = Image.blend(_context_fill(canvas), texture, 0.25).convert("RGBA")
        canvas = Image.composite(fill, canvas, holes)
    if mask is not None:
        editable = ImageOps.invert(mask.convert("L")).filter(ImageFilter.GaussianBlur(max(1, min(w, h) // 200)))
        if not transparent:
            editable = ImageChops.darker(editable, ImageOps.invert(holes))  # holes are filled already
        if editable.getbbox():
            fill = _layer(plan, w, h, seed, quality, texts=False, subjects=True, background=not transparent)
            canvas = Image.composite(fill, canvas, editable)
    report(1, 3, canvas.convert("RGB"))
    if mask is None:
        canvas.alpha_composite(_layer(plan, w, h, seed, quality, texts=False, subjects=True, background=False))
    _place_references(canvas, references)
    report(2, 3, canvas.convert("RGB"))
    if plan.texts:  # set on the finished picture, so the colour reads against what is really there
        draw_texts(canvas, plan, transparent=transparent)
    report(3, 3, None)
    return canvas if transparent else canvas.convert("RGB")


def render_variation(base: Image.Image, seed: int) -> Image.Image:
    """A seeded variation: shifted hues, a slightly different framing, fresh fine texture."""
    rng = _rng(seed, "variation")
    w, h = base.size
    rgb = base.convert("RGB")
    zoom = 1.0 + rng.uniform(0.03, 0.12)
    cw, ch = int(w / zoom), int(h / zoom)
    x0, y0 = int(rng.integers(0, w - cw + 1)), int(rng.integers(0, h - ch + 1))
    framed = rgb.crop((x0, y0, x0 + cw, y0 + ch)).resize((w, h), Image.BICUBIC)
    if rng.random() < 0.5:
        framed = ImageOps.mirror(framed)
    hsv = np.asarray(framed.convert("HSV")).astype(np.int16)
    hsv[..., 0] = (hsv[..., 0] + int(rng.integers(-18, 19))) % 256
    hsv[..., 1] = np.clip(hsv[..., 1] * rng.uniform(0.85, 1.15), 0, 255)
    varied = Image.fromarray(hsv.astype(np.uint8), "HSV").convert("RGB")
    grain = rng.normal(0, 6, size=(max(1, h // 4), max(1, w // 4), 1)).astype(np.float32)
    grain_img = Image.fromarray(np.clip(grain[..., 0] + 128, 0, 255).astype(np.uint8), "L").resize((w, h), Image.BICUBIC)
    g = (np.asarray(grain_img, dtype=np.float32) - 128)[..., None]
    out = np.clip(np.asarray(varied, dtype=np.float32) + g, 0, 255).astype(np.uint8)
    return Image.fromarray(out, "RGB")
