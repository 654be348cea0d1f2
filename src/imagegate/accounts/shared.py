"""State shared through Redis by every `imagegate serve` process of one deployment (`redis_url`).

- `RedisRateLimiter`: the per-key token buckets, one set for all processes (a Lua script reads,
  refills, checks and consumes all of a key's buckets atomically, on the Redis server's clock).
- `SharedRecentImages`: the input images billed within the hour (the cached-input price).
- Revocations: a revoked key gets a marker (`imagegate:revoked:<key_id>`, the random public id in
  its secret, so a marker never matches another database's key) that every process checks before
  trusting its authentication cache, and its row id is published on `imagegate:revocations` so
  every process drops the key from its cache and cancels the key's work in flight at once.

Without `redis_url` none of this is loaded: each process keeps its own limits, cache and memory.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit, urlunsplit

from imagegate.accounts.ratelimit import Decision, _Bucket, _headers
from imagegate.errors import ConfigurationError, ServiceUnavailableError

try:
    import redis
    from redis.exceptions import RedisError
except ImportError:  # an optional dependency (the `cluster` extra)
    redis = None  # type: ignore[assignment]
    RedisError = OSError  # type: ignore[assignment,misc]

log = logging.getLogger("imagegate.shared")

PREFIX = "imagegate:"
REVOKED_MARKER_SECONDS = 3600  # far longer than any process's authentication cache window
BUCKET_SECONDS = 120  # an untouched bucket is full again after 60 s: forgetting it then changes nothing

# KEYS[1]: the key's hash of buckets. ARGV[1]: its expiry (s); then a (kind, capacity, cost)
# triple per limited kind. The same decision as InProcessRateLimiter.acquire, on Redis's clock.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local n = (#ARGV - 1) / 3
local kinds, caps, costs, levels = {}, {}, {}, {}
for i = 1, n do
  local kind, cap, cost = ARGV[3 * i - 1], tonumber(ARGV[3 * i]), tonumber(ARGV[3 * i + 1])
  local saved = redis.call('HMGET', KEYS[1], kind .. ':cap', kind .. ':level', kind .. ':ts')
  local level = cap
  if saved[1] and tonumber(saved[1]) == cap and saved[2] and saved[3] then
    level = math.min(cap, tonumber(saved[2]) + math.max(0, now - tonumber(saved[3])) * cap / 60)
  end
  kinds[i], caps[i], costs[i], levels[i] = kind, cap, cost, level
end
local allowed, limited, never, retry = 1, 0, 0, 0
for i = 1, n do
  if costs[i] > caps[i] then
    allowed, limited, never, retry = 0, i, 1, 0
    break
  end
  local wait = math.max(0, (costs[i] - levels[i]) / (caps[i] / 60))
  if wait > retry then
    allowed, limited, retry = 0, i, wait
  end
end
local out = {allowed, limited, never, string.format('%.17g', retry), string.format('%.17g', now)}
for i = 1, n do
  if allowed == 1 then
    levels[i] = levels[i] - costs[i]
  end
  local level = string.format('%.17g', levels[i])
  redis.call('HSET', KEYS[1], kinds[i] .. ':cap', caps[i], kinds[i] .. ':level', level, kinds[i] .. ':ts', string.format('%.17g', now))
  out[5 + i] = level
end
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[1]))
return out
"""


