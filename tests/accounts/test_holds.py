"""Budget holds as rows with leases, on SQLite and on PostgreSQL: none is stranded by a dead process."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
import textwrap
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from ledger_helpers import charge, engines, money, sessions  # noqa: F401 - fixtures

from imagegate.accounts.holds import HoldKeeper, Holds
from imagegate.accounts.keys import KeyStore
from imagegate.accounts.ledger import Ledger
from imagegate.accounts.metering import Usage
from imagegate.accounts.ratelimit import InProcessRateLimiter
from imagegate.accounts.service import Accounts, Principal
from imagegate.app import build_app, prepare
from imagegate.cli import app as cli_app
from imagegate.config import load_registry, load_settings
from imagegate.db.session import session_factory
from imagegate.db.tables import Hold, Job, LedgerEntry
from imagegate.errors import RateLimitError


class Clock:
    """A settable clock, in UTC."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def count(sessions, table) -> int:
    with sessions() as s:
        return s.scalar(select(func.count()).select_from(table))


def test_take_settle_release_amounts_and_ledger(sessions):
    keys, holds, ledger = KeyStore(sessions), Holds(sessions, process="here:1"), Ledger(sessions)
    info, _ = keys.create("k", budget_usd=1)
    assert holds.take("req_a", info.id, 300_000) and holds.take("req_b", info.id, 200_000)
    assert money(keys, info.id) == (0, 500_000)
    hold = holds.get("req_a")
    assert (hold.key_id, hold.amount_micro_usd, hold.process, hold.expired) == (info.id, 300_000, "here:1", False)
    d = hold.to_dict()
    assert d["amount_usd"] == 0.3 and d["lease_until"] - d["created_at"] == 30 and d["owner"] == "req_a"
    holds.settle("req_a", info.id, charge("req_a", 250_000))  # actual cost below the hold
    assert money(keys, info.id) == (250_000, 200_000)
    assert [(e.request_id, e.key_id, e.cost_micro_usd) for e in ledger.entries()] == [("req_a", info.id, 250_000)]
    assert holds.release("req_b") == 200_000 and holds.release("req_b") == 0  # idempotent
    assert money(keys, info.id) == (250_000, 0) and holds.list() == []
    assert holds.take("req_c", None, 10**12)  # no key (auth off): nothing to hold, no row
    holds.settle("req_c", None, charge("req_c", 7))
    assert count(sessions, Hold) == 0 and ledger.total_cost() == 250_007


def test_over_budget_refusal_writes_nothing(sessions):
    keys, holds = KeyStore(sessions), Holds(sessions)
    info, _ = keys.create("k", budget_usd=0.001)
    assert holds.take("req_a", info.id, 600)
    assert not holds.take("req_b", info.id, 401)
    assert holds.get("req_b") is None and count(sessions, Hold) == 1
    assert money(keys, info.id) == (0, 600)
    assert holds.take("req_b", info.id, 400)  # exactly the budget


def test_settling_twice_charges_once(sessions):
    keys, holds, ledger = KeyStore(sessions), Holds(sessions), Ledger(sessions)
    info, _ = keys.create("k", budget_usd=1)
    assert holds.take("req_a", info.id, 5_000)
    holds.settle("req_a", info.id, charge("req_a", 4_000))
    holds.settle("req_a", info.id, charge("req_a", 4_000))
    assert money(keys, info.id) == (4_000, 0) and ledger.total_cost(info.id) == 4_000
    with ThreadPoolExecutor(4) as pool:  # racing settlements of one request: still one charge
        assert holds.take("req_b", info.id, 5_000)
        list(pool.map(lambda _: holds.settle("req_b", info.id, charge("req_b", 3_000)), range(4)))
    assert money(keys, info.id) == (7_000, 0) and count(sessions, LedgerEntry) == 2


