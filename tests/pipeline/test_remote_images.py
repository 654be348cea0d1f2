"""Remote `image_url`s in JSON edits: the address check, the URL's form, and fetching from a local
server — size cap, deadline, redirects, content type, private addresses, pinning and TLS."""

from __future__ import annotations

import ssl
import subprocess
import time
from pathlib import Path

import anyio
import pytest
from fastapi.testclient import TestClient
from image_server import ImageServer

from imagegate.app import build_app
from imagegate.config import load_settings
from imagegate.errors import InvalidRequestError
from imagegate.pipeline.remote_images import RemoteFetcher, RemoteImage, RemotePolicy, image_source, is_public_address

NULL = '[models."gpt-image-2"]\nengine = "null"\nsizes = ["256x256"]\n[moderation]\nprovider = "none"\n'
LOCAL = RemotePolicy(allow_private=True, allow_http=True, allow_any_port=True, timeout=2.0)


@pytest.mark.parametrize(("address", "public"), [
    ("8.8.8.8", True), ("1.1.1.1", True), ("2606:4700:4700::1111", True), ("2001:4860:4860::8888", True),
    ("127.0.0.1", False), ("127.8.9.10", False), ("10.0.0.1", False), ("172.16.5.4", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False), ("255.255.255.255", False),
    ("224.0.0.1", False), ("239.255.255.250", False), ("240.0.0.1", False), ("192.0.2.1", False), ("198.18.0.1", False),
    ("::1", False), ("::", False), ("fe80::1", False), ("fe80::1%eth0", False), ("fc00::1", False), ("fd12:3456::1", False),
    ("ff02::1", False), ("2001:db8::1", False), ("::ffff:127.0.0.1", False), ("::ffff:10.0.0.1", False),
    ("::ffff:169.254.169.254", False), ("::ffff:8.8.8.8", True), ("::127.0.0.1", False), ("2002:7f00:1::1", False),
    ("2002:a00:1::1", False), ("64:ff9b::7f00:1", False), ("64:ff9b::a9fe:a9fe", False), ("not an address", False), ("", False),
], ids=lambda v: str(v))
def test_public_addresses(address, public):
    assert is_public_address(address) is public


def _source(url, policy=RemotePolicy()):
    return image_source(url, "images[0].image_url", 1024, policy)


@pytest.mark.parametrize(("url", "message"), [
    ("http://example.org/a.png", "only https://"),
    ("ftp://example.org/a.png", "expected an https:// image URL or a base64 data URL"),
    ("file:///etc/passwd", "expected an https:// image URL"),
    ("https://example.org:8443/a.png", "only the default port (443)"),
    ("https:///a.png", "no host"),
    ("https://[zz]/a.png", "not valid"),
])
def test_url_form_is_checked_before_anything_is_fetched(url, message):
    with pytest.raises(InvalidRequestError) as info:
        _source(url)
    assert message in str(info.value) and info.value.param == "images[0].image_url" and info.value.code == "invalid_image_url"


def test_url_form_allowed_and_disabled():
    assert isinstance(_source("https://example.org/a.png"), RemoteImage)
    assert isinstance(_source("HTTPS://example.org:443/a.png"), RemoteImage)
    assert isinstance(_source("http://127.0.0.1:8080/a.png", LOCAL), RemoteImage)
    with pytest.raises(InvalidRequestError, match="remote URLs are not fetched"):
        _source("https://example.org/a.png", RemotePolicy(enabled=False))


@pytest.fixture(scope="module")
def images():
    srv = ImageServer()
    yield srv
    srv.close()


def fetch(url: str, policy: RemotePolicy = LOCAL, max_bytes: int = 1024 * 1024, **kw):
    fetcher = RemoteFetcher(policy, **kw)
    return anyio.run(fetcher.resolve, [image_source(url, "images[0].image_url", max_bytes, policy)])


def fetch_error(url: str, policy: RemotePolicy = LOCAL, **kw) -> InvalidRequestError:
    with pytest.raises(InvalidRequestError) as info:
        fetch(url, policy, **kw)
    assert info.value.param == "images[0].image_url"
    return info.value


def test_fetches_an_image(images):
    [(data, mime)] = fetch(images.url("/a.png"))
    assert mime == "image/png" and data == images.httpd.images["/a.png"]


def test_private_addresses_are_refused_before_connecting(images):
    policy = RemotePolicy(allow_http=True, allow_any_port=True)
    before = len(images.hits)
    for host in ("127.0.0.1", "localhost", "[::1]"):
        err = fetch_error(images.url("/a.png", host=host), policy)
        assert "private or reserved address" in str(err) and err.code == "invalid_image_url"
    assert len(images.hits) == before


def test_any_private_address_among_several_refuses(images):
    async def resolver(host, port):
        return ["93.184.215.14", "10.1.2.3"]
    err = fetch_error("https://images.example/a.png", RemotePolicy(), resolver=resolver)
    assert "private or reserved" in str(err)


def test_connects_to_the_vetted_address_only(images):
    asked = []

    async def resolver(host, port):  # a name no DNS knows, pinned to the local server
        asked.append((host, port))
        return ["127.0.0.1"]
    [(data, _)] = fetch(images.url("/a.png", host="images.invalid"), resolver=resolver)
    assert data == images.httpd.images["/a.png"] and asked == [("images.invalid", images.port)]


