"""The trail's three readers: who may open each, the site admin's filters, keyset pages on
``seq``, "former member", and a bounded number of queries whatever the page holds."""

from __future__ import annotations

import pytest
from audit_support import counting_queries, detail, entries
from sqlalchemy import delete, select
from support import Browser, shared_case, supervision_world

from supervision.audit import listing
from supervision.audit.trail import note
from supervision.extensions import db
from supervision.models import AuditEntry, User


def _noted(count: int, **fields) -> None:  # type: ignore[no-untyped-def]
    """``count`` entries written as one commit (a CLI command's: no actor unless given)."""
    action = fields.pop("action", "read")
    object_type = fields.pop("object_type", "cases")
    for number in range(count):
        note(action, object_type, number + 1, **fields)
    db.session.commit()


def test_only_site_admins_open_the_whole_trail(app, make_user):
    admin = make_user("Ada Admin", site_admin=True)
    assert Browser(app, make_user()).status("/admin/audit") == 403
    assert "Narrow the list" in Browser(app, admin).text("/admin/audit")


def test_the_admin_nav_link_is_for_site_admins_only(app, make_user):
    admin = make_user(site_admin=True)
    assert 'href="/admin/audit"' not in Browser(app, make_user()).text("/cases/mine")
    assert 'href="/admin/audit"' in Browser(app, admin).text("/cases/mine")


def test_a_groups_trail_is_its_facilitators_alone(app, make_user, make_group):
    world = supervision_world(make_user, make_group)
    case = shared_case(world.group, world.author, title="Silence after the news")
    other = supervision_world(make_user, make_group)
    shared_case(other.group, other.author, title="Another group's case")
    path = f"/groups/{world.group.id}/audit"
    for person in (world.author, world.supervisor, other.facilitator):
        assert Browser(app, person).status(path) == 404
    Browser(app, world.supervisor).text(f"/cases/{case.id}")
    facilitator = Browser(app, world.facilitator)
    assert f'href="{path}"' in facilitator.text(f"/groups/{world.group.id}")
    text = facilitator.text(path)
    # Newest first; the facilitator's own look at the page is noted after it was drawn.
    ours = [e for e in entries() if e.group_id == world.group.id and e.action != "audit_read"]
    theirs = [e for e in entries() if e.group_id == other.group.id]
    assert ours and theirs
    assert all(f">#{e.seq}<" in text for e in ours[-10:])
    assert not [e for e in theirs if f">#{e.seq}<" in text]
    assert f"cases {case.id}" in text and f'href="/cases/{case.id}"' not in text  # not linked


def test_a_supervisees_private_choices_stay_off_the_groups_page(app, make_user, make_group):
    world = supervision_world(make_user, make_group)
    group_id = world.group.id
    for table in listing.PRIVATE_TO_A_PERSON:
        note("create", table, 41, group_id=group_id, actor=world.author.id)
    note("create", "annotations", 42, group_id=group_id, actor=world.author.id)
    db.session.commit()
    text = Browser(app, world.facilitator).text(f"/groups/{group_id}/audit")
    assert "annotations 42" in text
    assert not [t for t in listing.PRIVATE_TO_A_PERSON if t in text]
    admin = Browser(app, make_user(site_admin=True))
    assert all(
        t in admin.text(f"/admin/audit?group={group_id}") for t in listing.PRIVATE_TO_A_PERSON
    )


def test_the_admin_filters_narrow_the_list(app, make_user, login_as):
    admin = make_user(site_admin=True)
    someone = make_user("Kit Keeper", email="kit@example.org")
    _noted(3, action="export", object_type="groups", group_id=7, actor=someone.id)
    _noted(2, action="read", object_type="cases", group_id=8)
    client = login_as(admin)

    def seqs(query: str) -> set[int]:
        text = client.get(f"/admin/audit?{query}").text
        return {e.seq for e in entries() if f">#{e.seq}<" in text}

    exports = {e.seq for e in entries(action="export")}
    assert seqs("action=export") == exports
    assert seqs("person=KIT%40example.org") == exports  # an email, however it is typed
    assert seqs("group=8") == {e.seq for e in entries(group_id=8)}
    assert seqs("object_type=groups&group=7") == exports
    today = entries()[-1].at.date().isoformat()
    assert seqs(f"since={today}&until={today}&action=read") >= {e.seq for e in entries(group_id=8)}
    assert seqs("since=2001-01-01&until=2001-01-02") == set()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("group=many", "Give a group&#39;s number, for example 12."),
        ("group=99999999999999", "Give a group&#39;s number, for example 12."),
        ("since=yesterday", "Give a date as year-month-day"),
        ("since=2026-03-04&until=2026-03-01", "The end of the period comes before its start."),
        ("action=DROP%20TABLE", "An action is a word such as read"),
        ("object_type=" + "x" * 61, "That type is too long."),
    ],
)
def test_bad_filters_get_a_clear_message(app, make_user, login_as, query, message):
    response = login_as(make_user(site_admin=True)).get(f"/admin/audit?{query}")
    assert response.status_code == 400
    assert message in response.text


