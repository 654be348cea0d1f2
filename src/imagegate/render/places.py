"""Places the planner lists as subjects ("a cat in an alley", "a monk in a temple courtyard"):
drawn as the scene's set, not as a thing in a box. Each painter fills a layer the size of the
whole canvas (`compose.arrange` gives a place that box) and leaves transparent what the stage
behind should show (the sky over an alley, the view through a doorway).

BACK drawings go behind the other subjects (walls, floors, water, dunes); FRONT ones frame the
picture over them (a railing, a door frame). Perspective drawings share one vanishing point
near the stage's horizon so the subjects the stage places stand on their floors.

Same contract as `subjects`: a painter draws into a premultiplied layer from a `Look`.
"""

from __future__ import annotations

from PIL import Image, ImageDraw

from imagegate.plan import RGB
from imagegate.render.subjects import Look, _mix

Point = tuple[float, float]
CLEAR = (0, 0, 0, 0)


def _d(layer: Image.Image) -> tuple[ImageDraw.ImageDraw, int, int]:
    return ImageDraw.Draw(layer), layer.width, layer.height


def _lit(color: RGB, look: Look, k: float = 0.55) -> RGB:
    """A window or lamp: warm and bright in a dark scene, a dim reflection by day."""
    return (255, 204, 110) if look.dark else _mix(color, (40, 44, 56), k)


class _View:
    """One-point perspective: a point `dx, dy` px from the vanishing point on the nearest
    plane, seen `z` times as far away (1: the picture plane)."""

    def __init__(self, vx: float, vy: float) -> None:
        self.vx, self.vy = vx, vy

    def at(self, dx: float, dy: float, z: float) -> Point:
        return self.vx + dx / z, self.vy + dy / z

    def quad(self, dx0: float, dy0: float, dx1: float, dy1: float, z0: float, z1: float) -> list[Point]:
        """A rectangle on a side wall (dx0 == dx1: constant x, from dy0 to dy1) or on the floor or
        ceiling (dy0 == dy1: from dx0 to dx1), from depth z0 to z1."""
        if dx0 == dx1:
            return [self.at(dx0, dy0, z0), self.at(dx0, dy0, z1), self.at(dx0, dy1, z1), self.at(dx0, dy1, z0)]
        return [self.at(dx0, dy0, z0), self.at(dx1, dy0, z0), self.at(dx1, dy0, z1), self.at(dx0, dy0, z1)]


