"""Local-directory storage (the embedded default)."""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import re
import time
from pathlib import Path

from imagegate.errors import ServiceUnavailableError

log = logging.getLogger("imagegate.storage")
_NAME = re.compile(r"^[0-9a-f]{40}\.(png|jpeg|webp)$")
STORAGE_RETRY_SECONDS = 30


def private_dir(path: Path) -> Path:
    """`path` as a directory only its owner can enter (0700), created if missing."""
    path = Path(path)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o077:
        path.chmod(0o700)
    return path


def write_private(path: Path, data: bytes) -> None:
    """Write `path` atomically, created 0600 from the first byte (no window where others can
    read it); a failed write leaves no temporary file behind."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{time.monotonic_ns()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def storage_error(exc: OSError) -> ServiceUnavailableError:
    """The client's view of a disk that is full, read-only or gone: 503, retry later."""
    reason = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is exceeded", errno.EROFS: "the disk is read-only"}.get(
        exc.errno or 0, "it cannot be written")
    log.error("image storage failed: %s", exc)
    return ServiceUnavailableError(
        f"Image storage is unavailable ({reason}); nothing was billed. Please retry later.",
        code="storage_unavailable", headers={"Retry-After": str(STORAGE_RETRY_SECONDS)},
    )


class LocalStore:
    """Blobs in one directory, named by the SHA-256 of their content."""

    def __init__(self, root: Path) -> None:
        self.root = private_dir(root)

    def put(self, data: bytes, extension: str) -> str:
        """Store `data`; 503 `storage_unavailable` when the disk is full or read-only."""
        name = f"{hashlib.sha256(data).hexdigest()[:40]}.{extension}"
        path = self.root / name
        try:
            if path.exists():
                os.utime(path)  # same content again: restart its lifetime
            else:
                write_private(path, data)  # atomic: a reader never sees a half-written file
        except OSError as exc:
            raise storage_error(exc) from None
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
