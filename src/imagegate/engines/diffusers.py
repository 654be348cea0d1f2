"""The diffusers engine: any diffusers text-to-image pipeline, with cross-request batching,
and edits, expand (outpaint) and variations through the same weights.

Registered as `diffusers` in the `imagegate.engines` entry-point group. torch and diffusers are
imported lazily; without the extra the engine fails with `pip install 'imagegate[diffusers]'`.

Registry options (`[models."<id>".options]`):

    path / model        local pipeline directory (`save_pretrained` layout) / hub id
    device              auto | cuda | cuda:N | mps | cpu            (default auto)
    dtype               bf16 | fp16 | fp32      (default bf16 on cuda, fp16 on mps, fp32 on cpu)
    steps               steps per quality tier  (default {low = 1, medium = 2, high = 4})
    guidance            guidance_scale          (default 0.0: few-step distilled models)
    negative_prompt     used when the pipeline takes one and guidance enables it
    scheduler           diffusers scheduler class name, e.g. "EulerAncestralDiscreteScheduler"
    scheduler_options   table passed to the scheduler's from_config
    max_batch           images per pipeline call across requests (default 8 on cuda/mps, 1 on cpu)
    batch_window_ms     how long the first request of a batch waits for company (default 20 on
                        cuda/mps, 0 on cpu; setting either option turns batching on, on any device)
    cpu_threads         torch intra-op threads per pipeline call on cpu (default 1; 0 = leave
                        torch's process-wide setting alone)
    workers             pipeline calls that run at once (default: on cpu, one per `cpu_threads`
                        usable cores, 1 with cpu_threads = 0; 1 on cuda/mps)
    compile             torch.compile the UNet/transformer and warm it up at load (default false)
    attention_slicing, vae_tiling, cpu_offload (true | "model" | "sequential")   memory savers
    native_max          largest side generated natively (default: the pipeline's default size)
    size_multiple       generated sides are multiples of this (default: 16, or 2x the VAE factor)
    memory_budget_gb    keep loaded models on this device within this (default: 80 % of the GPU;
                        unlimited on cpu/mps); least recently used idle models are unloaded
    variant, revision, pipeline (class name), call_options (extra pipeline call arguments)
    edit_strength       img2img strength of an edit without a mask (default 0.6)
    variation_strength  img2img strength of a variation (default 0.6)
    inpaint_strength    strength of a masked edit or expand (default 1.0: the editable area is
                        generated anew, the kept area steers it)

Edits, expand and variations run pipelines derived from the loaded one with
`AutoPipelineForInpainting.from_pipe` / `AutoPipelineForImage2Image.from_pipe`: the same modules,
no second load. An edit with a mask, or whose input has transparent pixels (expand puts the input
on a transparent canvas), is inpainting: the editable area (mask 0 or alpha 0) is white in the
diffusers mask, the transparent area is filled from the visible edges first (push-pull, smooth)
so the model has context, and afterwards the kept area is composited back from the input (a
feathered seam) so it keeps the input's own pixels. An edit without a mask or transparency is
img2img at `edit_strength`; a variation is img2img at `variation_strength` with the request's
(normally empty) prompt. At strength s < 1 a pipeline runs only the last s of its schedule, so
the engine asks for about steps / s steps to run the quality tier's `steps`. A family without an
inpainting variant runs masked edits as img2img (at `edit_strength`, kept area composited back);
one without an img2img variant refuses edits and variations with a 400 (`unsupported_edit`).
Further input images (`image[]` 2..16) are not used by this engine: it logs that and edits the
first. Edit and variation requests batch with others of the same task, size, steps and strength;
each image's input (and mask) sits at its own row of the batch.

The pipeline is loaded and run in dedicated threads of the engine (one per worker; one in all
on a GPU by default), not in a shared pool, so per-thread accelerator state (cuBLAS handles and
workspaces, cuDNN handles and PyTorch's thread-local cuDNN execution-plan cache) is built once and
stays warm between requests. Requests are served first come, first served.

On a CPU the defaults differ, because measurements there say so (benchmarks/diffusers_serving.py):
once compute dominates (any real model; the tiny test pipeline from 256x256 up) a batch of 8
costs as much CPU as 8 single calls or more, so cross-request batching only makes each request
wait for the others of its batch (max_batch 1, no window; batching pays on CPU only where
per-call overhead dominates, as for the tiny pipeline at 64x64: set `max_batch` there). And
torch's intra-op threads cost more CPU than they save (two threads: from 1.85x the CPU for the
same output to several times that on a busy machine, where OpenMP threads spin), so each
call runs on `cpu_threads` (1) threads and the cores are used by running `workers` calls at
once, first come, first served. The thread count is set per worker thread (OpenMP's and MKL's
per-thread settings), so other users of torch in the process keep theirs. Each worker calls its
own view of the pipeline: the same modules (weights are shared, never copied), its own
scheduler and tokenizers, since a diffusers pipeline keeps per-call state on itself and its
scheduler and two threads must never call one pipeline object at once.

Sizes: the requested size is scaled down, keeping its aspect, so its longer side is at most
`native_max`, and each side is rounded to `size_multiple`. When that differs from the request
(above the native size, or a side that is not a multiple), the image is resized to the exact
requested size with Pillow's Lanczos filter (a 3-lobe windowed sinc): sharp, no new detail.

Seeds: image i of a request uses `seed + i` through its own CPU `torch.Generator` (so the
starting noise is the same on every device), and its prompt, negative prompt and noise sit at
its own rows of the batch: an image is the same whether it ran alone or in a batch, up to float
rounding. That rounding is not zero: BLAS/oneDNN (and cuBLAS/cuDNN) pick kernels by batch size
(a Linear on one row is a GEMV, on several a GEMM; convolutions choose algorithms per minibatch),
which sum in another order; on CPU in fp32 that flips an occasional 8-bit value by one.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import anyio
from PIL import Image

from imagegate.engines import _editing as editing
from imagegate.engines import _pipelines as pipelines
from imagegate.engines._batching import Batch, Batcher, Job
from imagegate.engines._memory import GB, MemoryPool, pool_for
from imagegate.engines.base import (
    CancelToken,
    EngineCancelled,
    EngineCapabilities,
    EngineRequest,
    EngineResult,
    Progress,
    ProgressCallback,
    preview_steps,
)
from imagegate.errors import ConfigurationError, InvalidRequestError

log = logging.getLogger("imagegate.engines.diffusers")

DEFAULT_STEPS = {"low": 1, "medium": 2, "high": 4}
QUALITY_TIERS = {"auto": "medium", "standard": "medium", "hd": "high"}
KNOWN_OPTIONS = {
    "path", "model", "device", "dtype", "steps", "guidance", "negative_prompt", "scheduler",
    "scheduler_options", "max_batch", "batch_window_ms", "compile", "compile_options", "warmup",
    "attention_slicing", "vae_tiling", "cpu_offload", "native_max", "size_multiple",
    "memory_budget_gb", "variant", "revision", "pipeline", "call_options",
    "edit_strength", "variation_strength", "inpaint_strength", "cpu_threads", "workers",
}
GPU_BATCHING = (8, 20.0)  # (max_batch, batch_window_ms) on cuda/mps when the options set neither
CPU_BATCHING = (1, 0.0)  # on cpu: no cross-request batching (a batch is no faster than its calls)


@dataclass(frozen=True)
class DiffusersOptions:
    """The registry options this engine reads, checked.

    Serving defaults depend on the device, so they are None here and resolved by `serving_for`:
    `max_batch` / `batch_window_ms` are 8 / 20 ms on cuda and mps and 1 / 0 ms (no
    cross-request batching) on cpu, unless either is set; `cpu_threads` (torch intra-op
    threads per pipeline call on cpu) is 1; `workers` (pipeline calls at once) is the usable
    cores // `cpu_threads` on cpu (1 with `cpu_threads` = 0) and 1 elsewhere.
    """

    path: str | None = None
    model: str | None = None
    device: str | None = None
    dtype: str | None = None
    steps: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_STEPS))
    guidance: float = 0.0
    negative_prompt: str | None = None
    max_batch: int | None = None  # None: by device (see `serving_for`)
    batch_window_ms: float | None = None
    cpu_threads: int = 1
    workers: int | None = None
    compile: bool = False
    warmup: bool | None = None  # default: warm up when compiling
    native_max: int | None = None
    size_multiple: int | None = None
    memory_budget_gb: float | None = None
    call_options: dict[str, Any] = field(default_factory=dict)
    edit_strength: float = 0.6
    variation_strength: float = 0.6
    inpaint_strength: float = 1.0

    @classmethod
    def parse(cls, options: dict[str, Any]) -> DiffusersOptions:
        unknown = set(options) - KNOWN_OPTIONS
        if unknown:
            log.warning("diffusers engine: ignoring unknown options %s", ", ".join(sorted(unknown)))
        if not options.get("path") and not options.get("model"):
            raise ConfigurationError("The diffusers engine needs option `path` (a local pipeline directory) or `model` (a hub id).")
        try:
            steps = {**DEFAULT_STEPS, **{str(k): int(v) for k, v in dict(options.get("steps") or {}).items()}}
            parsed = cls(
                path=str(options["path"]) if options.get("path") else None,
                model=str(options["model"]) if options.get("model") else None,
                device=options.get("device"),
                dtype=options.get("dtype"),
                steps=steps,
                guidance=float(options.get("guidance", 0.0)),
                negative_prompt=options.get("negative_prompt") or None,
                max_batch=int(options["max_batch"]) if options.get("max_batch") is not None else None,
                batch_window_ms=float(options["batch_window_ms"]) if options.get("batch_window_ms") is not None else None,
                cpu_threads=int(options.get("cpu_threads", 1)),
                workers=int(options["workers"]) if options.get("workers") is not None else None,
                compile=bool(options.get("compile", False)),
                warmup=options.get("warmup"),
                native_max=int(options["native_max"]) if options.get("native_max") else None,
                size_multiple=int(options["size_multiple"]) if options.get("size_multiple") else None,
                memory_budget_gb=float(options["memory_budget_gb"]) if options.get("memory_budget_gb") is not None else None,
                call_options=dict(options.get("call_options") or {}),
                edit_strength=float(options.get("edit_strength", 0.6)),
                variation_strength=float(options.get("variation_strength", 0.6)),
                inpaint_strength=float(options.get("inpaint_strength", 1.0)),
            )
        except (TypeError, ValueError) as exc:
            raise ConfigurationError(f"Invalid diffusers engine options: {exc}") from exc
        max_batch, window = parsed.max_batch, parsed.batch_window_ms
        if (max_batch is not None and max_batch < 1) or (window is not None and window < 0) or min(steps.values()) < 1:
            raise ConfigurationError("Invalid diffusers engine options: max_batch and steps must be >= 1, batch_window_ms >= 0.")
        if parsed.cpu_threads < 0 or (parsed.workers is not None and parsed.workers < 1):
            raise ConfigurationError("Invalid diffusers engine options: cpu_threads must be >= 0 and workers >= 1.")
        if not all(0.0 < v <= 1.0 for v in (parsed.edit_strength, parsed.variation_strength, parsed.inpaint_strength)):
            raise ConfigurationError("Invalid diffusers engine options: edit_strength, variation_strength and inpaint_strength must be in (0, 1].")
        return parsed

    def serving_for(self, device_type: str) -> tuple[int, float, int]:
        """(max_batch, batch_window_ms, workers) on a device type ("cpu", "cuda", "mps")."""
        cpu = device_type == "cpu"
        if self.max_batch is None and self.batch_window_ms is None:
            max_batch, window = CPU_BATCHING if cpu else GPU_BATCHING
        else:  # batching asked for: the other option keeps its batching default
            max_batch = self.max_batch if self.max_batch is not None else GPU_BATCHING[0]
            window = self.batch_window_ms if self.batch_window_ms is not None else GPU_BATCHING[1]
        workers = self.workers
        if workers is None:
            workers = max(1, usable_cpus() // self.cpu_threads) if cpu and self.cpu_threads else 1
        return max_batch, window, workers

    def steps_for(self, quality: str) -> int:
        """Denoising steps for a quality tier (auto/standard = medium, hd = high)."""
        tier = QUALITY_TIERS.get(quality, quality)
        return self.steps.get(tier, self.steps["medium"])


def usable_cpus() -> int:
    """Cores this process may run on (its affinity mask where the OS has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def plan_size(width: int, height: int, native_max: int, multiple: int) -> tuple[int, int]:
    """The size to generate for a requested size: the same aspect, longest side <= native_max,
    sides rounded to `multiple` (at least one multiple)."""
    scale = min(1.0, native_max / max(width, height))
    limit = max(multiple, native_max // multiple * multiple)

    def snap(side: int) -> int:
        return min(limit, max(multiple, int(side * scale / multiple + 0.5) * multiple))  # half rounds up

    return snap(width), snap(height)


@dataclass(frozen=True)
class _Edit:
    """How an edit or variation runs: the pipeline task, its inputs at the generated size, and
    the keep-mask (at the requested size) to composite the input back with afterwards."""

    task: str  # "img2img" | "inpaint"
    strength: float
    image: Image.Image  # RGB at the generated size, transparent areas filled
    mask: Image.Image | None = None  # "L", white = repaint (inpaint only)
    keep: Image.Image | None = None  # "L" at the requested size, 255 = the input's pixels stay


@dataclass
class _Work:
    """A request's share of a batch: prompts and seeds, edit inputs, and where its progress goes."""

    prompt: str
    seeds: list[int]
    first_index: int
    on_progress: ProgressCallback | None
    previews: frozenset[int]
    edit: _Edit | None = None
    cancel: CancelToken | None = None


class DiffusersEngine:
    """Serves one diffusers pipeline; batches compatible concurrent requests into one call."""

    name = "diffusers"
    capabilities = EngineCapabilities(supports_previews=True, cancellable=True)

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        self.options = dict(options or {})
        self.config = DiffusersOptions.parse(self.options)
        pipelines.check_backend_installed()
        self.model_name = self.config.path or self.config.model or "pipeline"
        self._factory: Callable[[], Any] | None = None  # set by from_pipeline
        self._lock = threading.Lock()  # held while loading or unloading, and to count runs
        self._idle = threading.Condition(self._lock)  # notified when a run ends
        self._busy = 0  # pipeline calls running (a busy model is never unloaded)
        self._pipe: Any = None
        self._views: list[Any] = []  # per worker (lane): its pipeline; lane 0's is the loaded one
        self._lane_derived: dict[int, dict[str, tuple[Any, set[str]] | None]] = {}  # lanes >= 1
        self._threads = threading.local()  # per thread: is it a worker, its torch threads if set
        self.cpu_threads: int | None = None  # torch threads per call, once loaded on cpu
        self.workers = 1
        self._state = "idle"
        self._torch: Any = None
        self._pool: MemoryPool | None = None
        self._geometry: tuple[int, int] | None = None  # (native_max, size_multiple)
        self._call_params: set[str] = set()
        self._derived: dict[str, tuple[Any, set[str]] | None] = {}  # task -> (pipeline, call params) | None
        self._derived_lock = threading.Lock()
        self._diffusers: Any = None
        self._executors: dict[int, ThreadPoolExecutor] = {}  # lane -> its dedicated thread
        self._executor_lock = threading.Lock()
        # the device decides the batching defaults and the workers; both are set at load, which
        # every request waits for before it is queued
        max_batch, window_ms, _ = self.config.serving_for("cuda")
        self._batcher = Batcher(self._run_batch, max_batch, window_ms / 1000, executor=self._pipeline_thread)
        self.memory_bytes = 0  # weights of the loaded pipeline (parameters x dtype size)
        self.loads = 0
        self.unloads = 0
        self.interrupted = 0
        self.pipeline_calls = 0

    @classmethod
    def from_pipeline(cls, pipeline: Any, options: dict[str, Any] | None = None) -> DiffusersEngine:
        """An engine around an already built pipeline (scripts, benchmarks); it is never unloaded."""
        engine = cls({"path": "<in-memory pipeline>", **(options or {})})
        engine.model_name = type(pipeline).__name__
        engine._factory = lambda: pipeline
        return engine

    # -- lifecycle -------------------------------------------------------------------------

    def status(self) -> str:
        """One of "idle" (not loaded), "loading" or "ready"."""
        return self._state

    def stats(self) -> dict[str, Any]:
        """Counters for tests, benchmarks and /health."""
        return {
            "state": self._state,
            "pipeline_calls": self.pipeline_calls,
            "batch_sizes": list(self._batcher.batch_sizes),
            "pending_jobs": self._batcher.pending,
            "running_calls": self._batcher.running,
            "max_batch": self._batcher.max_batch,
            "batch_window_ms": self._batcher.window_s * 1000,
            "workers": self.workers,
            "cpu_threads": self.cpu_threads,
            "memory_bytes": self.memory_bytes,
            "loads": self.loads,
            "unloads": self.unloads,
            "interrupted": self.interrupted,
        }

    def _pipeline_thread(self, lane: int = 0) -> ThreadPoolExecutor:
        """The dedicated thread of worker `lane`; lane 0's also loads (see the module docstring)."""
        with self._executor_lock:
            if lane not in self._executors:
                self._executors[lane] = ThreadPoolExecutor(
                    1, thread_name_prefix=f"imagegate-diffusers-{id(self):x}-{lane}", initializer=self._mark_worker_thread,
                )
            return self._executors[lane]

    def _mark_worker_thread(self) -> None:
        self._threads.worker = True

    async def _in_pipeline_thread(self, fn: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._pipeline_thread(), fn, *args)

    async def load(self, on_progress: ProgressCallback | None = None) -> None:
        """Load the pipeline now (instead of on first use), reporting coarse progress."""
        await self._in_pipeline_thread(self._load_blocking, on_progress)

    def _load_blocking(self, on_progress: ProgressCallback | None = None) -> None:
        with self._lock:
            self._ensure_loaded(on_progress)
        self._limit_threads()

    def _ensure_loaded(self, on_progress: ProgressCallback | None = None) -> Any:
        """The loaded pipeline, loading it first if needed; call with `self._lock` held."""
        if self._pipe is not None:
            return self._pipe
        warmup = self.config.compile if self.config.warmup is None else bool(self.config.warmup)
        total = 4 if warmup else 3

        def report(step: int) -> None:
            if on_progress is not None:
                on_progress(Progress(step=step, total=total))

        self._state = "loading"
        try:
            torch, diffusers = pipelines.import_backend()
            self._torch, self._diffusers = torch, diffusers
            device = pipelines.resolve_device(torch, self.config.device)
            dtype = pipelines.resolve_dtype(torch, self.config.dtype, device)
            self._configure_serving(device)
            report(1)
            if self._factory is not None:
                pipe = self._factory()
            else:
                pipe = pipelines.load_pipeline(diffusers, self.options, dtype)
            report(2)
            self.memory_bytes = pipelines.pipeline_bytes(torch, pipe)
            self._pool = pool_for(str(device))
            self._pool.admit(self, self.memory_bytes, self._budget_bytes(torch, device))
            try:
                pipelines.configure_pipeline(torch, diffusers, pipe, self.options, device)
                native_max, multiple = pipelines.native_geometry(pipe)
                self._geometry = (self.config.native_max or native_max, self.config.size_multiple or multiple)
                self._call_params = pipelines.call_parameters(pipe)
                views = self._make_views(pipe)
                report(3)
                if warmup:
                    self._limit_threads()
                    self._warm_up(pipe)
                    report(4)
            except BaseException:
                self._pool.forget(self)
                raise
        except BaseException:
            self._state = "idle"
            raise
        self._pipe = pipe
        self._views = views
        self._state = "ready"
        self.loads += 1
        log.info(
            "loaded %s on %s (%s): %d worker(s)%s, batches of up to %d image(s), %.0f ms window", self.model_name, device, dtype,
            self.workers, f" of {self.cpu_threads} torch thread(s)" if self.cpu_threads else "", self._batcher.max_batch, self._batcher.window_s * 1000,
        )
        return pipe

    def _configure_serving(self, device: Any) -> None:
        """Batching, workers and torch threads for the device (see DiffusersOptions)."""
        max_batch, window_ms, workers = self.config.serving_for(device.type)
        if workers > 1 and device.type != "cpu" and self.options.get("cpu_offload"):
            log.warning("%s: workers = %d with cpu_offload would move one set of modules back and forth; using 1", self.model_name, workers)
            workers = 1
        self.workers = workers
        self.cpu_threads = (self.config.cpu_threads or None) if device.type == "cpu" else None
        self._batcher.configure(max_batch, window_ms / 1000, workers)

    def _make_views(self, pipe: Any) -> list[Any]:
        """One pipeline per worker: the loaded one, then views sharing its modules."""
        views = [pipe]
        try:
            views += [pipelines.pipeline_view(self._torch, pipe) for _ in range(self.workers - 1)]
        except Exception:  # an exotic pipeline that cannot be copied: serve it one call at a time
            log.exception("%s: cannot make pipeline views for %d workers; using 1", self.model_name, self.workers)
            self.workers = 1
            self._batcher.configure(concurrency=1)
        return views[: self.workers]

    def _limit_threads(self) -> None:
        """Set this worker thread's torch intra-op threads to `cpu_threads`, once (cpu only; a
        load that happens in another thread, such as an edit's, leaves that thread alone)."""
        if self.cpu_threads is None or not getattr(self._threads, "worker", False) or getattr(self._threads, "count", None) == self.cpu_threads:
            return
        if not pipelines.limit_threads(self._torch, self.cpu_threads):
            log.warning("%s: this torch build cannot set threads per thread; set the process-wide count to %d", self.model_name, self.cpu_threads)
        self._threads.count = self.cpu_threads

    def _budget_bytes(self, torch: Any, device: Any) -> int | None:
        if self.config.memory_budget_gb is not None:
            return int(self.config.memory_budget_gb * GB)
        if device.type == "cuda":
            return int(0.8 * torch.cuda.get_device_properties(device).total_memory)
        return None

    def _warm_up(self, pipe: Any) -> None:
        native_max, multiple = self._geometry or (512, 16)
        side = max(multiple, native_max // multiple * multiple)
        pipe(**self._call_kwargs(["warm-up"], [self._torch.Generator("cpu").manual_seed(0)], side, side, self.config.steps_for("low"), None))

    def try_unload(self) -> bool:
        """Drop the pipeline unless it is busy (the memory pool calls this); True when unloaded."""
        if not self._lock.acquire(blocking=False):
            return False
        try:
            if self._busy:
                return False
            if self._factory is not None and self._pipe is not None:
                return False  # an injected pipeline cannot be reloaded
            self._drop()
            return True
        finally:
            self._lock.release()

    def _drop(self) -> None:
        if self._pipe is None:
            return
        self._pipe = None
        self._views = []
        with self._derived_lock:
            self._derived.clear()
            self._lane_derived.clear()
        self._state = "idle"
        self.unloads += 1
        pipelines.release_memory(self._torch)

    async def close(self) -> None:
        """Unload the pipeline and leave the memory pool."""

        def unload() -> None:
            with self._lock:
                self._idle.wait_for(lambda: self._busy == 0)  # the other workers' calls end first
                self._drop()
                if self._pool is not None:
                    self._pool.forget(self)

        await self._in_pipeline_thread(unload)
        with self._executor_lock:
            executors, self._executors = list(self._executors.values()), {}
        for executor in executors:
            executor.shutdown(wait=False)  # its thread ends once idle; a later call starts another

    # -- generation ------------------------------------------------------------------------

    async def generate(self, request: EngineRequest, on_progress: ProgressCallback | None = None) -> list[EngineResult]:
        """Make `request.n` images; compatible concurrent requests share pipeline calls."""
        if request.transparent:
            raise InvalidRequestError("Transparent background is not supported for this model.", param="background", code="invalid_value")
        if request.init_image is None and (request.mask is not None or request.mode != "generate"):
            raise InvalidRequestError(f"An input image is required for {request.mode or 'this request'}.", param="image", code="missing_required_parameter")
        if self._pipe is None or self._geometry is None:
            await self._in_pipeline_thread(self._load_blocking)
        assert self._geometry is not None
        native_max, multiple = self._geometry
        width, height = plan_size(request.width, request.height, native_max, multiple)
        steps = request.steps or self.config.steps_for(request.quality)
        negative = self.config.negative_prompt
        edit = None
        if request.init_image is not None:
            edit = await anyio.to_thread.run_sync(self._prepare_edit, request, width, height)
        key = (edit.task if edit else "text", width, height, steps, self.config.guidance, negative, edit.strength if edit else None)
        prompt = request.prompt if request.mode == "variation" else request.text_prompt
        previews = preview_steps(steps, request.previews)
        seeds = [request.seed + i for i in range(request.n)]
        size = self._batcher.max_batch
        chunks = [seeds[i : i + size] for i in range(0, len(seeds), size)]
        tasks = [
            asyncio.ensure_future(
                self._batcher.submit(key, len(chunk), _Work(prompt, chunk, i * size, on_progress, previews, edit, request.cancel))
            )
            for i, chunk in enumerate(chunks)
        ]
        try:
            parts = await asyncio.gather(*tasks)
        except BaseException:
            for task in tasks:
                task.cancel()
            raise
        if any(part is None for part in parts):  # cancelled through its token before it ran
            request.check_cancelled()
            raise EngineCancelled("cancelled")
        images = [image for part in parts for image in part]
        keep = edit.keep if edit else None
        if (width, height) != (request.width, request.height) or keep is not None:
            images = await anyio.to_thread.run_sync(_finish, images, (request.width, request.height), request.init_image, keep)
        return [EngineResult(image=image, seed=seed) for image, seed in zip(images, seeds, strict=True)]

    def _prepare_edit(self, request: EngineRequest, width: int, height: int) -> _Edit:
        """Choose the task (inpaint or img2img) the loaded family supports and prepare its inputs."""
        init = request.init_image
        assert init is not None
        if request.reference_images:
            log.info("diffusers engine: %d further input image(s) not used; editing the first", len(request.reference_images))
        variation = request.mode == "variation"
        keep = None if variation else editing.keep_mask(init, request.mask)
        task = "img2img" if keep is None else "inpaint"
        if task == "inpaint" and self._derive("inpaint") is None:
            log.info("%s has no inpainting variant: running the masked edit as img2img", self.model_name)
            task = "img2img"
        if task == "img2img" and self._derive("img2img") is None:
            what = "variations" if variation else "image edits"
            raise InvalidRequestError(
                f"This model ({self.model_name}) does not support {what}: its pipeline family has no image-to-image variant.",
                param="image", code="unsupported_edit",
            )
        scaled = init if init.size == (width, height) else init.resize((width, height), Image.Resampling.LANCZOS)
        image = editing.fill_transparent(scaled)
        if task == "inpaint":
            assert keep is not None
            return _Edit("inpaint", self.config.inpaint_strength, image, editing.repaint_mask(keep, (width, height)), keep)
        strength = self.config.variation_strength if variation else self.config.edit_strength
        return _Edit("img2img", strength, image, None, keep)

    def _derive(self, task: str, pipe: Any = None, lane: int = 0) -> tuple[Any, set[str]] | None:
        """(pipeline, call parameters) for `task` ("text", "img2img", "inpaint") built on worker
        `lane`'s view of the loaded pipeline, cached until it is unloaded; None when its family
        has no such variant."""
        pipe = pipe if pipe is not None else self._pipe
        if pipe is None:  # unloaded since: load again (rare; the memory pool made room)
            with self._lock:
                pipe = self._ensure_loaded()
        views = self._views if pipe is self._pipe else [pipe]
        base = views[lane] if lane < len(views) else pipe
        if task == "text":
            return base, self._call_params
        with self._derived_lock:
            cache = self._derived if lane == 0 else self._lane_derived.setdefault(lane, {})
            if task not in cache:
                derived = pipelines.derive_pipeline(self._diffusers, base, task)
                entry = (derived, pipelines.call_parameters(derived)) if derived is not None else None
                if pipe is not self._pipe:
                    return entry  # unloaded meanwhile: do not keep its modules alive
                cache[task] = entry
            return cache[task]

    def _call_kwargs(self, prompts: list[str], generators: list[Any], width: int, height: int, steps: int, negative: str | None, params: set[str] | None = None) -> dict[str, Any]:
        params = self._call_params if params is None else params
        kwargs: dict[str, Any] = {
            "prompt": prompts,
            "height": height,
            "width": width,
            "num_inference_steps": steps,
            "generator": generators,
            "output_type": "pil",
        }
        if "guidance_scale" in params:
            kwargs["guidance_scale"] = self.config.guidance
        if negative and "negative_prompt" in params:
            kwargs["negative_prompt"] = [negative] * len(prompts)
        if params is self._call_params:
            kwargs.update(self.config.call_options)
        else:  # a derived pipeline: only the options it takes (img2img has no `denoising_end`, ...)
            kwargs.update({k: v for k, v in self.config.call_options.items() if k in params})
        return kwargs

    def _run_batch(self, batch: Batch) -> list[list[Image.Image] | None]:
        """One pipeline call for the jobs of `batch` still wanted, in worker `batch.lane`'s
        thread; images per job, None for a job cancelled (through its token) before the call."""
        for job in batch.jobs:
            token = job.payload.cancel
            if token is not None and token.cancelled:
                job.cancelled = True  # DELETE or a revoked key while it waited: it does not run
        jobs = [job for job in batch.jobs if not job.cancelled]
        if not jobs:
            return [None] * len(batch.jobs)
        with self._lock:
            pipe = self._ensure_loaded()
            self._busy += 1
        try:
            self._limit_threads()
            if self._pool is not None:
                self._pool.touch(self)
            images = self._call(pipe, batch, jobs)
        finally:
            with self._lock:
                self._busy -= 1
                self._idle.notify_all()
        out: dict[int, list[Image.Image]] = {}
        start = 0
        for job in jobs:
            out[id(job)] = list(images[start : start + job.size])
            start += job.size
        return [out.get(id(job)) for job in batch.jobs]

    def _call(self, pipe: Any, batch: Batch, jobs: list[Job]) -> list[Image.Image]:
        """One call of worker `batch.lane`'s pipeline for the task of `batch`; the images of `jobs`, in order."""
        task, width, height, steps, _, negative, strength = batch.key
        derived = self._derive(task, pipe, batch.lane)
        if derived is None:  # checked when the request came in; only a reload could change it
            raise InvalidRequestError("This model's pipeline has no image-to-image variant.", param="image", code="unsupported_edit")
        runner, params = derived
        works: list[_Work] = [job.payload for job in jobs]
        torch = self._torch
        kwargs = self._call_kwargs(
            [w.prompt for w in works for _ in w.seeds],
            [torch.Generator("cpu").manual_seed(seed) for w in works for seed in w.seeds],
            width, height, steps, negative, params,
        )
        if task != "text":
            kwargs["image"] = [w.edit.image for w in works for _ in w.seeds]
            kwargs["strength"] = strength
            kwargs["num_inference_steps"] = editing.call_steps(steps, strength)
            if task == "inpaint":
                kwargs["mask_image"] = [w.edit.mask for w in works for _ in w.seeds]
        if "callback_on_step_end" in params:
            kwargs["callback_on_step_end"] = self._step_callback(batch, jobs, width, height, steps)
        images = runner(**kwargs).images
        with self._lock:
            self.pipeline_calls += 1
            if batch.interrupted:
                self.interrupted += 1
        return images

    def _step_callback(self, batch: Batch, jobs: list[Job], width: int, height: int, steps: int) -> Callable[..., dict]:
        def on_step_end(pipe: Any, i: int, t: Any, tensors: dict[str, Any]) -> dict[str, Any]:
            for job in jobs:
                token = job.payload.cancel
                if token is not None and token.cancelled:
                    job.cancelled = True  # cancelled through its token (DELETE, a revoked key)
            if jobs and all(job.cancelled for job in jobs):
                batch.interrupted = True
            if batch.interrupted:
                pipe._interrupt = True  # every request of the batch went away: stop denoising
                return tensors
            total = int(getattr(pipe, "_num_timesteps", None) or steps)
            step = i + 1
            offset = 0
            for job in jobs:
                work: _Work = job.payload
                if not job.cancelled and work.on_progress is not None:
                    if step in work.previews and "latents" in tensors:
                        for k in range(job.size):  # a partial image for every image of the request
                            preview = self._preview(pipe, tensors["latents"][offset + k : offset + k + 1], height, width)
                            _report(work.on_progress, Progress(step=step, total=total, index=work.first_index + k, preview=preview))
                    else:
                        _report(work.on_progress, Progress(step=step, total=total))
                offset += job.size
            return tensors

        return on_step_end

    def _preview(self, pipe: Any, latents: Any, height: int, width: int) -> Image.Image | None:
        try:
            return pipelines.decode_preview(pipe, latents, height, width)
        except Exception:  # a preview is a nicety; never fail the batch for it
            log.exception("preview decode failed for %s", self.model_name)
            return None


def _report(callback: ProgressCallback, progress: Progress) -> None:
    try:
        callback(progress)
    except Exception:  # one listener's bug must not break the other requests of the batch
        log.exception("progress callback failed")


def _finish(images: list[Image.Image], size: tuple[int, int], init: Image.Image | None, keep: Image.Image | None) -> list[Image.Image]:
    """Resize to the requested size with Lanczos (see the module docstring), then put the kept
    area of an edit's input back."""
    images = [image if image.size == size else image.resize(size, Image.Resampling.LANCZOS) for image in images]
    if init is not None and keep is not None:
        images = [editing.composite_kept(image, init, keep) for image in images]
    return images
