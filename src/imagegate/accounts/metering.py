"""Token metering and prices: text tokens (o200k), output image tokens per tile, cost.

Money is integer micro-dollars: a token priced at $P per million costs P micro-dollars.
"""

from __future__ import annotations

import math
import threading
import time
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from imagegate.config import ModelSpec

TILE = 256
PARTIAL_IMAGE_TOKENS = 100  # each streamed partial image


@lru_cache(maxsize=1)
def _encoding():
    with warnings.catch_warnings():  # it reads its data with a deprecated importlib call
        warnings.simplefilter("ignore", DeprecationWarning)
        import bpe_openai  # embeds its vocabularies: works offline, unlike tiktoken

        encoding = bpe_openai.get_encoding("o200k_base")
        encoding.encode("warm")  # loads the vocabulary now, inside this block
        return encoding


def count_text_tokens(text: str) -> int:
    """Tokens of `text` in the o200k encoding."""
    return len(_encoding().encode(text)) if text else 0


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
