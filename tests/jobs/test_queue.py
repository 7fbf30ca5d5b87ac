"""Mail on the job queue: enqueued only by a commit, delivered by a worker, retried on a failing
SMTP server, never sent twice when the cron command races the worker, and the periodic tick
scheduled once across workers. Real Redis when the suite has REDIS_URL, fakeredis otherwise."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import fakeredis
import pytest
from aiosmtpd.controller import Controller
from conftest import RecordingHandler, post
from flask import Flask
from redis import Redis
from rq import SimpleWorker
from rq.registry import FailedJobRegistry
from sqlalchemy import func, select
from support import free_port, outbox

from supervision.extensions import db
from supervision.jobs import queue as jobs_queue
from supervision.jobs.queue import job_queue, schedule_tick
from supervision.mail.services import queue_mail
from supervision.models import NotificationEvent, OutboxMessage, ReminderDelivery, User
from supervision.reminders import sources
from supervision.reminders.sources import Due, register_due_source

RESET_SUBJECT = "Reset your Attune password"


@pytest.fixture()
def redis(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Redis]:
    """The queue's Redis: the suite's own database on the Redis run, else an in-memory one."""
    url = app.config.get("REDIS_URL")
    connection = Redis.from_url(url) if url else fakeredis.FakeRedis()
    connection.flushdb()
    monkeypatch.setitem(app.extensions, "attune_jobs_redis", connection)
    yield connection
    connection.flushdb()


def run_worker(redis: Redis) -> None:
    """What `flask worker --burst` does: run every queued job in this process, then stop."""
    SimpleWorker([job_queue(redis)], connection=redis).work(burst=True)


def request_reset(client, email: str) -> None:  # type: ignore[no-untyped-def]
    assert post(client, "/password/forgot", {"email": email}).status_code == 302


class FlakyHandler(RecordingHandler):
    """Refuses the first ``failures`` messages with a temporary error, then accepts."""

    def __init__(self, failures: int, delay: float = 0.0) -> None:
        super().__init__()
        self.failures = failures
        self.delay = delay
        self.refused = 0

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.refused < self.failures:
            self.refused += 1
            return "451 Try again later"
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture()
def smtp(smtp_config) -> Iterator:  # type: ignore[no-untyped-def]
    """Start a handler on a free port the app sends to; stopped afterwards."""
    controllers: list[Controller] = []

    def start(handler: RecordingHandler) -> RecordingHandler:
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        smtp_config(port)
        return handler

    yield start
    for controller in controllers:
        controller.stop()


# -- enqueued by the commit, and only by it --------------------------------------------------------


def test_a_committed_mail_is_enqueued_with_its_outbox_id(app, client, make_user, redis) -> None:
    user = make_user(email="ada@example.org")
    request_reset(client, user.email)
    [row] = outbox()
    [job] = job_queue(redis).get_jobs()
    assert job.func_name == "supervision.jobs.tasks.deliver_mail"
    assert job.args == (row.id,)  # the job carries the id, never the text or the link
    assert job.retries_left == len(jobs_queue.RETRY_INTERVALS)


def test_a_rolled_back_mail_enqueues_nothing(app, make_user, redis) -> None:
    user = make_user()
    queue_mail("someone@example.org", "Changed", "email_changed", user=user)
    db.session.rollback()
    assert outbox() == []
    assert job_queue(redis).count == 0
    db.session.commit()  # a later commit does not enqueue what was rolled back
    assert job_queue(redis).count == 0


def test_without_redis_nothing_is_enqueued_and_cron_still_delivers(
    app, client, make_user, monkeypatch, start_smtp, smtp_config
) -> None:
    monkeypatch.setitem(app.extensions, "attune_jobs_redis", None)  # as with no REDIS_URL
    user = make_user(email="cron@example.org")
    port = free_port()
    server = start_smtp(port)
    smtp_config(port)
    request_reset(client, user.email)
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert "1 sent, 0 failed" in result.output
    assert [to for to, _ in server.received] == [["cron@example.org"]]


# -- delivered by a worker, retried ----------------------------------------------------------------


def test_a_worker_delivers_the_mail_once(app, client, make_user, redis, smtp) -> None:
    server = smtp(RecordingHandler())
    user = make_user(email="bo@example.org")
    request_reset(client, user.email)

    run_worker(redis)

    [(recipients, message)] = server.received
    assert recipients == ["bo@example.org"] and message["Subject"] == RESET_SUBJECT
    [row] = outbox()
    assert row.sent_at is not None and row.attempts == 1 and row.sealed_link is None
    # The same job run again (a duplicate enqueue) finds it sent and sends nothing.
    jobs_queue.enqueue_delivery(redis, [row.id])
    run_worker(redis)
    assert len(server.received) == 1


def test_the_worker_command_runs_the_queue(app, client, make_user, redis, smtp) -> None:
    server = smtp(RecordingHandler())
    user = make_user(email="cli@example.org")
    request_reset(client, user.email)
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert [to for to, _ in server.received] == [["cli@example.org"]]


def test_the_worker_command_needs_redis(app, monkeypatch) -> None:
    monkeypatch.setitem(app.extensions, "attune_jobs_redis", None)
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code != 0
    assert "REDIS_URL is not set" in result.output


def test_a_failing_smtp_server_is_retried_until_it_accepts(
    app, client, make_user, redis, smtp, monkeypatch
) -> None:
    monkeypatch.setattr(jobs_queue, "RETRY_INTERVALS", [0, 0, 0])  # retry at once, in the burst
    server = smtp(FlakyHandler(failures=2))
    user = make_user(email="cy@example.org")
    request_reset(client, user.email)

    run_worker(redis)

    assert server.refused == 2
    assert [to for to, _ in server.received] == [["cy@example.org"]]
    [row] = outbox()
    assert row.sent_at is not None and row.attempts == 3 and row.last_error is None
    assert FailedJobRegistry(queue=job_queue(redis)).count == 0


def test_after_the_last_retry_the_row_keeps_its_error_for_later(
    app, client, make_user, redis, smtp, monkeypatch
) -> None:
    monkeypatch.setattr(jobs_queue, "RETRY_INTERVALS", [0])
    server = smtp(FlakyHandler(failures=99))
    user = make_user(email="di@example.org")
    request_reset(client, user.email)

    run_worker(redis)

    assert server.received == [] and server.refused == 2  # the first try and one retry
    [row] = outbox()
    assert row.sent_at is None and row.attempts == 2
    assert "451" in (row.last_error or "")
    assert row.next_attempt_at > row.created_at  # backed off: cron or the tick sends it later
    assert FailedJobRegistry(queue=job_queue(redis)).count == 1


def test_cron_and_worker_racing_send_each_mail_once(app, client, make_user, redis, smtp) -> None:
    # A slow server holds each sender inside its claim while the other tries the same rows.
    server = smtp(FlakyHandler(failures=0, delay=0.3))
    emails = [f"race{n}@example.org" for n in range(3)]
    for email in emails:
        request_reset(client, make_user(email=email).email)
    cron_errors: list[BaseException] = []

    def cron() -> None:
        try:
            app.test_cli_runner().invoke(args=["mail", "send"], catch_exceptions=False)
        except BaseException as error:
            cron_errors.append(error)

    racer = threading.Thread(target=cron)
    racer.start()
    run_worker(redis)  # the worker needs the main thread (it installs signal handlers)
    racer.join(timeout=30)

    received = sorted(to[0] for to, _ in server.received)
    assert received == emails  # each once, none twice
    assert all(row.sent_at is not None for row in outbox())
    if db.engine.dialect.name == "postgresql":
        assert cron_errors == []  # the row lock makes the loser wait or pass, never fail


# -- the periodic tick: reminders and the mail sweep, once across workers -------------------------


def test_the_tick_is_scheduled_once_across_workers(app, redis) -> None:
    assert schedule_tick(redis, 300) is True
    assert schedule_tick(redis, 300) is False  # a second worker within the interval
    assert [job.func_name for job in job_queue(redis).get_jobs()] == ["supervision.jobs.tasks.tick"]


def test_the_tick_delivers_reminders_and_mail_still_due(
    app, make_user, redis, smtp, monkeypatch
) -> None:
    server = smtp(RecordingHandler())
    monkeypatch.setattr(sources, "_sources", [])
    person: User = make_user(email="tick@example.org")
    register_due_source(
        lambda now: [
            Due(person.id, NotificationEvent.MEETING_TO_SIGN, "meeting:7:sign", "Sign", "/", None)
        ]
    )
    lost_id = queue_mail("lost@example.org", "Changed", "email_changed", user=person).id
    db.session.commit()
    job_queue(redis).empty()  # as if the job were lost: the tick's sweep still sends the row

    schedule_tick(redis, 300)
    run_worker(redis)

    assert "lost@example.org" in [to[0] for to, _ in server.received]
    db.session.expire_all()
    assert db.session.get(OutboxMessage, lost_id).sent_at is not None  # type: ignore[union-attr]
    assert _deliveries() == 1

    # The next tick (once the interval has passed) finds the reminder delivered already.
    redis.delete(jobs_queue.TICK_LOCK)
    assert schedule_tick(redis, 300) is True
    run_worker(redis)
    assert _deliveries() == 1


def _deliveries() -> int:
    return db.session.scalar(select(func.count(ReminderDelivery.id))) or 0
