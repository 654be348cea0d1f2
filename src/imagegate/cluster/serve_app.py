"""The Ray Serve application that runs imagegate's engines: one deployment, `ImageEngines`.

Every `ray` model of the registry is a multiplexed model of this one deployment: a replica keeps
an LRU of up to `max_models_per_replica` loaded engines, and Serve routes a request to a replica
that already has its model when it can. The engines batch concurrent calls themselves, so a
replica takes several requests at once (`max_ongoing_requests`). A request streams its progress
(partial images, already encoded in the client's format) and then its images; cancelling the
response on the caller's side cancels the engine's work here.

Deployed by the `ray` engine itself (`serve.run`), or by an operator with Serve's own config:

    applications:
      - name: imagegate
        route_prefix: null
        import_path: imagegate.cluster.serve_app:build
        args: {num_replicas: 2, num_gpus: 1, max_models_per_replica: 2, max_ongoing_requests: 8}

(see docs/cluster/serve.yaml). The caller sends each model's engine and options with the
request, so the application needs no model list; `args.models` ({model id: {engine, options}})
may still name them, for callers that send only the model id.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

from imagegate.cluster import DEPLOYMENT_NAME, decode_request, output_format, pack_error, require_ray

require_ray()

from ray import serve  # noqa: E402 - after the install hint

log = logging.getLogger("imagegate.cluster")

DEPLOYMENT_KEYS = ("num_replicas", "autoscaling_config", "ray_actor_options", "max_ongoing_requests", "max_queued_requests",
                   "health_check_period_s", "health_check_timeout_s", "graceful_shutdown_timeout_s", "placement_group_bundles",
                   "placement_group_strategy", "max_replicas_per_node")


def _on_loop(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


class _Loaded:
    """A loaded engine in the replica's LRU; Serve calls `__del__` when it evicts it."""

    def __init__(self, model_id: str, engine: Any, owner: EngineReplica, loop: asyncio.AbstractEventLoop) -> None:
        self.model_id = model_id
        self.engine = engine
        self._owner = owner
        self._loop = loop
        self._closed = False

    def __del__(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._owner.loaded.pop(self.model_id, None)
        try:
            if _on_loop(self._loop):
                self._loop.create_task(self.engine.close())
            else:
                asyncio.run_coroutine_threadsafe(self.engine.close(), self._loop)
        except Exception:  # noqa: BLE001 - a closed loop at interpreter exit
            pass


class EngineReplica:
    """One replica: loads engines by model id (LRU) and streams their work."""

    def __init__(self, max_models_per_replica: int = 2, models: dict[str, dict[str, Any]] | None = None) -> None:
        self.specs: dict[str, dict[str, Any]] = {str(k): dict(v) for k, v in (models or {}).items()}
        self.loaded: dict[str, Any] = {}  # model id -> engine, while in the LRU
        self.loads = 0
        self.requests = 0
        try:
            self.replica = serve.get_replica_context().replica_id.to_full_id_str()
        except Exception:  # noqa: BLE001 - outside a replica (unit use)
            self.replica = f"local-{os.getpid()}"

        async def load_engine(model_id: str) -> _Loaded:
            return await self._load(model_id)

        self._get = serve.multiplexed(max_num_models_per_replica=int(max_models_per_replica))(load_engine)

    async def _load(self, model_id: str) -> _Loaded:
        from imagegate.engines.registry import create_engine

        spec = self.specs.get(model_id)
        if spec is None:
            raise LookupError(f"model {model_id!r} is unknown to this replica: the request carried no engine spec")
        options = dict(spec.get("options") or {})
        if spec["engine"] == "builtin":  # replicas are the unit of scale here: no render processes of their own unless asked
            options.setdefault("render_processes", 0)
        engine = create_engine(str(spec["engine"]), options)
        await engine.load()
        self.loads += 1
        self.loaded[model_id] = engine
        log.info("replica %s loaded model %s (%s)", self.replica, model_id, spec["engine"])
        return _Loaded(model_id, engine, self, asyncio.get_running_loop())

    async def generate(self, payload: dict[str, Any]):
        """Run one request; yields the messages described in `imagegate.cluster`."""
        from imagegate.engines.base import CancelToken, Progress
        from imagegate.render.encode import encode_image

        model_id = serve.get_multiplexed_model_id() or str(payload.get("model_id") or "")
        if payload.get("spec"):
            self.specs[model_id] = dict(payload["spec"])
        self.requests += 1
        yield {"t": "start", "replica": self.replica}
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        cancel = CancelToken()
        task: asyncio.Future | None = None
        try:
            holder = await self._get(model_id)
            request = decode_request(payload["request"], cancel)
            fmt, compression = output_format(request.wire)

            def on_progress(progress: Progress) -> None:
                preview = encode_image(progress.preview, fmt, compression) if progress.preview is not None else None
                message = {"t": "progress", "step": progress.step, "total": progress.total, "index": progress.index,
                           "preview": preview, "format": fmt}
                if _on_loop(loop):
                    queue.put_nowait(message)
                else:
                    loop.call_soon_threadsafe(queue.put_nowait, message)

            task = asyncio.ensure_future(holder.engine.generate(request, on_progress if payload.get("progress") else None))
            while True:
                getter = asyncio.ensure_future(queue.get())
                done, _ = await asyncio.wait({task, getter}, return_when=asyncio.FIRST_COMPLETED)
                if getter in done:
                    yield getter.result()
                    continue
                getter.cancel()
                break
            while not queue.empty():
                yield queue.get_nowait()
            results = task.result()

            def encode_all() -> list[tuple[bytes, int]]:
                return [(r.encoded if r.encoded is not None and r.encoded_format == fmt else encode_image(r.image, fmt, compression), r.seed)
                        for r in results]

            images = await asyncio.to_thread(encode_all)
            yield {"t": "result", "images": images, "format": fmt, "usage": getattr(results, "usage", None),
                   "backend": getattr(results, "backend", None), "draws_text": getattr(results, "draws_text", None),
                   "moderates_outputs": getattr(results, "moderates_outputs", None)}
        except Exception as exc:  # noqa: BLE001 - the caller re-raises it
            yield pack_error(exc)
        finally:
            if task is not None and not task.done():  # the caller cancelled: stop the engine too
                cancel.cancel("the caller went away")
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)

    def stats(self) -> dict[str, Any]:
        """This replica: its name, the models it has loaded, and its engines' counters (the
        null engine's `steps_run`, `running`, `peak_running`; diffusers' `pipeline_calls`)."""
        counters = {}
        for model_id, engine in self.loaded.items():
            counters[model_id] = {k: getattr(engine, k) for k in ("steps_run", "running", "peak_running", "pipeline_calls") if hasattr(engine, k)}
        return {"replica": self.replica, "pid": os.getpid(), "loaded": list(self.loaded), "loads": self.loads,
                "requests": self.requests, "engines": counters}


