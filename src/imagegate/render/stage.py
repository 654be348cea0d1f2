"""The stage a plan's subjects stand in: sky, horizon and ground outdoors; wall, window and a
receding top plane indoors. Read from the plan's surfaces, time of day, weather and subjects
(`read_stage`), and painted as planar float32 (3, h, w) at the background's working resolution
(`paint_stage`), so the whole stage costs a few whole-array NumPy steps.

A plan with none of these (a product on marble, a portrait on a gradient) has no stage
(`Stage.kind == "none"`) and keeps its procedural background.

Coordinates are fractions of the canvas: `horizon` is the row where the sky meets the ground
(outdoors) or where the wall meets the top plane (indoors); `support` is the row a subject
"on" the main surface stands on; `front` is the front edge of a table top.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from imagegate.plan import RGB, Plan
from imagegate.render import textures
from imagegate.render.textures import _lerp, _rgb, fbm

# time of day -> (zenith, middle, horizon) sky colours, and the sun (x, height above the
# horizon as a fraction of the sky, radius of the short side, colour) or None
SKIES: dict[str | None, tuple[RGB, RGB, RGB]] = {
    None: ((64, 126, 212), (128, 178, 232), (214, 230, 244)),
    "dawn": ((92, 104, 168), (214, 156, 176), (255, 204, 158)),
    "morning": ((84, 146, 222), (150, 196, 236), (232, 236, 230)),
    "noon": ((44, 112, 212), (100, 164, 232), (204, 226, 246)),
    "afternoon": ((62, 126, 212), (134, 182, 234), (238, 230, 210)),
    "golden hour": ((110, 120, 176), (240, 178, 112), (255, 212, 140)),
    "sunset": ((58, 48, 112), (226, 96, 88), (255, 168, 66)),
    "dusk": ((22, 28, 70), (88, 66, 128), (222, 128, 108)),
    "night": ((5, 8, 26), (12, 20, 52), (30, 42, 84)),
}
SUNS: dict[str | None, tuple[float, float, float, RGB]] = {
    "dawn": (0.3, 0.05, 0.07, (255, 236, 200)),
    "morning": (0.24, 0.4, 0.06, (255, 250, 232)),
    "noon": (0.7, 0.9, 0.05, (255, 255, 244)),
    "afternoon": (0.76, 0.6, 0.055, (255, 248, 226)),
    "golden hour": (0.7, 0.12, 0.07, (255, 226, 160)),
    "sunset": (0.62, 0.03, 0.085, (255, 214, 140)),
}
WEATHER_SKY: dict[str, tuple[RGB, float]] = {  # colour the sky is mixed towards, and how far
    "overcast": ((150, 154, 162), 0.88), "rain": ((96, 104, 118), 0.82), "storm": ((50, 54, 68), 0.8),
    "snow": ((206, 212, 224), 0.6), "mist": ((222, 224, 228), 0.45),
}
GROUNDS: dict[str, tuple[RGB, RGB]] = {  # near horizon, near the viewer
    "grass": ((112, 150, 84), (48, 96, 42)), "sand": ((232, 212, 172), (206, 178, 130)),
    "snow": ((232, 236, 244), (206, 214, 230)), "rock": ((130, 124, 116), (84, 78, 72)),
    "street": ((96, 98, 104), (52, 54, 60)), "ground": ((140, 146, 96), (78, 92, 52)),
    "wood": ((168, 120, 78), (112, 72, 42)),
}
WALLS: dict[str, tuple[RGB, RGB]] = {  # (base, secondary) of a wall's material
    "brick": ((156, 66, 48), (204, 192, 176)), "stone": ((150, 146, 138), (196, 190, 180)),
    "plain": ((216, 206, 190), (196, 186, 170)), "wood": ((150, 98, 58), (98, 60, 32)),
    "concrete": ((150, 148, 144), (110, 108, 104)),
    # a photographer's seamless backdrop behind a product on a surface, light or dark by the plan's tone
    "studio": ((226, 226, 230), (196, 196, 202)), "studio dark": ((44, 44, 50), (18, 18, 22)),
}
TOPS: dict[str, tuple[str, tuple[RGB, RGB]]] = {  # material -> texture painter and its colours
    "wood": ("wood", ((164, 112, 66), (110, 70, 38))), "marble": ("marble", ((232, 230, 226), (150, 148, 150))),
    "granite": ("marble", ((96, 96, 100), (40, 40, 44))), "dark marble": ("marble", ((40, 40, 45), (120, 120, 128))), "stone": ("concrete", ((150, 146, 138), (110, 106, 100))),
    "concrete": ("concrete", ((150, 148, 144), (110, 108, 104))), "glass": ("studio", ((60, 74, 84), (120, 140, 150))),
    "slate": ("concrete", ((60, 62, 66), (40, 42, 46))), "linen": ("paper", ((232, 226, 212), (206, 196, 178))),
}
GLOSSY = frozenset({"marble", "glass", "granite", "mirror", "ice", "water", "steel", "metal", "silver", "gold"})

INDOOR_TOPS = frozenset({"table", "desk", "counter", "nightstand", "tablecloth", "cutting board", "slate", "bed"})
OUTDOOR_GROUNDS = {
    "street": "street", "road": "street", "sidewalk": "street", "highway": "street", "driveway": "street",
    "crossroads": "street", "grass": "grass", "rock": "rock", "cliff": "rock", "sand": "sand", "pier": "water",
    "dock": "water", "ice": "snow", "moon": "rock", "doorstep": "street",
}
WOOD_DECKS = frozenset({"deck", "porch", "balcony"})
OUTDOOR_BACKGROUNDS = frozenset({"sky", "night sky", "water"})
OUTDOOR_KINDS = frozenset({"mountain", "water", "sky"})
SETTING_GROUNDS = (("beach", "sand"), ("desert", "sand"), ("snow", "snow"), ("forest", "grass"), ("field", "grass"),
                   ("meadow", "grass"), ("garden", "grass"), ("park", "grass"), ("city", "street"), ("street", "street"),
                   ("ocean", "water"), ("sea", "water"), ("lake", "water"), ("river", "water"), ("mountain", "ground"),
                   ("savanna", "grass"), ("jungle", "grass"), ("farm", "grass"), ("village", "grass"), ("canyon", "rock"),
                   ("cliff", "rock"), ("harbor", "water"), ("plaza", "street"))
# crops a field grows -> (far, near) colours, the colour between rows or of flower heads, and how it is drawn:
# "stalks" (a tall crop: streaks, faint rows), "rows" (planted rows with gaps), "heads" (flowers dotted over green)
CROPS: dict[str, tuple[RGB, RGB, RGB, str]] = {
    "wheat": ((232, 196, 112), (206, 150, 64), (160, 112, 52), "stalks"),
    "barley": ((232, 204, 128), (204, 160, 80), (160, 120, 60), "stalks"),
    "rye": ((222, 190, 112), (190, 144, 70), (150, 106, 52), "stalks"),
    "hay": ((222, 200, 128), (192, 162, 88), (150, 124, 64), "stalks"),
    "rapeseed": ((240, 222, 70), (226, 196, 36), (110, 140, 50), "stalks"),
    "canola": ((240, 222, 70), (226, 196, 36), (110, 140, 50), "stalks"),
    "corn": ((132, 166, 76), (70, 120, 44), (112, 88, 54), "rows"),
    "rice": ((150, 204, 96), (76, 150, 58), (120, 160, 150), "rows"),
    "lavender": ((160, 132, 200), (116, 80, 168), (96, 118, 70), "rows"),
    "tulip": ((222, 70, 90), (200, 40, 64), (86, 126, 60), "rows"),
    "sunflower": ((120, 150, 64), (60, 98, 40), (248, 200, 40), "heads"),
    "poppy": ((128, 156, 72), (70, 108, 44), (216, 44, 34), "heads"),
}
_CROP = re.compile(rf"\b({'|'.join(CROPS)})\s?(?:fields?|paddy|paddies|farm)\b|\bfields? of ({'|'.join(CROPS)})")
# rooms: a setting indoors, drawn as its wall and floor when no surface is named ("a chef in a kitchen")
ROOMS: dict[str, tuple[str, str]] = {
    "kitchen": ("plain", "marble"), "office": ("plain", "concrete"), "meeting room": ("plain", "wood"), "restaurant": ("wood", "wood"),
    "cafe": ("brick", "wood"), "bakery": ("brick", "wood"), "classroom": ("plain", "wood"), "hospital": ("plain", "concrete"),
    "library": ("wood", "wood"), "bedroom": ("plain", "wood"), "living room": ("plain", "wood"), "dining room": ("plain", "wood"),
    "bathroom": ("stone", "marble"), "workshop": ("wood", "concrete"), "garage": ("concrete", "concrete"), "shop": ("plain", "wood"),
    "supermarket": ("plain", "concrete"), "hallway": ("plain", "wood"), "lobby": ("stone", "marble"), "museum": ("plain", "marble"),
    "gym": ("concrete", "wood"), "attic": ("wood", "wood"), "cellar": ("stone", "stone"), "basement": ("concrete", "concrete"),
    "warehouse": ("concrete", "concrete"), "pantry": ("plain", "wood"), "closet": ("plain", "wood"), "station": ("concrete", "stone"),
    "airport": ("plain", "marble"), "ballroom": ("plain", "marble"), "locker room": ("concrete", "concrete"), "shed": ("wood", "wood"),
    "data center": ("concrete", "concrete"),
}
# settings that are out of doors even when the prompt names no sky, time or weather ("a bench in a park")
OUTDOOR_SETTINGS = frozenset({"park", "garden", "forest", "field", "meadow", "beach", "desert", "savanna", "jungle", "canyon", "farm",
                              "countryside", "village", "plaza", "city", "harbor", "lake", "river", "mountains", "campsite", "backyard",
                              "orchard", "vineyard", "island", "coast", "cliff", "street"})


@dataclass(frozen=True)
class Stage:
    """Where the subjects stand (see the module doc)."""

    kind: str = "none"  # none | outdoor | indoor
    horizon: float = 0.6
    support: float = 0.8
    front: float = 1.0
    ground: str | None = None  # water, grass, street, sand, snow, rock, ground, wood (outdoors)
    wall: str | None = None  # brick, stone, plain, wood, concrete (indoors)
    window: tuple[float, float, float, float] | None = None  # the window opening, for a windowsill
    top: str | None = None  # windowsill, table, shelf, floor (indoors)
    top_material: str | None = None
    surface: str | None = None  # the main surface's name, which "on" relations name
    glossy: bool = False  # the main surface mirrors what stands on it
    time: str | None = None
    weather: str | None = None
    pier: bool = False
    city: bool = False  # the plan's background is a night city: keep its skyline above the street
    shore: bool = False  # a sandy beach in the foreground of the water
    forest: bool = False  # a row of trees along the horizon
    crop: str | None = None  # the ground is a field of this crop (a key of CROPS)
    room: str | None = None  # the room a setting names (a key of ROOMS), for its furnishings
    steel: bool = False  # a professional kitchen: stainless steel, not painted cabinets

    @property
    def sky_colors(self) -> tuple[RGB, RGB, RGB]:
        colors = SKIES.get(self.time, SKIES[None])
        mix = WEATHER_SKY.get(self.weather or "")
        if mix:
            target, t = mix
            if self.time == "night":
                t *= 0.35
            colors = tuple(tuple(int(c + (g - c) * t) for c, g in zip(color, target)) for color in colors)  # type: ignore[assignment]
        return colors

    @property
    def haze(self) -> RGB:
        """The colour distant things fade into: the sky at the horizon (or the mist)."""
        if self.weather == "mist":
            return (224, 226, 230) if self.time != "night" else (80, 88, 110)
        return self.sky_colors[2]


def _material_of(plan: Plan) -> str | None:
    return next((s.material for s in plan.surfaces if s.material), None)


def read_stage(plan: Plan) -> Stage:
    """The stage a plan describes, or Stage() (kind "none") when it describes none."""
    time, weather = plan.time_of_day, plan.weather
    kinds = {s.kind for s in plan.subjects}
    main = plan.surfaces[0] if plan.surfaces else None
    setting = (plan.setting or "").lower()
    text = f"{setting} {plan.prompt.lower()}"  # the setting and the prompt, read for cues below
    common = {"time": time, "weather": weather}
    if main is not None:
        kind, material = main.kind, main.material
        glossy = (material or "") in GLOSSY or kind in ("mirror", "ice")
        if kind == "windowsill":
            return Stage("indoor", horizon=0.66, support=0.7, front=0.76, wall="plain", window=(0.14, 0.06, 0.86, 0.66),
                         top="windowsill", surface=main.name, **common)
        if kind == "wall":
            wall = material if material in WALLS else "plain"
            ground = next((OUTDOOR_GROUNDS[s.kind] for s in plan.surfaces[1:] if s.kind in OUTDOOR_GROUNDS), None)
            return Stage("indoor", horizon=0.84 if ground else 1.0, support=0.92, wall=wall, ground=ground, top="wall",
                         surface=main.name, **common)
        if kind in INDOOR_TOPS:
            mat = material or {"counter": "marble", "slate": "slate", "tablecloth": "linen", "bed": "linen"}.get(kind, "wood")
            return Stage("indoor", horizon=0.56, support=0.72, front=0.9, wall="plain", top="table", top_material=mat,
                         surface=main.name, glossy=glossy, **common)
        if kind == "shelf":
            return Stage("indoor", horizon=0.66, support=0.68, front=0.73, wall="plain", top="shelf", top_material=material or "wood",
                         surface=main.name, **common)
        if kind in ("floor", "rug"):
            return Stage("indoor", horizon=0.5, support=0.8, wall="plain", top="floor", top_material=material or "wood",
                         surface=main.name, glossy=glossy, **common)
        if kind in WOOD_DECKS:
            return Stage("outdoor", horizon=0.55, support=0.85, ground="wood", surface=main.name, **common)
        if kind in OUTDOOR_GROUNDS:
            ground = OUTDOOR_GROUNDS[kind]
            wet = weather in ("rain", "storm") or time == "night"
            return Stage("outdoor", horizon=0.5 if ground == "street" else 0.6, support=0.82, ground=ground, surface=main.name,
                         glossy=ground == "water" or (ground == "street" and wet), pier=kind in ("pier", "dock"),
                         city=plan.background == "night city", **common)
        if kind == "mirror":
            return Stage("none", glossy=True, surface=main.name)
        if kind == "surface" and material in TOPS and time is None and weather is None and not kinds & OUTDOOR_KINDS:
            # "on a dark marble surface": a product on a slab before a seamless backdrop
            dark = plan.tone == "dark" or any(w in main.name.lower() for w in ("dark", "black"))
            top = "dark marble" if material == "marble" and dark else material
            return Stage("indoor", horizon=0.58, support=0.74, front=0.92, wall="studio dark" if dark else "studio", top="table",
                         top_material=top, surface=main.name, glossy=glossy, **common)
    if setting in ("underwater", "space"):
        return Stage(setting, horizon=0.86 if setting == "underwater" else 1.0, support=0.9, **common)
    room = setting if setting in ROOMS else "kitchen" if setting.endswith(" kitchen") else None  # "restaurant kitchen"
    if main is None and room is not None and not kinds & OUTDOOR_KINDS and weather is None:
        wall, floor = ROOMS[room]
        steel = room == "kitchen" and any(w in text for w in ("restaurant", "commercial", "professional"))
        return Stage("indoor", horizon=0.62, support=0.86, wall=wall, top="floor", top_material="concrete" if steel else floor,
                     room=room, steel=steel, **common)
    found = _CROP.search(text)
    crop = (found.group(1) or found.group(2)) if found else None
    outdoor = (
        plan.background in OUTDOOR_BACKGROUNDS or bool(kinds & OUTDOOR_KINDS)
        or (time is not None and plan.background not in ("marble", "wood", "paper", "fabric", "studio", "bokeh", "plain"))
        or weather is not None
        or setting in OUTDOOR_SETTINGS
        or crop is not None
    )
    if plan.background == "night city" and (kinds & {"car", "person"} or weather in ("rain", "storm")):
        return Stage("outdoor", horizon=0.56, support=0.84, ground="street", glossy=True, city=True, **common)
    if not outdoor or plan.background == "night city" or (plan.background == "bokeh" and weather is None and time is None
                                                          and setting not in OUTDOOR_SETTINGS):
        return Stage(glossy=any(e.kind == "reflection" for e in plan.effects) and (_material_of(plan) or "") in GLOSSY)
    ground = "water" if "water" in kinds or plan.background == "water" else None
    if ground is None:
        ground = next((g for word, g in SETTING_GROUNDS if word in text), None)
    if weather == "snow" and ground in (None, "grass", "ground"):
        ground = "snow"
    ground = ground or "grass"
    if ground not in ("grass", "ground"):
        crop = None
    horizon = 0.58 if ground == "water" else 0.62
    if "mountain" in kinds and ground != "water":
        horizon = 0.66
    shore = ground == "water" and any(w in text for w in ("beach", "shore", "coast"))
    forest = "forest" in text or "woods" in text
    return Stage("outdoor", horizon=horizon, support=0.82, ground=ground, glossy=ground == "water", shore=shore, forest=forest,
                 crop=crop, **common)


# ---------------------------------------------------------------- painting


def _rows(h: int) -> np.ndarray:
    return (np.arange(h, dtype=np.float32)[:, None] + 0.5) / h


def paint_sky(rng: np.random.Generator, h: int, w: int, stage: Stage, detail: int, horizon_row: int | None = None) -> np.ndarray:
    """The sky over (3, h, w) for the stage's time and weather; its horizon at `horizon_row`."""
    hz = max(1, horizon_row if horizon_row is not None else h)
    zenith, middle, low = stage.sky_colors
    t = np.minimum(_rows(h) * (h / hz), 1.0)
    upper = np.minimum(t * 2.0, 1.0)
    lower = np.clip(t * 2.0 - 1.0, 0.0, 1.0) ** 1.3
    out = _lerp(zenith, middle, upper * np.ones((1, w), np.float32))
    out += (_rgb(low) - _rgb(middle)) * lower
    weather, time = stage.weather, stage.time
    short = min(h, w)
    ys = np.arange(h, dtype=np.float32)[:, None]
    xs = np.arange(w, dtype=np.float32)[None, :]
    sun = SUNS.get(time) if weather not in ("overcast", "rain", "storm", "snow") else None
    if sun is not None:
        sx, sy, sr, sc = sun
        cx, cy, r = sx * w, hz - sy * hz, sr * short
        d2 = ((xs - cx) ** 2 + (ys - cy) ** 2) / (r * r)
        glow = np.exp(-d2 * 0.12) * (0.7 if weather != "mist" else 0.5)
        out += (_rgb(sc) - out) * glow
        disc = np.clip((1.0 - d2) * 6.0, 0.0, 1.0)
        if weather == "mist":
            disc *= 0.6
        out += (_rgb((255, 250, 236)) - out) * disc
    if time in ("night", "dusk") and weather not in ("overcast", "rain", "storm"):
        stars = rng.random((h, w), dtype=np.float32) > (0.994 if time == "night" else 0.998)
        fade = np.minimum(1.0, 1.4 - t * 1.2)
        out += stars * fade * (235.0 - out) * (0.9 if time == "night" else 0.5)
        if time == "night":
            cx, cy, r = 0.78 * w, 0.2 * hz, 0.05 * short
            d2 = ((xs - cx) ** 2 + (ys - cy) ** 2) / (r * r)
            out += (_rgb((120, 140, 190)) - out) * np.exp(-d2 * 0.15) * 0.5
            out += (_rgb((240, 240, 228)) - out) * np.clip((1.0 - d2) * 6.0, 0.0, 1.0)
    # clouds: soft stretched noise; a low ceiling for overcast and rain
    density = fbm(rng, h, w, cells=2, octaves=max(2, detail), stretch=3.0)
    if weather in ("overcast", "rain", "storm", "snow"):
        cover = np.clip((density - 0.3) * 1.6, 0.0, 1.0)
        shade = _rgb(tuple(int(c * (0.78 if weather in ("rain", "storm") else 0.9)) for c in middle))
        out += (shade - out) * (cover * 0.6)
        out += (_rgb(tuple(min(255, int(c * 1.12)) for c in middle)) - out) * (np.clip(density - 0.6, 0.0, 1.0) * 1.2)
    elif time != "night":
        cover = np.clip((density - 0.52) / 0.3, 0.0, 1.0) ** 1.5 * (1.0 - 0.6 * t)
        lit = (255, 244, 236) if time not in ("sunset", "dusk", "dawn", "golden hour") else tuple(min(255, int(c * 1.1) + 30) for c in middle)
        out += (_rgb(lit) - out) * (cover * 0.8)
    if weather == "mist" or time == "dawn":
        band = np.exp(-(((_rows(h) * h - hz) / (0.22 * hz)) ** 2))
        out += (_rgb(stage.haze) - out) * (band * (0.7 if weather == "mist" else 0.35))
    return out


