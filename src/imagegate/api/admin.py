"""/v1/admin: the operations of `imagegate keys` and `imagegate holds`, for holders of an admin key."""

from __future__ import annotations

import anyio
from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, field_validator

from imagegate.api.wire import parse_model
from imagegate.api.common import admin, context, json_body
from imagegate.errors import NotFoundError

router = APIRouter(prefix="/admin", tags=["admin"])

MAX_BUDGET_USD = 1e12  # micro-dollars of this fit a 64-bit integer with room to spare
MAX_LIMIT = 2**31 - 1  # per-minute limits are 32-bit integers in PostgreSQL
MAX_ID = 2**63 - 1


def key_pk(key_id: int) -> int:
    """A key id from the path; ids past any database integer are simply not found."""
    if not 0 < key_id <= MAX_ID:
        raise NotFoundError(f"No API key with id {key_id}.", param="key_id", code="not_found")
    return key_id


class KeyCreateRequest(BaseModel):
    """Body of `POST /v1/admin/keys`."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    budget_usd: float | None = Field(default=None, ge=0, le=MAX_BUDGET_USD)
    rpm: int | None = Field(default=None, ge=1, le=MAX_LIMIT)
    ipm: int | None = Field(default=None, ge=1, le=MAX_LIMIT)
    tpm: int | None = Field(default=None, ge=1, le=MAX_LIMIT)
    admin: bool = False

    @field_validator("name")
    @classmethod
    def _printable(cls, name: str) -> str:
        if any(ch < " " or ch == "\x7f" for ch in name):
            raise ValueError("the name must not contain control characters")
        return name


@router.post("/keys")
async def create_key(request: Request) -> dict:
    """Create a key; the secret is in this response and nowhere else."""
    await admin(request)
    body = parse_model(KeyCreateRequest, await json_body(request))
    keys = context(request).accounts.keys
    info, secret = await anyio.to_thread.run_sync(
        lambda: keys.create(body.name, budget_usd=body.budget_usd, rpm=body.rpm, ipm=body.ipm, tpm=body.tpm, admin=body.admin)
    )
    return {**info.to_dict(), "secret": secret}


@router.get("/keys")
async def list_keys(request: Request) -> dict:
    """Every key (secrets are never shown again)."""
    await admin(request)
    keys = await anyio.to_thread.run_sync(context(request).accounts.keys.list)
    return {"object": "list", "data": [k.to_dict() for k in keys]}


@router.get("/keys/{key_id}")
async def retrieve_key(key_id: int, request: Request) -> dict:
    """One key."""
    await admin(request)
    return (await anyio.to_thread.run_sync(context(request).accounts.keys.get, key_pk(key_id))).to_dict()


@router.delete("/keys/{key_id}")
async def revoke_key(key_id: int, request: Request) -> dict:
    """Revoke a key: it stops working at once, and so does its work in flight (requests, jobs)."""
    await admin(request)
    ctx = context(request)
    info = await anyio.to_thread.run_sync(ctx.accounts.keys.revoke, key_pk(key_id))
    ctx.pipeline.cancel_key(key_id)
    await ctx.jobs.revoke_key(key_id)
    return info.to_dict()


@router.get("/holds")
async def list_holds(request: Request, key_id: int | None = None) -> dict:
    """Open budget holds (optionally one key's), oldest first."""
    await admin(request)
    holds = await anyio.to_thread.run_sync(context(request).accounts.holds.list, None if key_id is None else key_pk(key_id))
    return {"object": "list", "data": [h.to_dict() for h in holds]}


@router.delete("/holds/{owner}")
async def release_hold(owner: str, request: Request) -> dict:
    """Release a hold now (its request or job can still settle: the charge is billed then)."""
    await admin(request)
    hold = await anyio.to_thread.run_sync(context(request).accounts.holds.pop, owner)
    if hold is None:
        raise NotFoundError(f"No budget hold owned by {owner!r}.", param="owner", code="not_found")
    return {**hold.to_dict(), "released": True}
