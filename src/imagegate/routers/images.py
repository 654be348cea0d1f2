"""/v1/images/*: OpenAI's image endpoints (and the cost estimate extension)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from imagegate.routers.common import authenticate, base_url, context, json_body, new_call, unless_disconnected
from imagegate.services.accounts import Principal
from imagegate.services.images import Call, ImageService, Work
from imagegate.services.streaming import open_stream

router = APIRouter(tags=["images"])


async def generate(request: Request, model_override: str | None = None, principal: Principal | None = None) -> Response:
    """Shared by the OpenAI and Azure routes: JSON, or SSE when `stream` is true."""
    principal = principal or await authenticate(request)
    service = context(request).images
    body = await json_body(request)
    if prefers_async(request):
        return await submit_job(request, principal, "generation", body, model_override=model_override)
    call = new_call(request, principal)
    work = await service.prepare(service.parse(body, model_override), call.request_id)
    return await respond(request, service, work, call)


def prefers_async(request: Request) -> bool:
    """`Prefer: respond-async` (RFC 7240) asks for a job instead of waiting."""
    return "respond-async" in request.headers.get("prefer", "").lower()


async def submit_job(request: Request, principal: Principal, operation: str, body, files=(), mask=None, model_override: str | None = None) -> Response:
    """202 with the job; poll `GET /v1/images/jobs/{id}` (the job service validates first)."""
    job = await context(request).jobs.submit(principal, operation, body, list(files), mask, model_override, base_url(request))
    location = f"{str(request.base_url).rstrip('/')}/v1/images/jobs/{job['id']}"
    return JSONResponse(job, status_code=202, headers={"Location": location, "Preference-Applied": "respond-async"})


@router.get("/images/jobs/{job_id}")
async def retrieve_job(job_id: str, request: Request) -> dict:
    """A job's status, progress and, when done, its result (extension)."""
    return await context(request).jobs.get(job_id, await authenticate(request))


@router.delete("/images/jobs/{job_id}")
async def cancel_job(job_id: str, request: Request) -> dict:
    """Cancel a queued or running job (extension)."""
    return await context(request).jobs.cancel(job_id, await authenticate(request))


async def respond(request: Request, service: ImageService, work: Work, call: Call, prefix: str = "image_generation") -> Response:
    """Run prepared work as JSON, or as SSE when the request asked to stream."""
    if work.req.stream:
        frames = await open_stream(service, work, call, prefix)
        return StreamingResponse(frames, media_type="text/event-stream", headers=call.headers)
    result = await unless_disconnected(request, service.run(work, call))
    if result is None:  # nobody is listening any more
        return Response(status_code=499)
    return JSONResponse(result, headers=call.headers)


@router.post("/images/generations")
async def create_image(request: Request) -> Response:
    """Create images from a prompt."""
    return await generate(request)


@router.post("/images/estimate")
async def estimate_image(request: Request) -> dict:
    """Tokens and cost of a generation request, without making an image (extension)."""
    call = new_call(request, await authenticate(request))
    service = context(request).images
    return await service.estimate(await service.prepare(service.parse(await json_body(request)), call.request_id))
