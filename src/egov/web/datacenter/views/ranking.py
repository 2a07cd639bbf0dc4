from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .. import selectors


def latest(request: HttpRequest) -> HttpResponse:
    """``/ranking/``: the latest edition's ranking (a redirect, so the URL names the year)."""
    editions = selectors.editions()
    if not editions:
        return redirect("datacenter:home")
    return redirect("datacenter:ranking", year=editions[-1].year)


def page(request: HttpRequest, year: int) -> HttpResponse:  # placeholder: being built
    return HttpResponse("ranking")
