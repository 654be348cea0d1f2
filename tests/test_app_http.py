"""The HTTP layer in-process: envelopes, 413, request ids, models, health, encoders."""

from __future__ import annotations

import base64
import io

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from imagegate.app import build_app
from imagegate.config import load_settings


def test_health_and_models(client):
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["models"]["gpt-image-2"]["engine"] == "builtin"
    listed = client.get("/v1/models").json()
    assert listed["object"] == "list"
    alias = next(m for m in listed["data"] if m["id"] == "dall-e-3")
    assert alias["alias_for"] == "gpt-image-2" and alias["object"] == "model"
    assert client.get("/v1/models/gpt-image-1-mini").json()["capabilities"]["sizes"][-1] == "auto"


def test_every_response_has_a_request_id(client):
    ids = {client.get("/health").headers["x-request-id"], client.get("/missing").headers["x-request-id"]}
    assert len(ids) == 2 and all(i.startswith("req_") for i in ids)


def test_body_over_the_limit_is_413(tmp_path):
    settings = load_settings(None, data_dir=tmp_path, max_request_bytes=5000, max_json_bytes=1000, auth=False)
    with TestClient(build_app(settings)) as c:
        # upload routes have the larger limit: 2 kB passes the size check (and fails later, as no image)
        resp = c.post("/v1/images/edits", json={"prompt": "x" * 2000, "images": []})
        assert resp.status_code == 400, resp.text
        resp = c.post("/v1/images/edits", json={"prompt": "x" * 6000})
        assert resp.status_code == 413 and "5000" in resp.json()["error"]["message"]
        resp = c.post("/v1/images/generations", json={"prompt": "x" * 2000})
        assert resp.status_code == 413
        assert resp.json()["error"]["code"] == "request_too_large"
        assert resp.headers["x-request-id"].startswith("req_")

        def chunks():
            yield b'{"prompt": "'
            yield b"y" * 2000
            yield b'"}'

        resp = c.post("/v1/images/generations", content=chunks(), headers={"content-type": "application/json"})
        assert resp.status_code == 413


@pytest.mark.parametrize("body", [b"[1, 2]", b'"text"', b"null"])
def test_non_object_bodies_are_400(client, body):
    resp = client.post("/v1/images/generations", content=body, headers={"content-type": "application/json"})
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "invalid_type"


def test_wrong_method_is_an_envelope(client):
    resp = client.get("/v1/images/generations")
    assert resp.status_code == 405
    assert resp.json()["error"]["type"] == "invalid_request_error"


def test_openai_v1_prefix_for_azure_v1_clients(client):
    resp = client.post("/openai/v1/images/generations", json={"prompt": "a cat", "quality": "low", "response_format": "b64_json"})
    assert resp.status_code == 200


@pytest.mark.parametrize(("fmt", "mode"), [("png", "RGB"), ("jpeg", "RGB"), ("webp", "RGB")])
def test_output_compression_changes_lossy_size(client, fmt, mode):
    def size_at(compression):
        body = {"prompt": "a sunset over the sea", "output_format": fmt, "output_compression": compression, "seed": 1, "response_format": "b64_json", "quality": "low"}
        data = base64.b64decode(client.post("/v1/images/generations", json=body).json()["data"][0]["b64_json"])
        assert Image.open(io.BytesIO(data)).mode == mode
        return len(data)

    if fmt == "png":
        assert size_at(10) == size_at(90)  # lossless: compression is a jpeg/webp setting
    else:
        assert size_at(10) < size_at(95)


def test_public_url_setting_is_used_for_urls(tmp_path):
    settings = load_settings(None, data_dir=tmp_path, public_url="https://images.example.test/", auth=False)
    with TestClient(build_app(settings)) as c:
        url = c.post("/v1/images/generations", json={"prompt": "a cat", "response_format": "url", "quality": "low"}).json()["data"][0]["url"]
    assert url.startswith("https://images.example.test/v1/files/images/")


