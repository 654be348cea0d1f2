"""Every drawing the renderer has draws at any box it can be given: tiny boxes (a 16x16 image),
long thin ones (a subject's box on a 3:1 canvas) and whole 3:1 / 1:3 canvases (places span the
canvas), without raising. A drawing that raised would fail the whole request."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from imagegate.render import creatures, more_subjects, objects, places, subjects
from imagegate.render.subjects import Look, paint_premultiplied


def _painters() -> list[tuple[str, str, object]]:
    """(kind, name, painter) for every registered drawing and every name that reaches it (a
    drawing's branches go by name: a corridor is the indoor passage, an alley the outdoor one)."""
    out: dict[tuple[object, str], tuple[str, str, object]] = {}
    for names, painter, _aspect in objects.NAMED:
        for name in names:
            out.setdefault((painter, name.lstrip("=")), ("object", name.lstrip("="), painter))
    for names, painter, _aspect in creatures.NAMED:
        for name in names:
            out.setdefault((painter, name), ("animal", name, painter))
    for kind, names, painter, _aspect in more_subjects.NAMED:
        for name in names:
            out.setdefault((painter, name or kind), (kind, name or kind, painter))
    for kind, painter in subjects.PAINTERS.items():
        out.setdefault((painter, kind), (kind, kind, painter))
    return sorted(out.values(), key=lambda item: (item[0], item[1]))


PAINTERS = _painters()
SMALL = ((1, 1), (3, 9), (9, 3), (16, 48), (48, 16), (96, 32), (32, 96))
CANVASES = ((48, 16), (16, 48), (1536, 512), (512, 1536))


def test_the_list_reaches_every_kind_of_drawing():
    found = {p for _, _, p in PAINTERS}
    assert places.BACK | places.FRONT <= found and subjects.generic in found and len(found) > 150 and len(PAINTERS) > 600


@pytest.mark.parametrize(("kind", "name", "painter"), PAINTERS, ids=[f"{k}:{n}" for k, n, _ in PAINTERS])
def test_draws_at_any_box(kind, name, painter):
    for size in SMALL + (CANVASES if painter in places.BACK | places.FRONT else ()):
        for scale in (1, 2):
            layer = Image.new("RGBa", (size[0] * scale, size[1] * scale), (0, 0, 0, 0))
            painter(layer, Look(None, (200, 160, 40), False, "left", np.random.default_rng(1), name))


def test_a_drawing_that_fails_leaves_the_generic_shape_not_a_failed_render(monkeypatch, caplog):
    def broken(layer, look):
        raise ValueError("x1 must be greater than or equal to x0")

    monkeypatch.setitem(subjects.PAINTERS, "vehicle-under-test", broken)
    look = Look((200, 40, 40), (200, 160, 40), False, "left", np.random.default_rng(1), "vehicle-under-test")
    layer = paint_premultiplied("vehicle-under-test", (40, 40), look)
    assert layer.size == (40, 40) and np.asarray(layer.getchannel("a")).max() > 0  # the generic shape was drawn
    assert "could not draw" in caplog.text  # and the bug is logged
