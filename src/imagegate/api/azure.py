"""Azure OpenAI's deployment-scoped routes: the deployment names the model."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import Response

from imagegate.errors import InvalidRequestError, NotFoundError, UserError
from imagegate.api.common import authenticate, context
from imagegate.api.edits import create_image_edit_for
from imagegate.api.images import generate

router = APIRouter(tags=["azure"])
DEPLOYMENT = "/openai/deployments/{deployment}"
API_VERSION = re.compile(r"^(\d{4}-\d{2}-\d{2}(-preview)?|preview|latest|v1)$")  # dated, dated preview, or the v1 aliases


# our categories -> Azure's content filter categories
AZURE_FILTERS = {"sexual": "sexual", "sexual/minors": "sexual", "violence/graphic": "violence", "illicit": "violence",
                 "self-harm": "self_harm", "hate": "hate", "harassment": "hate"}


def azure_refusal(err: UserError) -> InvalidRequestError:
    """A content-policy refusal in Azure's shape: 400 `content_policy_violation` with an
    `inner_error` naming `ResponsibleAIPolicyViolation` and its `content_filter_results`."""
    flagged = {AZURE_FILTERS.get(c, "violence") for c in err.extra.get("moderation_details", {}).get("categories", [])}
    results = {name: {"filtered": name in flagged, "severity": "high" if name in flagged else "safe"}
               for name in ("hate", "self_harm", "sexual", "violence")}
    return InvalidRequestError(err.message, param="prompt", code="content_policy_violation", headers=err.headers,
                               extra={"inner_error": {"code": "ResponsibleAIPolicyViolation", "content_filter_results": results},
                                      "moderation_details": err.extra.get("moderation_details")})


async def azure_shaped(answer):
    """Await a route's answer, with content-policy refusals in Azure's shape."""
    try:
        return await answer
    except UserError as err:
        if err.code == "moderation_blocked":
            raise azure_refusal(err) from None
        raise


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
    return await azure_shaped(generate(request, model_override=deployment, principal=principal))


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
    return await azure_shaped(create_image_edit_for(request, model_override=deployment, principal=principal))


@router.post("/openai/images/variations")
async def create_image_variation_azure(request: Request) -> Response:
    """Where `AzureOpenAI(...).images.create_variation` posts (the SDK rewrites only generations and
    edits to a deployment path): the model comes from the body, as on `/v1/images/variations`."""
    principal = await authenticate(request)
    check_api_version(request)
    return await azure_shaped(create_image_edit_for(request, operation="variation", principal=principal))
