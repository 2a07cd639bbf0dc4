"""User Markdown rendered safely, as plain text, and attachment names made safe.

Every hostile input of ``tests/fixtures/hostile_markdown.py`` is rendered and the HTML read
back with Python's own parser; the checks below know nothing of the renderer's allowlist.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.fixtures.hostile_markdown import FILENAMES, MARKDOWN

from egov.web.markdown import (
    MAX_FILENAME_BYTES,
    MAX_FILENAME_LENGTH,
    plain_text,
    render_user_markdown,
    safe_filename,
)

#: Elements ordinary Markdown makes (headings shifted down two levels).
MARKDOWN_ELEMENTS = {
    "p", "br", "hr", "h3", "h4", "h5", "h6", "strong", "em", "s", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
FORBIDDEN_ELEMENTS = {
    "script", "style", "iframe", "frame", "object", "embed", "form", "input", "button",
    "svg", "math", "meta", "base", "link", "img", "video", "audio", "source", "textarea",
}  # fmt: skip
SAFE_SCHEMES = {"http", "https", "mailto"}
BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
REL = 'rel="nofollow noopener noreferrer"'


class Elements(HTMLParser):
    """Every start tag of an HTML fragment with its attributes, entities decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {name: value or "" for name, value in attrs}))


def elements(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = Elements()
    parser.feed(html)
    parser.close()
    return parser.found


def url_scheme(url: str) -> str | None:
    """The scheme a browser could see in ``url``: whitespace, control and format characters
    removed anywhere, case folded; None for a relative URL or a fragment."""
    squeezed = "".join(
        c for c in url if not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf")
    ).casefold()
    found = re.match(r"([a-z][a-z0-9+.\-]*):", squeezed)
    return found.group(1) if found else None


def test_corpus_is_large_and_named_by_stable_slugs() -> None:
    ids = [case for case, _ in MARKDOWN] + [case for case, _ in FILENAMES]
    assert len(MARKDOWN) >= 60
    assert len(FILENAMES) >= 20
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", case) for case in ids)


@pytest.mark.parametrize(("case", "text"), MARKDOWN, ids=[case for case, _ in MARKDOWN])
def test_hostile_markdown_renders_to_inert_html(case: str, text: str) -> None:
    html = render_user_markdown(text)
    html.encode("utf-8")  # storable and servable as it is
    for tag, attributes in elements(html):
        assert tag not in FORBIDDEN_ELEMENTS, (case, tag)
        assert tag in MARKDOWN_ELEMENTS, (case, tag)
        for name, value in attributes.items():
            assert not name.startswith("on"), (case, tag, name)
            assert name not in {"style", "id", "name", "src", "srcdoc", "srcset", "action"}
            if name in {"href", "src", "action", "formaction", "poster", "data"}:
                assert url_scheme(value) in SAFE_SCHEMES | {None}, (case, tag, value)
        if tag == "a":
            assert attributes["rel"] == "nofollow noopener noreferrer", case


@pytest.mark.parametrize(("case", "text"), MARKDOWN, ids=[case for case, _ in MARKDOWN])
def test_hostile_markdown_gives_plain_text(case: str, text: str) -> None:
    shown = plain_text(text)
    shown.encode("utf-8")
    assert not any(
        c in BIDI_CONTROLS or unicodedata.category(c) == "Cc" for c in shown if c != "\n"
    )


def test_raw_html_is_shown_as_text() -> None:
    assert render_user_markdown('<b onclick="x()">bold</b>') == (
        '<p>&lt;b onclick="x()"&gt;bold&lt;/b&gt;</p>\n'
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "`<script>alert(1)</script>`",
            "<p><code>&lt;script&gt;alert(1)&lt;/script&gt;</code></p>\n",
        ),
        ("```html\n<b>x</b>\n```", "<pre><code>&lt;b&gt;x&lt;/b&gt;\n</code></pre>\n"),
        ("    <i>x</i>", "<pre><code>&lt;i&gt;x&lt;/i&gt;\n</code></pre>\n"),
    ],
)
def test_code_shows_tags_as_text(text: str, expected: str) -> None:
    assert render_user_markdown(text) == expected


