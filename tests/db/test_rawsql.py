"""Hand-written hot-path SQL (db/rawsql.py), on SQLite and on PostgreSQL: the same values as the
ORM writes, SQLAlchemy's errors, rollback, and connections that broke are not pooled again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.exc import DBAPIError, IntegrityError

from imagegate.accounts.holds import Holds
from imagegate.accounts.keys import KeyStore
from imagegate.db.migrate import upgrade
from imagegate.db.rawsql import MAX_PARAMS, RawSQL, chunks, list_sql, values_sql
from imagegate.db.session import make_engine, session_factory
from imagegate.db.tables import Hold


@pytest.fixture
def engine(db_url):
    made = make_engine(db_url)
    upgrade(made)
    yield made
    made.dispose()


def test_placeholders():
    assert values_sql(2, 3) == "(?, ?, ?), (?, ?, ?)" and list_sql(3) == "?, ?, ?"
    assert [len(c) for c in chunks(list(range(2_000)), 12)] == [MAX_PARAMS // 12] * 26 + [2_000 - 26 * (MAX_PARAMS // 12)]
    assert list(chunks([], 5)) == [] and [list(c) for c in chunks([1, 2, 3])] == [[1, 2, 3]]


def test_statements_in_the_drivers_style(engine):
    sql = RawSQL(engine)
    assert RawSQL(session_factory(engine)).engine is engine
    expected = "SELECT ? + ?" if engine.dialect.name == "sqlite" else "SELECT %s + %s"
    assert sql.sql("SELECT ? + ?") == expected
    with sql.transaction() as cur:
        cur.execute(sql.sql("SELECT ? + ?"), (2, 3))
        assert cur.fetchone()[0] == 5


def test_times_are_stored_as_the_orm_stores_them(engine):
    """A hold written by hand and one written by the ORM read back the same, and compare the
    same in SQL (the reaper's `lease_until < now`)."""
    sessions = session_factory(engine)
    info, _ = KeyStore(sessions).create("k")
    moment = datetime(2030, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
    holds = Holds(sessions, clock=lambda: moment, process="here:1")
    assert holds.take("req_raw", info.id, 5)
    with sessions.begin() as s:
        s.add(Hold(owner="req_orm", key_id=info.id, amount_micro_usd=5, created_at=moment, lease_until=moment + timedelta(seconds=30), process="here:1"))
    raw, orm = holds.get("req_raw"), holds.get("req_orm")
    assert (raw.created_at, raw.lease_until) == (orm.created_at, orm.lease_until) == (moment, moment + timedelta(seconds=30))
    with sessions() as s:
        assert sorted(s.scalars(select(Hold.owner).where(Hold.lease_until < moment + timedelta(seconds=31)))) == ["req_orm", "req_raw"]
        assert list(s.scalars(select(Hold.owner).where(Hold.lease_until < moment + timedelta(seconds=29)))) == []


def test_errors_are_sqlalchemys_and_roll_the_transaction_back(engine):
    sql = RawSQL(engine)
    sessions = session_factory(engine)
    info, _ = KeyStore(sessions).create("k")
    now = sql.moment(datetime.now(UTC))
    insert = sql.sql("INSERT INTO holds (owner, key_id, amount_micro_usd, created_at, lease_until, process) VALUES (?, ?, ?, ?, ?, ?)")
    with pytest.raises(IntegrityError):
        with sql.transaction() as cur:
            cur.execute(insert, ("a", info.id, 1, now, now, "p"))
            cur.execute(insert, ("a", info.id, 1, now, now, "p"))  # the same owner twice
    with pytest.raises(RuntimeError):
        with sql.transaction() as cur:
            cur.execute(insert, ("b", info.id, 1, now, now, "p"))
            raise RuntimeError("not a database error")
    with sessions() as s:
        assert s.scalars(select(Hold.owner)).all() == []  # both rolled back
    with sql.transaction() as cur:  # the pooled connections still work
        cur.execute(insert, ("c", info.id, 1, now, now, "p"))
    assert [h.owner for h in Holds(sessions).list()] == ["c"]


def test_a_connection_that_broke_is_not_pooled_again(postgres):
    """PostgreSQL only: a server-side disconnect needs a server."""
    engine = make_engine(postgres.url("t_broken_conn"))
    upgrade(engine)
    engine.dispose()
    single = create_engine(engine.url, pool_size=1, max_overflow=0)  # no pre-ping: a dead connection would come back
    sql = RawSQL(single)
    with pytest.raises(DBAPIError) as err:
        with sql.transaction() as cur:
            cur.execute("SELECT pg_terminate_backend(pg_backend_pid())")  # the server drops us mid-transaction
            cur.execute("SELECT 1")
    assert err.value.connection_invalidated
    try:
        for _ in range(3):  # the one pooled connection was replaced: it works
            with sql.transaction() as cur:
                cur.execute("SELECT 1")
                assert cur.fetchone()[0] == 1
    finally:
        single.dispose()


def test_sqlite_writers_take_turns_on_the_process_lock(tmp_path):
    """BEGIN IMMEDIATE under this process's write lock: ORM writes and hand-written ones of
    many threads never meet SQLite's busy handler."""
    from concurrent.futures import ThreadPoolExecutor

    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    upgrade(engine)
    try:
        sessions = session_factory(engine)
        info, _ = KeyStore(sessions).create("k", budget_usd=1)
        holds = Holds(sessions)

        def work(i: int) -> None:
            assert holds.take(f"req_{i}", info.id, 10)
            holds.renew([f"req_{i}"])  # an ORM write in between
            assert holds.release(f"req_{i}") == 10

        with ThreadPoolExecutor(8) as pool:
            list(pool.map(work, range(200)))
        assert KeyStore(sessions).get(info.id).reserved_micro_usd == 0
    finally:
        engine.dispose()
