"""The robustness lab's figures, computed once per published version and kept in memory.

An edition's :class:`~egov.methodology.EditionModel` (its assessed countries as arrays,
:func:`selectors.uncertainty_model`, the path ``egov uncertainty`` reads) and its
:class:`~egov.methodology.UncertaintyResult` for given settings are kept per process in a
small :class:`egov.api.caching.PublishedCache`, keyed by the edition's year and
:attr:`UncertaintySettings.key` under the published tag: importing an edition again changes
the tag and empties the cache, so nothing of an older version is ever shown. The first
request after an import simulates (about half a second for 10,000 runs); later ones cost
the tag's one query. A what-if re-ranking (:func:`what_if`) is computed on every request:
about a millisecond on the kept model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from egov.api.caching import PublishedCache, published_etag
from egov.errors import MethodologyError
from egov.methodology import (
    GROUP_LOWER_BOUNDS,
    ComponentWeights,
    EditionModel,
    UncertaintyResult,
    UncertaintySettings,
    rank_uncertainty,
)
from egov.methodology import what_if as core_what_if
from egov.methodology.classes import egdi_group

from . import selectors
from .models import Edition

#: What the pages show: 10,000 runs of every assumption, the seed of docs/robustness.md's
#: worked example, so the 2024 figures there and on the site are the same.
DEFAULT_SAMPLES: Final = 10_000
DEFAULT_SEED: Final = 2024
DEFAULT_SETTINGS: Final = UncertaintySettings(samples=DEFAULT_SAMPLES, seed=DEFAULT_SEED)
#: The most runs the API simulates on request.
MAX_SAMPLES: Final = 20_000
#: A country's group is uncertain when the runs on the published scale put it in another
#: group than its published one more often than this: its 90 % interval crosses a boundary.
BOUNDARY_SHARE: Final = 0.05
#: The aggregations a reader chooses between, by their short name → the core's name.
AGGREGATIONS: Final[Mapping[str, str]] = {
    "arithmetic": "arithmetic_mean",
    "geometric": "geometric_mean",
}
GROUPS: Final = tuple(GROUP_LOWER_BOUNDS)  # V H M L

#: Models and results of the current published version (12 models and a few settings each).
cache = PublishedCache(size=64)


def edition_model(*, edition: Edition, etag: str | None = None) -> EditionModel:
    """The edition's model, built once per published version (two queries then)."""
    return cache.get(
        etag or published_etag(),
        ("model", edition.year),
        lambda: selectors.uncertainty_model(edition=edition),
    )


def uncertainty(
    *,
    edition: Edition,
    settings: UncertaintySettings = DEFAULT_SETTINGS,
    etag: str | None = None,
) -> UncertaintyResult:
    """The edition's rank uncertainty under ``settings``, simulated once per published
    version and settings."""
    tag = etag or published_etag()
    return cache.get(
        tag,
        ("uncertainty", edition.year, settings.key),
        lambda: rank_uncertainty(edition_model(edition=edition, etag=tag), settings),
    )


@dataclass(frozen=True, slots=True)
class RankInterval:
    """How sure one country's rank is: the figures of the panel and of the edition page."""

    year: int
    iso3: str
    name: str  # the published name; pages show the localized one
    published_rank: int
    median_rank: float
    rank_p5: float
    rank_p95: float
    published_group: str  # V H M L, from the published EGDI
    group_probabilities: Mapping[str, float] | None  # V H M L; None without published runs
    top10_probability: float
    mean_abs_rank_shift: float

    @property
    def width(self) -> float:
        """Places between the 5th and the 95th percentile."""
        return self.rank_p95 - self.rank_p5

    @property
    def crosses_boundary(self) -> bool:
        """Whether more than :data:`BOUNDARY_SHARE` of the runs on the published scale put
        the country in another EGDI group than its published one."""
        if self.group_probabilities is None:
            return False
        return 1.0 - self.group_probabilities[self.published_group] > BOUNDARY_SHARE

    @property
    def likeliest_group(self) -> str | None:
        if self.group_probabilities is None:
            return None
        return max(GROUPS, key=lambda code: self.group_probabilities[code])  # type: ignore[index]


