"""An XSS corpus through every Markdown field of the real case forms: the case page (and the
other pages that show the text) must carry no script, event handler, javascript: or data: URL."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

from case_support import (
    CLEAN,
    CLEAN_TITLE,
    Browser,
    fetch_case,
    form_data,
    make_world,
    publish,
    resolve_all,
)
from sqlalchemy import select

from supervision.cases.gate import share_case
from supervision.cases.sections import CHECKLIST_KEYS, SECTION_KEYS
from supervision.extensions import db
from supervision.models import Case

PAYLOADS: list[str] = [
    # raw HTML
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script\x00>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=javascript:alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=javascript:alert(1)><text>x</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
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
    '<a href="javascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="x" onmouseover="alert(1)">x</a>',
    '<div onclick="alert(1)">div</div>',
    "<!--><script>alert(1)</script>-->",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<template><script>alert(1)</script></template>",
    "<textarea></textarea><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "</p></div></article><script>alert(1)</script>",
    # Markdown links and images
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](<javascript:alert(1)>)",
    "[x](java\tscript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6a;avascript&#x3a;alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](DATA:text/html,<script>alert(1)</script>)",
    "[x](vbscript:msgbox(1))",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    '[x][ref]\n\n[ref]: data:text/html,alert(1) "title"',
    "<javascript:alert(1)>",
    "<data:text/html,alert(1)>",
    "![x](javascript:alert(1))",
    '![x" onerror="alert(1)](http://evil.example/x.png)',
    "[![x](http://evil.example/x.png)](javascript:alert(1))",
    '[a](http://x "\\" onmouseover=alert(1) x=\\"")',
    '[a](http://x" onmouseover="alert(1))',
    '[a](https://ok.example "<script>alert(1)</script>")',
    # Markdown around HTML
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    '```" onclick="alert(1)\ncode\n```',
    "> <script>alert(1)</script>",
    "- <img src=x onerror=alert(1)>",
    "| a |\n|---|\n| <script>alert(1)</script> |",
    "# <svg onload=alert(1)>",
    '*[HTML]: " onmouseover="alert(1)\n\nHTML',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    '<div markdown="1">*x* <script>alert(1)</script></div>',
    "paragraph {: onclick=alert(1) }",
]

_BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
_STRIP = re.compile(r"[\x00-\x20]")


class _Inventory(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.problems: list[str] = []
        self.scripts: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        if tag == "script":
            self.scripts.append(dict(attrs).get("src"))
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            cleaned = _STRIP.sub("", value or "").lower()
            if cleaned.startswith(_BAD_SCHEMES):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in ("style", "srcdoc", "formaction"):
                self.problems.append(f"<{tag} {name}>")

    handle_startendtag = handle_starttag


def _inventory(page: str) -> _Inventory:
    parser = _Inventory()
    parser.feed(page)
    parser.close()
    return parser


# Elements that can run script, load content or submit: a payload must never add one.
_ACTIVE_TAGS = frozenset(
    {
        "script",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "svg",
        "math",
        "img",
        "image",
        "video",
        "audio",
        "source",
        "track",
        "picture",
        "style",
        "link",
        "meta",
        "base",
        "form",
        "input",
        "button",
        "select",
        "textarea",
        "template",
        "noscript",
        "details",
        "dialog",
        "marquee",
        "body",
        "html",
        "head",
        "title",
        "xmp",
        "plaintext",
    }
)


def _problems(page: str, baseline: _Inventory) -> list[str]:
    found = _inventory(page)
    problems = list(found.problems)
    if found.scripts != baseline.scripts:
        problems.append(f"scripts {found.scripts} != {baseline.scripts}")
    for tag in _ACTIVE_TAGS:
        if found.tags[tag] != baseline.tags[tag]:
            problems.append(f"<{tag}>: {found.tags[tag]} instead of {baseline.tags[tag]}")
    return problems


def _title(number: int, payload: str) -> str:
    return f"XSS {number} {' '.join(payload.split())}"[:120]


def test_every_payload_through_the_create_form_in_every_section(app, make_user, make_group):
    w = make_world(make_user, make_group)
    author = Browser(app, w.author)
    path = f"/groups/{w.group.id}/cases/new"
    response = author.post(path, form_data(CLEAN_TITLE, CLEAN))
    baseline = _inventory(author.text(response.headers["Location"]))
    assert not baseline.problems, baseline.problems

    failures: dict[str, list[str]] = {}
    for number, payload in enumerate(PAYLOADS):
        texts = {key: payload for key in SECTION_KEYS}
        response = author.post(path, form_data(_title(number, payload), texts))
        assert response.status_code == 302, payload
        page = author.text(response.headers["Location"])
        problems = _problems(page, baseline)
        if problems:
            failures[payload] = problems
    assert not failures, failures

    # every payload really went through every section (stored as typed, less any NUL,
    # which the request strips before anything else sees it)
    cases = db.session.scalars(select(Case).order_by(Case.id)).all()[1:]
    assert len(cases) == len(PAYLOADS)
    for case, payload in zip(cases, PAYLOADS, strict=True):
        revision = case.revisions[0]
        for key in SECTION_KEYS:
            assert getattr(revision, key) == payload.replace("\x00", "").strip(), key


def test_every_payload_through_the_edit_form_mid_text(app, make_user, make_group):
    w = make_world(make_user, make_group)
    author = Browser(app, w.author)
    response = author.post(f"/groups/{w.group.id}/cases/new", form_data(CLEAN_TITLE, CLEAN))
    case_id = int(response.headers["Location"].rsplit("/", 1)[1])
    author.text(f"/cases/{case_id}")  # shows (and consumes) the "Draft saved" message
    publish(fetch_case(case_id))  # edits now make revision 2 of a shared case

    def save(title: str, texts: dict[str, str]) -> str:
        version = fetch_case(case_id).edit_version
        response = author.post(
            f"/cases/{case_id}/edit", form_data(title, texts, edit_version=version)
        )
        assert response.status_code == 302, title
        return author.text(f"/cases/{case_id}")

    baseline = _inventory(save(CLEAN_TITLE, CLEAN))
    failures: dict[str, list[str]] = {}
    for number, payload in enumerate(PAYLOADS):
        text = f"Some *text* {payload} more\n\n- item {payload}\n\n## {payload}"
        page = save(_title(number, payload), {key: text for key in SECTION_KEYS})
        problems = _problems(page, baseline)
        if problems:
            failures[payload] = problems
    assert not failures, failures
    assert len(fetch_case(case_id).revisions) == 2  # one working revision, saved many times


def test_shared_payloads_are_safe_for_readers_and_on_the_gate_and_diff_pages(
    app, make_user, make_group
):
    w = make_world(make_user, make_group)
    author, reader = Browser(app, w.author), Browser(app, w.reader)
    response = author.post(f"/groups/{w.group.id}/cases/new", form_data(CLEAN_TITLE, CLEAN))
    case_id = int(response.headers["Location"].rsplit("/", 1)[1])
    publish(fetch_case(case_id))
    baselines = {
        "show": _inventory(reader.text(f"/cases/{case_id}")),
        "revisions": _inventory(reader.text(f"/cases/{case_id}/revisions")),
    }
    # All payloads at once, one per paragraph, rotated through the sections.
    texts = {
        key: "\n\n".join(PAYLOADS[index:] + PAYLOADS[:index])
        for index, key in enumerate(SECTION_KEYS)
    }
    version = fetch_case(case_id).edit_version
    response = author.post(
        f"/cases/{case_id}/edit", form_data("All of them", texts, edit_version=version)
    )
    assert response.status_code == 302
    share_page = author.text(f"/cases/{case_id}/share")  # findings shown in place
    assert not _inventory(share_page).problems
    assert "<script>alert" not in share_page
    publish(fetch_case(case_id))

    page = reader.text(f"/cases/{case_id}")
    assert not _problems(page, baselines["show"])
    diff = reader.text(f"/cases/{case_id}/revisions?from=1&to=2")
    assert "<ins>" in diff
    found = _inventory(diff)
    assert not found.problems and "<script>alert" not in diff
    assert found.tags["script"] == baselines["revisions"].tags["script"]


def test_flag_and_note_text_is_shown_as_text(app, make_user, make_group):
    w = make_world(make_user, make_group)
    payload = "<script>alert(1)</script><img src=x onerror=alert(1)>"
    response = Browser(app, w.author).post(
        f"/groups/{w.group.id}/cases/new", form_data(CLEAN_TITLE, {**CLEAN, "moment": payload})
    )
    case = fetch_case(int(response.headers["Location"].rsplit("/", 1)[1]))
    resolve_all(case, w.author)
    share_case(case, w.author, sorted(CHECKLIST_KEYS), f"Changed {payload}")
    db.session.commit()
    facilitator = Browser(app, w.facilitator)
    baseline = _inventory(facilitator.text(f"/cases/{case.id}"))
    assert not baseline.problems
    reader = Browser(app, w.reader)
    response = reader.post(f"/cases/{case.id}/flag", {"passage": payload, "reason": payload})
    assert response.status_code == 302
    page = facilitator.text(f"/cases/{case.id}")
    assert "Flagged as possibly identifying" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    found = _inventory(page)
    assert not found.problems and found.scripts == baseline.scripts
    assert found.tags["img"] == baseline.tags["img"]
