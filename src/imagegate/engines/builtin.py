"""The built-in CPU renderer as an engine: no weights, deterministic per (plan, seed, size, quality).

The pipeline hands it the request's plan; driven from a script without one, it draws the bare
prompt (`Plan(prompt=...)`): pass `plan=RulePlanner().plan(prompt)` for the planned scene.
"""

from __future__ import annotations

import io
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PIL import Image

from imagegate.engines._builtin_edit import render_edit, render_variation
from imagegate.engines.base import (
    EngineCancelled,
    EngineCapabilities,
    EngineRequest,
    EngineResult,
    Progress,
    ProgressCallback,
    preview_steps,
    run_cancellable,
)
from imagegate.plan import Plan
from imagegate.render._malloc import keep_freed_memory
from imagegate.render.pool import RenderPool, TaskCancelled, WorkerLost
from imagegate.render.scene import TOTAL_STEPS, render_plan

log = logging.getLogger("imagegate.engines")


def render_process_count(setting: Any, server_workers: int = 1) -> int:
    """Render processes for `render_processes` ("auto" or a count): auto is one per usable core,
    shared among the server's `server_workers` processes (none on a single core). The server
    process renders one image itself besides: the render processes wait on it now and then, and
    it on the event loop's work, so one more render than cores keeps them busy (on 2 cores, 4
    clients ran 1.73x one client with one render process and 1.90x with two)."""
    if setting in (None, "auto"):
        try:
            cores = len(os.sched_getaffinity(0))
        except AttributeError:  # pragma: no cover - not Linux
            cores = os.cpu_count() or 1
        count = cores // max(1, server_workers)
        return count if count > 1 or server_workers > 1 else 0
    count = int(setting)
    if count < 0:
        raise ValueError("render_processes must be 'auto' or a count >= 0")
    return count


class BuiltinEngine:
    """Renders the request's plan with `render.scene`, one image after another in a worker
    thread; the cancel token is checked between stages and between images.

    Concurrent generations: one renders in this process; each further one goes to a render
    process (`render.pool`), which encodes it too, so renders do not queue on the GIL. Options:

    - `render_processes` (default "auto": one per usable core, shared among the server's workers,
      none on one core; 0 renders everything in-process, in threads);
    - `render_process_idle_seconds` (default 60): a render process without work exits;
    - `keep_freed_memory` (default true): raise glibc's malloc thresholds for the process
      (`render._malloc`), so renders reuse freed buffers instead of page-faulting fresh ones
      (about a quarter of a 1024x1024 image's CPU otherwise); false keeps glibc's defaults and
      a smaller resident size between bursts.
    """

    name = "builtin"
    # draws the plan's text itself; stylised shapes plus the (already screened) prompt's own text
    capabilities = EngineCapabilities(draws_text=True, moderates_outputs=True, supports_previews=True, cancellable=True)

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        self.options = dict(options or {})
        if self.options.get("keep_freed_memory", True):
            keep_freed_memory()
        processes = render_process_count(self.options.get("render_processes", "auto"), int(self.options.get("server_workers", 1)))
        idle = float(self.options.get("render_process_idle_seconds", 60))
        self.pool = RenderPool(processes, idle_seconds=idle) if processes > 0 else None

    def status(self) -> str:
        return "ready"

    def details(self) -> dict[str, Any]:
        """For /health: how many render processes this worker may run and runs now (started on
        demand, gone after their idle timeout)."""
        pool = self.pool
        return {"render_processes": {"limit": pool.size if pool else 0, "running": pool.live if pool else 0}}

    async def generate(self, request: EngineRequest, on_progress: ProgressCallback | None = None) -> list[EngineResult]:
        return await run_cancellable(self._generate_sync, request, on_progress, cancel=request.cancel)

    def _generate_sync(self, request: EngineRequest, on_progress: ProgressCallback | None) -> list[EngineResult]:
        plan = request.plan or Plan(prompt=request.prompt)

        def reporter(index: int):
            def report(step: int, total: int, preview: Image.Image | None = None, encoded: bytes | None = None,
                       fmt: str | None = None) -> None:
                request.check_cancelled()  # between stages: a cancelled render stops here
                if on_progress is not None:
                    on_progress(Progress(step=step, total=total, index=index, preview=preview, encoded=encoded, encoded_format=fmt))
            return report

        if self.pool is not None and request.mode == "generate" and request.n > 1 and on_progress is None:
            # the images of one request side by side: here and in the render processes (not when
            # progress is reported: a stream's partial images keep their image order)
            with ThreadPoolExecutor(request.n, thread_name_prefix="imagegate-render") as images:
                futures = [images.submit(self._generate_one, request, plan, request.seed + i, reporter(i)) for i in range(request.n)]
                return [future.result() for future in futures]
        results = []
        for i in range(request.n):
            request.check_cancelled()
            results.append(self._generate_one(request, plan, request.seed + i, reporter(i)))
        return results

    def _generate_one(self, request: EngineRequest, plan: Plan, seed: int, report) -> EngineResult:
        """One image: here when nothing else renders here, else in a render process."""
        if self.pool is None or request.mode != "generate":
            return EngineResult(image=self._render_one(request, plan, seed, report), seed=seed)
        cancel = request.cancel
        worker = self.pool.slot((lambda: cancel.cancelled) if cancel is not None else (lambda: False))
        if worker is not None:
            try:
                return self._render_elsewhere(worker, request, plan, seed, report)
            except WorkerLost as exc:
                log.warning("a render process went away (%s); rendering in-process", exc)
                self.pool.enter()
        try:
            request.check_cancelled()  # cancelled while it waited for a slot
            return EngineResult(image=self._render_one(request, plan, seed, report), seed=seed)
        finally:
            self.pool.leave()

    def _render_elsewhere(self, worker, request: EngineRequest, plan: Plan, seed: int, report) -> EngineResult:
        fmt = request.wire.get("output_format") or "png"
        task = {"plan": plan, "width": request.width, "height": request.height, "seed": seed, "transparent": request.transparent,
                "quality": request.quality, "previews": preview_steps(TOTAL_STEPS, request.previews),
                "fmt": fmt, "compression": request.wire.get("output_compression")}

        def progress(step: int, total: int, data: bytes | None) -> None:
            report(step, total, Image.open(io.BytesIO(data)) if data is not None else None, encoded=data, fmt=fmt)

        cancel = request.cancel
        try:
            data = self.pool.run(worker, task, (lambda: cancel.cancelled) if cancel is not None else (lambda: False), progress)
        except TaskCancelled:
            raise EngineCancelled((cancel.reason if cancel is not None else None) or "cancelled") from None
        return EngineResult(image=Image.open(io.BytesIO(data)), seed=seed, encoded=data, encoded_format=fmt)

    @staticmethod
    def _render_one(request: EngineRequest, plan: Plan, seed: int, report) -> Image.Image:
        if request.mode == "variation" and request.init_image is not None:
            image = render_variation(request.init_image, seed)
            report(1, 1)
            return image
        if request.mode == "edit" and request.init_image is not None:
            wanted = preview_steps(3, request.previews)
            return render_edit(plan, request.init_image, request.mask, request.reference_images, seed, request.quality, request.transparent,
                               lambda step, total, preview=None: report(step, total, preview if step in wanted else None))
        return render_plan(
            plan, request.width, request.height, seed, transparent=request.transparent, quality=request.quality,
            on_progress=report, previews=preview_steps(TOTAL_STEPS, request.previews),
        )

    async def load(self, on_progress: ProgressCallback | None = None) -> None:
        """Nothing to load."""

    async def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
