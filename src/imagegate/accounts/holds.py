"""Budget holds that cannot be stranded: one row per hold, under a lease.

A request (owner `req_…`) or job (`job_…`) takes a hold on its key's budget before it runs. The
hold is a row in `holds`, and `api_keys.reserved_micro_usd` is the sum of the key's rows, kept
in the same transaction as every insert and delete, so the budget check stays one conditional
UPDATE. The process doing the work renews the lease while the work lives (`HoldKeeper`); when
a process dies (kill -9, a lost node), its leases lapse and any server's `reap()` gives the
money back. Each hold is deleted by exactly one transaction — `DELETE … WHERE owner = ?` with
the lapse (and its absence of a live job) in the WHERE — and only the transaction whose delete
found the row subtracts its amount, so several processes sharing one database never release a
hold twice. Holds of jobs still queued or running are kept: the job resumes and adopts them.

Takes, settlements and releases are the hot path (every request, auth on; a ledger row per
request, auth off): `Holds.write` does any mix of them in one transaction, in a few set-wise
statements written as SQL text (db/rawsql.py), and `GroupCommit` hands it what arrives while
the previous transaction is being written. A hold is committed before `take` returns; a request
is billed at most once, by `INSERT … ON CONFLICT (request_id) DO NOTHING RETURNING`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, exists, not_, select, update
from sqlalchemy.orm import Session, sessionmaker

from imagegate.accounts.ledger import Charge, ledger_values
from imagegate.db.rawsql import RawSQL, chunks, list_sql, values_sql
from imagegate.db.tables import ApiKey, Hold, Job

log = logging.getLogger("imagegate.holds")

LIVE_JOB_STATES = ("queued", "running")


def this_process() -> str:
    """`hostname:pid`, naming the holder of a hold for operators."""
    return f"{socket.gethostname()}:{os.getpid()}"[-128:]


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass(frozen=True)
class HoldInfo:
    """A hold as operators see it."""

    owner: str
    key_id: int | None
    amount_micro_usd: int
    created_at: datetime
    lease_until: datetime
    expired: bool
    process: str

    def to_dict(self) -> dict:
        """JSON-ready: times as unix seconds, money in dollars too."""
        return {
            "object": "budget_hold",
            "owner": self.owner,
            "key_id": self.key_id,
            "amount_usd": self.amount_micro_usd / 1e6,
            "amount_micro_usd": self.amount_micro_usd,
            "created_at": int(self.created_at.timestamp()),
            "lease_until": int(self.lease_until.timestamp()),
            "expired": self.expired,
            "process": self.process,
        }


class Holds:
    """Take, renew, settle, release and reap budget holds (sync: callers use threads)."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        lease_seconds: float = 30.0,
        clock: Callable[[], datetime] | None = None,
        process: str | None = None,
    ) -> None:
        self.sessions = sessions
        self.lease_seconds = lease_seconds
        self._clock = clock or (lambda: datetime.now(UTC))
        self.process = process or this_process()
        self._sql = RawSQL(sessions)  # the hot statements (take, settle, release) as text

    def now(self) -> datetime:
        """The clock, in UTC."""
        return _utc(self._clock())

    def _lease_until(self) -> datetime:
        return self.now() + timedelta(seconds=self.lease_seconds)

    def take(self, owner: str, key_pk: int | None, amount: int) -> bool:
        """Hold `amount` of the key's budget for `owner`; False (nothing written) when it would overspend."""
        return self.take_many([(owner, key_pk, amount)])[0]

    def take_many(self, items: Sequence[tuple[str, int | None, int]]) -> list[bool]:
        """`take` for several (owner, key, amount) in one transaction (group commit): per key one
        conditional UPDATE for the lot, or, when the lot does not fit, one per hold in the given
        order; then one INSERT of the holds that fit. Whether each was taken; a duplicate owner
        fails the whole call (IntegrityError)."""
        return self.write([(TAKE, item) for item in items])

    def _take(self, cur, items: Sequence[tuple[str, int | None, int]]) -> list[bool]:
        taken = [True] * len(items)
        by_key: dict[int, list[int]] = {}
        for i, (_, key_pk, amount) in enumerate(items):
            if key_pk is not None:  # no key, no budget: nothing to hold
                if amount < 0:
                    raise ValueError(f"a hold cannot be negative ({amount})")
                by_key.setdefault(key_pk, []).append(i)
        if not by_key:
            return taken
        now = self.now()
        sql = self._sql
        created, until = sql.moment(now), sql.moment(now + timedelta(seconds=self.lease_seconds))
        for key_pk in sorted(by_key):  # one lock order for every process (PostgreSQL)
            group = by_key[key_pk]
            total = sum(items[i][2] for i in group)
            cur.execute(sql.sql(_TAKE), (total, key_pk, total))
            if cur.rowcount == 1:
                continue
            if len(group) == 1:
                taken[group[0]] = False
                continue
            for i in group:  # not all of them fit: each in turn, first come first served
                amount = items[i][2]
                cur.execute(sql.sql(_TAKE), (amount, key_pk, amount))
                taken[i] = cur.rowcount == 1
        rows = [(owner, key_pk, amount, created, until, self.process)
                for ok, (owner, key_pk, amount) in zip(taken, items, strict=True) if ok and key_pk is not None]
        if rows:
            cur.executemany(sql.sql(_INSERT_HOLD), rows)
        return taken

    def renew(self, owners: Iterable[str]) -> None:
        """Push the leases of `owners` forward (one statement)."""
        owners = list(owners)
        if not owners:
            return
        with self.sessions.begin() as s:
            s.execute(update(Hold).where(Hold.owner.in_(owners)).values(lease_until=self._lease_until()))

    def adopt(self, owner: str) -> bool:
        """Renew `owner`'s hold if it still exists (a resumed job); whether it did."""
        with self.sessions.begin() as s:
            done = s.execute(update(Hold).where(Hold.owner == owner).values(lease_until=self._lease_until(), process=self.process))
            return done.rowcount == 1

    def settle(self, owner: str, key_pk: int | None, charge: Charge) -> None:
        """Bill `charge` and drop `owner`'s hold, in one transaction; a second settle is a no-op."""
        self.settle_many([(owner, key_pk, charge)])

    def settle_many(self, items: Sequence[tuple[str, int | None, Charge]]) -> list[bool]:
        """`settle` for several requests in one transaction (group commit), in a few set-wise
        statements: the ledger rows with INSERT … ON CONFLICT (request_id) DO NOTHING RETURNING
        (a request billed already, here or by another process, inserts nothing and is not charged
        again), one DELETE … RETURNING of the holds, one UPDATE per key. The holds of requests
        billed already are given back too. Whether each item was billed by this call."""
        return self.write([(SETTLE, item) for item in items])

    def _settle(self, cur, items: Sequence[tuple[str, int | None, Charge]]) -> list[bool]:
        first: dict[str, tuple[str, int | None, Charge]] = {}
        for item in items:
            first.setdefault(item[2].request_id, item)  # one charge per request, even within a batch
        ledger = [_ledger_row(key_pk, charge) for _, key_pk, charge in sorted(first.values(), key=lambda it: it[2].request_id)]
        owners = sorted({owner for owner, key_pk, _ in items if key_pk is not None})  # without a key nothing was held
        sql = self._sql
        billed: set[str] = set()
        for rows in chunks(ledger, _LEDGER_WIDTH):  # sorted: one lock order for every process
            cur.execute(sql.sql(_INSERT_LEDGER.format(values=values_sql(len(rows), _LEDGER_WIDTH))), [v for row in rows for v in row])
            billed.update(row[0] for row in cur.fetchall())
        deltas: dict[int, list[int]] = {}  # key -> [released, spent]
        for _, key_pk, amount in _delete_holds(cur, sql, owners):
            if key_pk is not None:
                deltas.setdefault(key_pk, [0, 0])[0] += amount
        for request_id, (_, key_pk, charge) in first.items():
            if key_pk is not None and request_id in billed:
                deltas.setdefault(key_pk, [0, 0])[1] += charge.cost_micro_usd
        _apply_deltas(cur, sql, deltas)
        return [item[2].request_id in billed and first[item[2].request_id] is item for item in items]

    def release(self, owner: str) -> int:
        """Give `owner`'s hold back; the amount released (0 when there was none)."""
        return self.release_many([owner])[0]

    def release_many(self, owners: Sequence[str]) -> list[int]:
        """`release` for several owners in one transaction; the amount each gave back."""
        return self.write([(RELEASE, owner) for owner in owners])

    def _release(self, cur, owners: Sequence[str]) -> list[int]:
        sql = self._sql
        amounts: dict[str, int] = {}
        deltas: dict[int, list[int]] = {}
        for owner, key_pk, amount in _delete_holds(cur, sql, sorted(set(owners))):
            amounts[owner] = amount
            if key_pk is not None:
                deltas.setdefault(key_pk, [0, 0])[0] += amount
        _apply_deltas(cur, sql, deltas)
        return [amounts.pop(owner, 0) for owner in owners]  # a repeated owner gave back once

    def write(self, ops: Sequence[tuple[str, Any]]) -> list[Any]:
        """Settlements, releases and takes (`(SETTLE, (owner, key, charge))`, `(RELEASE, owner)`,
        `(TAKE, (owner, key, amount))`) in one transaction, in that order (money given back
        first, then held again); one result per op, as from settle_many, release_many and
        take_many. The transaction is only opened when some op needs the database."""
        kinds: dict[str, list[int]] = {SETTLE: [], RELEASE: [], TAKE: []}
        for i, (kind, _) in enumerate(ops):
            kinds[kind].append(i)
        results: list[Any] = [None] * len(ops)
        takes = [ops[i][1] for i in kinds[TAKE]]
        if not kinds[SETTLE] and not kinds[RELEASE] and all(key_pk is None for _, key_pk, _ in takes):
            return [True] * len(ops)  # holds without a key: nothing to write
        with self._sql.transaction() as cur:
            for kind, run in ((SETTLE, self._settle), (RELEASE, self._release), (TAKE, self._take)):
                where = kinds[kind]
                if where:
                    for i, result in zip(where, run(cur, [ops[i][1] for i in where]), strict=True):
                        results[i] = result
        return results

    def pop(self, owner: str) -> HoldInfo | None:
        """Release `owner`'s hold and return it as it was; None when there was none."""
        now = self.now()
        with self.sessions.begin() as s:
            row = s.execute(delete(Hold).where(Hold.owner == owner).returning(*_COLUMNS)).first()
            if row is None:
                return None
            _unreserve(s, row.key_id, row.amount_micro_usd)
        return self._info(row, now)

    def reap(self) -> int:
        """Release every hold whose lease lapsed (but not those of live jobs); how many were released."""
        now = self.now()
        lapsed = and_(Hold.lease_until < now, not_(exists().where(Job.id == Hold.owner, Job.status.in_(LIVE_JOB_STATES))))
        with self.sessions() as s:
            owners = list(s.scalars(select(Hold.owner).where(lapsed).order_by(Hold.owner)))
        released = 0
        for owner in owners:  # one small transaction each: no lock is held while waiting for another
            with self.sessions.begin() as s:
                hit, key_pk, amount = _drop(s, delete(Hold).where(Hold.owner == owner, lapsed))
                if hit:
                    _unreserve(s, key_pk, amount)
                    released += 1
                    log.warning("released the lapsed budget hold of %s ($%.6f)", owner, amount / 1e6)
        return released

    def list(self, key_pk: int | None = None) -> list[HoldInfo]:
        """Holds, oldest first."""
        stmt = select(Hold).order_by(Hold.created_at, Hold.owner)
        if key_pk is not None:
            stmt = stmt.where(Hold.key_id == key_pk)
        now = self.now()
        with self.sessions() as s:
            return [self._info(row, now) for row in s.scalars(stmt)]

    def get(self, owner: str) -> HoldInfo | None:
        """One hold, or None."""
        with self.sessions() as s:
            row = s.get(Hold, owner)
            return None if row is None else self._info(row, self.now())

    @staticmethod
    def _info(row, now: datetime) -> HoldInfo:
        lease_until = _utc(row.lease_until)
        return HoldInfo(row.owner, row.key_id, row.amount_micro_usd, _utc(row.created_at), lease_until, lease_until < now, row.process)


