"""/v1/organization/usage/images: OpenAI's usage API shape, with costs."""

from __future__ import annotations

import anyio
from fastapi import APIRouter, Query, Request

from imagegate.accounts.usage import MAX_TIME, UsageFilters, images_usage
from imagegate.api.common import authenticate, context

router = APIRouter(tags=["usage"])

LIST_PARAMS = ("group_by", "models", "sizes", "sources", "api_key_ids", "project_ids", "user_ids")


def _values(request: Request, name: str) -> tuple[str, ...]:
    """A list parameter, repeated as `name=a&name=b` or in the brackets form `name[]=a`."""
    return tuple(request.query_params.getlist(name) + request.query_params.getlist(f"{name}[]"))


@router.get("/organization/usage/images")
async def usage_images(
    request: Request,
    start_time: int | None = Query(default=None, ge=0, le=MAX_TIME),
    end_time: int | None = Query(default=None, ge=0, le=MAX_TIME),
    bucket_width: str = "1d",
    group_by: list[str] = Query(default=[]),
    models: list[str] = Query(default=[]),
    sizes: list[str] = Query(default=[]),
    sources: list[str] = Query(default=[]),
    api_key_ids: list[str] = Query(default=[]),
    project_ids: list[str] = Query(default=[]),
    user_ids: list[str] = Query(default=[]),
    limit: int | None = Query(default=None, ge=1, le=1440),
    page: str | None = Query(default=None, max_length=1000),
) -> dict:
    """Admin keys see every key's usage; other keys see their own.

    The list parameters are declared for validation and the document; their values are read from
    the query string so that the brackets form (`group_by[]=model`) counts too.
    """
    principal = await authenticate(request)
    ctx = context(request)
    own = None if (not ctx.accounts.auth or principal.key.is_admin) else principal.key.id
    lists = {name: _values(request, name) for name in LIST_PARAMS}
    filters = UsageFilters(**{name: values for name, values in lists.items() if name != "group_by"})
    return await anyio.to_thread.run_sync(
        lambda: images_usage(
            ctx.accounts.ledger, start_time=start_time, end_time=end_time, bucket_width=bucket_width,
            group_by=list(lists["group_by"]), filters=filters, limit=limit, page=page, key_pk=own,
        )
    )
