"""The seeded world's discussions, notifications, meetings and sharing (see rows.py for ids).

Posts of all threads are interleaved in time, as on a real server: a long thread's posts are
spread over the whole ``posts`` table, not one run of ids.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from tests.bench.scale.content import post_body
from tests.bench.scale.presets import HOT_POSTS, REVIEWERS, WORLD, member_ids
from tests.bench.scale.rows import Ctx, Row

QUOTE_CHARS = 120


def free_threads(ctx: Ctx) -> Iterator[Row]:
    for t in range(1, ctx.free_threads() + 1):
        g = (t - 1) // ctx.sizes.threads_per_group
        title = "A long conversation" if t == WORLD.long_thread_id else f"Reading group {t}"
        yield {
            "id": t,
            "group_id": g + 1,
            "title": title,
            "author_id": member_ids(ctx.sizes, g)[t % 4],
            "created_at": ctx.start,
            "last_post_at": ctx.start,  # set from the posts below
        }


def case_threads(ctx: Ctx) -> Iterator[Row]:
    for c in ctx.shared_cases():
        yield {
            "id": ctx.case_thread_id(c),
            "group_id": ctx.group_of_case(c) + 1,
            "case_id": c,
            "title": "Case discussion",  # CASE_THREAD_TITLE
            "author_id": ctx.author_of_case(c),
            "created_at": ctx.case_time(c),
            "last_post_at": ctx.case_time(c),
        }


def post_counts(ctx: Ctx) -> dict[int, int]:
    """Posts per thread: the long thread, the hot case's thread, and the rest spread evenly
    (half over case threads, half over free-standing threads)."""
    long_id, hot_id = WORLD.long_thread_id, ctx.case_thread_id(WORLD.hot_case_id)
    counts = {long_id: ctx.sizes.long_thread_posts, hot_id: HOT_POSTS}
    rest = max(0, ctx.sizes.posts - sum(counts.values()))
    free = [t for t in range(1, ctx.free_threads() + 1) if t != long_id]
    on_cases = [ctx.case_thread_id(c) for c in ctx.shared_cases()]
    on_cases.remove(hot_id)
    for pool, budget in ((on_cases, rest // 2), (free, rest - rest // 2)):
        base, extra = divmod(budget, len(pool))
        counts.update({t: base + (1 if i < extra else 0) for i, t in enumerate(pool)})
    return counts


def thread_group(ctx: Ctx, thread_id: int) -> int:
    if thread_id <= ctx.free_threads():
        return (thread_id - 1) // ctx.sizes.threads_per_group
    return ctx.group_of_case(thread_id - ctx.free_threads())


def posts(ctx: Ctx) -> Iterator[Row]:
    """Every post, in time order (threads' ``last_post_at`` is set from them afterwards)."""
    counts = post_counts(ctx)
    order = [t for t, n in counts.items() for _ in range(n)]
    ctx.rng.shuffle(order)
    span = (ctx.now - ctx.start - timedelta(days=1)) / max(1, len(order))
    seq: dict[int, int] = {}
    previous: dict[int, tuple[int, str]] = {}
    members = {g: member_ids(ctx.sizes, g) for g in range(ctx.sizes.groups)}
    for n, thread_id in enumerate(order, start=1):
        k = seq[thread_id] = seq.get(thread_id, 0) + 1
        body, html = post_body(k, n)
        at = ctx.start + span * n
        people = members[thread_group(ctx, thread_id)]
        reply = previous.get(thread_id) if k % 5 == 0 else None
        previous[thread_id] = (n, body[:QUOTE_CHARS])
        yield {
            "id": n,
            "thread_id": thread_id,
            "author_id": people[(n * 7 + k) % len(people)],
            "reply_to_id": reply[0] if reply else None,
            "reply_quote": reply[1] if reply else "",
            "body": body,
            "body_html": html,
            "created_at": at,
        }


def thread_reads(ctx: Ctx) -> Iterator[Row]:
    """The personas have read the group's threads up to about the middle."""
    n = 0
    for t in range(1, ctx.sizes.threads_per_group + 1):
        for user_id in (WORLD.supervisor_id, WORLD.supervisee_id, WORLD.notified_id):
            n += 1
            yield {"id": n, "thread_id": t, "user_id": user_id, "last_read_post_id": 1}


def notifications(ctx: Ctx) -> Iterator[Row]:
    n = 0
    for user_id in range(1, ctx.sizes.users + 1):
        many = user_id == WORLD.notified_id
        for j in range(
            ctx.sizes.persona_notifications if many else ctx.sizes.notifications_per_user
        ):
            n += 1
            case_id = 1 + (n * 13) % ctx.sizes.cases
            yield {
                "id": n,
                "user_id": user_id,
                "event": "case_shared",
                "text": "A case was shared in your group.",
                "url": f"/cases/{case_id}",
                "actor_id": ctx.author_of_case(case_id),
                "group_id": ctx.group_of_case(case_id) + 1,
                "subject_type": "case",
                "subject_id": case_id,
                "created_at": ctx.now - timedelta(minutes=n),
                "read_at": ctx.now if j % 3 == 0 else None,
            }


def meetings_and_attendees(ctx: Ctx) -> tuple[list[Row], list[Row]]:
    meetings: list[Row] = []
    attendees: list[Row] = []
    for g in range(ctx.sizes.groups):
        people = member_ids(ctx.sizes, g)
        count = ctx.sizes.persona_meetings if g == 0 else ctx.sizes.meetings_per_group
        for j in range(count):
            mid = len(meetings) + 1
            held = (ctx.now - timedelta(days=1 + j * 300 // max(1, count))).date()
            meetings.append(
                {
                    "id": mid,
                    "group_id": g + 1,
                    "held_on": held,
                    "duration_minutes": 60,
                    "format": "group",
                    "modality": "video",
                    "supervisor_id": people[1],
                    "notes": "We discussed pacing.",
                    "notes_html": "<p>We discussed pacing.</p>",
                    "drafted_by_id": people[1],
                    "signed_name": f"Supervisor {people[1]}",
                    "signed_at": ctx.now - timedelta(days=j * 300 // max(1, count)),
                }
            )
            for user_id in people[REVIEWERS : REVIEWERS + 6]:
                attendees.append({"id": len(attendees) + 1, "meeting_id": mid, "user_id": user_id})
    return meetings, attendees


def growth_shares(ctx: Ctx) -> list[Row]:
    """The supervisee persona shares growth with the supervisor persona (their desk shows it)."""
    return [
        {
            "id": 1,
            "supervisee_id": WORLD.supervisee_id,
            "supervisor_id": WORLD.supervisor_id,
            "group_id": WORLD.group_id,
        }
    ]
