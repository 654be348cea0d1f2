"""Everyday objects that used to fall back to a rounded box: jars and cans, boxes and gifts,
baskets, guitars and violins, umbrellas, clocks, candles, shoes, hats, teapots and kettles,
wine glasses, cameras, headphones, telescopes, teddy bears, a fire, gems, tents, benches,
keys, doors, windows, buckets and fire hydrants.

Same contract as `subjects`: a painter draws into a premultiplied layer in its own pixel units
from a `Look`; `NAMED` maps words in an object's name to a painter and its box aspect
(width / height). The plan's colour, when it gives one, paints the main part.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PIL import Image, ImageDraw

from imagegate.plan import RGB
from imagegate.render.subjects import Look, _mix, _translucent, named_color

DARK: RGB = (34, 32, 34)
GLASS: RGB = (210, 228, 236)


def _d(layer: Image.Image) -> tuple[ImageDraw.ImageDraw, int, int]:
    return ImageDraw.Draw(layer), layer.width, layer.height


def jar(layer: Image.Image, look: Look) -> None:
    """A glass jar with a metal lid and what it holds (jars); a tin can with a label (cans, tins)."""
    d, w, h = _d(layer)
    name = look.name.lower()
    if any(k in name for k in ("can", "tin")):
        body = look.color or (200, 40, 40)
        d.rounded_rectangle((w * 0.1, h * 0.04, w * 0.9, h), radius=w * 0.1, fill=(196, 198, 204))
        d.rectangle((w * 0.1, h * 0.18, w * 0.9, h * 0.86), fill=body)
        d.rectangle((w * 0.1, h * 0.44, w * 0.9, h * 0.56), fill=_mix(body, (255, 255, 255), 0.6))
        return
    content = named_color(look, {"honey": (230, 160, 30), "jam": (170, 30, 50), "pickle": (110, 140, 50), "cookie": (190, 140, 80),
                                            "coin": (220, 180, 60), "candy": (230, 90, 140), "firefl": (250, 230, 120)}, (120, 150, 60))
    d.rounded_rectangle((w * 0.06, h * 0.14, w * 0.94, h), radius=w * 0.16, fill=_mix(GLASS, content, 0.15))
    d.rounded_rectangle((w * 0.12, h * 0.34, w * 0.88, h * 0.96), radius=w * 0.12, fill=content)
    d.rectangle((w * 0.14, 0, w * 0.86, h * 0.15), fill=(186, 170, 120))
    _translucent(layer, "rounded_rectangle", (w * 0.16, h * 0.2, w * 0.28, h * 0.9), (255, 255, 255), 70, w * 0.05)


def box(layer: Image.Image, look: Look) -> None:
    """A box in three-quarter view: a gift with a ribbon and bow, a wooden crate, or a cardboard box."""
    d, w, h = _d(layer)
    name = look.name.lower()
    gift = any(k in name for k in ("gift", "present"))
    face = look.color or ((200, 40, 60) if gift else (150, 104, 62) if "crate" in name else (196, 156, 106))
    top = _mix(face, (255, 255, 255), 0.22)
    side = _mix(face, (0, 0, 0), 0.2)
    d.polygon([(0, h * 0.25), (w * 0.62, h * 0.25), (w * 0.62, h), (0, h)], fill=face)
    d.polygon([(w * 0.62, h * 0.25), (w, h * 0.05), (w, h * 0.8), (w * 0.62, h)], fill=side)
    d.polygon([(0, h * 0.25), (w * 0.38, h * 0.05), (w, h * 0.05), (w * 0.62, h * 0.25)], fill=top)
    if gift:
        ribbon = (246, 210, 70)
        d.rectangle((w * 0.27, h * 0.25, w * 0.35, h), fill=ribbon)
        d.polygon([(w * 0.27, h * 0.25), (w * 0.65, h * 0.05), (w * 0.73, h * 0.05), (w * 0.35, h * 0.25)], fill=ribbon)
        for sign in (-1, 1):
            d.ellipse((w * (0.5 + sign * 0.12) - w * 0.1, 0, w * (0.5 + sign * 0.12) + w * 0.1, h * 0.16), fill=ribbon)
    elif "crate" in name:
        for y in (0.5, 0.75):
            d.line((0, h * y, w * 0.62, h * y), fill=side, width=max(1, int(h * 0.02)))
    else:
        d.line((w * 0.19, h * 0.15, w * 0.81, h * 0.15), fill=_mix(face, (0, 0, 0), 0.3), width=max(1, int(h * 0.015)))


def basket(layer: Image.Image, look: Look) -> None:
    """A woven basket with a handle."""
    d, w, h = _d(layer)
    cane = look.color or (186, 140, 80)
    lw = max(1, int(w * 0.04))
    d.arc((w * 0.18, 0, w * 0.82, h * 0.9), 180, 360, fill=_mix(cane, (0, 0, 0), 0.15), width=lw)
    d.polygon([(0, h * 0.42), (w, h * 0.42), (w * 0.84, h), (w * 0.16, h)], fill=cane)
    for i in range(1, 6):
        y = h * (0.42 + i * 0.1)
        d.line((w * 0.02 + i * w * 0.03, y, w * 0.98 - i * w * 0.03, y), fill=_mix(cane, (0, 0, 0), 0.22), width=max(1, lw // 2))
    d.rectangle((0, h * 0.38, w, h * 0.46), fill=_mix(cane, (0, 0, 0), 0.1))


def guitar(layer: Image.Image, look: Look) -> None:
    """A guitar or violin standing: a figure-eight body with a sound hole, a neck and a headstock."""
    d, w, h = _d(layer)
    body = named_color(look, {"violin": (150, 60, 24), "cello": (140, 56, 24), "electric": (200, 30, 40)}, (176, 96, 40))
    d.rectangle((w * 0.44, h * 0.06, w * 0.56, h * 0.55), fill=(70, 44, 26))  # neck
    d.rounded_rectangle((w * 0.38, 0, w * 0.62, h * 0.1), radius=w * 0.04, fill=(60, 38, 22))
    d.ellipse((w * 0.2, h * 0.42, w * 0.8, h * 0.72), fill=body)
    d.ellipse((w * 0.08, h * 0.6, w * 0.92, h), fill=body)
    d.ellipse((w * 0.4, h * 0.6, w * 0.6, h * 0.72), fill=DARK)
    for x in (0.47, 0.5, 0.53):
        d.line((w * x, h * 0.05, w * x, h * 0.88), fill=(230, 226, 210), width=1)
    d.rectangle((w * 0.36, h * 0.86, w * 0.64, h * 0.9), fill=(50, 32, 20))


def umbrella(layer: Image.Image, look: Look) -> None:
    """An open umbrella: a scalloped canopy, a shaft and a hooked handle."""
    d, w, h = _d(layer)
    canopy = look.color or (200, 40, 50)
    d.line((w / 2, h * 0.1, w / 2, h * 0.9), fill=DARK, width=max(1, int(w * 0.02)))
    d.arc((w * 0.5, h * 0.82, w * 0.62, h * 0.98), 0, 180, fill=DARK, width=max(1, int(w * 0.02)))
    d.pieslice((0, h * 0.04, w, h * 0.9), 180, 360, fill=canopy)
    for i in range(4):
        x0 = w * i / 4
        d.ellipse((x0, h * 0.38, x0 + w / 4, h * 0.56), fill=(0, 0, 0, 0))
    for i in range(1, 4):
        d.line((w / 2, h * 0.05, w * i / 4, h * 0.47), fill=_mix(canopy, (0, 0, 0), 0.25), width=max(1, int(w * 0.01)))


def clock(layer: Image.Image, look: Look) -> None:
    """A round wall clock (or an alarm clock with bells and feet)."""
    d, w, h = _d(layer)
    rim = look.color or (60, 60, 66)
    alarm = "alarm" in look.name.lower()
    if alarm:
        for sign in (-1, 1):
            cx = w / 2 + sign * w * 0.28
            d.ellipse((cx - w * 0.14, 0, cx + w * 0.14, h * 0.24), fill=rim)
            d.line((w / 2 + sign * w * 0.2, h * 0.85, w / 2 + sign * w * 0.32, h), fill=rim, width=max(1, int(w * 0.04)))
    top = h * (0.1 if alarm else 0.0)
    size = min(w, h - top) * (0.9 if alarm else 1.0)
    x0, y0 = (w - size) / 2, top
    d.ellipse((x0, y0, x0 + size, y0 + size), fill=rim)
    m = size * 0.08
    d.ellipse((x0 + m, y0 + m, x0 + size - m, y0 + size - m), fill=(246, 244, 236))
    cx, cy = x0 + size / 2, y0 + size / 2
    for i in range(12):
        a = i / 12 * math.tau
        r0, r1 = size * 0.34, size * 0.4
        d.line((cx + r0 * math.sin(a), cy - r0 * math.cos(a), cx + r1 * math.sin(a), cy - r1 * math.cos(a)), fill=DARK, width=max(1, int(size * 0.02)))
    d.line((cx, cy, cx + size * 0.2, cy - size * 0.12), fill=DARK, width=max(1, int(size * 0.035)))
    d.line((cx, cy, cx - size * 0.06, cy - size * 0.3), fill=DARK, width=max(1, int(size * 0.025)))


def candle(layer: Image.Image, look: Look) -> None:
    """A lit candle: a wax pillar, a wick, a flame with a soft halo."""
    d, w, h = _d(layer)
    wax = look.color or (244, 236, 216)
    _translucent(layer, "ellipse", (0, 0, w, h * 0.5), (255, 200, 110), 70)
    d.rectangle((w * 0.28, h * 0.36, w * 0.72, h), fill=wax)
    d.ellipse((w * 0.28, h * 0.32, w * 0.72, h * 0.4), fill=_mix(wax, (255, 255, 255), 0.3))
    d.line((w / 2, h * 0.3, w / 2, h * 0.36), fill=DARK, width=max(1, int(w * 0.03)))
    d.ellipse((w * 0.4, h * 0.1, w * 0.6, h * 0.32), fill=(250, 170, 40))
    d.ellipse((w * 0.45, h * 0.18, w * 0.55, h * 0.3), fill=(255, 240, 180))


def fire(layer: Image.Image, look: Look) -> None:
    """Flames over a few logs (a campfire, a bonfire) or a single flame."""
    d, w, h = _d(layer)
    logs = any(k in look.name.lower() for k in ("camp", "bonfire", "log"))
    base = h * (0.82 if logs else 1.0)
    for color, k in (((230, 70, 30), 1.0), ((250, 150, 40), 0.7), ((255, 226, 120), 0.4)):
        for i in range(3 if logs else 1):
            cx = w * (0.5 + (i - 1) * 0.2 * k) if logs else w / 2
            top = h * (1 - k * (0.9 if i == 1 or not logs else 0.7))
            half = w * 0.22 * k * (1.0 if logs else 1.6)
            d.polygon([(cx - half, base), (cx - half * 0.6, (top + base) / 2), (cx, top), (cx + half * 0.6, (top + base) / 2), (cx + half, base)], fill=color)
    if logs:
        for a in (-0.25, 0.25):
            x0, x1 = w * (0.5 - 0.45 * math.cos(a)), w * (0.5 + 0.45 * math.cos(a))
            d.line((x0, h * 0.9 - w * 0.1 * math.sin(a), x1, h * 0.9 + w * 0.1 * math.sin(a)), fill=(96, 60, 34), width=max(2, int(h * 0.1)))


def shoe(layer: Image.Image, look: Look) -> None:
    """A shoe in profile in the lower part of its box: a sneaker (a side stripe, laces, a sole
    that contrasts with the upper) or a boot (the whole height)."""
    d, w, full = _d(layer)
    name = look.name.lower()
    upper = look.color or ((60, 80, 160) if "sneaker" in name or "trainer" in name else (110, 70, 40))
    boot = "boot" in name
    top = 0.0 if boot else 0.45 * full
    h = full - top

    def y(v: float) -> float:
        return top + v * h

    light = sum(upper) > 600
    trim = _mix(upper, (0, 0, 0), 0.35) if light else (240, 240, 240)
    if boot:
        d.polygon([(w * 0.1, y(0)), (w * 0.46, y(0)), (w * 0.5, y(0.6)), (w * 0.95, y(0.72)), (w, y(0.9)), (w * 0.1, y(0.9))], fill=upper)
    else:
        d.polygon([(0, y(0.4)), (w * 0.3, y(0.2)), (w * 0.5, y(0.35)), (w * 0.9, y(0.55)), (w, y(0.8)), (0, y(0.8))], fill=upper)
        d.line((w * 0.08, y(0.72), w * 0.4, y(0.48), w * 0.8, y(0.7)), fill=look.accent if light else trim, width=max(1, int(h * 0.08)))
        d.polygon([(0, y(0.4)), (w * 0.08, y(0.36)), (w * 0.1, y(0.8)), (0, y(0.8))], fill=_mix(upper, (0, 0, 0), 0.2))  # heel
        for i in range(4):
            x = w * (0.3 + i * 0.06)
            d.line((x, y(0.28 + i * 0.04), x + w * 0.06, y(0.36 + i * 0.04)), fill=trim, width=max(1, int(h * 0.035)))
    sole = DARK if boot else ((60, 58, 60) if light else (240, 238, 232))
    d.rounded_rectangle((0, y(0.78), w, full), radius=h * 0.08, fill=sole)


def hat(layer: Image.Image, look: Look) -> None:
    """A hat: a crown and a brim (a top hat taller, a cap with a visor)."""
    d, w, h = _d(layer)
    felt = look.color or (60, 50, 44)
    band = _mix(felt, (200, 40, 40), 0.6)
    if "cap" in look.name.lower():
        d.chord((w * 0.1, h * 0.1, w * 0.8, h * 1.3), 180, 360, fill=felt)
        d.polygon([(w * 0.7, h * 0.62), (w, h * 0.7), (w * 0.96, h * 0.78), (w * 0.66, h * 0.72)], fill=_mix(felt, (0, 0, 0), 0.2))
        return
    top = h * (0.0 if "top hat" in look.name.lower() else 0.25)
    d.rounded_rectangle((w * 0.24, top, w * 0.76, h * 0.8), radius=w * 0.08, fill=felt)
    d.rectangle((w * 0.24, h * 0.62, w * 0.76, h * 0.72), fill=band)
    d.ellipse((0, h * 0.72, w, h), fill=_mix(felt, (0, 0, 0), 0.12))


def teapot(layer: Image.Image, look: Look) -> None:
    """A teapot or kettle: a round body, a spout, a handle and a lid with a knob."""
    d, w, h = _d(layer)
    body = named_color(look, {"kettle": (190, 196, 204), "copper": (190, 110, 60)}, (236, 234, 228))
    lw = max(2, int(w * 0.05))
    d.arc((w * 0.62, h * 0.3, w * 0.98, h * 0.8), 270, 90, fill=body, width=lw)
    d.polygon([(w * 0.2, h * 0.6), (0, h * 0.22), (w * 0.06, h * 0.2), (w * 0.3, h * 0.5)], fill=body)
    d.ellipse((w * 0.14, h * 0.28, w * 0.86, h), fill=body)
    d.ellipse((w * 0.34, h * 0.2, w * 0.66, h * 0.34), fill=_mix(body, (0, 0, 0), 0.1))
    d.ellipse((w * 0.45, h * 0.1, w * 0.55, h * 0.22), fill=_mix(body, (0, 0, 0), 0.2))


def wine_glass(layer: Image.Image, look: Look) -> None:
    """A stemmed glass (wine, cocktail, champagne) with its drink."""
    d, w, h = _d(layer)
    drink = named_color(look, {"white wine": (236, 214, 140), "champagne": (240, 220, 150), "martini": (220, 230, 200),
                                         "cocktail": (240, 120, 80), "water": (200, 226, 240)}, (130, 20, 40))
    _translucent(layer, "chord", (w * 0.08, -h * 0.5, w * 0.92, h * 0.56), GLASS, 110, 0, 180)
    d.chord((w * 0.14, -h * 0.3, w * 0.86, h * 0.52), 0, 180, fill=drink)
    d.rectangle((w * 0.47, h * 0.54, w * 0.53, h * 0.94), fill=GLASS)
    d.ellipse((w * 0.2, h * 0.9, w * 0.8, h), fill=GLASS)


def camera(layer: Image.Image, look: Look) -> None:
    """A camera: a body with a raised viewfinder, a lens barrel and a flash."""
    d, w, h = _d(layer)
    body = look.color or DARK
    d.rounded_rectangle((w * 0.3, h * 0.06, w * 0.6, h * 0.3), radius=w * 0.03, fill=body)
    d.rounded_rectangle((0, h * 0.2, w, h), radius=w * 0.06, fill=body)
    d.rectangle((0, h * 0.34, w, h * 0.5), fill=(160, 160, 166))
    d.ellipse((w * 0.26, h * 0.3, w * 0.74, h * 0.94), fill=(80, 80, 86))
    d.ellipse((w * 0.34, h * 0.42, w * 0.66, h * 0.82), fill=(30, 40, 60))
    _translucent(layer, "ellipse", (w * 0.4, h * 0.48, w * 0.5, h * 0.6), (255, 255, 255), 110)
    d.rectangle((w * 0.78, h * 0.26, w * 0.92, h * 0.34), fill=(230, 230, 230))


def headphones(layer: Image.Image, look: Look) -> None:
    """Over-ear headphones: a headband arc and two cushioned cups."""
    d, w, h = _d(layer)
    shell = look.color or (40, 40, 46)
    d.arc((w * 0.08, 0, w * 0.92, h * 1.2), 180, 360, fill=shell, width=max(2, int(w * 0.07)))
    for x in (0.0, 0.7):
        d.rounded_rectangle((w * x, h * 0.5, w * (x + 0.3), h), radius=w * 0.1, fill=shell)
        d.rounded_rectangle((w * (x + 0.06), h * 0.58, w * (x + 0.24), h * 0.92), radius=w * 0.06, fill=_mix(shell, (255, 255, 255), 0.15))


def telescope(layer: Image.Image, look: Look) -> None:
    """A telescope on a tripod: a tapered tube pointing up, three legs."""
    d, w, h = _d(layer)
    tube = named_color(look, {"brass": (196, 156, 70), "white": (236, 236, 236)}, (190, 150, 70))
    legs = (70, 56, 44)
    lw = max(1, int(w * 0.03))
    for x in (0.2, 0.5, 0.8):
        d.line((w * 0.5, h * 0.55, w * x, h), fill=legs, width=lw)
    d.polygon([(w * 0.1, h * 0.42), (w * 0.86, h * 0.06), (w * 0.94, h * 0.2), (w * 0.18, h * 0.6)], fill=tube)
    d.polygon([(w * 0.8, h * 0.04), (w * 0.98, -h * 0.02), (w, h * 0.14), (w * 0.9, h * 0.24)], fill=_mix(tube, (0, 0, 0), 0.2))


def teddy_bear(layer: Image.Image, look: Look) -> None:
    """A sitting teddy bear: round head and ears, a muzzle, a body, arms and legs with pads."""
    d, w, h = _d(layer)
    fur = look.color or (170, 116, 70)
    pad = _mix(fur, (255, 240, 220), 0.5)
    for x in (0.16, 0.84):
        d.ellipse((w * x - w * 0.14, h * 0.8, w * x + w * 0.14, h), fill=fur)
        d.ellipse((w * x - w * 0.08, h * 0.84, w * x + w * 0.08, h * 0.97), fill=pad)
    d.ellipse((w * 0.2, h * 0.42, w * 0.8, h * 0.96), fill=fur)
    d.ellipse((w * 0.32, h * 0.56, w * 0.68, h * 0.88), fill=pad)
    for x in (0.22, 0.78):
        d.ellipse((w * x - w * 0.09, h * 0.02, w * x + w * 0.09, h * 0.18), fill=fur)
    d.ellipse((w * 0.22, h * 0.04, w * 0.78, h * 0.5), fill=fur)
    d.ellipse((w * 0.38, h * 0.26, w * 0.62, h * 0.44), fill=pad)
    d.ellipse((w * 0.46, h * 0.28, w * 0.54, h * 0.34), fill=DARK)
    for x in (0.38, 0.62):
        d.ellipse((w * x - w * 0.03, h * 0.18, w * x + w * 0.03, h * 0.23), fill=DARK)


def gem(layer: Image.Image, look: Look) -> None:
    """A cut gem or crystal: a faceted crown over a pointed pavilion."""
    d, w, h = _d(layer)
    stone = named_color(look, {"ruby": (200, 20, 50), "emerald": (30, 170, 90), "amethyst": (150, 80, 200),
                                           "sapphire": (40, 70, 200), "diamond": (220, 236, 246), "crystal": (190, 170, 240)}, (120, 200, 230))
    crown = [(w * 0.2, 0), (w * 0.8, 0), (w, h * 0.3), (0, h * 0.3)]
    d.polygon(crown, fill=_mix(stone, (255, 255, 255), 0.3))
    d.polygon([(0, h * 0.3), (w, h * 0.3), (w / 2, h)], fill=stone)
    for x in (0.2, 0.5, 0.8):
        d.line((w * x, h * 0.3, w / 2, h), fill=_mix(stone, (0, 0, 0), 0.25), width=max(1, int(w * 0.015)))
    d.polygon([(w * 0.35, 0), (w * 0.65, 0), (w * 0.58, h * 0.3), (w * 0.42, h * 0.3)], fill=_mix(stone, (255, 255, 255), 0.55))


def tent(layer: Image.Image, look: Look) -> None:
    """A ridge tent: two sloping panels, a dark opening, guy lines."""
    d, w, h = _d(layer)
    fabric = look.color or (230, 120, 40)
    d.polygon([(0, h), (w * 0.5, 0), (w, h)], fill=fabric)
    d.polygon([(w * 0.5, 0), (w, h), (w * 0.72, h)], fill=_mix(fabric, (0, 0, 0), 0.22))
    d.polygon([(w * 0.36, h), (w * 0.5, h * 0.4), (w * 0.62, h)], fill=DARK)


def bench(layer: Image.Image, look: Look) -> None:
    """A park bench: slatted seat and back on two iron frames."""
    d, w, h = _d(layer)
    wood = look.color or (150, 100, 60)
    iron = (44, 46, 50)
    lw = max(1, int(w * 0.025))
    for x in (0.1, 0.9):
        d.line((w * x, h * 0.1, w * x, h), fill=iron, width=lw)
    for y in (0.12, 0.26):
        d.rectangle((0, h * y, w, h * (y + 0.09)), fill=wood)
    for y in (0.55, 0.64):
        d.rectangle((0, h * y, w, h * (y + 0.07)), fill=_mix(wood, (255, 255, 255), 0.08))


def key(layer: Image.Image, look: Look) -> None:
    """An old key: a round bow, a shaft and a bit."""
    d, w, h = _d(layer)
    metal = look.color or (200, 170, 80)
    d.ellipse((0, h * 0.1, w * 0.36, h * 0.9), fill=metal)
    d.ellipse((w * 0.1, h * 0.32, w * 0.26, h * 0.68), fill=(0, 0, 0, 0))
    d.rectangle((w * 0.34, h * 0.42, w, h * 0.58), fill=metal)
    d.rectangle((w * 0.8, h * 0.58, w * 0.88, h * 0.86), fill=metal)
    d.rectangle((w * 0.92, h * 0.58, w, h * 0.8), fill=metal)


def door(layer: Image.Image, look: Look) -> None:
    """A panelled door in its frame, with a knob."""
    d, w, h = _d(layer)
    leaf = look.color or (120, 70, 40)
    d.rectangle((0, 0, w, h), fill=_mix(leaf, (255, 255, 255), 0.35))
    d.rectangle((w * 0.08, h * 0.05, w * 0.92, h), fill=leaf)
    for y0, y1 in ((0.1, 0.45), (0.52, 0.94)):
        d.rectangle((w * 0.18, h * y0, w * 0.82, h * y1), outline=_mix(leaf, (0, 0, 0), 0.25), width=max(1, int(w * 0.03)))
    d.ellipse((w * 0.72, h * 0.5, w * 0.8, h * 0.55), fill=(214, 180, 80))


def window(layer: Image.Image, look: Look) -> None:
    """A window: a frame, four panes of pale sky, a sill."""
    d, w, h = _d(layer)
    frame = look.color or (240, 238, 232)
    d.rectangle((0, 0, w, h * 0.94), fill=frame)
    m = w * 0.08
    d.rectangle((m, m, w - m, h * 0.94 - m), fill=(160, 196, 226))
    _translucent(layer, "rectangle", (m, m, w * 0.5, h * 0.47), (255, 255, 255), 50)
    d.line((w / 2, m, w / 2, h * 0.94 - m), fill=frame, width=max(1, int(w * 0.04)))
    d.line((m, h * 0.47, w - m, h * 0.47), fill=frame, width=max(1, int(w * 0.04)))
    d.rectangle((-w * 0.04, h * 0.92, w * 1.04, h), fill=_mix(frame, (0, 0, 0), 0.1))


def bucket(layer: Image.Image, look: Look) -> None:
    """A bucket or pail: a tapered body with a rim and a wire handle."""
    d, w, h = _d(layer)
    body = look.color or (170, 176, 184)
    d.arc((w * 0.1, 0, w * 0.9, h * 0.7), 180, 360, fill=DARK, width=max(1, int(w * 0.02)))
    d.polygon([(w * 0.06, h * 0.3), (w * 0.94, h * 0.3), (w * 0.8, h), (w * 0.2, h)], fill=body)
    d.rectangle((w * 0.04, h * 0.28, w * 0.96, h * 0.36), fill=_mix(body, (255, 255, 255), 0.2))


def hydrant(layer: Image.Image, look: Look) -> None:
    """A fire hydrant: a domed cap, a barrel with side nozzles, a base flange."""
    d, w, h = _d(layer)
    paint = look.color or (200, 30, 30)
    d.chord((w * 0.22, 0, w * 0.78, h * 0.34), 180, 360, fill=paint)
    d.rectangle((w * 0.47, 0, w * 0.53, h * 0.06), fill=paint)
    d.rectangle((w * 0.24, h * 0.16, w * 0.76, h * 0.92), fill=paint)
    d.rectangle((0, h * 0.4, w, h * 0.54), fill=_mix(paint, (0, 0, 0), 0.15))
    d.ellipse((w * 0.38, h * 0.42, w * 0.62, h * 0.6), fill=_mix(paint, (0, 0, 0), 0.25))
    d.rectangle((w * 0.14, h * 0.9, w * 0.86, h), fill=_mix(paint, (0, 0, 0), 0.3))


Painter = Callable[[Image.Image, Look], None]

# (words in an object's name, painter, aspect w / h); the first match wins
NAMED: tuple[tuple[tuple[str, ...], Painter, float], ...] = (
    (("teddy bear", "teddy"), teddy_bear, 0.85),
    (("trash can", "bucket", "pail", "bin"), bucket, 1.0),
    (("jar", "can", "tin"), jar, 0.7),
    (("gift", "present", "box", "crate", "parcel", "package"), box, 1.1),
    (("basket", "hamper"), basket, 1.2),
    (("guitar", "violin", "cello", "ukulele"), guitar, 0.42),
    (("umbrella", "parasol"), umbrella, 1.1),
    (("clock",), clock, 1.0),
    (("candle",), candle, 0.45),
    (("campfire", "bonfire", "fire", "flame"), fire, 1.0),
    (("sneaker", "trainer", "shoe", "boot", "heel"), shoe, 1.3),
    (("hat", "cap", "fedora", "beanie"), hat, 1.5),
    (("teapot", "kettle"), teapot, 1.25),
    (("wine glass", "wineglass", "champagne", "martini", "cocktail", "glass of", "=glass", "=goblet"), wine_glass, 0.62),
    (("camera",), camera, 1.45),
    (("headphone", "headset"), headphones, 1.0),
    (("telescope",), telescope, 0.9),
    (("gem", "crystal", "diamond", "ruby", "emerald", "sapphire", "amethyst", "jewel"), gem, 1.0),
    (("tent",), tent, 1.4),
    (("bench",), bench, 2.2),
    (("key",), key, 2.4),
    (("door", "gate"), door, 0.5),
    (("window",), window, 0.85),
    (("hydrant",), hydrant, 0.6),
)


def named(name: str) -> tuple[Painter, float] | None:
    """The drawing for an object called `name`, when it has one here: the head word (the
    name's last) or a phrase in it ("glass of") is a key, or the key with a plural ending."""
    lowered = name.lower()
    words = lowered.replace("-", " ").split()
    if not words:
        return None
    head = words[-1]
    for keys, painter, aspect in NAMED:
        for k in keys:
            if k.startswith("="):  # the head word itself only ("glass", not "glasses")
                if head == k[1:]:
                    return painter, aspect
                continue
            if " " in k and k in lowered:
                return painter, aspect
            if head == k or (head.startswith(k) and head[len(k):] in ("s", "es")):
                return painter, aspect
            if len(k) >= 4 and head.endswith(k) and k not in ("glass",):
                return painter, aspect
    return None
