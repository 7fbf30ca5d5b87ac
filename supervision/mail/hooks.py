"""Queued mail becomes a job after commit (with REDIS_URL); in development, mail is also
delivered to the log right after each request."""

from __future__ import annotations

from flask import Flask, Response

from supervision.jobs.queue import init_queue
from supervision.mail.services import LogTransport, deliver_due


def init_mail(app: Flask) -> None:
    init_queue()
    if app.config["MAIL_TRANSPORT"] != "log":
        return

    @app.after_request
    def _deliver_to_log(response: Response) -> Response:
        # Runs after the view committed; whatever it queued is printed for the developer.
        deliver_due(LogTransport())
        return response
