"""Accounts: who is calling (API keys), whether they may (rate limits, budget), and billing.

`metered()` wraps one request: rate limits and a budget hold before, the settled charge after,
the hold released when the request fails or is cancelled. Holds are rows with leases
(accounts/holds.py): the keeper renews them while the request lives, and a hold left by a killed
process is released once its lease lapses.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import anyio
from sqlalchemy.exc import IntegrityError

from imagegate.config import ModelSpec
from imagegate.errors import AuthenticationError, PermissionDeniedError, RateLimitError
from imagegate.accounts.holds import RELEASE, SETTLE, TAKE, GroupCommit, HoldKeeper, Holds
from imagegate.accounts.keys import KeyInfo, KeyStore
from imagegate.accounts.ledger import Charge, Ledger
from imagegate.accounts.metering import Usage, cost_micro_usd
from imagegate.accounts.ratelimit import InProcessRateLimiter, RateLimiter

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
    """A request let through: its hold (owner and amount), and the rate-limit headers to send back."""

    principal: Principal
    owner: str = ""
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

    def __init__(
        self,
        keys: KeyStore,
        ledger: Ledger,
        limiter: RateLimiter,
        *,
        auth: bool = True,
        holds: Holds | None = None,
        default_limits: dict[str, int | None] | None = None,
    ) -> None:
        self.keys = keys
        # per-minute limits for keys without their own, and for anonymous traffic (auth off)
        self.default_limits = {kind: (default_limits or {}).get(kind) for kind in ("requests", "images", "tokens")}
        self._anonymous_limited = any(self.default_limits.values())
        self.ledger = ledger
        self.limiter = limiter
        self.auth = auth
        self.holds = holds if holds is not None else Holds(ledger.sessions)
        self.keeper = HoldKeeper(self.holds)
        # hold takes, settlements and releases that arrive together share one transaction
        self._writer = GroupCommit(lambda ops: self.holds.write(ops), isolate=(IntegrityError,))
        self._inline_limits = isinstance(limiter, InProcessRateLimiter)  # in memory: no thread hop needed
        self._cleanups: set[asyncio.Task] = set()

    async def start(self) -> None:
        """Release holds dead processes left, and keep this process's leases renewed."""
        await self.keeper.start()

    async def aclose(self) -> None:
        """Stop renewing leases (holds still open lapse and are reaped later)."""
        await self.keeper.aclose()

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

    def authenticate_cached(self, authorization: str | None, api_key: str | None) -> Principal | None:
        """The caller when it needs no database look-up (auth off, a key seen within the
        cache window); None when `authenticate` must run (in a worker thread)."""
        if not self.auth:
            return Principal()
        secret = bearer_secret(authorization, api_key)
        key = self.keys.cached(secret) if secret else None
        return Principal(key) if key is not None else None

    def require_admin(self, principal: Principal) -> None:
        """403 unless the caller holds an admin key (or auth is off)."""
        if self.auth and not (principal.key and principal.key.is_admin):
            raise PermissionDeniedError("This operation needs an admin API key.", code="insufficient_permissions")

    def rate_limit_only(self, principal: Principal, costs: dict[str, int]) -> dict[str, str]:
        """Consume `costs` (requests, images, tokens) from the key's rate limits, with no budget hold
        (cheap calls such as a cost estimate); the rate-limit headers, or the same 429 as `admit`."""
        key = principal.key
        defaults = self.default_limits
        if key is None:  # auth off: the server-wide defaults, one bucket for everyone
            if not self._anonymous_limited:
                return {}
            bucket, limits = "anonymous", defaults
        else:
            bucket = str(key.id)
            limits = {
                "requests": key.rpm if key.rpm is not None else defaults["requests"],
                "images": key.ipm if key.ipm is not None else defaults["images"],
                "tokens": key.tpm if key.tpm is not None else defaults["tokens"],
            }
        decision = self.limiter.acquire(bucket, limits, costs)
        if not decision.allowed:
            raise _rate_limited(decision, limits)
        return decision.headers

    def admit(self, principal: Principal, estimate: Usage, cost: int, images: int, owner: str | None = None) -> Admission:
        """Rate limits, then a budget hold owned by `owner` (a request or job id); 429 when either says no."""
        owner = owner or f"req_{secrets.token_hex(16)}"
        key = principal.key
        if key is None:  # auth off: no budget; the server-wide rate limits, if any
            costs = {"requests": 1, "images": images, "tokens": estimate.total_tokens}
            return Admission(principal, owner, headers=self.rate_limit_only(principal, costs))
        headers = self.rate_limit_only(principal, {"requests": 1, "images": images, "tokens": estimate.total_tokens})
        if not self.holds.take(owner, key.id, cost):
            raise _over_budget(cost, headers)
        self.keeper.track(owner)
        return Admission(principal, owner, reserved=cost, headers=headers)

    def adopt(self, principal: Principal, owner: str) -> Admission | None:
        """Take over `owner`'s hold if it is still there (a resumed job), renewed and tracked; else None."""
        hold = self.holds.get(owner)
        if hold is None or not self.holds.adopt(owner):
            return None
        self.keeper.track(owner)
        return Admission(principal, owner, reserved=hold.amount_micro_usd)

    def settle(self, admission: Admission, charge: Charge) -> None:
        """Write the charge and turn the hold into spend (once, however often it is called)."""
        self.holds.settle(admission.owner, admission.principal.key_pk, charge)
        self.keeper.untrack(admission.owner)
        admission.settled = True

    async def settle_async(self, admission: Admission, charge: Charge) -> None:
        """`settle` off the event loop, sharing its commit with the holds, settlements and
        releases that arrive together."""
        await self._writer.submit((SETTLE, (admission.owner, admission.principal.key_pk, charge)))
        self.keeper.untrack(admission.owner)
        admission.settled = True

    def release(self, admission: Admission) -> None:
        """Give back an unused hold."""
        if not admission.settled and admission.principal.key_pk is not None:
            self.holds.release(admission.owner)
        self.keeper.untrack(admission.owner)
        admission.settled = True

    async def rate_limit_async(self, principal: Principal, costs: dict[str, int]) -> dict[str, str]:
        """`rate_limit_only` without blocking the event loop (in place for the in-memory limiter)."""
        if self._inline_limits or (principal.key is None and not self._anonymous_limited):
            return self.rate_limit_only(principal, costs)
        return await anyio.to_thread.run_sync(self.rate_limit_only, principal, costs)

    async def open(self, principal: Principal, spec: ModelSpec, estimate: Usage, images: int, owner: str | None = None) -> Admission:
        """`admit` without blocking the event loop, pricing `estimate` with `spec`'s table: the
        rate limits in place (in memory), the hold group-committed with the others arriving
        together; it is in the database when this returns."""
        key = principal.key
        if key is None:  # auth off: no budget; a thread hop only for a limiter that does I/O
            if self._anonymous_limited and not self._inline_limits:
                return await anyio.to_thread.run_sync(self.admit, principal, estimate, 0, images, owner)
            return self.admit(principal, estimate, 0, images, owner)
        cost = cost_micro_usd(spec, estimate)
        if not self._inline_limits:  # a limiter that may do I/O runs the whole admission in a thread
            return await anyio.to_thread.run_sync(self.admit, principal, estimate, cost, images, owner)
        owner = owner or f"req_{secrets.token_hex(16)}"
        headers = self.rate_limit_only(principal, {"requests": 1, "images": images, "tokens": estimate.total_tokens})
        taken = self._writer.enqueue((TAKE, (owner, key.id, cost)))
        try:
            ok = await asyncio.shield(taken)
        except asyncio.CancelledError:
            taken.add_done_callback(lambda done: self._release_if_taken(done, owner))  # not left to the lease
            raise
        if not ok:
            raise _over_budget(cost, headers)
        self.keeper.track(owner)
        return Admission(principal, owner, reserved=cost, headers=headers)

    def _release_if_taken(self, taken: asyncio.Future, owner: str) -> None:
        """The caller of `open` was cancelled while its hold was being written: give it back."""
        if taken.cancelled() or taken.exception() is not None or not taken.result():
            return
        task = asyncio.get_running_loop().create_task(self._writer.submit((RELEASE, owner)))
        self._cleanups.add(task)
        task.add_done_callback(self._cleanups.discard)

    async def close(self, admission: Admission) -> None:
        """Release the hold unless it was settled (group-committed with other releases); runs
        even when cancelled."""
        if admission.settled:
            return
        if admission.principal.key is None:  # nothing was held: no database work, no thread
            admission.settled = True
            return
        with anyio.CancelScope(shield=True):
            await self._writer.submit((RELEASE, admission.owner))
        self.keeper.untrack(admission.owner)
        admission.settled = True

    @contextlib.asynccontextmanager
    async def metered(self, principal: Principal, spec: ModelSpec, estimate: Usage, images: int, owner: str | None = None) -> AsyncIterator[Admission]:
        """Admit a request; release its hold unless it was settled inside the block."""
        admission = await self.open(principal, spec, estimate, images, owner)
        try:
            yield admission
        finally:
            await self.close(admission)


def _over_budget(cost: int, headers: dict[str, str]) -> RateLimitError:
    return RateLimitError(
        "You exceeded your current quota: this key's budget does not cover the request's estimated cost "
        f"(${cost / 1e6:.6f}). Ask the operator to raise the key's budget.",
        code="insufficient_quota",
        headers={**headers, "x-should-retry": "false"},
        error_type="insufficient_quota",
    )


def _rate_limited(decision, limits: dict[str, int | None]) -> RateLimitError:
    kind = decision.limited_by
    headers = dict(decision.headers)
    if decision.never:
        headers["x-should-retry"] = "false"
        message = f"Request too large for the {kind} per minute limit ({limits[kind]}); it can never be admitted."
    else:
        headers["retry-after"] = str(max(1, math.ceil(decision.retry_after)))
        headers["retry-after-ms"] = str(max(1, math.ceil(decision.retry_after * 1000)))
        message = f"Rate limit reached for {kind} per minute (limit {limits[kind]}). Please try again in {decision.retry_after:.3f}s."
    return RateLimitError(message, code="rate_limit_exceeded", headers=headers, error_type=kind)
