"""/v1/images/*: OpenAI's image endpoints."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from imagegate.errors import InvalidRequestError
from imagegate.routers.common import base_url, context, json_body

router = APIRouter(tags=["images"])


@router.post("/images/generations")
async def create_image(request: Request) -> JSONResponse:
    """Create images from a prompt."""
    body = await json_body(request)
    if isinstance(body, dict) and body.get("stream"):
        raise InvalidRequestError("Streaming is not available on this server yet.", param="stream", code="unsupported_parameter")
    result = await context(request).images.create_image(body, base_url=base_url(request))
    return JSONResponse(result)
