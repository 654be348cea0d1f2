"""The engine interface: a frozen request in, images and progress events out.

Engines never see HTTP or wire models. They can be driven from a script:

    engine = BuiltinEngine({})
    results = await engine.generate(EngineRequest(prompt="a red apple", width=512, height=512))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from PIL import Image

from imagegate.plan import Plan


@dataclass(frozen=True)
class EngineRequest:
    """Everything an engine needs to make images, already validated and resolved."""

    prompt: str
    width: int = 1024
    height: int = 1024
    n: int = 1
    seed: int = 0  # image i uses seed + i
    quality: str = "medium"  # low | medium | high
    transparent: bool = False
    plan: Plan | None = None
    steps: int | None = None
    mode: str = "generate"  # generate | edit | variation
    init_image: Image.Image | None = None  # edit/variation input, already at width x height
    mask: Image.Image | None = None  # "L", width x height: 255 keep, 0 may change (edits)
    reference_images: tuple[Image.Image, ...] = ()  # further edit inputs (image[] 2..16)
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class EngineResult:
    """One generated image (RGB or RGBA) and the seed that made it."""

    image: Image.Image
    seed: int


@dataclass(frozen=True)
class Progress:
    """How far an engine has got: step of total for image `index` (None for all)."""

    step: int
    total: int
    index: int | None = None
    preview: Image.Image | None = None  # an intermediate state, when the engine has one


ProgressCallback = Callable[[Progress], None]


@runtime_checkable
class ImageEngine(Protocol):
    """What every engine implements; built-in and third-party engines alike."""

    name: str

    async def generate(
        self, request: EngineRequest, on_progress: ProgressCallback | None = None
    ) -> list[EngineResult]:
        """Make `request.n` images."""
        ...

    async def close(self) -> None:
        """Release models, threads and connections."""
        ...
