"""The `ray` engine on one GPU: a random-weight SD-Turbo-shaped diffusers model on 1, 2 and 4 Serve
replicas sharing the GPU (fractional num_gpus), images/s at 8 and 16 concurrent requests.

    python benchmarks/gpu_cluster.py                     # cuda, bf16; about 5-7 minutes on one H100/H200
    python benchmarks/gpu_cluster.py --replicas 1,2 --concurrency 8 --seconds 8
    python benchmarks/gpu_cluster.py --dry-run           # tiny pipeline on the CPU, to check the script

Nothing is downloaded. A subprocess builds the SD-Turbo-shaped pipeline of
benchmarks/gpu_pipelines.py (865 M-parameter UNet, OpenCLIP-H text encoder, SD VAE; random
weights, the repository's tiny tokenizers) on the GPU, casts it to bf16 and saves it to a temporary
directory (about 2.6 GB), then exits, so this process holds no CUDA context. The script then starts a
private Ray cluster (`ray.init(address="local")`, 127.0.0.1, Serve's HTTP proxy disabled) and, for
each replica count R, deploys a Serve application of imagegate's `ray` engine whose replicas run the
diffusers engine with `path` = that directory, each with `num_gpus = 1/R`. Requests go through
`RayEngine.generate` from this process (the API server's own call; no HTTP in front): C concurrent
callers, each making requests one after another for `--seconds`, 512x512, 1 step (`quality = low`),
PNG, after a warm-up. Each replica's diffusers engine batches what reaches it (`--max-batch`).

Prints, per replica count: the time to deploy and load, images/s and p50 latency at each
concurrency, and the GPU memory each replica holds (nvidia-smi, per process; or, where the
container hides the pids, the device's memory in use over the baseline divided by R). Finally,
the same engine in this process (no cluster) at the same concurrencies, as the reference.
Random weights give noise (or NaN) images: run time does not depend on the weight values.
Fails at once, with a message, when there is no CUDA device (unless --dry-run), or when Ray Serve
or imagegate itself is not installed (the replicas find the engines through its entry points:
`pip install -e '.[cluster,diffusers]'`).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PROMPT = "a photo of a red cat on the sea"


def build(directory: str, tiny: bool) -> None:
    """(In a subprocess) build the SD-Turbo-shaped pipeline and save it to `directory`."""
    import warnings

    warnings.filterwarnings("ignore")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import torch
    from gpu_pipelines import build_sd_turbo

    device, dtype = (torch.device("cpu"), torch.float32) if tiny else (torch.device("cuda"), torch.bfloat16)
    t0 = time.perf_counter()
    pipe = build_sd_turbo(device, dtype, tiny, False)
    params = sum(p.numel() for c in pipe.components.values() if isinstance(c, torch.nn.Module) for p in c.parameters())
    built = time.perf_counter() - t0
    pipe.save_pretrained(directory, safe_serialization=True)
    print(f"built {params / 1e6:.0f} M parameters in {built:.1f} s, saved in {time.perf_counter() - t0 - built:.1f} s", flush=True)


def gpu_memory() -> tuple[dict[int, float], float | None]:
    """({pid: MiB} of compute processes, MiB in use on GPU 0) from nvidia-smi; empty/None without it."""
    if not shutil.which("nvidia-smi"):
        return {}, None
    per_pid: dict[int, float] = {}
    try:
        out = subprocess.run(["nvidia-smi", "--query-compute-apps=pid,used_memory", "--format=csv,noheader,nounits"],
                             capture_output=True, text=True, timeout=20).stdout
        for line in out.strip().splitlines():
            pid, mib = [x.strip() for x in line.split(",")]
            per_pid[int(pid)] = float(mib)
        total = subprocess.run(["nvidia-smi", "--query-gpu=memory.used", "--format=csv,noheader,nounits", "-i", "0"],
                               capture_output=True, text=True, timeout=20).stdout.strip()
        return per_pid, float(total)
    except (subprocess.SubprocessError, ValueError):
        return per_pid, None


def replica_pids(app: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if f"ServeReplica:{app}:" in (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return sorted(found)


async def drive(engine: Any, concurrency: int, seconds: float, size: int, seed0: int) -> tuple[float, float, int]:
    """images/s and p50 latency (ms) of `concurrency` callers for `seconds`, and the images made."""
    from imagegate.engines.base import EngineRequest

    def request(seed: int) -> EngineRequest:
        return EngineRequest(prompt=PROMPT, width=size, height=size, seed=seed, quality="low", steps=1, wire={"output_format": "png"})

    await asyncio.gather(*(engine.generate(request(seed0 + i)) for i in range(concurrency)))  # warm-up: every caller once
    latencies: list[float] = []
    t0 = time.perf_counter()
    end = t0 + seconds

    async def caller(c: int) -> None:
        i = 0
        while time.perf_counter() < end:
            s = time.perf_counter()
            await engine.generate(request(seed0 + 1000 * c + i))
            latencies.append(1000 * (time.perf_counter() - s))
            i += 1

    await asyncio.gather(*(caller(c) for c in range(concurrency)))
    wall = time.perf_counter() - t0
    return len(latencies) / wall, statistics.median(latencies) if latencies else float("nan"), len(latencies)


async def bench(args: argparse.Namespace, options: dict[str, Any], replica_counts: list[int], concurrencies: list[int],
                baseline: float | None, start: float, results: list[str]) -> None:
    """Every replica count, then the in-process reference, in one event loop (Serve's handles and
    the engines' batching keep per-loop state)."""
    from ray import serve

    from imagegate.engines.registry import create_engine

    for r in replica_counts:
        if time.perf_counter() - start > args.max_seconds:
            print(f"\n{r} replicas: skipped, {args.max_seconds:.0f} s used up")
            continue
        app = f"gpu-bench-{r}"
        cluster = {"app_name": app, "num_replicas": r, "max_models_per_replica": 1, "max_ongoing_requests": args.max_ongoing}
        cluster.update({"num_cpus": 0} if args.dry_run else {"num_gpus": round(1 / r, 4), "num_cpus": 1})
        engine = create_engine("ray", {"engine": "diffusers", "options": options, "model_id": f"sd-turbo-random-{r}", "cluster": cluster})
        t0 = time.perf_counter()
        await engine.load()
        # every replica loads the model: as many requests at once as it takes to reach them all
        await drive(engine, 2 * r * args.max_batch, 0.0, args.size, 0)
        loaded = time.perf_counter() - t0
        per_pid, total = await asyncio.to_thread(gpu_memory)
        pids = replica_pids(app)
        mem = [per_pid[p] for p in pids if p in per_pid]
        if mem:
            memory = f"GPU memory per replica {', '.join(f'{m / 1024:.2f}' for m in mem)} GiB (nvidia-smi, per process)"
        elif total is not None and baseline is not None:
            memory = (f"GPU memory per replica ~{(total - baseline) / r / 1024:.2f} GiB (device in use {total / 1024:.1f} GiB "
                      f"over a {baseline / 1024:.1f} GiB baseline, / {r})")
        else:
            memory = "GPU memory per replica: n/a (no nvidia-smi)"
        print(f"\n{r} replica(s), num_gpus {cluster.get('num_gpus', 0)} each: deployed, loaded and warm in {loaded:.1f} s; {memory}", flush=True)
        for c in concurrencies:
            rate, p50, n = await drive(engine, c, args.seconds, args.size, 10_000 * c)
            print(f"  {c:>3} concurrent: {rate:7.2f} img/s   p50 {p50:7.1f} ms   ({n} images)", flush=True)
            results.append(f"{r},{c},{rate:.3f},{p50:.1f}")
        await engine.close()
        await asyncio.to_thread(serve.delete, app)  # frees its GPU share before the next replica count
        await asyncio.sleep(2)
    if not args.no_in_process and time.perf_counter() - start <= args.max_seconds:
        engine = create_engine("diffusers", dict(options))
        await engine.load()
        print("\nin-process diffusers engine (no cluster), the reference:", flush=True)
        for c in concurrencies:
            rate, p50, n = await drive(engine, c, args.seconds, args.size, 10_000 * c)
            print(f"  {c:>3} concurrent: {rate:7.2f} img/s   p50 {p50:7.1f} ms   ({n} images)", flush=True)
            results.append(f"in-process,{c},{rate:.3f},{p50:.1f}")
        await engine.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", default="1,2,4", help="comma-separated replica counts (each gets num_gpus = 1/R)")
    parser.add_argument("--concurrency", default="8,16", help="comma-separated concurrent request counts")
    parser.add_argument("--seconds", type=float, default=12.0, help="length of each timed run")
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--max-batch", type=int, default=8, help="the diffusers engine's max_batch in each replica")
    parser.add_argument("--max-ongoing", type=int, default=16, help="max_ongoing_requests per replica")
    parser.add_argument("--no-in-process", action="store_true", help="skip the in-process reference at the end")
    parser.add_argument("--max-seconds", type=float, default=450, help="skip what is left after this long")
    parser.add_argument("--dry-run", action="store_true", help="tiny pipeline on the CPU, 64x64, replicas without GPUs")
    parser.add_argument("--build-to", help=argparse.SUPPRESS)  # the builder subprocess
    args = parser.parse_args()
    if args.build_to:
        build(args.build_to, args.dry_run)
        return

    start = time.perf_counter()
    import torch

    if not args.dry_run and not torch.cuda.is_available():
        raise SystemExit(f"gpu_cluster.py: no CUDA device (torch {torch.__version__}, cuda available: False); "
                         "this benchmark needs a GPU. Use --dry-run to check the script on the CPU.")
    sys.path.insert(0, str(ROOT / "src"))
    try:
        import ray
        from ray import serve
    except ImportError:
        raise SystemExit("gpu_cluster.py: Ray Serve is not installed: pip install 'imagegate[cluster,diffusers]'") from None
    from imagegate.engines.registry import available_engines

    missing = {"ray", "diffusers"} - set(available_engines())
    if missing:  # the replicas find engines through imagegate's entry points: it must be installed
        raise SystemExit(f"gpu_cluster.py: engines {sorted(missing)} are not registered (imagegate is not installed in this "
                         f"environment): pip install -e '{ROOT}[cluster,diffusers]'")
    # the cluster's workers inherit this process's environment: they import imagegate from this checkout too
    os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])])
    if args.dry_run:
        args.size = 64
    replica_counts = [int(x) for x in args.replicas.split(",") if x.strip()]
    concurrencies = [int(x) for x in args.concurrency.split(",") if x.strip()]
    os.environ["RAY_AUTH_MODE"] = "disabled"  # Ray 2.60 turns token auth on when a token file exists
    os.environ.setdefault("RAY_NODE_IP_ADDRESS", "127.0.0.1")

    gpu = "cpu (dry run, tiny pipeline)" if args.dry_run else torch.cuda.get_device_name(0)
    print(f"{gpu}; torch {torch.__version__}; {os.cpu_count()} cores; {args.size}x{args.size}, 1 step, PNG; "
          f"max_batch {args.max_batch}, max_ongoing_requests {args.max_ongoing} per replica", flush=True)
    workdir = Path(tempfile.mkdtemp(prefix="gpu_cluster-"))
    model_dir = workdir / "sd-turbo-random"
    cmd = [sys.executable, str(Path(__file__).resolve()), "--build-to", str(model_dir)] + (["--dry-run"] if args.dry_run else [])
    subprocess.run(cmd, check=True, timeout=300)
    _, baseline = gpu_memory()

    options: dict[str, Any] = {"path": str(model_dir), "max_batch": args.max_batch, "native_max": args.size,
                               "steps": {"low": 1, "medium": 1, "high": 1}}
    if args.dry_run:
        options.update(device="cpu", dtype="fp32", batch_window_ms=5)
    else:
        options.update(device="cuda", dtype="bf16")
    ray.init(address="local", num_cpus=os.cpu_count(), num_gpus=0 if args.dry_run else 1, include_dashboard=False,
             log_to_driver=False, _node_ip_address="127.0.0.1", logging_level="warning")
    results: list[str] = []
    try:
        serve.start(proxy_location="Disabled")
        print(f"cluster up at {time.perf_counter() - start:.0f} s", flush=True)
        asyncio.run(bench(args, options, replica_counts, concurrencies, baseline, start, results))
    finally:
        try:
            serve.shutdown()
        finally:
            ray.shutdown()
            shutil.rmtree(workdir, ignore_errors=True)
    print("\ncsv:\nreplicas,concurrency,img_s,p50_ms\n" + "\n".join(results))
    print(f"total {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
