"""The built-in renderer: draws a Plan with no model weights (placeholder v0)."""

from __future__ import annotations

import hashlib

import numpy as np
from PIL import Image

from imagegate.plan import Plan
from imagegate.render.text import draw_text_block


def _rng(plan: Plan, seed: int) -> np.random.Generator:
    digest = hashlib.sha256(f"{plan.prompt}\0{seed}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def render_plan(plan: Plan, width: int, height: int, seed: int, *, transparent: bool = False, quality: str = "medium", on_progress=None) -> Image.Image:
    """Render `plan` at width x height, deterministically for (plan, seed, size, quality)."""
    rng = _rng(plan, seed)
    c0, c1 = rng.integers(40, 220, size=(2, 3))
    t = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None, None]
    grad = (c0 * (1 - t) + c1 * t).astype(np.uint8)
    rgb = np.broadcast_to(grad, (height, width, 3)).copy()
    image = Image.fromarray(rgb, "RGB")
    if transparent:
        image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    for i, element in enumerate(plan.texts):
        band = height // (len(plan.texts) + 1)
        box = (width // 10, band * (i + 1) - band // 3, width - width // 10, band * (i + 1) + band // 3)
        draw_text_block(image, element.text, box, color=(255, 255, 255) if not transparent else (10, 10, 10))
    return image
