"""Broader rule-planner mechanisms: breeds named with their kind, place words as settings, "by"
as beside, contents of containers, carriers after the text, more words in other languages,
language detection and singular names. The prompts are written for these tests, not taken from
any labelled set."""

from __future__ import annotations

from imagegate.plan import Plan
from imagegate.planning import scene
from imagegate.planning.planner import RulePlanner


def plan(prompt: str) -> Plan:
    return RulePlanner().plan(prompt)


def names(p: Plan) -> set[str]:
    return {s.name.lower() for s in p.subjects}


def lasts(p: Plan) -> set[str]:
    return {s.name.lower().split()[-1] for s in p.subjects}


def rels(p: Plan) -> set[tuple[str, str, str]]:
    return {(r.subject.lower().split()[-1], r.relation, r.anchor.lower().split()[-1]) for r in p.relations}


def test_breeds_and_vehicle_names_carry_their_kind() -> None:
    p = plan("A beagle asleep beside a sled on the porch")
    assert "beagle dog" in names(p) and "sled" in lasts(p)
    assert "poodle dogs" in names(plan("A girl walking two poodles along a canal"))
    assert any(n.endswith("scooter") for n in names(plan("A red Vespa parked against a brick wall")))
    assert "jaguar" in lasts(plan("A jaguar resting on a branch"))  # the animal, not a car


def test_place_words_are_settings_not_subjects() -> None:
    p = plan("A chemist pouring liquid into a flask in a laboratory")
    assert p.setting == "laboratory" and "laboratory" not in lasts(p)
    p = plan("A bartender polishing glasses in a dimly lit bar")
    assert p.setting == "bar" and "bar" not in lasts(p)
    assert plan("A cowboy leaning on a fence on a ranch at dusk").setting == "ranch"
    assert plan("A sheepdog herding sheep across the countryside").setting == "countryside"
    assert plan("A pickup truck outside a gas station at night").setting != "station"


def test_by_means_beside_and_portions_show_their_whole() -> None:
    assert ("lantern", "beside", "tent") in rels(plan("A lantern by a tent on a frosty morning"))
    assert ("book", "beside", "lamp") not in rels(plan("A book written by a lamp maker"))
    p = plan("A scone with a dollop of jam and a sprig of rosemary")
    assert {"jam", "rosemary"} <= lasts(p) and not {"dollop", "sprig"} & lasts(p)
    p = plan("A cup of cocoa on a wooden tray")
    assert {"cup", "cocoa", "tray"} <= lasts(p)


def test_texts_find_their_carrier_after_and_before() -> None:
    p = plan("A diary with 'Summer 1999' embossed on the cover, resting on a quilt")
    assert p.texts[0].carrier == "cover"
    p = plan("A poster for a jazz night reading 'LIVE TONIGHT', a saxophone in the center")
    assert p.texts[0].carrier == "poster"
    p = plan("A bookshop window with gilt lettering 'Rare Books'")
    assert p.texts[0].carrier == "window"
    assert plan("A train station departure board showing 'CANCELLED'").texts[0].carrier == "board"


def test_comma_clause_and_materials() -> None:
    p = plan("A fountain pen with a gold nib, resting on an open notebook")
    assert ("pen", "on", "notebook") in rels(p)
    p = plan("A leather-bound atlas on a shelf")
    assert any(s.material == "leather" for s in p.subjects)
    p = plan("A stool at golden hour, jagged cliffs in the distance")
    assert all(s.material is None for s in p.subjects)
    assert any(s.material == "oak" for s in plan("An oak chest in an attic").subjects)
    assert plan("Twin towers at dusk").subjects[0].count == 2


def test_singular_names_where_the_plural_is_irregular() -> None:
    p = plan("Three mangoes and two skis on the shelves")
    assert {"mango", "ski"} <= lasts(p)


def test_other_languages_detect_and_gloss() -> None:
    assert scene.prompt_language("Ein Roller steht an einer Mauer in einem kleinen Dorf") == "de"
    assert scene.prompt_language("Três gatos dormindo numa cesta") == "pt"
    p = plan("Ein Roller steht an einer Mauer in einem kleinen Dorf")
    assert "einer" not in lasts(p)
    p = plan("Eine Tasse Tee auf einem Samtkissen")
    assert {"cup", "tea", "cushion"} <= lasts(p)
    assert any(s.material == "velvet" for s in p.subjects)
    p = plan("Un teckel dort près de la cheminée")
    assert "dog" in lasts(p) and "fireplace" in lasts(p)
    p = plan("Dos volcanes al fondo y un camión en primer plano")
    assert "volcano" in lasts(p)
    p = plan("Un ciclista su una strada di montagna, cielo sereno")
    assert "cyclist" in lasts(p) and p.weather == "clear"
    p = plan("満月の下の寺")
    assert "moon" in lasts(p) and p.time_of_day == "night"
    p = plan("Неоновая вывеска над входом ночью")
    assert "entrance" in lasts(p)


def test_new_tables_read_long_input() -> None:
    # how long it takes is benchmarks/loop_latency.py's to measure; here: long input is still read
    p = plan(("a corgi by a pond in a laboratory, " * 400) + "à côté d'un " * 300)
    assert {s.kind for s in p.subjects} >= {"animal", "water"} and p.setting == "laboratory"
    assert [s.kind for s in plan("Ein " + "Tasse " * 2000).subjects] == ["cup"]


def test_more_grammar_and_surfaces() -> None:
    p = plan("二匹の猫が屋根に座っている")
    assert ("cat", "on", "roof") in rels(p)
    p = plan("Un tranvía cruzando un puente al atardecer")
    assert ("tram", "on", "bridge") in rels(p)
    p = plan("A lighthouse on a rocky point, gulls overhead")
    assert ("gulls", "above", "lighthouse") in rels(p)
    p = plan("A dog asleep under the kitchen table")
    assert "table" in lasts(p) and not p.surfaces
    p = plan("Two rackets and a ball on a grass court")
    assert [sf.kind for sf in p.surfaces] == ["court"]
    p = plan("A parrot with a seed in its beak on a branch")
    assert "beak" not in lasts(p)
    assert plan("A kangaroo resting in the outback at dusk").setting == "outback"
