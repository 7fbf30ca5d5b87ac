"""The parts of a vignette and the disguise checklist, with the guidance shown on the form."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    guidance: str


SECTIONS: tuple[Section, ...] = (
    Section(
        "context",
        "Context",
        "The setting, the modality and the stage of the work (for example: third session of "
        "twelve, short-term integrative counselling in a community service).",
    ),
    Section(
        "client",
        "The client (disguised)",
        "Only what the group needs to understand the moment. Use a pseudonym or an initial; "
        "change age, occupation and family details that are not clinically essential.",
    ),
    Section(
        "moment",
        "The moment",
        "What happened in the room, as closely as you remember it. Dialogue helps: what the "
        "client said, what you said, what happened next.",
    ),
    Section(
        "reactions",
        "My reactions",
        "What you felt, thought and wanted to do, including what you are less sure about. "
        "This is a safe place for it.",
    ),
    Section(
        "question",
        "My question for supervision",
        "What you would like help with: one or two questions about this moment.",
    ),
)
SECTION_KEYS: tuple[str, ...] = tuple(section.key for section in SECTIONS)
SECTION_LABELS: dict[str, str] = {section.key: section.label for section in SECTIONS}


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str


# What no scanner catches (see shared/docs/domain.md, "Anonymization").
DISGUISE_CHECKLIST: tuple[ChecklistItem, ...] = (
    ChecklistItem("age", "Exact age is changed or given as a range"),
    ChecklistItem("occupation", "Occupation is changed or described generally"),
    ChecklistItem("employer", "No employer, school or organisation can be recognised"),
    ChecklistItem("place", "No small town or recognisable place is named or described"),
    ChecklistItem("ethnicity", "Ethnicity is not combined with a place in a way that identifies"),
    ChecklistItem("family", "The family constellation is disguised where it is unusual"),
    ChecklistItem("diagnosis", "A rare diagnosis or condition is generalised"),
    ChecklistItem("event", "No newsworthy or unusual event could point to the client"),
)
CHECKLIST_KEYS: frozenset[str] = frozenset(item.key for item in DISGUISE_CHECKLIST)