def _ground_gradient(h: int, w: int, near: RGB, far: RGB) -> np.ndarray:
    return _lerp(near, far, (_rows(h) ** 0.8) * np.ones((1, w), np.float32))


def paint_ground(rng: np.random.Generator, sky: np.ndarray, h: int, w: int, stage: Stage, detail: int, width_px: int) -> np.ndarray:
    """The ground below the horizon (3, h, w); `sky` is the painted sky above it (for water)."""
    kind = stage.ground or "grass"
    light = _light_factor(stage)
    if kind == "water":
        rows = sky.shape[1]
        take = np.clip((rows - 1 - (np.arange(h) * 0.7 * rows / max(h, 1)).astype(np.intp)), 0, rows - 1)
        out = sky[:, take, :] * np.float32(0.82)
        depth = _rows(h)
        out += (_rgb((24, 78, 150)) * light - out) * (0.3 + 0.5 * depth)
        ripples = fbm(rng, h, w, cells=3, octaves=max(2, detail - 1), stretch=10.0)
        out *= 0.9 + 0.2 * ripples
        sun = SUNS.get(stage.time) if stage.weather not in ("overcast", "rain", "storm", "snow") else None
        if sun is not None and sun[1] < 0.2:  # a path of glitter under a low sun
            xs = np.arange(w, dtype=np.float32)[None, :] / w
            path = np.exp(-(((xs - sun[0]) / (0.04 + 0.1 * depth)) ** 2)) * np.clip(ripples * 2.0 - 0.9, 0.0, 1.0)
            out += (_rgb(sun[3]) - out) * path
        return out
    if stage.crop in CROPS:
        return _crop_field(rng, h, w, CROPS[stage.crop], detail, light)
    near, far = GROUNDS.get(kind, GROUNDS["ground"])
    out = _ground_gradient(h, w, tuple(int(c * light) for c in near), tuple(int(c * light) for c in far))
    if kind == "wood":
        planks = textures.wood(rng, h, w, ((168, 120, 78), (112, 72, 42)), detail).transpose(2, 0, 1)
        return planks * np.float32(light)
    noise = fbm(rng, h, w, cells=4, octaves=max(2, detail), stretch=4.0)
    out *= 0.86 + 0.28 * noise
    if kind == "street":
        y = _rows(h)
        x = (np.arange(w, dtype=np.float32)[None, :] + 0.5) / w
        spread = 0.04 + 0.55 * y  # lane half-widths widen towards the viewer
        centre = np.abs(x - 0.5)
        dashes = ((np.log1p(y * 12.0) * 4.0) % 1.0 < 0.5).astype(np.float32)
        line = np.clip(1.0 - np.abs(centre / (0.006 + 0.012 * y)) + 0.5, 0.0, 1.0) * dashes
        edge = np.clip(1.0 - np.abs(centre - spread * 1.6) / (0.004 + 0.01 * y), 0.0, 1.0)
        marks = np.maximum(line, edge)
        out += (_rgb((236, 226, 190)) * light - out) * (marks * 0.85)
        if stage.glossy:  # wet: the sky and lights mirrored in streaks
            rows = sky.shape[1]
            take = np.clip(rows - 1 - (np.arange(h) * rows / max(h, 1)).astype(np.intp), 0, rows - 1)
            streak = fbm(rng, h, w, cells=2, octaves=2, stretch=0.15)
            out += sky[:, take, :] * (0.35 * streak)
    return out


