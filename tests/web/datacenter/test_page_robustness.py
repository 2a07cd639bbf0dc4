"""The robustness lab's pages on the 12 published editions: the country panel, the
edition's intervals and the what-if re-ranking (figures of docs/robustness.md, seed 2024)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from egov.methodology import ComponentWeights, what_if
from egov.web.datacenter import robustness, selectors
from egov.web.datacenter.models import Edition

pytestmark = pytest.mark.django_db


def _row(page: str, iso3: str) -> str:
    return page.split(f'<tr data-iso3="{iso3}"')[1].split("</tr>")[0]


def _cells(row: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)
    ]


def test_denmark_profile_shows_its_2024_interval(imported: list[Path], client: Client) -> None:
    page = client.get("/countries/DNK/").content.decode()

    panel = page.split('id="country-robustness"')[1].split("</section>")[0]
    assert "How robust is this rank? 2024" in panel
    figures = panel.split('id="robustness-figures"')[1].split("</dl>")[0]
    # docs/robustness.md, 10,000 runs, seed 2024: Denmark 1, median 1 [1–3], P(top 10) 1.
    assert re.findall(r'<dd class="num">(.*?)</dd>', figures) == ["1", "1", "1–3", "1.000"]
    assert "came between 1 and 3 in 90 % of those runs" in panel
    assert 'href="/editions/2024/robustness/"' in panel
    assert 'href="/editions/2024/what-if/"' in panel


def test_libya_profile_shows_a_wide_interval_and_split_groups(
    imported: list[Path], client: Client
) -> None:
    panel = client.get("/countries/LBY/").content.decode().split('id="country-robustness"')[1]
    figures = panel.split("</dl>")[0]
    # Libya 125, median 142 [108–165], split between High and Middle (docs/robustness.md).
    assert re.findall(r'<dd class="num">(.*?)</dd>', figures)[:3] == ["125", "142", "108–165"]
    assert "Its EGDI group is uncertain" in panel
    groups = _cells(panel.split('id="robustness-groups"')[1].split("</table>")[0])
    assert groups == ["0.000", "0.455", "0.544", "0.001"]


def test_french_panel_is_translated(imported: list[Path], client: Client) -> None:
    panel = client.get("/fr/countries/DNK/").content.decode().split('id="country-robustness"')[1]
    assert 'href="/fr/editions/2024/robustness/"' in panel
    assert "How robust is this rank" not in panel


def test_a_country_not_in_the_latest_edition_says_so(
    published_files: list[Path], db: None, client: Client
) -> None:
    from egov.web.datacenter import services

    services.editions_import(paths=[path for path in published_files if "2010" in path.name])
    page = client.get("/countries/SSD/").content.decode()  # a Member State since 2011

    panel = page.split('id="country-robustness"')[1].split("</section>")[0]
    assert "was not assessed in 2010" in panel
    assert 'id="robustness-figures"' not in panel


def test_edition_page_lists_every_assessed_country_with_its_interval(
    imported: list[Path], client: Client
) -> None:
    page = client.get("/editions/2024/robustness/").content.decode()

    assert page.count('<tr data-iso3="') == 193
    cells = _cells(_row(page, "DNK"))
    assert cells[:3] == ["1", "1", "1–3"]
    libya = _cells(_row(page, "LBY"))
    assert libya[:3] == ["125", "142", "108–165"]
    # The published rank of every row is the edition's published rank.
    ranking = selectors.edition_ranking(edition=Edition.objects.get(year=2024))
    published = {row.iso3: row.rank for row in ranking.rows}
    for iso3, rank in re.findall(
        r'<tr data-iso3="(\w{3})"[^>]*>\s*<td class="num">(\d+)</td>', page
    ):
        assert published[iso3] == int(rank)
    assert 'href="/editions/2024/what-if/"' in page


def test_edition_page_filters_and_sorts_from_the_url(imported: list[Path], client: Client) -> None:
    page = client.get("/editions/2024/robustness/?boundary=1").content.decode()
    shown = re.findall(r'<tr data-iso3="(\w{3})"', page)
    # Brunei Darussalam (V, P(V) 0.42) and Libya cross a boundary; Denmark does not.
    assert {"BRN", "LBY"} <= set(shown)
    assert "DNK" not in shown
    assert 'name="boundary" value="1" id="robustness-boundary" checked' in page

    africa = client.get("/editions/2024/robustness/?region=Africa&sort=-interval").content.decode()
    codes = re.findall(r'<tr data-iso3="(\w{3})"', africa)
    assert "LBY" in codes
    assert "DNK" not in codes
    widths = []
    for code in codes:
        low, high = _cells(_row(africa, code))[2].split("–")
        widths.append(float(high) - float(low))
    assert widths == sorted(widths, reverse=True)
    assert 'aria-sort="descending"' in africa


def test_what_if_with_the_published_weights_gives_the_published_ranks(
    imported: list[Path], client: Client
) -> None:
    page = client.get("/editions/2024/what-if/").content.decode()

    rows = re.findall(
        r'<tr data-iso3="(\w{3})">\s*<td class="num">(\d+)</td>.*?<td class="num">(\d+)</td>\s*'
        r'<td class="num[^"]*">([^<]+)</td>',
        page,
        flags=re.S,
    )
    assert len(rows) == 193
    assert all(new == published and change == "0" for _, new, published, change in rows)
    assert "0 countries change rank" in page
    assert 'value="0.33"' in page  # each slider at one third


def test_what_if_reranks_with_the_readers_weights(imported: list[Path], client: Client) -> None:
    response = client.get(
        "/editions/2024/what-if/?osi=1&tii=0&hci=0&aggregation=geometric", HTTP_HX_REQUEST="true"
    )

    page = response.content.decode()
    assert page.startswith('<div id="whatif-results"')  # the table only, for htmx
    edition = Edition.objects.get(year=2024)
    expected = what_if(
        selectors.uncertainty_model(edition=edition),
        ComponentWeights(1.0, 0.0, 0.0),
        aggregation="geometric_mean",
    )
    for iso3 in ("DNK", "EST", "LBY", "SOM"):
        cells = _cells(_row(page, iso3))
        assert int(cells[0]) == expected.at[iso3, "rank"]
        assert int(cells[1]) == expected.at[iso3, "published_rank"]
        assert cells[3] == f"{expected.at[iso3, 'egdi']:.4f}"
    assert int(expected["rank_change"].ne(0).sum()) > 0
    assert f"{int(expected['rank_change'].ne(0).sum())} countries change rank" in page


def test_what_if_refuses_all_zero_weights(imported: list[Path], client: Client) -> None:
    page = client.get("/editions/2024/what-if/?osi=0&tii=0&hci=0").content.decode()
    assert "must not all be zero" in page


def test_unknown_edition_is_not_found(imported: list[Path], client: Client) -> None:
    assert client.get("/editions/1999/robustness/").status_code == 404
    assert client.get("/editions/1999/what-if/").status_code == 404


def test_results_are_kept_until_a_reimport(imported: list[Path]) -> None:
    edition = Edition.objects.get(year=2024)
    first = robustness.uncertainty(edition=edition)
    assert robustness.uncertainty(edition=edition) is first

    from django.utils import timezone

    from egov.web.datacenter import services

    # The same file again changes nothing, so the figures are kept ...
    services.editions_import(paths=[path for path in imported if "2024" in path.name])
    assert robustness.uncertainty(edition=edition) is first
    # ... an edition imported anew (its stamp changes) is simulated again.
    Edition.objects.filter(year=2024).update(imported_at=timezone.now())
    again = robustness.uncertainty(edition=Edition.objects.get(year=2024))
    assert again is not first
    assert again.countries.equals(first.countries)
