"""build_app(settings) -> FastAPI. The lifespan creates storage, engines and services."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Engine
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from imagegate import __version__
from imagegate.config import Registry, Settings, load_registry, load_settings
from imagegate.db.migrate import startup_lock, upgrade
from imagegate.db.session import database_url, make_engine, session_factory
from imagegate.engines.base import ImageEngine
from imagegate.engines.registry import create_engine
from imagegate.errors import ConfigurationError, ImagegateError, InvalidRequestError, ServiceUnavailableError
from imagegate.api.middleware import RequestContextMiddleware
from imagegate.api.metrics import install_metrics, publishing, record_error
from imagegate.api.common import context
from imagegate.api.openapi import install_openapi
from imagegate.render.fonts import warm_up
from imagegate.render.text import check_raqm
from imagegate.api import admin, azure, connections, edits, files, health, images, models, usage
from imagegate.api import me, web
from imagegate.accounts.holds import Holds
from imagegate.accounts.metering import warm_up as warm_up_tokenizer
from imagegate.accounts.service import Accounts
from imagegate.planning.chat import ChatPlanner
from imagegate.pipeline.core import Pipeline
from imagegate.pipeline.jobs import JobService
from imagegate.accounts.keys import KeyStore
from imagegate.accounts.ledger import Ledger
from imagegate.policy.moderation import build_moderator
from imagegate.planning.planner import RulePlanner
from imagegate.accounts.ratelimit import InProcessRateLimiter
from imagegate.research.search import Researcher, build_search_provider
from imagegate.storage.local import LocalStore, private_dir, write_private
from imagegate.storage.signing import UrlSigner, load_or_create_secret

log = logging.getLogger("imagegate")


@dataclass
class AppContext:
    """Everything the routers reach, built once per app."""

    settings: Settings
    registry: Registry
    store: LocalStore
    signer: UrlSigner
    engines: dict[str, ImageEngine]
    accounts: Accounts
    pipeline: Pipeline
    db: Engine
    jobs: JobService
    job_store: LocalStore
    first_key: str | None = None  # the admin secret this start created (shown once, never logged)


def build_engines(registry: Registry, workers: int = 1) -> dict[str, ImageEngine]:
    """One engine instance per distinct (engine, options), shared by the models that use it; the
    built-in engine learns how many server processes share the machine's cores."""
    by_config: dict[str, ImageEngine] = {}
    engines = {}
    for model_id, spec in registry.models.items():
        key = f"{spec.engine}:{sorted(spec.options.items())!r}"
        if key not in by_config:
            options = {"server_workers": workers, **spec.options} if spec.engine == "builtin" else spec.options
            by_config[key] = create_engine(spec.engine, options)
        engines[model_id] = by_config[key]
    return engines


def build_accounts(settings: Settings, db: Engine) -> Accounts:
    """The key store, ledger, budget holds and rate limiter over `db`."""
    sessions = session_factory(db)
    holds = Holds(sessions, lease_seconds=settings.hold_lease_seconds)
    defaults = {
        "requests": settings.rate_limit_requests_per_minute,
        "images": settings.rate_limit_images_per_minute,
        "tokens": settings.rate_limit_tokens_per_minute,
    }
    keys, limiter = KeyStore(sessions), InProcessRateLimiter()
    if settings.redis_url:  # replicas: limits and revocations shared through Redis
        from imagegate.accounts.shared import SharedState

        shared = SharedState(settings.redis_url)
        keys.revocations, limiter = shared, shared.limiter()
    return Accounts(keys, Ledger(sessions), limiter, auth=settings.auth, holds=holds, default_limits=defaults)


def bootstrap_key(accounts: Accounts, data_dir: Path) -> str | None:
    """On the first start with auth on and no keys, create an admin key and keep it in a file
    (0600); the secret is returned for the terminal, never logged."""
    if not accounts.auth or accounts.keys.count_active():
        return None
    _, secret = accounts.keys.create("initial", admin=True)
    write_private(data_dir / "initial-api-key.txt", (secret + "\n").encode())
    return secret


@dataclass
class Prepared:
    """What one start-up prepared under the start-up lock."""

    db: Engine
    signing_secret: bytes
    accounts: Accounts
    first_key: str | None  # the admin secret created by this start, if it created one


def prepare(settings: Settings, *, bootstrap: bool = True) -> Prepared:
    """Everything the first start creates, done by one process at a time (safe when several
    start together on a fresh data directory): migrations, the URL-signing secret, and (with
    `bootstrap`) the first admin key."""
    os.umask(os.umask(0o077) | 0o077)  # what the server creates (the database and its journals too) is its owner's alone
    private_dir(settings.data_dir)
    db = make_engine(database_url(settings.database_url, settings.data_dir))
    with startup_lock(db, settings.data_dir):
        upgrade(db)
        secret = load_or_create_secret(settings.data_dir / "url-signing.key")
        accounts = build_accounts(settings, db)
        first_key = bootstrap_key(accounts, settings.data_dir) if bootstrap else None
    return Prepared(db, secret, accounts, first_key)