def intervals(result: UncertaintyResult, model: EditionModel) -> list[RankInterval]:
    """Every assessed country of a result, in published-rank order."""
    countries = result.countries
    groups = egdi_group(pd.Series(model.published_egdi, index=list(model.iso3)))
    probabilities = result.group_probabilities[list(GROUPS)].to_numpy()
    usable = result.published_scale_runs > 0
    found = []
    for position, (iso3, row) in enumerate(countries.iterrows()):
        code = str(iso3)
        found.append(
            RankInterval(
                year=result.year,
                iso3=code,
                name=str(row["name"]),
                published_rank=int(row["published_rank"]),
                median_rank=float(row["median_rank"]),
                rank_p5=float(row["rank_p5"]),
                rank_p95=float(row["rank_p95"]),
                published_group=str(groups[code]),
                group_probabilities=(
                    dict(zip(GROUPS, probabilities[position].tolist(), strict=True))
                    if usable
                    else None
                ),
                top10_probability=float(row["top10_probability"]),
                mean_abs_rank_shift=float(row["mean_abs_rank_shift"]),
            )
        )
    return found


@dataclass(frozen=True, slots=True)
class EditionRobustness:
    """An edition's intervals and the run-level summary the pages print."""

    year: int
    samples: int
    seed: int
    countries: int
    rows: tuple[RankInterval, ...]
    mean_shift: tuple[float, float, float]  # mean, p5, p95 over runs of the mean |shift|
    published_scale_runs: int


def edition_robustness(*, edition: Edition, etag: str | None = None) -> EditionRobustness:
    """The default settings' figures of an edition (kept, like the result they come from)."""
    tag = etag or published_etag()

    def build() -> EditionRobustness:
        model = edition_model(edition=edition, etag=tag)
        result = uncertainty(edition=edition, etag=tag)
        return EditionRobustness(
            year=edition.year,
            samples=result.settings.samples,
            seed=result.settings.seed,
            countries=model.countries,
            rows=tuple(intervals(result, model)),
            mean_shift=result.mean_abs_rank_shift,
            published_scale_runs=result.published_scale_runs,
        )

    return cache.get(tag, ("robustness", edition.year, DEFAULT_SETTINGS.key), build)


def country_interval(
    *, edition: Edition, iso3: str
) -> tuple[EditionRobustness, RankInterval | None]:
    """The edition's figures and the country's interval (None when it was not assessed)."""
    figures = edition_robustness(edition=edition)
    found = next((row for row in figures.rows if row.iso3 == iso3), None)
    return figures, found


def parse_weights(
    values: Mapping[str, float | None], nominal: ComponentWeights
) -> ComponentWeights:
    """The weights asked for, each missing one at the edition's value; renormalised to sum
    1, and exactly the edition's own when proportional to them (so they give the published
    ranks to the last digit). A negative weight or a zero sum is refused."""
    chosen = np.array(
        [
            values.get(code) if values.get(code) is not None else getattr(nominal, code)
            for code in ("osi", "tii", "hci")
        ],
        dtype=np.float64,
    )
    if not np.isfinite(chosen).all() or (chosen < 0).any() or not chosen.sum() > 0:
        raise MethodologyError("weights must be non-negative with a positive sum")
    shares = chosen / chosen.sum()
    own = nominal.as_array() / nominal.as_array().sum()
    if np.allclose(shares, own, rtol=0.0, atol=1e-9):
        return nominal
    return ComponentWeights(*(float(share) for share in shares))


def nominal_weights(model: EditionModel) -> ComponentWeights:
    return ComponentWeights(*(float(weight) for weight in model.weights))


def what_if(
    *, edition: Edition, weights: ComponentWeights, aggregation: str, etag: str | None = None
) -> pd.DataFrame:
    """The edition re-ranked (``aggregation`` is ``arithmetic`` or ``geometric``): columns
    ``name published_rank egdi rank rank_change group``, by new rank then published rank."""
    model = edition_model(edition=edition, etag=etag)
    frame = core_what_if(model, weights, aggregation=AGGREGATIONS[aggregation])
    return frame.sort_values(["rank", "published_rank"], kind="stable")