def test_unresolvable_and_unreachable_hosts(images):
    assert "could not be resolved" in str(fetch_error(images.url("/a.png", host="no-such-host.invalid")))
    async def resolver(host, port):
        return []
    assert "could not be resolved" in str(fetch_error(images.url("/a.png", host="x.invalid"), resolver=resolver))
    closed = ImageServer()
    closed.close()
    assert "could not be fetched" in str(fetch_error(closed.url("/a.png")))


def test_redirects_are_not_followed(images):
    err = fetch_error(images.url("/redirect"))
    assert "redirects are not followed" in str(err) and err.code == "invalid_image_url"


def test_non_images_and_missing_files(images):
    assert "not an image" in str(fetch_error(images.url("/page.html")))
    assert "HTTP 404" in str(fetch_error(images.url("/missing.png")))


def test_size_cap_stops_the_stream(images):
    started = time.monotonic()
    err = fetch_error(images.url("/huge"))
    assert err.code == "image_too_large" and time.monotonic() - started < 2
    assert fetch_error(images.url("/declared-huge")).code == "image_too_large"
    total = RemotePolicy(allow_private=True, allow_http=True, allow_any_port=True, max_total_bytes=100)
    assert fetch_error(images.url("/a.png"), total).code == "image_too_large"


def test_slow_bodies_hit_the_deadline(images):
    policy = RemotePolicy(allow_private=True, allow_http=True, allow_any_port=True, timeout=1.0)
    started = time.monotonic()
    err = fetch_error(images.url("/slow"), policy)
    assert "within 1 seconds" in str(err) and time.monotonic() - started < 2


@pytest.fixture(scope="module")
def tls(tmp_path_factory):
    root = tmp_path_factory.mktemp("tls")
    cert, key = root / "cert.pem", root / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1",
         "-subj", "/CN=images.test", "-addext", "subjectAltName=DNS:images.test"],
        check=True, capture_output=True,
    )
    srv = ImageServer(str(cert), str(key))
    yield srv, ssl.create_default_context(cafile=str(cert))
    srv.close()


def test_tls_checks_the_certificate_against_the_url_host(tls):
    srv, context = tls

    async def resolver(host, port):
        return ["127.0.0.1"]
    policy = RemotePolicy(allow_private=True, allow_any_port=True, timeout=5.0)
    [(data, _)] = fetch(srv.url("/a.png", host="images.test", scheme="https"), policy, resolver=resolver, ssl_context=context)
    assert data == srv.httpd.images["/a.png"]
    err = fetch_error(srv.url("/a.png", host="other.test", scheme="https"), policy, resolver=resolver, ssl_context=context)
    assert "CERTIFICATE_VERIFY_FAILED" in str(err) or "certificate" in str(err).lower()
    err = fetch_error(srv.url("/a.png", host="images.test", scheme="https"), policy, resolver=resolver)  # not a trusted CA
    assert "could not be fetched" in str(err)


# -- through the API (in process; the e2e test runs a real server) --------------------------------
@pytest.fixture(scope="module")
def api(tmp_path_factory):
    root = tmp_path_factory.mktemp("remote")
    (root / "config.toml").write_text(NULL)
    settings = load_settings(root / "config.toml", data_dir=root / "data", auth=False, remote_images_allow_http=True,
                             remote_images_allow_any_port=True, remote_images_timeout_seconds=1.0)
    with TestClient(build_app(settings), base_url="http://testserver") as c:
        yield c


def _edit(api, images_, mask=None, **body):
    payload = {"prompt": "make it blue", "images": images_, **body}
    if mask is not None:
        payload["mask"] = mask
    resp = api.post("/v1/images/edits", json=payload)
    assert resp.status_code == 400, resp.text
    return resp.json()["error"]


def test_api_refuses_private_addresses(api, images):
    err = _edit(api, [{"image_url": images.url("/a.png")}])
    assert err["param"] == "images[0].image_url" and err["code"] == "invalid_image_url" and "private" in err["message"]
    err = _edit(api, [{"image_url": "data:image/png;base64,iVBORw0KGgo="}, {"image_url": images.url("/a.png", host="localhost")}])
    assert err["param"] == "images[1].image_url" and "private" in err["message"]
    err = _edit(api, [{"image_url": "data:image/png;base64,iVBORw0KGgo="}], mask={"image_url": images.url("/mask.png")})
    assert err["param"] == "mask.image_url" and err["code"] == "invalid_image_url" and "private" in err["message"]


def test_api_checks_fields_before_fetching(api, images):
    before = len(images.hits)
    err = _edit(api, [{"image_url": images.url("/a.png")}], size="7x7")
    assert err["param"] == "size"
    err = _edit(api, [{"image_url": images.url("/a.png")}] * 17)
    assert err["code"] == "too_many_images"
    err = _edit(api, [{"image_url": "gopher://example.org/a.png"}])
    assert err["param"] == "images[0].image_url" and "https://" in err["message"]
    err = _edit(api, [{"file_id": "file-abc123"}])
    assert err["param"] == "images[0].file_id" and "no files API" in err["message"]
    assert len(images.hits) == before


def test_disabled(tmp_path: Path):
    (tmp_path / "config.toml").write_text(NULL)
    settings = load_settings(tmp_path / "config.toml", data_dir=tmp_path / "data", auth=False, remote_images=False)
    with TestClient(build_app(settings), base_url="http://testserver") as c:
        err = _edit(c, [{"image_url": "https://example.org/a.png"}])
    assert err["param"] == "images[0].image_url" and "not fetched" in err["message"]
