"""Stateless API replicas end to end: two `imagegate serve` processes on one PostgreSQL, one
Redis and one data directory (what docs/cluster/README.md deploys across machines).

An async job submitted to A is running when A is killed with SIGKILL; B takes the job over once
A's claim lapses (`hold_lease_seconds`), runs it again from what was stored at submit, and the
key is charged exactly once, with no budget hold left behind. The official SDK gets images
through both processes.

A is left unreaped (a zombie: its pid still answers `kill(pid, 0)`) until B has the job, so B
cannot use the same-host shortcut (a claimer whose pid is gone is taken over at once) and must
wait for the lease to lapse, as a process on another machine would.

The same scenario runs twice: with the (null) engines in the API processes, and with them on a
Ray cluster the test starts (`ray start --head` on 127.0.0.1, its own temp dir, stopped by pid),
both API processes connecting to it through `[cluster] address`.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import Server, free_port
from redis_helpers import RedisServer

pytest.importorskip("redis")
openai = pytest.importorskip("openai")

LEASE = 3  # hold_lease_seconds: job claims and budget holds lapse after this without renewal
SLOW = {"delay": 6, "steps": 12}  # the null engine: 6 s an image, in 12 steps


def _config(database_url: str, redis_url: str) -> str:
    return (
        f'database_url = "{database_url}"\nredis_url = "{redis_url}"\nhold_lease_seconds = {LEASE}\n'
        '[moderation]\nprovider = "none"\n'
        '[models."gpt-image-2"]\nengine = "null"\nsizes = ["256x256"]\n'
        f'[models."gpt-image-2".options]\ndelay = {SLOW["delay"]}\nsteps = {SLOW["steps"]}\n'
        '[models.quick]\nengine = "null"\nsizes = ["256x256"]\n'
    )


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    srv = RedisServer()
    yield srv
    srv.stop()


def _wait_for(client: httpx.Client, url: str, headers: dict[str, str], done, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    last: dict = {}
    while time.monotonic() < deadline:
        try:
            r = client.get(url, headers=headers)
        except httpx.TransportError:
            time.sleep(0.2)
            continue
        assert r.status_code == 200, r.text
        last = r.json()
        if done(last):
            return last
        time.sleep(0.2)
    raise AssertionError(f"gave up after {timeout} s; last answer: {json.dumps(last)[:500]}")


def _sdk_image(base: str, key: str, out: dict[str, bytes], name: str, model: str = "quick", timeout: float = 30) -> None:
    client = openai.OpenAI(base_url=f"{base}/v1", api_key=key, max_retries=0, timeout=timeout)
    response = client.images.generate(model=model, prompt="a lighthouse at dusk", size="256x256", response_format="b64_json")
    out[name] = base64.b64decode(response.data[0].b64_json)


def _takeover(c: httpx.Client, a: Server, b: Server, sdk_models: tuple[str, ...] = ("quick",), job_timeout: float = 30) -> None:
    """The SDK through A and B; then a job submitted to A, A killed, B finishing it, charged once."""
    admin = {"Authorization": f"Bearer {a.api_key}"}
    for model in sdk_models:  # the official SDK through each process
        images: dict[str, bytes] = {}
        threads = [threading.Thread(target=_sdk_image, args=(srv.base, a.api_key, images, name, model)) for name, srv in (("a", a), ("b", b))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(90)
        assert set(images) == {"a", "b"}, (model, images.keys())
        assert all(png.startswith(b"\x89PNG") for png in images.values())

    made = c.post(f"{a.base}/v1/admin/keys", json={"name": "job-user", "budget_usd": 10}, headers=admin)
    assert made.status_code == 200, made.text
    user = made.json()
    usr = {"Authorization": f"Bearer {user['secret']}"}

    submitted = c.post(f"{a.base}/v1/images/generations", headers={**usr, "Prefer": "respond-async"},
                       json={"prompt": "a red apple on a table", "size": "256x256", "quality": "low", "response_format": "b64_json"})
    assert submitted.status_code == 202, submitted.text
    job_id = submitted.json()["id"]
    job_url = f"/v1/images/jobs/{job_id}"
    _wait_for(c, a.base + job_url, usr, lambda j: j["status"] == "running" and j["progress"] > 0, 30)
    holds = c.get(f"{b.base}/v1/admin/holds", headers=admin).json()["data"]
    assert [h["owner"] for h in holds] == [job_id], holds  # the job's budget hold, visible through B

    a.proc.kill()  # SIGKILL: no shutdown, the claim and the hold stay behind in PostgreSQL
    killed = time.monotonic()
    done = _wait_for(c, b.base + job_url, usr, lambda j: j["status"] not in ("queued", "running"), job_timeout)
    took = time.monotonic() - killed
    assert done["status"] == "succeeded", done
    assert took >= SLOW["delay"], took  # B ran it again from the start
    image = base64.b64decode(done["result"]["data"][0]["b64_json"])
    assert image.startswith(b"\x89PNG")
    a.proc.wait(5)

    # charged exactly once: one ledger request, spend = one image's price, no hold left
    usage = c.get(f"{b.base}/v1/organization/usage/images", params={"api_key_ids": str(user["id"])}, headers=admin)
    assert usage.status_code == 200, usage.text
    rows = [r for bucket in usage.json()["data"] for r in bucket["results"]]
    assert sum(r["num_model_requests"] for r in rows) == 1, rows
    assert sum(r["images"] for r in rows) == 1, rows
    wire = done["result"]["usage"]
    price = (wire["input_tokens_details"]["text_tokens"] * 5.0 + wire["output_tokens"] * 30.0) / 1e6  # gpt-image-2's prices
    me = c.get(f"{b.base}/v1/me", headers=usr).json()["key"]
    assert me["spent_usd"] > 0 and me["spent_usd"] == pytest.approx(price, abs=2e-6), (me, wire)
    assert me["reserved_usd"] == 0
    assert c.get(f"{b.base}/v1/admin/holds", headers=admin).json()["data"] == []


def _stop_all(servers: list[Server]) -> None:
    for srv in servers:
        if srv.proc.poll() is None:
            srv.stop()
        else:
            srv.log.close()


@pytest.mark.e2e
def test_a_killed_replica_job_is_finished_by_another_and_charged_once(tmp_path, postgres, redis_server):
    config = tmp_path / "config.toml"
    config.write_text(_config(postgres.url("replicas_e2e"), redis_server.url))
    data = tmp_path / "data"  # one data dir: job inputs and results, images, the signing secret
    servers: list[Server] = []
    try:
        servers.append(Server(data, ["--config", str(config)]))
        servers.append(Server(data, ["--config", str(config)]))
        with httpx.Client(timeout=30) as c:
            _takeover(c, *servers)
    finally:
        _stop_all(servers)


# -- the same with the engines on a Ray cluster ---------------------------------------------------

class RayHead:
    """`ray start --head` on 127.0.0.1 with its own temp dir (auth disabled: a test cluster).
    `stop()` ends this cluster's processes by pid (never `ray stop`, which ends every Ray
    process on the machine)."""

    def __init__(self, num_cpus: int = 2) -> None:
        ray_bin = shutil.which("ray", path=str(Path(sys.executable).parent)) or shutil.which("ray")
        if ray_bin is None:
            pytest.skip("the ray command is not installed")
        self.tmp = tempfile.mkdtemp(prefix="igray-")  # short: Ray's socket paths must fit 107 bytes
        self.port = free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.env = {**os.environ, "RAY_AUTH_MODE": "disabled", "RAY_USAGE_STATS_ENABLED": "0", "RAY_NODE_IP_ADDRESS": "127.0.0.1"}
        started = subprocess.run(
            [ray_bin, "start", "--head", "--node-ip-address=127.0.0.1", f"--port={self.port}", f"--num-cpus={num_cpus}", "--num-gpus=0",
             "--include-dashboard=false", "--disable-usage-stats", f"--temp-dir={self.tmp}", f"--ray-client-server-port={free_port()}"],
            env=self.env, capture_output=True, text=True, timeout=120,
        )
        if started.returncode != 0:
            self.stop()
            raise RuntimeError(f"ray start failed: {started.stdout[-2000:]} {started.stderr[-2000:]}")

    def _pids(self) -> list[int]:
        import psutil

        roots = []
        for proc in psutil.process_iter(["pid", "cmdline"]):
            cmd = " ".join(proc.info["cmdline"] or ())
            if f"{self.tmp}/" in cmd or ("ray.util.client.server" in cmd and f":{self.port} " in f"{cmd} "):
                roots.append(proc)
        found = set()
        for proc in roots:
            found.add(proc.pid)
            try:
                found.update(child.pid for child in proc.children(recursive=True))
            except psutil.NoSuchProcess:
                pass
        return sorted(found)

    def stop(self) -> None:
        import psutil

        procs = []
        for pid in self._pids():
            try:
                proc = psutil.Process(pid)
                proc.terminate()
                procs.append(proc)
            except psutil.NoSuchProcess:
                pass
        _, alive = psutil.wait_procs(procs, timeout=5)
        for proc in alive:
            try:
                proc.kill()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(alive, timeout=5)
        shutil.rmtree(self.tmp, ignore_errors=True)


RAY_CLUSTER = {"app_name": "imagegate-e2e", "num_replicas": 2, "num_cpus": 0, "max_models_per_replica": 2}


def _ray_config(database_url: str, redis_url: str, address: str) -> str:
    cluster = "\n".join(f"{k} = {json.dumps(v)}" for k, v in RAY_CLUSTER.items())
    return (
        f'database_url = "{database_url}"\nredis_url = "{redis_url}"\nhold_lease_seconds = {LEASE}\n'
        '[moderation]\nprovider = "none"\n'
        f'[cluster]\naddress = "{address}"\n{cluster}\n'
        '[models."gpt-image-2"]\nengine = "ray"\nsizes = ["256x256"]\n'
        f'[models."gpt-image-2".options]\nengine = "null"\nmodel_id = "slow"\noptions = {{ delay = {SLOW["delay"]}, steps = {SLOW["steps"]} }}\n'
        '[models.quick]\nengine = "ray"\nsizes = ["256x256"]\n'
        '[models.quick.options]\nengine = "null"\nmodel_id = "quick"\n'
    )


@pytest.mark.e2e
def test_replicas_on_a_ray_cluster_take_over_a_killed_replicas_job(tmp_path, postgres, redis_server):
    """Both API processes are drivers of one Ray cluster (`[cluster] address`); the engines run
    in its Serve replicas. A deploys the application on its first request, B finds it running."""
    pytest.importorskip("ray.serve")
    head = RayHead()
    config = tmp_path / "config.toml"
    config.write_text(_ray_config(postgres.url("replicas_ray_e2e"), redis_server.url, head.address))
    data = tmp_path / "data"
    servers: list[Server] = []
    try:
        servers.append(Server(data, ["--config", str(config)], env={"RAY_AUTH_MODE": "disabled"}))
        servers.append(Server(data, ["--config", str(config)], env={"RAY_AUTH_MODE": "disabled"}))
        a, b = servers
        with httpx.Client(timeout=120) as c:
            # A deploys the Serve application (a cold start), then B connects to it
            images: dict[str, bytes] = {}
            _sdk_image(a.base, a.api_key, images, "a", "quick", timeout=120)
            _takeover(c, a, b, sdk_models=("quick",), job_timeout=45)
    finally:
        _stop_all(servers)
        head.stop()
