"""The `imagegate` command: serve | generate | models | keys | holds | usage."""

from __future__ import annotations

import asyncio
import base64
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

if TYPE_CHECKING:  # rich's tables and progress bars load with the commands that show them, not with `serve`
    from rich.progress import Progress

from imagegate.config import Settings, load_registry, load_settings
from imagegate.errors import ImagegateError

app = typer.Typer(help="imagegate: a self-hosted image generation service speaking OpenAI's Images API.", no_args_is_help=True)
console = Console(stderr=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (a list of objects) for scripts.")]


def emit(rows: list[dict[str, Any]], columns: list[tuple[str, str]], as_json: bool) -> None:
    """Print `rows`: JSON with `--json`; a table on a terminal; else plain tab-separated lines
    with a header, never cut to the terminal's width (ids and prefixes are for copying)."""
    import json
    import sys

    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, default=str))
        return
    cells = [[("" if row.get(key) is None else str(row.get(key))) for key, _ in columns] for row in rows]
    if sys.stdout.isatty():
        from rich.table import Table

        table = Table(*[title for _, title in columns])
        for column in table.columns:
            column.no_wrap = True
        for line in cells:
            table.add_row(*line)
        Console().print(table)
        return
    typer.echo("\t".join(title for _, title in columns))
    for line in cells:
        typer.echo("\t".join(line))

ConfigOpt = Annotated[Path | None, typer.Option("--config", help="TOML config file (also IMAGEGATE_CONFIG).")]
DataDirOpt = Annotated[Path | None, typer.Option("--data-dir", help="Where images, keys and the database live.")]


def _settings(config: Path | None, **overrides: Any) -> Settings:
    try:
        return load_settings(config, **overrides)
    except ImagegateError as exc:
        console.print(f"[red]error:[/red] {exc.message}")
        raise typer.Exit(2) from None


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    data_dir: DataDirOpt = None,
    config: ConfigOpt = None,
    no_auth: Annotated[bool, typer.Option("--no-auth", help="Accept requests without API keys.")] = False,
    workers: Annotated[int, typer.Option(min=1, help="Server processes sharing the port and the database.")] = 1,
) -> None:
    """Run the HTTP server (migrates the database on start)."""
    import uvicorn

    from imagegate.app import build_app, prepare, require_text_shaping

    settings = _settings(config, host=host, port=port, data_dir=data_dir, auth=False if no_auth else None, workers=workers)
    try:
        require_text_shaping()
    except ImagegateError as exc:
        console.print(f"[red]error:[/red] {exc.message}")
        raise typer.Exit(2) from None
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(max(logging.WARNING, logging.getLogger().level))  # not a line per upstream call
    prepared = prepare(settings)  # migrations, secrets, the first key: once, before any worker starts
    prepared.db.dispose()
    if prepared.first_key:  # to a terminal only: output redirected to a file or a log never gets it
        where = settings.data_dir / "initial-api-key.txt"
        if console.is_terminal:
            console.print(f"Created the first admin API key (kept in {where}, mode 0600):\n{prepared.first_key}", soft_wrap=True)
        else:
            console.print(f"Created the first admin API key; its secret is in {where} (mode 0600).", soft_wrap=True)
    console.print(f"imagegate listening on http://{settings.host}:{settings.port}/v1 (data in {settings.data_dir}, {workers} worker(s))")
    connections = {"http": "imagegate.api.connections:DeadlineHttpProtocol", "timeout_keep_alive": settings.keepalive_timeout_seconds,
                   "limit_concurrency": settings.max_connections or None}
    if workers == 1:
        uvicorn.run(build_app(settings, freeze_gc=True), host=settings.host, port=settings.port, log_level=settings.log_level, **connections)
        return
    os.environ.update(_worker_environment(config, settings, workers))
    if settings.metrics and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # before any worker imports prometheus_client: every worker writes its values there and
        # a scrape of any of them reports all (emptied first: counters start again at zero)
        from imagegate.api.metrics import prepare_multiprocess_dir

        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(prepare_multiprocess_dir(settings.data_dir))
    uvicorn.run("imagegate.app:create_app", factory=True, workers=workers, host=settings.host, port=settings.port, log_level=settings.log_level,
                **connections)


