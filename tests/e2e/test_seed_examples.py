"""The seed's Python and cURL examples, unchanged but for base_url and the key."""

from __future__ import annotations

import base64
import io
import json
import subprocess

import httpx
import openai
import pytest
from PIL import Image
from seed_prompts import HEADSHOT

pytestmark = pytest.mark.e2e



@pytest.fixture
def oai(server):
    with openai.OpenAI(api_key=server.api_key, base_url=f"{server.base}/v1") as c:
        yield c


def _decode(b64: str) -> Image.Image:
    return Image.open(io.BytesIO(base64.b64decode(b64)))


def test_seed_python_example_returns_a_fetchable_url(oai):
    response = oai.images.generate(model="gpt-image-2", prompt=HEADSHOT, size="1024x1024", quality="high", n=1)
    image_url = response.data[0].url
    assert image_url.startswith("http://127.0.0.1:")
    fetched = httpx.get(image_url)
    assert fetched.status_code == 200
    assert fetched.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(fetched.content))
    assert image.format == "PNG" and image.size == (1024, 1024)
    assert response.size == "1024x1024" and response.quality == "high" and response.output_format == "png"
    assert response.background == "opaque"
    assert response.usage.output_tokens == 16 * 182
    assert response.usage.input_tokens_details.text_tokens > 10


def test_seed_base64_example(oai, tmp_path):
    response = oai.images.generate(model="gpt-image-2", prompt="A red apple on a wooden table", response_format="b64_json")
    assert response.data[0].url is None
    image_data = base64.b64decode(response.data[0].b64_json)
    (tmp_path / "output.png").write_bytes(image_data)
    with Image.open(tmp_path / "output.png") as image:
        assert image.size == (1024, 1024)


def test_no_response_format_returns_both_forms(oai):
    response = oai.images.generate(prompt="a lighthouse at dusk")
    item = response.data[0]
    assert item.url and item.b64_json
    assert httpx.get(item.url).content == base64.b64decode(item.b64_json)


def test_seed_curl_example(server):
    body = {"model": "gpt-image-2", "prompt": HEADSHOT, "n": 1, "size": "1024x1024", "quality": "high"}
    out = subprocess.run(
        [
            "curl", "-sS", f"{server.base}/v1/images/generations",
            "-H", "Content-Type: application/json",
            "-H", f"Authorization: Bearer {server.api_key}",
            "-d", json.dumps(body),
        ],
        capture_output=True, check=True, timeout=60,
    )
    payload = json.loads(out.stdout)
    assert _decode(payload["data"][0]["b64_json"]).size == (1024, 1024)
    assert httpx.get(payload["data"][0]["url"]).status_code == 200


@pytest.mark.parametrize(
    ("size", "fmt", "pil_format"),
    [("1792x1024", "jpeg", "JPEG"), ("1024x1792", "webp", "WEBP"), ("2048x2048", "png", "PNG"), ("1536x1024", "png", "PNG"), ("1920x1088", "jpeg", "JPEG")],
)
def test_sizes_and_formats(oai, size, fmt, pil_format):
    response = oai.images.generate(model="gpt-image-2", prompt="mountains at sunrise", size=size, output_format=fmt, quality="low", response_format="b64_json")
    image = _decode(response.data[0].b64_json)
    w, h = (int(v) for v in size.split("x"))
    assert image.format == pil_format and image.size == (w, h)
    assert response.output_format == fmt and response.size == size


def test_n_images_each_different(oai):
    response = oai.images.generate(prompt="abstract shapes", n=3, size="1024x1024", quality="low", response_format="b64_json")
    blobs = [d.b64_json for d in response.data]
    assert len(blobs) == 3 and len(set(blobs)) == 3
    assert response.usage.output_tokens == 3 * 16 * 40


def test_seed_makes_results_reproducible(oai):
    kwargs = dict(prompt='a sign that says "OPEN"', size="1024x1024", response_format="b64_json", extra_body={"seed": 42})
    first = oai.images.generate(**kwargs).data[0].b64_json
    second = oai.images.generate(**kwargs).data[0].b64_json
    assert first == second
    other = oai.images.generate(**{**kwargs, "extra_body": {"seed": 43}}).data[0].b64_json
    assert other != first


def test_transparent_background_has_alpha(oai):
    response = oai.images.generate(prompt="a cute robot sticker", background="transparent", output_format="png", response_format="b64_json")
    image = _decode(response.data[0].b64_json)
    assert image.mode == "RGBA"
    assert image.getpixel((0, 0))[3] == 0
    assert response.background == "transparent"


def test_legacy_model_names_are_accepted(oai):
    for name in ("dall-e-3", "dall-e-2", "gpt-image-1", "gpt-image-2-2026-04-21", "gpt-image-1-mini", "gpt-image-1.5"):
        response = oai.images.generate(model=name, prompt="a cat", size="1024x1024", quality="low", response_format="b64_json")
        assert _decode(response.data[0].b64_json).size == (1024, 1024)


def test_request_id_header(oai):
    raw = oai.images.with_raw_response.generate(prompt="a cat", quality="low", response_format="b64_json")
    assert raw.headers["x-request-id"].startswith("req_")
    assert raw.parse()._request_id == raw.headers["x-request-id"]


def test_models_endpoint(oai):
    ids = {m.id for m in oai.models.list()}
    assert {"gpt-image-2", "gpt-image-2-2026-04-21", "gpt-image-1.5", "gpt-image-1-mini", "dall-e-3"} <= ids
    model = oai.models.retrieve("gpt-image-2")
    assert model.id == "gpt-image-2"
    assert model.model_extra["capabilities"]["max_n"] == 10
    with pytest.raises(openai.NotFoundError):
        oai.models.retrieve("no-such-model")
