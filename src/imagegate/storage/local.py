"""Local-directory storage (the embedded default)."""

from __future__ import annotations

import hashlib
import os
import re
import time
from pathlib import Path

_NAME = re.compile(r"^[0-9a-f]{40}\.(png|jpeg|webp)$")


class LocalStore:
    """Blobs in one directory, named by the SHA-256 of their content."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def put(self, data: bytes, extension: str) -> str:
        name = f"{hashlib.sha256(data).hexdigest()[:40]}.{extension}"
        path = self.root / name
        if path.exists():
            os.utime(path)  # same content again: restart its lifetime
        else:
            tmp = path.with_name(f".{name}.{os.getpid()}.tmp")
            tmp.write_bytes(data)
            tmp.replace(path)  # atomic: a reader never sees a half-written file
        return name

    def get(self, name: str) -> bytes | None:
        if not _NAME.match(name):
            return None
        try:
            return (self.root / name).read_bytes()
        except FileNotFoundError:
            return None

    def sweep(self, max_age_seconds: float) -> int:
        cutoff = time.time() - max_age_seconds
        removed = 0
        for path in self.root.iterdir():
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
        return removed
