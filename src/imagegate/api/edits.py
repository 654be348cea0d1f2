"""/v1/images/edits and /v1/images/variations: multipart as the SDK sends it, and JSON edits."""

from __future__ import annotations

from typing import Any

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from imagegate.accounts.service import Principal
from imagegate.errors import InvalidRequestError
from imagegate.api.common import authenticate, context, json_body, new_call
from imagegate.api.images import prefers_async, respond, submit_job
from imagegate.pipeline import edits
from imagegate.pipeline.edits import ceiling_inputs, check_image_count, output_size, parse_edit, parse_variation, probe_uploads
from imagegate.pipeline.jobs import Submission
from imagegate.pipeline.remote_images import RemoteFetcher, RemoteImage, RemotePolicy, Source, image_source
from imagegate.pipeline.uploads import MAX_IMAGE_BYTES, MAX_IMAGES, MAX_MASK_BYTES, Raw

router = APIRouter(tags=["images"])


async def _form(request: Request) -> tuple[dict[str, Any], list[Raw], Raw | None]:
    """Scalars, image files (`image` or repeated `image[]`) and the mask of a multipart body."""
    try:
        form = await request.form(max_files=MAX_IMAGES + 8, max_fields=200)
    except Exception as exc:  # noqa: BLE001 - python-multipart reports malformed bodies in several ways
        raise InvalidRequestError(f"Could not parse the multipart body: {exc}", code="invalid_multipart") from None
    body: dict[str, Any] = {}
    files: list[Raw] = []
    mask: Raw | None = None
    try:
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                raw = (await value.read(), value.content_type)
                if key == "mask":
                    mask = raw
                elif key in ("image", "image[]") or key.startswith("image["):
                    files.append(raw)
            elif key not in ("image", "image[]", "mask"):
                body[key] = value
    finally:
        await form.close()  # the spooled upload files, whatever happens next
    return body, files, mask


async def _json(request: Request, policy: RemotePolicy) -> tuple[dict[str, Any], list[Source], Source | None]:
    """The JSON variant: `images: [{image_url}]`, optional `mask: {image_url}` (data URLs decoded
    now; https:// URLs only checked for their form, fetched later by `RemoteFetcher`)."""
    body = await json_body(request)
    if not isinstance(body, dict):
        raise InvalidRequestError("Invalid type for request body: expected an object.", code="invalid_type")
    images = body.pop("images", None) or []
    if not isinstance(images, list):
        raise InvalidRequestError("Invalid type for 'images': expected an array.", param="images", code="invalid_type")
    if len(images) > MAX_IMAGES:
        check_image_count(len(images))  # before anything is decoded or fetched
    for i, item in enumerate([*images, body.get("mask")]):
        if isinstance(item, dict) and item.get("file_id") is not None and item.get("image_url") is None:
            param = f"images[{i}].file_id" if i < len(images) else "mask.file_id"
            raise InvalidRequestError(
                f"Invalid '{param}': this server has no files API, so images cannot be referenced by file id; "
                "send the image itself (multipart, a base64 data URL or an https:// URL in image_url).", param=param, code="invalid_value",
            )
    files = [image_source(item.get("image_url") if isinstance(item, dict) else None, f"images[{i}].image_url", MAX_IMAGE_BYTES, policy) for i, item in enumerate(images)]
    mask_item = body.pop("mask", None)
    mask = image_source(mask_item.get("image_url") if isinstance(mask_item, dict) else None, "mask.image_url", MAX_MASK_BYTES, policy) if mask_item else None
    return body, files, mask


async def fetch_remote(policy: RemotePolicy, files: list[Source], mask: Source | None) -> tuple[list[Raw], Raw | None]:
    """Fetch the https:// images and mask of a JSON edit (nothing to do for the others)."""
    if not any(isinstance(s, RemoteImage) for s in [*files, mask]):
        return files, mask  # type: ignore[return-value]
    check_image_count(len(files))  # the same answer `probe_uploads` gives, before any fetch
    raws = await RemoteFetcher(policy).resolve([*files, *([mask] if mask is not None else [])])
    return (raws[:-1], raws[-1]) if mask is not None else (raws, None)


async def read_edit(request: Request, policy: RemotePolicy) -> tuple[dict[str, Any], list[Source], Source | None]:
    """The edit's fields, image files and mask, from multipart or JSON."""
    is_json = request.headers.get("content-type", "").startswith("application/json")
    return await (_json(request, policy) if is_json else _form(request))


async def create_image_edit_for(request: Request, model_override: str | None = None, operation: str = "edit", principal: Principal | None = None) -> Response:
    """Edits and variations, shared by the OpenAI and Azure routes: the fields validated and the
    uploads checked from their headers, then admission, and only then decoding and the engine."""
    ctx = context(request)
    pipeline = ctx.pipeline
    principal = principal or await authenticate(request)
    if operation == "variation":
        body, files, mask = await _form(request)
        edit = parse_variation(pipeline, body)
    else:
        policy = RemotePolicy.from_settings(ctx.settings)
        body, sources, source_mask = await read_edit(request, policy)
        edit = parse_edit(pipeline, body, model_override)
        files, mask = await fetch_remote(policy, sources, source_mask)  # after the cheap checks; see README
    uploads = await anyio.to_thread.run_sync(probe_uploads, operation, files, mask, ctx.settings.max_upload_pixels)
    call = new_call(request, principal)
    text = await pipeline.text_usage(edit.req.prompt)
    if prefers_async(request):
        return await submit_job(request, call, Submission(operation, edit.req, text, body, edit=edit, uploads=uploads, files=tuple(files), mask=mask, model_override=model_override))
    ticket = await pipeline.admit(call, edit.req, pipeline.ceiling(edit.req, ceiling_inputs(edit, uploads, text), [output_size(edit, uploads)]))
    prefix = "image_edit" if operation == "edit" else "image_generation"
    return await respond(request, ticket, lambda: edits.prepare(pipeline, edit, uploads, ticket, text), prefix)


@router.post("/images/edits")
async def create_image_edit(request: Request) -> Response:
    """Edit or extend images from a prompt (with an optional mask)."""
    return await create_image_edit_for(request)


@router.post("/images/variations")
async def create_image_variation(request: Request) -> Response:
    """Variations of one image (the dall-e-2 shape), as image-to-image."""
    return await create_image_edit_for(request, operation="variation")