_COLUMNS = (Hold.owner, Hold.key_id, Hold.amount_micro_usd, Hold.created_at, Hold.lease_until, Hold.process)


def _drop(s: Session, stmt) -> tuple[bool, int | None, int]:
    """Run a DELETE of at most one hold: whether it hit one, and that hold's key and amount."""
    hit = s.execute(stmt.returning(Hold.key_id, Hold.amount_micro_usd)).first()
    return (False, None, 0) if hit is None else (True, hit[0], int(hit[1]))


def _unreserve(s: Session, key_pk: int | None, amount: int) -> None:
    if key_pk is not None and amount:
        s.execute(update(ApiKey).where(ApiKey.id == key_pk).values(reserved_micro_usd=ApiKey.reserved_micro_usd - amount))


TAKE, SETTLE, RELEASE = "take", "settle", "release"  # the ops of Holds.write

_TAKE = (
    "UPDATE api_keys SET reserved_micro_usd = reserved_micro_usd + ? WHERE id = ?"
    " AND (budget_micro_usd IS NULL OR spent_micro_usd + reserved_micro_usd + ? <= budget_micro_usd)"
)
_INSERT_HOLD = "INSERT INTO holds (owner, key_id, amount_micro_usd, created_at, lease_until, process) VALUES (?, ?, ?, ?, ?, ?)"
_LEDGER_COLUMNS = ("request_id", "key_id", "model", "operation", "size", "quality", "n",
                   "text_tokens", "image_tokens", "cached_image_tokens", "output_tokens", "cost_micro_usd")
