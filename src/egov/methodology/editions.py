"""A Survey edition's methodology as one frozen value.

Every per-edition choice (EGDI weights, TII and HCI indicator sets, caps, rescaling, rank
precision, EPI rank method, rating-class method, whether a component may exceed 1) is a field
here, filled from ``egov/frameworks/survey/editions.yaml`` by
:func:`egov.frameworks.load_edition_methods`. The core branches on these values, never on the
year (STYLE §3); a what-if is ``dataclasses.replace(method, rank_decimals=None)``. Every
method name is checked against its family when a value is made: an unknown name raises
MethodologyError then, not halfway through a computation.

Each block carries ``verified``: ``False`` where the spec tags the fact [R] (recalled from the
Survey, not re-found); check it when the annex is at hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal, TypeAlias

import numpy as np

from egov.errors import MethodologyError
from egov.methodology.aggregate import AGGREGATORS
from egov.methodology.classes import (
    QUANTILE_METHODS,
    RATING_CLASS_METHODS,
    TIE_SIDES,
    QuantileMethod,
    TieSide,
)
from egov.methodology.families import choose
from egov.methodology.normalise import NORMALISERS, FloatArray
from egov.methodology.ranking import RANKERS

#: The three components of EGDI, in the order of ``egov.data.tables.COMPONENTS``.
COMPONENTS: Final = ("osi", "tii", "hci")
#: The indices a Survey edition publishes, in the order of ``egov.data.tables.INDICES``.
INDICES: Final = ("egdi", "epi", "osi", "hci", "tii")
#: The editions that have per-country data (no file exists for 2001).

Component: TypeAlias = Literal["osi", "tii", "hci"]


@dataclass(frozen=True, slots=True)
class ComponentWeights:
    """Weights of OSI, TII and HCI in EGDI."""

    osi: float
    tii: float
    hci: float

    def as_array(self) -> FloatArray:
        """The weights in :data:`COMPONENTS` order.

        >>> ComponentWeights(0.34, 0.33, 0.33).as_array().tolist()
        [0.34, 0.33, 0.33]
        """
        return np.array([self.osi, self.tii, self.hci], dtype=np.float64)


#: Rule E1: equal thirds (2003-2005, 2012-2024; spec §2 [V] egovkb-method, S2016-annex).
EQUAL_THIRDS: Final = ComponentWeights(1 / 3, 1 / 3, 1 / 3)


@dataclass(frozen=True, slots=True)
class ComponentMethod:
    """How an edition builds TII or HCI from its indicators (spec §3.2-§4).

    ``rescaled`` is the final min-max of the composite (2012+; spec §3.2 step 4).
    ``published_only``: the goalposts are not recoverable, so the product imports the
    published values and never recomputes them (2003-2010, spec §3.3 [P]).
    ``may_exceed_one``: published values above 1 are genuine (2003-2005 HCI is not rescaled;
    Micronesia 2003 HCI 1.422 [D]).
    """

    indicators: tuple[str, ...]
    weights: tuple[float, ...]
    cap: float | None = None
    normaliser: str = "z_score"
    aggregator: str = "arithmetic_mean"
    rescaled: bool = True
    published_only: bool = False
    may_exceed_one: bool = False
    verified: bool = True

    def __post_init__(self) -> None:
        if len(self.weights) != len(self.indicators):
            raise MethodologyError(
                f"{len(self.weights)} weights for {len(self.indicators)} indicators"
            )
        choose("normaliser", NORMALISERS, self.normaliser)
        choose("aggregator", AGGREGATORS, self.aggregator)


@dataclass(frozen=True, slots=True)
class OsiMethod:
    """How an edition turns questionnaire points into OSI (spec §5 rule [P], §3.1).

    ``subindex_weights`` pairs each OSQ subindex with its weight ``W_s`` (one subindex of
    weight 1 before 2022).
    """

    subindex_weights: tuple[tuple[str, float], ...] = (("osq", 1.0),)
    normaliser: str = "min_max"
    verified: bool = True

    def __post_init__(self) -> None:
        choose("normaliser", NORMALISERS, self.normaliser)


@dataclass(frozen=True, slots=True)
class EpiMethod:
    """How an edition computes and ranks EPI (spec §6).

    ``stage_maxima`` pairs each e-participation stage with its maximum points where known
    (2010: 8 / 33 / 16 [D] S2010-ch5 Table 5.2).
    """

    normaliser: str = "min_max"
    rank_method: str = "competition"
    stage_maxima: tuple[tuple[str, int], ...] = ()
    verified: bool = True

    def __post_init__(self) -> None:
        choose("normaliser", NORMALISERS, self.normaliser)
        choose("ranker", RANKERS, self.rank_method)


@dataclass(frozen=True, slots=True)
class QuotedFigure:
    """A figure a source quotes for an edition, to set beside what the published rows give.

    Only ``world_average_egdi`` is quoted so far. A quoted figure never changes a rule or a
    value: verification reports the difference, and the docs explain it.
    """

    figure: Literal["world_average_egdi"]
    value: float
    source: str


@dataclass(frozen=True, slots=True)
class EditionMethod:
    """Every methodological choice of one Survey edition.

    ``not_assessed_component`` is the component that is 0 for a ranked country with EGDI 0
    (rule E3): OSI where the country had no assessable online presence, HCI in 2008 and 2010
    where it had no education data [D]. ``rank_decimals`` is the precision the EGDI ranks were
    computed at; ``None`` means unrounded values (2020, rule R2).
    """

    year: int
    title: str
    headline_index: str
    egdi_weights: ComponentWeights
    tii: ComponentMethod
    hci: ComponentMethod
    osi: OsiMethod = OsiMethod()
    epi: EpiMethod = EpiMethod()
    egdi_aggregator: str = "arithmetic_mean"
    egdi_verified: bool = True
    not_assessed_component: Component = "osi"
    rank_method: str = "competition"
    rank_decimals: int | None = 5
    rating_class_method: str = "count_quartile"
    rating_classes_published: bool = False
    quantile_method: QuantileMethod = "linear"
    tie_side: TieSide = "lower"
    sources: tuple[str, ...] = ()
    quoted: tuple[QuotedFigure, ...] = ()

    def __post_init__(self) -> None:
        """Every method name must be a key of its family: MethodologyError otherwise."""
        choose("aggregator", AGGREGATORS, self.egdi_aggregator)
        choose("ranker", RANKERS, self.rank_method)
        choose("rating-class method", RATING_CLASS_METHODS, self.rating_class_method)
        if self.quantile_method not in QUANTILE_METHODS:
            raise MethodologyError(f"unknown quantile method {self.quantile_method!r}")
        if self.tie_side not in TIE_SIDES:
            raise MethodologyError(f"unknown tie side {self.tie_side!r}; known: lower, upper")
        if self.not_assessed_component not in COMPONENTS:
            raise MethodologyError(f"unknown component {self.not_assessed_component!r}")

    @property
    def unverified(self) -> tuple[str, ...]:
        """The blocks of this edition that hold an [R] fact (recalled, not re-found).

        >>> part = ComponentMethod(indicators=("x",), weights=(1.0,))
        >>> method = EditionMethod(2024, "t", "EGDI", EQUAL_THIRDS, part, part)
        >>> method.unverified
        ()
        >>> from dataclasses import replace
        >>> replace(method, epi=EpiMethod(verified=False)).unverified
        ('epi',)
        """
        blocks = {
            "egdi_weights": self.egdi_verified,
            "osi": self.osi.verified,
            "tii": self.tii.verified,
            "hci": self.hci.verified,
            "epi": self.epi.verified,
        }
        return tuple(name for name, verified in blocks.items() if not verified)

    @property
    def verified(self) -> bool:
        """True when no fact of this edition is [R]."""
        return not self.unverified
