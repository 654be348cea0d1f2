"""Async jobs (`Prefer: respond-async`): work that outlives proxy timeouts, as a bounded queue.

A submit is admitted like any request (rate limits, then a budget hold owned by the job id) and
prepared at once (screened, planned, researched); the prepared plan is stored with the request,
so none of that runs again. Jobs then wait in a queue that is fair across keys, and at most
`concurrency` run at a time in this process. Results are image files in their own store, with
the same signed URLs, kept for `retention_seconds` and then deleted with their rows; a poll
answers the shape the client asked for (`url`, `b64_json` or both). Inputs are deleted in every
terminal state. After a restart, queued and running jobs run again from what was stored, with
their own hold and the same seed; a job whose charge already reached the ledger is never billed
twice (settling is idempotent per job id).
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import json
import logging
import os
import secrets
import socket
import shutil
import time
from collections import deque
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import anyio
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from imagegate.accounts.metering import Usage
from imagegate.accounts.service import Admission, Principal
from imagegate.db.tables import Job, LedgerEntry
from imagegate.engines.base import Progress
from imagegate.errors import AuthenticationError, ImagegateError, NotFoundError
from imagegate.pipeline import edits
from imagegate.pipeline.core import Pipeline, research_dict
from imagegate.pipeline.edits import EditRequest, EditUploads
from imagegate.pipeline.uploads import Raw
from imagegate.pipeline.validation import ResolvedRequest
from imagegate.pipeline.work import Call, Done, Ticket, Work, on_loop_thread
from imagegate.plan import Plan
from imagegate.research.search import Research
from imagegate.storage.local import LocalStore, private_dir, storage_error, write_private

log = logging.getLogger("imagegate.jobs")

ACTIVE = ("queued", "running")
SERVER_ERROR = {"error": {"message": "The server had an error while processing this job.", "type": "server_error", "param": None, "code": None}}


@dataclass(frozen=True)
class Submission:
    """A validated request to run as a job, with its uploads (header-checked) if any."""

    operation: str  # generation | edit | variation
    req: ResolvedRequest
    text: Usage
    body: dict[str, Any]
    edit: EditRequest | None = None
    uploads: EditUploads | None = None
    files: tuple[Raw, ...] = ()
    mask: Raw | None = None
    model_override: str | None = None


class FairQueue:
    """Round-robin across keys: each key's jobs in order, one key after another."""

    def __init__(self) -> None:
        self._queues: dict[Hashable, deque[str]] = {}
        self._turns: deque[Hashable] = deque()

    def push(self, key: Hashable, item: str) -> None:
        if key not in self._queues:
            self._queues[key] = deque()
            self._turns.append(key)
        self._queues[key].append(item)

    def pop(self) -> str | None:
        """The next key's oldest item (None when empty)."""
        if not self._turns:
            return None
        key = self._turns.popleft()
        queue = self._queues[key]
        item = queue.popleft()
        if queue:
            self._turns.append(key)
        else:
            del self._queues[key]
        return item

    def remove(self, item: str) -> bool:
        """Take `item` out wherever it waits; False if it was not queued."""
        for key, queue in list(self._queues.items()):
            if item in queue:
                queue.remove(item)
                if not queue:
                    del self._queues[key]
                    self._turns.remove(key)
                return True
        return False

    def __len__(self) -> int:
        return sum(len(q) for q in self._queues.values())


class JobSink:
    """Progress of a running job into its row (at most every 10 %); no partial images."""

    partial_images = 0

    def __init__(self, service: JobService, job_id: str, n: int) -> None:
        self.service = service
        self.job_id = job_id
        self.n = n
        self._last = 0.0
        self._loop = asyncio.get_running_loop()

    def on_progress(self, p: Progress) -> None:
        done = ((p.index or 0) * p.total + p.step) / max(1, p.total * self.n)
        if done - self._last < 0.1:
            return
        self._last = done
        write = lambda: self.service._set(self.job_id, ACTIVE[1:], progress=min(0.99, done))  # noqa: E731
        if on_loop_thread(self._loop):
            self._loop.run_in_executor(None, write)
        else:
            write()  # already in the engine's worker thread

    def partial_counts(self, n: int) -> list[int]:
        return [0] * n


