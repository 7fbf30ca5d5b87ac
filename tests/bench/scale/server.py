"""The app under gunicorn for the bench, with a bare Flask route beside it.

It runs as production does: sessions, rate limits and jobs in Redis (``served_settings``; the
bench's Redis database is emptied before each server starts, so one run's logins do not count
against the next run's limit), mail left in the outbox for the worker.

``/__bare__/<n>`` answers ``n`` bytes from memory: the ceiling a page is compared with (same
server, same workers, same HTTP stack; only the app's own work differs). The wrapper exists
only here; production serves ``wsgi:app``.

Gunicorn: ``supervision/gunicorn_config.py`` is used when it exists; otherwise 2 sync workers
(what issue 13 measured). ``BENCH_WORKERS`` / ``BENCH_THREADS`` override either.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis
from flask import Flask, Response
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from tests.bench.scale.seed import bench_app, served_settings

REPO = Path(__file__).resolve().parents[3]
CONFIG = REPO / "supervision" / "gunicorn_config.py"


def bare_app() -> Flask:
    bare = Flask("bare")
    cache: dict[int, bytes] = {}

    @bare.get("/<int:size>")
    def payload(size: int) -> Response:
        body = cache.get(size) or cache.setdefault(size, b"x" * min(size, 10_000_000))
        return Response(body, mimetype="text/html")

    return bare


def build() -> DispatcherMiddleware:
    """The WSGI app gunicorn serves: Attune on the bench database, and the bare route."""

    app = bench_app(os.environ["BENCH_DATABASE_URL"], **served_settings())
    return DispatcherMiddleware(app, {"/__bare__": bare_app()})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def gunicorn_command(port: int) -> list[str]:
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}"]
    if CONFIG.is_file():
        command += ["--config", "python:supervision.gunicorn_config"]
    else:
        command += ["--workers", "2", "--worker-class", "sync"]
    if workers := os.environ.get("BENCH_WORKERS"):
        command += ["--workers", workers]
    if threads := os.environ.get("BENCH_THREADS"):
        command += ["--threads", threads]
    return [
        *command,
        "--access-logfile",
        "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
        "tests.bench.scale.server:build()",
    ]


@contextmanager
def serving(database_url: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """Gunicorn serving the bench app on a free loopback port; yields its base URL."""
    port = free_port()
    if redis_url := served_settings().get("REDIS_URL"):
        redis.Redis.from_url(redis_url).flushdb()
    environment = {
        **os.environ,
        "BENCH_DATABASE_URL": database_url,
        "SUPERVISION_ENV": "production",
        "PYTHONPATH": str(REPO),
        **(env or {}),
    }
    log = open(f"/tmp/bench_gunicorn_{port}.log", "w")  # noqa: SIM115, S108
    process = subprocess.Popen(
        gunicorn_command(port), cwd=REPO, env=environment, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(port, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def _wait_until_up(port: int, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"gunicorn exited ({process.returncode}); see /tmp/bench_gunicorn_{port}.log"
            )
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start listening in time")
