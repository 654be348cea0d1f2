"""Serving a tiny diffusers pipeline on CPU to concurrent clients: imagegate's engine versus a
plain thread-pool server calling the same pipeline, in one run with interleaved rounds.

    python benchmarks/diffusers_serving.py [--kind sd|sdxl|flux] [--size 128] [--steps 2]
                                           [--clients 8] [--per-client 2] [--rounds 16]
                                           [--engine NAME:OPTION=VALUE,...]...

Each round, `--clients` clients each send `--per-client` single-image requests one after the
other (a closed loop), against:

(a) imagegate: `DiffusersEngine.from_pipeline(pipe)` with its default options, driven the way the
    server drives it (`await engine.generate(request)` on the event loop, a cancel token on every
    request);
(b) plain: what a FastAPI endpoint without imagegate does (`anyio.to_thread.run_sync`, FastAPI's
    thread pool), calling the same pipeline per request with one torch thread. Every request gets
    its own shallow copy with its own scheduler (the modules are shared): diffusers' server
    example does that with `from_pipe` (measured here: ~15 ms a request, so a cheaper copy is
    used), because calling one pipeline object from two threads at once corrupts the
    scheduler's state (IndexError in `step` within a few calls);
(c) with --engine, more engine rows with other options, e.g.
    `--engine "batched:max_batch=8,batch_window_ms=20,workers=1"` (GPU-style batching) or
    `--engine "2 threads:workers=1,cpu_threads=2"`.

The variants run in turn in every round, in a rotating order, so a busy machine hits them alike.
Prints images/s, p50/p95 latency (over all requests, and the median of the rounds' p95s, which
one burst of load from other processes moves less) and CPU time per image for each, and the
ratios of (a) to (b); asserts nothing. Target: imagegate's p95 <= 1.2x the plain server's. Run it without
OMP_NUM_THREADS in the environment to see the process default torch would use otherwise (the
engine sets its own worker threads; the plain server sets its pool threads to one).
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import statistics
import sys
import threading
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOKENIZERS = ROOT / "tests" / "fixtures" / "tokenizers"


class Plain:
    """The plain server's endpoint body: one pipeline call per request in the thread pool."""

    def __init__(self, pipe, size: int, steps: int) -> None:
        self.pipe, self.size, self.steps = pipe, size, steps
        self.local = threading.local()

    def one_thread(self) -> None:
        """One torch thread in this pool thread, as `torch.set_num_threads(1)` at start-up would
        give, without changing the process default the other variants see."""
        import torch

        if getattr(self.local, "ready", False):
            return
        default = torch.get_num_threads()  # adopt the process default first, then override it here
        torch.set_num_threads(1)
        helper = threading.Thread(target=torch.set_num_threads, args=(default,))
        helper.start()
        helper.join()
        self.local.ready = True

    def __call__(self, prompt: str, seed: int):
        import torch

        self.one_thread()
        pipe = copy.copy(self.pipe)  # the same modules, its own scheduler state
        pipe.scheduler = copy.deepcopy(self.pipe.scheduler)
        return pipe(
            prompt=[prompt], height=self.size, width=self.size, num_inference_steps=self.steps, guidance_scale=0.0,
            generator=[torch.Generator("cpu").manual_seed(seed)], output_type="pil",
        ).images


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


