"""The robustness lab over HTTP: rank uncertainty (the JSON of ``egov uncertainty --json``)
and what-if re-rankings. Both are kept per published version and process
(:func:`egov.api.caching.cached`) and carry ``ETag`` and ``Cache-Control``."""

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.renderers import JSONRenderer

from egov.api.caching import cached, published
from egov.api.v1.datacenter import _edition
from egov.api.v1.errors import ApiError
from egov.errors import MethodologyError
from egov.methodology import UncertaintySettings
from egov.web.datacenter import robustness

router = Router(tags=["Robustness"])


class GroupProbabilitiesOut(Schema):
    V: float
    H: float
    M: float
    L: float


class UncertaintyCountryOut(Schema):
    iso3: str
    name: str = Field(description="The name the edition published.")
    published_rank: int
    median_rank: float
    rank_p5: float = Field(description="5th percentile of the rank over the runs.")
    rank_p95: float = Field(description="95th percentile of the rank over the runs.")
    group_probabilities: GroupProbabilitiesOut | None = Field(
        description="Share of the runs on the published scale in each EGDI group."
    )
    top10_probability: float
    mean_abs_rank_shift: float


class UncertaintyOut(Schema):
    edition: int
    samples: int
    seed: int
    assumptions: dict[str, Any] = Field(description="What varied and how (docs/robustness.md).")
    countries: list[UncertaintyCountryOut]


class UncertaintyQuery(Schema):
    samples: int = Field(
        robustness.DEFAULT_SAMPLES,
        ge=1,
        le=robustness.MAX_SAMPLES,
        description=f"Monte Carlo runs (1 to {robustness.MAX_SAMPLES:,}).",
    )
    seed: int = Field(robustness.DEFAULT_SEED, ge=0, le=2**32 - 1, description="Seed.")


def _render(request: HttpRequest, schema: type[Schema], data: object) -> bytes:
    validated = schema.model_validate(data).model_dump()
    return str(JSONRenderer().render(request, validated, response_status=200)).encode("utf-8")


def _json(body: bytes) -> HttpResponse:
    return HttpResponse(body, content_type="application/json; charset=utf-8")


@router.get(
    "/editions/{year}/uncertainty",
    response=UncertaintyOut,
    summary="How sure each rank is",
    description="Monte Carlo over the component weights, the normalisation, the aggregation "
    "and noise in the components: each assessed country's median rank, 5th-95th percentile "
    "interval, group and top-ten probabilities. The shape of `egov uncertainty --json`.",
)
@decorate_view(published)
def edition_uncertainty(
    request: HttpRequest, year: int, params: Query[UncertaintyQuery]
) -> HttpResponse:
    edition = _edition(year)
    settings = UncertaintySettings(samples=params.samples, seed=params.seed)

    def build() -> bytes:
        result = robustness.uncertainty(edition=edition, settings=settings)
        return _render(request, UncertaintyOut, result.as_dict())

    return _json(cached(request, ("api-v1", "uncertainty", year, settings.key), build))


class WhatIfCountryOut(Schema):
    iso3: str
    name: str
    published_rank: int
    rank: int
    rank_change: int = Field(description="Published rank minus new rank (positive: moves up).")
    egdi: float = Field(description="EGDI with these weights and aggregation.")
    group: Literal["V", "H", "M", "L"]


class WeightsOut(Schema):
    osi: float
    tii: float
    hci: float


class WhatIfOut(Schema):
    edition: int
    weights: WeightsOut = Field(description="The weights used, rescaled to sum 1.")
    aggregation: Literal["arithmetic", "geometric"]
    countries: list[WhatIfCountryOut]


class WhatIfQuery(Schema):
    osi: float | None = Field(None, ge=0, description="Weight of OSI (default: the edition's).")
    tii: float | None = Field(None, ge=0, description="Weight of TII (default: the edition's).")
    hci: float | None = Field(None, ge=0, description="Weight of HCI (default: the edition's).")
    aggregation: Literal["arithmetic", "geometric"] = "arithmetic"


@router.get(
    "/editions/{year}/what-if",
    response=WhatIfOut,
    summary="The edition re-ranked with other weights",
    description="Every assessed country ranked again with the weights given (non-negative, "
    "rescaled to sum 1) and an arithmetic or geometric mean; the edition's own weights give "
    "the published ranks.",
)
@decorate_view(published)
def edition_what_if(request: HttpRequest, year: int, params: Query[WhatIfQuery]) -> HttpResponse:
    edition = _edition(year)
    model = robustness.edition_model(edition=edition)
    asked = {"osi": params.osi, "tii": params.tii, "hci": params.hci}
    try:
        weights = robustness.parse_weights(asked, robustness.nominal_weights(model))
    except MethodologyError as error:
        raise ApiError.one(
            422, "invalid-parameters", str(error), field="osi", value=params.osi
        ) from None
    key = ("api-v1", "what-if", year, weights.osi, weights.tii, weights.hci, params.aggregation)

    def build() -> bytes:
        frame = robustness.what_if(edition=edition, weights=weights, aggregation=params.aggregation)
        return _render(
            request,
            WhatIfOut,
            {
                "edition": edition.year,
                "weights": {"osi": weights.osi, "tii": weights.tii, "hci": weights.hci},
                "aggregation": params.aggregation,
                "countries": frame.reset_index().to_dict("records"),
            },
        )

    return _json(cached(request, key, build))
