"""Gateway engines end to end: an imagegate serving models from upstream Images APIs (a second,
real imagegate, and a scripted fault-injecting upstream), driven with the official SDK.

The fault upstream is a small Starlette app under uvicorn in a thread. Every gateway model
points at its own "lane" (the first path segment of its base URL), so each test scripts the
answers of its own lane and reads back exactly the calls that reached it.
"""

from __future__ import annotations

import asyncio
import base64
import io
import json
import subprocess
import sys
import threading
import time
from collections import defaultdict, deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest
import uvicorn
from conftest import Server, free_port
from PIL import Image
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from imagegate.engines.route import RouteEngine
from imagegate.engines.upstream import AzureUpstreamEngine, UpstreamEngine
from imagegate.errors import ConfigurationError

pytestmark = pytest.mark.e2e

FAULT_USAGE = {
    "input_tokens": 7, "output_tokens": 33, "total_tokens": 40,
    "input_tokens_details": {"text_tokens": 5, "image_tokens": 2, "cached_tokens": 1},
}
REFUSAL = {"error": {"message": "Your request was rejected by the safety system.", "type": "image_generation_user_error", "param": None, "code": "moderation_blocked"}}
UPSTREAM_ENV = "GW_TEST_UPSTREAM_KEY"
AZURE_KEY, AZURE_TOKEN = "azure-key-123", "entra-token-456"


