"""Typography: set exact text into an image (placeholder; the typography issue replaces it)."""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFont

_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def draw_text_block(
    image: Image.Image,
    text: str,
    box: tuple[int, int, int, int],
    *,
    style: str = "sans",
    weight: str = "regular",
    align: str = "center",
    color: tuple[int, int, int] | None = None,
    language: str | None = None,
    max_font_px: int | None = None,
) -> tuple[int, int, int, int]:
    """Draw `text` fitted into `box` (left, top, right, bottom); return the box actually used."""
    draw = ImageDraw.Draw(image)
    left, top, right, bottom = box
    size = max_font_px or max(12, (bottom - top))
    while True:
        try:
            font = ImageFont.truetype(_FONT, size)
        except OSError:
            font = ImageFont.load_default(size)
        l, t, r, b = draw.textbbox((0, 0), text, font=font)
        if (r - l) <= (right - left) and (b - t) <= (bottom - top) or size <= 8:
            break
        size = int(size * 0.9)
    x = left + ((right - left) - (r - l)) // 2 - l
    y = top + ((bottom - top) - (b - t)) // 2 - t
    draw.text((x, y), text, font=font, fill=color or (20, 20, 20))
    return (x + l, y + t, x + r, y + b)
