"""Routes: one model served by an ordered list of backends (local engines and upstream APIs
mixed), with retries, fallback and a circuit breaker per backend.

The rules:
- connection errors, timeouts, 5xx and 429 from an upstream (and any crash of a local engine)
  move on to the next backend; a 429's `Retry-After` keeps that backend out for as long as it
  asks (up to `max_retry_after_seconds`);
- when a pass over the backends served nothing, the next pass starts once the soonest backend
  may be tried again, if that is within `max_retry_after_seconds` (`max_attempts` passes in all);
- `failure_threshold` failures in a row open a backend's circuit: it is skipped for
  `cooldown_seconds`, then tried again (half-open) and closed by its first success;
- the request's own faults (a refusal, any 4xx) are never retried elsewhere, and nothing is
  retried once a partial image has gone to the client.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import anyio

from imagegate.api.metrics import record_backend
from imagegate.engines.base import CancelToken, EngineCancelled, EngineCapabilities, EngineRequest, EngineResults, ImageEngine, Progress, ProgressCallback
from imagegate.engines.upstream import BackendUnavailable, UpstreamEngine
from imagegate.errors import ConfigurationError, ImagegateError, RateLimitError, ServiceUnavailableError

log = logging.getLogger("imagegate.route")

CANCEL_POLL_SECONDS = 0.1
WAKE_MARGIN_SECONDS = 0.05  # timers (uvloop's count milliseconds) may fire a little before the backend's wait is over
STOP_WAIT_SECONDS = 5.0  # the most a cancelled attempt is waited for while it closes its request
BREAKER_KEYS = ("failure_threshold", "cooldown_seconds")
HALF_OPEN_WAIT = 0.5  # seconds others wait while a half-open backend's trial runs


class Backend:
    """One backend of a route and its circuit breaker."""

    def __init__(self, name: str, engine: ImageEngine, options: dict[str, Any], clock: Callable[[], float] = time.monotonic) -> None:
        self.name = name
        self.engine = engine
        self.failure_threshold = max(1, int(options.get("failure_threshold", 3)))
        self.cooldown = float(options.get("cooldown_seconds", 30.0))
        self.clock = clock
        self.failures = 0  # in a row
        self.open_until = 0.0  # circuit open (skipped) until then
        self.not_before = 0.0  # a 429 asked us to wait until then
        self.last_error: str | None = None
        self.last_error_at: float | None = None  # unix time
        self.served = 0
        self.trial = False  # a half-open backend's one trial request is in flight

    def wait(self, now: float) -> float:
        """Seconds until this backend may be tried (0: now). A half-open backend takes one
        trial request at a time."""
        wait = max(0.0, self.open_until - now, self.not_before - now)
        if not wait and self.trial and self.failures >= self.failure_threshold:
            return HALF_OPEN_WAIT
        return wait

    def state(self, now: float | None = None) -> str:
        now = self.clock() if now is None else now
        if now < self.open_until:
            return "open"
        if now < self.not_before:
            return "waiting"  # rate limited upstream, for the time it asked
        return "half-open" if self.failures >= self.failure_threshold else "up"

    def succeeded(self) -> None:
        self.failures = 0
        self.open_until = 0.0
        self.served += 1

    def failed(self, exc: BaseException, cap: float) -> None:
        now = self.clock()
        self.failures += 1
        self.last_error = str(exc) or type(exc).__name__
        self.last_error_at = time.time()
        if self.failures >= self.failure_threshold:
            self.open_until = now + self.cooldown
        after = getattr(exc, "retry_after", None)
        if after:
            self.not_before = now + min(float(after), cap)

    async def call(self, request: EngineRequest, on_progress: ProgressCallback | None) -> EngineResults:
        if isinstance(self.engine, UpstreamEngine):
            return await watch_cancel(self.engine.attempt(request, on_progress), request.cancel)
        return await self.engine.generate(request, on_progress)

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "engine": self.engine.name, "state": self.state(), "failures": self.failures, "served": self.served}
        if self.last_error is not None:
            out["last_error"] = self.last_error[:300]
            out["last_error_at"] = int(self.last_error_at or 0)
        return out


async def watch_cancel(work: Awaitable[EngineResults], cancel: CancelToken | None) -> EngineResults:
    """Await `work`; if `cancel` is set meanwhile (a revoked key, a cancelled job), stop it (its
    HTTP request is closed) and raise EngineCancelled."""
    task = asyncio.ensure_future(work)
    try:
        while True:
            done, _ = await asyncio.wait({task}, timeout=CANCEL_POLL_SECONDS if cancel is not None else None)
            if done:
                return task.result()
            if cancel is not None and cancel.cancelled:
                await _stop(task)
                raise EngineCancelled(cancel.reason or "cancelled")
    except asyncio.CancelledError:
        await _stop(task)
        raise


async def _stop(task: asyncio.Future[EngineResults]) -> None:
    """Cancel `task` once and let it finish its cleanup (closing the upstream connection). The
    wait is shielded: a cancelled anyio scope (a client disconnect) re-delivers its cancellation
    at every await, and `gather` would hand each one on to the task, interrupting httpcore's
    shielded close and leaving the upstream request running."""
    task.cancel()
    with anyio.CancelScope(shield=True):
        await asyncio.wait({task}, timeout=STOP_WAIT_SECONDS)
    if task.done() and not task.cancelled():
        task.exception()  # retrieved: nobody wants the result any more


async def with_fallback(backends: list[Backend], request: EngineRequest, on_progress: ProgressCallback | None, options: dict[str, Any]) -> EngineResults:
    """Serve `request` from the first backend that can, by the rules in this module's docstring."""
    cap = float(options.get("max_retry_after_seconds", 10.0))
    passes = max(1, int(options.get("max_attempts", 2)))
    sent = False

    def relay(progress: Progress) -> None:
        nonlocal sent
        if progress.preview is not None:
            sent = True
        if on_progress is not None:
            on_progress(progress)

    last: BaseException | None = None
    for attempt in range(passes):
        now = backends[0].clock()
        for backend in backends:
            if backend.wait(now) > 0:
                continue
            request.check_cancelled()
            backend.trial = backend.failures >= backend.failure_threshold
            try:
                results = await backend.call(request, relay if on_progress is not None else None)
            except ImagegateError:
                record_backend(backend.name, "refused")
                raise  # the request's own fault: never tried elsewhere
            except EngineCancelled:
                raise  # nobody wants it any more
            except Exception as exc:  # noqa: BLE001 - down, slow or crashed: the next backend may serve
                record_backend(backend.name, "failed")
                backend.failed(exc, cap)
                last = exc
                log.warning("backend %s failed (%s failures in a row): %s", backend.name, backend.failures, exc)
                if sent:
                    raise ServiceUnavailableError(
                        f"The image backend failed after partial images were sent: {backend.last_error}", code="upstream_unavailable",
                    ) from None
                continue
            finally:
                backend.trial = False
            backend.succeeded()
            record_backend(backend.name, "served")
            if not isinstance(results, EngineResults):
                results = EngineResults(results)
            results.backend = backend.name
            if not isinstance(backend.engine, UpstreamEngine):  # a local engine: the pipeline meters and post-processes as usual
                results.draws_text = backend.engine.capabilities.draws_text
                results.moderates_outputs = backend.engine.capabilities.moderates_outputs
            return results
        if attempt == passes - 1:
            break
        now = backends[0].clock()
        wait = min(b.wait(now) for b in backends)
        if wait > cap:
            break
        await asyncio.sleep(max(wait + WAKE_MARGIN_SECONDS, 0.25 * (attempt + 1)))
    raise exhausted(backends, last)


