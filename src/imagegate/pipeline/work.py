"""The objects a request becomes on its way through the pipeline.

`Call` says who asked (filled by the HTTP layer, the CLI or a job); `Ticket` is an admitted
request: its budget hold, its cancel token; `Work` is the prepared request (validated, screened,
planned, sized) ready for its engine; `Done` is what came out.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from imagegate.accounts.metering import PARTIAL_IMAGE_TOKENS, Usage, output_tokens
from imagegate.accounts.service import Admission, Principal
from imagegate.ids import new_request_id
from imagegate.engines.base import CancelToken, EngineRequest
from imagegate.pipeline.validation import ResolvedRequest
from imagegate.plan import Plan
from imagegate.research.search import Research


T = TypeVar("T")


async def in_thread(fn: Callable[..., T], *args: Any) -> T:
    """`fn(*args)` in the event loop's default thread pool: the lean hop (one executor future,
    no task-group bookkeeping) for pure CPU work. If the caller is cancelled meanwhile, the
    work still finishes in its thread and its result is dropped: use it for work that needs
    nothing undone when that happens (planning, drawing, encoding), never for money."""
    return await asyncio.get_running_loop().run_in_executor(None, functools.partial(fn, *args))


def on_loop_thread(loop: asyncio.AbstractEventLoop) -> bool:
    """Whether the caller runs on `loop`'s own thread (else: an engine's worker thread)."""
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


@dataclass
class Call:
    """Who asked and how to answer."""

    principal: Principal = field(default_factory=Principal)
    request_id: str = field(default_factory=new_request_id)
    base_url: str = "http://localhost"
    headers: dict[str, str] = field(default_factory=dict)  # response headers the pipeline adds


@dataclass
class Ticket:
    """An admitted request: the hold on its key's budget (owned by the request or job id) and
    the token that cancels its work."""

    call: Call
    admission: Admission
    cancel: CancelToken = field(default_factory=CancelToken)

    @property
    def owner(self) -> str:
        return self.admission.owner

    @property
    def key_pk(self) -> int | None:
        return self.call.principal.key_pk


def share(total: int, i: int, n: int) -> int:
    """Part `i` of `total` split as evenly as integers allow over `n` parts."""
    return total // n + (1 if i < total % n else 0)


def split_usage(usage: Usage, n: int) -> list[Usage]:
    """`usage` split over `n` images, every count shared evenly; the parts add up to it."""
    n = max(1, n)
    return [
        Usage(text_tokens=share(usage.text_tokens, i, n), image_tokens=share(usage.image_tokens, i, n),
              cached_image_tokens=share(usage.cached_image_tokens, i, n), output_tokens=share(usage.output_tokens, i, n))
        for i in range(n)
    ]


@dataclass(frozen=True)
class Work:
    """A validated request, screened, planned and sized, ready for its engine."""

    req: ResolvedRequest
    plan: Plan
    size: tuple[int, int]
    engine_request: EngineRequest
    input_usage: Usage  # text and input-image tokens
    operation: str = "generation"
    input_hashes: tuple[str, ...] = ()  # input images, remembered for cached-input billing
    research: Research | None = None  # web-search grounding, when the prompt asked for it

    @property
    def size_str(self) -> str:
        return f"{self.size[0]}x{self.size[1]}"

    def usage(self, partial_images: int = 0) -> Usage:
        """Input tokens plus output image tokens (and +100 per streamed partial image)."""
        per_image = output_tokens(self.req.spec, self.size[0], self.size[1], self.req.quality)
        return dataclasses.replace(self.input_usage, output_tokens=self.req.n * per_image + partial_images * PARTIAL_IMAGE_TOKENS)

    def image_usages(self, partials: list[int]) -> list[Usage]:
        """Each image's share of the request's usage (its output and partial images, and an even
        share of the input tokens); they add up to `usage(sum(partials))`."""
        n = self.req.n
        per_image = output_tokens(self.req.spec, self.size[0], self.size[1], self.req.quality)
        inp = self.input_usage
        return [
            Usage(
                text_tokens=share(inp.text_tokens, i, n), image_tokens=share(inp.image_tokens, i, n),
                cached_image_tokens=share(inp.cached_image_tokens, i, n),
                output_tokens=per_image + partials[i] * PARTIAL_IMAGE_TOKENS,
            )
            for i in range(n)
        ]


@dataclass(frozen=True)
class GeneratedImage:
    """One finished image: encoded bytes and where it is stored (if it is)."""

    data: bytes
    seed: int
    name: str | None = None


@dataclass(frozen=True)
class Done:
    """A finished request: its images, what it used in all, and each image's share."""

    work: Work
    images: list[GeneratedImage]
    usage: Usage
    image_usages: list[Usage]
