"""A newcomer's journey through the public face only, without JavaScript.

Three people start from an empty database and use the site as a browser with scripts turned off
would: they open pages, follow the links on them, fill in the forms they find (field names, hidden
fields and CSRF tokens come from the rendered HTML) and follow the redirects. Mail is read from the
outbox, as a mailbox would show it. No factories, no services.

Fran registers and starts a supervision group, invites Sam (supervisor) and Alex (supervisee); Alex
writes a vignette and shares it through the anonymization gate; Sam annotates it by quoting, scores
it against the default rubric and releases the review; they discuss the case; Alex revises it and
shares revision 2; notifications are read, and a mention chosen "by email" is mailed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from flask import Flask
from support import outbox
from werkzeug.datastructures import MultiDict
from werkzeug.test import TestResponse

from supervision.mail.services import outgoing

PASSWORD = "a calm harbour at dusk"
GROUP = "Tuesday supervision"
FRAN = ("Fran Okafor", "fran@example.org")
SAM = ("Sam Reyes", "sam@example.org")
ALEX = ("Alex Moreau", "alex@example.org")

TITLE = "A gift at the last session"
PSEUDONYM = "Megan Hollis"  # the scanner flags it as a person's name
ANNOTATED = "I hesitated, then said I was touched"
VIGNETTE = {
    "title": TITLE,
    "context": "Third session of twelve, short-term integrative counselling in a community "
    "service.",
    "client": f"I call her {PSEUDONYM} here. She is in her forties and works in an office.",
    "moment": "At the end of the session she held out a small wrapped gift. "
    f"{ANNOTATED} and asked what it meant to her. She looked away and said it was nothing.",
    "reactions": "I felt touched and uneasy, and worried I had shamed her by hesitating.",
    "question": "Should I have accepted the gift, and how do I return to it next week?",
}
ADDED = "Next week she came back to it herself and we talked about endings."
ALTERED = "Changed her age and occupation; neither matters clinically."
ANNOTATION = "Naming that you were touched kept the boundary warm rather than cold."
FEEDBACK = "You stayed curious about the meaning of the gift instead of ruling on it."
PRIVATE = "Ask in the next session about my own discomfort with gifts."
BOUNDARIES = "Authentic presence within boundaries"  # the default rubric's first criterion
LEVELS = ["4", "3", "4", "5", "3", "n/o", "4"]  # in rubric order; one "not visible"
MENTION_POST = "@Alex Moreau what did you notice in yourself just before you hesitated?"
REPLY_POST = "I noticed I wanted to be a good therapist more than a present one."
EDITED_POST = "I noticed I wanted to be a good therapist more than a curious one."
IDENTIFYING_POST = "Her sister is a ward nurse at St Anne's in Greyford, by the way."
HIDE_REASON = "It names a workplace and a town: please say it again in general terms."


# -- a browser without JavaScript -----------------------------------------------------------------

_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "wbr",
}


class Node:
    """An element of the parsed page: tag, attributes, children (nodes and text)."""

    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    def iter(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    @property
    def raw_text(self) -> str:
        return "".join(c if isinstance(c, str) else c.raw_text for c in self.children)

    @property
    def text(self) -> str:
        """The text a reader sees, whitespace collapsed."""
        return " ".join(self.raw_text.split())

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def find_all(self, tag: str | None = None, *, class_: str | None = None, **attrs: str):  # type: ignore[no-untyped-def]
        return [
            node
            for node in self.iter()
            if (tag is None or node.tag == tag)
            and (class_ is None or class_ in node.classes)
            and all(node.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]

    def one(self, tag: str | None = None, *, class_: str | None = None, **attrs: str) -> Node:
        found = self.find_all(tag, class_=class_, **attrs)
        assert len(found) == 1, (tag, class_, attrs, len(found))
        return found[0]

    def by_id(self, id_: str) -> Node:
        return self.one(id=id_)

    def link(self, text: str) -> str:
        """The href of the link reading ``text`` (its visible words; all such links agree)."""
        hrefs = {a.attrs["href"] for a in self.find_all("a") if a.text == text}
        hrefs = hrefs or {a.attrs["href"] for a in self.find_all("a") if a.text.startswith(text)}
        assert len(hrefs) == 1, f"links reading {text!r}: {sorted(hrefs)}"
        return hrefs.pop()

    def form(self, *, button: str | None = None, action: str | None = None) -> Form:
        """The one form with a submit button reading ``button`` and/or an action containing
        ``action``."""
        found = [
            Form(node)
            for node in self.find_all("form")
            if (action is None or action in node.attrs.get("action", ""))
            and (button is None or any(b.label.startswith(button) for b in Form(node).buttons))
        ]
        assert len(found) == 1, f"forms (button={button!r}, action={action!r}): {len(found)}"
        return found[0]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v if v is not None else "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in _VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


@dataclass
class Control:
    name: str
    kind: str  # text, hidden, checkbox, radio, textarea, select, submit, ...
    value: str
    checked: bool = False
    options: list[tuple[str, str, bool]] = field(default_factory=list)  # value, label, selected
    label: str = ""  # a button's words


class Form:
    """A form as a browser submits it: its successful controls, with what the user changes."""

    def __init__(self, node: Node) -> None:
        self.node = node
        self.action = node.attrs.get("action", "")
        self.method = node.attrs.get("method", "get").lower()
        self.controls: list[Control] = []
        for el in node.iter():
            name = el.attrs.get("name", "")
            if "disabled" in el.attrs:
                continue
            if el.tag == "input":
                kind = el.attrs.get("type", "text").lower()
                default = "on" if kind in ("checkbox", "radio") else ""
                label = el.attrs.get("value", "") if kind == "submit" else ""
                self.controls.append(
                    Control(
                        name,
                        kind,
                        el.attrs.get("value", default),
                        "checked" in el.attrs,
                        label=label,
                    )
                )
            elif el.tag == "textarea":
                text = el.raw_text
                text = text[2:] if text.startswith("\r\n") else text.removeprefix("\n")
                self.controls.append(Control(name, "textarea", text))
            elif el.tag == "select":
                options = [
                    (o.attrs.get("value", o.text), o.text, "selected" in o.attrs)
                    for o in el.find_all("option")
                ]
                self.controls.append(Control(name, "select", "", options=options))
            elif el.tag == "button" and el.attrs.get("type", "submit") == "submit":
                self.controls.append(
                    Control(name, "submit", el.attrs.get("value", ""), label=el.text)
                )

    @property
    def buttons(self) -> list[Control]:
        return [c for c in self.controls if c.kind == "submit"]

    @property
    def names(self) -> set[str]:
        return {c.name for c in self.controls if c.name and c.kind != "submit"}

    def value(self, name: str) -> str | list[str]:
        """What the field holds now, as the browser would send it."""
        values = [v for n, v in self._defaults() if n == name]
        kinds = {c.kind for c in self.controls if c.name == name}
        return values if kinds & {"checkbox"} else (values[0] if values else "")

    def choices(self, name: str) -> dict[str, str]:
        """A radio group's, checkbox group's or select's options: label -> value."""
        found: dict[str, str] = {}
        for control in self.controls:
            if control.name != name:
                continue
            if control.kind == "select":
                found |= {label: value for value, label, _ in control.options}
            elif control.kind in ("radio", "checkbox"):
                labels = self.node.find_all("label", for_=self._id_of(control))
                found[labels[0].text if labels else control.value] = control.value
        return found

    def _id_of(self, control: Control) -> str:
        for el in self.node.find_all("input"):
            if el.attrs.get("name") == control.name and el.attrs.get("value") == control.value:
                return el.attrs.get("id", "")
        return ""

    def _defaults(self) -> list[tuple[str, str]]:
        items: list[tuple[str, str]] = []
        for c in self.controls:
            if not c.name or c.kind in ("submit", "button", "reset", "image", "file"):
                continue
            if c.kind in ("checkbox", "radio"):
                if c.checked:
                    items.append((c.name, c.value))
            elif c.kind == "select":
                chosen = [v for v, _, selected in c.options if selected] or [c.options[0][0]]
                items.append((c.name, chosen[0]))
            else:
                items.append((c.name, c.value))
        return items

    def payload(self, fill: dict[str, Any], button: str | None) -> MultiDict[str, str]:
        unknown = set(fill) - self.names
        assert not unknown, f"no such fields in the form: {unknown} (it has {sorted(self.names)})"
        for name, wanted in fill.items():
            options = set(self.choices(name).values())
            if options:
                values = wanted if isinstance(wanted, list | tuple) else [wanted]
                assert set(values) <= options, (name, values, options)
        items = [(n, v) for n, v in self._defaults() if n not in fill]
        for name, wanted in fill.items():
            values = wanted if isinstance(wanted, list | tuple) else [wanted]
            items.extend((name, str(v)) for v in values)
        buttons = [b for b in self.buttons if button is None or b.label.startswith(button)]
        assert buttons, f"no button {button!r} in the form"
        if buttons[0].name:
            items.append((buttons[0].name, buttons[0].value))
        return MultiDict(items)


