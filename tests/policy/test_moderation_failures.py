"""A classifier that raises: logged, counted, shown, tried again on the next request, and, under
"closed" (the default), requests refused with 503 once it has failed too often in a row."""

from __future__ import annotations

import asyncio
import logging
import re
import zlib

import numpy as np
import openai
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from imagegate.app import build_app
from imagegate.config import load_settings
from imagegate.errors import ConfigurationError, ServiceUnavailableError
from imagegate.policy.moderation import PolicyModerator, build_moderator
from imagegate.policy.rules import load_policy
from imagegate.policy.semantic import SemanticClassifier


class FlakyEmbedder:
    """Hashed word counts (unit length), or an error while `broken`; counts its calls."""

    name = "flaky"

    def __init__(self, broken: bool = True) -> None:
        self.broken = broken
        self.calls = 0

    def embed(self, texts):
        self.calls += 1
        if self.broken:
            raise RuntimeError("model file vanished")
        out = np.zeros((len(texts), 256), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[i, zlib.crc32(word.encode()) % 256] += 1
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


class FlakyImageClassifier:
    """A sexual score of 0, or an error while `broken`."""

    name = "flaky-images"

    def __init__(self, broken: bool = True) -> None:
        self.broken = broken
        self.calls = 0

    def classify(self, image):
        self.calls += 1
        if self.broken:
            raise OSError("detector crashed")
        return {"sexual": 0.0}


@pytest.fixture(scope="module")
def policy():
    return load_policy()


def moderator(policy, embedder, **kwargs) -> PolicyModerator:
    return PolicyModerator(policy, semantic=SemanticClassifier(embedder, policy.semantic), **kwargs)


def check(mod, text):
    return asyncio.run(mod.check_text(text))


def test_failures_below_the_limit_leave_the_rules_judging_and_show(policy, caplog):
    embedder = FlakyEmbedder()
    mod = moderator(policy, embedder, semantic_failure_limit=3)
    with caplog.at_level(logging.WARNING, logger="imagegate.moderation"):
        assert check(mod, "a decapitated body").flagged              # the rules still judge
        result = check(mod, "a red apple on a table")
    assert not result.flagged and result.details["semantic"] == {"failed": "RuntimeError: model file vanished"}
    state = mod.describe()
    assert state["state"] == "degraded" and state["semantic"] == "flaky"
    assert state["layers"]["semantic"] | {"last_failure": None} == {
        "state": "degraded", "on_failure": "closed", "limit": 3, "consecutive_failures": 2, "failures": 2,
        "last_error": "RuntimeError: model file vanished", "last_failure": None}
    assert state["layers"]["semantic"]["last_failure"].endswith("Z")
    failures = [r for r in caplog.records if "semantic classifier failed" in r.getMessage()]
    assert len(failures) == 2 and failures[0].exc_info and not failures[1].exc_info  # one traceback a run


def test_the_layer_is_tried_again_on_every_request(policy):
    embedder = FlakyEmbedder()
    mod = moderator(policy, embedder, semantic_failures="open")
    for n in range(1, 6):
        check(mod, "a red apple")
        assert embedder.calls == n                                    # never switched off for good
    embedder.broken = False
    check(mod, "a red apple")
    layer = mod.describe()["layers"]["semantic"]
    assert layer["state"] == "ok" and layer["consecutive_failures"] == 0 and layer["failures"] == 5


def test_closed_refuses_after_the_limit_with_503_then_recovers(policy):
    embedder = FlakyEmbedder()
    mod = moderator(policy, embedder, semantic_failure_limit=2)
    check(mod, "a red apple")                                         # 1: rules alone
    with pytest.raises(ServiceUnavailableError) as info:             # 2: the limit
        check(mod, "a red apple")
    err = info.value
    assert err.status_code == 503 and err.code == "moderation_unavailable" and err.headers["Retry-After"].isdigit()
    assert mod.describe()["state"] == "unavailable"
    with pytest.raises(ServiceUnavailableError):                      # still failing: still refused,
        check(mod, "a decapitated body")                              # not judged by the rules alone
    assert mod.describe()["layers"]["semantic"]["consecutive_failures"] == 3
    embedder.broken = False                                           # fixed: the next request works
    assert check(mod, "a decapitated body").flagged
    assert not check(mod, "a red apple").flagged
    assert mod.describe()["state"] == "ok"


def test_a_limit_of_one_refuses_the_first_failure(policy):
    mod = moderator(policy, FlakyEmbedder(), semantic_failure_limit=1)
    with pytest.raises(ServiceUnavailableError):
        check(mod, "a red apple")


def test_open_never_refuses_but_shows_the_degraded_state(policy):
    mod = moderator(policy, FlakyEmbedder(), semantic_failures="open", semantic_failure_limit=1)
    for _ in range(4):
        assert not check(mod, "a red apple").flagged
    assert check(mod, "a decapitated body").flagged
    state = mod.describe()
    assert state["state"] == "degraded" and state["layers"]["semantic"]["consecutive_failures"] == 5


def test_a_failing_warm_up_is_counted_and_does_not_stop_the_start(policy):
    embedder = FlakyEmbedder()
    images = FlakyImageClassifier()
    mod = moderator(policy, embedder, semantic_failure_limit=1, image_classifier=images)
    asyncio.run(mod.warm_up(images=True))
    layers = mod.describe()["layers"]
    assert layers["semantic"]["state"] == "unavailable" and layers["image"]["state"] == "unavailable"
    embedder.broken = images.broken = False
    assert not check(mod, "a red apple").flagged
    asyncio.run(mod.check_image(Image.new("RGB", (32, 32))))
    assert mod.describe()["state"] == "ok"


def test_a_failing_image_classifier_refuses_under_closed(policy):
    images = FlakyImageClassifier()
    mod = PolicyModerator(policy, image_classifier=images)
    with pytest.raises(ServiceUnavailableError) as info:  # nothing else can judge the image
        asyncio.run(mod.check_image(Image.new("RGB", (32, 32))))
    assert info.value.code == "moderation_unavailable"
    assert mod.describe()["layers"]["image"]["state"] == "unavailable"
    images.broken = False
    assert not asyncio.run(mod.check_image(Image.new("RGB", (32, 32)))).flagged
    assert mod.describe()["layers"]["image"] | {"last_failure": None} == {
        "state": "ok", "on_failure": "closed", "limit": 1, "consecutive_failures": 0, "failures": 1,
        "last_error": "OSError: detector crashed", "last_failure": None}


def test_a_failing_image_classifier_under_open_passes_the_image_unchecked_and_says_so(policy):
    mod = PolicyModerator(policy, image_classifier=FlakyImageClassifier(), image_failures="open")
    result = asyncio.run(mod.check_image(Image.new("RGB", (32, 32))))
    assert not result.flagged and result.details == {"checked": False, "failed": "OSError: detector crashed"}
    assert mod.describe()["state"] == "degraded"


def test_the_settings_come_from_the_moderation_table():
    mod = build_moderator({"semantic": False, "image_classifier": "none", "semantic_failures": "open", "semantic_failure_limit": 5, "image_failures": "open"})
    assert (mod.semantic_failures.mode, mod.semantic_failures.limit, mod.image_failures.mode) == ("open", 5, "open")
    default = build_moderator({"semantic": False, "image_classifier": "none"})
    assert (default.semantic_failures.mode, default.semantic_failures.limit, default.image_failures.mode) == ("closed", 3, "closed")
    for bad in ({"semantic_failures": "ignore"}, {"semantic_failure_limit": 0}, {"semantic_failure_limit": "many"}, {"image_failures": "maybe"}):
        with pytest.raises(ConfigurationError):
            build_moderator({"semantic": False, "image_classifier": "none", **bad})


def test_health_shows_the_state_and_the_api_refuses_with_503(tmp_path, policy):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[moderation]\nsemantic = false\nimage_classifier = "none"\n')
    app = build_app(load_settings(cfg, data_dir=tmp_path / "d", auth=False))
    embedder = FlakyEmbedder()
    with TestClient(app) as client:
        ctx = app.state.ctx
        assert client.get("/health").json()["moderation"] == {
            "provider": "policy", "policy": "<default>", "rules": True, "semantic": "off", "image": "none (output images are not checked)",
            "state": "ok", "layers": {}}
        ctx.pipeline.moderator = moderator(policy, embedder, semantic_failure_limit=1)
        with openai.OpenAI(api_key="x", base_url="http://testserver/v1", http_client=client, max_retries=0) as oai:
            with pytest.raises(openai.InternalServerError) as info:
                oai.images.generate(prompt="a red apple", size="1024x1024", quality="low")
            assert info.value.status_code == 503 and info.value.code == "moderation_unavailable"
            assert info.value.response.headers["retry-after"].isdigit()
            health = client.get("/health").json()["moderation"]
            assert health["state"] == "unavailable" and health["layers"]["semantic"]["last_error"] == "RuntimeError: model file vanished"
            assert ctx.accounts.ledger.total_cost() == 0                  # nothing billed
            embedder.broken = False
            assert oai.images.generate(prompt="a red apple", size="1024x1024", quality="low").data
            assert client.get("/health").json()["moderation"]["state"] == "ok"
