"""``/knowledge/``: full-text search of the published knowledge items, with facets.

The GET parameters hold the whole state, so a URL is shareable: ``q`` (the words, in the
syntax of :mod:`egov.web.knowledge.search.query`), ``sort`` (``relevance`` or ``year``),
``page``, and one parameter per facet, repeated for several values (``country=KOR&country=KAZ``).
Anything unknown or malformed is ignored, never an error. Without JavaScript the form is
submitted with its button; with htmx the results (facets, hits, pages) are replaced as the
reader types or ticks a box, and the URL follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from ..search import FACETS, FacetValue, SearchResult, search_items
from ..search.labels import FACET_NAMES
from ..search.query import MAX_LENGTH

SORT_LABELS: Final = {"relevance": _("Relevance"), "year": _("Newest first")}
#: A facet shows this many values, the rest behind "More".
SHOWN_VALUES: Final = 8


@dataclass(frozen=True, slots=True)
class FacetBox:
    """A facet as the form shows it: its first :data:`SHOWN_VALUES` values, the rest folded."""

    name: str
    label: str
    values: tuple[FacetValue, ...]
    cut: int = SHOWN_VALUES

    @property
    def more(self) -> int:
        return max(0, len(self.values) - self.cut)

    @property
    def more_selected(self) -> bool:
        return any(value.selected for value in self.values[self.cut :])


def _boxes(result: SearchResult) -> list[FacetBox]:
    return [
        FacetBox(name=name, label=str(FACET_NAMES[name]), values=result.facets[name])
        for name in FACETS
        if result.facets.get(name)
    ]


def _page_number(text: str | None) -> int:
    return int(text) if text and text.isdigit() and len(text) < 7 else 1


def _params(result: SearchResult) -> list[tuple[str, str]]:
    """The state of ``result`` as GET parameters (without the page)."""
    params = [("q", result.query)] if result.query else []
    params += [(name, value) for name, values in result.filters.items() for value in values]
    if result.sort != "relevance":
        params.append(("sort", result.sort))
    return params


def _page_url(request_path: str, params: list[tuple[str, str]], page: int) -> str:
    found = [*params, ("page", str(page))] if page > 1 else params
    return f"{request_path}?{urlencode(found)}" if found else request_path


def search(request: HttpRequest) -> HttpResponse:
    filters = {name: request.GET.getlist(name) for name in FACETS if name in request.GET}
    result = search_items(
        query=request.GET.get("q", "")[:MAX_LENGTH],
        filters=filters,
        sort=request.GET.get("sort", "relevance"),
        page=_page_number(request.GET.get("page")),
    )
    params = _params(result)
    first = (result.page - 1) * result.per_page + 1
    context = {
        "result": result,
        "boxes": _boxes(result),
        "first": first,
        "last": first + len(result.hits) - 1,
        "previous_url": _page_url(request.path, params, result.page - 1) if result.page > 1 else "",
        "next_url": _page_url(request.path, params, result.page + 1)
        if result.page < result.pages
        else "",
        "sorts": [(code, str(label)) for code, label in SORT_LABELS.items()],
    }
    htmx = getattr(request, "htmx", None)
    template = "knowledge/search.html"
    if htmx and not htmx.history_restore_request:
        template = "knowledge/_search_results.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


urls: list[URLPattern] = [path("knowledge/", search, name="search")]
