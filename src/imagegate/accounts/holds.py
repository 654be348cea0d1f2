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
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, exists, insert, not_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from imagegate.accounts.ledger import Charge, ledger_row, ledger_values
from imagegate.db.tables import ApiKey, Hold, Job, LedgerEntry

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

    def now(self) -> datetime:
        """The clock, in UTC."""
        return _utc(self._clock())

    def _lease_until(self) -> datetime:
        return self.now() + timedelta(seconds=self.lease_seconds)

    def take(self, owner: str, key_pk: int | None, amount: int) -> bool:
        """Hold `amount` of the key's budget for `owner`; False (nothing written) when it would overspend."""
        if key_pk is None:
            return True  # no key, no budget: nothing to hold
        fits = (ApiKey.budget_micro_usd.is_(None)) | (
            ApiKey.spent_micro_usd + ApiKey.reserved_micro_usd + amount <= ApiKey.budget_micro_usd
        )
        now = self.now()
        with self.sessions.begin() as session:
            s = session.connection()  # Core statements: no unit-of-work bookkeeping on the hot path
            done = s.execute(update(ApiKey.__table__).where(ApiKey.__table__.c.id == key_pk, fits).values(reserved_micro_usd=ApiKey.reserved_micro_usd + amount))
            if done.rowcount != 1:
                return False
            s.execute(insert(Hold.__table__).values(owner=owner, key_id=key_pk, amount_micro_usd=amount, created_at=now,
                                                    lease_until=now + timedelta(seconds=self.lease_seconds), process=self.process))
        return True

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
        try:
            with self.sessions.begin() as s:
                s.add(ledger_row(key_pk, charge))
                s.flush()  # the ledger insert first: it takes SQLite's write lock and proves first settlement
                _, _, amount = _drop(s, delete(Hold).where(Hold.owner == owner))
                if key_pk is not None:
                    s.execute(
                        update(ApiKey)
                        .where(ApiKey.id == key_pk)
                        .values(
                            reserved_micro_usd=ApiKey.reserved_micro_usd - amount,
                            spent_micro_usd=ApiKey.spent_micro_usd + charge.cost_micro_usd,
                        )
                    )
        except IntegrityError:
            if not self._settled(charge.request_id):
                raise
            self.release(owner)  # billed already; make sure nothing stays held

    def settle_many(self, items: list[tuple[str, int | None, Charge]]) -> None:
        """`settle` for several requests in one transaction (group commit), in a few set-wise
        statements; requests already billed are skipped. On a conflict (another process billing
        one of them at the same moment) each is settled on its own."""
        try:
            with self.sessions.begin() as session:
                s = session.connection()  # Core statements: no unit-of-work bookkeeping on the hot path
                ids = [charge.request_id for _, _, charge in items]
                ledger = LedgerEntry.__table__
                billed = set(s.scalars(select(ledger.c.request_id).where(ledger.c.request_id.in_(ids))))
                fresh = [(o, k, c) for o, k, c in items if c.request_id not in billed]
                if fresh:
                    s.execute(insert(ledger), [ledger_values(key_pk, charge) for _, key_pk, charge in fresh])
                keyed = [(o, k, c) for o, k, c in fresh if k is not None]  # without a key nothing was held
                if keyed:
                    holds = Hold.__table__
                    held = {row[0]: int(row[1]) for row in s.execute(
                        delete(holds).where(holds.c.owner.in_([o for o, _, _ in keyed])).returning(holds.c.owner, holds.c.amount_micro_usd))}
                    per_key: dict[int, tuple[int, int]] = {}
                    for owner, key_pk, charge in keyed:
                        reserved, spent = per_key.get(key_pk, (0, 0))
                        per_key[key_pk] = (reserved + held.get(owner, 0), spent + charge.cost_micro_usd)
                    keys = ApiKey.__table__
                    for key_pk, (reserved, spent) in per_key.items():
                        s.execute(update(keys).where(keys.c.id == key_pk).values(
                            reserved_micro_usd=keys.c.reserved_micro_usd - reserved, spent_micro_usd=keys.c.spent_micro_usd + spent))
        except IntegrityError:
            for owner, key_pk, charge in items:
                self.settle(owner, key_pk, charge)
            return
        for owner, _, charge in items:
            if charge.request_id in billed:
                self.release(owner)  # billed already; make sure nothing stays held

    def _settled(self, request_id: str) -> bool:
        with self.sessions() as s:
            return s.scalar(select(LedgerEntry.id).where(LedgerEntry.request_id == request_id)) is not None

    def release(self, owner: str) -> int:
        """Give `owner`'s hold back; the amount released (0 when there was none)."""
        hold = self.pop(owner)
        return 0 if hold is None else hold.amount_micro_usd

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
    """Settlements that arrive while one is being written wait and go together in the next
    transaction: under load many requests share one commit, alone a request waits for none."""

    def __init__(self, write_many: Callable[[list[Any]], None], max_batch: int = 64) -> None:
        self.write_many = write_many
        self.max_batch = max_batch
        self._pending: list[tuple[Any, asyncio.Future]] = []
        self._writing = False

    async def submit(self, item: Any) -> None:
        """Write `item` (with whatever else is waiting); returns once it is committed."""
        future = asyncio.get_running_loop().create_future()
        self._pending.append((item, future))
        if not self._writing:
            self._writing = True
            asyncio.get_running_loop().create_task(self._drain())
        await asyncio.shield(future)

    async def _drain(self) -> None:
        try:
            while self._pending:
                batch, self._pending = self._pending[: self.max_batch], self._pending[self.max_batch :]
                try:
                    await asyncio.to_thread(self.write_many, [item for item, _ in batch])
                except Exception as exc:  # noqa: BLE001 - handed to every waiter of this batch
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(exc)
                else:
                    for _, future in batch:
                        if not future.done():
                            future.set_result(None)
        finally:
            self._writing = False
