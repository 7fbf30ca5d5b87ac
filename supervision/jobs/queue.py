"""Enqueue jobs after commit. Without REDIS_URL nothing is enqueued (cron delivers as before).

Jobs are named by their dotted path, so this module imports no task (the tasks import the
services that enqueue through here).
"""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app
from redis import Redis, RedisError
from rq import Queue, Retry
from sqlalchemy import event
from sqlalchemy.orm import Session

from supervision.extensions import db

log = logging.getLogger(__name__)

QUEUE_NAME = "attune"
DELIVER_MAIL = "supervision.jobs.tasks.deliver_mail"
TICK = "supervision.jobs.tasks.tick"
# Seconds before each retry of a failed delivery; after the last the row keeps its error and
# the tick (or `flask mail send`) tries again on the outbox's own back-off.
RETRY_INTERVALS = [30, 120, 600]
TICK_LOCK = "attune:jobs:tick"
_PENDING = "jobs_pending_outbox"  # session.info: outbox ids to enqueue once the commit is done
_EXTENSION = "attune_jobs_redis"


def connection() -> Redis | None:
    """The queue's Redis (one client per app), or None when the app has no REDIS_URL."""
    app = current_app
    if _EXTENSION not in app.extensions:
        url = app.config.get("REDIS_URL")
        app.extensions[_EXTENSION] = Redis.from_url(url) if url else None
    return app.extensions[_EXTENSION]


def job_queue(redis: Redis) -> Queue:
    return Queue(QUEUE_NAME, connection=redis)


def deliver_after_commit(outbox_id: int) -> None:
    """Enqueue the delivery of ``outbox_id`` once the current transaction commits."""
    db.session.info.setdefault(_PENDING, []).append(outbox_id)


def enqueue_delivery(redis: Redis, outbox_ids: list[int]) -> None:
    queue = job_queue(redis)
    retry = Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS)
    queue.enqueue_many(
        [
            Queue.prepare_data(
                DELIVER_MAIL, (outbox_id,), retry=retry, result_ttl=3600, failure_ttl=7 * 86400
            )
            for outbox_id in outbox_ids
        ]
    )


def schedule_tick(redis: Redis, interval_seconds: int) -> bool:
    """Enqueue the periodic tick unless one was enqueued within ``interval_seconds`` by any
    worker: the Redis key is the one scheduler across instances (it expires on its own, so a
    worker that dies holds nothing)."""
    if not redis.set(TICK_LOCK, "1", nx=True, ex=max(interval_seconds, 1)):
        return False
    job_queue(redis).enqueue(TICK, result_ttl=3600, failure_ttl=7 * 86400)
    return True


def _enqueue_committed(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    redis = connection()
    if redis is None:
        return
    try:
        enqueue_delivery(redis, pending)
    except RedisError as error:
        # The rows are stored: the tick or `flask mail send` delivers them, only later.
        log.warning("Could not enqueue %d mail deliveries: %s", len(pending), error)


def _forget_rolled_back(session: Session, *_args: Any) -> None:
    session.info.pop(_PENDING, None)


def init_queue() -> None:
    """Listen to the app's sessions: enqueue after commit, forget on rollback (once)."""
    for name, listener in (
        ("after_commit", _enqueue_committed),
        ("after_rollback", _forget_rolled_back),
    ):
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)