def passage(layer: Image.Image, look: Look) -> None:
    """Walls receding on both sides to a far end: an alley (tall brick walls with windows and
    a strip of sky, cobbles, a building closing the view) or a corridor (walls, floor and
    ceiling with light panels converging to a door)."""
    d, w, h = _d(layer)
    name = look.name.lower()
    indoor = any(k in name for k in ("corridor", "hallway", "hall", "passageway"))
    far = 4.5
    v = _View(w * 0.5, h * (0.5 if indoor else 0.58))
    half = w * 0.5
    floor = h - v.vy
    top = -v.vy * (1.0 if indoor else 2.6)  # the alley's walls rise far above the frame
    scifi = any(k in name for k in ("sci-fi", "scifi", "space", "futur", "cyber"))
    if indoor:
        wall = look.color or ((64, 72, 84) if scifi else (206, 214, 204) if "hospital" in name else (214, 202, 182))
        ceiling = _mix(wall, (255, 255, 255), 0.25)
        ground = (52, 56, 64) if scifi else (176, 180, 176) if "hospital" in name else (150, 108, 70)
    else:
        wall = look.color or ((92, 60, 70) if scifi else (150, 74, 56))
        ground = (70, 70, 74)
    dark_wall = _mix(wall, (0, 0, 0), 0.22)
    # the far end first: a door (indoors) or a building closing the alley below a strip of sky
    fx0, fy0 = v.at(-half, top, far)
    fx1, fy1 = v.at(half, floor, far)
    if indoor:
        d.rectangle((fx0, fy0, fx1, fy1), fill=_mix(wall, (0, 0, 0), 0.1))
        dw, dh = (fx1 - fx0) * 0.34, (fy1 - fy0) * 0.7
        d.rectangle((v.vx - dw / 2, fy1 - dh, v.vx + dw / 2, fy1), fill=_mix(wall, (0, 0, 0), 0.5))
        m = min(2.0, dw / 4)  # the pane's margin in the door (a door a few pixels wide on a tiny canvas)
        d.rectangle((v.vx - dw / 2 + m, fy1 - dh * 0.92, v.vx + dw / 2 - m, fy1 - dh * 0.55), fill=_lit((200, 220, 230), look, 0.2))
    else:
        back = _mix(wall, (30, 30, 40), 0.45)
        d.rectangle((fx0, v.vy - h * 0.22, fx1, fy1), fill=back)
        for i in range(3):
            for j in range(2):
                x = fx0 + (fx1 - fx0) * (0.18 + 0.3 * i)
                y = v.vy - h * (0.19 - 0.08 * j)
                d.rectangle((x, y, x + (fx1 - fx0) * 0.16, y + h * 0.04), fill=_lit(back, look))
    # floor (and ceiling indoors)
    d.polygon([v.at(-half, floor, 1), v.at(half, floor, 1), v.at(half, floor, far), v.at(-half, floor, far)], fill=ground)
    line = _mix(ground, (0, 0, 0), 0.25)
    lw = max(1, int(w * 0.003))
    z = 1.0
    while z < far:  # joints across the floor, closer together with distance
        d.line([v.at(-half, floor, z), v.at(half, floor, z)], fill=line, width=lw)
        z *= 1.18 if not indoor else 1.35
    for k in range(-4 if not indoor else -2, 5 if not indoor else 3):
        d.line([v.at(half * k / (4 if not indoor else 2), floor, 1), v.at(half * k / (4 if not indoor else 2), floor, far)], fill=line, width=lw)
    if indoor:
        d.polygon([v.at(-half, top, 1), v.at(half, top, 1), v.at(half, top, far), v.at(-half, top, far)], fill=ceiling)
        glow = (150, 240, 255) if scifi else (250, 250, 240)
        for z0 in (1.15, 1.7, 2.5, 3.6):  # light panels down the middle of the ceiling
            d.polygon(v.quad(-half * 0.22, top, half * 0.22, top, z0, z0 * 1.18), fill=glow)
    # the side walls, the shaded one on the right
    for side, color in ((-1, wall), (1, dark_wall)):
        x = side * half
        d.polygon(v.quad(x, top, x, floor, 1, far), fill=color)
        seam = _mix(color, (0, 0, 0), 0.2)
        if indoor:
            d.polygon(v.quad(x, floor - h * 0.05, x, floor, 1, far), fill=seam)  # a skirting board
            if scifi:
                for z0 in (1.3, 2.0, 3.0):
                    d.polygon(v.quad(x, -h * 0.1, x, h * 0.02, z0, z0 * 1.12), fill=(90, 230, 255))
            else:
                for z0 in (1.5, 2.6):  # doors along the walls
                    d.polygon(v.quad(x, floor - h * 0.42, x, floor, z0, z0 * 1.2), fill=_mix(color, (90, 60, 40), 0.5))
        else:
            y = floor
            while y > top:  # brick courses, all running to the vanishing point
                d.line([v.at(x, y, 1), v.at(x, y, far)], fill=seam, width=lw)
                y -= h * 0.045
            for z0 in (1.25, 1.8, 2.7):  # windows in rows, lit at night
                for row in (0.34, 0.78, 1.22):
                    d.polygon(v.quad(x, -h * row, x, -h * (row - 0.26), z0, z0 * 1.13), fill=_lit(color, look))
            d.polygon(v.quad(x, floor - h * 0.48, x, floor, 2.2, 2.45), fill=_mix(color, (20, 20, 24), 0.6))  # a back door
    if not indoor and look.dark:  # a lamp over the alley
        lx, ly = v.at(-half, -h * 0.1, 1.9)
        d.ellipse((lx - w * 0.012, ly - w * 0.012, lx + w * 0.012, ly + w * 0.012), fill=(255, 236, 180))


