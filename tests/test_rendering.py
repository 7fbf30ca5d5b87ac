"""Tests for supervision.rendering: expected Markdown output and an XSS corpus.

Security assertions are made on the *parsed* output (stdlib html.parser), not on substrings, so
they check what a browser would build rather than how the text happens to be spelled.
"""

from __future__ import annotations

import random
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser

import pytest

from supervision import rendering
from supervision.rendering import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    ALLOWED_URL_SCHEMES,
    _sanitize_html,
    markdown_to_text,
    render_markdown,
)

REL = "nofollow noopener noreferrer"

# --------------------------------------------------------------------------------------------
# Output checker
# --------------------------------------------------------------------------------------------

FORBIDDEN_TAGS = {
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "img",
    "image",
    "svg",
    "math",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "base",
    "meta",
    "link",
    "body",
    "html",
    "head",
    "details",
    "video",
    "audio",
    "source",
    "template",
    "noscript",
    "h1",
    "h2",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
# Browsers ignore these anywhere in a URL when reading its scheme (C0 controls, space, DEL).
_URL_JUNK_RE = re.compile(r"[\x00-\x20\x7f]")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # attribute values arrive entity-decoded
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))


def parse(output: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    collector = _Collector()
    collector.feed(output)
    collector.close()
    return collector.elements


def normalise_url(value: str) -> str:
    return _URL_JUNK_RE.sub("", value).lower()


def assert_safe(output: str) -> None:
    """Fail if *output* contains anything outside the allowlist or any script vector."""
    assert isinstance(output, str)
    assert "<script" not in output.lower()
    for tag, attrs in parse(output):
        assert tag not in FORBIDDEN_TAGS, f"forbidden <{tag}> in {output!r}"
        assert tag in ALLOWED_TAGS, f"unexpected <{tag}> in {output!r}"
        allowed = ALLOWED_ATTRIBUTES.get(tag, frozenset()) | ({"rel"} if tag == "a" else set())
        for name, value in attrs:
            assert not name.startswith("on"), f"event handler {name} in {output!r}"
            assert name not in {"style", "id", "srcdoc"}, f"{name} in {output!r}"
            assert name in allowed, f"unexpected {name} on <{tag}> in {output!r}"
            if name in URL_ATTRIBUTES:
                url = normalise_url(value or "")
                for bad in ("javascript:", "data:", "vbscript:", "//", "\\", "/\\"):
                    assert not url.startswith(bad), f"{name}={value!r} in {output!r}"
                assert url.split(":", 1)[0] in ALLOWED_URL_SCHEMES, f"{value!r} in {output!r}"
            if name == "rel":
                assert value == REL
            if name == "class":
                assert re.fullmatch(r"language-[\w+#.-]+", value or ""), value


# --------------------------------------------------------------------------------------------
# XSS corpus
# --------------------------------------------------------------------------------------------

XSS_PAYLOADS: list[str] = [
    # Raw HTML elements
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>script>alert(1)//<</script>/script>",
    "<script\x00>alert(1)</script>",
    "<scr\x00ipt>alert(1)</scr\x00ipt>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=javascript:alert(1)>",
    '<img src="x" onerror="alert(1)"/>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=javascript:alert(1)><text>x</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">click</math>',
    "<iframe src=javascript:alert(1)></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    "<form><input formaction=javascript:alert(1) type=submit></form>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="background:url(javascript:alert(1))">styled</p>',
    "<details open ontoggle=alert(1)>x</details>",
    "<body onload=alert(1)>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;script:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="//evil.example">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="x" onmouseover="alert(1)">x</a>',
    '<div onclick="alert(1)" id="x" class="y">div</div>',
    "<!--><script>alert(1)</script>-->",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<template><script>alert(1)</script></template>",
    "<video><source onerror=alert(1)></video>",
    "<textarea></textarea><script>alert(1)</script>",
    # Markdown links and images
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](<javascript:alert(1)>)",
    "[x](java\tscript:alert(1))",
    "[x](java\x00script:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6a;avascript&#x3a;alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](DATA:text/html,<script>alert(1)</script>)",
    "[x](vbscript:msgbox(1))",
    "[x](//evil.example/steal)",
    "[x](\\\\evil.example\\share)",
    "[x](/\\evil.example)",
    "[x](file:///etc/passwd)",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    '[x][ref]\n\n[ref]: data:text/html,alert(1) "title"',
    "[ref]\n\n[ref]: vbscript:msgbox(1)",
    "<javascript:alert(1)>",
    "<vbscript:msgbox(1)>",
    "<data:text/html,alert(1)>",
    "![x](http://evil.example/x.png)",
    "![x](javascript:alert(1))",
    '![x" onerror="alert(1)](http://evil.example/x.png)',
    "[![x](http://evil.example/x.png)](javascript:alert(1))",
    "![x][img]\n\n[img]: http://evil.example/track.gif",
    '[a](http://x "\\" onmouseover=alert(1) x=\\"")',
    "[a](http://x 'onmouseover=alert(1)')",
    '[a](http://x" onmouseover="alert(1))',
    '[a](https://ok.example "<script>alert(1)</script>")',
    # Markdown constructs wrapped around HTML
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    '```" onclick="alert(1)\ncode\n```',
    "    <script>alert(1)</script>",
    "> <script>alert(1)</script>",
    "- <img src=x onerror=alert(1)>",
    "| a |\n|---|\n| <script>alert(1)</script> |",
    "# <svg onload=alert(1)>",
    "*[HTML]: <script>alert(1)</script>\n\nHTML",
    '*[HTML]: " onmouseover="alert(1)\n\nHTML',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "\\<script>alert(1)\\</script>",
    "\x02wzxhzdk:0\x03<script>alert(1)</script>",
    '<div markdown="1">*x* <script>alert(1)</script></div>',
    "paragraph {: onclick=alert(1) }",
    "# heading {: #id .class onclick=alert(1) }",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payload_is_neutralised(payload: str) -> None:
    assert_safe(render_markdown(payload))


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payload_in_context_is_neutralised(payload: str) -> None:
    # Same payloads mid-paragraph, inside a list item and after a heading.
    assert_safe(render_markdown(f"Some *text* {payload} more\n\n- item {payload}\n\n## {payload}"))


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_sanitizer_alone_neutralises_raw_html(payload: str) -> None:
    # Defence in depth: even if Markdown passed raw HTML through, nh3 must catch it.
    assert_safe(_sanitize_html(payload))


def test_corpus_is_large_enough() -> None:
    assert len(set(XSS_PAYLOADS)) >= 40


def test_random_mixtures_of_payloads_and_markdown_are_safe() -> None:
    # Deterministic stand-in for property-based testing: splice payload fragments together with
    # Markdown syntax so parsers see half-open links, nested quotes, stray brackets and so on.
    rng = random.Random(20240611)
    syntax = ["[", "]", "(", ")", "<", ">", "!", "*", "`", "\n", "\n\n", "> ", "- ", '"', "&", "#"]
    for _ in range(300):
        pieces = []
        for _ in range(rng.randint(1, 6)):
            payload = rng.choice(XSS_PAYLOADS)
            start = rng.randrange(len(payload))
            pieces.append(payload[start : start + rng.randint(1, 40)])
            pieces.append(rng.choice(syntax))
        source = "".join(pieces)
        assert_safe(render_markdown(source))
        markdown_to_text(source)  # must not raise


# --------------------------------------------------------------------------------------------
# Raw HTML and the policy on the Markdown tree
# --------------------------------------------------------------------------------------------


def test_raw_html_is_shown_as_text_not_markup() -> None:
    assert render_markdown("a <b>bold</b> <script>alert(1)</script>") == (
        "<p>a &lt;b&gt;bold&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt;</p>"
    )


def test_angle_brackets_in_prose_survive() -> None:
    # Unknown "tags" must not silently swallow the clinician's words.
    assert markdown_to_text("Call <client name> back <3") == "Call <client name> back <3"


def test_block_html_is_escaped() -> None:
    assert render_markdown("<div>\nhello\n</div>") == "<p>&lt;div&gt;\nhello\n&lt;/div&gt;</p>"


def test_images_become_alt_text() -> None:
    assert render_markdown("see ![the genogram](https://example.org/g.png) here") == (
        "<p>see the genogram here</p>"
    )


def test_linked_image_keeps_link_but_not_image() -> None:
    out = render_markdown("[![logo](https://example.org/l.png)](https://example.org)")
    assert out == f'<p><a href="https://example.org" rel="{REL}">logo</a></p>'


def test_relative_and_fragment_links_are_unwrapped() -> None:
    assert render_markdown("[notes](/groups/3) and [top](#top) and [x](//evil.example)") == (
        "<p>notes and top and x</p>"
    )


def test_headings_are_demoted() -> None:
    out = render_markdown("# One\n\n## Two\n\n### Three\n\n#### Four\n\nSetext\n======")
    assert out == "<h3>One</h3>\n<h4>Two</h4>\n<h5>Three</h5>\n<h6>Four</h6>\n<h3>Setext</h3>"


def test_control_characters_are_removed() -> None:
    assert render_markdown("a\x00b\x07c\x1bd") == "<p>abcd</p>"


def test_empty_and_blank_input() -> None:
    assert render_markdown("") == ""
    assert render_markdown("  \n\t\n") == ""
    assert markdown_to_text("") == ""


def test_returns_plain_str() -> None:
    assert type(render_markdown("*x*")) is str


def test_pathologically_nested_list_renders_safely() -> None:
    # Python-Markdown before 3.11 recursed once per level and ran out of stack here; 3.11 copes.
    # Either way the note renders, escaped, and the page does not fail.
    source = "".join("    " * depth + "- item <b>\n" for depth in range(300))
    out = render_markdown(source)
    assert_safe(out)
    assert out.count("item &lt;b&gt;") == 300


def test_a_conversion_that_runs_out_of_stack_falls_back_to_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Exhausted:
        def convert(self, source: str) -> str:
            raise RecursionError

    monkeypatch.setattr(rendering, "_markdown", lambda: Exhausted())
    out = render_markdown("- item <b>\n\n    - deeper")
    assert out.startswith("<p>- item &lt;b&gt;</p>")
    assert_safe(out)
    monkeypatch.undo()
    assert render_markdown("*x*") == "<p><em>x</em></p>"  # the next conversion is a fresh one


# --------------------------------------------------------------------------------------------
# Normal Markdown
# --------------------------------------------------------------------------------------------


def test_emphasis() -> None:
    assert render_markdown("*em* _em_ **strong** __strong__ ~~gone~~ `code`") == (
        "<p><em>em</em> <em>em</em> <strong>strong</strong> <strong>strong</strong> "
        "<del>gone</del> <code>code</code></p>"
    )


def test_strikethrough_does_not_apply_inside_code() -> None:
    assert render_markdown("`~~x~~`") == "<p><code>~~x~~</code></p>"


def test_unordered_and_nested_lists() -> None:
    assert render_markdown("- a\n- b\n    - c") == (
        "<ul>\n<li>a</li>\n<li>b<ul>\n<li>c</li>\n</ul>\n</li>\n</ul>"
    )


def test_ordered_list_keeps_start() -> None:
    assert render_markdown("3. three\n4. four") == (
        '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>'
    )


def test_sane_lists_do_not_merge_list_types() -> None:
    out = render_markdown("1. one\n- bullet")
    assert "<ol>" in out
    assert "<ul>" not in out  # sane_lists: a bullet does not continue an ordered list


def test_links() -> None:
    out = render_markdown('[site](https://example.org/a?b=1&c=2 "Title") [m](mailto:a@b.org)')
    assert out == (
        f'<p><a href="https://example.org/a?b=1&amp;c=2" title="Title" rel="{REL}">site</a> '
        f'<a href="mailto:a@b.org" rel="{REL}">m</a></p>'
    )


def test_autolinks() -> None:
    out = render_markdown("<https://example.org> <someone@example.org>")
    assert out == (
        f'<p><a href="https://example.org" rel="{REL}">https://example.org</a> '
        f'<a href="mailto:someone@example.org" rel="{REL}">someone@example.org</a></p>'
    )


def test_reference_links() -> None:
    out = render_markdown("[docs][1]\n\n[1]: http://example.org/docs")
    assert out == f'<p><a href="http://example.org/docs" rel="{REL}">docs</a></p>'


def test_blockquote() -> None:
    assert render_markdown("> quoted\n> *text*") == (
        "<blockquote>\n<p>quoted\n<em>text</em></p>\n</blockquote>"
    )


def test_line_breaks_need_two_spaces() -> None:
    # nl2br is deliberately off.
    assert render_markdown("a\nb") == "<p>a\nb</p>"
    assert render_markdown("a  \nb") == "<p>a<br>\nb</p>"


def test_fenced_code_with_language() -> None:
    assert render_markdown("```python\nif a < b:\n    pass\n```") == (
        '<pre><code class="language-python">if a &lt; b:\n    pass\n</code></pre>'
    )


def test_indented_code() -> None:
    assert render_markdown("    x = 1") == "<pre><code>x = 1\n</code></pre>"


def test_table_with_alignment() -> None:
    out = render_markdown("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |")
    assert out == (
        "<table>\n<thead>\n<tr>\n"
        '<th align="left">a</th>\n<th align="center">b</th>\n<th align="right">c</th>\n'
        "</tr>\n</thead>\n<tbody>\n<tr>\n"
        '<td align="left">1</td>\n<td align="center">2</td>\n<td align="right">3</td>\n'
        "</tr>\n</tbody>\n</table>"
    )


def test_horizontal_rule() -> None:
    assert render_markdown("a\n\n---\n\nb") == "<p>a</p>\n<hr>\n<p>b</p>"


def test_abbreviations() -> None:
    assert render_markdown("*[CBT]: Cognitive behavioural therapy\n\nUsing CBT.") == (
        '<p>Using <abbr title="Cognitive behavioural therapy">CBT</abbr>.</p>'
    )


def test_entities() -> None:
    assert render_markdown("AT&T &amp; &copy; 1 < 2") == "<p>AT&amp;T &amp; © 1 &lt; 2</p>"


# --------------------------------------------------------------------------------------------
# markdown_to_text
# --------------------------------------------------------------------------------------------


def test_text_paragraphs_and_inline() -> None:
    source = "# Title\n\nSome *emphasis* and [a link](https://x.org).\nSoft  \nbreak.\n\n> Quote"
    assert markdown_to_text(source) == ("Title\n\nSome emphasis and a link. Soft\nbreak.\n\nQuote")


def test_text_lists_tables_and_code() -> None:
    source = (
        "Intro\n\n- a\n- b\n    - c\n\n| h1 | h2 |\n|----|----|\n| x | y |\n\n"
        "```\nif a:\n    b()\n```\n\nEnd &amp; out"
    )
    assert (
        markdown_to_text(source) == "Intro\n\na\nb\nc\n\nh1 h2\nx y\n\nif a:\n    b()\n\nEnd & out"
    )


def test_text_decodes_escaped_html() -> None:
    assert markdown_to_text("<b>x</b> &lt;i&gt;") == "<b>x</b> <i>"


def test_text_is_deterministic() -> None:
    source = "A  lot   of\tspace\n\n\n\nand *more*"
    assert markdown_to_text(source) == markdown_to_text(source) == "A lot of space\n\nand more"


# --------------------------------------------------------------------------------------------
# Thread safety / per-document state
# --------------------------------------------------------------------------------------------


def test_state_does_not_leak_between_documents() -> None:
    render_markdown("*[HTML]: Hyper Text\n\n[r]: https://example.org\n\nHTML")
    assert render_markdown("HTML [r]") == "<p>HTML [r]</p>"


def test_concurrent_rendering() -> None:
    barrier = threading.Barrier(8)

    def work(n: int) -> list[str]:
        barrier.wait()
        return [render_markdown(f"*[A{n}]: def {n}\n\nA{n} **{n}-{i}**") for i in range(50)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(8)))
    for n, outputs in enumerate(results):
        for i, out in enumerate(outputs):
            assert out == (f'<p><abbr title="def {n}">A{n}</abbr> <strong>{n}-{i}</strong></p>')


def test_many_brackets_stay_literal_text() -> None:
    # Past MAX_LINK_BRACKETS, link syntax is not parsed (python-markdown is quadratic in them).
    from supervision.rendering import MAX_LINK_BRACKETS

    source = "[a link](https://example.org) " + "[x] " * MAX_LINK_BRACKETS
    rendered = render_markdown(source)
    assert "<a " not in rendered
    assert "[a link](https://example.org)" in rendered
    assert rendered.count("[x]") == MAX_LINK_BRACKETS
