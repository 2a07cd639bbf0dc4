"""Version 1 of the API: ``api`` is mounted at ``/api/v1/`` by :mod:`egov.web.urls`.

OpenAPI at ``/api/v1/openapi.json``; interactive docs at ``/api/v1/docs``, served with
django-ninja's own Swagger UI files through the static files (no CDN, no validator call).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Router, Swagger

from egov.api.v1 import datacenter, knowledge, meter, robustness
from egov.api.v1.errors import install_error_handlers

api = NinjaAPI(
    title="egov-observatory API",
    version="1",
    description=(
        "The UN E-Government Survey (EGDI, OSI, TII, HCI, EPI) for every Member State and "
        "every edition since 2003, as published; the knowledge base (items, search, workshops, "
        "projects, programmes), read by anyone and written with an API token; METER readiness "
        "self-assessments (framework, assessments, respondents, progress, answers, scores), "
        "managed with an API token and answered with a respondent's key. Guide: docs/api.md."
    ),
    urls_namespace="api-v1",
    docs=Swagger(settings={"validatorUrl": None}),  # the default validator is an external URL
)
install_error_handlers(api)
api.add_router("", datacenter.router)
api.add_router("", robustness.router)
api.add_router("", knowledge.router)
api.add_router("", meter.router)

# Last, so it matches only what no endpoint does: an unknown path under /api/v1/ answers in
# the API's error shape instead of Django's HTML 404.
_unknown = Router()


@_unknown.api_operation(
    ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False
)
def unknown(request: HttpRequest, rest: str) -> None:
    raise Http404(rest)


api.add_router("", _unknown)

__all__ = ["api"]