def courtyard(layer: Image.Image, look: Look) -> None:
    """A courtyard: a paved floor in perspective closed by an arcade wall with its arches (a
    temple's red pillars under a tiled roof with upturned eaves), side walls coming forward."""
    d, w, h = _d(layer)
    name = look.name.lower()
    temple = any(k in name for k in ("temple", "shrine", "pagoda", "monastery"))
    wall = look.color or ((228, 214, 190) if not temple else (236, 226, 206))
    hz, top = h * 0.6, h * (0.3 if not temple else 0.34)
    paving = (176, 168, 152)
    d.rectangle((0, hz, w, h), fill=paving)
    line = _mix(paving, (0, 0, 0), 0.2)
    lw = max(1, int(w * 0.003))
    for k in range(-8, 9):  # flagstones: joints towards a point above the horizon, rows closer further off
        d.line([(w * 0.5 + k * w * 0.02, hz), (w * 0.5 + k * w * 0.16, h)], fill=line, width=lw)
    y = 0.02
    while y < 1:
        d.line([(0, hz + (h - hz) * y), (w, hz + (h - hz) * y)], fill=line, width=lw)
        y = y * 1.6 + 0.02
    x0, x1 = w * 0.1, w * 0.9
    d.rectangle((x0, top, x1, hz), fill=wall)
    n = 5
    span = (x1 - x0) / n
    opening = (48, 40, 38) if not temple else (70, 36, 30)
    for i in range(n):
        ax0, ax1 = x0 + span * (i + 0.18), x0 + span * (i + 0.82)
        ay0 = top + (hz - top) * 0.3
        if temple:
            d.rectangle((ax0, ay0 - (hz - top) * 0.1, ax1, hz), fill=opening)
        else:
            d.rectangle((ax0, ay0 + (ax1 - ax0) / 2, ax1, hz), fill=opening)
            d.pieslice((ax0, ay0, ax1, ay0 + (ax1 - ax0)), 180, 360, fill=opening)
    if temple:
        for i in range(n + 1):  # red pillars between the bays
            cx = x0 + span * i
            d.rectangle((cx - w * 0.012, top, cx + w * 0.012, hz), fill=(180, 44, 34))
        roof = (62, 60, 66)
        d.polygon([(x0 - w * 0.08, top + h * 0.01), (x0 + w * 0.06, top - h * 0.12), (x1 - w * 0.06, top - h * 0.12),
                   (x1 + w * 0.08, top + h * 0.01), (x1 + w * 0.02, top), (x0 - w * 0.02, top)], fill=roof)
        for sx, sign in ((x0 - w * 0.08, -1), (x1 + w * 0.08, 1)):  # upturned eave tips
            d.polygon([(sx, top + h * 0.01), (sx + sign * w * 0.025, top - h * 0.03), (sx - sign * w * 0.04, top)], fill=roof)
    else:
        d.rectangle((x0, top - h * 0.02, x1, top + h * 0.012), fill=_mix(wall, (255, 255, 255), 0.3))  # the cornice
    shade = _mix(wall, (0, 0, 0), 0.2)
    # the side walls coming towards the viewer, their near ends leaving the frame
    d.polygon([(0, top - h * 0.14), (x0, top), (x0, hz), (0, hz + h * 0.16)], fill=shade)
    d.polygon([(w, top - h * 0.14), (x1, top), (x1, hz), (w, hz + h * 0.16)], fill=_mix(shade, (0, 0, 0), 0.12))


