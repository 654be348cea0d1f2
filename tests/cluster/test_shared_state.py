"""State shared through Redis (`redis_url`): one rate limit, one revocation and one cached-input
memory across every `imagegate serve` process on one PostgreSQL database."""

from __future__ import annotations

import asyncio
import io
import itertools
import subprocess
import sys
import threading
from collections.abc import Iterator

import httpx
import pytest
from conftest import Server, free_port
from PIL import Image
from redis_helpers import RedisServer

from imagegate.accounts.keys import KeyStore
from imagegate.accounts.ratelimit import InProcessRateLimiter
from imagegate.accounts.shared import SharedRecentImages, SharedState
from imagegate.db.migrate import upgrade
from imagegate.db.session import make_engine, session_factory
from imagegate.errors import ConfigurationError, ServiceUnavailableError

_names = itertools.count()


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    srv = RedisServer()
    yield srv
    srv.stop()


@pytest.fixture
def shared(redis_server: RedisServer) -> Iterator[SharedState]:
    state = SharedState(redis_server.url, prefix=f"test{next(_names)}:")
    yield state
    state.close()


# -- rate limits --------------------------------------------------------------------------------

SEQUENCE = [  # (costs, limits): requests, images and tokens, one key
    ({"requests": 1, "images": 2, "tokens": 500}, {"requests": 3, "images": 5, "tokens": 1000}),
    ({"requests": 1, "images": 2, "tokens": 400}, {"requests": 3, "images": 5, "tokens": 1000}),
    ({"requests": 1, "images": 2, "tokens": 10}, {"requests": 3, "images": 5, "tokens": 1000}),  # images: 1 left, 2 asked
    ({"requests": 1, "images": 1, "tokens": 10}, {"requests": 3, "images": 5, "tokens": 1000}),  # tokens: 100 left, fits
    ({"requests": 1, "images": 0, "tokens": 0}, {"requests": 3, "images": 5, "tokens": 1000}),  # requests: 0 left
    ({"requests": 1, "images": 6, "tokens": 0}, {"requests": 3, "images": 5, "tokens": 1000}),  # never: 6 > 5
    ({"requests": 1, "images": 0, "tokens": 0}, {"requests": None, "images": None, "tokens": None}),  # unlimited
]


def test_redis_limiter_decides_like_the_in_process_one(shared):
    frozen = [1000.0]
    local, remote = InProcessRateLimiter(clock=lambda: frozen[0]), shared.limiter()
    for costs, limits in SEQUENCE:
        want, got = local.acquire("k", limits, costs), remote.acquire("k", limits, costs)
        assert (got.allowed, got.limited_by, got.never) == (want.allowed, want.limited_by, want.never), costs
        assert got.retry_after == pytest.approx(want.retry_after, abs=0.05)
        assert got.headers == want.headers, costs
    assert want.headers == {} and got.allowed


def test_redis_limiter_is_all_or_nothing(shared):
    limiter = shared.limiter()
    limits = {"requests": 10, "images": 2, "tokens": 100}
    assert limiter.acquire("k", limits, {"requests": 1, "images": 1, "tokens": 10}).allowed
    refused = limiter.acquire("k", limits, {"requests": 1, "images": 2, "tokens": 10})  # images: 1 left
    assert not refused.allowed and refused.limited_by == "images" and refused.retry_after > 25
    # nothing was taken from the other buckets by the refused request
    assert refused.headers["x-ratelimit-remaining-requests"] == "9"
    assert refused.headers["x-ratelimit-remaining-tokens"] == "90"
    assert refused.headers["x-ratelimit-reset-images"].endswith("s")


def test_two_clients_share_one_bucket(redis_server, shared):
    other = SharedState(redis_server.url, prefix=shared.prefix)  # another process's connection pool
    try:
        a, b = shared.limiter(), other.limiter()
        limits = {"requests": 3, "images": None, "tokens": None}
        decisions = [(a if i % 2 == 0 else b).acquire("key", limits, {"requests": 1}) for i in range(4)]
        assert [d.allowed for d in decisions] == [True, True, True, False]
        assert decisions[2].headers["x-ratelimit-remaining-requests"] == "0"
        assert decisions[3].retry_after > 15  # one request back after 20 s
        assert a.acquire("other-key", limits, {"requests": 1}).allowed  # per key
    finally:
        other.close()


