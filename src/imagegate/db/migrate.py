"""Run alembic migrations programmatically (`imagegate serve` migrates on start), once at a time.

Several server processes may start together on a fresh data directory (`serve --workers N`, or
replicas sharing PostgreSQL): `startup_lock` makes them take turns, so the first one migrates
and creates what the first start creates, and the others find it done.
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text

_PG_LOCK = 0x1A6E6A7E  # an arbitrary, fixed advisory-lock id for imagegate's start-up


def alembic_config(engine: Engine) -> Config:
    """An alembic Config pointing at the packaged migrations and `engine`."""
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("imagegate.db").joinpath("migrations")))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision."""
    command.upgrade(alembic_config(engine), "head")


@contextlib.contextmanager
def startup_lock(engine: Engine, data_dir: Path) -> Iterator[None]:
    """Held by one starting process at a time: a file lock in the data directory (processes on
    this host), and on PostgreSQL an advisory lock too (processes on other hosts)."""
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    with open(Path(data_dir) / ".startup.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            if engine.dialect.name == "postgresql":
                with engine.connect() as conn:
                    conn.execute(text("SELECT pg_advisory_lock(:id)"), {"id": _PG_LOCK})
                    try:
                        yield
                    finally:
                        conn.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": _PG_LOCK})
                        conn.commit()
            else:
                yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