async def closed_loop(call, clients: int, per_client: int, seed0: int) -> tuple[float, list[float]]:
    """Every client sends `per_client` requests, one after the other; (seconds, latencies)."""
    latencies: list[float] = []

    async def client(c: int) -> None:
        for i in range(per_client):
            t0 = time.perf_counter()
            await call(f"a red cat number {c}", seed0 + c * per_client + i)
            latencies.append(time.perf_counter() - t0)

    t0 = time.perf_counter()
    await asyncio.gather(*(client(c) for c in range(clients)))
    return time.perf_counter() - t0, latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", default="sd", choices=["sd", "sdxl", "flux"])
    parser.add_argument("--size", type=int, default=128)
    parser.add_argument("--steps", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--per-client", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=16)
    parser.add_argument("--engine", action="append", default=[], metavar="NAME:OPTION=VALUE,...", help="another engine row")
    args = parser.parse_args()
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    sys.path.insert(0, str(ROOT / "src"))
    import anyio
    import diffusers
    import torch

    from imagegate.engines._tiny import build_tiny_pipeline
    from imagegate.engines.base import CancelToken, EngineRequest
    from imagegate.engines.diffusers import DiffusersEngine

    diffusers.utils.logging.set_verbosity_error()
    pipe = build_tiny_pipeline(args.kind, TOKENIZERS)
    pipe.set_progress_bar_config(disable=True)
    steps = {"low": args.steps, "medium": args.steps, "high": args.steps}
    base = {"steps": steps, "native_max": args.size}  # generate at --size, as the plain server does
    engines = {"imagegate": DiffusersEngine.from_pipeline(pipe, base)}
    for spec in args.engine:
        name, _, opts = spec.partition(":")
        options = {k.strip(): float(v) if "." in v else int(v) for k, v in (o.split("=") for o in opts.split(",") if o)}
        engines[f"imagegate, {name}"] = DiffusersEngine.from_pipeline(pipe, {**base, **options})
    plain = Plain(pipe, args.size, args.steps)

    def engine_call(engine):
        async def call(prompt: str, seed: int) -> None:
            request = EngineRequest(prompt=prompt, width=args.size, height=args.size, seed=seed, cancel=CancelToken())
            await engine.generate(request)

        return call

    async def plain_call(prompt: str, seed: int) -> None:
        await anyio.to_thread.run_sync(plain, prompt, seed)

    calls = {name: engine_call(engine) for name, engine in engines.items()}
    calls["plain thread pool"] = plain_call
    results: dict[str, dict[str, list[float]]] = {name: {"seconds": [], "latencies": [], "cpu": [], "round_p95": []} for name in calls}

    async def run() -> None:
        for engine in engines.values():
            await engine.load()
        for call in calls.values():  # warm up: first calls, every worker thread, the thread pool
            await closed_loop(call, args.clients, 1, 0)
        names = list(calls)
        for r in range(args.rounds):
            for name in names[r % len(names) :] + names[: r % len(names)]:
                c0 = time.process_time()
                seconds, latencies = await closed_loop(calls[name], args.clients, args.per_client, 1000 * (r + 1))
                results[name]["cpu"].append(time.process_time() - c0)
                results[name]["seconds"].append(seconds)
                results[name]["latencies"] += latencies
                results[name]["round_p95"].append(percentile(latencies, 0.95))
        for engine in engines.values():
            await engine.close()

    print(
        f"torch {torch.__version__}, diffusers {diffusers.__version__}, process default {torch.get_num_threads()} torch thread(s); "
        f"tiny {args.kind} {args.size}x{args.size}, {args.steps} steps; {args.clients} clients x {args.per_client} requests x {args.rounds} rounds"
    )
    t0 = time.perf_counter()
    asyncio.run(run())
    stats = engines["imagegate"].stats()
    print(
        f"imagegate engine settings: max_batch {stats.get('max_batch')}, window {stats.get('batch_window_ms')} ms, "
        f"workers {stats.get('workers')}, torch threads per worker {stats.get('cpu_threads')}; "
        f"batch sizes seen {sorted(set(stats['batch_sizes']))}"
    )
    summary = {}
    for name, data in results.items():
        images = len(data["latencies"])
        rate = images / sum(data["seconds"])
        p50, p95 = statistics.median(data["latencies"]), percentile(data["latencies"], 0.95)
        round_p95 = statistics.median(data["round_p95"])
        cpu_ms = 1000 * sum(data["cpu"]) / images
        summary[name] = (rate, p95, round_p95)
        print(
            f"  {name:24s} {rate:6.2f} images/s   p50 {p50 * 1000:6.0f} ms   p95 {p95 * 1000:6.0f} ms"
            f" (median of rounds {round_p95 * 1000:6.0f} ms)   CPU {cpu_ms:4.0f} ms/image"
        )
    rate, p95, round_p95 = summary["imagegate"]
    base_rate, base_p95, base_round_p95 = summary["plain thread pool"]
    print(
        f"imagegate / plain: throughput {rate / base_rate:.2f}x, p95 {p95 / base_p95:.2f}x "
        f"(median of rounds {round_p95 / base_round_p95:.2f}x; target: p95 <= 1.2x)"
    )
    print(f"({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
