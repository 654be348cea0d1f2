"""People in a scene stand whole; portraits stay head and shoulders."""

from __future__ import annotations

import numpy as np

from imagegate.plan import Plan, Subject, TextElement
from imagegate.render.compose import arrange, carried_box
from imagegate.render.scene import render_plan
from imagegate.render.stage import read_stage

W = H = 400


def person_box(plan: Plan):
    return next(p.box for p in arrange(plan, read_stage(plan), W, H) if p.subject.kind == "person")


def test_a_person_in_a_scene_stands_and_a_portrait_does_not():
    scene = Plan(prompt="a farmer in a wheat field", setting="field", subjects=(Subject("farmer", "person", scale=0.8),))
    x0, y0, x1, y1 = person_box(scene)
    assert (y1 - y0) > 2 * (x1 - x0)
    portrait = Plan(prompt="a portrait of a farmer in a wheat field", setting="field", subjects=(Subject("farmer", "person", scale=0.8),))
    x0, y0, x1, y1 = person_box(portrait)
    assert (y1 - y0) < 1.3 * (x1 - x0)
    alone = Plan(prompt="a woman", subjects=(Subject("woman", "person", scale=0.8),))
    x0, y0, x1, y1 = person_box(alone)
    assert (y1 - y0) < 1.3 * (x1 - x0)  # nothing places her in a scene


def test_the_standing_figure_has_legs_and_a_head_in_its_box():
    plan = Plan(prompt="a chef in a kitchen", setting="kitchen", background="plain", subjects=(Subject("chef", "person", scale=0.8),))
    x0, y0, x1, y1 = person_box(plan)
    bare = np.asarray(render_plan(Plan(prompt="a kitchen", setting="kitchen", background="plain"), W, H, 1), np.int16)
    image = np.asarray(render_plan(plan, W, H, 1), np.int16)
    changed = np.abs(image - bare).sum(axis=2) > 30
    rows = changed[:, x0:x1].any(axis=1)
    assert rows[y0 + (y1 - y0) // 10] and rows[y1 - (y1 - y0) // 10]  # head near the top, shoes near the bottom
    cx = (x0 + x1) // 2
    row = image[y1 - (y1 - y0) // 5, x0:x1].sum(axis=1) < 3 * 90  # the dark trousers along a row at the knees
    runs = np.flatnonzero(np.diff(row.astype(np.int8)) == 1)
    assert len(runs) + int(row[0]) == 2  # two legs, a gap between them
    chest = image[y0 + (y1 - y0) * 4 // 10, cx]
    assert chest.min() > 170  # chef's whites


def test_t_shirt_text_sits_on_the_figures_chest():
    plan = Plan(prompt="a person in a park wearing a t-shirt that says HELLO", setting="park",
                subjects=(Subject("person", "person", scale=0.8),), texts=(TextElement("HELLO", carrier="t-shirt"),))
    placed = arrange(plan, read_stage(plan), W, H)
    x0, y0, x1, y1 = next(p.box for p in placed if p.subject.kind == "person")
    box = carried_box(plan.texts[0], placed)
    assert box is not None and x0 < box[0] < box[2] < x1 and y0 + (y1 - y0) * 0.2 < box[1] < box[3] < y0 + (y1 - y0) * 0.45


def test_a_room_setting_gets_a_wall_and_a_floor():
    plan = Plan(prompt="a chef cooking in a kitchen at night", setting="kitchen", time_of_day="night", subjects=(Subject("chef", "person"),))
    stage = read_stage(plan)
    assert stage.kind == "indoor" and stage.top == "floor" and stage.top_material == "marble"  # night does not take it outdoors
    x0, y0, x1, y1 = person_box(plan)
    assert abs(y1 - stage.support * H) < 0.05 * H  # standing on the floor


def test_underwater_and_space_settings_have_their_own_backdrops():
    sea = np.asarray(render_plan(Plan(prompt="a turtle underwater", setting="underwater"), W, H, 2), np.float32)
    top, deep, bed = sea[: H // 8].mean(axis=(0, 1)), sea[int(H * 0.7) : int(H * 0.8)].mean(axis=(0, 1)), sea[-H // 20 :].mean(axis=(0, 1))
    assert top[2] > top[0] + 40 and deep[2] > deep[0] + 40  # blue water
    assert deep.sum() < top.sum()  # deeper is darker
    assert bed[0] > deep[0] + 60  # a sandy seabed
    space = np.asarray(render_plan(Plan(prompt="an astronaut in outer space", setting="space"), W, H, 2), np.float32)
    luma = space.mean(axis=2)
    assert np.median(luma) < 50 and (luma > 150).sum() > 50  # dark, with stars
