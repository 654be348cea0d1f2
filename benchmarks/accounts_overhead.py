"""Requests/s through auth + rate limits + budget + ledger (null engine), as a ratio to auth off.

    python benchmarks/accounts_overhead.py [--requests 400] [--concurrency 8]

Runs three servers one after another: auth off (SQLite), auth on (SQLite), auth on
(PostgreSQL, a temporary cluster started with tests/pg.py). Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from pg import PostgresServer  # noqa: E402

BODY = {"prompt": "a cat", "size": "256x256", "response_format": "b64_json"}


def start(data_dir: Path, port: int, auth: bool, db_url: str | None) -> subprocess.Popen:
    cfg = data_dir / "null.toml"
    data_dir.mkdir(parents=True, exist_ok=True)
    cfg.write_text('[moderation]\nprovider = "none"\n[models."gpt-image-2"]\nengine = "null"\n')
    cmd = [sys.executable, "-m", "imagegate", "serve", "--port", str(port), "--data-dir", str(data_dir), "--config", str(cfg)]
    env = {**os.environ, "IMAGEGATE_LOG_LEVEL": "warning"}
    if not auth:
        cmd.append("--no-auth")
    if db_url:
        env["IMAGEGATE_DATABASE_URL"] = db_url
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    for _ in range(200):
        try:
            httpx.get(f"http://127.0.0.1:{port}/health")
            return proc
        except httpx.HTTPError:
            time.sleep(0.05)
    raise RuntimeError("server did not start")


def limited_key(base: str, admin: str) -> str:
    body = {"name": "bench", "budget_usd": 1000.0, "rpm": 1_000_000, "ipm": 1_000_000, "tpm": 100_000_000}
    resp = httpx.post(f"{base}/v1/admin/keys", json=body, headers={"Authorization": f"Bearer {admin}"})
    resp.raise_for_status()
    return resp.json()["secret"]


async def rps(base: str, key: str, requests: int, concurrency: int) -> float:
    async with httpx.AsyncClient(base_url=base, timeout=60, headers={"Authorization": f"Bearer {key}"}) as client:
        sem = asyncio.Semaphore(concurrency)

        async def one() -> None:
            async with sem:
                (await client.post("/v1/images/generations", json=BODY)).raise_for_status()

        await asyncio.gather(*(one() for _ in range(30)))
        t0 = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(requests)))
        return requests / (time.perf_counter() - t0)


def measure(root: Path, name: str, auth: bool, db_url: str | None, args) -> float:
    port = 19000 + os.getpid() % 500 + len(name)
    proc = start(root / name, port, auth, db_url)
    try:
        base = f"http://127.0.0.1:{port}"
        key = limited_key(base, (root / name / "initial-api-key.txt").read_text().strip()) if auth else "none"
        return asyncio.run(rps(base, key, args.requests, args.concurrency))
    finally:
        proc.terminate()
        proc.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        base = measure(root, "off", False, None, args)
        print(f"auth off (SQLite ledger):        {base:7.0f} requests/s")
        on_sqlite = measure(root, "sqlite", True, None, args)
        print(f"auth + limits + budget, SQLite:  {on_sqlite:7.0f} requests/s  ratio {on_sqlite / base:.2f}")
        pg = PostgresServer(Path(tempfile.mkdtemp(prefix="imagegate-pg-")))
        try:
            on_pg = measure(root, "postgres", True, pg.url("bench"), args)
        finally:
            pg.stop()
        print(f"auth + limits + budget, Postgres: {on_pg:7.0f} requests/s  ratio {on_pg / base:.2f}")


if __name__ == "__main__":
    main()
