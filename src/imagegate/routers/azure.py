"""Azure OpenAI's deployment-scoped routes: the deployment names the model."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from imagegate.errors import InvalidRequestError, NotFoundError
from imagegate.routers.common import base_url, context, json_body

router = APIRouter(prefix="/openai/deployments/{deployment}", tags=["azure"])


@router.post("/images/generations")
async def create_image_azure(deployment: str, request: Request) -> JSONResponse:
    """Azure's `images/generations?api-version=...`."""
    ctx = context(request)
    if ctx.registry.resolve(deployment) is None:
        raise NotFoundError(
            "The API deployment for this resource does not exist. If you created the deployment within the "
            "last 5 minutes, please wait a moment and try again.",
            code="DeploymentNotFound",
        )
    body = await json_body(request)
    if isinstance(body, dict) and body.get("stream"):
        raise InvalidRequestError("Streaming is not available on this server yet.", param="stream", code="unsupported_parameter")
    result = await ctx.images.create_image(body, base_url=base_url(request), model_override=deployment)
    return JSONResponse(result)
