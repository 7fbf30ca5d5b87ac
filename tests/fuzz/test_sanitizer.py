"""The sanitizer meets an XSS corpus (OWASP cheat-sheet style) and generated mixtures of it: no
script, event handler, style expression, dangerous URL or embedding element comes out, whether
through ``render_markdown`` itself or through a real Markdown field (a discussion post) on the
page a reader gets. Checked on the parsed output (stdlib ``html.parser``), not on substrings.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from typing import Any

import pytest
from conftest import csrf_token
from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st
from test_routes_by_principal import sign_in

from supervision.models import GroupKind, Role
from supervision.rendering import ALLOWED_TAGS, render_markdown

_JS = "javascript:alert(1)"
_DATA_HTML = "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="

PAYLOADS: list[str] = [
    # script tags
    "<script>alert(1)</script>",
    "<SCRIPT SRC=http://xss.example/xss.js></SCRIPT>",
    "<ScRiPt>alert(String.fromCharCode(88,83,83))</sCrIpT>",
    "<script/xss src=http://xss.example/xss.js></script>",
    "<<script>alert(1);//<</script>",
    "<script src=//xss.example/.j>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script\x00>alert(1)</script>",
    '<script type="text/vbscript">msgbox(1)</script>',
    "</title><script>alert(1)</script>",
    # event handlers
    "<img src=x onerror=alert(1)>",
    '<img """><script>alert(1)</script>">',
    "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>",
    "<body onload=alert(1)>",
    "<svg/onload=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<marquee onstart=alert(1)>x</marquee>",
    '<div onmouseover="alert(1)">hover</div>',
    '<a href="https://ok.example" onclick="alert(1)">ok</a>',
    "<p/onclick=alert(1)>x</p>",
    "<b onmouseover=alert(1)>bold</b>",
    # javascript:, vbscript:, data: with entity, whitespace and case tricks
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" &#14;  javascript:alert(1)">x</a>',
    '<a href="jav\tascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>',
    '<a href="&#0000106&#0000097vascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    f'<a href="{_DATA_HTML}">x</a>',
    '<a href="DATA:text/html,<script>alert(1)</script>">x</a>',
    "<IMG SRC=`javascript:alert(1)`>",
    '<IMG SRC="jav&#x0D;ascript:alert(1);">',
    # SVG and MathML
    "<svg><script>alert(1)</script></svg>",
    f"<svg><a xlink:href={_JS}><text x=20 y=20>x</text></a></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    f'<svg><use href="{_DATA_HTML}#x"></use></svg>',
    f"<math><maction actiontype=statusline xlink:href={_JS}>x</maction></math>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    # style expressions
    '<div style="width: expression(alert(1));">x</div>',
    f'<p style="background:url({_JS})">x</p>',
    "<style>@import 'http://xss.example/xss.css';</style>",
    "<style>li {list-style-image: url(javascript:alert(1));}</style><ul><li>x</li></ul>",
    '<span style="behavior: url(xss.htc);">x</span>',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    # embedding, base, meta refresh, forms
    f"<iframe src={_JS}></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<iframe srcdoc="&lt;img src=x onerror=alert(1)&gt;"></iframe>',
    f"<frameset><frame src={_JS}></frameset>",
    f'<object type="text/x-scriptlet" data="{_DATA_HTML}"></object>',
    f'<embed src="{_DATA_HTML}">',
    '<base href="javascript:alert(1)//">',
    '<base href="http://xss.example/">',
    f'<meta http-equiv="refresh" content="0;url={_JS}">',
    f'<meta http-equiv="refresh" content="0;url={_DATA_HTML}">',
    '<meta http-equiv="Set-Cookie" content="session=stolen">',
    f'<form action="{_JS}"><button>go</button></form>',
    f"<button formaction={_JS}>go</button>",
    f'<isindex type=image src=1 onerror=alert(1)><isindex action="{_JS}">',
    "<table background=javascript:alert(1)><tr><td>x</td></tr></table>",
    # comments, templates and parser confusion
    "<!--<img src=x onerror=alert(1)>-->",
    "<!--><script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<template><script>alert(1)</script></template>",
    "<xmp><script>alert(1)</script></xmp>",
    "</textarea><script>alert(1)</script>",
    # Markdown links, images, references and autolinks
    f"[x]({_JS})",
    "[x](JAVASCRIPT:alert(1))",
    "[x](  javascript:alert(1)  )",
    f"[x](<{_JS}>)",
    "[x](java\tscript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript&#x3A;alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](vbscript:msgbox(1))",
    f"[x]({_DATA_HTML})",
    '[x](https://ok.example" onclick="alert(1))',
    '[x](https://ok.example "title\\" onmouseover=alert(1) x=\\"")',
    f"![x]({_JS})",
    '![x" onerror="alert(1)](https://xss.example/x.png)',
    f"[![x](https://xss.example/x.png)]({_JS})",
    f"[x][ref]\n\n[ref]: {_JS}",
    f'[x][ref]\n\n[ref]: {_DATA_HTML} "title"',
    f"[ref]\n\n[ref]: <{_JS}>",
    f"<{_JS}>",
    "<vbscript:msgbox(1)>",
    f"<{_DATA_HTML}>",
    "<mailto:x@example.org?body=<script>alert(1)</script>>",
    # Markdown wrapped around HTML
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "> <img src=x onerror=alert(1)>",
    "- <svg onload=alert(1)>",
    "| a |\n|---|\n| <iframe src=javascript:alert(1)> |",
    "### <script>alert(1)</script>",
    '*[HTML]: " onmouseover="alert(1)\n\nHTML',
    '<div markdown="1">*x* <script>alert(1)</script></div>',
    "paragraph {: onclick=alert(1) }",
]

