"""The request pipeline end to end, on a live server in this process (so the engine's step
counters can be read): streaming order, cancellation everywhere, admission before work, the
bounded job queue, holds, and the upload pixel budget. A slow null engine makes order and
cancellation observable without timing anything."""

from __future__ import annotations

import io
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest
import uvicorn
from PIL import Image

from imagegate.app import build_app
from imagegate.config import load_settings
from imagegate.policy.moderation import AllowAllModerator

pytestmark = pytest.mark.e2e

MODELS = """
[models.slow]
engine = "null"
sizes = ["256x256"]
[models.slow.options]
delay = 1.5
steps = 30
[models.crawl]
engine = "null"
sizes = ["256x256"]
[models.crawl.options]
delay = 20.0
steps = 200
[models.quick]
engine = "null"
sizes = ["256x256"]
"""


class LiveServer:
    """uvicorn serving `build_app` in a thread of this process, on 127.0.0.1."""

    def __init__(self, root: Path, **settings) -> None:
        cfg = root / "models.toml"
        cfg.write_text(MODELS)
        self.app = build_app(load_settings(cfg, data_dir=root / "data", **settings))
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.time() + 90
        while not self.server.started:
            assert time.time() < deadline and self.thread.is_alive(), "server did not start"
            time.sleep(0.05)
        key_file = root / "data" / "initial-api-key.txt"
        self.admin_key = key_file.read_text().strip() if key_file.exists() else "x"

    @property
    def ctx(self):
        return self.app.state.ctx

    def engine(self, model: str):
        return self.ctx.engines[model]

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(15)

    def key(self, **limits) -> tuple[int, str]:
        made = httpx.post(f"{self.base}/v1/admin/keys", json={"name": "t", **limits}, headers=self.auth()).json()
        return made["id"], made["secret"]

    def auth(self, secret: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {secret or self.admin_key}"}

    def reserved(self, key_id: int) -> float:
        return httpx.get(f"{self.base}/v1/admin/keys/{key_id}", headers=self.auth()).json()["reserved_usd"]


@pytest.fixture(scope="module")
def live(tmp_path_factory) -> Iterator[LiveServer]:
    srv = LiveServer(tmp_path_factory.mktemp("live"), stream_keepalive_seconds=0.2, jobs_concurrency=1, moderation={"provider": "none"})
    yield srv
    srv.stop()


def wait_until(check, timeout: float = 20.0, what: str = "condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def sse_events(response: httpx.Response) -> Iterator[tuple[str, dict | None]]:
    """("comment", None) for keep-alives, (type, data) for events, as they arrive."""
    for line in response.iter_lines():
        if line.startswith(":"):
            yield "comment", None
        elif line.startswith("data: "):
            data = json.loads(line[6:])
            yield data["type"], data


# -- streaming ---------------------------------------------------------------------------------
def test_partials_stream_while_the_engine_runs_and_usage_adds_up(live):
    engine = live.engine("slow")
    key_id, secret = live.key()
    body = {"model": "slow", "prompt": "a cat", "size": "256x256", "n": 2, "stream": True, "partial_images": 3}
    seen, steps_at_first_partial = [], None
    with httpx.stream("POST", f"{live.base}/v1/images/generations", json=body, headers=live.auth(secret), timeout=60) as response:
        assert response.headers["x-accel-buffering"] == "no" and response.headers["cache-control"] == "no-cache"
        start_steps = engine.steps_run
        for kind, data in sse_events(response):
            if kind == "comment":
                continue
            if kind.endswith("partial_image") and steps_at_first_partial is None:
                steps_at_first_partial = engine.steps_run - start_steps
            seen.append((kind, data))
    assert steps_at_first_partial is not None and steps_at_first_partial < 2 * 30 / 2  # long before the render ended
    kinds = [(k, d.get("image_index"), d.get("partial_image_index")) for k, d in seen]
    partial = "image_generation.partial_image"
    assert kinds == [(partial, 0, 0), (partial, 0, 1), (partial, 0, 2), (partial, 1, 0), (partial, 1, 1), (partial, 1, 2),
                     ("image_generation.completed", 0, None), ("image_generation.completed", 1, None)]
    totals = [d["usage"]["total_tokens"] for k, d in seen if k.endswith("completed")]
    entry = [e for e in live.ctx.accounts.ledger.entries(key_pk=key_id)]
    assert len(entry) == 1 and sum(totals) == entry[0].text_tokens + entry[0].output_tokens
    assert entry[0].output_tokens == 2 * 66 + 6 * 100  # two medium 256² images plus six partial images
    assert live.reserved(key_id) == 0


def test_keep_alive_comments_while_there_is_nothing_to_send(live):
    body = {"model": "slow", "prompt": "a cat", "size": "256x256", "stream": True}
    with httpx.stream("POST", f"{live.base}/v1/images/generations", json=body, headers=live.auth(), timeout=60) as response:
        kinds = [kind for kind, _ in sse_events(response)]
    assert "comment" in kinds and kinds[-1] == "image_generation.completed"


# -- cancellation ------------------------------------------------------------------------------
def test_a_disconnected_stream_stops_the_engine_and_releases_the_hold(live):
    engine = live.engine("crawl")
    key_id, secret = live.key(budget_usd=5)
    body = {"model": "crawl", "prompt": "a cat", "size": "256x256", "stream": True, "partial_images": 3}
    with httpx.stream("POST", f"{live.base}/v1/images/generations", json=body, headers=live.auth(secret), timeout=60) as response:
        for kind, _ in sse_events(response):
            if kind == "comment":
                assert live.reserved(key_id) > 0  # held while it runs
                break  # the client goes away mid-render (closing the line iterator closes the connection)
    wait_until(lambda: engine.running == 0, what="the engine to stop")
    stopped_at = engine.steps_run
    time.sleep(0.3)
    assert engine.steps_run == stopped_at and stopped_at < 200
    wait_until(lambda: live.reserved(key_id) == 0, what="the hold to be released")
    assert live.ctx.accounts.ledger.entries(key_pk=key_id) == []


def test_delete_answers_at_once_and_stops_the_job(live):
    engine = live.engine("crawl")
    key_id, secret = live.key(budget_usd=5)
    headers = {**live.auth(secret), "Prefer": "respond-async"}
    job = httpx.post(f"{live.base}/v1/images/generations", json={"model": "crawl", "prompt": "a cat", "size": "256x256"}, headers=headers).json()
    wait_until(lambda: engine.running == 1, what="the job to start")
    deleted = httpx.delete(f"{live.base}/v1/images/jobs/{job['id']}", headers=live.auth(secret), timeout=5)
    assert deleted.json()["status"] == "cancelled"
    wait_until(lambda: engine.running == 0, what="the engine to stop")
    assert engine.steps_run < 10_000
    wait_until(lambda: live.reserved(key_id) == 0, what="the hold to be released")
    assert httpx.get(f"{live.base}/v1/images/jobs/{job['id']}", headers=live.auth(secret)).json()["status"] == "cancelled"


def test_revoking_a_key_stops_its_running_request(live):
    engine = live.engine("crawl")
    key_id, secret = live.key()
    outcome = {}

    def call():
        outcome["response"] = httpx.post(f"{live.base}/v1/images/generations", json={"model": "crawl", "prompt": "a cat", "size": "256x256"},
                                         headers=live.auth(secret), timeout=60)

    thread = threading.Thread(target=call)
    thread.start()
    wait_until(lambda: engine.running == 1, what="the request to start")
    httpx.delete(f"{live.base}/v1/admin/keys/{key_id}", headers=live.auth())
    thread.join(20)
    assert outcome["response"].status_code == 401
    assert outcome["response"].json()["error"]["code"] == "invalid_api_key"
    wait_until(lambda: engine.running == 0, what="the engine to stop")


# -- admission before work ---------------------------------------------------------------------
class CountingModerator(AllowAllModerator):
    def __init__(self) -> None:
        self.calls = 0

    async def check_text(self, text, level="auto"):
        self.calls += 1
        return await super().check_text(text, level)


def test_limited_and_broke_keys_get_429_on_every_entry_point_before_any_work(live, monkeypatch):
    counting = CountingModerator()
    monkeypatch.setattr(live.ctx.pipeline, "moderator", counting)
    _, broke = live.key(budget_usd=0)
    body = {"model": "quick", "prompt": "a cat", "size": "256x256"}
    png = io.BytesIO()
    Image.new("RGB", (64, 64)).save(png, "PNG")
    broken = png.getvalue()[:-40]  # a valid header, unreadable pixels: decoding would fail with a 400
    calls = [
        lambda h: httpx.post(f"{live.base}/v1/images/generations", json=body, headers=h),
        lambda h: httpx.post(f"{live.base}/v1/images/generations", json=body, headers={**h, "Prefer": "respond-async"}),
        lambda h: httpx.post(f"{live.base}/v1/images/generations", json={**body, "stream": True}, headers=h),
        lambda h: httpx.post(f"{live.base}/v1/images/edits", data={"prompt": "x", "model": "quick", "size": "256x256"}, files={"image": ("a.png", broken, "image/png")}, headers=h),
        lambda h: httpx.post(f"{live.base}/v1/images/edits", data={"prompt": "x", "model": "quick"}, files={"image": ("a.png", broken, "image/png")}, headers={**h, "Prefer": "respond-async"}),
        lambda h: httpx.post(f"{live.base}/v1/images/variations", data={"model": "quick"}, files={"image": ("a.png", broken, "image/png")}, headers=h),
    ]
    for call in calls:
        response = call(live.auth(broke))
        assert response.status_code == 429, response.text
        assert response.json()["error"]["code"] == "insufficient_quota"
    _, limited = live.key(rpm=2)
    for _ in range(2):
        assert httpx.post(f"{live.base}/v1/images/estimate", json=body, headers=live.auth(limited)).status_code == 200
    for call in calls:
        response = call(live.auth(limited))
        assert response.status_code == 429 and response.json()["error"]["code"] == "rate_limit_exceeded"
        assert int(response.headers["retry-after"]) >= 1
    assert httpx.post(f"{live.base}/v1/images/estimate", json=body, headers=live.auth(limited)).status_code == 429
    assert counting.calls == 0  # the content policy never ran for a refused request
    assert not any((live.ctx.settings.data_dir / "jobs").glob("job_*"))  # and no job was stored


# -- jobs --------------------------------------------------------------------------------------
def test_jobs_run_one_at_a_time_and_polls_return_the_asked_shape(live):
    engine = live.engine("slow")
    engine.peak_running = 0
    headers = {**live.auth(), "Prefer": "respond-async"}
    ids = [httpx.post(f"{live.base}/v1/images/generations", json={"model": "slow", "prompt": f"cat {i}", "size": "256x256", "response_format": "url"},
                      headers=headers).json()["id"] for i in range(3)]
    jobs = [wait_until(lambda j=j: (r := httpx.get(f"{live.base}/v1/images/jobs/{j}", headers=live.auth()).json())["status"] == "succeeded" and r,
                       timeout=60, what="jobs to finish") for j in ids]
    assert engine.peak_running == 1  # jobs_concurrency = 1
    for job in jobs:
        item = job["result"]["data"][0]
        assert "b64_json" not in item and item["url"].startswith(live.base)
        assert Image.open(io.BytesIO(httpx.get(item["url"]).content)).size == (256, 256)
    with live.ctx.jobs.sessions() as s:
        from imagegate.db.tables import Job

        stored = s.get(Job, ids[0]).result_json
    assert len(stored) < 2000 and "b64_json" not in stored  # a reference to a file, not a blob


def test_finished_jobs_are_deleted_after_the_retention(live, monkeypatch):
    headers = {**live.auth(), "Prefer": "respond-async"}
    png = io.BytesIO()
    Image.new("RGB", (256, 256), "red").save(png, "PNG")
    job = httpx.post(f"{live.base}/v1/images/edits", data={"prompt": "x", "model": "quick"}, files={"image": ("a.png", png.getvalue(), "image/png")}, headers=headers).json()
    done = wait_until(lambda: (r := httpx.get(f"{live.base}/v1/images/jobs/{job['id']}", headers=live.auth()).json())["status"] == "succeeded" and r, what="the job")
    jobs_dir = live.ctx.settings.data_dir / "jobs"
    assert not (jobs_dir / job["id"]).exists()  # inputs deleted once finished
    monkeypatch.setattr(live.ctx.jobs, "retention_seconds", -1)
    assert live.ctx.jobs.sweep() >= 1
    assert httpx.get(f"{live.base}/v1/images/jobs/{job['id']}", headers=live.auth()).status_code == 404
    name = done["result"]["data"][0]["url"].split("/")[-1].split("?")[0]
    assert live.ctx.job_store.get(name) is None  # its result file went with it


# -- uploads -----------------------------------------------------------------------------------
def test_the_pixel_budget_is_checked_from_headers_before_decoding(live, monkeypatch):
    monkeypatch.setattr(live.ctx.settings, "max_upload_pixels", 100_000)
    before = Image.MAX_IMAGE_PIXELS
    png = io.BytesIO()
    Image.new("RGB", (256, 256)).save(png, "PNG")
    files = [("image[]", (f"{i}.png", png.getvalue(), "image/png")) for i in range(2)]
    with openai.OpenAI(api_key=live.admin_key, base_url=f"{live.base}/v1", max_retries=0) as oai:
        with pytest.raises(openai.BadRequestError) as info:
            oai.images.edit(image=[f[1] for f in files], prompt="x", model="quick")
    assert info.value.code == "image_too_large" and "pixels" in info.value.message
    assert Image.MAX_IMAGE_PIXELS == before  # Pillow's global setting is left alone
