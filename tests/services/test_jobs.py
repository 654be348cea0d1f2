"""A job resumed after its charge reached the ledger is finished without billing it again."""

from __future__ import annotations

import asyncio
import json

from sqlalchemy import func, select

from imagegate.app import build_context, close_context
from imagegate.config import load_settings
from imagegate.db.tables import Job, LedgerEntry
from imagegate.services.ledger import Charge
from imagegate.services.metering import Usage


def test_resumed_billed_job_is_not_billed_twice(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[models.quick]\nengine = "null"\nsizes = ["256x256"]\n')
    ctx = build_context(load_settings(cfg, data_dir=tmp_path / "d", auth=False))
    sessions = ctx.jobs.sessions
    body = {"model": "quick", "prompt": "a cat", "size": "256x256", "seed": 5}
    with sessions.begin() as s:
        s.add(Job(id="job_x", key_id=None, operation="generation", request_json=json.dumps({"body": body, "files": [], "mask": None}), status="running", progress=0.5, attempts=1))
    ctx.accounts.ledger.settle(None, 0, Charge("job_x", "quick", "256x256", "medium", 1, Usage(output_tokens=66), 2))

    async def resume():
        assert await ctx.jobs.resume_pending() == 1
        await asyncio.gather(*ctx.jobs._tasks.values())
        await close_context(ctx)

    asyncio.run(resume())
    with sessions() as s:
        job = s.get(Job, "job_x")
        assert job.status == "succeeded" and job.attempts == 2
        assert json.loads(job.result_json)["data"][0]["seed"] == 5
        assert s.scalar(select(func.count()).select_from(LedgerEntry).where(LedgerEntry.request_id == "job_x")) == 1
