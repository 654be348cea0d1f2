"""The OpenAPI document (`/openapi.json`, `/docs`), typed like OpenAI's.

The routes parse their bodies by hand (`json_body` + `parse_model`) so that every problem leaves
as OpenAI's error envelope, which means FastAPI sees no request models. This module describes
them instead: FastAPI's generated document keeps its paths and parameters, and gets the request
bodies, responses, operation ids and schemas below. Names, fields, enums and defaults follow
OpenAI's spec (repo openai/openai-openapi, `openapi.yaml`); what imagegate adds is marked:

- `x-imagegate-extension: true`: a field, enum branch, operation or schema OpenAI does not have;
- `x-imagegate-differs: "<why>"`: an OpenAI field whose default or accepted values differ here.

tests/api/test_openapi_document.py compares the image operations with a trimmed copy of the
official spec, so drift shows up as a failing test.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from imagegate.api.openapi_schemas import BINARY, BOOL, DIFFERS, EXT, INT, STR, components, const, null_or, obj, ref, strings
from imagegate.config import Registry

__all__ = ["DIFFERS", "EXT", "document", "install_openapi", "operations"]
ALIAS_PREFIX = "/openai/v1/"  # Azure's v1 base URL: the same operations as /v1, documented once

DESCRIPTION = """\
A self-hosted server for OpenAI's Images API. Point the official SDK at `http://HOST/v1`.

Request and response schemas carry OpenAI's names, fields, enums and defaults. Anything
imagegate adds is marked `x-imagegate-extension: true`; an OpenAI field whose default or
accepted values differ here is marked `x-imagegate-differs`. Unknown request fields are
accepted and ignored, as newer SDKs add fields.

