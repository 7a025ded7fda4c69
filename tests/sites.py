"""Real HTTP servers for tests that fetch links: each counts the TCP connections it accepts."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Page:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})
    # Called instead of writing `body` at once: gets the handler (slow answers, no Content-Length).
    write: Callable | None = None


class Site:
    """An HTTP server on `host` (127.0.0.1, 127.0.0.2, ::1) and a free port, serving `pages`."""

    def __init__(self, host: str = "127.0.0.1"):
        self.host = host
        self.pages: dict[str, Page] = {}
        self.connections = 0
        self.requests: list[tuple[str, str]] = []  # (path, Host header)
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                site.requests.append((self.path, self.headers.get("Host", "")))
                page = site.pages.get(self.path, Page(b"not here", 404, {"Content-Type": "text/plain"}))
                self.send_response(page.status)
                for name, value in page.headers.items():
                    self.send_header(name, value)
                if page.write is None:
                    self.send_header("Content-Length", str(len(page.body)))
                self.end_headers()
                try:
                    page.write(self) if page.write else self.wfile.write(page.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the fetcher stopped reading, as it should past a limit

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
            daemon_threads = True
            block_on_close = False

            def get_request(self):
                conn = super().get_request()
                site.connections += 1
                return conn

        self.server = Server((host, 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def url(self, path: str = "/") -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def drip(chunk: bytes, times: int, pause_s: float) -> Callable:
    """A Page.write that sends `chunk` `times` times, `pause_s` apart (a slow server)."""
    def write(handler) -> None:
        for _ in range(times):
            handler.wfile.write(chunk)
            handler.wfile.flush()
            time.sleep(pause_s)
    return write
