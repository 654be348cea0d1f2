"""Keys, budgets, the ledger and rate limits, on SQLite and on PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from imagegate.db.migrate import upgrade
from imagegate.db.session import make_engine, session_factory
from imagegate.db.tables import ApiKey
from imagegate.errors import AuthenticationError, PermissionDeniedError, RateLimitError
from imagegate.accounts.holds import Holds
from imagegate.accounts.service import Accounts, Principal, bearer_secret
from imagegate.accounts.keys import KeyStore
from imagegate.accounts.ledger import Charge, Ledger
from imagegate.accounts.metering import Usage
from imagegate.accounts.ratelimit import InProcessRateLimiter, go_duration
from imagegate.accounts.usage import images_usage, usage_rows


@pytest.fixture
def sessions(db_url):
    engine = make_engine(db_url)
    upgrade(engine)
    upgrade(engine)  # idempotent
    yield session_factory(engine)
    engine.dispose()


def charge(request_id: str, cost: int, model: str = "gpt-image-2") -> Charge:
    return Charge(request_id, model, "1024x1024", "low", 1, Usage(text_tokens=3, output_tokens=640), cost)


def test_keys_are_hashed_and_authenticate(sessions):
    keys = KeyStore(sessions)
    info, secret = keys.create("team-a", budget_usd=1.5, rpm=10)
    assert secret.startswith("sk-ig-") and secret.startswith(info.prefix.rstrip("…"))
    assert info.budget_micro_usd == 1_500_000
    with sessions() as s:
        row = s.scalar(select(ApiKey).where(ApiKey.id == info.id))
        assert secret not in (row.secret_hash, row.prefix, row.key_id)
    assert keys.authenticate(secret).id == info.id
    assert keys.authenticate(secret + "x") is None
    assert keys.authenticate(secret[:-1] + ("A" if secret[-1] != "A" else "B")) is None
    assert keys.authenticate("sk-ig-garbage") is None and keys.authenticate(None) is None
    keys.revoke(info.id)
    assert keys.authenticate(secret) is None
    assert keys.count_active() == 0 and keys.list()[0].revoked


def test_accounts_authenticate_errors(sessions):
    accounts = Accounts(KeyStore(sessions), Ledger(sessions), InProcessRateLimiter())
    _, secret = accounts.keys.create("k")
    assert accounts.authenticate(f"Bearer {secret}", None).key.name == "k"
    assert accounts.authenticate(None, secret).key.name == "k"  # Azure's api-key header
    for auth in (None, "Bearer nope", "Basic abc"):
        with pytest.raises(AuthenticationError) as info:
            accounts.authenticate(auth, None)
        assert info.value.code == "invalid_api_key" and info.value.status_code == 401
    with pytest.raises(PermissionDeniedError):
        accounts.require_admin(accounts.authenticate(f"Bearer {secret}", None))
    assert bearer_secret("bearer  abc ", None) == "abc"
    open_accounts = Accounts(KeyStore(sessions), Ledger(sessions), InProcessRateLimiter(), auth=False)
    assert open_accounts.authenticate(None, None) == Principal()


def test_budget_holds_under_concurrency(sessions):
    keys, ledger, holds = KeyStore(sessions), Ledger(sessions), Holds(sessions)
    info, _ = keys.create("capped", budget_usd=0.2)  # 200,000 micro-dollars
    cost = 10_000

    def attempt(i: int) -> bool:
        if not holds.take(f"req_{i}", info.id, cost):
            return False
        holds.settle(f"req_{i}", info.id, charge(f"req_{i}", cost))
        return True

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(attempt, range(50)))
    assert sum(results) == 20
    key = keys.get(info.id)
    assert key.spent_micro_usd == ledger.total_cost(info.id) == 200_000
    assert key.reserved_micro_usd == 0


def test_release_and_actual_cost_below_estimate(sessions):
    keys, holds = KeyStore(sessions), Holds(sessions)
    info, _ = keys.create("k", budget_usd=0.05)
    assert holds.take("r0", info.id, 30_000)
    assert not holds.take("r1", info.id, 30_000)
    assert holds.release("r0") == 30_000
    assert holds.take("r1", info.id, 30_000)
    holds.settle("r1", info.id, charge("r1", 25_000))
    key = keys.get(info.id)
    assert (key.spent_micro_usd, key.reserved_micro_usd) == (25_000, 0)
    assert holds.take("r2", info.id, 25_000) and not holds.take("r3", info.id, 1)


def test_admission_rate_limits_then_budget(sessions):
    accounts = Accounts(KeyStore(sessions), Ledger(sessions), InProcessRateLimiter())
    info, _ = accounts.keys.create("k", budget_usd=0.001, rpm=100)
    principal = Principal(info)
    adm = accounts.admit(principal, Usage(output_tokens=10), 900, 1, owner="req_a")
    assert adm.reserved == 900 and adm.owner == "req_a" and adm.headers["x-ratelimit-limit-requests"] == "100"
    assert accounts.holds.get("req_a").amount_micro_usd == 900 and accounts.keeper.owners == {"req_a"}
    with pytest.raises(RateLimitError) as err:
        accounts.admit(principal, Usage(output_tokens=10), 200, 1, owner="req_b")
    assert err.value.code == "insufficient_quota" and err.value.headers["x-should-retry"] == "false"
    assert accounts.holds.get("req_b") is None
    accounts.release(adm)
    assert accounts.keys.get(info.id).reserved_micro_usd == 0
    assert accounts.holds.list() == [] and accounts.keeper.owners == set()


def test_usage_reports(sessions):
    keys, ledger = KeyStore(sessions), Ledger(sessions)
    a, _ = keys.create("a")
    b, _ = keys.create("b")
    holds = Holds(sessions)
    holds.settle("r1", a.id, charge("r1", 100))
    holds.settle("r2", a.id, charge("r2", 200, model="gpt-image-1-mini"))
    holds.settle("r3", b.id, charge("r3", 400))
    start = int((datetime.now(UTC) - timedelta(days=2)).timestamp())
    page = images_usage(ledger, start_time=start, group_by=["model"])
    results = [r for bucket in page["data"] for r in bucket["results"]]
    by_model = {r["model"]: r for r in results}
    assert by_model["gpt-image-2"]["cost_micro_usd"] == 500 and by_model["gpt-image-2"]["num_model_requests"] == 2
    assert by_model["gpt-image-1-mini"]["images"] == 1
    own = images_usage(ledger, start_time=start, key_pk=b.id)
    assert sum(r["cost_micro_usd"] for bucket in own["data"] for r in bucket["results"]) == 400
    rows = usage_rows(ledger, since=None, key_pk=None, group_by="key")
    assert {r["key"]: r["cost_micro_usd"] for r in rows} == {a.id: 300, b.id: 400}


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_token_buckets_all_or_nothing():
    clock = FakeClock()
    limiter = InProcessRateLimiter(clock)
    limits = {"requests": 60, "images": 4, "tokens": None}
    assert limiter.acquire("k", limits, {"requests": 1, "images": 3}).allowed
    denied = limiter.acquire("k", limits, {"requests": 1, "images": 3})
    assert not denied.allowed and denied.limited_by == "images"
    assert denied.retry_after == pytest.approx(30.0)  # 2 images short at 4/min
    assert denied.headers["x-ratelimit-remaining-requests"] == "59"  # nothing consumed
    clock.now += 30
    assert limiter.acquire("k", limits, {"requests": 1, "images": 3}).allowed
    too_big = limiter.acquire("k", limits, {"requests": 1, "images": 5})
    assert not too_big.allowed and too_big.never


def test_go_durations():
    assert go_duration(0.012) == "12ms"
    assert go_duration(1) == "1s"
    assert go_duration(360) == "6m0s"


def test_authentication_cache_expires_and_revocation_is_immediate(sessions):
    now = [0.0]
    keys = KeyStore(sessions, cache_seconds=1.0, clock=lambda: now[0])
    info, secret = keys.create("cached")
    assert keys.authenticate(secret).id == info.id
    other = KeyStore(sessions)  # another process revokes it
    other.revoke(info.id)
    assert keys.authenticate(secret) is not None  # still cached for up to a second
    now[0] = 1.5
    assert keys.authenticate(secret) is None
    info2, secret2 = keys.create("second")
    assert keys.authenticate(secret2) is not None
    keys.revoke(info2.id)
    assert keys.authenticate(secret2) is None  # revoked here: at once
