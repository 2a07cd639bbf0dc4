"""Frozen pydantic models of the Survey definition files (STYLE §11).

``survey/editions.yaml`` → :class:`EditionsFile` → one :class:`egov.methodology.EditionMethod`
per edition; ``survey/anomalies.yaml`` → :class:`AnomaliesFile` →
:class:`egov.methodology.DocumentedAnomaly`. Every model forbids unknown keys; weights sum to 1;
a method name must be a key of its family's table, so an unknown name fails when the file loads.
Custom errors carry a stable ``code`` (``unknown-method``, ``weights-sum``, ...).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from egov.methodology import (
    AGGREGATORS,
    NORMALISERS,
    RANKERS,
    RATING_CLASS_METHODS,
    ComponentMethod,
    ComponentWeights,
    DeviationKind,
    DocumentedAnomaly,
    EditionMethod,
    EpiMethod,
    OsiMethod,
    QuantileMethod,
    TieSide,
)
from egov.methodology.editions import QuotedFigure

#: Weights may differ from 1 in sum by this much (1/3 written as a float).
WEIGHT_SUM_TOLERANCE = 1e-9


def _number(value: object) -> object:
    """Accept ``"2/9"`` as well as ``0.2222``: a weight written as a fraction is exact."""
    if isinstance(value, str):
        try:
            return float(Fraction(value.strip()))
        except (ValueError, ZeroDivisionError):
            raise PydanticCustomError(
                "not-a-number", "'{value}' is neither a number nor a fraction", {"value": value}
            ) from None
    return value


Weight = Annotated[float, BeforeValidator(_number), Field(ge=0, le=1)]


def _known(family: str, table: Mapping[str, object]) -> AfterValidator:
    def check(name: str) -> str:
        if name not in table:
            raise PydanticCustomError(
                "unknown-method",
                "unknown {family} '{name}'; known: {known}",
                {"family": family, "name": name, "known": ", ".join(sorted(table))},
            )
        return name

    return AfterValidator(check)


NormaliserName = Annotated[str, _known("normaliser", NORMALISERS)]
AggregatorName = Annotated[str, _known("aggregator", AGGREGATORS)]
RankerName = Annotated[str, _known("ranker", RANKERS)]
RatingClassMethodName = Annotated[str, _known("rating-class method", RATING_CLASS_METHODS)]


def _check_sum(weights: Iterable[float]) -> None:
    total = sum(weights)
    if abs(total - 1) > WEIGHT_SUM_TOLERANCE:
        raise PydanticCustomError(
            "weights-sum", "weights sum to {total}, not 1", {"total": round(total, 9)}
        )


class Model(BaseModel):
    """Frozen, and no key the model does not name."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ComponentWeightsModel(Model):
    osi: Weight
    tii: Weight
    hci: Weight

    @model_validator(mode="after")
    def _sums_to_one(self) -> ComponentWeightsModel:
        _check_sum((self.osi, self.tii, self.hci))
        return self


class EgdiModel(Model):
    weights: ComponentWeightsModel
    aggregator: AggregatorName = "arithmetic_mean"
    verified: bool


class IndicatorsModel(Model):
    indicators: tuple[str, ...] = Field(min_length=1)
    weights: tuple[Weight, ...]
    cap: float | None = Field(default=None, gt=0)
    normaliser: NormaliserName
    aggregator: AggregatorName = "arithmetic_mean"
    rescaled: bool
    published_only: bool
    may_exceed_one: bool = False
    verified: bool

    @model_validator(mode="after")
    def _weights_fit(self) -> IndicatorsModel:
        if len(set(self.indicators)) != len(self.indicators):
            raise PydanticCustomError("duplicate-indicator", "an indicator is listed twice", {})
        if len(self.weights) != len(self.indicators):
            raise PydanticCustomError(
                "weights-count",
                "{weights} weights for {indicators} indicators",
                {"weights": len(self.weights), "indicators": len(self.indicators)},
            )
        _check_sum(self.weights)
        return self

    def to_method(self) -> ComponentMethod:
        return ComponentMethod(
            indicators=self.indicators,
            weights=self.weights,
            cap=self.cap,
            normaliser=self.normaliser,
            aggregator=self.aggregator,
            rescaled=self.rescaled,
            published_only=self.published_only,
            may_exceed_one=self.may_exceed_one,
            verified=self.verified,
        )


