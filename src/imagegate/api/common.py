"""Helpers shared by the routers: the app context and JSON bodies."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import anyio
from fastapi import Request
from fastapi.responses import Response

from imagegate.errors import InvalidRequestError
from imagegate.accounts.service import Principal
from imagegate.pipeline.work import Call

T = TypeVar("T")

_BAD_JSON = (
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your "
    "HTTP library correctly. The API expects a JSON payload, but what was sent was not valid JSON.)"
)


def context(request: Request):
    """The AppContext built by the lifespan."""
    return request.app.state.ctx


async def json_body(request: Request) -> Any:
    """The request's JSON body, or OpenAI's 400 for malformed JSON: not JSON, nested deeper than
    Python's recursion limit, or holding a lone UTF-16 surrogate (no valid text has one)."""
    raw = await request.body()
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise InvalidRequestError(_BAD_JSON, code="invalid_json") from None
    if (b"\\ud" in raw or b"\\uD" in raw) and _has_surrogate(body):
        raise InvalidRequestError(
            "We could not parse the JSON body of your request: it contains a lone UTF-16 surrogate escape, which is not valid text.",
            code="invalid_json",
        )
    return body


def _has_surrogate(value: Any) -> bool:
    """Whether any string in a parsed JSON value (keys included) holds an unpaired surrogate."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


HEAVY_BODY = 64 * 1024  # bytes of image data past which a JSON answer is rendered off the event loop


async def json_response(build: Callable[[], Any], headers: dict[str, str], *, heavy: bool) -> Response:
    """A JSON answer built and serialised by `build` — in a worker thread when `heavy` (base64
    images), so the event loop keeps serving."""

    def render() -> bytes:
        return json.dumps(build(), ensure_ascii=False, separators=(",", ":")).encode()

    content = await anyio.to_thread.run_sync(render) if heavy else render()
    return Response(content, media_type="application/json", headers=headers)


def base_url(request: Request) -> str:
    """This server's absolute base URL as the client reached it."""
    return str(request.base_url)


async def authenticate(request: Request) -> Principal:
    """The caller behind `Authorization: Bearer` or `api-key` (401 otherwise)."""
    headers = request.headers
    accounts = context(request).accounts
    authorization, api_key = headers.get("authorization"), headers.get("api-key")
    known = accounts.authenticate_cached(authorization, api_key)  # auth off or a recent key: no thread hop
    return known if known is not None else await anyio.to_thread.run_sync(accounts.authenticate, authorization, api_key)


async def admin(request: Request) -> Principal:
    """The caller, who must hold an admin key."""
    principal = await authenticate(request)
    context(request).accounts.require_admin(principal)
    return principal


def new_call(request: Request, principal: Principal) -> Call:
    """The service's view of this HTTP call."""
    return Call(principal=principal, request_id=request.state.request_id, base_url=base_url(request))


async def unless_disconnected(request: Request, work: Awaitable[T]) -> T | None:
    """Await `work`, cancelling it if the client goes away first (None then): an abandoned
    request stops using the engine and its budget reservation is released. The work runs in
    this task under a cancel scope (its shielded steps, like settling, finish first); one
    small watcher task listens for the disconnect."""
    with anyio.CancelScope() as scope:
        watcher = asyncio.get_running_loop().create_task(_cancel_on_disconnect(request, scope))
        try:
            return await work
        finally:
            watcher.cancel()
    return None  # the watcher cancelled the scope: the client is gone


async def _cancel_on_disconnect(request: Request, scope: anyio.CancelScope) -> None:
    while (await request.receive())["type"] != "http.disconnect":
        pass
    scope.cancel()
