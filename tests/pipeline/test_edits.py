"""Input-image token rule, canvas preparation for edits and expand, cached-input memory."""

from __future__ import annotations

import pytest
from PIL import Image

from imagegate.pipeline.edits import input_image_tokens, prepare_canvas
from imagegate.accounts.metering import RecentImages


@pytest.mark.parametrize(
    ("size", "fidelity", "tokens"),
    [((1024, 1024), "low", 194), ((512, 512), "low", 194), ((1024, 1536), "low", 65 + 129 * 2), ((4096, 1024), "low", 65 + 129 * 4),
     ((1024, 1024), "high", 194 + 4160), ((1536, 1024), "high", 65 + 129 * 2 + 6240)],
)
def test_input_image_tokens(size, fidelity, tokens):
    assert input_image_tokens(*size, fidelity) == tokens


def test_expand_pastes_at_anchor_and_marks_new_area_editable():
    src = Image.new("RGB", (100, 50), (255, 0, 0))
    canvas, keep = prepare_canvas(src, None, (200, 100), "bottom-right")
    assert canvas.size == (200, 100) and canvas.getpixel((150, 75)) == (255, 0, 0, 255)
    assert canvas.getpixel((10, 10))[3] == 0
    assert keep.getpixel((150, 75)) == 255 and keep.getpixel((10, 10)) == 0


def test_same_size_keeps_mask_and_other_sizes_fit():
    src = Image.new("RGB", (64, 64), (0, 0, 255))
    mask = Image.new("L", (64, 64), 255)
    canvas, keep = prepare_canvas(src, mask, (64, 64), "center")
    assert keep is mask and canvas.size == (64, 64)
    canvas, keep = prepare_canvas(Image.new("RGB", (300, 100)), None, (64, 64), "center")
    assert canvas.size == (64, 64) and keep is None


def test_recent_images_window():
    now = [0.0]
    recent = RecentImages(ttl=10, clock=lambda: now[0])
    assert not recent.contains("a")
    recent.add(["a"])
    now[0] = 9
    assert recent.contains("a")
    now[0] = 20
    assert not recent.contains("a")
