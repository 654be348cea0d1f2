"""Scene structure in plans (issue 17): surfaces, counts, relations, depth, time of day, weather,
effects, materials and text carriers; the labelled set's dev split as a regression guard."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import sys
from pathlib import Path

import httpx
import pytest
from seed_prompts import WATCH

from imagegate.plan import Effect, Plan, Relation, Surface, luminance
from imagegate.planning.chat import ChatPlanner
from imagegate.planning.planner import RulePlanner, make_plan

ROOT = Path(__file__).resolve().parents[2]


def plan(prompt: str) -> Plan:
    return RulePlanner().plan(prompt)


def subject(p: Plan, head: str):
    return next(s for s in p.subjects if s.name.split()[-1].rstrip("s") == head)


def warm(color) -> bool:
    r, g, b = color
    return r > 200 and r > b + 60


def test_cat_on_a_windowsill_at_sunset_with_a_plant_beside_it() -> None:
    p = plan("A cat sitting on a windowsill at sunset, a potted plant beside it")
    assert {s.name.split()[-1] for s in p.subjects} >= {"cat", "plant"}
    assert [sf.kind for sf in p.surfaces] == ["windowsill"]
    cat, plant = subject(p, "cat"), subject(p, "plant")
    assert (cat.relation, cat.anchor) == ("on", "windowsill")
    assert (plant.relation, plant.anchor) == ("beside", "cat")
    assert Relation("potted plant", "beside", "cat") in p.relations
    assert p.time_of_day == "sunset"
    assert warm(p.palette[0]) and p.lighting == "golden hour"
    assert p.background != "plain"


def test_shop_sign_on_a_brick_wall() -> None:
    p = plan("A shop sign on a brick wall that reads 'FRESH BREAD'")
    (text,) = p.texts
    assert (text.text, text.carrier) == ("FRESH BREAD", "sign")
    assert p.surfaces == (Surface("brick wall", "wall", "brick"),)
    assert Relation("shop sign", "on", "brick wall") in p.relations
    r, g, b = p.palette[0]
    assert r > g + 50 and r > b + 50  # brick red, not the stock gradient


def test_misty_mountains_at_dawn_with_a_lake_in_the_foreground() -> None:
    p = plan("A misty mountain landscape at dawn with a lake in the foreground")
    lake, mountain = subject(p, "lake"), subject(p, "mountain")
    assert lake.depth == "foreground" and lake.placement == "foreground"
    assert mountain.depth == "background"
    assert p.time_of_day == "dawn" and p.weather == "mist"
    assert p.background == "sky"  # not water: the lake is a subject under the sky
    r, g, b = p.palette[0]
    assert r > 180 and b > 150  # soft pink dawn, misted


def test_watch_reflection_on_marble() -> None:
    p = plan(WATCH.replace("Wide format", "A subtle reflection of the watch on the marble surface. Wide format"))
    assert p.background == "marble" and p.lighting == "dramatic side"  # unchanged
    (effect,) = p.effects
    assert effect == Effect("reflection", "luxury watch", "marble surface")
    assert p.surfaces[0].material == "marble"
    assert [(r.relation, r.anchor) for r in p.relations] == [("on", "dark marble surface")]


@pytest.mark.parametrize(
    ("prompt", "head", "count"),
    [("Three red apples on a wooden table", "apple", 3), ("A pair of running shoes on a concrete floor", "shoe", 2),
     ("Two coffee cups on a cafe table", "cup", 2), ("A red apple", "apple", 1)],
)
def test_counts(prompt: str, head: str, count: int) -> None:
    assert subject(plan(prompt), head).count == count


def test_materials_and_effects() -> None:
    p = plan("A glass perfume bottle on white silk with soft shadows, steam rising")
    assert subject(p, "bottle").material == "glass"
    assert [sf.kind for sf in p.surfaces] == ["silk"]
    assert [e.kind for e in p.effects] == ["shadow", "steam"]


@pytest.mark.parametrize(
    ("prompt", "heads", "surface", "when"),
    [
        ("Un gato durmiendo en el alféizar de la ventana al atardecer, con una planta al lado", {"cat", "plant"}, "windowsill", "sunset"),
        ("Un paysage de montagne brumeux à l'aube avec un lac au premier plan", {"mountain", "lake"}, None, "dawn"),
        ("Eine Tasse Tee auf einem Holztisch neben einem Buch", {"cup", "book"}, "table", None),
        ("木のテーブルの上に三つのりんご", {"apple"}, "table", None),
        ("日落时窗台上的一只猫，旁边有一盆植物", {"cat", "plant"}, "windowsill", "sunset"),
        ("Вывеска на кирпичной стене с надписью «Открыто»", set(), "wall", None),
    ],
    ids=["es", "fr", "de", "ja", "zh", "ru"],
)
def test_other_languages(prompt: str, heads: set[str], surface: str | None, when: str | None) -> None:
    p = plan(prompt)
    assert heads <= {s.name.split()[-1].rstrip("s") for s in p.subjects}
    assert (p.surfaces[0].kind if p.surfaces else None) == surface
    assert p.time_of_day == when
    assert all(t.text in prompt for t in p.texts)  # quoted text is never glossed


def test_russian_sign_text_keeps_its_carrier() -> None:
    (t,) = plan("Вывеска на кирпичной стене с надписью «Открыто»").texts
    assert (t.text, t.carrier) == ("Открыто", "sign")


def test_night_and_weather_colour_the_sky() -> None:
    night = plan("A lighthouse on a cliff at night")
    assert luminance(night.palette[0]) < 40 and night.lighting == "moonlight"
    rain = plan("A lighthouse on a cliff in the rain")
    assert rain.weather == "rain" and rain.lighting == "overcast"


def test_new_fields_round_trip_and_validate() -> None:
    p = plan("A cat sitting on a windowsill at sunset, a potted plant beside it, a sign reading 'HI' and soft shadows")
    assert Plan.from_dict(json.loads(json.dumps(p.to_dict()))) == p
    data = {"prompt": "x", "time_of_day": "Sunrise", "weather": "foggy", "effects": ["reflection", {"kind": "Glow", "target": "lamp"}],
            "surfaces": ["table", {"name": "brick wall", "kind": "wall", "material": "brick"}],
            "relations": [{"subject": "cat", "relation": "next to", "anchor": "dog"}, {"subject": "a", "relation": "orbiting", "anchor": "b"}],
            "subjects": [{"name": "apples", "count": 3, "relation": "on", "anchor": "table", "depth": "foreground", "material": "glass"}],
            "texts": [{"text": "HI", "carrier": "sign"}]}
    q = Plan.from_dict(data)
    assert (q.time_of_day, q.weather) == ("dawn", "mist")
    assert q.effects == (Effect("reflection"), Effect("glow", "lamp"))
    assert q.surfaces == (Surface("table"), Surface("brick wall", "wall", "brick"))
    assert q.relations == (Relation("cat", "beside", "dog"),)  # an unknown relation is dropped
    assert (q.subjects[0].count, q.subjects[0].depth, q.texts[0].carrier) == (3, "foreground", "sign")
    for bad in ({"subjects": [{"name": "a", "count": 0}]}, {"subjects": [{"name": "a", "count": "two"}]},
                {"surfaces": [3]}, {"effects": [{"target": "x"}]}, {"weather": 5}):
        with pytest.raises(ValueError):
            Plan.from_dict({"prompt": "x", **bad})


def test_old_plans_still_load() -> None:
    old = {"prompt": "x", "background": "wood", "subjects": [{"name": "cup", "kind": "cup"}], "texts": [{"text": "Hi"}]}
    p = Plan.from_dict(old)
    assert p.surfaces == () and p.time_of_day is None and p.subjects[0].count == 1 and p.texts[0].carrier is None


def test_chat_planner_fills_new_fields_or_keeps_the_rules() -> None:
    prompt = "A cat sitting on a windowsill at sunset with a sign reading 'HELLO'"
    answers = [
        {"background": "sky", "time_of_day": "sunset", "subjects": [{"name": "cat", "kind": "animal", "relation": "on", "anchor": "windowsill"}],
         "surfaces": [{"name": "windowsill", "kind": "windowsill"}], "texts": [{"text": "HELLO", "carrier": "sign"}]},
        {"background": "sky", "subjects": [{"name": "cat", "kind": "animal"}], "texts": [{"text": "HELLO"}]},  # an older model
    ]
    plans = []
    for answer in answers:
        def handler(request: httpx.Request, answer=answer) -> httpx.Response:
            content = json.dumps(answer)
            return httpx.Response(200, json={"choices": [{"message": {"role": "assistant", "content": content}}]})

        async def go() -> Plan:
            async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
                return await make_plan(ChatPlanner("http://llm.local/v1", "m", client=client), prompt)

        plans.append(asyncio.run(go()))
    full, old = plans
    assert full.source == "chat" and full.subjects[0].relation == "on" and full.texts[0].carrier == "sign"
    assert old.source == "chat" and old.time_of_day == "sunset" and [s.kind for s in old.surfaces] == ["windowsill"]
    assert old.texts[0].carrier == "sign" and any("from the rule planner" in n for n in old.notes)


# ---------------------------------------------------------------- the labelled set (dev split only)

# Reached on the dev split when the rules were generalised (recall 0.985, precision 0.912); the guard
# leaves a small margin. The test split is never read by a test.
DEV_RECALL = 0.985
DEV_PRECISION = 0.912
MARGIN = 0.02


def _benchmark():
    spec = importlib.util.spec_from_file_location("plan_recall", ROOT / "benchmarks" / "plan_recall.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("plan_recall", module)
    spec.loader.exec_module(module)
    return module


def test_labelled_set_is_big_varied_and_split() -> None:
    bench = _benchmark()
    rows = bench.load("all")
    assert len(rows) >= 220 and len({r["id"] for r in rows}) == len(rows)
    assert sum(r["lang"] != "en" for r in rows) >= 0.25 * len(rows)
    dev, test = bench.load("dev"), bench.load("test")
    assert len(dev) + len(test) == len(rows) and 0.5 < len(dev) / len(rows) < 0.7
    for row in rows:
        for label in row["elements"]:
            assert label.split(":")[0] in bench.KINDS, label


def test_dev_split_recall_does_not_regress() -> None:
    bench = _benchmark()
    rows = bench.load("dev")
    planner = RulePlanner()
    result = bench.evaluate(rows, [planner.plan(r["prompt"]) for r in rows])
    assert result["recall"] >= DEV_RECALL - MARGIN
    assert result["precision"] >= DEV_PRECISION - MARGIN
