"""Where each subject goes: the plan's placement and scale, then its stage, relations, depth and
count (`arrange`), and the box a text element is set in when it has a carrier (`carrier_boxes`).

Every result is a `Placed`: a subject (or one copy of it) with its canvas box, its draw order,
how much it fades into the haze (depth, mist) and how strongly a glossy surface under it mirrors
it. A plan without a stage, relations or counts keeps exactly its planned boxes.
"""

from __future__ import annotations

import re

from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from imagegate.plan import Plan, Subject, TextElement
from imagegate.render import places
from imagegate.render.stage import Stage
from imagegate.render.subjects import Look, aspect_of, paint_premultiplied, painter_for
from imagegate.render.subjects import mountain as _MOUNTAIN

Box = tuple[int, int, int, int]

PLACEMENTS: dict[str, tuple[float, float]] = {
    "center": (0.5, 0.52), "left third": (1 / 3, 0.55), "right third": (2 / 3, 0.55), "left": (0.27, 0.55),
    "right": (0.73, 0.55), "upper left": (0.28, 0.32), "upper right": (0.72, 0.32), "lower left": (0.28, 0.7),
    "lower right": (0.72, 0.7), "top": (0.5, 0.3), "bottom": (0.5, 0.72), "foreground": (0.5, 0.64),
    "background": (0.5, 0.4),
}
MAX_COPIES = 6
SKY_BORNE = ("plane", "airplane", "helicopter", "balloon", "kite", "bird", "eagle", "moon")
SEATS = ("chair", "sofa", "couch", "bench", "stool", "swing", "throne", "seat")
SHADE_GIVERS = ("tree", "umbrella", "parasol", "awning", "canopy", "pergola")  # "under" one: beside its trunk or pole
SEABED = ("coral", "reef", "seaweed", "kelp", "anemone", "shipwreck", "wreck", "treasure", "starfish", "sponge", "rock")
SWIM_ASPECT = 2.0  # a swimmer's box, width / height (subjects.swimmer)
AFLOAT = ("boat", "ship", "kayak", "gondola", "sailboat", "swan", "duck", "lily")


@dataclass(frozen=True)
class Placed:
    """One subject (or one copy of it) laid out on the canvas."""

    subject: Subject
    box: Box
    order: float
    haze: float = 0.0  # 0..1 towards the stage's haze colour
    reflect: float = 0.0  # opacity of its mirror image below it (0: none)
    place: bool = False  # a place drawn as the scene's set over the whole canvas (`places`)


def subject_box(subject: Subject, width: int, height: int) -> Box:
    """Where a subject goes: its placement centre, its scale of the short side, kept on canvas."""
    short = min(width, height)
    box_h = subject.scale * short
    box_w = box_h * aspect_of(subject.kind, subject.name)
    if box_w > width * 0.96:
        box_h, box_w = box_h * width * 0.96 / box_w, width * 0.96
    fx, fy = PLACEMENTS.get(subject.placement, PLACEMENTS["center"])
    cx, cy = fx * width, fy * height
    if subject.kind in ("person", "mountain") and subject.scale >= 0.7:
        cy = height - box_h / 2  # portraits and ranges stand on the bottom edge
    cx = min(max(cx, box_w / 2), width - box_w / 2)
    cy = min(max(cy, box_h / 2), height - box_h / 2)
    return round(cx - box_w / 2), round(cy - box_h / 2), round(cx + box_w / 2), round(cy + box_h / 2)


# containers whose drawing shows what they hold: "a cup of coffee" is one cup, not a cup and a coffee
HOLDERS = frozenset({"cup", "mug", "glass", "jar", "bowl", "bottle", "can", "tin", "teapot", "pot", "kettle", "carton", "flask",
                     "thermos", "pitcher", "jug", "tumbler", "goblet", "teacup"})


def contents(plan: Plan) -> set[str]:
    """Names of subjects that are what another subject holds ("a cup of coffee", "a glass of red
    wine", "a jar of honey"): drawn in their container, not beside it."""
    text = " ".join(plan.prompt.lower().split())
    held = set()
    for container in plan.subjects:
        head = container.name.lower().split()[-1] if container.name.strip() else ""
        if not (head in HOLDERS or head.rstrip("s") in HOLDERS or (head.endswith("es") and head[:-2] in HOLDERS)):
            continue
        for other in plan.subjects:
            if other is container or other.relation is not None:
                continue
            name = other.name.lower()
            if re.search(rf"\b{re.escape(head)}s? of (?:\w+ ){{0,2}}(?:{re.escape(name)}|{re.escape(name.split()[-1])})\b", text):
                held.add(other.name)
    return held


