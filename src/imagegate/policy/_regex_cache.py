"""Compiled regexes kept on disk between starts: the policy's ~20 large alternations (about 100k
characters of pattern) take ~0.4 s of CPU to compile with `re`, the largest part of a start.

`re` compiles in two steps: a parser and code generator written in Python turn the pattern into
the matching engine's program (a list of integers), and `_sre.compile` makes the pattern object
from that list, checking it. The first step is the slow one; its result depends only on the
pattern and the interpreter, so a `RegexCache` keeps it in one file per policy under the user's
cache directory (`$XDG_CACHE_HOME/imagegate`, else `~/.cache/imagegate`) and later starts hand
it straight to `_sre.compile` (the pattern objects are equal, code and all, to `re.compile`'s).
The set-up step (`python -m imagegate.policy.semantic --export`) loads the shipped policy, so a
server run by the same user finds the file there on its very first start.

Robust by construction: the file name hashes what the patterns are built from (the policy, the
code that builds them, the interpreter and its regex engine), the file carries a SHA-256 of its
body, and an entry that does not load (a corrupt, truncated or foreign file, an engine that
refuses the program) is compiled again and the file rewritten (atomically). When the cache
directory cannot be written, or the interpreter's `re` internals are not the expected ones,
patterns are simply compiled with `re.compile`.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import re
import sys
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import _sre

from imagegate.storage.local import write_private

FORMAT = b"imagegate-regex-cache 1\n"
KEEP_FILES = 8  # the newest files of one kind kept in the cache directory (other policies, versions)

Entry = tuple[str, int, list[int], int, dict[str, int], tuple[str | None, ...]]  # _sre.compile's arguments


def cache_dir() -> Path | None:
    """imagegate's folder in the user's cache directory (XDG), or None when there is no home."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base or not os.path.isabs(base):
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:
            return None
    return Path(base) / "imagegate"


def engine_tag() -> str:
    """What compiled code depends on besides the pattern: the interpreter and its regex engine."""
    return f"{sys.implementation.cache_tag}|{sys.version}|{_sre.MAGIC}|{_sre.CODESIZE}|{_sre.MAXREPEAT}|{_sre.MAXGROUPS}"


def _compile_with_code(pattern: str) -> tuple[re.Pattern[str], Entry]:
    """`re.compile(pattern)`, done the way `re._compiler.compile` does it, keeping the program."""
    from re import _compiler, _parser  # noqa: PLC0415 - CPython's own, only needed on a miss

    parsed = _parser.parse(pattern, 0)
    code = _compiler._code(parsed, 0)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    # plain ints: the program holds the opcodes as int subclasses, which marshal does not write
    entry: Entry = (pattern, int(parsed.state.flags), [int(c) for c in code], int(parsed.state.groups) - 1,
                    {str(k): int(v) for k, v in groupindex.items()}, tuple(indexgroup))
    return _from_entry(entry), entry


def _from_entry(entry: Entry) -> re.Pattern[str]:
    pattern, flags, code, groups, groupindex, indexgroup = entry
    return _sre.compile(pattern, flags, code, groups, groupindex, indexgroup)


@lru_cache(maxsize=1)
def internals_ok() -> bool:
    """Whether this interpreter's `re` compiles as `_compile_with_code` expects: a pattern made
    from the kept program must equal (same flags, groups and code) what `re.compile` makes."""
    sample = r"(?P<a>x)(?<![^\W_][\s\S])[s5$]{0,7}+(?:e?s)?(?![^\W_])|(?i:b)(?P<t1>)"
    try:
        made, _ = _compile_with_code(sample)
        return made == re.compile(sample) and made.groupindex == re.compile(sample).groupindex
    except Exception:  # noqa: BLE001 - any difference means: use re.compile
        return False


class RegexCache:
    """Compiled patterns by key, read from and written to `path` (None: compile every time)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path if path is not None and internals_ok() else None
        self._entries: dict[str, Entry] = self._read() if self.path else {}
        self._used: dict[str, Entry] = {}
        self.hits = self.misses = 0

    @classmethod
    def for_inputs(cls, kind: str, *inputs: bytes | str, directory: Path | None = None) -> RegexCache:
        """The cache file for patterns built from `inputs` (hashed with the engine's tag)."""
        directory = directory if directory is not None else cache_dir()
        if directory is None:
            return cls(None)
        digest = hashlib.sha256(engine_tag().encode())
        for item in inputs:
            data = item.encode() if isinstance(item, str) else item
            digest.update(len(data).to_bytes(8, "big") + data)
        return cls(directory / f"{kind}-{digest.hexdigest()[:32]}.bin")

    def _read(self) -> dict[str, Entry]:
        assert self.path is not None
        try:
            blob = self.path.read_bytes()
        except OSError:
            return {}
        head, body = blob[:len(FORMAT) + 32], blob[len(FORMAT) + 32:]
        if head[:len(FORMAT)] != FORMAT or head[len(FORMAT):] != hashlib.sha256(body).digest():
            return {}  # foreign, truncated or corrupt: rebuilt and rewritten
        try:
            entries = marshal.loads(body)
        except (EOFError, ValueError, TypeError):
            return {}
        return entries if isinstance(entries, dict) else {}

    def compile(self, key: str, build: Callable[[], str]) -> re.Pattern[str]:
        """The pattern `build()` returns, compiled; `key` must name what `build` depends on (within
        this file's inputs). Raises `re.error` for a bad pattern, as `re.compile` does."""
        entry = self._entries.get(key)
        if entry is not None:
            try:
                regex = _from_entry(entry)
            except Exception:  # noqa: BLE001 - an entry that does not load is compiled again
                regex = None
            if regex is not None:
                self.hits += 1
                self._used[key] = entry
                return regex
        self.misses += 1
        pattern = build()
        if self.path is None:
            return re.compile(pattern)
        try:
            regex, entry = _compile_with_code(pattern)
        except re.error:
            raise
        except Exception:  # noqa: BLE001 - internals that differ for this pattern: the plain way
            return re.compile(pattern)
        self._used[key] = entry
        return regex

    def save(self) -> None:
        """Write the file when something was compiled (keeping only the entries used), atomically;
        never raises (a read-only or full disk only costs the next start the compile)."""
        if self.path is None or not self.misses:
            return
        try:
            body = marshal.dumps(self._used)
        except ValueError:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_private(self.path, FORMAT + hashlib.sha256(body).digest() + body)  # atomic; no temp file left on failure
            self._prune()
        except OSError:
            pass

    def _prune(self) -> None:
        assert self.path is not None
        kind = self.path.name.rsplit("-", 1)[0]
        files: list[tuple[float, Path]] = []
        for path in self.path.parent.glob(f"{kind}-*.bin"):
            with contextlib.suppress(OSError):
                files.append((path.stat().st_mtime, path))
        for _, path in sorted(files, reverse=True)[KEEP_FILES:]:
            if path != self.path:
                with contextlib.suppress(OSError):
                    path.unlink()
