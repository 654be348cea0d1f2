"""A null engine: flat images at once, or slowly in steps. For measuring the HTTP layer and for
tests, where its step counter and previews make streaming order, cancellation and concurrency
observable without timing anything."""

from __future__ import annotations

import asyncio
import functools
from typing import Any

from PIL import Image

from imagegate.engines.base import EngineCapabilities, EngineRequest, EngineResult, Progress, ProgressCallback, preview_steps


@functools.lru_cache(maxsize=16)
def flat_image(mode: str, size: tuple[int, int], color: tuple[int, ...]) -> Image.Image:
    """One solid image per (mode, size, colour), shared: the pipeline never draws on an
    engine's result in place (the text overlay draws on a copy)."""
    return Image.new(mode, size, color)


class NullEngine:
    """Solid images of the requested size. Options: `color`, `delay` (seconds per image, spread
    over `steps` steps; 0 = at once)."""

    name = "null"
    capabilities = EngineCapabilities(moderates_outputs=True, supports_previews=True, cancellable=True)  # flat colour

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        options = options or {}
        self.color = tuple(options.get("color", (128, 128, 128)))
        self.delay = float(options.get("delay", 0.0))
        self.steps = max(1, int(options.get("steps", 10)))
        self.steps_run = 0  # every step taken, by every request: stops growing once work is cancelled
        self.running = 0  # requests inside generate now
        self.peak_running = 0

    def status(self) -> str:
        return "ready"

    async def generate(self, request: EngineRequest, on_progress: ProgressCallback | None = None) -> list[EngineResult]:
        self.running += 1
        self.peak_running = max(self.peak_running, self.running)
        try:
            return await self._generate(request, on_progress)
        finally:
            self.running -= 1

    async def _generate(self, request: EngineRequest, on_progress: ProgressCallback | None) -> list[EngineResult]:
        mode, color = ("RGBA", (0, 0, 0, 0)) if request.transparent else ("RGB", self.color)
        size = (request.width, request.height)
        wanted = preview_steps(self.steps, request.previews) if self.delay else frozenset()
        results = []
        for i in range(request.n):
            for step in range(1, self.steps + 1 if self.delay else 1):
                request.check_cancelled()
                await asyncio.sleep(self.delay / self.steps)
                self.steps_run += 1
                if on_progress is not None:
                    shade = tuple(int(c * step / self.steps) for c in color)
                    preview = Image.new(mode, size, shade) if step in wanted else None
                    on_progress(Progress(step=step, total=self.steps, index=i, preview=preview))
            results.append(EngineResult(flat_image(mode, size, color), request.seed + i))
        if on_progress is not None:
            on_progress(Progress(step=1, total=1))
        return results

    async def load(self, on_progress: ProgressCallback | None = None) -> None:
        """Nothing to load."""

    async def close(self) -> None:
        return None
