"""Demo supervision agreements: Tomás and Amara signed version 1 early in the placement; after
the mid-point Amara proposed version 2 (new goals) and signed it, and it awaits Tomás's
signature. Tomás and Rosa have their licences on their profiles."""

from __future__ import annotations

from datetime import timedelta

from supervision.agreements.credentials import add_credential
from supervision.agreements.services import (
    propose_change,
    save_draft,
    sign_version,
    start_agreement,
)
from supervision.auth.reauth import Signature
from supervision.demo.people import DemoWorkspace
from supervision.extensions import db
from supervision.models import Agreement, AgreementVersion, User

CREDENTIALS = (
    ("tomas", "Licensed Professional Counselor-Supervisor (LPC-S)", "S-48213", "Texas", 700),
    ("rosa", "Licensed Psychologist", "PSY-20931", "California", 420),
    ("rosa", "Approved Clinical Supervisor (ACS)", "ACS-1187", "NBCC", None),
)

FIRST_GOALS = (
    "- Build Amara's confidence in holding silence with clients who withdraw.\n"
    "- Notice her own urge to speed up, and name it in supervision.\n"
    "- Meet the placement's requirement of weekly individual supervision."
)
SECOND_GOALS = (
    FIRST_GOALS + "\n- After the mid-point review: practise naming ruptures gently, in the "
    "session, rather than repairing them afterwards by email."
)


def _sign(workspace: DemoWorkspace, version: AgreementVersion, user: User, days: float) -> None:
    # The demo signs as the services would after re-authentication, dated in the past.
    when = workspace.ago(days)
    sign_version(version, user, Signature(user.display_name, when), version.edit_version)


def load_demo_agreements(workspace: DemoWorkspace) -> Agreement:
    users = workspace.users
    group = workspace.groups[0]  # the Thursday supervision group
    for handle, kind, number, jurisdiction, valid_days in CREDENTIALS:
        expires = None if valid_days is None else workspace.loaded_at.date() + timedelta(valid_days)
        credential = add_credential(users[handle], kind, number, jurisdiction, expires)
        credential.created_at = workspace.ago(190)
    tomas, amara = users["tomas"], users["amara"]
    agreement = start_agreement(group, amara, tomas)
    agreement.created_at = workspace.ago(188)
    first = agreement.latest
    save_draft(first, amara, first.sections() | {"goals": FIRST_GOALS}, first.edit_version)
    first.created_at, first.updated_at = workspace.ago(188), workspace.ago(187)
    _sign(workspace, first, amara, 186.5)
    _sign(workspace, first, tomas, 186)
    second = propose_change(agreement, amara)
    save_draft(second, amara, second.sections() | {"goals": SECOND_GOALS}, second.edit_version)
    second.created_at, second.updated_at = workspace.ago(4), workspace.ago(3.5)
    _sign(workspace, second, amara, 3)
    db.session.flush()
    return agreement
