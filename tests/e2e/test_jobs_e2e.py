"""Async jobs: 202 + polling, cancel with the reservation released, restart mid-job."""

from __future__ import annotations

import base64
import io
import json
import signal
import threading
import time

import httpx
import pytest
from conftest import Server
from PIL import Image

pytestmark = pytest.mark.e2e

SLOW = '[models.slow]\nengine = "null"\nsizes = ["256x256"]\n[models.slow.options]\ndelay = 3.0\n[models.quick]\nengine = "null"\nsizes = ["256x256"]\n'


@pytest.fixture(scope="module")
def job_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("jobs")
    cfg = root / "models.toml"
    cfg.write_text(SLOW)
    srv = Server(root / "data", extra_args=["--config", str(cfg)])
    yield srv
    srv.stop()


def headers(server, key=None, async_=True):
    h = {"Authorization": f"Bearer {key or server.api_key}"}
    if async_:
        h["Prefer"] = "respond-async"
    return h


def wait_for(server, job_id, statuses=("succeeded", "failed", "cancelled"), timeout=30.0, key=None):
    deadline = time.time() + timeout
    while time.time() < deadline:
        job = httpx.get(f"{server.base}/v1/images/jobs/{job_id}", headers=headers(server, key, False)).json()
        if job["status"] in statuses:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} stuck: {job}")


def test_submit_and_poll_generation(job_server):
    resp = httpx.post(f"{job_server.base}/v1/images/generations", json={"model": "quick", "prompt": "a cat", "size": "256x256", "n": 2}, headers=headers(job_server))
    assert resp.status_code == 202
    job = resp.json()
    assert job["object"] == "image.job" and job["status"] in ("queued", "running", "succeeded")
    assert resp.headers["location"].endswith(f"/v1/images/jobs/{job['id']}")
    done = wait_for(job_server, job["id"])
    assert done["status"] == "succeeded" and done["progress"] == 1.0
    result = done["result"]
    assert len(result["data"]) == 2 and result["size"] == "256x256"
    assert Image.open(io.BytesIO(base64.b64decode(result["data"][0]["b64_json"]))).size == (256, 256)


def test_bad_request_fails_at_submit(job_server):
    resp = httpx.post(f"{job_server.base}/v1/images/generations", json={"model": "quick", "prompt": "a cat", "size": "999x1"}, headers=headers(job_server))
    assert resp.status_code == 400 and resp.json()["error"]["param"] == "size"


def test_edit_job(job_server):
    buf = io.BytesIO()
    Image.new("RGB", (256, 256), (9, 9, 9)).save(buf, "PNG")
    resp = httpx.post(
        f"{job_server.base}/v1/images/edits", headers=headers(job_server),
        data={"model": "gpt-image-2", "prompt": "add a sun", "size": "256x256", "quality": "low"},
        files={"image": ("a.png", buf.getvalue(), "image/png")},
    )
    assert resp.status_code == 202
    done = wait_for(job_server, resp.json()["id"])
    assert done["status"] == "succeeded" and done["result"]["usage"]["input_tokens_details"]["image_tokens"] > 0


def test_cancel_releases_the_reservation(job_server):
    made = httpx.post(f"{job_server.base}/v1/admin/keys", json={"name": "jobber", "budget_usd": 5}, headers=headers(job_server, async_=False)).json()
    resp = httpx.post(f"{job_server.base}/v1/images/generations", json={"model": "slow", "prompt": "a cat", "size": "256x256"}, headers=headers(job_server, made["secret"]))
    job_id = resp.json()["id"]
    wait_for(job_server, job_id, statuses=("running",), key=made["secret"])
    time.sleep(0.3)
    key = httpx.get(f"{job_server.base}/v1/admin/keys/{made['id']}", headers=headers(job_server, async_=False)).json()
    assert key["reserved_usd"] > 0
    cancelled = httpx.delete(f"{job_server.base}/v1/images/jobs/{job_id}", headers=headers(job_server, made["secret"], False)).json()
    assert cancelled["status"] == "cancelled"
    key = httpx.get(f"{job_server.base}/v1/admin/keys/{made['id']}", headers=headers(job_server, async_=False)).json()
    assert key["reserved_usd"] == 0 and key["spent_usd"] == 0
    other = httpx.post(f"{job_server.base}/v1/admin/keys", json={"name": "other"}, headers=headers(job_server, async_=False)).json()
    assert httpx.get(f"{job_server.base}/v1/images/jobs/{job_id}", headers=headers(job_server, other["secret"], False)).status_code == 404


