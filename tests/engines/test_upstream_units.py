"""The gateway's pure parts: parameters per upstream family, usage from an upstream's answer,
secrets never from the config, the circuit breaker and what the client gets when nothing serves."""

from __future__ import annotations

import asyncio

import pytest

from imagegate.accounts.metering import Usage
from imagegate.engines.base import EngineRequest
from imagegate.engines.route import Backend, exhausted, with_fallback
from imagegate.engines.upstream import AzureUpstreamEngine, BackendUnavailable, UpstreamEngine, family_of, upstream_error
from imagegate.errors import BadGatewayError, ConfigurationError, InvalidRequestError, RateLimitError, ServiceUnavailableError, UserError
from imagegate.pipeline.work import split_usage

WIRE = {"output_format": "webp", "output_compression": 60, "background": "transparent", "moderation": "low", "user": "u1"}


def engine(monkeypatch, **options) -> UpstreamEngine:
    monkeypatch.setenv("UPSTREAM_TEST_KEY", "sk-upstream")
    return UpstreamEngine({"base_url": "http://upstream.test/v1", "api_key_env": "UPSTREAM_TEST_KEY", **options})


def test_gpt_image_models_get_every_parameter_they_take(monkeypatch):
    up = engine(monkeypatch, model="gpt-image-2")
    request = EngineRequest(prompt="a fox", width=1536, height=1024, n=2, quality="high", wire=WIRE, previews=2)
    body = up.body(request, stream=True)
    assert body == {"model": "gpt-image-2", "prompt": "a fox", "n": 2, "size": "1536x1024", "quality": "high", "background": "transparent",
                    "moderation": "low", "output_format": "webp", "output_compression": 60, "stream": True, "partial_images": 2, "user": "u1"}
    assert up.headers["Authorization"] == "Bearer sk-upstream"
    png = up.body(EngineRequest(prompt="a fox", wire={**WIRE, "output_format": "png"}), stream=False)
    assert "output_compression" not in png and "stream" not in png  # compression is for jpeg/webp only


def test_dalle_models_get_only_what_they_accept(monkeypatch):
    three = engine(monkeypatch, model="dall-e-3").body(EngineRequest(prompt="a fox", quality="high", wire=WIRE), stream=False)
    assert three == {"model": "dall-e-3", "prompt": "a fox", "n": 1, "size": "1024x1024", "response_format": "b64_json", "quality": "hd", "user": "u1"}
    two = engine(monkeypatch, model="dall-e-2").body(EngineRequest(prompt="", mode="variation", width=512, height=512, wire=WIRE), stream=False)
    assert two == {"model": "dall-e-2", "n": 1, "size": "512x512", "response_format": "b64_json", "user": "u1"}
    assert [family_of(m) for m in ("gpt-image-1.5", "dall-e-3", "DALL-E-2", "my-flux")] == ["gpt-image", "dall-e-3", "dall-e-2", "gpt-image"]


def test_extra_body_and_headers_are_added(monkeypatch):
    up = engine(monkeypatch, model="gpt-image-2", extra_body={"seed": 7}, headers={"X-Team": "a"})
    assert up.body(EngineRequest(prompt="x"), stream=False)["seed"] == 7
    assert up.headers["X-Team"] == "a"


def test_secrets_never_come_from_the_config(monkeypatch, tmp_path):
    with pytest.raises(ConfigurationError, match="never go in the config"):
        UpstreamEngine({"model": "gpt-image-2", "api_key": "sk-inline"})
    monkeypatch.delenv("NOT_SET_ANYWHERE", raising=False)
    with pytest.raises(ConfigurationError, match="NOT_SET_ANYWHERE"):
        UpstreamEngine({"model": "gpt-image-2", "api_key_env": "NOT_SET_ANYWHERE"})
    key = tmp_path / "key"
    key.write_text("sk-from-file\n")
    assert UpstreamEngine({"model": "m", "api_key_file": str(key)}).headers["Authorization"] == "Bearer sk-from-file"
    with pytest.raises(ConfigurationError, match="needs `model`"):
        UpstreamEngine({"api_key_file": str(key)})


def test_azure_addresses_the_deployment(monkeypatch):
    monkeypatch.setenv("AZ_KEY", "az-secret")
    az = AzureUpstreamEngine({"endpoint": "https://r.openai.azure.com/", "deployment": "dep1", "api_version": "2025-04-01-preview", "api_key_env": "AZ_KEY"})
    built = az.build(EngineRequest(prompt="x"), stream=False)
    assert str(built.url) == "https://r.openai.azure.com/openai/deployments/dep1/images/generations?api-version=2025-04-01-preview"
    assert built.headers["api-key"] == "az-secret" and "authorization" not in built.headers
    monkeypatch.setenv("AZ_TOKEN", "entra-token")
    token = AzureUpstreamEngine({"endpoint": "https://r.openai.azure.com", "deployment": "dep1", "token_env": "AZ_TOKEN"})
    assert token.headers["Authorization"] == "Bearer entra-token"
    with pytest.raises(ConfigurationError, match="endpoint"):
        AzureUpstreamEngine({"deployment": "dep1"})


