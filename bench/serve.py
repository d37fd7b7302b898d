"""Servers the page benchmarks time over real HTTP, and the timing itself.

`gunicorn(db)` serves the catalogue from a bench database with 2 sync workers on
127.0.0.1; `datasette(path)` serves a SQLite file. Both are started as child processes
and stopped (by their own process id) when the block ends.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, timeout: float = 300) -> tuple[int, bytes]:
    """GET http://127.0.0.1:port/path (path percent-encoded as a browser would) -> status, body."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", quote(path, safe="/?&=%:+,._-~"), headers={"Host": "localhost"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def stream(port: int, path: str, size: int = 65536) -> Iterator[bytes]:
    """GET path and yield the body in chunks as it arrives; fails unless 200."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        conn.request("GET", quote(path, safe="/?&=%:+,._-~"), headers={"Host": "localhost"})
        response = conn.getresponse()
        if response.status != 200:
            raise SystemExit(f"GET {path} on port {port} answered {response.status}")
        while chunk := response.read1(size):
            yield chunk
    finally:
        conn.close()


def _wait(port: int, path: str, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server on port {port} exited with {process.returncode}")
        try:
            if get(port, path, timeout=30)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"server on port {port} did not answer {path} within {seconds:.0f} s")


@contextlib.contextmanager
def _running(argv: list[str], env: dict, ready: str) -> Iterator[int]:
    port = free_port()
    argv = [a.replace("{port}", str(port)) for a in argv]
    (REPO / "bench" / "out").mkdir(exist_ok=True)  # git-ignored: absent in a fresh clone
    log = open(REPO / "bench" / "out" / f"server-{port}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        argv, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        _wait(port, ready, process)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)  # gunicorn stops its workers on TERM
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@contextlib.contextmanager
def gunicorn(db_name: str, workers: int = 2) -> Iterator[int]:
    """The catalogue over HTTP from bench database db_name: yields its port."""
    env = {**os.environ, "CATALOGUE_DB_NAME": db_name, "DJANGO_DEBUG": "0"}
    if env.get("DATABASE_URL"):
        base, _, _ = env["DATABASE_URL"].rpartition("/")
        env["DATABASE_URL"] = f"{base}/{db_name}"
    argv = [str(BIN / "gunicorn"), "config.wsgi:application", "--workers", str(workers)]
    argv += ["--bind", "127.0.0.1:{port}", "--timeout", "300", "--log-level", "warning"]
    with _running(argv, env, "/") as port:
        yield port


@contextlib.contextmanager
def datasette(path: Path) -> Iterator[int]:
    """Datasette serving the SQLite file at path read-only (immutable): yields its port."""
    argv = [str(BIN / "datasette"), "serve", "-i", str(path), "--host", "127.0.0.1"]
    argv += ["--port", "{port}", "--setting", "suggest_facets", "off"]
    argv += ["--setting", "default_page_size", "50", "--setting", "max_csv_mb", "0"]
    argv += ["--setting", "sql_time_limit_ms", "10000"]
    with _running(argv, dict(os.environ), f"/{path.stem}") as port:
        yield port


def timed_get(port: int, path: str) -> tuple[float, int]:
    """Milliseconds of one GET of path, and the size of the body; fails unless 200."""
    start = time.perf_counter()
    status, body = get(port, path)
    elapsed = (time.perf_counter() - start) * 1000
    if status != 200:
        raise SystemExit(f"GET {path} on port {port} answered {status}")
    return elapsed, len(body)


def summary(times: list[float]) -> dict[str, float]:
    """Median, 95th percentile and maximum of a list of milliseconds."""
    ordered = sorted(times)
    p95 = (
        statistics.quantiles(ordered, n=20, method="inclusive")[-1]
        if len(ordered) > 1
        else ordered[0]
    )
    return {"median": statistics.median(ordered), "p95": p95, "max": ordered[-1]}
