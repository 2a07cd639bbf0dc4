"""The METER framework over HTTP: pillars, sub-themes, statements, scale, levels and rules."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.decorators import decorate_view

from egov.api.v1.errors import ApiError
from egov.api.v1.knowledge.answers import READ_EXTRA, personal
from egov.frameworks import load_meter, meter_versions
from egov.frameworks.meter_schema import MeterFramework

from .common import READ_ERRORS

router = Router(tags=["METER"])


class ScaleAnswerOut(Schema):
    code: str = Field(description='What a respondent sends: "0" … "4", "DK", "NA".')
    label: str
    meaning: str
    points: float | None = Field(description="The statement's score (0–100); null: no score.")


class LevelOut(Schema):
    min: float
    name: str


class StatementOut(Schema):
    id: str
    text: str
    perspective: Literal["internal", "observable"] = Field(
        description="internal: asked of government; observable: asked of every group."
    )
    weight: float


class SubthemeOut(Schema):
    id: str
    name: str
    weight: float
    action: str = Field(description="The suggested action when the sub-theme is a gap.")
    statements: list[StatementOut]


class PillarOut(Schema):
    id: str
    name: str
    experimental: bool = Field(description="Counted in the overall score only when opted in.")
    weight: float
    objective: list[list[str]] = Field(
        description="Published indicators it is corroborated with; each a preference chain."
    )
    subthemes: list[SubthemeOut]


class FrameworkOut(Schema):
    id: str
    title: str
    based_on: str
    notice: str
    sha256: str = Field(description="Of the YAML file; an assessment keeps the one it used.")
    versions: list[str] = Field(description="Every packaged version, oldest first.")
    statements: int
    scale: list[ScaleAnswerOut]
    levels: list[LevelOut]
    scoring: dict[str, Any] = Field(description="The numbers of the scoring rules (spec §3.3).")
    pillars: list[PillarOut]


def _framework(framework: MeterFramework) -> dict[str, Any]:
    scale = framework.scale
    answers = [
        {"code": str(value), "label": label, "meaning": meaning, "points": scale.points(value)}
        for value, label, meaning in zip(scale.values, scale.labels, scale.meanings, strict=True)
    ]
    answers += [
        {"code": code, "label": label, "meaning": meaning, "points": None}
        for code, label, meaning in zip(
            scale.extra, scale.extra_labels, scale.extra_meanings, strict=True
        )
    ]
    return {
        **framework.model_dump(include={"id", "title", "based_on", "notice", "levels", "pillars"}),
        "sha256": framework.sha256,
        "versions": list(meter_versions()),
        "statements": len(framework.statements()),
        "scale": answers,
        "scoring": framework.scoring.model_dump(),
    }


@router.get(
    "/meter/framework",
    response={200: FrameworkOut, **READ_ERRORS},
    summary="The METER framework",
    description="Pillars, sub-themes with their suggested actions, statements, the answer "
    "scale, levels and scoring rules of the latest framework version, or of `version`. "
    "Open to everyone.",
    openapi_extra=READ_EXTRA,
)
@decorate_view(personal)
def framework(
    request: HttpRequest,
    version: Annotated[str | None, Query(description="A framework id (meter-eo-1.0).")] = None,
) -> dict[str, Any]:
    if version is not None and version not in meter_versions():
        message = f"no METER framework {version!r}; known: {', '.join(meter_versions())}"
        raise ApiError.one(400, "unknown-framework", message, field="version", value=version)
    return _framework(load_meter(version))
