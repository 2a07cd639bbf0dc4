"""Markdown that users write (knowledge items, comments) as safe HTML, as plain text, and the
names of the files they attach made safe to show and store.

:func:`render_user_markdown` parses CommonMark with tables and strikethrough (markdown-it-py;
raw HTML off, so ``<script>`` is shown as text) and then sanitises the HTML with nh3 against an
explicit allowlist, so whatever the text holds, no script, style, event handler, frame, form,
SVG, MathML or ``javascript:`` URL reaches the page. What differs from the project's own
documents (:mod:`egov.web.datacenter.docs`):

* **Nothing is fetched by the page.** Images would make every reader's browser request a
  remote URL, which the site's no-external-request rule forbids, so an image becomes a link to
  its URL with the alt text as the link's text (the URL itself when there is no alt text); an
  image inside a link, or one whose URL is not http(s), leaves only its alt text.
* **Links are links.** http, https and mailto URLs, relative paths and fragments are kept,
  each ``<a>`` with ``rel="nofollow noopener noreferrer"``; following one is the reader's
  choice. Any other scheme (``javascript:``, ``data:``, ``ftp:``, …) leaves the link's text.
  Bare URLs are not turned into links: markdown-it-py's ``linkify`` needs linkify-it-py, a
  dependency the project does not have; ``<https://…>`` autolinks work.
* **Headings shift down two levels** (``#`` → ``<h3>``, ``####`` and deeper → ``<h6>``), under
  the page's own ``<h1>`` and ``<h2>``, and get no ids (user text must not clobber the page's).
* No classes but ``num`` on right-aligned table cells, as in the project's documents; no ``id``
  or ``name`` attribute; code blocks lose their language class.
* Nesting deeper than markdown-it's limit (20 levels of quotes or lists) is not rendered, so a
  hostile text cannot exhaust the recursion.
* Nothing is cached: the input is user data.

:func:`plain_text` gives the words a reader sees, for summaries and the search index.
:func:`safe_filename` makes an attachment's name safe to show and to store.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Final
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

#: URL schemes a user's link may have; relative URLs and fragments are kept as well.
URL_SCHEMES: Final = frozenset({"http", "https", "mailto"})
#: How many levels a user's heading moves down: ``#`` renders as ``<h3>``.
HEADING_SHIFT: Final = 2
#: The ``rel`` of every link in user content.
LINK_REL: Final = "nofollow noopener noreferrer"
#: Longest name :func:`safe_filename` returns, in characters (Attachment.name holds 200).
MAX_FILENAME_LENGTH: Final = 120
#: Longest name :func:`safe_filename` returns in UTF-8 bytes: what common file systems store.
MAX_FILENAME_BYTES: Final = 255

_TAGS: Final = frozenset(
    {
        "p", "br", "hr", "h3", "h4", "h5", "h6", "strong", "em", "s", "code", "pre",
        "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
_ATTRIBUTES: Final = {
    "a": {"href", "title"},  # rel: set on every link by nh3 (LINK_REL)
    "ol": {"start"},
    "th": set(),  # class: through allowed_classes, which ammonia wants alone
    "td": set(),
}
_CLASSES: Final = {"th": {"num"}, "td": {"num"}}

_MARKDOWN: Final = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])

#: Explicit bidirectional embeddings, overrides and isolates.
_BIDI_CONTROLS: Final = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
#: Invisible characters that split words for search without showing anything.
_INVISIBLE: Final = frozenset({"\u00ad", "\u200b", "\u2060", "\ufeff"})
#: For ``str.translate``: control characters but tab and line ends go; lone surrogates (which
#: JSON can carry but UTF-8 cannot) and NUL become U+FFFD, as CommonMark does with NUL.
_UNENCODABLE: Final = {
    **dict.fromkeys((*range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))),
    **dict.fromkeys((0x00, *range(0xD800, 0xE000)), "\ufffd"),
}


def render_user_markdown(text: str) -> str:
    """``text``, Markdown a user wrote, as sanitised HTML to put in a page as it is.

    >>> render_user_markdown("# Plan\\n\\n**Go** <script>alert(1)</script> [UN](https://un.org)")
    '<h3>Plan</h3>\\n<p><strong>Go</strong> &lt;script&gt;alert(1)&lt;/script&gt; <a href="https://un.org" rel="nofollow noopener noreferrer">UN</a></p>\\n'
    >>> render_user_markdown("![Map](https://example.org/map.png) [x](javascript:alert(1))")
    '<p><a href="https://example.org/map.png" rel="nofollow noopener noreferrer">Map</a> [x](javascript:alert(1))</p>\\n'
    """  # noqa: E501
    tokens = [_made_safe(token) for token in _MARKDOWN.parse(text.translate(_UNENCODABLE))]
    html = _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {})
    return nh3.clean(
        html,
        tags=set(_TAGS),
        attributes=_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        allowed_classes=_CLASSES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def plain_text(text: str) -> str:
    """The words a reader sees in ``text`` (Markdown), one block a line, for summaries and the
    search index: links give their text, images their alt text, code its content; entities are
    decoded. Control characters, bidirectional overrides and isolates (which would turn the text
    after a summary around) and invisible word-splitting characters are dropped. The result is
    text, not HTML: escape it when it is shown (Django templates do).

    >>> plain_text("# Plan\\n\\nRead [the *survey*](https://un.org) &amp; ![map](m.png).\\n\\n- one\\n- two")
    'Plan\\nRead the survey & map.\\none\\ntwo'
    >>> plain_text("<b>kept as written</b>")
    '<b>kept as written</b>'
    """  # noqa: E501
    lines: list[str] = []
    for token in _MARKDOWN.parse(text.translate(_UNENCODABLE)):
        if token.type == "inline":
            lines.append(_text_of(token.children or ()))
        elif token.type in ("code_block", "fence"):
            lines.extend(token.content.splitlines())
    kept = (_visible(line) for line in lines)
    return "\n".join(line for line in kept if line)


def _visible(line: str) -> str:
    shown = "".join(c for c in line if c not in _BIDI_CONTROLS and c not in _INVISIBLE)
    return " ".join(shown.split())


def _text_of(children: Iterable[Token]) -> str:
    """The text of inline tokens as a reader sees it (an image: its alt text)."""
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(_text_of(child.children or ()))
    return "".join(parts)


def _made_safe(token: Token) -> Token:
    """One block token as this module renders it: headings shifted, table cells classed, code
    blocks without a language, images and unsafe links replaced."""
    if token.type in ("heading_open", "heading_close"):
        token.tag = f"h{min(int(token.tag[1]) + HEADING_SHIFT, 6)}"
    elif token.type in ("th_open", "td_open"):
        style = str(token.attrs.pop("style", ""))
        if "text-align:right" in style:
            token.attrSet("class", "num")
    elif token.type == "fence":
        token.info = ""
    elif token.type == "inline":
        token.children = _safe_inline(token.children or [])
    return token


def _allowed(url: str) -> bool:
    return urlsplit(url).scheme.lower() in URL_SCHEMES | {""}


def _safe_inline(children: list[Token]) -> list[Token]:
    """Links with a scheme other than :data:`URL_SCHEMES` become their text; images become a
    link to their URL (their alt text alone inside a link or for another scheme)."""
    kept: list[Token] = []
    opened: list[bool] = []  # for each open link, whether it was kept
    for child in children:
        if child.type == "link_open":
            keep = _allowed(str(child.attrGet("href") or ""))
            opened.append(keep)
            if keep:
                kept.append(child)
        elif child.type == "link_close":
            if not opened or opened.pop():
                kept.append(child)
        elif child.type == "image":
            alt = _text_of(child.children or ())
            src = str(child.attrGet("src") or "")
            if any(opened) or not src or not _allowed(src):
                kept.append(_text(alt))
                continue
            link = Token("link_open", "a", 1, attrs={"href": src})
            if child.attrGet("title"):
                link.attrSet("title", str(child.attrGet("title")))
            kept += [link, _text(alt or src), Token("link_close", "a", -1)]
        else:
            kept.append(child)
    return kept


def _text(content: str) -> Token:
    return Token("text", "", 0, content=content)


_WINDOWS_RESERVED: Final = re.compile(
    r"(CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|(COM|LPT)[0-9¹²³])$", re.IGNORECASE
)
#: Characters a file system refuses or reads as a separator, and lookalikes of the slash.
_FORBIDDEN: Final = frozenset('<>:"|?*' + "\u2215\u2044\u29f8\u29f9")
_EXTENSION: Final = re.compile(r"[A-Za-z0-9]{1,10}")
_FALLBACK: Final = "file"


def safe_filename(name: str, *, max_length: int = MAX_FILENAME_LENGTH) -> str:
    """``name``, the name of an uploaded file, safe to show and to store.

    Unicode is normalised (NFKC, so fullwidth ``／`` is a slash); only the part after the last
    ``/`` or ``\\`` is kept; control, format (bidi overrides and isolates, zero-width),
    private-use and unassigned characters are dropped; other whitespace becomes a space and runs
    of spaces one; ``< > : " | ? *`` and slash lookalikes become ``_``; leading dots, hyphens and
    spaces and trailing dots and spaces go (``.pdf`` becomes ``file.pdf``); a Windows device
    name (``CON``, ``com1`` …) gets a leading ``_``. Letters of any script stay. The result is at
    most ``max_length`` characters and :data:`MAX_FILENAME_BYTES` UTF-8 bytes, shortened before
    its extension (1–10 ASCII letters or digits) so the extension survives; it is never empty.

    >>> safe_filename("../../etc/passwd"), safe_filename("report.pdf\\u202egpj.exe")
    ('passwd', 'report.pdfgpj.exe')
    >>> safe_filename('"><img src=x onerror=alert(1)>.pdf'), safe_filename("CON.pdf")
    ('___img src=x onerror=alert(1)_.pdf', '_CON.pdf')
    >>> safe_filename("..."), safe_filename("Rapport d’activité 2024.docx")
    ('file', 'Rapport d’activité 2024.docx')
    """
    if max_length < 16:
        raise ValueError(f"max_length must be at least 16, not {max_length}")
    text = unicodedata.normalize("NFKC", name)
    text = re.split(r"[/\\]", text)[-1]
    text = "".join(_filename_character(c) for c in text)
    text = " ".join(text.split()).rstrip(". ")
    stem, dot, extension = text.rpartition(".")
    if not dot or not _EXTENSION.fullmatch(extension):
        stem, extension = text, ""
    stem = stem.lstrip(". -").rstrip(". ") or _FALLBACK
    if _WINDOWS_RESERVED.match(stem.split(".")[0].rstrip(" ")):
        stem = f"_{stem}"
    suffix = f".{extension}" if extension else ""
    room = max_length - len(suffix)
    while len(stem) > room or len(f"{stem}{suffix}".encode()) > MAX_FILENAME_BYTES:
        stem = stem[: min(room, len(stem) - 1)]
    return f"{stem.rstrip('. ') or _FALLBACK}{suffix}"


def _filename_character(c: str) -> str:
    category = unicodedata.category(c)
    if c in _FORBIDDEN:
        return "_"
    if c.isspace():
        return " "
    return "" if category[0] == "C" else c
