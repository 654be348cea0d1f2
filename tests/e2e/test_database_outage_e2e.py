"""PostgreSQL stopped mid-run: requests answer 503 `database_unavailable` (never a 500 or a
hang), nothing is billed for work not delivered, and the server recovers when the database
returns."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import httpx
import pytest
from conftest import Server
from pg import PostgresServer

pytestmark = pytest.mark.e2e


def test_postgres_outage_is_503_and_recovers(tmp_path):
    pg = PostgresServer(Path(tempfile.mkdtemp(prefix="imagegate-pg-outage-")))
    server = None
    try:
        (tmp_path / "config.toml").write_text(
            f'database_url = "{pg.url("outage")}"\n[models."gpt-image-2"]\nengine = "null"\nsizes = ["256x256"]\n[moderation]\nprovider = "none"\n')
        server = Server(tmp_path / "data", ["--config", str(tmp_path / "config.toml")])
        admin = {"Authorization": f"Bearer {server.api_key}"}
        with httpx.Client(base_url=server.base, timeout=30) as c:
            user = c.post("/v1/admin/keys", json={"name": "user", "budget_usd": 10}, headers=admin).json()
            headers = {"Authorization": f"Bearer {user['secret']}"}
            body = {"prompt": "a red apple", "size": "256x256"}
            assert c.post("/v1/images/generations", json=body, headers=headers).status_code == 200
            spent = c.get(f"/v1/admin/keys/{user['id']}", headers=admin).json()["spent_usd"]

            pg.halt()
            for _ in range(3):
                t0 = time.monotonic()
                resp = c.post("/v1/images/generations", json=body, headers={"Authorization": "Bearer sk-not-cached"})
                assert resp.status_code in (401, 503), resp.text  # a key never seen needs the database
                assert time.monotonic() - t0 < 20
                resp = c.post("/v1/images/generations", json=body, headers=headers)
                assert resp.status_code == 503, resp.text  # no hold can be taken: no work, no charge
                resp = c.post("/v1/admin/keys", json={"name": "x"}, headers=admin)
                assert resp.status_code == 503, resp.text
                err = resp.json()["error"]
                assert err["code"] == "database_unavailable" and err["type"] == "server_error"
                assert resp.headers["retry-after"].isdigit()

            pg.start()
            deadline = time.monotonic() + 30
            while True:  # the pool reconnects by itself
                resp = c.post("/v1/images/generations", json=body, headers=headers)
                if resp.status_code == 200 or time.monotonic() > deadline:
                    break
                time.sleep(0.5)
            assert resp.status_code == 200, resp.text
            after = c.get(f"/v1/admin/keys/{user['id']}", headers=admin).json()
            assert after["spent_usd"] == pytest.approx(2 * spent)  # the outage billed nothing
    finally:
        if server is not None:
            server.stop()
        pg.stop()
