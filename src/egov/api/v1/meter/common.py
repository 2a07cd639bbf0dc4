"""What the METER endpoints share: how they answer and refuse, the path parameters, finding
the assessment a caller may see or manage, an answer as it is shown (read from the
:class:`~egov.web.meter.models.Answer` itself)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import wraps
from typing import Annotated, Any, Final, Literal

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control
from ninja import Field, Path, Schema

from egov.api.v1.auth import caller
from egov.api.v1.errors import ApiError, ErrorOut
from egov.errors import Issue, ServiceError
from egov.web.meter import policy, selectors, services
from egov.web.meter.models import Assessment

#: The header a respondent sends their personal key in.
RESPONDENT_HEADER: Final = "X-Respondent-Key"
#: Service codes that refuse a write for the assessment's state: 409.
STATE_REFUSALS: Final = frozenset(
    {"not-open", "closed", "bad-transition", "no-respondents", "no-answers"}
)
READ_ERRORS: Final = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
MANAGE_ERRORS: Final = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: Final = {**MANAGE_ERRORS, 409: ErrorOut}
RESPOND_ERRORS: Final = {401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
MANAGE_NOTE: Final = (
    "\n\nThe assessment's focal point, editors and administrators; credentials as for writes "
    "(`Authorization: Bearer <key>` or the browser session). 401 without credentials, 404 "
    "for an assessment the caller may not see, 403 for one they see but do not manage."
)
RESPOND_NOTE: Final = (
    f"\n\nCredentials: the respondent's personal key in `{RESPONDENT_HEADER}` (no CSRF token: "
    "no cookie is used). 401 for a missing, unknown or replaced key."
)

AssessmentId = Annotated[int, Path(description="The assessment's id.")]
StatementId = Annotated[
    str, Path(pattern=r"^[A-Za-z]+\d+\.\d+$", description="A statement id (`C1.1`).")
]
StateCode = Literal["draft", "open", "closed", "published"]
GroupCode = Literal["government", "business", "civil_society", "academia"]


def no_store(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a successful answer ``no-store``: it speaks for one respondent."""

    @wraps(view)
    def marked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response: HttpResponseBase = view(request, *args, **kwargs)
        if 200 <= response.status_code < 300:
            patch_cache_control(response, no_store=True)
        return response

    return marked


@contextmanager
def state_refusals() -> Iterator[None]:
    """A service's refusal for the assessment's state becomes 409 with its code."""
    try:
        yield
    except ServiceError as error:
        if error.code in STATE_REFUSALS:
            raise ApiError(409, error.code, error.issues) from None
        raise


def unknown_assessment(pk: int) -> ApiError:
    return ApiError.one(
        404, "unknown-assessment", f"no assessment {pk} you may see", field="id", value=pk
    )


def visible_assessment(request: HttpRequest, pk: int) -> tuple[Assessment, User | AnonymousUser]:
    """The assessment ``pk`` if the caller may see it, with the caller; 404 otherwise."""
    user = caller(request)
    found = selectors.assessments_visible(user=user).filter(pk=pk).first()
    if found is None:
        raise unknown_assessment(pk)
    return found, user


def managed_assessment(request: HttpRequest, pk: int) -> Assessment:
    """The assessment ``pk`` if the caller manages it; 404 unseen, 403 seen but not theirs."""
    found, user = visible_assessment(request, pk)
    if not policy.can_manage(user, found):
        message = "only its focal point or an editor may"
        raise ApiError(403, "forbidden", [Issue("forbidden", message, "assessment")])
    return found


class AnswerOut(Schema):
    statement: str
    value: str = Field(description='"0" … "4", "DK" or "NA".')
    comment: str
    evidence_url: str
    lesson: bool = Field(description="The comment is offered as a lesson to the knowledge base.")
    revision: int = Field(description="1 when first given, then +1 at each change.")
    updated_at: datetime


def statement_order(assessment: Assessment) -> dict[str, int]:
    statements = services.framework_of(assessment).statements()
    return {statement.id: index for index, statement in enumerate(statements)}
