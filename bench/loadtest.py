"""The HTTP path: gunicorn with 4 workers on 127.0.0.1, loaded by wrk (or Python).

Three scenarios: GET /c/<id> of a stored comparison; POST /api/comparisons
with a new small comparison per request; and both at once (issue #7): every
client alternately creates a new comparison and reads the page of the last
one it created. Only 127.0.0.1 is ever contacted, and every scenario is
bounded in time (--duration) and clients (--clients).
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from .generate import ROOT, seed_texts

HOST = "127.0.0.1"
WORKERS = 4
MAX_PYTHON_REQUESTS = 200_000  # per scenario, for the Python load generator


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(workers: int = WORKERS):
    """A gunicorn serving create_app() on a free port with a temporary database."""
    exe = Path(sys.executable).parent / "gunicorn"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "gunicorn"], check=True)
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="coverdiff-bench-") as tmp:
        env = {**os.environ, "COVERDIFF_DATABASE": str(Path(tmp) / "bench.sqlite3"), "COVERDIFF_RATE_LIMIT": ""}
        log = open(Path(tmp) / "gunicorn.log", "w+b")  # closed in the finally below
        proc = subprocess.Popen(
            [str(exe), "-w", str(workers), "-b", f"{HOST}:{port}", "--timeout", "120", "webapp:create_app()"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_ready(port, proc, log)
            yield port
        finally:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()


def _wait_ready(port: int, proc: subprocess.Popen, log, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"gunicorn exited: {log.read().decode(errors='replace')[-2000:]}")
        try:
            status, _body = request(port, "GET", "/healthz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz in time")


def request(port: int, method: str, path: str, body: bytes | None = None, timeout: float = 60.0):
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def store_comparison(port: int, left: str, right: str) -> str:
    """POST one comparison and return its id (the stored page's URL is /c/<id>)."""
    body = json.dumps({"left": {"text": left}, "right": {"text": right}}).encode()
    status, data = request(port, "POST", "/api/comparisons", body)
    if status not in (200, 201):
        raise RuntimeError(f"POST /api/comparisons answered {status}: {data[:300]!r}")
    return json.loads(data)["id"]


def post_body_parts() -> tuple[str, str, str]:
    """A small comparison (the seeds) as JSON, split where a unique marker goes."""
    left, right = seed_texts()
    marker = "\u0001MARK\u0001"
    body = json.dumps({"left": {"text": left + "\n\nBench request " + marker + ".\n"},
                       "right": {"text": right + "\n\nBench request " + marker + " (right).\n"}})
    prefix, middle, suffix = body.split(json.dumps(marker)[1:-1])
    return prefix, middle, suffix


# --- wrk --------------------------------------------------------------------------------

_WRK_DONE = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, "status": %d,' ..
    ' "timeout": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""

_WRK_POST = r"""
local counter = 0
local threads = {}
setup = function(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
request = function()
  counter = counter + 1
  if MIXED and counter % 2 == 0 then
    return wrk.format("GET", LAST or STORED)
  end
  local mark = "w" .. tostring(tid) .. "-" .. tostring(counter) .. "-" .. tostring(os.time())
  local body = PREFIX .. mark .. MIDDLE .. mark .. SUFFIX
  return wrk.format("POST", "/api/comparisons", {["Content-Type"] = "application/json"}, body)
end
"""

# Mixed scenario: remember the page of the comparison this thread created last.
_WRK_MIXED = r"""
response = function(status, headers, body)
  local location = headers["Location"] or headers["location"]
  if location then
    LAST = "/c/" .. string.match(location, "([^/]+)$")
  end
end
"""


def _lua_string(text: str) -> str:
    level = "=" * 4
    assert f"]{level}]" not in text
    return f"[{level}[{text}]{level}]"


def wrk_scenario(port: int, path: str, mode: str, clients: int, duration: float, threads: int = 2) -> dict:
    """One wrk run (mode: get, post or mixed); the numbers wrk's done() hook prints."""
    script = _WRK_DONE
    if mode in ("post", "mixed"):
        prefix, middle, suffix = post_body_parts()
        script = (f"PREFIX = {_lua_string(prefix)}\nMIDDLE = {_lua_string(middle)}\nSUFFIX = {_lua_string(suffix)}\n"
                  f"STORED = {_lua_string(path)}\nMIXED = {'true' if mode == 'mixed' else 'false'}\n"
                  + _WRK_POST + (_WRK_MIXED if mode == "mixed" else "") + script)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    try:
        cmd = ["wrk", "-t", str(min(threads, clients)), "-c", str(clients), "-d", f"{max(1, round(duration))}s",
               "--timeout", "30s", "-s", f.name, f"http://{HOST}:{port}{path}"]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60, check=True).stdout
    finally:
        os.unlink(f.name)
    line = next(ln for ln in out.splitlines() if ln.startswith("WRKJSON "))
    raw = json.loads(line.removeprefix("WRKJSON "))
    seconds = raw["duration_us"] / 1e6
    errors = raw["connect"] + raw["read"] + raw["write"] + raw["status"] + raw["timeout"]
    return {"tool": "wrk", "requests": raw["requests"], "seconds": seconds, "rps": raw["requests"] / seconds,
            "errors": errors, "p50_ms": raw["p50_us"] / 1000, "p95_ms": raw["p95_us"] / 1000,
            "p99_ms": raw["p99_us"] / 1000}


