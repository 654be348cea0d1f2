"""The AzureOpenAI client, and signed URL fetch, tampering and expiry against a real server."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import time
from urllib.parse import parse_qs, urlsplit

import httpx
import openai
import pytest
from PIL import Image

pytestmark = pytest.mark.e2e


def test_azure_openai_client(server):
    with openai.AzureOpenAI(azure_endpoint=server.base, api_key=server.api_key, api_version="2025-04-01-preview") as client:
        response = client.images.generate(model="gpt-image-2", prompt="A lighthouse", size="1024x1024", quality="low", response_format="b64_json")
    image = Image.open(io.BytesIO(base64.b64decode(response.data[0].b64_json)))
    assert image.size == (1024, 1024)


def test_azure_deployment_names_the_model(server):
    with openai.AzureOpenAI(azure_endpoint=server.base, api_key=server.api_key, api_version="2024-02-01", azure_deployment="gpt-image-1-mini") as client:
        response = client.images.generate(model="ignored", prompt="A lighthouse", quality="low", response_format="b64_json")
    assert response.usage.output_tokens == 272  # gpt-image-1-mini's published 1024x1024 low count
    with openai.AzureOpenAI(azure_endpoint=server.base, api_key=server.api_key, api_version="2024-02-01", max_retries=0) as client:
        with pytest.raises(openai.NotFoundError):
            client.images.generate(model="no-deployment", prompt="x")


def _url(server) -> str:
    with openai.OpenAI(api_key=server.api_key, base_url=f"{server.base}/v1") as client:
        return client.images.generate(prompt="a kite", quality="low", response_format="url").data[0].url


def test_signed_url_fetch(server):
    resp = httpx.get(_url(server))
    assert resp.status_code == 200 and resp.content[:8] == b"\x89PNG\r\n\x1a\n"


def test_tampered_url_is_403(server):
    url = _url(server)
    bad_sig = url[:-1] + ("0" if url[-1] != "0" else "1")
    resp = httpx.get(bad_sig)
    assert resp.status_code == 403 and resp.json()["error"]["code"] == "invalid_signature"
    parts = urlsplit(url)
    q = parse_qs(parts.query)
    later = f"{server.base}{parts.path}?expires={int(q['expires'][0]) + 86400}&sig={q['sig'][0]}"
    assert httpx.get(later).status_code == 403
    assert httpx.get(f"{server.base}{parts.path}").status_code == 403


def test_expired_url_is_410(server):
    url = _url(server)
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    secret = bytes.fromhex((server.data_dir / "url-signing.key").read_text().strip())
    expires = int(time.time()) - 5
    sig = hmac.new(secret, f"{name}\n{expires}".encode(), hashlib.sha256).hexdigest()
    resp = httpx.get(f"{server.base}/v1/files/images/{name}?expires={expires}&sig={sig}")
    assert resp.status_code == 410
    assert resp.json()["error"]["code"] == "url_expired"
