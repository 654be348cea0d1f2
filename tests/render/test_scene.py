"""The built-in renderer: determinism, sizes, transparency, and that the plan shows up where planned."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PIL import Image
from seed_prompts import WATCH

from imagegate.plan import Plan, Subject, TextElement
from imagegate.render.stage import read_stage
from imagegate.render.scene import render_plan
from imagegate.planning.planner import RulePlanner


@pytest.fixture(scope="module")
def watch_plan() -> Plan:
    return RulePlanner().plan(WATCH)


def luma(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L"), np.float32)


def test_same_inputs_same_bytes(watch_plan: Plan) -> None:
    a = render_plan(watch_plan, 512, 384, seed=7)
    b = render_plan(watch_plan, 512, 384, seed=7)
    assert a.tobytes() == b.tobytes()
    assert render_plan(watch_plan, 512, 384, seed=8).tobytes() != a.tobytes()
    assert render_plan(watch_plan, 512, 384, seed=7, quality="high").tobytes() != a.tobytes()


@pytest.mark.parametrize("size", [(3840, 2160), (2048, 2048), (1024, 1536), (64, 48)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_sizes(watch_plan: Plan, size: tuple[int, int]) -> None:
    image = render_plan(watch_plan, *size, seed=1, quality="low")
    assert image.size == size and image.mode == "RGB"


def test_too_big_is_refused(watch_plan: Plan) -> None:
    with pytest.raises(ValueError):
        render_plan(watch_plan, 4096, 1024, seed=1)


@pytest.mark.parametrize(
    "prompt",
    [
        "a red apple",
        "a woman on a wooden floor, golden hour",
        "a castle under a cloudy sky, backlit",
        "a sports car in a night city, neon",
        "a cup of coffee on crumpled paper, candle-lit",
        "a bouquet of roses on silk fabric",
        "a cat on a concrete floor, moonlight",
        "a bottle on the ocean, spotlight",
        "a phone on a bokeh background",
        "a tree and mountains, starry night sky",
        "a house in a studio, soft studio lighting",
        "«Привет» and 「你好」 on a plain background",
    ],
)
def test_every_background_subject_and_light_renders(prompt: str) -> None:
    plan = RulePlanner().plan(prompt)
    image = render_plan(plan, 320, 240, seed=3)
    pixels = np.asarray(image, np.float32)
    assert image.size == (320, 240)
    assert pixels.std() > 4.0  # not a blank canvas


def test_transparent_has_clear_corners_and_opaque_subject(watch_plan: Plan) -> None:
    image = render_plan(watch_plan, 600, 400, seed=2, transparent=True)
    assert image.mode == "RGBA"
    alpha = np.asarray(image.getchannel("A"))
    for y, x in ((0, 0), (0, -1), (-1, 0), (-1, -1)):
        assert alpha[y, x] == 0
    assert alpha[200, 300] == 255  # the watch in the middle
    assert (alpha == 0).mean() > 0.5  # most of the canvas is clear


def test_watch_plan_renders_dark_textured_marble(watch_plan: Plan) -> None:
    image = render_plan(watch_plan, 768, 512, seed=7)
    y = luma(image)
    assert y.mean() < 70
    stage = read_stage(watch_plan)
    assert stage.top == "table" and stage.top_material == "dark marble" and stage.wall == "studio dark"
    horizon = round(stage.horizon * 512)
    # a dark marble slab with veins below its back edge, a smooth dark backdrop above it
    band = y[horizon + 10 : horizon + 120]
    slab, backdrop = np.concatenate([band[:, 10:200], band[:, 568:758]], axis=1), y[20 : horizon - 20, 10:200]  # beside the watch
    assert slab.std() > 6.0 and backdrop.std() < slab.std() / 2
    assert backdrop.mean() < 70 and slab.mean() < 90


def test_side_light_brightens_the_lit_side(watch_plan: Plan) -> None:
    plan = replace(watch_plan, texts=(), subjects=())
    left = render_plan(replace(plan, light_direction="left"), 768, 512, seed=7)
    right = render_plan(replace(plan, light_direction="right"), 768, 512, seed=7)
    ly, ry = luma(left), luma(right)
    assert ly[:, :256].mean() > 1.5 * ly[:, -256:].mean()
    assert ry[:, -256:].mean() > 1.5 * ry[:, :256].mean()


def edge_energy(y: np.ndarray) -> np.ndarray:
    return np.abs(np.diff(y, axis=0))[:, :-1] + np.abs(np.diff(y, axis=1))[:-1, :]


def test_subject_is_centred(watch_plan: Plan) -> None:
    plan = replace(watch_plan, texts=())
    alpha = np.asarray(render_plan(plan, 768, 512, seed=7, transparent=True).getchannel("A"))
    ys, xs = np.nonzero(alpha > 128)
    assert abs(xs.mean() - 384) < 20 and abs(ys.mean() - 256) < 20
    edges = edge_energy(luma(render_plan(plan, 768, 512, seed=7)))
    centre = edges[156:356, 284:484].mean()
    assert centre > 2.0 * edges[:, :150].mean() and centre > 2.0 * edges[:, -150:].mean()


@pytest.mark.parametrize(
    ("position", "quadrant"),
    [("upper right", (0, 1)), ("upper left", (0, 0)), ("lower left", (1, 0)), ("bottom right", (1, 1))],
)
def test_text_lands_in_its_quadrant(watch_plan: Plan, position: str, quadrant: tuple[int, int]) -> None:
    base = replace(watch_plan, subjects=(), texts=())
    text = replace(base, texts=(TextElement("Precision. Perfected.", style="serif", position=position),))
    diff = np.abs(luma(render_plan(text, 768, 512, seed=7)) - luma(render_plan(base, 768, 512, seed=7))) > 30
    ys, xs = np.nonzero(diff)
    assert len(xs) > 200
    assert (ys.mean() > 256) == bool(quadrant[0]) and (xs.mean() > 384) == bool(quadrant[1])


def test_watch_text_is_upper_right(watch_plan: Plan) -> None:
    without = replace(watch_plan, texts=())
    diff = np.abs(luma(render_plan(watch_plan, 768, 512, seed=7)) - luma(render_plan(without, 768, 512, seed=7))) > 30
    ys, xs = np.nonzero(diff)
    assert ys.max() < 256 and xs.min() > 384


def test_progress_reports_partial_images(watch_plan: Plan) -> None:
    calls: list[tuple[int, int, Image.Image | None]] = []
    final = render_plan(watch_plan, 256, 160, seed=1, on_progress=lambda s, t, p: calls.append((s, t, p)), previews={1, 2, 3, 4})
    assert [c[0] for c in calls] == [1, 2, 3, 4] and {c[1] for c in calls} == {4}
    assert all(p is not None and p.size == (256, 160) for _, _, p in calls)
    assert calls[-1][2].tobytes() == final.tobytes()
    assert calls[0][2].tobytes() != final.tobytes()
    # reporting progress never changes the result
    assert render_plan(watch_plan, 256, 160, seed=1).tobytes() == final.tobytes()


def test_subject_placements_follow_the_plan() -> None:
    base = Plan(prompt="shapes", background="plain", palette=((230, 230, 230), (210, 210, 210), (30, 30, 30)))
    bare = luma(render_plan(base, 600, 400, seed=1))
    for placement, expect_left in (("left third", True), ("right third", False)):
        plan = replace(base, subjects=(Subject("red box", "object", placement, 0.3, (200, 30, 40)),))
        ys, xs = np.nonzero(np.abs(luma(render_plan(plan, 600, 400, seed=1)) - bare) > 20)
        assert (xs.mean() < 300) == expect_left


def test_textures_stay_float32() -> None:
    """float64 creeping in (NumPy 2 promotes on numpy scalars) doubles the renderer's cost."""
    from imagegate.render.textures import PAINTERS

    for name, painter in PAINTERS.items():
        out = painter(np.random.default_rng(1), 48, 64, ((52, 52, 58), (190, 190, 198), (200, 100, 50)), 3)
        assert out.dtype == np.float32 and out.shape == (48, 64, 3), name