# Attributes that load, navigate or submit: their URL must be http(s), mailto or relative.
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}
)
EMBEDDING_TAGS = frozenset(
    {"script", "iframe", "frame", "frameset", "object", "embed", "base", "meta", "link", "style"}
)
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]")  # browsers drop these before reading the scheme
_STYLE_EXPRESSION = re.compile(r"expression|url\s*\(|javascript|behavior|@import", re.I)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # attribute values come back entity-decoded
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))

    handle_startendtag = handle_starttag


def elements(markup: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Elements()
    parser.feed(markup)
    parser.close()
    return parser.elements


def url_problem(value: str) -> bool:
    """True when a browser would read ``value`` as a URL of a scheme other than ours."""
    cleaned = _URL_NOISE.sub("", value).lower()
    match = _SCHEME.match(cleaned)
    return match is not None and match.group(1) not in SAFE_SCHEMES


def problems(markup: str) -> list[str]:
    """Everything dangerous in ``markup``: scripts, handlers, styles, URLs, embedding tags."""
    found = []
    for tag, attrs in elements(markup):
        if tag in EMBEDDING_TAGS:
            found.append(f"<{tag}>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                found.append(f"<{tag} {name}>")
            if name == "style" and _STYLE_EXPRESSION.search(value):
                found.append(f"<{tag} style={value!r}>")
            if name == "srcdoc":
                found.append(f"<{tag} srcdoc>")
            if name in URL_ATTRIBUTES and url_problem(value):
                found.append(f"<{tag} {name}={value!r}>")
    return found


def assert_clean(output: str) -> None:
    assert not problems(output), (problems(output), output)
    # The allowlist itself: nothing outside it, and no style attribute at all.
    for tag, attrs in elements(output):
        assert tag in ALLOWED_TAGS, (tag, output)
        assert "style" not in dict(attrs), output


def test_the_corpus_is_large_and_distinct() -> None:
    assert len(set(PAYLOADS)) == len(PAYLOADS) >= 60


@pytest.mark.parametrize(
    ("value", "bad"),
    [
        ("javascript:alert(1)", True),
        (" JaVa\tScRiPt:alert(1)", True),
        ("\x01data:text/html,x", True),
        ("vbscript:x", True),
        ("https://ok.example/a:b", False),
        ("mailto:x@example.org", False),
        ("/relative/path", False),
        ("#fragment", False),
    ],
)
def test_the_url_check_reads_schemes_as_a_browser_does(value: str, bad: bool) -> None:
    """The checker itself can fail: it sees through case, whitespace and control characters."""
    assert url_problem(value) is bad


def test_the_checker_sees_what_it_looks_for() -> None:
    raw = (
        '<script>x</script><a href="java&#x09;script:x" onclick=x>y</a>'
        '<p style="width:expression(x)"></p><iframe srcdoc=x></iframe><base href=/><meta>'
    )
    assert len(problems(raw)) == 8, problems(raw)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_through_the_renderer(payload: str) -> None:
    assert_clean(render_markdown(payload))
    assert_clean(render_markdown(f"Some *text* {payload} more\n\n- {payload}\n\n> {payload}"))


_MARKDOWN_SYNTAX = ["[", "]", "(", ")", "<", ">", "!", "*", "`", "\n", "\n\n", "> ", "- ", '"']


def _fragment(payload: str, data: st.DataObject) -> str:
    start = data.draw(st.integers(0, len(payload) - 1))
    return payload[start : start + data.draw(st.integers(1, 60))]


@settings(max_examples=max(200, settings.default.max_examples))
@given(st.data())
def test_generated_mixtures_through_the_renderer(data: st.DataObject) -> None:
    """Payloads, pieces of payloads, Markdown syntax and arbitrary text spliced together."""
    piece = st.one_of(
        st.sampled_from(PAYLOADS),
        st.sampled_from(PAYLOADS).map(lambda p: p.upper()),
        st.sampled_from(_MARKDOWN_SYNTAX),
        st.text(max_size=20),
    )
    pieces = data.draw(st.lists(piece, min_size=1, max_size=8))
    pieces += [_fragment(data.draw(st.sampled_from(PAYLOADS)), data) for _ in range(2)]
    assert_clean(render_markdown("".join(pieces)))


# -- through a real Markdown field: a discussion post, as a reader gets the thread page ----------


def _inventory(page: str) -> tuple[list[str], Counter[str]]:
    """The page's problems, and a count of its embedding tags (the page's own ones included)."""
    tags: Counter[str] = Counter(tag for tag, _ in elements(page) if tag in EMBEDDING_TAGS)
    attribute_problems = [p for p in problems(page) if " " in p]  # "<tag attr...>", not "<tag>"
    return attribute_problems, tags


def _start_thread(client: Any, group_id: int, body: str) -> str:
    response = client.post(
        f"/groups/{group_id}/discussions/new",
        data={"csrf_token": csrf_token(client), "title": "A question", "body": body},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return response.headers["Location"]


def test_every_payload_in_a_post_leaves_the_thread_page_clean(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    writer, reader = make_user(), make_user()
    group = make_group(GroupKind.PEER, {writer: Role.FACILITATOR, reader: Role.PEER})
    group_id = group.id
    writing, reading = app.test_client(), app.test_client()
    sign_in(writing, writer)
    sign_in(reading, reader)
    baseline = _inventory(reading.get(_start_thread(writing, group_id, "Plain words.")).text)
    assert not baseline[0], baseline[0]
    failures = {}
    for payload in PAYLOADS:
        page = reading.get(_start_thread(writing, group_id, f"Before {payload} after")).text
        assert "Before" in page, "the post is on the page the reader gets"
        found = _inventory(page)
        if found != baseline:
            failures[payload] = (found[0], found[1] - baseline[1])
    assert not failures, failures
