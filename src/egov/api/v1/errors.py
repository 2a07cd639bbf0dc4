"""One error shape for every API error, whatever raised it.

``{"ok": false, "code": "unknown-edition", "errors": [Issue, …]}``, each issue as
:class:`egov.errors.Issue` (``code message file row field value``): ``file`` is the request
path, ``field`` the parameter at fault, ``value`` what was sent in the query or the path
(django-ninja keeps no value of the body), ``row`` the position (from 1) of an item in a list
of the body. A write refused for its input keeps the service's issues as they are: ``file``
names the entity (``item``), ``field`` the input field (``title``, ``details.award``).
:class:`ErrorOut` is the shape in the OpenAPI document.

====  ======================  ==================================================
404   ``unknown-edition``,    a resource named in the path does not exist (a draft
      ``unknown-country``,    the caller may not see is not there either)
      ``unknown-item``,
      ``unknown-workshop``,
      ``unknown-project``,
      ``unknown-programme``,
      ``unknown-assessment``,
      ``unknown-statement``,
      ``not-found``
400   ``unknown-edition``,    a well-formed query parameter names nothing stored
      ``unknown-country``,    (or no packaged METER framework version)
      ``unknown-framework``
401   ``unauthorised``        a write without valid credentials (no session, no
                              ``Authorization: Bearer`` key, or a key revoked or
                              of a disabled account), a METER manager's read
                              likewise, or a METER respondent's request without
                              a valid ``X-Respondent-Key``
403   ``forbidden``           the caller's role or the object's state refuses
                              the write (:class:`egov.errors.ServiceError` code
                              ``forbidden``)
403   ``csrf-failed``         a write signed in by the browser session without
                              its CSRF token
409   ``not-open``,           a METER write the assessment's state refuses
      ``bad-transition``, …   (:mod:`egov.api.v1.meter`)
422   ``invalid-parameters``  a parameter fails its type or range (one issue each)
422   the service's code      any other :class:`~egov.errors.ServiceError`
      (``invalid-item``, …)   (``invalid-item``, ``invalid-step``,
                              ``invalid-attachment``, …): every issue, each
                              naming its entity in ``file`` and its ``field``
====  ======================  ==================================================
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Final

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from egov.errors import DataFileError, Issue, ServiceError

#: The top-level ``code`` of an HttpError without a more precise one, by status.
HTTP_CODES: Final = {
    400: "bad-request",
    401: "unauthorised",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    429: "too-many-requests",
}

#: The message of a write sent without any credentials.
NO_CREDENTIALS: Final = (
    "this write needs credentials: an API key (Authorization: Bearer <key>) or a signed-in "
    "browser session"
)


class IssueOut(Schema):
    code: str
    message: str
    file: str
    row: int | None
    field: str | None
    value: str | None


class ErrorOut(Schema):
    """Every error answer: ``ok`` false, a stable ``code`` and every issue found."""

    ok: bool
    code: str
    errors: list[IssueOut]


class ApiError(Exception):
    """A refused request: the status, a stable code and every issue (file filled in later)."""

    def __init__(self, status: int, code: str, issues: Sequence[Issue]) -> None:
        self.status = status
        self.code = code
        self.issues = tuple(issues)
        super().__init__("; ".join(issue.message for issue in self.issues))

    @classmethod
    def one(cls, status: int, code: str, message: str, *, field: str, value: object) -> ApiError:
        """The error of one parameter: ``ApiError.one(404, "unknown-edition", …)``."""
        return cls(status, code, [Issue(code, message, file="", field=field, value=str(value))])


def error_body(code: str, issues: Sequence[Issue]) -> dict[str, Any]:
    return {"ok": False, "code": code, "errors": [issue.as_dict() for issue in issues]}


def install_error_handlers(api: NinjaAPI) -> None:
    """Replace django-ninja's error bodies with ours, for every error it knows."""

    # ninja types a handler's exception as ``E | type[E]``; each handler gets an instance.
    def respond(
        request: HttpRequest, status: int, code: str, issues: Sequence[Issue]
    ) -> HttpResponse:
        located = [issue if issue.file else replace(issue, file=request.path) for issue in issues]
        return api.create_response(request, error_body(code, located), status=status)

    def refused(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, exc.status, exc.code, exc.issues)

    def not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        issue = Issue("not-found", "no such resource in the API", file=request.path)
        return respond(request, 404, "not-found", [issue])

    def invalid(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, 422, "invalid-parameters", _validation_issues(request, exc))

    def http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        code = HTTP_CODES.get(exc.status_code, "http-error")
        if isinstance(exc, AuthenticationError):  # no credentials at all (egov.api.v1.auth)
            issue = Issue(code, NO_CREDENTIALS, request.path, field="Authorization")
            return respond(request, exc.status_code, code, [issue])
        return respond(request, exc.status_code, code, [Issue(code, str(exc), request.path)])

    def data_file_error(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, 400, "invalid-file", exc.issues)

    def service_error(request: HttpRequest, exc: Any) -> HttpResponse:
        status = 403 if exc.code == "forbidden" else 422
        return respond(request, status, exc.code, exc.issues or [Issue(exc.code, str(exc), "")])

    api.add_exception_handler(ApiError, refused)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(ValidationError, invalid)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(DataFileError, data_file_error)
    api.add_exception_handler(ServiceError, service_error)


def _validation_issues(request: HttpRequest, exc: Any) -> list[Issue]:
    """One issue per pydantic error, with the value sent (ninja drops pydantic's ``input``).
    In a list of the body (``answers[1].value``), ``row`` is the item's position from 1."""
    issues = []
    for error in exc.errors:
        positions = [part for part in error.get("loc", ()) if isinstance(part, int)]
        location = [str(part) for part in error.get("loc", ())]
        source, name = (location[0], location[-1]) if len(location) > 1 else ("", "")
        sent: object = None
        if source == "query":
            sent = request.GET.get(name)
        elif source == "path" and request.resolver_match:
            sent = request.resolver_match.kwargs.get(name)
        issues.append(
            Issue(
                code=str(error.get("type", "invalid")).replace("_", "-"),
                message=str(error.get("msg", "invalid value")),
                file=request.path,
                row=positions[0] + 1 if positions and source == "body" else None,
                field=name or None,
                value=None if sent is None else str(sent),
            )
        )
    return issues
