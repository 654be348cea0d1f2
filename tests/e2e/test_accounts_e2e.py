"""Keys, budgets, rate limits and usage through the official SDK, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import time

import httpx
import openai
import pytest
from conftest import Server

pytestmark = pytest.mark.e2e

LOW = {"model": "gpt-image-2", "size": "1024x1024", "quality": "low", "response_format": "b64_json"}


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def acct_server(request, tmp_path_factory):
    root = tmp_path_factory.mktemp(f"acct-{request.param}")
    env = {}
    if request.param == "postgres":
        env["IMAGEGATE_DATABASE_URL"] = request.getfixturevalue("postgres").url("accounts_e2e")
    srv = Server(root / "data", env=env)
    yield srv
    srv.stop()


def admin_post(server, path, body):
    resp = httpx.post(f"{server.base}/v1{path}", json=body, headers={"Authorization": f"Bearer {server.api_key}"})
    resp.raise_for_status()
    return resp.json()


_clients: list = []


@pytest.fixture(autouse=True)
def _close_clients():
    yield
    while _clients:
        _clients.pop().close()


def client(server, key, **kw) -> openai.OpenAI:
    made = openai.OpenAI(api_key=key, base_url=f"{server.base}/v1", **kw)
    _clients.append(made)
    return made


def test_first_start_created_an_admin_key(acct_server):
    assert acct_server.api_key.startswith("sk-ig-")
    assert client(acct_server, acct_server.api_key).images.generate(prompt="a cat", **LOW).data[0].b64_json


def test_401s_raise_authentication_error(acct_server):
    for key in ("", "sk-ig-000000000000-wrong", "not-even-close"):
        with pytest.raises(openai.AuthenticationError) as info:
            client(acct_server, key or "x", max_retries=0).images.generate(prompt="a cat", **LOW)
        assert info.value.code == "invalid_api_key"
    resp = httpx.post(f"{acct_server.base}/v1/images/generations", json={"prompt": "a cat"})
    assert resp.status_code == 401 and resp.json()["error"]["code"] == "invalid_api_key"
    made = admin_post(acct_server, "/admin/keys", {"name": "to-revoke"})
    assert client(acct_server, made["secret"]).images.generate(prompt="a cat", **LOW).data
    httpx.delete(f"{acct_server.base}/v1/admin/keys/{made['id']}", headers={"Authorization": f"Bearer {acct_server.api_key}"}).raise_for_status()
    with pytest.raises(openai.AuthenticationError):
        client(acct_server, made["secret"], max_retries=0).images.generate(prompt="a cat", **LOW)


def test_azure_api_key_header_authenticates(acct_server):
    az = openai.AzureOpenAI(azure_endpoint=acct_server.base, api_key=acct_server.api_key, api_version="2025-04-01-preview")
    _clients.append(az)
    assert az.images.generate(prompt="a cat", **LOW).data[0].b64_json
    bad = openai.AzureOpenAI(azure_endpoint=acct_server.base, api_key="nope", api_version="2025-04-01-preview", max_retries=0)
    _clients.append(bad)
    with pytest.raises(openai.AuthenticationError):
        bad.images.generate(prompt="a cat", **LOW)


def test_admin_api_needs_an_admin_key(acct_server):
    made = admin_post(acct_server, "/admin/keys", {"name": "plain"})
    assert "secret" in made and made["admin"] is False
    resp = httpx.get(f"{acct_server.base}/v1/admin/keys", headers={"Authorization": f"Bearer {made['secret']}"})
    assert resp.status_code == 403 and resp.json()["error"]["code"] == "insufficient_permissions"
    listed = httpx.get(f"{acct_server.base}/v1/admin/keys", headers={"Authorization": f"Bearer {acct_server.api_key}"}).json()
    assert any(k["id"] == made["id"] for k in listed["data"]) and all("secret" not in k for k in listed["data"])
    bad = httpx.post(f"{acct_server.base}/v1/admin/keys", json={"name": "x", "budget_usd": -1}, headers={"Authorization": f"Bearer {acct_server.api_key}"})
    assert bad.status_code == 400


def test_budget_under_50_concurrent_requests(acct_server):
    estimate = httpx.post(f"{acct_server.base}/v1/images/estimate", json={"prompt": "a cat", **LOW}, headers={"Authorization": f"Bearer {acct_server.api_key}"}).json()
    per_request = estimate["cost_micro_usd"]
    made = admin_post(acct_server, "/admin/keys", {"name": "capped", "budget_usd": (20 * per_request + per_request // 2) / 1e6})

    async def run():
        aclient = openai.AsyncOpenAI(api_key=made["secret"], base_url=f"{acct_server.base}/v1", max_retries=2)

        async def one():
            try:
                return await aclient.images.generate(prompt="a cat", **LOW)
            except openai.RateLimitError as exc:
                assert exc.code == "insufficient_quota"
                assert exc.response.headers["x-should-retry"] == "false"
                return None

        async with aclient:
            return await asyncio.gather(*(one() for _ in range(50)))

    responses = asyncio.run(run())
    ok = [r for r in responses if r is not None]
    assert len(ok) == 20
    key = httpx.get(f"{acct_server.base}/v1/admin/keys/{made['id']}", headers={"Authorization": f"Bearer {acct_server.api_key}"}).json()
    spent = round(key["spent_usd"] * 1e6)
    assert spent <= round(key["budget_usd"] * 1e6) and key["reserved_usd"] == 0
    assert spent == 20 * per_request
    assert all(r.usage.total_tokens == estimate["usage"]["total_tokens"] for r in ok)
    usage = httpx.get(
        f"{acct_server.base}/v1/organization/usage/images", params={"group_by": "model"},
        headers={"Authorization": f"Bearer {made['secret']}"},
    ).json()
    rows = [r for b in usage["data"] for r in b["results"]]
    assert sum(r["cost_micro_usd"] for r in rows) == spent
    assert sum(r["output_tokens"] for r in rows) == sum(r.usage.output_tokens for r in ok)


def test_rate_limit_429_then_sdk_retry_succeeds(acct_server):
    # 10 images a minute: one image comes back every 6 s, so the bucket emptied by one request
    # stays empty for the next one however slow a loaded machine makes that request
    made = admin_post(acct_server, "/admin/keys", {"name": "limited", "ipm": 10})
    small = {**LOW, "size": "256x256", "n": 10}
    sdk = client(acct_server, made["secret"], max_retries=0)
    raw = sdk.images.with_raw_response.generate(prompt="dots", **small)
    assert raw.headers["x-ratelimit-limit-images"] == "10"
    with pytest.raises(openai.RateLimitError) as info:
        sdk.images.generate(prompt="dots", **{**small, "n": 1})
    headers = info.value.response.headers
    assert info.value.code == "rate_limit_exceeded"
    assert 0 < float(headers["retry-after-ms"]) <= 6000 and int(headers["retry-after"]) >= 1
    assert headers["x-ratelimit-remaining-images"] == "0"
    t0 = time.monotonic()
    raw = client(acct_server, made["secret"], max_retries=3).images.with_raw_response.generate(prompt="dots", **{**small, "n": 1})
    assert raw.status_code == 200 and raw.retries_taken >= 1
    assert time.monotonic() - t0 < 30
