"""The storage protocol: content-addressed blobs with an expiry sweep."""

from __future__ import annotations

from typing import Protocol


class ImageStore(Protocol):
    """Stores image bytes under a content id; names are never user input."""

    def put(self, data: bytes, extension: str) -> str:
        """Store `data`; return its name (content id + extension)."""
        ...

    def get(self, name: str) -> bytes | None:
        """The bytes stored under `name`, or None."""
        ...

    def sweep(self, max_age_seconds: float) -> int:
        """Delete blobs older than `max_age_seconds`; return how many."""
        ...
