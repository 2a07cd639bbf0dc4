"""World Bank Data360 "WIDEF" export of the UN E-Government data, one file per index.

Header: SDMX-style columns ``FREQ, FREQ_LABEL, REF_AREA, REF_AREA_LABEL, INDICATOR,
INDICATOR_LABEL, …, OBS_CONF_LABEL`` then one column per year (``2003 … 2024``). ``REF_AREA``
is the ISO3 code and decides the country; ``REF_AREA_LABEL`` is a World Bank name
(``Korea, Rep.``, ``Turkiye``) checked against it. ``INDICATOR`` says which index a row holds
(:data:`INDICATORS`); a file may hold several. There is no EPI and no rank. Countries not
assessed (or not yet members) hold 0, kept as published. Each edition column becomes one
table carrying only the file's indices; :func:`egov.data.readers.read_paths` merges the tables
of one edition from several files. A year column that is not an edition is refused when it has
values and ignored when empty.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from egov.data.readers.layout import Context, Outcome, header_key, sort_issues, tables_from_rows
from egov.data.validation import EDITION_YEARS, RowRules, SourceRow, quoted
from egov.errors import Issue

#: Data360 indicator codes of the Survey's indices (TTI is Data360's code for TII).
INDICATORS: Final = {
    "UN_EGDI_EGDI": "egdi",
    "UN_EGDI_OSI": "osi",
    "UN_EGDI_HCI": "hci",
    "UN_EGDI_TTI": "tii",
}

_YEAR: Final = re.compile(r"\d{4}")
_CODE, _NAME, _INDICATOR = "REF_AREA", "REF_AREA_LABEL", "INDICATOR"


@dataclass(frozen=True)
class WideLayout:
    key: str = "data360-wide"
    title: str = "World Bank Data360 WIDEF (REF_AREA, INDICATOR, then one column per year)"
    scale: float = 1.0

    def recognise(self, header: Sequence[str]) -> tuple[float, int]:
        keys = {header_key(label) for label in header}
        found = sum(header_key(name) in keys for name in (_CODE, _INDICATOR))
        found += any(_YEAR.fullmatch(label.strip()) for label in header)
        return found / 3, found

    def read(self, context: Context) -> Outcome:
        file, header_row = context.file, context.header_row
        header = [label.strip() for label in context.header]
        where = {header_key(label): position for position, label in enumerate(header)}
        issues: list[Issue] = []
        for name in (_CODE, _INDICATOR):
            if header_key(name) not in where:
                message = f"no column {quoted(name)}"
                issues.append(Issue("missing-column", message, file, row=header_row, field=name))
        years = [
            (position, label) for position, label in enumerate(header) if _YEAR.fullmatch(label)
        ]
        if not years:
            issues.append(
                Issue(
                    "missing-column",
                    "no year columns (2003 … 2024)",
                    file,
                    row=header_row,
                    field="2003",
                )
            )
        data = context.data_rows()
        if not data:
            issues.append(Issue("header-only", "a header and no data rows", file))
        if issues:
            return Outcome(issues=tuple(sort_issues(issues)))

        def cell(cells: Sequence[str], position: int) -> str:
            return cells[position] if position < len(cells) else ""

        editions = []
        for position, label in years:
            if int(label) in EDITION_YEARS:
                editions.append((position, label))
            elif any(cell(cells, position).strip() for _row, cells in data):
                issues.append(
                    Issue(
                        "not-an-edition",
                        f"column {label} holds values but {label} is not a Survey edition",
                        file,
                        row=header_row,
                        field=context.header[position],
                        value=label,
                    )
                )
        code_at, indicator_at = where[header_key(_CODE)], where[header_key(_INDICATOR)]
        name_at = where.get(header_key(_NAME))
        code_label, indicator_label = context.header[code_at], context.header[indicator_at]
        name_label = context.header[name_at] if name_at is not None else _NAME
        sources: list[SourceRow] = []
        labels_by_year: dict[int, dict[str, str]] = {}
        for row, cells in data:
            indicator = cell(cells, indicator_at).strip()
            index = INDICATORS.get(indicator.upper())
            if index is None:
                issues.append(
                    Issue(
                        "unknown-indicator",
                        f"indicator {quoted(indicator)} is not an index of the Survey "
                        f"(known: {', '.join(INDICATORS)})",
                        file,
                        row=row,
                        field=indicator_label,
                        value=indicator,
                    )
                )
                continue
            for position, label in editions:
                text = cell(cells, position)
                if not text.strip():
                    continue
                labels = labels_by_year.setdefault(
                    int(label),
                    {"code": code_label, "name": name_label, "year": context.header[position]},
                )
                labels[index] = context.header[position]
                sources.append(
                    SourceRow(
                        row=row,
                        cells={
                            "code": cell(cells, code_at),
                            "name": cell(cells, name_at) if name_at is not None else "",
                            "year": label,
                            index: text,
                        },
                        labels=labels,
                    )
                )
        rules = RowRules(
            file=file,
            registry=context.registry,
            keyed_by_code=True,
            decimal_comma=context.sheet.decimal_comma,
            scale=self.scale,
        )
        tables, row_problems = tables_from_rows(
            sources, rules, layout=self.key, name_year=None, notes=context.sheet.notes
        )
        issues = sort_issues([*issues, *row_problems])
        if issues:
            return Outcome(issues=tuple(issues))
        return Outcome(
            tables=tuple(tables),
            labels={table.year: labels_by_year[table.year] for table in tables},
        )


LAYOUT: Final = WideLayout()
