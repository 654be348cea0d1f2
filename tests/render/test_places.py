"""Places the planner lists as subjects (an alley, a courtyard, dunes, a balcony) are drawn as the
scene's set over the whole canvas, not as a box; and the tail of everyday objects that used to
fall back to the box gets its own drawings."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from imagegate.plan import Plan, Subject, Surface
from imagegate.render import creatures, objects, places
from imagegate.render.compose import arrange, place_layer
from imagegate.render.more_subjects import bird, boat, bowl, statue, truck
from imagegate.render.scene import render_plan
from imagegate.render.stage import read_stage
from imagegate.render.subjects import Look, generic, paint_premultiplied, painter_for

W = H = 256


def look(name: str, dark: bool = False) -> Look:
    return Look(None, (212, 175, 55), dark, "left", np.random.default_rng(1), name)


def alpha(name: str, size: tuple[int, int] = (W, H), dark: bool = False) -> np.ndarray:
    return np.asarray(paint_premultiplied("object", size, look(name, dark)).getchannel("a")) > 128


@pytest.mark.parametrize("name, painter", [
    ("alley", places.passage), ("narrow alley", places.passage), ("Cyberpunk alley", places.passage), ("hospital corridor", places.passage),
    ("hallway", places.passage), ("temple courtyard", places.courtyard), ("village square", places.courtyard),
    ("rooftop", places.rooftop), ("Paris rooftops", places.rooftop), ("balcony", places.railing), ("porch", places.railing),
    ("harbor", places.waterfront), ("turquoise bay", places.waterfront), ("sand dunes", places.dunes), ("red dunes", places.dunes),
    ("dune", places.dunes), ("entrance", places.doorway), ("hospital entrance", places.doorway), ("summit", places.terrain),
    ("glacier", places.terrain), ("clearing", places.terrain), ("rice paddy", places.terrain), ("watering hole", places.terrain),
])
def test_place_names_reach_their_set(name, painter):
    assert painter_for("object", name) is painter


@pytest.mark.parametrize("name", ["passport", "airplane", "bayonet", "portrait", "door", "window"])
def test_lookalike_words_are_not_places(name):
    assert painter_for("object", name) not in places.BACK | places.FRONT


def test_a_place_spans_the_canvas_behind_and_relations_to_it_fall_to_the_stage():
    plan = Plan(prompt="a lone camel crossing sand dunes at noon", background="sky", setting="desert",
                subjects=(Subject("camel", "animal", "left third", 0.4, relation="on", anchor="sand dunes"),
                          Subject("sand dunes", "object", "right third", 0.36)))
    laid = {p.subject.name: p for p in arrange(plan, read_stage(plan), W, H)}
    dunes, camel = laid["sand dunes"], laid["camel"]
    assert dunes.place and dunes.box == (0, 0, W, H) and dunes.order < camel.order
    # "on the dunes" does not sit the camel on the top edge of a canvas-sized box
    assert camel.box[3] > H * 0.6


def test_a_railing_frames_the_front_and_a_balcony_surface_brings_one():
    assert place_layer(Subject("balcony", "object", "center")) == "front"
    assert place_layer(Subject("courtyard", "object", "center")) == "back"
    assert place_layer(Subject("balcony", "furniture", "center")) is None
    plan = Plan(prompt="a cactus in a pot on a sunny balcony", background="sky", subjects=(Subject("cactus", "object", "center"),),
                surfaces=(Surface("balcony", "balcony"),))
    laid = arrange(plan, read_stage(plan), W, H)
    assert [p.subject.name for p in laid if p.place] == ["balcony"] and laid[-1].place  # drawn last, over the cactus


def test_an_alley_is_walls_each_side_and_sky_between():
    mask = alpha("alley")
    assert mask[:, : W // 10].mean() > 0.95 and mask[:, -W // 10 :].mean() > 0.95  # walls at both edges
    assert not mask[2, W // 2] and mask[H - 2, W // 2]  # sky over the middle, paving under it
    day, night = (np.asarray(paint_premultiplied("object", (W, H), look("alley", d)).convert("RGB"), np.float32) for d in (False, True))
    assert night[..., 0].max() > 240 and (night - day).max() > 60  # windows light up at night


def test_a_corridor_is_closed_and_converges_to_a_door():
    mask = alpha("hospital corridor")
    assert mask.mean() > 0.99
    image = np.asarray(paint_premultiplied("object", (W, H), look("hospital corridor")).convert("L"), np.float32)
    centre, wall = image[H // 2 - 10 : H // 2 + 10, W // 2 - 6 : W // 2 + 6].mean(), image[H // 2, 6]
    assert abs(centre - wall) > 25  # the dark door at the far end stands out from the walls


def test_a_doorway_frames_an_open_middle():
    mask = alpha("entrance")
    assert mask[:, :8].all() and mask[:8, :].all() and not mask[H // 2, W // 2]


def test_dunes_have_sunlit_and_shaded_slopes_and_leave_the_sky():
    layer = paint_premultiplied("object", (W, H), look("sand dunes")).convert("RGBA")
    rgba = np.asarray(layer, np.float32)
    assert rgba[: H // 4, :, 3].max() == 0 and rgba[-4:, :, 3].min() == 255
    lum = rgba[H // 2 :, :, :3].mean(axis=2)
    assert np.percentile(lum, 95) - np.percentile(lum, 5) > 30


@pytest.mark.parametrize("name", ["alley", "hospital corridor", "temple courtyard", "rooftop", "balcony", "porch", "harbor",
                                  "turquoise bay", "sand dunes", "entrance", "summit", "clearing", "rice paddy"])
def test_sets_draw_at_the_full_canvas(name):
    layer = paint_premultiplied("object", (1024, 1024), look(name))
    assert layer.size == (1024, 1024) and (np.asarray(layer.getchannel("a")) > 0).mean() > 0.1  # a set spans the picture, not a box in it


def test_a_rendered_alley_scene_is_deterministic_and_not_a_box():
    from imagegate.planning.planner import RulePlanner

    plan = RulePlanner().plan("A raccoon rummaging through a trash can in an alley at night")
    assert any(s.name.lower().endswith("alley") for s in plan.subjects)
    one, two = render_plan(plan, W, H, 5, quality="low"), render_plan(plan, W, H, 5, quality="low")
    assert one.tobytes() == two.tobytes()
    rgb = np.asarray(one, np.float32)
    assert abs(rgb[H // 2, :20].mean() - rgb[H // 2, W // 2 - 10 : W // 2 + 10].mean()) > 5  # walls, not one open view


@pytest.mark.parametrize("name, painter", [
    ("chef's knife", objects.utensil), ("knife", objects.utensil), ("silver spoon", objects.utensil), ("wooden spoons", objects.utensil),
    ("chopsticks", objects.utensil), ("fountain pen", objects.utensil), ("hammer", objects.utensil), ("wrench", objects.utensil),
    ("screwdriver", objects.utensil), ("brush", objects.utensil), ("reed", objects.stalks), ("thistle", objects.stalks),
    ("wheat", objects.stalks), ("monitor", objects.screen), ("curved monitor", objects.screen), ("screen", objects.screen),
    ("antique globe", objects.globe), ("rustic barrel", objects.barrel), ("bubbles", objects.bubbles),
    ("water droplets", objects.bubbles), ("ambulance", truck), ("wooden rowboat", boat), ("goldfinch", bird), ("kingfishers", bird),
    ("microscope", objects.microscope), ("hammock", objects.hammock), ("saucer", bowl), ("ceramic platter", bowl), ("marble bust", statue),
])
def test_object_names_reach_their_drawing(name, painter):
    assert painter_for("object", name) is painter


@pytest.mark.parametrize("name", ["pencil", "open charging case", "peninsula", "penguin", "screenplay"])
def test_object_lookalikes_do_not(name):
    assert painter_for("object", name) is not objects.utensil and painter_for("object", name) is not objects.screen


def test_animals_planned_as_objects_get_their_body():
    assert painter_for("object", "black stallion") is creatures.grazer
    assert painter_for("object", "sardines") is creatures.fish
    assert painter_for("object", "honeybee") is creatures.insect


@pytest.mark.parametrize("name", ["chef's knife", "silver spoon", "chopsticks", "fountain pen", "hammer", "reed", "wheat", "monitor",
                                  "antique globe", "barrel", "bubbles", "microscope", "hammock"])
def test_object_drawings_are_not_the_box(name):
    size = (200, 200)
    box = alpha("thing", size)
    assert painter_for("object", "thing") is generic
    mask = alpha(name, size)
    assert 0.02 < mask.mean() < 0.9, name
    assert (mask & box).sum() / (mask | box).sum() < 0.75, name


def test_a_knife_has_a_dark_handle_and_a_steel_blade():
    rgb = np.asarray(Image.Image.convert(paint_premultiplied("object", (260, 100), look("knife")), "RGB"), np.float32)
    handle, blade = rgb[62, 40], rgb[45, 180]  # below the rivets
    assert handle.mean() < 80 and blade.mean() > 170


def test_a_rowboat_has_no_sail_and_a_saucer_is_a_flat_plate():
    sail = alpha("sailboat", (130, 100))
    row = alpha("wooden rowboat", (130, 100))
    assert sail[:40].mean() > 0.1 and row[:40].mean() == 0
    saucer = alpha("saucer", (150, 100))
    assert saucer[:40].mean() == 0 and saucer[70].mean() > 0.9  # low and wide, not a deep bowl
