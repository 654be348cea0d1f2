"""The `ray` engine: a model whose engine (builtin, diffusers, null, ...) runs on a Ray Serve
cluster, as a multiplexed model of imagegate's one Serve application (`imagegate.cluster`).

    [models.sdxl-cluster]
    engine = "ray"
    options = { engine = "diffusers", options = { model = "stabilityai/sdxl-turbo" } }

    [cluster]                      # imagegate's config: one application for every `ray` model
    address = "auto"               # ray.init(address=...); "local" starts a private cluster
    app_name = "imagegate"
    deploy = true                  # false: an operator deployed it with Serve's YAML
    num_replicas = 2               # or autoscaling_config = {min_replicas = 1, max_replicas = 4}
    num_gpus = 1                   # per replica (or ray_actor_options = {num_gpus = 1})
    max_models_per_replica = 2     # the LRU of loaded engines in each replica
    max_ongoing_requests = 8       # requests a replica takes at once (its engine batches them)
    max_attempts = 2               # tries when a replica dies before the first partial image

A model's own `cluster` table (in its options) overrides the `[cluster]` keys it names. The
model's id on the cluster is `model_id` (default: the engine's name and a hash of its options),
so two registry models with the same engine and options share one loaded engine (with an
explicit `model_id`, change it when the options change: replicas keep what they loaded).

Cancellation: a cancel token (DELETE, a revoked key) or the caller's task being cancelled (a
disconnect) cancels the Serve response, which cancels the engine's work in the replica.
A replica that dies before any partial image was sent is retried on another; after that the
request fails with `engine_replica_died` (503). The engine returns or raises once, so the
pipeline charges once.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import socket
import logging
import threading
from typing import Any

from PIL import Image

from imagegate.cluster import DEFAULT_APP_NAME, encode_request, require_ray, unpack_error
from imagegate.engines.base import EngineCancelled, EngineCapabilities, EngineRequest, EngineResult, EngineResults, Progress, ProgressCallback
from imagegate.errors import ConfigurationError, ImagegateError, ServiceUnavailableError

log = logging.getLogger("imagegate.ray")

CANCEL_POLL_SECONDS = 0.1
_deploy_lock = threading.Lock()
_deployed: dict[str, str] = {}  # app name -> the settings this process deployed it with


class ReplicaDied(Exception):
    """The replica serving a request went away (the actor died or became unreachable)."""


def is_replica_death(exc: BaseException) -> bool:
    """Whether `exc` (or what it wraps) says the replica's actor died or is unreachable."""
    try:
        from ray.exceptions import ActorDiedError, ActorUnavailableError, RayActorError
    except ImportError:  # pragma: no cover
        return False
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, (ActorDiedError, ActorUnavailableError, RayActorError)):
            return True
        cause = getattr(exc, "cause", None)
        exc = cause if isinstance(cause, BaseException) else exc.__cause__
        seen += 1
    return False


def _consume(future: asyncio.Future) -> None:
    if not future.cancelled():
        future.exception()


def inner_capabilities(name: str) -> EngineCapabilities:
    """The capabilities of engine `name`, read from its class (nothing is loaded or built)."""
    from imagegate.engines.registry import available_engines

    found = available_engines()
    if name not in found:
        raise ConfigurationError(f"Unknown engine {name!r} for a ray model; installed engines: {', '.join(sorted(found))}.")
    capabilities = getattr(found[name].load(), "capabilities", None)
    return capabilities if isinstance(capabilities, EngineCapabilities) else EngineCapabilities()


