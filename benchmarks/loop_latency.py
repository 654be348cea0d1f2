"""Latency of small requests while hostile 32k-character prompts are being processed.

Starts `imagegate serve` (null engine, auth off, the default content policy) on 127.0.0.1 and
measures `GET /health` and a small generation, first on an idle server, then while clients keep
sending adversarial 32k-character prompts (long letter runs, `'a ` repeated, spaced letters ...)
to the generations endpoint. Prints medians and p95s and the loaded/idle ratio from one run.

    .venv/bin/python benchmarks/loop_latency.py [--seconds 10] [--attackers 2]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

HOSTILE = ["a" * 32000, "'a " * 10600, "a " * 16000, "k.i.l.l." * 4000, "«" * 16000 + "»" * 16000, "the " * 8000]
MODELS = '[models.quick]\nengine = "null"\nsizes = ["256x256"]\n'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sample(base: str, seconds: float) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"health": [], "generate": []}
    body = {"model": "quick", "prompt": "a red apple", "size": "256x256", "response_format": "b64_json"}
    end = time.perf_counter() + seconds
    with httpx.Client(timeout=60) as client:
        while time.perf_counter() < end:
            t = time.perf_counter()
            client.get(f"{base}/health")
            out["health"].append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            client.post(f"{base}/v1/images/generations", json=body)
            out["generate"].append((time.perf_counter() - t) * 1000)
    return out


def attack(base: str, stop: threading.Event, sent: list[int]) -> None:
    with httpx.Client(timeout=120) as client:
        i = 0
        while not stop.is_set():
            client.post(f"{base}/v1/images/generations", json={"model": "quick", "prompt": HOSTILE[i % len(HOSTILE)], "size": "256x256"})
            sent.append(1)
            i += 1


def p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--attackers", type=int, default=2)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp())
    (root / "models.toml").write_text(MODELS)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "imagegate", "serve", "--no-auth", "--port", str(port), "--data-dir", str(root / "data"),
                             "--config", str(root / "models.toml")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 120
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.time() > deadline or proc.poll() is not None:
                raise SystemExit("server did not start")
            time.sleep(0.2)
        sample(base, 2)  # warm-up
        idle = sample(base, args.seconds)
        stop, sent = threading.Event(), []
        threads = [threading.Thread(target=attack, args=(base, stop, sent)) for _ in range(args.attackers)]
        for t in threads:
            t.start()
        time.sleep(1)
        loaded = sample(base, args.seconds)
        stop.set()
        for t in threads:
            t.join()
    finally:
        proc.terminate()
        proc.wait(10)
    print(f"hostile 32k prompts processed during the loaded phase: {len(sent)} ({args.attackers} clients)")
    for name in ("health", "generate"):
        a, b = idle[name], loaded[name]
        print(f"{name:9s} idle p50 {statistics.median(a):7.2f} ms  p95 {p95(a):7.2f} ms | under attack p50 {statistics.median(b):7.2f} ms"
              f"  p95 {p95(b):7.2f} ms | p50 ratio {statistics.median(b) / statistics.median(a):5.2f}")


if __name__ == "__main__":
    main()