PORTRAIT = re.compile(r"portrait|head ?shot|close-?up|\bface\b|selfie|\bbust\b|profile (?:picture|photo)|avatar|passport photo|mugshot")
FIGURE_ASPECT = 0.42  # a standing person's box, width / height


def full_figure(plan: Plan, subject: Subject, stage: Stage) -> bool:
    """A person is drawn whole when the prompt places them in a scene (a stage, a setting, a
    relation, several of them) and asks for no portrait; else head and shoulders."""
    if PORTRAIT.search(plan.prompt.lower()):
        return False
    return stage.kind != "none" or plan.setting is not None or subject.relation is not None or subject.count > 1


def _figure_box(box: Box, width: int, height: int) -> Box:
    """The box of a standing figure: as tall as the subject's box, narrower, same bottom centre."""
    h = box[3] - box[1]
    w = h * FIGURE_ASPECT
    cx = (box[0] + box[2]) / 2
    return round(cx - w / 2), box[1], round(cx + w / 2), box[3]


def _swim_box(box: Box) -> Box:
    """A swimmer's box: the standing figure's height laid along, about twice as long as it is
    high (subjects.swimmer), around the same centre."""
    w = (box[3] - box[1]) * 0.9
    h = w / SWIM_ASPECT
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return round(cx - w / 2), round(cy - h / 2), round(cx + w / 2), round(cy + h / 2)


def _stand(cx: float, base: float, w: float, h: float, width: int, height: int, clamp: bool = True) -> Box:
    """A box of w x h whose bottom centre is (cx, base), kept inside the canvas sideways."""
    if clamp:
        cx = min(max(cx, w / 2), width - w / 2) if w < width else width / 2
    top = max(min(base - h, height - h), -h * 0.1)
    return round(cx - w / 2), round(top), round(cx + w / 2), round(top + h)


def _drawn_by_stage(subject: Subject, stage: Stage) -> bool:
    """Subjects the stage itself paints: the lake a scene looks over, the clouds in its sky."""
    name = subject.name.lower()
    if subject.kind == "water" and stage.kind == "outdoor" and stage.ground == "water":
        return True
    if subject.kind == "water" and stage.kind == "outdoor" and not any(k in name for k in ("waterfall", "puddle", "pond")):
        return True
    return subject.kind == "sky" and any(k in name for k in ("cloud", "lightning", "milky way", "northern lights")) and stage.kind == "outdoor"


def place_layer(subject: Subject) -> str | None:
    """"back" or "front" for a place the planner lists as a subject (an alley, a balcony), which
    is drawn over the whole canvas as the set (`places`); None for anything else."""
    if subject.kind != "object":
        return None
    painter = painter_for(subject.kind, subject.name)
    return "back" if painter in places.BACK else "front" if painter in places.FRONT else None


def _reflection_asked(plan: Plan, subject: Subject) -> bool:
    for effect in plan.effects:
        if effect.kind == "reflection":
            target = (effect.target or "").lower()
            if not target or target in subject.name.lower() or subject.name.lower() in target:
                return True
    return False


