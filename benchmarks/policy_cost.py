"""What the default content policy costs a server, from one run with interleaved rounds.

    .venv/bin/python benchmarks/policy_cost.py [--seconds 4] [--rounds 3] [--clients 8] [--starts 3] [--src DIR]

Prints:
  1. server CPU per request (null engine, auth off, 8 clients, wrk) with the default policy on,
     with the rules alone (`semantic = false`) and with the policy off; once for one prompt sent
     over and over (what `fast_path.py` sends) and once with every request a different prompt
     (no embedding can be remembered);
  2. with the default configuration (built-in engine, policy on): time from start to the first
     answered generation, memory (RSS) once the server is up and idle after that generation (the
     built-in renderer's first image adds ~130 MB of its own), and which heavy libraries the
     process has mapped; the same with the policy off for reference.
Servers listen on 127.0.0.1 only; every load run is bounded in time. `--src` runs the servers on
another checkout's `src` (for a before/after comparison on the same machine).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fast_path import BODY, NULL_MODELS, POLICY_OFF, Proc, free_port, imagegate  # noqa: E402

RULES_ONLY = '[moderation]\nsemantic = false\n'
HEAVY = {"torch": "libtorch", "opencv": "cv2", "onnxruntime": "onnxruntime"}  # shared libraries, seen in /proc/PID/maps

# A different, ordinary prompt for every request: thread number, request number, and words picked
# from small lists, so that no two requests share a text (nothing can be remembered).
DISTINCT = r'''
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local subjects = {"a red apple", "an old lighthouse", "a tabby cat", "a mountain cabin", "a paper boat", "a vintage car", "a bowl of ramen", "a city tram"}
local places = {"on a wooden table", "at sunset", "in the rain", "by a quiet lake", "under neon lights", "in a snowy forest", "on a busy street", "in a sunny kitchen"}
local styles = {"watercolor", "photorealistic", "flat illustration", "oil painting", "pencil sketch", "isometric render"}
local counter, id = 0, 0
function setup(thread) id = id + 1; thread:set("id", id) end
function init(args) math.randomseed(id * 7919) end
function request()
  counter = counter + 1
  local prompt = string.format("%s %s, %s, number %d of series %d", subjects[math.random(#subjects)], places[math.random(#places)], styles[math.random(#styles)], counter, id)
  return wrk.format(nil, nil, nil, '{"prompt": "' .. prompt .. '", "size": "256x256", "response_format": "b64_json"}')
end
'''


def load(base: str, clients: int, seconds: float, distinct: bool) -> dict[str, float]:
    """Requests answered and requests/s for POST /v1/images/generations under wrk."""
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(DISTINCT if distinct else f'wrk.method = "POST"\nwrk.body = [[{BODY}]]\nwrk.headers["Content-Type"] = "application/json"\n')
    try:
        out = subprocess.run(["wrk", "-t", str(min(clients, 2)), "-c", str(clients), "-d", f"{max(1, round(seconds))}s", "-s", str(script), f"{base}/v1/images/generations"],
                             capture_output=True, text=True, timeout=seconds + 60).stdout
    finally:
        script.unlink()
    if re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        raise SystemExit(f"errors under load at {base}:\n{out}")
    return {"requests": int(re.search(r"(\d+) requests in", out).group(1)), "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}


def cpu_per_request(server: Proc, clients: int, seconds: float, distinct: bool) -> tuple[float, float]:
    """(ms of server CPU per answered request, requests/s) for one load run."""
    c0 = server.cpu_seconds()
    run = load(server.base, clients, seconds, distinct)
    return (server.cpu_seconds() - c0) * 1000 / max(run["requests"], 1), run["rps"]


def mapped(pid: int) -> list[str]:
    """Which of the heavy libraries the process has mapped."""
    maps = Path(f"/proc/{pid}/maps").read_text()
    return [name for name, needle in HEAVY.items() if needle in maps]


def start_to_first_image(root: Path, name: str, config: str | None, env: dict[str, str]) -> tuple[float, float, float, list[str]]:
    """Seconds from starting `imagegate serve` (default engine) to its first answered generation;
    RSS (MB) once it is up, before any request, and idle two seconds after that generation; and the
    heavy libraries it has mapped."""
    folder = root / name
    folder.mkdir()
    extra = []
    if config is not None:
        (folder / "config.toml").write_text(config)
        extra = ["--config", str(folder / "config.toml")]
    port = free_port()
    t0 = time.perf_counter()
    server = Proc([sys.executable, "-m", "imagegate", "serve", "--no-auth", "--port", str(port), "--data-dir", str(folder / "data"), *extra], port,
                  {"IMAGEGATE_LOG_LEVEL": "warning", **env})
    try:
        started = server.rss_mb()
        httpx.post(f"{server.base}/v1/images/generations", json={"prompt": "a red apple", "size": "1024x1024", "quality": "low"}, timeout=60).raise_for_status()
        elapsed = time.perf_counter() - t0
        time.sleep(2)
        return elapsed, started, server.rss_mb(), mapped(server.proc.pid)
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--starts", type=int, default=3, help="server starts per configuration in part 2")
    parser.add_argument("--src", type=Path, help="run the servers on this checkout's src folder")
    args = parser.parse_args()
    env = {"PYTHONPATH": str(args.src.resolve())} if args.src else {}
    root = Path(tempfile.mkdtemp())
    print(f"cores {os.cpu_count()}, load average {os.getloadavg()[0]:.1f}, source {args.src or 'installed'}")

    servers = {"policy on": imagegate(root, "on", NULL_MODELS, "--no-auth", env=env),
               "rules only": imagegate(root, "rules", NULL_MODELS + RULES_ONLY, "--no-auth", env=env),
               "policy off": imagegate(root, "off", NULL_MODELS + POLICY_OFF, "--no-auth", env=env)}
    try:
        print(f"1. server CPU per request, null engine, {args.clients} clients (median of {args.rounds} interleaved rounds)")
        for distinct in (False, True):
            cpu: dict[str, list[float]] = {name: [] for name in servers}
            rps: dict[str, list[float]] = {name: [] for name in servers}
            for _ in range(args.rounds):
                for name, server in servers.items():
                    ms, r = cpu_per_request(server, args.clients, args.seconds, distinct)
                    cpu[name].append(ms)
                    rps[name].append(r)
            off = statistics.median(cpu["policy off"])
            print(f"   {'a different prompt each request' if distinct else 'one prompt, repeated'}:")
            for name in servers:
                ms = statistics.median(cpu[name])
                extra = f"  adds {ms - off:5.2f} ms/request" + ("  (target <= 3)" if name == "policy on" else "") if name != "policy off" else ""
                print(f"     {name:10} {ms:6.2f} ms CPU/request  {statistics.median(rps[name]):6.0f} req/s{extra}")
    finally:
        for server in servers.values():
            server.stop()

    print("2. default configuration (built-in engine), start to first answered generation and idle memory")
    results: dict[str, list[tuple[float, float, float, list[str]]]] = {"policy on": [], "policy off": []}
    for i in range(args.starts):
        results["policy on"].append(start_to_first_image(root, f"default{i}", None, env))
        results["policy off"].append(start_to_first_image(root, f"off{i}", POLICY_OFF, env))
    for name, runs in results.items():
        start, up, idle = (statistics.median(r[i] for r in runs) for i in range(3))
        target = "  (targets <= 2.5 s, <= 350 MB)" if name == "policy on" else ""
        print(f"   {name:10} first image {start:5.2f} s  RSS once up {up:4.0f} MB, idle after the image {idle:4.0f} MB"
              f"  mapped: {', '.join(runs[-1][3]) or 'none of ' + ', '.join(HEAVY)}{target}")


if __name__ == "__main__":
    main()
