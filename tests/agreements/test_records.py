"""What agreements give the rest of the platform: the signature reminder, the portfolio
section (signed versions only, with the supervisor's credentials), and redaction."""

from __future__ import annotations

from datetime import date, timedelta

from agreements_support import Scene, make_scene
from support import shared_case

from supervision.agreements.credentials import add_credential
from supervision.agreements.records import agreements_section, agreements_to_sign
from supervision.agreements.services import (
    group_template,
    propose_change,
    save_draft,
    save_template,
    sign_version,
    start_agreement,
)
from supervision.auth.reauth import Signature
from supervision.cases.privacy import redact_passage
from supervision.exports.sections import portfolio_sections
from supervision.extensions import db
from supervision.models import Agreement, NotificationEvent
from supervision.models.types import utcnow
from supervision.reminders.sources import due_now


def _agreement(scene: Scene) -> Agreement:
    agreement = start_agreement(scene.group, scene.supervisee, scene.supervisor)
    db.session.commit()
    return agreement


def _sign(agreement: Agreement, user, when=None) -> None:  # type: ignore[no-untyped-def]
    version = agreement.latest
    sign_version(
        version, user, Signature(user.display_name, when or utcnow()), version.edit_version
    )
    db.session.commit()


def test_a_signature_awaited_for_a_day_is_a_reminder_to_that_party(  # type: ignore[no-untyped-def]
    app, make_user, make_group
) -> None:
    scene = make_scene(make_user, make_group)
    agreement = _agreement(scene)
    version = agreement.latest
    now = utcnow()
    with app.test_request_context():
        assert list(agreements_to_sign(now)) == []  # just written: not yet
        later = now + timedelta(days=1, minutes=1)
        due = {d.user_id: d for d in agreements_to_sign(later)}
        assert set(due) == {scene.supervisor.id, scene.supervisee.id}
        _sign(agreement, scene.supervisee, now)
        due = list(agreements_to_sign(later))
        assert [d.user_id for d in due] == [scene.supervisor.id]
        reminder = due[0]
        assert reminder.key == f"agreement:{version.id}:{scene.supervisor.id}"
        assert reminder.event is NotificationEvent.AGREEMENT_TO_SIGN
        assert reminder.url == f"/agreements/{agreement.id}"
        assert "Alex Trainee" in reminder.text and reminder.group_id == scene.group.id
        assert reminder in due_now(later)  # registered by create_app
        _sign(agreement, scene.supervisor, now)
        assert list(agreements_to_sign(later + timedelta(days=5))) == []


def test_the_portfolio_holds_signed_versions_with_the_credentials_of_their_day(  # type: ignore[no-untyped-def]
    app, make_user, make_group
) -> None:
    scene = make_scene(make_user, make_group)
    add_credential(scene.supervisor, "LPC-S", "12345", "Texas", date(2999, 1, 1))
    add_credential(scene.supervisor, "Expired", "1", "Texas", date(2000, 1, 1))
    agreement = _agreement(scene)
    empty = agreements_section(scene.supervisee)
    assert empty.records == [] and "No signed agreement." in empty.markdown  # drafts stay out
    _sign(agreement, scene.supervisee)
    _sign(agreement, scene.supervisor)
    propose_change(agreement, scene.supervisee)  # a draft version 2: not in the portfolio
    db.session.commit()
    section = agreements_section(scene.supervisee)
    assert section.key == "agreements"
    assert [r["version"] for r in section.records] == [1]
    record = section.records[0]
    assert record["signed_by_both"] and record["supervisor_credentials"] == [
        "LPC-S 12345 (Texas, until 2999-01-01)"
    ]
    assert "LPC-S 12345" in section.markdown and "Goals of supervision" in section.markdown
    assert "signed “Alex Trainee”" in section.markdown
    assert agreements_section(scene.other_supervisee).records == []  # only one's own
    with app.test_request_context():
        assert "agreements" in [s.key for s in portfolio_sections(scene.supervisee)]


def test_a_redaction_reaches_agreements_and_the_template(make_user, make_group) -> None:  # type: ignore[no-untyped-def]
    scene = make_scene(make_user, make_group)
    passage = "offered a small gift"
    case = shared_case(scene.group, scene.supervisee)
    agreement = _agreement(scene)
    version = agreement.latest
    texts = version.sections() | {"goals": f"Talk about when a client {passage} in session."}
    save_draft(version, scene.supervisee, texts, version.edit_version)
    _sign(agreement, scene.supervisee)  # signed text is scrubbed too
    save_template(scene.group, scene.facilitator, texts, 0)
    db.session.commit()
    redact_passage(case, scene.facilitator, passage)
    db.session.commit()
    db.session.expire_all()
    assert passage not in agreement.latest.goals and "[redacted]" in agreement.latest.goals
    assert "[redacted]" in group_template(scene.group).goals