def deployment_options(args: dict[str, Any]) -> dict[str, Any]:
    """Serve's deployment options from imagegate's cluster settings: `num_replicas` or
    `autoscaling_config`, `ray_actor_options` (or the `num_gpus`/`num_cpus` shorthands),
    `max_ongoing_requests` (default 8: engines batch what arrives together)."""
    options = {k: args[k] for k in DEPLOYMENT_KEYS if args.get(k) is not None}
    actor = dict(options.get("ray_actor_options") or {})
    for key in ("num_gpus", "num_cpus", "memory"):
        if args.get(key) is not None:
            actor[key] = args[key]
    if actor:
        options["ray_actor_options"] = actor
    if "num_replicas" not in options and "autoscaling_config" not in options:
        options["num_replicas"] = 1
    options.setdefault("max_ongoing_requests", 8)
    return options


def build(args: dict[str, Any] | None = None):
    """The Serve application (an `import_path` builder): `args` are imagegate's cluster
    settings (see `deployment_options`, plus `max_models_per_replica` and `models`)."""
    args = dict(args or {})
    deployment = serve.deployment(EngineReplica, name=DEPLOYMENT_NAME)
    return deployment.options(**deployment_options(args)).bind(
        max_models_per_replica=int(args.get("max_models_per_replica", 2)), models=args.get("models") or {},
    )
