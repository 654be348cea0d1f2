"""Start-up skips alembic when it can: a current schema needs nothing, and an empty database is
created from the table definitions and stamped. Both give exactly what the migrations give."""

from __future__ import annotations

import subprocess
import sys

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from imagegate.db.migrate import alembic_config, current_revision, head_revision, upgrade
from imagegate.db.session import make_engine


def describe(engine) -> dict:
    """Tables with their columns, keys, indexes and constraints, as the database reports them."""
    found = inspect(engine)
    out = {}
    for table in sorted(found.get_table_names()):
        out[table] = {
            "columns": [(c["name"], str(c["type"]), c["nullable"], str(c.get("default"))) for c in found.get_columns(table)],
            "primary": found.get_pk_constraint(table)["constrained_columns"],
            "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in found.get_indexes(table)),
            "unique": sorted((u["name"], tuple(u["column_names"])) for u in found.get_unique_constraints(table)),
            "foreign": sorted((tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"])) for f in found.get_foreign_keys(table)),
        }
    return out


def test_head_revision_is_alembics(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    assert head_revision() == ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def test_a_fresh_database_equals_the_migrated_one(db_url, tmp_path, request):
    fresh = make_engine(db_url)
    assert current_revision(fresh) is None
    upgrade(fresh)  # from the table definitions
    assert current_revision(fresh) == head_revision()
    if db_url.startswith("sqlite"):
        migrated = make_engine(f"sqlite:///{tmp_path / 'migrated.db'}")
    else:  # a second database on the same server
        migrated = make_engine(request.getfixturevalue("postgres").url("t_migrated_reference"))
    try:
        command.upgrade(alembic_config(migrated), "head")  # every migration, in order
        assert describe(fresh) == describe(migrated)
        upgrade(fresh)  # current: nothing to do
        assert current_revision(fresh) == head_revision()
    finally:
        fresh.dispose()
        migrated.dispose()


def test_start_up_loads_alembic_only_to_migrate(tmp_path):
    code = ("import sys; from imagegate.db.migrate import upgrade; from imagegate.db.session import make_engine; "
            "upgrade(make_engine(sys.argv[1])); print('alembic' in sys.modules)")

    def loads_alembic(url: str) -> bool:
        return subprocess.run([sys.executable, "-c", code, url], capture_output=True, text=True, check=True).stdout.strip() == "True"

    url = f"sqlite:///{tmp_path / 'y.db'}"
    assert not loads_alembic(url)  # empty: created from the definitions
    assert not loads_alembic(url)  # current
    old = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    command.upgrade(alembic_config(old), "0003")
    assert loads_alembic(f"sqlite:///{tmp_path / 'old.db'}")  # behind: migrated by alembic
    assert current_revision(old) == head_revision()
    old.dispose()
