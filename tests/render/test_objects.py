"""Everyday objects get their own drawing by name instead of the rounded box."""

from __future__ import annotations

import numpy as np
import pytest

from imagegate.plan import Plan, Subject
from imagegate.render import objects
from imagegate.render.stage import read_stage
from imagegate.render.subjects import Look, generic, paint_premultiplied, painter_for


@pytest.mark.parametrize("name, painter", [
    ("glass jars", objects.jar), ("soda can", objects.jar), ("trash can", objects.bucket), ("gift box", objects.box),
    ("wooden crate", objects.box), ("picnic basket", objects.basket), ("acoustic guitar", objects.guitar), ("violin", objects.guitar),
    ("red umbrella", objects.umbrella), ("vintage alarm clock", objects.clock), ("lit candle", objects.candle), ("campfire", objects.fire),
    ("white sneakers", objects.shoe), ("top hat", objects.hat), ("copper kettle", objects.teapot), ("glass", objects.wine_glass),
    ("vintage camera", objects.camera), ("headphones", objects.headphones), ("brass telescope", objects.telescope),
    ("purple crystal", objects.gem), ("tent", objects.tent), ("wooden bench", objects.bench), ("old brass key", objects.key),
    ("blue door", objects.door), ("attic window", objects.window), ("red fire hydrant", objects.hydrant),
])
def test_names_pick_their_drawing(name, painter):
    assert painter_for("object", name) is painter


def test_teddy_bears_planned_as_animals_are_toys():
    assert painter_for("animal", "teddy bear") is objects.teddy_bear


@pytest.mark.parametrize("name", ["eyeglasses", "keyboard", "monkey", "fireplace", "hatchet", "canvas", "boxer"])
def test_lookalike_words_do_not(name):
    assert objects.named(name) is None


def test_drawings_are_not_the_box():
    look = lambda name: Look(None, (200, 160, 40), False, "left", np.random.default_rng(1), name)  # noqa: E731
    box = np.asarray(paint_premultiplied("object", (200, 200), Look(None, (200, 160, 40), False, "left", np.random.default_rng(1), "thing")).getchannel("a")) > 128
    assert painter_for("object", "thing") is generic
    for name in ("guitar", "umbrella", "bench", "candle", "telescope", "key", "hydrant", "tent"):  # (a clock is round: like the box)
        mask = np.asarray(paint_premultiplied("object", (200, 200), look(name)).getchannel("a")) > 128
        assert 0.03 < mask.mean() < 0.9, name
        assert (mask & box).sum() / (mask | box).sum() < 0.75, name


def test_an_outdoor_setting_gets_sky_and_ground_without_naming_either():
    plan = Plan(prompt="a picnic basket on a blanket in a park", background="bokeh", setting="park",
                subjects=(Subject("picnic basket", "object", "center"),))
    stage = read_stage(plan)
    assert stage.kind == "outdoor" and stage.ground == "grass"
    assert read_stage(Plan(prompt="a basket", background="bokeh", subjects=plan.subjects)).kind == "none"


def test_what_a_container_holds_is_drawn_in_it_not_beside_it():
    from imagegate.planning.planner import RulePlanner
    from imagegate.render.compose import arrange, contents

    planner = RulePlanner()
    for prompt, held in (("a cup of coffee on a wooden table", "coffee"), ("two glasses of red wine on a bar", "wine"),
                         ("a jar of honey on a shelf", "honey")):
        plan = planner.plan(prompt)
        assert any(held in name for name in contents(plan)), prompt
        drawn = [p.subject.name for p in arrange(plan, read_stage(plan), 400, 400)]
        assert not any(held in name for name in drawn), (prompt, drawn)
    plan = planner.plan("a vase of tulips beside a cup on a table")
    assert not contents(plan)  # a vase's flowers are drawn as flowers


@pytest.mark.parametrize("name, painter", [
    ("red kite", objects.kite), ("kites", objects.kite), ("tripod", objects.tripod), ("space station", objects.space_station),
    ("satellite", objects.space_station), ("coral reef", objects.coral), ("train station", None),
])
def test_more_names_pick_their_drawing(name, painter):
    found = objects.named(name)
    assert (found[0] if found else None) is painter


def _mask(name: str, size: tuple[int, int], color=None) -> np.ndarray:
    look = Look(color, (200, 160, 40), False, "left", np.random.default_rng(1), name)
    return np.asarray(paint_premultiplied("object", size, look, 1).getchannel("a")) > 128


def test_a_kite_is_a_diamond_on_a_tail_and_a_tripod_three_legs():
    kite = _mask("kite", (140, 200))
    widths = kite[:130].sum(axis=1)  # the sail: widest across its spar, narrowing to both points
    assert widths[:10].mean() < 0.3 * widths.max() and widths[110:125].mean() < 0.3 * widths.max()
    assert 40 < widths.argmax() < 60 and kite[140:].any()  # and a tail below it
    legs = _mask("tripod", (120, 200))[178]
    runs = np.count_nonzero(np.diff(legs.astype(np.int8)) == 1) + int(legs[0])
    assert runs == 3 and legs.mean() < 0.3  # three feet apart, no solid base


def test_a_space_station_has_solar_wings_on_both_ends():
    look = Look(None, (200, 160, 40), False, "left", np.random.default_rng(1), "space station")
    px = np.asarray(paint_premultiplied("object", (300, 150), look, 1).convert("RGB"), np.int32)
    blue = (px[..., 2] > px[..., 0] + 60)
    for part in (blue[:, :90], blue[:, -90:]):
        assert part.mean() > 0.25
    assert blue[:, 120:180].mean() < 0.05  # white modules at the middle


def test_sneakers_in_the_plural_are_a_pair():
    one, pair = _mask("white sneaker", (260, 200), (245, 245, 245)), _mask("white sneakers", (260, 200), (245, 245, 245))
    for mask in (one, pair):
        assert mask[-4:].mean() > 0.7 and mask[:40].mean() == 0  # a shoe standing on its sole, low in the box
    assert pair.sum() > 1.15 * one.sum()  # the second shoe shows behind the first
    tops = [np.nonzero(mask.any(axis=1))[0].min() for mask in (one, pair)]
    assert tops[1] < tops[0]
