"""The text the seeded world is made of: a few vignettes rendered once through the app's own
Markdown pipeline, quote spans into them for annotations, and post bodies whose HTML is what the
renderer makes of a plain paragraph (checked by the seeder's test)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from supervision.annotations.anchoring import make_selector
from supervision.models.annotation import CONTEXT_CHARS
from supervision.rendering import html_text_content, render_markdown

SECTION_KEYS = ("context", "client", "moment", "reactions", "question")
SETTINGS = (
    "Third session of twelve, short-term counselling in a community service.",
    "An open-ended weekly therapy, about a year in, in a university counselling centre.",
    "Sixth session of a brief intervention offered by an employee assistance programme.",
    "A first assessment meeting in a low-cost community clinic, fifty minutes.",
)
CLIENTS = (
    "The client is a woman in her thirties who cares for a parent.",
    "The client is a man in his fifties who recently lost his job.",
    "The client is a student in her twenties, far from her family.",
    "The client is a retired teacher who lives alone and rarely goes out.",
)
MOMENT = (
    "She went quiet after I named the pattern, then changed the subject to her week at work. "
    "I noticed my urge to bring her back and waited instead. After a long pause she said that "
    "nobody at home ever asks how she is, and that she had not planned to say so today. "
    "I reflected how tiring it sounded to hold everyone else up, and she nodded without looking "
    "at me. Later she laughed and said I must think she complains too much. I said I was glad "
    "she could tell me, and asked what it was like to say it aloud here. She answered that it "
    "felt strange, a little frightening, and also lighter. We spent the rest of the hour on a "
    "recent evening when her father needed help twice and she did not sleep. "
)
REACTIONS = (
    "I felt I had rushed her and wanted to make it right at once.",
    "I felt protective of her and a little irritated with her family.",
    "I noticed I was tired and less curious than usual in the last minutes.",
)
QUESTIONS = (
    "How could I have paced this differently?",
    "Was it right to stay with the silence rather than ask a question?",
    "How do I work with my own irritation without showing it?",
)
POST_LINES = (
    "Thank you for sharing this; the pause you describe sounds important.",
    "I wonder what would have happened if you had named the silence itself.",
    "In my own practice I try to slow down when I notice the urge to fix things.",
    "Could the laugh at the end be a way of checking whether you still accept her?",
    "This reminds me of the reading we discussed on rupture and repair.",
    "I would be curious how the next session started after this one.",
)
TITLES = ("Silence after a reflection", "Holding the pause", "Tiredness in the room")


@dataclass(frozen=True)
class Span:
    section: str
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


@dataclass(frozen=True)
class Vignette:
    title: str
    sections: dict[str, str]  # the Markdown source of each section
    html: dict[str, str]  # rendered once, as the case service would on save
    spans: tuple[Span, ...]  # quotes into the sections' plain text (annotation anchors)


def _spans(texts: dict[str, str]) -> tuple[Span, ...]:
    spans = []
    for section in ("moment", "client", "reactions"):
        text = texts[section]
        start = 0
        while start < len(text) - 20:
            end = text.find(" ", start + 18)
            if end == -1:
                break
            selector = make_selector(text, start, end, CONTEXT_CHARS)
            spans.append(
                Span(section, start, end, selector.exact, selector.prefix, selector.suffix)
            )
            start = end + 1 + (len(spans) * 7) % 23
            while start < len(text) and text[start - 1] != " ":
                start += 1
    return tuple(spans)


def vignettes() -> list[Vignette]:
    result = []
    for i in range(12):
        sections = {
            "context": SETTINGS[i % len(SETTINGS)],
            "client": CLIENTS[(i // 2) % len(CLIENTS)],
            "moment": MOMENT * (1 + i % 3),
            "reactions": REACTIONS[i % len(REACTIONS)],
            "question": QUESTIONS[(i // 3) % len(QUESTIONS)],
        }
        html = {key: render_markdown(value) for key, value in sections.items()}
        texts = {key: html_text_content(value) for key, value in html.items()}
        result.append(Vignette(TITLES[i % len(TITLES)], sections, html, _spans(texts)))
    return result


def post_body(thread_seq: int, line: int) -> tuple[str, str]:
    """A post's Markdown and HTML: a plain paragraph, numbered within its thread."""
    body = f"Post no. {thread_seq} of this thread. {POST_LINES[line % len(POST_LINES)]}"
    return body, f"<p>{escape(body, quote=False)}</p>"


def annotation_body(n: int) -> tuple[str, str]:
    body = f"Comment no. {n}: {POST_LINES[n % len(POST_LINES)]}"
    return body, f"<p>{escape(body, quote=False)}</p>"
