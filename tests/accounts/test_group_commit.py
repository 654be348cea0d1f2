"""Group-committed takes, settlements and releases, on SQLite and on PostgreSQL: batches share a
transaction and still hold, bill and give back exactly what one-at-a-time calls would."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ledger_helpers import charge, engines, money, sessions  # noqa: F401 - fixtures

from imagegate.accounts.holds import RELEASE, SETTLE, TAKE, GroupCommit, Holds
from imagegate.accounts.keys import KeyStore
from imagegate.accounts.ledger import Ledger
from imagegate.accounts.metering import Usage
from imagegate.accounts.ratelimit import InProcessRateLimiter
from imagegate.accounts.service import Accounts, Principal
from imagegate.config import load_registry, load_settings
from imagegate.db.session import session_factory
from imagegate.db.tables import Hold, LedgerEntry
from imagegate.errors import RateLimitError


def count(sessions, table) -> int:
    with sessions() as s:
        return s.scalar(select(func.count()).select_from(table))


def test_take_many_holds_what_fits_first_come_first_served(sessions):
    keys, holds = KeyStore(sessions), Holds(sessions)
    a, _ = keys.create("a", budget_usd=0.001)  # 1,000 micro-dollars
    b, _ = keys.create("b")  # no budget
    taken = holds.take_many([("r1", a.id, 400), ("r2", b.id, 10**9), ("r3", a.id, 400), ("r4", a.id, 400), ("r5", None, 10**12), ("r6", a.id, 200)])
    assert taken == [True, True, True, False, True, True]  # r4 does not fit after r1 and r3; r6 does
    assert money(keys, a.id) == (0, 1_000) and money(keys, b.id) == (0, 10**9)
    assert sorted(h.owner for h in holds.list()) == ["r1", "r2", "r3", "r6"]  # no row without a key, none refused
    assert holds.take_many([("r7", a.id, 1), ("r8", a.id, 0)]) == [False, True]  # full: only a zero hold fits
    assert holds.take_many([]) == [] and holds.take_many([("r9", None, 5)]) == [True]
    with pytest.raises(ValueError):
        holds.take_many([("r10", a.id, -1)])


def test_one_write_settles_and_releases_before_it_takes(sessions):
    keys, holds, ledger = KeyStore(sessions), Holds(sessions), Ledger(sessions)
    info, _ = keys.create("k", budget_usd=0.001)
    assert holds.take("req_a", info.id, 600) and holds.take("req_b", info.id, 400)
    results = holds.write([
        (TAKE, ("req_c", info.id, 700)),  # fits only once a and b gave back what they do not use
        (SETTLE, ("req_a", info.id, charge("req_a", 250))),
        (RELEASE, "req_b"),
        (RELEASE, "req_nobody"),
    ])
    assert results == [True, True, 400, 0]
    assert money(keys, info.id) == (250, 700) and ledger.total_cost(info.id) == 250
    assert [h.owner for h in holds.list()] == ["req_c"]


def test_settle_many_bills_each_request_once(sessions):
    keys, holds, ledger = KeyStore(sessions), Holds(sessions), Ledger(sessions)
    info, _ = keys.create("k", budget_usd=1)
    for owner in ("r1", "r2", "r3"):
        assert holds.take(owner, info.id, 1_000)
    holds.settle("r1", info.id, charge("r1", 900))
    assert holds.take("r1", info.id, 1_000)  # a hold taken again for a request billed already
    billed = holds.settle_many([
        ("r1", info.id, charge("r1", 900)),  # billed before: not again, its hold given back
        ("r2", info.id, charge("r2", 800)),
        ("r2", info.id, charge("r2", 800)),  # twice in one batch: once
        ("r3", info.id, charge("r3", 0)),
        ("x1", None, charge("x1", 7)),  # no key: a ledger row, no hold
    ])
    assert billed == [False, True, False, True, True]
    assert money(keys, info.id) == (1_700, 0) and holds.list() == []
    assert ledger.total_cost(info.id) == 1_700 and ledger.total_cost() == 1_707 and count(sessions, LedgerEntry) == 4
    assert holds.settle_many([]) == [] and holds.settle_many([("x1", None, charge("x1", 7))]) == [False]


def test_release_many_gives_back_once(sessions):
    keys, holds = KeyStore(sessions), Holds(sessions)
    info, _ = keys.create("k", budget_usd=1)
    assert holds.take_many([("a", info.id, 10), ("b", info.id, 20)]) == [True, True]
    assert holds.release_many(["b", "missing", "a", "b"]) == [20, 0, 10, 0]
    assert money(keys, info.id) == (0, 0) and count(sessions, Hold) == 0 and holds.release_many([]) == []


def test_big_batches_are_split_into_statements_of_bounded_size(sessions):
    keys, holds, ledger = KeyStore(sessions), Holds(sessions), Ledger(sessions)
    info, _ = keys.create("k", budget_usd=1)
    owners = [f"req_{i:04d}" for i in range(300)]  # 300 ledger rows of 12 values: several INSERTs
    assert all(holds.take_many([(o, info.id, 10) for o in owners]))
    holds.settle_many([(o, info.id, charge(o, 3)) for o in owners])
    assert money(keys, info.id) == (900, 0) and ledger.total_cost() == 900 and count(sessions, Hold) == 0


def test_concurrent_batches_from_several_processes_never_overspend(engines):
    """Takes in batches from two engines (two server processes) and many threads each."""
    first = session_factory(engines())
    keys = KeyStore(first)
    info, _ = keys.create("capped", budget_usd=0.05)  # 50,000: room for 50 holds of 1,000
    processes = [Holds(session_factory(engines()), process=f"p{i}") for i in range(2)]
    start = threading.Barrier(8)

    def take(t: int) -> int:
        start.wait()
        holds = processes[t % 2]
        return sum(holds.take_many([(f"req_{t}_{b}_{i}", info.id, 1_000) for i in range(5)]).count(True) for b in range(4))

    with ThreadPoolExecutor(8) as pool:
        taken = sum(pool.map(take, range(8)))  # 160 asked for
    assert taken == 50 and money(keys, info.id) == (0, 50_000) and count(first, Hold) == 50


def test_group_commit_batches_what_arrives_while_writing():
    batches: list[list[int]] = []
    gate = threading.Event()

    def write_many(items: list[int]) -> list[int]:
        batches.append(items)
        if len(batches) == 1:
            gate.wait(5)  # the first write is slow: the rest queue behind it
        return [item * 10 for item in items]

    async def run() -> list[int]:
        commit = GroupCommit(write_many, max_batch=4)
        first = asyncio.ensure_future(commit.submit(0))
        while not batches:
            await asyncio.sleep(0.001)
        rest = [asyncio.ensure_future(commit.submit(i)) for i in range(1, 7)]
        await asyncio.sleep(0.01)
        gate.set()
        return [await first, *[await r for r in rest]]

    assert asyncio.run(run()) == [0, 10, 20, 30, 40, 50, 60]
    assert batches == [[0], [1, 2, 3, 4], [5, 6]]  # max_batch bounds a transaction


def test_group_commit_isolates_a_bad_item_and_fails_the_batch_otherwise():
    calls: list[list[str]] = []

    def write_many(items: list[str]) -> list[str]:
        calls.append(items)
        if "bad" in items:
            raise ValueError("bad item")
        if "down" in items:
            raise ConnectionError("database went away")
        return [item.upper() for item in items]

    async def run() -> tuple[list, list]:
        commit = GroupCommit(write_many, isolate=(ValueError,))
        isolated = await asyncio.gather(*(commit.submit(x) for x in ("a", "bad", "b")), return_exceptions=True)
        failed = await asyncio.gather(*(commit.submit(x) for x in ("c", "down")), return_exceptions=True)
        return isolated, failed

    isolated, failed = asyncio.run(run())
    assert isolated[0] == "A" and isolated[2] == "B" and isinstance(isolated[1], ValueError)
    assert calls[:4] == [["a", "bad", "b"], ["a"], ["bad"], ["b"]]  # the batch, then each alone
    assert all(isinstance(f, ConnectionError) for f in failed)  # not an item's fault: all fail, no retry
    assert calls[4:] == [["c", "down"]]


def test_a_duplicate_owner_fails_alone(sessions):
    keys, holds = KeyStore(sessions), Holds(sessions)
    info, _ = keys.create("k", budget_usd=1)

    async def run() -> list:
        commit = GroupCommit(holds.write, isolate=(IntegrityError,))
        ops = [(TAKE, ("req_dup", info.id, 5)), (TAKE, ("req_ok", info.id, 7)), (TAKE, ("req_dup", info.id, 5))]
        return await asyncio.gather(*(commit.submit(op) for op in ops), return_exceptions=True)

    first, ok, dup = asyncio.run(run())
    assert first is True and ok is True and isinstance(dup, IntegrityError)
    assert money(keys, info.id) == (0, 12) and sorted(h.owner for h in holds.list()) == ["req_dup", "req_ok"]


@pytest.fixture
def spec():
    return load_registry(load_settings(None)).resolve("gpt-image-2")  # $30/M output tokens


def test_concurrent_opens_through_the_service_never_overspend(engines, spec):
    """Two Accounts on two engines (two server processes), 60 requests at once: the budget
    covers 20; every admitted request is held before `open` returns, then billed once."""
    services = [Accounts(KeyStore(session_factory(engines())), Ledger(session_factory(engines())), InProcessRateLimiter()) for _ in range(2)]
    keys = services[0].keys
    info, _ = keys.create("capped", budget_usd=0.6)  # 20 requests of 1,000 output tokens ($0.03)
    principal = Principal(info)
    estimate = Usage(output_tokens=1_000)

    async def one(i: int) -> bool:
        accounts = services[i % 2]
        try:
            admission = await accounts.open(principal, spec, estimate, 1, owner=f"req_{i}")
        except RateLimitError as exc:
            assert exc.code == "insufficient_quota"
            return False
        try:
            assert await asyncio.to_thread(accounts.holds.get, admission.owner) is not None  # durable before the work
            await asyncio.sleep(0.01)
            await accounts.settle_async(admission, charge(admission.owner, 20_000))
        finally:
            await accounts.close(admission)
        return True

    async def run() -> list[bool]:
        return await asyncio.gather(*(one(i) for i in range(60)))

    assert sum(asyncio.run(run())) == 20
    assert money(keys, info.id) == (400_000, 0) and services[0].ledger.total_cost(info.id) == 400_000
    assert services[0].holds.list() == [] and all(not s.keeper.owners for s in services)


def test_a_cancelled_open_gives_its_hold_back(sessions, spec):
    accounts = Accounts(KeyStore(sessions), Ledger(sessions), InProcessRateLimiter())
    info, _ = accounts.keys.create("k", budget_usd=1)
    principal = Principal(info)
    slow, written = threading.Event(), threading.Event()
    write = accounts.holds.write

    def slow_write(ops):
        slow.wait(5)  # the hold is being written when its request is cancelled
        try:
            return write(ops)
        finally:
            written.set()

    accounts.holds.write = slow_write

    async def run() -> None:
        task = asyncio.ensure_future(accounts.open(principal, spec, Usage(output_tokens=1_000), 1, owner="req_gone"))
        await asyncio.sleep(0.05)
        task.cancel()
        slow.set()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert await asyncio.to_thread(written.wait, 5)  # the hold was committed after its request was gone
        deadline = time.monotonic() + 10
        while (await asyncio.to_thread(accounts.holds.list)) and time.monotonic() < deadline:
            await asyncio.sleep(0.02)

    asyncio.run(run())
    assert accounts.holds.list() == [] and money(accounts.keys, info.id) == (0, 0) and not accounts.keeper.owners


def test_close_releases_and_settle_async_bills(sessions, spec):
    accounts = Accounts(KeyStore(sessions), Ledger(sessions), InProcessRateLimiter())
    info, _ = accounts.keys.create("k", budget_usd=1, rpm=10)
    principal = Principal(info)

    async def run() -> None:
        failed = await accounts.open(principal, spec, Usage(output_tokens=1_000), 1, owner="req_failed")
        assert failed.reserved == 30_000 and failed.headers["x-ratelimit-limit-requests"] == "10"
        assert accounts.keeper.owners == {"req_failed"}
        await accounts.close(failed)  # the engine failed: the hold goes back
        await accounts.close(failed)  # twice: nothing more
        done = await accounts.open(principal, spec, Usage(output_tokens=1_000), 1, owner="req_done")
        await accounts.settle_async(done, charge("req_done", 25_000))
        await accounts.close(done)  # settled: nothing to release
        with pytest.raises(RateLimitError) as err:
            await accounts.open(principal, spec, Usage(output_tokens=100_000), 1, owner="req_big")  # $3 > $1
        assert err.value.code == "insufficient_quota" and err.value.headers["x-should-retry"] == "false"

    asyncio.run(run())
    assert money(accounts.keys, info.id) == (25_000, 0) and accounts.holds.list() == [] and not accounts.keeper.owners
    assert accounts.holds.get("req_big") is None
