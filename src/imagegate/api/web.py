"""The canvas: a single page (`/`) and its static files (`/canvas/<name>`), from the package's
`web/` folder. The page talks to the public API with the key its user signs in with; these
routes need no key (there is nothing secret in them) and are not part of the API document.

Every answer carries a strict Content-Security-Policy: scripts, styles and connections to this
origin only, images from this origin or made in the page (blob:, data:). Files are revalidated
on every load (`no-cache` with an ETag), so an upgrade never serves a stale mix of modules.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources

from fastapi import APIRouter, Request
from fastapi.responses import Response

from imagegate.errors import NotFoundError

router = APIRouter(include_in_schema=False)

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
TYPES = {
    "html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8",
    "svg": "image/svg+xml", "png": "image/png", "ico": "image/x-icon", "txt": "text/plain; charset=utf-8",
    "json": "application/json",
}
SECURITY_HEADERS = {
    "content-security-policy": CSP, "x-content-type-options": "nosniff", "referrer-policy": "no-referrer",
    "x-frame-options": "DENY", "cross-origin-opener-policy": "same-origin",
}


@lru_cache(maxsize=64)
def _asset(name: str) -> tuple[bytes, str] | None:
    """A file of the packaged `web/` folder (flat names only) and its ETag, or None."""
    if not name or "/" in name or "\\" in name or name.startswith(".") or name.rsplit(".", 1)[-1] not in TYPES:
        return None
    item = resources.files("imagegate").joinpath("web", name)
    if not item.is_file():
        return None
    data = item.read_bytes()
    return data, '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


def _serve(request: Request, name: str) -> Response:
    found = _asset(name)
    if found is None:
        raise NotFoundError(f"Invalid URL (GET {request.url.path})", code="unknown_url")
    data, etag = found
    headers = {**SECURITY_HEADERS, "cache-control": "no-cache", "etag": etag}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(data, media_type=TYPES[name.rsplit(".", 1)[-1]], headers=headers)


@router.get("/")
async def canvas_page(request: Request) -> Response:
    """The canvas page."""
    return _serve(request, "index.html")


@router.get("/canvas/{name}")
async def canvas_file(name: str, request: Request) -> Response:
    """A script, style sheet or icon of the canvas."""
    return _serve(request, name)
