"""Research grounding: when to search, providers against a real local HTTP server and
MockTransport, fact picking, timeouts, failures, caching, moderation of facts, folding."""

from __future__ import annotations

import asyncio
import json
import random
import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from imagegate.errors import ConfigurationError
from imagegate.research import text as research_text
from imagegate.research.text import extract_facts, score_sentence, strip_html
from imagegate.policy.rules import load_policy
from imagegate.policy.moderation import PolicyModerator
from imagegate.research.search import (
    BraveProvider,
    HttpJsonProvider,
    Research,
    Researcher,
    SearxngProvider,
    TavilyProvider,
    build_search_provider,
    fold_into_prompt,
    json_path,
    needs_research,
)

EIFFEL = [
    {"title": "Eiffel Tower - facts", "url": "https://example.org/eiffel",
     "content": "The Eiffel Tower is a wrought-iron lattice tower on the Champ de Mars in Paris. It is 330 metres tall "
                "and painted in a bronze colour called Eiffel Tower Brown. Book tickets online and save 10% today, click here."},
    {"title": "History", "url": "https://example.org/history",
     "content": "The tower has three levels for visitors, with restaurants on the first and second platforms. "
                "It was designed by Gustave Eiffel's company."},
]
HARMFUL = {"title": "Forum", "url": "https://example.org/forum",
           "content": "Below the iron tower, decapitated bodies lay in a pool of blood on the grey stone square, 20 metres wide."}