def _worker_environment(config: Path | None, settings: Settings, workers: int) -> dict[str, str]:
    """What each worker process needs to build the same settings (they read the environment)."""
    env = {"IMAGEGATE_HOST": settings.host, "IMAGEGATE_PORT": str(settings.port), "IMAGEGATE_DATA_DIR": str(Path(settings.data_dir).resolve()),
           "IMAGEGATE_AUTH": "true" if settings.auth else "false", "IMAGEGATE_WORKERS": str(workers)}
    if config is not None:
        env["IMAGEGATE_CONFIG"] = str(Path(config).resolve())
    return env


@app.command()
def models(config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """List the model registry."""
    settings = _settings(config)
    registry = load_registry(settings)
    rows = [{"model": name, "serves": spec.id, "engine": spec.engine, "sizes": list(spec.sizes), "any_size": spec.flexible_sizes,
             "max_n": spec.max_n, "image_output_usd_per_million": spec.prices.image_output} for name, spec in registry.listed()]
    if not as_json:
        for row in rows:
            row["sizes"] = f"{len(row['sizes'])} listed" + (", any WxH" if row["any_size"] else "")
            row["serves"] = "" if row["serves"] == row["model"] else row["serves"]
    emit(rows, [("model", "model"), ("serves", "serves"), ("engine", "engine"), ("sizes", "sizes"), ("max_n", "max n"),
                ("image_output_usd_per_million", "output $/M")], as_json)


def _request_body(prompt: str, model: str | None, size: str | None, quality: str | None, n: int, seed: int | None, fmt: str) -> dict:
    body: dict[str, Any] = {"prompt": prompt, "n": n, "output_format": fmt, "response_format": "b64_json"}
    for key, value in (("model", model), ("size", size), ("quality", quality), ("seed", seed)):
        if value is not None:
            body[key] = value
    return body


async def _generate_local(settings: Settings, body: dict, progress: Progress) -> dict:
    from imagegate.app import build_context, close_context
    from imagegate.pipeline.work import Call

    ctx = build_context(settings)
    try:
        spec = ctx.registry.resolve(body.get("model"))
        engine = ctx.engines.get(spec.id) if spec else None
        if engine is not None and engine.status() != "ready":  # show model loading as its own bar
            loading = progress.add_task(f"loading {spec.id}", total=None)
            await engine.load(lambda p: progress.update(loading, total=p.total, completed=p.step))
            progress.update(loading, visible=False)
        task = progress.add_task("generating", total=None)

        def on_progress(p) -> None:
            progress.update(task, total=p.total * body["n"], completed=(p.index or 0) * p.total + p.step)

        return await ctx.pipeline.create_image(Call(), body, on_progress)
    finally:
        await close_context(ctx)


def _generate_remote(server: str, api_key: str, body: dict) -> dict:
    import httpx

    url = server.rstrip("/") + ("/images/generations" if server.rstrip("/").endswith("/v1") else "/v1/images/generations")
    resp = httpx.post(url, json=body, headers={"Authorization": f"Bearer {api_key}"}, timeout=600)
    payload = resp.json()
    if resp.status_code >= 400:
        raise ImagegateError(payload.get("error", {}).get("message", resp.text))
    return payload


def _output_paths(output: Path, n: int) -> list[Path]:
    if n == 1:
        return [output]
    return [output.with_name(f"{output.stem}-{i + 1}{output.suffix}") for i in range(n)]


@app.command()
def generate(
    prompt: Annotated[str, typer.Argument(help="What to draw.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Output file (n>1 adds -1, -2, ...).")] = Path("out.png"),
    model: Annotated[str | None, typer.Option(help="Model id (default: the registry's default).")] = None,
    size: Annotated[str | None, typer.Option(help="WxH or auto.")] = None,
    quality: Annotated[str | None, typer.Option(help="low | medium | high | auto | standard | hd.")] = None,
    n: Annotated[int, typer.Option("-n", help="Number of images.")] = 1,
    seed: Annotated[int | None, typer.Option(help="Seed for a reproducible result.")] = None,
    fmt: Annotated[str | None, typer.Option("--format", help="png | jpeg | webp (default: from the file name).")] = None,
    server: Annotated[str | None, typer.Option(help="Use a running server at this URL instead of rendering in-process.")] = None,
    api_key: Annotated[str, typer.Option(envvar="OPENAI_API_KEY", help="Key for --server.")] = "imagegate",
    data_dir: DataDirOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Generate images in-process (no server needed) or through --server."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    suffix = output.suffix.lower().lstrip(".")
    fmt = fmt or {"jpg": "jpeg", "jpeg": "jpeg", "webp": "webp"}.get(suffix, "png")
    body = _request_body(prompt, model, size, quality, n, seed, fmt)
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn())
    try:
        with Progress(*columns, console=console, transient=True) as progress:
            if server:
                progress.add_task(f"waiting for {server}", total=None)
                result = _generate_remote(server, api_key, body)
            else:
                result = asyncio.run(_generate_local(_settings(config, data_dir=data_dir), body, progress))
    except ImagegateError as exc:
        console.print(f"[red]error:[/red] {exc.message}")
        raise typer.Exit(1) from None
    for path, item in zip(_output_paths(output, n), result["data"], strict=True):
        path.write_bytes(base64.b64decode(item["b64_json"]))
        console.print(f"wrote {path} ({result['size']}, {result['quality']}, seed {item.get('seed')})")
    if result["data"] and result["data"][0].get("revised_prompt"):
        console.print(f"revised prompt: {result['data'][0]['revised_prompt']}")


keys_app = typer.Typer(help="Create, list and revoke API keys.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")


def _accounts(config: Path | None, data_dir: Path | None):
    from imagegate.app import prepare

    prepared = prepare(_settings(config, data_dir=data_dir), bootstrap=False)
    return prepared.accounts, prepared.db


@keys_app.command("create")
def keys_create(
    name: Annotated[str, typer.Option(help="Who or what the key is for.")],
    budget_usd: Annotated[float | None, typer.Option(help="Spending cap in US dollars.")] = None,
    rpm: Annotated[int | None, typer.Option(help="Requests per minute.")] = None,
    ipm: Annotated[int | None, typer.Option(help="Images per minute.")] = None,
    tpm: Annotated[int | None, typer.Option(help="Tokens per minute.")] = None,
    admin: Annotated[bool, typer.Option("--admin", help="May manage keys and read all usage.")] = False,
    data_dir: DataDirOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Create a key and print its secret (shown only this once)."""
    accounts, db = _accounts(config, data_dir)
    info, secret = accounts.keys.create(name, budget_usd=budget_usd, rpm=rpm, ipm=ipm, tpm=tpm, admin=admin)
    db.dispose()
    console.print(f"created key {info.id} ({info.prefix}) — store this secret now, it is not shown again:")
    typer.echo(secret)


@keys_app.command("list")
def keys_list(data_dir: DataDirOpt = None, config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """List keys with their budgets, spend and limits."""
    accounts, db = _accounts(config, data_dir)
    keys = [k.to_dict() for k in accounts.keys.list()]
    db.dispose()
    if not as_json:
        for d in keys:
            d["budget_usd"] = "-" if d["budget_usd"] is None else f"{d['budget_usd']:.2f}"
            d["spent_usd"] = f"{d['spent_usd']:.4f}"
            d["limits"] = "/".join(str(d.get(v) or "-") for v in ("rpm", "ipm", "tpm"))
            d["name"] = f"{d['name']} (admin)" if d["admin"] else d["name"]
            d["state"] = "revoked" if d["revoked"] else "active"
    emit(keys, [("id", "id"), ("name", "name"), ("prefix", "prefix"), ("budget_usd", "budget $"), ("spent_usd", "spent $"),
                ("limits", "rpm/ipm/tpm"), ("state", "state")], as_json)


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[int, typer.Argument(help="The key's id (see `keys list`).")], data_dir: DataDirOpt = None, config: ConfigOpt = None) -> None:
    """Revoke a key; it stops working at once."""
    accounts, db = _accounts(config, data_dir)
    try:
        info = accounts.keys.revoke(key_id)
    except ImagegateError as exc:
        console.print(f"[red]error:[/red] {exc.message}")
        raise typer.Exit(1) from None
    finally:
        db.dispose()
    console.print(f"revoked key {info.id} ({info.prefix})")


holds_app = typer.Typer(help="List and release budget holds (the budget set aside for requests and jobs in flight).", no_args_is_help=True)
app.add_typer(holds_app, name="holds")


@holds_app.command("list")
def holds_list(
    key_id: Annotated[int | None, typer.Option("--key-id", help="Only this key's holds.")] = None,
    data_dir: DataDirOpt = None,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List open budget holds, with their leases."""
    from datetime import UTC, datetime

    accounts, db = _accounts(config, data_dir)
    holds = accounts.holds.list(key_id)
    db.dispose()
    if as_json:
        emit([h.to_dict() for h in holds], [], as_json=True)
        return
    if not holds:
        console.print("no budget holds")
        return
    now = datetime.now(UTC)
    rows = [{"owner": h.owner, "key": h.key_id, "amount": f"{h.amount_micro_usd / 1e6:.6f}", "since": h.created_at.strftime("%Y-%m-%d %H:%M:%S"),
             "lease": "lapsed" if h.expired else f"{(h.lease_until - now).total_seconds():.0f}s left", "process": h.process} for h in holds]
    emit(rows, [("owner", "owner"), ("key", "key"), ("amount", "amount $"), ("since", "held since (UTC)"), ("lease", "lease"), ("process", "process")], False)


@holds_app.command("release")
def holds_release(owner: Annotated[str, typer.Argument(help="The hold's owner: a request id (req_…) or job id (job_…).")], data_dir: DataDirOpt = None, config: ConfigOpt = None) -> None:
    """Release a hold now, giving its amount back to the key's budget."""
    accounts, db = _accounts(config, data_dir)
    try:
        hold = accounts.holds.pop(owner)
    finally:
        db.dispose()
    if hold is None:
        console.print(f"[red]error:[/red] no budget hold owned by {owner!r}")
        raise typer.Exit(1)
    console.print(f"released {owner}: ${hold.amount_micro_usd / 1e6:.6f} back to key {hold.key_id}")


@app.command()
def usage(
    key: Annotated[int | None, typer.Option(help="Only this key id.")] = None,
    since: Annotated[str | None, typer.Option(help="ISO date or datetime, e.g. 2026-11-01.")] = None,
    group_by: Annotated[str, typer.Option(help="model | day | key")] = "model",
    data_dir: DataDirOpt = None,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Usage and cost from the ledger."""
    from datetime import UTC, datetime

    from imagegate.accounts.usage import usage_rows

    if group_by not in ("model", "day", "key"):
        console.print("[red]error:[/red] --group-by must be model, day or key")
        raise typer.Exit(2)
    try:
        start = datetime.fromisoformat(since).replace(tzinfo=UTC) if since else None
    except ValueError:
        console.print(f"[red]error:[/red] --since {since!r} is not an ISO date")
        raise typer.Exit(2) from None
    accounts, db = _accounts(config, data_dir)
    rows = usage_rows(accounts.ledger, since=start, key_pk=key, group_by=group_by)
    db.dispose()
    if not as_json:
        total = {group_by: "total", "num_model_requests": sum(r["num_model_requests"] for r in rows), "images": sum(r["images"] for r in rows),
                 "cost_usd": sum(r["cost_micro_usd"] for r in rows) / 1e6}
        rows = [*rows, total]
        for r in rows:
            r["cost_usd"] = f"{r['cost_usd']:.6f}"
    emit(rows, [(group_by, group_by), ("num_model_requests", "requests"), ("images", "images"), ("input_tokens", "input tokens"),
                ("output_tokens", "output tokens"), ("cost_usd", "cost $")], as_json)


jobs_app = typer.Typer(help="List async jobs (Prefer: respond-async).", no_args_is_help=True)
app.add_typer(jobs_app, name="jobs")


@jobs_app.command("list")
def jobs_list(
    status: Annotated[str | None, typer.Option(help="Only jobs in this state: queued, running, succeeded, failed, cancelled.")] = None,
    key_id: Annotated[int | None, typer.Option("--key-id", help="Only this key's jobs.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many, newest first.")] = 100,
    data_dir: DataDirOpt = None,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List jobs, newest first."""
    from sqlalchemy import select

    from imagegate.db.session import session_factory
    from imagegate.db.tables import Job

    if status is not None and status not in ("queued", "running", "succeeded", "failed", "cancelled"):
        console.print("[red]error:[/red] --status must be queued, running, succeeded, failed or cancelled")
        raise typer.Exit(2)
    _, db = _accounts(config, data_dir)
    query = select(Job).order_by(Job.created_at.desc()).limit(limit)
    if status is not None:
        query = query.where(Job.status == status)
    if key_id is not None:
        query = query.where(Job.key_id == key_id)
    with session_factory(db)() as s:
        rows = [{"id": j.id, "key_id": j.key_id, "operation": j.operation, "status": j.status, "progress": round(j.progress, 3),
                 "attempts": j.attempts, "created_at": int(j.created_at.timestamp()) if j.created_at else None, "claimed_by": j.claimed_by}
                for j in s.scalars(query)]
    db.dispose()
    emit(rows, [("id", "id"), ("key_id", "key"), ("operation", "operation"), ("status", "status"), ("progress", "progress"),
                ("attempts", "attempts"), ("created_at", "created (unix)"), ("claimed_by", "process")], as_json)