def test_concurrent_acquires_never_overspend(redis_server, shared):
    limits = {"requests": 50, "images": None, "tokens": None}
    results: list[bool] = []

    def hammer() -> None:
        state = SharedState(redis_server.url, prefix=shared.prefix)
        limiter = state.limiter()
        got = [limiter.acquire("busy", limits, {"requests": 1}).allowed for _ in range(20)]
        results.extend(got)
        state.close()

    threads = [threading.Thread(target=hammer) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(results) in (50, 51)  # the bucket's 50, and at most one more refilled meanwhile


def test_redis_down_is_a_503_never_a_free_pass():
    dead = SharedState("redis://127.0.0.1:1/0", timeout=0.5)
    with pytest.raises(ServiceUnavailableError) as err:
        dead.limiter().acquire("k", {"requests": 3}, {"requests": 1})
    assert err.value.status_code == 503 and err.value.code == "redis_unavailable"
    with pytest.raises(ServiceUnavailableError):
        dead.recent_images().contains("ab" * 32)
    dead.recent_images().add(["ab" * 32])  # after billing: logged, not raised
    with pytest.raises(ConfigurationError, match="Cannot reach Redis"):
        dead.check()
    assert "secret" not in str(pytest.raises(ConfigurationError, SharedState("redis://:secret@127.0.0.1:1/0", timeout=0.5).check).value)


# -- cached inputs and revocations -------------------------------------------------------------

def test_recent_images_are_shared(redis_server, shared):
    other = SharedRecentImages(redis_server.client(), shared.prefix)
    mine = shared.recent_images()
    assert not mine.contains("d1")
    mine.add(["d1", "d2"])
    assert other.contains("d1") and other.contains("d2") and not other.contains("d3")
    assert 3500 < redis_server.client().ttl(f"{shared.prefix}recent-image:d1") <= 3600


@pytest.fixture
def two_stores(tmp_path, shared, redis_server) -> Iterator[tuple[KeyStore, KeyStore]]:
    """Two processes' key stores on one database, both with Redis; long cache windows."""
    db = make_engine(f"sqlite:///{tmp_path / 'keys.db'}")
    upgrade(db)
    other = SharedState(redis_server.url, prefix=shared.prefix)
    yield KeyStore(session_factory(db), cache_seconds=3600, revocations=shared), KeyStore(session_factory(db), cache_seconds=3600, revocations=other)
    other.close()
    db.dispose()


def test_revocation_beats_another_process_cache(two_stores):
    a, b = two_stores
    info, secret = a.create("user")
    assert b.authenticate(secret) == info  # cached in b for an hour
    assert b.cached(secret) is None  # with Redis, a hit is checked in the worker thread, never on the loop
    a.revoke(info.id)
    assert b.authenticate(secret) is None  # at once, though b's cache still had it
    assert a.authenticate(secret) is None


def test_listener_forgets_and_cancels(two_stores, shared):
    a, b = two_stores
    info, secret = a.create("user")
    b.authenticate(secret)
    cancelled: list[int] = []

    async def scenario() -> None:
        done = asyncio.Event()

        def cancel(key_pk: int) -> None:
            cancelled.append(key_pk)
            done.set()

        listener = b.revocations.listen(b.forget, cancel, asyncio.get_running_loop())
        try:
            shared.client.publish(shared.channel, "999")  # not revoked in this database: ignored
            await asyncio.to_thread(a.revoke, info.id)
            await asyncio.wait_for(done.wait(), 5)
        finally:
            await asyncio.to_thread(listener.stop)

    asyncio.run(scenario())
    assert cancelled == [info.id]
    assert b._cached(secret) is None  # dropped from b's cache by the message


def test_cli_revoke_publishes(tmp_path, redis_server):
    from typer.testing import CliRunner

    from imagegate.cli import app

    (tmp_path / "config.toml").write_text(f'redis_url = "{redis_server.url}"\n')
    opts = ["--data-dir", str(tmp_path / "data"), "--config", str(tmp_path / "config.toml")]
    runner = CliRunner()
    made = runner.invoke(app, ["keys", "create", "--name", "cli-user", *opts])
    assert made.exit_code == 0, made.output
    key_pk = int(made.output.split("created key ")[1].split()[0])
    watcher = redis_server.client().pubsub()
    watcher.subscribe("imagegate:revocations")
    try:
        assert watcher.get_message(timeout=5)["type"] == "subscribe"
        revoked = runner.invoke(app, ["keys", "revoke", str(key_pk), *opts])
        assert revoked.exit_code == 0, revoked.output
        message = watcher.get_message(timeout=5)
        assert message is not None and message["type"] == "message" and int(message["data"]) == key_pk
        secret = made.output.strip().splitlines()[-1]
        assert redis_server.client().exists(f"imagegate:revoked:{secret.split('-')[2]}")
    finally:
        watcher.close()


# -- two servers --------------------------------------------------------------------------------

def _png(color=(10, 120, 200)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 64), color).save(buf, "PNG")
    return buf.getvalue()


