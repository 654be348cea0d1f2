"""Everyday objects get their own drawing by name instead of the rounded box."""

from __future__ import annotations

import numpy as np
import pytest

from imagegate.plan import Plan, Subject
from imagegate.render import objects, subjects
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


@pytest.mark.parametrize("name", ["keyboard", "monkey", "fireplace", "hatchet", "canvas", "boxer", "black stallion", "potato",
                                  "airport departure board", "billboard", "catalog", "glasses"])
def test_lookalike_words_do_not(name):
    assert objects.named(name) is None


def test_eyeglasses_are_spectacles_not_a_wine_glass():
    assert painter_for("object", "eyeglasses") is objects.glasses


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


@pytest.mark.parametrize("kind, name, painter", [
    ("object", "silver tray", objects.tray), ("object", "wooden cutting board", objects.tray), ("object", "terracotta pot", objects.pot),
    ("object", "moka pot", objects.pot), ("object", "snowy branch", objects.branch), ("object", "construction crane", objects.crane),
    ("object", "origami cranes", objects.crane), ("object", "brick oven", objects.stove), ("object", "cast iron stove", objects.stove),
    ("object", "glowing mushroom", objects.mushroom), ("object", "farmer's market stall", objects.stall), ("object", "striped awning", objects.stall),
    ("food", "pineapples", objects.fruit), ("food", "heirloom tomato", objects.fruit), ("object", "lemons", objects.fruit),
    ("object", "white picket fence", objects.fence), ("object", "balcony railing", objects.fence), ("object", "sunglasses", objects.glasses),
    ("object", "reading glasses", objects.glasses), ("object", "t-shirt", objects.garment), ("object", "yellow raincoats", objects.garment),
    ("object", "stars", objects.celestial), ("object", "red planet", objects.celestial), ("object", "spiral staircase", objects.stairs),
    ("object", "rolling ladder", objects.stairs), ("object", "brass mailboxes", objects.mailbox), ("object", "mossy log", objects.log),
    ("object", "hollow tree stump", objects.log), ("furniture", "walnut sideboard", objects.cabinet), ("object", "fairy lights", objects.string_lights),
    ("object", "velvet cushion", objects.cushion), ("object", "vending machine", objects.machine), ("object", "snowman", objects.snowman),
    ("object", "rusted anchor", objects.anchor), ("object", "surfboard", objects.board_sport), ("object", "vinyl record player", objects.turntable),
    ("object", "tiny robot", objects.robot), ("object", "old leather suitcase", objects.suitcase), ("furniture", "plastic stool", objects.stool),
    ("object", "old nautical map", objects.paper), ("object", "brass trumpet", objects.brass), ("object", "acorn", objects.acorn),
    ("object", "samovar", objects.teapot), ("food", "homemade jam", objects.jar), ("object", "champagne flutes", objects.wine_glass),
    ("object", "fireflies", objects.celestial), ("object", "seedling", objects.seedling),
])
def test_common_fallbacks_get_a_drawing(kind, name, painter):
    assert painter_for(kind, name) is painter


def test_food_and_furniture_kinds_are_looked_up_as_objects():
    from imagegate.render.more_subjects import bread, chair, table

    assert painter_for("food", "croissant") is bread and painter_for("furniture", "desk") is table
    assert painter_for("furniture", "leather sofa") is chair and painter_for("furniture", "park bench") is objects.bench
    assert painter_for("food", "mystery stew") is generic


def test_a_crane_planned_as_an_animal_stays_a_bird():
    from imagegate.render.more_subjects import bird

    assert painter_for("animal", "crane") is bird and painter_for("object", "crane") is objects.crane


def test_a_fence_is_pickets_and_a_tower_crane_a_lattice():
    row = _mask("white picket fence", (400, 150), (200, 200, 200))[100]
    runs = np.count_nonzero(np.diff(row.astype(np.int8)) == 1) + int(row[0])
    assert runs >= 8 and 0.4 < row.mean() < 0.85  # separate boards with gaps between them
    crane = _mask("crane", (180, 200))
    assert crane.mean() < 0.25  # open steelwork, not a block
    assert crane[20:30].any(axis=0).mean() > 0.8  # the jib spans the box near the top


def test_sunglasses_have_two_dark_lenses_and_stairs_rise():
    look = Look(None, (200, 160, 40), False, "left", np.random.default_rng(1), "sunglasses")
    px = np.asarray(paint_premultiplied("object", (240, 100), look, 1).convert("RGBA"), np.int32)
    dark = (px[..., 3] > 200) & (px[..., :3].max(axis=2) < 70)
    row = dark[50]
    runs = np.count_nonzero(np.diff(row.astype(np.int8)) == 1) + int(row[0])
    assert runs == 2 and dark[:, :120].sum() == pytest.approx(dark[:, 120:].sum(), rel=0.15)
    columns = _mask("stairs", (200, 200)).sum(axis=0)
    assert columns[20] < columns[100] < columns[185]  # taller to the right, step by step