def png(color: tuple[int, int, int], size: tuple[int, int] = (256, 256)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return buf.getvalue()


def mask_png(size: tuple[int, int] = (256, 256)) -> bytes:
    """A mask: transparent where the edit goes (the left half)."""
    image = Image.new("RGBA", size, (0, 0, 0, 255))
    image.paste((0, 0, 0, 0), (0, 0, size[0] // 2, size[1]))
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


def b64png(color: tuple[int, int, int]) -> str:
    return base64.b64encode(png(color)).decode()


def pixel(b64: str) -> tuple[int, ...]:
    image = Image.open(io.BytesIO(base64.b64decode(b64))).convert("RGB")
    return image.getpixel((10, 10))


# -- the fault-injecting upstream ---------------------------------------------------------
class Fault:
    """A scripted upstream. Actions (per lane, first in first out; an empty script answers ok):
    ("ok", colour), ("nousage", colour), ("status", code, body, headers), ("slow", seconds),
    ("gated", threading.Event), ("drop",)."""

    def __init__(self) -> None:
        self.scripts: dict[str, deque] = defaultdict(deque)
        self.calls: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.lock = threading.Lock()
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        app = Starlette(routes=[Route("/{lane}/{rest:path}", self.handle, methods=["POST"])])
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off", timeout_graceful_shutdown=1))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> Fault:
        self.thread.start()
        deadline = time.time() + 20
        while not self.server.started:
            if time.time() > deadline:
                raise RuntimeError("the fault upstream did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)

    def script(self, lane: str, *actions: tuple) -> None:
        with self.lock:
            self.scripts[lane].extend(actions)

    def of(self, lane: str) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.calls[lane])

    async def handle(self, request: Request) -> Response:
        lane = request.path_params["lane"]
        record: dict[str, Any] = {
            "path": request.url.path, "query": dict(request.query_params), "headers": dict(request.headers),
            "at": time.monotonic(), "disconnected": False, "finished": False,
        }
        if request.headers.get("content-type", "").startswith("multipart/form-data"):
            fields: dict[str, list[Any]] = defaultdict(list)
            async with request.form() as form:  # closes the uploads' temporary files
                for name, value in form.multi_items():
                    if isinstance(value, str):
                        fields[name].append(value)
                    else:
                        fields[name].append({"filename": value.filename, "content_type": value.content_type, "data": await value.read()})
            record["form"] = dict(fields)
        else:
            record["body"] = json.loads(await request.body() or b"null")
        with self.lock:
            self.calls[lane].append(record)
            action = self.scripts[lane].popleft() if self.scripts[lane] else ("ok", (10, 200, 30))
        kind = action[0]
        if kind in ("ok", "nousage"):
            body: dict[str, Any] = {"created": int(time.time()), "data": [{"b64_json": b64png(action[1])}]}
            if kind == "ok":
                body["usage"] = FAULT_USAGE
            record["finished"] = True
            return JSONResponse(body)
        if kind == "status":
            record["finished"] = True
            return JSONResponse(action[2], status_code=action[1], headers=action[3] if len(action) > 3 else None)
        if kind == "slow":
            deadline = time.monotonic() + action[1]
            while time.monotonic() < deadline:
                if await request.is_disconnected():
                    record["disconnected"] = True
                    record["disconnected_at"] = time.monotonic()
                    return Response(status_code=499)
                await asyncio.sleep(0.05)
            record["finished"] = True
            return JSONResponse({"created": 0, "data": [{"b64_json": b64png((1, 2, 3))}], "usage": FAULT_USAGE})
        if kind in ("gated", "drop"):
            return StreamingResponse(self._stream(record, action), media_type="text/event-stream")
        raise AssertionError(f"unknown action {action!r}")

    async def _stream(self, record: dict[str, Any], action: tuple):
        def event(kind: str, **fields: Any) -> bytes:
            payload = {"type": kind, **fields}
            return f"event: {kind}\ndata: {json.dumps(payload)}\n\n".encode()

        yield event("image_generation.partial_image", b64_json=b64png((200, 0, 0)), partial_image_index=0, size="256x256", quality="low", background="opaque", output_format="png")
        if action[0] == "drop":
            await asyncio.sleep(0.3)
            record["finished"] = True
            raise RuntimeError("the fault upstream drops the connection")  # uvicorn aborts the chunked body
        gate: threading.Event = action[1]
        while not gate.is_set():
            await asyncio.sleep(0.02)
        record["finished"] = True
        yield event("image_generation.completed", b64_json=b64png((0, 0, 200)), size="256x256", quality="low", background="opaque", output_format="png", usage=FAULT_USAGE)


# -- servers -------------------------------------------------------------------------------
def fault_model(mid: str, base: str, **options: Any) -> str:
    lines = [f'[models."{mid}"]', 'engine = "openai"', 'sizes = ["256x256"]', 'default_size = "256x256"', f'[models."{mid}".options]',
             f'base_url = "{base}"', f'model = "{mid}-upstream"']
    lines += [f"{k} = {json.dumps(v)}" for k, v in options.items()]
    return "\n".join(lines) + "\n"


def route_model(mid: str, backends: list[tuple[str, str]], **options: Any) -> str:
    lines = [f'[models."{mid}"]', 'engine = "route"', 'sizes = ["256x256"]', 'default_size = "256x256"', f'[models."{mid}".options]']
    lines += [f"{k} = {json.dumps(v)}" for k, v in options.items()]
    for name, base in backends:
        lines += [f'[[models."{mid}".options.backends]]', f'name = "{name}"', 'engine = "openai"',
                  f'[models."{mid}".options.backends.options]', f'base_url = "{base}"', f'model = "{mid}-upstream"', "timeout_seconds = 20"]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def fault() -> Iterator[Fault]:
    f = Fault().start()
    yield f
    f.stop()


@pytest.fixture(scope="module")
def upstream(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real imagegate (null engine, auth on) that the gateway's gpt-image-2 is served from."""
    root = tmp_path_factory.mktemp("upstream")
    (root / "config.toml").write_text('[moderation]\nenabled = false\n[models."gpt-image-2"]\nengine = "null"\nsizes = ["256x256"]\n')
    srv = Server(root / "data", ["--config", str(root / "config.toml")])
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory, fault: Fault, upstream: Server) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("gateway")
    f = fault.base
    closed = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens: connection refused
    config = "[moderation]\nenabled = false\n"
    config += (f'[models."gpt-image-2"]\nengine = "openai"\nsizes = ["256x256"]\n[models."gpt-image-2".options]\n'
               f'base_url = "{upstream.base}/v1"\nmodel = "gpt-image-2"\napi_key_env = "{UPSTREAM_ENV}"\n')
    config += fault_model("stream", f"{f}/stream/v1")
    config += fault_model("retry", f"{f}/retry/v1")
    config += fault_model("errors", f"{f}/errors/v1")
    config += fault_model("nousage", f"{f}/nousage/v1")
    config += fault_model("edit", f"{f}/edit/v1")
    config += fault_model("slow", f"{f}/slow/v1", timeout_seconds=60)
    config += route_model("fallback", [("a", closed), ("b", f"{f}/fb/v1")])
    config += route_model("refuse", [("a", f"{f}/ra/v1"), ("b", f"{f}/rb/v1")])
    config += route_model("breaker", [("a", f"{f}/ba/v1"), ("b", f"{f}/bb/v1")], failure_threshold=2, cooldown_seconds=120)
    config += route_model("drop", [("a", f"{f}/da/v1"), ("b", f"{f}/db/v1")])
    for mid, lane, secret in (("azure", "az", 'api_key_env = "GW_TEST_AZURE_KEY"'), ("azure-token", "azt", 'token_env = "GW_TEST_AZURE_TOKEN"')):
        config += (f'[models."{mid}"]\nengine = "azure"\nsizes = ["256x256"]\ndefault_size = "256x256"\n[models."{mid}".options]\n'
                   f'endpoint = "{f}/{lane}"\ndeployment = "dep1"\napi_version = "2024-10-21"\n{secret}\n')
    (root / "config.toml").write_text(config)
    env = {UPSTREAM_ENV: upstream.api_key, "GW_TEST_AZURE_KEY": AZURE_KEY, "GW_TEST_AZURE_TOKEN": AZURE_TOKEN}
    srv = Server(root / "data", ["--config", str(root / "config.toml")], env=env)
    yield srv
    srv.stop()


@pytest.fixture
def oai(gateway: Server) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(api_key=gateway.api_key, base_url=f"{gateway.base}/v1", max_retries=0, timeout=60) as c:
        yield c


def admin_get(srv: Server, path: str, **params: Any) -> dict[str, Any]:
    resp = httpx.get(f"{srv.base}{path}", params=params, headers={"Authorization": f"Bearer {srv.api_key}"}, timeout=10)
    assert resp.status_code == 200, resp.text
    return resp.json()


def ledger(srv: Server, model: str) -> dict[str, int]:
    """The usage API's totals for one model (the last week)."""
    page = admin_get(srv, "/v1/organization/usage/images", models=model)
    totals = {"images": 0, "num_model_requests": 0, "input_tokens": 0, "input_cached_tokens": 0, "output_tokens": 0, "cost_micro_usd": 0}
    for bucket in page["data"]:
        for row in bucket["results"]:
            for name in totals:
                totals[name] += row[name]
    return totals


def backends(gateway: Server, model: str) -> dict[str, dict[str, Any]]:
    return {b["name"]: b for b in admin_get(gateway, "/health")["models"][model]["backends"]}


def usage_dict(usage: Any) -> dict[str, Any]:
    data = usage.model_dump() if hasattr(usage, "model_dump") else dict(usage)
    details = data.get("input_tokens_details") or {}
    return {"input_tokens": data["input_tokens"], "output_tokens": data["output_tokens"], "total_tokens": data["total_tokens"],
            "input_tokens_details": {k: details.get(k) for k in ("text_tokens", "image_tokens", "cached_tokens")}}


# -- a real imagegate upstream -------------------------------------------------------------
def test_generation_through_a_real_upstream_matches_its_bytes_usage_and_cost(oai, gateway, upstream):
    before_gw, before_up = ledger(gateway, "gpt-image-2"), ledger(upstream, "gpt-image-2")
    raw = oai.images.with_raw_response.generate(model="gpt-image-2", prompt="a grey square", size="256x256", quality="low", output_format="png")
    assert raw.headers["x-imagegate-usage-source"] == "upstream"
    resp = raw.parse()
    after_gw, after_up = ledger(gateway, "gpt-image-2"), ledger(upstream, "gpt-image-2")
    up_delta = {k: after_up[k] - before_up[k] for k in after_up}
    gw_delta = {k: after_gw[k] - before_gw[k] for k in after_gw}
    assert up_delta["num_model_requests"] == 1 and up_delta["cost_micro_usd"] > 0
    assert gw_delta == up_delta  # same tokens, same prices: the same charge on both ledgers
    assert resp.usage.output_tokens == up_delta["output_tokens"] and resp.usage.input_tokens == up_delta["input_tokens"]
    # the same request straight to the upstream: the same picture, byte for byte, and the same usage
    with openai.OpenAI(api_key=upstream.api_key, base_url=f"{upstream.base}/v1", max_retries=0) as direct:
        mine = direct.images.generate(model="gpt-image-2", prompt="a grey square", size="256x256", quality="low", output_format="png")
    assert resp.data[0].b64_json == mine.data[0].b64_json
    assert pixel(resp.data[0].b64_json) == (128, 128, 128)
    assert usage_dict(resp.usage) == usage_dict(mine.usage)


def test_edit_with_two_images_and_a_mask_through_a_real_upstream(oai, gateway, upstream):
    before = ledger(upstream, "gpt-image-2")
    resp = oai.images.edit(
        model="gpt-image-2", prompt="make it blue", size="256x256", quality="low",
        image=[("a.png", png((255, 0, 0)), "image/png"), ("b.png", png((0, 255, 0)), "image/png")],
        mask=("mask.png", mask_png(), "image/png"),
    )
    after = ledger(upstream, "gpt-image-2")
    assert after["num_model_requests"] == before["num_model_requests"] + 1
    assert Image.open(io.BytesIO(base64.b64decode(resp.data[0].b64_json))).size == (256, 256)
    assert resp.usage.input_tokens == after["input_tokens"] - before["input_tokens"]


def test_edit_reaches_the_upstream_as_multipart(oai, fault):
    a, b, mask = png((255, 0, 0)), png((0, 255, 0)), mask_png()
    resp = oai.images.edit(model="edit", prompt="make it blue", size="256x256", quality="low",
                           image=[("a.png", a, "image/png"), ("b.png", b, "image/png")], mask=("mask.png", mask, "image/png"))
    assert pixel(resp.data[0].b64_json) == (10, 200, 30)
    (call,) = fault.of("edit")
    assert call["path"] == "/edit/v1/images/edits"
    form = call["form"]
    assert [f["data"] for f in form["image[]"]] == [a, b]
    assert form["mask"][0]["data"] == mask
    assert form["prompt"] == ["make it blue"] and form["model"] == ["edit-upstream"] and form["size"] == ["256x256"]


# -- streaming -----------------------------------------------------------------------------
def test_partial_images_are_relayed_before_the_upstream_finishes(oai, fault):
    gate = threading.Event()
    fault.script("stream", ("gated", gate))
    try:
        stream = oai.images.generate(model="stream", prompt="a red square", size="256x256", quality="low", stream=True, partial_images=1)
        events = iter(stream)
        first = next(events)
        assert first.type == "image_generation.partial_image"
        assert pixel(first.b64_json) == (200, 0, 0)
        (call,) = fault.of("stream")
        assert not call["finished"]  # the upstream is still waiting for the gate
        assert call["body"]["stream"] is True and call["body"]["partial_images"] == 1
        gate.set()
        rest = list(events)
    finally:
        gate.set()
    assert [e.type for e in rest] == ["image_generation.completed"]
    assert pixel(rest[0].b64_json) == (0, 0, 200)
    assert usage_dict(rest[0].usage) == FAULT_USAGE


def test_connection_dropped_after_a_partial_ends_with_an_error_and_no_fallback(gateway, fault):
    fault.script("da", ("drop",))
    events: list[tuple[str, Any]] = []
    body = {"model": "drop", "prompt": "a red square", "size": "256x256", "quality": "low", "stream": True, "partial_images": 1}
    with httpx.stream("POST", f"{gateway.base}/v1/images/generations", json=body, headers={"Authorization": f"Bearer {gateway.api_key}"}, timeout=30) as resp:
        assert resp.status_code == 200
        name = ""
        for line in resp.iter_lines():
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data = json.loads(line[5:])
                events.append((name or data.get("type"), data))
    kinds = [k for k, _ in events]
    assert kinds[0] == "image_generation.partial_image"
    assert kinds[-1] == "error" and "image_generation.completed" not in kinds
    assert events[-1][1]["error"]["code"] == "upstream_unavailable"
    assert len(fault.of("da")) == 1 and fault.of("db") == []


# -- fallback, retries, breaker --------------------------------------------------------------
def test_route_falls_back_past_a_refused_connection(oai, gateway, fault):
    raw = oai.images.with_raw_response.generate(model="fallback", prompt="x", size="256x256", quality="low")
    assert raw.headers["x-imagegate-backend"] == "b"
    assert pixel(raw.parse().data[0].b64_json) == (10, 200, 30)
    assert len(fault.of("fb")) == 1
    state = backends(gateway, "fallback")
    assert state["a"]["failures"] == 1 and "last_error" in state["a"] and state["b"]["served"] == 1


def test_429_with_retry_after_is_waited_out_and_retried(oai, gateway, fault):
    fault.script("retry", ("status", 429, {"error": {"message": "slow down", "type": "requests", "code": "rate_limit_exceeded"}}, {"Retry-After": "1"}), ("ok", (5, 6, 7)))
    before = ledger(gateway, "retry")
    raw = oai.images.with_raw_response.generate(model="retry", prompt="x", size="256x256", quality="low")
    resp = raw.parse()
    assert pixel(resp.data[0].b64_json) == (5, 6, 7)
    calls = fault.of("retry")
    assert len(calls) == 2 and calls[1]["at"] - calls[0]["at"] >= 0.9
    # billed from the upstream's usage, cached tokens and all
    assert raw.headers["x-imagegate-usage-source"] == "upstream"
    assert usage_dict(resp.usage) == FAULT_USAGE
    after = ledger(gateway, "retry")
    assert after["input_tokens"] - before["input_tokens"] == 7 and after["output_tokens"] - before["output_tokens"] == 33
    assert after["input_cached_tokens"] - before["input_cached_tokens"] == 1


def test_refusal_is_a_400_and_never_goes_to_the_next_backend(oai, fault):
    fault.script("ra", ("status", 400, REFUSAL))
    with pytest.raises(openai.BadRequestError) as info:
        oai.images.generate(model="refuse", prompt="x", size="256x256", quality="low")
    assert info.value.code == "moderation_blocked"
    assert len(fault.of("ra")) == 1 and fault.of("rb") == []


def test_other_upstream_4xx_pass_through_and_401_is_a_502(oai, fault):
    fault.script("errors", ("status", 400, {"error": {"message": "Invalid size.", "type": "invalid_request_error", "param": "size", "code": "invalid_value"}}),
                 ("status", 401, {"error": {"message": "Incorrect API key provided.", "type": "invalid_request_error", "param": None, "code": "invalid_api_key"}}))
    with pytest.raises(openai.BadRequestError) as bad:
        oai.images.generate(model="errors", prompt="x", size="256x256", quality="low")
    assert bad.value.status_code == 400 and bad.value.code == "invalid_value" and bad.value.param == "size"
    with pytest.raises(openai.APIStatusError) as gateway_error:
        oai.images.generate(model="errors", prompt="x", size="256x256", quality="low")
    assert gateway_error.value.status_code == 502 and gateway_error.value.code == "upstream_error"
    assert len(fault.of("errors")) == 2  # neither was retried


def test_breaker_opens_after_threshold_and_skips_the_backend(oai, gateway, fault):
    fault.script("ba", *[("status", 500, {"error": {"message": "boom", "type": "server_error"}})] * 2)
    for _ in range(2):  # each failure of "a" falls back to "b"
        raw = oai.images.with_raw_response.generate(model="breaker", prompt="x", size="256x256", quality="low")
        assert raw.headers["x-imagegate-backend"] == "b"
    state = backends(gateway, "breaker")["a"]
    assert state["state"] == "open" and state["failures"] == 2
    assert "500" in state["last_error"] and state["last_error_at"] > time.time() - 60
    raw = oai.images.with_raw_response.generate(model="breaker", prompt="x", size="256x256", quality="low")
    assert raw.headers["x-imagegate-backend"] == "b"
    assert len(fault.of("ba")) == 2 and len(fault.of("bb")) == 3  # open: no call reached "a"


# -- usage ---------------------------------------------------------------------------------
def test_an_upstream_without_usage_is_metered_here(oai, gateway, fault):
    fault.script("nousage", ("nousage", (9, 9, 9)))
    before = ledger(gateway, "nousage")
    raw = oai.images.with_raw_response.generate(model="nousage", prompt="a small grey card", size="256x256", quality="low")
    resp = raw.parse()
    assert raw.headers["x-imagegate-usage-source"] == "metered"
    assert pixel(resp.data[0].b64_json) == (9, 9, 9)
    # imagegate's own metering: the default tile rule (one 256x256 tile at 17 low-quality tokens)
    assert resp.usage.output_tokens == 17 and resp.usage.input_tokens > 0
    after = ledger(gateway, "nousage")
    assert after["output_tokens"] - before["output_tokens"] == 17 and after["cost_micro_usd"] > before["cost_micro_usd"]
    estimate = httpx.post(f"{gateway.base}/v1/images/estimate", json={"model": "nousage", "prompt": "a small grey card", "size": "256x256", "quality": "low"},
                          headers={"Authorization": f"Bearer {gateway.api_key}"}, timeout=10).json()
    assert estimate["usage"]["output_tokens"] == resp.usage.output_tokens


# -- disconnects ---------------------------------------------------------------------------
def test_client_disconnect_closes_the_upstream_request_and_releases_the_hold(gateway, fault):
    created = httpx.post(f"{gateway.base}/v1/admin/keys", json={"name": "disconnect", "budget_usd": 5},
                         headers={"Authorization": f"Bearer {gateway.api_key}"}, timeout=10).json()
    fault.script("slow", ("slow", 30))
    with pytest.raises(httpx.TimeoutException):
        httpx.post(f"{gateway.base}/v1/images/generations", json={"model": "slow", "prompt": "x", "size": "256x256", "quality": "low"},
                   headers={"Authorization": f"Bearer {created['secret']}"}, timeout=httpx.Timeout(10, read=1.5))
    gone = time.monotonic()
    deadline = gone + 10
    while time.monotonic() < deadline and not (fault.of("slow") and fault.of("slow")[0]["disconnected"]):
        time.sleep(0.05)
    (call,) = fault.of("slow")
    assert call["disconnected"] and not call["finished"]
    assert call["disconnected_at"] - gone < 5
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and admin_get(gateway, "/v1/admin/holds", key_id=created["id"])["data"]:
        time.sleep(0.1)
    assert admin_get(gateway, "/v1/admin/holds", key_id=created["id"])["data"] == []
    key = admin_get(gateway, f"/v1/admin/keys/{created['id']}")
    assert key["spent_usd"] == 0 and key["reserved_usd"] == 0


# -- Azure ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("model", "lane", "header", "value"), [("azure", "az", "api-key", AZURE_KEY), ("azure-token", "azt", "authorization", f"Bearer {AZURE_TOKEN}")])
def test_azure_upstream_request_shape(oai, fault, model, lane, header, value):
    resp = oai.images.generate(model=model, prompt="a lighthouse", size="256x256", quality="low")
    assert pixel(resp.data[0].b64_json) == (10, 200, 30)
    (call,) = fault.of(lane)
    assert call["path"] == f"/{lane}/openai/deployments/dep1/images/generations"
    assert call["query"] == {"api-version": "2024-10-21"}
    assert call["headers"][header] == value
    other = "authorization" if header == "api-key" else "api-key"
    assert other not in call["headers"]
    assert call["body"]["prompt"] == "a lighthouse" and call["body"]["size"] == "256x256"


# -- configuration -------------------------------------------------------------------------
def test_a_key_in_the_config_stops_the_server(tmp_path: Path):
    (tmp_path / "config.toml").write_text('[models."gpt-image-2"]\nengine = "openai"\n[models."gpt-image-2".options]\nmodel = "gpt-image-2"\napi_key = "sk-secret"\n')
    cmd = [sys.executable, "-m", "imagegate", "serve", "--host", "127.0.0.1", "--port", str(free_port()), "--data-dir", str(tmp_path / "data"),
           "--config", str(tmp_path / "config.toml"), "--no-auth"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "'api_key': secrets never go in the config; use api_key_env or api_key_file." in out
    assert "sk-secret" not in out


def test_secrets_in_options_and_missing_env_vars_are_configuration_errors(monkeypatch):
    with pytest.raises(ConfigurationError, match="secrets never go in the config"):
        UpstreamEngine({"model": "m", "api_key": "sk-x"})
    with pytest.raises(ConfigurationError, match="secrets never go in the config"):
        AzureUpstreamEngine({"endpoint": "http://x", "deployment": "d", "token": "t"})
    with pytest.raises(ConfigurationError, match="use token_env or token_file"):
        AzureUpstreamEngine({"endpoint": "http://x", "deployment": "d", "ad_token": "t"})
    monkeypatch.delenv("GW_TEST_NOT_SET", raising=False)
    with pytest.raises(ConfigurationError, match="GW_TEST_NOT_SET"):
        UpstreamEngine({"model": "m", "api_key_env": "GW_TEST_NOT_SET"})
    with pytest.raises(ConfigurationError, match="GW_TEST_NOT_SET"):
        RouteEngine({"backends": [{"name": "a", "engine": "azure", "options": {"endpoint": "http://x", "deployment": "d", "token_env": "GW_TEST_NOT_SET"}}]})
    with pytest.raises(ConfigurationError, match="Cannot read"):
        UpstreamEngine({"model": "m", "api_key_file": "/nonexistent/key"})
