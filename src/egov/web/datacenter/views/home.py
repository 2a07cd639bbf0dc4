from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .. import selectors


def home(request: HttpRequest) -> HttpResponse:
    editions = [
        (edition, selectors.edition_top(edition=edition))
        for edition in reversed(selectors.editions())
    ]
    return render(request, "datacenter/home.html", {"editions": editions})
