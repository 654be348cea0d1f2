"""/v1/images/*: OpenAI's image endpoints (and the cost estimate and job extensions).

Every route reads the same way: authenticate -> validate -> admit (rate limits, budget hold) ->
prepare -> hand over to a sink (JSON, SSE or a job). Nothing expensive runs before admission.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from imagegate.accounts.service import Principal
from imagegate.api.common import HEAVY_BODY, authenticate, context, json_body, json_response, new_call, unless_disconnected
from imagegate.pipeline.jobs import Submission
from imagegate.pipeline.sinks import SSE_HEADERS, SseSink
from imagegate.pipeline.work import Call, Ticket, Work

router = APIRouter(tags=["images"])


def prefers_async(request: Request) -> bool:
    """`Prefer: respond-async` (RFC 7240) asks for a job instead of waiting."""
    return "respond-async" in request.headers.get("prefer", "").lower()


async def submit_job(request: Request, call: Call, submission: Submission) -> Response:
    """202 with the job; poll `GET /v1/images/jobs/{id}`. The job was admitted (rate limits,
    budget hold) and prepared (screened, planned) before this answer."""
    job = await context(request).jobs.submit(call, submission)
    location = f"{str(request.base_url).rstrip('/')}/v1/images/jobs/{job['id']}"
    return JSONResponse(job, status_code=202, headers={**call.headers, "Location": location, "Preference-Applied": "respond-async"})


async def respond(request: Request, ticket: Ticket, prepare: Callable[[], Awaitable[Work]], prefix: str) -> Response:
    """Prepare admitted work, then answer with JSON, or with SSE when the request streams.
    The ticket's hold is released on every path that does not settle it."""
    ctx = context(request)
    pipeline = ctx.pipeline
    handed_over = False
    try:
        work = await prepare()
        if work.req.stream:
            sink = SseSink(work, prefix, keep_alive=ctx.settings.stream_keepalive_seconds)
            response = StreamingResponse(sink.frames(pipeline, ticket), media_type="text/event-stream", headers={**ticket.call.headers, **SSE_HEADERS})
            handed_over = True  # the stream closes the ticket when it ends
            return response
        done = await unless_disconnected(request, pipeline.execute(work, ticket))
        if done is None:  # nobody is listening any more
            return Response(status_code=499)
        heavy = work.req.want_b64 and sum(len(image.data) for image in done.images) > HEAVY_BODY
        return await json_response(lambda: pipeline.response(done, ticket.call.base_url), ticket.call.headers, heavy=heavy)
    finally:
        if not handed_over:
            await pipeline.close(ticket)


async def generate(request: Request, model_override: str | None = None, principal: Principal | None = None) -> Response:
    """Shared by the OpenAI and Azure routes: JSON, SSE when `stream` is true, or a job."""
    principal = principal or await authenticate(request)
    pipeline = context(request).pipeline
    body = await json_body(request)
    req = pipeline.parse(body, model_override)
    call = new_call(request, principal)
    text = await pipeline.text_usage(req.prompt)
    if prefers_async(request):
        return await submit_job(request, call, Submission("generation", req, text, body, model_override=model_override))
    ticket = await pipeline.admit(call, req, pipeline.ceiling(req, text))
    return await respond(request, ticket, lambda: pipeline.prepare(req, ticket, text), "image_generation")


@router.post("/images/generations")
async def create_image(request: Request) -> Response:
    """Create images from a prompt."""
    return await generate(request)


@router.post("/images/estimate")
async def estimate_image(request: Request) -> Response:
    """Tokens and cost of a generation request, without making an image (extension). It counts
    against the key's requests-per-minute limit."""
    principal = await authenticate(request)
    pipeline = context(request).pipeline
    req = pipeline.parse(await json_body(request))
    call = new_call(request, principal)
    await pipeline.count_request(call)
    return JSONResponse(await pipeline.estimate(req), headers=call.headers)


@router.get("/images/jobs/{job_id}")
async def retrieve_job(job_id: str, request: Request) -> dict:
    """A job's status, progress and, when done, its result (extension)."""
    return await context(request).jobs.get(job_id, await authenticate(request), str(request.base_url))


@router.delete("/images/jobs/{job_id}")
async def cancel_job(job_id: str, request: Request) -> dict:
    """Cancel a queued or running job; answers at once (extension)."""
    return await context(request).jobs.cancel(job_id, await authenticate(request), str(request.base_url))
