"""Web-search grounding: look up the real-world details a prompt asks for, checked by moderation.

`needs_research(prompt)` decides whether a prompt names something real (a landmark, a product,
"the latest ...") and gives the query. A `Researcher` asks a `SearchProvider` (SearXNG, Brave,
Tavily, or any JSON endpoint from configuration), optionally fetches the result pages, keeps the
sentences that matter for a picture (colours, shapes, materials, lettering, layout, sizes), drops
any the moderator flags, and caches the answer per query. It never raises: the `Research`
status says what happened. `fold_into_prompt` appends the facts to the (revised) prompt.

No provider is configured by default; `build_search_provider(None)` is None and research is
then `no_provider`.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import anyio
import httpx

from imagegate.errors import ConfigurationError
from imagegate.research.text import extract_facts, needs_research, strip_html
from imagegate.research.providers import (
    BraveProvider,
    HttpJsonProvider,
    SearchError,
    SearchProvider,
    SearchResult,
    SearxngProvider,
    TavilyProvider,
    json_path,
)
from imagegate.policy.moderation import Moderator

__all__ = [
    "BraveProvider", "HttpJsonProvider", "Research", "Researcher", "SearchError", "SearchProvider", "SearchResult",
    "SearxngProvider", "TavilyProvider", "build_search_provider", "fold_into_prompt", "json_path", "needs_research",
]

log = logging.getLogger("imagegate.search")

STATUSES = ("ok", "no_provider", "not_needed", "failed", "timeout")


@dataclass(frozen=True)
class Research:
    """What research found for a prompt; `status` is one of STATUSES."""

    status: str
    query: str | None = None
    facts: tuple[str, ...] = ()
    sources: tuple[dict[str, str], ...] = ()
    dropped: int = 0  # facts the moderator removed
    cached: bool = False


def _public_http_url(url: str) -> bool:
    """Only fetch pages on public http(s) hosts: never loopback or private addresses by IP."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    host = parts.hostname
    if host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return True
    return ip.is_global


class Researcher:
    """Runs research for prompts.

    Args:
        provider: where to search; None means research is off (`no_provider`).
        moderator: checks every fact; flagged facts are dropped.
        timeout: seconds for the whole search (and page fetches), after which status is `timeout`.
        fetch_pages: also download the top result pages and read their text.
        cache_ttl: seconds an `ok` answer stays cached per query.
        client: for page fetches (defaults to a fresh client per fetch round).
        allow_private_pages: fetch pages on loopback/private addresses too (tests, intranets).
    """

    def __init__(self, provider: SearchProvider | None, moderator: Moderator, timeout: float = 5.0, fetch_pages: bool = False,
                 cache_ttl: float = 3600, *, limit: int = 5, max_facts: int = 5, client: httpx.AsyncClient | None = None,
                 allow_private_pages: bool = False, clock: Callable[[], float] = time.monotonic) -> None:
        self.provider = provider
        self.moderator = moderator
        self.timeout = timeout
        self.fetch_pages = fetch_pages
        self.cache_ttl = cache_ttl
        self.limit = limit
        self.max_facts = max_facts
        self.client = client
        self.allow_private_pages = allow_private_pages
        self.clock = clock
        self._cache: dict[str, tuple[float, Research]] = {}

    async def research(self, prompt: str) -> Research:
        """Research a prompt; never raises."""
        if self.provider is None:
            return Research("no_provider")
        query = needs_research(prompt)
        if query is None:
            return Research("not_needed")
        hit = self._cache.get(query)
        if hit and hit[0] > self.clock():
            return Research(hit[1].status, query, hit[1].facts, hit[1].sources, hit[1].dropped, cached=True)
        try:
            with anyio.fail_after(self.timeout):
                results = await self.provider.search(query, self.limit)
                if self.fetch_pages:
                    results = await self._with_pages(results)
        except (TimeoutError, httpx.TimeoutException):
            log.info("research for %r timed out after %.1fs", query, self.timeout)
            return Research("timeout", query)
        except Exception as exc:  # noqa: BLE001 -- any provider failure degrades to "failed", never an error
            log.warning("research for %r failed: %s", query, exc)
            return Research("failed", query)
        research = await self._digest(query, results)
        if self.cache_ttl > 0:
            self._cache[query] = (self.clock() + self.cache_ttl, research)
        return research

    async def _digest(self, query: str, results: list[SearchResult]) -> Research:
        texts = [f"{r.snippet}\n{r.content or ''}" for r in results]
        candidates = await anyio.to_thread.run_sync(lambda: extract_facts(texts, limit=self.max_facts * 2))  # off the event loop
        facts: list[str] = []
        dropped = 0
        for fact in candidates:
            if (await self.moderator.check_text(fact)).flagged:
                dropped += 1
                continue
            if len(facts) < self.max_facts:
                facts.append(fact)
        sources = tuple({"title": r.title, "url": r.url} for r in results)
        return Research("ok", query, tuple(facts), sources, dropped)

    async def _with_pages(self, results: list[SearchResult]) -> list[SearchResult]:
        pages: dict[int, str] = {}

        async def fetch(client: httpx.AsyncClient, i: int, url: str) -> None:
            try:
                response = await client.get(url, follow_redirects=True)
                if response.status_code < 400 and "html" in response.headers.get("content-type", "html"):
                    pages[i] = await anyio.to_thread.run_sync(strip_html, response.text)
            except httpx.HTTPError as exc:
                log.info("page fetch %s failed: %s", url, exc)

        async def fetch_all(client: httpx.AsyncClient) -> None:
            async with anyio.create_task_group() as tg:
                for i, r in enumerate(results[:3]):
                    if r.content is None and (self.allow_private_pages or _public_http_url(r.url)):
                        tg.start_soon(fetch, client, i, r.url)

        if self.client is not None:
            await fetch_all(self.client)
        else:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                await fetch_all(client)
        return [SearchResult(r.title, r.snippet, r.url, pages.get(i, r.content)) for i, r in enumerate(results)]


