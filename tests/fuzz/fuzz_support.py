"""What the endpoint fuzzer needs besides the app: the forms of a page (read with
``html.parser``) and the Hypothesis strategies that turn a form's fields into request bodies.
"""

from __future__ import annotations

import io
import json
import os
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Few examples per endpoint in CI (about 95 endpoints); HYPOTHESIS_PROFILE=explore searches long.
settings.register_profile("fuzz-ci", derandomize=True, database=None, deadline=None, max_examples=8)
settings.register_profile("fuzz-explore", deadline=None, max_examples=300)
FUZZ_SETTINGS = settings(
    settings.get_profile(
        "fuzz-explore" if os.environ.get("HYPOTHESIS_PROFILE") == "explore" else "fuzz-ci"
    ),
    # Each example is two requests through the whole app: slow by nature, not a generator fault.
    suppress_health_check=[HealthCheck.too_slow],
)


@dataclass
class FormField:
    name: str
    kind: str  # "text", "hidden", "checkbox", "select", "textarea", "file", ...
    value: str = ""
    options: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)  # a checkbox's or radio's ticked values


@dataclass
class Form:
    action: str  # the path it posts to, resolved against the page
    method: str
    fields: dict[str, FormField] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self, page_path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: FormField | None = None
        self._select: FormField | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form":
            action = urlsplit(urljoin(self.page_path, found.get("action", ""))).path
            self._form = Form(action or self.page_path, found.get("method", "get").upper())
            self.forms.append(self._form)
            return
        if tag == "option" and self._select is not None:
            self._select.options.append(found.get("value", ""))
            if "selected" in found:
                self._select.checked.append(found.get("value", ""))
            return
        name = found.get("name")
        if self._form is None or not name:
            return
        if tag in ("input", "button"):
            kind = found.get("type", "text" if tag == "input" else "submit").lower()
            value = found.get("value", "on" if kind in ("radio", "checkbox") else "")
            existing = self._form.fields.get(name)
            if existing is None or kind not in ("radio", "checkbox"):
                existing = self._form.fields[name] = FormField(name, kind, value)
            existing.options.append(value)
            if "checked" in found:
                existing.checked.append(value)
        elif tag == "textarea":
            self._textarea = self._form.fields[name] = FormField(name, "textarea")
        elif tag == "select":
            kind = "select-multiple" if "multiple" in found else "select"
            self._select = self._form.fields[name] = FormField(name, kind)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            if self._select is not None and self._select.options:
                self._select.value = (self._select.checked or self._select.options)[0]
            self._select = None


def forms_of(page: str, page_path: str) -> list[Form]:
    parser = _FormParser(page_path)
    parser.feed(page)
    parser.close()
    return parser.forms


def submitted(form: Form, button: str | None = None) -> list[tuple[str, str]]:
    """What a browser sends for ``form`` as it stands: ticked boxes only, one button."""
    pairs: list[tuple[str, str]] = []
    for name, form_field in form.fields.items():
        if form_field.kind in ("checkbox", "radio"):
            pairs.extend((name, value) for value in form_field.checked)
        elif form_field.kind in ("select", "select-multiple"):
            unchosen = [form_field.value] if form_field.kind == "select" else []
            pairs.extend((name, value) for value in form_field.checked or unchosen)
        elif form_field.kind == "submit":
            if name == button:
                pairs.append((name, form_field.value))
        elif form_field.kind != "file":
            pairs.append((name, form_field.value))
    return pairs


def form_posting_to(page: str, page_path: str, path: str) -> Form | None:
    """The page's form that posts to ``path``, if it has one."""
    for form in forms_of(page, page_path):
        if form.method == "POST" and form.action == path:
            return form
    return None


# -- values ---------------------------------------------------------------------------------------

