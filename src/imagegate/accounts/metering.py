"""Token metering and prices: text tokens (o200k), output image tokens per tile, cost.

Money is integer micro-dollars: a token priced at $P per million costs P micro-dollars.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import math
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from imagegate.config import ModelSpec

TILE = 256
PARTIAL_IMAGE_TOKENS = 100  # each streamed partial image


# o200k's special tokens (bpe_openai.registry.o200k_base()): like tiktoken's `encode` by default,
# a text that contains one is refused, not counted.
O200K_SPECIAL = ("<|endoftext|>", "<|endofprompt|>")
CHUNK_LIMIT = 200_000  # bpe_openai's limit on tokens per call
MAX_CHARS = 1_000_000  # bpe_openai refuses texts this long


_LOADING = threading.Lock()  # a PyO3 module may be initialised only once


def _load_bindings() -> Any:
    """bpe_openai's compiled module, without running the package's `__init__`.

    Importing `bpe_openai` builds its model table, which decodes all three bundled vocabularies
    (cl100k, o200k, voyage3: ~450k base64 tokens and ~140 MB of Python objects, over a second)
    just to read their special tokens, and `get_encoding` then copies o200k's ranks into Python
    tables that only decoding uses. Counting needs neither: the Rust tokenizer carries its own
    vocabulary (built in ~0.1 s). The module is registered under its own name, so a later
    `import bpe_openai` reuses it (a PyO3 module can be initialised only once per process).
    """
    name = "bpe_openai._bindings"
    with _LOADING:
        if name in sys.modules:
            return sys.modules[name]
        if "bpe_openai" in sys.modules:
            return importlib.import_module(name)
        package = importlib.util.find_spec("bpe_openai")
        spec = importlib.machinery.PathFinder.find_spec(name, package.submodule_search_locations) if package else None
        if spec is None or spec.loader is None:  # not laid out as expected: the ordinary import
            return importlib.import_module(name)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[name]
            raise
        return module


@lru_cache(maxsize=1)
def _encoding() -> Any:
    """The o200k tokenizer (bpe_openai's Rust core: embeds its vocabulary, works offline)."""
    tokenizer = _load_bindings().tokenizer_for_encoding("o200k_base")
    tokenizer.encode("warm")  # builds the vocabulary now
    return tokenizer


def warm_up() -> None:
    """Load the tokenizer now (~0.1 s), not on the first request."""
    _encoding()


def count_text_tokens(text: str) -> int:
    """Tokens of `text` in the o200k encoding; what `bpe_openai.get_encoding("o200k_base")
    .encode(text, disallowed_special=())` returns: text that looks like a special token
    (`<|endoftext|>`) is a user's text like any other, counted as ordinary tokens."""
    if not text:
        return 0
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates become U+FFFD, as bpe_openai does
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if len(text) >= MAX_CHARS:
        raise ValueError("Input too long to encode safely")
    count = len(_encoding().encode(text))
    if count > CHUNK_LIMIT:
        raise ValueError(f"Input produces {count} tokens which exceeds chunk limit {CHUNK_LIMIT}")
    return count


def output_tokens(spec: ModelSpec, width: int, height: int, quality: str) -> int:
    """Output image tokens for one image: a published table entry, else tiles x rate."""
    pinned = spec.token_table.get(f"{width}x{height}", {}).get(quality)
    if pinned is not None:
        return pinned
    tiles = math.ceil(width / TILE) * math.ceil(height / TILE)
    return tiles * spec.tile_tokens[quality]


@dataclass(frozen=True)
class Usage:
    """Tokens by type for one request."""

    text_tokens: int = 0
    image_tokens: int = 0
    cached_image_tokens: int = 0
    output_tokens: int = 0

    @property
    def input_tokens(self) -> int:
        return self.text_tokens + self.image_tokens + self.cached_image_tokens

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    @classmethod
    def from_wire(cls, usage: dict) -> Usage:
        """Our counts from an OpenAI `usage` object (an upstream's): its image input tokens
        include the cached ones, as ours do on the wire."""
        details = usage.get("input_tokens_details") or {}
        total_in = _count(usage.get("input_tokens"))
        cached = _count(details.get("cached_tokens"))
        if "text_tokens" in details or "image_tokens" in details:
            text = _count(details.get("text_tokens"))
            image = max(0, _count(details.get("image_tokens")) - cached)
        else:  # no breakdown: all of it text, less what was cached
            text, image = max(0, total_in - cached), 0
        return cls(text_tokens=text, image_tokens=image, cached_image_tokens=cached, output_tokens=_count(usage.get("output_tokens")))

    def to_wire(self) -> dict:
        """OpenAI's `usage` object."""
        return {
            "input_tokens": self.input_tokens,
            "input_tokens_details": {
                "text_tokens": self.text_tokens,
                "image_tokens": self.image_tokens + self.cached_image_tokens,
                "cached_tokens": self.cached_image_tokens,
            },
            "output_tokens": self.output_tokens,
            "output_tokens_details": {"image_tokens": self.output_tokens, "text_tokens": 0},
            "total_tokens": self.total_tokens,
        }


def _count(value: Any) -> int:
    """A token count from someone else's JSON: a non-negative int, anything else 0."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _micro(tokens: int, usd_per_million: float) -> int:
    return int((Decimal(tokens) * Decimal(str(usd_per_million))).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def cost_micro_usd(spec: ModelSpec, usage: Usage) -> int:
    """The price of `usage` under `spec`'s table, in integer micro-dollars."""
    p = spec.prices
    return (
        _micro(usage.text_tokens, p.text_input)
        + _micro(usage.image_tokens, p.image_input)
        + _micro(usage.cached_image_tokens, p.cached_image_input)
        + _micro(usage.output_tokens, p.image_output)
    )


class RecentImages:
    """Content hashes of input images billed lately: the same image again within the window
    is billed at the cached-input price (per server process)."""

    def __init__(self, ttl: float = 3600.0, clock=time.monotonic) -> None:
        self.ttl = ttl
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def contains(self, digest: str) -> bool:
        with self._lock:
            return self._clock() - self._seen.get(digest, -math.inf) < self.ttl

    def add(self, digests: Iterable[str]) -> None:
        """Record images once their request was billed (a rejected request records nothing)."""
        now = self._clock()
        with self._lock:
            if len(self._seen) > 10_000:
                self._seen = {d: t for d, t in self._seen.items() if now - t < self.ttl}
            for digest in digests:
                self._seen[digest] = now
