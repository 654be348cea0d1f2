"""Edits, expand, variations and edit streaming through the official SDK; every upload error."""

from __future__ import annotations

import base64
import io

import httpx
import numpy as np
import openai
import pytest
from PIL import Image

pytestmark = pytest.mark.e2e


def png(size=(512, 512), color=(200, 30, 30), mode="RGB", pattern=True) -> bytes:
    image = Image.new(mode, size, color if mode == "RGB" else (*color, 255))
    if pattern:
        arr = np.asarray(image).copy()
        arr[::16, :, :3] = 20
        image = Image.fromarray(arr, mode)
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


def decode(b64: str) -> Image.Image:
    return Image.open(io.BytesIO(base64.b64decode(b64)))


@pytest.fixture
def oai(server):
    with openai.OpenAI(api_key=server.api_key, base_url=f"{server.base}/v1", max_retries=0) as c:
        yield c


def ledger_requests(server) -> int:
    resp = httpx.get(f"{server.base}/v1/organization/usage/images", headers={"Authorization": f"Bearer {server.api_key}"})
    return sum(r["num_model_requests"] for b in resp.json()["data"] for r in b["results"])


def test_edit_one_image_and_cached_input_billing(oai):
    data = png(color=(10, 120, 200))
    first = oai.images.edit(image=("in.png", data, "image/png"), prompt='Add the text "SALE" at the top', size="1024x1024", quality="low")
    image = decode(first.data[0].b64_json)
    assert image.size == (1024, 1024)
    # gpt-image-2 works at high input fidelity: 65 + 129 x 1 tile + 4160 for a square image
    assert first.usage.input_tokens_details.image_tokens == 194 + 4160
    again = oai.images.edit(image=("in.png", data, "image/png"), prompt='Add the text "SALE" at the top', size="1024x1024", quality="low")
    assert again.usage.input_tokens_details.model_extra["cached_tokens"] == 194 + 4160


def test_edit_several_images(oai):
    images = [("a.png", png(color=(200, 0, 0)), "image/png"), ("b.png", png(color=(0, 200, 0)), "image/png"), ("c.webp", _webp(), "image/webp")]
    result = oai.images.edit(image=images, prompt="Put these items together in a gift basket", model="gpt-image-1.5", quality="low", size="1536x1024")
    assert decode(result.data[0].b64_json).size == (1536, 1024)
    # gpt-image-1.5 at low fidelity: two 512² squares (1 tile each), 300x200 scales to 768x512 (2 tiles)
    assert result.usage.input_tokens_details.image_tokens == 2 * 194 + (65 + 2 * 129)


def _webp() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (300, 200), (0, 0, 200)).save(buf, "WEBP")
    return buf.getvalue()


def test_edit_with_mask_keeps_the_opaque_area(oai):
    source = png(size=(1024, 1024), color=(40, 160, 40))
    mask = Image.new("RGBA", (1024, 1024), (0, 0, 0, 255))
    mask.paste((0, 0, 0, 0), (384, 384, 640, 640))  # transparent centre: editable
    buf = io.BytesIO()
    mask.save(buf, "PNG")
    result = oai.images.edit(image=("in.png", source, "image/png"), mask=("mask.png", buf.getvalue(), "image/png"), prompt="a red ball", size="1024x1024", quality="low", extra_body={"seed": 3})
    out = np.asarray(decode(result.data[0].b64_json).convert("RGB")).astype(int)
    src = np.asarray(Image.open(io.BytesIO(source)).convert("RGB")).astype(int)
    assert np.abs(out[:200, :200] - src[:200, :200]).max() <= 2  # kept
    assert np.abs(out[450:570, 450:570] - src[450:570, 450:570]).mean() > 20  # repainted


def test_expand_places_input_at_anchor(oai):
    source = png(size=(512, 512), color=(250, 250, 0))
    result = oai.images.edit(image=("in.png", source, "image/png"), prompt="extend the scene", size="1024x1024", quality="low", extra_body={"anchor": "top-left"})
    out = np.asarray(decode(result.data[0].b64_json).convert("RGB")).astype(int)
    src = np.asarray(Image.open(io.BytesIO(source)).convert("RGB")).astype(int)
    assert np.abs(out[:500, :500] - src[:500, :500]).max() <= 2
    assert np.abs(out[600:, 600:] - np.array([250, 250, 0])).mean() > 30  # the new area was filled


