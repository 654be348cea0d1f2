"""More subject drawings, chosen by the subject's name within its kind: potted plants, furniture,
food, vehicles other than cars, landmarks, sky bodies, water features and sign boards.

Same contract as `subjects`: a painter draws into a premultiplied layer in its own pixel units
from a `Look`. `NAMED` maps (kind, words in the name) to a painter and its box aspect
(width / height); the first match wins.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

from PIL import Image, ImageDraw

from imagegate.render.subjects import Look, _mix, _rot, _translucent


def _d(layer: Image.Image) -> tuple[ImageDraw.ImageDraw, int, int]:
    return ImageDraw.Draw(layer), layer.width, layer.height


def potted_plant(layer: Image.Image, look: Look) -> None:
    """A potted plant: a tapered terracotta pot with a rim and a crown of pointed leaves."""
    d, w, h = _d(layer)
    pot = (190, 96, 62)
    leaf = look.color or (58, 128, 66)
    for i in range(11):
        a = -1.25 + 2.5 * i / 10 + look.rng.uniform(-0.08, 0.08)
        length = h * look.rng.uniform(0.42, 0.6) * (1.0 - 0.25 * abs(a))
        pts = _rot(w / 2, h * 0.6, a, [(0, 0), (length * 0.55, -w * 0.09), (length, 0), (length * 0.55, w * 0.09)])
        d.polygon(pts, fill=_mix(leaf, (255, 255, 210), 0.05 * (i % 3)))
        mid = _rot(w / 2, h * 0.6, a, [(0, 0), (length * 0.9, 0)])
        d.line((*mid[0], *mid[1]), fill=_mix(leaf, (0, 0, 0), 0.3), width=max(1, int(w * 0.012)))
    d.polygon([(w * 0.2, h * 0.62), (w * 0.8, h * 0.62), (w * 0.7, h), (w * 0.3, h)], fill=pot)
    d.rectangle((w * 0.16, h * 0.58, w * 0.84, h * 0.67), fill=_mix(pot, (255, 255, 255), 0.12))
    d.polygon([(w * 0.55, h * 0.67), (w * 0.8, h * 0.67), (w * 0.7, h), (w * 0.6, h)], fill=_mix(pot, (0, 0, 0), 0.18))


def boat(layer: Image.Image, look: Look) -> None:
    """A sailboat (or a plain boat): hull, mast and a white sail."""
    d, w, h = _d(layer)
    hull = look.color or (150, 60, 44)
    d.polygon([(0, h * 0.72), (w, h * 0.72), (w * 0.84, h), (w * 0.14, h)], fill=hull)
    d.rectangle((0, h * 0.72, w, h * 0.78), fill=_mix(hull, (255, 255, 255), 0.5))
    sail = not any(k in look.name.lower() for k in ("kayak", "gondola", "fishing", "row", "canoe", "dinghy"))
    if sail:
        d.line((w * 0.5, h * 0.02, w * 0.5, h * 0.72), fill=(80, 60, 40), width=max(1, int(w * 0.015)))
        d.polygon([(w * 0.52, h * 0.04), (w * 0.52, h * 0.68), (w * 0.92, h * 0.68)], fill=(246, 244, 236))
        d.polygon([(w * 0.48, h * 0.12), (w * 0.48, h * 0.68), (w * 0.16, h * 0.68)], fill=(230, 226, 214))
    else:
        d.rectangle((w * 0.35, h * 0.5, w * 0.65, h * 0.72), fill=(236, 232, 222))


def bicycle(layer: Image.Image, look: Look) -> None:
    """A bicycle in profile: two wheels, a diamond frame, saddle and handlebar."""
    d, w, h = _d(layer)
    frame = look.color or (200, 40, 44)
    r = h * 0.3
    lw = max(1, int(h * 0.03))
    for x in (w * 0.22, w * 0.78):
        d.ellipse((x - r, h - 2 * r - h * 0.02, x + r, h - h * 0.02), outline=(30, 30, 32), width=max(2, int(h * 0.05)))
        d.ellipse((x - r * 0.12, h - r - h * 0.02 - r * 0.12, x + r * 0.12, h - r - h * 0.02 + r * 0.12), fill=(150, 150, 156))
    hub_y = h - r - h * 0.02
    pedal, seat, head = (w * 0.46, hub_y), (w * 0.4, h * 0.3), (w * 0.7, h * 0.28)
    for a, b in (((w * 0.22, hub_y), pedal), (pedal, seat), (seat, (w * 0.22, hub_y)), (seat, head), (head, pedal), (head, (w * 0.78, hub_y))):
        d.line((*a, *b), fill=frame, width=lw * 2)
    d.rounded_rectangle((w * 0.33, h * 0.22, w * 0.47, h * 0.28), radius=h * 0.02, fill=(30, 30, 32))
    d.line((w * 0.7, h * 0.28, w * 0.66, h * 0.14, w * 0.76, h * 0.12), fill=(40, 40, 44), width=lw * 2, joint="curve")


def truck(layer: Image.Image, look: Look) -> None:
    """A truck or van: a box body, a cab with a window, wheels."""
    d, w, h = _d(layer)
    paint = look.color or (236, 236, 230)
    d.rounded_rectangle((w * 0.02, h * 0.08, w * 0.7, h * 0.8), radius=h * 0.04, fill=paint)
    d.rounded_rectangle((w * 0.68, h * 0.3, w * 0.98, h * 0.8), radius=h * 0.08, fill=_mix(paint, (200, 60, 50), 0.35))
    d.polygon([(w * 0.74, h * 0.36), (w * 0.9, h * 0.36), (w * 0.96, h * 0.54), (w * 0.74, h * 0.54)], fill=(150, 176, 196))
    d.rectangle((w * 0.08, h * 0.2, w * 0.62, h * 0.5), fill=_mix(paint, (0, 0, 0), 0.08))
    for x in (0.18, 0.55, 0.84):
        d.ellipse((w * x - h * 0.13, h * 0.7, w * x + h * 0.13, h * 0.96), fill=(26, 26, 28))
        d.ellipse((w * x - h * 0.06, h * 0.77, w * x + h * 0.06, h * 0.89), fill=(170, 172, 178))


def train(layer: Image.Image, look: Look) -> None:
    """A train: a locomotive and a carriage with windows, on wheels."""
    d, w, h = _d(layer)
    paint = look.color or (40, 90, 160)
    d.rounded_rectangle((w * 0.02, h * 0.2, w * 0.48, h * 0.84), radius=h * 0.1, fill=paint)
    d.rounded_rectangle((w * 0.5, h * 0.2, w * 0.98, h * 0.84), radius=h * 0.06, fill=_mix(paint, (255, 255, 255), 0.2))
    for i in range(6):
        x = w * (0.08 + i * 0.15)
        d.rounded_rectangle((x, h * 0.32, x + w * 0.09, h * 0.52), radius=h * 0.03, fill=(200, 220, 236))
    d.rectangle((w * 0.02, h * 0.62, w * 0.98, h * 0.68), fill=(240, 200, 60))
    for i in range(8):
        x = w * (0.06 + i * 0.125)
        d.ellipse((x, h * 0.82, x + h * 0.16, h * 0.98), fill=(30, 30, 32))


def plane(layer: Image.Image, look: Look) -> None:
    """An airliner seen from the side: fuselage, wing, tail."""
    d, w, h = _d(layer)
    body = look.color or (236, 238, 242)
    d.polygon([(w * 0.06, h * 0.42), (w * 0.14, h * 0.05), (w * 0.24, h * 0.05), (w * 0.26, h * 0.42)], fill=_mix(body, (40, 80, 160), 0.5))
    d.rounded_rectangle((w * 0.02, h * 0.38, w * 0.98, h * 0.62), radius=h * 0.12, fill=body)
    d.polygon([(w * 0.4, h * 0.55), (w * 0.62, h * 0.55), (w * 0.5, h * 0.98), (w * 0.38, h * 0.98)], fill=_mix(body, (0, 0, 0), 0.15))
    for i in range(9):
        x = w * (0.32 + i * 0.06)
        d.ellipse((x, h * 0.44, x + w * 0.02, h * 0.5), fill=(60, 70, 90))


def balloon(layer: Image.Image, look: Look) -> None:
    """A hot-air balloon: a striped envelope, ropes and a basket (party balloons: just envelopes)."""
    d, w, h = _d(layer)
    colors = [look.color or (220, 60, 50), (245, 200, 60), (60, 120, 200)]
    if "hot air" not in look.name.lower():
        for i, x in enumerate((0.3, 0.55, 0.72)):
            c = colors[i % 3]
            d.line((w * x, h * 0.5, w * 0.5, h), fill=(90, 90, 90), width=max(1, int(w * 0.01)))
            d.ellipse((w * (x - 0.2), h * (0.05 + 0.1 * i), w * (x + 0.2), h * (0.5 + 0.05 * i)), fill=c)
        return
    d.rectangle((w * 0.4, h * 0.86, w * 0.6, h), fill=(130, 90, 50))
    for x in (0.34, 0.66):
        d.line((w * x, h * 0.68, w * (0.42 if x < 0.5 else 0.58), h * 0.86), fill=(80, 60, 40), width=max(1, int(w * 0.01)))
    d.ellipse((w * 0.05, 0, w * 0.95, h * 0.74), fill=colors[0])
    for i, k in enumerate((0.55, 0.22)):
        d.ellipse((w * (0.5 - 0.45 * k), 0, w * (0.5 + 0.45 * k), h * 0.74), fill=colors[1 + i % 2])


def lighthouse(layer: Image.Image, look: Look) -> None:
    """A lighthouse: a tapered striped tower, gallery, lantern and a glowing light."""
    d, w, h = _d(layer)
    red = look.color or (196, 40, 40)
    top, base = h * 0.22, h
    for i in range(5):
        y0, y1 = top + (base - top) * i / 5, top + (base - top) * (i + 1) / 5
        k0, k1 = 0.16 + 0.1 * i / 5, 0.16 + 0.1 * (i + 1) / 5
        d.polygon([(w * (0.5 - k0), y0), (w * (0.5 + k0), y0), (w * (0.5 + k1), y1), (w * (0.5 - k1), y1)], fill=red if i % 2 == 0 else (240, 238, 232))
    d.rectangle((w * 0.28, h * 0.2, w * 0.72, h * 0.23), fill=(40, 40, 44))
    d.rectangle((w * 0.36, h * 0.09, w * 0.64, h * 0.2), fill=(255, 232, 150))
    d.polygon([(w * 0.32, h * 0.09), (w * 0.5, 0), (w * 0.68, h * 0.09)], fill=(40, 40, 44))


def skyline(layer: Image.Image, look: Look) -> None:
    """A city skyline: towers of different heights with lit windows."""
    d, w, h = _d(layer)
    base = look.color or ((40, 44, 60) if look.dark else (120, 130, 150))
    x = 0.0
    while x < w:
        bw = w * look.rng.uniform(0.07, 0.14)
        top = h * look.rng.uniform(0.05, 0.6)
        tone = _mix(base, (255, 255, 255), look.rng.uniform(0.0, 0.15))
        d.rectangle((x, top, max(x, x + bw - max(1, w * 0.004)), h), fill=tone)
        step = max(2.0, bw / 5)
        y = top + step
        while y < h - step:
            for wx in (x + step * 0.6, x + step * 2.2, x + step * 3.6):
                if wx + step * 0.6 < x + bw and look.rng.random() < (0.5 if look.dark else 0.25):
                    d.rectangle((wx, y, wx + step * 0.6, y + step * 0.6), fill=(255, 214, 140) if look.dark else (190, 210, 226))
            y += step * 1.5
        x += bw


def bridge(layer: Image.Image, look: Look) -> None:
    """An arched stone bridge."""
    d, w, h = _d(layer)
    stone = look.color or (150, 140, 124)
    d.rectangle((0, h * 0.2, w, h), fill=stone)
    d.rectangle((0, h * 0.12, w, h * 0.22), fill=_mix(stone, (255, 255, 255), 0.15))
    for x in (0.18, 0.5, 0.82):
        d.chord((w * (x - 0.14), h * 0.45, w * (x + 0.14), h * 1.55), 180, 360, fill=(0, 0, 0, 0))
        d.rectangle((w * (x - 0.14), h - 1, w * (x + 0.14), h), fill=(0, 0, 0, 0))


def castle(layer: Image.Image, look: Look) -> None:
    """A castle: a curtain wall with battlements between two towers with conical roofs."""
    d, w, h = _d(layer)
    stone = look.color or (160, 152, 140)
    d.rectangle((w * 0.15, h * 0.45, w * 0.85, h), fill=stone)
    for i in range(7):
        x = w * (0.17 + i * 0.1)
        d.rectangle((x, h * 0.4, x + w * 0.05, h * 0.46), fill=stone)
    for x in (0.02, 0.78):
        d.rectangle((w * x, h * 0.25, w * (x + 0.2), h), fill=_mix(stone, (0, 0, 0), 0.1))
        d.polygon([(w * (x - 0.02), h * 0.26), (w * (x + 0.1), h * 0.02), (w * (x + 0.22), h * 0.26)], fill=(70, 80, 120))
    d.chord((w * 0.42, h * 0.66, w * 0.58, h * 1.1), 180, 360, fill=(50, 40, 34))
    d.rectangle((w * 0.42, h * 0.88, w * 0.58, h), fill=(50, 40, 34))


def chair(layer: Image.Image, look: Look) -> None:
    """A chair: back, seat and four legs (upholstered for 'velvet', 'armchair', 'sofa')."""
    d, w, h = _d(layer)
    wood = (120, 78, 44)
    cloth = look.color or (150, 40, 60)
    soft = any(k in look.name.lower() for k in ("velvet", "arm", "sofa", "couch"))
    if soft:
        d.rounded_rectangle((w * 0.12, h * 0.05, w * 0.88, h * 0.62), radius=w * 0.12, fill=cloth)
        d.rounded_rectangle((w * 0.04, h * 0.4, w * 0.24, h * 0.82), radius=w * 0.08, fill=_mix(cloth, (0, 0, 0), 0.1))
        d.rounded_rectangle((w * 0.76, h * 0.4, w * 0.96, h * 0.82), radius=w * 0.08, fill=_mix(cloth, (0, 0, 0), 0.1))
        d.rounded_rectangle((w * 0.2, h * 0.55, w * 0.8, h * 0.82), radius=w * 0.06, fill=_mix(cloth, (255, 255, 255), 0.1))
        for x in (0.1, 0.86):
            d.rectangle((w * x, h * 0.82, w * (x + 0.05), h), fill=wood)
        return
    d.rectangle((w * 0.2, 0, w * 0.28, h * 0.6), fill=wood)
    d.rectangle((w * 0.72, 0, w * 0.8, h * 0.6), fill=wood)
    for y in (0.08, 0.22, 0.36):
        d.rectangle((w * 0.2, h * y, w * 0.8, h * (y + 0.06)), fill=wood)
    d.polygon([(w * 0.12, h * 0.56), (w * 0.88, h * 0.56), (w * 0.92, h * 0.64), (w * 0.08, h * 0.64)], fill=_mix(wood, (255, 255, 255), 0.15))
    for x in (0.12, 0.82):
        d.rectangle((w * x, h * 0.64, w * (x + 0.06), h), fill=_mix(wood, (0, 0, 0), 0.15))


def table(layer: Image.Image, look: Look) -> None:
    """A table: a top with a front edge and legs."""
    d, w, h = _d(layer)
    wood = look.color or (140, 92, 54)
    d.polygon([(w * 0.08, h * 0.2), (w * 0.92, h * 0.2), (w, h * 0.34), (0, h * 0.34)], fill=_mix(wood, (255, 255, 255), 0.15))
    d.rectangle((0, h * 0.34, w, h * 0.42), fill=wood)
    for x in (0.04, 0.9):
        d.rectangle((w * x, h * 0.42, w * (x + 0.06), h), fill=_mix(wood, (0, 0, 0), 0.2))


def lamp(layer: Image.Image, look: Look) -> None:
    """A lamp or lantern: a glowing shade on a stand (street lamps: a tall post)."""
    d, w, h = _d(layer)
    metal = (50, 50, 54)
    glow = look.color or (255, 214, 130)
    name = look.name.lower()
    if "street" in name or "post" in name:
        d.rectangle((w * 0.45, h * 0.1, w * 0.55, h), fill=metal)
        d.polygon([(w * 0.25, h * 0.12), (w * 0.75, h * 0.12), (w * 0.62, h * 0.24), (w * 0.38, h * 0.24)], fill=metal)
        d.ellipse((w * 0.36, h * 0.2, w * 0.64, h * 0.3), fill=glow)
        return
    if "lantern" in name:
        d.arc((w * 0.3, 0, w * 0.7, h * 0.3), 180, 360, fill=metal, width=max(1, int(w * 0.04)))
        d.rounded_rectangle((w * 0.14, h * 0.15, w * 0.86, h * 0.95), radius=w * 0.3, fill=glow)
        for x in (0.32, 0.5, 0.68):
            d.line((w * x, h * 0.18, w * x, h * 0.92), fill=_mix(glow, (120, 40, 20), 0.4), width=max(1, int(w * 0.02)))
        return
    d.polygon([(w * 0.25, 0), (w * 0.75, 0), (w * 0.95, h * 0.38), (w * 0.05, h * 0.38)], fill=glow)
    d.rectangle((w * 0.46, h * 0.38, w * 0.54, h * 0.9), fill=metal)
    d.ellipse((w * 0.22, h * 0.86, w * 0.78, h), fill=metal)


def cake(layer: Image.Image, look: Look) -> None:
    """A layer cake (cupcakes: a paper cup and a swirl) on a plate, with candles for birthdays."""
    d, w, h = _d(layer)
    icing = look.color or (246, 214, 226)
    name = look.name.lower()
    if "cupcake" in name or "muffin" in name:
        d.polygon([(w * 0.18, h * 0.5), (w * 0.82, h * 0.5), (w * 0.7, h), (w * 0.3, h)], fill=(220, 120, 140))
        for i, k in enumerate((0.34, 0.26, 0.16)):
            d.ellipse((w * (0.5 - k), h * (0.42 - i * 0.15), w * (0.5 + k), h * (0.62 - i * 0.15)), fill=_mix(icing, (255, 255, 255), 0.1 * i))
        d.ellipse((w * 0.44, h * 0.04, w * 0.56, h * 0.16), fill=(200, 30, 50))
        return
    d.ellipse((0, h * 0.84, w, h), fill=(236, 236, 240))
    sponge = (216, 170, 110)
    d.rectangle((w * 0.1, h * 0.42, w * 0.9, h * 0.9), fill=sponge)
    d.ellipse((w * 0.1, h * 0.82, w * 0.9, h * 0.98), fill=sponge)
    d.rectangle((w * 0.1, h * 0.62, w * 0.9, h * 0.68), fill=icing)
    d.rectangle((w * 0.1, h * 0.36, w * 0.9, h * 0.46), fill=icing)
    d.ellipse((w * 0.1, h * 0.28, w * 0.9, h * 0.44), fill=_mix(icing, (255, 255, 255), 0.2))
    if "birthday" in name or "candle" in name:
        for x in (0.3, 0.42, 0.54, 0.66):
            d.rectangle((w * x, h * 0.16, w * (x + 0.035), h * 0.36), fill=(120, 170, 230))
            d.ellipse((w * (x - 0.01), h * 0.06, w * (x + 0.045), h * 0.16), fill=(255, 200, 80))


def pizza(layer: Image.Image, look: Look) -> None:
    """A pizza seen from above at an angle: crust, sauce, cheese and toppings."""
    d, w, h = _d(layer)
    d.ellipse((0, 0, w, h), fill=(206, 150, 86))
    d.ellipse((w * 0.06, h * 0.08, w * 0.94, h * 0.92), fill=(200, 60, 40))
    d.ellipse((w * 0.1, h * 0.12, w * 0.9, h * 0.88), fill=(246, 206, 110))
    for _ in range(9):
        x, y = look.rng.uniform(0.22, 0.78) * w, look.rng.uniform(0.25, 0.75) * h
        r = w * 0.05
        d.ellipse((x - r, y - r * h / w * 1.5, x + r, y + r * h / w * 1.5), fill=(170, 40, 36))
    for i in range(3):
        a = i * math.pi / 3
        d.line((w / 2 - math.cos(a) * w * 0.44, h / 2 - math.sin(a) * h * 0.44, w / 2 + math.cos(a) * w * 0.44, h / 2 + math.sin(a) * h * 0.44),
               fill=(220, 170, 90), width=max(1, int(w * 0.008)))


def bread(layer: Image.Image, look: Look) -> None:
    """A loaf of bread with scored cuts."""
    d, w, h = _d(layer)
    crust = look.color or (196, 132, 64)
    d.ellipse((0, h * 0.1, w, h), fill=crust)
    d.ellipse((w * 0.06, h * 0.12, w * 0.94, h * 0.7), fill=_mix(crust, (255, 230, 170), 0.25))
    for i in range(4):
        x = w * (0.22 + i * 0.17)
        d.line((x, h * 0.3, x + w * 0.1, h * 0.55), fill=(240, 214, 160), width=max(1, int(h * 0.05)))


def bowl(layer: Image.Image, look: Look) -> None:
    """A bowl (or plate) with food: noodles and toppings in a bowl, round bites on a plate."""
    d, w, h = _d(layer)
    china = look.color or (240, 238, 232)
    name = look.name.lower()
    if any(k in name for k in ("plate", "pancake", "board", "saucer", "platter", "dish")):
        d.ellipse((0, h * 0.45, w, h), fill=_mix(china, (0, 0, 0), 0.12))
        d.ellipse((w * 0.03, h * 0.45, w * 0.97, h * 0.95), fill=china)
        if "pancake" in name:
            for i in range(4):
                y = h * (0.6 - i * 0.09)
                d.ellipse((w * 0.2, y - h * 0.08, w * 0.8, y + h * 0.1), fill=(206, 150, 80) if i % 2 == 0 else (226, 176, 100))
            d.ellipse((w * 0.34, h * 0.22, w * 0.66, h * 0.36), fill=(60, 70, 140))
        else:
            d.ellipse((w * 0.2, h * 0.52, w * 0.8, h * 0.86), fill=_mix(china, (0, 0, 0), 0.05))
        return
    d.chord((0, h * -0.1, w, h), 0, 180, fill=china)
    d.ellipse((0, h * 0.22, w, h * 0.58), fill=_mix(china, (0, 0, 0), 0.1))
    soup = (200, 120, 60) if "ramen" in name or "soup" in name else (230, 120, 110)
    d.ellipse((w * 0.05, h * 0.26, w * 0.95, h * 0.54), fill=soup)
    for _ in range(6):
        x, y = look.rng.uniform(0.2, 0.8) * w, look.rng.uniform(0.3, 0.46) * h
        d.ellipse((x - w * 0.06, y - h * 0.04, x + w * 0.06, y + h * 0.04), fill=_mix(soup, (255, 240, 200), 0.6))


def vase(layer: Image.Image, look: Look) -> None:
    """A vase: a rounded body, narrow neck, flared lip, with a glassy highlight."""
    d, w, h = _d(layer)
    body = look.color or (70, 120, 170)
    d.ellipse((w * 0.05, h * 0.35, w * 0.95, h), fill=body)
    d.rectangle((w * 0.32, h * 0.1, w * 0.68, h * 0.5), fill=body)
    d.ellipse((w * 0.22, h * 0.02, w * 0.78, h * 0.14), fill=_mix(body, (255, 255, 255), 0.2))
    _translucent(layer, "ellipse", (w * 0.2, h * 0.45, w * 0.34, h * 0.85), (255, 255, 255), 70)


def laptop(layer: Image.Image, look: Look) -> None:
    """An open laptop: a screen with a glow above a keyboard base."""
    d, w, h = _d(layer)
    shell = look.color or (190, 192, 198)
    d.rounded_rectangle((w * 0.1, 0, w * 0.9, h * 0.78), radius=w * 0.02, fill=shell)
    d.rectangle((w * 0.13, h * 0.04, w * 0.87, h * 0.74), fill=(30, 60, 110))
    d.rectangle((w * 0.13, h * 0.04, w * 0.87, h * 0.2), fill=(60, 100, 160))
    d.polygon([(w * 0.06, h * 0.8), (w * 0.94, h * 0.8), (w, h), (0, h)], fill=_mix(shell, (255, 255, 255), 0.1))
    d.rectangle((w * 0.4, h * 0.92, w * 0.6, h * 0.97), fill=_mix(shell, (0, 0, 0), 0.1))


def book(layer: Image.Image, look: Look) -> None:
    """A book standing face on: a cover with a spine band (a stack for 'books')."""
    d, w, h = _d(layer)
    cover = look.color or (130, 40, 40)
    name = look.name.lower()
    if name.endswith("books") or "stack" in name:
        colors = [cover, (40, 80, 120), (200, 160, 60), (50, 100, 60)]
        for i in range(4):
            y0 = h * (0.75 - i * 0.24)
            inset = w * 0.04 * (i % 2)
            d.rectangle((inset, y0, w - inset * 2, y0 + h * 0.22), fill=colors[i])
            d.rectangle((inset, y0 + h * 0.02, w * 0.1, y0 + h * 0.2), fill=(240, 232, 214))
        return
    d.rectangle((0, 0, w, h), fill=cover)
    d.rectangle((0, 0, w * 0.1, h), fill=_mix(cover, (0, 0, 0), 0.25))
    d.rectangle((w * 0.96, h * 0.02, w, h * 0.98), fill=(240, 232, 214))


def bookshelf(layer: Image.Image, look: Look) -> None:
    """A bookshelf: a wooden case with shelves of books."""
    d, w, h = _d(layer)
    wood = look.color or (120, 78, 44)
    d.rectangle((0, 0, w, h), fill=wood)
    rows = 4
    for r in range(rows):
        y0, y1 = h * (0.04 + r * 0.24), h * (0.04 + r * 0.24 + 0.2)
        d.rectangle((w * 0.05, y0, w * 0.95, y1), fill=_mix(wood, (0, 0, 0), 0.45))
        x = w * 0.06
        while x < w * 0.9:
            bw = w * look.rng.uniform(0.04, 0.08)
            top = y0 + (y1 - y0) * look.rng.uniform(0.05, 0.3)
            d.rectangle((x, top, x + bw, y1), fill=tuple(int(c) for c in look.rng.integers(60, 220, 3)))
            x += bw + w * 0.005


def sky_body(layer: Image.Image, look: Look) -> None:
    """The moon (a disc with maria), a rainbow (bands of an arc) or a cloud."""
    d, w, h = _d(layer)
    name = look.name.lower()
    if "rainbow" in name:
        bands = [(220, 50, 50), (240, 140, 40), (240, 220, 60), (70, 170, 70), (60, 110, 210), (110, 60, 170)]
        for i, c in enumerate(bands):
            k = i * 0.035
            d.ellipse((w * k, h * k * 2, w * (1 - k), h * (2 - k * 2)), fill=c)
        k = len(bands) * 0.035
        d.ellipse((w * k, h * k * 2, w * (1 - k), h * (2 - k * 2)), fill=(0, 0, 0, 0))
        return
    if "moon" in name:
        d.ellipse((0, 0, w, h), fill=look.color or (242, 240, 226))
        for x, y, r in ((0.35, 0.35, 0.12), (0.6, 0.55, 0.16), (0.4, 0.7, 0.08)):
            d.ellipse((w * (x - r), h * (y - r), w * (x + r), h * (y + r)), fill=(214, 212, 200))
        return
    for x, y, r in ((0.3, 0.6, 0.25), (0.55, 0.45, 0.3), (0.75, 0.62, 0.22)):
        d.ellipse((w * (x - r), h * (y - r), w * (x + r), h * (y + r)), fill=(246, 246, 250))


def water_feature(layer: Image.Image, look: Look) -> None:
    """A pond or puddle (an elliptical pool with ripples) or a waterfall (falling streaks)."""
    d, w, h = _d(layer)
    blue = look.color or (60, 130, 180)
    if "fall" in look.name.lower():
        d.rectangle((w * 0.2, 0, w * 0.8, h * 0.85), fill=_mix(blue, (255, 255, 255), 0.5))
        for i in range(12):
            x = w * (0.22 + i * 0.05)
            d.line((x, 0, x, h * 0.85), fill=(250, 252, 255), width=max(1, int(w * 0.01)))
        d.ellipse((0, h * 0.72, w, h), fill=_mix(blue, (255, 255, 255), 0.7))
        return
    d.ellipse((0, h * 0.2, w, h), fill=blue)
    for k in (0.15, 0.3):
        d.ellipse((w * k, h * (0.2 + k * 0.8), w * (1 - k), h * (1 - k * 0.8)), outline=_mix(blue, (255, 255, 255), 0.35), width=max(1, int(h * 0.02)))


POSTER = (200, 60, 50)  # a printed poster: a bold red sheet


def sign(layer: Image.Image, look: Look) -> None:
    """A sign board: a framed panel (chalkboard, poster, wooden shop sign) with two mounting bolts;
    a red octagon for a stop sign. Text goes inside `compose.board_inner`."""
    d, w, h = _d(layer)
    name = look.name.lower()
    if "stop" in name:
        pts = [(w / 2 + w / 2 * math.cos(math.pi / 8 + i * math.pi / 4), h / 2 + h / 2 * math.sin(math.pi / 8 + i * math.pi / 4)) for i in range(8)]
        d.polygon(pts, fill=(245, 245, 245))
        inner = [(w / 2 + (x - w / 2) * 0.92, h / 2 + (y - h / 2) * 0.92) for x, y in pts]
        d.polygon(inner, fill=look.color or (196, 30, 36))
        return
    if "chalk" in name or "black" in name:
        frame, panel = (120, 82, 48), (38, 48, 44)
    elif any(k in name for k in ("poster", "paper", "card", "note", "sticker", "newspaper", "book")):
        frame, panel = (40, 40, 44), look.color or (POSTER if "poster" in name else (244, 238, 222))
    elif "white" in name or "billboard" in name:
        frame, panel = (70, 72, 78), (246, 246, 244)
    else:  # a painted shop sign
        frame, panel = (96, 62, 36), look.color or (28, 52, 66)
    fw = min(w, h) * 0.06
    d.rounded_rectangle((0, 0, w, h), radius=fw, fill=frame)
    d.rectangle((fw, fw, w - fw, h - fw), fill=panel)
    _translucent(layer, "rectangle", (fw, fw, w - fw, fw + (h - 2 * fw) * 0.35), (255, 255, 255), 12)
    for x in (fw / 2, w - fw / 2):
        d.ellipse((x - fw * 0.25, h / 2 - fw * 0.25, x + fw * 0.25, h / 2 + fw * 0.25), fill=(200, 200, 204))


def bird(layer: Image.Image, look: Look) -> None:
    """A bird in profile: a swan or duck afloat (long or short neck), or a perched bird with legs."""
    d, w, h = _d(layer)
    name = look.name.lower()
    colors = {"swan": (244, 244, 240), "duck": (120, 100, 70), "eagle": (96, 66, 40), "owl": (150, 120, 90), "parrot": (40, 160, 70),
              "heron": (170, 176, 186), "penguin": (30, 30, 36), "crow": (30, 30, 34), "flamingo": (240, 140, 160)}
    body = look.color or next((c for k, c in colors.items() if k in name), (140, 110, 80))
    beak = (240, 150, 40)
    afloat = any(k in name for k in ("swan", "duck", "goose"))
    if afloat:
        d.ellipse((w * 0.05, h * 0.45, w * 0.8, h * 0.95), fill=body)
        d.polygon([(w * 0.05, h * 0.6), (0, h * 0.42), (w * 0.2, h * 0.55)], fill=body)
        neck = max(2, int(w * 0.07))
        top = h * (0.08 if "swan" in name else 0.3)
        d.line((w * 0.7, h * 0.62, w * 0.8, h * 0.4, w * 0.76, top + h * 0.08), fill=body, width=neck, joint="curve")
        d.ellipse((w * 0.7, top, w * 0.86, top + h * 0.14), fill=body)
        d.polygon([(w * 0.85, top + h * 0.05), (w, top + h * 0.1), (w * 0.85, top + h * 0.11)], fill=beak)
        d.ellipse((w * 0.79, top + h * 0.04, w * 0.81, top + h * 0.06), fill=(20, 20, 20))
        d.chord((w * 0.2, h * 0.5, w * 0.7, h * 0.85), 180, 360, fill=_mix(body, (0, 0, 0), 0.08))
        return
    for x in (0.42, 0.52):
        d.line((w * x, h * 0.75, w * x, h), fill=(90, 70, 50), width=max(1, int(w * 0.025)))
    d.ellipse((w * 0.2, h * 0.3, w * 0.7, h * 0.8), fill=body)
    d.polygon([(w * 0.25, h * 0.65), (0, h * 0.85), (w * 0.3, h * 0.75)], fill=_mix(body, (0, 0, 0), 0.2))
    d.ellipse((w * 0.5, h * 0.12, w * 0.82, h * 0.44), fill=body)
    d.polygon([(w * 0.8, h * 0.24), (w, h * 0.3), (w * 0.8, h * 0.34)], fill=beak)
    d.ellipse((w * 0.68, h * 0.22, w * 0.72, h * 0.26), fill=(20, 20, 20))
    d.chord((w * 0.22, h * 0.38, w * 0.64, h * 0.74), 200, 360, fill=_mix(body, (0, 0, 0), 0.2))


def handbag(layer: Image.Image, look: Look) -> None:
    """A handbag (or backpack): a trapezoid body with a flap, clasp and handle."""
    d, w, h = _d(layer)
    leather = look.color or (120, 64, 40)
    d.arc((w * 0.28, 0, w * 0.72, h * 0.6), 180, 360, fill=_mix(leather, (0, 0, 0), 0.2), width=max(2, int(w * 0.05)))
    d.polygon([(w * 0.12, h * 0.3), (w * 0.88, h * 0.3), (w, h), (0, h)], fill=leather)
    d.polygon([(w * 0.12, h * 0.3), (w * 0.88, h * 0.3), (w * 0.82, h * 0.6), (w * 0.18, h * 0.6)], fill=_mix(leather, (255, 255, 255), 0.1))
    d.rounded_rectangle((w * 0.44, h * 0.54, w * 0.56, h * 0.66), radius=w * 0.02, fill=(212, 175, 55))


def fireplace(layer: Image.Image, look: Look) -> None:
    """A fireplace: a stone surround, a mantel, a dark firebox with flames."""
    d, w, h = _d(layer)
    stone = look.color or (150, 130, 116)
    d.rectangle((0, h * 0.1, w, h), fill=stone)
    d.rectangle((-1, 0, w + 1, h * 0.12), fill=(110, 72, 44))
    d.rectangle((w * 0.2, h * 0.35, w * 0.8, h), fill=(30, 22, 20))
    for x, k in ((0.35, 0.5), (0.5, 0.62), (0.65, 0.48)):
        d.polygon([(w * (x - 0.1), h * 0.95), (w * x, h * (0.95 - k * 0.7)), (w * (x + 0.1), h * 0.95)], fill=(250, 150, 40))
        d.polygon([(w * (x - 0.05), h * 0.95), (w * x, h * (0.95 - k * 0.4)), (w * (x + 0.05), h * 0.95)], fill=(255, 230, 120))


def sandcastle(layer: Image.Image, look: Look) -> None:
    """A sandcastle: a mound with three towers and battlements."""
    d, w, h = _d(layer)
    sand = look.color or (222, 190, 130)
    d.chord((0, h * 0.6, w, h * 1.4), 180, 360, fill=_mix(sand, (0, 0, 0), 0.1))
    for x, top, half in ((0.25, 0.35, 0.12), (0.5, 0.1, 0.15), (0.75, 0.35, 0.12)):
        d.rectangle((w * (x - half), h * top, w * (x + half), h * 0.85), fill=sand)
        for k in (-1, 0, 1):
            d.rectangle((w * (x + k * half * 0.66 - half * 0.2), h * (top - 0.06), w * (x + k * half * 0.66 + half * 0.2), h * top), fill=sand)


def statue(layer: Image.Image, look: Look) -> None:
    """A statue: a stone figure (head, robed body) on a plinth."""
    d, w, h = _d(layer)
    stone = look.color or (226, 222, 214)
    d.rectangle((w * 0.15, h * 0.82, w * 0.85, h), fill=_mix(stone, (0, 0, 0), 0.15))
    d.polygon([(w * 0.3, h * 0.3), (w * 0.7, h * 0.3), (w * 0.78, h * 0.82), (w * 0.22, h * 0.82)], fill=stone)
    d.ellipse((w * 0.38, h * 0.06, w * 0.62, h * 0.3), fill=stone)
    d.line((w * 0.62, h * 0.35, w * 0.8, h * 0.2), fill=stone, width=max(2, int(w * 0.07)))
    for x in (0.4, 0.5, 0.6):
        d.line((w * x, h * 0.4, w * (x + 0.03), h * 0.8), fill=_mix(stone, (0, 0, 0), 0.12), width=max(1, int(w * 0.012)))


def posts(layer: Image.Image, look: Look) -> None:
    """The two posts a free-standing sign board stands on."""
    d, w, h = _d(layer)
    wood = (70, 50, 34)
    for x in (0.12, 0.82):
        d.rectangle((w * x, 0, w * (x + 0.06), h), fill=wood)
        d.rectangle((w * (x + 0.04), 0, w * (x + 0.06), h), fill=_mix(wood, (0, 0, 0), 0.3))


Painter = Callable[[Image.Image, Look], None]
# (kind or "*", words any of which the name holds) -> painter, box aspect (width / height)
NAMED: tuple[tuple[str, tuple[str, ...], Painter, float], ...] = (
    ("flower", ("plant", "potted", "fern", "monstera"), potted_plant, 0.8),
    ("tree", ("cactus",), potted_plant, 0.8),
    ("car", ("sailboat", "boat", "ship", "kayak", "gondola", "yacht"), boat, 1.3),
    ("car", ("bicycle", "bike", "motorcycle"), bicycle, 1.7),
    ("car", ("truck", "van", "bus"), truck, 1.9),
    ("car", ("train",), train, 3.0),
    ("car", ("airplane", "plane", "helicopter"), plane, 2.0),
    ("car", ("balloon",), balloon, 0.8),
    ("building", ("lighthouse",), lighthouse, 0.45),
    ("building", ("skyline",), skyline, 2.4),
    ("building", ("bridge",), bridge, 2.6),
    ("building", ("castle",), castle, 1.3),
    ("sky", ("rainbow",), sky_body, 2.0),
    ("sky", ("",), sky_body, 1.0),
    ("water", ("",), water_feature, 1.8),
    ("sign", ("posts",), posts, 1.0),
    ("sign", ("",), sign, 1.6),
    ("animal", ("swan", "duck", "goose", "bird", "eagle", "owl", "parrot", "heron", "penguin", "crow", "flamingo", "seagull", "pigeon", "crane", "stork"), bird, 1.0),
    ("object", ("bookshel", "bookcase"), bookshelf, 0.75),
    ("object", ("handbag", "bag", "backpack", "purse"), handbag, 1.1),
    ("object", ("fireplace",), fireplace, 1.2),
    ("object", ("sandcastle",), sandcastle, 1.3),
    ("object", ("statue", "sculpture"), statue, 0.6),
    ("object", ("chair", "sofa", "couch", "armchair"), chair, 0.85),
    ("object", ("table", "desk"), table, 1.6),
    ("object", ("lamp", "lantern", "chandelier"), lamp, 0.6),
    ("object", ("cake", "muffin"), cake, 1.0),
    ("object", ("pizza",), pizza, 1.5),
    ("object", ("bread", "loaf", "croissant"), bread, 1.6),
    ("object", ("bowl", "ramen", "soup", "plate", "pancake"), bowl, 1.5),
    ("object", ("vase",), vase, 0.7),
    ("object", ("laptop", "computer"), laptop, 1.4),
    ("object", ("book",), book, 0.72),
    ("object", ("poster", "chalkboard", "blackboard", "whiteboard", "billboard", "banner"), sign, 1.6),
)


THINGS = frozenset({"food", "furniture"})  # planned kinds with no drawing of their own: looked up as objects


@functools.lru_cache(maxsize=4096)  # scanning every table costs ~0.3 ms and a render asks for each subject several times
def named(kind: str, name: str) -> tuple[Painter, float] | None:
    """The painter (and aspect) for a subject of `kind` called `name`, when one is more specific."""
    lowered = name.lower()
    kind = "object" if kind in THINGS else kind
    if kind in ("animal", "object"):
        from imagegate.render.creatures import named as creature

        found = creature(lowered)
        if found is not None:
            return found
    if kind in ("object", "animal"):  # a teddy bear is planned as an animal
        from imagegate.render.objects import named as thing

        found = thing(lowered)
        if found is not None and not (kind == "animal" and "crane" in lowered):  # a crane planned as an animal is the bird
            return found
    for k, words, painter, aspect in NAMED:
        if k == kind and any(word in lowered for word in words):
            return painter, aspect
    return None
