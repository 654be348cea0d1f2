"""Stylised subjects: each painter draws one kind of thing into an RGBA layer with ImageDraw.

A painter gets the layer, a `Look` (colours, light side, rng) and draws in the layer's own
pixel units; `paint_subject` supersamples, shades towards the light and returns the layer.
`KIND_ASPECT` is each kind's box width / height, which the scene uses for layout.

Layers are painted premultiplied ("RGBa"): opaque fills write the same bytes as in RGBA, the
supersampled layer reduces without Pillow's two whole-layer RGBA <-> RGBa conversions, and
translucent touches (glare, sheen) are one masked paste over their own box, which is the "over"
operator for premultiplied and straight layers alike.
"""

from __future__ import annotations

import logging

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from imagegate.plan import RGB

KIND_ASPECT = {
    "watch": 0.62, "person": 0.95, "bottle": 0.42, "cup": 1.15, "tree": 0.85, "building": 0.7, "animal": 1.35,
    "car": 2.1, "phone": 0.5, "flower": 0.7, "mountain": 2.2, "object": 1.0,
}


@dataclass(frozen=True)
class Look:
    """How a subject is coloured and lit."""

    color: RGB | None
    accent: RGB
    dark: bool  # the scene is dark (metal reads brighter, straps darker)
    light: str  # left | right | top | bottom | front | back
    rng: np.random.Generator
    name: str


log = logging.getLogger("imagegate.render")

