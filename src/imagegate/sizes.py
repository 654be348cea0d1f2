"""The one size parser: "WIDTHxHEIGHT" strings as the API and the registry write them."""

from __future__ import annotations

import re

_SIZE = re.compile(r"(\d{1,5})x(\d{1,5})")


def parse_size(text: str | None) -> tuple[int, int] | None:
    """(width, height) for "1024x1536", None for anything else ("auto" included)."""
    match = _SIZE.fullmatch(text) if isinstance(text, str) else None
    return (int(match.group(1)), int(match.group(2))) if match else None


def listed_sizes(sizes: list[str]) -> list[tuple[int, int]]:
    """The well-formed sizes of a list (a registry entry's `sizes`)."""
    return [size for size in map(parse_size, sizes) if size is not None]
