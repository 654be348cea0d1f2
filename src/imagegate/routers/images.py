"""/v1/images/*: OpenAI's image endpoints (and the cost estimate extension)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from imagegate.routers.common import authenticate, context, json_body, new_call
from imagegate.services.accounts import Principal
from imagegate.services.images import Call, ImageService, Work
from imagegate.services.streaming import open_stream

router = APIRouter(tags=["images"])


async def generate(request: Request, model_override: str | None = None, principal: Principal | None = None) -> Response:
    """Shared by the OpenAI and Azure routes: JSON, or SSE when `stream` is true."""
    principal = principal or await authenticate(request)
    service = context(request).images
    work = await service.prepare(service.parse(await json_body(request), model_override))
    return await respond(service, work, new_call(request, principal))


async def respond(service: ImageService, work: Work, call: Call, prefix: str = "image_generation") -> Response:
    """Run prepared work as JSON, or as SSE when the request asked to stream."""
    if work.req.stream:
        frames = await open_stream(service, work, call, prefix)
        return StreamingResponse(frames, media_type="text/event-stream", headers=call.headers)
    result = await service.run(work, call)
    return JSONResponse(result, headers=call.headers)


@router.post("/images/generations")
async def create_image(request: Request) -> Response:
    """Create images from a prompt."""
    return await generate(request)


@router.post("/images/estimate")
async def estimate_image(request: Request) -> dict:
    """Tokens and cost of a generation request, without making an image (extension)."""
    await authenticate(request)
    service = context(request).images
    return await service.estimate(await service.prepare(service.parse(await json_body(request))))