@pytest.mark.filterwarnings("ignore:deprecated:DeprecationWarning")  # the SDK marks create_variation deprecated
def test_create_variation(oai):
    source = png(size=(512, 512), color=(90, 40, 160))
    result = oai.images.create_variation(image=("in.png", source, "image/png"), n=2, size="512x512", model="dall-e-2", response_format="b64_json")
    a, b = (decode(d.b64_json) for d in result.data)
    assert a.size == b.size == (512, 512)
    assert a.tobytes() != b.tobytes()


def test_stream_edit_events(oai):
    stream = oai.images.edit(image=("in.png", png(), "image/png"), prompt='a poster saying "HI"', size="1024x1024", quality="low", stream=True, partial_images=2)
    events = list(stream)
    kinds = [e.type for e in events]
    assert kinds.count("image_edit.partial_image") == 2 and kinds[-1] == "image_edit.completed"
    for e in events:
        assert decode(e.b64_json).size == (1024, 1024)
    assert events[-1].usage.output_tokens == 16 * 40 + 200


def test_json_edit_with_data_url(server):
    url = "data:image/png;base64," + base64.b64encode(png()).decode()
    resp = httpx.post(
        f"{server.base}/v1/images/edits",
        json={"images": [{"image_url": url}], "prompt": "make it blue", "size": "1024x1024", "quality": "low"},
        headers={"Authorization": f"Bearer {server.api_key}"}, timeout=60,
    )
    assert resp.status_code == 200 and decode(resp.json()["data"][0]["b64_json"]).size == (1024, 1024)


def _bomb() -> bytes:
    buf = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buf, "PNG")
    return buf.getvalue()


def _no_alpha_mask() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (512, 512)).save(buf, "PNG")
    return buf.getvalue()


def _small_mask() -> bytes:
    buf = io.BytesIO()
    Image.new("RGBA", (100, 100)).save(buf, "PNG")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("kwargs", "code", "param"),
    [
        ({"image": ("a.gif", b"GIF89a....", "image/gif")}, "invalid_image_format", "image"),
        ({"image": ("a.png", b"not an image at all", "image/png")}, "invalid_image_format", "image"),
        ({"image": ("a.png", png(), "image/jpeg")}, "invalid_image_format", "image"),
        ({"image": ("a.png", _bomb(), "image/png")}, "image_too_large", "image"),
        ({"image": [("a.png", png(), "image/png")] * 17}, "too_many_images", "image"),
        ({"mask": ("m.png", _no_alpha_mask(), "image/png")}, "invalid_mask_image_format", "mask"),
        ({"mask": ("m.png", _small_mask(), "image/png")}, "invalid_mask_image_format", "mask"),
        ({"mask": ("m.jpg", b"\xff\xd8\xff", "image/jpeg")}, "invalid_mask_image_format", "mask"),
        ({"extra_body": {"anchor": "middle-ish"}}, "invalid_value", "anchor"),
        ({"model": "gpt-image-1-mini", "input_fidelity": "high"}, "invalid_value", "input_fidelity"),
    ],
)
def test_upload_errors_store_and_bill_nothing(oai, server, kwargs, code, param):
    before = ledger_requests(server)
    stored = set((server.data_dir / "images").iterdir())
    args = {"image": ("a.png", png(), "image/png"), "prompt": "edit", "quality": "low", **kwargs}
    with pytest.raises(openai.BadRequestError) as info:
        oai.images.edit(**args)
    assert info.value.code == code and info.value.param == param
    assert ledger_requests(server) == before
    assert set((server.data_dir / "images").iterdir()) == stored


def test_raw_bytes_from_the_sdk_are_sniffed(oai):
    result = oai.images.edit(image=png(), prompt="edit", quality="low", size="1024x1024")
    assert decode(result.data[0].b64_json).size == (1024, 1024)


def test_oversized_image_is_400(oai):
    big = b"\x89PNG\r\n\x1a\n" + b"\0" * (50 * 1024 * 1024 + 1)
    with pytest.raises(openai.BadRequestError) as info:
        oai.images.edit(image=("big.png", big, "image/png"), prompt="edit")
    assert info.value.code == "image_too_large"