@pytest.mark.parametrize(
    ("text", "tag"),
    [("# a", "h3"), ("## a", "h4"), ("### a", "h5"), ("#### a", "h6"), ("###### a", "h6"),
     ("a\n=", "h3"), ("a\n-", "h4")],
)  # fmt: skip
def test_headings_shift_down_two_levels_without_ids(text: str, tag: str) -> None:
    assert render_user_markdown(text) == f"<{tag}>a</{tag}>\n"


def test_table_renders_with_right_aligned_cells_marked_num() -> None:
    text = "| Country | EGDI |\n|:--|--:|\n| Denmark | 0.9847 |"
    assert render_user_markdown(text) == (
        '<table>\n<thead>\n<tr>\n<th>Country</th>\n<th class="num">EGDI</th>\n</tr>\n'
        '</thead>\n<tbody>\n<tr>\n<td>Denmark</td>\n<td class="num">0.9847</td>\n</tr>\n'
        "</tbody>\n</table>\n"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("*em* **strong** ~~gone~~", "<p><em>em</em> <strong>strong</strong> <s>gone</s></p>\n"),
        ("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"),
        ("3. three\n4. four", '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>\n'),
        ("> quoted", "<blockquote>\n<p>quoted</p>\n</blockquote>\n"),
        ("a  \nb\n\n---", "<p>a<br>\nb</p>\n<hr>\n"),
        (
            '[UN](https://un.org "The UN")',
            f'<p><a href="https://un.org" title="The UN" {REL}>UN</a></p>\n',
        ),
        ("<https://un.org>", f'<p><a href="https://un.org" {REL}>https://un.org</a></p>\n'),
        ("<a@un.org>", f'<p><a href="mailto:a@un.org" {REL}>a@un.org</a></p>\n'),
        (
            "[page](/knowledge/) [top](#top)",
            (f'<p><a href="/knowledge/" {REL}>page</a> <a href="#top" {REL}>top</a></p>\n'),
        ),
        ("[ref][r]\n\n[r]: https://un.org", f'<p><a href="https://un.org" {REL}>ref</a></p>\n'),
        ("a &amp; b &lt; c", "<p>a &amp; b &lt; c</p>\n"),
        ("https://un.org", "<p>https://un.org</p>\n"),  # no linkify: it needs linkify-it-py
    ],
)
def test_ordinary_markdown_renders_as_commonmark(text: str, expected: str) -> None:
    assert render_user_markdown(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("![Map](https://x.org/m.png)", f'<p><a href="https://x.org/m.png" {REL}>Map</a></p>\n'),
        (
            '![](https://x.org/m.png "T")',
            f'<p><a href="https://x.org/m.png" title="T" {REL}>https://x.org/m.png</a></p>\n',
        ),
        (
            "[![Map](https://x.org/m.png)](https://un.org)",
            f'<p><a href="https://un.org" {REL}>Map</a></p>\n',
        ),
        ("![dot](data:image/png;base64,iVBORw0KGgo=)", "<p>dot</p>\n"),
    ],
)
def test_images_become_links_so_nothing_is_fetched(text: str, expected: str) -> None:
    assert render_user_markdown(text) == expected


@pytest.mark.parametrize("url", ["ftp://x.org/f", "tel:+4512345678", "irc://x.org"])
def test_links_of_other_schemes_leave_their_text(url: str) -> None:
    assert render_user_markdown(f"[text]({url})") == "<p>text</p>\n"


def test_nesting_within_the_limit_renders_and_deeper_nesting_is_dropped() -> None:
    html = render_user_markdown("> " * 10 + "ten")
    assert html.count("<blockquote>") == 10
    assert "ten" in html
    assert render_user_markdown("> " * 500 + "deep").count("<blockquote>") < 500


def test_bidi_controls_stay_in_html_and_leave_plain_text() -> None:
    text = "\u202etxt.exe and \u2067\u0645\u0631\u062d\u0628\u0627\u2069"
    assert "\u202e" in render_user_markdown(text)
    assert plain_text(text) == "txt.exe and \u0645\u0631\u062d\u0628\u0627"


def test_lone_surrogates_and_controls_are_replaced_or_dropped() -> None:
    assert render_user_markdown("a\ud800b\x07c\x00") == "<p>a\ufffdbc\ufffd</p>\n"


