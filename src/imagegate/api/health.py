"""/health: liveness for anyone; what each model's engine is, and the job queue, for callers
with a valid key (or when auth is off), so an anonymous caller learns nothing but "up"."""

from __future__ import annotations

from fastapi import APIRouter, Request

from imagegate import __version__
from imagegate.api.common import authenticate, context
from imagegate.errors import AuthenticationError

router = APIRouter(tags=["health"])


@router.get("/health")
async def health(request: Request) -> dict:
    """The server is up; with a key, per model its engine and state (idle, loading or ready),
    the job queue and the content policy's state."""
    ctx = context(request)
    admin = not ctx.accounts.auth
    if ctx.accounts.auth:
        if not (request.headers.get("authorization") or request.headers.get("api-key")):
            return {"status": "ok"}
        try:
            principal = await authenticate(request)
        except AuthenticationError:
            return {"status": "ok"}
        admin = principal.key is not None and principal.key.is_admin
    models = {}
    for mid, spec in ctx.registry.models.items():
        engine = ctx.engines[mid]
        models[mid] = {"engine": spec.engine, "state": engine.status()}
        if hasattr(engine, "details"):  # the built-in engine: its render processes
            models[mid].update(engine.details())
        if hasattr(engine, "backends_state"):  # gateway engines: each backend's state (up, open circuit, last error)
            backends = engine.backends_state()
            models[mid]["backends"] = backends if admin else [{"name": b["name"], "state": b["state"]} for b in backends]
    jobs = {"queued": len(ctx.jobs.queue), "running": ctx.jobs.running, "concurrency": ctx.jobs.concurrency}
    # The content policy's layers and their state ("ok", "degraded": a classifier is failing and
    # requests go on without it, "unavailable": requests are refused until it works again).
    moderation = {"state": "ok", **ctx.pipeline.moderator.describe()}
    if not admin:  # file paths and error messages are for operators; others see the state only
        moderation = {"state": moderation["state"]}
    return {"status": "ok", "version": __version__, "models": models, "jobs": jobs, "moderation": moderation}
