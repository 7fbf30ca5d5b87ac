"""When things happened in the demo workspace.

The services stamp every row with the moment it is written, so a freshly loaded demo would say
that everything happened in the same minute. Each demo module therefore gives its content a
schedule in days before the load (``DemoWorkspace.ago``) and, once the services have built the
content, dates the rows from it: nothing is in the future, and nothing comes before what it
depends on (a case is shared before it is discussed, reviewed or annotated; a review is started,
submitted and released in that order). ``tests/test_demo_timeline.py`` checks this.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import func, select, update

from supervision.extensions import db
from supervision.models import Notification

# The demo people signed up this many days before the load; their groups began a little later.
# Months of history: the growth charts, calibration rounds and relationship trend span them.
PEOPLE_DAYS_AGO = 200.0
GROUPS_DAYS_AGO = 195.0


@contextmanager
def notifications_at(when: datetime) -> Iterator[None]:
    """Date the notifications sent inside the block at ``when``, the moment of their event."""
    before = db.session.scalar(select(func.max(Notification.id))) or 0
    yield
    db.session.flush()
    db.session.execute(update(Notification).where(Notification.id > before).values(created_at=when))
