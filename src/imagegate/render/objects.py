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
from imagegate.render.subjects import Look, _mix, _translucent, named_color, swimmer

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


def _curve(*points: tuple[float, float], n: int = 8) -> list[tuple[float, float]]:
    """A quadratic Bezier through its control points: start, (control, end)... as a polyline."""
    out = [points[0]]
    for k in range(1, len(points) - 1, 2):
        (ax, ay), (cx, cy), (bx, by) = points[k - 1], points[k], points[k + 1]
        for i in range(1, n + 1):
            t = i / n
            out.append(((1 - t) ** 2 * ax + 2 * t * (1 - t) * cx + t * t * bx, (1 - t) ** 2 * ay + 2 * t * (1 - t) * cy + t * t * by))
    return out


def _sneaker(d: ImageDraw.ImageDraw, x0: float, y0: float, sw: float, sh: float, upper: RGB, accent: RGB) -> None:
    """One sneaker in profile in the box (x0, y0, sw, sh), heel left: a thick midsole, an upper
    with a padded collar, a tongue, laces over the instep, a rounded toe and a side stripe."""
    def p(u: float, v: float) -> tuple[float, float]:
        return x0 + u * sw, y0 + v * sh

    light = sum(upper) > 600
    edge = _mix(upper, (0, 0, 0), 0.3 if light else 0.4)  # an outline, so a white shoe holds its shape
    lw = max(1, round(sh * 0.025))
    # heel, collar, tongue, instep, toe: curves of (start, control, end, control, end...)
    outline = _curve(p(0.03, 0.76), p(-0.01, 0.4), p(0.07, 0.14), p(0.2, 0.2), p(0.34, 0.22), p(0.38, 0.02), p(0.47, 0.06),
                     p(0.62, 0.34), p(0.84, 0.44), p(1.02, 0.5), p(0.99, 0.76))
    d.polygon(outline, fill=upper, outline=edge, width=lw)
    d.ellipse((*p(0.1, 0.14), *p(0.33, 0.25)), fill=_mix(upper, (0, 0, 0), 0.5))  # the opening's lining, in shadow
    d.arc((*p(0.74, 0.46), *p(1.14, 1.06)), 185, 250, fill=edge, width=lw)  # the toe cap's seam
    stripe = accent if light and sum(accent) < 560 else (44, 64, 120) if light else (244, 244, 244)
    d.line(_curve(p(0.14, 0.7), p(0.34, 0.6), p(0.62, 0.34), n=6), fill=stripe, width=max(1, round(sh * 0.08)), joint="curve")
    d.polygon(_curve(p(0.02, 0.3), p(0.05, 0.2), p(0.1, 0.16), n=4) + [p(0.1, 0.4), p(0.04, 0.42)], fill=stripe)  # heel tab
    lace = edge if light else (244, 244, 244)
    for i in range(5):  # laces across the instep
        u, v = 0.43 + i * 0.055, 0.13 + i * 0.06
        d.line((*p(u - 0.03, v - 0.03), *p(u + 0.045, v + 0.03)), fill=lace, width=max(1, round(sh * 0.04)))
    sole = (250, 250, 248) if not light else (236, 234, 228)
    d.rounded_rectangle((*p(0.0, 0.72), *p(1.0, 0.92)), radius=sh * 0.09, fill=sole, outline=edge, width=lw)
    d.line((*p(0.05, 0.82), *p(0.95, 0.82)), fill=_mix(sole, (0, 0, 0), 0.15), width=lw)
    d.rounded_rectangle((*p(0.01, 0.9), *p(0.99, 1.0)), radius=sh * 0.04, fill=(70, 66, 64) if light else (200, 140, 80))  # outsole


def shoe(layer: Image.Image, look: Look) -> None:
    """A shoe in profile in the lower part of its box: a sneaker (a thick sole, laces, a side
    stripe; a pair when the name is plural) or a boot (the whole height)."""
    d, w, full = _d(layer)
    name = look.name.lower()
    upper = look.color or ((60, 80, 160) if "sneaker" in name or "trainer" in name else (110, 70, 40))
    if "boot" not in name:
        if name.rstrip().endswith("s"):  # a pair: one behind the other, a little higher and to the right
            _sneaker(d, w * 0.14, full * 0.3, w * 0.86, full * 0.5, _mix(upper, (0, 0, 0), 0.08), look.accent)
            _sneaker(d, 0, full * 0.46, w * 0.86, full * 0.54, upper, look.accent)
        else:
            _sneaker(d, 0, full * 0.4, w, full * 0.6, upper, look.accent)
        return
    h = full

    def y(v: float) -> float:
        return v * h

    d.polygon([(w * 0.1, y(0)), (w * 0.46, y(0)), (w * 0.5, y(0.6)), (w * 0.95, y(0.72)), (w, y(0.9)), (w * 0.1, y(0.9))], fill=upper)
    d.rounded_rectangle((0, y(0.78), w, full), radius=h * 0.08, fill=DARK)


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