class Page:
    def __init__(self, response: TestResponse) -> None:
        self.response = response
        self.status = response.status_code
        self.url = response.request.url
        self.html = response.get_data(as_text=True)
        builder = _TreeBuilder()
        builder.feed(self.html)
        self.root = builder.root

    def __getattr__(self, name: str) -> Any:  # link, form, one, find_all, by_id
        return getattr(self.root, name)

    @property
    def path(self) -> str:
        parts = urlsplit(self.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    @property
    def h1(self) -> str:
        return self.root.find_all("h1")[0].text

    @property
    def flashes(self) -> list[str]:
        return [n.text for n in self.root.find_all("span", class_="flash__text")]

    @property
    def text(self) -> str:
        return self.root.one("main").text

    @property
    def unread_badge(self) -> str | None:
        """The count the navigation shows beside "Notifications" (None when there is none)."""
        nav = self.root.one("nav", class_="site-nav")
        badges = nav.find_all("span", class_="site-nav__count")
        return badges[0].text if badges else None


class Visitor:
    """One person's browser: its own cookies, no JavaScript."""

    def __init__(self, app: Flask, name: str = "", email: str = "") -> None:
        self.client = app.test_client()
        self.name, self.email = name, email
        self.page: Page | None = None
        self.redirected_to: list[str] = []  # the Location headers the last visit followed

    def _visit(self, response: TestResponse, expect: int) -> Page:
        self.redirected_to = [r.headers["Location"] for r in response.history]
        page = Page(response)
        assert page.status == expect, (page.url, page.status, page.flashes, page.html[:2000])
        self.page = page
        return page

    def open(self, url: str, expect: int = 200) -> Page:
        base = self.page.url if self.page else "http://localhost/"
        return self._visit(self.client.get(urljoin(base, url), follow_redirects=True), expect)

    def click(self, text: str, within: Node | None = None, expect: int = 200) -> Page:
        assert self.page is not None
        return self.open((within or self.page.root).link(text), expect)

    def submit(
        self,
        form: Form,
        fill: dict[str, Any] | None = None,
        button: str | None = None,
        expect: int = 200,
    ) -> Page:
        assert self.page is not None
        url = urljoin(self.page.url, form.action or self.page.url)
        data = form.payload(fill or {}, button)
        if form.method == "get":
            response = self.client.get(url, query_string=data, follow_redirects=True)
        else:
            response = self.client.post(url, data=data, follow_redirects=True)
        return self._visit(response, expect)

    def press(self, button: str, fill: dict[str, Any] | None = None, expect: int = 200) -> Page:
        """Submit the one form on the current page that has this button."""
        assert self.page is not None
        return self.submit(self.page.form(button=button), fill, button, expect)


# -- reading mail ---------------------------------------------------------------------------------

_LINK_RE = re.compile(r"http://localhost(/\S*)")


def mails_to(email: str) -> list[tuple[str, str]]:
    """(subject, body as it is sent) of every message queued for ``email``, oldest first."""
    return [(m.subject, outgoing(m).body) for m in outbox() if m.recipient == email]


def link_in(body: str) -> str:
    [path] = _LINK_RE.findall(body)
    return path


# -- the journey ----------------------------------------------------------------------------------


@dataclass
class World:
    fran: Visitor
    sam: Visitor
    alex: Visitor
    group_url: str = ""
    case_url: str = ""
    thread_url: str = ""


def register(visitor: Visitor, start: str = "/") -> Page:
    """From the home page, through "Create account"."""
    visitor.open(start)
    visitor.click("Create account")
    assert visitor.page is not None and visitor.page.h1 == "Create an account"
    return visitor.press(
        "Create account",
        {
            "email": visitor.email,
            "display_name": visitor.name,
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )


def members_of(page: Page) -> dict[str, str]:
    """The group home page's members table: name -> role."""
    table = page.by_id("members-title").parent
    assert table is not None
    rows = {}
    for row in table.find_all("tr"):
        cells = row.find_all("td")
        if cells:
            rows[cells[0].text.removesuffix(" (you)")] = cells[1].text
    return rows


def notification_texts(visitor: Visitor, unread_only: bool = False) -> list[str]:
    page = visitor.open("/notifications")
    return [
        item.one("button", class_="notification__open").text
        for item in page.find_all("li", class_="notification")
        if not unread_only or "notification--unread" in item.classes
    ]


def step_1_group_and_invitations(app: Flask) -> World:
    w = World(Visitor(app, *FRAN), Visitor(app, *SAM), Visitor(app, *ALEX))

    # Fran registers from the home page and lands on an empty dashboard.
    page = w.fran.open("/")
    assert page.h1 == "A calm place to think about the hard moments in therapy."
    page = register(w.fran)
    assert page.flashes == ["Welcome to Attune. Your account is ready."]
    assert page.h1 == "Welcome, Fran Okafor"
    assert "You are not in any group yet." in page.text

    # She starts a supervision group.
    page = w.fran.click("Create a group")
    assert page.h1 == "Start a group"
    kinds = page.form(button="Create group").choices("kind")
    supervision = kinds["Supervision group: supervisors review supervisees' cases"]
    page = w.fran.press(
        "Create group",
        {"name": GROUP, "kind": supervision, "description": "We meet on Tuesdays at noon."},
    )
    assert page.flashes == [f"“{GROUP}” is ready. Invite your colleagues below."]
    assert page.h1 == GROUP
    assert "Your role here: Facilitator" in page.text
    assert members_of(page) == {"Fran Okafor": "Facilitator"}
    w.group_url = page.path

    # Sam already has an account when the invitation comes.
    page = register(w.sam)
    assert page.h1 == "Welcome, Sam Reyes"

    # Fran invites Sam as supervisor and Alex as supervisee.
    page = w.fran.open(w.group_url)
    roles = page.form(button="Send invitation").choices("invite-role")
    assert set(roles) == {"Facilitator", "Supervisor", "Supervisee"}
    for (_, email), role in ((SAM, "Supervisor"), (ALEX, "Supervisee")):
        page = w.fran.press("Send invitation", {"invite-email": email, "invite-role": roles[role]})
        assert page.flashes == [f"Invitation sent to {email}. The link works for 7 days."]
    waiting = page.by_id("invite-title").parent
    assert waiting is not None
    assert "sam@example.org · Supervisor" in waiting.text
    assert "alex@example.org · Supervisee" in waiting.text

    # The mails are queued, one each, with a link.
    [(_, to_sam)] = mails_to(SAM[1])
    [(_, to_alex)] = mails_to(ALEX[1])
    assert (
        f"Fran Okafor invited you to join “{GROUP}”, a supervision group on Attune,\nas supervisor."
        in to_sam
    )
    assert "as supervisee." in to_alex

    # Sam, signed in, also hears of it in the app; the link is in the mail only.
    page = w.sam.open("/")
    assert page.unread_badge == "1"
    assert notification_texts(w.sam) == [
        f"Fran Okafor invited you to join {GROUP}. The link to accept is in the invitation email."
    ]
    page = w.sam.open(link_in(to_sam))
    assert page.h1 == f"You are invited to {GROUP}"
    assert "as supervisor" in page.text
    page = w.sam.press("Join the group")
    assert page.flashes == [f"Welcome to {GROUP}."]
    assert page.path == w.group_url
    assert "Your role here: Supervisor" in page.text

    # Alex has no account: the invitation page leads to registration and back.
    page = w.alex.open(link_in(to_alex))
    assert page.h1 == f"You are invited to {GROUP}"
    page = w.alex.click("Create an account")
    assert page.form(button="Create account").value("email") == ALEX[1]  # prefilled
    page = w.alex.press(
        "Create account", {"display_name": ALEX[0], "password": PASSWORD, "confirm": PASSWORD}
    )
    assert page.flashes == ["Welcome to Attune. Your account is ready."]
    assert page.h1 == f"You are invited to {GROUP}"  # back where the link pointed
    page = w.alex.press("Join the group")
    assert page.flashes == [f"Welcome to {GROUP}."]
    assert "Your role here: Supervisee" in page.text

    # Everyone's role on the group page; no invitation left waiting.
    page = w.fran.open(w.group_url)
    assert members_of(page) == {
        "Alex Moreau": "Supervisee",
        "Fran Okafor": "Facilitator",
        "Sam Reyes": "Supervisor",
    }
    assert "Waiting for an answer" not in page.text
    # An invitation link works once.
    page = w.alex.open(link_in(to_alex), expect=404)
    assert page.h1 == "This invitation cannot be used"
    return w


def step_2_write_and_share(w: World) -> None:
    # Alex writes the vignette from the group's case list.
    w.alex.open(w.group_url)
    page = w.alex.click("Cases")
    assert "No cases here yet." in page.text
    page = w.alex.click("Write a case")
    assert page.h1 == "Write a case"
    page = w.alex.press("Save draft", VIGNETTE)
    assert page.flashes == ["Draft saved. Only you can see it until you share it."]
    assert page.h1 == TITLE
    assert "not shared yet" in page.one("p", class_="case__byline").text
    assert "This is a draft: only you can see it." in page.text
    w.case_url = page.path

    # A draft is the author's only.
    assert w.sam.open(w.case_url, expect=404).status == 404
    w.sam.open(w.group_url)
    assert "No cases here yet." in w.sam.click("Cases").text

    # The gate: the scanner's finding, the checklist, the note.
    w.alex.open(w.case_url)
    page = w.alex.click("Check and share")
    assert page.h1 == "Check and share"
    findings = page.by_id("findings").parent
    assert findings is not None
    assert "1 found, 1 still open." in findings.text
    assert f"“{PSEUDONYM}”" in findings.text
    finding = next(
        Form(node)
        for node in page.find_all("form")
        if Form(node).names >= {"text", "reason"} and Form(node).value("text") == PSEUDONYM
    )
    page = w.alex.submit(finding, {"reason": "A pseudonym I chose for this vignette"})
    assert page.flashes == ["Marked the finding as not identifying."]
    assert "Not identifying: A pseudonym I chose for this vignette (Alex Moreau" in page.text
    assert "All 1 answered" in page.text

    gate = page.form(button="Share with the group")
    checklist = list(gate.choices("checklist").values())
    assert len(checklist) == 8
    assert "Exact age is changed or given as a range" in gate.choices("checklist")
    # Sharing with the checklist half done is refused, and says what is left.
    page = w.alex.press(
        "Share with the group",
        {"checklist": checklist[:4], "altered_note": ALTERED},
        expect=400,
    )
    assert "Not shared yet" in page.text
    page = w.alex.press("Share with the group", {"checklist": checklist, "altered_note": ALTERED})
    assert page.flashes == ["Shared with the group."]
    assert page.path == w.case_url
    assert "shared" in page.one("p", class_="case__byline").text
    assert "not shared yet" not in page.one("p", class_="case__byline").text
    assert ALTERED in page.by_id("altered-title").parent.text  # type: ignore[union-attr]

    # The group sees it; Sam is told.
    page = w.sam.open(w.group_url)
    # (Accepting the invitation read its in-app notification: only the share is new.)
    assert page.unread_badge == "1"
    page = w.sam.click("Cases")
    [row] = page.find_all("tr")[1:]
    assert [cell.text for cell in row.find_all("td")][:2] == [TITLE, "Alex Moreau"]
    assert notification_texts(w.sam, unread_only=True) == [f"A case was shared in {GROUP}"]
    # Fran is told too (she reads every case of her group).
    assert notification_texts(w.fran, unread_only=True) == [f"A case was shared in {GROUP}"]


def step_3_annotate_and_review(w: World) -> None:
    # Sam opens the case from the notification (that marks it read).
    w.sam.open("/notifications")
    page = w.sam.press(f"A case was shared in {GROUP}")
    assert page.path == w.case_url
    assert page.h1 == TITLE
    assert page.unread_badge is None  # nothing else is new
    assert PSEUDONYM in page.text  # marked not identifying: the text stays as written

    # An annotation without JavaScript: quote the words.
    page = w.sam.click("annotate by quoting the words")
    assert page.h1 == "Annotate a passage"
    form = page.form(button="Save annotation")
    sections = form.choices("section")
    criteria = form.choices("criterion_key")
    assert form.value("visibility") == form.choices("visibility")["Reviewers and the author"]
    # A passage that is not in the section is refused with a clear message.
    page = w.sam.press(
        "Save annotation",
        {"section": sections["The moment"], "passage": "words never written", "body": "x"},
        expect=400,
    )
    assert "These words are not in “The moment”. Copy them from the case exactly." in page.text
    page = w.sam.press(
        "Save annotation",
        {
            "section": sections["The moment"],
            "passage": ANNOTATED,
            "body": ANNOTATION,
            "criterion_key": criteria[BOUNDARIES],
        },
    )
    assert page.flashes == ["Annotation saved."]
    assert page.path.startswith(w.case_url)
    [note] = page.find_all("article", class_="annotation")
    assert note.one("blockquote").text == ANNOTATED
    assert ANNOTATION in note.text
    assert "Original" in note.text and BOUNDARIES in note.text

    # The review: every criterion of the default rubric, read from the form.
    page = w.sam.press("Review revision 1")
    assert page.h1 == "Your review"
    form = page.form(button="Submit review")
    fieldsets = [
        f
        for f in page.find_all("fieldset", class_="card")
        if f.attrs.get("id", "").startswith("criterion-")
    ]
    keys = ["criterion_" + f.attrs["id"].removeprefix("criterion-") for f in fieldsets]
    assert {f"{key}-level" for key in keys} == {n for n in form.names if n.endswith("-level")}
    titles = {  # the legend's own words: "1. Title", without the "Experimental" badge
        key: "".join(c for c in f.find_all("legend")[0].children if isinstance(c, str))
        .strip()
        .split(". ", 1)[1]
        for key, f in zip(keys, fieldsets, strict=True)
    }
    assert len(keys) == 7 == len(LEVELS)
    assert BOUNDARIES in titles.values() and "Rupture and repair" in titles.values()
    # The annotation can be ticked as evidence.
    boundaries = next(k for k, t in titles.items() if t == BOUNDARIES)
    [cited] = form.choices(f"{boundaries}-annotations").values()
    fill: dict[str, Any] = {
        "overall_feedback": FEEDBACK,
        "private_notes": PRIVATE,
        f"{boundaries}-annotations": [cited],
    }
    for key, level in zip(keys, LEVELS, strict=True):
        fill[f"{key}-level"] = level
        fill[f"{key}-evidence"] = "" if level == "n/o" else ANNOTATED
        fill[f"{key}-comment"] = "" if level == "n/o" else f"On {titles[key]}: stay with it."
    page = w.sam.press("Save draft", fill)
    assert page.flashes == ["Draft saved."]
    assert page.h1 == "Your review"
    saved = page.form(button="Submit review")
    assert saved.value("overall_feedback") == FEEDBACK  # kept as typed
    assert saved.value(f"{boundaries}-annotations") == [cited]

    # The supervisee sees nothing of a draft.
    page = w.alex.open(w.case_url)
    assert FEEDBACK not in page.html and PRIVATE not in page.html

    page = w.sam.press("Submit review")
    assert page.flashes == ["Review submitted. Release it when you want the supervisee to read it."]
    review_url = page.path
    assert "Submitted: final for revision 1." in page.text
    assert PRIVATE in page.by_id("private-notes").text
    assert w.alex.open(review_url, expect=404).status == 404  # not released yet

    page = w.sam.press("Release to the supervisee")
    assert page.flashes == ["Released: the supervisee can now read your review."]

    # Alex hears of it and reads it all, except the private notes.
    assert notification_texts(w.alex, unread_only=True)[0] == (
        f"Sam Reyes released a review of your case in {GROUP}"
    )
    page = w.alex.press(f"Sam Reyes released a review of your case in {GROUP}")
    assert page.path == review_url
    assert page.h1 == "Review by Sam Reyes"
    assert FEEDBACK in page.by_id("overall-feedback").text
    for key, level in zip(keys, LEVELS, strict=True):
        score = page.by_id(f"score-{key.removeprefix('criterion_')}")
        shown = score.one("strong").text  # "4 · Skilled", or "Not visible in this vignette"
        if level == "n/o":
            assert shown == "Not visible in this vignette"  # which carries no comment
        else:
            assert shown.startswith(f"{level} · ")
            assert f"On {titles[key]}: stay with it." in score.text
    cited_quotes = page.by_id(f"score-{boundaries.removeprefix('criterion_')}").find_all(
        "div", **{"data-cited-annotations": ""}
    )
    assert [q.text for q in cited_quotes] == [ANNOTATED]  # the annotation cited as evidence
    assert PRIVATE not in page.html and "private notes" not in page.text.lower()
    page = w.alex.click("All reviews of this case")
    assert "Sam Reyes" in page.by_id("reviews").text and PRIVATE not in page.html
    page = w.alex.open(w.case_url)
    assert PRIVATE not in page.html
    assert "Sam Reyes" in page.by_id("reviews").text

    # Alex answers the annotation and replies to it.
    note = page.one("article", class_="annotation")
    assert "Open" in [b.text for b in note.find_all("span", class_="badge")]
    form = Form(next(f for f in note.find_all("form") if "/response" in f.attrs["action"]))
    page = w.alex.submit(form, {"kind": form.choices("kind")["Acknowledged"]})
    assert page.flashes == ["Answer recorded: Acknowledged."]
    note = page.one("article", class_="annotation")
    assert "You answered: Acknowledged" in note.text
    assert "You have answered every annotation." in page.text
    form = Form(next(f for f in note.find_all("form") if "/replies" in f.attrs["action"]))
    page = w.alex.submit(form, {"body": "Thank you: I had not seen it as warm."})
    assert page.flashes == ["Reply posted."]
    replies = page.one("article", class_="annotation").one("ol", class_="annotation__replies")
    assert "Alex Moreau" in replies.text and "I had not seen it as warm." in replies.text

    assert notification_texts(w.sam, unread_only=True)[:2] == [
        f"Alex Moreau replied to your annotation in {GROUP}",
        f"Alex Moreau answered your annotation in {GROUP}",
    ]


def post_article(page: Page, words: str) -> Node:
    """The post in the thread whose own text (not a quote of the post it answers) has ``words``."""
    [post] = [
        a
        for a in page.find_all("article", class_="post")
        if any(words in body.text for body in a.find_all("div", class_="post__body"))
    ]
    return post


def step_4_discussion(w: World) -> None:
    # The case page links to the case's own discussion.
    page = w.sam.open(w.case_url)
    page = w.sam.click("Start the discussion")
    assert page.h1 == TITLE
    assert "Case discussion" in page.one("p", class_="badge-row").text
    assert "No posts yet." in page.text
    w.thread_url = page.path
    composer = page.by_id("composer")
    assert "@Alex Moreau (supervisee)" in composer.text  # who one can mention, without JS
    page = w.sam.press("Post", {"body": MENTION_POST})
    assert page.flashes == ["Your post is in the thread."]
    post = post_article(page, "what did you notice")
    mention = post.one("a", class_="mention")
    assert mention.text == "@Alex Moreau"
    assert mention.attrs["href"].startswith(w.group_url + "#member-")

    # Alex is told once, as a mention, of the post in their case's thread that names them.
    assert notification_texts(w.alex, unread_only=True)[0] == (
        f"Sam Reyes mentioned you in a discussion in {GROUP}"
    )
    page = w.alex.press(f"Sam Reyes mentioned you in a discussion in {GROUP}")
    assert page.path.startswith(w.thread_url)
    # Alex replies to Sam's post.
    page = w.alex.click("Reply", within=post_article(page, "what did you notice"))
    assert page.by_id("composer-title").text == "Reply to Sam Reyes"
    page = w.alex.press("Post reply", {"body": REPLY_POST})
    assert page.flashes == ["Your post is in the thread."]
    reply = post_article(page, REPLY_POST)
    assert "In reply to Sam Reyes" in reply.text
    # ... and adds a detail that should not be there.
    page = w.alex.press("Post", {"body": IDENTIFYING_POST})
    assert page.flashes == ["Your post is in the thread."]
    assert notification_texts(w.sam, unread_only=True)[0] == (
        f"Alex Moreau replied to your post in {GROUP}"
    )

    # Fran, the facilitator, finds the thread from the group and hides that post.
    w.fran.open(w.group_url)
    page = w.fran.click("Discussions")
    row = page.one("li", class_="thread-row")
    assert "Case discussion" in row.text and "Case by Alex Moreau · 3 posts" in row.text
    page = w.fran.click(TITLE, within=row)
    page = w.fran.click("Hide", within=post_article(page, "St Anne"))
    assert page.h1 == "Hide a post"
    page = w.fran.press("Hide the post", {"reason": HIDE_REASON})
    assert page.flashes == ["The post is hidden. The group sees your reason in its place."]
    for visitor in (w.alex, w.sam):
        page = visitor.open(w.thread_url)
        assert f"Hidden by a facilitator: {HIDE_REASON}" in page.text
        assert "St Anne" not in page.html
    page = w.fran.open(w.thread_url)
    [hidden] = page.find_all("article", class_="post--hidden")
    assert "Only facilitators see this text." in hidden.text and "St Anne" in hidden.text

    # Fran answers Sam, naming Alex: Alex gets a mention notification.
    page = w.fran.open(w.thread_url)
    page = w.fran.click("Reply", within=post_article(page, "what did you notice"))
    page = w.fran.press(
        "Post reply", {"body": "@Alex Moreau could you say what you hid in general terms?"}
    )
    assert page.flashes == ["Your post is in the thread."]
    assert notification_texts(w.alex, unread_only=True)[0] == (
        f"Fran Okafor mentioned you in a discussion in {GROUP}"
    )

    # Alex edits their reply; the history is there for the group to see.
    page = w.alex.open(w.thread_url)
    page = w.alex.click("Edit", within=post_article(page, REPLY_POST))
    assert page.h1 == "Edit your post"
    assert page.form(button="Save changes").value("body") == REPLY_POST
    page = w.alex.press("Save changes", {"body": EDITED_POST})
    assert page.flashes == ["Your post is updated. The earlier text is kept in its history."]
    post = post_article(page, EDITED_POST)
    assert REPLY_POST not in page.text
    page = w.sam.open(w.thread_url)
    page = w.sam.click("edited", within=post_article(page, EDITED_POST))
    assert page.h1 == "Edit history"
    history = page.one("ol", **{"aria-label": "Versions, newest first"})
    versions = [li.text for li in history.find_all("li")]
    assert len(versions) == 2
    assert "(current)" in versions[0] and EDITED_POST in versions[0]
    assert REPLY_POST in versions[1]


def step_5_revise(w: World) -> None:
    page = w.alex.open(w.case_url)
    page = w.alex.click("Edit", within=page.by_id("actions-title").parent)
    assert page.h1 == "Edit case"
    form = page.form(button="Save new revision")
    assert form.value("moment") == VIGNETTE["moment"]
    page = w.alex.press("Save new revision", {"moment": VIGNETTE["moment"] + " " + ADDED})
    assert page.flashes == [
        "Saved as a new revision. The group still sees the previous one until you share this one."
    ]
    assert "You have unshared changes (revision 2)." in page.text
    note = page.one("article", class_="annotation")
    assert "Carried forward" in note.text
    assert note.one("blockquote").text == ANNOTATED

    # The group still reads revision 1.
    assert ADDED not in w.sam.open(w.case_url).text

    page = w.alex.click("Review and share revision 2")
    assert "Revision 2 of" in page.text
    assert "All 1 answered" in page.text  # the answer is kept while the text is the same
    gate = page.form(button="Share with the group")
    page = w.alex.press(
        "Share with the group",
        {"checklist": list(gate.choices("checklist").values()), "altered_note": ALTERED},
    )
    assert page.flashes == ["Shared with the group."]
    assert "revision 2" in page.one("p", class_="case__byline").text

    page = w.sam.open(w.case_url)
    assert ADDED in page.text
    assert "revision 2" in page.one("p", class_="case__byline").text
    note = page.one("article", class_="annotation")
    assert "Carried forward" in note.text and "on revision 1" in note.text

    page = w.alex.click("Compare revisions")
    assert page.h1 == "Compare revisions"
    assert "Changes from revision 1 to revision 2" in page.text
    inserted = [n.text for n in page.find_all("ins")]
    assert any(ADDED in text for text in inserted)
    assert page.find_all("del") == []
    unchanged = [h.text for h in page.find_all("h2") if "(unchanged)" in h.text]
    assert len(unchanged) == 5  # the title and four sections; only "The moment" changed
    assert not any(text.startswith("The moment") for text in unchanged)


def step_6_notifications(w: World) -> None:
    page = w.alex.open("/notifications")
    unread = notification_texts(w.alex, unread_only=True)
    assert unread == [f"Fran Okafor mentioned you in a discussion in {GROUP}"]
    assert page.unread_badge == "1"
    assert len(notification_texts(w.alex)) == 3  # two were opened, so read already
    page = w.alex.press("Mark all as read")
    assert page.flashes == ["All notifications are marked as read."]
    assert page.unread_badge is None
    assert page.find_all("li", class_="notification--unread") == []
    assert notification_texts(w.alex)  # still listed, read

    page = w.alex.click("Choose what reaches you")
    assert page.h1 == "How you hear of things"
    form = page.form(button="Save choices")
    channels = form.choices("mention")
    assert form.value("mention") == channels["In the app"]
    page = w.alex.press("Save choices", {"mention": channels["In the app and by email"]})
    assert page.flashes == ["Your notification choices are saved."]
    form = page.form(button="Save choices")
    assert form.value("mention") == channels["In the app and by email"]
    assert form.value("post_reply") == channels["In the app"]  # the others unchanged

    # A new mention (Sam answering Fran) reaches Alex by mail: neutral words and a link only.
    before = len(mails_to(ALEX[1]))
    secret = "the wrapped gift she held out"
    page = w.sam.open(w.thread_url)
    page = w.sam.click("Reply", within=post_article(page, "could you say what you hid"))
    page = w.sam.press("Post reply", {"body": f"@Alex Moreau, and {secret}: what was it?"})
    assert page.flashes == ["Your post is in the thread."]
    mails = mails_to(ALEX[1])
    assert len(mails) == before + 1
    subject, body = mails[-1]
    assert subject == "Something new for you on Attune"
    assert f"Sam Reyes mentioned you in a discussion in {GROUP}" in body
    for words in (secret, "what was it", TITLE, PSEUDONYM, "Alex Moreau,"):
        assert words not in body
    page = w.alex.open(link_in(body))
    assert page.path.startswith(w.thread_url)
    assert secret in page.text
    assert page.unread_badge == "1"

    # Opened on another device, logged out: the link asks for a login, then lands on the post.
    phone = Visitor(w.alex.client.application, *ALEX)
    page = phone.open(link_in(body))
    assert page.h1 == "Log in"
    assert page.flashes == ["Please log in to see this page."]
    page = phone.press("Log in", {"email": ALEX[1], "password": PASSWORD})
    assert page.path.startswith(w.thread_url)
    assert secret in post_article(page, secret).text


def test_a_newcomer_journey_from_an_empty_database(app: Flask) -> None:
    w = step_1_group_and_invitations(app)
    step_2_write_and_share(w)
    step_3_annotate_and_review(w)
    step_4_discussion(w)
    step_5_revise(w)
    step_6_notifications(w)


def test_a_mention_in_the_discussion_of_ones_own_case_follows_the_mention_choice(
    app: Flask,
) -> None:
    """Alex asks to hear of mentions by email; Sam names Alex in a post in the discussion of
    Alex's case, which would also tell Alex of a post in their case's thread. One notification,
    by the choice that reaches Alex more: the mention, in the app and by email."""
    w = step_1_group_and_invitations(app)
    step_2_write_and_share(w)
    page = w.alex.open("/account/notifications")
    channels = page.form(button="Save choices").choices("mention")
    page = w.alex.press("Save choices", {"mention": channels["In the app and by email"]})
    assert page.flashes == ["Your notification choices are saved."]
    before = len(mails_to(ALEX[1]))

    # Sam opens the case's discussion and names Alex in a post of his own.
    w.sam.open(w.case_url)
    w.sam.click("Start the discussion")
    page = w.sam.press("Post", {"body": MENTION_POST})
    assert page.flashes == ["Your post is in the thread."]
    assert post_article(page, "what did you notice").one("a", class_="mention").text == (
        "@Alex Moreau"
    )

    # Alex hears of it as a mention, in the app and by mail.
    assert notification_texts(w.alex, unread_only=True)[0] == (
        f"Sam Reyes mentioned you in a discussion in {GROUP}"
    )
    assert len(mails_to(ALEX[1])) == before + 1
