"""A real server under concurrent load hands renders to its render processes, and clients cannot
tell: the same request gives the same bytes wherever it was drawn, streamed or not, in any format."""

from __future__ import annotations

import base64
import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import openai
import pytest
from conftest import Server
from fast_path import _children, proc_cpu

pytestmark = pytest.mark.e2e

CONFIG = """
[models."gpt-image-2".options]
render_processes = 1
"""


def render_processes(pid: int) -> list[int]:
    """Child processes of `pid` (from any of its threads) running the render worker."""
    out = []
    for child in _children(pid):
        try:
            if b"imagegate.render.pool" in Path(f"/proc/{child}/cmdline").read_bytes():
                out.append(child)
        except FileNotFoundError:
            continue
    return out


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("render-processes")
    (root / "config.toml").write_text(CONFIG)
    srv = Server(root / "data", ["--no-auth", "--config", str(root / "config.toml")])
    yield srv
    srv.stop()


@pytest.fixture
def oai(server):
    with openai.OpenAI(api_key="unused", base_url=f"{server.base}/v1", max_retries=0) as c:
        yield c


def generate(oai, **kw) -> bytes:
    body = {"prompt": 'a lighthouse on a rocky coast at dusk, a sign that reads "HARBOUR"', "size": "1024x1024", "quality": "low", **kw}
    if body.get("stream"):
        events = list(oai.images.generate(**body))
        assert events[-1].type == "image_generation.completed"
        assert sum(e.type == "image_generation.partial_image" for e in events) == body.get("partial_images", 0)
        return base64.b64decode(events[-1].b64_json)
    return base64.b64decode(oai.images.generate(**body).data[0].b64_json)


def burst(oai, calls: list[dict]) -> list[bytes]:
    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(lambda kw: generate(oai, **kw), calls))


def render_health(server) -> dict:
    return httpx.get(f"{server.base}/health").json()["models"]["gpt-image-2"]["render_processes"]


def test_concurrent_requests_use_a_render_process_and_get_the_same_bytes(oai, server):
    assert render_health(server) == {"limit": 1, "running": 0}  # none until there is concurrency
    alone = generate(oai, extra_body={"seed": 21})
    deadline = time.monotonic() + 60
    while not render_processes(server.proc.pid):  # the first bursts start it
        assert time.monotonic() < deadline, "no render process started"
        burst(oai, [{"extra_body": {"seed": 21}}] * 3)
        time.sleep(0.3)
    workers = render_processes(server.proc.pid)
    assert render_health(server) == {"limit": 1, "running": 1}
    before = sum(proc_cpu(pid) for pid in workers)
    together = burst(oai, [{"extra_body": {"seed": 21}}] * 4)
    assert all(data == alone for data in together)  # drawn here or there: byte for byte the same PNG
    assert sum(proc_cpu(pid) for pid in workers) > before  # and some were drawn there
    mixed = burst(oai, [{"extra_body": {"seed": 21}, "output_format": "jpeg", "output_compression": 50},
                        {"extra_body": {"seed": 21}, "stream": True, "partial_images": 2},
                        {"extra_body": {"seed": 21}, "output_format": "webp"},
                        {"extra_body": {"seed": 21}, "stream": True, "partial_images": 1, "output_format": "jpeg"}])
    assert mixed[0].startswith(b"\xff\xd8") and mixed[3].startswith(b"\xff\xd8")
    assert mixed[1] == alone and mixed[2][8:12] == b"WEBP"


def test_a_killed_render_process_costs_no_answer(oai, server):
    for pid in render_processes(server.proc.pid):
        os.kill(pid, signal.SIGKILL)
    results = burst(oai, [{"extra_body": {"seed": s}} for s in range(4)])
    assert len({len(r) for r in results}) >= 2 and all(r.startswith(b"\x89PNG") for r in results)
    deadline = time.monotonic() + 60
    while not render_processes(server.proc.pid):  # started again on the next concurrent need
        assert time.monotonic() < deadline, "no render process started again"
        burst(oai, [{"extra_body": {"seed": 1}}] * 3)
        time.sleep(0.3)