def _crop_field(rng: np.random.Generator, h: int, w: int, crop: tuple[RGB, RGB, RGB, str], detail: int, light: float) -> np.ndarray:
    """A field of a crop (3, h, w): its colour from the horizon to the viewer, with planted rows
    that converge on the horizon's centre, and a tall crop's stalks or flowers' heads."""
    far, near, other, style = crop
    y = _rows(h)
    x = (np.arange(w, dtype=np.float32)[None, :] + 0.5) / w
    out = _ground_gradient(h, w, tuple(int(c * light) for c in far), tuple(int(c * light) for c in near))
    depth = 1.0 / (y + np.float32(0.06))  # rows and heads shrink towards the horizon
    across = (x - np.float32(0.5)) * depth
    fade = np.clip(y * 4.0 - 0.15, 0.0, 1.0)  # too fine to draw near the horizon
    rows = np.cos(across * np.float32(2 * np.pi * 1.6)) * fade  # -1 (between rows) .. 1
    gap = _rgb(tuple(int(c * light) for c in other))
    if style == "rows":
        out += (gap - out) * np.clip(-rows * 1.6 - 0.2, 0.0, 1.0)
    elif style == "heads":
        v = np.log(depth) * np.float32(13.0 * h / w)  # a head's rows half as deep as they are wide
        fu = (across * np.float32(6.0) + np.floor(v) * np.float32(0.5)) % 1.0 - 0.5  # staggered row to row
        fv = v % 1.0 - 0.5
        head = np.clip(1.0 - (fu * fu + fv * fv) / 0.1, 0.0, 1.0) * fade
        out += (gap - out) * np.clip(head * 3.0, 0.0, 1.0)
        out += (_rgb((90, 56, 30)) * np.float32(light) - out) * np.clip(head * 4.0 - 3.0, 0.0, 1.0)  # a seed disc
        out += (gap - out) * ((1.0 - fade) * 0.55)  # far off, the flowers blend into a band of colour
    else:
        out *= 1.0 - 0.12 * np.clip(-rows, 0.0, 1.0)
    stalks = fbm(rng, h, w, cells=6, octaves=max(2, min(detail, 3)), stretch=0.08)  # upright streaks
    out *= 0.8 + 0.36 * stalks
    return out