def build_planner(settings: Settings) -> RulePlanner | ChatPlanner:
    """The rule planner, or a chat endpoint with the rule planner as its fallback."""
    if not settings.planner_url:
        return RulePlanner()
    return ChatPlanner(settings.planner_url, settings.planner_model, settings.planner_api_key, settings.planner_timeout, fallback=RulePlanner())


def require_text_shaping() -> None:
    """Refuse to run without RAQM: Arabic, Hebrew and Indic text would come out broken."""
    try:
        check_raqm()
    except RuntimeError as exc:
        raise ConfigurationError(str(exc)) from None


def build_context(settings: Settings) -> AppContext:
    """Create the data directory, database, storage, signer, engines and services."""
    require_text_shaping()
    data_dir = settings.data_dir
    registry = load_registry(settings)
    if settings.redis_url:  # unreachable: fail now, not on the first request
        from imagegate.accounts.shared import SharedState

        probe = SharedState(settings.redis_url)
        try:
            probe.check()
        finally:
            probe.close()
    prepared = prepare(settings)
    accounts, db = prepared.accounts, prepared.db
    store = LocalStore(data_dir / "images")
    signer = UrlSigner(prepared.signing_secret, settings.url_ttl_seconds)
    engines = build_engines(registry, settings.workers)
    moderator = build_moderator(settings.moderation)
    researcher = Researcher(build_search_provider(settings.search), moderator, timeout=settings.research_timeout)
    pipeline = Pipeline(registry, engines, store, signer, build_planner(settings), accounts, public_url=settings.public_url, moderator=moderator, researcher=researcher,
                        refusal_contact=settings.refusal_contact)
    if accounts.keys.revocations is not None:  # input images billed through any process
        pipeline.recent_images = accounts.keys.revocations.recent_images(pipeline.recent_images.ttl)
    job_store = LocalStore(data_dir / "job-results")
    jobs = JobService(session_factory(db), pipeline, data_dir, results=job_store, base_url=settings.public_url, concurrency=settings.jobs_concurrency,
                      retention_seconds=settings.job_retention_seconds, pixel_budget=settings.max_upload_pixels,
                      claim_seconds=settings.hold_lease_seconds)
    return AppContext(settings, registry, store, signer, engines, accounts, pipeline, db, jobs, job_store, prepared.first_key)


async def close_context(ctx: AppContext) -> None:
    """Stop jobs (they resume on the next start); release engines, planner and database."""
    await ctx.jobs.close()
    for engine in {id(e): e for e in ctx.engines.values()}.values():
        await engine.close()
    await ctx.accounts.aclose()
    if ctx.accounts.keys.revocations is not None:
        ctx.accounts.keys.revocations.close()
    if isinstance(ctx.pipeline.planner, ChatPlanner):
        await ctx.pipeline.planner.aclose()
    ctx.db.dispose()


async def _sweep_forever(ctx: AppContext) -> None:
    while True:
        await asyncio.sleep(ctx.settings.sweep_interval_seconds)
        try:
            removed = await asyncio.to_thread(ctx.store.sweep, ctx.settings.url_ttl_seconds)
            jobs = await asyncio.to_thread(ctx.jobs.sweep)
        except Exception:  # noqa: BLE001 - a failed sweep is retried next time
            log.exception("sweep failed")
            continue
        if removed or jobs:
            log.info("swept %d expired image(s) and %d finished job(s)", removed, jobs)


def _error_response(exc: ImagegateError) -> JSONResponse:
    record_error(exc.status_code, exc.code)
    return JSONResponse(exc.to_body(), status_code=exc.status_code, headers=exc.headers)


def database_outages() -> tuple[type[Exception], ...]:
    """Errors that mean the database cannot be reached or used right now (not a bad query).
    Driver errors reach us wrapped by SQLAlchemy (db/rawsql.py wraps them too), but SQLite's
    own are listed for code that uses the driver directly."""
    import sqlite3

    return (OperationalError, InterfaceError, DisconnectionError, sqlite3.OperationalError)


