"""SQL statements per page, counted in-process with the app's test client on the bench
database, and the slowest of them (which queries dominate a page)."""

from __future__ import annotations

import cProfile
import io
import pstats
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from supervision.extensions import db
from tests.bench.scale.pages import PAGES, Page, login_form, resolve

# Flask-Session's housekeeping (one request in 201), not what a page costs.
SESSION_CLEANUP = "DELETE FROM server_sessions WHERE server_sessions.expiry"


@dataclass
class Statements:
    timings: list[tuple[float, str]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.timings)

    def slowest(self, n: int = 3) -> list[dict[str, Any]]:
        top = sorted(self.timings, reverse=True)[:n]
        return [{"ms": round(ms, 2), "sql": " ".join(sql.split())[:300]} for ms, sql in top]


@contextmanager
def recording(app: Flask) -> Iterator[Statements]:
    found = Statements()
    started: list[float] = []

    def before(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        started.append(time.perf_counter())

    def after(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        ms = (time.perf_counter() - started.pop()) * 1000
        if not " ".join(statement.split()).startswith(SESSION_CLEANUP):
            found.timings.append((ms, statement))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield found
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def logged_in(app: Flask, user_id: int) -> FlaskClient:
    client = app.test_client()
    form = login_form(lambda: client.get("/login").get_data(as_text=True), user_id)
    response = client.post("/login", data=form)
    if response.status_code != 302:
        raise RuntimeError(f"login of user {user_id} failed ({response.status_code})")
    return client


def page_statements(app: Flask, pages: tuple[Page, ...] = PAGES) -> dict[str, dict[str, Any]]:
    """Per page: its path, status, statements issued on a warm second request, the slowest."""
    clients: dict[int, FlaskClient] = {}
    result: dict[str, dict[str, Any]] = {}
    for page in pages:
        client = clients.get(page.user_id) or clients.setdefault(
            page.user_id, logged_in(app, page.user_id)
        )
        path = resolve(page, lambda p, c=client: c.get(p).get_data(as_text=True))
        client.get(path)  # warm: first-use caches are not what a page costs
        with recording(app) as statements:
            response = client.get(path)
        result[page.name] = {
            "path": path,
            "status": response.status_code,
            "queries": statements.count,
            "bytes": len(response.get_data()),
            "slowest": statements.slowest(),
            "html": response.get_data(as_text=True),
        }
    return result


def profile_page(app: Flask, page: Page, repeat: int = 5, top: int = 25) -> str:
    """A cProfile of ``repeat`` warm requests to the page (in-process): where its time goes."""
    client = logged_in(app, page.user_id)
    path = resolve(page, lambda p: client.get(p).get_data(as_text=True))
    client.get(path)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        client.get(path)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return f"{page.name} ({path}), {repeat} requests\n{out.getvalue()}"