def rooftop(layer: Image.Image, look: Look) -> None:
    """A rooftop: a flat roof deck up to a parapet, a skyline of towers beyond it (lit windows
    at night); Paris rooftops as zinc mansard roofs with chimney pots over cream facades."""
    d, w, h = _d(layer)
    name = look.name.lower()
    rng = look.rng
    paris = "paris" in name
    hz = h * 0.6
    x = -w * 0.02
    while x < w:  # the skyline
        bw = w * float(rng.uniform(0.07, 0.14))
        if paris:
            by = hz - h * float(rng.uniform(0.1, 0.2))
            d.rectangle((x, by, x + bw, hz), fill=(226, 212, 186))
            d.polygon([(x, by), (x + bw * 0.12, by - h * 0.06), (x + bw * 0.88, by - h * 0.06), (x + bw, by)], fill=(112, 122, 136))
            d.rectangle((x + bw * 0.6, by - h * 0.1, x + bw * 0.72, by - h * 0.05), fill=(170, 90, 66))  # a chimney pot
            for wx in (0.15, 0.45, 0.75):
                for wy in (0.25, 0.6):
                    d.rectangle((x + bw * wx, by + (hz - by) * wy, x + bw * (wx + 0.12), by + (hz - by) * (wy + 0.2)), fill=(92, 100, 116))
        else:
            by = hz - h * float(rng.uniform(0.14, 0.42))
            tone = int(rng.integers(70, 120)) if not look.dark else int(rng.integers(24, 44))
            body = (tone, tone + 6, tone + 18)
            d.rectangle((x, by, x + bw, hz), fill=body)
            for wy in range(int((hz - by) / (h * 0.03))):
                for wx in range(max(1, int(bw / (w * 0.025)))):
                    if (wx * 7 + wy * 3 + int(x)) % 5:
                        px, py = x + w * 0.008 + wx * w * 0.025, by + h * 0.015 + wy * h * 0.03
                        d.rectangle((px, py, px + w * 0.012, py + h * 0.014), fill=_lit(body, look, 0.0) if look.dark else _mix(body, (200, 214, 230), 0.35))
        x += bw + w * float(rng.uniform(0.0, 0.02))
    deck = look.color or (120, 116, 112)
    d.rectangle((0, hz + h * 0.06, w, h), fill=deck)
    line = _mix(deck, (0, 0, 0), 0.18)
    for k in range(-8, 9):
        d.line([(w * 0.5 + k * w * 0.05, hz + h * 0.06), (w * 0.5 + k * w * 0.2, h)], fill=line, width=max(1, int(w * 0.003)))
    parapet = (172, 164, 152)
    d.rectangle((0, hz - h * 0.005, w, hz + h * 0.06), fill=_mix(parapet, (0, 0, 0), 0.15))
    d.rectangle((0, hz - h * 0.02, w, hz), fill=parapet)  # the coping