def test_settling_after_the_hold_was_reaped_still_bills(sessions):
    clock = Clock()
    keys, holds = KeyStore(sessions), Holds(sessions, clock=clock)
    info, _ = keys.create("k", budget_usd=1)
    assert holds.take("req_slow", info.id, 5_000) and holds.take("req_other", info.id, 1_000)
    holds.renew(["req_other"])
    clock.advance(31)
    holds.renew(["req_other"])
    assert holds.reap() == 1 and money(keys, info.id) == (0, 1_000)
    holds.settle("req_slow", info.id, charge("req_slow", 4_500))
    assert money(keys, info.id) == (4_500, 1_000)


def test_reap_spares_live_leases_and_live_jobs(sessions):
    clock = Clock()
    keys, holds = KeyStore(sessions), Holds(sessions, lease_seconds=30, clock=clock)
    info, _ = keys.create("k")
    with sessions.begin() as s:
        for job_id, status in (("job_q", "queued"), ("job_r", "running"), ("job_done", "succeeded"), ("job_dead", "failed")):
            s.add(Job(id=job_id, key_id=info.id, operation="generation", request_json="{}", status=status, progress=0.0, attempts=1))
    for owner, amount in (("req_old", 1), ("job_q", 10), ("job_r", 100), ("job_done", 1_000), ("job_dead", 10_000)):
        assert holds.take(owner, info.id, amount)
    clock.advance(20)
    assert holds.take("req_new", info.id, 100_000)
    assert holds.reap() == 0  # nothing lapsed yet
    clock.advance(11)
    assert {h.owner for h in holds.list() if h.expired} == {"req_old", "job_q", "job_r", "job_done", "job_dead"}
    assert holds.reap() == 3  # req_old, job_done, job_dead; queued and running jobs keep theirs
    assert sorted(h.owner for h in holds.list(info.id)) == ["job_q", "job_r", "req_new"]
    assert money(keys, info.id) == (0, 100_110) and holds.reap() == 0
    assert holds.adopt("job_r") and not holds.adopt("job_done")  # a resumed job takes its hold over
    assert not holds.get("job_r").expired


def test_two_processes_reap_each_lapsed_hold_exactly_once(engines):
    past = Clock()
    past.advance(-3600)
    first = session_factory(engines())
    keys = KeyStore(first)
    a, _ = keys.create("a")
    b, _ = keys.create("b", budget_usd=100)
    taker = Holds(first, clock=past)
    amounts = {}
    for i in range(60):
        key, amounts[f"req_{i}"] = (a if i % 2 else b), 1_000 + i
        assert taker.take(f"req_{i}", key.id, amounts[f"req_{i}"])
    reapers = [Holds(session_factory(engines()), process=f"p{i}") for i in range(2)]
    start = threading.Barrier(8)

    def reap(i: int) -> int:
        start.wait()
        return reapers[i % 2].reap()

    with ThreadPoolExecutor(8) as pool:
        released = list(pool.map(reap, range(8)))
    assert sum(released) == 60 and all(r >= 0 for r in released)
    assert money(keys, a.id) == (0, 0) and money(keys, b.id) == (0, 0)
    assert count(first, Hold) == 0


