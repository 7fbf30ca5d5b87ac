"""Growth forms: they validate and nothing else."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice
from wtforms.validators import InputRequired

from supervision.routing import DbIntegerField


class ShareForm(FlaskForm):
    """Let one reviewer of a group read my growth page, or stop them."""

    reviewer_id = DbIntegerField(validators=[InputRequired()])
    shared = RadioField(
        choices=[SelectChoice("1", "Shared"), SelectChoice("0", "Not shared")],
        validators=[InputRequired()],
    )
