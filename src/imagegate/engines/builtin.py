"""The built-in CPU renderer as an engine: no weights, deterministic per (plan, seed, size, quality).

The pipeline hands it the request's plan; driven from a script without one, it draws the bare
prompt (`Plan(prompt=...)`): pass `plan=RulePlanner().plan(prompt)` for the planned scene.
"""

from __future__ import annotations

from typing import Any

from PIL import Image

from imagegate.engines._builtin_edit import render_edit, render_variation
from imagegate.engines.base import (
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
from imagegate.render.scene import TOTAL_STEPS, render_plan


class BuiltinEngine:
    """Renders the request's plan with `render.scene`, one image after another in a worker
    thread; the cancel token is checked between stages and between images.

    Option `keep_freed_memory` (default true): raise glibc's malloc thresholds for the process
    (`render._malloc`), so renders reuse freed buffers instead of page-faulting fresh ones
    (about a quarter of a 1024x1024 image's CPU otherwise); false keeps glibc's defaults and a
    smaller resident size between bursts.
    """

    name = "builtin"
    # draws the plan's text itself; stylised shapes plus the (already screened) prompt's own text
    capabilities = EngineCapabilities(draws_text=True, moderates_outputs=True, supports_previews=True, cancellable=True)

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        self.options = dict(options or {})
        if self.options.get("keep_freed_memory", True):
            keep_freed_memory()

    def status(self) -> str:
        return "ready"

    async def generate(self, request: EngineRequest, on_progress: ProgressCallback | None = None) -> list[EngineResult]:
        return await run_cancellable(self._generate_sync, request, on_progress, cancel=request.cancel)

    def _generate_sync(self, request: EngineRequest, on_progress: ProgressCallback | None) -> list[EngineResult]:
        plan = request.plan or Plan(prompt=request.prompt)
        results = []
        for i in range(request.n):
            request.check_cancelled()
            seed = request.seed + i

            def report(step: int, total: int, preview: Image.Image | None = None, index: int = i) -> None:
                request.check_cancelled()  # between stages: a cancelled render stops here
                if on_progress is not None:
                    on_progress(Progress(step=step, total=total, index=index, preview=preview))

            results.append(EngineResult(image=self._render_one(request, plan, seed, report), seed=seed))
        return results

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
        return None
