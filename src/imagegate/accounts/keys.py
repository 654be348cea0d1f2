"""API keys: created with a secret shown once, stored as a hash and a display prefix."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from imagegate.db.tables import ApiKey
from imagegate.errors import InvalidRequestError, NotFoundError

SECRET_PREFIX = "sk-ig-"
_DUMMY_HASH = hashlib.sha256(b"no such key").hexdigest()


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def usd_to_micro(usd: float | None) -> int | None:
    """Dollars (as typed by an operator) to integer micro-dollars."""
    return None if usd is None else round(usd * 1_000_000)


@dataclass(frozen=True)
class KeyInfo:
    """A key as the rest of the service sees it (never the secret)."""

    id: int
    name: str
    prefix: str
    is_admin: bool
    budget_micro_usd: int | None
    spent_micro_usd: int
    reserved_micro_usd: int
    rpm: int | None
    ipm: int | None
    tpm: int | None
    created_at: datetime | None
    revoked: bool

    @classmethod
    def from_row(cls, row: ApiKey) -> KeyInfo:
        return cls(
            row.id, row.name, row.prefix, row.is_admin, row.budget_micro_usd, row.spent_micro_usd,
            row.reserved_micro_usd, row.rpm, row.ipm, row.tpm, row.created_at, row.revoked_at is not None,
        )

    def to_dict(self) -> dict:
        """JSON-ready, money in dollars too."""
        return {
            "id": self.id,
            "object": "api_key",
            "name": self.name,
            "prefix": self.prefix,
            "admin": self.is_admin,
            "budget_usd": None if self.budget_micro_usd is None else self.budget_micro_usd / 1e6,
            "spent_usd": self.spent_micro_usd / 1e6,
            "reserved_usd": self.reserved_micro_usd / 1e6,
            "rpm": self.rpm,
            "ipm": self.ipm,
            "tpm": self.tpm,
            "created_at": int(self.created_at.timestamp()) if self.created_at else None,
            "revoked": self.revoked,
        }


class KeyStore:
    """Create, list, revoke and authenticate keys.

    Successful authentications are remembered for `cache_seconds` (default 1 s) so a busy key
    costs one lookup a second, not one a request. Revoking through this store takes effect at
    once; a revocation made by another process (the CLI) within that second.

    With `revocations` (accounts/shared.py, when `redis_url` is set) a revocation is published to
    every process, and a cached authentication is trusted only after checking that the key is
    not marked revoked: revoking through any process takes effect everywhere at once.
    """

    def __init__(self, sessions: sessionmaker[Session], cache_seconds: float = 1.0, clock=time.monotonic, revocations=None) -> None:
        self.sessions = sessions
        self.cache_seconds = cache_seconds
        self._clock = clock
        self._cache: dict[str, tuple[float, KeyInfo]] = {}
        self.revocations = revocations  # SharedState or None: is_revoked(key_id), publish_revocation(key_pk, key_id)

    def create(
        self,
        name: str,
        *,
        budget_usd: float | None = None,
        rpm: int | None = None,
        ipm: int | None = None,
        tpm: int | None = None,
        admin: bool = False,
    ) -> tuple[KeyInfo, str]:
        """A new key and its secret (the only time the secret exists in clear)."""
        key_id = secrets.token_hex(6)
        secret = f"{SECRET_PREFIX}{key_id}-{secrets.token_urlsafe(30)}"
        row = ApiKey(
            name=name, key_id=key_id, secret_hash=_hash(secret), prefix=f"{SECRET_PREFIX}{key_id[:6]}…",
            is_admin=admin, budget_micro_usd=usd_to_micro(budget_usd), spent_micro_usd=0, reserved_micro_usd=0,
            rpm=rpm, ipm=ipm, tpm=tpm,
        )
        with self.sessions.begin() as s:
            s.add(row)
            s.flush()
            info = KeyInfo.from_row(row)
        return info, secret

    def list(self, include_revoked: bool = True) -> list[KeyInfo]:
        with self.sessions() as s:
            stmt = select(ApiKey).order_by(ApiKey.id)
            if not include_revoked:
                stmt = stmt.where(ApiKey.revoked_at.is_(None))
            return [KeyInfo.from_row(r) for r in s.scalars(stmt)]

    def get(self, key_pk: int) -> KeyInfo:
        with self.sessions() as s:
            row = s.get(ApiKey, key_pk)
            if row is None:
                raise NotFoundError(f"No API key with id {key_pk}.", param="key_id", code="not_found")
            return KeyInfo.from_row(row)

    def count_active(self) -> int:
        with self.sessions() as s:
            return s.scalar(select(func.count()).select_from(ApiKey).where(ApiKey.revoked_at.is_(None))) or 0

    def revoke(self, key_pk: int) -> KeyInfo:
        """Revoke a key (idempotent). The last active admin key cannot be revoked: without it
        nobody could manage the server through the API any more."""
        self._cache.clear()
        with self.sessions.begin() as s:
            row = s.get(ApiKey, key_pk)
            if row is None:
                raise NotFoundError(f"No API key with id {key_pk}.", param="key_id", code="not_found")
            if row.revoked_at is None and row.is_admin:
                # the active admin keys, locked (PostgreSQL) so two revocations cannot both pass
                admins = s.scalars(select(ApiKey.id).where(ApiKey.is_admin.is_(True), ApiKey.revoked_at.is_(None)).with_for_update()).all()
                if len(admins) <= 1:
                    raise InvalidRequestError(
                        "This is the last active admin key; create another admin key before revoking it.", param="key_id", code="last_admin_key",
                    )
            s.execute(update(ApiKey).where(ApiKey.id == key_pk, ApiKey.revoked_at.is_(None)).values(revoked_at=datetime.now(UTC)))
            key_id = row.key_id
        if self.revocations is not None:  # every process: its cache, its work in flight
            self.revocations.publish_revocation(key_pk, key_id)
        return self.get(key_pk)

    def forget(self, key_pk: int) -> bool:
        """Drop `key_pk` from the authentication cache (it was revoked elsewhere); whether the
        database has it revoked (a message is a hint, the database the authority)."""
        for digest, (_, info) in list(self._cache.items()):
            if info.id == key_pk:
                self._cache.pop(digest, None)
        return bool(self.revoked_among([key_pk]))

    def revoked_among(self, key_pks: list[int]) -> list[int]:
        """Which of these keys are revoked now (one query)."""
        with self.sessions() as s:
            return list(s.scalars(select(ApiKey.id).where(ApiKey.id.in_(key_pks), ApiKey.revoked_at.is_not(None))))

    def cached(self, secret: str) -> KeyInfo | None:
        """The key for `secret` if it authenticated within the cache window (no database, no
        I/O: None when revocations are shared, since trusting a hit then needs a Redis look-up,
        which `authenticate` makes in its worker thread)."""
        return None if self.revocations is not None else self._cached(secret)

    def _cached(self, secret: str) -> KeyInfo | None:
        hit = self._cache.get(_hash(secret))
        return hit[1] if hit is not None and hit[0] > self._clock() else None

    def authenticate(self, secret: str | None) -> KeyInfo | None:
        """The active key for `secret`, or None; compares hashes in constant time."""
        hit = self._cached(secret or "")
        if hit is not None:
            if self.revocations is None or not self.revocations.is_revoked(_key_id(secret) or ""):
                return hit
            self.forget(hit.id)
            return None
        digest = _hash(secret or "")
        info = self._lookup(secret)
        if info is not None and self.cache_seconds > 0:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[digest] = (self._clock() + self.cache_seconds, info)
        return info

    def _lookup(self, secret: str | None) -> KeyInfo | None:
        key_id = _key_id(secret)
        with self.sessions() as s:
            row = s.scalar(select(ApiKey).where(ApiKey.key_id == key_id)) if key_id else None
        expected = row.secret_hash if row is not None else _DUMMY_HASH
        matches = hmac.compare_digest(expected, _hash(secret or ""))
        if row is None or not matches or row.revoked_at is not None:
            return None
        return KeyInfo.from_row(row)


def _key_id(secret: str | None) -> str | None:
    if not secret or not secret.startswith(SECRET_PREFIX):
        return None
    key_id, _, rest = secret.removeprefix(SECRET_PREFIX).partition("-")
    return key_id if rest and len(key_id) == 12 else None