class RayEngine:
    """A model served by the imagegate application on a Ray Serve cluster. Options: `engine`
    and `options` (the engine that runs in the replicas), `model_id`, and the cluster settings
    (a `cluster` table; see the module docstring)."""

    name = "ray"

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        options = dict(options or {})
        inner = options.get("engine")
        if not isinstance(inner, str) or not inner or inner == "ray":
            raise ConfigurationError("A ray model needs `engine`: the engine its replicas run (builtin, diffusers, null, ...).")
        self.inner = inner
        self.inner_options = dict(options.get("options") or {})
        self.spec = {"engine": inner, "options": self.inner_options}
        digest = hashlib.sha1(json.dumps(self.spec, sort_keys=True, default=str).encode()).hexdigest()[:12]
        self.model_id = str(options.get("model_id") or f"{inner}-{digest}")
        cluster = dict(options.get("cluster") or {})
        for key in ("address", "app_name", "deploy", "max_attempts"):  # shorthands beside the table
            if key in options:
                cluster[key] = options[key]
        self.cluster = cluster
        self.address = cluster.get("address")
        self.app_name = str(cluster.get("app_name") or DEFAULT_APP_NAME)
        self.deploy = bool(cluster.get("deploy", True))
        self.max_attempts = max(1, int(cluster.get("max_attempts", 2)))
        self.capabilities = inner_capabilities(inner)
        self._handle: Any = None
        self._status = "idle"
        self._lock = asyncio.Lock()
        self.last_replica: str | None = None  # the replica the latest attempt ran on

    # -- the engine protocol ----------------------------------------------------------------
    def status(self) -> str:
        return self._status

    async def load(self, on_progress: ProgressCallback | None = None) -> None:
        """Connect to the cluster and deploy the application when it is not running."""
        await self._ensure()

    async def close(self) -> None:
        """Nothing of the cluster belongs to this process: the application keeps running."""
        self._handle = None
        self._status = "idle"

    async def generate(self, request: EngineRequest, on_progress: ProgressCallback | None = None) -> EngineResults:
        handle = await self._ensure()
        payload = {"spec": self.spec, "model_id": self.model_id, "progress": on_progress is not None,
                   "request": await asyncio.to_thread(encode_request, request) if _has_images(request) else encode_request(request)}
        attempt = 0
        while True:
            attempt += 1
            partial_sent = [False]
            try:
                return await self._attempt(handle, payload, request, on_progress, partial_sent)
            except ReplicaDied as exc:
                if partial_sent[0] or attempt >= self.max_attempts:
                    raise ServiceUnavailableError(
                        f"The cluster replica serving this request stopped ({exc}); try again.", code="engine_replica_died",
                    ) from None
                log.warning("replica %s died before the first partial image; retrying (%d/%d)", self.last_replica, attempt + 1, self.max_attempts)

    # -- the cluster ------------------------------------------------------------------------
    async def _ensure(self) -> Any:
        if self._handle is not None:
            return self._handle
        async with self._lock:
            if self._handle is None:
                self._status = "loading"
                try:
                    self._handle = await asyncio.to_thread(self._connect)
                except BaseException:
                    self._status = "idle"
                    raise
                self._status = "ready"
        return self._handle

    def _connect(self) -> Any:
        ray = require_ray()
        from ray import serve

        if not ray.is_initialized():
            kwargs: dict[str, Any] = {"address": self.address or "auto", "log_to_driver": False, "ignore_reinit_error": True}
            if kwargs["address"] == "local":
                kwargs.update(include_dashboard=False)
            _reachable(kwargs["address"])  # ray.init retries an unreachable address for minutes
            try:
                ray.init(**kwargs)
            except ConnectionError as exc:
                raise ServiceUnavailableError(f"Cannot reach the Ray cluster at {kwargs['address']!r}: {exc}", code="engine_unavailable") from None
        if self.deploy:
            with _deploy_lock:
                settings = json.dumps(self._app_args(), sort_keys=True, default=str)
                if _deployed.get(self.app_name, settings) != settings:
                    raise ConfigurationError(
                        f"The ray models sharing the Serve application {self.app_name!r} must have the same cluster settings."
                    )
                if self.app_name not in _deployed and not self._app_running(serve):
                    from imagegate.cluster.serve_app import build

                    log.info("deploying the Serve application %r", self.app_name)
                    if not self._app_running(serve):  # Serve's own HTTP proxy is not used: the handle is
                        try:
                            serve.start(proxy_location="Disabled")
                        except Exception:  # noqa: BLE001 - Serve already running with its own settings
                            log.debug("serve.start skipped", exc_info=True)
                    serve.run(build(self._app_args()), name=self.app_name, route_prefix=None, blocking=False)
                _deployed[self.app_name] = settings
        try:
            return serve.get_app_handle(self.app_name)
        except Exception as exc:  # noqa: BLE001 - RayServeException: no such application
            raise ConfigurationError(f"The Serve application {self.app_name!r} is not running on the cluster: {exc}") from None

    def _app_args(self) -> dict[str, Any]:
        return {k: v for k, v in self.cluster.items() if k not in ("address", "app_name", "deploy", "max_attempts")}

    def _app_running(self, serve: Any) -> bool:
        try:
            app = serve.status().applications.get(self.app_name)
        except Exception:  # noqa: BLE001 - Serve not started on this cluster yet
            return False
        return app is not None and str(getattr(app.status, "value", app.status)) in ("RUNNING", "DEPLOYING")

    async def _attempt(self, handle: Any, payload: dict[str, Any], request: EngineRequest, on_progress: ProgressCallback | None,
                       partial_sent: list[bool]) -> EngineResults:
        """One call to a replica; ReplicaDied when its actor went away."""
        response = handle.options(stream=True, multiplexed_model_id=self.model_id).generate.remote(payload)
        finished = False
        pending: asyncio.Future | None = None
        try:
            while True:
                pending = asyncio.ensure_future(response.__anext__())
                while True:
                    done, _ = await asyncio.wait({pending}, timeout=CANCEL_POLL_SECONDS if request.cancel is not None else None)
                    if done:
                        break
                    if request.cancel is not None and request.cancel.cancelled:
                        raise EngineCancelled(request.cancel.reason or "cancelled")
                try:
                    message = pending.result()
                except StopAsyncIteration:
                    finished = True
                    raise ReplicaDied("the replica's stream ended without a result") from None
                except (ImagegateError, EngineCancelled):
                    raise
                except Exception as exc:
                    if is_replica_death(exc):
                        finished = True
                        raise ReplicaDied(type(exc).__name__) from None
                    if type(exc).__name__ in ("BackPressureError", "DeploymentUnavailableError"):
                        finished = True
                        raise ServiceUnavailableError(f"The cluster cannot take this request now ({type(exc).__name__}); try again.",
                                                      code="engine_overloaded") from None
                    raise
                pending = None
                kind = message.get("t")
                if kind == "start":
                    self.last_replica = message.get("replica")
                elif kind == "progress":
                    if on_progress is not None:
                        on_progress(self._progress(message))
                        if message.get("preview") is not None:
                            partial_sent[0] = True
                elif kind == "result":
                    finished = True
                    return self._results(message)
                elif kind == "error":
                    finished = True
                    raise unpack_error(message)
        finally:
            if pending is not None:
                pending.cancel()
                pending.add_done_callback(_consume)  # its RequestCancelledError is expected, not news
            if not finished:
                try:
                    response.cancel()  # stops the replica's work: cancelling this task alone would not
                except Exception:  # noqa: BLE001
                    log.debug("cancelling a Serve response failed", exc_info=True)

    @staticmethod
    def _progress(message: dict[str, Any]) -> Progress:
        data = message.get("preview")
        preview = Image.open(io.BytesIO(data)) if data is not None else None
        return Progress(step=message["step"], total=message["total"], index=message.get("index"), preview=preview,
                        encoded=data, encoded_format=message.get("format") if data is not None else None)

    def _results(self, message: dict[str, Any]) -> EngineResults:
        results = EngineResults()
        fmt = message.get("format")
        for data, seed in message["images"]:
            results.append(EngineResult(image=Image.open(io.BytesIO(data)), seed=seed, encoded=data, encoded_format=fmt))
        results.usage = message.get("usage")
        results.backend = message.get("backend")
        results.draws_text = message.get("draws_text")
        results.moderates_outputs = message.get("moderates_outputs")
        return results


def _reachable(address: str, timeout: float = 5.0) -> None:
    """Fail fast (503) when `address` names a host:port (or ray://host:port) nobody answers on."""
    target = address.removeprefix("ray://")
    host, sep, port = target.rpartition(":")
    if not sep or not port.isdigit() or not host:
        return  # "auto", "local": Ray finds (or starts) the cluster itself
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except OSError as exc:
        raise ServiceUnavailableError(f"Cannot reach the Ray cluster at {address!r}: {exc.strerror or exc}.", code="engine_unavailable") from None


def _has_images(request: EngineRequest) -> bool:
    """Whether encoding `request` means PNG-encoding pictures (worth a worker thread)."""
    return request.init_image is not None or request.mask is not None or bool(request.reference_images)
