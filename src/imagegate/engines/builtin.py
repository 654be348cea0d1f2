"""The built-in CPU renderer as an engine: no weights, deterministic per (prompt, seed, size, quality)."""

from __future__ import annotations

from typing import Any

import anyio

from imagegate.engines.base import EngineRequest, EngineResult, Progress, ProgressCallback
from imagegate.render.scene import render_plan
from imagegate.services.planner import RulePlanner


class BuiltinEngine:
    """Renders the request's plan (or a plan made from its prompt) with `render.scene`."""

    name = "builtin"

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
                if on_progress is not None:
                    on_progress(Progress(step=step, total=total, index=index, preview=preview))

            image = render_plan(
                plan,
                request.width,
                request.height,
                seed,
                transparent=request.transparent,
                quality=request.quality,
                on_progress=report,
            )
            results.append(EngineResult(image=image, seed=seed))
        return results

    async def close(self) -> None:
        return None
