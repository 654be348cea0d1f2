"""/v1/admin/keys: the key operations of `imagegate keys`, for holders of an admin key."""

from __future__ import annotations

import anyio
from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from imagegate.protocol.images import parse_model
from imagegate.routers.common import admin, context, json_body

router = APIRouter(prefix="/admin/keys", tags=["admin"])


class KeyCreateRequest(BaseModel):
    """Body of `POST /v1/admin/keys`."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    budget_usd: float | None = Field(default=None, ge=0)
    rpm: int | None = Field(default=None, ge=1)
    ipm: int | None = Field(default=None, ge=1)
    tpm: int | None = Field(default=None, ge=1)
    admin: bool = False


@router.post("")
async def create_key(request: Request) -> dict:
    """Create a key; the secret is in this response and nowhere else."""
    await admin(request)
    body = parse_model(KeyCreateRequest, await json_body(request))
    keys = context(request).accounts.keys
    info, secret = await anyio.to_thread.run_sync(
        lambda: keys.create(body.name, budget_usd=body.budget_usd, rpm=body.rpm, ipm=body.ipm, tpm=body.tpm, admin=body.admin)
    )
    return {**info.to_dict(), "secret": secret}


@router.get("")
async def list_keys(request: Request) -> dict:
    """Every key (secrets are never shown again)."""
    await admin(request)
    keys = await anyio.to_thread.run_sync(context(request).accounts.keys.list)
    return {"object": "list", "data": [k.to_dict() for k in keys]}


@router.get("/{key_id}")
async def retrieve_key(key_id: int, request: Request) -> dict:
    """One key."""
    await admin(request)
    return (await anyio.to_thread.run_sync(context(request).accounts.keys.get, key_id)).to_dict()


@router.delete("/{key_id}")
async def revoke_key(key_id: int, request: Request) -> dict:
    """Revoke a key: it stops working at once."""
    await admin(request)
    return (await anyio.to_thread.run_sync(context(request).accounts.keys.revoke, key_id)).to_dict()
