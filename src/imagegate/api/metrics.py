"""Prometheus metrics: `GET /metrics` (admin key when auth is on) and the hooks that count.

Counters and histograms live at module level and are incremented from a few hooks: the
`MetricsMiddleware` (requests, latency), `record_charge` (called by `Pipeline.settle`: images,
tokens, cost), `record_block` (called by `policy.moderation.blocked_error`) and `record_error`
(the error handler: 429 refusals). Queue depth, running jobs and engine state are gauges read from
the app's context when `/metrics` is scraped.

Several worker processes (`imagegate serve --workers N`): prometheus_client's multiprocess mode.
`imagegate serve` empties `<data dir>/prometheus` and sets `PROMETHEUS_MULTIPROC_DIR` to it before
the workers start (prometheus_client reads it when it is first imported), so every worker writes
its values to files there and a scrape of any worker reports the sum over all of them. The
scrape-time gauges are then refreshed by each worker every few seconds as well, so they add up
across live workers too (engine state carries a `pid` label: each worker has its own engines).
One process (the default, and tests) needs no setup: values live in this process's registry.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import shutil
import time
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
MULTIPROC_SUBDIR = "prometheus"
REFRESH_SECONDS = 5.0  # how often each worker publishes its gauges in multiprocess mode
ENGINE_STATES = ("idle", "loading", "ready")
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)
REFUSALS = {"insufficient_quota": "budget", "rate_limit_exceeded": "rate_limit"}
UNMATCHED = "unmatched"  # requests no route matched (404 scans must not grow the label set)

REGISTRY = CollectorRegistry()  # one process; multiprocess scrapes read the files instead

REQUESTS = Counter("imagegate_http_requests", "HTTP requests by route template, method and status.",
                   ["route", "method", "status"], registry=REGISTRY)
LATENCY = Histogram("imagegate_http_request_duration_seconds", "Time to the end of the response, by route template.",
                    ["route"], buckets=LATENCY_BUCKETS, registry=REGISTRY)
IMAGES = Counter("imagegate_images", "Images settled (billed), by model, size and quality.", ["model", "size", "quality"], registry=REGISTRY)
TOKENS = Counter("imagegate_tokens", "Tokens billed, by model, size, quality and kind (text_input, image_input, cached_image_input, output).",
                 ["model", "size", "quality", "kind"], registry=REGISTRY)
COST = Counter("imagegate_cost_micro_usd", "Money charged in micro-dollars, by model, size and quality.", ["model", "size", "quality"], registry=REGISTRY)
MODERATION = Counter("imagegate_moderation_blocks", "Requests refused by the content policy, by stage (input/output) and category.",
                     ["stage", "category"], registry=REGISTRY)
BACKEND_CALLS = Counter("imagegate_backend_calls", "Calls to the backends of gateway models (openai, azure, route engines), by backend and outcome (served, failed, refused).",
                        ["backend", "outcome"], registry=REGISTRY)
REFUSED = Counter("imagegate_refusals", "429 refusals by reason: budget (insufficient_quota) or rate_limit (rate_limit_exceeded).",
                  ["reason"], registry=REGISTRY)
QUEUED = Gauge("imagegate_jobs_queued", "Async jobs waiting to run.", registry=REGISTRY, multiprocess_mode="livesum")
RUNNING = Gauge("imagegate_jobs_running", "Async jobs running now.", registry=REGISTRY, multiprocess_mode="livesum")
ENGINE_STATE = Gauge("imagegate_engine_state", "1 for the engine's current load state (idle, loading, ready) per model.",
                     ["model", "state"], registry=REGISTRY, multiprocess_mode="liveall")
ENGINE_PENDING = Gauge("imagegate_engine_pending_jobs", "Jobs waiting in an engine's open batches (engines that batch).",
                       ["model"], registry=REGISTRY, multiprocess_mode="livesum")
ENGINE_BATCHES = Gauge("imagegate_engine_running_batches", "Batches an engine runs now (engines that batch).",
                       ["model"], registry=REGISTRY, multiprocess_mode="livesum")
ENGINE_BATCH_SIZE = Gauge("imagegate_engine_recent_batch_size", "Mean images per batch over an engine's recent batches (engines that batch).",
                          ["model"], registry=REGISTRY, multiprocess_mode="livemax")


def multiprocess() -> bool:
    """Whether values go to files shared by several worker processes."""
    return bool(os.environ.get(MULTIPROC_ENV))


def prepare_multiprocess_dir(data_dir: Path) -> Path:
    """An empty directory for the workers' metric files (values of an earlier run are dropped);
    call before the workers start, then export it as `PROMETHEUS_MULTIPROC_DIR`."""
    path = Path(data_dir).resolve() / MULTIPROC_SUBDIR
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


# -- hooks (cheap: a few counter increments) --------------------------------------------------

@functools.lru_cache(maxsize=4096)
def child(metric: Any, *labels: str) -> Any:
    """`metric.labels(*labels)`, remembered: prometheus_client validates and looks labels up on
    every call (~10 µs), and the label sets on the request path repeat."""
    return metric.labels(*labels)


def record_charge(charge: Any) -> None:
    """Count a settled charge (`accounts.ledger.Charge`): images, tokens by kind, cost."""
    labels = (charge.model, charge.size, charge.quality)
    usage = charge.usage
    child(IMAGES, *labels).inc(charge.n)
    child(COST, *labels).inc(charge.cost_micro_usd)
    for kind, value in (("text_input", usage.text_tokens), ("image_input", usage.image_tokens),
                        ("cached_image_input", usage.cached_image_tokens), ("output", usage.output_tokens)):
        if value:
            child(TOKENS, *labels, kind).inc(value)


def record_backend(backend: str, outcome: str) -> None:
    """Count one call to a gateway backend: served, failed (down, slow, 5xx, 429) or refused (the request's own fault)."""
    BACKEND_CALLS.labels(backend, outcome).inc()


def record_block(stage: str, categories: Iterable[str]) -> None:
    """Count a content-policy refusal, once per flagged category."""
    for category in categories or ("unspecified",):
        MODERATION.labels(stage, category).inc()


def record_error(status_code: int, code: str | None) -> None:
    """Count 429 refusals by reason (called for every error the app renders)."""
    if status_code == 429 and code in REFUSALS:
        REFUSED.labels(REFUSALS[code]).inc()


# -- requests and latency ---------------------------------------------------------------------

class MetricsMiddleware:
    """Counts requests by route template, method and status, and times them (pure ASGI)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 499  # no answer and no error: the client went away first
        began = time.perf_counter()

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        except BaseException:
            if status == 499:
                status = 500  # the server's error middleware answers 500
            raise
        finally:
            route = route_template(scope)
            child(REQUESTS, route, scope.get("method", ""), str(status)).inc()
            child(LATENCY, route).observe(time.perf_counter() - began)


def route_template(scope: Scope) -> str:
    """The matched route's path template with the prefix it was included under
    (`/v1/admin/keys/{key_id}`), or `unmatched`. FastAPI puts the matched route in the scope;
    newer versions put the route as declared, without its router's prefix, so the prefix is
    found again as the part of the path before what the route's own pattern matches."""
    route = scope.get("route")
    regex, template = getattr(route, "path_regex", None), getattr(route, "path_format", None)
    if regex is None or template is None:
        return UNMATCHED
    path = scope.get("path", "")
    start = 0
    while start != -1:
        if regex.match(path[start:]):
            return path[:start] + template
        start = path.find("/", start + 1)
    return template


# -- scrape-time gauges -----------------------------------------------------------------------

def refresh(ctx: Any) -> None:
    """Set the gauges from the app context: the job queue and each model's engine."""
    QUEUED.set(len(ctx.jobs.queue))
    RUNNING.set(ctx.jobs.running)
    for model, engine in ctx.engines.items():
        state = engine.status()
        for known in {*ENGINE_STATES, state}:
            ENGINE_STATE.labels(model, known).set(1 if known == state else 0)
        stats = engine.stats() if callable(getattr(engine, "stats", None)) else {}
        if "batch_sizes" in stats:  # engines that batch across requests (diffusers)
            sizes = stats["batch_sizes"]
            ENGINE_PENDING.labels(model).set(stats.get("pending_jobs", 0))
            ENGINE_BATCHES.labels(model).set(stats.get("running_calls", 0))
            ENGINE_BATCH_SIZE.labels(model).set(sum(sizes) / len(sizes) if sizes else 0)


async def _refresh_forever(ctx: Any) -> None:
    while True:
        with contextlib.suppress(Exception):  # a failing engine must not stop the gauges
            refresh(ctx)
        await asyncio.sleep(REFRESH_SECONDS)


@contextlib.asynccontextmanager
async def publishing(ctx: Any) -> AsyncIterator[None]:
    """While the app runs: in multiprocess mode keep this worker's gauges fresh, and mark the
    worker dead when it stops (its live gauges leave the sums)."""
    if not multiprocess():
        yield
        return
    task = asyncio.create_task(_refresh_forever(ctx))
    try:
        yield
    finally:
        task.cancel()
        from prometheus_client import multiprocess as mp

        with contextlib.suppress(Exception):
            mp.mark_process_dead(os.getpid())


def exposition() -> bytes:
    """The text format of every metric (all workers' in multiprocess mode)."""
    if not multiprocess():
        return generate_latest(REGISTRY)
    from prometheus_client import multiprocess as mp

    registry = CollectorRegistry()
    mp.MultiProcessCollector(registry)
    return generate_latest(registry)


async def metrics(request: Request) -> Response:
    """Prometheus text exposition; needs an admin key when auth is on."""
    from imagegate.api.common import admin, context

    await admin(request)
    refresh(context(request))
    return Response(exposition(), media_type=CONTENT_TYPE_LATEST, headers={"cache-control": "no-store"})


def install_metrics(app: FastAPI) -> None:
    """The request-counting middleware and the `/metrics` route (kept out of the API document)."""
    app.add_middleware(MetricsMiddleware)
    app.add_api_route("/metrics", metrics, methods=["GET"], include_in_schema=False)
