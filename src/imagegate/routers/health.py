"""/health: liveness plus what each model's engine is."""

from __future__ import annotations

from fastapi import APIRouter, Request

from imagegate import __version__
from imagegate.routers.common import context

router = APIRouter(tags=["health"])


@router.get("/health")
async def health(request: Request) -> dict:
    """The server is up; per model, its engine and state (idle, loading or ready)."""
    ctx = context(request)
    models = {}
    for mid, spec in ctx.registry.models.items():
        status = getattr(ctx.engines[mid], "status", None)
        models[mid] = {"engine": spec.engine, "state": status() if callable(status) else "ready"}
    return {"status": "ok", "version": __version__, "models": models}