SHADOW_BASE = Plan(
    prompt="shapes", background="plain", palette=((200, 200, 200), (190, 190, 190), (30, 30, 30)),
    lighting="overcast", light_direction="left",  # overcast: the key light does not pool on subjects
)


def test_drop_shadow_falls_away_from_the_light() -> None:
    """Shadows are cast into the background at its working resolution: right of a subject lit from
    the left the ground darkens, left of it it does not."""
    bare = luma(render_plan(SHADOW_BASE, 640, 480, seed=1))
    block = Subject("block", "object", "center", 0.4, (60, 90, 200))  # box x 224..416, body x 243..397
    shade = bare - luma(render_plan(replace(SHADOW_BASE, subjects=(block,)), 640, 480, seed=1))
    assert shade[200:300, 402:414].mean() > 25
    assert abs(shade[200:300, 200:222].mean()) < 2


def test_later_subjects_shadow_earlier_ones() -> None:
    """A subject laid after another casts its drop shadow on it too, not only on the ground."""
    back = Subject("back", "object", "center", 0.5, (240, 240, 240))  # body x 224..416
    front = Subject("front", "object", "left", 0.3, (40, 40, 40))  # body x 115..231
    alone = luma(render_plan(replace(SHADOW_BASE, subjects=(back,)), 640, 480, seed=1))
    both = luma(render_plan(replace(SHADOW_BASE, subjects=(back, front)), 640, 480, seed=1))
    assert (alone - both)[230:320, 234:244].mean() > 25  # the back subject, just right of the front one


def test_translucent_touches_match_alpha_compositing() -> None:
    """Glare and sheen are one masked paste; on the opaque subject that equals alpha_composite."""
    from PIL import ImageDraw

    from imagegate.render.subjects import _translucent

    base = Image.new("RGBA", (60, 40), (90, 60, 30, 255))
    pasted = base.copy()
    _translucent(pasted, "chord", (5.5, 3.2, 50.7, 36.1), (255, 255, 255), 26, 200, 330)
    glare = Image.new("RGBA", base.size, (0, 0, 0, 0))
    ImageDraw.Draw(glare).chord((5.5, 3.2, 50.7, 36.1), 200, 330, fill=(255, 255, 255, 26))
    composited = base.copy()
    composited.alpha_composite(glare)
    diff = np.abs(np.asarray(pasted, np.int16) - np.asarray(composited, np.int16))
    assert diff.max() <= 1 and (np.asarray(pasted) != np.asarray(base)).any()


def test_concurrent_renders_match_sequential_ones(watch_plan: Plan) -> None:
    """Renders share the cores in worker threads (the heavy steps release the GIL); they share no state."""
    from concurrent.futures import ThreadPoolExecutor

    seeds = [1, 2, 3, 1, 2, 3]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda seed: render_plan(watch_plan, 320, 240, seed=seed).tobytes(), seeds))
    alone = {seed: render_plan(watch_plan, 320, 240, seed=seed).tobytes() for seed in set(seeds)}
    assert together == [alone[seed] for seed in seeds]
