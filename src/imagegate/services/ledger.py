"""Budgets and the append-only ledger.

A request reserves its estimated cost before generating (one conditional UPDATE, atomic on
SQLite and PostgreSQL alike, so concurrent requests can never overspend), settles the actual
cost after (reservation released, spend added and the ledger row written in one transaction),
or releases the reservation when it fails or is cancelled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from imagegate.db.tables import ApiKey, LedgerEntry
from imagegate.services.metering import Usage


@dataclass(frozen=True)
class Charge:
    """What one settled request used, for the ledger."""

    request_id: str
    model: str
    size: str
    quality: str
    n: int
    usage: Usage
    cost_micro_usd: int
    operation: str = "generation"


class Ledger:
    """Reservations against key budgets and the usage ledger."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def reserve(self, key_pk: int, amount: int) -> bool:
        """Hold `amount` micro-dollars of the key's budget; False when it would overspend."""
        stmt = (
            update(ApiKey)
            .where(
                ApiKey.id == key_pk,
                (ApiKey.budget_micro_usd.is_(None))
                | (ApiKey.spent_micro_usd + ApiKey.reserved_micro_usd + amount <= ApiKey.budget_micro_usd),
            )
            .values(reserved_micro_usd=ApiKey.reserved_micro_usd + amount)
        )
        with self.sessions.begin() as s:
            return s.execute(stmt).rowcount == 1

    def release(self, key_pk: int, amount: int) -> None:
        """Give a reservation back (failure, cancel)."""
        with self.sessions.begin() as s:
            s.execute(update(ApiKey).where(ApiKey.id == key_pk).values(reserved_micro_usd=ApiKey.reserved_micro_usd - amount))

    def settle(self, key_pk: int | None, reserved: int, charge: Charge) -> None:
        """Turn a reservation into spend and write the ledger row, atomically."""
        row = LedgerEntry(
            request_id=charge.request_id, key_id=key_pk, model=charge.model, operation=charge.operation,
            size=charge.size, quality=charge.quality, n=charge.n,
            text_tokens=charge.usage.text_tokens, image_tokens=charge.usage.image_tokens,
            cached_image_tokens=charge.usage.cached_image_tokens, output_tokens=charge.usage.output_tokens,
            cost_micro_usd=charge.cost_micro_usd,
        )
        with self.sessions.begin() as s:
            if key_pk is not None:
                s.execute(
                    update(ApiKey)
                    .where(ApiKey.id == key_pk)
                    .values(
                        reserved_micro_usd=ApiKey.reserved_micro_usd - reserved,
                        spent_micro_usd=ApiKey.spent_micro_usd + charge.cost_micro_usd,
                    )
                )
            s.add(row)

    def entries(self, *, since: datetime | None = None, until: datetime | None = None, key_pk: int | None = None) -> list[LedgerEntry]:
        """Ledger rows, oldest first."""
        stmt = select(LedgerEntry).order_by(LedgerEntry.created_at, LedgerEntry.id)
        if since is not None:
            stmt = stmt.where(LedgerEntry.created_at >= since)
        if until is not None:
            stmt = stmt.where(LedgerEntry.created_at < until)
        if key_pk is not None:
            stmt = stmt.where(LedgerEntry.key_id == key_pk)
        with self.sessions() as s:
            return list(s.scalars(stmt))

    def total_cost(self, key_pk: int | None = None) -> int:
        """Sum of settled costs, in micro-dollars."""
        stmt = select(func.coalesce(func.sum(LedgerEntry.cost_micro_usd), 0))
        if key_pk is not None:
            stmt = stmt.where(LedgerEntry.key_id == key_pk)
        with self.sessions() as s:
            return int(s.scalar(stmt) or 0)
