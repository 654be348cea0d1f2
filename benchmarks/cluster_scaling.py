"""The `ray` engine on a local Ray cluster: built-in engine on 2 replicas vs 1, and the cluster
path's per-request overhead against the in-process engine. One run, interleaved rounds, medians.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/cluster_scaling.py [--rounds 3] [--seconds 5] [--requests 60] [--pin]

The script starts a private Ray cluster in its own process (`ray.init(address="local")`, loopback
only, Serve's HTTP proxy disabled) and one real `imagegate serve` (auth off, content policy off)
that joins it as a Ray driver. The server has these models:

    builtin-one   engine "ray", inner builtin, Serve app `bench-one` with 1 replica (num_cpus = 1)
    builtin-two   engine "ray", inner builtin, Serve app `bench-two` with 2 replicas (num_cpus = 1 each)
    builtin       the built-in engine in the API process (a reference)
    null-ray      engine "ray", inner null, on `bench-one` (multiplexed beside builtin-one)
    null          the null engine in the API process

Both Serve apps stay deployed for the whole run (the node advertises enough logical CPUs for the
three replicas; an idle replica costs next to nothing), so the configurations can alternate
round by round and load from elsewhere on the machine hits each alike.

Prints:
  (a) built-in engine, 1024x1024 low, b64_json, `--clients` (8) concurrent clients for `--seconds`
      each (wrk when installed, else an httpx/asyncio client): images/s on 2 replicas vs 1 (and the
      in-process engine), with the CPU per image of the API process and of the replicas, and the
      cores busy machine-wide (client + API + replicas + everything else);
  (b) null engine, 256x256, `--requests` sequential requests: p50 / p90 latency and the API
      process's CPU ms per request, through the one-replica `ray` model vs in-process.
No pass/fail. The client, the API server and the replicas share the machine's cores: on a 2-core
machine two replicas can at best use the cores the API process and the client leave them. Ray's
`num_cpus = 1` is a scheduling resource, not a limit: one replica's render threads may use every
core (a built-in engine process keeps about 1.6 of 2 busy), so without `--pin` the one-replica
baseline is not a one-core baseline. `--pin` pins each replica (all its threads) to one core:
bench-one's to core 0, bench-two's to cores 0 and 1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fast_path import Proc, imagegate, proc_cpu  # noqa: E402

BUILTIN_BODY = {"prompt": "a red apple on a wooden table", "size": "1024x1024", "quality": "low", "response_format": "b64_json"}
NULL_BODY = {"prompt": "a red apple on a wooden table", "size": "256x256", "response_format": "b64_json"}
APPS = {"bench-one": 1, "bench-two": 2}


def config(address: str, max_ongoing: int) -> str:
    def ray_model(name: str, inner: str, model_id: str, app: str, size: str) -> str:
        cluster = {"app_name": app, "num_replicas": APPS[app]}
        table = ", ".join(f"{k} = {json.dumps(v)}" for k, v in cluster.items())
        return (f'[models.{name}]\nengine = "ray"\nsizes = ["{size}"]\n'
                f'[models.{name}.options]\nengine = "{inner}"\nmodel_id = "{model_id}"\ncluster = {{ {table} }}\n')

    return "\n".join([
        '[moderation]\nprovider = "none"\n',
        f'[cluster]\naddress = "{address}"\nnum_cpus = 1\nmax_models_per_replica = 2\nmax_ongoing_requests = {max_ongoing}\n',
        ray_model("builtin-one", "builtin", "builtin", "bench-one", "1024x1024"),
        ray_model("builtin-two", "builtin", "builtin", "bench-two", "1024x1024"),
        ray_model("null-ray", "null", "null", "bench-one", "256x256"),
        '[models.builtin]\nengine = "builtin"\nsizes = ["1024x1024"]\n',
        '[models.null]\nengine = "null"\nsizes = ["256x256"]\n',
    ])


# -- processes and CPU ----------------------------------------------------------------------------

def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def replica_pids(app: str) -> list[int]:
    """The pids of the Serve replicas of `app` (their process titles name it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if f"ServeReplica:{app}:" in title:
            found.append(int(entry.name))
    return found


def pin(cores: int) -> None:
    """Each replica onto one core (every thread of it): bench-one's on core 0, bench-two's on cores 0 and 1."""
    for app in APPS:
        for i, pid in enumerate(sorted(replica_pids(app))):
            for task in Path(f"/proc/{pid}/task").iterdir():
                try:
                    os.sched_setaffinity(int(task.name), {i % cores})
                except OSError:
                    pass


# -- load -----------------------------------------------------------------------------------------

def wrk_rate(base: str, body: dict, clients: int, seconds: float) -> tuple[float, int]:
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(f'wrk.method = "POST"\nwrk.body = [[{json.dumps(body)}]]\nwrk.headers["Content-Type"] = "application/json"\n')
    try:
        out = subprocess.run(["wrk", "-t", "1", "-c", str(clients), "-d", f"{max(1, round(seconds))}s", "--timeout", "30s",
                              "-s", str(script), f"{base}/v1/images/generations"],
                             capture_output=True, text=True, timeout=seconds + 90).stdout
    finally:
        script.unlink()
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if bad or "Socket errors" in out:
        raise SystemExit(f"errors under load at {base} ({body.get('model')}):\n{out}")
    done = int(re.search(r"(\d+) requests in", out).group(1))
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), done