Every path under `/v1` is also served under `/openai/v1` (Azure OpenAI's v1 base URL); Azure's
deployment-scoped routes are listed under `azure`. Errors are always
`{"error": {"message", "type", "param", "code"}}`, and every response carries `x-request-id`.
"""

TAGS = [
    {"name": "images", "description": "OpenAI's image endpoints (plus the estimate and job extensions)."},
    {"name": "models", "description": "The model registry in OpenAI's list shape."},
    {"name": "azure", "description": "Azure OpenAI's deployment-scoped routes: the deployment names the model."},
    {"name": "usage", "description": "OpenAI's usage API shape, with costs."},
    {"name": "admin", "description": "imagegate extension: keys and budget holds, for admin keys."},
    {"name": "files", "description": "imagegate extension: signed, expiring image URLs."},
    {"name": "health", "description": "imagegate extension: liveness and engine states."},
]


# -- operations -------------------------------------------------------------------------------
ERRORS = {
    400: "Invalid request: malformed body, a missing or invalid parameter, or a content-policy refusal (`moderation_blocked`).",
    401: "Missing, unknown or revoked API key (`invalid_api_key`).",
    403: "Not allowed (`insufficient_permissions`: the operation needs an admin key).",
    404: "Not found.",
    410: "The signed URL has expired (`url_expired`).",
    413: "The request body is over this route's size limit (`request_too_large`).",
    429: "A rate limit or the key's budget (`rate_limit_exceeded`, `insufficient_quota`); see `retry-after`.",
    500: "The engine or the server failed (`server_error`).",
    503: "Image storage is unavailable (`storage_unavailable`); nothing was billed; see `retry-after`.",
}
CLIENT_GONE = {"description": "imagegate extension: the client closed the connection before the answer; the work was cancelled and nothing was billed. No body.", EXT: True}


def json_content(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def answers(ok: dict[str, Any], *statuses: int, notes: dict[int, str] | None = None) -> dict[str, Any]:
    """The 200 answer `ok` and the error statuses the route really returns."""
    out: dict[str, Any] = {"200": ok}
    for status in statuses:
        if status == 499:
            out["499"] = dict(CLIENT_GONE)
            continue
        response: dict[str, Any] = {"description": (notes or {}).get(status, ERRORS[status]), "content": json_content(ref("ErrorResponse"))}
        if status in (429, 503):
            response["headers"] = {"retry-after": {"$ref": "#/components/headers/RetryAfter"}}
        out[str(status)] = response
    return out


def ok_json(name: str, description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": json_content(ref(name))}


def sse_event(union: str, prefix: str) -> dict[str, Any]:
    """One server-sent event: its `event:` name and its `data:` line, the JSON of `union` (whose
    `type` repeats the name). JSON Schema's content keywords say what `data` holds."""
    names = [f"{prefix}.partial_image", f"{prefix}.completed", "error"]
    return obj({
        "event": strings(*names),
        "data": {"type": "string", "contentMediaType": "application/json", "contentSchema": ref(union)},
    }, ("event", "data"), description=f"Each event of the stream: `event: <type>` and `data: <{union} JSON>`. "
                                      "`: keep-alive` comment lines may come between events.")


def images_ok(stream_schema: str | None) -> dict[str, Any]:
    content = json_content(ref("ImagesResponse"))
    if stream_schema:
        prefix = "image_edit" if stream_schema.startswith("ImageEdit") else "image_generation"
        content["text/event-stream"] = {"schema": sse_event(stream_schema, prefix)}
    return {"description": "The images (`application/json`), or server-sent events when `stream` is true.", "content": content}


JOB_ACCEPTED = {
    "description": "imagegate extension (`Prefer: respond-async`): the job was admitted and queued; poll `Location`.",
    "content": json_content(ref("ImageJob")),
    "headers": {"Location": {"schema": STR}, "Preference-Applied": {"schema": STR}},
    EXT: True,
}
PREFER = {
    "name": "Prefer", "in": "header", "required": False, "schema": strings("respond-async"), EXT: True,
    "description": "imagegate extension: `respond-async` answers 202 with a job instead of waiting (other preferences are ignored).",
}
API_VERSION = {
    "name": "api-version", "in": "query", "required": True,
    "schema": {"type": "string", "pattern": "^([0-9]{4}-[0-9]{2}-[0-9]{2}(-preview)?|preview|latest|v1)$"},
    "description": "Azure's API version (e.g. `2025-04-01-preview`): missing answers 404 `Resource not found`, malformed 400 `API version not supported`, as Azure.",
}
IMAGE_PART = {"contentType": "image/png, image/jpeg, image/webp"}  # the part's declared type is checked, as OpenAI does
MASK_PART = {"contentType": "image/png"}
IMAGE_ERRORS = (400, 401, 404, 413, 429, 499, 500, 503)
PUBLIC: list[dict[str, Any]] = []  # no key needed
OPTIONAL_KEY = [{}, {"ApiKeyAuth": []}, {"AzureApiKeyAuth": []}]  # a key shows more
ADMIN_NOTE = {403: "The key is not an admin key (`insufficient_permissions`)."}


JOB_LIST = {"description": "The caller's own jobs, newest first; finished ones with their images as signed URLs (no base64).",
            "content": json_content(obj({"object": const("list"), "data": {"type": "array", "items": ref("ImageJob")}, "first_id": null_or(STR),
                                         "last_id": null_or(STR), "has_more": BOOL}, ("object", "data", "first_id", "last_id", "has_more")))}
CURRENT_KEY = {"description": "The calling key (null with auth off: no key) with its budget, spend and per-minute limits.",
               "content": json_content(obj({"object": const("me"), "auth": BOOL, "key": null_or(ref("ApiKey")), "limits": obj(
                   {"requests": null_or(INT), "images": null_or(INT), "tokens": null_or(INT)}, ("requests", "images", "tokens"))},
                   ("object", "auth", "key", "limits")))}


def image_operation(operation_id: str, body: dict[str, Any], stream_schema: str | None, *, azure: bool = False) -> dict[str, Any]:
    responses = answers(images_ok(stream_schema), *IMAGE_ERRORS, notes={
        404: "Unknown model (`model_not_found`)" + (" or deployment (`DeploymentNotFound`)." if azure else "."),
    })
    responses = {"200": responses.pop("200"), "202": JOB_ACCEPTED, **responses}
    return {"operationId": operation_id, "requestBody": {"required": True, "content": body}, "responses": responses,
            "parameters": [PREFER, *([API_VERSION] if azure else [])]}


def operations() -> dict[tuple[str, str], dict[str, Any]]:
    """(method, path) -> what the document says of it, beyond FastAPI's paths and parameters."""
    generation = json_content(ref("CreateImageRequest"))
    edit = {"multipart/form-data": {"schema": ref("CreateImageEditRequest"), "encoding": {"image": IMAGE_PART, "mask": MASK_PART}},
            "application/json": {"schema": ref("EditImageBodyJsonParam")}}
    variation = {"multipart/form-data": {"schema": ref("CreateImageVariationRequest"), "encoding": {"image": IMAGE_PART}}}
    admin_errors = (401, 403)
    ops = {
        ("post", "/v1/images/generations"): image_operation("createImage", generation, "ImageGenStreamEvent"),
        ("post", "/v1/images/edits"): image_operation("createImageEdit", edit, "ImageEditStreamEvent"),
        ("post", "/v1/images/variations"): image_operation("createImageVariation", variation, None),
        ("post", "/openai/deployments/{deployment}/images/generations"): image_operation("createImageAzure", generation, "ImageGenStreamEvent", azure=True),
        ("post", "/openai/deployments/{deployment}/images/edits"): image_operation("createImageEditAzure", edit, "ImageEditStreamEvent", azure=True),
        ("post", "/openai/images/variations"): image_operation("createImageVariationAzure", variation, None, azure=True),
        ("post", "/v1/images/estimate"): {
            "operationId": "estimateImage", EXT: True, "requestBody": {"required": True, "content": generation},
            "responses": answers(ok_json("ImageEstimate"), 400, 401, 404, 413, 429)},
        ("get", "/v1/images/jobs/{job_id}"): {
            "operationId": "retrieveImageJob", EXT: True, "responses": answers(ok_json("ImageJob"), 401, 404)},
        ("delete", "/v1/images/jobs/{job_id}"): {
            "operationId": "cancelImageJob", EXT: True, "responses": answers(ok_json("ImageJob"), 401, 404)},
        ("get", "/v1/images/jobs"): {
            "operationId": "listImageJobs", EXT: True,
            "responses": answers(JOB_LIST, 400, 401, notes={400: "A bad `limit`, `status` or `after` (`invalid_value`)."})},
        ("get", "/v1/me"): {"operationId": "retrieveCurrentKey", EXT: True, "responses": answers(CURRENT_KEY, 401)},
        ("get", "/v1/models"): {"operationId": "listModels", "security": PUBLIC, "responses": answers(ok_json("ListModelsResponse"))},
        ("get", "/v1/models/{model_id}"): {
            "operationId": "retrieveModel", "security": PUBLIC,
            "responses": answers(ok_json("Model"), 404, notes={404: "Unknown model (`model_not_found`)."})},
        ("post", "/v1/admin/keys"): {
            "operationId": "createApiKey", EXT: True, "requestBody": {"required": True, "content": json_content(ref("KeyCreateRequest"))},
            "responses": answers(ok_json("ApiKeyWithSecret"), 400, *admin_errors, 413, notes=ADMIN_NOTE)},
        ("get", "/v1/admin/keys"): {"operationId": "listApiKeys", EXT: True, "responses": answers(ok_json("ApiKeyList"), *admin_errors, notes=ADMIN_NOTE)},
        ("get", "/v1/admin/keys/{key_id}"): {
            "operationId": "retrieveApiKey", EXT: True, "responses": answers(ok_json("ApiKey"), 400, *admin_errors, 404, notes=ADMIN_NOTE)},
        ("delete", "/v1/admin/keys/{key_id}"): {
            "operationId": "revokeApiKey", EXT: True,
            "responses": answers(ok_json("ApiKey"), 400, *admin_errors, 404, notes={
                **ADMIN_NOTE, 400: "Invalid key id, or the last active admin key (`last_admin_key`)."})},
        ("get", "/v1/admin/holds"): {
            "operationId": "listBudgetHolds", EXT: True, "responses": answers(ok_json("BudgetHoldList"), 400, *admin_errors, 404, notes=ADMIN_NOTE)},
        ("delete", "/v1/admin/holds/{owner}"): {
            "operationId": "releaseBudgetHold", EXT: True, "responses": answers(ok_json("ReleasedBudgetHold"), *admin_errors, 404, notes=ADMIN_NOTE)},
        ("get", "/v1/organization/usage/images"): {
            "operationId": "usage-images", DIFFERS: (
                "Admin keys see every key's usage, other keys their own; without `start_time` the page ends with the "
                "current bucket; `api_key_id` is the admin API's key id; no usage has a project or user, so "
                "`project_ids`/`user_ids` match nothing and grouping by them gives null."),
            "responses": answers(ok_json("UsageResponse"), 400, 401)},
        ("get", "/v1/files/images/{name}"): {
            "operationId": "retrieveImageFile", EXT: True, "security": PUBLIC,
            "responses": answers({"description": "The image.", "content": {
                mime: {"schema": BINARY} for mime in ("image/png", "image/jpeg", "image/webp", "application/octet-stream")}},
                403, 404, 410, notes={403: "Invalid or missing signature (`invalid_signature`).", 404: "No such image (swept after expiring)."})},
        ("get", "/health"): {"operationId": "getHealth", EXT: True, "security": OPTIONAL_KEY, "responses": answers(ok_json("Health"))},
    }
    return ops


# -- the document -----------------------------------------------------------------------------
def _with_request_id(responses: dict[str, Any]) -> dict[str, Any]:
    for response in responses.values():
        response.setdefault("headers", {})["x-request-id"] = {"$ref": "#/components/headers/RequestId"}
    return responses


# (operation id, parameter) -> what the handler accepts, where its signature says only "a string"
PARAMETERS = {
    ("usage-images", "bucket_width"): {"schema": {**strings("1m", "1h", "1d"), "default": "1d"}, "description": "Width of each time bucket."},
    ("usage-images", "group_by"): {
        "schema": {"type": "array", "items": strings("model", "size", "source", "api_key_id", "project_id", "user_id", "quality"), "default": []},
        "description": "Group each bucket's results by these fields (`quality` is an imagegate extension)."},
    ("usage-images", "sources"): {"schema": {"type": "array", "items": strings("image.generation", "image.edit", "image.variation"), "default": []},
                                  "description": "Only usage from these sources."},
    ("usage-images", "limit"): {"schema": {"type": "integer", "minimum": 1, "maximum": 1440},
                                "description": "Buckets a page: 1d default 7, max 31; 1h default 24, max 168; 1m default 60, max 1440."},
    ("usage-images", "page"): {"schema": {"type": "string", "maxLength": 1000}, "description": "A `next_page` cursor from the previous page."},
    ("listImageJobs", "status"): {"schema": strings("queued", "running", "succeeded", "failed", "cancelled"), "description": "Only jobs in this state."},
    ("listImageJobs", "after"): {"schema": {"type": "string", "maxLength": 64}, "description": "The `last_id` of the previous page."},
    ("listImageJobs", "limit"): {"schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}, "description": "Jobs a page."},
    ("retrieveImageFile", "expires"): {"schema": {"type": "string", "pattern": "^[0-9]{1,18}$"}, "description": "Expiry, unix seconds (from the signed URL)."},
    ("retrieveImageFile", "sig"): {"schema": {"type": "string", "pattern": "^[0-9a-f]{64}$"}, "description": "HMAC-SHA256 signature (from the signed URL)."},
}


def parameter(operation_id: str, param: dict[str, Any], registry: Registry) -> dict[str, Any]:
    """FastAPI's parameter, with the values the handler really accepts. Path parameters that name
    a model (`model_id`, Azure's `deployment`) list the names this server serves."""
    if param["in"] == "path" and param["name"] in ("model_id", "deployment"):
        served = [name for name, _ in registry.listed()]
        return {**param, "schema": strings(*served),
                "description": "A model id, snapshot or alias this server serves (see `GET /v1/models`); others answer 404."}
    return {**param, **PARAMETERS.get((operation_id, param["name"]), {})}


def document(generated: dict[str, Any], registry: Registry) -> dict[str, Any]:
    """FastAPI's document with the bodies, responses, ids and schemas of `operations()`. A route
    missing from the table fails loudly: every route is documented on purpose."""
    table = operations()
    paths: dict[str, Any] = {}
    for path, item in generated.get("paths", {}).items():
        if path.startswith(ALIAS_PREFIX):
            continue
        for method, op in item.items():
            spec = table.get((method, path))
            if spec is None:
                raise KeyError(f"{method.upper()} {path} is not described in imagegate.api.openapi.operations()")
            spec = copy.deepcopy(spec)
            params = [parameter(spec["operationId"], p, registry) for p in op.get("parameters", []) if p["in"] in ("path", "query")]
            params += spec.pop("parameters", [])
            merged = {k: v for k, v in op.items() if k in ("tags", "summary", "description")}
            merged.update(spec)
            if params:
                merged["parameters"] = params
            merged["responses"] = _with_request_id(merged["responses"])
            paths.setdefault(path, {})[method] = merged
    doc = {k: v for k, v in generated.items() if k not in ("paths", "components")}
    doc.update({"paths": paths, "components": components(registry), "security": [{"ApiKeyAuth": []}, {"AzureApiKeyAuth": []}], "tags": TAGS})
    return doc


def public_view(doc: dict[str, Any], registry: Registry) -> dict[str, Any]:
    """The document as a caller without a key sees it: the same operations and schemas, without
    the names of the models this server serves (lists of them, and defaults or examples that are
    one of them), which only keyed callers learn (as from `GET /v1/models`)."""
    served = {name for name, _ in registry.listed()}
    mentions = re.compile("|".join(re.escape(name) for name in sorted(served, key=len, reverse=True))) if served else None

    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            out = {}
            for key, value in node.items():
                if key == "enum" and isinstance(value, list) and value and set(value) <= served:
                    continue
                if key in ("default", "example") and isinstance(value, str) and value in served:
                    continue
                out[key] = strip(value)
            return out
        if isinstance(node, list):
            return [strip(item) for item in node]
        if isinstance(node, str) and mentions is not None:
            return mentions.sub("(a served model)", node)
        return node

    return strip(doc)


def install_openapi(app: FastAPI, registry: Callable[[], Registry]) -> None:
    """Serve `document(...)` as the app's OpenAPI document (built once, on first use)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            generated = get_openapi(title=app.title, version=app.version, description=DESCRIPTION, routes=app.routes)
            app.openapi_schema = document(generated, registry())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
