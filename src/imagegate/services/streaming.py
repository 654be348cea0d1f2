"""Server-sent events for `stream=true`: partial images from real intermediate states, then
one `*.completed` event per image. The `type` is inside `data`, as the SDK dispatches on it."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

from PIL import Image

from imagegate.engines.base import Progress
from imagegate.errors import ImagegateError
from imagegate.render.encode import encode_image
from imagegate.services.accounts import Admission
from imagegate.services.images import Call, ImageService, Work

log = logging.getLogger("imagegate.streaming")


def sse(event_type: str, payload: dict[str, Any]) -> bytes:
    """One SSE frame with the event name repeated as `type` inside the data."""
    return f"event: {event_type}\ndata: {json.dumps({'type': event_type, **payload})}\n\n".encode()


def _pick(previews: list[Progress], count: int) -> list[Progress]:
    """Up to `count` previews spread over the run, the latest one last."""
    if count <= 0 or not previews:
        return []
    if len(previews) <= count:
        return previews
    step = len(previews) / count
    return [previews[min(len(previews) - 1, int(step * (i + 1)) - 1)] for i in range(count)]


async def open_stream(service: ImageService, work: Work, call: Call, prefix: str = "image_generation") -> AsyncIterator[bytes]:
    """Admit `work` (rate limits, budget: plain HTTP errors) and return its SSE frames."""
    estimate = work.usage(partial_images=work.req.partial_images)
    admission = await service.accounts.open(call.principal, work.req.spec, estimate, work.req.n)
    call.headers.update(admission.headers)
    return _frames(service, work, call, admission, prefix)


async def _frames(service: ImageService, work: Work, call: Call, admission: Admission, prefix: str) -> AsyncIterator[bytes]:
    try:
        async for frame in _events(service, work, call, admission, prefix):
            yield frame
    finally:  # also when the client disconnects: the unused reservation goes back
        await service.accounts.close(admission)


async def _events(service: ImageService, work: Work, call: Call, admission: Admission, prefix: str) -> AsyncIterator[bytes]:
    req, plan, size = work.req, work.plan, work.size
    try:
        common = {
            "size": f"{size[0]}x{size[1]}",
            "quality": req.quality,
            "background": service.background(req, plan),
            "output_format": req.output_format,
        }
        previews: list[Progress] = []

        def on_progress(p: Progress) -> None:
            if p.preview is not None and (p.index or 0) == 0 and p.step < p.total:
                previews.append(p)

        engine_request = dataclasses.replace(work.engine_request, options={**work.engine_request.options, "previews": req.partial_images})
        results = await service.generate(dataclasses.replace(work, engine_request=engine_request), on_progress, call.request_id)
        partials = _pick(previews, req.partial_images)
        for index, p in enumerate(partials):
            preview = p.preview if p.preview.size == size else p.preview.resize(size, Image.BILINEAR)  # native-size previews
            data = await asyncio.to_thread(encode_image, preview, req.output_format, req.output_compression)
            yield sse(f"{prefix}.partial_image", {"b64_json": base64.b64encode(data).decode(), "created_at": int(time.time()), "partial_image_index": index, **common})
        usage = work.usage(partial_images=len(partials))
        images = await service.encode_and_store(req, results)
        await service.settle(work, admission, service.charge(work, usage, call))
        for image in images:
            yield sse(f"{prefix}.completed", {"b64_json": base64.b64encode(image.data).decode(), "created_at": int(time.time()), "usage": usage.to_wire(), **common})
    except ImagegateError as exc:
        yield sse("error", exc.to_body())
    except Exception:  # noqa: BLE001 - the stream has started: report, don't drop the connection
        log.exception("stream failed")
        yield sse("error", {"error": {"message": "The server had an error while processing your request.", "type": "server_error", "param": None, "code": None}})
