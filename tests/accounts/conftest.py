"""Fixtures shared by the accounts tests: engines on one database (as several server processes
would hold them) and sessions over it."""

from __future__ import annotations

import pytest

from imagegate.db.migrate import upgrade
from imagegate.db.session import make_engine, session_factory


@pytest.fixture
def engines(db_url):
    """Engines on one database, as several server processes would hold them."""
    made = []

    def engine():
        made.append(make_engine(db_url))
        return made[-1]

    upgrade(engine())
    yield engine
    for e in made:
        e.dispose()


@pytest.fixture
def sessions(engines):
    return session_factory(engines())
