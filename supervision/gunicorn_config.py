"""Gunicorn settings: `gunicorn -c python:supervision.gunicorn_config wsgi:app`.

Every value can be set from the environment. The defaults were chosen by measurement on a
2-core machine (docs/deploy.md): threaded workers, two per core, four threads each, because a
request spends much of its time waiting on PostgreSQL and Redis, and threads wait cheaply.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from typing import Any

from werkzeug.middleware.proxy_fix import ProxyFix

from supervision.extensions import db


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


# Loopback by default: the TLS proxy in front is the only client. Instances on other machines
# bind a private address (GUNICORN_BIND=10.0.0.5:8000), never a public one.
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]
workers = _int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count())
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)
# A slow request is cut off rather than holding a worker; uploads are small (1 MiB cap).
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then (jittered so they do not all restart at once).
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 500)
# Not preloaded: each worker builds its own app, database pool and Redis clients, so no
# connection is ever shared across a fork. GUNICORN_PRELOAD=1 saves memory (the app opens no
# connection while it is created); the pool is then emptied in each worker after the fork.
preload_app = os.environ.get("GUNICORN_PRELOAD", "") in {"1", "true", "yes"}

# Gunicorn's control socket is one fixed path per user: two instances on one host would share
# it. Off unless a path is given (GUNICORN_CONTROL_SOCKET=/run/attune/gunicorn.ctl).
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The path only, never the query string (a reset link's token would reach the log).
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'

# Behind the proxy: trust its X-Forwarded-Proto (gunicorn) and X-Forwarded-For/-Proto
# (ProxyFix: the client's address, which the rate limits count by) from this many proxies.
# FORWARDED_PROXIES=0 when nothing is in front (then a client could not pick its address).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
PROXIES = _int("FORWARDED_PROXIES", 1)


def post_fork(server: Any, worker: Any) -> None:
    if preload_app:
        # Connections opened in the master (if any) must not be shared by the children.
        with server.app.wsgi().app_context():
            db.engine.dispose(close=False)


def post_worker_init(worker: Any) -> None:
    if PROXIES > 0:
        worker.wsgi = ProxyFix(worker.wsgi, x_for=PROXIES, x_proto=PROXIES)
    # The app's modules, models and compiled templates live as long as the worker: moved out
    # of the collector's reach, a full collection walks what requests made (about 10,000
    # objects) rather than 290,000, and stops pausing a request for about 200 ms every couple
    # of hundred requests (measured on the case page; docs/performance.md).
    gc.freeze()
