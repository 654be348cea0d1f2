"""The plan's light effects, drawn: glow, bokeh, light rays, steam, smoke, sparkle, lens flare,
condensation, silhouette and motion blur (reflections and shadows are drawn with the scene).

Three moments of a render take part: `restyle` changes subject layers before they are laid
(silhouette, motion blur), `behind` paints the background around where they will stand (bokeh,
glow, light rays) and `over` paints on top of them (steam, smoke, sparkle, lens flare,
condensation). Soft shapes are drawn into small masks (an eighth or a quarter of the picture),
blurred there and enlarged, then a colour is pasted through them: each effect costs a few
milliseconds at 1024 px. Every random choice comes from the render's own generator.

An effect names its subject when the prompt says whose it is ("steam rising from the cup");
otherwise the subject it most plausibly belongs to (steam from a cup or a bowl, smoke from a
chimney or a fire), else the largest subject.
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from imagegate.plan import RGB, Plan
from imagegate.render.compose import Placed

Box = tuple[int, int, int, int]
Layer = tuple[Box, Image.Image, Image.Image]

WARM: RGB = (255, 214, 150)
STEAMY = ("cup", "mug", "coffee", "tea", "bowl", "soup", "pot", "kettle", "ramen", "noodle", "teapot", "pan", "bath", "spring", "latte")
SMOKY = ("chimney", "fire", "campfire", "candle", "train", "locomotive", "volcano", "factory", "cigar", "pipe", "incense", "grill", "barbecue", "torch", "forge")
BEHIND = ("bokeh", "glow", "light rays")
OVER = ("steam", "smoke", "sparkle", "lens flare", "condensation")


def kinds(plan: Plan) -> dict[str, str | None]:
    """The plan's effect kinds drawn here, each with its named subject (None: not named)."""
    out: dict[str, str | None] = {}
    for effect in plan.effects:
        if effect.kind not in out or out[effect.kind] is None:
            out[effect.kind] = effect.target
    return out


def _target(placed: list[Placed], name: str | None, prefer: tuple[str, ...] = ()) -> int | None:
    """Index of the placed subject an effect belongs to."""
    if not placed:
        return None
    candidates = [i for i, p in enumerate(placed) if p.subject.kind not in ("sign", "sky", "mountain", "water") and not p.place] or list(range(len(placed)))

    def named(i: int, words: tuple[str, ...]) -> bool:
        text = f"{placed[i].subject.name} {placed[i].subject.kind}".lower()
        return any(w in text for w in words)

    if name:
        hit = [i for i in candidates if named(i, (name.lower(),))]
        if hit:
            return hit[0]
    if prefer:
        hit = [i for i in candidates if named(i, prefer)]
        if hit:
            return hit[0]
    return max(candidates, key=lambda i: (placed[i].box[2] - placed[i].box[0]) * (placed[i].box[3] - placed[i].box[1]))


def _light_point(plan: Plan, w: int, h: int) -> tuple[float, float]:
    side = (plan.light_direction or "").lower()
    x = {"left": 0.12, "right": 0.88}.get(side, 0.78)
    return x * w, 0.06 * h


def _soft_mask(size: tuple[int, int], draw, scale: int, blur: float, fade=None) -> Image.Image:
    """An L mask drawn by `draw(ImageDraw, k)` at 1/`scale` of `size` (k: that scale's factor),
    blurred there, multiplied by `fade(rows, columns)` (0..1 at that size) when given, and
    enlarged to `size`."""
    w, h = size
    sw, sh = max(1, w // scale), max(1, h // scale)
    mask = Image.new("L", (sw, sh), 0)
    draw(ImageDraw.Draw(mask), 1 / scale)
    if blur > 0:
        mask = mask.filter(ImageFilter.GaussianBlur(blur))
    if fade is not None:
        yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float32)
        mask = Image.fromarray((np.asarray(mask, np.float32) * fade(yy, xx)).astype(np.uint8))
    return mask.resize((w, h), Image.BILINEAR)


def _plume_color(canvas: Image.Image, region: Box, kind: str) -> RGB:
    """Steam is white and smoke grey, each shaded to show against what lies behind it: a
    brighter plume over a dark sky, a darker one over a pale wall."""
    x0, y0, x1, y1 = (max(0, min(v, lim)) for v, lim in zip(region, (canvas.width, canvas.height) * 2))
    if x1 - x0 < 2 or y1 - y0 < 2:
        return (240, 240, 244) if kind == "steam" else (120, 118, 122)
    behind_it = float(np.asarray(canvas.crop((x0, y0, x1, y1)).reduce(8).convert("L"), np.float32).mean())
    if kind == "steam":
        return (250, 250, 252) if behind_it < 170 else (150, 156, 166)
    return (200, 198, 202) if behind_it < 110 else (78, 76, 80)


