"""`flask --app wsgi worker`: run the job queue (mail delivery, the periodic reminders)."""

from __future__ import annotations

import contextlib
import threading

import click
from flask.cli import with_appcontext
from redis import Redis, RedisError
from rq import SimpleWorker

from supervision.jobs.queue import connection, job_queue, schedule_tick

# How often the ticker asks for the lock; the tick itself runs at most once per interval.
_POLL_SECONDS = 15


def _ticker(redis: Redis, interval: int, stop: threading.Event) -> None:
    while not stop.is_set():
        # Redis away: the worker's own loop reports it; the ticker tries again next time.
        with contextlib.suppress(RedisError):
            schedule_tick(redis, interval)
        stop.wait(min(interval, _POLL_SECONDS))


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run what is queued (and one tick), then stop.")
@click.option(
    "--tick-seconds",
    default=300,
    show_default=True,
    help="Reminders and the mail sweep run this often, once across all workers.",
)
@with_appcontext
def worker_command(burst: bool, tick_seconds: int) -> None:
    """Deliver queued mail (with retries) and run reminders periodically. Needs REDIS_URL."""
    redis = connection()
    if redis is None:
        raise click.ClickException("REDIS_URL is not set: use `flask mail send` from cron.")
    # SimpleWorker runs jobs in this process: the app context and its connection pool are
    # reused (a forking worker would share pooled database connections with its children).
    worker = SimpleWorker([job_queue(redis)], connection=redis)
    stop = threading.Event()
    if burst:
        schedule_tick(redis, tick_seconds)
    else:
        threading.Thread(target=_ticker, args=(redis, tick_seconds, stop), daemon=True).start()
    try:
        # The scheduler runs the retries' delayed jobs; RQ holds one scheduler per queue.
        worker.work(burst=burst, with_scheduler=True)
    finally:
        stop.set()
