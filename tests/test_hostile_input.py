"""Client mistakes and hostile input answer OpenAI-shaped 4xx (never a 500), and the connection
stays usable afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import keyed_client
from fastapi.testclient import TestClient

from imagegate.app import build_app
from imagegate.config import load_settings

NULL = '[models."gpt-image-2"]\nengine = "null"\nsizes = ["256x256"]\n[moderation]\nprovider = "none"\n'


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with keyed_client(tmp_path_factory.mktemp("hostile"), NULL) as c:
        yield c


def error(resp, status: int) -> dict:
    assert resp.status_code == status, resp.text
    body = resp.json()["error"]
    assert set(body) >= {"message", "type", "param", "code"}
    return body


@pytest.mark.parametrize("raw", [
    b'{"prompt": "a cat \\ud800"}',
    b'{"prompt": "ok", "user": "\\uDFFF"}',
    b'{"prompt": "ok", "extra": {"\\ud83d": 1}}',
    b'{"prompt": "ok", "extra": ["a", ["\\udc00x"]]}',
])
def test_lone_surrogates_are_400(server, raw):
    err = error(server.post("/v1/images/generations", content=raw, headers={"content-type": "application/json"}), 400)
    assert err["code"] == "invalid_json"


def test_surrogate_pairs_are_text(server):
    resp = server.post("/v1/images/generations", content='{"prompt": "a cat \\ud83d\\ude00", "size": "256x256"}'.encode(),
                       headers={"content-type": "application/json"})
    assert resp.status_code == 200, resp.text


@pytest.mark.parametrize("depth", [5_000, 100_000])
def test_deep_nesting_is_400(server, depth):
    raw = b'{"prompt": "x", "extra": ' + b"[" * depth + b"]" * depth + b"}"
    err = error(server.post("/v1/images/generations", content=raw, headers={"content-type": "application/json"}), 400)
    assert err["code"] == "invalid_json"
    assert server.get("/health").status_code == 200  # the same connection still answers


def test_generation_bodies_are_bounded(server):
    err = error(server.post("/v1/images/generations", json={"prompt": "x" * (2 * 1024 * 1024)}), 413)
    assert err["code"] == "request_too_large"


@pytest.mark.parametrize("field", ["n", "partial_images", "output_compression", "seed"])
def test_booleans_are_not_integers(server, field):
    err = error(server.post("/v1/images/generations", json={"prompt": "x", field: True}), 400)
    assert err["param"] == field and err["code"] == "invalid_type"


@pytest.mark.parametrize("path", ["/v1/admin/keys/99999999999999999999999", "/v1/admin/keys/9223372036854775808", "/v1/admin/keys/0", "/v1/admin/keys/-5"])
def test_key_ids_past_any_integer_are_404(server, path):
    assert error(server.get(path), 404)["code"] == "not_found"
    assert error(server.delete(path), 404)["code"] == "not_found"


@pytest.mark.parametrize("body, param", [
    ({"name": "big", "budget_usd": 1e300}, "budget_usd"),
    ({"name": "big", "rpm": 2**31}, "rpm"),
    ({"name": "big", "tpm": 10**30}, "tpm"),
    ({"name": "nul\x00name"}, "name"),
    ({"name": "x" * 500}, "name"),
])
def test_key_fields_out_of_range_are_400(server, body, param):
    err = error(server.post("/v1/admin/keys", json=body), 400)
    assert err["param"] == param and err["code"] in {"invalid_value", "invalid_type"}
    assert "Invalid value" in err["message"] or "Invalid type" in err["message"]


@pytest.mark.parametrize("query", ["end_time=100000000000000", "start_time=-1", "start_time=99999999999999999999999999"])
def test_usage_times_out_of_range_are_400(server, query):
    error(server.get(f"/v1/organization/usage/images?{query}"), 400)


@pytest.mark.parametrize("query", ["expires=1&sig=%C3%A9%C3%A9", "expires=%D9%A1%D9%A2&sig=ab", "expires=1e5&sig=ab", "expires=" + "9" * 40 + "&sig=ab", "sig=ab"])
def test_malformed_signatures_are_403_without_a_key(server, query):
    resp = server.get(f"/v1/files/images/img_x.png?{query}", headers={"Authorization": ""})
    assert error(resp, 403)["code"] == "invalid_signature"


def test_the_last_admin_key_cannot_be_revoked(server):
    keys = server.get("/v1/admin/keys").json()["data"]
    admins = [k for k in keys if k["admin"] and not k.get("revoked_at")]
    assert len(admins) == 1
    err = error(server.delete(f"/v1/admin/keys/{admins[0]['id']}"), 400)
    assert err["code"] == "last_admin_key"
    second = server.post("/v1/admin/keys", json={"name": "second admin", "admin": True}).json()
    assert server.delete(f"/v1/admin/keys/{admins[0]['id']}").status_code == 200  # another admin remains
    server.headers["Authorization"] = f"Bearer {second['secret']}"
    assert error(server.delete(f"/v1/admin/keys/{second['id']}"), 400)["code"] == "last_admin_key"


def test_unexpected_errors_answer_an_envelope(tmp_path: Path, monkeypatch):
    (tmp_path / "config.toml").write_text(NULL)
    settings = load_settings(tmp_path / "config.toml", data_dir=tmp_path / "data", auth=False)
    app = build_app(settings)
    with TestClient(app, raise_server_exceptions=False) as c:
        def boom(*args, **kwargs):
            raise RuntimeError("a bug")

        monkeypatch.setattr(app.state.ctx.pipeline, "parse", boom)
        resp = c.post("/v1/images/generations", json={"prompt": "x"})
        err = error(resp, 500)
        assert err["type"] == "server_error" and "a bug" not in resp.text
        assert resp.headers["x-request-id"].startswith("req_")


def test_a_full_disk_answers_503_bills_nothing_and_recovers(tmp_path: Path, monkeypatch):
    import errno
    import os

    import imagegate.storage.local as local

    (tmp_path / "config.toml").write_text(NULL)
    settings = load_settings(tmp_path / "config.toml", data_dir=tmp_path / "data", auth=True)
    with TestClient(build_app(settings)) as c:
        admin = (tmp_path / "data" / "initial-api-key.txt").read_text().strip()
        key = c.post("/v1/admin/keys", json={"name": "user", "budget_usd": 5}, headers={"Authorization": f"Bearer {admin}"}).json()
        headers = {"Authorization": f"Bearer {key['secret']}"}
        real_fdopen = os.fdopen

        class Full:
            def __init__(self, fd, mode):
                self.handle = real_fdopen(fd, mode)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.handle.close()

            def write(self, data):
                raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(local.os, "fdopen", Full)
        body = {"prompt": "a red apple", "size": "256x256", "response_format": "url"}
        resp = c.post("/v1/images/generations", json=body, headers=headers)
        err = error(resp, 503)
        assert err["code"] == "storage_unavailable" and "disk is full" in err["message"]
        assert resp.headers["retry-after"].isdigit()
        images = tmp_path / "data" / "images"
        assert list(images.iterdir()) == []  # no temporary file left behind
        info = c.get(f"/v1/admin/keys/{key['id']}", headers={"Authorization": f"Bearer {admin}"}).json()
        assert info["spent_usd"] == 0 and info.get("reserved_usd", 0) == 0

        monkeypatch.setattr(local.os, "fdopen", real_fdopen)  # space is back
        resp = c.post("/v1/images/generations", json=body, headers=headers)
        assert resp.status_code == 200, resp.text
        assert len(list(images.iterdir())) == 1
        assert c.get(f"/v1/admin/keys/{key['id']}", headers={"Authorization": f"Bearer {admin}"}).json()["spent_usd"] > 0


def test_data_directory_and_files_are_private(tmp_path: Path):
    (tmp_path / "config.toml").write_text(NULL)
    settings = load_settings(tmp_path / "config.toml", data_dir=tmp_path / "data", auth=True)
    with TestClient(build_app(settings)) as c:
        admin = (tmp_path / "data" / "initial-api-key.txt").read_text().strip()
        resp = c.post("/v1/images/generations", json={"prompt": "a red apple", "size": "256x256", "response_format": "url"},
                      headers={"Authorization": f"Bearer {admin}"})
        assert resp.status_code == 200
    data = tmp_path / "data"
    assert data.stat().st_mode & 0o777 == 0o700
    for path in data.rglob("*"):
        mode = path.stat().st_mode & 0o777
        if path.is_dir():
            assert mode & 0o077 == 0, f"{path} is {oct(mode)}"
        else:
            assert mode & 0o077 == 0, f"{path} is {oct(mode)}"


def test_health_tells_anonymous_callers_only_that_it_is_up(server):
    anonymous = server.get("/health", headers={"Authorization": ""})
    assert anonymous.status_code == 200 and anonymous.json() == {"status": "ok"}
    wrong = server.get("/health", headers={"Authorization": "Bearer sk-wrong"})
    assert wrong.json() == {"status": "ok"}
    detailed = server.get("/health").json()  # the client's own valid key
    assert detailed["models"]["gpt-image-2"]["engine"] == "null" and "jobs" in detailed


def test_special_token_text_is_an_ordinary_prompt(server):
    resp = server.post("/v1/images/generations", json={"prompt": "a sign that says <|endoftext|> and <|endofprompt|>", "size": "256x256"})
    assert resp.status_code == 200, resp.text
    assert resp.json()["usage"]["input_tokens_details"]["text_tokens"] > 10


def test_variations_ignore_generation_only_fields(server):
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (64, 64), (10, 120, 200)).save(buf, "PNG")
    resp = server.post("/v1/images/variations", files={"image": ("a.png", buf.getvalue(), "image/png")},
                       data={"size": "256x256", "stream": "true", "partial_images": "2", "response_format": "b64_json"})
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"].startswith("application/json")  # not an event stream
    assert len(resp.json()["data"]) == 1


def test_health_shows_policy_details_to_admins_only(server):
    admin = server.get("/health").json()["moderation"]  # the module's client holds an admin key
    assert admin["state"] == "ok" and len(admin) > 1
    user = server.post("/v1/admin/keys", json={"name": "plain user"}).json()
    plain = server.get("/health", headers={"Authorization": f"Bearer {user['secret']}"}).json()
    assert plain["moderation"] == {"state": admin["state"]} and "models" in plain


@pytest.mark.parametrize("quoted", ["ab\u0085cd", "line\u2028break", "para\u2029graph", "tab\there", "bell\u0007 and \u009b csi", "form\x0cfeed"])
def test_control_and_separator_characters_in_quoted_text_render(tmp_path_factory, quoted):
    """The built-in engine draws quoted text exactly: separators break lines, controls vanish."""
    root = tmp_path_factory.mktemp("quoted")
    settings = load_settings(None, data_dir=root / "data", auth=False)
    with TestClient(build_app(settings)) as c:
        resp = c.post("/v1/images/generations", json={"prompt": f'a shop sign that says "{quoted}"', "size": "1024x1024", "quality": "low"})
        assert resp.status_code == 200, resp.text


def test_the_api_document_names_served_models_only_to_keyed_callers(tmp_path):
    (tmp_path / "config.toml").write_text(NULL + '[models."house-style-7"]\nengine = "null"\n[aliases]\n"secret-alias" = "house-style-7"\n')
    with TestClient(build_app(load_settings(tmp_path / "config.toml", data_dir=tmp_path / "data", auth=True))) as c:
        key = (tmp_path / "data" / "initial-api-key.txt").read_text().strip()
        keyed = c.get("/openapi.json", headers={"Authorization": f"Bearer {key}"}).text
        anonymous = c.get("/openapi.json")
        assert anonymous.status_code == 200 and "house-style-7" in keyed and "secret-alias" in keyed
        assert "house-style-7" not in anonymous.text and "secret-alias" not in anonymous.text
        assert '"createImage"' in anonymous.text and anonymous.json()["openapi"].startswith("3.")
        assert c.get("/docs").status_code == 200


def test_json_edits_by_file_id_are_a_clear_400(server):
    err = error(server.post("/v1/images/edits", json={"prompt": "warmer", "images": [{"file_id": "file-abc123"}]}), 400)
    assert err["param"] == "images[0].file_id" and "no files API" in err["message"]
    err = error(server.post("/v1/images/edits", json={"prompt": "x", "images": [{"image_url": "https://example.org/a.png"}]}), 400)
    assert err["param"] == "images[0].image_url"