def arrange(plan: Plan, stage: Stage, width: int, height: int) -> list[Placed]:
    """The subjects laid out on `stage`, in drawing order (far to near)."""
    short = min(width, height)
    names = {s.name: s for s in plan.subjects}
    placed: dict[str, Placed] = {}
    result: list[Placed] = []
    hz = stage.horizon * height
    mist = stage.weather == "mist"
    held = contents(plan)
    shore = _set_footing(plan, stage, width, height)
    subjects = [s for s in plan.subjects if not _drawn_by_stage(s, stage) and s.name not in held]
    # anchors first, so relations can refer to where their anchor went ("a cat in a shoebox under a
    # desk": the desk, then the shoebox, then the cat)
    pending = sorted(enumerate(subjects), key=lambda item: _chain(item[1], names))
    for index, subject in pending:
        layer = place_layer(subject)
        if layer is not None:  # the set: behind everything but the sky and far mountains, or a frame over all
            item = Placed(subject, (0, 0, width, height), 0.6 + index * 0.001 if layer == "back" else 3.9 + index * 0.001, place=True)
            placed.setdefault(subject.name, item)
            result.append(item)
            continue
        box = subject_box(subject, width, height)
        if subject.kind == "person" and full_figure(plan, subject, stage):
            box = _figure_box(box, width, height)
            if stage.kind == "underwater":  # a diver or swimmer lies along the water
                box = _swim_box(box)
        w, h = box[2] - box[0], box[3] - box[1]
        cx = (box[0] + box[2]) / 2
        order, haze, reflect = 2.0 + index * 0.01, 0.0, 0.0
        name = subject.name.lower()
        anchor = placed.get(subject.anchor or "")
        footing = None
        if anchor is not None and anchor.place:  # "on the dunes", "in the alley": the stage places it
            if subject.relation == "on":  # "on a summit", "on a rooftop": on the place's top or floor
                footing = places.footing(painter_for(anchor.subject.kind, anchor.subject.name), anchor.subject.name)
            anchor = None
        elif (shore is not None and anchor is None and subject.kind in ("person", "animal", "object", "car")
              and subject.depth != "background" and not any(k in name for k in SKY_BORNE + AFLOAT)):
            footing = shore  # no relation in a harbour, on a rooftop: on its quay or deck, not across the water
        on_surface = stage.surface is not None and subject.relation in ("on", "against", None) and (
            subject.anchor is None or subject.anchor == stage.surface or subject.anchor not in names)
        if anchor is not None and subject.relation is not None:
            ab = anchor.box
            aw, ah = ab[2] - ab[0], ab[3] - ab[1]
            acx, abase = (ab[0] + ab[2]) / 2, ab[3]
            rel = subject.relation
            # others already put in the same relation to the same anchor: side by side, not stacked
            siblings = len({p.subject.name for p in result if p.subject.anchor == subject.anchor and p.subject.relation == rel})
            pair = sorted((p for p in result if p.subject.name == anchor.subject.name), key=lambda p: p.box[0])
            if subject.kind == "person" and rel in ("on", "in") and any(k in anchor.subject.name.lower() for k in SEATS):
                # a figure is drawn standing: life-size at the seat, in front of it, not up on it or shrunk into it
                k = min(1.0, 1.5 * ah / max(h, 1))
                box = _stand(acx + aw * 0.12 + _spread(siblings, w * k, aw), abase + 0.01 * height, w * k, h * k, width, height)
                order, haze = anchor.order + 0.01, anchor.haze
            elif rel == "between" and len(pair) >= 2:  # in the gap between the first two copies, moved apart for it
                k = min(1.0, 0.9 * ah / max(h, 1))
                h, w = h * k, w * k
                a, b = pair[0], pair[1]
                room = 0.96 * width - (a.box[2] - a.box[0]) - (b.box[2] - b.box[0])
                if w * 1.1 > room:  # narrow enough that the pair still fits on the canvas around it
                    k = max(room, 0.1 * width) / 1.1 / max(w, 1)
                    h, w = h * k, w * k
                gap = w * 1.1 - max(0, b.box[0] - a.box[2])
                if gap > 0:
                    left, right = a.box[0] - gap / 2, b.box[2] + gap / 2
                    shift = max(0.0, -left) - max(0.0, right - width)
                    moved = []
                    for item, dx in ((a, shift - gap / 2), (b, shift + gap / 2)):
                        x0, y0, x1, y1 = item.box
                        moved.append(replace(item, box=(round(x0 + dx), y0, round(x1 + dx), y1)))
                        result[result.index(item)] = moved[-1]
                    a, b = moved
                mid = ((a.box[0] + a.box[2]) / 2 + (b.box[0] + b.box[2]) / 2) / 2
                box = _stand(mid, max(a.box[3], b.box[3]), w, h, width, height)
                order, haze = anchor.order + 0.01, anchor.haze
            elif rel == "beside" or rel == "against" or rel == "between":
                k = min(1.1, max(0.6, h / max(ah, 1)))
                h, w = ah * k, ah * k * aspect_of(subject.kind, subject.name)
                side = 1 if (cx >= acx or acx < width / 2) else -1
                if acx + side * (aw / 2 + w / 2) + w / 2 > width or acx + side * (aw / 2 + w / 2) - w / 2 < 0:
                    side = -side
                box = _stand(acx + side * (aw / 2 + w * 0.55 + 0.02 * width), abase, w, h, width, height)
                order, haze = anchor.order + 0.01, anchor.haze
            elif rel == "in front of":
                box = _stand(cx if abs(cx - acx) > aw * 0.3 else acx + aw * 0.25, min(height, abase + 0.06 * height), w * 1.05, h * 1.05, width, height)
                order, haze = anchor.order + 0.5, max(0.0, anchor.haze - 0.2)
            elif rel == "behind":
                k = 0.8
                base = abase - 0.05 * height if stage.kind != "outdoor" else max(hz + 0.01 * height, abase - 0.12 * height)
                x = acx + aw * 0.3
                if base - h * k > ab[1] - 0.35 * h * k and base > ab[1]:  # it would hide wholly behind its anchor
                    lifted = ab[1] + 0.45 * h * k  # head and back over the anchor's top, feet still behind it
                    if lifted >= ab[1] + 0.3 * ah:
                        base = min(base, lifted)
                    else:  # much smaller than its anchor: peeking out past its side
                        x = ab[2] + 0.1 * w * k if ab[2] + 0.6 * w * k <= width else ab[0] - 0.1 * w * k
                box = _stand(x, base, w * k, h * k, width, height)
                order, haze = anchor.order - 0.5, min(0.8, anchor.haze + (0.25 if stage.kind == "outdoor" else 0.05))
            elif rel == "on":  # on another subject: its base on the anchor's top (a seat, a table top)
                an = anchor.subject.name.lower()
                if anchor.subject.kind == "mountain":  # on its highest peak, small against it
                    k = min(1.0, (0.5 if subject.kind in ("tree", "building") else 0.3) * ah / max(h, 1))
                    peak = 0.64 if painter_for("mountain", an) is _MOUNTAIN else 0.5
                    box = _stand(ab[0] + aw * peak, ab[1] + ah * 0.02, w * k, h * k, width, height)
                else:
                    top = 0.55 if any(k in an for k in ("chair", "sofa", "couch", "bench", "bed")) else 0.3 if "table" in an or "desk" in an else \
                        min(0.7, _top_of(anchor.subject.kind, anchor.subject.name) + 0.03)
                    k = min(1.0, 0.8 * aw / max(w, 1), 0.8 * ah / max(h, 1))
                    box = _stand(acx + _spread(siblings, w * k, aw), ab[1] + ah * top, w * k, h * k, width, height)
                order, haze = anchor.order + 0.01, anchor.haze
            elif rel == "above":
                box = _stand(acx, max(h, ab[1] - 0.03 * height), w, h, width, height)
                order = anchor.order + 0.01
            elif rel == "under":  # in front of what shelters it, small enough to fit beneath it
                an = anchor.subject.name.lower()
                shade = anchor.subject.kind == "tree" or any(k in an for k in SHADE_GIVERS)
                k = min(0.8, (0.55 if subject.kind == "person" else 0.45 if shade else 0.62) * ah / max(h, 1))
                side = (1 if cx >= acx else -1) * (-1 if siblings % 2 else 1)
                x = acx + (aw * 0.22 + w * k * 0.3) * side if shade else acx + _spread(siblings, w * k, aw)
                box = _stand(x, min(height, abase + 0.02 * height), w * k, h * k, width, height)
                order, haze = anchor.order + 0.01, anchor.haze
            elif rel == "in":
                k = 0.55 * min(aw / max(w, 1), ah / max(h, 1))
                box = _stand(acx, ab[3] - ah * 0.2, w * k, h * k, width, height)
                order = anchor.order + 0.01
            elif rel == "held by":
                k = 0.35 * ah / max(h, 1)
                box = _stand(acx + aw * 0.2, ab[1] + ah * 0.95, w * k, h * k, width, height)
                order = anchor.order + 0.01
            reflect = anchor.reflect * 0.8 if rel in ("beside", "in front of", "behind") else 0.0
        elif footing is not None:
            fx, fy = footing
            k = 0.8
            box = _stand(cx if fx is None else fx * width, fy * height, w * k, h * k, width, height)
            haze = 0.2 if mist else 0.0
        elif stage.kind == "outdoor":
            ground = height - hz
            if subject.kind == "mountain":
                h = min(h * 0.8, hz * 0.8) if subject.depth != "foreground" else min(h, hz * 0.9)
                w = min(width * 1.1, h * aspect_of("mountain", name))
                if subject.placement in ("center", "background"):
                    w = max(w, width * 1.04)  # a range spans the view
                box = _stand(cx if subject.placement not in ("center", "background") else width / 2, hz + 0.005 * height, w, h, width, height, clamp=False)
                order, haze = 0.5 + index * 0.01, 0.5 if mist else 0.3
                reflect = 0.5 if stage.ground == "water" else 0.0
            elif subject.kind == "sky":
                if "rainbow" in name:
                    w = width * 0.9
                    box = _stand(width / 2, hz + 0.01 * height, w, w * 0.5, width, height)
                else:
                    r = 0.16 * short
                    fx = 0.72 if "left" not in subject.placement else 0.28
                    box = _stand(fx * width, 0.3 * hz, r, r, width, height)
                order, haze = 0.2, 0.1
            elif any(k in name for k in SKY_BORNE) and subject.kind in ("car", "animal", "object"):
                box = _stand(cx, hz * 0.55, w * 0.6, h * 0.6, width, height)
                order = 1.0
            elif stage.ground == "water" and any(k in name for k in AFLOAT):
                base = hz + ground * (0.25 if subject.depth != "foreground" else 0.7)
                k = 0.55 if subject.depth != "foreground" else 1.0
                box = _stand(cx, base, w * k, h * k, width, height)
                order, reflect = 1.5 + index * 0.01, 0.4
            else:
                depth = subject.depth or ("background" if subject.kind == "building" and stage.ground == "water" else None)
                if depth == "background":
                    base, k, order, haze = hz + 0.01 * height, 0.6, 1.0 + index * 0.01, 0.5 if mist else 0.25
                    reflect = 0.45 if stage.ground == "water" else 0.0
                elif depth == "foreground":
                    base, k, order = height * 0.97, 1.1, 3.0 + index * 0.01
                else:
                    base, k = hz + ground * (0.62 if subject.kind != "tree" else 0.35), 0.9
                    haze = 0.2 if mist else 0.0
                if stage.pier and on_surface and subject.anchor is not None and depth != "background":
                    # on the pier's boards, which narrow towards the water
                    base, k = height * 0.9, 0.9
                    cx = min(max(cx, width * 0.36), width * 0.64)
                elif stage.ground == "water" and depth != "background":  # on the water's far shore
                    base, k, order, haze = hz + 0.01 * height, 0.7, 1.2 + index * 0.01, max(haze, 0.15)
                    reflect = 0.45
                elif stage.glossy and base > hz + 0.2 * ground:
                    reflect = 0.25
                box = _stand(cx, base, w * k, h * k, width, height)
        elif stage.kind == "indoor":
            if stage.top == "wall":
                box = _stand(cx, height * 0.6 + h / 2, w, h, width, height)
            elif on_surface or subject.relation is None:
                k = 1.0 if stage.top != "windowsill" else 0.95
                # the sill and table top: the base stands on the support line, a little lower in front
                base = stage.support * height + (0.03 * height if subject.depth == "foreground" else 0.0)
                box = _stand(cx, base, w * k, h * k, width, height)
                reflect = (0.5 if _reflection_asked(plan, subject) else 0.3) if stage.glossy else 0.0
            else:
                box = _stand(cx, stage.support * height, w, h, width, height)
        elif stage.kind == "underwater" and any(k in name for k in SEABED):
            # reefs and wrecks rest on the sea floor, in front of the sand's far edge
            box = _stand(cx, height * min(0.97, stage.horizon + 0.08), w, h, width, height)
            order = 1.5 + index * 0.01
        else:
            reflect = 0.0
            if _reflection_asked(plan, subject) or (stage.glossy and subject.relation == "on"):
                # room below for the mirror image on the glossy surface
                k = 0.84
                base = min(height * 0.8, box[3] - 0.06 * height)
                box = _stand(cx, base, w * k, h * k, width, height)
                reflect = 0.5
        if subject.depth == "background" and stage.kind != "outdoor" and not haze:
            haze = 0.15
        if _reflection_asked(plan, subject) and not reflect and stage.kind != "none":
            reflect = 0.35
        item = Placed(subject, box, order, haze, reflect)
        placed.setdefault(subject.name, item)
        result.extend(_copies(item, width, height))
    if not any(p.place for p in result):
        result.extend(_set_of(plan, stage, width, height))
    if stage.kind == "outdoor" and stage.forest:
        result.extend(_forest(stage, width, height))
    result.sort(key=lambda p: p.order)
    return result


