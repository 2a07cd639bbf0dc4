"""How the knowledge endpoints answer: cache headers by caller, the error responses each
documents, the path parameters they share."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Annotated, Any, Final

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control, patch_vary_headers
from ninja import Path

from egov.api.v1.auth import READ_SECURITY, depends_on_caller
from egov.api.v1.errors import ApiError, ErrorOut

#: Seconds a cache may keep an anonymous read of published knowledge.
ANONYMOUS_MAX_AGE: Final = 60

Slug = Annotated[str, Path(pattern=r"^[-a-zA-Z0-9_]+$", description="The slug.")]

#: Error answers of reads and writes, for the OpenAPI document.
READ_ERRORS: Final = {404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: Final = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
#: Reads need no credentials but accept either.
READ_EXTRA: Final = {"security": READ_SECURITY}
WRITE_NOTE: Final = (
    "\n\nCredentials: `Authorization: Bearer <key>` (an API token) or the session of a "
    "signed-in browser with its CSRF token (`X-CSRFToken`). 401 without valid credentials, "
    "403 when the role or the object's state refuses the write, 422 with every problem of "
    "the input, each naming its field."
)


def personal(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a successful answer: ``no-store`` when it was made for a signed-in caller,
    a minute in shared caches otherwise; ``Vary`` on the credentials either way."""

    @wraps(view)
    def marked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response: HttpResponseBase = view(request, *args, **kwargs)
        if 200 <= response.status_code < 300:
            if request.method not in ("GET", "HEAD") or depends_on_caller(request):
                patch_cache_control(response, no_store=True)
            else:
                patch_cache_control(response, public=True, max_age=ANONYMOUS_MAX_AGE)
            patch_vary_headers(response, ("Authorization", "Cookie"))
        return response

    return marked


def unknown(code: str, what: str, field: str, value: object) -> ApiError:
    return ApiError.one(404, code, f"no {what} {value!r}", field=field, value=value)
