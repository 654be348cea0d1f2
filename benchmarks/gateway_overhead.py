"""Gateway mode's cost: an imagegate with `engine = "openai"` in front of an upstream imagegate,
against calling the upstream directly (and, when installed, against a LiteLLM proxy doing the
same forwarding), from one run with interleaved rounds.

    .venv/bin/python benchmarks/gateway_overhead.py [--rounds 3] [--requests 200] [--seconds 3]
        [--litellm /tmp/litellm-venv/bin/litellm | --no-litellm]

The LiteLLM column uses --litellm, else $IMAGEGATE_BENCH_LITELLM, else /tmp/litellm-venv/bin/litellm
if it exists; without one it is skipped with a note.

The upstream is an imagegate with the null engine (instant flat 256x256 images, auth off, policy
off), so what is measured is pure HTTP forwarding. The gateway has auth off and policy off too.
Prints, per path (direct, imagegate gateway, LiteLLM proxy):
  - sequential: p50 latency of --requests requests one after another on one keep-alive client,
    the added p50 over direct, and the proxy process's CPU ms per request (user + system from
    /proc; the upstream does the same work on every path, so the proxy's CPU is the overhead);
  - 8 clients (wrk, --seconds per run; 0 skips): requests/s, p50, and CPU ms per request;
  - the ratio of each proxy's added latency and CPU to imagegate's.
Every server listens on 127.0.0.1 only; every run is bounded (default total well under 3 minutes).

LiteLLM goes in its own virtual environment, never this project's:
    python3 -m venv /tmp/litellm-venv && /tmp/litellm-venv/bin/pip install 'litellm[proxy]'
"""

from __future__ import annotations

import argparse
import base64
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
from fast_path import NULL_MODELS, POLICY_OFF, Proc, free_port, imagegate  # noqa: E402

UPSTREAM_KEY = "bench-upstream-key"  # the upstream has auth off; the gateway still sends it, as it would to OpenAI
GATEWAY_MODELS = '''[models."gpt-image-2"]
engine = "openai"
sizes = ["256x256", "1024x1024"]
[models."gpt-image-2".options]
base_url = "{base}/v1"
model = "gpt-image-2"
api_key_env = "UPSTREAM_KEY"
'''
LITELLM_CONFIG = '''model_list:
  - model_name: gpt-image-2
    litellm_params:
      model: openai/gpt-image-2
      api_base: {base}/v1
      api_key: {key}
litellm_settings:
  telemetry: false
  drop_params: true
general_settings:
  dangerously_permit_weak_or_unset_master_key: true  # no master key: auth off, as --no-auth on the imagegates
'''
URL = "/v1/images/generations"
BODY = '{"model": "gpt-image-2", "prompt": "a red apple on a wooden table", "size": "256x256", "response_format": "b64_json"}'