def test_edits_go_up_as_multipart_with_every_image_and_the_mask(monkeypatch):
    up = engine(monkeypatch, model="gpt-image-2")
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 10
    request = EngineRequest(prompt="add a sun", mode="edit", input_files=(png, png), mask_file=png, wire={"input_fidelity": "high"})
    built = up.build(request, stream=False)
    content = built.read()
    assert str(built.url).endswith("/images/edits")
    assert content.count(b'name="image[]"') == 2 and content.count(b'name="mask"') == 1
    assert b'name="input_fidelity"\r\n\r\nhigh' in content


def test_usage_from_an_upstream_answer():
    wire = {"input_tokens": 300, "output_tokens": 4160, "total_tokens": 4460,
            "input_tokens_details": {"text_tokens": 20, "image_tokens": 280, "cached_tokens": 200}}
    usage = Usage.from_wire(wire)
    assert usage == Usage(text_tokens=20, image_tokens=80, cached_image_tokens=200, output_tokens=4160)
    assert usage.to_wire()["input_tokens_details"] == wire["input_tokens_details"]  # round trip
    assert Usage.from_wire({"input_tokens": 12, "output_tokens": "lots"}) == Usage(text_tokens=12)  # junk counts as 0
    parts = split_usage(usage, 3)
    assert sum(p.cached_image_tokens for p in parts) == 200 and sum(p.output_tokens for p in parts) == 4160


def test_upstream_errors_map_to_ours():
    refusal = upstream_error(400, {"error": {"message": "no", "type": "image_generation_user_error", "code": "moderation_blocked", "param": None}}, "req_1")
    assert isinstance(refusal, UserError) and refusal.code == "moderation_blocked"
    bad = upstream_error(400, {"error": {"message": "bad size", "type": "invalid_request_error", "code": "invalid_value", "param": "size"}}, None)
    assert isinstance(bad, InvalidRequestError) and (bad.param, bad.code) == ("size", "invalid_value")
    assert isinstance(upstream_error(401, {"error": {"message": "bad key"}}, None), BadGatewayError)
    for status in (429, 500, 503):
        assert isinstance(upstream_error(status, None, None), BackendUnavailable)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_breaker_opens_after_failures_and_closes_on_success():
    clock = Clock()
    backend = Backend("b", object(), {"failure_threshold": 2, "cooldown_seconds": 30}, clock=clock)
    backend.failed(BackendUnavailable("down"), cap=10)
    assert backend.state() == "up" and backend.wait(clock.now) == 0
    backend.failed(BackendUnavailable("down"), cap=10)
    assert backend.state() == "open" and backend.wait(clock.now) == 30
    clock.now += 31
    assert backend.state() == "half-open" and backend.wait(clock.now) == 0
    backend.succeeded()
    assert backend.state() == "up" and backend.failures == 0
    backend.failed(BackendUnavailable("slow down", retry_after=120, status=429), cap=10)
    assert backend.state() == "waiting" and backend.wait(clock.now) == 10  # Retry-After capped


class Scripted:
    """A local engine that fails or answers as told."""

    name = "scripted"
    capabilities = None

    def __init__(self, outcomes) -> None:
        self.outcomes = list(outcomes)
        self.calls = 0

    async def generate(self, request, on_progress=None):
        self.calls += 1
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome


def test_fallback_order_and_what_is_never_retried():
    from imagegate.engines.base import EngineCapabilities

    Scripted.capabilities = EngineCapabilities()
    first, second = Scripted([RuntimeError("crash")]), Scripted([["image"]])
    backends = [Backend("first", first, {}), Backend("second", second, {})]
    results = asyncio.run(with_fallback(backends, EngineRequest(prompt="x"), None, {}))
    assert list(results) == ["image"] and results.backend == "second" and backends[0].failures == 1

    refusing, spare = Scripted([UserError("no", code="moderation_blocked")]), Scripted([["image"]])
    with pytest.raises(UserError):
        asyncio.run(with_fallback([Backend("a", refusing, {}), Backend("b", spare, {})], EngineRequest(prompt="x"), None, {}))
    assert spare.calls == 0


def test_nothing_serves_429_or_503():
    clock = Clock()
    limited = Backend("a", object(), {}, clock=clock)
    err = BackendUnavailable("slow down", retry_after=5, status=429)
    limited.failed(err, cap=10)
    answer = exhausted([limited], err)
    assert isinstance(answer, RateLimitError) and answer.headers["retry-after"] == "5"
    down = Backend("b", object(), {}, clock=clock)
    down.failed(BackendUnavailable("refused"), cap=10)
    answer = exhausted([down], BackendUnavailable("refused"))
    assert isinstance(answer, ServiceUnavailableError) and answer.code == "upstream_unavailable" and "b: up (refused)" in answer.message