def exhausted(backends: list[Backend], last: BaseException | None) -> ImagegateError:
    """The error when no backend served: 429 (with how long to wait) when the last one was
    rate limited upstream, else 503."""
    now = backends[0].clock()
    soonest = min(b.wait(now) for b in backends)
    states = "; ".join(f"{b.name}: {b.state(now)}" + (f" ({b.last_error[:120]})" if b.last_error else "") for b in backends)
    if isinstance(last, BackendUnavailable) and last.status == 429:
        seconds = max(1, int(soonest + 0.999))
        return RateLimitError(
            f"The upstream image service is rate limited; try again in {seconds}s.", code="rate_limit_exceeded",
            headers={"retry-after": str(seconds), "retry-after-ms": str(max(1, int(soonest * 1000)))}, error_type="requests",
        )
    headers = {"retry-after": str(max(1, int(soonest + 0.999)))} if soonest else {}
    return ServiceUnavailableError(f"No image backend could serve the request now. {states}", code="upstream_unavailable", headers=headers)


class RouteEngine:
    """A model served by an ordered list of backends. Options: `backends`, a list of
    `{name, engine, options}` tables (any installed engine: builtin, diffusers, openai, azure,
    ...), and the retry/breaker settings `max_attempts` (2), `max_retry_after_seconds` (10),
    `failure_threshold` (3), `cooldown_seconds` (30)."""

    name = "route"

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        from imagegate.engines.registry import create_engine

        self.options = dict(options or {})
        specs = self.options.get("backends")
        if not isinstance(specs, list) or not specs:
            raise ConfigurationError("A route needs `backends`: a list of {name, engine, options} tables.")
        self.backends: list[Backend] = []
        for i, spec in enumerate(specs):
            if not isinstance(spec, dict) or not spec.get("engine"):
                raise ConfigurationError(f"Route backend {i}: needs at least `engine`.")
            name = str(spec.get("name") or f"{spec['engine']}-{i}")
            engine_options = {**dict(spec.get("options") or {}), "name": name}
            breaker = {k: spec.get(k, self.options.get(k)) for k in BREAKER_KEYS if spec.get(k, self.options.get(k)) is not None}
            self.backends.append(Backend(name, create_engine(str(spec["engine"]), engine_options), breaker))
        caps = [b.engine.capabilities for b in self.backends]
        self.capabilities = EngineCapabilities(
            draws_text=all(c.draws_text for c in caps), moderates_outputs=all(c.moderates_outputs for c in caps),
            supports_previews=any(c.supports_previews for c in caps), cancellable=all(c.cancellable for c in caps),
            forwards_uploads=all(c.forwards_uploads for c in caps),
        )

    def status(self) -> str:
        states = {b.engine.status() for b in self.backends}
        return "ready" if "ready" in states else "loading" if "loading" in states else "idle"

    async def load(self, on_progress: ProgressCallback | None = None) -> None:
        for backend in self.backends:
            try:
                await backend.engine.load(on_progress)
            except Exception as exc:  # noqa: BLE001 - one backend that cannot load leaves the others serving
                backend.failed(exc, 0.0)
                log.warning("route backend %s failed to load: %s", backend.name, exc)

    async def close(self) -> None:
        for backend in self.backends:
            await backend.engine.close()

    async def generate(self, request: EngineRequest, on_progress: ProgressCallback | None = None) -> EngineResults:
        return await with_fallback(self.backends, request, on_progress, self.options)

    def backends_state(self) -> list[dict[str, Any]]:
        return [b.describe() for b in self.backends]
