"""ASGI middleware: request ids on every response, and the request body size limit."""

from __future__ import annotations

import json
import secrets

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from imagegate.errors import PayloadTooLargeError


def new_request_id() -> str:
    """An id in OpenAI's `req_...` form."""
    return f"req_{secrets.token_hex(16)}"


class RequestContextMiddleware:
    """Adds `x-request-id` to every response and refuses bodies over `max_body` bytes with 413."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = new_request_id()
        scope.setdefault("state", {})["request_id"] = request_id
        header = request_id.encode()

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"x-request-id", header)]
            await send(message)

        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            await self._too_large(send_with_id)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise self._error()
            return message

        try:
            await self.app(scope, limited_receive, send_with_id)
        except PayloadTooLargeError:  # raised while reading, outside the app's handlers
            await self._too_large(send_with_id)

    def _error(self) -> PayloadTooLargeError:
        return PayloadTooLargeError(f"Request body too large: the limit is {self.max_body} bytes.", code="request_too_large")

    async def _too_large(self, send: Send) -> None:
        body = json.dumps(self._error().to_body()).encode()
        await send({
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        })
        await send({"type": "http.response.body", "body": body})
