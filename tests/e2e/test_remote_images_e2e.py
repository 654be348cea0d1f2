"""JSON edits whose `image_url`s are http(s) URLs, against a real server and a local image server
(the operator settings that allow 127.0.0.1, plain http and any port are on here)."""

from __future__ import annotations

import base64
import io
import time

import httpx
import pytest
from conftest import Server
from image_server import ImageServer
from PIL import Image

pytestmark = pytest.mark.e2e
ALLOW_LOCAL = {"IMAGEGATE_REMOTE_IMAGES_ALLOW_PRIVATE": "true", "IMAGEGATE_REMOTE_IMAGES_ALLOW_HTTP": "true",
               "IMAGEGATE_REMOTE_IMAGES_ALLOW_ANY_PORT": "true", "IMAGEGATE_REMOTE_IMAGES_TIMEOUT_SECONDS": "2"}


@pytest.fixture(scope="module")
def images():
    srv = ImageServer()
    yield srv
    srv.close()


@pytest.fixture(scope="module")
def local_server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("remote-e2e") / "data", env=ALLOW_LOCAL)
    yield srv
    srv.stop()


def edit(server, images_, mask=None, timeout=30):
    body = {"images": [{"image_url": u} for u in images_], "prompt": "make it blue", "size": "1024x1024", "quality": "low"}
    if mask:
        body["mask"] = {"image_url": mask}
    return httpx.post(f"{server.base}/v1/images/edits", json=body, headers={"Authorization": f"Bearer {server.api_key}"}, timeout=timeout)


def test_edit_from_an_image_url(local_server, images):
    resp = edit(local_server, [images.url("/a.png")], mask=images.url("/mask.png"))
    assert resp.status_code == 200, resp.text
    out = Image.open(io.BytesIO(base64.b64decode(resp.json()["data"][0]["b64_json"])))
    assert out.size == (1024, 1024) and resp.json()["usage"]["input_tokens_details"]["image_tokens"] > 0


@pytest.mark.parametrize(("path", "param", "code", "words"), [
    ("/redirect", "images[0].image_url", "invalid_image_url", "redirects are not followed"),
    ("/page.html", "images[0].image_url", "invalid_image_url", "not an image"),
    ("/slow", "images[0].image_url", "invalid_image_url", "within 2 seconds"),
    ("/huge", "mask.image_url", "image_too_large", "4 MB limit"),
])
def test_bad_image_urls_are_400s(local_server, images, path, param, code, words):
    started = time.monotonic()
    if param == "mask.image_url":
        resp = edit(local_server, [images.url("/a.png")], mask=images.url(path))
    else:
        resp = edit(local_server, [images.url(path)])
    assert resp.status_code == 400, resp.text
    err = resp.json()["error"]
    assert (err["param"], err["code"]) == (param, code) and words in err["message"]
    assert time.monotonic() - started < 4


def test_default_server_refuses_local_urls(server, images):
    resp = edit(server, [images.url("/a.png").replace("http://", "https://")])
    err = resp.json()["error"]
    assert resp.status_code == 400 and err["param"] == "images[0].image_url" and "default port" in err["message"]
