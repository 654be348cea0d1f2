"""The engine interface: a frozen request in, images and progress events out.

Engines never see HTTP or wire models; they import only `plan` and `render`. They can be driven
from a script:

    engine = BuiltinEngine({})
    results = await engine.generate(EngineRequest(prompt="a red apple", width=512, height=512))

An engine announces what it can do with `EngineCapabilities`; the pipeline decides from them
which post-steps apply (text overlay, output screening) and whether to ask for previews.
Cancellation is cooperative: the pipeline sets `request.cancel`, and an engine that declares
`cancellable` stops at its next check with `EngineCancelled`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar, runtime_checkable

import anyio
from PIL import Image

from imagegate.plan import Plan

T = TypeVar("T")


class EngineCancelled(Exception):
    """Raised inside an engine when its request's cancel token was set."""


class CancelToken:
    """Set once, from any thread, when nobody wants the work any more (disconnect, DELETE, a
    revoked key). Engines check it between stages."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.reason: str | None = None

    def cancel(self, reason: str = "cancelled") -> None:
        """Ask the work to stop; the first reason given is kept."""
        if self.reason is None:
            self.reason = reason
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise `EngineCancelled` if the work was cancelled."""
        if self._event.is_set():
            raise EngineCancelled(self.reason or "cancelled")


@dataclass(frozen=True)
class EngineCapabilities:
    """What an engine does itself, so the pipeline knows what is left to do."""

    draws_text: bool = False  # sets the plan's exact text itself (else the pipeline overlays it)
    moderates_outputs: bool = False  # its outputs need no screening by the pipeline
    supports_previews: bool = False  # reports intermediate images (streamed as partial images)
    cancellable: bool = False  # stops promptly once `request.cancel` is set
    forwards_uploads: bool = False  # edits use only `input_files`/`mask_file` as sent: the pipeline decodes nothing


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
    engine_prompt: str | None = None  # the planned prompt, for engines that read text (None: `prompt`)
    steps: int | None = None
    mode: str = "generate"  # generate | edit | variation
    init_image: Image.Image | None = None  # edit/variation input, already at width x height
    mask: Image.Image | None = None  # "L", width x height: 255 keep, 0 may change (edits)
    reference_images: tuple[Image.Image, ...] = ()  # further edit inputs (image[] 2..16)
    previews: int = 0  # intermediate images wanted per output image (0-3)
    cancel: CancelToken | None = field(default=None, compare=False)
    # for engines that forward the request (upstream APIs): the client's own wire-level choices
    # (output_format, output_compression, background, moderation, user, input_fidelity) and the
    # uploads as sent, undecoded
    wire: dict[str, Any] = field(default_factory=dict, compare=False)
    input_files: tuple[bytes, ...] = field(default=(), compare=False)
    mask_file: bytes | None = field(default=None, compare=False)

    @property
    def text_prompt(self) -> str:
        """The prompt a text-reading engine should draw from."""
        return self.engine_prompt or self.prompt

    def check_cancelled(self) -> None:
        """Raise `EngineCancelled` when the request was cancelled."""
        if self.cancel is not None:
            self.cancel.check()


@dataclass(frozen=True)
class EngineResult:
    """One generated image (RGB or RGBA) and the seed that made it; `encoded` when the engine
    received it already encoded (an upstream API): sent as is when `encoded_format` is the one
    asked for."""

    image: Image.Image
    seed: int
    encoded: bytes | None = None
    encoded_format: str | None = None


class EngineResults(list):
    """An engine's results with what it learned making them: the upstream's `usage` object
    (None: the pipeline meters the request itself), which backend served, and whether that
    backend drew the text and screened its outputs (None: as the engine's capabilities say)."""

    usage: dict[str, Any] | None = None
    backend: str | None = None
    draws_text: bool | None = None
    moderates_outputs: bool | None = None


@dataclass(frozen=True)
class Progress:
    """How far an engine has got: step of total for image `index` (None for all)."""

    step: int
    total: int
    index: int | None = None
    preview: Image.Image | None = None  # an intermediate state, when the engine has one
    encoded: bytes | None = None  # the preview already encoded (an upstream's partial image)
    encoded_format: str | None = None


ProgressCallback = Callable[[Progress], None]


def preview_steps(total: int, count: int) -> frozenset[int]:
    """Up to `count` (at most 3) steps spread over 1..total-1, the last of them included: a
    partial image is never the final one."""
    candidates = list(range(1, total))
    count = min(count, 3, len(candidates))
    if count <= 0:
        return frozenset()
    return frozenset(candidates[int((i + 1) * len(candidates) / count) - 1] for i in range(count))


async def run_cancellable(fn: Callable[..., T], *args: Any, cancel: CancelToken | None) -> T:
    """`fn(*args)` in a worker thread. If the caller is cancelled meanwhile, the token is set so
    the thread stops at its next check, and the caller returns at once instead of waiting."""
    try:
        return await anyio.to_thread.run_sync(fn, *args, abandon_on_cancel=True)
    except anyio.get_cancelled_exc_class():
        if cancel is not None:
            cancel.cancel("the caller went away")
        raise


@runtime_checkable
class ImageEngine(Protocol):
    """What every engine implements; built-in and third-party engines alike."""

    name: str
    capabilities: EngineCapabilities

    async def generate(self, request: EngineRequest, on_progress: ProgressCallback | None = None) -> list[EngineResult]:
        """Make `request.n` images."""
        ...

    def status(self) -> str:
        """"idle", "loading" or "ready"."""
        ...

    async def load(self, on_progress: ProgressCallback | None = None) -> None:
        """Get ready to serve (load weights); a no-op for engines with nothing to load."""
        ...

    async def close(self) -> None:
        """Release models, threads and connections."""
        ...
