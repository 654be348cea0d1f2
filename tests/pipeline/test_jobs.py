"""The job service: a resumed job is never billed twice; the queue is fair and bounded."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from imagegate.accounts.ledger import Charge
from imagegate.accounts.metering import Usage
from imagegate.app import build_context, close_context
from imagegate.config import load_settings
from imagegate.db.tables import Job, LedgerEntry
from imagegate.pipeline.jobs import FairQueue
from imagegate.plan import Plan


def test_resumed_billed_job_is_not_billed_twice(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[models.quick]\nengine = "null"\nsizes = ["256x256"]\n')
    ctx = build_context(load_settings(cfg, data_dir=tmp_path / "d", auth=False))
    sessions = ctx.jobs.sessions
    body = {"model": "quick", "prompt": "a cat", "size": "256x256", "seed": 5}
    prepared = {"plan": Plan(prompt="a cat").to_dict(), "size": [256, 256], "inputs": {"text_tokens": 2}, "research": None}
    request = {"body": body, "files": [], "mask": None, "prepared": prepared}
    with sessions.begin() as s:
        s.add(Job(id="job_x", key_id=None, operation="generation", request_json=json.dumps(request), status="running", progress=0.5, attempts=1))
    ctx.accounts.holds.settle("job_x", None, Charge("job_x", "quick", "256x256", "medium", 1, Usage(output_tokens=66), 2))

    async def resume():
        assert await ctx.jobs.start() == 1
        while len(ctx.jobs.queue) or ctx.jobs.running:
            await asyncio.sleep(0.01)
        await close_context(ctx)

    asyncio.run(resume())
    with sessions() as s:
        job = s.get(Job, "job_x")
        assert job.status == "succeeded" and job.attempts == 2
        result = json.loads(job.result_json)
        assert result["images"][0]["seed"] == 5 and ctx.job_store.get(result["images"][0]["name"])
        assert s.scalar(select(func.count()).select_from(LedgerEntry).where(LedgerEntry.request_id == "job_x")) == 1


def test_fair_queue_takes_turns_across_keys():
    queue = FairQueue()
    for i in range(4):
        queue.push("busy", f"b{i}")
    queue.push("quiet", "q0")
    queue.push(None, "n0")
    assert [queue.pop() for _ in range(4)] == ["b0", "q0", "n0", "b1"]
    assert queue.remove("b3") and not queue.remove("b3")
    assert [queue.pop(), queue.pop()] == ["b2", None]
    assert len(queue) == 0


def test_orphaned_jobs_are_claimed_by_exactly_one_process(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[models.quick]\nengine = "null"\nsizes = ["256x256"]\n')
    settings = load_settings(cfg, data_dir=tmp_path / "d", auth=False)
    first, second = build_context(settings), build_context(settings)  # two server processes on one database
    second.jobs.instance, second.jobs.pid = "elsewhere:1:x", -1  # as if another process on another host
    with first.jobs.sessions.begin() as s:
        for i in range(12):
            s.add(Job(id=f"job_{i}", key_id=None, operation="generation", request_json="{}", status="queued", progress=0.0, attempts=0,
                      claimed_by=None if i % 2 else "gone-host:99:x", claim_until=None if i % 2 else datetime.now(UTC) - timedelta(seconds=5)))
        s.add(Job(id="job_live", key_id=None, operation="generation", request_json="{}", status="queued", progress=0.0, attempts=0,
                  claimed_by="busy-host:1:y", claim_until=datetime.now(UTC) + timedelta(seconds=60)))
    with ThreadPoolExecutor(2) as pool:
        got = list(pool.map(lambda jobs: {j for j, _ in jobs._claim_orphans()}, [first.jobs, second.jobs]))
    assert got[0] | got[1] == {f"job_{i}" for i in range(12)} and not got[0] & got[1]  # every orphan once; the live claim untouched
    with first.jobs.sessions() as s:
        assert s.get(Job, "job_live").claimed_by == "busy-host:1:y"
    asyncio.run(close_context(first))
    asyncio.run(close_context(second))