async def httpx_rate(base: str, body: dict, clients: int, seconds: float) -> tuple[float, int]:
    done = 0
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=httpx.Limits(max_connections=clients)) as client:
        t0 = time.perf_counter()
        end = t0 + seconds

        async def one() -> None:
            nonlocal done
            while time.perf_counter() < end:
                r = await client.post("/v1/images/generations", json=body)
                if r.status_code != 200:
                    raise SystemExit(f"{r.status_code} from {body.get('model')}: {r.text[:500]}")
                done += 1

        await asyncio.gather(*(one() for _ in range(clients)))
        return done / (time.perf_counter() - t0), done


def load(server: Proc, model: str, args: argparse.Namespace) -> dict[str, float]:
    """images/s for `args.clients` clients on `model`, the CPU ms per image of the API process and
    of the model's replicas, and the cores busy machine-wide."""
    body = {**BUILTIN_BODY, "model": model}
    app = {"builtin-one": "bench-one", "builtin-two": "bench-two"}.get(model)
    pids = replica_pids(app) if app else []
    s0, r0, m0, t0 = proc_cpu(server.proc.pid), [proc_cpu(p) for p in pids], machine_busy(), time.perf_counter()
    if args.client == "wrk":
        rate, done = wrk_rate(server.base, body, args.clients, args.seconds)
    else:
        rate, done = asyncio.run(httpx_rate(server.base, body, args.clients, args.seconds))
    wall = time.perf_counter() - t0
    s1, r1, m1 = proc_cpu(server.proc.pid), [proc_cpu(p) for p in pids], machine_busy()
    done = max(done, 1)
    each = [(b - a) / wall for a, b in zip(r0, r1)]
    return {"rate": rate, "api_ms": 1000 * (s1 - s0) / done, "replica_ms": 1000 * sum(each) * wall / done if pids else float("nan"),
            "replica_cores": sum(each), "per_replica": each, "machine_cores": (os.cpu_count() or 1) * (m1[0] - m0[0]) / max(1, m1[1] - m0[1])}


def sequential(server: Proc, model: str, requests: int) -> tuple[list[float], float]:
    """Latencies (ms) of `requests` requests in a row, and the API process's CPU ms per request."""
    body = {**NULL_BODY, "model": model}
    times = []
    with httpx.Client(base_url=server.base, timeout=60) as client:
        for _ in range(3):
            client.post("/v1/images/generations", json=body).raise_for_status()
        c0 = proc_cpu(server.proc.pid)
        for _ in range(requests):
            t0 = time.perf_counter()
            r = client.post("/v1/images/generations", json=body)
            times.append(1000 * (time.perf_counter() - t0))
            if r.status_code != 200:
                raise SystemExit(f"{r.status_code} from {model}: {r.text[:500]}")
        return times, 1000 * (proc_cpu(server.proc.pid) - c0) / requests


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def med(values: list[float]) -> float:
    return statistics.median(values)