def restyle(plan: Plan, placed: list[Placed], layers: list[Layer]) -> list[Layer]:
    """Silhouettes (the subject dark against the light) and motion blur (smeared sideways)."""
    asked = kinds(plan)
    layers = list(layers)
    if "silhouette" in asked:
        index = _target(placed, asked["silhouette"])
        targets = [index] if asked["silhouette"] and index is not None else [i for i, p in enumerate(placed) if p.subject.kind not in ("sign",) and not p.place]
        for i in targets:
            box, _layer, alpha = layers[i]
            solid = Image.new("RGBA", alpha.size, (16, 14, 20, 255))
            solid.putalpha(alpha)
            layers[i] = (box, solid.convert("RGBa"), alpha)
    if "motion blur" in asked:
        i = _target(placed, asked["motion blur"])
        if i is not None:
            layers[i] = _smear(*layers[i])
    return layers


def _smear(box: Box, layer: Image.Image, alpha: Image.Image) -> Layer:
    """The layer averaged over copies shifted sideways (premultiplied, so the average is right)."""
    w, h = layer.size
    shift = max(2, w // 10)
    steps = 6
    src = np.asarray(layer, np.uint16)
    acc = np.zeros((h, w + shift, 4), np.uint16)
    for k in range(steps):
        dx = round(k * shift / (steps - 1))
        acc[:, dx : dx + w] += src
    out = (acc // steps).astype(np.uint8)
    smeared = Image.frombuffer("RGBa", (w + shift, h), np.ascontiguousarray(out), "raw", "RGBa", 0, 1)
    # the sharp subject at the leading edge, over its own trail
    smeared.paste(layer, (shift, 0), layer)
    new_box = (box[0] - shift // 2, box[1], box[2] + shift - shift // 2, box[3])
    return new_box, smeared, smeared.getchannel("a")


def behind(canvas: Image.Image, plan: Plan, placed: list[Placed], rng: np.random.Generator) -> None:
    """Bokeh (a defocused background with soft discs of light), a glow around a subject, and
    shafts of light from the light's side, painted on the background before subjects are laid."""
    asked = kinds(plan)
    w, h = canvas.size
    short = min(w, h)
    if "bokeh" in asked:
        small = canvas.reduce(4)
        canvas.paste(small.resize((w, h), Image.BILINEAR))
        colors = [WARM, (255, 236, 200), (255, 190, 120), (200, 220, 255)]
        count = int(rng.integers(14, 24))
        discs = [(rng.uniform(0, w), rng.uniform(0, 0.75 * h), rng.uniform(0.02, 0.055) * short, int(rng.integers(0, len(colors))), rng.uniform(0.45, 0.9))
                 for _ in range(count)]
        for c, color in enumerate(colors):
            mine = [d for d in discs if d[3] == c]
            if not mine:
                continue

            def draw(d: ImageDraw.ImageDraw, k: float, mine=mine) -> None:
                for x, y, r, _, level in mine:
                    d.ellipse(((x - r) * k, (y - r) * k, (x + r) * k, (y + r) * k), fill=int(150 * level))

            canvas.paste(color, (0, 0, w, h), _soft_mask((w, h), draw, 4, 0.8))
    if "glow" in asked:
        i = _target(placed, asked["glow"])
        if i is not None:
            x0, y0, x1, y1 = placed[i].box
            color = placed[i].subject.color or WARM
            color = tuple(min(255, int(c * 0.5 + 255 * 0.5)) for c in color)
            cx, cy, r = (x0 + x1) / 2, (y0 + y1) / 2, 0.75 * max(x1 - x0, y1 - y0)

            def draw(d: ImageDraw.ImageDraw, k: float) -> None:
                for step in range(6, 0, -1):
                    rr = r * step / 6
                    d.ellipse(((cx - rr) * k, (cy - rr) * k, (cx + rr) * k, (cy + rr) * k), fill=int(200 * (1 - step / 7)))

            canvas.paste(color, (0, 0, w, h), _soft_mask((w, h), draw, 8, 3))
    if "light rays" in asked:
        sx, sy = _light_point(plan, w, h)
        beams = int(rng.integers(4, 7))

        def draw(d: ImageDraw.ImageDraw, k: float) -> None:
            for b in range(beams):
                angle = math.radians(90 + (sx < w / 2 and -1 or 1) * 22 + rng.uniform(-28, 28))
                spread = math.radians(rng.uniform(2.0, 4.5))
                far = 1.6 * max(w, h)
                pts = [(sx * k, sy * k)]
                for a in (angle - spread, angle + spread):
                    pts.append(((sx + far * math.cos(a)) * k, (sy + far * math.sin(a)) * k))
                d.polygon(pts, fill=int(rng.uniform(80, 125)))

        def fade(yy: np.ndarray, xx: np.ndarray) -> np.ndarray:  # brightest by the light
            return np.clip(1.15 - np.hypot(xx - sx / 8, yy - sy / 8) / max(yy.shape), 0.0, 1.0)

        canvas.paste(WARM, (0, 0, w, h), _soft_mask((w, h), draw, 8, 2, fade))


def over(canvas: Image.Image, plan: Plan, placed: list[Placed], layers: list[Layer], rng: np.random.Generator) -> None:
    """Steam or smoke rising from a subject, sparkles about it, condensation on it, and a lens
    flare from the light's side, painted over the laid subjects."""
    asked = kinds(plan)
    w, h = canvas.size
    short = min(w, h)
    for kind, prefer, rise, level in (("steam", STEAMY, 0.9, 185), ("smoke", SMOKY, 1.6, 200)):
        if kind not in asked:
            continue
        i = _target(placed, asked[kind], prefer)
        if i is None:
            continue
        x0, y0, x1, y1 = placed[i].box
        bw, bh = x1 - x0, y1 - y0
        color = _plume_color(canvas, (x0, max(0, round(y0 - rise * bh)), x1, max(1, y0)), kind)
        top = y0 + 0.08 * bh
        plumes = [(x0 + bw * rng.uniform(0.3, 0.7), rng.uniform(0, 6.28), rng.uniform(0.6, 1.0)) for _ in range(3)]

        def draw(d: ImageDraw.ImageDraw, k: float, plumes=plumes, bw=bw, bh=bh, top=top, rise=rise, level=level) -> None:
            height = rise * bh
            for px, phase, strength in plumes:
                prev = None
                for s in range(24):
                    t = s / 23
                    x = px + 0.12 * bw * math.sin(phase + t * 5.0) * (0.3 + t)
                    y = top - t * height
                    width = (0.09 + 0.22 * t) * bw
                    fill = int(level * strength * (1 - t) ** 0.8)
                    if prev is not None:
                        d.line((prev[0] * k, prev[1] * k, x * k, y * k), fill=fill, width=max(1, int(width * k)))
                    prev = (x, y)

        canvas.paste(color, (0, 0, w, h), _soft_mask((w, h), draw, 4, 1.5))
    if "condensation" in asked:
        i = _target(placed, asked["condensation"], ("glass", "bottle", "can", "window", "jar"))
        if i is not None:
            box, _layer, alpha = layers[i]
            bw, bh = box[2] - box[0], box[3] - box[1]
            drops = Image.new("L", (bw, bh), 0)
            d = ImageDraw.Draw(drops)
            for _ in range(int(rng.integers(90, 170))):
                x, y = rng.uniform(0, bw), rng.uniform(0.15 * bh, bh)
                r = rng.uniform(0.003, 0.009) * short
                d.ellipse((x - r, y - r * 1.2, x + r, y + r * 1.2), fill=80)
                d.ellipse((x - r * 0.45, y - r * 0.8, x, y - r * 0.35), fill=210)
            drops = Image.fromarray(np.minimum(np.asarray(drops), np.asarray(alpha)))
            canvas.paste((236, 244, 250), box[:2], drops)
    if "sparkle" in asked:
        i = _target(placed, asked["sparkle"])
        mask = Image.new("L", (w, h), 0)
        d = ImageDraw.Draw(mask)
        x0, y0, x1, y1 = placed[i].box if i is not None else (0, 0, w, h)
        pad = 0.15 * max(x1 - x0, y1 - y0)
        for _ in range(int(rng.integers(8, 15))):
            x, y = rng.uniform(x0 - pad, x1 + pad), rng.uniform(y0 - pad, y1 + pad)
            r = rng.uniform(0.012, 0.03) * short
            t = max(1, round(r / 8))
            d.polygon([(x - r, y), (x - t, y - t), (x, y - r), (x + t, y - t), (x + r, y), (x + t, y + t), (x, y + r), (x - t, y + t)], fill=235)
            d.ellipse((x - 2 * t, y - 2 * t, x + 2 * t, y + 2 * t), fill=255)
        canvas.paste((255, 252, 236), (0, 0, w, h), mask)
    if "lens flare" in asked:
        sx, sy = _light_point(plan, w, h)
        cx, cy = w / 2, h / 2
        spots = [(0.0, 0.09, 230), (0.35, 0.025, 70), (0.7, 0.045, 55), (1.2, 0.03, 65), (1.55, 0.07, 40)]

        def draw(d: ImageDraw.ImageDraw, k: float) -> None:
            for t, r, fill in spots:
                x, y, rr = sx + (cx - sx) * t, sy + (cy - sy) * t, r * short
                d.ellipse(((x - rr) * k, (y - rr) * k, (x + rr) * k, (y + rr) * k), fill=fill)

        canvas.paste((255, 238, 205), (0, 0, w, h), _soft_mask((w, h), draw, 4, 1.5))
