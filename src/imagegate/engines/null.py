"""A null engine: a flat image at once. For measuring the HTTP layer and for tests."""

from __future__ import annotations

import asyncio
from typing import Any

from PIL import Image

from imagegate.engines.base import EngineRequest, EngineResult, Progress, ProgressCallback


class NullEngine:
    """Returns solid images of the requested size; costs nothing but the allocation."""

    name = "null"
    moderate_outputs = False  # flat colour

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        self.color = tuple((options or {}).get("color", (128, 128, 128)))
        self.delay = float((options or {}).get("delay", 0.0))  # seconds, to stand in for a slow model

    async def generate(self, request: EngineRequest, on_progress: ProgressCallback | None = None) -> list[EngineResult]:
        steps = 10
        for step in range(steps if self.delay else 0):
            await asyncio.sleep(self.delay / steps)
            if on_progress is not None:
                on_progress(Progress(step=step + 1, total=steps))
        mode, color = ("RGBA", (0, 0, 0, 0)) if request.transparent else ("RGB", self.color)
        results = [EngineResult(Image.new(mode, (request.width, request.height), color), request.seed + i) for i in range(request.n)]
        if on_progress is not None:
            on_progress(Progress(step=1, total=1))
        return results

    async def close(self) -> None:
        return None