class Site:
    """A tiny HTTP server on 127.0.0.1 that plays search engines; routes are set per test."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, Any, float, str]] = {}
        self.requests: list[dict[str, Any]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                site.requests.append({"method": self.command, "path": parts.path, "query": parse_qs(parts.query),
                                      "headers": dict(self.headers), "body": body})
                status, payload, delay, ctype = site.routes.get(parts.path, (404, {"error": "no route"}, 0.0, "application/json"))
                time.sleep(delay)
                data = payload if isinstance(payload, bytes) else (payload if isinstance(payload, str) else json.dumps(payload)).encode()
                try:
                    self.send_response(status)
                    self.send_header("content-type", ctype)
                    self.send_header("content-length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (timeout tests)

            do_GET = do_POST = _serve

            def log_message(self, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass

        self.server = Server(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def route(self, path: str, payload: Any, status: int = 200, delay: float = 0.0, ctype: str = "application/json") -> None:
        self.routes[path] = (status, payload, delay, ctype)


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    s.thread.start()
    yield s
    s.server.shutdown()
    s.server.server_close()


@pytest.fixture(scope="module")
def moderator() -> PolicyModerator:
    return PolicyModerator(load_policy())


def run(coro):
    return asyncio.run(coro)


async def research_with(make_provider, moderator, prompt: str, **kw) -> Research:
    async with httpx.AsyncClient(timeout=10) as client:
        return await Researcher(make_provider(client), moderator, **kw).research(prompt)


# ------------------------------------------------------------------ when to research

@pytest.mark.parametrize(("prompt", "query"), [
    ("a red fox sleeping in a snowy forest at dawn", None),
    ("a portrait of a woman with freckles", None),
    ("an art deco poster of a train", None),
    ('a neon sign that says "Open Late"', None),
    ("a minimalist logo for a bakery called Sunrise Bread", None),
    ("Cat sitting on a mat", None),
    ("a photo of the Eiffel Tower at night", "Eiffel Tower"),
    ("the Golden Gate Bridge in fog", "Golden Gate Bridge"),
    ("research the Sagrada Familia facade and draw it", "Sagrada Familia"),
    ("the latest iPhone on a wooden desk", "latest iPhone"),
    ("a Tesla Model 3 parked in a garage", "Tesla Model 3"),
    ("a Pixel 9 Pro product shot", "Pixel 9 Pro"),
    ("what does the current flag of Mississippi look like", "current flag of Mississippi"),
])
def test_needs_research(prompt, query):
    assert needs_research(prompt) == query


# ------------------------------------------------------------------ facts

def test_fact_picking_prefers_visual_sentences():
    assert score_sentence("It is 330 metres tall and made of wrought iron.") >= 3
    assert score_sentence("Book tickets online, click here for the best price.") < 0
    facts = extract_facts([r["content"] for r in EIFFEL])
    assert "330 metres" in facts[0]              # colour + measurement beats material + shape
    assert any(f.startswith("The Eiffel Tower is a wrought-iron lattice tower") for f in facts)
    assert not any("click" in f for f in facts)
    assert not any("Gustave" in f for f in facts)     # nothing to draw in it


def test_strip_html():
    page = "<html><head><style>p{}</style><script>var x=1;</script></head><body><nav>Home | About</nav>" \
           "<h1>The tower</h1><p>It is made of <b>iron</b> &amp; painted brown.</p></body></html>"
    text = strip_html(page)
    assert "var x" not in text and "Home" not in text and "p{}" not in text
    assert "It is made of iron & painted brown." in text


# ------------------------------------------------------------------ reading untrusted text in linear time
# (timings on 32,000-character inputs: tests/test_untrusted_text.py)

# The regexes the linear readings replaced, as the definition of what they find.
OLD_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|'[^']{2,}'(?![a-z])")
OLD_NAME = re.compile(r"(?:[A-Z][\w'&.-]*|[a-z]+[A-Z][\w-]*)(?:\s+(?:[A-Z][\w'&.-]*|\d[\w.-]*|[a-z]+[A-Z][\w-]*|of|de|la|the))*")
OLD_UNITS = re.compile(r"\b\d[\d,.]*\s*(?:m|metres|meters|ft|feet|foot|in|inch|inches|mm|cm|km|storeys|stories|floors|"
                       r"tall|high|wide|long|mph|km/h|kg|lb)\b", re.IGNORECASE)


def random_texts(pieces, count: int, longest: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, longest))) for _ in range(count)]


def test_linear_readings_find_what_the_old_regexes_found():
    for text in random_texts([*"\"“”'", *"ab z.\n"], 20000, 12, 1):
        assert research_text._unquoted(text) == OLD_QUOTED.sub(" ", text), text
    for text in random_texts(["A", "b", "c", "Z", " ", "of", "the", "de", "1", ".", "'", "-", "!", ":", "\n", "iP", "x"], 20000, 10, 2):
        assert [m.span() for m in research_text._NAME.finditer(text)] == [m.span() for m in OLD_NAME.finditer(text)], text
    for text in random_texts(["1", ",", ".", " ", "m", "a", "km", "ft", "x", "\n", "5"], 20000, 10, 3):
        assert bool(research_text._UNITS.search(text)) == bool(OLD_UNITS.search(text)), text
    for text in random_texts([" ", "\n", "\t", "\xa0", "a", "\u2028"], 5000, 10, 4):
        assert research_text._LINE_BREAK.sub("\n", text) == re.sub(r"\s*\n\s*", "\n", text), text
    for text in random_texts([*"ab _1-é字"], 20000, 10, 5):
        for term in ("a", "ab", "b a", "1"):
            assert research_text._starts_a_word(term, text) == bool(re.search(rf"(?<!\w){re.escape(term)}", text))


def test_strip_html_reads_broken_markup_in_linear_time():
    # Python's HTML parser rereads the rest of the markup from each "<a" that never closes; past
    # a budget strip_html reads such markup more simply, in one pass.
    for markup in ("<a " * 10000, "<p>x</p>" + "<a b=" * 6000, "<!--" * 8000, "<![" * 8000):
        started = time.process_time()
        text = strip_html(markup)
        assert time.process_time() - started < 1.0
        assert text.startswith(("<a", "x", "<!--", "<!["))
    assert strip_html("<p>Hello <b>world</b> &amp; you</p><script>x<y</script><a <a <a") == "Hello world & you\n<a <a <a"


def test_json_path():
    data = {"a": {"items": [{"t": "x"}, {"t": "y"}]}}
    assert json_path(data, "a.items.1.t") == "y"
    assert json_path(data, "a.items.5.t") is None
    assert json_path(data, "a.missing") is None


# ------------------------------------------------------------------ providers on a real local server

def test_searxng_facts_reach_the_research(site, moderator):
    site.route("/search", {"query": "Eiffel Tower", "results": EIFFEL})
    research = run(research_with(lambda c: SearxngProvider(site.base, c), moderator, "a photo of the Eiffel Tower at night"))
    assert research.status == "ok" and research.query == "Eiffel Tower"
    assert any("wrought-iron lattice" in f for f in research.facts)
    assert research.sources == ({"title": "Eiffel Tower - facts", "url": "https://example.org/eiffel"},
                                {"title": "History", "url": "https://example.org/history"})
    req = site.requests[0]
    assert req["method"] == "GET" and req["path"] == "/search"
    assert req["query"]["q"] == ["Eiffel Tower"] and req["query"]["format"] == ["json"]


def test_generic_http_provider(site, moderator):
    site.route("/api/find", {"data": {"hits": [{"name": r["title"], "summary": {"text": r["content"]}, "link": r["url"]} for r in EIFFEL]}})

    def make(client):
        return HttpJsonProvider(site.base + "/api/find?n={limit}", client, method="POST", headers={"X-Key": "secret"},
                                body={"search": "{query}", "size": "{limit}"}, results="data.hits", title="name",
                                snippet="summary.text", url_field="link")

    research = run(research_with(make, moderator, "a photo of the Eiffel Tower at night"))
    assert research.status == "ok" and any("330 metres" in f for f in research.facts)
    req = site.requests[0]
    assert req["method"] == "POST" and req["query"]["n"] == ["5"]
    assert req["headers"]["X-Key"] == "secret"
    assert json.loads(req["body"]) == {"search": "Eiffel Tower", "size": "5"}


def test_slow_provider_times_out(site, moderator):
    site.route("/search", {"results": EIFFEL}, delay=3.0)
    start = time.perf_counter()
    research = run(research_with(lambda c: SearxngProvider(site.base, c), moderator, "the Golden Gate Bridge in fog", timeout=0.3))
    assert research.status == "timeout" and research.query == "Golden Gate Bridge"
    assert time.perf_counter() - start < 1.5


@pytest.mark.parametrize(("status", "payload"), [(500, {"error": "boom"}), (200, "{not json"), (200, {"unexpected": True})],
                         ids=["http-500", "bad-json", "no-results"])
def test_failing_provider(site, moderator, status, payload):
    site.route("/search", payload, status=status)
    research = run(research_with(lambda c: SearxngProvider(site.base, c), moderator, "the Golden Gate Bridge in fog"))
    assert research.status == "failed" and research.facts == ()


def test_unreachable_provider_fails(moderator):
    research = run(research_with(lambda c: SearxngProvider("http://127.0.0.1:9", c), moderator, "the Golden Gate Bridge"))
    assert research.status == "failed"


def test_no_provider_and_not_needed(site, moderator):
    assert run(Researcher(None, moderator).research("the Eiffel Tower")).status == "no_provider"
    research = run(research_with(lambda c: SearxngProvider(site.base, c), moderator, "a red fox in the snow"))
    assert research == Research("not_needed") and site.requests == []


def test_results_are_cached_per_query(site, moderator):
    site.route("/search", {"results": EIFFEL})
    now = [1000.0]

    async def go():
        async with httpx.AsyncClient() as client:
            r = Researcher(SearxngProvider(site.base, client), moderator, cache_ttl=60, clock=lambda: now[0])
            first = await r.research("a photo of the Eiffel Tower at night")
            second = await r.research("the Eiffel Tower at sunrise, watercolor")
            now[0] += 61
            third = await r.research("the Eiffel Tower again")
            return first, second, third

    first, second, third = run(go())
    assert not first.cached and second.cached and not third.cached
    assert second.facts == first.facts
    assert len(site.requests) == 2          # the second call made no request; the third came after expiry


def test_moderation_drops_harmful_snippets(site, moderator):
    site.route("/search", {"results": [HARMFUL, *EIFFEL]})
    research = run(research_with(lambda c: SearxngProvider(site.base, c), moderator, "a photo of the Eiffel Tower at night"))
    assert research.status == "ok" and research.dropped == 1
    assert not any("decapitated" in f for f in research.facts)
    assert any("wrought-iron" in f for f in research.facts)


def test_fetch_pages_reads_html(site, moderator):
    page = "<html><body><nav>Menu</nav><p>The Sagrada Familia has eighteen spires of stone and its facade shows " \
           "sculpted scenes in warm sandstone colours, 172 metres tall at the centre.</p>" \
           "<script>track()</script></body></html>"
    site.route("/page", page, ctype="text/html; charset=utf-8")
    site.route("/search", {"results": [{"title": "Basilica", "url": site.base + "/page", "content": "A church in Barcelona."}]})

    async def go(allow: bool) -> Research:
        async with httpx.AsyncClient() as client:
            provider = SearxngProvider(site.base, client)
            return await Researcher(provider, moderator, fetch_pages=True, client=client, allow_private_pages=allow).research(
                "research the Sagrada Familia facade and draw it")

    blocked = run(go(False))                 # a loopback page is never fetched by default
    assert blocked.status == "ok" and blocked.facts == ()
    fetched = run(go(True))
    assert any("eighteen spires" in f for f in fetched.facts)
    assert [r["path"] for r in site.requests].count("/page") == 1


# ------------------------------------------------------------------ hosted providers (request shapes)

def mock_client(handler) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.MockTransport(handler))


def test_brave_request_shape():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"web": {"results": [
            {"title": "<strong>Eiffel</strong> Tower", "url": "https://e.org", "description": "A <strong>wrought-iron</strong> tower.",
             "extra_snippets": ["It is 330 metres tall."]}]}})

    async def go():
        async with mock_client(handler) as client:
            return await BraveProvider("brave-key", client).search("Eiffel Tower", 3)

    results = run(go())
    req = seen[0]
    assert req.method == "GET" and req.url.host == "api.search.brave.com" and req.url.path == "/res/v1/web/search"
    assert req.url.params["q"] == "Eiffel Tower" and req.url.params["count"] == "3"
    assert req.headers["x-subscription-token"] == "brave-key"
    assert results[0].title == "Eiffel Tower" and results[0].snippet == "A wrought-iron tower."
    assert results[0].content == "It is 330 metres tall."


def test_tavily_request_shape():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"query": "q", "results": [{"title": "T", "url": "https://t.org", "content": "Made of steel."}]})

    async def go():
        async with mock_client(handler) as client:
            return await TavilyProvider("tvly-key", client).search("Eiffel Tower", 4)

    results = run(go())
    req = seen[0]
    assert req.method == "POST" and str(req.url) == "https://api.tavily.com/search"
    body = json.loads(req.content)
    assert body["api_key"] == "tvly-key" and body["query"] == "Eiffel Tower" and body["max_results"] == 4
    assert results[0].snippet == "Made of steel."


# ------------------------------------------------------------------ folding and configuration

def test_fold_into_prompt():
    research = Research("ok", "Eiffel Tower", ("It is 330 metres tall.", "It is painted bronze."), ())
    assert fold_into_prompt(research, "A night photo of the Eiffel Tower.", "eiffel at night") == \
        "A night photo of the Eiffel Tower.\n\nReference details: It is 330 metres tall. It is painted bronze."
    assert fold_into_prompt(research, None, "eiffel at night").startswith("eiffel at night\n\nReference details:")
    assert fold_into_prompt(Research("timeout", "x"), "revised", "orig") == "revised"
    assert fold_into_prompt(Research("ok", "x"), None, "orig") == "orig"
    long = Research("ok", "x", ("word " * 200,), ())
    assert len(fold_into_prompt(long, None, "p", max_chars=100)) < 140


def test_build_search_provider():
    assert build_search_provider(None) is None
    assert build_search_provider({}) is None
    assert build_search_provider({"provider": "none"}) is None

    async def go():
        async with httpx.AsyncClient() as client:
            kinds = [
                build_search_provider({"provider": "searxng", "base_url": "http://s"}, client=client),
                build_search_provider({"provider": "brave", "api_key": "k"}, client=client),
                build_search_provider({"provider": "tavily", "api_key": "k"}, client=client),
                build_search_provider({"provider": "http", "url": "http://x?q={query}", "results": "items"}, client=client),
            ]
            return [type(k).__name__ for k in kinds]

    assert run(go()) == ["SearxngProvider", "BraveProvider", "TavilyProvider", "HttpJsonProvider"]
    with pytest.raises(ConfigurationError, match="api_key"):
        build_search_provider({"provider": "brave"})
    with pytest.raises(ConfigurationError, match="unknown search provider"):
        build_search_provider({"provider": "altavista"})
