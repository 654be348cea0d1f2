"""Cross-request batching and engine overhead of the diffusers engine, on a tiny CPU pipeline.

    python benchmarks/diffusers_batching.py [--kind sd|sdxl|flux] [--size 64] [--steps 2]
                                            [--requests 8] [--rounds 5] [--threads 1]

1. Throughput of `--requests` concurrent single-image requests, batched (max_batch = requests,
   20 ms window) versus one pipeline call at a time (max_batch = 1). Target: >= 1.5x.
2. Overhead of the engine (and of the whole image service: plan, engine, PNG encode, metering)
   over calling the pipeline directly, one image at a time. Target: <= 5 % for the engine.
   Reported with a 0 ms window (the engine's own cost) and the default 20 ms window (what a
   request that finds nobody to batch with pays in latency).

Prints figures; asserts nothing. (Serving many clients at once, and the CPU defaults, are
measured by benchmarks/diffusers_serving.py.) The tiny pipeline is random and CPU-bound, so the batching gain
here comes from amortising per-call work (text encoding, Python, small kernels); GPU gains
differ (see benchmarks/gpu_pipelines.py).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOKENIZERS = ROOT / "tests" / "fixtures" / "tokenizers"


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


async def burst(engine, requests: int, size: int, seed0: int):
    from imagegate.engines.base import EngineRequest

    reqs = [EngineRequest(prompt=f"a red cat number {i}", width=size, height=size, seed=seed0 + i) for i in range(requests)]
    t0 = time.perf_counter()
    await asyncio.gather(*(engine.generate(r) for r in reqs))
    return time.perf_counter() - t0


def throughput(path: Path, args) -> tuple[float, float]:
    from imagegate.engines.diffusers import DiffusersEngine

    steps = {"low": args.steps, "medium": args.steps, "high": args.steps}
    common = {"path": str(path), "steps": steps, "workers": 1, "cpu_threads": args.threads}  # one call at a time
    batched = DiffusersEngine({**common, "max_batch": args.requests, "batch_window_ms": 20})
    single = DiffusersEngine({**common, "max_batch": 1, "batch_window_ms": 0})
    times: dict[str, list[float]] = {"batched": [], "single": []}

    async def run() -> None:
        for engine in (batched, single):  # load + warm up both
            await burst(engine, args.requests, args.size, 0)
        for r in range(args.rounds):  # interleave so machine load hits both alike
            times["batched"].append(await burst(batched, args.requests, args.size, 100 * r))
            times["single"].append(await burst(single, args.requests, args.size, 100 * r))
        await batched.close()
        await single.close()

    asyncio.run(run())
    calls = batched.stats()["batch_sizes"][-1]
    rate_b = args.requests / statistics.median(times["batched"])
    rate_s = args.requests / statistics.median(times["single"])
    print(f"{args.requests} concurrent requests, {args.size}x{args.size}, {args.steps} steps ({args.kind}):")
    print(f"  batched (one call of {calls} images): {median_ms(times['batched']):8.1f} ms per burst, {rate_b:6.1f} images/s")
    print(f"  one call per request:               {median_ms(times['single']):8.1f} ms per burst, {rate_s:6.1f} images/s")
    print(f"  batching throughput ratio: {rate_b / rate_s:.2f}x (target >= 1.5x)")
    return rate_b, rate_s


def overhead(path: Path, args) -> None:
    import torch
    from diffusers import DiffusionPipeline

    from imagegate.engines.base import EngineRequest
    from imagegate.engines.diffusers import DiffusersEngine

    pipe = DiffusionPipeline.from_pretrained(str(path), local_files_only=True)
    pipe.set_progress_bar_config(disable=True)
    steps = {"low": args.steps, "medium": args.steps, "high": args.steps}
    engines = {
        "engine, 0 ms window": DiffusersEngine({"path": str(path), "steps": steps, "batch_window_ms": 0, "cpu_threads": args.threads}),
        "engine, 20 ms window": DiffusersEngine({"path": str(path), "steps": steps, "batch_window_ms": 20, "cpu_threads": args.threads}),
    }
    n = args.rounds * 4

    def direct(seed: int) -> None:
        pipe(
            prompt=["a red cat"], height=args.size, width=args.size, num_inference_steps=args.steps, guidance_scale=0.0,
            generator=[torch.Generator("cpu").manual_seed(seed)], output_type="pil",
        )

    samples: dict[str, list[float]] = {"pipeline directly": [], **{k: [] for k in engines}}
    service = service_runner(path, args)
    if service is not None:
        samples["image service (PNG, b64)"] = []

    async def run() -> None:
        for engine in engines.values():
            await engine.load()
            await engine.generate(EngineRequest(prompt="warm", width=args.size, height=args.size))
        direct(0)
        if service is not None:
            await service(0)
            await asyncio.sleep(0.5)
        for i in range(n):
            t0 = time.perf_counter()
            direct(i)
            samples["pipeline directly"].append(time.perf_counter() - t0)
            for name, engine in engines.items():
                t0 = time.perf_counter()
                await engine.generate(EngineRequest(prompt="a red cat", width=args.size, height=args.size, seed=i))
                samples[name].append(time.perf_counter() - t0)
        # the service runs after the others, not interleaved: what it runs besides the engine
        # (moderation classifiers with their own thread pools) can leave threads busy for a
        # while and would slow whatever is measured next
        for i in range(n if service is not None else 0):
            t0 = time.perf_counter()
            await service(i)
            samples["image service (PNG, b64)"].append(time.perf_counter() - t0)
        for engine in engines.values():
            await engine.close()

    asyncio.run(run())
    base = statistics.median(samples["pipeline directly"])
    print(f"one image at a time, {args.size}x{args.size}, {args.steps} steps, median of {n}:")
    for name, values in samples.items():
        value = statistics.median(values)
        extra = "" if name == "pipeline directly" else f"  overhead {100 * (value - base) / base:+6.1f} %"
        print(f"  {name:26s} {value * 1000:8.2f} ms{extra}")
    print("  (target: engine overhead <= 5 % with the 0 ms window)")


def service_runner(path: Path, args):
    """The whole image service (no HTTP): plan, engine, PNG encode, metering; None if unavailable."""
    try:
        from imagegate.app import build_context
        from imagegate.config import load_settings
        from imagegate.pipeline.work import Call
    except ImportError as exc:  # the service is being changed under us; skip that row
        print(f"  (image service row skipped: {exc})")
        return None
    data = Path(tempfile.mkdtemp(prefix="imagegate-bench-"))
    size = f"{args.size}x{args.size}"
    models = {
        "gpt-image-1-mini": {
            "engine": "diffusers", "sizes": [size], "default_size": size,
            "options": {"path": str(path), "batch_window_ms": 0, "steps": {"low": args.steps, "medium": args.steps, "high": args.steps}},
        }
    }
    ctx = build_context(load_settings(None, data_dir=data, auth=False, models=models))

    async def run(seed: int) -> None:
        body = {"model": "gpt-image-1-mini", "prompt": "a red cat", "size": size, "response_format": "b64_json", "seed": seed}
        await ctx.pipeline.create_image(Call(), body)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", default="sd", choices=["sd", "sdxl", "flux"])
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--steps", type=int, default=2)
    parser.add_argument("--requests", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    sys.path.insert(0, str(ROOT / "src"))
    import torch

    from imagegate.engines._tiny import save_tiny_pipeline

    torch.set_num_threads(args.threads)
    with tempfile.TemporaryDirectory() as tmp:
        path = save_tiny_pipeline(args.kind, TOKENIZERS, Path(tmp) / args.kind)
        print(f"torch {torch.__version__}, {args.threads} thread(s)")
        throughput(path, args)
        overhead(path, args)


if __name__ == "__main__":
    main()