def railing(layer: Image.Image, look: Look) -> None:
    """A balcony or porch railing across the front of the picture: a floor edge, a handrail on
    balusters (wrought iron with scrolls on a balcony; white wood on a porch, which also gets
    its posts and the eave above)."""
    d, w, h = _d(layer)
    name = look.name.lower()
    porch = any(k in name for k in ("porch", "veranda", "verandah", "varanda"))
    iron = not porch and "white" not in name
    color = look.color or ((36, 34, 38) if iron else (240, 238, 232))
    shade = _mix(color, (0, 0, 0), 0.2)
    rail, foot, edge = h * 0.66, h * 0.9, h * 0.92
    d.rectangle((0, edge, w, h), fill=(150, 112, 76) if porch else (196, 186, 172))  # the floor's edge
    d.rectangle((0, edge, w, edge + h * 0.012), fill=_mix((196, 186, 172), (255, 255, 255), 0.3))
    step = w * (0.045 if iron else 0.06)
    bar = w * (0.006 if iron else 0.018)
    x = step / 2
    while x < w:
        d.rectangle((x - bar / 2, rail, x + bar / 2, edge), fill=shade if iron else color)
        x += step
    if iron:  # scrolls between the bars
        x = step
        r = step * 0.32
        while x < w:
            d.ellipse((x - r, rail + h * 0.04, x + r, rail + h * 0.04 + 2 * r), outline=color, width=max(1, int(bar)))
            d.ellipse((x - r, foot - h * 0.04 - 2 * r, x + r, foot - h * 0.04), outline=color, width=max(1, int(bar)))
            x += step
    d.rectangle((0, foot - h * 0.01, w, foot + h * 0.01), fill=shade)  # bottom rail
    d.rectangle((0, rail - h * 0.025, w, rail + h * 0.005), fill=color)  # the handrail
    if porch:
        for x0 in (0.0, w * 0.93):
            d.rectangle((x0, 0, x0 + w * 0.07, edge), fill=color)
            d.rectangle((x0 + w * 0.05, 0, x0 + w * 0.07, edge), fill=shade)
        d.rectangle((0, 0, w, h * 0.07), fill=color)  # the eave beam
        d.rectangle((0, h * 0.06, w, h * 0.08), fill=shade)


def waterfront(layer: Image.Image, look: Look) -> None:
    """Water with its edge: a harbour (water up to a stone quay along the front, bollards on
    it) or a bay (headlands closing the water on both sides, a crescent of beach in front)."""
    d, w, h = _d(layer)
    name = look.name.lower()
    bay = any(k in name for k in ("bay", "cove", "lagoon", "fjord"))
    hz = h * 0.6
    water = look.color or ((40, 188, 190) if "turquoise" in name or "lagoon" in name else (48, 98, 140))
    near = h * (0.8 if not bay else 1.0)
    d.rectangle((0, hz, w, near), fill=_mix(water, (255, 255, 255), 0.12))
    d.rectangle((0, hz + (near - hz) * 0.35, w, near), fill=water)
    d.rectangle((0, hz + (near - hz) * 0.7, w, near), fill=_mix(water, (0, 0, 20), 0.15))
    ripple = _mix(water, (255, 255, 255), 0.4)
    rng = look.rng
    for _ in range(40):  # glints, longer nearer
        y = hz + (near - hz) * float(rng.uniform(0.03, 0.97))
        x = w * float(rng.uniform(0, 1))
        length = w * (0.01 + 0.05 * (y - hz) / max(1.0, near - hz))
        d.line([(x, y), (x + length, y)], fill=ripple, width=max(1, int(h * 0.003)))
    if bay:
        land = (82, 120, 70)
        d.polygon([(0, h * 0.38), (w * 0.12, h * 0.42), (w * 0.3, h * 0.55), (w * 0.38, hz + h * 0.01), (0, hz + h * 0.08)], fill=land)
        d.polygon([(w, h * 0.46), (w * 0.84, h * 0.5), (w * 0.7, hz + h * 0.01), (w, hz + h * 0.05)], fill=_mix(land, (0, 0, 0), 0.15))
        d.chord((-w * 0.2, h * 0.9, w * 1.2, h * 1.3), 180, 360, fill=(230, 210, 166))  # the beach
        return
    stone = (150, 144, 134)
    d.rectangle((0, near, w, h), fill=stone)
    d.rectangle((0, near, w, near + h * 0.02), fill=_mix(stone, (255, 255, 255), 0.25))  # the quay's edge
    for k in range(1, 7):
        x = w * k / 7
        d.line([(x, near + h * 0.02), (w * 0.5 + (x - w * 0.5) * 1.6, h)], fill=_mix(stone, (0, 0, 0), 0.2), width=max(1, int(w * 0.003)))
    for x in (0.12, 0.5, 0.88):  # bollards
        cx = w * x
        d.rectangle((cx - w * 0.018, near - h * 0.035, cx + w * 0.018, near + h * 0.01), fill=(40, 40, 44))
        d.ellipse((cx - w * 0.026, near - h * 0.05, cx + w * 0.026, near - h * 0.025), fill=(54, 54, 60))


