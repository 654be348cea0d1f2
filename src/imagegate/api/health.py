"""/health: liveness plus what each model's engine is."""

from __future__ import annotations

from fastapi import APIRouter, Request

from imagegate import __version__
from imagegate.api.common import context

router = APIRouter(tags=["health"])


@router.get("/health")
async def health(request: Request) -> dict:
    """The server is up; per model, its engine and state (idle, loading or ready)."""
    ctx = context(request)
    models = {}
    for mid, spec in ctx.registry.models.items():
        models[mid] = {"engine": spec.engine, "state": ctx.engines[mid].status()}
    jobs = {"queued": len(ctx.jobs.queue), "running": ctx.jobs.running, "concurrency": ctx.jobs.concurrency}
    return {"status": "ok", "version": __version__, "models": models, "jobs": jobs}
