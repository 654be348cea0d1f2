"""Signed, expiring image URLs: GET /v1/files/images/{name}?expires=..&sig=.."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from imagegate.errors import NotFoundError
from imagegate.render.encode import MIME_TYPES
from imagegate.api.common import context

router = APIRouter(prefix="/v1/files/images", tags=["files"])


@router.get("/{name}")
async def get_image(name: str, request: Request, expires: str | None = None, sig: str | None = None) -> Response:
    """The stored image, if the signature holds and has not expired (403 / 410 otherwise)."""
    ctx = context(request)
    ctx.signer.verify(name, expires, sig)
    data = ctx.store.get(name) or ctx.job_store.get(name)  # job results live in their own store
    if data is None:
        raise NotFoundError("No such image (it may have been swept after expiring).", code="not_found")
    media = MIME_TYPES.get(name.rsplit(".", 1)[-1], "application/octet-stream")
    return Response(data, media_type=media, headers={"cache-control": "private, max-age=3600"})
