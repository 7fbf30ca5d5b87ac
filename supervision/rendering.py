"""Markdown rendering: the single place where user Markdown becomes trusted HTML.

Supervision notes, case discussions and comments are written in Markdown by users and shown to
other users, so every conversion is an XSS boundary. Keeping it in one module means there is
exactly one policy to review and test; nothing else in the app should call ``markdown`` or
``nh3`` directly, and nothing else should mark user text as ``Markup``.

The pipeline has two layers:

1. python-markdown, configured so that raw HTML in the source is *escaped* (shown as text), never
   passed through. Clinicians write things like ``<client name>`` or ``<3``; escaping keeps their
   words instead of silently eating them as unknown tags.
2. nh3 (ammonia) with an explicit allowlist of tags, attributes and URL schemes. This is the
   security gate: even if layer 1 is misconfigured or a Markdown extension emits something
   unexpected, only allowlisted markup survives.

Images are never rendered (a remote image leaks every reader's IP address and the time they read
the note); a Markdown image is replaced by its alt text. Headings are demoted by two levels so
user content cannot produce ``h1``/``h2`` and compete with the page's own structure.
"""

from __future__ import annotations

import html
import re
import threading
import xml.etree.ElementTree as etree
from html.parser import HTMLParser

import markdown
import nh3
from markdown.inlinepatterns import SimpleTagInlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_TAGS",
    "ALLOWED_URL_SCHEMES",
    "markdown_to_text",
    "render_markdown",
]

# h1/h2 are deliberately absent: headings are demoted (see _HEADING_SHIFT), and nh3 would reduce
# any stray h1/h2 to its text. No img, no div/span, nothing that can carry script or layout.
ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "p",
        "br",
        "hr",
        "h3",
        "h4",
        "h5",
        "h6",
        "strong",
        "em",
        "del",
        "sup",
        "sub",
        "abbr",
        "blockquote",
        "ul",
        "ol",
        "li",
        "code",
        "pre",
        "a",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)

# Every attribute value is additionally checked by _filter_attribute. No style, no id, and class
# only as "language-xyz" on code. ``rel`` on links is set by nh3 itself (link_rel), never taken
# from the input.
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "title"}),
    "abbr": frozenset({"title"}),
    "code": frozenset({"class"}),
    "ol": frozenset({"start"}),
    "th": frozenset({"align"}),
    "td": frozenset({"align"}),
}

# Absolute links only: relative links would resolve against our own origin (and "#fragment"
# links point at ids we strip), so they are dropped rather than guessed at.
ALLOWED_URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})

LINK_REL = "nofollow noopener noreferrer"

_HEADING_SHIFT = 2
_CODE_CLASS_RE = re.compile(r"language-[A-Za-z0-9_+#.-]{1,40}")
_OL_START_RE = re.compile(r"[0-9]{1,9}")
_TABLE_ALIGN = frozenset({"left", "center", "right"})
# A URL scheme as browsers read it (WHATWG URL): letter, then letters/digits/+/-/.
_SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# Browsers trim leading/trailing C0 controls and spaces, and delete tabs/newlines anywhere.
_URL_TRIM = "".join(chr(c) for c in range(0x21))
_URL_REMOVE_RE = re.compile(r"[\t\n\r]")
# Control characters never belong in notes; removing them up front keeps output deterministic
# and closes NUL-byte tricks (\t, \n and \r are kept and normalised by python-markdown).
_CONTROL_CHARS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _is_allowed_url(url: str) -> bool:
    """True if *url* (already entity-decoded) is an absolute http(s)/mailto URL."""
    cleaned = _URL_REMOVE_RE.sub("", url.strip(_URL_TRIM))
    match = _SCHEME_RE.match(cleaned)
    # No scheme means relative, including protocol-relative "//evil.example" and "\\evil".
    return match is not None and match.group(1).lower() in ALLOWED_URL_SCHEMES


