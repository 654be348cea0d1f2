"""Async jobs (`Prefer: respond-async`): work that outlives proxy timeouts.

A job is validated when submitted (bad requests still get their 400 at once), then stored in
the database with its inputs on disk and run in the background. After a restart, queued and
running jobs run again from what was stored, with the same seed; a job whose charge is already
in the ledger (its id is the ledger's request id) is finished without billing it again.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import anyio
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from imagegate.db.tables import Job, LedgerEntry
from imagegate.engines.base import Progress
from imagegate.errors import AuthenticationError, ImagegateError, NotFoundError
from imagegate.services.accounts import Principal
from imagegate.services.edits import load_edit_inputs, prepare_edit, prepare_variation
from imagegate.services.images import Call, ImageService, Work
from imagegate.services.keys import KeyStore
from imagegate.services.uploads import load_image

log = logging.getLogger("imagegate.jobs")

Raw = tuple[bytes, str | None]
ACTIVE = ("queued", "running")


def _job_dict(job: Job) -> dict[str, Any]:
    return {
        "id": job.id,
        "object": "image.job",
        "operation": job.operation,
        "status": job.status,
        "progress": round(job.progress, 4),
        "created_at": int(job.created_at.timestamp()) if job.created_at else None,
        "updated_at": int(job.updated_at.timestamp()) if job.updated_at else None,
        "result": json.loads(job.result_json) if job.result_json else None,
        "error": json.loads(job.error_json)["error"] if job.error_json else None,
    }


class JobService:
    """Submit, run, inspect and cancel jobs."""

    def __init__(self, sessions: sessionmaker[Session], images: ImageService, keys: KeyStore, data_dir: Path, base_url: str | None = None) -> None:
        self.sessions = sessions
        self.images = images
        self.keys = keys
        self.root = Path(data_dir) / "jobs"
        self.base_url = base_url
        self._tasks: dict[str, asyncio.Task] = {}

    # -- submitting -------------------------------------------------------------------------
    async def submit(self, principal: Principal, operation: str, body: dict, files: list[Raw] = (), mask: Raw | None = None, model_override: str | None = None, base_url: str = "") -> dict[str, Any]:
        """Validate now, store, start in the background; the job's JSON (202)."""
        job_id = f"job_{secrets.token_hex(12)}"
        work = await self._prepare(operation, body, list(files), mask, model_override, job_id)
        stored = {**body, "seed": work.req.seed}  # a resumed job makes the same images
        files_meta = await anyio.to_thread.run_sync(self._save_files, job_id, list(files), mask)
        request = {"body": stored, "base_url": base_url, **files_meta}
        job = Job(id=job_id, key_id=principal.key_pk, operation=operation, model_override=model_override,
                  request_json=json.dumps(request), status="queued", progress=0.0, attempts=0)
        await anyio.to_thread.run_sync(self._add, job)
        self._start(job_id)
        return await self.get(job_id, principal)

    def _save_files(self, job_id: str, files: list[Raw], mask: Raw | None) -> dict[str, Any]:
        folder = self.root / job_id
        meta: dict[str, Any] = {"files": [], "mask": None}
        if not files and mask is None:
            return meta
        folder.mkdir(parents=True, exist_ok=True)
        for i, (data, mime) in enumerate(files):
            (folder / f"image-{i}").write_bytes(data)
            meta["files"].append({"name": f"image-{i}", "mime": mime})
        if mask is not None:
            (folder / "mask").write_bytes(mask[0])
            meta["mask"] = {"name": "mask", "mime": mask[1]}
        return meta

    def _load_files(self, job_id: str, meta: dict[str, Any]) -> tuple[list[Raw], Raw | None]:
        folder = self.root / job_id
        files = [((folder / f["name"]).read_bytes(), f["mime"]) for f in meta.get("files", [])]
        mask = meta.get("mask")
        return files, ((folder / mask["name"]).read_bytes(), mask["mime"]) if mask else None

    async def _prepare(self, operation: str, body: dict, files: list[Raw], mask: Raw | None, model_override: str | None, job_id: str) -> Work:
        if operation == "generation":
            return await self.images.prepare(self.images.parse(body, model_override), job_id)
        if operation == "edit":
            inputs = await anyio.to_thread.run_sync(load_edit_inputs, files, mask)
            return await prepare_edit(self.images, body, inputs, model_override, job_id)
        upload = await anyio.to_thread.run_sync(lambda: load_image(files[0][0], files[0][1], "image", max_bytes=4 * 1024 * 1024))
        return await prepare_variation(self.images, body, upload)

    # -- database ---------------------------------------------------------------------------
    def _add(self, job: Job) -> None:
        with self.sessions.begin() as s:
            s.add(job)

    def _set(self, job_id: str, **values: Any) -> None:
        with self.sessions.begin() as s:
            s.execute(update(Job).where(Job.id == job_id).values(updated_at=datetime.now(UTC), **values))

    def _load(self, job_id: str) -> Job | None:
        with self.sessions() as s:
            return s.get(Job, job_id)

    def _billed(self, job_id: str) -> bool:
        with self.sessions() as s:
            return s.scalar(select(LedgerEntry.id).where(LedgerEntry.request_id == job_id)) is not None

    def _active_ids(self) -> list[str]:
        with self.sessions() as s:
            return list(s.scalars(select(Job.id).where(Job.status.in_(ACTIVE)).order_by(Job.created_at)))

    # -- reading and cancelling -------------------------------------------------------------
    async def get(self, job_id: str, principal: Principal) -> dict[str, Any]:
        """The job, if the caller owns it (admins and auth-off servers see every job)."""
        job = await anyio.to_thread.run_sync(self._load, job_id)
        if job is None or not self._visible(job, principal):
            raise NotFoundError(f"No job with id '{job_id}'.", param="job_id", code="not_found")
        return _job_dict(job)

    def _visible(self, job: Job, principal: Principal) -> bool:
        key = principal.key
        return key is None or key.is_admin or job.key_id == key.id

    async def cancel(self, job_id: str, principal: Principal) -> dict[str, Any]:
        """Stop a queued or running job; its unused budget reservation is released."""
        current = await self.get(job_id, principal)
        if current["status"] in ACTIVE:
            task = self._tasks.pop(job_id, None)
            if task is not None:
                task.cancel()
                with anyio.CancelScope(shield=True):
                    await asyncio.gather(task, return_exceptions=True)
            await anyio.to_thread.run_sync(lambda: self._set(job_id, status="cancelled"))
        return await self.get(job_id, principal)

    # -- running ----------------------------------------------------------------------------
    def _start(self, job_id: str) -> None:
        self._tasks[job_id] = asyncio.create_task(self._run(job_id), name=job_id)

    async def resume_pending(self) -> int:
        """Start every job a previous process left queued or running."""
        ids = await anyio.to_thread.run_sync(self._active_ids)
        for job_id in ids:
            self._start(job_id)
        if ids:
            log.info("resuming %d job(s) from before the restart", len(ids))
        return len(ids)

    async def _run(self, job_id: str) -> None:
        try:
            job = await anyio.to_thread.run_sync(self._load, job_id)
            await anyio.to_thread.run_sync(lambda: self._set(job_id, status="running", attempts=job.attempts + 1))
            result = await self._execute(job)
            await anyio.to_thread.run_sync(lambda: self._set(job_id, status="succeeded", progress=1.0, result_json=json.dumps(result)))
        except asyncio.CancelledError:
            raise
        except ImagegateError as exc:
            error_json = json.dumps(exc.to_body())
            await anyio.to_thread.run_sync(lambda: self._set(job_id, status="failed", error_json=error_json))
        except Exception:  # noqa: BLE001 - a job must end in a state, never vanish
            log.exception("job %s failed", job_id)
            error = {"error": {"message": "The server had an error while processing this job.", "type": "server_error", "param": None, "code": None}}
            await anyio.to_thread.run_sync(lambda: self._set(job_id, status="failed", error_json=json.dumps(error)))
        finally:
            self._tasks.pop(job_id, None)

    async def _execute(self, job: Job) -> dict[str, Any]:
        request = json.loads(job.request_json)
        files, mask = await anyio.to_thread.run_sync(self._load_files, job.id, request)
        work = await self._prepare(job.operation, request["body"], files, mask, job.model_override, job.id)
        billed = await anyio.to_thread.run_sync(self._billed, job.id)
        principal = Principal()
        if job.key_id is not None and not billed:
            key = await anyio.to_thread.run_sync(self.keys.get, job.key_id)
            if key.revoked:
                raise AuthenticationError("The API key that submitted this job was revoked.", code="invalid_api_key")
            principal = Principal(key)
        call = Call(principal=principal, request_id=job.id, base_url=self.base_url or request.get("base_url") or "http://localhost")
        last = [0.0]

        def on_progress(p: Progress) -> None:
            done = ((p.index or 0) * p.total + p.step) / max(1, p.total * work.req.n)
            if done - last[0] >= 0.1:
                last[0] = done
                self._set(job.id, progress=min(0.99, done))

        result = await self.images.run(work, call, on_progress=on_progress, bill=not billed)
        await anyio.to_thread.run_sync(lambda: shutil.rmtree(self.root / job.id, ignore_errors=True))
        return result

    async def close(self) -> None:
        """Stop running jobs without changing their state: the next start resumes them."""
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
