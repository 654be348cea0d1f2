"""Server-wide default rate limits: keys without their own get them, with auth off they are one
shared limit, and the x-ratelimit-* headers describe exactly the limits that apply."""

from __future__ import annotations

from fastapi.testclient import TestClient
from conftest import keyed_client

from imagegate.app import build_app
from imagegate.config import load_settings

MODEL = '[models."gpt-image-2"]\nengine = "null"\nsizes = ["256x256"]\n[moderation]\nenabled = false\n'
DEFAULTS = "rate_limit_requests_per_minute = 3\nrate_limit_images_per_minute = 100\n"
BODY = {"prompt": "a red apple", "size": "256x256", "quality": "low"}
GENERATIONS = "/v1/images/generations"


def test_keys_without_limits_get_the_defaults_and_their_own_override_them(tmp_path):
    with keyed_client(tmp_path, DEFAULTS + MODEL) as c:
        plain = c.post("/v1/admin/keys", json={"name": "plain"}).json()["secret"]
        own = c.post("/v1/admin/keys", json={"name": "own", "rpm": 50}).json()["secret"]
        as_plain = {"Authorization": f"Bearer {plain}"}
        answers = [c.post(GENERATIONS, json=BODY, headers=as_plain) for _ in range(4)]
        assert [r.status_code for r in answers] == [200, 200, 200, 429]
        first = answers[0].headers
        assert first["x-ratelimit-limit-requests"] == "3"
        assert first["x-ratelimit-remaining-requests"] == "2"
        assert first["x-ratelimit-limit-images"] == "100"
        assert first["x-ratelimit-remaining-images"] == "99"
        assert "x-ratelimit-limit-tokens" not in first  # no token limit anywhere: nothing to describe
        refused = answers[3]
        assert refused.json()["error"]["code"] == "rate_limit_exceeded"
        assert int(refused.headers["retry-after"]) >= 1

        mine = c.post(GENERATIONS, json=BODY, headers={"Authorization": f"Bearer {own}"})
        assert mine.status_code == 200, mine.text
        assert mine.headers["x-ratelimit-limit-requests"] == "50"  # the key's own limit wins
        assert mine.headers["x-ratelimit-limit-images"] == "100"  # the default fills the kind it lacks


def test_auth_off_shares_one_default_limit(tmp_path):
    (tmp_path / "config.toml").write_text(DEFAULTS + MODEL)
    settings = load_settings(tmp_path / "config.toml", data_dir=tmp_path / "data", auth=False)
    with TestClient(build_app(settings)) as c:
        answers = [c.post(GENERATIONS, json=BODY, headers={"Authorization": f"Bearer anything-{i}"}) for i in range(4)]
        assert [r.status_code for r in answers] == [200, 200, 200, 429]
        assert [r.headers.get("x-ratelimit-remaining-requests") for r in answers[:3]] == ["2", "1", "0"]


def test_no_defaults_no_headers_and_no_limit(tmp_path):
    (tmp_path / "config.toml").write_text(MODEL)
    settings = load_settings(tmp_path / "config.toml", data_dir=tmp_path / "data", auth=False)
    with TestClient(build_app(settings)) as c:
        answers = [c.post(GENERATIONS, json=BODY) for _ in range(5)]
        assert all(r.status_code == 200 for r in answers)
        assert not any(h.startswith("x-ratelimit-") for r in answers for h in r.headers)
