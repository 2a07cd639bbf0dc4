r"""Which choice moves the ranks: Sobol sensitivity indices of the uncertainty factors.

For an output :math:`Y = g(X_1, …, X_d)` of independent inputs (``shared/spec/uncertainty.md``
§4):

.. math::
    S_i = \frac{V(E[Y \mid X_i])}{V(Y)}, \qquad
    S_{Ti} = \frac{E(V[Y \mid X_{\sim i}])}{V(Y)}

``S_i`` is the share of the variance due to :math:`X_i` alone, ``S_Ti`` adds every interaction
involving it; ``S_Ti ≈ 0`` means the choice does not matter. Estimated with SALib
(:func:`SALib.sample.sobol.sample` and :func:`SALib.analyze.sobol.analyze`,
``calc_second_order=False``: ``N (d + 2)`` runs; Saltelli et al. 2010 for ``S_i``, Jansen for
``S_Ti``; confidence half-widths from 100 bootstrap resamples at 95 %).

Targets (spec §4): the mean absolute rank shift of each run, ``R̄s``, as COINr does, and each
country's rank. A country whose rank never moves has no variance to apportion: it is reported
as rank invariant, not analysed.

Source: Saltelli A. et al. (2010), *Variance based sensitivity analysis of model output*,
Computer Physics Communications 181(2), doi:10.1016/j.cpc.2009.09.018; Herman J. & Usher W.
(2017), *SALib: an open-source Python library for sensitivity analysis*, JOSS 2(9),
doi:10.21105/joss.00097.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd
from SALib.analyze import sobol as sobol_analyze  # type: ignore[import-untyped]
from SALib.sample import sobol as sobol_sample  # type: ignore[import-untyped]

from egov.errors import MethodologyError
from egov.methodology.normalise import FloatArray
from egov.methodology.uncertainty import (
    EditionModel,
    Progress,
    UncertaintySettings,
    simulated_ranks,
)

#: Columns of every table of indices.
INDEX_COLUMNS = ("S1", "S1_conf", "ST", "ST_conf")
#: Bootstrap resamples and confidence level of the intervals (SALib's defaults).
RESAMPLES = 100
CONFIDENCE = 0.95
_EPS = float(np.finfo(np.float64).eps)


def _problem(
    factors: Sequence[str], bounds: Sequence[tuple[float, float]] | None
) -> dict[str, object]:
    if not factors:
        raise MethodologyError("a sensitivity analysis needs at least one factor")
    limits = [(0.0, 1.0)] * len(factors) if bounds is None else list(bounds)
    if len(limits) != len(factors):
        raise MethodologyError(f"{len(limits)} bounds for {len(factors)} factors")
    return {
        "num_vars": len(factors),
        "names": list(factors),
        "bounds": [[float(low), float(high)] for low, high in limits],
    }


def sobol_design(
    factors: Sequence[str],
    base_samples: int,
    *,
    seed: int,
    bounds: Sequence[tuple[float, float]] | None = None,
) -> FloatArray:
    """The ``(N (d + 2), d)`` Saltelli design of scrambled Sobol' points (SALib), seeded.

    ``base_samples`` (N) must be a power of two; ``bounds`` default to U(0, 1) for every factor.

    >>> sobol_design(["a", "b"], 8, seed=1).shape
    (32, 2)
    """
    if base_samples < 2 or base_samples & (base_samples - 1):
        raise MethodologyError(f"base samples must be a power of two, not {base_samples}")
    design: FloatArray = sobol_sample.sample(
        _problem(factors, bounds), base_samples, calc_second_order=False, seed=seed
    )
    return design


@dataclass(frozen=True, slots=True)
class SobolIndices:
    """First-order and total indices of each factor, with their 95 % half-widths."""

    factors: tuple[str, ...]
    first_order: FloatArray
    first_order_conf: FloatArray
    total: FloatArray
    total_conf: FloatArray

    def frame(self) -> pd.DataFrame:
        """One row per factor; columns :data:`INDEX_COLUMNS`."""
        return pd.DataFrame(
            {
                "S1": self.first_order,
                "S1_conf": self.first_order_conf,
                "ST": self.total,
                "ST_conf": self.total_conf,
            },
            index=pd.Index(self.factors, name="factor"),
        )

    def as_dict(self) -> dict[str, dict[str, float]]:
        """``{factor: {S1, S1_conf, ST, ST_conf}}``, JSON-ready."""
        columns = (self.first_order, self.first_order_conf, self.total, self.total_conf)
        return {
            factor: {
                name: float(values[position])
                for name, values in zip(INDEX_COLUMNS, columns, strict=True)
            }
            for position, factor in enumerate(self.factors)
        }


def sobol_indices(
    factors: Sequence[str],
    outputs: FloatArray,
    *,
    seed: int,
    bounds: Sequence[tuple[float, float]] | None = None,
) -> SobolIndices:
    r"""Sobol indices of ``outputs``, one value per row of :func:`sobol_design` (same factors).

    .. math:: S_i = \frac{\overline{f(B)(f(A_B^i) - f(A))}}{V}, \qquad
              S_{Ti} = \frac{\overline{(f(A) - f(A_B^i))^2}}{2V}

    ``seed`` (≥ 1: SALib takes a seed of 0 for none) draws the bootstrap resamples. Outputs
    without variance have no indices: MethodologyError.

    >>> design = sobol_design(["x1", "x2"], 1024, seed=1)
    >>> indices = sobol_indices(["x1", "x2"], design[:, 0] + 2 * design[:, 1], seed=1)
    >>> indices.total.round(2).tolist()  # analytic (1, 4) / 5
    [0.2, 0.8]
    """
    values = np.asarray(outputs, dtype=np.float64)
    if seed < 1:
        raise MethodologyError(f"the bootstrap seed must be at least 1, not {seed}")
    if not np.ptp(values) > 0:
        raise MethodologyError("the output never varies: there is no variance to apportion")
    analysis = sobol_analyze.analyze(
        _problem(factors, bounds),
        values,
        calc_second_order=False,
        num_resamples=RESAMPLES,
        conf_level=CONFIDENCE,
        seed=seed,
    )
    return SobolIndices(
        tuple(factors),
        np.asarray(analysis["S1"], dtype=np.float64),
        np.asarray(analysis["S1_conf"], dtype=np.float64),
        np.asarray(analysis["ST"], dtype=np.float64),
        np.asarray(analysis["ST_conf"], dtype=np.float64),
    )


def _indices_by_column(
    factors: Sequence[str], outputs: FloatArray, *, seed: int
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    r""":func:`sobol_indices` of every column of ``outputs`` at once: ``(columns, factors)``
    arrays S1, S1_conf, ST, ST_conf.

    The estimators, standardisation, bootstrap draws and zero-variance rules of
    :func:`SALib.analyze.sobol.analyze` (1.6), vectorised over columns (a country's rank
    each): one SALib call per country costs 25 ms, 193 of them 5 s. A bootstrap mean is a
    matrix product, :math:`\overline{g}_k = \frac{1}{N} \sum_i n_{ki} g_i` with
    :math:`n_{ki}` the times row i is drawn in resample k, so no ``(N, resamples, columns)``
    array is built. Tests hold the result equal to SALib's to rounding.
    """
    dimension = len(factors)
    step = dimension + 2
    values = np.asarray(outputs, dtype=np.float64)
    if values.ndim != 2 or values.shape[0] % step:
        raise MethodologyError(f"{values.shape[0]} runs do not fit a design of {step} per row")
    base = values.shape[0] // step
    spread = values.std(axis=0)
    if not np.all(spread > 0):
        raise MethodologyError("an output never varies: there is no variance to apportion")
    standard = (values - values.mean(axis=0)) / spread
    a, b = standard[0::step], standard[step - 1 :: step]
    resamples = np.random.default_rng(seed).integers(base, size=(base, RESAMPLES))
    drawn = np.zeros((RESAMPLES, base))
    np.add.at(drawn, (np.broadcast_to(np.arange(RESAMPLES), resamples.shape), resamples), 1.0)
    drawn /= base

    def ratio(numerator: FloatArray, variance: FloatArray) -> FloatArray:
        out = np.zeros(np.broadcast_shapes(numerator.shape, variance.shape))
        np.divide(numerator, variance, out=out, where=variance > _EPS)
        return out

    # As SALib: zero when the (re)sampled outputs are constant, or their variance is ~0.
    variance = np.var(np.concatenate([a, b]), axis=0)
    constant = np.ptp(np.concatenate([a, b]), axis=0) <= _EPS
    rows = drawn.sum(axis=0) > 0
    varies = np.ptp(np.concatenate([a[rows], b[rows]]), axis=0) != 0
    mean_r = (drawn @ a + drawn @ b) / 2
    variance_r = (drawn @ (a * a) + drawn @ (b * b)) / 2 - mean_r**2
    z = NormalDist().inv_cdf(0.5 + CONFIDENCE / 2)
    shape = (values.shape[1], dimension)
    first, first_conf, total, total_conf = (np.zeros(shape) for _ in range(4))
    for j in range(dimension):
        ab = standard[j + 1 :: step]
        first_terms, total_terms = b * (ab - a), 0.5 * (a - ab) ** 2
        first[:, j] = np.where(constant, 0.0, ratio(np.mean(first_terms, axis=0), variance))
        total[:, j] = np.where(constant, 0.0, ratio(np.mean(total_terms, axis=0), variance))
        first_r = ratio(drawn @ first_terms, variance_r)
        total_r = ratio(drawn @ total_terms, variance_r)
        first_conf[:, j] = np.where(varies, z * first_r.std(axis=0, ddof=1), 0.0)
        total_conf[:, j] = np.where(varies, z * total_r.std(axis=0, ddof=1), 0.0)
    return first, first_conf, total, total_conf


@dataclass(frozen=True, slots=True, eq=False)
class SensitivityResult:
    """Sobol indices of every varied factor on ``R̄s`` and on each country's rank.

    ``countries``: index (``iso3``, ``factor``), columns :data:`INDEX_COLUMNS`, for the
    countries whose rank varies; ``rank_invariant``: the others, in published-rank order.
    """

    year: int
    settings: UncertaintySettings
    base_samples: int
    runs: int
    mean_abs_rank_shift: SobolIndices
    countries: pd.DataFrame | None
    rank_invariant: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        """The JSON of ``egov sensitivity --json``."""
        countries: dict[str, dict[str, dict[str, float]]] = {}
        if self.countries is not None:
            values = self.countries[list(INDEX_COLUMNS)].to_numpy().tolist()
            for (iso3, factor), row in zip(self.countries.index, values, strict=True):
                by_factor = countries.setdefault(str(iso3), {})
                by_factor[str(factor)] = dict(zip(INDEX_COLUMNS, row, strict=True))
        return {
            "edition": self.year,
            "base_samples": self.base_samples,
            "runs": self.runs,
            "seed": self.settings.seed,
            "factors": list(self.settings.factors),
            "assumptions": self.settings.assumptions(),
            "mean_abs_rank_shift": self.mean_abs_rank_shift.as_dict(),
            "countries": countries,
            "rank_invariant": list(self.rank_invariant),
        }


def rank_sensitivity(
    model: EditionModel,
    settings: UncertaintySettings,
    base_samples: int,
    *,
    countries: bool = True,
    on_progress: Progress | None = None,
) -> SensitivityResult:
    r"""Sobol indices of the factors ``settings`` varies, on the ranks of one edition.

    Runs the ``N (d + 2)`` design of :func:`sobol_design` (seed ``settings.seed``;
    ``settings.samples`` is not used) through the same model as
    :func:`~egov.methodology.uncertainty.rank_uncertainty`, then analyses
    :math:`\bar R_s = \frac{1}{M} \sum_c |rank_c - rank_c^{published}|` and, with
    ``countries``, each country's rank (vectorised over countries, equal to one SALib analysis
    each). ``on_progress(done, total)`` counts runs, then the countries' analysis as one step.
    """
    factors = settings.factors
    design = sobol_design(factors, base_samples, seed=settings.seed)
    runs = len(design)
    total = runs + 1

    def simulated(done: int, _runs: int) -> None:
        if on_progress is not None:
            on_progress(done, total)

    ranks = simulated_ranks(model, settings, design, on_progress=simulated)
    shift = np.abs(ranks - model.published_rank).mean(axis=1)
    # SALib reads a seed of 0 as none: the bootstrap takes the next integer.
    overall = sobol_indices(factors, shift, seed=settings.seed + 1)
    per_country: pd.DataFrame | None = None
    invariant: tuple[str, ...] = ()
    if countries:
        moves = np.ptp(ranks, axis=0) > 0
        invariant = tuple(iso3 for iso3, moved in zip(model.iso3, moves, strict=True) if not moved)
        if moves.any():
            indices = _indices_by_column(
                factors, ranks[:, moves].astype(np.float64), seed=settings.seed + 1
            )
            moving = [iso3 for iso3, moved in zip(model.iso3, moves, strict=True) if moved]
            per_country = pd.DataFrame(
                {name: block.ravel() for name, block in zip(INDEX_COLUMNS, indices, strict=True)},
                index=pd.MultiIndex.from_product([moving, factors], names=["iso3", "factor"]),
            )
        if on_progress is not None:
            on_progress(total, total)
    return SensitivityResult(
        year=model.year,
        settings=settings,
        base_samples=base_samples,
        runs=runs,
        mean_abs_rank_shift=overall,
        countries=per_country,
        rank_invariant=tuple(invariant),
    )