def fold_into_prompt(research: Research, revised_prompt: str | None, prompt: str, max_chars: int = 600) -> str:
    """The prompt to draw: the revised prompt (or the original) plus "Reference details: ..."."""
    base = (revised_prompt or prompt).rstrip()
    if research.status != "ok" or not research.facts:
        return base
    kept: list[str] = []
    for fact in research.facts:
        if sum(len(f) + 1 for f in kept) + len(fact) > max_chars:
            break
        kept.append(fact)
    if not kept:
        kept = [research.facts[0][: max_chars - 3].rstrip() + "..."]
    return f"{base}\n\nReference details: {' '.join(kept)}"


def build_search_provider(config: dict[str, Any] | None, *, client: httpx.AsyncClient | None = None) -> SearchProvider | None:
    """A provider from the `[search]` config table, or None when nothing is configured.

    `provider`: "searxng" (`base_url`), "brave" (`api_key`), "tavily" (`api_key`), or "http"
    (`url`, `method`, `headers`, `body`, `results`, `title`, `snippet`, `url_field`, `content`).
    """
    if not config or not config.get("provider") or config.get("provider") == "none":
        return None
    kind = config["provider"]
    client = client or httpx.AsyncClient(timeout=float(config.get("timeout", 10.0)))

    def need(key: str) -> Any:
        if not config.get(key):
            raise ConfigurationError(f"search.{key} is required for provider = {kind!r}")
        return config[key]

    if kind == "searxng":
        return SearxngProvider(need("base_url"), client, language=config.get("language"))
    if kind == "brave":
        return BraveProvider(need("api_key"), client, url=config.get("url", BraveProvider.URL))
    if kind == "tavily":
        return TavilyProvider(need("api_key"), client, url=config.get("url", TavilyProvider.URL))
    if kind == "http":
        keys = ("method", "headers", "body", "results", "title", "snippet", "url_field", "content")
        return HttpJsonProvider(need("url"), client, **{k: config[k] for k in keys if k in config})
    raise ConfigurationError(f"unknown search provider {kind!r} (use 'searxng', 'brave', 'tavily' or 'http')")
