"""Rubric forms: they validate and nothing else."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from supervision.models.rubric import (
    CRITERION_KEY_MAX,
    CRITERION_TEXT_MAX,
    CRITERION_TITLE_MAX,
    DESCRIPTOR_MAX,
    LEVELS,
    RUBRIC_NAME_MAX,
)
from supervision.routing import DbIntegerField
from supervision.rubrics.schema import MAX_CRITERIA, CriterionData, RubricData

KEY_PATTERN = r"^[a-z][a-z0-9_]*$"
SCALE_LABEL_MAX = 60  # as in the exchange format's schema


def _text(value: str | None) -> str:
    """Trimmed, with the browser's CRLF line ends made plain newlines."""
    return (value or "").replace("\r\n", "\n").strip()


def _level_field(level: int) -> TextAreaField:
    return TextAreaField(
        f"Level {level}",
        validators=[
            DataRequired(f"Describe level {level}: raters score by the descriptor."),
            Length(max=DESCRIPTOR_MAX),
        ],
    )


class _CriterionFields(Form):
    """What every criterion has; the key comes from the subclasses."""

    position = DbIntegerField(
        "Position",
        description="1 comes first.",
        validators=[
            Optional(),
            NumberRange(1, MAX_CRITERIA, message=f"Give a number from 1 to {MAX_CRITERIA}."),
        ],
    )
    title = StringField(
        "Title",
        validators=[DataRequired("Give the criterion a title."), Length(max=CRITERION_TITLE_MAX)],
    )
    description = TextAreaField(
        "Description",
        description="What the criterion is about.",
        validators=[Optional(), Length(max=CRITERION_TEXT_MAX)],
    )
    guidance = TextAreaField(
        "Guidance for raters",
        description="What to look for in the vignette, and what to note as evidence.",
        validators=[Optional(), Length(max=CRITERION_TEXT_MAX)],
    )
    experimental = BooleanField(
        "Experimental",
        description="No validated observer scale exists for it; raters are told so.",
    )
    level_1 = _level_field(1)
    level_2 = _level_field(2)
    level_3 = _level_field(3)
    level_4 = _level_field(4)
    level_5 = _level_field(5)

    def level_fields(self) -> list[Any]:
        return [self[f"level_{n}"] for n in LEVELS]

    def data_for(self, key: str) -> CriterionData:
        return CriterionData(
            key=key,
            title=_text(self.title.data),
            description=_text(self.description.data),
            guidance=_text(self.guidance.data),
            experimental=bool(self.experimental.data),
            levels={str(n): _text(self[f"level_{n}"].data) for n in LEVELS},
        )


class CriterionForm(_CriterionFields):
    """An existing criterion: its key is shown, never edited (it is stable across versions)."""

    key = HiddenField()
    remove = BooleanField("Remove this criterion")

    def validate(self, extra_validators: Any = None) -> bool:
        if self.remove.data:
            return True  # nothing to check in what is being thrown away
        return super().validate(extra_validators)


class NewCriterionForm(_CriterionFields):
    """The blank "add a criterion" entry: ignored while everything in it is empty."""

    key = StringField(
        "Key",
        description="Lower-case letters, digits and _, starting with a letter (e.g. "
        "“self_disclosure”). It never changes: scores are compared across versions by key.",
        validators=[
            DataRequired("Give the new criterion a key."),
            Length(max=CRITERION_KEY_MAX),
            Regexp(
                KEY_PATTERN,
                message="Use lower-case letters, digits and _, starting with a letter.",
            ),
        ],
    )

    def is_blank(self) -> bool:
        texts = [self.key, self.title, self.description, self.guidance, *self.level_fields()]
        return not any(_text(field.data) for field in texts) and not self.experimental.data

    def validate(self, extra_validators: Any = None) -> bool:
        if self.is_blank():
            return True
        return super().validate(extra_validators)


def _scale_label_field(level: int) -> StringField:
    return StringField(
        f"Label of {level}",
        validators=[Optional(), Length(max=SCALE_LABEL_MAX)],
    )


