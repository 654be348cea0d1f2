"""Reading rules of the rule planner: a capital that only opens the sentence, compounds read again,
held things, worn plurals, plant and light words, other languages' verb and adjective forms.
The prompts are written for these tests, not taken from any labelled set."""

from __future__ import annotations

from imagegate.plan import Plan
from imagegate.planning.planner import RulePlanner
from imagegate.planning.scene import gloss


def plan(prompt: str) -> Plan:
    return RulePlanner().plan(prompt)


def names(p: Plan) -> set[str]:
    return {s.name.lower() for s in p.subjects}


def rels(p: Plan) -> set[tuple[str, str, str]]:
    return {(r.subject.lower().split()[-1], r.relation, r.anchor.lower().split()[-1]) for r in p.relations}


def test_a_capital_that_opens_the_sentence_is_no_brand() -> None:
    assert "jar" in names(plan("Jar of pickles beside a cutting board"))
    assert "mug" in names(plan("Mug of cocoa by a fireplace"))


def test_a_compound_after_a_relation_word_keeps_its_modifier() -> None:
    p = plan("a deer resting beside a pine tree")
    assert "pine tree" in names(p)
    assert ("deer", "beside", "tree") in rels(p)
    assert "fishing boats" in names(plan("an old pier with fishing boats tied up"))


def test_a_balloon_can_be_held_but_not_a_hot_air_balloon() -> None:
    assert ("balloon", "held by", "boy") in rels(plan("a boy holding a blue balloon at a fair"))
    assert not any(r.relation == "held by" for r in plan("a woman holding a hot air balloon").relations)


def test_present_tense_holding_in_other_languages() -> None:
    assert ("cup", "held by", "man") in rels(plan("Un homme qui tient une tasse"))
    assert ("cup", "held by", "woman") in rels(plan("Una mujer sostiene una taza"))


def test_worn_plurals_are_no_anchor() -> None:
    p = plan("two boys in red jackets running in the rain")
    assert not any(r.anchor.lower().endswith("jackets") for r in p.relations)


def test_with_ends_a_relation_words_reach() -> None:
    p = plan("vineyards in Tuscany with a stone villa")
    assert not any(r.relation == "in" and r.anchor.lower().endswith("villa") for r in p.relations)


def test_midground_and_sunbeams_are_no_subjects() -> None:
    assert "midground" not in {s.name.lower().split()[-1] for s in plan("a barn in the midground under a grey sky").subjects}
    p = plan("a dog asleep in a sunbeam on a rug")
    assert "sunbeam" not in names(p)
    assert "light rays" in {e.kind for e in p.effects}


def test_lavender_is_a_plant_unless_it_colours_a_thing() -> None:
    assert "lavender" in names(plan("a bundle of lavender on a linen cloth"))
    assert "lavender" not in names(plan("a lavender scarf on a chair"))


def test_adjective_agreement_and_steaming_in_other_languages() -> None:
    assert "snowy" in gloss("Colinas nevadas al atardecer")[0]
    assert "steaming" in gloss("Un bol de soupe fumant sur la table")[0]
    assert "steaming" in gloss("Eine dampfende Suppe")[0]


def test_a_book_illustration_draws_no_book() -> None:
    assert "book" not in {s.name.lower().split()[-1] for s in plan("A storybook illustration of a hedgehog in a teacup").subjects}
    assert "book" in {s.name.lower().split()[-1] for s in plan("an open book beside a candle").subjects}


def test_a_flickering_or_lit_light_glows() -> None:
    assert "glow" in {e.kind for e in plan("a motel sign flickering by an empty road").effects}
    assert "glow" in {e.kind for e in plan("a farmhouse with two lit windows in the snow").effects}