_LEDGER_WIDTH = len(_LEDGER_COLUMNS)
_INSERT_LEDGER = ("INSERT INTO ledger (" + ", ".join(_LEDGER_COLUMNS) + ") VALUES {values}"
                  " ON CONFLICT (request_id) DO NOTHING RETURNING request_id")
_DELETE_HOLDS = "DELETE FROM holds WHERE owner IN ({owners}) RETURNING owner, key_id, amount_micro_usd"
_MOVE = "UPDATE api_keys SET reserved_micro_usd = reserved_micro_usd - ?, spent_micro_usd = spent_micro_usd + ? WHERE id = ?"


def _ledger_row(key_pk: int | None, charge: Charge) -> tuple:
    """The ledger row of `charge`, in _LEDGER_COLUMNS order."""
    values = ledger_values(key_pk, charge)
    return tuple(values[column] for column in _LEDGER_COLUMNS)


def _delete_holds(cur, sql: RawSQL, owners: Sequence[str]) -> list[tuple[str, int | None, int]]:
    """Delete the holds of `owners`: (owner, key, amount) of each row deleted."""
    found = []
    for part in chunks(owners):
        cur.execute(sql.sql(_DELETE_HOLDS.format(owners=list_sql(len(part)))), list(part))
        found += cur.fetchall()
    return [(row[0], row[1], int(row[2])) for row in found]


