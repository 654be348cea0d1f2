"""Slow and half-open clients are disconnected at the configured deadlines; a normal client on
the same server is served meanwhile."""

from __future__ import annotations

import socket
import time

import httpx
import pytest
from conftest import Server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("conn")
    (root / "config.toml").write_text('[moderation]\nprovider = "none"\n')
    s = Server(root / "data", ["--no-auth", "--config", str(root / "config.toml")],
               env={"IMAGEGATE_HEADER_TIMEOUT_SECONDS": "1", "IMAGEGATE_BODY_TIMEOUT_SECONDS": "2"})
    yield s
    s.stop()


def closed_after(sock: socket.socket, limit: float) -> float | None:
    """Seconds until the server closed `sock` (None if it is still open after `limit`)."""
    sock.settimeout(limit)
    t0 = time.monotonic()
    try:
        while sock.recv(4096):
            pass
    except TimeoutError:
        return None
    except ConnectionResetError:
        pass
    return time.monotonic() - t0


def test_half_open_connection_is_closed(server):
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        waited = closed_after(sock, 6)
    assert waited is not None and waited < 4


def test_slow_headers_are_cut_off(server):
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        t0 = time.monotonic()
        for _ in range(5):  # a header line every half second, never the blank line
            time.sleep(0.5)
            try:
                sock.sendall(b"X-Slow: 1\r\n")
            except OSError:
                break
        waited = closed_after(sock, 6)
    assert waited is not None and time.monotonic() - t0 < 6


def test_slow_body_is_cut_off(server):
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(b"POST /v1/images/generations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
        waited = closed_after(sock, 8)
    assert waited is not None and waited < 6


def test_normal_requests_and_keep_alive_still_work(server):
    with httpx.Client(base_url=server.base) as client:
        for _ in range(3):
            assert client.get("/health").status_code == 200
            time.sleep(0.3)
        resp = client.post("/v1/images/generations", json={"prompt": "a red apple", "size": "1024x1024", "quality": "low"}, timeout=60)
        assert resp.status_code == 200, resp.text