SPECIAL_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r\n\t\x0b\x0c\x1b\x7f",
    "\u202e\u200b\ufeff",
    "😀" * 50,
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "**bold** _em_\n\n# Heading\n\n> quote\n\n- item\n\n```\ncode\n```",
    "[" * 500 + "]" * 500,
    "> " * 300,
    "0",
    "-1",
    str(2**31),
    str(-(2**31) - 1),
    str(2**63),
    "9" * 400,
    "1e309",
    "NaN",
    "inf",
    "1.5",
    "0x10",
    "true",
    "null",
    "on",
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    "-5000-01-01",
    "../../etc/passwd",
    "%00%ff",
    "' OR 1=1 --",
    "x@example.org",
    "@",
]

TEXT = st.one_of(
    st.text(max_size=40),
    st.text(st.characters(max_codepoint=0x1F), max_size=10),  # control characters, NUL
    st.sampled_from(SPECIAL_TEXT),
    st.integers(-(2**80), 2**80).map(str),
    st.text(min_size=1, max_size=8).map(lambda s: s * 20_000),  # very long (a form's limit)
)
JSON_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**80), 2**80),
    st.floats(allow_nan=False),
    TEXT,
)
JSON_VALUE = st.recursive(
    JSON_LEAF,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def _field_values(form_field: FormField) -> st.SearchStrategy[list[str]]:
    """What one field sends: nothing (missing), its own value, a generated one, or several."""
    own = [v for v in {form_field.value, *form_field.options} if v is not None]
    single = st.one_of(st.sampled_from(own or [""]), TEXT)
    return st.one_of(
        st.just([]),
        single.map(lambda v: [v]),
        st.lists(single, min_size=2, max_size=3),  # duplicated keys
    )


def _file_value(data: bytes) -> tuple[io.BytesIO, str]:
    return io.BytesIO(data), "upload.json"


FILE_BYTES = st.one_of(
    st.binary(max_size=200),
    JSON_VALUE.map(lambda v: json.dumps(v).encode()),
    st.just(b'{"name": ' * 5_000),
)


@dataclass
class Body:
    """One request body: form pairs (keys may repeat), a JSON document, or raw bytes."""

    kind: str  # "form", "json", "raw"
    pairs: list[tuple[str, Any]] = field(default_factory=list)
    document: Any = None
    raw: bytes = b""


def bodies(fields: dict[str, FormField], prefer_json: bool) -> st.SearchStrategy[Body]:
    """Request bodies built around a form's fields (``csrf_token`` is the caller's to add)."""
    named = {name: f for name, f in fields.items() if name != "csrf_token"}

    @st.composite
    def form_body(draw: st.DrawFn) -> Body:
        pairs: list[tuple[str, Any]] = []
        for name, form_field in named.items():
            if form_field.kind == "file":
                if draw(st.booleans()):
                    pairs.append((name, _file_value(draw(FILE_BYTES))))
                continue
            pairs.extend((name, value) for value in draw(_field_values(form_field)))
        extra = draw(st.lists(st.tuples(st.text(max_size=12), TEXT), max_size=3))
        return Body("form", pairs + extra)

    @st.composite
    def json_body(draw: st.DrawFn) -> Body:
        document: dict[str, Any] = {}
        for name, form_field in named.items():
            choice = draw(st.integers(0, 3))
            if choice == 1:
                document[name] = form_field.value
            elif choice >= 2:
                document[name] = draw(JSON_VALUE)
        for key, value in draw(st.lists(st.tuples(st.text(max_size=8), JSON_VALUE), max_size=2)):
            document[key] = value
        return Body("json", document=document)

    raw_body = st.one_of(
        st.binary(max_size=100),
        st.sampled_from([b"{", b"[1,", b"\xff\xfe", b"null", b'"x"', b"1e999999"]),
        st.integers(20, 100_000).map(lambda depth: b"[" * depth + b"]" * depth),  # deep JSON
        st.integers(20, 2_000).map(lambda d: b'{"a":' * d + b"1" + b"}" * d),
    ).map(lambda raw: Body("raw", raw=raw))
    # Mostly the body the endpoint reads, the others now and then.
    main, other = (json_body(), form_body()) if prefer_json else (form_body(), json_body())
    return st.one_of(main, main, main, other, raw_body)