class OsiModel(Model):
    normaliser: NormaliserName = "min_max"
    subindices: dict[str, Weight] = Field(min_length=1)
    verified: bool

    @model_validator(mode="after")
    def _sums_to_one(self) -> OsiModel:
        _check_sum(self.subindices.values())
        return self


class EpiModel(Model):
    normaliser: NormaliserName = "min_max"
    rank_method: RankerName
    stage_maxima: dict[str, Annotated[int, Field(gt=0)]] = Field(default_factory=dict)
    verified: bool


class RankingModel(Model):
    method: RankerName
    decimals: int | None = Field(ge=0, le=12)


class RatingClassesModel(Model):
    method: RatingClassMethodName
    published: bool
    quantile_method: QuantileMethod = "linear"
    tie_side: TieSide = "lower"


class QuotedModel(Model):
    figure: Literal["world_average_egdi"]
    value: float = Field(ge=0, le=1)
    source: str = Field(min_length=1)


class EditionModel(Model):
    title: str = Field(min_length=1)
    headline_index: str = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)
    egdi: EgdiModel
    osi: OsiModel
    tii: IndicatorsModel
    hci: IndicatorsModel
    epi: EpiModel
    not_assessed_component: Literal["osi", "tii", "hci"]
    ranking: RankingModel
    rating_classes: RatingClassesModel
    quoted: tuple[QuotedModel, ...] = ()

    def to_method(self, year: int) -> EditionMethod:
        weights = self.egdi.weights
        return EditionMethod(
            year=year,
            title=self.title,
            headline_index=self.headline_index,
            egdi_weights=ComponentWeights(osi=weights.osi, tii=weights.tii, hci=weights.hci),
            egdi_aggregator=self.egdi.aggregator,
            egdi_verified=self.egdi.verified,
            tii=self.tii.to_method(),
            hci=self.hci.to_method(),
            osi=OsiMethod(
                subindex_weights=tuple(self.osi.subindices.items()),
                normaliser=self.osi.normaliser,
                verified=self.osi.verified,
            ),
            epi=EpiMethod(
                normaliser=self.epi.normaliser,
                rank_method=self.epi.rank_method,
                stage_maxima=tuple(self.epi.stage_maxima.items()),
                verified=self.epi.verified,
            ),
            not_assessed_component=self.not_assessed_component,
            rank_method=self.ranking.method,
            rank_decimals=self.ranking.decimals,
            rating_class_method=self.rating_classes.method,
            rating_classes_published=self.rating_classes.published,
            quantile_method=self.rating_classes.quantile_method,
            tie_side=self.rating_classes.tie_side,
            sources=self.sources,
            quoted=tuple(
                QuotedFigure(figure=q.figure, value=q.value, source=q.source) for q in self.quoted
            ),
        )


class EditionsFile(Model):
    editions: dict[Annotated[int, Field(ge=2001, le=2100)], EditionModel] = Field(min_length=1)


class AnomalyModel(Model):
    year: int
    country: str = Field(min_length=1, pattern=r"^\S(.*\S)?$")
    iso3: str = Field(pattern=r"^[A-Z]{3}$")
    kind: DeviationKind
    published: float | None
    recomputed: float | None
    evidence: str = Field(min_length=1)

    def to_anomaly(self) -> DocumentedAnomaly:
        return DocumentedAnomaly(
            year=self.year,
            iso3=self.iso3,
            country=self.country,
            kind=self.kind,
            published=self.published,
            recomputed=self.recomputed,
            evidence=self.evidence,
        )


class AnomaliesFile(Model):
    anomalies: tuple[AnomalyModel, ...]