def test_openai_response_headers(client):
    resp = client.post("/v1/images/generations", json={"prompt": "a red apple", "size": "1024x1024", "quality": "low"})
    assert resp.status_code == 200
    assert resp.headers["openai-version"] == "2020-10-01"
    assert resp.headers["openai-processing-ms"].isdigit() and int(resp.headers["openai-processing-ms"]) >= 1
    assert client.get("/missing").headers["openai-version"] == "2020-10-01"  # on errors too


def test_an_aliased_model_says_which_model_served_it(client):
    aliased = client.post("/v1/images/generations", json={"model": "gpt-image-1", "prompt": "a red apple", "size": "1024x1024", "quality": "low"})
    assert aliased.status_code == 200 and aliased.headers["x-imagegate-served-model"] == "gpt-image-1.5"
    direct = client.post("/v1/images/generations", json={"model": "gpt-image-1.5", "prompt": "a red apple", "size": "1024x1024", "quality": "low"})
    assert direct.status_code == 200 and "x-imagegate-served-model" not in direct.headers


def test_azure_client_variations(client):
    import io
    import warnings

    import openai
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 60, 30)).save(buf, "PNG")
    azure = openai.AzureOpenAI(azure_endpoint="http://testserver", api_key="x", api_version="2025-04-01-preview", http_client=client, max_retries=0)
    with warnings.catch_warnings():  # the SDK marks variations deprecated
        warnings.simplefilter("ignore", DeprecationWarning)
        result = azure.images.create_variation(model="gpt-image-1.5", image=("a.png", buf.getvalue(), "image/png"), size="1024x1024", response_format="b64_json")
    assert len(result.data) == 1 and result.data[0].b64_json


def test_refusals_point_at_the_operators_contact(tmp_path):
    settings = load_settings(None, data_dir=tmp_path, auth=False, refusal_contact="https://example.org/image-policy")
    with TestClient(build_app(settings)) as c:
        resp = c.post("/v1/images/generations", json={"prompt": "a graphic photo of a decapitated body with gore everywhere"})
        err = resp.json()["error"]
        assert resp.status_code == 400 and err["code"] == "moderation_blocked"
        assert "contact https://example.org/image-policy and include the request ID" in err["message"]
        assert "openai.com" not in err["message"]


def test_azure_api_version_is_checked_like_azure(client):
    path = "/openai/deployments/gpt-image-2/images/generations"
    body = {"prompt": "a red apple", "size": "1024x1024", "quality": "low"}
    missing = client.post(path, json=body)
    assert missing.status_code == 404 and missing.json()["error"]["message"] == "Resource not found"
    bad = client.post(path + "?api-version=yesterday", json=body)
    assert bad.status_code == 400 and bad.json()["error"]["message"] == "API version not supported"
    assert client.post(path + "?api-version=2025-04-01-preview", json=body).status_code == 200


def test_azure_refusals_have_azures_shape(client):
    import openai

    azure = openai.AzureOpenAI(azure_endpoint="http://testserver", api_key="x", api_version="2025-04-01-preview", http_client=client, max_retries=0)
    with pytest.raises(openai.BadRequestError) as info:
        azure.images.generate(model="gpt-image-2", prompt="a graphic photo of a decapitated body with gore everywhere", size="1024x1024", quality="low")
    err = info.value.body
    assert info.value.code == "content_policy_violation"
    assert err["inner_error"]["code"] == "ResponsibleAIPolicyViolation"
    filters = err["inner_error"]["content_filter_results"]
    assert filters["violence"] == {"filtered": True, "severity": "high"} and filters["sexual"]["filtered"] is False
    plain = client.post("/v1/images/generations", json={"prompt": "a graphic photo of a decapitated body with gore everywhere"})
    assert plain.json()["error"]["code"] == "moderation_blocked"  # OpenAI's own routes keep OpenAI's shape
