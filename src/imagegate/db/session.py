"""Engine and session factory; SQLite in WAL mode by default, PostgreSQL by URL."""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from imagegate.errors import ConfigurationError


def database_url(url: str | None, data_dir: Path) -> str:
    """The configured URL, or a SQLite file in the data directory."""
    return url or f"sqlite:///{(Path(data_dir) / 'imagegate.db').resolve()}"


# PostgreSQL connections a process can have checked out at once: one per anyio worker thread (40
# by default), plus the group-committed writers of accounts/holds.py (takes, settlements,
# releases: one each) and the hold keeper. POOL_SIZE of them stay open, the rest are opened on
# demand; several worker processes share the server's max_connections (100 by default).
POOL_SIZE = 10
POOL_MAX = 50


def make_engine(url: str) -> Engine:
    """A SQLAlchemy engine; SQLite gets WAL, a busy timeout and foreign keys."""
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    try:
        if url.startswith("sqlite"):
            # cached_statements: room for the hot statements of every batch size (db/rawsql.py)
            engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False, "cached_statements": 512},
                                   pool_size=20, max_overflow=40)
            event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        return create_engine(url, pool_size=POOL_SIZE, max_overflow=POOL_MAX - POOL_SIZE, pool_pre_ping=True)
    except ModuleNotFoundError as exc:
        raise ConfigurationError(f"Database driver missing for {url.split(':')[0]}: pip install 'imagegate[postgres]' ({exc})") from exc


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


_WRITE_LOCKS: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()


class _SerializedWrites(sessionmaker):
    """SQLite takes one writer at a time and makes the others sleep in its busy handler (up to
    hundreds of ms under load). Write transactions (`sessions.begin()`) of this process queue on
    a lock instead, so they run back to back; reads (`sessions()`) are not held up (WAL)."""

    _write_lock = threading.Lock()

    @contextlib.contextmanager
    def begin(self) -> Iterator[Session]:
        with self._write_lock, super().begin() as session:
            yield session


def write_lock(engine: Engine) -> threading.Lock | None:
    """The lock this process's write transactions on `engine` take turns on (SQLite); None
    where the database takes concurrent writers (PostgreSQL)."""
    return _WRITE_LOCKS.setdefault(engine, threading.Lock()) if engine.dialect.name == "sqlite" else None


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded attributes after commit; on SQLite, this process's write
    transactions take turns."""
    if engine.dialect.name == "sqlite":
        factory = _SerializedWrites(engine, expire_on_commit=False)
        factory._write_lock = write_lock(engine)  # one per database engine
        return factory
    return sessionmaker(engine, expire_on_commit=False)
