"""Settings and subjects that used to come out generic: a coral reef with a diver swimming over
it, a crop's field, a kitchen's counters behind the cook, marble whose veins read as stone."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PIL import Image

from imagegate.plan import Plan, Subject
from imagegate.render import objects, textures
from imagegate.render.compose import arrange
from imagegate.render.scene import render_plan
from imagegate.render.stage import read_stage
from imagegate.render.subjects import Look, paint_premultiplied, painter_for

W = H = 384


def rgb(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("RGB"), np.float32)


def look(name: str, color: tuple[int, int, int] | None = None) -> Look:
    return Look(color, (212, 175, 55), False, "left", np.random.default_rng(1), name)


DIVER = Plan(
    prompt="A scuba diver swimming above a coral reef", background="gradient", setting="underwater",
    subjects=(Subject("scuba diver", "person", "left third", 0.576, relation="above", anchor="coral reef"),
              Subject("coral reef", "object", "right third", 0.36, color=(250, 120, 95))),
)


def test_a_diver_swims_level_above_a_reef_on_the_sea_floor() -> None:
    stage = read_stage(DIVER)
    boxes = {p.subject.name: p.box for p in arrange(DIVER, stage, W, H)}
    diver, reef = boxes["scuba diver"], boxes["coral reef"]
    assert diver[2] - diver[0] > 1.6 * (diver[3] - diver[1])  # lying along the water, not standing
    assert reef[3] >= stage.horizon * H  # the reef rests on the seabed
    assert diver[3] <= reef[1] + 0.05 * H  # and the diver is over it
    layer = paint_premultiplied("person", (diver[2] - diver[0], diver[3] - diver[1]), look("scuba diver"), 1)
    alpha = np.asarray(layer.getchannel("a")) > 128
    ys, xs = np.nonzero(alpha)
    assert xs.max() - xs.min() > 1.6 * (ys.max() - ys.min())
    px = np.asarray(layer.convert("RGB"), np.int32)
    fins = (px[..., 2] > 150) & (px[..., 0] < 80) & alpha  # blue fins at the feet, on the left
    skin = (np.abs(px - (222, 184, 156)).sum(axis=2) < 40) & alpha  # the face, on the right
    assert fins.sum() > 30 and skin.sum() > 30
    assert np.nonzero(fins)[1].mean() < layer.width * 0.3 < layer.width * 0.6 < np.nonzero(skin)[1].max()


def test_a_reef_is_corals_of_several_colours_not_a_box() -> None:
    assert painter_for("object", "coral reef") is objects.coral
    assert painter_for("object", "snorkeler") is objects.swimmer  # planned as a thing: still a swimmer
    layer = paint_premultiplied("object", (360, 200), look("coral reef", (250, 120, 95)), 1)
    px = np.asarray(layer.convert("RGB"), np.int32)
    alpha = np.asarray(layer.getchannel("a")) > 200
    near = [((np.abs(px - c).sum(axis=2) < 30) & alpha).mean() for c in objects.CORALS]
    assert sum(share > 0.01 for share in near) >= 3
    top = np.nonzero(alpha.any(axis=1))[0].min()
    assert alpha[-3:].mean() > 0.8 and alpha[top + 5].mean() < 0.5  # a broad base, branching tops


FIELD = Plan(prompt="A farmer in a wheat field at golden hour", background="sky", setting="field", time_of_day="golden hour",
             subjects=())


@pytest.mark.parametrize(("prompt", "crop"), [("A farmer in a wheat field at golden hour", "wheat"), ("a scarecrow in a cornfield", "corn"),
                                              ("rows of a lavender field in Provence", "lavender"), ("a field of sunflowers", "sunflower"),
                                              ("a dog in a field", None)])
def test_the_crop_a_field_grows(prompt: str, crop: str | None) -> None:
    assert read_stage(replace(FIELD, prompt=prompt)).crop == crop


def test_a_wheat_field_is_golden_and_a_lavender_field_purple_in_rows() -> None:
    ground = slice(round(0.75 * H), H)
    wheat = rgb(render_plan(FIELD, W, H, seed=3))[ground].reshape(-1, 3).mean(axis=0)
    grass = rgb(render_plan(replace(FIELD, prompt="A farmer in a field at golden hour"), W, H, seed=3))[ground].reshape(-1, 3).mean(axis=0)
    assert grass[1] > grass[0]  # green
    assert wheat[0] > wheat[1] > wheat[2] + 40 and wheat[0] > grass[0] + 40  # gold
    lavender = rgb(render_plan(replace(FIELD, prompt="A lavender field", time_of_day="noon"), W, H, seed=3))[round(0.9 * H)]
    purple = (lavender[:, 2] > lavender[:, 1] + 20).mean()
    assert 0.3 < purple < 0.95  # purple rows with green between them


KITCHEN = Plan(prompt="A chef cooking in a restaurant kitchen", background="bokeh", setting="kitchen", subjects=())


def test_a_kitchen_has_counters_a_backsplash_and_a_range() -> None:
    stage = read_stage(KITCHEN)
    assert stage.room == "kitchen" and stage.steel
    assert read_stage(replace(KITCHEN, setting="restaurant kitchen")).room == "kitchen"
    assert read_stage(replace(KITCHEN, prompt="A cat in a kitchen")).steel is False
    kitchen = rgb(render_plan(KITCHEN, W, H, seed=3)).mean(axis=2)
    office = rgb(render_plan(replace(KITCHEN, setting="office"), W, H, seed=3)).mean(axis=2)
    floor = round(stage.horizon * H)
    band = slice(round(floor - 0.4 * H), floor - 4)  # the wall above the floor line: cabinets and tiles
    assert kitchen[band].std() > 3 * office[band].std()
    oven = kitchen[round(floor - 0.15 * H) : floor - 8, round(0.64 * W) : round(0.76 * W)]
    assert oven.mean() < 0.5 * kitchen[band, : round(0.5 * W)].mean()  # a dark oven door on the right


def test_marble_veins_are_soft_not_cracks() -> None:
    base, vein = (40, 40, 45), (120, 120, 128)
    for seed in (5, 6, 7):
        out = textures.marble(np.random.default_rng(seed), 256, 256, (base, vein), 4)[..., 0]
        t = (out - base[0]) / (vein[0] - base[0])  # 0 the ground, 1 the vein colour
        assert (t > 0.35).mean() > 0.005 and np.percentile(t, 99) < 0.7  # veins there, at lower contrast
        # soft-edged: few steps between neighbours are sharp (thin bright cracks made 3 % of them)
        for axis in (0, 1):
            assert (np.abs(np.diff(t, axis=axis)) > 0.15).mean() < 0.012


def test_squashed_marble_matches_a_tall_slab_squeezed() -> None:
    colors = ((232, 230, 226), (150, 148, 150))
    tall = textures.marble(np.random.default_rng(2), 256, 384, colors, 4)[::2, :, 0]
    squashed = textures.marble(np.random.default_rng(2), 128, 384, colors, 4, squash=2.0)[..., 0]
    assert np.corrcoef(tall.ravel(), squashed.ravel())[0, 1] > 0.9


# ---------------------------------------------------------------- composition by relation


def _boxes(plan: Plan, size: int = 512) -> dict[str, tuple[int, int, int, int]]:
    return {p.subject.name: p.box for p in arrange(plan, read_stage(plan), size, size)}


def _order(plan: Plan, size: int = 512) -> list[str]:
    return [p.subject.name for p in arrange(plan, read_stage(plan), size, size)]


def test_a_hiker_on_a_mountain_stands_small_on_its_peak() -> None:
    plan = Plan(prompt="A hiker standing on top of a mountain at sunrise", background="gradient",
                subjects=(Subject("hiker", "person", "center", 0.576, relation="on", anchor="mountain"),
                          Subject("mountain", "mountain", "top", 0.684)))
    boxes = _boxes(plan)
    hiker, peak = boxes["hiker"], boxes["mountain"]
    assert abs(hiker[3] - peak[1]) < 0.04 * (peak[3] - peak[1])  # feet on the top, not floating over it
    assert (hiker[3] - hiker[1]) < 0.4 * (peak[3] - peak[1])
    assert peak[0] < (hiker[0] + hiker[2]) / 2 < peak[2]


def test_a_hiker_on_a_summit_stands_on_the_summits_peak() -> None:
    from imagegate.planning.planner import RulePlanner

    plan = RulePlanner().plan("A hiker with a backpack standing on a summit above a sea of clouds at sunrise")
    hiker = _boxes(plan)["hiker"]
    assert abs(hiker[3] / 512 - 0.605) < 0.02 and abs((hiker[0] + hiker[2]) / 2 - 256) < 10


def test_a_chain_of_relations_places_each_in_its_anchor() -> None:
    plan = Plan(prompt="An orange cat in a shoebox under a desk", background="gradient",
                subjects=(Subject("orange cat", "animal", "left third", 0.396, relation="in", anchor="shoebox"),
                          Subject("shoebox", "object", "center", 0.36, relation="under", anchor="desk"),
                          Subject("desk", "furniture", "right third", 0.36)))
    boxes = _boxes(plan)
    cat, box, desk = boxes["orange cat"], boxes["shoebox"], boxes["desk"]
    assert box[0] <= (cat[0] + cat[2]) / 2 <= box[2] and box[1] <= cat[3] <= box[3]
    assert desk[0] <= (box[0] + box[2]) / 2 <= desk[2] and box[1] > desk[1]


@pytest.mark.parametrize("anchor,kind", [("apple tree", "tree"), ("table", "furniture"), ("beach umbrella", "object")])
def test_what_is_under_something_is_drawn_in_front_and_fits_beneath(anchor: str, kind: str) -> None:
    plan = Plan(prompt=f"A dog under a {anchor}", background="gradient",
                subjects=(Subject("dog", "animal", "left third", 0.396, relation="under", anchor=anchor),
                          Subject(anchor, kind, "right third", 0.54 if kind == "tree" else 0.36)))
    boxes = _boxes(plan)
    dog, shelter = boxes["dog"], boxes[anchor]
    order = _order(plan)
    assert order.index("dog") > order.index(anchor)  # not hidden behind the trunk or the table
    assert dog[3] - dog[1] < 0.7 * (shelter[3] - shelter[1])
    assert abs(dog[3] - shelter[3]) < 0.05 * 512


def test_chairs_on_a_dock_stand_on_its_boards_not_across_the_water() -> None:
    from imagegate.planning.planner import RulePlanner

    plan = RulePlanner().plan("Two chairs facing a lake on a wooden dock at sunset")
    stage = read_stage(plan)
    chairs = [p.box for p in arrange(plan, stage, 512, 512) if p.subject.name == "chairs"]
    assert chairs and all(b[3] > (stage.horizon + 0.2) * 512 for b in chairs)


def test_moons_hang_in_the_sky() -> None:
    plan = Plan(prompt="An astronaut on a red desert planet, two moons in the sky", background="gradient", setting="desert",
                subjects=(Subject("astronaut", "person", "left third", 0.576), Subject("moons", "object", "upper left", 0.36, count=2)))
    stage = read_stage(plan)
    moons = [p.box for p in arrange(plan, stage, 512, 512) if p.subject.name == "moons"]
    assert len(moons) == 2 and all(b[3] < stage.horizon * 512 for b in moons)


def test_a_figure_in_a_harbour_stands_on_the_quay() -> None:
    plan = Plan(prompt="A fisherman on the harbor at dawn", background="gradient", setting="harbor",
                subjects=(Subject("fisherman", "person", "center", 0.8),))
    assert _boxes(plan)["fisherman"][3] >= 0.88 * 512


def test_a_subject_between_two_copies_stands_in_the_gap_without_overlapping() -> None:
    plan = Plan(prompt="A tabby cat sleeping between two potted ferns", background="gradient",
                subjects=(Subject("tabby cat", "animal", "left third", 0.396, relation="between", anchor="potted ferns"),
                          Subject("potted ferns", "flower", "right third", 0.432, count=2)))
    placed = arrange(plan, read_stage(plan), 512, 512)
    ferns = sorted((p.box for p in placed if p.subject.name == "potted ferns"))
    cat = next(p.box for p in placed if p.subject.name == "tabby cat")
    assert len(ferns) == 2 and ferns[0][2] <= cat[0] and cat[2] <= ferns[1][0]
    assert ferns[0][0] >= 0 and ferns[1][2] <= 512


def test_a_person_on_a_bench_is_life_size_beside_its_seat_not_standing_on_it() -> None:
    plan = Plan(prompt="An old man on a park bench", background="gradient", setting="park",
                subjects=(Subject("old man", "person", "left third", 0.576, relation="on", anchor="park bench"),
                          Subject("park bench", "furniture", "right third", 0.36)))
    boxes = _boxes(plan)
    man, bench = boxes["old man"], boxes["park bench"]
    assert man[3] - man[1] > 1.2 * (bench[3] - bench[1])
    assert abs(man[3] - bench[3]) < 0.03 * 512 and bench[0] < (man[0] + man[2]) / 2 < bench[2]


def test_two_things_under_one_tree_sit_on_either_side_of_its_trunk() -> None:
    plan = Plan(prompt="A bear and a rabbit having a picnic under an oak tree", background="gradient",
                subjects=(Subject("bear", "animal", "left third", 0.396, relation="under", anchor="oak tree"),
                          Subject("rabbit", "animal", "center", 0.396, relation="under", anchor="oak tree"),
                          Subject("oak tree", "tree", "right third", 0.54)))
    boxes = _boxes(plan)
    trunk = (boxes["oak tree"][0] + boxes["oak tree"][2]) / 2
    assert boxes["bear"][2] < trunk + 10 and boxes["rabbit"][0] > trunk - 10


def test_something_on_a_plate_stands_on_its_rim_not_over_the_box_top() -> None:
    plan = Plan(prompt="A stack of pancakes on a blue plate", background="gradient",
                subjects=(Subject("pancakes", "object", "left third", 0.36, relation="on", anchor="blue plate"),
                          Subject("blue plate", "object", "center", 0.36)))
    boxes = _boxes(plan)
    plate = boxes["blue plate"]
    assert boxes["pancakes"][3] > plate[1] + 0.3 * (plate[3] - plate[1])


@pytest.mark.parametrize("anchor,kind", [("wooden fence", "object"), ("sofa", "furniture")])
def test_what_is_behind_something_still_shows_over_it(anchor: str, kind: str) -> None:
    plan = Plan(prompt=f"A horse behind a {anchor}", background="gradient",
                subjects=(Subject("horse", "animal", "left third", 0.396, relation="behind", anchor=anchor),
                          Subject(anchor, kind, "right third", 0.36)))
    placed = arrange(plan, read_stage(plan), 512, 512)
    names = [p.subject.name for p in placed]
    boxes = {p.subject.name: p.box for p in placed}
    horse, front = boxes["horse"], boxes[anchor]
    assert names.index("horse") < names.index(anchor)  # drawn behind it
    assert front[1] - horse[1] >= 0.3 * (horse[3] - horse[1])  # a good part of it above the anchor's top
    assert horse[3] > front[1]  # its feet hidden behind the anchor, not floating over it