def test_an_unknown_person_is_said_so(app, make_user, login_as):
    response = login_as(make_user(site_admin=True)).get("/admin/audit?person=who%40example.org")
    assert response.status_code == 200
    assert "No account uses that email address now." in response.text


def test_pages_follow_seq_newest_first_without_gaps_or_repeats(
    app, make_user, login_as, monkeypatch
):
    admin = make_user(site_admin=True)
    _noted(12, group_id=5)
    monkeypatch.setattr(listing, "PER_PAGE", 5)
    client = login_as(admin)
    wanted = [e.seq for e in reversed(entries(group_id=5))]
    seen: list[int] = []
    path = "/admin/audit?group=5"
    for _ in range(5):
        text = client.get(path).text
        seen += [seq for seq in wanted if f">#{seq}<" in text]
        if "Older entries" not in text:
            break
        before = text.split("before=")[1].split("&")[0].split('"')[0]
        path = f"/admin/audit?group=5&before={before}"
    assert seen == wanted  # every entry once, in order, over three pages


def test_a_person_gone_shows_as_a_former_member(app, make_user, login_as):
    admin = make_user(site_admin=True)
    gone = make_user("Gone Person")
    _noted(1, group_id=3, actor=gone.id)
    db.session.execute(delete(User).where(User.id == gone.id))
    db.session.commit()
    text = login_as(admin).get("/admin/audit?group=3").text
    assert "former member" in text and "Gone Person" not in text


def test_a_page_costs_the_same_queries_with_one_entry_or_fifty(app, make_user, login_as):
    admin = make_user(site_admin=True)
    people = [make_user() for _ in range(5)]
    _noted(1, group_id=1, actor=people[0].id)
    client = login_as(admin)
    client.get("/admin/audit?group=1")
    with counting_queries() as few:
        client.get("/admin/audit?group=1")
    for number in range(49):
        note("read", "cases", number, group_id=1, actor=people[number % 5].id)
    db.session.commit()
    with counting_queries() as many:
        client.get("/admin/audit?group=1")
    assert many() == few()


def test_the_list_queries_use_the_trails_indexes(app):
    """On SQLite, EXPLAIN QUERY PLAN names the index; PostgreSQL chooses by statistics."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the planner's choice on PostgreSQL depends on the table's statistics")
    cases = [
        (listing.Filters(group_id=1), "ix_audit_entries_group_seq"),
        (listing.Filters(actor_id=1), "ix_audit_entries_actor_seq"),
        (listing.Filters(action="read"), "ix_audit_entries_action_seq"),
        (listing.Filters(object_type="cases"), "ix_audit_entries_object_type_seq"),
        (
            listing.Filters(subject_id=1, action="read", object_type="cases"),
            "ix_audit_entries_subject_action_seq",
        ),
    ]
    for filters, index in cases:
        query = listing._query(filters, before=100).limit(51)
        compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
        plan = db.session.execute(db.text(f"EXPLAIN QUERY PLAN {compiled}")).all()
        assert any(index in str(row) for row in plan), (filters, plan)


def test_who_read_my_cases_lists_other_readers_with_the_case_title(
    app, make_user, make_group, login_as
):
    world = supervision_world(make_user, make_group)
    case = shared_case(world.group, world.author, title="The unopened letter")
    note(
        "read",
        "cases",
        case.id,
        group_id=world.group.id,
        subject_id=world.author.id,
        actor=world.reader.id,
    )
    note("read", "cases", 999_999, subject_id=world.author.id, actor=world.supervisor.id)
    note("read", "cases", case.id, subject_id=world.reader.id, actor=world.supervisor.id)
    db.session.commit()
    text = login_as(world.author).get("/account/reads").text
    assert "Robin Reader" in text and "The unopened letter" in text
    assert "A case no longer here" in text  # the second read, of a case since gone
    assert text.count("<tr>") == 3  # the header and two reads: not the reader's own entry
    assert 'href="/account/reads"' in login_as(world.author).get("/account/password").text


def test_reading_the_trail_is_itself_noted(app, make_user, login_as):
    admin = make_user(site_admin=True)
    login_as(admin).get("/admin/audit?action=login")
    (looked,) = entries(action="audit_read")
    assert looked.actor_id == admin.id
    assert detail(looked) == {"page": "admin", "filters": ["action"]}  # names, not values


def test_no_entry_is_changed_by_reading(app, make_user, login_as):
    admin = make_user(site_admin=True)
    before = db.session.scalars(select(AuditEntry.hash).order_by(AuditEntry.seq)).all()
    db.session.rollback()
    login_as(admin).get("/admin/audit")
    after = [e.hash for e in entries()]
    assert after[: len(before)] == before
