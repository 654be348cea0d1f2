"""The HTTP path against its references, from one run with interleaved rounds (wrk for load).

    .venv/bin/python benchmarks/fast_path.py [--seconds 4] [--rounds 3]

Prints, each as a ratio against its reference in the same run:
  1. null engine requests/s at 1 / 8 / 32 clients (auth off, policy off) vs a bare FastAPI app
     (uvicorn, same loop and parser) that parses the same body and answers a small image;
  2. auth on (keys, holds, SQLite ledger) vs auth off at 8 clients, with p50 / p99;
  3. the default content policy on vs off: requests/s and server CPU ms per request;
  4. idle memory (RSS) and time from start to the first answered generation, default settings;
  5. built-in engine at 8 clients: `--workers 2` vs one worker.
Servers listen on 127.0.0.1 only; every load run is bounded in time.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

NULL_MODELS = '[models."gpt-image-2"]\nengine = "null"\nsizes = ["256x256"]\n'
POLICY_OFF = '[moderation]\nprovider = "none"\n'
BODY = '{"prompt": "a red apple on a wooden table", "size": "256x256", "response_format": "b64_json"}'
BUILTIN_BODY = '{"prompt": "a red apple on a wooden table", "size": "1024x1024", "quality": "low", "response_format": "b64_json"}'

BARE_APP = '''
import base64, io, json
from fastapi import FastAPI, Request
from fastapi.responses import Response
from PIL import Image
app = FastAPI()
buf = io.BytesIO(); Image.new("RGB", (256, 256), (128, 128, 128)).save(buf, "PNG")
PNG = base64.b64encode(buf.getvalue()).decode()
@app.post("/v1/images/generations")
async def generate(request: Request):
    body = json.loads(await request.body())
    return Response(json.dumps({"created": 0, "data": [{"b64_json": PNG}], "size": body.get("size")}), media_type="application/json")
@app.get("/health")
async def health():
    return {"status": "ok"}
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Proc:
    """A server process on 127.0.0.1 and its CPU time."""

    def __init__(self, cmd: list[str], port: int, env: dict[str, str] | None = None) -> None:
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.t0 = time.perf_counter()
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, **(env or {})})
        deadline = time.time() + 120
        while True:
            try:
                if httpx.get(f"{self.base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.time() > deadline or self.proc.poll() is not None:
                raise SystemExit(f"server did not start: {' '.join(cmd)}")
            time.sleep(0.05)

    def cpu_seconds(self) -> float:
        """User + system CPU of the process and its children (workers)."""
        return tree_cpu(self.proc.pid)

    def rss_mb(self) -> float:
        total = 0
        for pid in [self.proc.pid, *_children(self.proc.pid)]:
            try:
                total += int(re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{pid}/status").read_text()).group(1))
            except (FileNotFoundError, AttributeError):
                continue
        return total / 1024

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def proc_cpu(pid: int) -> float:
    """User + system CPU seconds of one process (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (FileNotFoundError, IndexError, ProcessLookupError):
        return 0.0


def tree_cpu(pid: int) -> float:
    """User + system CPU seconds of `pid` and every process under it."""
    return sum(proc_cpu(p) for p in [pid, *_children(pid)])


def _children(pid: int) -> list[int]:
    """Child processes of `pid`, started from any of its threads (uvicorn's workers, the
    built-in engine's render processes) and theirs in turn."""
    out = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except FileNotFoundError:
        return []
    for task in tasks:
        try:
            out += [int(p) for p in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return out + [grandchild for child in out for grandchild in _children(child)]


def imagegate(root: Path, name: str, config: str, *extra: str, env: dict[str, str] | None = None) -> Proc:
    folder = root / name
    folder.mkdir()
    (folder / "config.toml").write_text(config)
    port = free_port()
    cmd = [sys.executable, "-m", "imagegate", "serve", "--port", str(port), "--data-dir", str(folder / "data"), "--config", str(folder / "config.toml"), *extra]
    return Proc(cmd, port, {"IMAGEGATE_LOG_LEVEL": "warning", **(env or {})})


def wrk(base: str, body: str, clients: int, seconds: float, key: str | None = None) -> dict[str, float]:
    """requests/s, p50 and p99 (ms) of POST /v1/images/generations."""
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    headers = 'wrk.headers["Content-Type"] = "application/json"\n'
    if key:
        headers += f'wrk.headers["Authorization"] = "Bearer {key}"\n'
    script.write_text(f"wrk.method = \"POST\"\nwrk.body = [[{body}]]\n{headers}")
    out = subprocess.run(["wrk", "-t", str(min(clients, 2)), "-c", str(clients), "-d", f"{max(1, round(seconds))}s", "--latency", "-s", str(script), f"{base}/v1/images/generations"],
                         capture_output=True, text=True, timeout=seconds + 60).stdout
    script.unlink()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    if re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        raise SystemExit(f"errors under load at {base}:\n{out}")

    def pct(p: str) -> float:
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    return {"rps": rps, "p50": pct("50"), "p99": pct("99")}


def median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def admin_key(server: Proc, root: Path, name: str) -> str:
    admin = (root / name / "data" / "initial-api-key.txt").read_text().strip()
    made = httpx.post(f"{server.base}/v1/admin/keys", json={"name": "bench"}, headers={"Authorization": f"Bearer {admin}"}).json()
    return made["secret"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", default="1,2,3,4,5", help="comma-separated sections to run, e.g. 1,4")
    args = parser.parse_args()
    only = {int(x) for x in args.only.split(",")}
    root = Path(tempfile.mkdtemp())
    bare_file = root / "bare_app.py"
    bare_file.write_text(BARE_APP)
    port = free_port()
    servers: list[Proc] = []
    try:
        s = args.seconds
        if only & {1, 2, 3}:
            bare = Proc([sys.executable, "-m", "uvicorn", "bare_app:app", "--port", str(port), "--log-level", "warning", "--app-dir", str(root)], port)
            null = imagegate(root, "null", NULL_MODELS + POLICY_OFF, "--no-auth")
            auth = imagegate(root, "auth", NULL_MODELS + POLICY_OFF)
            policy = imagegate(root, "policy", NULL_MODELS, "--no-auth")
            servers += [bare, null, auth, policy]
            key = admin_key(auth, root, "auth")

        if 1 in only:
            print("1. null engine vs a bare FastAPI app (requests/s; auth off, policy off)")
        for clients in (1, 8, 32) if 1 in only else ():
            ours, ref = [], []
            for _ in range(args.rounds):
                ref.append(wrk(bare.base, BODY, clients, s))
                ours.append(wrk(null.base, BODY, clients, s))
            print(f"   {clients:2d} clients: imagegate {median(ours, 'rps'):7.0f}  bare {median(ref, 'rps'):7.0f}  ratio {median(ours, 'rps') / median(ref, 'rps'):.2f}  (target >= 0.15)")

        on, off = [], []
        for _ in range(args.rounds if 2 in only else 0):
            off.append(wrk(null.base, BODY, 8, s))
            on.append(wrk(auth.base, BODY, 8, s, key))
        if 2 in only:
            print("2. auth on (keys, holds, SQLite ledger) vs off, 8 clients")
            print(f"   on {median(on, 'rps'):.0f} req/s (p50 {median(on, 'p50'):.1f} ms, p99 {median(on, 'p99'):.1f} ms)  off {median(off, 'rps'):.0f} req/s"
                  f"  ratio {median(on, 'rps') / median(off, 'rps'):.2f} (target >= 0.75)  p99/p50 {median(on, 'p99') / median(on, 'p50'):.1f} (target <= 3)")

        on, off, cpu_on, cpu_off = [], [], [], []
        for _ in range(args.rounds if 3 in only else 0):
            for server, runs, cpu in ((null, off, cpu_off), (policy, on, cpu_on)):
                c0 = server.cpu_seconds()
                run = wrk(server.base, BODY, 8, s)
                runs.append(run)
                cpu.append((server.cpu_seconds() - c0) * 1000 / (run["rps"] * s))
        if 3 in only:
            print("3. default content policy on vs off, 8 clients")
            print(f"   on {median(on, 'rps'):.0f} req/s, {statistics.median(cpu_on):.2f} ms CPU/request  off {median(off, 'rps'):.0f} req/s,"
                  f" {statistics.median(cpu_off):.2f} ms CPU/request  ratio {median(on, 'rps') / median(off, 'rps'):.2f}"
                  f"  extra CPU {statistics.median(cpu_on) - statistics.median(cpu_off):.2f} ms/request (target <= 3)")
        for server in servers:
            server.stop()
        servers.clear()

        starts, rss = [], []
        for i in range(2 if 4 in only else 0):
            folder = root / f"default{i}"
            folder.mkdir()
            port = free_port()
            t0 = time.perf_counter()
            server = Proc([sys.executable, "-m", "imagegate", "serve", "--no-auth", "--port", str(port), "--data-dir", str(folder / "data")], port)
            httpx.post(f"{server.base}/v1/images/generations", json={"prompt": "a red apple", "size": "1024x1024", "quality": "low"}, timeout=60).raise_for_status()
            starts.append(time.perf_counter() - t0)
            time.sleep(2)
            rss.append(server.rss_mb())
            server.stop()
        if 4 in only:
            print("4. default settings (built-in engine, content policy on)")
            print(f"   start to first answered generation {statistics.median(starts):.2f} s (target <= 2.5)  idle memory {statistics.median(rss):.0f} MB (target <= 350)")

        if 5 not in only:
            return
        one = imagegate(root, "one", POLICY_OFF, "--no-auth")
        two = imagegate(root, "two", POLICY_OFF, "--no-auth", "--workers", "2")
        servers += [one, two]
        a, b = [], []
        for _ in range(args.rounds):
            a.append(wrk(one.base, BUILTIN_BODY, 8, s))
            b.append(wrk(two.base, BUILTIN_BODY, 8, s))
        print("5. built-in engine, 1024x1024 low, 8 clients")
        print(f"   2 workers {median(b, 'rps'):.1f} req/s  1 worker {median(a, 'rps'):.1f} req/s  ratio {median(b, 'rps') / median(a, 'rps'):.2f} (target >= 1.7)")
    finally:
        for server in servers:
            server.stop()


if __name__ == "__main__":
    main()
