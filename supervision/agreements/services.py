"""Agreement rules: the template, starting an agreement, editing its draft, signing, proposing
a change. Services flush, never commit: the view owns the transaction."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from supervision.agreements.sections import SECTIONS, default_sections
from supervision.auth.reauth import Signature
from supervision.extensions import db
from supervision.models import (
    AGREEMENT_SECTION_KEYS,
    Agreement,
    AgreementTemplate,
    AgreementVersion,
    Group,
    GroupKind,
    Membership,
    Role,
    User,
)
from supervision.models.types import utcnow
from supervision.models.versioning import claim_edit_version

SUPERVISOR_ROLES = (Role.SUPERVISOR, Role.FACILITATOR)

CONFLICT_MESSAGE = (
    "This agreement was changed elsewhere after you opened it (the other party, or another "
    "tab). Your text is still in the form: compare it with the current version below, copy "
    "what you need, reload, and apply it again."
)


class AgreementError(ValueError):
    """A rule the request broke, in words for the person who made it."""


class AgreementConflict(AgreementError):
    """The form was opened on an older edit version."""


# -- The template ---------------------------------------------------------------------------


def group_template(group: Group) -> AgreementTemplate | None:
    return db.session.scalar(
        select(AgreementTemplate).where(AgreementTemplate.group_id == group.id)
    )


def template_sections(group: Group) -> dict[str, str]:
    """The group's wording, or the platform default until a facilitator saved one."""
    template = group_template(group)
    return default_sections() if template is None else _sections_of(template)


def save_template(
    group: Group, editor: User, sections: Mapping[str, str], edit_version: int
) -> AgreementTemplate:
    template = group_template(group)
    if template is None:
        if edit_version != 0:  # the form was opened on a saved template that is now gone
            raise AgreementConflict(CONFLICT_MESSAGE)
        template = AgreementTemplate(group_id=group.id)
        db.session.add(template)
        try:
            with db.session.begin_nested():
                db.session.flush([template])
        except IntegrityError as error:  # another facilitator saved the first one meanwhile
            raise AgreementConflict(CONFLICT_MESSAGE) from error
    elif edit_version != template.edit_version or not claim_edit_version(template, edit_version):
        raise AgreementConflict(CONFLICT_MESSAGE)
    _write(template, sections)
    template.updated_at = utcnow()
    template.updated_by_id = editor.id
    db.session.flush()
    return template


# -- Who can make an agreement with whom ------------------------------------------------------


def _members(group: Group, roles: tuple[Role, ...]) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.group_id == group.id, Membership.role.in_(roles))
            .order_by(User.display_name)
        )
    )


def _role(user: User, group: Group) -> Role | None:
    return db.session.scalar(
        select(Membership.role).where(
            Membership.group_id == group.id, Membership.user_id == user.id
        )
    )


def counterparts(group: Group, user: User) -> list[User]:
    """Whom ``user`` can start an agreement with in ``group``: a supervisee chooses among the
    supervisors (and facilitators), a supervisor or facilitator among the supervisees."""
    if group.kind is not GroupKind.SUPERVISION:
        return []
    role = _role(user, group)
    if role is Role.SUPERVISEE:
        return _members(group, SUPERVISOR_ROLES)
    if role in SUPERVISOR_ROLES:
        return [person for person in _members(group, (Role.SUPERVISEE,)) if person.id != user.id]
    return []


def existing_agreement(group: Group, supervisor: User, supervisee: User) -> Agreement | None:
    return db.session.scalar(
        select(Agreement).where(
            Agreement.group_id == group.id,
            Agreement.supervisor_id == supervisor.id,
            Agreement.supervisee_id == supervisee.id,
        )
    )


def start_agreement(group: Group, starter: User, other: User) -> Agreement:
    """A new agreement between ``starter`` and ``other``, its first version a draft from the
    group's template."""
    if group.kind is not GroupKind.SUPERVISION:
        raise AgreementError("Supervision agreements are made in supervision groups.")
    if other.id not in {person.id for person in counterparts(group, starter)}:
        raise AgreementError(
            "Choose a supervisor or supervisee of this group to make the agreement with."
        )
    starter_supervises = _role(starter, group) in SUPERVISOR_ROLES
    supervisor, supervisee = (starter, other) if starter_supervises else (other, starter)
    if existing_agreement(group, supervisor, supervisee) is not None:
        raise AgreementError(
            f"{supervisor.display_name} and {supervisee.display_name} already have an agreement "
            "in this group: open it to edit or propose a change."
        )
    agreement = Agreement(
        group_id=group.id,
        supervisor_id=supervisor.id,
        supervisee_id=supervisee.id,
        created_by_id=starter.id,
    )
    agreement.versions.append(AgreementVersion(number=1, created_by_id=starter.id))
    _write(agreement.versions[0], template_sections(group))
    db.session.add(agreement)
    try:
        with db.session.begin_nested():
            db.session.flush([agreement])
    except IntegrityError as error:  # the other party started it at the same moment
        raise AgreementError(
            "This agreement has just been started by the other party: open it from the list."
        ) from error
    db.session.flush()
    return agreement


