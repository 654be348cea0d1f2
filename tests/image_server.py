"""A small image server on 127.0.0.1 for the remote `image_url` tests: a PNG, a mask, a huge
body (undeclared length), an oversize declared length, a slow body, a redirect, a non-image."""

from __future__ import annotations

import io
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from PIL import Image


def png(size=(256, 256), mode="RGB", color=(200, 30, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size, color if mode == "RGB" else (*color, 0)).save(buf, "PNG")
    return buf.getvalue()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # a body without a length ends when the connection closes

    def log_message(self, *args) -> None:  # quiet
        pass

    def _head(self, status: int, ctype: str, length: int | None = None, **extra: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if length is not None:
            self.send_header("Content-Length", str(length))
        for key, value in extra.items():
            self.send_header(key.replace("_", "-"), value)
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802
        path = self.path.split("?")[0]
        self.server.hits.append(path)  # type: ignore[attr-defined]
        try:
            if path in ("/a.png", "/mask.png"):
                data = self.server.images[path]  # type: ignore[attr-defined]
                self._head(200, "image/png", len(data))
                self.wfile.write(data)
            elif path == "/huge":  # no Content-Length: only the streamed count can stop it
                self._head(200, "image/png")
                chunk = b"\0" * 65536
                for _ in range(2000):  # 125 MiB if nobody stops reading
                    self.wfile.write(chunk)
            elif path == "/declared-huge":
                self._head(200, "image/png", 10**12)
                self.wfile.write(b"\x89PNG")
            elif path == "/slow":
                self._head(200, "image/png")
                for _ in range(60):
                    self.wfile.write(b"\0")
                    self.wfile.flush()
                    time.sleep(0.5)
            elif path == "/redirect":
                self._head(302, "text/plain", 0, Location="/a.png")
            elif path == "/page.html":
                body = b"<html>not an image</html>"
                self._head(200, "text/html", len(body))
                self.wfile.write(body)
            else:
                self._head(404, "text/plain", 0)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            pass  # the client stopped reading, as it should


class ImageServer:
    """Serves on 127.0.0.1 (TLS when `certfile` is given) in a daemon thread."""

    def __init__(self, certfile: str | None = None, keyfile: str | None = None) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.hits = []  # type: ignore[attr-defined]
        self.httpd.images = {"/a.png": png((512, 512)), "/mask.png": png((512, 512), "RGBA")}  # type: ignore[attr-defined]
        if certfile:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(certfile, keyfile)
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def hits(self) -> list[str]:
        return self.httpd.hits  # type: ignore[attr-defined]

    def url(self, path: str, host: str = "127.0.0.1", scheme: str = "http") -> str:
        return f"{scheme}://{host}:{self.port}{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
