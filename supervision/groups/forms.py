"""Group forms: they validate and nothing else."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from supervision.models import GroupKind, Role
from supervision.models.group import GROUP_DESCRIPTION_MAX, GROUP_NAME_MAX

KIND_CHOICES = [
    SelectChoice(
        GroupKind.SUPERVISION.value,
        "Supervision group: supervisors review supervisees' cases",
    ),
    SelectChoice(GroupKind.PEER.value, "Peer-consultation group: every member posts and reviews"),
]


class GroupDetailsForm(FlaskForm):
    name = StringField(
        "Group name",
        validators=[DataRequired("Give the group a name."), Length(max=GROUP_NAME_MAX)],
    )
    description = TextAreaField(
        "What the group is for",
        description="Optional. For example: when you meet, what kind of cases you bring.",
        validators=[Optional(), Length(max=GROUP_DESCRIPTION_MAX)],
    )


class GroupSettingsForm(GroupDetailsForm):
    require_case_approval = BooleanField(
        "A facilitator approves each case before the group sees it",
        description="Cases pass the anonymization gate first either way; approval adds a "
        "second pair of eyes.",
    )


class CreateGroupForm(GroupDetailsForm):
    kind = RadioField(
        "Kind of group",
        choices=KIND_CHOICES,
        default=GroupKind.SUPERVISION.value,
        validators=[DataRequired("Choose the kind of group.")],
    )


class InviteForm(FlaskForm):
    email = EmailField(
        "Email address",
        validators=[
            DataRequired("Enter the email address to invite."),
            Length(max=254),
            Email("Enter an email address like name@example.org.", check_deliverability=False),
        ],
    )
    role = SelectField("Role in this group", validators=[DataRequired("Choose a role.")])

    def set_roles(self, roles: tuple[Role, ...]) -> None:
        self.role.choices = [SelectChoice(role.value, role.label) for role in roles]


class RoleForm(FlaskForm):
    role = SelectField("Role", validators=[DataRequired("Choose a role.")])

    def set_roles(self, roles: tuple[Role, ...]) -> None:
        self.role.choices = [SelectChoice(role.value, role.label) for role in roles]