def dunes(layer: Image.Image, look: Look) -> None:
    """Rolling sand dunes in rows to the horizon, each with a sunlit windward slope and a
    shaded slip face behind its crest; red ones for Mars."""
    d, w, h = _d(layer)
    name = look.name.lower()
    red = any(k in name for k in ("red", "mars", "martian"))
    sun = look.color or ((206, 104, 64) if red else (234, 190, 124))
    shadow = _mix(sun, (60, 30, 40), 0.38)
    rows = ((0.5, 0.09, 0.3), (0.6, 0.1, 0.62), (0.74, 0.12, 0.2), (0.88, 0.14, 0.7))
    n = 48
    for i, (base, amp, crest) in enumerate(rows):
        haze = 0.3 * (len(rows) - 1 - i) / (len(rows) - 1)
        lit, dim = _mix(sun, (246, 236, 226), haze), _mix(shadow, (236, 226, 220), haze)
        pts = []
        for k in range(n + 1):
            t = k / n
            # a smooth ridge peaking at `crest`, steeper on its lee side
            s = (t - crest) / (0.55 if t < crest else 0.3)
            pts.append((t * w * 1.1 - w * 0.05, h * (base - amp * max(0.0, 1.0 - s * s))))
        d.polygon(pts + [(w * 1.05, h), (-w * 0.05, h)], fill=lit)
        top = max(range(len(pts)), key=lambda j: -pts[j][1])
        lee = [p for p in pts[top:] if p[1] < h * (base + 0.01)]
        d.polygon([pts[top]] + lee + [(lee[-1][0] - w * 0.1, h * (base + 0.02))], fill=dim)


def doorway(layer: Image.Image, look: Look) -> None:
    """An entrance framing the picture: the wall around a tall arched opening, with its stone
    jambs and a step, the scene seen through it."""
    d, w, h = _d(layer)
    wall = look.color or (196, 180, 156)
    d.rectangle((0, 0, w, h), fill=wall)
    frame = _mix(wall, (255, 255, 255), 0.25)
    x0, x1, y0 = w * 0.14, w * 0.86, h * 0.1
    r = min((x1 - x0) / 2, h * 0.45)  # a wide canvas gets a flatter arch, still above the floor
    d.rectangle((x0 - w * 0.04, y0 + r, x1 + w * 0.04, h), fill=frame)
    d.pieslice((x0 - w * 0.04, y0 - w * 0.04, x1 + w * 0.04, y0 + 2 * r + w * 0.04), 180, 360, fill=frame)
    d.rectangle((x0, y0 + r, x1, h), fill=CLEAR)  # the opening
    d.pieslice((x0, y0, x1, y0 + 2 * r), 180, 360, fill=CLEAR)
    d.polygon([(x0, h), (x0 + w * 0.03, h * 0.95), (x1 - w * 0.03, h * 0.95), (x1, h)], fill=_mix(wall, (0, 0, 0), 0.25))  # the step
    d.rectangle((w * 0.49, y0 - w * 0.045, w * 0.51, y0 + w * 0.02), fill=_mix(frame, (0, 0, 0), 0.15))  # the keystone