# --- Python load generator (when wrk is missing) -----------------------------------------

def python_scenario(port: int, path: str, mode: str, clients: int, duration: float) -> dict:
    """Threads with keep-alive http.client connections, bounded by time and count."""
    prefix, middle, suffix = post_body_parts()
    deadline = time.monotonic() + duration
    lock = threading.Lock()
    latencies: list[float] = []
    errors = [0]
    issued = [0]

    def client(cid: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        n = 0
        last = path  # mixed: the page of the comparison this client created last
        while time.monotonic() < deadline:
            with lock:
                if issued[0] >= MAX_PYTHON_REQUESTS:
                    break
                issued[0] += 1
            n += 1
            mark = f"p{cid}-{n}-{time.time_ns()}"
            post = mode == "post" or (mode == "mixed" and n % 2 == 1)
            t0 = time.perf_counter()
            try:
                if post:
                    conn.request("POST", "/api/comparisons", body=(prefix + mark + middle + mark + suffix).encode(),
                                 headers={"Content-Type": "application/json"})
                else:
                    conn.request("GET", last)
                response = conn.getresponse()
                response.read()
                ok = 200 <= response.status < 400
                location = response.getheader("Location")
                if mode == "mixed" and post and ok and location:
                    last = "/c/" + location.rsplit("/", 1)[-1]
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
            spent = time.perf_counter() - t0
            with lock:
                latencies.append(spent)
                errors[0] += 0 if ok else 1
        conn.close()

    start = time.monotonic()
    workers = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(duration + 60)
    seconds = time.monotonic() - start
    ordered = sorted(latencies) or [0.0]

    def pct(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return {"tool": "python", "requests": len(latencies), "seconds": seconds, "rps": len(latencies) / seconds,
            "errors": errors[0], "p50_ms": statistics.median(ordered) * 1000, "p95_ms": pct(0.95),
            "p99_ms": pct(0.99)}


def run_http(clients: int, duration: float, stored_pair: tuple[str, str], log=print) -> list[dict]:
    """Every scenario against one gunicorn; a result dict per scenario."""
    use_wrk = shutil.which("wrk") is not None
    if not use_wrk:
        log("wrk not found (scripts/system-deps.sh wrk): using the Python load generator, "
            "which shares the 2 cores with gunicorn and understates throughput")
    scenario = wrk_scenario if use_wrk else python_scenario
    results = []
    with gunicorn() as port:
        cid = store_comparison(port, *stored_pair)
        path = f"/c/{cid}"
        for _ in range(WORKERS * 2):  # every worker renders it once before the clock starts
            request(port, "GET", path)
        for name, mode in (("GET /c/<id> (stored)", "get"),
                           ("POST /api/comparisons (new, seeds-sized)", "post"),
                           ("mixed: POST a new comparison, then GET /c/<its id>", "mixed")):
            log(f"  http: {name}, {clients} clients, {duration:g} s ...")
            result = scenario(port, path, mode, clients, duration)
            results.append({"scenario": name, "clients": clients, **result})
    return results
