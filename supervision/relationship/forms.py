"""Relationship forms: they validate and nothing else."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import Field, RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired, Length

from supervision.models.relationship import NOTE_MAX
from supervision.relationship.items import ITEMS, SCALE, point_label


class CheckForm(FlaskForm):
    """One 1-7 choice per item (a field named after the item's key) and an optional note."""

    note = TextAreaField(
        "Anything you would like to add (optional)",
        validators=[Length(max=NOTE_MAX)],
        description=(
            "Your supervisor sees notes only pooled with at least two others, in alphabetical "
            "order, never with a date. Leave out anything that would tell them it is yours, "
            "and any client detail."
        ),
    )

    def answers(self) -> dict[str, int]:
        return {item.key: int(self[item.key].data) for item in ITEMS}

    def item_fields(self) -> list[Field]:
        return [self[item.key] for item in ITEMS]


for _item in ITEMS:
    setattr(
        CheckForm,
        _item.key,
        RadioField(
            _item.wording,
            choices=[SelectChoice(str(value), point_label(value)) for value in SCALE],
            validators=[InputRequired("Choose a point on the scale.")],
        ),
    )


class TalkForm(FlaskForm):
    """Only the CSRF token: the wish to talk carries no content."""
