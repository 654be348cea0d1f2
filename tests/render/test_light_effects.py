"""Light effects the plan asks for are drawn where they belong: each test renders a plan with and
without one effect and looks at what changed, and where."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from imagegate.plan import EFFECTS, Effect
from imagegate.planning.planner import RulePlanner
from imagegate.render.compose import arrange
from imagegate.render.scene import render_plan
from imagegate.render.stage import read_stage

SIZE = 384


def pair(prompt: str, kind: str, target: str | None = None, seed: int = 4):
    """(with the effect, without any effect, the plan's subject boxes by name)."""
    plan = replace(RulePlanner().plan(prompt), effects=())
    with_it = replace(plan, effects=(Effect(kind, target),))
    a = np.asarray(render_plan(with_it, SIZE, SIZE, seed).convert("RGB"), np.float32)
    b = np.asarray(render_plan(plan, SIZE, SIZE, seed).convert("RGB"), np.float32)
    boxes = {p.subject.name: p.box for p in arrange(plan, read_stage(plan), SIZE, SIZE)}
    return a, b, boxes


def luma(px: np.ndarray) -> np.ndarray:
    return px @ np.array([0.299, 0.587, 0.114], np.float32)


def box_of(boxes: dict, word: str):
    return next(box for name, box in boxes.items() if word in name)


def test_every_effect_kind_changes_the_picture():
    for kind in EFFECTS:
        if kind in ("reflection", "shadow"):
            continue  # drawn with the scene, tested with it
        a, b, _ = pair("a red car on a street at dusk", kind)
        assert np.abs(a - b).mean() > 0.3, kind


def test_steam_rises_above_the_cup_not_below_it():
    a, b, boxes = pair("a cup of tea on a wooden table", "steam")
    x0, y0, x1, y1 = box_of(boxes, "cup")
    above = np.abs(a[max(0, y0 - (y1 - y0)) : y0, x0:x1] - b[max(0, y0 - (y1 - y0)) : y0, x0:x1]).mean()
    below = np.abs(a[y1:, :] - b[y1:, :]).mean()
    assert above > 2 and below < 0.5


def test_smoke_from_a_chimney_shows_against_a_night_sky():
    a, b, boxes = pair("a chimney on a cabin at night", "smoke", "chimney")
    x0, y0, x1, y1 = box_of(boxes, "chimney")
    region = (slice(max(0, y0 - 2 * (y1 - y0)), y0), slice(x0, x1))
    assert luma(a[region]).mean() > luma(b[region]).mean() + 5  # pale smoke over the dark sky


def test_motion_blur_smears_the_subject_sideways():
    a, b, boxes = pair("a red sports car on a highway", "motion blur")
    x0, y0, x1, y1 = box_of(boxes, "car")
    trail = (slice(y0, y1), slice(max(0, x0 - (x1 - x0) // 12), x0 + (x1 - x0) // 10))
    assert np.abs(a[trail] - b[trail]).mean() > 3
    assert np.abs(a[:y0 - 5] - b[:y0 - 5]).mean() < 0.5  # the sky above it untouched


def test_silhouette_turns_the_subject_dark():
    a, b, boxes = pair("a man standing on a hill at sunset", "silhouette", "man")
    x0, y0, x1, y1 = box_of(boxes, "man")
    cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
    core = (slice(cy - 5, cy + 5), slice(cx - 3, cx + 3))
    assert luma(a[core]).mean() < 40 and luma(a[core]).mean() < luma(b[core]).mean()


def test_glow_lightens_around_the_subject():
    a, b, boxes = pair("a lantern on a field at night", "glow")
    x0, y0, x1, y1 = box_of(boxes, "lantern")
    ring = (slice(max(0, y0 - 20), y0), slice(x0, x1))
    assert luma(a[ring]).mean() > luma(b[ring]).mean() + 8
    corner = (slice(0, 20), slice(0, 20))
    assert abs(luma(a[corner]).mean() - luma(b[corner]).mean()) < 3  # light falls off


@pytest.mark.parametrize("kind", ["lens flare", "light rays"])
def test_flare_and_rays_come_from_the_light(kind):
    a, b, _ = pair("a wide meadow at noon", kind)
    near = (slice(0, SIZE // 5), slice(SIZE // 2, SIZE))  # the light sits top right by default
    far = (slice(SIZE // 2, SIZE), slice(0, SIZE // 5))
    assert luma(a[near]).mean() - luma(b[near]).mean() > luma(a[far]).mean() - luma(b[far]).mean() + 2


def test_bokeh_adds_discs_of_light_to_the_background():
    a, b, _ = pair("a cup of coffee on a table in a cafe", "bokeh")
    top = (slice(0, SIZE // 3), slice(0, SIZE))
    assert ((luma(a[top]) - luma(b[top])) > 12).sum() > 400  # discs of light


def test_sparkle_and_condensation_stay_near_their_subject():
    a, b, boxes = pair("a glass bottle on a counter", "condensation", "bottle")
    x0, y0, x1, y1 = box_of(boxes, "bottle")
    changed = np.abs(a - b).sum(axis=2) > 6
    ys, xs = np.nonzero(changed)
    assert len(xs) > 50 and xs.min() >= x0 and xs.max() < x1 and ys.min() >= y0 and ys.max() < y1
    a, b, boxes = pair("a diamond ring on velvet", "sparkle")
    assert (luma(a) > 245).sum() > (luma(b) > 245).sum() + 30


def test_effects_are_deterministic_per_seed():
    plan = replace(RulePlanner().plan("a cup of coffee"), effects=(Effect("steam"), Effect("bokeh"), Effect("sparkle")))
    one = np.asarray(render_plan(plan, 256, 256, 11))
    assert np.array_equal(one, np.asarray(render_plan(plan, 256, 256, 11)))
    assert not np.array_equal(one, np.asarray(render_plan(plan, 256, 256, 12)))
