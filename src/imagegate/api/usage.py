"""/v1/organization/usage/images: OpenAI's usage API shape, with costs."""

from __future__ import annotations

import time

import anyio
from fastapi import APIRouter, Query, Request

from imagegate.api.common import authenticate, context
from imagegate.accounts.usage import images_usage

router = APIRouter(tags=["usage"])

MAX_TIME = 253402300799  # 9999-12-31T23:59:59Z, the last second a date can hold


@router.get("/organization/usage/images")
async def usage_images(
    request: Request,
    start_time: int | None = Query(default=None, ge=0, le=MAX_TIME),
    end_time: int | None = Query(default=None, ge=0, le=MAX_TIME),
    bucket_width: str = "1d",
    group_by: list[str] = Query(default=[]),
) -> dict:
    """Admin keys see every key's usage; other keys see their own."""
    principal = await authenticate(request)
    ctx = context(request)
    own = None if (not ctx.accounts.auth or principal.key.is_admin) else principal.key.id
    start = start_time if start_time is not None else int(time.time()) - 30 * 86400
    return await anyio.to_thread.run_sync(
        lambda: images_usage(ctx.accounts.ledger, start_time=start, end_time=end_time, bucket_width=bucket_width, group_by=group_by, key_pk=own)
    )
