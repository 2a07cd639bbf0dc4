"""The project's Markdown documents (``docs/*.md``) as safe HTML for the site's pages.

CommonMark plus tables (markdown-it-py), then sanitised with nh3: whatever a document holds,
no script, style, event handler or ``javascript:`` URL reaches the page. Headings get ids
(``## Groups and rating classes`` → ``id="groups-and-rating-classes"``) and a table of
contents; right-aligned table columns get the site's ``num`` class; relative links to files of
the repository, which the site does not serve, become plain text, except links to a heading
of the same document. A rendering is cached until the file's modification time changes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

#: Heading levels listed in the table of contents.
TOC_LEVELS: Final = (2, 3)
_HEADINGS: Final = {"h1", "h2", "h3", "h4", "h5", "h6"}
_EXTERNAL: Final = ("http", "https", "mailto")


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    id: str
    text: str
    children: tuple[Heading, ...] = ()  # the table of contents' next level under this one


@dataclass(frozen=True, slots=True)
class RenderedDoc:
    title: str  # the first level-1 heading, or the file name
    html: str  # sanitised; the first level-1 heading left out (the page has its own h1)
    toc: tuple[Heading, ...]


def slug(text: str) -> str:
    """An id from a heading: accents dropped, lower case, runs of other characters a hyphen.

    >>> slug("Groups and rating classes"), slug("World averages and the figures sources quote")
    ('groups-and-rating-classes', 'world-averages-and-the-figures-sources-quote')
    >>> slug("Récapitulatif (2024)")
    'recapitulatif-2024'
    """
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "section"


def _inline_text(token: Token) -> str:
    return "".join(child.content for child in token.children or () if child.type != "softbreak")


def _annotate(tokens: list[Token], name: str) -> tuple[str, list[Heading], list[Token]]:
    """Give headings unique ids, mark right-aligned cells ``num``, unlink repository paths,
    drop the first level-1 heading; the title, the headings and the tokens to render."""
    title, headings, kept, seen = name, [], [], set()
    skip_until = -1
    for position, token in enumerate(tokens):
        if position <= skip_until:
            continue
        if token.type == "heading_open":
            text = _inline_text(tokens[position + 1])
            if token.tag == "h1" and title == name:
                title, skip_until = text, position + 2
                continue
            base = candidate = slug(text)
            suffix = 1
            while candidate in seen:
                suffix += 1
                candidate = f"{base}-{suffix}"
            seen.add(candidate)
            token.attrSet("id", candidate)
            headings.append(Heading(level=int(token.tag[1]), id=candidate, text=text))
        elif token.type in ("th_open", "td_open"):
            style = str(token.attrGet("style") or "")
            token.attrs.pop("style", None)
            if "text-align:right" in style:
                token.attrSet("class", "num")
        elif token.type == "inline":
            token.children = _unlink(token.children or [])
        kept.append(token)
    return title, headings, kept


def _unlink(children: list[Token]) -> list[Token]:
    """Links that leave neither to the web nor to a heading of the page become their text."""
    kept: list[Token] = []
    depth = 0  # inside a dropped link: its closing token is dropped too
    for child in children:
        if child.type == "link_open":
            href = str(child.attrGet("href") or "")
            scheme = urlsplit(href).scheme
            if scheme in _EXTERNAL or href.startswith("#"):
                kept.append(child)
                continue
            fragment = href.partition("#")[2]
            if href.split("#")[0].endswith("methodology.md") and fragment:
                child.attrSet("href", f"#{fragment}")
                kept.append(child)
                continue
            depth += 1
            continue
        if child.type == "link_close" and depth:
            depth -= 1
            continue
        kept.append(child)
    return kept


_MARKDOWN: Final = MarkdownIt("commonmark", {"html": False}).enable("table")
_ATTRIBUTES: Final = {
    **{tag: {"id"} for tag in _HEADINGS},
    "a": {"href", "title"},
    "th": set(),  # class: through allowed_classes, which ammonia wants alone
    "td": set(),
}


def render_markdown(text: str, *, name: str = "document") -> RenderedDoc:
    """``text`` (CommonMark with tables) as sanitised HTML with heading ids and contents.

    >>> doc = render_markdown("# Title\\n\\n## A b\\n\\ntext <script>x</script> [d](data.md)")
    >>> doc.title, [h.id for h in doc.toc]
    ('Title', ['a-b'])
    >>> doc.html
    '<h2 id="a-b">A b</h2>\\n<p>text &lt;script&gt;x&lt;/script&gt; d</p>\\n'
    """
    tokens = _MARKDOWN.parse(text)
    title, headings, kept = _annotate(tokens, name)
    html = _MARKDOWN.renderer.render(kept, _MARKDOWN.options, {})
    clean = nh3.clean(
        html,
        tags=set(nh3.ALLOWED_TAGS) - {"img", "map", "area"},
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        allowed_classes={"th": {"num"}, "td": {"num"}},
    )
    return RenderedDoc(title=title, html=clean, toc=_contents(headings))


def _contents(headings: list[Heading]) -> tuple[Heading, ...]:
    """The headings of :data:`TOC_LEVELS`, each second-level one under the first-level one
    before it (a second-level heading before any first-level one is left out)."""
    top, sub = TOC_LEVELS
    entries: list[tuple[Heading, list[Heading]]] = []
    for heading in headings:
        if heading.level == top:
            entries.append((heading, []))
        elif heading.level == sub and entries:
            entries[-1][1].append(heading)
    return tuple(replace(heading, children=tuple(children)) for heading, children in entries)


@lru_cache(maxsize=16)
def _rendered(path: Path, modified: int) -> RenderedDoc:
    return render_markdown(path.read_text(encoding="utf-8"), name=path.stem)


def rendered_doc(path: Path) -> RenderedDoc:
    """The file at ``path`` rendered, from the cache while its modification time is unchanged."""
    return _rendered(path, path.stat().st_mtime_ns)
