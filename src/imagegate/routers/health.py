"""/health: liveness plus what each model's engine is."""

from __future__ import annotations

from fastapi import APIRouter, Request

from imagegate import __version__
from imagegate.routers.common import context

router = APIRouter(tags=["health"])


@router.get("/health")
async def health(request: Request) -> dict:
    """The server is up; per model, its engine and state."""
    ctx = context(request)
    models = {mid: {"engine": spec.engine, "state": "ready"} for mid, spec in ctx.registry.models.items()}
    return {"status": "ok", "version": __version__, "models": models}
