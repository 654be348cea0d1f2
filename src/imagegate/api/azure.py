"""Azure OpenAI's deployment-scoped routes: the deployment names the model."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

import re

from imagegate.errors import InvalidRequestError, NotFoundError
from imagegate.api.common import authenticate, context
from imagegate.api.edits import create_image_edit_for
from imagegate.api.images import generate

router = APIRouter(tags=["azure"])
DEPLOYMENT = "/openai/deployments/{deployment}"
API_VERSION = re.compile(r"^(\d{4}-\d{2}-\d{2}(-preview)?|preview|latest|v1)$")  # dated, dated preview, or the v1 aliases


def check_api_version(request: Request) -> None:
    """Azure answers a missing `api-version` with 404 "Resource not found" and a malformed one
    with 400 "API version not supported" (as `AzureOpenAI` clients meet them there)."""
    version = request.query_params.get("api-version")
    if version is None:
        raise NotFoundError("Resource not found", code="404")
    if not API_VERSION.match(version):
        raise InvalidRequestError("API version not supported", param="api-version", code="BadRequest")


@router.post(DEPLOYMENT + "/images/generations")
async def create_image_azure(deployment: str, request: Request) -> Response:
    """Azure's `images/generations?api-version=...`."""
    principal = await authenticate(request)
    check_api_version(request)
    _check_deployment(request, deployment)
    return await generate(request, model_override=deployment, principal=principal)


def _check_deployment(request: Request, deployment: str) -> None:
    if context(request).registry.resolve(deployment) is None:
        raise NotFoundError(
            "The API deployment for this resource does not exist. If you created the deployment within the "
            "last 5 minutes, please wait a moment and try again.",
            code="DeploymentNotFound",
        )


@router.post(DEPLOYMENT + "/images/edits")
async def create_image_edit_azure(deployment: str, request: Request) -> Response:
    """Azure's `images/edits?api-version=...`."""
    principal = await authenticate(request)  # before anything about the deployment is revealed
    check_api_version(request)
    _check_deployment(request, deployment)
    return await create_image_edit_for(request, model_override=deployment, principal=principal)


@router.post("/openai/images/variations")
async def create_image_variation_azure(request: Request) -> Response:
    """Where `AzureOpenAI(...).images.create_variation` posts (the SDK rewrites only generations and
    edits to a deployment path): the model comes from the body, as on `/v1/images/variations`."""
    principal = await authenticate(request)
    check_api_version(request)
    return await create_image_edit_for(request, operation="variation", principal=principal)