def _light_factor(stage: Stage) -> float:
    return {"night": 0.35, "dusk": 0.6, "dawn": 0.85, "sunset": 0.8}.get(stage.time or "", 1.0) * (0.8 if stage.weather in ("rain", "storm") else 1.0)


def _bricks(rng: np.random.Generator, h: int, w: int, base: RGB, mortar: RGB, rows: float, light: float) -> np.ndarray:
    """A brick bond: offset courses of bricks with mortar joints and a colour per brick."""
    course = h / rows
    y = np.arange(h, dtype=np.float32)[:, None] / course
    x = np.arange(w, dtype=np.float32)[None, :] / (course * 2.6)
    row = np.floor(y)
    xo = x + 0.5 * (row % 2)
    col = np.floor(xo)
    table = rng.random((64, 64), dtype=np.float32)
    tint = table[(row % 64).astype(np.intp), (col % 64).astype(np.intp)]
    fy, fx = y - row, xo - col
    joint = np.maximum(np.clip(1.0 - fy / 0.12, 0.0, 1.0), np.clip(1.0 - fx / 0.05, 0.0, 1.0))
    grime = fbm(rng, h, w, cells=3, octaves=3)
    brick = _lerp(tuple(int(c * 0.78) for c in base), tuple(min(255, int(c * 1.12)) for c in base), tint)
    brick *= 0.9 + 0.2 * grime
    out = brick + (_rgb(mortar) - brick) * joint
    return out * np.float32(light)


