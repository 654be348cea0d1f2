"""Animals by body plan, so a camel, a dog, a goldfish and a bee stop being the same cat: dogs
(snout, hanging ears), long-legged grazers (horse, camel with its hump, deer with antlers,
giraffe, zebra, cow, sheep), elephants, fish and sea mammals, insects (bee, butterfly,
dragonfly, ladybug), rabbits, turtles and snakes.

Same contract as `subjects`: a painter draws into a premultiplied layer in its own pixel units
from a `Look`; `NAMED` maps words in an animal's name to a painter and its box aspect
(width / height). Colours come from the name (a zebra's stripes, a goldfish's orange) unless
the plan gives one.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PIL import Image, ImageDraw

from imagegate.plan import RGB
from imagegate.render.subjects import Look, _mix, _translucent, named_color

BLACK: RGB = (24, 22, 22)


def dog(layer: Image.Image, look: Look) -> None:
    """A dog in profile: a longer body, a snout, a hanging ear and a raised tail."""
    d, w, h = ImageDraw.Draw(layer), layer.width, layer.height
    fur = named_color(look, {"dalmatian": (240, 238, 232), "husky": (170, 170, 176), "labrador": (214, 176, 110), "retriever": (206, 150, 70),
                       "poodle": (236, 230, 220), "shepherd": (150, 100, 50), "corgi": (214, 130, 60), "pug": (200, 170, 130),
                       "dachshund": (140, 74, 36), "beagle": (180, 120, 60), "puppy": (196, 150, 100)}, (176, 126, 74))
    dark = _mix(fur, (0, 0, 0), 0.2)
    limb = max(1, int(w * 0.055))
    d.line((w * 0.14, h * 0.46, w * 0.04, h * 0.18), fill=fur, width=int(w * 0.05))
    for x in (0.22, 0.32, 0.58, 0.68):
        d.line((w * x, h * 0.6, w * x, h * 0.98), fill=dark if x in (0.32, 0.68) else fur, width=limb)
    d.ellipse((w * 0.1, h * 0.34, w * 0.76, h * 0.7), fill=fur)
    d.ellipse((w * 0.62, h * 0.12, w * 0.9, h * 0.46), fill=fur)  # head
    d.rounded_rectangle((w * 0.8, h * 0.26, w * 0.99, h * 0.42), radius=h * 0.06, fill=fur)  # snout
    d.ellipse((w * 0.95, h * 0.26, w * 1.0, h * 0.32), fill=BLACK)  # nose
    d.ellipse((w * 0.62, h * 0.14, w * 0.74, h * 0.44), fill=dark)  # hanging ear
    d.ellipse((w * 0.8, h * 0.2, w * 0.83, h * 0.24), fill=BLACK)
    if "dalmatian" in look.name.lower():
        for i in range(14):
            x, y = w * look.rng.uniform(0.15, 0.72), h * look.rng.uniform(0.38, 0.66)
            r = w * 0.02
            d.ellipse((x - r, y - r, x + r, y + r), fill=BLACK)


def grazer(layer: Image.Image, look: Look) -> None:
    """A long-legged grazer: horse, donkey, camel (hump), deer (antlers), giraffe (long neck,
    patches), zebra (stripes), cow (patches), sheep (wool)."""
    d, w, h = ImageDraw.Draw(layer), layer.width, layer.height
    name = look.name.lower()
    coat = named_color(look, {"camel": (204, 164, 104), "deer": (164, 112, 66), "elk": (130, 90, 56), "moose": (100, 70, 46), "reindeer": (150, 110, 76),
                        "giraffe": (226, 176, 92), "zebra": (244, 242, 236), "cow": (244, 240, 232), "sheep": (236, 232, 222),
                        "lamb": (240, 236, 226), "goat": (220, 214, 200), "donkey": (140, 130, 120), "llama": (230, 214, 180),
                        "alpaca": (236, 222, 196), "antelope": (190, 130, 70), "gazelle": (200, 146, 90), "pony": (150, 100, 60)}, (122, 80, 50))
    giraffe, sheep = "giraffe" in name, any(k in name for k in ("sheep", "lamb", "alpaca"))
    body_top, body_bottom = (0.5, 0.72) if giraffe else (0.34, 0.62)
    leg = _mix(coat, (0, 0, 0), 0.15)
    limb = max(1, int(w * (0.06 if sheep else 0.045)))
    for x in (0.2, 0.3, 0.62, 0.72):
        d.line((w * x, h * (body_bottom - 0.06), w * x, h * 0.99), fill=leg, width=limb)
        d.rectangle((w * x - limb / 2, h * 0.95, w * x + limb / 2, h), fill=_mix(coat, (0, 0, 0), 0.55))  # hooves
    d.line((w * 0.12, h * (body_top + 0.06), w * 0.05, h * (body_top + 0.3)), fill=leg, width=max(1, int(w * 0.025)))  # tail
    d.ellipse((w * 0.1, h * body_top, w * 0.8, h * body_bottom), fill=coat)
    if "camel" in name:
        d.ellipse((w * 0.3, h * (body_top - 0.14), w * 0.56, h * (body_top + 0.12)), fill=coat)
    head_y = 0.02 if giraffe else 0.1
    neck = max(2, int(w * (0.1 if not giraffe else 0.08)))
    d.line((w * 0.7, h * (body_top + 0.12), w * 0.84, h * (head_y + 0.12)), fill=coat, width=neck)
    d.ellipse((w * 0.76, h * head_y, w * 0.96, h * (head_y + 0.18)), fill=coat)
    d.ellipse((w * 0.88, h * (head_y + 0.06), w * 1.0, h * (head_y + 0.18)), fill=_mix(coat, (0, 0, 0), 0.1))  # muzzle
    d.ellipse((w * 0.85, h * (head_y + 0.05), w * 0.875, h * (head_y + 0.08)), fill=BLACK)
    d.polygon([(w * 0.78, h * (head_y + 0.03)), (w * 0.8, h * (head_y - 0.04)), (w * 0.83, h * (head_y + 0.03))], fill=coat)  # ear
    if any(k in name for k in ("deer", "elk", "moose", "reindeer", "stag")):
        antler = (120, 96, 70)
        lw = max(1, int(w * 0.015))
        base = (w * 0.82, h * head_y)
        d.line((*base, w * 0.76, h * max(0.0, head_y - 0.1), w * 0.7, 0), fill=antler, width=lw)
        d.line((w * 0.76, h * max(0.0, head_y - 0.1), w * 0.84, 0), fill=antler, width=lw)
    if "zebra" in name:
        for i in range(9):
            x = w * (0.16 + i * 0.07)
            d.line((x, h * body_top, x + w * 0.03, h * body_bottom), fill=BLACK, width=max(1, int(w * 0.022)))
    if giraffe or "cow" in name:
        patch = (150, 96, 40) if giraffe else BLACK
        for _ in range(10 if giraffe else 5):
            x, y = w * look.rng.uniform(0.18, 0.74), h * look.rng.uniform(body_top + 0.04, body_bottom - 0.04)
            r = w * (0.03 if giraffe else 0.06)
            d.ellipse((x - r, y - r * 0.8, x + r, y + r * 0.8), fill=patch)
    if sheep:
        for i in range(12):
            a = i / 12 * math.tau
            x, y = w * (0.45 + 0.3 * math.cos(a)), h * ((body_top + body_bottom) / 2 + 0.12 * math.sin(a))
            r = w * 0.08
            d.ellipse((x - r, y - r, x + r, y + r), fill=_mix(coat, (255, 255, 255), 0.3 * (i % 2)))


def elephant(layer: Image.Image, look: Look) -> None:
    """An elephant: a large body on thick legs, a big ear, a trunk and a tusk."""
    d, w, h = ImageDraw.Draw(layer), layer.width, layer.height
    skin = look.color or (138, 138, 144)
    for x in (0.22, 0.36, 0.58, 0.72):
        d.rectangle((w * (x - 0.06), h * 0.55, w * (x + 0.06), h), fill=_mix(skin, (0, 0, 0), 0.12 * (x in (0.36, 0.72))))
    d.ellipse((w * 0.08, h * 0.16, w * 0.82, h * 0.74), fill=skin)
    d.ellipse((w * 0.66, h * 0.1, w * 0.96, h * 0.52), fill=skin)  # head
    d.line((w * 0.92, h * 0.4, w * 0.97, h * 0.7, w * 0.92, h * 0.9), fill=skin, width=max(2, int(w * 0.07)), joint="curve")  # trunk
    d.ellipse((w * 0.6, h * 0.14, w * 0.8, h * 0.52), fill=_mix(skin, (0, 0, 0), 0.14))  # ear
    d.polygon([(w * 0.84, h * 0.46), (w * 0.9, h * 0.62), (w * 0.86, h * 0.47)], fill=(244, 238, 220))  # tusk
    d.ellipse((w * 0.84, h * 0.26, w * 0.865, h * 0.29), fill=BLACK)


def fish(layer: Image.Image, look: Look) -> None:
    """A fish (or a shark, dolphin, whale) in profile: a tapered body, a tail fin, a fin and an eye."""
    d, w, h = ImageDraw.Draw(layer), layer.width, layer.height
    name = look.name.lower()
    body = named_color(look, {"goldfish": (246, 140, 40), "koi": (240, 110, 50), "clownfish": (246, 120, 30), "salmon": (210, 120, 110),
                        "shark": (120, 134, 150), "dolphin": (130, 146, 166), "whale": (70, 86, 110), "tuna": (80, 96, 130),
                        "trout": (150, 150, 120)}, (90, 140, 190))
    belly = _mix(body, (255, 255, 255), 0.45)
    d.polygon([(w * 0.02, h * 0.18), (w * 0.24, h * 0.5), (w * 0.02, h * 0.82)], fill=_mix(body, (0, 0, 0), 0.1))  # tail
    d.ellipse((w * 0.14, h * 0.2, w * 0.98, h * 0.8), fill=body)
    d.chord((w * 0.14, h * 0.2, w * 0.98, h * 0.8), 20, 160, fill=belly)
    top = 0.0 if any(k in name for k in ("shark", "dolphin")) else 0.08
    d.polygon([(w * 0.42, h * 0.24), (w * 0.55, h * top), (w * 0.64, h * 0.24)], fill=_mix(body, (0, 0, 0), 0.12))  # dorsal fin
    d.ellipse((w * 0.8, h * 0.38, w * 0.86, h * 0.46), fill=(250, 250, 250))
    d.ellipse((w * 0.815, h * 0.395, w * 0.85, h * 0.445), fill=BLACK)
    if "clownfish" in name:
        for x in (0.4, 0.66):
            d.rectangle((w * x, h * 0.22, w * (x + 0.06), h * 0.78), fill=(250, 250, 250))


def insect(layer: Image.Image, look: Look) -> None:
    """A bee (striped, clear wings), a butterfly (two pairs of coloured wings), a dragonfly (a long
    body, four long clear wings) or a ladybug (a red dome with black spots), seen from above."""
    d, w, h = ImageDraw.Draw(layer), layer.width, layer.height
    name = look.name.lower()
    if "butterfly" in name or "moth" in name:
        wing = look.color or ((250, 150, 40) if "monarch" in name or "butterfly" in name else (180, 170, 150))
        for sign in (-1, 1):
            cx = w / 2 + sign * w * 0.2
            d.ellipse((cx - w * 0.24, h * 0.08, cx + w * 0.24, h * 0.56), fill=wing)
            d.ellipse((cx - w * 0.16, h * 0.48, cx + w * 0.16, h * 0.9), fill=_mix(wing, (0, 0, 0), 0.2))
            d.ellipse((cx - w * 0.05, h * 0.24, cx + w * 0.05, h * 0.34), fill=BLACK)
        d.rounded_rectangle((w * 0.47, h * 0.14, w * 0.53, h * 0.86), radius=w * 0.03, fill=BLACK)
        return
    if "dragonfly" in name:
        body = look.color or (40, 120, 150)
        for y, span in ((0.3, 0.48), (0.42, 0.44)):
            for sign in (-1, 1):
                x0 = w / 2
                _translucent(layer, "ellipse", (min(x0, x0 + sign * w * span), h * (y - 0.05), max(x0, x0 + sign * w * span), h * (y + 0.05)),
                             (220, 236, 246), 150)
        d.rounded_rectangle((w * 0.48, h * 0.2, w * 0.52, h * 0.98), radius=w * 0.02, fill=body)
        d.ellipse((w * 0.44, h * 0.12, w * 0.56, h * 0.26), fill=_mix(body, (0, 0, 0), 0.2))
        return
    if "ladybug" in name or "ladybird" in name or "beetle" in name:
        shell = look.color or ((210, 30, 30) if "lady" in name else (40, 60, 50))
        d.ellipse((w * 0.36, h * 0.06, w * 0.64, h * 0.3), fill=BLACK)
        d.ellipse((w * 0.14, h * 0.2, w * 0.86, h * 0.96), fill=shell)
        d.line((w / 2, h * 0.22, w / 2, h * 0.96), fill=BLACK, width=max(1, int(w * 0.02)))
        for x, y in ((0.3, 0.45), (0.7, 0.45), (0.34, 0.72), (0.66, 0.72), (0.5, 0.6)):
            d.ellipse((w * (x - 0.06), h * (y - 0.06), w * (x + 0.06), h * (y + 0.06)), fill=BLACK)
        return
    # a bee (and a wasp or hornet, by their stripes)
    for sign in (-1, 1):
        cx = w / 2 + sign * w * 0.2
        _translucent(layer, "ellipse", (cx - w * 0.2, h * 0.04, cx + w * 0.2, h * 0.44), (236, 244, 250), 170)
    stripe = look.color or (244, 190, 40)
    cx, cy, a, b = w / 2, h * 0.62, w * 0.2, h * 0.36
    d.ellipse((cx - a, cy - b, cx + a, cy + b), fill=stripe)

    def half(y: float) -> float:  # the body's half width at row y
        return a * math.sqrt(max(0.0, 1.0 - ((y - cy) / b) ** 2))

    for y0 in (0.46, 0.62, 0.78):
        top, bottom = h * y0, h * (y0 + 0.07)
        d.polygon([(cx - half(top), top), (cx + half(top), top), (cx + half(bottom), bottom), (cx - half(bottom), bottom)], fill=BLACK)
    d.ellipse((w * 0.36, h * 0.1, w * 0.64, h * 0.34), fill=BLACK)


def rabbit(layer: Image.Image, look: Look) -> None:
    """A rabbit sitting: a round body, a head with two long ears, a white tail."""
    d, w, h = ImageDraw.Draw(layer), layer.width, layer.height
    fur = look.color or (176, 150, 124)
    d.ellipse((w * 0.1, h * 0.42, w * 0.72, h), fill=fur)
    d.ellipse((w * 0.02, h * 0.6, w * 0.2, h * 0.78), fill=(250, 250, 250))
    for x in (0.58, 0.7):
        d.ellipse((w * x, 0, w * (x + 0.1), h * 0.42), fill=fur)
        d.ellipse((w * (x + 0.025), h * 0.04, w * (x + 0.075), h * 0.38), fill=(236, 180, 180))
    d.ellipse((w * 0.52, h * 0.28, w * 0.9, h * 0.62), fill=fur)
    d.ellipse((w * 0.76, h * 0.38, w * 0.8, h * 0.43), fill=BLACK)


def turtle(layer: Image.Image, look: Look) -> None:
    """A turtle in profile: a domed patterned shell over four stubby legs and a head."""
    d, w, h = ImageDraw.Draw(layer), layer.width, layer.height
    shell = look.color or (90, 120, 70)
    skin = (120, 140, 90)
    for x in (0.22, 0.68):
        d.rectangle((w * x, h * 0.62, w * (x + 0.1), h), fill=skin)
    d.ellipse((w * 0.76, h * 0.42, w, h * 0.72), fill=skin)
    d.chord((w * 0.08, h * 0.1, w * 0.9, h * 1.1), 180, 360, fill=shell)
    for x in (0.3, 0.49, 0.68):
        d.ellipse((w * (x - 0.08), h * 0.3, w * (x + 0.08), h * 0.52), fill=_mix(shell, (0, 0, 0), 0.2))
    d.ellipse((w * 0.9, h * 0.5, w * 0.93, h * 0.54), fill=BLACK)


def snake(layer: Image.Image, look: Look) -> None:
    """A snake: an S-curved body thick to thin, coiled on the ground, head raised."""
    d, w, h = ImageDraw.Draw(layer), layer.width, layer.height
    body = look.color or (90, 130, 60)
    points = [(w * (0.05 + 0.9 * t), h * (0.7 + 0.2 * math.sin(t * math.tau * 1.2))) for t in (i / 30 for i in range(31))]
    for i in range(30):
        width = max(1, int(h * (0.16 - 0.1 * i / 30)))
        d.line((*points[i], *points[i + 1]), fill=_mix(body, (255, 255, 210), 0.12 * (i % 3 == 0)), width=width, joint="curve")
    d.line((*points[0], w * 0.1, h * 0.3), fill=body, width=int(h * 0.14))
    d.ellipse((w * 0.04, h * 0.18, w * 0.2, h * 0.36), fill=body)
    d.ellipse((w * 0.14, h * 0.23, w * 0.165, h * 0.26), fill=BLACK)


def ape(layer: Image.Image, look: Look) -> None:
    """An ape or monkey sitting, facing us: a round shaggy body, long arms hanging to the ground,
    a pale face with a muzzle, small ears (an orangutan's coat ginger, a gorilla's near black)."""
    d, w, h = ImageDraw.Draw(layer), layer.width, layer.height
    name = look.name.lower()
    fur = named_color(look, {"orangutan": (196, 92, 36), "gorilla": (46, 44, 46), "chimp": (60, 50, 44), "baboon": (150, 130, 96)}, (140, 96, 60))
    face = (230, 190, 150) if "orangutan" not in name else (150, 110, 90)
    if "gorilla" in name or "chimp" in name:
        face = (90, 84, 82)
    dark = _mix(fur, (0, 0, 0), 0.22)
    arm = max(2, int(w * 0.13))
    for side in (-1, 1):  # long arms, down to knuckles on the ground
        d.line((w * (0.5 + side * 0.26), h * 0.42, w * (0.5 + side * 0.4), h * 0.9), fill=dark, width=arm)
        d.ellipse((w * (0.5 + side * 0.4) - arm * 0.7, h * 0.86, w * (0.5 + side * 0.4) + arm * 0.7, h), fill=dark)
    d.ellipse((w * 0.2, h * 0.34, w * 0.8, h * 0.96), fill=fur)  # body
    d.ellipse((w * 0.34, h * 0.52, w * 0.66, h * 0.9), fill=_mix(fur, (255, 255, 255), 0.18))  # belly
    for side in (-1, 1):  # feet
        d.ellipse((w * (0.5 + side * 0.16) - w * 0.1, h * 0.88, w * (0.5 + side * 0.16) + w * 0.1, h), fill=dark)
    if "orangutan" in name:  # cheek pads
        d.ellipse((w * 0.22, h * 0.1, w * 0.78, h * 0.42), fill=_mix(face, (0, 0, 0), 0.15))
    for side in (-1, 1):
        d.ellipse((w * (0.5 + side * 0.2) - w * 0.06, h * 0.14, w * (0.5 + side * 0.2) + w * 0.06, h * 0.26), fill=face)  # ears
    d.ellipse((w * 0.3, 0, w * 0.7, h * 0.4), fill=fur)  # head
    d.ellipse((w * 0.36, h * 0.1, w * 0.64, h * 0.38), fill=face)  # face
    d.ellipse((w * 0.4, h * 0.24, w * 0.6, h * 0.38), fill=_mix(face, (255, 255, 255), 0.2))  # muzzle
    for side in (-1, 1):
        d.ellipse((w * (0.5 + side * 0.07) - w * 0.025, h * 0.16, w * (0.5 + side * 0.07) + w * 0.025, h * 0.21), fill=BLACK)
    d.line((w * 0.45, h * 0.33, w * 0.55, h * 0.33), fill=BLACK, width=max(1, int(h * 0.01)))


def lizard(layer: Image.Image, look: Look) -> None:
    """A lizard in profile on a branch: a long body, splayed legs, a tapering tail (a chameleon's
    curled, with a crested head and a big eye; an axolotl's pink, with frilly gills)."""
    d, w, h = ImageDraw.Draw(layer), layer.width, layer.height
    name = look.name.lower()
    axolotl, chameleon = "axolotl" in name, "chameleon" in name
    skin = named_color(look, {"axolotl": (246, 176, 190), "chameleon": (110, 190, 70), "gecko": (150, 180, 90), "iguana": (90, 150, 80),
                              "salamander": (230, 120, 40), "newt": (200, 110, 50)}, (120, 150, 80))
    dark = _mix(skin, (0, 0, 0), 0.2)
    if chameleon:
        d.line((0, h * 0.8, w, h * 0.74), fill=(110, 80, 50), width=max(2, int(h * 0.06)))  # its branch
    for x in (0.3, 0.6):  # legs
        d.line((w * x, h * 0.56, w * (x - 0.06), h * 0.8), fill=dark, width=max(1, int(w * 0.04)))
        d.line((w * (x + 0.04), h * 0.56, w * (x + 0.1), h * 0.8), fill=skin, width=max(1, int(w * 0.04)))
    if chameleon:  # the tail curls into a spiral
        d.arc((0, h * 0.42, w * 0.24, h * 0.8), 200, 520, fill=skin, width=max(2, int(h * 0.06)))
        d.line((w * 0.2, h * 0.5, w * 0.3, h * 0.5), fill=skin, width=max(2, int(h * 0.07)))
    else:
        d.polygon([(0, h * 0.62), (w * 0.3, h * 0.46), (w * 0.3, h * 0.62)], fill=dark)
    d.ellipse((w * 0.22, h * 0.34, w * 0.74, h * 0.66), fill=skin)  # body
    d.ellipse((w * 0.6, h * 0.3, w * 0.96, h * 0.6), fill=skin)  # head
    if chameleon:
        d.polygon([(w * 0.62, h * 0.36), (w * 0.7, h * 0.16), (w * 0.8, h * 0.34)], fill=dark)  # the casque
        for k in range(3):
            d.line((w * (0.3 + k * 0.12), h * 0.4, w * (0.34 + k * 0.12), h * 0.6), fill=_mix(skin, (255, 240, 120), 0.4), width=max(1, int(w * 0.02)))
        d.ellipse((w * 0.74, h * 0.34, w * 0.86, h * 0.48), fill=dark)  # the turret eye
        d.ellipse((w * 0.785, h * 0.385, w * 0.815, h * 0.435), fill=BLACK)
        return
    if axolotl:  # three feathery gills each side of the head
        for k, a in enumerate((-0.9, -0.4, 0.1)):
            x0, y0 = w * 0.68, h * 0.4
            d.line((x0, y0, x0 - w * 0.14 * math.cos(a), y0 + h * 0.24 * math.sin(a)), fill=(230, 80, 120), width=max(2, int(w * 0.025)))
    d.ellipse((w * 0.82, h * 0.36, w * 0.86, h * 0.42), fill=BLACK)
    d.arc((w * 0.78, h * 0.4, w * 0.95, h * 0.52), 20, 120, fill=BLACK, width=max(1, int(h * 0.01)))  # a smile


Painter = Callable[[Image.Image, Look], None]

# (words in an animal's name, painter, aspect w / h); the first match wins
NAMED: tuple[tuple[tuple[str, ...], Painter, float], ...] = (
    (("dog", "puppy", "retriever", "labrador", "poodle", "husky", "corgi", "dachshund", "beagle", "terrier", "spaniel", "bulldog",
      "shepherd", "pug", "dalmatian", "collie", "greyhound", "chihuahua", "hound"), dog, 1.4),
    (("elephant", "mammoth", "rhino", "hippo"), elephant, 1.35),
    (("giraffe",), grazer, 0.75),
    (("horse", "pony", "donkey", "camel", "deer", "elk", "moose", "reindeer", "stag", "zebra", "cow", "bull", "ox", "sheep", "lamb",
      "goat", "llama", "alpaca", "antelope", "gazelle", "unicorn", "stallion", "foal"), grazer, 1.2),
    (("fish", "shark", "dolphin", "whale", "salmon", "koi", "tuna", "trout", "orca", "sardine"), fish, 1.9),
    (("bee", "butterfly", "moth", "dragonfly", "ladybug", "ladybird", "beetle", "wasp", "hornet", "honeybee", "bumblebee"), insect, 1.1),
    (("rabbit", "bunny", "hare"), rabbit, 1.0),
    (("turtle", "tortoise"), turtle, 1.5),
    (("snake", "serpent", "python", "cobra"), snake, 2.0),
    (("orangutan", "gorilla", "chimpanzee", "chimp", "monkey", "baboon"), ape, 0.85),
    (("lizard", "chameleon", "axolotl", "gecko", "iguana", "salamander"), lizard, 1.7),
)


def named(name: str) -> tuple[Painter, float] | None:
    """The body plan for an animal called `name`, when it has one of its own: a word of the name
    is a key, or the key with a short ending ("puppies", "bees"), or ends with a long key
    ("goldfish", "bulldog")."""
    words = set(name.lower().replace("-", " ").split())
    for keys, painter, aspect in NAMED:
        if any(k in words or any((w.startswith(k) and len(w) <= len(k) + 2) or (len(k) >= 4 and w.endswith(k)) for w in words) for k in keys):
            return painter, aspect
    return None
