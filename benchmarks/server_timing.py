"""Server-side generation time (built-in engine) and HTTP requests/s (null engine).

    python benchmarks/server_timing.py [--runs 7] [--requests 400]

Prints one figure per line; nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from imagegate.app import build_context
from imagegate.config import load_settings
from imagegate.pipeline.work import Call


async def service_times(runs: int, size: str, data_dir: Path, moderation: bool = True) -> list[float]:
    ctx = build_context(load_settings(None, data_dir=data_dir, auth=False, moderation=None if moderation else {"provider": "none"}))
    await ctx.pipeline.moderator.warm_up()
    body = {"prompt": "A product advertisement for a luxury watch, dark marble, 'Precision. Perfected.'", "size": size, "response_format": "b64_json", "seed": 1}
    await ctx.pipeline.create_image(Call(), body)  # warm-up: fonts, tokenizer
    times = []
    for i in range(runs):
        t0 = time.perf_counter()
        await ctx.pipeline.create_image(Call(), {**body, "seed": i})
        times.append((time.perf_counter() - t0) * 1000)
    return times


def http_rps(requests: int, concurrency: int, data_dir: Path) -> float:
    cfg = data_dir / "null.toml"
    cfg.write_text('[moderation]\nprovider = "none"\n[models."gpt-image-2"]\nengine = "null"\n')
    port = 18000 + os.getpid() % 1000
    proc = subprocess.Popen(
        [sys.executable, "-m", "imagegate", "serve", "--port", str(port), "--data-dir", str(data_dir), "--config", str(cfg), "--no-auth"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "IMAGEGATE_LOG_LEVEL": "warning"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(f"{base}/health")
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        body = {"prompt": "a cat", "size": "256x256", "response_format": "b64_json"}

        async def drive() -> float:
            async with httpx.AsyncClient(base_url=base, timeout=30) as client:
                sem = asyncio.Semaphore(concurrency)

                async def one() -> None:
                    async with sem:
                        r = await client.post("/v1/images/generations", json=body)
                        r.raise_for_status()

                await asyncio.gather(*(one() for _ in range(20)))  # warm-up
                t0 = time.perf_counter()
                await asyncio.gather(*(one() for _ in range(requests)))
                return requests / (time.perf_counter() - t0)

        return asyncio.run(drive())
    finally:
        proc.terminate()
        proc.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for size in ("1024x1024", "2048x2048"):
            for moderation in (False, True):
                times = asyncio.run(service_times(args.runs, size, Path(tmp), moderation))
                label = "with prompt moderation" if moderation else "moderation off"
                print(f"server-side generate {size} png (builtin, {label}): median {statistics.median(times):.1f} ms, min {min(times):.1f} ms over {args.runs} runs")
        rps = http_rps(args.requests, args.concurrency, Path(tmp))
        print(f"HTTP layer, null engine, 256x256 b64_json, {args.concurrency} concurrent: {rps:.0f} requests/s over {args.requests} requests")


if __name__ == "__main__":
    main()
