"""The append-only ledger: one row per settled request.

Rows are written by `Holds.settle` (accounts/holds.py), in the same transaction that turns the
request's budget hold into spend; this module describes a charge and reads the rows back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from imagegate.db.tables import LedgerEntry
from imagegate.accounts.metering import Usage


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


def ledger_values(key_pk: int | None, charge: Charge) -> dict:
    """The ledger row recording `charge` against the key `key_pk`, as column values."""
    usage = charge.usage
    return {
        "request_id": charge.request_id, "key_id": key_pk, "model": charge.model, "operation": charge.operation,
        "size": charge.size, "quality": charge.quality, "n": charge.n,
        "text_tokens": usage.text_tokens, "image_tokens": usage.image_tokens,
        "cached_image_tokens": usage.cached_image_tokens, "output_tokens": usage.output_tokens,
        "cost_micro_usd": charge.cost_micro_usd,
    }


class Ledger:
    """The usage ledger: settled charges, read back for reports."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

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