def _filter_attribute(tag: str, attr: str, value: str) -> str | None:
    """nh3 attribute callback: validate values of allowlisted attributes, fail closed."""
    if attr == "rel" and tag == "a":
        return value  # added by nh3 from LINK_REL
    if attr not in ALLOWED_ATTRIBUTES.get(tag, ()):
        return None
    if attr == "href":
        # nh3 already enforces url_schemes and denies relative URLs; this repeats the check with
        # our own predicate so the policy does not rest on one implementation alone.
        return value.strip(_URL_TRIM) if _is_allowed_url(value) else None
    if attr == "class":
        return value if _CODE_CLASS_RE.fullmatch(value) else None
    if attr == "start":
        return value if _OL_START_RE.fullmatch(value) else None
    if attr == "align":
        return value if value in _TABLE_ALIGN else None
    return value  # title: plain text, escaped by the serializer


# Cleaner is immutable after construction and safe to share between threads.
_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    # Drop these with their content: their text is code/CSS, never prose.
    clean_content_tags={"script", "style"},
    attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
    attribute_filter=_filter_attribute,
    strip_comments=True,
    link_rel=LINK_REL,
    url_schemes=set(ALLOWED_URL_SCHEMES),
    url_relative="deny",
)


def _sanitize_html(fragment: str) -> str:
    """Reduce an HTML fragment to the allowlist. Internal: exposed for tests only."""
    return _CLEANER.clean(fragment)


def _replace_with_text(parent: etree.Element, index: int, elem: etree.Element, text: str) -> None:
    """Replace *elem* (child *index* of *parent*) by its children, prefixed with *text*."""
    children = list(elem)
    lead = text
    tail = elem.tail or ""
    parent.remove(elem)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    if children:
        children[-1].tail = (children[-1].tail or "") + tail
    else:
        lead += tail
    if index == 0:
        parent.text = (parent.text or "") + lead
    else:
        prev = parent[index - 1]
        prev.tail = (prev.tail or "") + lead


class _PolicyTreeprocessor(Treeprocessor):
    """Apply the content policy on the Markdown tree, where the intent is still visible.

    Demote headings, replace images by their alt text and unwrap links nh3 would neuter, so the
    reader sees plain text instead of a dead anchor. nh3 still enforces all of this afterwards.
    """

    def run(self, root: etree.Element) -> None:
        # Children before parents (reversed pre-order), so an img inside a link that gets
        # unwrapped is already handled; within a parent, walk backwards so splicing children
        # in does not shift the ones still to visit.
        for parent in reversed(list(root.iter())):
            for index in range(len(parent) - 1, -1, -1):
                elem = parent[index]
                tag = elem.tag
                if isinstance(tag, str) and len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
                    elem.tag = f"h{min(int(tag[1]) + _HEADING_SHIFT, 6)}"
                elif tag == "img":
                    _replace_with_text(parent, index, elem, elem.get("alt", ""))
                elif tag == "a" and not _is_allowed_url(self._decoded(elem.get("href", ""))):
                    _replace_with_text(parent, index, elem, elem.text or "")

    @staticmethod
    def _decoded(href: str) -> str:
        # python-markdown keeps character references in hrefs (and writes automail links with a
        # placeholder "&"); decode them as the browser would before judging the scheme.
        return html.unescape(href.replace(AMP_SUBSTITUTE, "&"))


