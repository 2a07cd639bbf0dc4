"""``/methodology/``: ``docs/methodology.md`` rendered safely, with contents and edition summary."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.test import Client

from egov.web.datacenter.docs import render_markdown, rendered_doc, slug
from egov.web.datacenter.views.methodology import DOCUMENT


def _article(page: str) -> str:
    return page.split('<article class="methodology-doc" lang="en">')[1].split("</article>")[0]


@pytest.mark.django_db
def test_the_page_renders_every_heading_of_the_doc_with_an_id(
    imported: list[Path], client: Client
) -> None:
    response = client.get("/methodology/")

    assert response.status_code == 200
    page = response.content.decode()
    article = _article(page)
    headings = re.findall(r"^(#{2,3}) (.+)$", DOCUMENT.read_text(encoding="utf-8"), flags=re.M)
    assert ("##", "Aggregates") in headings
    for marks, text in headings:
        level = len(marks)
        assert f'<h{level} id="{slug(text)}">{text}</h{level}>' in article, text
        assert f'href="#{slug(text)}"' in page  # in the contents
    assert "<script" not in article
    assert "<h1" not in article  # the page's own h1 stands for the doc's title
    assert "<pre><code>EGDI = w_OSI · OSI + w_TII · TII + w_HCI · HCI" in article
    assert '<td class="num">0.6382</td>' in article  # right-aligned column of the doc


@pytest.mark.django_db
def test_the_edition_summary_lists_every_stored_edition(
    imported: list[Path], client: Client
) -> None:
    page = client.get("/methodology/").content.decode()

    summary = page.split('id="editions-summary"')[1].split("</table>")[0]
    assert summary.count('<th class="num" scope="row">') == 12
    row_2024 = summary.split('<th class="num" scope="row">2024</th>')[1].split("</tr>")[0]
    assert '<td class="num">193</td>' in row_2024
    assert "EGDI, EPI, OSI, HCI, TII" in row_2024
    assert "quartiles of each group" in row_2024
    assert "computed by egov-observatory" not in row_2024  # published since 2020
    row_2018 = summary.split('<th class="num" scope="row">2018</th>')[1].split("</tr>")[0]
    assert "computed by egov-observatory" in row_2018


@pytest.mark.django_db
def test_the_page_in_french_keeps_the_doc_in_english(client: Client) -> None:
    response = client.get("/fr/methodology/")

    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="fr"' in page
    assert '<h2 id="aggregates">Aggregates</h2>' in _article(page)
    assert 'id="editions-summary"' not in page  # nothing imported: no summary table


def test_markup_scripts_and_dangerous_links_do_not_survive() -> None:
    doc = render_markdown(
        "# T\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
        "[x](javascript:alert(1)) [w](https://example.org) <a href='#'>raw</a>\n"
    )

    assert "<script" not in doc.html
    assert "&lt;script&gt;alert(1)" in doc.html
    assert "<img" not in doc.html
    assert "<a href='#'>" not in doc.html
    assert 'href="javascript:' not in doc.html
    assert '<a href="https://example.org" rel="noopener noreferrer">w</a>' in doc.html


def test_relative_links_to_repository_files_become_text() -> None:
    doc = render_markdown(
        "## A\n\nSee [the data](data.md), [ranks](methodology.md#ranks), [up](#a) "
        "and [code](../src/egov/methodology/ranking.py).\n"
    )

    assert "See the data, " in doc.html
    assert '<a href="#ranks" rel="noopener noreferrer">ranks</a>' in doc.html
    assert '<a href="#a" rel="noopener noreferrer">up</a>' in doc.html
    assert "and code." in doc.html
    assert "data.md" not in doc.html
    assert "ranking.py" not in doc.html


def test_repeated_headings_get_distinct_ids_and_nest_in_the_contents() -> None:
    doc = render_markdown("## Notes\n\n### Notes\n\n## Notes\n\ntext")

    assert [(h.id, [c.id for c in h.children]) for h in doc.toc] == [
        ("notes", ["notes-2"]),
        ("notes-3", []),
    ]


def test_the_rendering_is_cached_until_the_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "doc.md"
    path.write_text("## First\n", encoding="utf-8")
    first = rendered_doc(path)
    assert rendered_doc(path) is first

    path.write_text("## Second\n", encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert [h.text for h in rendered_doc(path).toc] == ["Second"]
