"""What the moderator does when one of its classifiers raises: log it, count it, show it, try the
classifier again on the next request, and refuse requests once it has failed too often.

A `FailureTracker` follows one layer (the semantic classifier, the image classifier). Every
failure is logged and counted; every request tries the layer again, and one success clears the
run of failures. Under `closed` (the default), `limit` failures in a row make the moderator
refuse requests with 503 `moderation_unavailable` (Retry-After) until the layer works again;
under `open` it goes on without the layer, and `describe()` says it is degraded.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from imagegate.errors import ConfigurationError, ServiceUnavailableError

log = logging.getLogger("imagegate.moderation")

MODES = ("closed", "open")
RETRY_AFTER_SECONDS = 10


class FailureTracker:
    """Failures of one classifier layer, and whether requests must be refused because of them.

    Args:
        layer: the layer's name, for logs and errors ("semantic", "image").
        mode: "closed" (refuse after `limit` failures in a row) or "open" (never refuse).
        limit: how many failures in a row make a closed layer refuse; at least 1.
    """

    def __init__(self, layer: str, mode: str = "closed", limit: int = 3) -> None:
        if mode not in MODES:
            raise ConfigurationError(f"moderation: {layer}_failures must be 'closed' or 'open', not {mode!r}")
        if int(limit) < 1:
            raise ConfigurationError(f"moderation: the {layer} failure limit must be at least 1, not {limit!r}")
        self.layer = layer
        self.mode = mode
        self.limit = int(limit)
        self.consecutive = 0
        self.total = 0
        self.last_error: str | None = None
        self.last_failure: float | None = None  # time.time() of the last failure
        self._lock = threading.Lock()

    def succeeded(self) -> None:
        """The layer worked: a run of failures ends."""
        if self.consecutive:  # read without the lock: the common case costs nothing
            with self._lock:
                if self.consecutive:
                    log.warning("moderation: the %s classifier works again after %d failure(s)", self.layer, self.consecutive)
                    self.consecutive = 0

    def failed(self, exc: BaseException) -> bool:
        """Record a failure (logged with its traceback); whether the request must be refused."""
        with self._lock:
            self.consecutive += 1
            self.total += 1
            self.last_error = f"{type(exc).__name__}: {exc}"
            self.last_failure = time.time()
            refuse = self.refusing
            count = self.consecutive
        # The traceback once a run (its first failure), not on every request while it lasts.
        log.log(logging.ERROR if refuse else logging.WARNING, "moderation: the %s classifier failed (%d in a row; %s): %s",
                self.layer, count, "requests are refused" if refuse else "going on without it", self.last_error,
                exc_info=exc if count == 1 else None)
        return refuse

    @property
    def refusing(self) -> bool:
        """Whether requests are being refused (closed, and `limit` failures in a row)."""
        return self.mode == "closed" and self.consecutive >= self.limit

    @property
    def state(self) -> str:
        """"ok", "degraded" (failing, requests go on without the layer) or "unavailable" (refused)."""
        if not self.consecutive:
            return "ok"
        return "unavailable" if self.refusing else "degraded"

    def error(self) -> ServiceUnavailableError:
        """The 503 a refused request gets."""
        return ServiceUnavailableError(
            f"The content policy's {self.layer} classifier is failing; nothing was billed. Please retry later.",
            code="moderation_unavailable", headers={"Retry-After": str(RETRY_AFTER_SECONDS)})

    def describe(self) -> dict[str, Any]:
        """The layer's state, for the health endpoint."""
        last = None if self.last_failure is None else time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.last_failure))
        return {"state": self.state, "on_failure": self.mode, "limit": self.limit, "consecutive_failures": self.consecutive,
                "failures": self.total, "last_error": self.last_error, "last_failure": last}
