"""Fuzz imagegate's HTTP API from its own OpenAPI document with schemathesis.

A real server (uvicorn on 127.0.0.1, in this process) runs every registry model on the null
engine with moderation off, so a case costs milliseconds. schemathesis reads the server's
`/openapi.json` and sends, for EVERY operation, schema-valid and schema-breaking requests with
an admin key, streaming requests, JSON bodies holding lone surrogates, and requests without a
key; then it fetches the jobs, image URLs and keys the answers named. Each answer is checked:
no 5xx, a status code the document lists, a declared content type, and a body matching the
declared schema (each stream event too). Shared by tests/api/test_fuzz_openapi.py (a few cases
per operation) and this script (more).

    .venv/bin/python benchmarks/fuzz_api.py --examples 100 [--seed 1] [--operation createImage]

Prints the cases, statuses and failures per operation, then each distinct failure with a curl
line to reproduce it; exits 1 when anything failed.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import socket
import sys
import tempfile
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import hypothesis
import requests
import uvicorn
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.openapi import from_url
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance, status_code_conformance

from imagegate.app import build_app
from imagegate.config import Settings, load_registry, load_settings

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
FILE_FIELDS = ("image", "image[]", "mask")
PASSES = ("positive", "negative", "stream", "surrogate", "anonymous")
LAST = ("revokeApiKey",)  # may revoke the key the fuzzer itself uses: runs after everything else


def fuzz_settings(data_dir: Path) -> Settings:
    """The default registry, every model on the null engine (a few quick steps, so streams carry
    partial images); no moderation, no research."""
    models = load_registry(load_settings(None, data_dir=data_dir)).models
    null = {"engine": "null", "options": {"delay": 0.01, "steps": 4}}
    return load_settings(None, data_dir=data_dir, moderation={"provider": "none"}, jobs_concurrency=1,
                         models={mid: null for mid in models})


class LiveServer:
    """uvicorn serving `build_app` in a thread of this process, on 127.0.0.1."""

    def __init__(self, settings: Settings) -> None:
        self.app = build_app(settings)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="critical", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.time() + 90
        while not self.server.started:
            if time.time() > deadline or not self.thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.05)
        self.admin_key = (settings.data_dir / "initial-api-key.txt").read_text().strip()

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(15)


@contextlib.contextmanager
def live_server(root: Path | None = None) -> Iterator[LiveServer]:
    with contextlib.ExitStack() as stack:
        root = root or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="imagegate-fuzz-")))
        server = LiveServer(fuzz_settings(root / "data"))
        try:
            yield server
        finally:
            server.stop()


@dataclass
class Report:
    """Cases per operation and the failures found, each distinct failure once (with a curl line)."""

    cases: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    failures: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (operation, check, title) -> example

    @property
    def failed(self) -> Counter:
        return Counter(op for op, _, _ in self.failures)

    def lines(self) -> list[str]:
        out = [f"{'operation':<24} {'cases':>6} {'failures':>8}  statuses"]
        for op in sorted(self.cases):
            statuses = " ".join(f"{s}:{n}" for (o, s), n in sorted(self.statuses.items()) if o == op)
            out.append(f"{op:<24} {self.cases[op]:>6} {self.failed[op]:>8}  {statuses}")
        out.append(f"{'total':<24} {sum(self.cases.values()):>6} {len(self.failures):>8}")
        return out


def fuzz(base: str, api_key: str, *, examples: int, seed: int | None = None, only: str | None = None,
         passes: tuple[str, ...] = PASSES) -> Report:
    """Run schemathesis over every operation in `base`/openapi.json; what it found.

    Passes: `positive` (schema-valid requests), `negative` (schema-breaking ones), `stream`
    (valid requests with `stream: true` and no `Prefer`, for the operations that stream: the
    generator rarely picks `stream: true` on its own, and every event is checked too) and
    `surrogate` (valid JSON bodies whose strings end in a lone surrogate, which the generator
    never makes: it draws only encodable text), `anonymous` (valid requests without a key: each
    401 must be declared). Then the follow-ups: the jobs, image URLs and keys those answers
    named are fetched and checked too (random ids only ever find 404s).
    """
    fuzzer = Fuzzer(base, api_key, seed=seed)
    operations = sorted(fuzzer.operations.items(), key=lambda item: item[0] in LAST)
    for name, operation in operations:
        if name in LAST and not only:
            fuzzer.follow_up(limit=max(2, examples // 2))  # while the fuzzer's key still works
        if not only or name == only:
            for label in passes:
                fuzzer.run(name, operation, label, examples)
    return fuzzer.report


class Fuzzer:
    """One fuzzing session against a live server: cases sent, answers checked, findings kept."""

    def __init__(self, base: str, api_key: str, *, seed: int | None) -> None:
        self.base, self.seed = base, seed
        self.http = requests.Session()
        self.headers = {"Authorization": f"Bearer {api_key}"}
        self.report = Report()
        schema = from_url(f"{base}/openapi.json", timeout=30)
        schema.validate()
        schema.config.output.sanitization.enabled = False  # curl lines keep every value (`key_id` too); the key is a placeholder
        self.operations = {op.definition.raw["operationId"]: op for op in (result.ok() for result in schema.get_all_operations())}
        self.own_id = own_key_id(base, self.http, api_key)
        self.found: dict[str, list[Any]] = {"jobs": [], "urls": [], "keys": []}

    def run(self, name: str, operation, label: str, examples: int) -> None:
        """`examples` cases of one operation in one pass, checked one by one."""
        if (label == "stream" and not streams(operation)) or (label == "surrogate" and not takes_json(operation)):
            return
        mode = GenerationMode.NEGATIVE if label == "negative" else GenerationMode.POSITIVE
        strategy = operation.as_strategy(generation_mode=mode, **({"media_type": "application/json"} if label == "surrogate" else {}))
        if label == "stream":
            strategy = strategy.map(streaming)
        if name in LAST:  # never the fuzzer's own key, or every later case is a 401
            strategy = strategy.filter(lambda case: str((case.path_parameters or {}).get("key_id")) != str(self.own_id))

        @settings(max_examples=examples, deadline=None, database=None, derandomize=self.seed is None, phases=[Phase.generate],
                  suppress_health_check=list(HealthCheck), print_blob=False)
        @given(case=strategy)
        def one(case) -> None:
            if case.headers:  # credentials the document's security schemes made up: the fuzzer's key instead
                case.headers = {k: v for k, v in case.headers.items() if k.lower() not in ("authorization", "api-key")}
            response = self.check(name, label, case, mutate=with_lone_surrogate if label == "surrogate" else None)
            if response is not None:
                self.remember(name, response)

        if self.seed is not None:
            one = reproduce_with(self.seed, name, label)(one)
        try:
            one()
        except hypothesis.errors.Unsatisfiable:  # nothing in the operation can be made invalid (GET /health)
            if label != "negative":
                raise

    def check(self, name: str, label: str, case, mutate: Callable[[Any], Any] | None = None) -> requests.Response | None:
        """Send one case and check the answer; the answer (None when the connection failed)."""
        self.report.cases[name] += 1
        headers = {} if label == "anonymous" else self.headers
        curl = case.as_curl_command(headers={} if label == "anonymous" else {"Authorization": "Bearer $IMAGEGATE_API_KEY"})[:1500]
        try:
            response = send(case, self.base, self.http, headers, mutate=mutate)
        except requests.RequestException as exc:  # a dropped connection is a failure too
            self.report.failures.setdefault((name, "connection", type(exc).__name__), f"[{label}] {exc}\n{curl}")
            return None
        self.report.statuses[(name, response.status_code)] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as group:
            note = " (with '\\ud800' added to each top-level string of this body)" if mutate else ""
            for failure in group.exceptions:
                self.report.failures.setdefault((name, type(failure).__name__, failure.title),
                                                f"[{label}] {response.status_code} {failure.message[:400]}\n{curl}{note}")
        return response

    def remember(self, name: str, response: requests.Response) -> None:
        """Jobs, image URLs and keys an answer names, to fetch later."""
        if not response.ok or not response.headers.get("content-type", "").startswith("application/json"):
            return
        body = response.json()
        if body.get("object") == "image.job":
            self.found["jobs"].append(body["id"])
        elif name == "createApiKey":
            self.found["keys"].append(body["id"])
        self.found["urls"] += [item["url"] for item in body.get("data") or [] if isinstance(item, dict) and "url" in item][:1]

    def follow_up(self, limit: int) -> None:
        """Fetch what the answers named: each job (and cancel some), image URL and key."""
        jobs, urls, keys = (self.found[k][:limit] for k in ("jobs", "urls", "keys"))
        for i, job_id in enumerate(jobs):
            name = "cancelImageJob" if i % 3 == 2 else "retrieveImageJob"
            self.check(name, "follow-up", self.operations[name].Case(path_parameters={"job_id": job_id}))
        for url in urls:
            parts = urlsplit(url)
            query = dict(parse_qsl(parts.query))
            self.check("retrieveImageFile", "follow-up",
                       self.operations["retrieveImageFile"].Case(path_parameters={"name": parts.path.rsplit("/", 1)[-1]}, query=query))
        for key_id in keys:
            self.check("retrieveApiKey", "follow-up", self.operations["retrieveApiKey"].Case(path_parameters={"key_id": key_id}))
        self.wait_for_jobs(jobs)
        for job_id in jobs:  # finished now: their results are checked too
            self.check("retrieveImageJob", "follow-up", self.operations["retrieveImageJob"].Case(path_parameters={"job_id": job_id}))

    def wait_for_jobs(self, jobs: list[str], timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        for job_id in jobs:
            while time.monotonic() < deadline:
                answer = self.http.get(f"{self.base}/v1/images/jobs/{job_id}", headers=self.headers, timeout=30)
                if answer.status_code != 200 or answer.json()["status"] not in ("queued", "running"):
                    break
                time.sleep(0.05)


def streams(operation) -> bool:
    """Whether the operation can answer with server-sent events."""
    return any("text/event-stream" in r.get("content", {}) for r in operation.definition.raw.get("responses", {}).values())


def takes_json(operation) -> bool:
    return "application/json" in operation.definition.raw.get("requestBody", {}).get("content", {})


def with_lone_surrogate(body: Any) -> Any:
    """`body` with a lone UTF-16 surrogate at the end of each top-level string (sent as the JSON
    escape `\\ud800`: Python's JSON accepts it, no UTF-8 text can hold it). Applied to the
    request on its way out: schemathesis itself cannot hold such a case."""
    if isinstance(body, dict):
        return {k: v + "\ud800" if isinstance(v, str) else v for k, v in body.items()}
    return body


def streaming(case):
    """The case with `stream: true` and without `Prefer: respond-async` (a job does not stream)."""
    if isinstance(case.body, dict):
        case.body = {**case.body, "stream": True}
    if case.headers:
        case.headers = {k: v for k, v in case.headers.items() if k.lower() != "prefer"}
    return case


def own_key_id(base: str, http: requests.Session, api_key: str) -> int:
    """The id of the admin key the fuzzer uses."""
    keys = http.get(f"{base}/v1/admin/keys", headers={"Authorization": f"Bearer {api_key}"}, timeout=30).json()["data"]
    return next(k["id"] for k in keys if api_key.startswith(k["prefix"].rstrip("…")))


def send(case, base: str, http: requests.Session, headers: dict[str, str], mutate: Callable[[Any], Any] | None = None) -> requests.Response:
    """The case as schemathesis would send it, except that file parts get a file name, as every
    client sends (a part without one is a text field, and the server rightly finds no image);
    `mutate` rewrites a JSON body."""
    kwargs = case.as_transport_kwargs(base_url=base, headers=headers)
    if mutate is not None and "json" in kwargs:
        kwargs["json"] = mutate(kwargs["json"])
    files = kwargs.get("files")
    if isinstance(files, list):
        kwargs["files"] = [(name, ("upload", *part[1:])) if isinstance(part, tuple) and part[0] is None and isinstance(part[1], bytes)
                           and name in FILE_FIELDS else (name, part) for name, part in files]
    return http.request(**kwargs, timeout=60)


def reproduce_with(seed: int, name: str, label: str):
    """A per-operation Hypothesis seed derived from `seed`: the same seed, the same cases."""
    return hypothesis.seed(seed * 1_000_003 + zlib.crc32(f"{name}:{label}".encode()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=100, help="cases per operation and pass")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: Hypothesis' fixed derandomised run)")
    parser.add_argument("--operation", default=None, help="only this operationId")
    parser.add_argument("--passes", default=",".join(PASSES), help="comma-separated: " + ", ".join(PASSES))
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)  # the server logs every 4xx and the engines' chatter
    passes = tuple(args.passes.split(","))
    started = time.perf_counter()
    with live_server() as server:
        report = fuzz(server.base, server.admin_key, examples=args.examples, seed=args.seed, only=args.operation, passes=passes)
    print("\n".join(report.lines()))
    print(f"{time.perf_counter() - started:.1f} s")
    for (op, check, title), example in sorted(report.failures.items()):
        print(f"\n== {op}: {check}: {title}\n{example}")
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