def _rot(cx: float, cy: float, angle: float, pts: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Rotate points given as (along, across) around (cx, cy); angle 0 points up, clockwise."""
    s, c = math.sin(angle), math.cos(angle)
    return [(cx + a * s + b * c, cy - a * c + b * s) for a, b in pts]


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    return tuple(int(x + (y - x) * t) for x, y in zip(a, b))  # type: ignore[return-value]


def _translucent(layer: Image.Image, shape: str, box: tuple[float, float, float, float], color: RGB, alpha: int, *args: float) -> None:
    """Lay an ImageDraw `shape` (ellipse, chord, rounded_rectangle, ...) bounded by `box` over
    `layer` in `color` at opacity `alpha`, touching only the pixels the shape covers.

    The colour goes on as a pasted image, not a pasted colour: Pillow's masked colour fill works
    byte by byte and is several times slower than its masked image paste, which also blends the
    alpha the same way as the colour (the "over" operator even where the layer is clear)."""
    x0, y0 = max(0, math.floor(box[0])), max(0, math.floor(box[1]))
    x1, y1 = min(layer.width, math.ceil(box[2]) + 1), min(layer.height, math.ceil(box[3]) + 1)
    if x1 <= x0 or y1 <= y0:
        return
    mask = Image.new("L", (x1 - x0, y1 - y0), 0)
    getattr(ImageDraw.Draw(mask), shape)((box[0] - x0, box[1] - y0, box[2] - x0, box[3] - y0), *args, fill=alpha)
    inked = mask.getbbox()  # a chord covers a fraction of its box
    if inked is None:
        return
    mask = mask.crop(inked)
    layer.paste(Image.new(layer.mode, mask.size, (*color, 255)), (x0 + inked[0], y0 + inked[1]), mask)


def _highlight_side(look: Look) -> float:
    """-1 when light comes from the left, +1 from the right, 0 otherwise."""
    return {"left": -1.0, "right": 1.0}.get(look.light, -0.4)


def watch(layer: Image.Image, look: Look) -> None:
    """A wristwatch seen from the front: strap, lugs, case, bezel, dial, markers, hands, crown."""
    w, h = layer.size
    d = ImageDraw.Draw(layer)
    cx, cy, r = w / 2, h / 2, h * 0.29
    metal = (200, 202, 208) if look.color is None else look.color
    strap = (78, 52, 38) if look.dark else (30, 30, 34)
    sw_top, sw_end = r * 0.5, r * 0.44
    for sx in (-1, 1):  # lugs, partly hidden under the case
        for sy in (-1, 1):
            xs = sorted((cx + sx * r * 0.5, cx + sx * r * 0.68))
            ys = sorted((cy + sy * r * 0.6, cy + sy * r * 1.1))
            d.rounded_rectangle((xs[0], ys[0], xs[1], ys[1]), radius=r * 0.06, fill=_mix(metal, (60, 60, 64), 0.15))
    for sign in (-1, 1):
        end = 0 if sign < 0 else h
        poly = [(cx - sw_top, cy), (cx + sw_top, cy), (cx + sw_end, end), (cx - sw_end, end)]
        d.polygon(poly, fill=strap)
        stitch = _mix(strap, (230, 210, 180), 0.45)
        for x in (cx - sw_end * 0.82, cx + sw_end * 0.82):
            y = cy + sign * r * 1.12
            while (y < h - r * 0.05) if sign > 0 else (y > r * 0.05):
                d.line((x, y, x, y + sign * r * 0.06), fill=stitch, width=max(1, int(r * 0.012)))
                y += sign * r * 0.11
    d.rounded_rectangle((cx + r * 0.96, cy - r * 0.12, cx + r * 1.14, cy + r * 0.12), radius=r * 0.04, fill=metal)
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=_mix(metal, (40, 40, 44), 0.25))
    side = _highlight_side(look)
    hx, hy = cx + side * r * 0.12, cy - r * 0.12
    d.ellipse((hx - r * 0.97, hy - r * 0.97, hx + r * 0.97, hy + r * 0.97), fill=metal)
    mid = {"left": 180, "right": 0, "bottom": 90}.get(look.light, 240)  # specular rim on the lit side
    d.arc((cx - r * 0.985, cy - r * 0.985, cx + r * 0.985, cy + r * 0.985), mid - 40, mid + 40, fill=(250, 250, 252), width=max(1, int(r * 0.05)))
    d.ellipse((cx - r * 0.9, cy - r * 0.9, cx + r * 0.9, cy + r * 0.9), fill=_mix(metal, (20, 20, 24), 0.55))
    for i in range(60):  # bezel minute track
        a = i * math.tau / 60
        inner = 0.82 if i % 5 == 0 else 0.86
        p0, p1 = _rot(cx, cy, a, [(r * inner, 0), (r * 0.89, 0)])
        d.line((*p0, *p1), fill=_mix(metal, (255, 255, 255), 0.4), width=max(1, int(r * (0.02 if i % 5 == 0 else 0.008))))
    dial = (16, 22, 38) if look.dark else (232, 230, 224)
    d.ellipse((cx - r * 0.8, cy - r * 0.8, cx + r * 0.8, cy + r * 0.8), fill=dial)
    d.ellipse((cx - r * 0.5, cy - r * 0.5, cx + r * 0.5, cy + r * 0.5), fill=_mix(dial, (255, 255, 255), 0.05))
    marker = look.accent if look.dark else (40, 40, 44)
    for i in range(12):
        a = i * math.tau / 12
        half = r * (0.045 if i % 3 == 0 else 0.028)
        length = (0.56, 0.76) if i % 3 == 0 else (0.62, 0.76)
        d.polygon(_rot(cx, cy, a, [(r * length[0], -half), (r * length[1], -half), (r * length[1], half), (r * length[0], half)]), fill=marker)
    hand = (236, 236, 240) if look.dark else (30, 30, 34)
    for angle, length, width in (((10 + 8 / 60) / 12 * math.tau, 0.45, 0.05), (8 / 60 * math.tau, 0.68, 0.035)):
        d.polygon(_rot(cx, cy, angle, [(-r * 0.1, -r * width), (r * length, -r * width * 0.35), (r * (length + 0.04), 0), (r * length, r * width * 0.35), (-r * 0.1, r * width)]), fill=hand)
    sa = 35 / 60 * math.tau
    p0, p1 = _rot(cx, cy, sa, [(-r * 0.15, 0), (r * 0.74, 0)])
    d.line((*p0, *p1), fill=look.accent if look.dark else (190, 40, 40), width=max(1, int(r * 0.014)))
    d.ellipse((cx - r * 0.05, cy - r * 0.05, cx + r * 0.05, cy + r * 0.05), fill=hand)
    _translucent(layer, "chord", (cx - r * 0.78, cy - r * 0.78, cx + r * 0.78, cy + r * 0.78), (255, 255, 255), 26, 200, 330)


ROLES: dict[str, tuple[RGB, RGB, str]] = {  # words in a person's name -> (top, trousers, headwear)
    "chef": ((246, 246, 244), (40, 40, 44), "toque"), "cook": ((246, 246, 244), (40, 40, 44), "toque"),
    "baker": ((246, 246, 244), (120, 110, 100), "toque"), "doctor": ((244, 246, 248), (60, 80, 110), ""),
    "nurse": ((120, 180, 200), (120, 180, 200), ""), "astronaut": ((236, 236, 236), (236, 236, 236), "helmet"),
    "diver": ((24, 26, 30), (24, 26, 30), "mask"), "snorkel": ((230, 96, 60), (40, 60, 120), "mask"), "police": ((30, 44, 80), (30, 44, 80), "cap"),
    "soldier": ((90, 100, 70), (90, 100, 70), "cap"), "firefighter": ((190, 140, 40), (190, 140, 40), "helmet"),
    "farmer": ((90, 120, 170), (70, 90, 130), "straw hat"), "cowboy": ((170, 110, 60), (60, 80, 120), "cowboy hat"),
    "builder": ((240, 140, 40), (60, 70, 90), "hard hat"), "worker": ((240, 140, 40), (60, 70, 90), "hard hat"),
    "construction": ((240, 140, 40), (60, 70, 90), "hard hat"), "bride": ((248, 246, 240), (248, 246, 240), "dress"),
    "ballerina": ((236, 180, 200), (236, 180, 200), "dress"), "dancer": ((200, 40, 70), (40, 40, 44), "dress"),
    "painter": ((230, 226, 214), (80, 90, 110), ""), "carpenter": ((150, 110, 70), (70, 80, 100), ""),
    "scientist": ((244, 246, 248), (60, 60, 70), ""), "businessman": ((40, 44, 60), (40, 44, 60), ""),
    "runner": ((220, 60, 50), (40, 40, 44), ""), "hiker": ((70, 110, 80), (110, 100, 80), ""),
}
SMALL = ("child", "kid", "boy", "girl", "toddler", "baby")


def standing_person(layer: Image.Image, look: Look) -> None:
    """A whole person standing, front view: hair and face, torso and arms in the role's clothes
    (a chef's whites and toque, an astronaut's suit and helmet, a diver's black suit...), legs,
    shoes. Children are drawn smaller within the box."""
    w, h = layer.size
    d = ImageDraw.Draw(layer)
    name = look.name.lower()
    role = next((r for k, r in ROLES.items() if k in name), None)
    top, legs, headwear = role or ((look.color or ((60, 90, 140) if not look.dark else (150, 140, 130))), (50, 56, 70), "")
    if look.color is not None:
        top = look.color
    skin, hair = (222, 184, 156), (58, 40, 30)
    k = 0.72 if any(word in name for word in SMALL) else 1.0
    oy = h * (1 - k)  # a child's figure starts lower in the same box
    cx = w / 2

    def y(v: float) -> float:  # the top 8 % is left for headwear
        return oy + (0.08 + 0.92 * v) * h * k

    def x(v: float) -> float:
        return cx + (v - 0.5) * w * k

    dress = headwear == "dress"
    for side in (0.38, 0.62):  # legs and shoes
        d.rectangle((x(side - 0.09), y(0.56), x(side + 0.09), y(0.95)), fill=legs if not dress else skin)
        d.rounded_rectangle((x(side - 0.12), y(0.93), x(side + 0.1), y(1.0)), radius=w * 0.03, fill=(36, 32, 30))
    for side in (-1, 1):  # arms
        d.line((x(0.5 + side * 0.28), y(0.24), x(0.5 + side * 0.38), y(0.52)), fill=top, width=max(2, int(w * k * 0.14)))
        d.ellipse((x(0.5 + side * 0.38) - w * k * 0.07, y(0.5), x(0.5 + side * 0.38) + w * k * 0.07, y(0.57)), fill=skin)
    if dress:
        d.polygon([(x(0.24), y(0.2)), (x(0.76), y(0.2)), (x(0.92), y(0.68)), (x(0.08), y(0.68))], fill=top)
    else:
        d.rounded_rectangle((x(0.2), y(0.19), x(0.8), y(0.6)), radius=w * k * 0.12, fill=top)
    if role is not None and role[0] == (244, 246, 248):  # a white coat: its open front
        d.line((cx, y(0.22), cx, y(0.6)), fill=_mix(top, (0, 0, 0), 0.25), width=max(1, int(w * 0.02)))
    d.rectangle((x(0.45), y(0.14), x(0.55), y(0.21)), fill=_mix(skin, (0, 0, 0), 0.1))  # neck
    d.ellipse((x(0.3), y(0.0), x(0.7), y(0.17)), fill=hair)
    d.ellipse((x(0.32), y(0.02), x(0.68), y(0.17)), fill=skin)
    d.chord((x(0.31), y(-0.01), x(0.69), y(0.11)), 180, 360, fill=hair)
    for side in (-1, 1):
        d.ellipse((cx + side * w * k * 0.07 - w * k * 0.02, y(0.085), cx + side * w * k * 0.07 + w * k * 0.02, y(0.1)), fill=(50, 36, 32))
    if headwear == "toque":
        d.rounded_rectangle((x(0.3), y(-0.03), x(0.7), y(0.04)), radius=w * 0.05, fill=(250, 250, 250))
        d.ellipse((x(0.26), y(-0.12), x(0.74), y(0.02)), fill=(250, 250, 250))
    elif headwear == "helmet":
        _translucent(layer, "ellipse", (x(0.24), y(-0.03), x(0.76), y(0.2)), (210, 225, 240), 150)
        d.ellipse((x(0.24), y(-0.03), x(0.76), y(0.2)), outline=top, width=max(1, int(w * 0.03)))
    elif headwear == "mask":
        d.rounded_rectangle((x(0.33), y(0.06), x(0.67), y(0.12)), radius=w * 0.02, fill=(120, 190, 220))
    elif headwear in ("cap", "hard hat"):
        color = (250, 200, 40) if headwear == "hard hat" else top
        d.chord((x(0.29), y(-0.04), x(0.71), y(0.1)), 180, 360, fill=color)
        d.rectangle((x(0.27), y(0.025), x(0.73), y(0.04)), fill=color)
    elif headwear in ("straw hat", "cowboy hat"):
        color = (226, 196, 120) if headwear == "straw hat" else (120, 80, 44)
        d.ellipse((x(0.14), y(0.0), x(0.86), y(0.05)), fill=color)
        d.rounded_rectangle((x(0.32), y(-0.06), x(0.68), y(0.03)), radius=w * 0.04, fill=color)


SWIM_TILT = 84  # degrees a swimmer lies from upright: head first, a little raised


def swimmer(layer: Image.Image, look: Look) -> None:
    """A person swimming, seen from the side: the standing figure (in its role's clothes; a diver's
    black suit and mask) drawn with fins for a diver or snorkeler and a tank for a scuba diver,
    laid nearly horizontal, head towards the box's right."""
    w, h = layer.size
    name = look.name.lower()
    fins = any(k in name for k in ("diver", "snorkel", "scuba", "frogman"))
    length = w / (math.cos(math.radians(90 - SWIM_TILT)) + 0.42 * math.sin(math.radians(90 - SWIM_TILT)))
    fh = max(2, round(length * (0.86 if fins else 1.0)))  # the figure's height; fins take the rest
    tall = Image.new(layer.mode, (max(2, round(length * 0.42)), max(2, round(length))), (0, 0, 0, 0))
    body = tall.crop((0, 0, tall.width, fh))
    standing_person(body, look)
    tall.paste(body, (0, 0), body)
    tw = tall.width
    d = ImageDraw.Draw(tall)
    if "scuba" in name or name.endswith("diver"):  # the air tank on the back (its left side turns upwards)
        d.rounded_rectangle((0, fh * 0.15, tw * 0.12, fh * 0.5), radius=tw * 0.05, fill=(236, 196, 40))
    if fins:
        fin = (30, 110, 190) if look.color is None else _mix(look.color, (0, 0, 0), 0.3)
        for side in (0.38, 0.62):  # each foot's fin, widening past the sole
            cx = tw / 2 + (side - 0.5) * tw
            splay = (side - 0.5) * tw * 0.3
            d.polygon([(cx - tw * 0.08, fh * 0.97), (cx + tw * 0.08, fh * 0.97), (cx + splay + tw * 0.12, length),
                       (cx + splay, length - (length - fh) * 0.25), (cx + splay - tw * 0.12, length)], fill=fin)
    turned = tall.rotate(-SWIM_TILT, resample=Image.BICUBIC, expand=True)  # premultiplied: resampling stays exact
    turned = turned.resize((w, min(h, max(1, round(turned.height * w / turned.width)))), Image.BILINEAR)
    layer.paste(turned, (0, (h - turned.height) // 2), turned)


def named_color(look: Look, colors: dict[str, RGB], default: RGB) -> RGB:
    """The plan's colour for a subject, else the first of `colors` whose key is in its name, else `default`."""
    name = look.name.lower()
    return look.color or next((c for k, c in colors.items() if k in name), default)


def person(layer: Image.Image, look: Look) -> None:
    """Head-and-shoulders portrait: shoulders, neck, face, hair; in a tall box (a person in a
    scene), the whole standing figure."""
    w, h = layer.size
    if h > 1.6 * w:
        standing_person(layer, look)
        return
    if w > 1.6 * h:  # a long, low box: someone swimming (compose.swimming)
        swimmer(layer, look)
        return
    d = ImageDraw.Draw(layer)
    skin, hair = (222, 184, 156), (58, 40, 30)
    cloth = look.color or ((40, 44, 56) if not look.dark else (150, 140, 130))
    cx = w / 2
    d.ellipse((cx - w * 0.2, h * 0.08, cx + w * 0.2, h * 0.56), fill=hair)
    d.rounded_rectangle((cx - w * 0.5, h * 0.7, cx + w * 0.5, h * 1.3), radius=w * 0.25, fill=cloth)
    d.rectangle((cx - w * 0.07, h * 0.45, cx + w * 0.07, h * 0.74), fill=_mix(skin, (0, 0, 0), 0.12))
    d.polygon([(cx - w * 0.16, h * 0.7), (cx, h * 0.84), (cx + w * 0.16, h * 0.7)], fill=_mix(skin, (0, 0, 0), 0.08))
    d.ellipse((cx - w * 0.15, h * 0.14, cx + w * 0.15, h * 0.56), fill=skin)
    d.chord((cx - w * 0.17, h * 0.08, cx + w * 0.17, h * 0.42), 180, 360, fill=hair)
    eye = _mix(skin, (40, 30, 30), 0.75)
    for sx in (-1, 1):
        ex = cx + sx * w * 0.055
        d.ellipse((ex - w * 0.018, h * 0.33, ex + w * 0.018, h * 0.35), fill=eye)
    d.arc((cx - w * 0.04, h * 0.42, cx + w * 0.04, h * 0.46), 20, 160, fill=_mix(skin, (120, 40, 40), 0.5), width=max(1, int(w * 0.008)))


def bottle(layer: Image.Image, look: Look) -> None:
    """A bottle: body, shoulders, neck, cap, label and a glass highlight."""
    w, h = layer.size
    d = ImageDraw.Draw(layer)
    glass = look.color or (120, 70, 40)
    d.rounded_rectangle((w * 0.32, 0, w * 0.68, h * 0.13), radius=w * 0.04, fill=look.accent)
    d.rectangle((w * 0.36, h * 0.12, w * 0.64, h * 0.36), fill=glass)
    d.ellipse((w * 0.04, h * 0.28, w * 0.96, h * 0.52), fill=glass)
    d.rounded_rectangle((w * 0.04, h * 0.4, w * 0.96, h), radius=w * 0.1, fill=glass)
    d.rectangle((w * 0.1, h * 0.56, w * 0.9, h * 0.8), fill=(240, 232, 214))
    d.line((w * 0.2, h * 0.6, w * 0.8, h * 0.6), fill=look.accent, width=max(1, int(h * 0.01)))
    x = w * (0.18 if look.light != "right" else 0.72)
    _translucent(layer, "rounded_rectangle", (x, h * 0.42, x + w * 0.1, h * 0.95), (255, 255, 255), 70, w * 0.05)


def cup(layer: Image.Image, look: Look) -> None:
    """A cup on a saucer with a handle and a drink inside."""
    w, h = layer.size
    d = ImageDraw.Draw(layer)
    china = look.color or (242, 240, 234)
    shade = _mix(china, (0, 0, 0), 0.18)
    d.ellipse((w * 0.02, h * 0.78, w * 0.98, h * 0.99), fill=shade)
    d.ellipse((w * 0.05, h * 0.77, w * 0.95, h * 0.95), fill=china)
    d.ellipse((w * 0.62, h * 0.3, w * 0.92, h * 0.66), outline=china, width=int(w * 0.06))
    d.chord((w * 0.14, h * -0.2, w * 0.76, h * 0.86), 0, 180, fill=china)
    d.rectangle((w * 0.14, h * 0.2, w * 0.76, h * 0.33), fill=china)
    d.ellipse((w * 0.14, h * 0.14, w * 0.76, h * 0.28), fill=shade)
    d.ellipse((w * 0.17, h * 0.16, w * 0.73, h * 0.27), fill=(92, 52, 28))


def phone(layer: Image.Image, look: Look) -> None:
    """A modern phone from the front: frame, screen with a glow, camera pill, side buttons."""
    w, h = layer.size
    d = ImageDraw.Draw(layer)
    frame = look.color or (168, 170, 176)
    if w < 12 or h < 12:  # a few pixels: the screen's rounded mask would be empty
        d.rectangle((0, 0, w - 1, h - 1), fill=(12, 12, 14), outline=frame)
        return
    d.rounded_rectangle((w * 0.96, h * 0.2, w, h * 0.3), radius=w * 0.01, fill=frame)
    d.rounded_rectangle((0, h * 0.18, w * 0.04, h * 0.24), radius=w * 0.01, fill=frame)
    d.rounded_rectangle((w * 0.02, 0, w * 0.98, h), radius=w * 0.16, fill=frame)
    d.rounded_rectangle((w * 0.045, h * 0.01, w * 0.955, h * 0.99), radius=w * 0.14, fill=(12, 12, 14))
    screen = (w * 0.08, h * 0.03, w * 0.92, h * 0.97)
    grad = np.linspace(0.0, 1.0, 64, dtype=np.float32)[:, None, None]
    a, b = np.array((*look.accent, 255), np.float32), np.array((40, 30, 110, 255), np.float32)
    colours = np.ascontiguousarray((a * (1 - grad) + b * grad).astype(np.uint8).repeat(8, axis=1))
    mode = layer.mode if layer.mode in ("RGBA", "RGBa") else "RGBA"  # opaque: the same bytes either way, no conversion
    tile = Image.frombuffer(mode, (8, 64), colours, "raw", mode, 0, 1)
    box = tuple(int(v) for v in screen)
    mask = Image.new("1", (box[2] - box[0], box[3] - box[1]), 0)  # a bilevel mask pastes several times faster than L
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, mask.width - 1, mask.height - 1), radius=w * 0.11, fill=1)
    column = tile.resize((1, mask.height), Image.BILINEAR)  # rows are flat: scale one column, then widen it
    layer.paste(column.resize(mask.size, Image.NEAREST), box[:2], mask)
    d.rounded_rectangle((w * 0.36, h * 0.045, w * 0.64, h * 0.075), radius=h * 0.015, fill=(0, 0, 0))


def car(layer: Image.Image, look: Look) -> None:
    """A side view of a car: body, cabin with windows, wheels, lights."""
    w, h = layer.size
    d = ImageDraw.Draw(layer)
    paint = look.color or (190, 30, 36)
    d.polygon([(w * 0.24, h * 0.46), (w * 0.34, h * 0.14), (w * 0.66, h * 0.14), (w * 0.8, h * 0.46)], fill=paint)
    d.polygon([(w * 0.29, h * 0.44), (w * 0.37, h * 0.2), (w * 0.49, h * 0.2), (w * 0.49, h * 0.44)], fill=(150, 175, 195))
    d.polygon([(w * 0.52, h * 0.44), (w * 0.52, h * 0.2), (w * 0.64, h * 0.2), (w * 0.74, h * 0.44)], fill=(150, 175, 195))
    d.rounded_rectangle((w * 0.02, h * 0.42, w * 0.98, h * 0.8), radius=h * 0.14, fill=paint)
    d.ellipse((w * 0.92, h * 0.5, w * 0.98, h * 0.58), fill=(255, 240, 200))
    for x in (0.22, 0.78):
        d.ellipse((w * x - h * 0.18, h * 0.62, w * x + h * 0.18, h * 0.98), fill=(24, 24, 26))
        d.ellipse((w * x - h * 0.09, h * 0.71, w * x + h * 0.09, h * 0.89), fill=(180, 182, 188))


def tree(layer: Image.Image, look: Look) -> None:
    """A tree: trunk and a crown of overlapping leaf clusters."""
    w, h = layer.size
    d = ImageDraw.Draw(layer)
    leaf = look.color or (56, 120, 60)
    d.polygon([(w * 0.45, h * 0.5), (w * 0.55, h * 0.5), (w * 0.58, h), (w * 0.42, h)], fill=(92, 62, 40))
    for _ in range(9):
        x, y = look.rng.uniform(0.28, 0.72) * w, look.rng.uniform(0.2, 0.5) * h
        r = look.rng.uniform(0.16, 0.26) * w
        d.ellipse((x - r, y - r, x + r, y + r), fill=_mix(leaf, (255, 255, 200), look.rng.uniform(0.0, 0.2)))


def building(layer: Image.Image, look: Look) -> None:
    """A house (gable roof) or a tower block, with a grid of windows."""
    w, h = layer.size
    d = ImageDraw.Draw(layer)
    wall = look.color or (196, 184, 164)
    house = any(k in look.name.lower() for k in ("house", "cottage", "cabin", "barn", "villa"))
    top = h * (0.4 if house else 0.06)
    d.rectangle((w * 0.08, top, w * 0.92, h), fill=wall)
    if house:
        d.polygon([(0, top + h * 0.02), (w / 2, h * 0.08), (w, top + h * 0.02)], fill=(120, 60, 50))
    rows, cols = (3, 3) if house else (10, 4)
    for i in range(rows):
        for j in range(cols):
            x = w * 0.14 + j * (w * 0.72 / cols)
            y = top + h * 0.04 + i * ((h - top) * 0.9 / rows)
            lit = (255, 214, 140) if look.dark and look.rng.random() < 0.6 else (70, 90, 110)
            d.rectangle((x, y, x + w * 0.72 / cols * 0.6, y + (h - top) * 0.9 / rows * 0.55), fill=lit)


def animal(layer: Image.Image, look: Look) -> None:
    """A four-legged animal in profile: body, head, ears, legs, tail."""
    w, h = layer.size
    d = ImageDraw.Draw(layer)
    names = {"fox": (210, 110, 40), "cat": (130, 118, 104), "dog": (176, 126, 74), "lion": (200, 150, 70), "wolf": (128, 128, 132)}
    fur = look.color or next((c for k, c in names.items() if k in look.name.lower()), (150, 116, 84))
    limb = max(1, int(w * 0.05))
    d.line((w * 0.16, h * 0.48, w * 0.02, h * 0.2), fill=fur, width=int(w * 0.06))
    for x in (0.24, 0.34, 0.6, 0.7):
        d.line((w * x, h * 0.6, w * x, h * 0.98), fill=_mix(fur, (0, 0, 0), 0.15), width=limb)
    d.ellipse((w * 0.12, h * 0.32, w * 0.78, h * 0.72), fill=fur)
    d.polygon([(w * 0.7, h * 0.16), (w * 0.74, h * 0.0), (w * 0.8, h * 0.14)], fill=fur)
    d.polygon([(w * 0.84, h * 0.14), (w * 0.9, h * 0.0), (w * 0.93, h * 0.18)], fill=fur)
    d.ellipse((w * 0.66, h * 0.08, w * 0.96, h * 0.48), fill=fur)
    d.ellipse((w * 0.86, h * 0.2, w * 0.88, h * 0.23), fill=(20, 20, 20))


def flower(layer: Image.Image, look: Look) -> None:
    """A flower: stem, two leaves, a ring of petals and a centre."""
    w, h = layer.size
    d = ImageDraw.Draw(layer)
    petal = look.color or (226, 90, 130)
    green = (60, 130, 64)
    d.line((w / 2, h * 0.3, w / 2, h), fill=green, width=max(1, int(w * 0.04)))
    for sign in (-1, 1):
        d.polygon(_rot(w / 2, h * 0.7, sign * 0.9, [(0, 0), (w * 0.2, -w * 0.07), (w * 0.34, 0), (w * 0.2, w * 0.07)]), fill=green)
    cx, cy, r = w / 2, h * 0.3, w * 0.22
    for i in range(8):
        px, py = _rot(cx, cy, i * math.tau / 8, [(r, 0)])[0]
        d.ellipse((px - r * 0.62, py - r * 0.62, px + r * 0.62, py + r * 0.62), fill=_mix(petal, (255, 255, 255), 0.1 * (i % 2)))
    d.ellipse((cx - r * 0.5, cy - r * 0.5, cx + r * 0.5, cy + r * 0.5), fill=(240, 190, 60))


def mountain(layer: Image.Image, look: Look) -> None:
    """A mountain range: overlapping peaks with snow caps."""
    w, h = layer.size
    d = ImageDraw.Draw(layer)
    rock = look.color or (92, 100, 120)
    for px, top, half, k in ((0.3, 0.12, 0.3, 0.0), (0.64, 0.0, 0.36, 0.12), (0.88, 0.3, 0.12, 0.25)):
        color = _mix(rock, (255, 255, 255), k)
        d.polygon([(w * (px - half), h), (w * px, h * top), (w * (px + half), h)], fill=color)
        cap = 0.22 * (1 - top)
        d.polygon([(w * (px - half * cap), h * (top + cap)), (w * px, h * top), (w * (px + half * cap), h * (top + cap))], fill=(244, 246, 250))


def generic(layer: Image.Image, look: Look) -> None:
    """Anything else: a rounded form (round for fruit and balls) with a highlight."""
    w, h = layer.size
    d = ImageDraw.Draw(layer)
    fruit = {"apple": (196, 36, 40), "orange": (240, 140, 30), "lemon": (246, 214, 60), "peach": (250, 170, 120), "tomato": (210, 50, 40)}
    body = look.color or next((c for k, c in fruit.items() if k in look.name.lower()), look.accent)
    if any(k in look.name.lower() for k in ("apple", "orange", "ball", "globe", "fruit", "peach", "lemon", "tomato")):
        d.ellipse((w * 0.08, h * 0.12, w * 0.92, h * 0.96), fill=body)
        d.line((w * 0.5, h * 0.16, w * 0.54, 0), fill=(90, 60, 30), width=max(1, int(w * 0.03)))
        d.ellipse((w * 0.54, h * 0.02, w * 0.74, h * 0.12), fill=(70, 140, 60))
    else:
        d.rounded_rectangle((w * 0.1, h * 0.1, w * 0.9, h * 0.9), radius=w * 0.18, fill=body)
    _translucent(layer, "ellipse", (w * 0.22, h * 0.22, w * 0.45, h * 0.4), (255, 255, 255), 60)


PAINTERS: dict[str, Callable[[Image.Image, Look], None]] = {
    "watch": watch, "person": person, "bottle": bottle, "cup": cup, "phone": phone, "car": car, "tree": tree,
    "building": building, "animal": animal, "flower": flower, "mountain": mountain, "object": generic,
}


def painter_for(kind: str, name: str) -> Callable[[Image.Image, Look], None]:
    """The drawing for a subject: a name-specific one (`more_subjects.NAMED`) or its kind's."""
    from imagegate.render.more_subjects import named

    found = named(kind, name)
    return found[0] if found else PAINTERS.get(kind, generic)


def aspect_of(kind: str, name: str = "") -> float:
    """A subject's box width / height, by its name's drawing or its kind."""
    from imagegate.render.more_subjects import named

    found = named(kind, name)
    return found[1] if found else KIND_ASPECT.get(kind, 1.0)


def shade_ramp(light: str, strength: float = 0.35, n: int = 32) -> np.ndarray:
    """(n, n) multipliers that darken the side of a subject away from the light."""
    ramp = np.linspace(1.0, 1.0 - strength, n, dtype=np.float32)
    grid = {"left": ramp[None, :], "right": ramp[::-1][None, :], "bottom": ramp[::-1][:, None]}.get(light, ramp[:, None])
    return np.broadcast_to(grid, (n, n))


def paint_subject(kind: str, size: tuple[int, int], look: Look, supersample: int = 2) -> Image.Image:
    """The subject as an unlit RGBA layer of `size`, transparent around it.

    Supersampling (for smooth edges) is reduced for big layers, where it costs most and shows least.
    """
    return paint_premultiplied(kind, size, look, supersample).convert("RGBA")


def paint_premultiplied(kind: str, size: tuple[int, int], look: Look, supersample: int = 2) -> Image.Image:
    """The subject as an unlit premultiplied ("RGBa") layer of `size` (see `paint_subject`): painted
    and reduced without Pillow's whole-layer RGBA <-> RGBa conversions."""
    w, h = max(1, size[0]), max(1, size[1])
    while supersample > 1 and w * h * supersample**2 > 2_500_000:
        supersample -= 1
    layer = Image.new("RGBa", (w * supersample, h * supersample), (0, 0, 0, 0))
    painter = painter_for(kind, look.name)
    try:
        painter(layer, look)
    except Exception:  # a drawing with a bug at this box: the generic shape, never a failed request
        log.exception("could not draw %r (%s) at %dx%d; drawing the generic shape", look.name, kind, *layer.size)
        layer = Image.new("RGBa", layer.size, (0, 0, 0, 0))
        generic(layer, look)
    return layer.reduce(supersample) if supersample > 1 else layer
