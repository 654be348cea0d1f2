"""Built-in engine scaling: 4 concurrent clients against 1, and the watch prompt against its encode.

    OMP_NUM_THREADS=1 python benchmarks/builtin_scaling.py [--rounds 5] [--requests 6] [--watch-runs 5]

Drives the server's own path (plan + render + encode through `Pipeline.create_image`, moderation
off) in one process. Each round runs, back to back: one client making `requests` generations in
a row; four concurrent clients making `requests` each; the 1024x1024 watch prompt `watch-runs`
times, each finished image then encoded again on its own (and, where the `fpng` package is
installed, with fpng too: the encoder the server used before). Rounds interleave so that load from
elsewhere on the machine hits every figure alike. Prints figures and ratios; no pass/fail. On a
machine shared with other work, read the printed cores-busy figures: when the 4-client run keeps
well under 2 cores busy while the machine is loaded, it is bounded by the cores it got, not by the GIL.
The CPU ms per image (process CPU time over images) moves far less with outside load than the
rates do; the watch's server CPU time likewise.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

from imagegate.app import build_context, close_context
from imagegate.config import load_settings
from imagegate.pipeline.work import Call
from imagegate.render.encode import encode_image

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from seed_prompts import HEADSHOT, IPHONE, WATCH  # noqa: E402

from fast_path import tree_cpu  # noqa: E402  (benchmarks/ is the script's folder)

try:
    import fpng
except ImportError:  # pragma: no cover - the reference encode is optional
    fpng = None

PROMPTS = (WATCH, HEADSHOT, IPHONE)
SIZE = "1024x1024"


def body(prompt: str, seed: int) -> dict:
    return {"prompt": prompt, "size": SIZE, "response_format": "b64_json", "seed": seed}


async def clients(ctx, count: int, requests: int, seed0: int) -> tuple[float, float, float]:
    """Images per second for `count` concurrent clients making `requests` generations each, the
    cores the process kept busy meanwhile, and its CPU ms per image."""

    async def client(c: int) -> None:
        for i in range(requests):
            await ctx.pipeline.create_image(Call(), body(PROMPTS[(c + i) % len(PROMPTS)], seed0 + c * 1000 + i))

    cpu0, t0 = tree_cpu(os.getpid()), time.perf_counter()
    await asyncio.gather(*(client(c) for c in range(count)))
    cpu1, wall = tree_cpu(os.getpid()), time.perf_counter() - t0
    cpu = cpu1 - cpu0
    return count * requests / wall, cpu / wall, 1000 * cpu / (count * requests)


def encode_times(image: Image.Image, repeats: int = 3) -> tuple[float, float | None]:
    """Median ms of `encode_image(png)` and (when installed) of a bare fpng encode of `image`."""
    ours, ref = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        encode_image(image, "png")
        ours.append(time.perf_counter() - t0)
        if fpng is not None:
            t0 = time.perf_counter()
            fpng.from_pil(image)
            ref.append(time.perf_counter() - t0)
    return statistics.median(ours) * 1000, (statistics.median(ref) * 1000 if ref else None)


async def watch(ctx, runs: int, seed0: int) -> tuple[list[float], list[float], list[float], list[float]]:
    """Server ms (wall and process CPU) for the 1024x1024 watch prompt, and encode ms (ours, fpng)
    of each finished image."""
    server, cpu, ours, ref = [], [], [], []
    for i in range(runs):
        c0, t0 = time.process_time(), time.perf_counter()
        out = await ctx.pipeline.create_image(Call(), body(WATCH, seed0 + i))
        server.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        image = Image.open(io.BytesIO(base64.b64decode(out["data"][0]["b64_json"])))
        image.load()
        a, b = encode_times(image)
        ours.append(a)
        if b is not None:
            ref.append(b)
    return server, cpu, ours, ref


async def run(args: argparse.Namespace, data_dir: Path) -> None:
    ctx = build_context(load_settings(None, data_dir=data_dir, auth=False, moderation={"provider": "none"}))
    try:
        for prompt in PROMPTS:  # warm fonts, tokenizer, planner
            await ctx.pipeline.create_image(Call(), body(prompt, 0))
        for _ in range(3):  # and the render processes concurrent requests start
            await asyncio.gather(*(ctx.pipeline.create_image(Call(), body(prompt, 1)) for prompt in PROMPTS))
            await asyncio.sleep(1)
        one, four, busy1, busy4, cpu1, cpu4, server, server_cpu, ours, ref = [], [], [], [], [], [], [], [], [], []
        for r in range(args.rounds):
            rate, busy, cpu = await clients(ctx, 1, args.requests, 10_000 * r)
            one.append(rate)
            busy1.append(busy)
            cpu1.append(cpu)
            rate, busy, cpu = await clients(ctx, 4, args.requests, 10_000 * r + 5000)
            four.append(rate)
            busy4.append(busy)
            cpu4.append(cpu)
            s, c, o, f = await watch(ctx, args.watch_runs, 10_000 * r + 9000)
            server += s
            server_cpu += c
            ours += o
            ref += f
            print(f"round {r + 1}: 1 client {one[-1]:.2f} img/s, 4 clients {four[-1]:.2f} img/s ({four[-1] / one[-1]:.2f}x), "
                  f"watch median {statistics.median(s):.1f} ms", flush=True)
    finally:
        await close_context(ctx)
    m1, m4 = statistics.median(one), statistics.median(four)
    print()
    print(f"cores: {os.cpu_count()} (affinity {len(os.sched_getaffinity(0))}); cores the process and its render processes kept busy: "
          f"1 client {statistics.median(busy1):.2f}, 4 clients {statistics.median(busy4):.2f} (medians)")
    print(f"(a) {SIZE} b64_json, seed prompts in turn, {args.rounds} interleaved rounds x {args.requests} requests per client")
    print(f"    1 client : median {m1:.2f} img/s  (rounds: {', '.join(f'{v:.2f}' for v in one)})")
    print(f"    4 clients: median {m4:.2f} img/s  (rounds: {', '.join(f'{v:.2f}' for v in four)})")
    print(f"    4 clients / 1 client: {m4 / m1:.2f}x  (median of per-round ratios {statistics.median(b / a for a, b in zip(one, four)):.2f}x)")
    print(f"    CPU per image: 1 client {statistics.median(cpu1):.1f} ms, 4 clients {statistics.median(cpu4):.1f} ms (medians)")
    sm, om = statistics.median(server), statistics.median(ours)
    print(f"(b) watch prompt {SIZE} b64_json, {len(server)} runs")
    print(f"    server time median {sm:.1f} ms (min {min(server):.1f}; process CPU median {statistics.median(server_cpu):.1f} ms)")
    print(f"    encode_image(png) of the finished image: median {om:.1f} ms  -> server / encode = {sm / om:.2f}")
    if ref:
        rm = statistics.median(ref)
        print(f"    fpng.from_pil of the finished image:     median {rm:.1f} ms  -> server / fpng encode = {sm / rm:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=6, help="generations per client per round")
    parser.add_argument("--watch-runs", type=int, default=5, help="watch prompt runs per round")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run(args, Path(tmp)))


if __name__ == "__main__":
    main()