def _set_footing(plan: Plan, stage: Stage, width: int, height: int) -> tuple[float | None, float] | None:
    """Where the scene's set lets a subject without a relation stand anywhere across (a harbour's
    quay, a rooftop's deck); None for no set or one with a single spot (a summit's peak)."""
    sets = [s for s in plan.subjects if place_layer(s) == "back"] or [p.subject for p in _set_of(plan, stage, width, height)]
    for s in sets:
        found = places.footing(painter_for(s.kind, s.name), s.name)
        if found is not None and found[0] is None:
            return found
    return None


@lru_cache(maxsize=256)
def _top_of(kind: str, name: str) -> float:
    """How far down its box (0..1) the drawing of `kind`/`name` has its top across the middle:
    where something set on it stands (a plate's rim lies low in its box, a rock's crown high)."""
    h = 48
    w = max(1, round(h * aspect_of(kind, name)))
    look = Look(None, (212, 175, 55), False, "left", np.random.default_rng(0), name)
    alpha = np.asarray(paint_premultiplied(kind, (w, h), look, 1))[:, int(w * 0.3):max(int(w * 0.3) + 1, int(w * 0.7)), 3]
    rows = np.nonzero((alpha > 128).mean(axis=1) > 0.5)[0]
    return float(rows[0]) / h if len(rows) else 0.12


