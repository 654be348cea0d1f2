"""Attachment rules of the rule planner: what a container holds, who is where when a verb has an
object, furniture named as a thing, benches and railings as subjects, plural and verb-object nouns.
The prompts are written for these tests, not taken from any labelled set."""

from __future__ import annotations

from imagegate.plan import Plan
from imagegate.planning.planner import RulePlanner


def plan(prompt: str) -> Plan:
    return RulePlanner().plan(prompt)


def lasts(p: Plan) -> set[str]:
    return {s.name.lower().split()[-1] for s in p.subjects}


def surfaces(p: Plan) -> set[str]:
    return {s.kind for s in p.surfaces}


def rels(p: Plan) -> set[tuple[str, str, str]]:
    return {(r.subject.lower().split()[-1], r.relation, r.anchor.lower().split()[-1]) for r in p.relations}


def test_a_container_with_things_holds_them() -> None:
    assert ("plums", "in", "basket") in rels(plan("A wicker basket with ripe plums on a kitchen table"))
    assert ("buttons", "in", "jar") in rels(plan("A glass jar full of buttons beside a lamp"))
    assert ("muffins", "on", "tray") in rels(plan("A baking tray with blueberry muffins"))


def test_a_bare_of_is_not_a_container_relation() -> None:
    # "a cup of cocoa" is one thing drawn: no "cocoa in cup"
    assert not any(r.relation == "in" for r in plan("A cup of cocoa beside a candle").relations)


def test_a_glass_of_wine_beside_it_stands_by_the_glass() -> None:
    p = plan("A cheese board with a glass of port beside it")
    assert ("glass", "on", "board") not in rels(p)


def test_the_agent_is_where_the_place_says_unless_the_verb_puts_the_object_there() -> None:
    assert ("ducks", "on", "pond") in rels(plan("Two ducks chasing a beetle on a frozen pond"))
    assert ("books", "on", "shelf") in rels(plan("A clerk stacking books on a metal shelf"))
    # no object: the pot is where the place says
    assert ("pot", "on", "seabed") in rels(plan("A crab hiding inside a clay pot on the sea floor"))


def test_furniture_named_as_a_thing_is_a_subject() -> None:
    p = plan("A cozy study with a desk, a lamp and a bookshelf")
    assert "desk" in lasts(p) and "desk" not in surfaces(p)
    # a desk things stand on stays a surface
    p = plan("A stapler on a wooden desk")
    assert "desk" in surfaces(p)


def test_benches_and_railings_are_subjects() -> None:
    p = plan("A girl reading on a park bench")
    assert "bench" in lasts(p)
    p = plan("Three lanterns on a porch railing at night")
    assert "railing" in lasts(p) and ("lanterns", "on", "railing") in rels(p)


def test_plural_and_verb_object_nouns_are_subjects() -> None:
    assert "crates" in lasts(plan("A barn at dawn, apple crates stacked by the door"))
    assert "coins" in lasts(plan("A clerk sorting old coins on a counter"))
    assert "soup" in lasts(plan("A cook ladling hot soup into a bowl"))
    assert "orchards" in lasts(plan("A kite flying above orchards in spring"))
    assert "scooter" in lasts(plan("Red scooter parked against a fence"))


def test_a_with_list_ending_in_and_comes_with_its_owner() -> None:
    p = plan("A fruit cart loaded with melons, plums and peaches under a green umbrella")
    assert ("cart", "under", "umbrella") in rels(p)
    assert ("peaches", "under", "umbrella") not in rels(p)


def test_an_illustration_of_things_is_no_owner() -> None:
    p = plan("Storybook illustration of a mole and a hedgehog sharing tea under a willow")
    assert ("hedgehog", "under", "willow") in rels(p)


def test_near_is_beside() -> None:
    assert ("fox", "beside", "well") in rels(plan("A fox sitting near an old well"))


def test_a_noun_the_lexicon_also_reads_as_a_verb_after_a() -> None:
    p = plan("Three goblets and a corkscrew on a wine barrel")
    assert "corkscrew" in lasts(p)


def test_warm_lamplight_glows() -> None:
    assert any(e.kind == "glow" for e in plan("An armchair and a side table, warm lamplight").effects)


def test_a_family_or_a_range_names_its_members() -> None:
    assert "elephant" in lasts(plan("An elephant family walking to a river"))
    assert "mountain" in lasts(plan("A hawk circling above a mountain range"))


def test_the_one_holding_is_the_thing_named_last() -> None:
    assert ("lollipop", "held by", "cactus") in rels(plan("A sticker of a smiling cactus holding a lollipop"))


def test_reflections_in_water_place_nothing() -> None:
    assert not any(r.relation == "in" for r in plan("A red lighthouse at dusk, reflections in the calm bay").relations)


def test_que_dice_is_that_says() -> None:
    assert "dice" not in lasts(plan("Un cartel que dice 'HOLA' en una pared de ladrillo"))
