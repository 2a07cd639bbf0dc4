"""The PDF report of an assessment: the results page's content, printed by WeasyPrint.

Everything shown comes from :func:`egov.web.meter.report.assessment_report`; this module only
draws the charts (:mod:`.charts`, SVG, since WeasyPrint runs no JavaScript), renders the
templates in ``meter/report/`` and prints them: A4, a running header, page numbers.

Nothing outside the platform is read while printing: the stylesheet is in the page, the
charts are inline SVG, fonts are the system's (fontconfig), and WeasyPrint is given a
:class:`StaticOnlyFetcher` that refuses every URL but our own static files (no network, no
``file:``, no ``data:``), so neither a template slip nor text from a respondent can make the
server fetch anything.
"""

from __future__ import annotations

import logging
import mimetypes
import posixpath
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from weasyprint import HTML, URLFetcher
from weasyprint.urls import URLFetcherResponse

from egov.web.datacenter.localize import country_name

from . import charts
from .report import COMBINED, Report, assessment_report

if TYPE_CHECKING:
    from .models import Assessment

logger = logging.getLogger(__name__)

PDF_TYPE: Final = "application/pdf"
#: The base URL of the printed page; ``.invalid`` never resolves (RFC 2606), and the fetcher
#: answers it from the static files before anything could try.
BASE_URL: Final = "https://egov-observatory.invalid/"


class RefusedURL(ValueError):
    """The report asked for something other than one of our static files."""


class StaticOnlyFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint is untyped
    """Serves ``BASE_URL`` + ``STATIC_URL`` paths from the static files; refuses, and keeps
    in :attr:`refused`, every other URL."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("https",), allow_redirects=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        name = self._static_name(url)
        found = finders.find(name) if name is not None else None
        if name is None or not isinstance(found, str):
            self.refused.append(url)
            logger.warning("PDF report: refused to fetch %s", url[:200])
            raise RefusedURL(f"the report may only use our static files, not {url[:200]}")
        with open(found, "rb") as handle:
            body = handle.read()
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})

    @staticmethod
    def _static_name(url: str) -> str | None:
        """The static file's name in ``url`` (``egov/site.css``), or None if it names none."""
        parts = urlsplit(url)
        base = urlsplit(BASE_URL)
        static = "/" + str(settings.STATIC_URL).strip("/") + "/"
        if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or parts.query:
            return None
        path = posixpath.normpath(parts.path)
        if not path.startswith(static) or ".." in path.split("/"):
            return None
        return path.removeprefix(static) or None


def html_to_pdf(html: str, *, fetcher: StaticOnlyFetcher | None = None) -> bytes:
    """Print ``html`` (a whole page) to PDF with only our static files reachable."""
    return bytes(
        HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher or StaticOnlyFetcher()).write_pdf()
    )


def report_html(assessment: Assessment, *, language: str | None = None, site: str = "") -> str:
    """The report as the HTML page WeasyPrint prints; ``site`` (``https://host``) makes the
    links to knowledge items absolute."""
    with translation.override(language):
        report = assessment_report(assessment, language=language)
        return render_to_string("meter/report/report.html", report_context(report, site=site))


def report_pdf(assessment: Assessment, *, language: str | None = None, site: str = "") -> bytes:
    """The report of ``assessment`` in ``language`` (the active one by default) as PDF."""
    language = language or translation.get_language()
    return html_to_pdf(report_html(assessment, language=language, site=site))


def report_context(report: Report, *, site: str = "") -> dict[str, Any]:
    """The template context: the report, its labels and its charts."""
    assessment = report.assessment
    country = country_name(assessment.country.iso3, assessment.country.name)
    scopes = [(scope, report.scope_label(scope)) for scope in report.scopes]
    return {
        "report": report,
        "assessment": assessment,
        "country": country,
        "scopes": scopes,
        "groups": [(scope, label) for scope, label in scopes if scope != COMBINED],
        "scope_labels": dict(scopes),
        "dates": [
            (label, moment)
            for label, moment in (
                (_("Created"), assessment.created_at),
                (_("Opened"), assessment.opened_at),
                (_("Closed"), assessment.closed_at),
                (_("Published"), assessment.published_at),
            )
            if moment is not None
        ],
        "radar": profile_chart(report, country),
        "overall_chart": overall_chart(report),
        "corroboration_chart": corroboration_chart(report),
        "site": site.rstrip("/"),
    }


def _scope_series(scope: str, label: str, values: Sequence[float | None]) -> charts.Series:
    colour = charts.SCOPE_COLOURS.get(scope, charts.SCOPE_COLOURS[COMBINED])
    return charts.Series(label, tuple(values), colour, emphasis=scope == COMBINED)


def profile_chart(report: Report, country: str) -> SafeString:
    """The radar of the pillar scores, one line per stakeholder group and one, thicker, for
    all groups together; a pillar left out of the overall score is marked with ``*``."""
    axes = [
        f"{pillar.name} *" if pillar.experimental and not pillar.counted else pillar.name
        for pillar in report.pillars
    ]
    series = [
        _scope_series(
            scope,
            report.scope_label(scope),
            [
                pillar.scores[scope].score
                if scope in pillar.scores and pillar.scores[scope].shown
                else None
                for pillar in report.pillars
            ],
        )
        for scope in report.scopes
    ]
    description = _(
        "%(country)s: readiness profile, pillar scores from 0 to 100 per stakeholder "
        "group and for all groups together"
    ) % {"country": country}
    return charts.radar_svg(axes, series, title=_("Readiness profile"), description=description)


def overall_chart(report: Report) -> SafeString:
    """The overall score of each stakeholder group and of all groups together."""
    values = [
        report.overall[scope].score
        if scope in report.overall and report.overall[scope].shown
        else None
        for scope in report.scopes
    ]
    series = charts.Series(
        _("Overall readiness"), tuple(values), charts.SCOPE_COLOURS[COMBINED], emphasis=True
    )
    return charts.bars_svg(
        [report.scope_label(scope) for scope in report.scopes],
        [series],
        title=_("Overall readiness"),
        missing=_("insufficient"),
    )


def corroboration_chart(report: Report) -> SafeString:
    """Each pillar's score for all groups beside its score from the published indicators."""
    rows = report.corroboration
    return charts.bars_svg(
        [row.pillar_name for row in rows],
        [
            charts.Series(
                _("Self-assessed"),
                tuple(row.self_score for row in rows),
                charts.SCOPE_COLOURS[COMBINED],
            ),
            charts.Series(
                _("From published data"),
                tuple(row.objective_score for row in rows),
                charts.OBJECTIVE_COLOUR,
            ),
        ],
        title=_("Self-assessment and published indicators per pillar"),
        missing="–",
    )
