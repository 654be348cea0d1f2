"""The caller's own view (extensions): `GET /v1/me` (its key, budget, spend and limits) and
`GET /v1/images/jobs` (its own async jobs, newest first, paged).

Both only ever show the caller's own key: an admin key sees its own jobs here too (the admin API
and the CLI see everyone's). With auth off there is no key: `/v1/me` says so and the job list
holds the jobs made without a key.
"""

from __future__ import annotations

import json
from typing import Any

import anyio
from fastapi import APIRouter, Query, Request
from sqlalchemy import and_, or_, select

from imagegate.accounts.service import Principal
from imagegate.api.common import authenticate, context
from imagegate.db.tables import Job
from imagegate.errors import InvalidRequestError

router = APIRouter()

JOB_STATES = ("queued", "running", "succeeded", "failed", "cancelled")
MAX_JOBS_PAGE = 100


@router.get("/me", tags=["usage"])
async def current_key(request: Request) -> dict:
    """The calling key: id, name, budget, spent, reserved and its per-minute limits (extension)."""
    principal = await authenticate(request)
    accounts = context(request).accounts
    defaults = accounts.default_limits
    if principal.key is None:  # auth off: no key, the server-wide limits
        return {"object": "me", "auth": accounts.auth, "key": None, "limits": dict(defaults)}
    info = await anyio.to_thread.run_sync(accounts.keys.get, principal.key.id)  # fresh: spent moves with every request
    limits = {"requests": info.rpm if info.rpm is not None else defaults["requests"],
              "images": info.ipm if info.ipm is not None else defaults["images"],
              "tokens": info.tpm if info.tpm is not None else defaults["tokens"]}
    return {"object": "me", "auth": accounts.auth, "key": info.to_dict(), "limits": limits}


@router.get("/images/jobs", tags=["images"])
async def list_jobs(
    request: Request,
    limit: int = Query(default=20, ge=1, le=MAX_JOBS_PAGE),
    after: str | None = Query(default=None, max_length=64),
    status: str | None = Query(default=None, max_length=16),
) -> dict:
    """The caller's own jobs, newest first (extension). `after` is the `last_id` of the previous
    page. Finished jobs carry their images as signed URLs (no base64 here)."""
    principal = await authenticate(request)
    if after is not None and not after.isprintable():
        raise InvalidRequestError("Invalid 'after': not a job id.", param="after", code="invalid_value")
    if status is not None and status not in JOB_STATES:
        raise InvalidRequestError(f"Invalid status '{status}': one of {', '.join(JOB_STATES)}.", param="status", code="invalid_value")
    ctx = context(request)
    base = ctx.settings.public_url or str(request.base_url)
    rows, has_more = await anyio.to_thread.run_sync(lambda: _page(ctx.jobs.sessions, principal, limit, after, status))
    data = [_summary(ctx, job, base) for job in rows]
    return {"object": "list", "data": data, "first_id": data[0]["id"] if data else None,
            "last_id": data[-1]["id"] if data else None, "has_more": has_more}


def _page(sessions, principal: Principal, limit: int, after: str | None, status: str | None) -> tuple[list[Job], bool]:
    own = Job.key_id.is_(None) if principal.key is None else Job.key_id == principal.key.id
    query = select(Job).where(own)
    with sessions() as s:
        if after is not None:
            anchor = s.scalar(select(Job).where(own, Job.id == after))
            if anchor is None:
                raise InvalidRequestError(f"No job with id '{after}' to page after.", param="after", code="invalid_value")
            query = query.where(or_(Job.created_at < anchor.created_at, and_(Job.created_at == anchor.created_at, Job.id < anchor.id)))
        if status is not None:
            query = query.where(Job.status == status)
        rows = list(s.scalars(query.order_by(Job.created_at.desc(), Job.id.desc()).limit(limit + 1)))
        for row in rows:
            s.expunge(row)
    return rows[:limit], len(rows) > limit


def _summary(ctx, job: Job, base: str) -> dict[str, Any]:
    result = None
    if job.result_json:
        stored = json.loads(job.result_json)
        stored.pop("want_url", None)
        stored.pop("want_b64", None)
        revised = stored.pop("revised_prompt", None)
        data = []
        for image in stored.pop("images", []):
            item: dict[str, Any] = {"url": ctx.pipeline.image_url(image["name"], base)}
            if revised:
                item["revised_prompt"] = revised
            if "seed" in image:
                item["seed"] = image["seed"]
            data.append(item)
        result = {"created": stored.pop("created", None), "data": data, **stored}
    return {
        "id": job.id, "object": "image.job", "operation": job.operation, "status": job.status, "progress": round(job.progress, 4),
        "created_at": int(job.created_at.timestamp()) if job.created_at else None,
        "updated_at": int(job.updated_at.timestamp()) if job.updated_at else None,
        "result": result, "error": json.loads(job.error_json)["error"] if job.error_json else None,
    }