def test_restart_in_the_middle_of_a_job(tmp_path):
    cfg = tmp_path / "models.toml"
    cfg.write_text(SLOW)
    data = tmp_path / "data"
    srv = Server(data, extra_args=["--config", str(cfg)])
    try:
        resp = httpx.post(f"{srv.base}/v1/images/generations", json={"model": "slow", "prompt": "a cat", "size": "256x256"}, headers=headers(srv))
        job_id = resp.json()["id"]
        wait_for(srv, job_id, statuses=("running",))
        srv.proc.send_signal(signal.SIGKILL)  # a crash, not a clean shutdown
        srv.proc.wait(10)
    finally:
        srv.stop()
    again = Server(data, extra_args=["--config", str(cfg)])
    try:
        done = wait_for(again, job_id)
        assert done["status"] == "succeeded"
        usage = httpx.get(f"{again.base}/v1/organization/usage/images", headers=headers(again, async_=False)).json()
        assert sum(r["num_model_requests"] for b in usage["data"] for r in b["results"]) == 1
        assert json.dumps(done["result"]).count("b64_json") == 1
    finally:
        again.stop()


def test_unknown_job_is_404(job_server):
    assert httpx.get(f"{job_server.base}/v1/images/jobs/job_nope", headers=headers(job_server, async_=False)).status_code == 404


def test_client_disconnect_cancels_work_and_releases_reservation(job_server):
    made = httpx.post(f"{job_server.base}/v1/admin/keys", json={"name": "impatient", "budget_usd": 5}, headers=headers(job_server, async_=False)).json()
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(f"{job_server.base}/v1/images/generations", json={"model": "slow", "prompt": "a cat", "size": "256x256"},
                   headers=headers(job_server, made["secret"], False), timeout=httpx.Timeout(5, read=0.8))
    deadline = time.time() + 5
    while time.time() < deadline:
        key = httpx.get(f"{job_server.base}/v1/admin/keys/{made['id']}", headers=headers(job_server, async_=False)).json()
        if key["reserved_usd"] == 0:
            break
        time.sleep(0.1)
    assert key["reserved_usd"] == 0 and key["spent_usd"] == 0  # released at once, not after the 3 s of work


def test_holds_of_a_killed_server_are_released_after_their_lease(tmp_path):
    cfg = tmp_path / "models.toml"
    cfg.write_text(SLOW)
    data = tmp_path / "data"
    env = {"IMAGEGATE_HOLD_LEASE_SECONDS": "2"}
    srv = Server(data, extra_args=["--config", str(cfg)], env=env)
    admin = headers(srv, async_=False)
    try:
        made = httpx.post(f"{srv.base}/v1/admin/keys", json={"name": "crash", "budget_usd": 1}, headers=admin).json()
        body = {"model": "slow", "prompt": "a cat", "size": "256x256"}
        def in_flight() -> None:
            try:
                httpx.post(f"{srv.base}/v1/images/generations", json=body, headers=headers(srv, made["secret"], False), timeout=30)
            except httpx.HTTPError:
                pass  # the server dies under it

        for _ in range(3):  # requests in flight when the server dies
            threading.Thread(target=in_flight, daemon=True).start()
        deadline = time.time() + 10
        while httpx.get(f"{srv.base}/v1/admin/holds", headers=admin).json()["data"].__len__() < 3:
            assert time.time() < deadline
            time.sleep(0.05)
        srv.proc.send_signal(signal.SIGKILL)
        srv.proc.wait(10)
    finally:
        srv.stop()
    again = Server(data, extra_args=["--config", str(cfg)], env=env)
    try:
        admin = headers(again, async_=False)
        deadline = time.time() + 10
        while (key := httpx.get(f"{again.base}/v1/admin/keys/{made['id']}", headers=admin).json())["reserved_usd"] != 0:
            assert time.time() < deadline, key
            time.sleep(0.1)
        assert key["spent_usd"] == 0 and httpx.get(f"{again.base}/v1/admin/holds", headers=admin).json()["data"] == []
        assert httpx.post(f"{again.base}/v1/images/generations", json={"model": "quick", "prompt": "a cat", "size": "256x256"},
                          headers=headers(again, made["secret"], False)).status_code == 200  # the whole budget is usable again
    finally:
        again.stop()