def paint_wall(rng: np.random.Generator, h: int, w: int, stage: Stage, palette: tuple[RGB, ...], detail: int) -> np.ndarray:
    wall = stage.wall or "plain"
    base, second = WALLS.get(wall, WALLS["plain"])
    light = max(0.45, _light_factor(stage))
    if wall == "brick":
        return _bricks(rng, h, w, base, second, 14.0, light)
    if wall == "stone":
        return _bricks(rng, h, w, base, (90, 88, 84), 7.0, light)
    if wall == "wood":
        return textures.wood(rng, h, w, (base, second), detail).transpose(2, 0, 1) * np.float32(light)
    if wall == "concrete":
        return textures.concrete(rng, h, w, (base, second), detail).transpose(2, 0, 1) * np.float32(light)
    if stage.time in ("sunset", "golden hour", "dusk", "dawn"):
        base = tuple(int(c * k) for c, k in zip(base, (1.04, 0.9, 0.8)))  # type: ignore[assignment]
    noise = fbm(rng, h, w, cells=3, octaves=2)
    out = _lerp(base, second, (_rows(h) * 0.6 + noise * 0.4) * np.ones((1, w), np.float32))
    return out * np.float32(light)


def _top_plane(rng: np.random.Generator, h: int, w: int, material: str, detail: int, light: float) -> np.ndarray:
    painter, colors = TOPS.get(material, TOPS["wood"])
    # painted twice as tall and squashed: grain and veins recede (marble squeezes its own pattern,
    # at half the cost and with no rows dropped from its thin veins)
    if painter == "marble":
        tex = textures.marble(rng, max(1, h), w, colors, detail, squash=2.0).transpose(2, 0, 1)
    else:
        tex = textures.PAINTERS[painter](rng, max(2, h * 2), w, colors, detail).transpose(2, 0, 1)[:, ::2, :][:, :h, :]
    recede = 0.86 + 0.2 * _rows(h)
    return tex * recede * np.float32(light)


