"""Accounts: who is calling (API keys), whether they may (rate limits, budget), and billing.

`metered()` wraps one request: rate limits and a budget reservation before, the settled charge
after, the reservation released when the request fails or is cancelled.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import anyio

from imagegate.config import ModelSpec
from imagegate.errors import AuthenticationError, PermissionDeniedError, RateLimitError
from imagegate.services.keys import KeyInfo, KeyStore
from imagegate.services.ledger import Charge, Ledger
from imagegate.services.metering import Usage, cost_micro_usd
from imagegate.services.ratelimit import RateLimiter

_MISSING_KEY = (
    "You didn't provide an API key. You need to provide your API key in an Authorization header using "
    "Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the api-key header."
)


@dataclass(frozen=True)
class Principal:
    """The caller: a key, or nobody when auth is off."""

    key: KeyInfo | None = None

    @property
    def key_pk(self) -> int | None:
        return self.key.id if self.key else None


@dataclass
class Admission:
    """A request let through: its reservation, and the rate-limit headers to send back."""

    principal: Principal
    reserved: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    settled: bool = False


def bearer_secret(authorization: str | None, api_key: str | None) -> str | None:
    """The key from `Authorization: Bearer …` or Azure's `api-key` header."""
    if api_key:
        return api_key.strip()
    if authorization and authorization[:7].lower() == "bearer ":
        return authorization[7:].strip() or None
    return None


def _masked(secret: str) -> str:
    return secret[:8] + "*" * 6 + secret[-4:] if len(secret) > 12 else "*" * len(secret)


class Accounts:
    """Authentication, rate limits, budgets and the ledger, behind one face."""

    def __init__(self, keys: KeyStore, ledger: Ledger, limiter: RateLimiter, *, auth: bool = True) -> None:
        self.keys = keys
        self.ledger = ledger
        self.limiter = limiter
        self.auth = auth

    def authenticate(self, authorization: str | None, api_key: str | None) -> Principal:
        """The caller's Principal, or 401 invalid_api_key."""
        if not self.auth:
            return Principal()
        secret = bearer_secret(authorization, api_key)
        if secret is None:
            raise AuthenticationError(_MISSING_KEY, code="invalid_api_key")
        key = self.keys.authenticate(secret)
        if key is None:
            raise AuthenticationError(f"Incorrect API key provided: {_masked(secret)}.", code="invalid_api_key")
        return Principal(key)

    def require_admin(self, principal: Principal) -> None:
        """403 unless the caller holds an admin key (or auth is off)."""
        if self.auth and not (principal.key and principal.key.is_admin):
            raise PermissionDeniedError("This operation needs an admin API key.", code="insufficient_permissions")

    def admit(self, principal: Principal, estimate: Usage, cost: int, images: int) -> Admission:
        """Rate limits, then the budget reservation; 429 when either says no."""
        key = principal.key
        if key is None:
            return Admission(principal)
        limits = {"requests": key.rpm, "images": key.ipm, "tokens": key.tpm}
        decision = self.limiter.acquire(str(key.id), limits, {"requests": 1, "images": images, "tokens": estimate.total_tokens})
        if not decision.allowed:
            raise _rate_limited(decision, limits)
        if not self.ledger.reserve(key.id, cost):
            raise RateLimitError(
                "You exceeded your current quota: this key's budget does not cover the request's estimated cost "
                f"(${cost / 1e6:.6f}). Ask the operator to raise the key's budget.",
                code="insufficient_quota",
                headers={**decision.headers, "x-should-retry": "false"},
                error_type="insufficient_quota",
            )
        return Admission(principal, reserved=cost, headers=decision.headers)

    def settle(self, admission: Admission, charge: Charge) -> None:
        """Write the charge and turn the reservation into spend."""
        self.ledger.settle(admission.principal.key_pk, admission.reserved, charge)
        admission.settled = True

    def release(self, admission: Admission) -> None:
        """Give back an unused reservation."""
        if admission.reserved and not admission.settled and admission.principal.key_pk is not None:
            self.ledger.release(admission.principal.key_pk, admission.reserved)
        admission.settled = True

    async def open(self, principal: Principal, spec: ModelSpec, estimate: Usage, images: int) -> Admission:
        """`admit` off the event loop, pricing `estimate` with `spec`'s table."""
        return await anyio.to_thread.run_sync(self.admit, principal, estimate, cost_micro_usd(spec, estimate), images)

    async def close(self, admission: Admission) -> None:
        """Release the reservation unless it was settled; runs even when cancelled."""
        if not admission.settled:
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(self.release, admission)

    @contextlib.asynccontextmanager
    async def metered(self, principal: Principal, spec: ModelSpec, estimate: Usage, images: int) -> AsyncIterator[Admission]:
        """Admit a request; release its reservation unless it was settled inside the block."""
        admission = await self.open(principal, spec, estimate, images)
        try:
            yield admission
        finally:
            await self.close(admission)


def _rate_limited(decision, limits: dict[str, int | None]) -> RateLimitError:
    kind = decision.limited_by
    headers = dict(decision.headers)
    if decision.never:
        headers["x-should-retry"] = "false"
        message = f"Request too large for this key's {kind} per minute limit ({limits[kind]}); it can never be admitted."
    else:
        headers["retry-after"] = str(max(1, math.ceil(decision.retry_after)))
        headers["retry-after-ms"] = str(max(1, math.ceil(decision.retry_after * 1000)))
        message = f"Rate limit reached for {kind} per minute (limit {limits[kind]}). Please try again in {decision.retry_after:.3f}s."
    return RateLimitError(message, code="rate_limit_exceeded", headers=headers, error_type=kind)
