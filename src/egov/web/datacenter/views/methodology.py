"""``/methodology/``: ``docs/methodology.md`` rendered (:mod:`..docs`), under a summary of the
stored editions (:func:`selectors.edition_summaries`). The document is English; the page's
own strings are translated."""

from __future__ import annotations

from typing import Final

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from egov.config import PROJECT_ROOT

from .. import labels, selectors
from ..docs import rendered_doc

DOCUMENT: Final = PROJECT_ROOT / "docs" / "methodology.md"
#: The rating-class methods of ``editions.yaml`` (:data:`egov.methodology.RATING_CLASS_METHODS`).
RATING_CLASS_METHODS: Final[dict[str, Promise]] = {
    "count_quartile": _("quartiles of each group"),
    "equal_width": _("equal-width quarters of each group"),
}


def page(request: HttpRequest) -> HttpResponse:
    summaries = [
        (
            summary,
            [labels.label(labels.INDEX_ABBREVIATIONS, code) for code in summary.indices],
            labels.label(RATING_CLASS_METHODS, summary.rating_class_method),
        )
        for summary in selectors.edition_summaries()
    ]
    context = {"doc": rendered_doc(DOCUMENT), "summaries": summaries}
    return render(request, "datacenter/methodology.html", context)
