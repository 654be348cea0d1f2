"""Connection deadlines uvicorn does not have: a client must finish sending a request's headers
within `header_timeout_seconds` of connecting (or of the first byte of its next request on a
kept-alive connection), and its body within `body_timeout_seconds` of the headers. A slow or
half-open client is disconnected instead of holding a connection open forever.

uvicorn's own settings cover the rest: `timeout_keep_alive` (idle time between requests) and
`limit_concurrency` (connections and requests at once; 503 past it).
"""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

HEADER_TIMEOUT_SECONDS = 10.0
BODY_TIMEOUT_SECONDS = 300.0


def configure(header_timeout: float, body_timeout: float) -> None:
    """Set the deadlines for connections accepted from now on (in this process)."""
    global HEADER_TIMEOUT_SECONDS, BODY_TIMEOUT_SECONDS
    HEADER_TIMEOUT_SECONDS, BODY_TIMEOUT_SECONDS = header_timeout, body_timeout


class DeadlineHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with header and body deadlines."""

    _deadline: asyncio.TimerHandle | None = None

    def _arm(self, seconds: float) -> None:
        self._disarm()
        if seconds > 0:
            self._deadline = self.loop.call_later(seconds, self._expire)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expire(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.transport.close()  # the app, if it was reading the body, sees a disconnect

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm(HEADER_TIMEOUT_SECONDS)  # nothing sent yet: a half-open connection

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm(HEADER_TIMEOUT_SECONDS)

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        self._arm(BODY_TIMEOUT_SECONDS)

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._disarm()  # the request is in; the app's own time is not limited here

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)
