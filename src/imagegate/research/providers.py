"""Web-search providers for research grounding: SearXNG, Brave, Tavily, and any JSON endpoint.

Each takes an injected `httpx.AsyncClient` and raises `SearchError` when the provider fails
(HTTP error status, a body that is not the JSON it should be).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote_plus

import httpx

from imagegate.research.text import strip_html


@dataclass(frozen=True)
class SearchResult:
    title: str
    snippet: str
    url: str
    content: str | None = None


class SearchError(Exception):
    """A search provider failed."""


class SearchProvider(Protocol):
    name: str

    async def search(self, query: str, limit: int = 5) -> list[SearchResult]:
        """Top results for `query`, best first."""


async def _json(client: httpx.AsyncClient, method: str, url: str, **kw: Any) -> Any:
    try:
        response = await client.request(method, url, **kw)
    except httpx.TimeoutException:
        raise  # the researcher reports timeouts as such
    except httpx.HTTPError as exc:
        raise SearchError(f"{method} {url}: {exc}") from exc
    if response.status_code >= 400:
        raise SearchError(f"{method} {url}: HTTP {response.status_code}")
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SearchError(f"{method} {url}: response is not JSON") from exc


def _result(title: Any, snippet: Any, url: Any, content: Any = None) -> SearchResult | None:
    if not url or not isinstance(url, str):
        return None
    return SearchResult(strip_html(str(title or "")), strip_html(str(snippet or "")), url, strip_html(str(content)) if content else None)


def _collect(items: Any, make: Any, limit: int) -> list[SearchResult]:
    if not isinstance(items, list):
        raise SearchError("search response has no result list")
    out = []
    for item in items:
        if isinstance(item, dict) and (r := make(item)) is not None:
            out.append(r)
        if len(out) >= limit:
            break
    return out


class SearxngProvider:
    """A SearXNG instance's JSON API (`/search?q=...&format=json`; json must be enabled there)."""

    name = "searxng"

    def __init__(self, base_url: str, client: httpx.AsyncClient, *, language: str | None = None, safesearch: int = 1) -> None:
        self.base_url = base_url.rstrip("/")
        self.client = client
        self.params = {"format": "json", "safesearch": str(safesearch), **({"language": language} if language else {})}

    async def search(self, query: str, limit: int = 5) -> list[SearchResult]:
        body = await _json(self.client, "GET", f"{self.base_url}/search", params={"q": query, **self.params})
        return _collect((body or {}).get("results") if isinstance(body, dict) else None,
                        lambda i: _result(i.get("title"), i.get("content"), i.get("url")), limit)


class BraveProvider:
    """Brave Search API (web results; the key goes in `X-Subscription-Token`)."""

    name = "brave"
    URL = "https://api.search.brave.com/res/v1/web/search"

    def __init__(self, api_key: str, client: httpx.AsyncClient, *, url: str = URL, safesearch: str = "strict") -> None:
        self.api_key = api_key
        self.client = client
        self.url = url
        self.safesearch = safesearch

    async def search(self, query: str, limit: int = 5) -> list[SearchResult]:
        headers = {"X-Subscription-Token": self.api_key, "Accept": "application/json"}
        params = {"q": query, "count": str(limit), "safesearch": self.safesearch}
        body = await _json(self.client, "GET", self.url, params=params, headers=headers)
        web = body.get("web") if isinstance(body, dict) else None

        def make(i: dict[str, Any]) -> SearchResult | None:
            extra = " ".join(str(s) for s in i.get("extra_snippets") or [])
            return _result(i.get("title"), i.get("description"), i.get("url"), extra or None)

        return _collect((web or {}).get("results", []), make, limit)


class TavilyProvider:
    """Tavily's search API (POST JSON; the key in the body as `api_key`, and as a bearer token)."""

    name = "tavily"
    URL = "https://api.tavily.com/search"

    def __init__(self, api_key: str, client: httpx.AsyncClient, *, url: str = URL, search_depth: str = "basic") -> None:
        self.api_key = api_key
        self.client = client
        self.url = url
        self.search_depth = search_depth

    async def search(self, query: str, limit: int = 5) -> list[SearchResult]:
        payload = {"api_key": self.api_key, "query": query, "max_results": limit, "search_depth": self.search_depth,
                   "include_answer": False, "include_images": False}
        body = await _json(self.client, "POST", self.url, json=payload, headers={"Authorization": f"Bearer {self.api_key}"})
        return _collect(body.get("results") if isinstance(body, dict) else None,
                        lambda i: _result(i.get("title"), i.get("content"), i.get("url"), i.get("raw_content")), limit)


def json_path(data: Any, path: str | None) -> Any:
    """Follow a dotted path (`data.items.0.title`) through dicts and lists; None when it breaks."""
    if not path:
        return data
    for part in path.split("."):
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and part.lstrip("-").isdigit() and -len(data) <= int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    return data


def _fill(template: Any, values: dict[str, str]) -> Any:
    if isinstance(template, str):
        for key, value in values.items():
            template = template.replace("{" + key + "}", value)
        return template
    if isinstance(template, dict):
        return {k: _fill(v, values) for k, v in template.items()}
    if isinstance(template, list):
        return [_fill(v, values) for v in template]
    return template


class HttpJsonProvider:
    """Any JSON search endpoint, described in configuration.

    Args:
        url: a template; `{query}` (URL-encoded) and `{limit}` are filled in.
        method: GET or POST.
        headers: sent as given (after filling `{query}`/`{limit}`).
        body: a JSON body template for POST (strings may use `{query}` and `{limit}`).
        results: dotted path to the list of results in the response.
        title, snippet, url_field, content: dotted paths inside each result.
    """

    name = "http"

    def __init__(self, url: str, client: httpx.AsyncClient, *, method: str = "GET", headers: dict[str, str] | None = None,
                 body: Any = None, results: str = "results", title: str = "title", snippet: str = "snippet",
                 url_field: str = "url", content: str | None = None) -> None:
        self.url = url
        self.client = client
        self.method = method.upper()
        self.headers = headers or {}
        self.body = body
        self.paths = {"results": results, "title": title, "snippet": snippet, "url": url_field, "content": content}

    async def search(self, query: str, limit: int = 5) -> list[SearchResult]:
        url = _fill(self.url, {"query": quote_plus(query), "limit": str(limit)})
        values = {"query": query, "limit": str(limit)}
        kw: dict[str, Any] = {"headers": _fill(self.headers, values)}
        if self.method != "GET" and self.body is not None:
            kw["json"] = _fill(self.body, values)
        body = await _json(self.client, self.method, url, **kw)
        p = self.paths

        def make(i: dict[str, Any]) -> SearchResult | None:
            content = json_path(i, p["content"]) if p["content"] else None
            return _result(json_path(i, p["title"]), json_path(i, p["snippet"]), json_path(i, p["url"]), content)

        return _collect(json_path(body, p["results"]), make, limit)
