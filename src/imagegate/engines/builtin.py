"""The built-in CPU renderer as an engine: no weights, deterministic per (prompt, seed, size, quality)."""

from __future__ import annotations

from typing import Any

import anyio
from PIL import Image

from imagegate.engines._builtin_edit import render_edit, render_variation
from imagegate.engines.base import EngineRequest, EngineResult, Progress, ProgressCallback
from imagegate.render.scene import render_plan
from imagegate.services.planner import RulePlanner


class BuiltinEngine:
    """Renders the request's plan (or a plan made from its prompt) with `render.scene`."""

    name = "builtin"
    draws_text = True  # the renderer sets the plan's text itself
    moderate_outputs = False  # stylised shapes and the (already screened) prompt's own text

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        self.options = dict(options or {})
        self._planner = RulePlanner()

    async def generate(self, request: EngineRequest, on_progress: ProgressCallback | None = None) -> list[EngineResult]:
        return await anyio.to_thread.run_sync(self._generate_sync, request, on_progress)

    def _generate_sync(self, request: EngineRequest, on_progress: ProgressCallback | None) -> list[EngineResult]:
        plan = request.plan or self._planner.plan(request.prompt)
        results = []
        for i in range(request.n):
            seed = request.seed + i

            def report(step: int, total: int, preview=None, index: int = i) -> None:
                on_progress(Progress(step=step, total=total, index=index, preview=preview))

            image = self._render_one(request, plan, seed, report if on_progress is not None else None)
            results.append(EngineResult(image=image, seed=seed))
        return results

    @staticmethod
    def _render_one(request: EngineRequest, plan, seed: int, report) -> Image.Image:
        previews = bool(request.options.get("previews")) and report is not None
        if request.mode == "variation" and request.init_image is not None:
            image = render_variation(request.init_image, seed)
            if report is not None:
                report(1, 1)
            return image
        if request.mode == "edit" and request.init_image is not None:
            return render_edit(plan, request.init_image, request.mask, request.reference_images, seed, request.quality, request.transparent, report)
        return render_plan(
            plan, request.width, request.height, seed, transparent=request.transparent, quality=request.quality,
            on_progress=report, previews=previews,
        )

    async def close(self) -> None:
        return None