class _AttuneMarkdownExtension(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Escape raw HTML instead of passing it through: without these two processors a "<"
        # in the source is ordinary text and the serializer escapes it.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        # ~~strike~~ -> <del>; priority just above em/strong so emphasis still works inside.
        md.inlinePatterns.register(SimpleTagInlineProcessor(r"(~~)(.+?)~~", "del"), "del", 65)
        # Priority < 0: after "inline" (creates img/a) and "unescape" (restores "\x" escapes).
        md.treeprocessors.register(_PolicyTreeprocessor(md), "attune_policy", -5)


def _new_markdown() -> markdown.Markdown:
    # Deliberately not "extra": it brings md_in_html (raw HTML), attr_list ({: onclick=...}) and
    # footnotes (need ids, which we strip). nl2br is not wanted: Markdown line breaks as usual.
    return markdown.Markdown(
        extensions=[
            "abbr",
            "fenced_code",
            "tables",
            "sane_lists",
            _AttuneMarkdownExtension(),
        ],
        extension_configs={"tables": {"use_align_attribute": True}},
        output_format="html",
    )


# Markdown instances keep per-document state and are not thread-safe: one per thread, reset
# before every conversion (which also clears state left behind by a conversion that raised).
_local = threading.local()


def _markdown() -> markdown.Markdown:
    md: markdown.Markdown | None = getattr(_local, "md", None)
    if md is None:
        md = _local.md = _new_markdown()
    md.reset()
    return md


MAX_LINK_BRACKETS = 100
_UNESCAPED_BRACKET_RE = re.compile(r"(?<!\\)\[")


def render_markdown(source: str, mentions: dict[str, str] | None = None) -> str:
    """Render user Markdown to sanitized HTML, safe to wrap in ``markupsafe.Markup``.

    ``mentions`` maps display names to our own URLs: each ``@Display Name`` in the text (outside
    links and code) becomes ``<a class="mention" href="URL">``. It is applied after sanitizing,
    because the allowlist rightly refuses relative links and classes on ``a`` in user markup.
    """
    source = _CONTROL_CHARS_RE.sub("", source)
    if not source.strip():
        return ""
    sanitized = _render_sanitized(source)
    if mentions:
        return _link_mentions(sanitized, mentions)
    return sanitized


def _render_sanitized(source: str) -> str:
    if source.count("[") > MAX_LINK_BRACKETS:
        # python-markdown's link parsing is quadratic in unmatched brackets (Python-Markdown
        # #798): 3,000 of them take seconds. Past this many, brackets stay literal text.
        source = _UNESCAPED_BRACKET_RE.sub(r"\\[", source)
    md = _markdown()
    try:
        rendered = md.convert(source)
    except RecursionError:
        # python-markdown recurses per nesting level; a few hundred nested list levels exhaust
        # the stack. Show such a note as escaped plain text rather than failing the page.
        _local.md = None  # an aborted conversion leaves parser state that reset() misses
        rendered = "".join(f"<p>{html.escape(block)}</p>" for block in source.split("\n\n"))
    except BaseException:
        _local.md = None
        raise
    return _sanitize_html(rendered)


class _MentionLinker(HTMLParser):
    """Copy our own sanitized HTML, linking ``@Name`` in text that is not in a link or code."""

    _SKIP = frozenset({"a", "code", "pre"})

    def __init__(self, pattern: re.Pattern[str], urls: dict[str, str]) -> None:
        super().__init__(convert_charrefs=True)  # match names as the reader sees them
        self._pattern = pattern
        self._urls = urls
        self._out: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._out.append(self.get_starttag_text() or "")
        if tag in self._SKIP:
            self._skip_depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        self._out.append(f"</{tag}>")
        if tag in self._SKIP and self._skip_depth:
            self._skip_depth -= 1

    def handle_data(self, data: str) -> None:
        if self._skip_depth:
            self._out.append(html.escape(data, quote=False))
            return
        position = 0
        for match in self._pattern.finditer(data):
            url = self._url_for(match.group(1))
            self._out.append(html.escape(data[position : match.start()], quote=False))
            self._out.append(
                f'<a class="mention" href="{html.escape(url, quote=True)}">'
                f"{html.escape(match.group(0), quote=False)}</a>"
            )
            position = match.end()
        self._out.append(html.escape(data[position:], quote=False))

    def _url_for(self, matched: str) -> str:
        key = " ".join(matched.split()).casefold()
        if key in self._urls:
            return self._urls[key]
        # re folds case its own (simpler) way: find the name that matched.
        return next(
            url
            for name, url in self._urls.items()
            if re.fullmatch(_name_pattern(name), matched, re.IGNORECASE)
        )

    def result(self) -> str:
        return "".join(self._out)


def _is_mention_url(url: str) -> bool:
    """A local path of ours ("/groups/3#member-7") or an allowed absolute URL; never a script."""
    local = url.startswith("/") and not url.startswith("//") and "\\" not in url
    return (local or _is_allowed_url(url)) and all(0x20 < ord(ch) != 0x7F for ch in url)


def _name_pattern(name: str) -> str:
    return r"\s+".join(re.escape(word) for word in name.split())


def _link_mentions(sanitized: str, mentions: dict[str, str]) -> str:
    names: dict[str, str] = {}  # normalised name -> URL (the first given wins)
    for name, url in mentions.items():
        name = " ".join(name.split())
        if name and _is_mention_url(url):
            names.setdefault(name, url)
    if not names:
        return sanitized
    # Longest first, so "@Ana María Ruiz" is not taken as "@Ana María" followed by text; a whole
    # name only: not after a word character (e-mail addresses) and not before one.
    ordered = sorted(names, key=len, reverse=True)
    alternatives = "|".join(_name_pattern(name) for name in ordered)
    pattern = re.compile(rf"(?<![\w@])@({alternatives})(?!\w)", re.IGNORECASE)
    urls: dict[str, str] = {}
    for name in ordered:
        urls.setdefault(name.casefold(), names[name])
    linker = _MentionLinker(pattern, urls)
    linker.feed(sanitized)
    linker.close()
    return linker.result()


# Block elements are separated by a blank line; these start a new line instead.
_PARAGRAPH_TAGS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "hr", "ul", "ol"}
)
_LINE_TAGS = frozenset({"li", "tr", "br"})
_CELL_TAGS = frozenset({"th", "td"})
_LIST_TAGS = frozenset({"ul", "ol"})
_LINE, _PARAGRAPH = 1, 2


