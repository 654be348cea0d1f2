"""Hand-written SQL on pooled DBAPI connections, for the few statements every request runs.

SQLAlchemy Core spends most of a millisecond of CPU per statement building it and computing its
cache key; the budget-hold and ledger statements never change shape, so they are written once
as text (`?` placeholders, turned into `%s` for PostgreSQL) and run on the pool's DBAPI
connection, in a transaction that this module opens and commits. SQLite write transactions start
with BEGIN IMMEDIATE (the write lock first: no upgrade from reader to writer can fail against
another process) and take this process's write lock (db/session.py), like `sessions.begin()`.
Errors come out as SQLAlchemy's exceptions (IntegrityError, OperationalError, …), as from a
Session; a connection that broke is invalidated instead of going back to the pool.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from imagegate.db.session import write_lock

MAX_PARAMS = 900  # per statement: well under SQLite's (32766) and PostgreSQL's (65535) limits


def chunks(rows: Sequence[Any], width: int = 1) -> Iterator[Sequence[Any]]:
    """`rows` in runs small enough that one statement binds at most MAX_PARAMS values."""
    step = max(1, MAX_PARAMS // max(1, width))
    for start in range(0, len(rows), step):
        yield rows[start : start + step]


@functools.lru_cache(maxsize=512)
def values_sql(rows: int, width: int) -> str:
    """`(?, ?), (?, ?)`: placeholders for `rows` rows of `width` values."""
    row = "(" + ", ".join("?" * width) + ")"
    return ", ".join([row] * rows)


@functools.lru_cache(maxsize=512)
def list_sql(count: int) -> str:
    """`?, ?, ?`: placeholders for an IN list of `count` values."""
    return ", ".join("?" * count)


class RawSQL:
    """Statements as text on the DBAPI connections of `sessions`' engine."""

    def __init__(self, sessions: sessionmaker[Session] | Engine) -> None:
        engine = sessions if isinstance(sessions, Engine) else sessions.kw["bind"]
        self.engine: Engine = engine
        self.dialect = engine.dialect.name
        self.sqlite = self.dialect == "sqlite"
        self._lock: threading.Lock | None = write_lock(engine)
        process = DateTime(timezone=True).dialect_impl(engine.dialect).bind_processor(engine.dialect)
        self._datetime = process or (lambda value: value)
        self._dbapi_error = engine.dialect.loaded_dbapi.Error
        self._texts: dict[str, str] = {}

    def sql(self, text: str) -> str:
        """`text` in this driver's placeholder style (`?` for sqlite3, `%s` for psycopg)."""
        done = self._texts.get(text)
        if done is None:
            done = self._texts[text] = text if self.sqlite else text.replace("?", "%s")
        return done

    def moment(self, value: datetime) -> Any:
        """A datetime as the DateTime(timezone=True) columns store it (SQLite: text)."""
        return self._datetime(value)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Any]:
        """A DBAPI cursor in a write transaction, committed when the block ends (rolled back on
        an error, which is raised as SQLAlchemy's exception for it)."""
        with self._lock if self._lock is not None else contextlib.nullcontext():
            try:
                raw = self.engine.raw_connection()
            except self._dbapi_error as exc:  # the pool could not (re)connect: the database is down
                raise DBAPIError.instance(None, None, exc, self._dbapi_error, connection_invalidated=True, dialect=self.engine.dialect) from exc
            cursor = None
            try:
                cursor = raw.cursor()
                if self.sqlite:
                    cursor.execute("BEGIN IMMEDIATE")
                yield cursor
                raw.commit()
            except self._dbapi_error as exc:
                broken = self._discard(raw, cursor, exc)
                raise DBAPIError.instance(None, None, exc, self._dbapi_error, connection_invalidated=broken, dialect=self.engine.dialect) from exc
            except BaseException:
                self._discard(raw, cursor, None)
                raise
            finally:
                if cursor is not None:
                    with contextlib.suppress(Exception):
                        cursor.close()
                raw.close()  # back to the pool (or closed, when invalidated)

    def _discard(self, raw, cursor, exc: BaseException | None) -> bool:
        """Roll back; a connection that broke is invalidated, not pooled again. Whether it broke."""
        broken = exc is not None and self.engine.dialect.is_disconnect(exc, raw.dbapi_connection, cursor)
        if not broken:
            try:
                raw.rollback()
                return False
            except Exception:  # noqa: BLE001 - it cannot roll back: it cannot be reused either
                pass
        raw.invalidate(exc if isinstance(exc, Exception) else None)
        return True
