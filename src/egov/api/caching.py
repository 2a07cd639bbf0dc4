"""HTTP caching of published data, for the API and the downloads alike.

Published figures change only when an edition is imported again, so every response built from
them carries ``Cache-Control: public, max-age=…`` and an ``ETag`` derived from the stored
editions (:func:`egov.web.datacenter.selectors.published_version`) and the platform's version.
A request whose ``If-None-Match`` names the current tag gets ``304 Not Modified`` before any
other query. Only successful responses are marked: an error is never cached.

Representations that cost more than the tag (a ranking serialised, a file written) are kept
in process memory for the current tag by :func:`cached`: the first request after an import
builds them, the next ones only compute the tag (one query) and send the kept bytes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from functools import wraps
from importlib.metadata import version
from typing import Any, Final, TypeVar

from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags

from egov.web.datacenter import selectors

#: Seconds a client or shared cache may reuse a published response without asking again.
MAX_AGE: Final = 3600
#: Part of every tag, so a release that changes a representation changes the tag too.
_RELEASE: Final = version("egov-observatory")

#: Representations kept in memory per process, for the current tag only.
CACHE_SIZE: Final = 512  # 12 editions × (files, tables, rankings, aggregates) + 193 histories
#: The attribute under which :func:`published` leaves the request's tag for :func:`cached`.
_TAG_ATTRIBUTE: Final = "egov_published_etag"

View = Callable[..., HttpResponseBase]
T = TypeVar("T")


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
        setattr(request, _TAG_ATTRIBUTE, etag)
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


class PublishedCache:
    """Values built from published data, kept while the published tag stays the same.

    A new tag empties it (nothing of an older version is ever served again); past ``size``
    entries the oldest goes. Thread-safe; a value is built outside the lock, so two threads
    may build the same one, and the last stored wins (they are equal).
    """

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._etag: str | None = None
        self._values: dict[Hashable, Any] = {}

    def get(self, etag: str, key: Hashable, build: Callable[[], T]) -> T:
        with self._lock:
            if etag != self._etag:
                self._etag, self._values = etag, {}
            elif key in self._values:
                found: T = self._values[key]
                return found
        value = build()
        with self._lock:
            if etag == self._etag:
                if len(self._values) >= self.size:
                    del self._values[next(iter(self._values))]
                self._values[key] = value
        return value

    def clear(self) -> None:
        with self._lock:
            self._etag, self._values = None, {}


published_cache = PublishedCache()


def cached(request: HttpRequest, key: Hashable, build: Callable[[], T]) -> T:
    """``build()`` once per published version and process. The request's tag is the one
    :func:`published` computed, or computed here once per request."""
    etag = getattr(request, _TAG_ATTRIBUTE, None)
    if etag is None:
        etag = published_etag()
        setattr(request, _TAG_ATTRIBUTE, etag)
    return published_cache.get(etag, key, build)