class External(Proc):
    """A server that is not an imagegate (LiteLLM): waits on `health`, logs to a file."""

    def __init__(self, cmd: list[str], port: int, health: str, log: Path, env: dict[str, str] | None = None, timeout: float = 180) -> None:
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.t0 = time.perf_counter()
        self.log = log
        with log.open("wb") as out:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}, start_new_session=True)
        deadline = time.time() + timeout
        while True:
            try:
                if httpx.get(f"{self.base}{health}", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.time() > deadline or self.proc.poll() is not None:
                why = f"exited with {self.proc.returncode}" if self.proc.poll() is not None else f"not up within {timeout:.0f} s"
                self.stop()
                tail = log.read_text(errors="replace")[-1500:]
                raise RuntimeError(f"{why}: {' '.join(cmd)}\n{tail}")
            time.sleep(0.2)
        self.started_s = time.perf_counter() - self.t0


def check(base: str) -> None:
    """One generation answered with a decodable 256x256 PNG, or exit with what came back."""
    r = httpx.post(f"{base}{URL}", content=BODY, headers={"Content-Type": "application/json", "Authorization": "Bearer x"}, timeout=60)
    try:
        r.raise_for_status()
        data = base64.b64decode(r.json()["data"][0]["b64_json"])
        assert data.startswith(b"\x89PNG"), data[:8]
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert (width, height) == (256, 256), (width, height)
    except Exception as exc:  # noqa: BLE001 - say what the path answered
        raise RuntimeError(f"{base}: {r.status_code} {r.text[:500]} ({exc!r})") from None


def sequential(base: str, n: int, proxy: Proc | None, upstream: Proc) -> dict[str, float]:
    """p50 / p90 latency (ms) of n requests in a row on one keep-alive client, and the proxy's
    and the upstream's CPU ms per request."""
    headers = {"Content-Type": "application/json", "Authorization": "Bearer x"}
    with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
        for _ in range(5):  # warm the connection(s) on every hop
            client.post(URL, content=BODY).raise_for_status()
        c0, u0 = proxy.cpu_seconds() if proxy else 0.0, upstream.cpu_seconds()
        times = []
        for _ in range(n):
            t = time.perf_counter()
            r = client.post(URL, content=BODY)
            times.append((time.perf_counter() - t) * 1000)
            if r.status_code != 200:
                raise RuntimeError(f"{base}: {r.status_code} {r.text[:300]}")
        cpu = (proxy.cpu_seconds() - c0) * 1000 / n if proxy else 0.0
        up = (upstream.cpu_seconds() - u0) * 1000 / n
    times.sort()
    return {"p50": statistics.median(times), "p90": times[int(0.9 * (n - 1))], "cpu": cpu, "up": up}


def concurrent(base: str, clients: int, seconds: float, proxy: Proc | None) -> dict[str, float]:
    """wrk at `clients` connections: requests/s, p50 (ms), and the proxy's CPU ms per request."""
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(f'wrk.method = "POST"\nwrk.body = [[{BODY}]]\nwrk.headers["Content-Type"] = "application/json"\n'
                      'wrk.headers["Authorization"] = "Bearer x"\n')
    c0 = proxy.cpu_seconds() if proxy else 0.0
    out = subprocess.run(["wrk", "-t", str(min(clients, 2)), "-c", str(clients), "-d", f"{max(1, round(seconds))}s", "--timeout", "30s", "--latency", "-s", str(script), f"{base}{URL}"],
                         capture_output=True, text=True, timeout=seconds + 60).stdout
    cpu = proxy.cpu_seconds() - c0 if proxy else 0.0
    script.unlink()
    if re.search(r"Non-2xx or 3xx responses: (\d+)", out) or re.search(r"Socket errors", out):
        raise RuntimeError(f"errors under load at {base}:\n{out}")
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    m = re.search(r"\s50%\s+([\d.]+)(us|ms|s)", out)
    p50 = float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50": p50, "cpu": cpu * 1000 / max(1, requests)}


def med(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def find_litellm(arg: str | None) -> str | None:
    for candidate in (arg, os.environ.get("IMAGEGATE_BENCH_LITELLM"), "/tmp/litellm-venv/bin/litellm"):
        if candidate and (Path(candidate).is_file() or shutil.which(candidate)):
            return candidate
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=200, help="sequential requests per path per round")
    parser.add_argument("--seconds", type=float, default=3.0, help="wrk seconds per path per round at 8 clients (0: skip)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--litellm", default=None, help="the `litellm` executable of a separate venv (also IMAGEGATE_BENCH_LITELLM); skipped when absent")
    parser.add_argument("--no-litellm", action="store_true")
    args = parser.parse_args()
    t_start = time.perf_counter()
    root = Path(tempfile.mkdtemp(prefix="gateway-bench-"))
    servers: list[Proc] = []
    try:
        upstream = imagegate(root, "upstream", NULL_MODELS + POLICY_OFF, "--no-auth")
        servers.append(upstream)
        gateway = imagegate(root, "gateway", GATEWAY_MODELS.format(base=upstream.base) + POLICY_OFF, "--no-auth", env={"UPSTREAM_KEY": UPSTREAM_KEY})
        servers.append(gateway)
        paths: list[tuple[str, str, Proc | None]] = [("direct", upstream.base, None), ("imagegate gateway", gateway.base, gateway)]
        for _, base, _ in paths:
            check(base)

        litellm = None if args.no_litellm else find_litellm(args.litellm)
        note = ""
        if litellm is None:
            note = "LiteLLM: skipped (no --litellm, IMAGEGATE_BENCH_LITELLM or /tmp/litellm-venv/bin/litellm)" if not args.no_litellm else "LiteLLM: skipped (--no-litellm)"
        else:
            folder = root / "litellm"
            folder.mkdir()
            (folder / "config.yaml").write_text(LITELLM_CONFIG.format(base=upstream.base, key=UPSTREAM_KEY))
            port = free_port()
            env = {"LITELLM_LOG": "ERROR", "LITELLM_TELEMETRY": "False", "LITELLM_LOCAL_MODEL_COST_MAP": "True", "DISABLE_SCHEMA_UPDATE": "True"}
            for key in ("LITELLM_MASTER_KEY", "DATABASE_URL", "OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_API_BASE"):
                os.environ.pop(key, None)
            try:
                proxy = External([litellm, "--config", str(folder / "config.yaml"), "--host", "127.0.0.1", "--port", str(port), "--num_workers", "1"],
                                 port, "/health/liveliness", folder / "litellm.log", env=env)
                servers.append(proxy)
                check(proxy.base)
                paths.append(("LiteLLM proxy", proxy.base, proxy))
                note = f"LiteLLM: {litellm} (started in {proxy.started_s:.1f} s)"
            except RuntimeError as exc:
                keep = folder / "litellm.log"
                if keep.exists():
                    keep = Path(shutil.copy(keep, Path(tempfile.gettempdir()) / f"gateway-bench-litellm-{os.getpid()}.log"))
                note = f"LiteLLM: skipped, it did not serve (log {keep}): {str(exc)[:1500]}"

        seq: dict[str, list[dict[str, float]]] = {name: [] for name, _, _ in paths}
        conc: dict[str, list[dict[str, float]]] = {name: [] for name, _, _ in paths}
        for r in range(args.rounds):
            order = paths if r % 2 == 0 else paths[::-1]  # interleaved, alternating order
            for name, base, proxy in order:
                seq[name].append(sequential(base, args.requests, proxy, upstream))
            for name, base, proxy in order if args.seconds > 0 else ():
                conc[name].append(concurrent(base, args.clients, args.seconds, proxy))

        print(f"gateway overhead: 256x256 generation, null-engine upstream, auth and policy off; "
              f"{args.rounds} rounds x {args.requests} sequential requests" + (f", {args.clients} clients x {args.seconds:g} s (wrk)" if args.seconds > 0 else "")
              + f"; {len(os.sched_getaffinity(0))} CPUs shared by client, proxy and upstream")
        print(f"   {note}")
        direct = med(seq["direct"], "p50")
        ours_added = med(seq["imagegate gateway"], "p50") - direct
        ours_cpu = med(seq["imagegate gateway"], "cpu")
        print("   sequential (1 client)       p50 ms   p90 ms   added p50 ms   proxy CPU ms/req   upstream CPU ms/req   vs imagegate (added p50 / CPU)")
        for name, _, proxy in paths:
            p50, added, cpu = med(seq[name], "p50"), med(seq[name], "p50") - direct, med(seq[name], "cpu")
            ratio = "" if proxy is None else f"{added / ours_added:.2f}x / {cpu / ours_cpu:.2f}x" if ours_added > 0 and ours_cpu > 0 else "n/a"
            print(f"   {name:26s} {p50:7.2f}  {med(seq[name], 'p90'):7.2f}  {('-' if proxy is None else f'{added:+.2f}'):>13s}  "
                  f"{('-' if proxy is None else f'{cpu:.2f}'):>17s}  {med(seq[name], 'up'):20.2f}   {ratio}")
        if args.seconds > 0:
            direct_c = med(conc["direct"], "p50")
            ours_c_added = med(conc["imagegate gateway"], "p50") - direct_c
            ours_c_cpu = med(conc["imagegate gateway"], "cpu")
            print(f"   {args.clients} clients (wrk)              req/s   p50 ms   added p50 ms   proxy CPU ms/req   vs imagegate (added p50 / CPU)")
            for name, _, proxy in paths:
                added, cpu = med(conc[name], "p50") - direct_c, med(conc[name], "cpu")
                ratio = "" if proxy is None else f"{added / ours_c_added:.2f}x / {cpu / ours_c_cpu:.2f}x" if ours_c_added > 0 and ours_c_cpu > 0 else "n/a"
                print(f"   {name:26s} {med(conc[name], 'rps'):7.0f}  {med(conc[name], 'p50'):7.2f}  {('-' if proxy is None else f'{added:+.2f}'):>13s}  "
                      f"{('-' if proxy is None else f'{cpu:.2f}'):>17s}   {ratio}")
        print(f"   (medians over rounds; total {time.perf_counter() - t_start:.0f} s)")
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
