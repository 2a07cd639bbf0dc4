"""Cooperation projects and the programme cycle in Chromium: the timeline chart draws one bar
per row of its table, in the same order; the actor matrix is visible; no script errors."""

from __future__ import annotations

from typing import Any


def _timeline(page: Any) -> Any:
    return page.evaluate(
        """() => {
            const option = echarts.getInstanceByDom(
                document.querySelector("#projects-chart .canvas")).getOption();
            const bars = option.series.filter((s) => s.type === "bar" && s.name !== "offset");
            const rows = option.yAxis[0].data.length;
            return {
                labels: option.yAxis[0].data.slice().reverse(),
                // For each row (top to bottom), the status series that draws its bar.
                statuses: Array.from({length: rows}, (_, i) => rows - 1 - i).map((at) =>
                    bars.filter((s) => s.data[at] !== "-").map((s) => s.name)),
                milestones: option.series.find((s) => s.type === "scatter").data.length,
            };
        }"""
    )


def _table(page: Any) -> list[tuple[str, str, str]]:
    rows = page.locator("#projects-table tbody tr")
    return [
        (
            rows.nth(i).locator("td").nth(0).inner_text().strip(),
            rows.nth(i).locator("th").inner_text().strip(),
            rows.nth(i).locator("td").nth(1).inner_text().strip(),
        )
        for i in range(rows.count())
    ]


def test_the_projects_timeline_draws_the_rows_of_its_table(page: Any) -> None:
    page.goto("/projects/")
    page.wait_for_selector('#projects-chart .canvas[data-rendered="true"]')

    chart = _timeline(page)
    table = _table(page)
    assert len(table) == 11
    assert chart["labels"] == [f"{country}: {title}" for country, title, _status in table]
    assert chart["statuses"] == [[status] for _country, _title, status in table]
    assert chart["milestones"] == 4  # the Afghan training's dated milestones
    assert page.locator("#projects-chart svg path").count() > 11
    assert page.locator("#projects-form button[type=submit]").is_hidden()


def test_filtering_the_timeline_redraws_it(page: Any) -> None:
    page.goto("/projects/")
    page.wait_for_selector('#projects-chart .canvas[data-rendered="true"]')

    page.select_option("#projects-form select[name=status]", "document_approved")

    page.wait_for_url("**/projects/?status=document_approved&country=")
    page.wait_for_selector('#projects-chart .canvas[data-rendered="true"]')
    chart = _timeline(page)
    assert len(chart["labels"]) == len(_table(page)) == 2
    assert chart["statuses"] == [["Project document approved"]] * 2


def test_a_country_view_draws_its_own_timeline(page: Any) -> None:
    page.goto("/projects/countries/COL/")
    page.wait_for_selector('#projects-chart .canvas[data-rendered="true"]')

    assert len(_timeline(page)["labels"]) == len(_table(page)) == 2


def test_the_programme_matrix_is_visible(page: Any) -> None:
    page.goto("/programmes/")

    matrix = page.locator("#cycle-matrix")
    matrix.wait_for()
    assert matrix.is_visible()
    business = page.locator("#actor-business td.cell")
    marks = [business.nth(i).inner_text().strip() for i in range(business.count())]
    assert [n for n, mark in enumerate(marks, start=1) if "●" in mark] == [1, 3, 5, 9]
    assert page.locator("#cycle-matrix .visually-hidden", has_text="takes part").count() == 29
    assert page.locator("#cycle-phases > li").count() == 3
