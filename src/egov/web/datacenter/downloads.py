"""The published data as files: per edition and for all editions, CSV, XLSX and JSON, and a
Frictionless data package describing the whole dataset.

``/downloads/EGOV_DATA_2024.csv`` is the official Data Center layout (:mod:`egov.data.writers`),
so a download imports back to the same values; ``EGOV_DATA_ALL.*`` holds every edition in turn.
``/downloads/datapackage.json`` follows the Frictionless Data Package v1 spec (profile
``tabular-data-package``): one resource, the all-editions CSV, with its table schema.
Every response carries ``ETag`` and ``Cache-Control`` (:func:`egov.api.caching.published`).
"""

from __future__ import annotations

import hashlib
import io
import posixpath
from collections.abc import Callable, Sequence
from typing import Any, Final

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from egov.api.caching import published
from egov.data.readers.undesa_csv import HEADER
from egov.data.tables import EditionTable
from egov.data.writers import write_json, write_xlsx
from egov.data.writers.csv import csv_text

from . import selectors
from .models import Edition


def _csv(tables: Sequence[EditionTable]) -> bytes:
    return csv_text(tables).encode("utf-8")


def _xlsx(tables: Sequence[EditionTable]) -> bytes:
    stream = io.BytesIO()
    write_xlsx(tables, stream)
    return stream.getvalue()


def _json(tables: Sequence[EditionTable]) -> bytes:
    stream = io.StringIO()
    write_json(tables, stream)
    return stream.getvalue().encode("utf-8")


#: Each format: (writer, Content-Type).
FORMATS: Final[dict[str, tuple[Callable[[Sequence[EditionTable]], bytes], str]]] = {
    "csv": (_csv, "text/csv; charset=utf-8"),
    "xlsx": (_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "json": (_json, "application/json"),
}


def download_name(edition: int | None, extension: str) -> str:
    """``EGOV_DATA_2024.csv``, or ``EGOV_DATA_ALL.csv`` for every edition (the UN's naming)."""
    return f"EGOV_DATA_{'ALL' if edition is None else edition}.{extension}"


def _attachment(tables: Sequence[EditionTable], filename: str, extension: str) -> HttpResponse:
    write, content_type = FORMATS[extension]
    response = HttpResponse(write(tables), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@published
def edition_download(request: HttpRequest, year: int, extension: str) -> HttpResponse:
    """One edition as ``EGOV_DATA_<year>.<csv|xlsx|json>``."""
    edition = Edition.objects.filter(year=year).first()
    if edition is None or extension not in FORMATS:
        raise Http404(f"no download {download_name(year, extension)}")
    tables = [selectors.edition_table(edition=edition)]
    return _attachment(tables, download_name(year, extension), extension)


@require_safe
@published
def all_editions_download(request: HttpRequest, extension: str) -> HttpResponse:
    """Every stored edition, oldest first, as ``EGOV_DATA_ALL.<csv|xlsx|json>``."""
    if extension not in FORMATS:
        raise Http404(f"no download {download_name(None, extension)}")
    return _attachment(selectors.edition_tables(), download_name(None, extension), extension)


# --- the data package --------------------------------------------------------------------------

_INDEX_DESCRIPTIONS: Final = {
    "E-Government Index": "E-Government Development Index (EGDI), the weighted mean of OSI, "
    "TII and HCI.",
    "E-Participation Index": "E-Participation Index (EPI).",
    "Online Service Index": "Online Service Index (OSI), an EGDI component.",
    "Human Capital Index": "Human Capital Index (HCI), an EGDI component. Not rescaled in "
    "2003-2005, so published values reach 1.422 (Micronesia 2003): no maximum.",
    "Telecommunication Infrastructure Index": "Telecommunication Infrastructure Index (TII), "
    "an EGDI component.",
}


def table_schema() -> dict[str, Any]:
    """The Frictionless Table Schema of the official CSV: one field per header column."""
    year, name, rank, *indices = HEADER
    fields: list[dict[str, Any]] = [
        {
            "name": year,
            "type": "integer",
            "description": "Survey edition (year of publication).",
            "constraints": {"required": True, "minimum": 2003},
        },
        {
            "name": name,
            "type": "string",
            "description": "Country name exactly as the Survey spells it (spaces kept).",
            "constraints": {"required": True},
        },
        {
            "name": rank,
            "type": "integer",
            "description": "Published EGDI rank; empty for a country not yet a Member State.",
            "constraints": {"minimum": 1},
        },
    ]
    for column in indices:
        constraints: dict[str, Any] = {"minimum": 0}
        if column != "Human Capital Index":
            constraints["maximum"] = 1
        fields.append(
            {
                "name": column,
                "type": "number",
                "description": _INDEX_DESCRIPTIONS[column],
                "constraints": constraints,
            }
        )
    return {"fields": fields, "primaryKey": [year, name], "missingValues": [""]}


def data_package(*, resource_path: str, content: bytes, editions: Sequence[int]) -> dict[str, Any]:
    """The ``datapackage.json`` of the all-editions CSV ``content`` found at ``resource_path``."""
    span = f"{min(editions)}-{max(editions)}" if editions else "no edition stored"
    return {
        "profile": "tabular-data-package",
        "name": "un-e-government-survey",
        "title": f"UN E-Government Survey, every edition ({span})",
        "description": (
            "EGDI and its components (OSI, TII, HCI) and the E-Participation Index of every "
            "UN Member State in every edition of the UN E-Government Survey, in the official "
            "Data Center CSV layout, as served by egov-observatory."
        ),
        "keywords": ["e-government", "EGDI", "United Nations", "E-Government Survey"],
        "sources": [
            {
                "title": "UN E-Government Knowledgebase, Data Center",
                "path": "https://publicadministration.un.org/egovkb/en-us/Data-Center",
            }
        ],
        "resources": [
            {
                "name": "egov-data",
                "path": resource_path,
                "profile": "tabular-data-resource",
                "title": "Every edition, one row per country and edition",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": len(content),
                "hash": hashlib.md5(content, usedforsecurity=False).hexdigest(),
                "dialect": {
                    "delimiter": ",",
                    "lineTerminator": "\r\n",
                    "quoteChar": '"',
                    "doubleQuote": True,
                    "header": True,
                    "skipInitialSpace": False,
                },
                "schema": table_schema(),
            }
        ],
    }


@require_safe
@published
def datapackage(request: HttpRequest) -> JsonResponse:
    """``/downloads/datapackage.json``: the resource path is relative to the descriptor, so
    the package resolves on any host and next to a downloaded copy of the CSV."""
    here = reverse("downloads:datapackage")
    target = reverse("downloads:all", kwargs={"extension": "csv"})
    relative = posixpath.relpath(target, posixpath.dirname(here))
    tables = selectors.edition_tables()
    package = data_package(
        resource_path=relative, content=_csv(tables), editions=[table.year for table in tables]
    )
    return JsonResponse(package, json_dumps_params={"indent": 2, "ensure_ascii": False})
