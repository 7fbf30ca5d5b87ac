"""The sections of a supervision agreement (ACES best practices), with the platform's default
wording: what a group's template says until its facilitators edit it."""

from __future__ import annotations

from dataclasses import dataclass

from supervision.models import AGREEMENT_SECTION_KEYS


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    hint: str
    default: str
    required: bool = True


SECTIONS: tuple[Section, ...] = (
    Section(
        "goals",
        "Goals of supervision",
        "What the supervisee wants to learn, and what the supervisor will help with.",
        "- Develop the supervisee's capacity to build and sustain the therapeutic "
        "relationship: boundaries held warmly, pacing that follows the client, noticing and "
        "repairing ruptures.\n"
        "- Meet the requirements of the supervisee's training programme or licensing board.\n"
        "- Safeguard the welfare of the supervisee's clients.\n"
        "- Goals specific to this supervisee (to agree together): ...",
    ),
    Section(
        "meetings",
        "Frequency and format of meetings",
        "How often, how long, individual or group, in person or remote, what is prepared.",
        "- Individual supervision for 60 minutes every week (or as the training programme "
        "requires), plus group supervision where the supervisee is a member of a group.\n"
        "- In person or by a secure video call; cancellations with at least 24 hours' notice, "
        "and the meeting is rearranged within the same fortnight.\n"
        "- The supervisee brings an agenda: cases posted here as anonymized vignettes, "
        "questions, and anything from their own reactions that bears on the work.\n"
        "- Each meeting is recorded on the platform (date, duration, format) and signed by "
        "both.",
    ),
    Section(
        "feedback",
        "Feedback and evaluation",
        "How feedback is given, when evaluations happen and what they are based on.",
        "- Formative feedback is given in every meeting and on vignettes, tied to specific "
        "passages; it is kept apart from evaluative scores.\n"
        "- A mid-point and a final evaluation on the group's competency rubric, each preceded "
        "by the supervisee's self-evaluation; both read and sign the evaluation.\n"
        "- Concerns about progress are raised early and in person, never first in a written "
        "evaluation.\n"
        "- The supervisee is invited to give feedback on supervision itself at any time.",
    ),
    Section(
        "confidentiality",
        "Confidentiality and its limits",
        "What stays between you, what does not, and who else may be told.",
        "- Client material is shared only in disguised form; no client may be identifiable.\n"
        "- What the supervisee says about themselves stays in supervision, except: a risk of "
        "serious harm to a client or another person, a safeguarding concern, a serious breach "
        "of the ethics code, or what the training programme or licensing board is entitled to "
        "know (attendance, evaluations).\n"
        "- If confidentiality must be broken, the supervisor tells the supervisee first, "
        "unless doing so would increase the risk.",
    ),
    Section(
        "emergencies",
        "Emergencies",
        "What the supervisee does when a client is at risk, and how to reach the supervisor.",
        "- When a client is at imminent risk, the supervisee follows the placement's risk "
        "procedure and contacts emergency services first.\n"
        "- Then the supervisee contacts the supervisor by phone (not by message on this "
        "platform); if unreachable, the placement's duty manager or the named back-up "
        "supervisor: ...\n"
        "- Every emergency is discussed at the next meeting, and written up without identifying "
        "details.",
    ),
    Section(
        "disagreements",
        "Raising disagreements",
        "How either of you raises a disagreement or a difficulty in the relationship.",
        "- Either of us can say when something in supervision is not working; the supervisor "
        "will ask about it regularly and will not hold it against the supervisee.\n"
        "- A disagreement is first talked through in a meeting; if it is not resolved, "
        "either of us may ask the group's facilitator or the training programme to help.\n"
        "- A disagreement about an evaluation can be written into the evaluation before it is "
        "signed.",
    ),
    Section(
        "other",
        "Anything else",
        "Optional: fees, record keeping, ending supervision, anything particular to you.",
        "",
        required=False,
    ),
)

SECTION_BY_KEY = {section.key: section for section in SECTIONS}
assert tuple(SECTION_BY_KEY) == AGREEMENT_SECTION_KEYS  # one list of sections, in one order


def default_sections() -> dict[str, str]:
    return {section.key: section.default for section in SECTIONS}