def _apply_deltas(cur, sql: RawSQL, deltas: dict[int, list[int]]) -> None:
    """Per key: reserved -= released, spent += spent (keys in one order for every process)."""
    rows = [(released, spent, key_pk) for key_pk, (released, spent) in sorted(deltas.items()) if released or spent]
    if rows:
        cur.executemany(sql.sql(_MOVE), rows)


class HoldKeeper:
    """Renews the leases of this process's holds and reaps lapsed ones, in the background."""

    def __init__(self, holds: Holds, interval: float | None = None) -> None:
        self.holds = holds
        self.interval = interval if interval is not None else holds.lease_seconds / 3
        self._owners: set[str] = set()
        self._lock = threading.Lock()  # admit/settle track and untrack from worker threads
        self._task: asyncio.Task | None = None

    def track(self, owner: str) -> None:
        """Keep `owner`'s lease renewed until `untrack`."""
        with self._lock:
            self._owners.add(owner)

    def untrack(self, owner: str) -> None:
        """Stop renewing `owner`'s lease."""
        with self._lock:
            self._owners.discard(owner)

    @property
    def owners(self) -> frozenset[str]:
        """The owners being renewed."""
        with self._lock:
            return frozenset(self._owners)

    async def start(self) -> None:
        """Reap once now (holds a dead process left), then renew and reap every `interval` seconds."""
        if self._task is not None:
            return
        await self._reap()
        self._task = asyncio.create_task(self._loop(), name="imagegate-hold-keeper")

    async def tick(self) -> None:
        """One round: renew the tracked leases, then reap lapsed holds."""
        owners = self.owners
        if owners:
            await asyncio.to_thread(self.holds.renew, owners)
        await self._reap()

    async def _reap(self) -> None:
        try:
            released = await asyncio.to_thread(self.holds.reap)
        except Exception:
            log.exception("reaping lapsed budget holds failed")
            return
        if released:
            log.info("released %d lapsed budget hold(s)", released)

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.tick()
            except Exception:
                log.exception("renewing budget holds failed")

    async def aclose(self) -> None:
        """Stop the background task (holds still tracked lapse after their lease)."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.wait([task])


class GroupCommit:
    """Writes that arrive while one is being written wait and go together in the next
    transaction: under load many requests share one commit, alone a request waits for none.

    `write_many(items)` runs in a worker thread and returns one result per item (or None);
    each waiter gets its own. When a batch of several fails with one of the `isolate` errors
    (an IntegrityError: one bad item), its items are written again one by one, so only the
    bad one fails; any other error fails the whole batch."""

    def __init__(
        self,
        write_many: Callable[[list[Any]], Sequence[Any] | None],
        max_batch: int = 64,
        *,
        isolate: tuple[type[Exception], ...] = (),
    ) -> None:
        self.write_many = write_many
        self.max_batch = max_batch
        self.isolate = isolate
        self._pending: list[tuple[Any, asyncio.Future]] = []
        self._writing = False
        self._task: asyncio.Task | None = None  # the drain running now (a reference keeps it alive)

    def enqueue(self, item: Any) -> asyncio.Future:
        """Queue `item`; the future resolves to its result once it is committed."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._pending.append((item, future))
        if not self._writing:
            self._writing = True
            self._task = loop.create_task(self._drain())
        return future

    async def submit(self, item: Any) -> Any:
        """Write `item` (with whatever else is waiting); its result, once it is committed. A
        cancelled caller stops waiting; the write goes ahead."""
        return await asyncio.shield(self.enqueue(item))

    async def _drain(self) -> None:
        try:
            while self._pending:
                batch, self._pending = self._pending[: self.max_batch], self._pending[self.max_batch :]
                try:
                    await self._write(batch)
                except BaseException:  # cancelled (the loop is closing): nobody waits forever
                    for _, future in batch + self._pending:
                        future.cancel()
                    self._pending = []
                    raise
        finally:
            self._writing = False

    async def _write(self, batch: list[tuple[Any, asyncio.Future]]) -> None:
        try:
            results = await asyncio.to_thread(self.write_many, [item for item, _ in batch])
        except self.isolate as exc:
            if len(batch) == 1:
                _fail(batch, exc)
                return
            for one in batch:  # one bad item must not fail the others: each on its own
                await self._write([one])
        except Exception as exc:  # noqa: BLE001 - handed to every waiter of this batch
            _fail(batch, exc)
        else:
            _resolve(batch, results)


def _resolve(batch: list[tuple[Any, asyncio.Future]], results: Sequence[Any] | None) -> None:
    for i, (_, future) in enumerate(batch):
        if not future.done():
            future.set_result(None if results is None else results[i])


def _fail(batch: list[tuple[Any, asyncio.Future]], exc: BaseException) -> None:
    for _, future in batch:
        if not future.done():
            future.set_exception(exc)