def test_a_pineapple_wears_a_green_crown_and_string_lights_glow():
    look = Look(None, (200, 160, 40), False, "left", np.random.default_rng(1), "pineapple")
    px = np.asarray(paint_premultiplied("object", (120, 200), look, 1).convert("RGBA"), np.int32)
    top, body = px[:50], px[120:]
    green = (top[..., 3] > 200) & (top[..., 1] > top[..., 0] + 30)
    assert green.sum() > 0.5 * (top[..., 3] > 200).sum()
    assert ((body[..., 3] > 200) & (body[..., 0] > body[..., 2] + 80)).mean() > 0.5  # a golden body below it
    lights = _mask("string lights", (300, 100))
    assert lights.mean() < 0.3  # strands, not a panel
    look = Look(None, (200, 160, 40), False, "left", np.random.default_rng(1), "string lights")
    glow = np.asarray(paint_premultiplied("object", (300, 100), look, 1).convert("RGBA"), np.int32)
    assert ((glow[..., 3] > 200) & (glow[..., 0] > 240) & (glow[..., 1] > 210) & (glow[..., 2] > 150)).sum() > 40  # bright bulbs


def test_a_snowman_is_three_balls_biggest_at_the_bottom():
    mask = _mask("snowman", (130, 200))[:, 30:100]  # between the stick arms
    widths = mask.sum(axis=1)
    assert widths[160] > widths[100] > widths[50] > 0
    assert widths[70] < widths[100] and widths[130] < widths[160]  # narrower where the balls meet


@pytest.mark.parametrize("kind, name, painter", [
    ("object", "macarons", objects.sweets), ("food", "donuts", objects.sweets), ("object", "eclairs", objects.sweets),
    ("food", "cheese", objects.wedge), ("food", "butter", objects.wedge), ("food", "fresh basil", objects.herb),
    ("object", "hook", objects.hook), ("object", "net", objects.net), ("object", "stethoscope", objects.stethoscope),
    ("object", "glass terrarium", objects.tank), ("object", "aquarium", objects.tank), ("object", "wireless earbuds", objects.earbuds),
    ("object", "open charging case", objects.earbuds), ("object", "price tag", objects.tag), ("object", "badge", objects.tag),
    ("object", "embroidered patch", objects.tag), ("object", "marshmallows", objects.marshmallow), ("object", "clothesline", objects.clothesline),
    ("object", "ice", objects.ice), ("object", "hands", objects.hands), ("object", "gardener's gloved hand", objects.hands),
    ("object", "drill", objects.hardware), ("object", "tape measure", objects.hardware), ("object", "screws", objects.hardware),
    ("object", "spool", objects.sewing), ("object", "yarn", objects.sewing), ("object", "scissors", objects.scissors),
    ("object", "microphone", objects.microphone), ("object", "bronze medal", objects.medal), ("object", "coins", objects.medal),
    ("object", "honeycomb", objects.honeycomb), ("object", "bakery display case", objects.display_case),
    ("object", "leather wallet", objects.wallet), ("object", "passport", objects.wallet), ("object", "leather-bound journal", objects.wallet),
    ("object", "flag", objects.flag), ("object", "wind turbines", objects.wind_turbine), ("object", "tennis racket", objects.racket),
    ("object", "easel", objects.easel), ("object", "dumbbells", objects.dumbbell), ("object", "hourglass", objects.hourglass),
    ("object", "red curtain", objects.curtain), ("object", "pews", objects.bench), ("object", "treasure chest", objects.box),
    ("food", "maple syrup", objects.jar), ("food", "noodles", objects.cereal_bowl), ("food", "granola", objects.cereal_bowl),
    ("food", "pears", objects.fruit), ("food", "onion", objects.fruit),
])
def test_third_pass_names_reach_their_drawing(kind, name, painter):
    assert painter_for(kind, name) is painter


@pytest.mark.parametrize("name", ["handlebar", "icing", "internet", "flagstone", "vintage poster", "nettle", "glasses", "sticks"])
def test_third_pass_keys_do_not_catch_lookalikes(name):
    assert objects.named(name) is None


