"""Shared fixtures: settings on a temp data dir, an in-process client, a real server."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from pg import PostgresServer

from imagegate.app import build_app
from imagegate.config import Settings, load_settings

os.environ.setdefault("OMP_NUM_THREADS", "1")
BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
if str(BENCHMARKS) not in sys.path:  # the OCR judge has one copy, shared with its benchmark
    sys.path.insert(0, str(BENCHMARKS))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(None, data_dir=tmp_path / "data", auth=False)


@contextlib.contextmanager
def keyed_client(root: Path, config: str) -> Iterator[TestClient]:
    """An in-process app from the TOML `config` with auth on; its client holds the first admin key."""
    (root / "config.toml").write_text(config)
    settings = load_settings(root / "config.toml", data_dir=root / "data", auth=True)
    with TestClient(build_app(settings), base_url="http://testserver") as c:
        c.headers["Authorization"] = f"Bearer {(root / 'data' / 'initial-api-key.txt').read_text().strip()}"
        yield c


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(build_app(settings), base_url="http://testserver") as c:
        yield c


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A real `imagegate serve` process on 127.0.0.1."""

    def __init__(self, data_dir: Path, extra_args: list[str] | None = None, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.data_dir = data_dir
        self.base = f"http://127.0.0.1:{self.port}"
        cmd = [sys.executable, "-m", "imagegate", "serve", "--host", "127.0.0.1", "--port", str(self.port), "--data-dir", str(data_dir), *(extra_args or [])]
        self.log = open(data_dir.parent / f"server-{self.port}.log", "w")  # noqa: SIM115
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
        self._wait()

    def _wait(self) -> None:
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {Path(self.log.name).read_text()}")
            try:
                if httpx.get(f"{self.base}/health", timeout=1).status_code == 200:
                    key_file = self.data_dir / "initial-api-key.txt"
                    self.api_key = key_file.read_text().strip() if key_file.exists() else "no-key"
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("server did not start in 60 s")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("server")
    srv = Server(root / "data")
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    pg = PostgresServer(Path(tempfile.mkdtemp(prefix="imagegate-pg-")))  # pytest's tmp dirs are closed to the postgres user
    yield pg
    pg.stop()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each database test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return request.getfixturevalue("postgres").url(f"t_{request.node.name.split('[')[0][-40:]}_{os.getpid()}".lower())
