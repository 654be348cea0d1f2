"""Every client mistake raises the right SDK exception with the right code and param."""

from __future__ import annotations

import httpx
import openai
import pytest

pytestmark = pytest.mark.e2e


@pytest.fixture
def oai(server):
    with openai.OpenAI(api_key=server.api_key, base_url=f"{server.base}/v1", max_retries=0) as c:
        yield c


@pytest.mark.parametrize(
    ("kwargs", "param", "code"),
    [
        ({"size": "512x513"}, "size", "invalid_value"),
        ({"size": "4096x1024"}, "size", "invalid_value"),
        ({"size": "3840x1024"}, "size", "invalid_value"),  # aspect beyond 3:1
        ({"size": "big"}, "size", "invalid_value"),
        ({"model": "gpt-image-1.5", "size": "1792x1024"}, "size", "invalid_value"),
        ({"n": 11}, "n", "integer_above_max_value"),
        ({"n": 0}, "n", "integer_below_min_value"),
        ({"quality": "ultra"}, "quality", "invalid_value"),
        ({"response_format": "gif"}, "response_format", "invalid_value"),
        ({"output_format": "bmp"}, "output_format", "invalid_value"),
        ({"output_compression": 101}, "output_compression", "integer_above_max_value"),
        ({"background": "transparent", "output_format": "jpeg"}, "background", "invalid_value"),
        ({"background": "clear"}, "background", "invalid_value"),
        ({"moderation": "none"}, "moderation", "invalid_value"),
        ({"style": "grungy"}, "style", "invalid_value"),
        ({"prompt": "x" * 32001}, "prompt", "string_above_max_length"),
        ({"prompt": "   "}, "prompt", "empty_string"),
        ({"n": "many"}, "n", "invalid_type"),
        ({"size": 1024}, "size", "invalid_type"),
    ],
)
def test_bad_values_raise_bad_request(oai, kwargs, param, code):
    args = {"prompt": "a cat", "model": "gpt-image-2", **kwargs}
    with pytest.raises(openai.BadRequestError) as info:
        oai.images.generate(**args)
    assert info.value.status_code == 400
    assert info.value.code == code
    assert info.value.param == param
    assert info.value.type == "invalid_request_error"
    assert info.value.request_id.startswith("req_")


def test_missing_prompt(oai):
    with pytest.raises(openai.BadRequestError) as info:
        oai.post("/images/generations", body={"model": "gpt-image-2"}, cast_to=object)
    assert info.value.code == "missing_required_parameter" and info.value.param == "prompt"


def test_unknown_model_is_404(oai):
    with pytest.raises(openai.NotFoundError) as info:
        oai.images.generate(model="dall-e-9", prompt="a cat")
    assert info.value.code == "model_not_found" and info.value.param == "model"


def test_malformed_json_is_400(server):
    resp = httpx.post(f"{server.base}/v1/images/generations", content=b'{"prompt": "a cat",', headers={"content-type": "application/json", "authorization": f"Bearer {server.api_key}"})
    assert resp.status_code == 400
    error = resp.json()["error"]
    assert set(error) >= {"message", "type", "param", "code"}
    assert error["type"] == "invalid_request_error"
    assert resp.headers["x-request-id"].startswith("req_")


def test_unknown_route_is_404_envelope(oai, server):
    with pytest.raises(openai.NotFoundError) as info:
        oai.post("/images/unknown", body={}, cast_to=object)
    assert info.value.code == "unknown_url"
    resp = httpx.get(f"{server.base}/nowhere")
    assert resp.status_code == 404 and resp.json()["error"]["message"] == "Invalid URL (GET /nowhere)"


def test_unknown_fields_are_accepted(oai):
    response = oai.images.generate(prompt="a cat", quality="low", response_format="b64_json", extra_body={"future_field": {"x": 1}})
    assert response.data[0].b64_json