def test_a_killed_process_strands_nothing(engines, db_url, tmp_path):
    sessions = session_factory(engines())
    keys = KeyStore(sessions)
    info, _ = keys.create("k", budget_usd=1)
    child = textwrap.dedent(
        """
        import sys, time
        from imagegate.accounts.holds import Holds
        from imagegate.db.session import make_engine, session_factory
        holds = Holds(session_factory(make_engine(sys.argv[1])))
        key = int(sys.argv[2])
        assert holds.take("req_killed_1", key, 300_000) and holds.take("req_killed_2", key, 200_000)
        print("held", flush=True)
        time.sleep(120)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", child, db_url, str(info.id)], stdout=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        assert proc.stdout.readline().strip() == "held"
    finally:
        os.kill(proc.pid, signal.SIGKILL)  # mid-request, no chance to clean up
        proc.wait(30)
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    assert money(keys, info.id) == (0, 500_000)
    assert {h.process.rsplit(":", 1)[1] for h in Holds(sessions).list()} == {str(proc.pid)}
    fresh = Holds(session_factory(engines()), lease_seconds=1)
    assert fresh.reap() == 0  # the dead process's leases have not lapsed yet
    later = Clock()
    later.advance(31)
    assert Holds(session_factory(engines()), clock=later).reap() == 2
    assert money(keys, info.id) == (0, 0)
    assert Holds(sessions).take("req_next", info.id, 1_000_000)  # the whole budget is back


def test_keeper_renews_tracked_leases_and_reaps_lapsed_ones(sessions, caplog):
    keys = KeyStore(sessions)
    info, _ = keys.create("k")

    class Flaky(Holds):
        failures = 1

        def renew(self, owners):
            if self.failures:
                self.failures -= 1
                raise RuntimeError("database went away")
            super().renew(owners)

    holds = Flaky(sessions, lease_seconds=0.6)
    past = Holds(sessions, clock=lambda: datetime.now(UTC) - timedelta(hours=1))
    assert past.take("req_left_by_a_dead_process", info.id, 7)

    async def run() -> None:
        keeper = HoldKeeper(holds, interval=0.05)
        assert keeper.interval == 0.05 and HoldKeeper(holds).interval == pytest.approx(0.2)
        await keeper.start()  # reaps at once
        assert await asyncio.to_thread(holds.get, "req_left_by_a_dead_process") is None
        assert await asyncio.to_thread(holds.take, "req_live", info.id, 100)
        assert await asyncio.to_thread(holds.take, "req_forgotten", info.id, 1_000)
        keeper.track("req_live")
        await asyncio.sleep(1.5)  # over two leases: only renewals keep req_live
        assert await asyncio.to_thread(holds.get, "req_forgotten") is None
        live = await asyncio.to_thread(holds.get, "req_live")
        assert live is not None and not live.expired
        keeper.untrack("req_live")
        await keeper.aclose()
        await keeper.aclose()

    with caplog.at_level(logging.ERROR, logger="imagegate.holds"):
        asyncio.run(run())
    assert "renewing budget holds failed" in caplog.text  # logged; the loop went on
    assert money(keys, info.id) == (0, 100)


def test_accounts_hold_for_the_request_it_admits(sessions):
    accounts = Accounts(KeyStore(sessions), Ledger(sessions), InProcessRateLimiter(), holds=Holds(sessions))
    info, _ = accounts.keys.create("k", budget_usd=1, rpm=3)
    principal = Principal(info)
    adm = accounts.admit(principal, Usage(output_tokens=10), 5_000, 1, owner="req_1")
    assert (adm.owner, adm.reserved) == ("req_1", 5_000) and accounts.keeper.owners == {"req_1"}
    accounts.settle(adm, charge("req_1", 4_000))
    accounts.release(adm)  # after settling: nothing to give back
    assert accounts.keeper.owners == set() and money(accounts.keys, info.id) == (4_000, 0)
    assert accounts.rate_limit_only(principal, {"requests": 1})["x-ratelimit-remaining-requests"] == "1"
    assert accounts.admit(principal, Usage(), 0, 1).owner.startswith("req_")  # an owner is made up when none is given
    with pytest.raises(RateLimitError) as err:
        accounts.rate_limit_only(principal, {"requests": 1})
    assert err.value.code == "rate_limit_exceeded" and "retry-after" in err.value.headers
    assert Accounts(KeyStore(sessions), Ledger(sessions), InProcessRateLimiter(), auth=False).rate_limit_only(Principal(), {"requests": 1}) == {}


def test_accounts_metered_and_adopt(sessions):
    accounts = Accounts(KeyStore(sessions), Ledger(sessions), InProcessRateLimiter())
    info, _ = accounts.keys.create("k", budget_usd=1)
    principal = Principal(info)
    model = load_registry(load_settings(None)).resolve("gpt-image-2")  # its price table: $30/M output tokens

    async def run() -> None:
        await accounts.start()
        with pytest.raises(ValueError):
            async with accounts.metered(principal, model, Usage(output_tokens=1_000), 1, owner="req_fails"):
                assert await asyncio.to_thread(accounts.holds.get, "req_fails") is not None
                raise ValueError("engine failed")
        async with accounts.metered(principal, model, Usage(output_tokens=1_000), 1, owner="job_1") as adm:
            resumed = accounts.adopt(principal, "job_1")
            assert resumed is not None and resumed.reserved == adm.reserved == 30_000
        assert accounts.adopt(principal, "job_1") is None
        await accounts.aclose()

    asyncio.run(run())
    assert money(accounts.keys, info.id) == (0, 0) and accounts.holds.list() == []


@pytest.fixture
def admin_client(db_url, tmp_path):
    settings = load_settings(None, data_dir=tmp_path / "data", auth=True, database_url=db_url)
    with TestClient(build_app(settings), base_url="http://testserver") as client:
        secret = (tmp_path / "data" / "initial-api-key.txt").read_text().strip()
        client.headers["Authorization"] = f"Bearer {secret}"
        yield client


def test_admin_api_lists_and_releases_holds(admin_client):
    accounts = admin_client.app.state.ctx.accounts
    made = admin_client.post("/v1/admin/keys", json={"name": "team", "budget_usd": 1}).json()
    other = admin_client.post("/v1/admin/keys", json={"name": "other"}).json()
    assert accounts.holds.take("req_x", made["id"], 250_000) and accounts.holds.take("job_y", other["id"], 5)
    listed = admin_client.get("/v1/admin/holds").json()
    assert listed["object"] == "list" and {h["owner"] for h in listed["data"]} == {"req_x", "job_y"}
    mine = admin_client.get("/v1/admin/holds", params={"key_id": made["id"]}).json()["data"]
    assert [(h["owner"], h["amount_usd"], h["expired"]) for h in mine] == [("req_x", 0.25, False)]
    assert admin_client.get(f"/v1/admin/keys/{made['id']}").json()["reserved_usd"] == 0.25
    user = {"Authorization": f"Bearer {made['secret']}"}
    refused = admin_client.get("/v1/admin/holds", headers=user)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "insufficient_permissions"
    assert admin_client.delete("/v1/admin/holds/req_x", headers=user).status_code == 403
    released = admin_client.delete("/v1/admin/holds/req_x")
    assert released.status_code == 200 and released.json()["owner"] == "req_x" and released.json()["released"]
    assert admin_client.get(f"/v1/admin/keys/{made['id']}").json()["reserved_usd"] == 0
    missing = admin_client.delete("/v1/admin/holds/req_x")
    assert missing.status_code == 404
    assert missing.json()["error"] == {"message": "No budget hold owned by 'req_x'.", "type": "invalid_request_error", "param": "owner", "code": "not_found"}


def test_cli_lists_and_releases_holds(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("IMAGEGATE_DATABASE_URL", db_url)
    prepared = prepare(load_settings(None, data_dir=tmp_path / "d"), bootstrap=False)
    accounts, db = prepared.accounts, prepared.db
    try:
        info, _ = accounts.keys.create("team", budget_usd=1)
        other, _ = accounts.keys.create("other")
        owner = "req_0123456789abcdef0123456789abcdef"
        assert accounts.holds.take(owner, info.id, 125_000) and accounts.holds.take("job_other", other.id, 5)
        data = ["--data-dir", str(tmp_path / "d")]
        runner = CliRunner()
        listed = runner.invoke(cli_app, ["holds", "list", *data])
        assert listed.exit_code == 0, listed.output
        assert owner in listed.output and "job_other" in listed.output and "0.125000" in listed.output and "30s left" in listed.output
        only = runner.invoke(cli_app, ["holds", "list", "--key-id", str(other.id), *data])
        assert only.exit_code == 0 and "job_other" in only.output and owner not in only.output
        released = runner.invoke(cli_app, ["holds", "release", owner, *data])
        assert released.exit_code == 0 and "0.125000" in released.output, released.output
        assert accounts.keys.get(info.id).reserved_micro_usd == 0 and accounts.holds.get("job_other") is not None
        again = runner.invoke(cli_app, ["holds", "release", owner, *data])
        assert again.exit_code == 1 and "no budget hold" in again.output
        assert runner.invoke(cli_app, ["holds", "release", "job_other", *data]).exit_code == 0
        assert "no budget holds" in runner.invoke(cli_app, ["holds", "list", *data]).output
    finally:
        db.dispose()