def _px(name: str, size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    look = Look(None, (200, 160, 40), False, "left", np.random.default_rng(1), name)
    layer = paint_premultiplied("object", size, look, 1)
    return np.asarray(layer.convert("RGB"), np.int32), np.asarray(layer.getchannel("a")) > 128


def _runs(row: np.ndarray) -> int:
    return int(np.count_nonzero(np.diff(row.astype(np.int8)) == 1) + int(row[0]))


def test_a_macaron_is_two_shells_round_a_pale_filling_and_hooks_come_in_a_row():
    rgb, mask = _px("macarons", (250, 200))  # one piece: a count is drawn as copies
    assert _runs(mask[140]) == 1
    column = rgb[:, 125][mask[:, 125]]
    pale = (column.min(axis=1) > 225).sum()
    assert 5 < pale < 0.3 * len(column)  # the cream between the shells
    top, bottom = column[5], column[-5]  # two shells of one pastel above and below it
    assert np.abs(top - bottom).max() < 60 and top.min() < 225 and bottom.min() < 225
    assert _runs(_mask("hooks", (300, 200))[100]) == 3
    assert _runs(_mask("hook", (100, 200))[100]) == 1


def test_an_hourglass_pinches_at_the_waist_and_scissors_have_open_loops():
    glass = _mask("hourglass", (120, 200))
    assert glass[100, 20:100].sum() < 0.4 * glass[40, 20:100].sum()
    loops = _mask("scissors", (280, 200))
    x = int(280 * 0.15)
    for cy in (48, 152):  # two finger loops: a drawn ring round a clear hole
        assert not loops[cy, x] and loops[cy - 36, x] and loops[cy + 36, x]


def test_cheese_is_yellow_with_holes_and_ice_is_pale_blue():
    rgb, mask = _px("cheese", (260, 200))
    face = rgb[mask]
    assert (face[:, 0] > face[:, 2] + 80).mean() > 0.8  # yellow
    assert len({tuple(c) for c in face[::7]}) >= 3  # top, face, rind and holes in different shades
    rgb, mask = _px("ice", (240, 200))
    cubes = rgb[mask]
    assert (cubes[:, 2] >= cubes[:, 0]).mean() > 0.9 and cubes.mean() > 170


def test_a_honeycomb_is_cells_and_a_badge_hangs_from_its_lanyard():
    rgb, mask = _px("honeycomb", (240, 200))
    assert mask.mean() > 0.5
    cells = rgb[mask]
    assert (cells[:, 0] > cells[:, 2] + 60).mean() > 0.9  # honey and wax
    badge = _mask("badge", (160, 200))
    assert _runs(badge[10]) == 2 and badge[150].mean() > 0.6  # two straps above, the card below


def test_new_drawings_are_deterministic():
    for name in ("macarons", "net", "honeycomb", "bakery display case", "glass terrarium", "granola", "wind turbines", "hands"):
        look = lambda: Look(None, (200, 160, 40), False, "left", np.random.default_rng(3), name)  # noqa: E731
        a = np.asarray(paint_premultiplied("object", (400, 400), look(), 1))
        assert np.array_equal(a, np.asarray(paint_premultiplied("object", (400, 400), look(), 1))), name


@pytest.mark.parametrize("name, painter", [
    ("brass cleat", objects.cleat), ("sailor knot", objects.cleat), ("chimney", objects.chimney), ("hay bales", objects.hay),
    ("anvil", objects.anvil), ("forklift", objects.forklift), ("pallets", objects.forklift), ("folded towels", objects.towels),
    ("wooden blocks", objects.blocks), ("radiator", objects.radiator), ("toothpaste", objects.toothpaste), ("tube", objects.toothpaste),
    ("onigiri", objects.onigiri), ("toolbox", objects.box), ("corkscrew", objects.hardware), ("smartwatch", subjects.watch),
    ("rope", None), ("blocks", None), ("test", None),
])
def test_second_batch_names_reach_their_drawing(name, painter):
    found = objects.named(name)
    assert (found[0] if found else None) is painter


def test_a_toolbox_is_red_under_its_handle_and_onigiri_are_white_with_nori():
    rgb, mask = _px("toolbox", (320, 200))
    assert _runs(mask[10]) == 1 and _runs(mask[40]) == 2  # the handle's bar, then its two posts
    body = rgb[150, 40:280]
    assert (body[:, 0] > body[:, 1] + 100).mean() > 0.8
    rgb, mask = _px("onigiri", (200, 180))
    assert mask[170, 100] and rgb[170, 100].max() < 80  # the nori wrap at the bottom
    assert rgb[90, 100].min() > 230 and not mask[10, 10]  # white rice, a triangle (clear top corner)


def test_a_pear_is_narrower_at_its_neck_than_its_bottom():
    pear = _mask("pear", (160, 200))
    assert pear[60].sum() < 0.75 * pear[150].sum() and pear[150].sum() > 100
