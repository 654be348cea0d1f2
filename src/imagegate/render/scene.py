"""The built-in renderer: draws a Plan with no model weights.

Order of work (each step reported through `on_progress`): a seeded procedural background made
small in planar float32 (1); the subjects painted (supersampled with ImageDraw) and lit by the
plan's light, the background lit by it there too, darkened by the subjects' soft drop shadows and
upscaled (2); the subjects laid on it (3); the text elements via `render.text.draw_text_block` (4).
Everything is deterministic for (plan, seed, width, height, quality).

The heavy steps are NumPy on whole arrays and Pillow resizes, pastes and conversions, which all
release the GIL, so renders in concurrent worker threads share the cores. Drop shadows are so
blurred that they are cast at the background's working resolution, before it is enlarged.
Subjects stay premultiplied (RGBa) from painting to the canvas: lit in place and laid with one
premultiplied paste, Pillow's cheapest, with no conversion to straight RGB on the way.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from collections.abc import Callable, Collection

import numpy as np
from PIL import Image, ImageFilter

from imagegate.plan import RGB, Plan, Subject, TextElement, default_palette, luminance
from imagegate.render import _backdrop, effects, lights
from imagegate.render._resample import upscale
from imagegate.render.compose import BOARDS, PLACEMENTS, Placed, arrange, board_around, carried_box, subject_box
from imagegate.render.lighting import LightMaps, preset
from imagegate.render.stage import Stage, paint_stage, read_stage
from imagegate.render.subjects import Look, paint_premultiplied, shade_ramp
from imagegate.render.text import draw_text_block, layout_text
from imagegate.render.textures import SMOOTH, paint_planes

ProgressFn = Callable[[int, int, "Image.Image | None"], None]
Layer = tuple[tuple[int, int, int, int], Image.Image, Image.Image]  # a subject's canvas box, lit premultiplied RGBa, alpha (L)
MAX_SIDE = 3840
TOTAL_STEPS = 4

# quality -> (background working resolution as a fraction of the output, cap on its long side, fBm octaves, supersample)
QUALITY = {"low": (0.25, 384, 3, 1), "medium": (0.5, 768, 4, 2), "high": (0.75, 1600, 5, 3)}

__all__ = ["PLACEMENTS", "TOTAL_STEPS", "draw_texts", "render_plan", "text_box"]  # PLACEMENTS: from compose
TEXT_HEIGHT = {"small": 0.055, "medium": 0.085, "large": 0.12, "headline": 0.16}  # of the short side
_SHADOW_DEPTH = [int(v * 0.6) for v in range(256)]  # a drop shadow darkens by 0.6 at most


def _seed_of(plan: Plan, seed: int) -> int:
    digest = hashlib.sha256(f"{plan.prompt}\0{seed}".encode()).digest()
    return int.from_bytes(digest[:8], "little")


def _rng(plan: Plan, seed: int, stream: int) -> np.random.Generator:
    """Independent streams per stage, so adding text never changes the background."""
    return np.random.default_rng([_seed_of(plan, seed), stream])


def _palette(plan: Plan) -> tuple[RGB, ...]:
    if len(plan.palette) >= 3:
        return plan.palette
    stock = default_palette(plan.background, plan.tone)
    return (*plan.palette, *stock[len(plan.palette) :])


def _texture(plan: Plan, width: int, height: int, seed: int, quality: str, stage: Stage | None = None) -> tuple[np.ndarray, np.random.Generator, int]:
    """The background texture (or the plan's stage: sky and ground, wall and table) at its working
    resolution, planar (3, h, w) float32; the rng (its grain comes later) and the resampling
    filter that enlarges it."""
    fraction, cap, octaves, _ = QUALITY[quality]
    staged = stage is not None and stage.kind != "none"
    smooth = plan.background in SMOOTH and not staged
    scale = min(fraction, cap / max(width, height)) * (0.5 if smooth else 1.0)
    sw, sh = max(8, round(width * scale)), max(8, round(height * scale))
    rng = _rng(plan, seed, 1)
    if staged:
        city = paint_planes("night city", rng, sh, sw, _palette(plan), octaves) if stage.city else None
        texture = paint_stage(stage, rng, sh, sw, _palette(plan), octaves, city=city)
    else:
        texture = paint_planes(plan.background, rng, sh, sw, _palette(plan), octaves)
    return texture, rng, Image.BILINEAR if smooth or quality == "low" else Image.BICUBIC


def _background(texture: np.ndarray, rng: np.random.Generator, maps: LightMaps, layers: list[Layer], light: str, size: tuple[int, int], resample: int) -> Image.Image:
    """The background lit, with grain and the subjects' drop shadows, enlarged to `size`."""
    _, sh, sw = texture.shape
    lit = maps.light_planes(texture)  # in place
    # grain (-0.7..1.7) hides banding in dark gradients; drawn as bytes, twice as fast as floats
    grain = np.multiply(rng.integers(0, 256, (sh, sw), dtype=np.uint8), np.float32(2.4 / 255), dtype=np.float32)
    grain -= np.float32(0.7)
    lit += grain
    np.clip(lit, 0, 255, out=lit)
    for box, _, alpha in layers:
        _shadow(lit, alpha, box, light, (sw / size[0], sh / size[1]))
    return upscale(lit.astype(np.uint8), *size, resample)


def _neon(plan: Plan) -> bool:
    return plan.lighting == "neon" or plan.tone == "neon"


def _subject_box(subject: Subject, width: int, height: int) -> tuple[int, int, int, int]:
    """Where a subject goes by its placement and scale alone (`compose.subject_box`)."""
    return subject_box(subject, width, height)


def _shadow_mask(alpha: Image.Image, box: tuple[int, int, int, int], light: str, scale: tuple[float, float]) -> tuple[Image.Image, int, int]:
    """The soft drop shadow of a subject with `alpha` at `box` (an L mask of its darkening, 0.6 at
    most, and its top-left corner) on the canvas drawn at `scale` of its size: cast away from the
    light and blurred at a quarter of the subject's size."""
    w, h = alpha.size
    dx = {"left": 1, "right": -1}.get(light, 0) * 0.06 * w
    dy = 0.04 * h if light != "bottom" else -0.04 * h
    small = alpha.reduce(4) if min(w, h) >= 16 else alpha
    pad = max(2, min(small.size) // 8)
    padded = Image.new("L", (small.width + 2 * pad, small.height + 2 * pad), 0)
    padded.paste(small, (pad, pad))
    blurred = padded.filter(ImageFilter.GaussianBlur(pad / 2)).point(_SHADOW_DEPTH)
    fx, fy = w / small.width * scale[0], w / small.width * scale[1]  # canvas px per blurred px
    x, y = round((box[0] + dx) * scale[0] - pad * fx), round((box[1] + dy) * scale[1] - pad * fy)
    return blurred.resize((max(1, round(padded.width * fx)), max(1, round(padded.height * fy))), Image.BILINEAR), x, y


def _shadow(planes: np.ndarray, alpha: Image.Image, box: tuple[int, int, int, int], light: str, scale: tuple[float, float]) -> None:
    """Darken planar RGB (3, h, w), the canvas at `scale` of its size, by a subject's drop shadow."""
    mask, x, y = _shadow_mask(alpha, box, light, scale)
    _, ph, pw = planes.shape
    x0, y0, x1, y1 = max(x, 0), max(y, 0), min(x + mask.width, pw), min(y + mask.height, ph)
    if x1 <= x0 or y1 <= y0:
        return
    keep = np.asarray(mask, np.float32)[y0 - y : y1 - y, x0 - x : x1 - x]
    keep *= -1 / 255
    keep += 1.0
    planes[:, y0:y1, x0:x1] *= keep


def _shade_earlier(layers: list[Layer], light: str) -> None:
    """Darken each subject by the drop shadows of the subjects laid after it (the background takes
    them at its working resolution)."""
    for k, (box, _, alpha) in enumerate(layers[1:], start=1):
        mask = None
        for under_box, under, _ in layers[:k]:
            if mask is None:
                mask, x, y = _shadow_mask(alpha, box, light, (1.0, 1.0))
            x0, y0 = max(x, under_box[0]), max(y, under_box[1])
            x1, y1 = min(x + mask.width, under_box[0] + under.width), min(y + mask.height, under_box[1] + under.height)
            if x1 <= x0 or y1 <= y0:
                continue
            region = (x0 - under_box[0], y0 - under_box[1], x1 - under_box[0], y1 - under_box[1])
            part = under.crop(region)  # premultiplied: darken the colour, keep the alpha
            part_alpha = part.getchannel("a")
            part.paste(Image.new("RGBa", part.size), (0, 0), mask.crop((x0 - x, y0 - y, x1 - x, y1 - y)))
            part.im.putband(part_alpha.im, 3)
            under.paste(part, region[:2])


def _spots(placed: list[Placed], width: int, height: int) -> list[tuple[float, float, float]]:
    """Subject centres and radii as canvas fractions, where the key light pools (the nearest
    subjects first: the light's focus is the first spot)."""
    spots = []
    for item in sorted((p for p in placed if not p.place), key=lambda p: (p.haze > 0.2, p.subject.kind in ("mountain", "sky", "sign"))):
        box = item.box
        spots.append(((box[0] + box[2]) / 2 / width, (box[1] + box[3]) / 2 / height, (box[2] - box[0]) / 2 / width))
    return spots


def _subjects(plan: Plan, placed: list[Placed], seed: int, quality: str, palette: tuple[RGB, ...], maps: LightMaps, light: str, stage: Stage) -> list[Layer]:
    """Every subject painted, lit and faded by its depth, in drawing order: box, premultiplied
    RGBa and alpha."""
    dark = luminance(palette[0]) < 90 or stage.time == "night"
    accent = palette[2] if len(palette) > 2 else (212, 175, 55)
    rng = _rng(plan, seed, 2)
    layers = []
    for item in placed:
        subject, box = item.subject, item.box
        look = Look(subject.color, accent, dark, light, rng, subject.name)
        layer = paint_premultiplied(subject.kind, (box[2] - box[0], box[3] - box[1]), look, QUALITY[quality][3])
        alpha = layer.getchannel("a")
        # a place spans the canvas: no shaded side, which would darken half the picture
        layer = maps.light_premultiplied(layer, box, None if item.place else shade_ramp(light), alpha)
        if item.haze > 0:
            layer = effects.haze(layer, alpha, stage.haze, item.haze)
        layers.append((box, layer, alpha))
    return layers


def _boards(plan: Plan, placed: list[Placed], width: int, height: int, stage: Stage) -> tuple[list[Placed], dict[int, tuple[int, int, int, int]]]:
    """Sign boards for text written on one that no subject draws (one board per carrier, around
    where its texts go), and the boxes on subjects that carry text (a bottle's label, a sign's
    panel). A poster or billboard is a large sheet whose paper covers the texts' whole boxes;
    outdoors a board stands on two posts down to the ground."""
    boxes: dict[int, tuple[int, int, int, int]] = {}
    used: dict[str, int] = {}
    extents: dict[str, list[tuple[int, int, int, int]]] = {}
    sizes: dict[str, int] = {}
    for index, element in enumerate(plan.texts):
        stack = used.get(element.position, 0)
        used[element.position] = stack + 1
        carried = carried_box(element, placed)
        if carried is not None:
            boxes[index] = carried
            continue
        carrier = (element.carrier or "").lower()
        if carrier not in BOARDS:
            continue
        box, align = text_box(element, width, height, stack)
        if carrier in SHEETS:
            extents.setdefault(carrier, []).append(box)
            continue
        layout = layout_text(element.text, box[2] - box[0], box[3] - box[1], style=element.style, weight=element.weight,
                             align=align, language=element.language, max_font_px=box[3] - box[1])
        extents.setdefault(carrier, []).append(
            (box[0] + layout.extent[0], box[1] + layout.extent[1], box[0] + layout.extent[2], box[1] + layout.extent[3]))
        sizes[carrier] = max(sizes.get(carrier, 0), layout.size)
    boards: list[Placed] = []
    for k, (carrier, parts) in enumerate(extents.items()):
        union = (min(p[0] for p in parts), min(p[1] for p in parts), max(p[2] for p in parts), max(p[3] for p in parts))
        if carrier in SHEETS:  # a sheet: its paper covers the text boxes, its frame outside them
            top, bottom = min(union[1], round(0.12 * height)), max(union[3], round(0.88 * height))
            frame = round(0.06 * min(union[2] - union[0], bottom - top)) + 2
            board = (max(0, union[0] - frame), max(0, top - frame), min(width, union[2] + frame), min(height, bottom + frame))
        else:
            board = board_around(union, sizes[carrier], width, height)
        boards.append(Placed(Subject(f"{carrier} board", "sign", "center"), board, 1.9 + k * 0.001))
        ground = stage.support * height
        if stage.kind == "outdoor" and carrier not in ("wall", "window", "door", "truck", "mailbox") and board[3] < ground - 0.03 * height:
            stand = (board[0] + (board[2] - board[0]) // 10, board[3] - 2, board[2] - (board[2] - board[0]) // 10, round(ground))
            boards.append(Placed(Subject(f"{carrier} posts", "sign", "center"), stand, 1.89 + k * 0.001))
    return boards, boxes


SHEETS = frozenset({"poster", "billboard"})


def _casts_shadow(item: Placed) -> bool:
    return item.subject.kind not in ("mountain", "sky", "water") and item.haze < 0.3 and not item.place


def _lay(canvas: Image.Image, layers: list[Layer]) -> None:
    """Lay the lit subjects on the canvas in plan order: premultiplied "over" in one paste."""
    for box, layer, _ in layers:
        if canvas.mode == "RGBA":
            canvas.alpha_composite(layer.convert("RGBA"), box[:2])
        else:
            canvas.paste(layer, box[:2], layer)


def text_box(element: TextElement, width: int, height: int, stack: int) -> tuple[tuple[int, int, int, int], str]:
    """The box (and alignment) for a text element's position; `stack` shifts repeated positions."""
    short = min(width, height)
    box_h = TEXT_HEIGHT.get(element.size, TEXT_HEIGHT["medium"]) * short
    position = element.position
    if "left" in position and "third" not in position:
        x0, x1, align = 0.05 * width, 0.5 * width, "left"
    elif "right" in position and "third" not in position:
        x0, x1, align = 0.5 * width, 0.95 * width, "right"
    else:
        x0, x1, align = 0.07 * width, 0.93 * width, "center"
    margin = 0.06 * height
    if any(w in position for w in ("top", "upper")):
        y0 = margin + stack * box_h * 1.15
    elif any(w in position for w in ("bottom", "lower")):
        y0 = height - margin - box_h - stack * box_h * 1.15
    else:
        y0 = (height - box_h) / 2 + stack * box_h * 1.15
    return (round(x0), round(y0), round(x1), round(y0 + box_h)), align


def _text_color(canvas: Image.Image, box: tuple[int, int, int, int], palette: tuple[RGB, ...], transparent: bool) -> RGB:
    """The colour to ask the typography layer for: the palette's accent when it reaches WCAG
    contrast 4.5 against the backdrop under the box (its 5th to 95th luminance percentiles),
    else off-white or near-black, whichever contrasts more with the backdrop's median.
    `draw_text_block` then measures the laid-out text's own region and adds an outline or a
    backing panel where that colour alone cannot reach 4.5."""
    accent = palette[2] if len(palette) > 2 else None
    light_text, dark_text = (244, 240, 232), (24, 24, 28)
    if transparent:  # nothing under the text yet: dark text, as on white
        return accent if accent and luminance(accent) < 165 else dark_text
    backdrop = _backdrop.measure_backdrop(canvas, box, max(8, box[3] - box[1]))
    if backdrop is None:
        return dark_text
    if accent and _backdrop.worst_contrast(_backdrop.relative_luminance(accent), backdrop.dark, backdrop.light) >= _backdrop.MIN_CONTRAST:
        return accent
    mid = backdrop.middle
    light, dark = _backdrop.relative_luminance(light_text), _backdrop.relative_luminance(dark_text)
    return light_text if _backdrop.contrast(light, mid) > _backdrop.contrast(dark, mid) else dark_text


def draw_texts(canvas: Image.Image, plan: Plan, transparent: bool = False, boxes: dict[int, tuple[int, int, int, int]] | None = None) -> None:
    """Set the plan's text elements into `canvas` at their planned places (any engine's output).

    `boxes` maps a text element's index to an explicit box to set it in (centred), such as the
    label of the bottle or the panel of the sign that carries it; the others go by position."""
    palette = _palette(plan)
    width, height = canvas.size
    used: dict[str, int] = {}
    for index, element in enumerate(plan.texts):
        stack = used.get(element.position, 0)
        used[element.position] = stack + 1
        box, align = text_box(element, width, height, stack)
        if boxes and index in boxes:
            box, align = boxes[index], "center"
        color = element.color or _text_color(canvas, box, palette, transparent)
        draw_text_block(
            canvas, element.text, box, style=element.style, weight=element.weight, align=align, color=color,
            language=element.language, max_font_px=box[3] - box[1],
        )


def render_plan(
    plan: Plan,
    width: int,
    height: int,
    seed: int,
    *,
    transparent: bool = False,
    quality: str = "medium",
    on_progress: ProgressFn | None = None,
    previews: Collection[int] = (),
) -> Image.Image:
    """Render `plan` at width x height (RGB, or RGBA when transparent), deterministically.

    Args:
        quality: low (cheaper textures, no supersampling) | medium | high (finer detail).
        on_progress: called as (step, total, preview or None) after the background texture, the
            lit background, the subjects and the text; it may raise to stop the render there.
        previews: the steps (1-3) whose call carries a copy of the picture so far; at the
            other steps no copy is made.
    """
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
        raise ValueError(f"size {width}x{height} is outside 1..{MAX_SIDE} px a side")
    quality = quality if quality in QUALITY else "medium"

    def report(step: int, image: Image.Image | None) -> None:
        if on_progress is not None:
            on_progress(step, TOTAL_STEPS, image.copy() if step in previews and image is not None else None)

    palette = _palette(plan)
    light = preset(plan.lighting, plan.light_direction)
    stage = Stage() if transparent else read_stage(plan)
    if stage.kind == "outdoor" and stage.time is not None:  # the sky's own colours carry the time of day
        light = replace(light, tint=tuple(1.0 - (1.0 - t) * 0.35 for t in light.tint))
    placed = arrange(plan, stage, width, height)
    boards, boxes = _boards(plan, placed, width, height, stage)
    if boards:
        placed = sorted(placed + boards, key=lambda p: p.order)
    spots = _spots(placed, width, height)
    maps = LightMaps(light, width, height, spots, neon=_neon(plan))
    direction = plan.light_direction or preset(plan.lighting, None).direction
    if transparent:
        canvas = Image.new("RGBA", (width, height), (0, 0, 0, 0))
        report(1, canvas)
        layers = _subjects(plan, placed, seed, quality, palette, maps, direction, stage)
        if plan.effects:
            layers = lights.restyle(plan, placed, layers)
    else:
        texture, rng, resample = _texture(plan, width, height, seed, quality, stage)
        report(1, upscale(texture.astype(np.uint8), width, height, resample) if on_progress and 1 in previews else None)
        layers = _subjects(plan, placed, seed, quality, palette, maps, direction, stage)
        if plan.effects:
            layers = lights.restyle(plan, placed, layers)
        casting = [layer for layer, item in zip(layers, placed) if _casts_shadow(item)]
        canvas = _background(texture, rng, maps, casting, direction, (width, height), resample)
        _shade_earlier(casting, direction)
        for layer, item in zip(layers, placed):
            if item.reflect > 0:
                effects.reflect(canvas, layer[0], layer[1], item.reflect)
        if plan.effects:
            lights.behind(canvas, plan, placed, _rng(plan, seed, 4))
    report(2, canvas)
    _lay(canvas, layers)
    if not transparent:
        if plan.effects:
            lights.over(canvas, plan, placed, layers, _rng(plan, seed, 5))
        effects.weather(canvas, stage, _rng(plan, seed, 3))
    report(3, canvas)
    draw_texts(canvas, plan, transparent, boxes)
    report(4, canvas)
    return canvas
