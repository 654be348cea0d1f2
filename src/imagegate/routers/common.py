"""Helpers shared by the routers: the app context and JSON bodies."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request

from imagegate.errors import InvalidRequestError

_BAD_JSON = (
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your "
    "HTTP library correctly. The API expects a JSON payload, but what was sent was not valid JSON.)"
)


def context(request: Request):
    """The AppContext built by the lifespan."""
    return request.app.state.ctx


async def json_body(request: Request) -> Any:
    """The request's JSON body, or OpenAI's 400 for malformed JSON."""
    raw = await request.body()
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InvalidRequestError(_BAD_JSON, code="invalid_json") from None


def base_url(request: Request) -> str:
    """This server's absolute base URL as the client reached it."""
    return str(request.base_url)