def _spread(siblings: int, w: float, room: float) -> float:
    """How far from its anchor's centre the next of several things on, in or under it goes:
    alternately right and left, kept within the anchor's width."""
    if not siblings:
        return 0.0
    step = min(w * 0.9, room * 0.3) * ((siblings + 1) // 2)
    return step if siblings % 2 else -step


def _chain(subject: Subject, names: dict[str, Subject]) -> int:
    """How many anchors deep `subject` hangs (0: none), so anchors are laid out first."""
    depth, seen = 0, {subject.name}
    while subject.anchor in names and subject.anchor not in seen:
        seen.add(subject.anchor)
        subject = names[subject.anchor]
        depth += 1
    return depth


def _set_of(plan: Plan, stage: Stage, width: int, height: int) -> list[Placed]:
    """The set of a place the plan names as its main surface, its setting or what a subject
    stands on without listing it ("a cactus on a sunny balcony", "a nurse in a hospital corridor",
    "a cat on a rooftop"): drawn as a listed one is."""
    listed = {s.name for s in plan.subjects}
    anchors = [s.anchor for s in plan.subjects if s.anchor and s.anchor not in listed]
    for name in (stage.surface, plan.setting, *anchors):
        if name:
            subject = Subject(name, "object", "center")
            layer = place_layer(subject)
            if layer is not None:
                return [Placed(subject, (0, 0, width, height), 0.6 if layer == "back" else 3.9, place=True)]
    return []


def _forest(stage: Stage, width: int, height: int) -> list[Placed]:
    """A wood along the horizon: rows of trees, the far row smaller and hazier."""
    out = []
    hz = stage.horizon * height
    mist = stage.weather == "mist"
    for row, (k, haze, n) in enumerate(((0.3, 0.65 if mist else 0.35, 9), (0.42, 0.45 if mist else 0.2, 6))):
        h = k * min(width, height)
        w = h * 0.85
        for i in range(n):
            cx = (i + 0.5 + 0.3 * ((i * 7 + row * 3) % 5 - 2) / 2) * width / n
            base = hz + (0.01 + 0.05 * row) * height
            tree = Subject(f"forest tree {row} {i}", "tree", "background", k)
            out.append(Placed(tree, _stand(cx, base, w, h, width, height, clamp=False), 0.8 + row * 0.1 + i * 0.001, haze))
    return out


def _copies(item: Placed, width: int, height: int) -> list[Placed]:
    """`count` copies of a subject side by side (smaller the more there are), staggered in depth."""
    n = min(item.subject.count, MAX_COPIES)
    if n <= 1:
        return [item]
    x0, y0, x1, y1 = item.box
    k = 1.0 / (1.0 + 0.18 * (n - 1))
    w, h = (x1 - x0) * k, (y1 - y0) * k
    span = min(width * 0.9, w * n * 1.08)
    cx, base = (x0 + x1) / 2, y1
    cx = min(max(cx, span / 2), width - span / 2)
    step = span / n
    out = []
    for i in range(n):
        lift = (0.025 * height) if i % 2 else 0.0
        box = _stand(cx - span / 2 + step * (i + 0.5), base - lift, w * (0.94 if i % 2 else 1.0), h * (0.94 if i % 2 else 1.0), width, height, clamp=False)
        out.append(replace(item, box=box, order=item.order + (0.0 if i % 2 else 0.001)))
    return out


# ---------------------------------------------------------------- text on what carries it

LABELLED = {"label": ("bottle", "jar", "can", "perfume", "wine", "whisk"), "can": ("can",), "jar": ("jar",), "bottle": ("bottle",)}
BOARDS = frozenset({"sign", "poster", "billboard", "banner", "chalkboard", "whiteboard", "card", "sticker", "wall",
                    "door", "window", "paper", "note", "newspaper", "book cover", "box", "mailbox", "truck"})


def carried_box(element: TextElement, placed: list[Placed]) -> Box | None:
    """The box on a laid-out subject that carries `element`: a bottle's label, a phone's screen,
    a mug's side, a shirt's chest, a sign's board; None when no subject carries it."""
    carrier = (element.carrier or "").lower()
    if not carrier:
        return None
    for item in placed:
        s, (x0, y0, x1, y1) = item.subject, item.box
        w, h = x1 - x0, y1 - y0
        name = s.name.lower()
        if carrier in LABELLED and (s.kind == "bottle" or any(k in name for k in LABELLED[carrier])):
            return round(x0 + w * 0.14), round(y0 + h * 0.575), round(x1 - w * 0.14), round(y0 + h * 0.785)
        if carrier == "screen" and s.kind == "phone":
            return round(x0 + w * 0.14), round(y0 + h * 0.3), round(x1 - w * 0.14), round(y0 + h * 0.62)
        if carrier in ("mug", "cup") and s.kind == "cup":
            return round(x0 + w * 0.2), round(y0 + h * 0.38), round(x0 + w * 0.7), round(y0 + h * 0.68)
        if carrier == "t-shirt" and s.kind == "person":
            if h > 1.6 * w:  # a standing figure: across the chest
                return round(x0 + w * 0.2), round(y0 + h * 0.27), round(x1 - w * 0.2), round(y0 + h * 0.4)
            return round(x0 + w * 0.3), round(y0 + h * 0.8), round(x1 - w * 0.3), round(y0 + h * 0.94)
        if carrier in BOARDS and s.kind == "sign":
            return board_inner(item.box, name)
    return None


def board_inner(box: Box, name: str = "") -> Box:
    """The writable panel inside a sign board painted at `box` (see subjects.sign)."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    if "stop" in name:
        return round(x0 + w * 0.16), round(y0 + h * 0.34), round(x1 - w * 0.16), round(y1 - h * 0.34)
    return round(x0 + w * 0.1), round(y0 + h * 0.16), round(x1 - w * 0.1), round(y1 - h * 0.16)


def board_around(extent: Box, font_px: int, width: int, height: int) -> Box:
    """A sign board's box around laid-out text (`extent` on the canvas) with margins and a frame."""
    x0, y0, x1, y1 = extent
    pad_x, pad_y = max(4, font_px * 0.7), max(3, font_px * 0.45)
    # board_inner takes 10% a side of the width and 16% a side of the height: invert that
    iw, ih = (x1 - x0) + 2 * pad_x, (y1 - y0) + 2 * pad_y
    w, h = iw / 0.8, ih / 0.68
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return round(max(0, cx - w / 2)), round(max(0, cy - h / 2)), round(min(width, cx + w / 2)), round(min(height, cy + h / 2))
