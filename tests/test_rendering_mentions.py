"""``render_markdown(source, mentions=...)``: @Display Name linked after sanitizing, and nothing
else loosened. Security assertions reuse the XSS corpus and checker of test_rendering."""

from __future__ import annotations

import html
import re

import pytest
from test_rendering import XSS_PAYLOADS, assert_safe, parse

from supervision.rendering import render_markdown

ROSA = "/groups/1#member-2"
ROSA_FULL = "/groups/1#member-3"
TOMAS = "/groups/1#member-4"
PEOPLE = {"Rosa": ROSA, "Rosa Lindqvist": ROSA_FULL, "Tomás Ferreira (demo)": TOMAS}
_MENTION_RE = re.compile(r'<a class="mention" href="([^"]*)">(.*?)</a>', re.DOTALL)


def mentions(output: str) -> list[tuple[str, str]]:
    """(href, text) of each mention link, entity-decoded."""
    return [(html.unescape(h), html.unescape(t)) for h, t in _MENTION_RE.findall(output)]


def without_mentions(output: str) -> str:
    """The output with our mention links reduced to their text (to check the rest as usual)."""
    return _MENTION_RE.sub(lambda m: m.group(2), output)


def test_without_mentions_the_output_is_unchanged() -> None:
    source = "Hello @Rosa, *see* [this](https://example.org) `@Rosa`"
    assert render_markdown(source) == render_markdown(source, None) == render_markdown(source, {})


def test_a_name_becomes_a_mention_link() -> None:
    output = render_markdown("Thank you @Rosa for this.", {"Rosa": ROSA})
    assert (
        output
        == f'<p>Thank you <a class="mention" href="{html.escape(ROSA)}">@Rosa</a> for this.</p>'
    )


def test_whole_names_longest_first() -> None:
    output = render_markdown("@Rosa Lindqvist and @Rosa, not @Rosanna", PEOPLE)
    assert mentions(output) == [(ROSA_FULL, "@Rosa Lindqvist"), (ROSA, "@Rosa")]
    assert "@Rosanna" in output


def test_names_with_punctuation_accents_and_any_case() -> None:
    output = render_markdown(
        "Ask @tomás ferreira (demo)'s view, or @TOMÁS FERREIRA (DEMO).", PEOPLE
    )
    assert mentions(output) == [
        (TOMAS, "@tomás ferreira (demo)"),
        (TOMAS, "@TOMÁS FERREIRA (DEMO)"),
    ]


def test_a_name_may_break_across_a_line() -> None:
    output = render_markdown("Thanks @Rosa\nLindqvist!", PEOPLE)
    assert [href for href, _ in mentions(output)] == [ROSA_FULL]


def test_email_addresses_and_double_at_are_not_mentions() -> None:
    output = render_markdown("Write to team@Rosa or @@Rosa", PEOPLE)
    assert mentions(output) == []


def test_never_inside_links_or_code() -> None:
    source = (
        "[@Rosa](https://example.org/@Rosa) and `@Rosa`\n\n"
        "```\n@Rosa in a block\n```\n\n"
        "    @Rosa indented code\n\n"
        "<https://example.org/@Rosa>"
    )
    output = render_markdown(source, PEOPLE)
    assert mentions(output) == []
    assert output == render_markdown(source)


def test_mentions_inside_emphasis_lists_quotes_and_tables() -> None:
    source = "*@Rosa*\n\n- @Rosa\n\n> @Rosa\n\n| who |\n| --- |\n| @Rosa |\n"
    assert len(mentions(render_markdown(source, PEOPLE))) == 4


def test_the_url_is_escaped() -> None:
    output = render_markdown("@Rosa", {"Rosa": '/x?a=1&b="2"<'})
    assert 'href="/x?a=1&amp;b=&quot;2&quot;&lt;"' in output
    assert mentions(output) == [('/x?a=1&b="2"<', "@Rosa")]


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "//evil.example/x", "/\\evil.example", "data:text/html,x", " /x"],
)
def test_urls_that_are_not_ours_are_refused(url: str) -> None:
    assert mentions(render_markdown("@Rosa", {"Rosa": url})) == []


def test_text_around_mentions_stays_escaped() -> None:
    output = render_markdown("a < b & @Rosa > c", PEOPLE)
    assert "a &lt; b &amp; " in output and " &gt; c" in output


def test_a_hostile_display_name_is_only_text() -> None:
    name = '<img src=x onerror="alert(1)">'
    output = render_markdown(f"Hi @{name}", {name: ROSA})
    assert mentions(output) == [(ROSA, f"@{name}")]
    assert [tag for tag, _ in parse(output)] == ["p", "a"]
    assert_safe(without_mentions(output))


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payloads_stay_neutralised_with_mentions(payload: str) -> None:
    output = render_markdown(f"@Rosa {payload} @Rosa Lindqvist\n\n{payload} @Rosa", PEOPLE)
    for href, _text in mentions(output):
        assert href in PEOPLE.values()
    for tag, attrs in parse(output):
        if tag == "a" and ("class", "mention") in attrs:
            assert {name for name, _ in attrs} == {"class", "href"}
    assert_safe(without_mentions(output))