def rounds_text(values: list[float], fmt: str = "{:.1f}") -> str:
    return ", ".join(fmt.format(v) for v in values)


# -- main -----------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each load run in (a)")
    parser.add_argument("--requests", type=int, default=60, help="sequential requests per model per round in (b)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--max-ongoing", type=int, default=8, help="max_ongoing_requests per replica")
    parser.add_argument("--client", choices=("wrk", "httpx"), default="wrk" if shutil.which("wrk") else "httpx")
    parser.add_argument("--no-in-process", action="store_true", help="skip the in-process built-in reference in (a)")
    parser.add_argument("--pin", action="store_true", help="pin each replica to one core (num_cpus = 1 made real); "
                        "the API server and the client stay free")
    parser.add_argument("--only", default="a,b", help="sections to run: a, b or a,b")
    args = parser.parse_args()
    only = set(args.only.split(","))
    os.environ["RAY_AUTH_MODE"] = "disabled"  # Ray 2.60 turns token auth on when a token file exists
    os.environ.setdefault("RAY_NODE_IP_ADDRESS", "127.0.0.1")
    import ray
    from ray import serve

    cores = os.cpu_count() or 1
    started = time.perf_counter()
    # logical CPUs for every replica of both apps at once (1 + 2); they share the real cores
    ray.init(address="local", num_cpus=max(3, cores), include_dashboard=False, log_to_driver=False,
             _node_ip_address="127.0.0.1", logging_level="warning")
    root = Path(tempfile.mkdtemp(prefix="cluster_scaling-"))
    server = None
    try:
        serve.start(proxy_location="Disabled")
        address = ray.get_runtime_context().gcs_address
        server = imagegate(root, "api", config(address, args.max_ongoing), "--no-auth",
                           env={"RAY_AUTH_MODE": "disabled", "RAY_NODE_IP_ADDRESS": "127.0.0.1"})  # a Ray driver of the benchmark's cluster
        with httpx.Client(base_url=server.base, timeout=180) as client:  # deploy both apps, load each model
            for model, body in (("builtin-one", BUILTIN_BODY), ("builtin-two", BUILTIN_BODY), ("builtin", BUILTIN_BODY),
                                ("null-ray", NULL_BODY), ("null", NULL_BODY)):
                for _ in range(2):
                    client.post("/v1/images/generations", json={**body, "model": model}).raise_for_status()
        # Serve routes a multiplexed model's requests to the replica that has it loaded while that one
        # has room: requests one after another all reach one replica. A concurrent burst reaches the
        # second replica of bench-two, which then loads the model outside the timed runs.
        for model in ("builtin-two", "builtin-one", "builtin"):
            asyncio.run(httpx_rate(server.base, {**BUILTIN_BODY, "model": model}, 2 * args.max_ongoing, 2.0))
        if args.pin:
            pin(cores)
        ready = time.perf_counter() - started
        print(f"cores: {cores} (affinity {len(os.sched_getaffinity(0))}), shared by the client ({args.client}), the API server "
              f"and the replicas; cluster up, apps deployed and warm in {ready:.1f} s; Ray {ray.__version__}", flush=True)
        print(f"replica pids: bench-one {replica_pids('bench-one')}, bench-two {replica_pids('bench-two')}", flush=True)

        models = ["builtin-one", "builtin-two"] + ([] if args.no_in_process else ["builtin"])
        runs: dict[str, list[dict[str, float]]] = {m: [] for m in models}
        lat: dict[str, list[float]] = {"null": [], "null-ray": []}
        cpu: dict[str, list[float]] = {"null": [], "null-ray": []}
        for r in range(args.rounds):
            if "a" in only:
                order = models if r % 2 == 0 else list(reversed(models))
                for model in order:
                    runs[model].append(load(server, model, args))
                line = "  ".join(f"{m} {runs[m][-1]['rate']:.1f}" for m in models)
                split = "/".join(f"{c:.2f}" for c in runs["builtin-two"][-1]["per_replica"])
                print(f"round {r + 1} (a): img/s {line}  (2-replica cores busy per replica {split})  -> 2/1 {runs['builtin-two'][-1]['rate'] / runs['builtin-one'][-1]['rate']:.2f}x", flush=True)
            if "b" in only:
                for model in (("null", "null-ray") if r % 2 == 0 else ("null-ray", "null")):
                    t, c = sequential(server, model, args.requests)
                    lat[model] += t
                    cpu[model].append(c)
                print(f"round {r + 1} (b): p50 null {med(lat['null'][-args.requests:]):.2f} ms, null-ray "
                      f"{med(lat['null-ray'][-args.requests:]):.2f} ms; API CPU/request {cpu['null'][-1]:.2f} / {cpu['null-ray'][-1]:.2f} ms", flush=True)

        print()
        if "a" in only:
            one, two = [x["rate"] for x in runs["builtin-one"]], [x["rate"] for x in runs["builtin-two"]]
            print(f"(a) built-in engine, 1024x1024 low, b64_json, {args.clients} clients, {args.rounds} interleaved rounds x {args.seconds:.0f} s "
                  f"(max_ongoing_requests {args.max_ongoing}, num_cpus 1 per replica: "
                  f"{'each replica pinned to one core' if args.pin else 'a logical resource only, a replica may use every core'})")
            print(f"    {'':<24} {'img/s (median)':>14} {'API CPU ms/img':>15} {'replica CPU ms/img':>19} {'replica cores':>14} {'machine cores busy':>19}   rounds img/s")
            for model, label in (("builtin-one", "ray, 1 replica"), ("builtin-two", "ray, 2 replicas"), ("builtin", "in-process (reference)")):
                if model not in runs:
                    continue
                rs = runs[model]
                print(f"    {label:<24} {med([x['rate'] for x in rs]):14.2f} {med([x['api_ms'] for x in rs]):15.1f} "
                      f"{med([x['replica_ms'] for x in rs]):19.1f} {med([x['replica_cores'] for x in rs]):14.2f} "
                      f"{med([x['machine_cores'] for x in rs]):19.2f}   {rounds_text([x['rate'] for x in rs])}")
            split = [sorted(x["per_replica"], reverse=True) for x in runs["builtin-two"]]
            print(f"    2 replicas, cores busy per replica (busier first, medians): {' / '.join(f'{med(list(c)):.2f}' for c in zip(*split))}")
            print(f"    2 replicas / 1 replica: {med(two) / med(one):.2f}x (median of per-round ratios "
                  f"{med([b / a for a, b in zip(one, two)]):.2f}x; target >= 1.6 on 2 cores)")
            if "builtin" in runs:
                print(f"    1 replica / in-process: {med(one) / med([x['rate'] for x in runs['builtin']]):.2f}x")
        if "b" in only:
            n = len(lat["null"])
            print(f"(b) null engine, 256x256 b64_json, sequential, {n} requests each ({args.rounds} interleaved rounds)")
            for model, label in (("null", "in-process"), ("null-ray", "ray, 1 replica")):
                print(f"    {label:<16} p50 {med(lat[model]):6.2f} ms  p90 {pct(lat[model], 90):6.2f} ms  API CPU {med(cpu[model]):5.2f} ms/request")
            print(f"    cluster path adds: p50 +{med(lat['null-ray']) - med(lat['null']):.2f} ms "
                  f"({med(lat['null-ray']) / med(lat['null']):.2f}x), API CPU +{med(cpu['null-ray']) - med(cpu['null']):.2f} ms/request "
                  f"({med(cpu['null-ray']) / med(cpu['null']):.2f}x)")
        print(f"total {time.perf_counter() - started:.0f} s")
    finally:
        if server is not None:
            server.stop()
        try:
            serve.shutdown()
        finally:
            ray.shutdown()
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
