"""The rubric exchange format ("attune.rubric/1"): JSON Schema validation, import and export.

The schema is documented in README.md; errors name the place in the document that is wrong.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from supervision.models import RubricVersion
from supervision.models.rubric import (
    CRITERION_KEY_MAX,
    CRITERION_TEXT_MAX,
    CRITERION_TITLE_MAX,
    DESCRIPTOR_MAX,
    RUBRIC_NAME_MAX,
)
from supervision.requests import JsonTooDeep, load_json

SCHEMA_ID = "attune.rubric/1"
MAX_CRITERIA = 30
MAX_IMPORT_BYTES = 256 * 1024

_NOT_BLANK = r"\S"  # at least one visible character

_LEVELS = {
    "type": "object",
    "properties": {
        str(n): {"type": "string", "pattern": _NOT_BLANK, "maxLength": DESCRIPTOR_MAX}
        for n in range(1, 6)
    },
    "required": ["1", "2", "3", "4", "5"],
    "additionalProperties": False,
}

RUBRIC_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "schema": {"const": SCHEMA_ID},
        "name": {"type": "string", "pattern": _NOT_BLANK, "maxLength": RUBRIC_NAME_MAX},
        "description": {"type": "string", "maxLength": CRITERION_TEXT_MAX},
        "scale": {
            "type": "object",
            "properties": {
                "min": {"const": 1},
                "max": {"const": 5},
                "labels": {
                    "type": "object",
                    "properties": {
                        str(n): {"type": "string", "maxLength": 60} for n in range(1, 6)
                    },
                    "additionalProperties": False,
                },
            },
            "additionalProperties": False,
        },
        "criteria": {
            "type": "array",
            "minItems": 1,
            "maxItems": MAX_CRITERIA,
            "items": {
                "type": "object",
                "properties": {
                    "key": {
                        "type": "string",
                        "pattern": "^[a-z][a-z0-9_]*$",
                        "maxLength": CRITERION_KEY_MAX,
                    },
                    "title": {
                        "type": "string",
                        "pattern": _NOT_BLANK,
                        "maxLength": CRITERION_TITLE_MAX,
                    },
                    "description": {"type": "string", "maxLength": CRITERION_TEXT_MAX},
                    "guidance": {"type": "string", "maxLength": CRITERION_TEXT_MAX},
                    "experimental": {"type": "boolean"},
                    "levels": _LEVELS,
                },
                "required": ["key", "title", "levels"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["schema", "name", "criteria"],
    "additionalProperties": False,
}

_validator = Draft202012Validator(RUBRIC_SCHEMA)


class RubricFormatError(ValueError):
    """The document is not a valid rubric; ``problems`` lists each error with its place."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class CriterionData:
    key: str
    title: str
    description: str
    guidance: str
    experimental: bool
    levels: dict[str, str]


@dataclass(frozen=True)
class RubricData:
    name: str
    description: str
    scale_labels: dict[str, str]
    criteria: list[CriterionData]


def _place(path: Any) -> str:
    parts = []
    for part in path:
        parts.append(f"[{part}]" if isinstance(part, int) else f".{part}")
    return "".join(parts).lstrip(".") or "the document"


def _explain(error: ValidationError) -> str:
    if error.validator == "pattern" and error.validator_value == _NOT_BLANK:
        return "must not be empty"
    if error.validator == "pattern":
        return f"{error.instance!r} is not allowed here (use lower-case letters, digits and _)"
    return error.message


def parse_rubric(text: str | bytes) -> RubricData:
    """Validate a rubric document and return its content; raise RubricFormatError otherwise."""
    if len(text) > MAX_IMPORT_BYTES:
        raise RubricFormatError([f"The file is larger than {MAX_IMPORT_BYTES // 1024} KB."])
    try:
        document = load_json(text)
    except JsonTooDeep as error:
        raise RubricFormatError([f"This document is nested too deeply: {error}"]) from error
    except json.JSONDecodeError as error:
        raise RubricFormatError(
            [f"This is not valid JSON (line {error.lineno}, column {error.colno}): {error.msg}."]
        ) from error
    except UnicodeDecodeError as error:
        raise RubricFormatError(["The file is not UTF-8 text."]) from error
    errors = sorted(_validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    problems = [f"{_place(e.absolute_path)}: {_explain(e)}" for e in errors[:20]]
    if not problems:
        keys = [c["key"] for c in document["criteria"]]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        problems += [f"criteria: the key “{k}” is used more than once" for k in duplicates]
    if problems:
        raise RubricFormatError(problems)
    return RubricData(
        name=document["name"].strip(),
        description=document.get("description", "").strip(),
        scale_labels=document.get("scale", {}).get("labels", {}),
        criteria=[
            CriterionData(
                key=c["key"],
                title=c["title"].strip(),
                description=c.get("description", "").strip(),
                guidance=c.get("guidance", "").strip(),
                experimental=c.get("experimental", False),
                levels={k: v.strip() for k, v in c["levels"].items()},
            )
            for c in document["criteria"]
        ],
    )


def export_rubric(version: RubricVersion) -> dict[str, Any]:
    """The version as an "attune.rubric/1" document (import gives the same content back)."""
    return {
        "schema": SCHEMA_ID,
        "name": version.name,
        "description": version.description,
        "scale": {"min": 1, "max": 5, "labels": dict(version.scale_labels)},
        "criteria": [
            {
                "key": c.key,
                "title": c.title,
                "description": c.description,
                "guidance": c.guidance,
                "experimental": c.experimental,
                "levels": dict(c.levels),
            }
            for c in version.criteria
        ],
    }