class _TextExtractor(HTMLParser):
    """Collect text with deterministic spacing from our own sanitized HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # entities arrive decoded in handle_data
        self._out: list[str] = []
        self._pending = 0  # strongest break requested since the last text
        self._pre_depth = 0
        self._list_depth = 0

    def _break(self, kind: int) -> None:
        if self._out:
            self._out[-1] = self._out[-1].rstrip(" ")
        self._pending = max(self._pending, kind)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _LIST_TAGS:
            # A nested list continues its parent item on the next line, not a new paragraph.
            self._break(_LINE if self._list_depth else _PARAGRAPH)
            self._list_depth += 1
        elif tag in _PARAGRAPH_TAGS:
            self._break(_PARAGRAPH)
        elif tag in _LINE_TAGS:
            self._break(_LINE)
        elif tag in _CELL_TAGS:
            self.handle_data(" ")
        if tag == "pre":
            self._pre_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre" and self._pre_depth:
            self._pre_depth -= 1
        if tag in _LIST_TAGS and self._list_depth:
            self._list_depth -= 1
            self._break(_LINE if self._list_depth else _PARAGRAPH)
        elif tag in _PARAGRAPH_TAGS:
            self._break(_PARAGRAPH)

    def handle_data(self, data: str) -> None:
        if self._pre_depth:
            text = data.rstrip("\n")  # code keeps its own lines and indentation
        else:
            # Outside <pre>, whitespace (including HTML source newlines) is one space.
            text = re.sub(r"\s+", " ", data)
            if self._pending or not self._out or self._out[-1].endswith(" "):
                text = text.lstrip(" ")
        if not text:
            return
        if self._pending and self._out:
            self._out.append("\n" * self._pending)
        self._pending = 0
        self._out.append(text)

    def text(self) -> str:
        return "".join(self._out).rstrip()


def markdown_to_text(source: str) -> str:
    """Plain text of the rendered Markdown, for search and annotation anchoring.

    Deterministic normalisation: entities decoded, blocks separated by one blank line, list
    items, table rows and ``<br>`` on their own line, table cells separated by a space, other
    whitespace collapsed to single spaces; code blocks keep their lines and indentation. Image
    alt text is included (images render as their alt text), attribute values are not.
    """
    extractor = _TextExtractor()
    extractor.feed(render_markdown(source))
    extractor.close()
    return extractor.text()


class _TextContent(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text_content(rendered_html: str) -> str:
    """Exactly what a browser's ``element.textContent`` gives for this (sanitized) HTML.

    Annotation offsets count characters in this text, so the server and the browser agree.
    """
    parser = _TextContent()
    parser.feed(rendered_html)
    parser.close()
    return "".join(parser.parts)
