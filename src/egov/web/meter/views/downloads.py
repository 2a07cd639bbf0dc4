"""An assessment as files: its answers (CSV, XLSX) for those who manage it, and its PDF report
for whoever may see its results.

The answers name their respondents: only the assessment's focal point and editors get them
(:func:`.policy.can_manage`). The report shows results: anyone once they are published, the
managers before (:func:`.policy.can_view_results`). An anonymous reader who may not have a
file is sent to sign in; any other account gets 404, so an unpublished assessment's existence
does not leak. Every file is a download (``Content-Disposition: attachment``) named after the
country and the assessment, ``meter-KAZ-12-answers.csv``; none but a published report may be
kept by a cache.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .. import exports, policy, selectors
from ..models import Assessment

#: The answers' files by extension: how each is written, and its type.
ANSWER_FILES: Final[dict[str, tuple[Callable[[Assessment], bytes], str]]] = {
    "csv": (exports.answers_csv, exports.CSV_TYPE),
    "xlsx": (exports.answers_xlsx, exports.XLSX_TYPE),
}


def _allowed(request: HttpRequest, pk: int, rule: Callable[..., bool]) -> Assessment | HttpResponse:
    assessment = selectors.assessments_visible(user=request.user).filter(pk=pk).first()
    if assessment is not None and rule(request.user, assessment):
        return assessment
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404(_("No such assessment."))


def _download(content: bytes, content_type: str, name: str, *, private: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    if private:
        response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def answers(request: HttpRequest, pk: int, extension: str) -> HttpResponse:
    """The answers as ``extension`` (a key of :data:`ANSWER_FILES`)."""
    found = _allowed(request, pk, policy.can_manage)
    if isinstance(found, HttpResponse):
        return found
    write, content_type = ANSWER_FILES[extension]
    name = exports.download_name(found, "answers", extension)
    return _download(write(found), content_type, name, private=True)


@require_safe
def report(request: HttpRequest, pk: int) -> HttpResponse:
    found = _allowed(request, pk, policy.can_view_results)
    if isinstance(found, HttpResponse):
        return found
    # WeasyPrint (and Pango under it) loads with the first report, not with every process.
    from ..pdf import PDF_TYPE, report_pdf

    site = request.build_absolute_uri("/").rstrip("/")
    content = report_pdf(found, language=get_language(), site=site)
    name = exports.download_name(found, "report", "pdf")
    return _download(content, PDF_TYPE, name, private=not found.is_published)


urls: list[URLPattern] = [
    path("<int:pk>/answers.csv", answers, {"extension": "csv"}, name="answers_csv"),
    path("<int:pk>/answers.xlsx", answers, {"extension": "xlsx"}, name="answers_xlsx"),
    path("<int:pk>/report.pdf", report, name="report_pdf"),
]
