"""Run alembic migrations programmatically (`imagegate serve` migrates on start), once at a time.

Several server processes may start together on a fresh data directory (`serve --workers N`, or
replicas sharing PostgreSQL): `startup_lock` makes them take turns, so the first one migrates
and creates what the first start creates, and the others find it done.
"""

from __future__ import annotations

import contextlib
import fcntl
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

_PG_LOCK = 0x1A6E6A7E  # an arbitrary, fixed advisory-lock id for imagegate's start-up


def alembic_config(engine: Engine) -> Config:
    """An alembic Config pointing at the packaged migrations and `engine`."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("imagegate.db").joinpath("migrations")))
    cfg.attributes["engine"] = engine
    return cfg


_REVISION = re.compile(r"^(down_revision|revision)\s*=\s*['\"]?([\w]+)?['\"]?", re.M)


def head_revision() -> str | None:
    """The newest packaged revision, read from the migration files' `revision` and
    `down_revision` lines (without importing alembic)."""
    revisions, parents = set(), set()
    for path in resources.files("imagegate.db").joinpath("migrations", "versions").iterdir():
        if path.name.endswith(".py") and not path.name.startswith("__"):
            fields = dict(_REVISION.findall(path.read_text()))
            revisions.add(fields.get("revision"))
            parents.add(fields.get("down_revision"))
    heads = revisions - parents - {None}
    return heads.pop() if len(heads) == 1 else None


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None: never migrated)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision. A current schema needs nothing; an empty
    database gets the tables straight from their definitions, stamped with the newest revision
    (what running every migration gives: a test compares the two); only an older schema loads
    alembic and migrates."""
    head = head_revision()
    current = current_revision(engine)
    if head is not None and current == head:
        return
    if head is not None and current is None and not inspect(engine).get_table_names():
        create_fresh(engine, head)
        return
    from alembic import command

    command.upgrade(alembic_config(engine), "head")


def create_fresh(engine: Engine, head: str) -> None:
    """The newest schema in an empty database, in one transaction, and alembic's stamp of it."""
    from imagegate.db.tables import Base

    with engine.begin() as conn:
        Base.metadata.create_all(conn)
        conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"))
        conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:head)"), {"head": head})


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
