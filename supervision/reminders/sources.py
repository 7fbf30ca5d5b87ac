"""The registry reminder sources are contributed through: no feature imports here.

A source is a function of "now" returning what is due at that moment. Each ``Due`` carries a
stable ``key`` (e.g. "meeting:41:sign"): a reminder is delivered once per key and person,
however often the sources are asked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from supervision.models import NotificationEvent


@dataclass(frozen=True)
class Due:
    user_id: int
    event: NotificationEvent  # AGREEMENT_TO_SIGN, MEETING_TO_SIGN or EVALUATION_DUE
    key: str  # stable per thing and step: "agreement:12:v2", "meeting:41:sign"
    text: (
        str  # neutral wording, never case text: "A meeting entry of 3 March awaits your signature"
    )
    url: str  # a path inside the site, e.g. from notifications.services.link_to
    group_id: int | None = None


DueSource = Callable[[datetime], Iterable[Due]]

_sources: list[DueSource] = []


def register_due_source(source: DueSource) -> DueSource:
    """Register ``source(now) -> Iterable[Due]``; usable as a decorator."""
    if source not in _sources:
        _sources.append(source)
    return source


def due_now(now: datetime) -> list[Due]:
    return [due for source in _sources for due in source(now)]
