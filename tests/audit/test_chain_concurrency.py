"""Writers committing at the same moment never fork the chain: each entry links to the one
committed just before it, whichever transaction wrote it. On PostgreSQL (the CI pass with
TEST_DATABASE_URL) the chain's head row lock serializes them; on SQLite the write lock does."""

from __future__ import annotations

import threading

from supervision.audit.chain import verify
from supervision.audit.trail import record
from supervision.extensions import db

WRITERS = 3
COMMITS_EACH = 4
TIMEOUT = 60


def test_simultaneous_commits_leave_one_unbroken_chain(app, make_user):
    make_user()
    db.session.commit()
    barrier = threading.Barrier(WRITERS, timeout=TIMEOUT)
    failures: list[str] = []

    def write(number: int) -> None:
        with app.app_context():
            try:
                barrier.wait()  # all start together
                for commit in range(COMMITS_EACH):
                    record("test_write", "users", detail={"writer": number, "commit": commit})
                    db.session.commit()
            except Exception as error:  # reported below, so the assertion shows it
                failures.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a writer hung"
    assert failures == []
    db.session.expire_all()
    count, problems = verify(db.session)
    assert problems == []
    assert count >= WRITERS * COMMITS_EACH + 1  # the user's creation, then every write
