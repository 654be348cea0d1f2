"""Per-key rate limits: requests, images and tokens per minute, as token buckets.

The limiter is a protocol so a shared store (Redis, ...) can back it across replicas; the
in-process one is the default.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field
from typing import Protocol

KINDS = ("requests", "images", "tokens")


def go_duration(seconds: float) -> str:
    """OpenAI's reset format: `1s`, `6m0s`, `12ms`."""
    if seconds < 1:
        return f"{max(0, math.ceil(seconds * 1000))}ms"
    seconds = math.ceil(seconds)
    minutes, secs = divmod(seconds, 60)
    return f"{minutes}m{secs}s" if minutes else f"{secs}s"


@dataclass
class Decision:
    """Whether a request may go ahead, how long to wait if not, and the headers to send."""

    allowed: bool
    retry_after: float = 0.0
    limited_by: str | None = None
    never: bool = False  # the request alone exceeds a per-minute limit: waiting won't help
    headers: dict[str, str] = field(default_factory=dict)


class RateLimiter(Protocol):
    def acquire(self, key: str, limits: dict[str, int | None], costs: dict[str, int]) -> Decision:
        """Consume `costs` from every limited bucket of `key`, all or nothing."""
        ...


@dataclass
class _Bucket:
    capacity: float
    level: float
    updated: float

    def refill(self, now: float) -> None:
        rate = self.capacity / 60.0
        self.level = min(self.capacity, self.level + (now - self.updated) * rate)
        self.updated = now

    def wait_for(self, cost: float) -> float:
        return max(0.0, (cost - self.level) / (self.capacity / 60.0))


class InProcessRateLimiter:
    """Token buckets in this process: capacity = the per-minute limit, refilled continuously."""

    def __init__(self, clock=time.monotonic) -> None:
        self._buckets: dict[tuple[str, str], _Bucket] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def _bucket(self, key: str, kind: str, limit: int, now: float) -> _Bucket:
        bucket = self._buckets.get((key, kind))
        if bucket is None or bucket.capacity != limit:
            bucket = self._buckets[(key, kind)] = _Bucket(float(limit), float(limit), now)
        bucket.refill(now)
        return bucket

    def acquire(self, key: str, limits: dict[str, int | None], costs: dict[str, int]) -> Decision:
        with self._lock:
            now = self._clock()
            buckets = {k: self._bucket(key, k, limit, now) for k, limit in limits.items() if limit}
            decision = Decision(allowed=True)
            for kind, bucket in buckets.items():
                cost = costs.get(kind, 0)
                if cost > bucket.capacity:
                    decision = Decision(False, 0.0, kind, never=True)
                    break
                wait = bucket.wait_for(cost)
                if wait > decision.retry_after:
                    decision = Decision(False, wait, kind)
            if decision.allowed:
                for kind, bucket in buckets.items():
                    bucket.level -= costs.get(kind, 0)
            decision.headers = _headers(buckets)
            return decision


def _headers(buckets: dict[str, _Bucket]) -> dict[str, str]:
    headers = {}
    for kind, bucket in buckets.items():
        headers[f"x-ratelimit-limit-{kind}"] = str(int(bucket.capacity))
        headers[f"x-ratelimit-remaining-{kind}"] = str(max(0, int(bucket.level)))
        headers[f"x-ratelimit-reset-{kind}"] = go_duration(bucket.wait_for(bucket.capacity))
    return headers