def terrain(layer: Image.Image, look: Look) -> None:
    """Ground a place is made of, across the lower picture: a rocky summit's ledge in front, a
    glacier's ice cliffs on the horizon, a forest clearing (dark pines closing both sides), a
    watering hole (a pool of water in a muddy rim) or a rice paddy (flooded rows of seedlings)."""
    d, w, h = _d(layer)
    name = look.name.lower()
    hz = h * 0.6
    if any(k in name for k in ("summit", "peak", "ridge")):
        rock = look.color or (110, 104, 98)
        # the peak's top at the horizon, where a figure the stage puts on the far shore stands
        pts = [(0, h * 0.86), (w * 0.16, h * 0.8), (w * 0.3, h * 0.72), (w * 0.42, h * 0.65), (w * 0.5, h * 0.6), (w * 0.6, h * 0.64),
               (w * 0.74, h * 0.7), (w * 0.86, h * 0.78), (w, h * 0.84)]
        d.polygon(pts + [(w, h), (0, h)], fill=rock)
        d.polygon(pts[4:] + [(w, h), (w * 0.56, h)], fill=_mix(rock, (0, 0, 0), 0.2))  # the shaded face
        d.polygon([(w * 0.42, h * 0.65), (w * 0.5, h * 0.6), (w * 0.6, h * 0.64), (w * 0.52, h * 0.66)], fill=(236, 238, 242))  # snow
    elif "glacier" in name or "ice" in name.split()[-1]:
        ice = look.color or (214, 232, 242)
        pts = [(0, hz)]
        for k in range(13):
            pts.append((w * k / 12, hz - h * (0.1 + 0.05 * ((k * 5) % 3) + 0.03 * (k % 2))))
        d.polygon(pts + [(w, hz + h * 0.01), (0, hz + h * 0.01)], fill=ice)
        for k in range(12):  # blue crevasses down the ice face
            x = w * (k + 0.5) / 12
            d.line([(x, hz - h * 0.08), (x + w * 0.01, hz)], fill=(120, 170, 210), width=max(1, int(w * 0.006)))
    elif "clearing" in name:
        pine = (34, 70, 48)
        for side in (0, 1):
            for k in range(6):
                x = w * (0.03 + k * 0.05) if side == 0 else w * (0.97 - k * 0.05)
                top, base = h * (0.05 + k * 0.06), hz + h * (0.1 - k * 0.015)
                d.polygon([(x, top), (x + w * 0.09, base), (x - w * 0.09, base)], fill=_mix(pine, (150, 170, 160), k * 0.07))
    elif any(k in name for k in ("paddy", "paddies")):
        water = (150, 180, 190)
        d.rectangle((0, hz, w, h), fill=water)
        for k in range(-10, 11):  # rows of seedlings running to the horizon
            d.line([(w * 0.5 + k * w * 0.03, hz), (w * 0.5 + k * w * 0.2, h)], fill=(76, 150, 58), width=max(1, int(w * 0.006)))
        for y in (0.72, 0.88):  # the bunds between fields
            d.rectangle((0, h * y, w, h * y + h * 0.015), fill=(120, 104, 74))
    else:  # a watering hole
        mud = (140, 112, 80)
        d.ellipse((w * 0.05, h * 0.66, w * 0.95, h * 0.96), fill=mud)
        d.ellipse((w * 0.1, h * 0.68, w * 0.9, h * 0.93), fill=look.color or (84, 120, 130))
        d.line([(w * 0.3, h * 0.76), (w * 0.5, h * 0.76)], fill=(180, 200, 206), width=max(1, int(h * 0.004)))


# painters drawn behind the other subjects, and those laid over them as a frame
BACK = frozenset({passage, courtyard, rooftop, waterfront, dunes, terrain})
FRONT = frozenset({railing, doorway})


def footing(painter: object, name: str) -> tuple[float | None, float] | None:
    """Where something "on" the place `painter` draws stands, as fractions of the canvas: (x, or
    None for anywhere across, the base line): a summit's peak, a rooftop's deck, a harbour's
    quay, a bay's beach. None for a place the stage already puts its subjects in (an alley)."""
    name = name.lower()
    if painter is terrain and any(k in name for k in ("summit", "peak", "ridge")):
        return 0.5, 0.605  # the peak's top (terrain)
    if painter is rooftop:
        return None, 0.86  # on the deck in front of the parapet
    if painter is waterfront:
        return None, 0.97 if any(k in name for k in ("bay", "cove", "lagoon", "fjord")) else 0.9
    return None
