"""`imagegate serve --workers N`: several processes on a fresh data directory start cleanly,
share the port, the database and one first admin key, and all answer."""

from __future__ import annotations

import httpx
import pytest
from conftest import Server

pytestmark = pytest.mark.e2e


def test_two_workers_on_a_fresh_data_directory(tmp_path):
    cfg = tmp_path / "models.toml"
    cfg.write_text('[models.quick]\nengine = "null"\nsizes = ["256x256"]\n[moderation]\nprovider = "none"\n')
    srv = Server(tmp_path / "data", extra_args=["--config", str(cfg), "--workers", "2"])
    try:
        auth = {"Authorization": f"Bearer {srv.api_key}"}
        with httpx.Client(base_url=srv.base, headers=auth, timeout=30) as client:
            for i in range(16):  # new connections: spread over the workers
                with httpx.Client(base_url=srv.base, headers=auth, timeout=30) as fresh:
                    response = fresh.post("/v1/images/generations", json={"model": "quick", "prompt": f"cat {i}", "size": "256x256", "response_format": "url"})
                    assert response.status_code == 200, response.text
                    assert fresh.get(response.json()["data"][0]["url"]).status_code == 200  # any worker verifies any worker's signature
            keys = client.get("/v1/admin/keys").json()["data"]
        assert [k["name"] for k in keys] == ["initial"]  # one first key, though two processes started
        log = (tmp_path / f"server-{srv.port}.log").read_text()
        assert srv.api_key not in log  # output to a file is not a terminal: the secret stays in its 0600 file
        assert log.count("initial-api-key.txt") == 1  # said where it is, once
        assert "Traceback" not in log
    finally:
        srv.stop()
