"""Helpers and fixtures shared by the accounts tests (a module, not a conftest.py: the tests
import `conftest` for the top-level one)."""

from __future__ import annotations

import pytest

from imagegate.accounts.keys import KeyStore
from imagegate.accounts.ledger import Charge
from imagegate.accounts.metering import Usage
from imagegate.db.migrate import upgrade
from imagegate.db.session import make_engine, session_factory


def charge(request_id: str, cost: int) -> Charge:
    return Charge(request_id, "gpt-image-2", "1024x1024", "low", 1, Usage(text_tokens=3, output_tokens=640), cost)


def money(keys: KeyStore, key_pk: int) -> tuple[int, int]:
    key = keys.get(key_pk)
    return key.spent_micro_usd, key.reserved_micro_usd


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
