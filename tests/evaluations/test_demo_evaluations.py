"""The demo's evaluations: Amara's mid-term signed by both months ago, her final due within the
week (so it reminds her and Tomás), and her evaluation of Tomás, which he may read."""

from __future__ import annotations

from conftest import post
from flask import Flask
from sqlalchemy import select

from supervision.demo.accounts import DEMO_PASSWORD
from supervision.demo.workspace import demo_email
from supervision.extensions import db
from supervision.models import Evaluation, EvaluationKind, NotificationEvent, SupervisorEvaluation
from supervision.models.types import utcnow
from supervision.reminders.sources import due_now


def test_the_demo_tells_the_evaluations_story(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    evaluations = {e.kind: e for e in db.session.scalars(select(Evaluation))}
    midterm, final = evaluations[EvaluationKind.MIDTERM], evaluations[EvaluationKind.FINAL]
    assert midterm.is_signed and midterm.supervisee.email == demo_email("amara")
    assert midterm.supervisee_signed_at is not None
    assert 80 < (utcnow() - midterm.supervisee_signed_at).days < 100
    assert not final.any_signed and final.evaluator_ready_at is None
    keys = {d.key for d in due_now(utcnow()) if d.event is NotificationEvent.EVALUATION_DUE}
    assert f"evaluation:{final.id}:evaluate:{final.evaluator_id}" in keys
    assert f"evaluation:{final.id}:self:{final.supervisee_id}" in keys
    assert not any(key.startswith(f"evaluation:{midterm.id}:") for key in keys)
    written = db.session.scalars(select(SupervisorEvaluation)).one()
    assert written.shared
    tomas = app.test_client()
    signed_in = post(tomas, "/login", {"email": demo_email("tomas"), "password": DEMO_PASSWORD})
    assert signed_in.status_code == 302
    page = tomas.get(f"/supervisor-evaluations/{written.id}").get_data(as_text=True)
    assert "which I did not expect" in page
    assert "Signed" in tomas.get(f"/groups/{midterm.group_id}/evaluations").get_data(as_text=True)
