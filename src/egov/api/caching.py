"""HTTP caching of published data, for the API and the downloads alike.

Published figures change only when an edition is imported again, so every response built from
them carries ``Cache-Control: public, max-age=…`` and an ``ETag`` derived from the stored
editions (:func:`egov.web.datacenter.selectors.published_version`) and the platform's version.
A request whose ``If-None-Match`` names the current tag gets ``304 Not Modified`` before any
other query. Only successful responses are marked: an error is never cached.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from importlib.metadata import version
from typing import Any, Final

from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags

from egov.web.datacenter import selectors

#: Seconds a client or shared cache may reuse a published response without asking again.
MAX_AGE: Final = 3600
#: Part of every tag, so a release that changes a representation changes the tag too.
_RELEASE: Final = version("egov-observatory")

View = Callable[..., HttpResponseBase]


def published_etag() -> str:
    """The current strong ``ETag`` of published data (one query)."""
    return f'"{_RELEASE}-{selectors.published_version()}"'


def _matches(header: str | None, etag: str) -> bool:
    """Weak comparison (RFC 9110 §13.1.2): ``W/"x"`` matches ``"x"``; ``*`` matches anything.

    GZipMiddleware weakens the tag of a compressed response, so clients send it back weak.
    """
    if not header:
        return False
    tags = parse_etags(header)
    return "*" in tags or any(tag.removeprefix("W/") == etag for tag in tags)


def _mark(response: HttpResponseBase, etag: str) -> None:
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=MAX_AGE)


def published(view: View) -> View:
    """Decorate a view of published data with ``ETag``, ``Cache-Control`` and 304 answers."""

    @wraps(view)
    def conditional(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        etag = published_etag()
        if request.method in ("GET", "HEAD") and _matches(
            request.headers.get("If-None-Match"), etag
        ):
            not_modified: HttpResponse = HttpResponseNotModified()
            _mark(not_modified, etag)
            return not_modified
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            _mark(response, etag)
        return response

    return conditional