@pytest.mark.e2e
def test_two_servers_share_limits_revocations_and_cached_inputs(tmp_path, postgres, redis_server):
    config = tmp_path / "config.toml"
    config.write_text(
        f'database_url = "{postgres.url("cluster_shared")}"\nredis_url = "{redis_server.url}"\n'
        '[models."gpt-image-2"]\nengine = "null"\nsizes = ["256x256"]\n[moderation]\nenabled = false\n'
    )
    data = tmp_path / "data"  # one data dir: the first start's admin key file, the signing secret
    servers = [Server(data, ["--config", str(config)])]
    try:
        servers.append(Server(data, ["--config", str(config)]))
        a, b = servers
        admin = {"Authorization": f"Bearer {a.api_key}"}
        body = {"prompt": "a red apple", "size": "256x256"}
        with httpx.Client(timeout=30) as c:
            limited = c.post(f"{a.base}/v1/admin/keys", json={"name": "limited", "rpm": 3}, headers=admin).json()
            user = c.post(f"{b.base}/v1/admin/keys", json={"name": "user", "budget_usd": 10}, headers={"Authorization": f"Bearer {b.api_key}"}).json()
            lim = {"Authorization": f"Bearer {limited['secret']}"}
            usr = {"Authorization": f"Bearer {user['secret']}"}

            # one limit of 3 requests a minute across both servers
            codes = [c.post(f"{srv.base}/v1/images/generations", json=body, headers=lim).status_code for srv in (a, b, a, b, a)]
            assert codes == [200, 200, 200, 429, 429], codes
            assert c.post(f"{b.base}/v1/images/generations", json=body, headers=lim).headers["x-ratelimit-remaining-requests"] == "0"

            # an input image billed through A is billed cached through B
            files = {"image": ("in.png", _png(), "image/png")}
            edit = {"prompt": "make it blue", "size": "256x256"}
            first = c.post(f"{a.base}/v1/images/edits", data=edit, files=files, headers=usr)
            assert first.status_code == 200, first.text
            assert first.json()["usage"]["input_tokens_details"]["cached_tokens"] == 0
            second = c.post(f"{b.base}/v1/images/edits", data=edit, files=files, headers=usr)
            assert second.status_code == 200, second.text
            details = second.json()["usage"]["input_tokens_details"]
            assert details["cached_tokens"] > 0 and details["cached_tokens"] == first.json()["usage"]["input_tokens_details"]["image_tokens"]

            # revoked through A: the very next request through B (which has the key cached) is 401
            assert c.post(f"{b.base}/v1/images/generations", json=body, headers=usr).status_code == 200
            assert c.delete(f"{a.base}/v1/admin/keys/{user['id']}", headers=admin).status_code == 200
            resp = c.post(f"{b.base}/v1/images/generations", json=body, headers=usr)
            assert resp.status_code == 401, resp.text
            assert resp.json()["error"]["code"] == "invalid_api_key"
    finally:
        for srv in servers:
            srv.stop()


@pytest.mark.e2e
def test_unreachable_redis_fails_the_start_clearly(tmp_path):
    (tmp_path / "config.toml").write_text('redis_url = "redis://:hunter2@127.0.0.1:1/0"\n[models."gpt-image-2"]\nengine = "null"\nsizes = ["256x256"]\n')
    cmd = [sys.executable, "-m", "imagegate", "serve", "--host", "127.0.0.1", "--port", str(free_port()), "--data-dir", str(tmp_path / "data"),
           "--config", str(tmp_path / "config.toml")]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "Cannot reach Redis at redis://:***@127.0.0.1:1/0 (redis_url)" in out
    assert "hunter2" not in out