def test_template_syntax_reaches_the_page_as_text() -> None:
    text = "{{ request.user.password }} {% debug %} ${x}"
    assert render_user_markdown(text) == f"<p>{text}</p>\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# Plan\n\nRead **this** &amp; [that](https://un.org).", "Plan\nRead this & that."),
        ("![Map of Africa](m.png) `code`", "Map of Africa code"),
        ("- one\n- two\n\n```\nx = 1\ny = 2\n```", "one\ntwo\nx = 1\ny = 2"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),  # text; templates escape it
        ("pay\u200bpal  \t spaced\nline", "paypal spaced line"),
        ("", ""),
    ],
)
def test_plain_text_is_what_a_reader_sees(text: str, expected: str) -> None:
    assert plain_text(text) == expected


# Attachment names

_SAFE_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "PDF", "tar"]
_TRICKY = list("/\\.:\"'<>|?* \t\n\r\x00\x1b\u202a\u202e\u2066\u2069\u200b\ufeff\uff0f\u2215-")
_NAMES = st.text(
    alphabet=st.one_of(st.characters(), st.characters(categories=["Cs"]), st.sampled_from(_TRICKY)),
    max_size=400,
)


def _assert_safe(result: str, max_length: int = MAX_FILENAME_LENGTH) -> None:
    assert result
    assert len(result) <= max_length
    assert len(result.encode("utf-8")) <= MAX_FILENAME_BYTES
    assert not set(result) & set('/\\<>:"|?*')
    assert not any(unicodedata.category(c).startswith("C") for c in result)
    assert not result.startswith((".", " ", "-"))
    assert not result.endswith((".", " "))
    stem = result.split(".")[0].rstrip()
    assert not re.fullmatch(r"(CON|PRN|AUX|NUL|(COM|LPT)[0-9¹²³])", stem, re.IGNORECASE)


@pytest.mark.parametrize(("case", "name"), FILENAMES, ids=[case for case, _ in FILENAMES])
def test_hostile_filenames_are_made_safe(case: str, name: str) -> None:
    result = safe_filename(name)
    _assert_safe(result)
    assert safe_filename(result) == result


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\Public\\report.pdf", "report.pdf"),
        ("report.pdf\u202egpj.exe", "report.pdfgpj.exe"),
        ('"><img src=x onerror=alert(1)>.pdf', "___img src=x onerror=alert(1)_.pdf"),
        ("CON.pdf", "_CON.pdf"),
        ("com1.tar.gz", "_com1.tar.gz"),
        (".htaccess", "file.htaccess"),
        ("line\nbreak .pdf", "line break.pdf"),
        (".pdf", "file.pdf"),
        ("..\\.tar.gz", "tar.gz"),
        ("", "file"),
        ("...", "file"),
        ("Отчёт 2024 報告.pdf", "Отчёт 2024 報告.pdf"),
        ("Rapport d’activité.docx", "Rapport d’activité.docx"),
        ("a" * 1000 + ".pdf", "a" * (MAX_FILENAME_LENGTH - 4) + ".pdf"),
        ("\U0001f600" * 300 + ".pdf", "\U0001f600" * 62 + ".pdf"),
    ],
)
def test_safe_filename_known_answers(name: str, expected: str) -> None:
    assert safe_filename(name) == expected


@given(name=_NAMES, max_length=st.integers(min_value=16, max_value=300))
def test_safe_filename_is_always_safe_and_stable(name: str, max_length: int) -> None:
    result = safe_filename(name, max_length=max_length)
    _assert_safe(result, max_length)
    assert safe_filename(result, max_length=max_length) == result


@given(stem=_NAMES, extension=st.sampled_from(_SAFE_EXTENSIONS))
def test_safe_filename_keeps_a_safe_extension(stem: str, extension: str) -> None:
    assert safe_filename(f"{stem}.{extension}").endswith(f".{extension}")


@given(name=st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=50))
def test_safe_filename_keeps_letters_of_any_script(name: str) -> None:
    normalised = unicodedata.normalize("NFKC", name)
    fits = len(f"{normalised}.pdf".encode()) <= MAX_FILENAME_BYTES
    if fits and not re.search(r"[/\\.:\s\u2044]|^-", normalised):
        assert safe_filename(f"{name}.pdf").removeprefix("_") == f"{normalised}.pdf"


def test_safe_filename_refuses_a_tiny_limit() -> None:
    with pytest.raises(ValueError, match="at least 16"):
        safe_filename("a.pdf", max_length=8)
