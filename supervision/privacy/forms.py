"""Privacy forms: they validate and nothing else."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from supervision.auth.reauth import password_field, second_factor_field


class DeleteAccountForm(FlaskForm):
    password = password_field()
    code = second_factor_field()
    confirmation = StringField(
        "Type DELETE to confirm",
        description="In capital letters. This cannot be undone.",
        validators=[DataRequired("Type DELETE to confirm."), Length(max=20)],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