def kite(layer: Image.Image, look: Look) -> None:
    """A diamond kite: four panels in two shades on a cross of spars, a tail with bows, and its
    string running down out of the box."""
    d, w, h = _d(layer)
    sail = look.color or (220, 50, 50)
    other = _mix(sail, (255, 236, 120), 0.55)
    top, right, bottom, left, cross = (w * 0.5, 0), (w * 0.96, h * 0.22), (w * 0.5, h * 0.62), (w * 0.04, h * 0.22), (w * 0.5, h * 0.22)
    d.line((*cross, w * 0.08, h), fill=(236, 236, 230), width=max(1, int(w * 0.01)))  # the string
    for i, (a, b) in enumerate(((top, right), (right, bottom), (bottom, left), (left, top))):
        d.polygon([a, b, cross], fill=sail if i % 2 == 0 else other)
    spar = _mix(sail, (0, 0, 0), 0.45)
    lw = max(1, int(w * 0.018))
    d.line((*top, *bottom), fill=spar, width=lw)
    d.line((*left, *right), fill=spar, width=lw)
    tail = _curve(bottom, (w * 0.72, h * 0.74), (w * 0.5, h * 0.84), (w * 0.3, h * 0.92), (w * 0.56, h), n=6)
    d.line(tail, fill=spar, width=max(1, lw // 2))
    for k in (4, 8, 11):  # bows along the tail
        x, y = tail[k]
        r = w * 0.06
        bow = other if k % 2 else sail
        d.polygon([(x - r, y - r * 0.6), (x, y), (x - r, y + r * 0.6)], fill=bow)
        d.polygon([(x + r, y - r * 0.6), (x, y), (x + r, y + r * 0.6)], fill=bow)


def tripod(layer: Image.Image, look: Look) -> None:
    """A camera tripod: a head plate on a centre column, three splayed legs in sections with feet."""
    d, w, h = _d(layer)
    metal = look.color or (46, 46, 50)
    light = _mix(metal, (255, 255, 255), 0.3)
    cx = w / 2
    hub = h * 0.3
    for foot, k in ((w * 0.06, 1.0), (w * 0.94, 1.0), (w * 0.58, 0.94)):
        width = max(2, int(w * (0.06 if k == 1.0 else 0.045)))
        mid = (cx + (foot - cx) * 0.5, hub + (h * k - hub) * 0.5)
        d.line((cx, hub, *mid), fill=metal, width=width)  # thick upper section
        d.line((*mid, foot, h * k), fill=light, width=max(1, int(width * 0.7)))  # the slimmer lower one
        d.ellipse((mid[0] - width * 0.6, mid[1] - width * 0.6, mid[0] + width * 0.6, mid[1] + width * 0.6), fill=metal)  # the lock
        d.ellipse((foot - width * 0.6, h * k - width * 1.2, foot + width * 0.6, h * k), fill=DARK)
    d.rectangle((cx - w * 0.035, h * 0.1, cx + w * 0.035, hub + h * 0.08), fill=light)  # centre column
    d.rounded_rectangle((cx - w * 0.12, hub - h * 0.03, cx + w * 0.12, hub + h * 0.05), radius=w * 0.03, fill=metal)  # leg hub
    d.rounded_rectangle((cx - w * 0.2, h * 0.04, cx + w * 0.2, h * 0.1), radius=w * 0.02, fill=metal)  # head plate
    d.line((cx + w * 0.12, h * 0.08, cx + w * 0.4, h * 0.2), fill=metal, width=max(1, int(w * 0.03)))  # pan handle


def space_station(layer: Image.Image, look: Look) -> None:
    """A space station: a long truss with wings of solar panels at each end and a cross of white
    modules at its middle (a satellite: one body, two panels and a dish)."""
    d, w, h = _d(layer)
    hull = look.color or (226, 226, 222)
    panel, grid = (34, 58, 128), (96, 126, 196)
    lw = max(1, int(h * 0.012))

    def solar(x0: float, y0: float, x1: float, y1: float) -> None:
        d.rectangle((x0, y0, x1, y1), fill=panel, outline=(190, 160, 70), width=lw)
        for i in range(1, 4):
            x = x0 + (x1 - x0) * i / 4
            d.line((x, y0, x, y1), fill=grid, width=lw)
        for i in range(1, 6):
            y = y0 + (y1 - y0) * i / 6
            d.line((x0, y, x1, y), fill=grid, width=lw)

    if "satellite" in look.name.lower():
        d.line((w * 0.05, h / 2, w * 0.95, h / 2), fill=(150, 150, 156), width=max(1, int(h * 0.03)))
        solar(0, h * 0.3, w * 0.32, h * 0.7)
        solar(w * 0.68, h * 0.3, w, h * 0.7)
        d.rounded_rectangle((w * 0.38, h * 0.22, w * 0.62, h * 0.78), radius=w * 0.02, fill=(210, 170, 70))  # gold foil
        d.chord((w * 0.42, 0, w * 0.58, h * 0.3), 0, 180, fill=hull)  # the dish
        return
    d.rectangle((w * 0.04, h * 0.47, w * 0.96, h * 0.53), fill=(160, 160, 166))  # the truss
    for x in (0.06, 0.2, 0.68, 0.82):  # paired wings above and below it
        solar(w * x, h * 0.04, w * (x + 0.12), h * 0.43)
        solar(w * x, h * 0.57, w * (x + 0.12), h * 0.96)
    d.rounded_rectangle((w * 0.36, h * 0.4, w * 0.64, h * 0.6), radius=h * 0.1, fill=hull)  # modules
    d.rounded_rectangle((w * 0.46, h * 0.18, w * 0.54, h * 0.84), radius=w * 0.04, fill=_mix(hull, (0, 0, 0), 0.06))
    for x in (0.39, 0.58):  # radiators
        d.rectangle((w * x, h * 0.64, w * (x + 0.04), h * 0.8), fill=(244, 244, 240))
    for x in (0.4, 0.6):  # joints between the modules
        d.rectangle((w * x - lw, h * 0.4, w * x + lw, h * 0.6), fill=_mix(hull, (0, 0, 0), 0.2))


CORALS: tuple[RGB, ...] = ((250, 120, 95), (236, 84, 136), (150, 84, 196), (250, 182, 64), (80, 186, 176), (226, 70, 58))


def _branch(d: ImageDraw.ImageDraw, x: float, y: float, angle: float, length: float, width: float, depth: int, color: RGB, look: Look) -> None:
    """A forking coral branch from (x, y): each fork thinner and shorter, the tips rounded."""
    x1, y1 = x + length * math.sin(angle), y - length * math.cos(angle)
    d.line((x, y, x1, y1), fill=color, width=max(1, round(width)))
    r = width / 2
    d.ellipse((x1 - r, y1 - r, x1 + r, y1 + r), fill=color)
    if depth > 0:
        for turn in (-1, 1):
            spread = turn * float(look.rng.uniform(0.3, 0.6))
            _branch(d, x1, y1, angle + spread, length * float(look.rng.uniform(0.62, 0.8)), width * 0.72, depth - 1, color, look)


def coral(layer: Image.Image, look: Look) -> None:
    """A coral reef on the sea floor: sea fans behind, forking staghorn corals, round brain corals
    and rocks in front, in several coral colours (the plan's colour first)."""
    d, w, h = _d(layer)
    first = look.color or CORALS[0]
    colors = [first, *(c for c in CORALS if c != first)]
    pick = [int(i) + 1 for i in look.rng.permutation(len(colors) - 1)]
    for i, x in enumerate((0.22, 0.6, 0.8) if w > 1.3 * h else (0.3, 0.7)):  # sea fans: a see-through web of fine branches
        fan = colors[pick[i % len(pick)]]
        r, cx = h * (0.36 if i != 1 else 0.3), w * x
        _translucent(layer, "ellipse", (cx - r * 1.1, h * 0.9 - r * 1.9, cx + r * 1.1, h * 0.92), fan, 120)
        for a in (-0.9, -0.3, 0.3, 0.9):
            _branch(d, cx, h * 0.9, a, r * 0.55, h * 0.018, 3, fan, look)
    for i, x in enumerate((0.1, 0.4, 0.72, 0.94)):  # staghorn corals
        color = first if i % 2 == 0 else colors[pick[(i + 2) % len(pick)]]
        _branch(d, w * x, h * 0.95, float(look.rng.uniform(-0.15, 0.15)), h * 0.22, h * 0.07, 3, color, look)
    d.chord((w * 0.01, h * 0.8, w * 0.99, h * 1.2), 180, 360, fill=(112, 100, 110))  # the reef's rock
    for x, r, c in ((0.27, 0.15, 3), (0.56, 0.11, 4), (0.8, 0.13, 0)):  # brain corals: round domes with winding grooves
        dome = colors[c] if c else colors[pick[0]]
        cx, cy, rx, ry = w * x, h * (0.95 - r * 0.5), r * h * 1.25, r * h
        d.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=dome)
        groove = _mix(dome, (0, 0, 0), 0.3)
        for k in (-0.5, 0.0, 0.5):
            pts = [(cx + rx * t * math.sqrt(max(0.0, 1 - k * k)) * 0.85, cy + ry * k + ry * 0.14 * math.sin(t * 9.0 + k * 4.0)) for t in (j / 8 - 1 for j in range(17))]
            d.line(pts, fill=groove, width=max(1, int(h * 0.012)), joint="curve")


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
    (("coral reef", "coral", "reef"), coral, 1.8),
    (("kite",), kite, 0.7),
    (("tripod",), tripod, 0.6),
    (("space station", "satellite"), space_station, 2.0),
    (("snorkeler", "snorkeller", "=swimmer", "=swimmers", "=diver", "=divers"), swimmer, 2.0),  # when planned as things
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
