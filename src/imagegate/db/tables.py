"""The tables: API keys, budget holds, the append-only usage ledger and jobs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Float, ForeignKey, Index, Integer, String, Text, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class ApiKey(Base):
    """A key: stored as a hash plus a display prefix; money in integer micro-dollars."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    key_id: Mapped[str] = mapped_column(String(32), unique=True)  # public part, in the secret
    secret_hash: Mapped[str] = mapped_column(String(64))
    prefix: Mapped[str] = mapped_column(String(32))  # for display: sk-ig-abcd1234…
    is_admin: Mapped[bool] = mapped_column(default=False)
    budget_micro_usd: Mapped[int | None] = mapped_column(BigInteger, nullable=True)  # None: no budget
    spent_micro_usd: Mapped[int] = mapped_column(BigInteger, default=0)
    reserved_micro_usd: Mapped[int] = mapped_column(BigInteger, default=0)
    rpm: Mapped[int | None] = mapped_column(Integer, nullable=True)
    ipm: Mapped[int | None] = mapped_column(Integer, nullable=True)
    tpm: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class LedgerEntry(Base):
    """One settled request: what it used and what it cost. Rows are only ever inserted."""

    __tablename__ = "ledger"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[str] = mapped_column(String(64), unique=True)
    key_id: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id"), nullable=True)
    model: Mapped[str] = mapped_column(String(100))
    operation: Mapped[str] = mapped_column(String(32), default="generation")
    size: Mapped[str] = mapped_column(String(32))
    quality: Mapped[str] = mapped_column(String(16))
    n: Mapped[int] = mapped_column(Integer)
    text_tokens: Mapped[int] = mapped_column(Integer, default=0)
    image_tokens: Mapped[int] = mapped_column(Integer, default=0)
    cached_image_tokens: Mapped[int] = mapped_column(Integer, default=0)
    output_tokens: Mapped[int] = mapped_column(Integer, default=0)
    cost_micro_usd: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (Index("ix_ledger_key_created", "key_id", "created_at"), Index("ix_ledger_created", "created_at"))


class Job(Base):
    """An async image job (`Prefer: respond-async`): the request, its state and its result."""

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    key_id: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id"), nullable=True)
    operation: Mapped[str] = mapped_column(String(32))  # generation | edit | variation
    model_override: Mapped[str | None] = mapped_column(String(100), nullable=True)
    request_json: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="queued")  # queued running succeeded failed cancelled
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    result_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    error_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    claimed_by: Mapped[str | None] = mapped_column(String(100), nullable=True)  # host:pid:token of the process running it
    claim_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)  # renewed while it lives

    __table_args__ = (Index("ix_jobs_status", "status"),)


class Hold(Base):
    """A budget hold: part of a key's budget set aside for one request or job, under a lease.

    `api_keys.reserved_micro_usd` is the sum of the key's holds, kept in the same transactions.
    """

    __tablename__ = "holds"

    owner: Mapped[str] = mapped_column(String(64), primary_key=True)  # req_… or job_…
    key_id: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id"), nullable=True)
    amount_micro_usd: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    lease_until: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    process: Mapped[str] = mapped_column(String(128), default="")  # hostname:pid, for display

    __table_args__ = (Index("ix_holds_lease_until", "lease_until"), Index("ix_holds_key", "key_id"))
