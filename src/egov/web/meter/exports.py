"""An assessment's answers as files for analysts: CSV and XLSX, one row per answer.

Columns (:data:`ANSWER_COLUMNS`): the assessment, its country and framework version; the
respondent (id, name, organisation, stakeholder group and sub-group as codes); the pillar,
sub-theme and statement (id and text, from the framework version the assessment was opened
under); the answer (``value`` 0–4, ``DK`` or ``NA``, and its label on the scale), comment,
evidence link, whether the comment is offered as a lesson, its revision, and when it last
changed (ISO 8601, UTC). Rows go by respondent (stakeholder groups in :data:`GROUP_ORDER`,
then name) and statement in framework order. A respondent who has not answered has no row
there; the workbook's second sheet, ``respondents``, lists every respondent with their
progress (:data:`RESPONDENT_COLUMNS`).

The CSV is UTF-8 with a header row, CRLF line ends and RFC 4180 quoting. The workbook is
byte-stable: the same answers give the same bytes (:func:`egov.data.writers.xlsx.workbook_bytes`).
A text that a spreadsheet would run as a formula (it starts with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return) is written with a leading ``'``, in both files (OWASP, "CSV
Injection").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from egov.data.writers.xlsx import workbook_bytes
from egov.frameworks.meter_schema import MeterFramework

from . import selectors
from .models import Answer, Assessment
from .services import framework_of

Cell = str | int | bool | None

ANSWER_COLUMNS: Final = (
    "assessment",
    "iso3",
    "framework",
    "respondent",
    "respondent_name",
    "organisation",
    "group",
    "sub_group",
    "pillar",
    "subtheme",
    "statement",
    "statement_text",
    "value",
    "value_label",
    "comment",
    "evidence_url",
    "lesson",
    "revision",
    "updated_at",
)
RESPONDENT_COLUMNS: Final = (
    "respondent",
    "name",
    "email",
    "organisation",
    "group",
    "sub_group",
    "invited_at",
    "last_answer_at",
    "finished_at",
    "answered",
    "expected",
    "progress_percent",
)
#: A text starting with one of these is a formula to a spreadsheet.
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
ANSWERS_SHEET: Final = "answers"
RESPONDENTS_SHEET: Final = "respondents"
CSV_TYPE: Final = "text/csv; charset=utf-8"
XLSX_TYPE: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def guarded(text: str) -> str:
    """``text`` made inert for a spreadsheet: a leading ``'`` when it would start a formula.

    >>> guarded("=HYPERLINK(\\"http://x\\")"), guarded("-5"), guarded("fine"), guarded("")
    ('\\'=HYPERLINK("http://x")', "'-5", 'fine', '')
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def utc_text(moment: datetime | None) -> str:
    """An aware time as ISO 8601 in UTC to the second; "" for none.

    >>> from datetime import timedelta, timezone
    >>> utc_text(datetime(2026, 3, 1, 14, 5, 9, 120, tzinfo=timezone(timedelta(hours=5))))
    '2026-03-01T09:05:09Z'
    """
    if moment is None:
        return ""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def download_name(assessment: Assessment, what: str, extension: str) -> str:
    """``meter-KAZ-12-answers.csv``: the country, the assessment and what the file holds."""
    return f"meter-{assessment.country.iso3}-{assessment.pk}-{what}.{extension}"


@dataclass(frozen=True, slots=True)
class _Place:
    position: int
    pillar: str
    subtheme: str
    text: str


def _places(framework: MeterFramework) -> dict[str, _Place]:
    places: dict[str, _Place] = {}
    for pillar in framework.pillars:
        for subtheme in pillar.subthemes:
            for statement in subtheme.statements:
                places[statement.id] = _Place(len(places), pillar.id, subtheme.id, statement.text)
    return places


def _labels(framework: MeterFramework) -> dict[str, str]:
    scale = framework.scale
    return {
        **{str(value): label for value, label in zip(scale.values, scale.labels, strict=True)},
        **dict(zip(scale.extra, scale.extra_labels, strict=True)),
    }


def _group_position(group: str) -> int:
    order = selectors.GROUP_ORDER
    return order.index(group) if group in order else len(order)


@dataclass(frozen=True, slots=True)
class AnswerTables:
    """What the files hold, before any formula guard: a row per answer, a row per
    respondent."""

    answers: tuple[tuple[Cell, ...], ...]
    respondents: tuple[tuple[Cell, ...], ...]


def answer_tables(assessment: Assessment) -> AnswerTables:
    """The rows of both sheets: two queries for the answers and their respondents, two for the
    progress."""
    framework = framework_of(assessment)
    places = _places(framework)
    labels = _labels(framework)
    unknown = _Place(len(places), "", "", "")
    answers: list[Answer] = list(selectors.assessment_answers(assessment=assessment))
    answers.sort(
        key=lambda a: (
            _group_position(a.respondent.group),
            a.respondent.name,
            a.respondent_id,
            places.get(a.statement, unknown).position,
            a.statement,
        )
    )
    answer_rows = []
    for answer in answers:
        respondent = answer.respondent
        place = places.get(answer.statement, unknown)
        answer_rows.append(
            (
                assessment.pk,
                assessment.country.iso3,
                assessment.framework_id,
                respondent.pk,
                respondent.name,
                respondent.organisation,
                respondent.group,
                respondent.sub_group,
                place.pillar,
                place.subtheme,
                answer.statement,
                place.text,
                answer.value,
                labels.get(answer.value, ""),
                answer.comment,
                answer.evidence_url,
                answer.lesson,
                answer.revision,
                utc_text(answer.updated_at),
            )
        )
    progress = selectors.assessment_progress(assessment=assessment)
    people = sorted(
        progress.respondents,
        key=lambda p: (_group_position(p.respondent.group), p.respondent.name, p.respondent.pk),
    )
    respondent_rows = [
        (
            p.respondent.pk,
            p.respondent.name,
            p.respondent.email,
            p.respondent.organisation,
            p.respondent.group,
            p.respondent.sub_group,
            utc_text(p.respondent.invited_at),
            utc_text(p.respondent.last_answer_at),
            utc_text(p.respondent.finished_at),
            p.answered,
            p.expected,
            p.percent,
        )
        for p in people
    ]
    return AnswerTables(tuple(answer_rows), tuple(respondent_rows))


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return guarded(value)


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """A CSV file: UTF-8, a header row, CRLF line ends, quoted only where RFC 4180 needs it,
    every text guarded against formulas."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows([_csv_cell(value) for value in row] for row in rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Cell]]]]) -> bytes:
    """A workbook with one sheet per ``(title, header, rows)``; texts guarded against
    formulas and rid of the control characters XML cannot hold."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def cell(value: Cell) -> Cell:
        # XML cannot hold most control characters: openpyxl would refuse the cell.
        return ILLEGAL_CHARACTERS_RE.sub("", guarded(value)) if isinstance(value, str) else value

    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title)
        sheet.append(list(header))
        for row in rows:
            sheet.append([cell(value) for value in row])
    return workbook_bytes(workbook)


def answers_csv(assessment: Assessment) -> bytes:
    """The answers as CSV (respondents without an answer have no row)."""
    return csv_bytes(ANSWER_COLUMNS, answer_tables(assessment).answers)


def _number_or_code(value: Cell) -> Cell:
    """A value of the scale as the number it is (so a sheet can average it); DK, NA as codes."""
    return int(value) if isinstance(value, str) and value.isdecimal() else value


def answers_xlsx(assessment: Assessment) -> bytes:
    """The answers (values of the scale as numbers), then every respondent with their
    progress, as a two-sheet workbook."""
    tables = answer_tables(assessment)
    value = ANSWER_COLUMNS.index("value")
    answers = [
        (*row[:value], _number_or_code(row[value]), *row[value + 1 :]) for row in tables.answers
    ]
    return xlsx_bytes(
        [
            (ANSWERS_SHEET, ANSWER_COLUMNS, answers),
            (RESPONDENTS_SHEET, RESPONDENT_COLUMNS, tables.respondents),
        ]
    )