def paint_underwater(rng: np.random.Generator, h: int, w: int, hz: int, detail: int) -> np.ndarray:
    """Under the sea: teal near the surface deepening to blue, shafts of light from above,
    drifting particles, and a sandy seabed along the bottom."""
    depth = _rows(h)
    out = _lerp((70, 170, 190), (8, 40, 90), depth**0.8 * np.ones((1, w), np.float32))
    x = np.arange(w, dtype=np.float32)[None, :] / w
    beams = np.zeros((h, w), np.float32)
    for _ in range(5):  # slanted shafts of light, fading with depth
        x0, slope, width = rng.uniform(0.0, 1.0), rng.uniform(-0.25, 0.25), rng.uniform(0.02, 0.06)
        beams += np.exp(-(((x - x0 - slope * depth) / width) ** 2)) * np.clip(1.0 - depth * 1.3, 0.0, 1.0)
    out += np.clip(beams, 0.0, 1.2)[None] * np.float32(55.0)
    motes = rng.random((h, w), dtype=np.float32) > 0.9985
    out += motes[None] * np.float32(90.0)
    if h > hz:
        sand = fbm(rng, h - hz, w, cells=4, octaves=min(detail, 4))
        bed = _lerp((150, 150, 120), (196, 188, 150), sand)
        ridge = (0.5 + 0.5 * np.sin(x * 40.0 + sand * 6.0)) * 0.08
        out[:, hz:] = bed * (0.9 + ridge)
        out[:, hz : hz + max(1, h // 90)] *= np.float32(0.85)
    return np.clip(out, 0, 255, out=out)


def paint_space(rng: np.random.Generator, h: int, w: int, detail: int) -> np.ndarray:
    """Outer space: near-black with a faint violet and teal nebula and stars of a few sizes."""
    cloud = fbm(rng, h, w, cells=3, octaves=min(detail, 4))
    other = fbm(rng, h, w, cells=2, octaves=min(detail, 3))
    out = _lerp((4, 6, 16), (14, 16, 40), _rows(h) * np.ones((1, w), np.float32))
    out += np.clip(cloud - 0.5, 0.0, 1.0)[None] * _rgb((120, 50, 140)) * np.float32(1.6)
    out += np.clip(other - 0.55, 0.0, 1.0)[None] * _rgb((30, 110, 130)) * np.float32(1.4)
    stars = rng.random((h, w), dtype=np.float32)
    out += (stars > 0.997)[None] * np.float32(200.0) + ((stars > 0.99) & (stars <= 0.997))[None] * np.float32(70.0)
    return np.clip(out, 0, 255, out=out)


def paint_stage(stage: Stage, rng: np.random.Generator, h: int, w: int, palette: tuple[RGB, ...], detail: int,
                city: np.ndarray | None = None) -> np.ndarray:
    """The stage as planar float32 (3, h, w) in 0..255."""
    hz = int(round(stage.horizon * h))
    if stage.kind == "underwater":
        return paint_underwater(rng, h, w, hz, detail)
    if stage.kind == "space":
        return paint_space(rng, h, w, detail)
    if stage.kind == "outdoor":
        sky = city[:, :hz, :] if city is not None else paint_sky(rng, hz, w, stage, detail)
        out = np.empty((3, h, w), np.float32)
        out[:, :hz] = sky
        if h > hz:
            out[:, hz:] = paint_ground(rng, sky, h - hz, w, stage, detail, w)
            if stage.pier:
                _pier(out, hz, h, w, _light_factor(stage))
            if stage.shore:
                _shore(rng, out, hz, h, w, _light_factor(stage))
        return np.clip(out, 0, 255, out=out)
    out = paint_wall(rng, h, w, stage, palette, detail)
    light = max(0.45, _light_factor(stage))
    if stage.window is not None:
        x0, y0, x1, y1 = (round(v * s) for v, s in zip(stage.window, (w, h, w, h)))
        inner = paint_sky(rng, y1 - y0, x1 - x0, stage, detail, horizon_row=round((y1 - y0) * 0.92))
        out[:, y0:y1, x0:x1] = inner
        frame = _rgb(tuple(int(c * light) for c in (236, 232, 222)))
        t = max(2, round(0.022 * h))
        for box in ((x0 - t, y0 - t, x1 + t, y0 + t), (x0 - t, y0, x0 + t, y1), (x1 - t, y0, x1 + t, y1),
                    ((x0 + x1) // 2 - t // 2, y0, (x0 + x1) // 2 + t // 2 + 1, y1), (x0, (y0 + y1) // 2 - t // 2, x1, (y0 + y1) // 2 + t // 2 + 1)):
            bx0, by0, bx1, by1 = max(0, box[0]), max(0, box[1]), min(w, box[2]), min(h, box[3])
            out[:, by0:by1, bx0:bx1] = frame
    if stage.top == "windowsill":
        top, face, bottom = int(stage.horizon * h), int(0.73 * h), int(stage.front * h)
        sx0, sx1 = int(0.06 * w), int(0.94 * w)
        sill = (226, 218, 204)
        out[:, top:face, sx0:sx1] = _lerp(tuple(int(c * light * 0.92) for c in sill), tuple(int(c * light) for c in sill),
                                          _rows(face - top) * np.ones((1, sx1 - sx0), np.float32))
        out[:, face:bottom, sx0:sx1] = _rgb(tuple(int(c * light * 0.7) for c in sill))
        shadow = np.exp(-np.arange(h - bottom, dtype=np.float32) / max(1.0, 0.05 * h))[None, :, None]
        out[:, bottom:, :] *= 1.0 - 0.45 * shadow
    elif stage.top == "table":
        top, front = int(stage.horizon * h), int(stage.front * h)
        out[:, top:front] = _top_plane(rng, front - top, w, stage.top_material or "wood", detail, light)
        edge = min(h, front + max(2, int(0.035 * h)))
        out[:, front:edge] = out[:, front - 1 : front] * np.float32(0.62)
        out[:, edge:] *= np.float32(0.35)
        # a soft shadow line where the top meets the wall
        out[:, top : top + max(1, h // 60)] *= np.float32(0.8)
    elif stage.top == "shelf":
        top, front = int(stage.horizon * h), int(stage.front * h)
        out[:, top:front] = _top_plane(rng, front - top, w, stage.top_material or "wood", detail, light)
        edge = min(h, front + max(2, int(0.03 * h)))
        out[:, front:edge] = out[:, front - 1 : front] * np.float32(0.6)
        shadow = np.exp(-np.arange(h - edge, dtype=np.float32) / max(1.0, 0.06 * h))[None, :, None]
        out[:, edge:, :] *= 1.0 - 0.5 * shadow
    elif stage.top == "floor":
        top = int(stage.horizon * h)
        out[:, top:] = _top_plane(rng, h - top, w, stage.top_material or "wood", detail, light)
        board = max(2, int(0.025 * h))
        out[:, max(0, top - board) : top] = _rgb(tuple(int(c * light) for c in (236, 232, 224)))
        if stage.room == "kitchen":
            _kitchen(rng, out, top, h, w, light, stage.steel)
    elif stage.top == "wall" and stage.horizon < 1.0:
        top = int(stage.horizon * h)
        out[:, top:] = paint_ground(rng, out[:, :top], h - top, w, Stage(ground=stage.ground or "street", time=stage.time), detail, w)
        out[:, top : top + max(1, h // 80)] *= np.float32(0.6)
    return np.clip(out, 0, 255, out=out)


def _kitchen(rng: np.random.Generator, out: np.ndarray, floor: int, h: int, w: int, light: float, steel: bool) -> None:
    """A kitchen along the back wall (rows above `floor`): a run of base cabinets with a worktop,
    a tiled backsplash, wall cabinets, and a range with its oven and hood on one side. Flat
    fills on slices of the working-resolution stage, so it costs next to nothing."""
    def fill(x0: float, y0: float, x1: float, y1: float, color: RGB) -> None:
        out[:, max(0, round(y0)) : max(0, round(y1)), max(0, round(x0)) : max(0, round(x1))] = _rgb(tuple(int(c * light) for c in color))

    cabinet = (196, 200, 206) if steel else (226, 222, 210)
    seam = _mix_rgb(cabinet, (0, 0, 0), 0.3)
    counter_top = floor - 0.24 * h
    splash_top = counter_top - 0.17 * h
    stove0, stove1 = 0.6 * w, 0.8 * w
    # backsplash: white subway tiles in a running bond
    y0, y1 = max(0, round(splash_top)), round(counter_top)
    if y1 > y0:
        tiles = _bricks(rng, y1 - y0, w, (236, 238, 236), (196, 198, 196), max(3.0, (y1 - y0) / max(2.0, 0.028 * h)), light)
        glaze = _rgb(tuple(int(c * light) for c in (236, 238, 236)))
        out[:, y0:y1] = glaze + (tiles - glaze) * np.float32(0.45)  # glazed tiles vary less than bricks
    fill(0, counter_top, w, floor, cabinet)  # base cabinets
    fill(0, floor - 0.02 * h, w, floor, _mix_rgb(cabinet, (0, 0, 0), 0.45))  # toe kick
    doors = 7
    for i in range(1, doors):
        x = i * w / doors
        if not stove0 - 2 < x < stove1 + 2:
            fill(x - max(1, w // 400), counter_top, x + max(1, w // 400) + 1, floor - 0.02 * h, seam)
            fill(x - 0.018 * w, counter_top + 0.04 * h, x - 0.012 * w, counter_top + 0.1 * h, (90, 92, 98))  # handles
            fill(x + 0.012 * w, counter_top + 0.04 * h, x + 0.018 * w, counter_top + 0.1 * h, (90, 92, 98))
    fill(stove0, counter_top, stove1, floor - 0.02 * h, (70, 72, 78))  # the range: oven door and window
    fill(stove0 + 0.02 * w, counter_top + 0.07 * h, stove1 - 0.02 * w, floor - 0.05 * h, (30, 30, 34))
    fill(stove0 + 0.02 * w, counter_top + 0.035 * h, stove1 - 0.02 * w, counter_top + 0.05 * h, (186, 188, 192))
    fill(0, counter_top - 0.022 * h, w, counter_top, (206, 208, 212) if steel else (120, 116, 112))  # worktop
    fill(stove0, counter_top - 0.03 * h, stove1, counter_top - 0.022 * h, (40, 40, 44))  # hob
    # wall cabinets, and a hood over the range
    fill(0, 0.03 * h, stove0 - 0.04 * w, splash_top, cabinet)
    fill(stove1 + 0.04 * w, 0.03 * h, w, splash_top, cabinet)
    for i in range(1, doors):
        x = i * w / doors
        if x < stove0 - 0.04 * w or x > stove1 + 0.04 * w:
            fill(x - max(1, w // 400), 0.03 * h, x + max(1, w // 400) + 1, splash_top, seam)
    fill(0, splash_top - 0.012 * h, stove0 - 0.04 * w, splash_top, _mix_rgb(cabinet, (0, 0, 0), 0.2))
    fill(stove1 + 0.04 * w, splash_top - 0.012 * h, w, splash_top, _mix_rgb(cabinet, (0, 0, 0), 0.2))
    hood = (176, 180, 186)
    fill((stove0 + stove1) / 2 - 0.04 * w, 0, (stove0 + stove1) / 2 + 0.04 * w, splash_top - 0.06 * h, hood)  # its chimney
    rows = max(1, round(0.06 * h))
    for k in range(rows):  # the canopy widens downwards
        spread = (0.04 + 0.08 * (k + 1) / rows) * w
        y = splash_top - 0.06 * h + k
        fill((stove0 + stove1) / 2 - spread, y, (stove0 + stove1) / 2 + spread, y + 1, hood)
    fill(stove0 - 0.02 * w, splash_top - 0.012 * h, stove1 + 0.02 * w, splash_top, _mix_rgb(hood, (0, 0, 0), 0.3))


def _mix_rgb(a: RGB, b: RGB, t: float) -> RGB:
    return tuple(int(x + (y - x) * t) for x, y in zip(a, b))  # type: ignore[return-value]


def _pier(out: np.ndarray, hz: int, h: int, w: int, light: float) -> None:
    """Wooden boards from the bottom edge narrowing towards the horizon."""
    rows = np.arange(hz, h)
    y = (rows - hz) / max(1, h - hz)
    start = 0.3
    for r, t in zip(rows, y):
        if t < start:
            continue
        k = (t - start) / (1 - start)
        half = (0.05 + 0.3 * k) * w
        x0, x1 = int(w / 2 - half), int(w / 2 + half)
        tone = 0.85 + 0.15 * (int(k * 24) % 2)
        out[:, r, x0:x1] = (_rgb((150, 106, 66)) * (light * tone))[:, 0]


def _shore(rng: np.random.Generator, out: np.ndarray, hz: int, h: int, w: int, light: float) -> None:
    """A sandy beach across the bottom of the picture, its wet edge wavy."""
    x = np.arange(w, dtype=np.float32) / w
    edge = (0.8 + 0.03 * np.sin(x * 9.0 + float(rng.uniform(0, 6.28)))) * h
    rows = np.arange(h, dtype=np.float32)[:, None]
    sand = np.clip((rows - edge[None, :]) / max(1.0, 0.01 * h), 0.0, 1.0)
    foam = np.exp(-(((rows - edge[None, :] + 0.008 * h) / max(1.0, 0.006 * h)) ** 2)) * 0.8
    colour = _rgb((226, 204, 160)) * np.float32(light)
    out += (colour - out) * sand
    out += (_rgb((246, 248, 250)) * np.float32(light) - out) * foam
