"""``/data/``: every edition as CSV, XLSX and JSON, all editions in one file, the data package,
the API, and where the figures come from."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from egov.data.writers.datapackage import SOURCE_URL, TERMS_URL

from .. import downloads, selectors


@require_safe
def page(request: HttpRequest) -> HttpResponse:
    """Newest edition first; file sizes come from the files themselves, written once per
    published version (:func:`egov.web.datacenter.downloads.file_content`)."""
    stored = {edition.year: edition for edition in selectors.editions()}
    editions = [
        (summary, downloads.download_files(request, stored[summary.year]))
        for summary in reversed(selectors.edition_summaries())
    ]
    years = sorted(stored)
    latest = years[-1] if years else None
    return render(
        request,
        "datacenter/downloads.html",
        {
            "editions": editions,
            "all_files": downloads.download_files(request, None) if stored else [],
            "all_rows": sum(summary.countries for summary, _files in editions),
            "first_year": years[0] if years else None,
            "latest_year": latest,
            "datapackage_url": reverse("downloads:datapackage"),
            "api_docs_url": reverse("api-v1:openapi-view"),
            "openapi_url": reverse("api-v1:openapi-json"),
            "ranking_api_url": reverse("api-v1:edition_ranking", kwargs={"year": latest})
            if latest
            else None,
            "source_url": SOURCE_URL,
            "terms_url": TERMS_URL,
        },
    )
