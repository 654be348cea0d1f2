"""The renderer draws what the plan holds: sky states, a horizon with water below it, surfaces,
relations, counts, reflections on glossy surfaces and text on the object that carries it."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PIL import Image

from imagegate.plan import Effect, Plan, Subject, Surface, TextElement
from imagegate.planning.planner import RulePlanner
from imagegate.render import effects, scene
from imagegate.render.compose import arrange, carried_box
from imagegate.render.more_subjects import NAMED
from imagegate.render.scene import render_plan
from imagegate.render.stage import read_stage
from imagegate.render.subjects import Look, paint_premultiplied

W = H = 512


def rgb(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("RGB"), np.float32)


def luma(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L"), np.float32)


CAT = Plan(
    prompt="A cat sitting on a windowsill at sunset, a potted plant beside it",
    background="sky", lighting="golden hour", light_direction="right", time_of_day="sunset",
    subjects=(
        Subject("cat", "animal", "left third", 0.4, relation="on", anchor="windowsill"),
        Subject("potted plant", "flower", "right third", 0.43, relation="beside", anchor="cat"),
    ),
    surfaces=(Surface("windowsill", "windowsill"),),
    relations=(),
)


def test_windowsill_at_sunset_draws_window_sill_cat_and_plant() -> None:
    image = rgb(render_plan(CAT, W, H, seed=3))
    stage = read_stage(CAT)
    assert stage.kind == "indoor" and stage.window is not None
    # the sky seen through the window is warm: red well above blue in its upper rows
    x0, y0, x1, y1 = (round(v * s) for v, s in zip(stage.window, (W, H, W, H)))
    sky = image[y0 + 8 : y0 + (y1 - y0) // 3, x0 + 8 : x1 - 8]
    assert sky[..., 0].mean() > sky[..., 2].mean() + 40
    # the sill: a light horizontal ledge, brighter than the wall's shadow right under it
    ledge = luma(Image.fromarray(image.astype(np.uint8)))[round(0.67 * H) : round(0.72 * H), round(0.07 * W) : round(0.12 * W)]
    below = luma(Image.fromarray(image.astype(np.uint8)))[round(0.78 * H) : round(0.82 * H), round(0.07 * W) : round(0.12 * W)]
    assert ledge.mean() > below.mean() + 25 and ledge.std() < 12
    # the cat stands on the sill; the plant stands beside it on the same line, not on top of it
    placed = {p.subject.name: p.box for p in arrange(CAT, stage, W, H)}
    cat, plant = placed["cat"], placed["potted plant"]
    assert abs(cat[3] - stage.support * H) < 0.03 * H
    assert abs(plant[3] - cat[3]) < 0.02 * H and plant[0] >= cat[2] - 0.05 * W
    # both are drawn: the render differs from the bare stage where each stands
    bare = rgb(render_plan(replace(CAT, subjects=()), W, H, seed=3))
    for box in (cat, plant):
        region = np.abs(image - bare)[box[1] : box[3], box[0] : box[2]].sum(axis=2)
        assert (region > 40).mean() > 0.2


def test_windowsill_prompt_through_the_planner_is_not_a_floating_cat() -> None:
    plan = RulePlanner().plan(CAT.prompt)
    stage = read_stage(plan)
    assert stage.top == "windowsill"
    names = {p.subject.kind for p in arrange(plan, stage, W, H)}
    assert {"animal", "flower"} <= names


def test_sign_on_brick_wall_sets_the_text_on_a_board() -> None:
    plan = RulePlanner().plan("A shop sign on a brick wall that reads 'OPEN'")
    image = rgb(render_plan(plan, W, H, seed=3))
    r, b = image[..., 0], image[..., 2]
    y = luma(Image.fromarray(image.astype(np.uint8)))
    # the board: a dark panel, bluish where the bricks are red
    panel = (b > r + 5) & (y < 90)
    ys, xs = np.nonzero(panel)
    assert len(xs) > 2000
    box = (xs.min(), ys.min(), xs.max(), ys.max())
    # the text's light strokes lie inside that box
    ink = (y > 170) & (np.abs(r - b) < 60)
    ink[: box[1]] = False  # mortar is light too: only look at the rows of the board and below
    ink[box[3] + 1 :] = False
    tys, txs = np.nonzero(ink[:, box[0] : box[2] + 1])
    assert len(txs) > 150
    assert tys.min() >= box[1] and tys.max() <= box[3]
    # brick around it: red dominant, with mortar courses (rows alternate bright and dark)
    top = image[: box[1] - 10]
    assert top[..., 0].mean() > top[..., 1].mean() + 40
    rows = y[: box[1] - 10, :].mean(axis=1)
    assert rows.std() > 8


def test_lake_at_dawn_lies_below_the_mountains() -> None:
    plan = RulePlanner().plan("A misty mountain landscape at dawn with a lake in the foreground")
    stage = read_stage(plan)
    assert stage.kind == "outdoor" and stage.ground == "water"
    horizon = round(stage.horizon * H)
    placed = arrange(plan, stage, W, H)
    assert all(p.subject.kind != "water" for p in placed)  # the lake is the ground, not a subject
    mountains = [p.box for p in placed if p.subject.kind == "mountain"]
    assert mountains and all(abs(box[3] - horizon) <= 0.02 * H for box in mountains)
    image = rgb(render_plan(plan, W, H, seed=3))
    water = image[round(0.85 * H) :]
    assert water[..., 2].mean() > water[..., 0].mean()  # the foreground band is water-blue
    sky = image[: round(0.25 * H)]
    assert sky[..., 0].mean() > sky[..., 2].mean()  # the dawn sky is warm, unlike the water
    # the mountains' own pixels lie above the horizon (below it only their faded reflection)
    bare = rgb(render_plan(replace(plan, subjects=()), W, H, seed=3))
    diff = np.abs(image - bare).sum(axis=2)
    above, below = diff[:horizon].sum(), diff[horizon:].sum()
    assert above > 1.5 * below


def _watch_plan() -> Plan:
    return Plan(
        prompt="a watch on dark marble with a subtle reflection", background="marble",
        palette=((52, 52, 58), (190, 190, 198), (212, 175, 55)), lighting="dramatic side", light_direction="left", tone="dark",
        subjects=(Subject("luxury watch", "watch", "center", 0.55, relation="on", anchor="dark marble surface"),),
        surfaces=(Surface("dark marble surface", "surface", "marble"),),
        effects=(Effect("reflection", "luxury watch", "marble surface"),),
    )


def test_reflection_of_the_watch_on_marble(monkeypatch: pytest.MonkeyPatch) -> None:
    plan = _watch_plan()
    box = next(p.box for p in arrange(plan, read_stage(plan), W, H) if p.subject.kind == "watch")
    with_reflection = luma(render_plan(plan, W, H, seed=3))
    monkeypatch.setattr(effects, "reflect", lambda *a, **k: None)
    without = luma(render_plan(plan, W, H, seed=3))
    depth = min(H - box[3], (box[3] - box[1]) // 2)
    assert depth > 40
    mirror = with_reflection[box[3] : box[3] + depth, box[0] : box[2]] - without[box[3] : box[3] + depth, box[0] : box[2]]
    subject = with_reflection[box[3] - depth : box[3], box[0] : box[2]][::-1]
    assert np.abs(mirror).mean() > 1.0  # something is drawn under the watch
    assert np.corrcoef(mirror.ravel(), subject.ravel())[0, 1] > 0.3  # and it is the watch, flipped
    # fainter than the watch itself
    assert np.abs(mirror).mean() < 0.6 * np.abs(subject - subject.mean()).mean()


def test_label_text_is_set_on_the_bottle() -> None:
    plan = Plan(
        prompt="a bottle with a label", background="plain",
        subjects=(Subject("wine bottle", "bottle", "center", 0.8),),
        texts=(TextElement("NOIR", weight="bold", carrier="label"),),
    )
    placed = arrange(plan, read_stage(plan), W, H)
    label = carried_box(plan.texts[0], placed)
    bottle = placed[0].box
    assert label is not None and bottle[0] <= label[0] < label[2] <= bottle[2] and bottle[1] <= label[1] < label[3] <= bottle[3]
    diff = np.abs(luma(render_plan(plan, W, H, seed=3)) - luma(render_plan(replace(plan, texts=()), W, H, seed=3))) > 40
    ys, xs = np.nonzero(diff)
    assert len(xs) > 100
    assert xs.min() >= label[0] - 2 and xs.max() <= label[2] + 2 and ys.min() >= label[1] - 2 and ys.max() <= label[3] + 2


def test_on_another_subject_sits_on_its_top() -> None:
    plan = Plan(prompt="a bag on a chair", subjects=(
        Subject("leather handbag", "object", "left third", 0.36, relation="on", anchor="velvet chair"),
        Subject("velvet chair", "object", "right third", 0.36),
    ))
    placed = arrange(plan, read_stage(plan), W, H)
    boxes = {p.subject.name: p.box for p in placed}
    bag, chair = boxes["leather handbag"], boxes["velvet chair"]
    assert chair[1] < bag[3] < chair[3] and chair[0] <= (bag[0] + bag[2]) / 2 <= chair[2]
    assert [p.subject.name for p in placed] == ["velvet chair", "leather handbag"]  # laid over it


def test_count_draws_that_many() -> None:
    plan = Plan(prompt="three apples", subjects=(Subject("apples", "object", "center", 0.4, count=3),))
    boxes = [p.box for p in arrange(plan, read_stage(plan), W, H)]
    assert len(boxes) == 3
    centres = sorted((b[0] + b[2]) / 2 for b in boxes)
    assert centres[1] - centres[0] > 0.1 * W and centres[2] - centres[1] > 0.1 * W


@pytest.mark.parametrize(("time", "weather"), [("sunset", None), ("noon", None), ("night", None), ("noon", "overcast")])
def test_sky_states(time: str, weather: str | None) -> None:
    plan = Plan(prompt="a field", background="sky", time_of_day=time, weather=weather)
    sky = rgb(render_plan(plan, W, H, seed=3))[: round(0.3 * H)]
    r, g, b = (sky[..., i].mean() for i in range(3))
    if time == "sunset":
        assert r > b + 20
    elif time == "night":
        assert max(r, g, b) < 60
    elif weather == "overcast":
        assert max(r, g, b) - min(r, g, b) < 30 and 80 < g < 200  # flat grey
    else:
        assert b > r + 40  # blue


@pytest.mark.parametrize("weather", ["rain", "snow", "mist"])
def test_weather_is_drawn_over_the_scene(weather: str) -> None:
    plan = Plan(prompt="a street", background="sky", time_of_day="noon", surfaces=(Surface("street", "street"),))
    clear = luma(render_plan(plan, W, H, seed=3))
    wet = luma(render_plan(replace(plan, weather=weather), W, H, seed=3))
    assert np.abs(wet - clear).mean() > 5


@pytest.mark.parametrize(("kind", "words"), [(k, w) for k, w, _, _ in NAMED], ids=[f"{k}-{w[0] or 'any'}" for k, w, _, _ in NAMED])
def test_every_named_drawing_paints_something(kind: str, words: tuple[str, ...]) -> None:
    look = Look(None, (212, 175, 55), False, "left", np.random.default_rng(1), f"a {words[0] or kind}")
    layer = paint_premultiplied(kind, (160, 120), look, 1)
    alpha = np.asarray(layer.getchannel("a"))
    assert (alpha > 0).mean() > 0.08


@pytest.mark.parametrize(
    "prompt",
    [
        "A red car on a city street at night in the rain", "A sailboat on the sea at a sunny beach at noon",
        "A small cabin in a forest in the mist, morning", "A coffee mug on a wooden desk next to a laptop",
        "A potted plant on a shelf beside a lamp", "A dog on the grass under a big oak tree at golden hour",
        "A hot air balloon over green hills", "A lighthouse on a pier at dusk", "A vase on the floor in front of a wall",
    ],
)
def test_staged_prompts_render(prompt: str) -> None:
    plan = RulePlanner().plan(prompt)
    image = render_plan(plan, 256, 192, seed=2)
    assert image.size == (256, 192) and np.asarray(image, np.float32).std() > 8
    assert render_plan(plan, 256, 192, seed=2).tobytes() == image.tobytes()  # deterministic


def test_plans_without_a_stage_keep_their_boxes() -> None:
    plan = Plan(prompt="shapes", background="plain", subjects=(Subject("red box", "object", "left third", 0.3),))
    assert read_stage(plan).kind == "none"
    assert [p.box for p in arrange(plan, read_stage(plan), 600, 400)] == [scene._subject_box(plan.subjects[0], 600, 400)]
