"""The published data as files: per edition and for all editions, CSV, XLSX and JSON, and a
Frictionless data package describing the whole dataset.

``/downloads/EGOV_DATA_2024.csv`` is the official Data Center layout (:mod:`egov.data.writers`),
so a download imports back to the same values; ``EGOV_DATA_ALL.*`` holds every edition in turn.
``/downloads/datapackage.json`` follows the Frictionless Data Package v1 spec (profile
``tabular-data-package``): one resource, the all-editions CSV, with its table schema
(:mod:`egov.data.writers.datapackage`).
Every response carries ``ETag`` and ``Cache-Control`` (:func:`egov.api.caching.published`);
each file is written once per published version and process (:func:`egov.api.caching.cached`),
which also gives the downloads page its file sizes.
"""

from __future__ import annotations

import io
import posixpath
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from egov.api.caching import cached, published
from egov.data.tables import EditionTable
from egov.data.writers import write_json, write_xlsx
from egov.data.writers.csv import csv_text
from egov.data.writers.datapackage import data_package

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


@dataclass(frozen=True, slots=True)
class DownloadFile:
    """One file of the downloads page: its name, URL, format and size in bytes."""

    name: str
    url: str
    extension: str
    size: int


def _table(request: HttpRequest, edition: Edition) -> EditionTable:
    return cached(
        request, ("table", edition.year), lambda: selectors.edition_table(edition=edition)
    )


def file_content(request: HttpRequest, editions: Sequence[Edition], extension: str) -> bytes:
    """The file of ``editions`` (one, or every stored edition) in ``extension``'s format,
    written once per published version and process."""
    write = FORMATS[extension][0]
    key = ("download", tuple(edition.year for edition in editions), extension)
    return cached(request, key, lambda: write([_table(request, edition) for edition in editions]))


def download_files(request: HttpRequest, edition: Edition | None) -> list[DownloadFile]:
    """The files of one edition, or (``edition`` None) of every edition, in every format."""
    editions = selectors.editions() if edition is None else [edition]
    year = None if edition is None else edition.year
    files = []
    for extension in FORMATS:
        if year is None:
            url = reverse("downloads:all", kwargs={"extension": extension})
        else:
            url = reverse("downloads:edition", kwargs={"year": year, "extension": extension})
        size = len(file_content(request, editions, extension)) if editions else 0
        files.append(DownloadFile(download_name(year, extension), url, extension, size))
    return files


def _attachment(
    request: HttpRequest, editions: Sequence[Edition], year: int | None, extension: str
) -> HttpResponse:
    if extension not in FORMATS:
        raise Http404(f"no download {download_name(year, extension)}")
    content = file_content(request, editions, extension)
    response = HttpResponse(content, content_type=FORMATS[extension][1])
    response["Content-Disposition"] = f'attachment; filename="{download_name(year, extension)}"'
    return response


@require_safe
@published
def edition_download(request: HttpRequest, year: int, extension: str) -> HttpResponse:
    """One edition as ``EGOV_DATA_<year>.<csv|xlsx|json>``."""
    edition = Edition.objects.filter(year=year).first()
    if edition is None:
        raise Http404(f"no download {download_name(year, extension)}")
    return _attachment(request, [edition], year, extension)


@require_safe
@published
def all_editions_download(request: HttpRequest, extension: str) -> HttpResponse:
    """Every stored edition, oldest first, as ``EGOV_DATA_ALL.<csv|xlsx|json>``."""
    return _attachment(request, selectors.editions(), None, extension)


def package_descriptor(request: HttpRequest) -> dict[str, object]:
    """``datapackage.json`` as served: the resource path relative to the descriptor, so the
    package resolves on any host and next to a downloaded copy of the CSV."""
    here = reverse("downloads:datapackage")
    target = reverse("downloads:all", kwargs={"extension": "csv"})
    relative = posixpath.relpath(target, posixpath.dirname(here))
    stored = selectors.editions()
    return data_package(
        resource_path=relative,
        content=file_content(request, stored, "csv"),
        editions=[edition.year for edition in stored],
    )


@require_safe
@published
def datapackage(request: HttpRequest) -> JsonResponse:
    """``/downloads/datapackage.json``, the Frictionless descriptor of the all-editions CSV."""
    return JsonResponse(
        package_descriptor(request), json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
