"""/v1/images/edits and /v1/images/variations: multipart as the SDK sends it, and JSON edits."""

from __future__ import annotations

from typing import Any

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from imagegate.errors import InvalidRequestError
from imagegate.routers.common import authenticate, context, json_body, new_call
from imagegate.routers.images import prefers_async, respond, submit_job
from imagegate.services.edits import load_edit_inputs, prepare_edit, prepare_variation
from imagegate.services.uploads import MAX_IMAGES, decode_data_url, load_image

router = APIRouter(tags=["images"])

Raw = tuple[bytes, str | None]  # file bytes and declared MIME type


async def _form(request: Request) -> tuple[dict[str, Any], list[Raw], Raw | None]:
    """Scalars, image files (`image` or repeated `image[]`) and the mask of a multipart body."""
    try:
        form = await request.form(max_files=MAX_IMAGES + 8, max_fields=200)
    except Exception as exc:  # noqa: BLE001 - python-multipart reports malformed bodies in several ways
        raise InvalidRequestError(f"Could not parse the multipart body: {exc}", code="invalid_multipart") from None
    body: dict[str, Any] = {}
    files: list[Raw] = []
    mask: Raw | None = None
    for key, value in form.multi_items():
        if isinstance(value, UploadFile):
            raw = (await value.read(), value.content_type)
            if key == "mask":
                mask = raw
            elif key in ("image", "image[]") or key.startswith("image["):
                files.append(raw)
        elif key not in ("image", "image[]", "mask"):
            body[key] = value
    return body, files, mask


async def _json(request: Request) -> tuple[dict[str, Any], list[Raw], Raw | None]:
    """The JSON variant: `images: [{image_url}]`, optional `mask: {image_url}` (data URLs)."""
    body = await json_body(request)
    if not isinstance(body, dict):
        raise InvalidRequestError("Invalid type for request body: expected an object.", code="invalid_type")
    images = body.pop("images", None) or []
    if not isinstance(images, list):
        raise InvalidRequestError("Invalid type for 'images': expected an array.", param="images", code="invalid_type")
    files = [decode_data_url((item or {}).get("image_url") if isinstance(item, dict) else None, f"images[{i}].image_url") for i, item in enumerate(images)]
    mask_item = body.pop("mask", None)
    mask = decode_data_url(mask_item.get("image_url") if isinstance(mask_item, dict) else None, "mask.image_url") if mask_item else None
    return body, files, mask


async def read_edit(request: Request) -> tuple[dict[str, Any], list[Raw], Raw | None]:
    """The edit's fields, image files and mask, from multipart or JSON."""
    is_json = request.headers.get("content-type", "").startswith("application/json")
    return await (_json(request) if is_json else _form(request))


async def create_image_edit_for(request: Request, model_override: str | None = None) -> Response:
    """Shared by the OpenAI and Azure edit routes."""
    principal = await authenticate(request)
    service = context(request).images
    body, files, mask = await read_edit(request)
    if prefers_async(request):
        return await submit_job(request, principal, "edit", body, files, mask, model_override)
    inputs = await anyio.to_thread.run_sync(load_edit_inputs, files, mask)
    call = new_call(request, principal)
    work = await prepare_edit(service, body, inputs, model_override, call.request_id)
    return await respond(request, service, work, call, prefix="image_edit")


@router.post("/images/edits")
async def create_image_edit(request: Request) -> Response:
    """Edit or extend images from a prompt (with an optional mask)."""
    return await create_image_edit_for(request)


@router.post("/images/variations")
async def create_image_variation(request: Request) -> Response:
    """Variations of one image (the dall-e-2 shape), as image-to-image."""
    principal = await authenticate(request)
    service = context(request).images
    body, files, _ = await _form(request)
    if len(files) != 1:
        raise InvalidRequestError("Missing required parameter: 'image'." if not files else "Variations take exactly one image.", param="image", code="missing_required_parameter" if not files else "invalid_value")
    if prefers_async(request):
        return await submit_job(request, principal, "variation", body, files)
    upload = await anyio.to_thread.run_sync(lambda: load_image(files[0][0], files[0][1], "image", max_bytes=4 * 1024 * 1024))
    work = await prepare_variation(service, body, upload)
    return await respond(request, service, work, new_call(request, principal))