class VersionForm(FlaskForm):
    """A draft version: its name, scale labels, criteria and one blank criterion to add."""

    name = StringField(
        "Rubric name",
        validators=[DataRequired("Give the rubric a name."), Length(max=RUBRIC_NAME_MAX)],
    )
    description = TextAreaField(
        "Description",
        description="Shown to raters above the criteria.",
        validators=[Optional(), Length(max=CRITERION_TEXT_MAX)],
    )
    scale_1 = _scale_label_field(1)
    scale_2 = _scale_label_field(2)
    scale_3 = _scale_label_field(3)
    scale_4 = _scale_label_field(4)
    scale_5 = _scale_label_field(5)
    criteria = FieldList(FormField(CriterionForm), max_entries=MAX_CRITERIA)
    new = FormField(NewCriterionForm, label="Add a criterion")
    edit_version = HiddenField()

    def scale_fields(self) -> list[Any]:
        return [self[f"scale_{n}"] for n in LEVELS]

    def label_levels(self, scale_labels: dict[str, str]) -> None:
        """Name each level field after the scale point it describes."""
        for entry in [*(e.form for e in self.criteria), self.new.form]:
            for n, field in zip(LEVELS, entry.level_fields(), strict=True):
                label = scale_labels.get(str(n), "")
                field.label.text = f"Level {n}" + (f" · {label}" if label else "")

    def submitted_keys(self) -> list[str]:
        return [entry.form.key.data or "" for entry in self.criteria]

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        new = self.new.form
        kept = [e for e in self.criteria if not e.form.remove.data]
        if not new.is_blank():
            if new.key.data in self.submitted_keys():
                new.key.errors.append(
                    "Another criterion already has this key. Keys are never reused, even for a "
                    "criterion being removed: choose another."
                )
                valid = False
            if len(kept) >= MAX_CRITERIA:
                new.key.errors.append(f"A rubric has at most {MAX_CRITERIA} criteria.")
                valid = False
        return valid

    def rubric_data(self) -> RubricData:
        """The content to save: kept criteria (and the new one) in the order of their positions.

        A criterion given a new position goes before the one that already stood there.
        """
        order: list[tuple[int, bool, int, CriterionData]] = []
        for index, entry in enumerate(self.criteria):
            form = entry.form
            if not form.remove.data:
                position = form.position.data or index + 1
                stayed = position == index + 1
                order.append((position, stayed, index, form.data_for(form.key.data)))
        new = self.new.form
        if not new.is_blank():
            position = new.position.data or MAX_CRITERIA + 1
            order.append((position, False, len(self.criteria), new.data_for(new.key.data)))
        return RubricData(
            name=_text(self.name.data),
            description=_text(self.description.data),
            scale_labels={
                str(n): _text(field.data)
                for n, field in zip(LEVELS, self.scale_fields(), strict=True)
                if _text(field.data)
            },
            criteria=[data for *_, data in sorted(order, key=lambda item: item[:3])],
        )

    def problems(self) -> list[tuple[str, str]]:
        """Every error as (field id, "where: what"), in the order of the page."""
        found: list[tuple[str, str]] = []

        def walk(fields: Any, where: str) -> None:
            for field in fields:
                if field.type == "CSRFTokenField":
                    if field.errors:
                        found.append(("", "The form expired. Please save again."))
                elif field.type == "FormField":
                    walk(_in_page_order(field.form), where + field.label.text + " · ")
                elif field.type == "FieldList":
                    for number, entry in enumerate(field.entries, start=1):
                        key = entry.form.key.data or ""
                        walk(_in_page_order(entry.form), f"{where}Criterion {number} ({key}) · ")
                else:
                    for error in field.errors:
                        found.append((field.id, f"{where}{field.label.text}: {error}"))

        walk(self, "")
        return found


_PAGE_ORDER = ["key", "remove", "position", "title", "description", "guidance", "experimental"]


def _in_page_order(form: Form) -> list[Any]:
    """A criterion's fields as the page shows them (the key first, then the levels last)."""
    rank = {name: number for number, name in enumerate(_PAGE_ORDER)}
    return sorted(form, key=lambda field: rank.get(field.short_name, len(rank)))


def version_form_data(data: RubricData) -> dict[str, Any]:
    """The form's initial values for a version's content."""
    values: dict[str, Any] = {"name": data.name, "description": data.description}
    values |= {f"scale_{n}": data.scale_labels.get(str(n), "") for n in LEVELS}
    values["criteria"] = [
        {
            "key": c.key,
            "position": position,
            "title": c.title,
            "description": c.description,
            "guidance": c.guidance,
            "experimental": c.experimental,
        }
        | {f"level_{n}": c.levels.get(str(n), "") for n in LEVELS}
        for position, c in enumerate(data.criteria, start=1)
    ]
    return values


class ImportForm(FlaskForm):
    file = FileField(
        "A JSON file",
        description="An “attune.rubric/1” document, at most 256 KB, e.g. one exported here.",
    )
    text = TextAreaField(
        "Or paste the JSON",
        validators=[Optional()],
    )

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        has_file = self.file_name() is not None
        has_text = bool((self.text.data or "").strip())
        if has_file and has_text:
            self.text.errors.append("Give a file or pasted text, not both: clear one of them.")
            return False
        if not has_file and not has_text:
            self.file.errors.append("Choose a JSON file, or paste the JSON below.")
            return False
        return valid

    def file_name(self) -> str | None:
        return getattr(self.file.data, "filename", None) or None

    def document(self) -> bytes:
        """The uploaded file's bytes, or the pasted text as UTF-8."""
        if self.file_name() is not None:
            return self.file.data.read()
        return (self.text.data or "").encode("utf-8")