def redacted(url: str) -> str:
    """`url` without its password (for messages and logs)."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        host = parts.hostname or ""
        netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
        return urlunsplit(parts._replace(netloc=netloc))
    except ValueError:
        return "(unparsable redis_url)"


def _unavailable(what: str) -> ServiceUnavailableError:
    return ServiceUnavailableError(
        f"The shared state store (Redis) is unavailable ({what}); nothing was billed. Please retry later.",
        code="redis_unavailable", headers={"Retry-After": "5"},
    )


class SharedState:
    """One Redis client (a thread-safe connection pool) and the names of what imagegate keeps there."""

    def __init__(self, url: str, prefix: str = PREFIX, *, timeout: float = 5.0) -> None:
        if redis is None:
            raise ConfigurationError("redis_url is set but the `redis` package is not installed (pip install 'redis>=5').")
        self.url = url
        self.prefix = prefix
        self.channel = f"{prefix}revocations"
        try:
            self.client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout, health_check_interval=30)
        except ValueError as exc:
            raise ConfigurationError(f"Invalid redis_url {redacted(url)!r}: {exc}") from None

    def check(self) -> None:
        """Fail now, with a clear message, when Redis cannot be reached (at start-up)."""
        try:
            self.client.ping()
        except RedisError as exc:
            raise ConfigurationError(f"Cannot reach Redis at {redacted(self.url)} (redis_url): {exc}") from None

    def close(self) -> None:
        self.client.close()

    def limiter(self) -> RedisRateLimiter:
        return RedisRateLimiter(self.client, self.prefix)

    def recent_images(self, ttl: float = 3600.0) -> SharedRecentImages:
        return SharedRecentImages(self.client, self.prefix, ttl)

    # -- revocations -------------------------------------------------------------------------
    def _marker(self, key_id: str) -> str:
        return f"{self.prefix}revoked:{key_id}"

    def is_revoked(self, key_id: str) -> bool:
        """Whether the key `key_id` (the id in its secret) was revoked lately, by any process:
        checked before a cached authentication is trusted, so a revocation holds even if its
        message was lost."""
        try:
            return bool(self.client.exists(self._marker(key_id)))
        except RedisError as exc:
            raise _unavailable(f"checking the key: {exc}") from None

    def publish_revocation(self, key_pk: int, key_id: str) -> None:
        """Mark the key revoked and tell every process (after the database has it revoked)."""
        try:
            with self.client.pipeline(transaction=False) as pipe:
                pipe.set(self._marker(key_id), 1, ex=REVOKED_MARKER_SECONDS)
                pipe.publish(self.channel, str(key_pk))
                pipe.execute()
        except RedisError as exc:
            raise ServiceUnavailableError(
                f"The key is revoked in the database, but Redis is unavailable ({exc}): other servers may accept it "
                "for up to their authentication cache window (1 s). Retry the revocation to make sure.",
                code="redis_unavailable", headers={"Retry-After": "5"},
            ) from None

    def listen(self, forget: Callable[[int], bool], cancel: Callable[[int], object], loop: asyncio.AbstractEventLoop) -> RevocationListener:
        """Start a thread that applies revocations published by any process (this one too):
        `forget(key_pk)` in the thread (drops the key from the cache; True when the database
        confirms the revocation), then `cancel(key_pk)` on `loop`."""
        listener = RevocationListener(self, forget, cancel, loop)
        listener.start()
        return listener


class RevocationListener:
    """A daemon thread subscribed to the revocation channel; reconnects after Redis errors."""

    def __init__(self, shared: SharedState, forget: Callable[[int], bool], cancel: Callable[[int], object], loop: asyncio.AbstractEventLoop) -> None:
        self.shared = shared
        self._forget = forget
        self._cancel = cancel
        self._loop = loop
        self._stop = threading.Event()
        self._subscribed = threading.Event()
        self._thread = threading.Thread(target=self._run, name="imagegate-revocations", daemon=True)

    def start(self, wait: float = 5.0) -> None:
        self._thread.start()
        self._subscribed.wait(wait)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        pubsub = None
        while not self._stop.is_set():
            try:
                if pubsub is None:
                    pubsub = self.shared.client.pubsub(ignore_subscribe_messages=True)
                    pubsub.subscribe(self.shared.channel)
                    self._subscribed.set()
                message = pubsub.get_message(timeout=0.5)
                if message is not None and message.get("type") == "message":
                    self._apply(message["data"])
            except RedisError as exc:  # a lost message is covered by the markers and the database
                log.warning("revocation channel: %s; reconnecting", exc)
                if pubsub is not None:
                    try:
                        pubsub.close()
                    except RedisError:
                        pass
                pubsub = None
                self._stop.wait(1.0)
            except Exception:  # noqa: BLE001 - the listener must outlive a bad message
                log.exception("revocation listener error")
        if pubsub is not None:
            try:
                pubsub.close()
            except RedisError:
                pass

    def _apply(self, data: bytes | str) -> None:
        try:
            key_pk = int(data)
        except (TypeError, ValueError):
            log.warning("ignoring revocation message %r", data)
            return
        if not self._forget(key_pk):  # not revoked in our database: nothing to cancel
            return
        try:
            self._loop.call_soon_threadsafe(self._cancel, key_pk)
        except RuntimeError:  # the loop is closed: the server is stopping
            pass


class RedisRateLimiter:
    """`InProcessRateLimiter`'s token buckets (same decisions, same headers) kept in Redis, so
    one limit holds across every process. A Redis error is a 503, never an unlimited pass."""

    def __init__(self, client, prefix: str = PREFIX) -> None:
        self.client = client
        self.prefix = prefix
        self._script = client.register_script(_ACQUIRE)

    def acquire(self, key: str, limits: dict[str, int | None], costs: dict[str, int]) -> Decision:
        limited = [(kind, int(limit)) for kind, limit in limits.items() if limit]
        if not limited:
            return Decision(allowed=True)
        args: list[object] = [BUCKET_SECONDS]
        for kind, limit in limited:
            args += [kind, limit, int(costs.get(kind, 0))]
        try:
            out = self._script(keys=[f"{self.prefix}ratelimit:{key}"], args=args)
        except RedisError as exc:
            raise _unavailable(f"checking rate limits: {exc}") from None
        allowed, which, never, retry, now = int(out[0]), int(out[1]), int(out[2]), float(out[3]), float(out[4])
        buckets = {kind: _Bucket(float(limit), float(level), now) for (kind, limit), level in zip(limited, out[5:], strict=True)}
        decision = Decision(allowed=bool(allowed), retry_after=retry, limited_by=limited[which - 1][0] if which else None, never=bool(never))
        decision.headers = _headers(buckets)
        return decision


class SharedRecentImages:
    """`RecentImages` in Redis: an input image billed through any process within `ttl` is billed
    at the cached-input price through every process."""

    blocking = True  # network round trips: callers on the event loop go through a worker thread

    def __init__(self, client, prefix: str = PREFIX, ttl: float = 3600.0) -> None:
        self.client = client
        self.prefix = prefix
        self.ttl = ttl

    def _name(self, digest: str) -> str:
        return f"{self.prefix}recent-image:{digest}"

    def contains(self, digest: str) -> bool:
        try:
            return bool(self.client.exists(self._name(digest)))
        except RedisError as exc:
            raise _unavailable(f"looking up input images: {exc}") from None

    def add(self, digests: Iterable[str]) -> None:
        """Record images once their request was billed. The request is already paid for, so a
        Redis error is logged, not raised: the images are billed fresh next time."""
        digests = list(digests)
        if not digests:
            return
        try:
            with self.client.pipeline(transaction=False) as pipe:
                for digest in digests:
                    pipe.set(self._name(digest), 1, ex=max(1, int(self.ttl)))
                pipe.execute()
        except RedisError as exc:
            log.warning("could not record %d input image(s) in Redis: %s", len(digests), exc)