def install_error_handlers(app: FastAPI) -> None:
    """Every error leaves as OpenAI's envelope; never a stack trace."""

    @app.exception_handler(ImagegateError)
    async def on_imagegate_error(request: Request, exc: ImagegateError) -> JSONResponse:
        return _error_response(exc)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        err = ImagegateError(
            f"Invalid URL ({request.method} {request.url.path})" if exc.status_code == 404 else str(exc.detail),
            code="unknown_url" if exc.status_code == 404 else None,
        )
        err.status_code, err.error_type = exc.status_code, "invalid_request_error"
        return _error_response(err)

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        param = ".".join(str(p) for p in first.get("loc", ())[1:]) or None
        return _error_response(InvalidRequestError(f"Invalid request: {first.get('msg', 'bad input')}", param=param, code="invalid_value"))

    async def on_database_down(request: Request, exc: Exception) -> JSONResponse:
        log.error("database unavailable: %s", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        return _error_response(ServiceUnavailableError(
            "The database is unavailable; nothing was billed. Please retry later.", code="database_unavailable", headers={"Retry-After": "5"},
        ))

    for kind in database_outages():
        app.add_exception_handler(kind, on_database_down)

    @app.exception_handler(Exception)
    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return JSONResponse(
            {"error": {"message": "The server had an error while processing your request.", "type": "server_error", "param": None, "code": None}},
            status_code=500,
        )


def install_docs_routes(app: FastAPI, registry) -> None:
    """`/openapi.json` (whole for keyed callers or with auth off; without the served model names
    for others: every route authenticates before it reveals anything) and `/docs` (Swagger UI)."""
    from fastapi.openapi.docs import get_swagger_ui_html

    from imagegate.api.common import authenticate
    from imagegate.api.openapi import public_view

    public: list[dict] = []  # the public view, built once like the document itself

    @app.get("/openapi.json", include_in_schema=False)
    async def openapi_document(request: Request) -> JSONResponse:
        doc = app.openapi()
        if context(request).accounts.auth:
            try:
                await authenticate(request)
            except ImagegateError:
                if not public:
                    public.append(public_view(doc, registry()))
                doc = public[0]
        return JSONResponse(doc)

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> Response:
        return get_swagger_ui_html(openapi_url="/openapi.json", title=f"{app.title} - API")


def create_app() -> FastAPI:
    """The app from the environment (`IMAGEGATE_*`, `IMAGEGATE_CONFIG`): the factory that
    `imagegate serve --workers N` hands uvicorn."""
    return build_app(load_settings(), freeze_gc=True)


def build_app(settings: Settings, *, freeze_gc: bool = False) -> FastAPI:
    """The imagegate ASGI app for `settings`. `freeze_gc`: the app is this process's server
    (`imagegate serve`), so what its start-up built can be frozen out of garbage collection."""
    connections.configure(settings.header_timeout_seconds, settings.body_timeout_seconds)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        ctx = build_context(settings)
        app.state.ctx = ctx
        if ctx.first_key:
            log.warning("created the first admin API key; its secret is in %s (mode 0600)", settings.data_dir / "initial-api-key.txt")
            if sys.stderr.isatty():  # shown once to the person who started the server, never to a log
                print(f"\n  First admin API key (shown once): {ctx.first_key}\n", file=sys.stderr, flush=True)
        # Now, not on the first request: font tables, the prompt tokenizer and the policy's models
        # (the image classifier only if some engine's outputs are screened), side by side.
        await asyncio.gather(
            asyncio.to_thread(warm_up),
            asyncio.to_thread(warm_up_tokenizer),
            ctx.pipeline.moderator.warm_up(images=any(not e.capabilities.moderates_outputs for e in ctx.engines.values())),
        )
        await ctx.accounts.start()  # renews this process's budget holds; releases lapsed ones
        background = [asyncio.create_task(_sweep_forever(ctx)), asyncio.create_task(ctx.pipeline.watch_revocations())]
        shared = ctx.accounts.keys.revocations
        # revocations published by any process: dropped from the cache, their work cancelled now
        listener = shared.listen(ctx.accounts.keys.forget, ctx.pipeline.cancel_key, asyncio.get_running_loop()) if shared is not None else None
        await ctx.jobs.start()
        if freeze_gc:
            # What start-up built (modules, tables, models) lives as long as the server: moved out
            # of the collector's reach, so a full collection under load scans only per-request
            # objects (one over everything paused all requests for ~0.1 s).
            gc.collect()
            gc.freeze()
        try:
            async with publishing(ctx):
                yield
        finally:
            for task in background:
                task.cancel()
            if listener is not None:
                await asyncio.to_thread(listener.stop)
            await close_context(ctx)

    app = FastAPI(title="imagegate", version=__version__, lifespan=lifespan, docs_url=None, openapi_url=None, redoc_url=None)
    registry = lambda: app.state.ctx.registry if hasattr(app.state, "ctx") else load_registry(settings)  # noqa: E731
    install_openapi(app, registry)
    if settings.openapi_docs:  # /openapi.json and /docs, or neither
        install_docs_routes(app, registry)
    app.add_middleware(RequestContextMiddleware, max_body=settings.max_request_bytes, max_small_body=settings.max_json_bytes)
    if settings.metrics:  # outermost: counts the 413s and 500s the context middleware answers too
        install_metrics(app)
    install_error_handlers(app)
    for prefix in ("/v1", "/openai/v1"):
        app.include_router(images.router, prefix=prefix)
        app.include_router(edits.router, prefix=prefix)
        app.include_router(models.router, prefix=prefix)
    app.include_router(admin.router, prefix="/v1")
    app.include_router(usage.router, prefix="/v1")
    app.include_router(me.router, prefix="/v1")  # the caller's own key and jobs
    app.include_router(web.router)  # the canvas page at /
    app.include_router(files.router)
    app.include_router(azure.router)
    app.include_router(health.router)
    return app
