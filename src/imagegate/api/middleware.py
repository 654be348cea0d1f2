"""ASGI middleware: request ids on every response, the request body size limits, and a last
line of defence that answers OpenAI's 500 (and keeps the connection) for unexpected errors."""

from __future__ import annotations

import json
import logging
import time

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from imagegate.errors import PayloadTooLargeError
from imagegate.ids import new_request_id

log = logging.getLogger("imagegate")
OPENAI_VERSION = b"2020-10-01"  # the API version header OpenAI's responses carry
UPLOAD_ROUTES = ("/images/edits", "/images/variations")  # bodies with images in them
SERVER_ERROR = {"error": {"message": "The server had an error while processing your request.", "type": "server_error", "param": None, "code": None}}


class RequestContextMiddleware:
    """Adds `x-request-id`, `openai-version` and `openai-processing-ms` (time to the first byte
    of the answer) to every response, as OpenAI's do, and refuses bodies over the route's limit with 413:
    `max_body` bytes for the upload routes, `max_small_body` for every other route."""

    def __init__(self, app: ASGIApp, max_body: int, max_small_body: int | None = None) -> None:
        self.app = app
        self.max_body = max_body
        self.max_small_body = max_body if max_small_body is None else max_small_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = new_request_id()
        scope.setdefault("state", {})["request_id"] = request_id
        header = request_id.encode()
        started = False
        t0 = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                elapsed = str(int((time.perf_counter() - t0) * 1000)).encode()
                message["headers"] = [*message.get("headers", []), (b"x-request-id", header), (b"openai-version", OPENAI_VERSION),
                                      (b"openai-processing-ms", elapsed)]
            await send(message)

        limit = self.max_body if scope.get("path", "").endswith(UPLOAD_ROUTES) else self.max_small_body
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._answer(send_with_id, 413, self._error(limit).to_body())
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise self._error(limit)
            return message

        try:
            await self.app(scope, limited_receive, send_with_id)
        except PayloadTooLargeError as exc:  # raised while reading, outside the app's handlers
            if not started:
                await self._answer(send_with_id, 413, exc.to_body())
        except ClientDisconnect:  # the client left (or was cut off) while sending its body
            return
        except Exception:
            if started:  # mid-response: only closing the connection can tell the client
                raise
            # a bug must not drop the connection or show a trace
            log.exception("unhandled error in %s %s", scope.get("method"), scope.get("path"))
            await self._answer(send_with_id, 500, SERVER_ERROR)

    @staticmethod
    def _error(limit: int) -> PayloadTooLargeError:
        return PayloadTooLargeError(f"Request body too large: the limit for this route is {limit} bytes.", code="request_too_large")

    @staticmethod
    async def _answer(send: Send, status: int, payload: dict) -> None:
        body = json.dumps(payload).encode()
        await send({
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        })
        await send({"type": "http.response.body", "body": body})