def _alive(holder: str, me: str, my_pid: int) -> bool:
    """Whether the process named by a claim (host:pid:token, on this host) still runs."""
    _, pid, _ = (holder.split(":") + ["", ""])[:3]
    if not pid.isdigit():
        return False
    if int(pid) == my_pid:
        return holder == me  # our pid but another token: an earlier life of this process id
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _research_from(data: dict[str, Any] | None) -> Research | None:
    if not data:
        return None
    return Research(data["status"], data.get("query"), tuple(data.get("facts", ())), tuple(data.get("sources", ())), data.get("dropped", 0), data.get("cached", False))


class JobService:
    """Submit, run, inspect and cancel jobs."""

    def __init__(self, sessions: sessionmaker[Session], pipeline: Pipeline, data_dir: Path, *, results: LocalStore,
                 base_url: str | None = None, concurrency: int = 2, retention_seconds: float = 86400.0, pixel_budget: int = 64_000_000,
                 claim_seconds: float = 30.0) -> None:
        self.sessions = sessions
        self.pipeline = pipeline
        self.root = Path(data_dir) / "jobs"
        self.results = results
        self.base_url = base_url
        self.concurrency = max(1, concurrency)
        self.retention_seconds = retention_seconds
        self.pixel_budget = pixel_budget
        self.queue = FairQueue()
        self._tickets: dict[str, Ticket] = {}  # job id -> its live hold and cancel token
        self._running: dict[str, asyncio.Task] = {}
        self._wake = asyncio.Event()
        self._dispatcher: asyncio.Task | None = None
        self._claimer: asyncio.Task | None = None
        self._closing = False
        self.claim_seconds = claim_seconds
        self.pid = os.getpid()
        self.instance = f"{socket.gethostname()}:{self.pid}:{secrets.token_hex(4)}"  # this process, in job claims

    # -- lifecycle --------------------------------------------------------------------------
    async def start(self) -> int:
        """Claim the jobs that processes which stopped left queued or running, queue them, and
        start dispatching; how many were resumed. With several server processes each job is
        claimed by exactly one of them."""
        resumed = await self._claim()
        if resumed:
            log.info("resuming %d job(s) left by a stopped process", resumed)
        self._dispatcher = asyncio.create_task(self._dispatch(), name="job-dispatcher")
        self._claimer = asyncio.create_task(self._claim_forever(), name="job-claims")
        self._wake.set()
        return resumed

    async def _claim(self) -> int:
        rows = await anyio.to_thread.run_sync(self._claim_orphans)
        for job_id, key_id in rows:
            self.queue.push(key_id, job_id)
        if rows:
            self._wake.set()
        return len(rows)

    async def _claim_forever(self) -> None:
        """Keep this process's claims alive; take over jobs whose process stopped renewing."""
        while True:
            await asyncio.sleep(self.claim_seconds / 3)
            try:
                await anyio.to_thread.run_sync(self._renew_claims)
                await self._claim()
            except Exception:  # noqa: BLE001 - a database hiccup must not end the claims
                log.exception("renewing job claims failed")

    async def close(self) -> None:
        """Stop running jobs without changing their state or releasing their holds: the next
        start resumes them."""
        self._closing = True
        tasks = [t for t in (self._dispatcher, self._claimer, *self._running.values()) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _dispatch(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while len(self._running) < self.concurrency:
                job_id = self.queue.pop()
                if job_id is None:
                    break
                self._running[job_id] = asyncio.create_task(self._run(job_id), name=job_id)

    @property
    def running(self) -> int:
        return len(self._running)

    # -- submitting -------------------------------------------------------------------------
    async def submit(self, call: Call, sub: Submission) -> dict[str, Any]:
        """Admit (429 like any request), prepare and store a job; its JSON (202)."""
        job_id = f"job_{secrets.token_hex(12)}"
        pipeline = self.pipeline
        if sub.edit is not None and sub.uploads is not None:
            size = edits.output_size(sub.edit, sub.uploads)
            ceiling = pipeline.ceiling(sub.req, edits.ceiling_inputs(sub.edit, sub.uploads, sub.text), [size])
        else:
            ceiling = pipeline.ceiling(sub.req, sub.text)
        ticket = await pipeline.admit(call, sub.req, ceiling, owner=job_id)
        try:
            prepared = await self._prepare(sub, ticket)
            files_meta = await anyio.to_thread.run_sync(self._save_files, job_id, list(sub.files), sub.mask)
            request = {"body": {**sub.body, "seed": sub.req.seed}, "model_override": sub.model_override, "base_url": call.base_url, "prepared": prepared, **files_meta}
            job = Job(id=job_id, key_id=call.principal.key_pk, operation=sub.operation, model_override=sub.model_override,
                      request_json=json.dumps(request), status="queued", progress=0.0, attempts=0,
                      claimed_by=self.instance, claim_until=self._claim_deadline())
            await anyio.to_thread.run_sync(self._add, job)
        except BaseException:
            with anyio.CancelScope(shield=True):
                await pipeline.close(ticket)
                await anyio.to_thread.run_sync(self._delete_inputs, job_id)
            raise
        self._tickets[job_id] = ticket
        self.queue.push(call.principal.key_pk, job_id)
        self._wake.set()
        return await self.get(job_id, call.principal, call.base_url)

    async def _prepare(self, sub: Submission, ticket: Ticket) -> dict[str, Any]:
        """Screen, plan and research now; what the job needs to run later, as JSON."""
        pipeline = self.pipeline
        if sub.edit is not None and sub.uploads is not None:
            plan, size = await edits.analyse(pipeline, sub.edit, sub.uploads, ticket)
            inputs, research = edits.billed_inputs(pipeline, sub.edit, sub.uploads, sub.text), None
        else:
            work = await pipeline.prepare(sub.req, ticket, sub.text)
            plan, size, inputs, research = work.plan, work.size, work.input_usage, work.research
        return {"plan": plan.to_dict(), "size": list(size), "inputs": dataclasses.asdict(inputs),
                "research": dataclasses.asdict(research) if research is not None else None}

    def _save_files(self, job_id: str, files: list[Raw], mask: Raw | None) -> dict[str, Any]:
        meta: dict[str, Any] = {"files": [], "mask": None}
        if not files and mask is None:
            return meta
        folder = self.root / job_id
        try:
            private_dir(folder)
            for i, (data, mime) in enumerate(files):
                write_private(folder / f"image-{i}", data)
                meta["files"].append({"name": f"image-{i}", "mime": mime})
            if mask is not None:
                write_private(folder / "mask", mask[0])
                meta["mask"] = {"name": "mask", "mime": mask[1]}
        except OSError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise storage_error(exc) from None
        return meta

    def _load_files(self, job_id: str, meta: dict[str, Any]) -> tuple[list[Raw], Raw | None]:
        folder = self.root / job_id
        files = [((folder / f["name"]).read_bytes(), f["mime"]) for f in meta.get("files", [])]
        mask = meta.get("mask")
        return files, ((folder / mask["name"]).read_bytes(), mask["mime"]) if mask else None

    def _delete_inputs(self, job_id: str) -> None:
        shutil.rmtree(self.root / job_id, ignore_errors=True)

    # -- database ---------------------------------------------------------------------------
    def _add(self, job: Job) -> None:
        with self.sessions.begin() as s:
            s.add(job)

    def _set(self, job_id: str, only_from: tuple[str, ...] = ACTIVE, **values: Any) -> bool:
        """Update a job still in one of `only_from` (a cancelled job stays cancelled)."""
        with self.sessions.begin() as s:
            stmt = update(Job).where(Job.id == job_id, Job.status.in_(only_from)).values(updated_at=datetime.now(UTC), **values)
            return s.execute(stmt).rowcount == 1

    def _load(self, job_id: str) -> Job | None:
        with self.sessions() as s:
            return s.get(Job, job_id)

    def _claim_deadline(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.claim_seconds)

    def _renew_claims(self) -> None:
        with self.sessions.begin() as s:
            s.execute(update(Job).where(Job.claimed_by == self.instance, Job.status.in_(ACTIVE)).values(claim_until=self._claim_deadline()))

    def _claim_orphans(self) -> list[tuple[str, int | None]]:
        """Claim active jobs nobody holds: unclaimed, claim lapsed, or claimed by a process of
        this host that is gone. One conditional UPDATE each: exactly one process wins."""
        now = datetime.now(UTC)
        host = socket.gethostname()
        with self.sessions() as s:
            rows = s.execute(
                select(Job.id, Job.key_id, Job.claimed_by)
                .where(Job.status.in_(ACTIVE), or_(Job.claimed_by.is_(None), Job.claim_until < now, Job.claimed_by.like(f"{host}:%")))
                .order_by(Job.created_at)
            ).all()
        claimed = []
        for job_id, key_id, holder in rows:
            if holder == self.instance or (holder is not None and holder.startswith(f"{host}:") and _alive(holder, self.instance, self.pid) and not self._lapsed(job_id, now)):
                continue
            owned_by = Job.claimed_by.is_(None) if holder is None else Job.claimed_by == holder
            with self.sessions.begin() as s:
                won = s.execute(update(Job).where(Job.id == job_id, Job.status.in_(ACTIVE), owned_by)
                                .values(claimed_by=self.instance, claim_until=self._claim_deadline())).rowcount == 1
            if won:
                claimed.append((job_id, key_id))
        return claimed

    def _lapsed(self, job_id: str, now: datetime) -> bool:
        with self.sessions() as s:
            return s.scalar(select(Job.id).where(Job.id == job_id, Job.claim_until < now)) is not None

    # -- reading and cancelling -------------------------------------------------------------
    async def get(self, job_id: str, principal: Principal, base_url: str = "") -> dict[str, Any]:
        """The job, if the caller owns it (admins and auth-off servers see every job)."""
        job = await anyio.to_thread.run_sync(self._load, job_id)
        if job is None or not self._visible(job, principal):
            raise NotFoundError(f"No job with id '{job_id}'.", param="job_id", code="not_found")
        result = await anyio.to_thread.run_sync(self._result, job, base_url) if job.result_json else None
        return {
            "id": job.id, "object": "image.job", "operation": job.operation, "status": job.status, "progress": round(job.progress, 4),
            "created_at": int(job.created_at.timestamp()) if job.created_at else None,
            "updated_at": int(job.updated_at.timestamp()) if job.updated_at else None,
            "result": result, "error": json.loads(job.error_json)["error"] if job.error_json else None,
        }

    def _result(self, job: Job, base_url: str) -> dict[str, Any]:
        """The images response in the shape the client asked for, from the stored files."""
        stored = json.loads(job.result_json)
        want_url, want_b64 = stored.pop("want_url"), stored.pop("want_b64")
        revised = stored.pop("revised_prompt", None)
        data = []
        for image in stored.pop("images"):
            item: dict[str, Any] = {}
            if want_b64:
                raw = self.results.get(image["name"])
                if raw is not None:
                    item["b64_json"] = base64.b64encode(raw).decode("ascii")
            if want_url:
                item["url"] = self.pipeline.image_url(image["name"], self.base_url or base_url or "http://localhost")
            if revised:
                item["revised_prompt"] = revised
            item["seed"] = image["seed"]
            data.append(item)
        return {"created": stored.pop("created"), "data": data, **stored}

    def _visible(self, job: Job, principal: Principal) -> bool:
        key = principal.key
        return key is None or key.is_admin or job.key_id == key.id

    async def cancel(self, job_id: str, principal: Principal, base_url: str = "") -> dict[str, Any]:
        """Cancel a queued or running job at once; its work stops and its hold is released."""
        await self.get(job_id, principal, base_url)
        if await anyio.to_thread.run_sync(lambda: self._set(job_id, status="cancelled")):
            await self._stop(job_id, "the job was cancelled")
        return await self.get(job_id, principal, base_url)

    async def _stop(self, job_id: str, reason: str) -> None:
        if self.queue.remove(job_id):  # never started: release here
            ticket = self._tickets.pop(job_id, None)
            if ticket is not None:
                await self.pipeline.close(ticket)
            else:
                await self._release_hold(job_id)
            await anyio.to_thread.run_sync(self._delete_inputs, job_id)
            return
        ticket = self._tickets.get(job_id)
        if ticket is not None:
            ticket.cancel.cancel(reason)  # the engine stops at its next check
        task = self._running.get(job_id)
        if task is not None:
            task.cancel()  # not awaited: the task releases the hold and deletes inputs itself

    async def _release_hold(self, job_id: str) -> None:
        """Release a job's hold by its owner id (no ticket in this process: a resumed job)."""
        self.pipeline.accounts.keeper.untrack(job_id)
        await anyio.to_thread.run_sync(self.pipeline.accounts.holds.release, job_id)

    async def revoke_key(self, key_pk: int) -> int:
        """A key was revoked: fail its queued and running jobs; how many."""
        ids = await anyio.to_thread.run_sync(self._key_jobs, key_pk)
        error = json.dumps(AuthenticationError("The API key that submitted this job was revoked.", code="invalid_api_key").to_body())
        for job_id in ids:
            if await anyio.to_thread.run_sync(lambda j=job_id: self._set(j, status="failed", error_json=error)):
                await self._stop(job_id, "the API key was revoked")
        return len(ids)

    def _key_jobs(self, key_pk: int) -> list[str]:
        with self.sessions() as s:
            return list(s.scalars(select(Job.id).where(Job.key_id == key_pk, Job.status.in_(ACTIVE))))

    # -- running ----------------------------------------------------------------------------
    async def _run(self, job_id: str) -> None:
        ticket: Ticket | None = None
        try:
            job = await anyio.to_thread.run_sync(self._load, job_id)
            if job is None or job.status not in ACTIVE:
                return
            await anyio.to_thread.run_sync(lambda: self._set(job_id, status="running", attempts=job.attempts + 1))
            work = await self._rebuild(job, json.loads(job.request_json))
            ticket = self._tickets.get(job_id) or await self._adopt(job, work)
            self._tickets[job_id] = ticket
            done = await self.pipeline.execute(work, ticket, JobSink(self, job_id, work.req.n), store=self.results)
            result = json.dumps(self._stored_result(done))
            await anyio.to_thread.run_sync(lambda: self._set(job_id, status="succeeded", progress=1.0, result_json=result))
        except asyncio.CancelledError:
            if self._closing:  # shutting down: leave the job (and its hold) for the next start
                self._tickets.pop(job_id, None)
                ticket = None
                raise
            await anyio.to_thread.run_sync(lambda: self._set(job_id, status="cancelled"))
        except ImagegateError as exc:
            error_json = json.dumps(exc.to_body())
            await anyio.to_thread.run_sync(lambda: self._set(job_id, status="failed", error_json=error_json))
        except Exception:  # noqa: BLE001 - a job must end in a state, never vanish
            log.exception("job %s failed", job_id)
            await anyio.to_thread.run_sync(lambda: self._set(job_id, status="failed", error_json=json.dumps(SERVER_ERROR)))
        finally:
            self._running.pop(job_id, None)
            if not self._closing:
                self._wake.set()
                with anyio.CancelScope(shield=True):  # every terminal state: hold released, inputs deleted
                    ticket = self._tickets.pop(job_id, None) or ticket
                    if ticket is not None:
                        await self.pipeline.close(ticket)
                    else:
                        await self._release_hold(job_id)
                    await anyio.to_thread.run_sync(self._delete_inputs, job_id)

    async def _adopt(self, job: Job, work: Work) -> Ticket:
        """The ticket of a job resumed after a restart: its own hold, kept across the restart;
        admitted afresh only if that hold is gone and the job was never charged."""
        principal = Principal()
        if job.key_id is not None:
            key = await anyio.to_thread.run_sync(self.pipeline.accounts.keys.get, job.key_id)
            if key.revoked:
                raise AuthenticationError("The API key that submitted this job was revoked.", code="invalid_api_key")
            principal = Principal(key)
        call = Call(principal=principal, request_id=job.id)
        if principal.key is None:
            return await self.pipeline.adopt(call, Admission(principal, job.id))
        admission = await anyio.to_thread.run_sync(self.pipeline.accounts.adopt, principal, job.id)
        if admission is not None:
            return await self.pipeline.adopt(call, admission)
        if await anyio.to_thread.run_sync(self._billed, job.id):
            return await self.pipeline.adopt(call, Admission(principal, job.id))  # settling again changes nothing
        return await self.pipeline.admit(call, work.req, work.usage(), owner=job.id)

    def _billed(self, job_id: str) -> bool:
        with self.sessions() as s:
            return s.scalar(select(LedgerEntry.id).where(LedgerEntry.request_id == job_id)) is not None

    async def _rebuild(self, job: Job, request: dict[str, Any]) -> Work:
        """The job's Work from what was stored at submit: no screening, planning or research."""
        pipeline = self.pipeline
        prepared = request["prepared"]
        body, override = request["body"], request.get("model_override")
        plan = Plan.from_dict(prepared["plan"])
        size = tuple(prepared["size"])
        inputs = Usage(**prepared["inputs"])
        if job.operation == "generation":
            return pipeline.work(pipeline.parse(body, override), plan, size, inputs, _research_from(prepared.get("research")))
        edit = edits.parse_edit(pipeline, body, override) if job.operation == "edit" else edits.parse_variation(pipeline, body)
        files, mask = await anyio.to_thread.run_sync(self._load_files, job.id, request)
        uploads = await anyio.to_thread.run_sync(edits.probe_uploads, job.operation, files, mask, self.pixel_budget)
        return await edits.build_work(pipeline, edit, uploads, plan, size, inputs)

    def _stored_result(self, done: Done) -> dict[str, Any]:
        work = done.work
        out: dict[str, Any] = {
            "created": int(time.time()), "want_url": work.req.want_url, "want_b64": work.req.want_b64,
            "images": [{"name": image.name, "seed": image.seed} for image in done.images],
            "revised_prompt": self.pipeline.revised_prompt(work), **Pipeline.echo(work), "usage": done.usage.to_wire(),
        }
        if work.req.include_plan:
            out["plan"] = work.plan.to_dict()
        if work.research is not None:
            out["research"] = research_dict(work.research)
        return out

    # -- retention --------------------------------------------------------------------------
    def sweep(self) -> int:
        """Delete finished jobs older than the retention (their result files age out of the
        results store on the same clock); how many rows went."""
        cutoff = datetime.now(UTC) - timedelta(seconds=self.retention_seconds)
        with self.sessions.begin() as s:
            old = list(s.scalars(select(Job.id).where(Job.status.not_in(ACTIVE), Job.updated_at < cutoff)))
            if old:
                s.execute(delete(Job).where(Job.id.in_(old)))
        for job_id in old:
            self._delete_inputs(job_id)
        self.results.sweep(self.retention_seconds)
        return len(old)