# -- Drafts, signatures and changes ---------------------------------------------------------


def save_draft(
    version: AgreementVersion, editor: User, sections: Mapping[str, str], edit_version: int
) -> None:
    """Save the text of an unsigned version (a party's edit)."""
    if version.is_locked:
        raise AgreementError(
            "This version has been signed, so its text can no longer change. Propose a change "
            "to make a new version."
        )
    if version is not version.agreement.latest:
        raise AgreementError("Only the newest version can be edited.")
    if edit_version != version.edit_version or not claim_edit_version(version, edit_version):
        raise AgreementConflict(CONFLICT_MESSAGE)
    _write(version, sections)
    version.updated_at = utcnow()
    db.session.flush()


def sign_version(
    version: AgreementVersion, signer: User, signature: Signature, edit_version: int
) -> None:
    """Record ``signer``'s signature on the newest version, exactly as they read it."""
    agreement = version.agreement
    party = agreement.party(signer)
    if party is None:
        raise AgreementError("Only the supervisor and the supervisee of this agreement sign it.")
    if version is not agreement.latest:
        raise AgreementError("Only the newest version can be signed.")
    if version.signed_at(party) is not None:
        raise AgreementError("You have already signed this version.")
    # The text they read must be the text they sign: a save since then is a conflict.
    if edit_version != version.edit_version or not claim_edit_version(version, edit_version):
        raise AgreementConflict(
            "The text changed after you opened it. Read the current version before signing."
        )
    setattr(version, f"{party}_signed_name", signature.typed_name)
    setattr(version, f"{party}_signed_at", signature.signed_at)
    db.session.flush()


def propose_change(agreement: Agreement, proposer: User) -> AgreementVersion:
    """The next version, a copy of the newest, to edit and sign again."""
    latest = agreement.latest
    if not latest.is_locked:
        raise AgreementError(
            f"Version {latest.number} has not been signed yet: edit it instead of proposing "
            "a change."
        )
    version = AgreementVersion(number=latest.number + 1, created_by_id=proposer.id)
    _write(version, latest.sections())
    agreement.versions.append(version)
    try:
        with db.session.begin_nested():
            db.session.flush([version])
    except IntegrityError as error:  # the other party proposed one at the same moment
        raise AgreementError("A change has just been proposed: open the agreement.") from error
    db.session.flush()
    return version


def status_of(agreement: Agreement) -> str:
    """A few calm words for lists: where the agreement stands."""
    latest = agreement.latest
    if latest.is_signed_by_both:
        return f"In force (version {latest.number})"
    waiting = [
        name
        for party, name in (
            ("supervisor", agreement.supervisor.display_name),
            ("supervisee", agreement.supervisee.display_name),
        )
        if latest.signed_at(party) is None
    ]
    state = "awaiting signature" if latest.is_locked else "draft"
    return f"Version {latest.number}, {state}: {' and '.join(waiting)} to sign"


def awaiting_my_signature(user: User) -> list[Agreement]:
    """The user's agreements, in groups they still belong to, whose newest version they have
    not signed (for the desk)."""
    mine = db.session.scalars(
        select(Agreement)
        .join(
            Membership,
            (Membership.group_id == Agreement.group_id) & (Membership.user_id == user.id),
        )
        .where(or_(Agreement.supervisor_id == user.id, Agreement.supervisee_id == user.id))
        .options(
            selectinload(Agreement.versions),
            selectinload(Agreement.group),
            selectinload(Agreement.supervisor),
            selectinload(Agreement.supervisee),
        )
        .order_by(Agreement.created_at, Agreement.id)
    ).all()
    return [a for a in mine if a.latest.signed_at(a.party(user) or "") is None]


def _sections_of(obj: AgreementTemplate | AgreementVersion) -> dict[str, str]:
    return {key: getattr(obj, key) for key in AGREEMENT_SECTION_KEYS}


def _write(obj: AgreementTemplate | AgreementVersion, sections: Mapping[str, str]) -> None:
    for section in SECTIONS:
        setattr(obj, section.key, (sections.get(section.key) or "").strip())
