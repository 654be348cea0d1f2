"""How results leave the pipeline: server-sent events as they happen (the JSON answer is
`Pipeline.response`; jobs have their own sink in `pipeline.jobs`).

The SSE sink runs the pipeline in a task and streams from a queue: each partial image is sent
when the engine produces it (encoded in a worker thread while the engine goes on), a comment
line keeps the connection alive through long work, and one `*.completed` event per image
carries that image's usage, so the events add up to the request's total. The `type` is inside
`data`, as the SDK dispatches on it.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import anyio
from PIL import Image

from imagegate.engines.base import Progress
from imagegate.errors import ImagegateError
from imagegate.pipeline.core import Pipeline
from imagegate.pipeline.work import Done, Ticket, Work, on_loop_thread
from imagegate.render.encode import encode_image

log = logging.getLogger("imagegate.streaming")

SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}  # and no proxy buffering
KEEP_ALIVE = b": keep-alive\n\n"
SERVER_ERROR = {"error": {"message": "The server had an error while processing your request.", "type": "server_error", "param": None, "code": None}}


def sse(event_type: str, payload: dict[str, Any]) -> bytes:
    """One SSE frame with the event name repeated as `type` inside the data."""
    return f"event: {event_type}\ndata: {json.dumps({'type': event_type, **payload})}\n\n".encode()


class CountingSink:
    """Takes previews from any thread and counts them per image, up to `partial_images` each."""

    def __init__(self, partial_images: int, n: int) -> None:
        self.partial_images = partial_images
        self._counts = [0] * n

    def accept(self, progress: Progress) -> int | None:
        """The preview's partial index for its image, or None when it is not wanted."""
        index = progress.index
        if progress.preview is None or index is None or not 0 <= index < len(self._counts):
            return None
        if self._counts[index] >= self.partial_images:
            return None
        self._counts[index] += 1
        return self._counts[index] - 1

    def partial_counts(self, n: int) -> list[int]:
        return list(self._counts[:n])


class SseSink(CountingSink):
    """Streams one request as server-sent events."""

    def __init__(self, work: Work, prefix: str = "image_generation", keep_alive: float = 15.0) -> None:
        super().__init__(work.req.partial_images, work.req.n)
        self.work = work
        self.prefix = prefix
        self.keep_alive = keep_alive
        self._loop = asyncio.get_running_loop()
        self._queue: asyncio.Queue[tuple[Any, ...]] = asyncio.Queue()

    def on_progress(self, progress: Progress) -> None:
        partial_index = self.accept(progress)
        if partial_index is not None:
            encoded = progress.encoded if progress.encoded_format == self.work.req.output_format else None
            self._put(("partial", progress.index, partial_index, progress.preview, encoded))

    def _put(self, item: tuple[Any, ...]) -> None:
        if on_loop_thread(self._loop):
            self._queue.put_nowait(item)
        else:  # an engine thread: hand the item to the event loop
            self._loop.call_soon_threadsafe(self._queue.put_nowait, item)

    def _common(self) -> dict[str, Any]:
        return Pipeline.echo(self.work)

    async def _partial(self, image_index: int, partial_index: int, preview: Image.Image, encoded: bytes | None = None) -> bytes:
        req = self.work.req
        size = self.work.size

        def encode() -> str:
            picture = preview if preview.size == size else preview.resize(size, Image.BILINEAR)  # native-size previews
            return base64.b64encode(encode_image(picture, req.output_format, req.output_compression)).decode()

        if encoded is not None:  # an upstream's partial image, relayed as it came
            b64 = base64.b64encode(encoded).decode()
        else:
            b64 = await anyio.to_thread.run_sync(encode)
        payload = {"b64_json": b64, "created_at": int(time.time()), "partial_image_index": partial_index, **self._common()}
        if req.n > 1:
            payload["image_index"] = image_index  # extension: which image this partial belongs to
        return sse(f"{self.prefix}.partial_image", payload)

    def _completed(self, done: Done, pipeline: Pipeline) -> list[bytes]:
        frames = []
        # extensions, as the non-streamed response has them: the revised prompt, the seed, the plan
        revised = pipeline.revised_prompt(done.work)
        plan = done.work.plan.to_dict() if done.work.req.include_plan else None
        for i, (image, usage) in enumerate(zip(done.images, done.image_usages, strict=True)):
            payload = {"b64_json": base64.b64encode(image.data).decode(), "created_at": int(time.time()), **self._common(), "usage": usage.to_wire()}
            if done.work.req.n > 1:
                payload["image_index"] = i
            if revised:
                payload["revised_prompt"] = revised
            if image.seed is not None:
                payload["seed"] = image.seed
            if plan is not None:
                payload["plan"] = plan
            frames.append(sse(f"{self.prefix}.completed", payload))
        return frames

    async def frames(self, pipeline: Pipeline, ticket: Ticket) -> AsyncIterator[bytes]:
        """The event stream: runs the work, yields partials as they come, then the results (or
        an error event). Cancelled when the client goes away: the work stops, the hold goes back."""
        task = asyncio.create_task(pipeline.execute(self.work, ticket, self))
        task.add_done_callback(lambda _: self._put(("done",)))
        try:
            while True:
                try:
                    item = await asyncio.wait_for(self._queue.get(), self.keep_alive)
                except TimeoutError:
                    yield KEEP_ALIVE
                    continue
                if item[0] == "done":
                    break
                yield await self._partial(*item[1:])
            for frame in self._outcome(task, pipeline):
                yield frame
        finally:
            with anyio.CancelScope(shield=True):
                if not task.done():
                    task.cancel()
                    ticket.cancel.cancel("the client went away")
                    await asyncio.gather(task, return_exceptions=True)
                await pipeline.close(ticket)

    def _outcome(self, task: asyncio.Task, pipeline: Pipeline) -> list[bytes]:
        if task.cancelled():
            return []
        exc = task.exception()
        if exc is None:
            return self._completed(task.result(), pipeline)
        if isinstance(exc, ImagegateError):
            return [sse("error", exc.to_body())]
        log.error("stream failed", exc_info=exc)  # the stream has started: report, don't drop it
        return [sse("error", SERVER_ERROR)]
