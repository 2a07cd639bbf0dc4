r"""Rank uncertainty: how much an edition's ranks depend on the choices behind EGDI.

Monte Carlo over the published-mode factors of ``shared/spec/uncertainty.md`` §2 (tags [P]
are that spec's proposals, implemented here):

==  ==============  ==========================  ==========================================
id  factor          nominal                     alternatives
==  ==============  ==========================  ==========================================
X1  ``w_osi``       the edition's weight        ``w·(1+u)``, ``u ~ U(−f, f)``, renormalised
X2  ``w_tii``       the edition's weight        same (``f`` = ``noise_factor``, default 0.25)
X3  ``w_hci``       the edition's weight        same
X4  normalisation   published min-max (N0)      N0, N1 z-score, N2 percentile rank
X5  aggregation     the edition's (arithmetic)  arithmetic, geometric (equiprobable)
X6  noise           none                        one of R pre-drawn copies
                                                ``clip(C + ε, 0, 1)``, ``ε ~ N(0, σ_K)``
==  ==============  ==========================  ==========================================

Rules followed (spec §2): the geometric mean is ``G = (exp(Σ w ln(1 + 99 C)) − 1) / 99`` (rule
2; it keeps 0 → 0 and 1 → 1, and every edition has a 0 in each component); z-scores are
negative, so N1 runs take the geometric mean of their min-max rescaling. Runs on the published
scale (N0) add each country's residual ``EGDI_published − f(C; θ0)`` so that the nominal run
reproduces the published EGDI, hence the published ranks, exactly (rule 4), and only they
count towards group and rating-class probabilities (rule 3). Ranks are competition ranks
(rule 5) over the assessed countries (:mod:`egov.methodology.status`); scores that are exactly
equal keep the published order where the published ranks differ (2020 ranked unrounded values,
methodology spec §9 rule R2) and share a rank where they do not.

Everything is vectorised over runs and countries and processed in chunks of at most
:data:`MAX_CHUNK_ROWS` rows; rank distributions are kept as counts (countries × ranks), so
memory does not grow with the number of samples. Randomness comes from one seed: one stream
draws the noisy copies, another the samples; chunking never changes a result.

Source: Saisana, Saltelli & Tarantola (2005), *Uncertainty and sensitivity analysis techniques
as tools for the quality assessment of composite indicators*, JRSS A 168(2),
doi:10.1111/j.1467-985X.2005.00350.x; OECD & JRC (2008), *Handbook on Constructing Composite
Indicators*, step 7.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.stats import rankdata  # type: ignore[import-untyped]

from egov.errors import MethodologyError
from egov.methodology.classes import GROUP_LOWER_BOUNDS, RATING_CLASSES
from egov.methodology.editions import COMPONENTS, ComponentWeights, EditionMethod
from egov.methodology.normalise import FloatArray, min_max, z_score
from egov.methodology.status import ASSESSED, country_status

IntArray = npt.NDArray[np.int64]
Progress = Callable[[int, int], None]

#: The published-mode factors, in the column order of every unit sample (spec §2, X1-X6).
FACTORS: Final = ("w_osi", "w_tii", "w_hci", "normalisation", "aggregation", "noise")
#: X4: N0 (the published components), N1, N2.
NORMALISATIONS: Final = ("published", "z_score", "percentile_rank")
#: X5, by the names of :data:`egov.methodology.AGGREGATORS`.
AGGREGATIONS: Final = ("arithmetic_mean", "geometric_mean")
#: σ of the component noise (OSI, TII, HCI), spec §2 X6.
NOISE_SIGMAS: Final = (0.02, 0.01, 0.01)
#: The largest chunk of runs scored and ranked at once.
MAX_CHUNK_ROWS: Final = 2000
#: Groups from the lowest (index 0) to the highest, the order of :func:`_group_index`.
GROUPS_ASCENDING: Final[tuple[str, ...]] = tuple(reversed(list(GROUP_LOWER_BOUNDS)))
#: The 16 rating classes, lowest first: ``class index = 4 · group index + quarter − 1``.
CLASSES_ASCENDING: Final = tuple(
    code for group in GROUPS_ASCENDING for code in RATING_CLASSES[group]
)
#: Country columns of :attr:`UncertaintyResult.countries`.
COUNTRY_COLUMNS: Final = (
    "name",
    "published_rank",
    "mean_rank",
    "median_rank",
    "rank_p5",
    "rank_p95",
    "top10_probability",
    "mean_abs_rank_shift",
)
_GEOMETRIC_SCALE: Final = 99.0
_TOP: Final = 10


@dataclass(frozen=True, slots=True)
class UncertaintySettings:
    """Which assumptions vary, how much, how many runs, which seed: one cacheable value.

    ``noise_factor`` is the weight perturbation ``f`` (0 to 0.5); ``sigmas`` the component noise
    of OSI, TII, HCI; ``noisy_copies`` the R copies X6 chooses among. :attr:`key` names the
    result for a cache.

    >>> UncertaintySettings(samples=500, seed=7).factors
    ('w_osi', 'w_tii', 'w_hci', 'normalisation', 'aggregation', 'noise')
    >>> UncertaintySettings(normalisation=False, noise=False).factors
    ('w_osi', 'w_tii', 'w_hci', 'aggregation')
    """

    samples: int = 1000
    seed: int = 0
    weights: bool = True
    noise_factor: float = 0.25
    normalisation: bool = True
    aggregation: bool = True
    noise: bool = True
    sigmas: tuple[float, float, float] = NOISE_SIGMAS
    noisy_copies: int = 100

    def __post_init__(self) -> None:
        if self.samples < 1:
            raise MethodologyError(f"samples must be at least 1, not {self.samples}")
        if not 0.0 <= self.noise_factor <= 0.5:
            raise MethodologyError(f"noise factor must lie in [0, 0.5], not {self.noise_factor}")
        if len(self.sigmas) != len(COMPONENTS) or min(self.sigmas) < 0:
            raise MethodologyError("give three non-negative noise sigmas (OSI, TII, HCI)")
        if self.noisy_copies < 1:
            raise MethodologyError(f"noisy copies must be at least 1, not {self.noisy_copies}")
        if self.seed < 0:
            raise MethodologyError(f"the seed must be non-negative, not {self.seed}")

    @property
    def factors(self) -> tuple[str, ...]:
        """The factors that vary, in :data:`FACTORS` order."""
        switched = {
            "w_osi": self.weights,
            "w_tii": self.weights,
            "w_hci": self.weights,
            "normalisation": self.normalisation,
            "aggregation": self.aggregation,
            "noise": self.noise,
        }
        return tuple(name for name in FACTORS if switched[name])

    @property
    def key(self) -> str:
        """A stable text naming these settings (the same on every machine and run).

        >>> UncertaintySettings(samples=100, seed=1).key
        'uncertainty-v1-842d763d39a10117'
        """
        text = repr(
            (
                self.samples,
                self.seed,
                self.weights,
                float(self.noise_factor),
                self.normalisation,
                self.aggregation,
                self.noise,
                tuple(float(sigma) for sigma in self.sigmas),
                self.noisy_copies,
            )
        )
        return "uncertainty-v1-" + hashlib.sha256(text.encode()).hexdigest()[:16]

    def assumptions(self) -> dict[str, object]:
        """The assumptions as a JSON-ready mapping (what the CLI and API print)."""
        return {
            "weights": {
                "varied": self.weights,
                "noise_factor": self.noise_factor,
                "rule": "w_k(1+u_k), u_k ~ U(-f, f), renormalised to sum 1",
            },
            "normalisation": {
                "varied": self.normalisation,
                "alternatives": list(NORMALISATIONS if self.normalisation else NORMALISATIONS[:1]),
            },
            "aggregation": {
                "varied": self.aggregation,
                "alternatives": list(AGGREGATIONS) if self.aggregation else ["edition's"],
            },
            "noise": {
                "varied": self.noise,
                "sigmas": dict(zip(COMPONENTS, self.sigmas, strict=True)),
                "copies": self.noisy_copies,
            },
        }


@dataclass(frozen=True, slots=True, eq=False)
class EditionModel:
    """One edition's assessed countries as arrays, in published-rank order: what every run uses.

    Built once per edition by :func:`edition_model` (cache it with the edition). ``weights``
    and ``aggregation`` are the edition's nominal choices (``aggregation`` indexes
    :data:`AGGREGATIONS`).
    """

    year: int
    iso3: tuple[str, ...]
    names: tuple[str, ...]
    components: FloatArray
    published_egdi: FloatArray
    published_rank: IntArray
    weights: FloatArray
    aggregation: int
    rating_class_method: str
    quantile_method: str
    tie_side: str

    @property
    def countries(self) -> int:
        return len(self.iso3)


def edition_model(frame: pd.DataFrame, method: EditionMethod) -> EditionModel:
    """The arrays of one edition's assessed countries, ordered by published rank then ISO3.

    ``frame`` is shaped like :attr:`egov.data.tables.EditionTable.frame` (index ISO3, ``rank
    egdi osi tii hci``, optionally ``name``). Not-assessed countries and non-members are left
    out: they have no rank to be uncertain about.

    >>> from egov.methodology.editions import EQUAL_THIRDS, ComponentMethod
    >>> part = ComponentMethod(indicators=("x",), weights=(1.0,), published_only=True)
    >>> method = EditionMethod(2024, "t", "EGDI", EQUAL_THIRDS, part, part)
    >>> frame = pd.DataFrame(
    ...     {"rank": pd.array([2, 1, 3], dtype="Int64"), "egdi": [0.6, 0.9, 0.0],
    ...      "osi": [0.6, 0.9, 0.0], "tii": [0.5, 0.9, 0.2], "hci": [0.7, 0.9, 0.8]},
    ...     index=["B", "A", "C"])
    >>> edition_model(frame, method).iso3
    ('A', 'B')
    """
    chosen = frame[country_status(frame).eq(ASSESSED).to_numpy()]
    ordered = chosen.assign(_iso3=chosen.index).sort_values(["rank", "_iso3"], kind="stable")
    components = ordered.loc[:, list(COMPONENTS)].to_numpy(dtype=np.float64, na_value=np.nan)
    published = ordered["egdi"].to_numpy(dtype=np.float64, na_value=np.nan)
    if len(ordered) < 2:
        raise MethodologyError(f"{method.year}: fewer than two assessed countries to rank")
    if not (np.isfinite(components).all() and np.isfinite(published).all()):
        raise MethodologyError(f"{method.year}: an assessed country lacks a component or EGDI")
    if "name" in ordered:
        names = tuple(str(name).strip() for name in ordered["name"])
    else:
        names = tuple(map(str, ordered.index))
    return EditionModel(
        year=method.year,
        iso3=tuple(map(str, ordered.index)),
        names=names,
        components=components,
        published_egdi=published,
        published_rank=ordered["rank"].to_numpy(dtype=np.int64),
        weights=method.egdi_weights.as_array(),
        aggregation=AGGREGATIONS.index(method.egdi_aggregator),
        rating_class_method=method.rating_class_method,
        quantile_method=method.quantile_method,
        tie_side=method.tie_side,
    )


# --- the alternatives of X4 and X6, prepared once per (edition, settings) -------------------


def percentile_rank(x: FloatArray) -> FloatArray:
    r"""Percentile rank of each value in its column: the share of the others it exceeds.

    .. math:: y_i = \frac{\operatorname{rank}_{\min}(x_i) - 1}{n - 1}

    N2 of the uncertainty spec (COINr ``n_prank``); ties share the lower rank.

    >>> percentile_rank(np.array([[0.2], [0.9], [0.2], [0.5]])).ravel().tolist()
    [0.0, 1.0, 0.0, 0.6666666666666666]
    """
    values = np.asarray(x, dtype=np.float64)
    ranks = rankdata(values, method="min", axis=0)
    shares: FloatArray = (ranks - 1.0) / (values.shape[0] - 1)
    return shares


@dataclass(frozen=True, slots=True)
class _Tables:
    """Every (copy, normalisation) variant of the components, as ``(variant, 3, M)``.

    Variant ``3·copy + normalisation``; copy 0 is the published data, 1..R the noisy copies.
    ``linear`` feeds the arithmetic mean, ``logs`` (``ln(1 + 99 C)`` of a non-negative form)
    the geometric mean. ``nominal`` is ``f(C; θ0)`` per country.
    """

    linear: FloatArray
    logs: FloatArray
    nominal: FloatArray


def _noisy_copies(model: EditionModel, settings: UncertaintySettings) -> FloatArray:
    """``(R + 1, M, 3)``: the published components, then R noisy copies (none when noise is
    off)."""
    if not settings.noise:
        return model.components[np.newaxis]
    generator = np.random.default_rng(np.random.SeedSequence(settings.seed).spawn(2)[0])
    shape = (settings.noisy_copies, *model.components.shape)
    epsilon = generator.standard_normal(shape) * np.asarray(settings.sigmas)
    upper = np.maximum(1.0, model.components.max(axis=0))  # 2003-2005 HCI exceeds 1
    noisy = np.clip(model.components + epsilon, 0.0, upper)
    return np.concatenate([model.components[np.newaxis], noisy])


def _tables(model: EditionModel, settings: UncertaintySettings) -> _Tables:
    copies = _noisy_copies(model, settings)
    count, countries, parts = copies.shape
    # Countries down the rows, every (copy, component) a column: the core's normalisers work
    # column by column.
    columns = copies.transpose(1, 0, 2).reshape(countries, count * parts)
    zscores = z_score(columns)
    linear_forms = (columns, zscores, percentile_rank(columns))
    positive_forms = (columns, min_max(zscores), linear_forms[2])

    def variants(forms: tuple[FloatArray, ...]) -> FloatArray:
        stacked = np.stack([form.reshape(countries, count, parts) for form in forms], axis=2)
        # (M, copy, normalisation, 3) → (copy · normalisation, 3, M)
        return np.ascontiguousarray(stacked.transpose(1, 2, 3, 0).reshape(-1, parts, countries))

    linear = variants(linear_forms)
    logs = variants(tuple(np.log1p(_GEOMETRIC_SCALE * form) for form in positive_forms))
    tables = _Tables(linear, logs, np.zeros(countries))
    nominal = _Draws.nominal(model, 1)
    return _Tables(linear, logs, _raw_scores(tables, nominal)[0])


# --- runs: unit samples → factor values → scores → ranks ------------------------------------


@dataclass(frozen=True, slots=True)
class _Draws:
    """Factor values of a block of runs: weights ``(n, 3)`` and three index vectors."""

    weights: FloatArray
    normalisation: IntArray
    aggregation: IntArray
    copy: IntArray

    @staticmethod
    def nominal(model: EditionModel, runs: int) -> _Draws:
        return _Draws(
            _renormalised(np.tile(model.weights, (runs, 1))),
            np.zeros(runs, dtype=np.int64),
            np.full(runs, model.aggregation, dtype=np.int64),
            np.zeros(runs, dtype=np.int64),
        )


def _renormalised(weights: FloatArray) -> FloatArray:
    # Sums written out: the same rounding for one row or thousands, so the nominal weights
    # of a run are bit for bit those of θ0.
    total = weights[:, 0] + weights[:, 1] + weights[:, 2]
    result: FloatArray = weights / total[:, np.newaxis]
    return result


def _discrete(unit: FloatArray, alternatives: int) -> IntArray:
    """U(0,1) → ``min(k − 1, floor(u·k))`` (spec §6, COINr-compatible)."""
    return np.minimum(alternatives - 1, np.floor(unit * alternatives)).astype(np.int64)


def _draws(model: EditionModel, settings: UncertaintySettings, unit: FloatArray) -> _Draws:
    """Map unit samples (one column per factor of ``settings.factors``) to factor values."""
    runs = unit.shape[0]
    column = {name: unit[:, index] for index, name in enumerate(settings.factors)}
    draws = _Draws.nominal(model, runs)
    weights, normalisation, aggregation, copy = (
        draws.weights,
        draws.normalisation,
        draws.aggregation,
        draws.copy,
    )
    if settings.weights:
        spread = np.column_stack([column[name] for name in FACTORS[:3]])
        noise = settings.noise_factor * (2.0 * spread - 1.0)
        weights = _renormalised(model.weights * (1.0 + noise))
    if settings.normalisation:
        normalisation = _discrete(column["normalisation"], len(NORMALISATIONS))
    if settings.aggregation:
        aggregation = _discrete(column["aggregation"], len(AGGREGATIONS))
    if settings.noise:
        copy = 1 + _discrete(column["noise"], settings.noisy_copies)
    return _Draws(weights, normalisation, aggregation, copy)


def _weighted(forms: FloatArray, weights: FloatArray) -> FloatArray:
    # Written out rather than a matrix product: BLAS may round differently by block, and the
    # nominal run must equal θ0 bit for bit.
    total: FloatArray = (
        forms[:, 0] * weights[:, 0:1]
        + forms[:, 1] * weights[:, 1:2]
        + forms[:, 2] * weights[:, 2:3]
    )
    return total


def _raw_scores(tables: _Tables, draws: _Draws) -> FloatArray:
    """``f(C; θ)`` for every run (rows) and country (columns), without the residual."""
    variant = 3 * draws.copy + draws.normalisation
    scores = np.empty((len(variant), tables.linear.shape[2]))
    arithmetic = draws.aggregation == 0
    if arithmetic.any():
        scores[arithmetic] = _weighted(
            tables.linear[variant[arithmetic]], draws.weights[arithmetic]
        )
    geometric = ~arithmetic
    if geometric.any():
        logs = _weighted(tables.logs[variant[geometric]], draws.weights[geometric])
        scores[geometric] = np.expm1(logs) / _GEOMETRIC_SCALE
    return scores


def _scores(model: EditionModel, tables: _Tables, draws: _Draws) -> FloatArray:
    """Scores of every run; N0 runs on the published EGDI scale (rule 4)."""
    scores = _raw_scores(tables, draws)
    published = draws.normalisation == 0
    # EGDI_published + (f(θ) − f(θ0)): exactly the published EGDI when θ = θ0.
    scores[published] = model.published_egdi + (scores[published] - tables.nominal)
    return scores


def ranks_by_run(scores: FloatArray, published_rank: IntArray) -> IntArray:
    r"""Competition ranks of each row of ``scores`` (highest first), countries in columns.

    .. math:: rank_c = 1 + \#\{d : s_d > s_c\} + \#\{d : s_d = s_c,\ p_d < p_c\}

    ``published_rank`` (``p``, one per column, non-decreasing) breaks exact ties where the
    published ranks differ (2020, rule R2); equal scores with equal published ranks share a
    rank, so the nominal run gives the published ranks. Rows without ties take the fast path
    (one argsort); rows with ties are sorted stably (spec §7 step 5).

    >>> ranks_by_run(np.array([[0.9, 0.5, 0.5], [0.5, 0.9, 0.5]]), np.array([1, 2, 2]))
    array([[1, 2, 2],
           [2, 1, 3]])
    """
    keys = -np.asarray(scores, dtype=np.float64)
    runs, countries = keys.shape
    order = np.argsort(keys, axis=1)
    ordered = np.take_along_axis(keys, order, axis=1)
    ranks = np.empty((runs, countries), dtype=np.int64)
    positions = np.broadcast_to(np.arange(1, countries + 1), (runs, countries))
    np.put_along_axis(ranks, order, positions, axis=1)
    tied = (ordered[:, 1:] == ordered[:, :-1]).any(axis=1)
    if tied.any():
        tied_keys = keys[tied]
        tied_order = np.argsort(tied_keys, axis=1, kind="stable")
        tied_sorted = np.take_along_axis(tied_keys, tied_order, axis=1)
        published = published_rank[tied_order]
        starts = np.ones(tied_sorted.shape, dtype=bool)
        starts[:, 1:] = (tied_sorted[:, 1:] != tied_sorted[:, :-1]) | (
            published[:, 1:] != published[:, :-1]
        )
        first = np.where(starts, np.arange(countries), 0)
        np.maximum.accumulate(first, axis=1, out=first)
        tied_ranks = np.empty_like(first)
        np.put_along_axis(tied_ranks, tied_order, first + 1, axis=1)
        ranks[tied] = tied_ranks
    return ranks


def _group_index(scores: FloatArray) -> IntArray:
    """0 = L … 3 = V for each score, with the bounds of :data:`GROUP_LOWER_BOUNDS`."""
    index = np.zeros(scores.shape, dtype=np.int64)
    for bound in list(GROUP_LOWER_BOUNDS.values())[:-1]:
        index += scores >= bound
    return index


def _class_index(model: EditionModel, scores: FloatArray, groups: IntArray) -> IntArray | None:
    """Rating class (0 = L1 … 15 = VH) of each score of each run, or None when the edition's
    method cannot be vectorised (only ``count_quartile`` with ``linear`` quantiles and
    ``equal_width`` are)."""
    lows = np.array(list(GROUP_LOWER_BOUNDS.values())[::-1])
    if model.rating_class_method == "equal_width":
        cuts = lows[:, np.newaxis] + 0.0625 * np.arange(1.0, 4.0)
        per_value = cuts[groups]
    elif model.rating_class_method == "count_quartile" and model.quantile_method == "linear":
        ascending = np.sort(scores, axis=1)
        runs = np.arange(len(scores))[:, np.newaxis]
        below = np.stack([(scores < bound).sum(axis=1) for bound in lows[1:]], axis=1)
        starts = np.column_stack([np.zeros(len(scores), dtype=np.int64), below])
        ends = np.column_stack([below, np.full(len(scores), scores.shape[1])])
        group_cuts = []
        for group in range(len(lows)):
            size = ends[:, group] - starts[:, group]
            h = starts[:, group, np.newaxis] + np.maximum(size - 1, 0)[:, np.newaxis] * np.array(
                [0.25, 0.5, 0.75]
            )
            low = np.minimum(np.floor(h).astype(np.int64), scores.shape[1] - 1)
            high = np.minimum(low + 1, np.maximum(ends[:, group, np.newaxis] - 1, 0))
            high = np.maximum(high, low)
            at_low, at_high = ascending[runs, low], ascending[runs, high]
            group_cuts.append(at_low + (h - low) * (at_high - at_low))
        cuts_by_run = np.stack(group_cuts, axis=1)  # (runs, group, 3)
        per_value = np.take_along_axis(cuts_by_run, groups[:, :, np.newaxis], axis=1)
    else:
        return None
    above = (
        scores[..., np.newaxis] > per_value
        if model.tie_side == "lower"
        else scores[..., np.newaxis] >= per_value
    )
    quarters: IntArray = above.sum(axis=2)
    return 4 * groups + quarters


def unit_samples(settings: UncertaintySettings) -> FloatArray:
    """The ``(samples, factors)`` U(0,1) design of a Monte Carlo run (its own seed stream)."""
    generator = np.random.default_rng(np.random.SeedSequence(settings.seed).spawn(2)[1])
    samples: FloatArray = generator.random((settings.samples, len(settings.factors)))
    return samples


@dataclass(frozen=True, slots=True)
class _Chunk:
    rows: slice
    ranks: IntArray
    scores: FloatArray
    published: npt.NDArray[np.bool_]


def _chunks(
    model: EditionModel,
    settings: UncertaintySettings,
    unit: FloatArray,
    chunk_rows: int,
    on_progress: Progress | None,
) -> Iterator[_Chunk]:
    if not 1 <= chunk_rows <= MAX_CHUNK_ROWS:
        raise MethodologyError(f"chunk rows must lie in 1..{MAX_CHUNK_ROWS}, not {chunk_rows}")
    if unit.ndim != 2 or unit.shape[1] != len(settings.factors):
        raise MethodologyError(
            f"unit samples {unit.shape} do not fit the {len(settings.factors)} varied factors"
        )
    tables = _tables(model, settings)
    total = unit.shape[0]
    for start in range(0, total, chunk_rows):
        rows = slice(start, min(start + chunk_rows, total))
        draws = _draws(model, settings, unit[rows])
        scores = _scores(model, tables, draws)
        ranks = ranks_by_run(scores, model.published_rank)
        yield _Chunk(rows, ranks, scores, draws.normalisation == 0)
        if on_progress is not None:
            on_progress(rows.stop, total)


def simulated_ranks(
    model: EditionModel,
    settings: UncertaintySettings,
    unit: FloatArray,
    *,
    chunk_rows: int = MAX_CHUNK_ROWS,
    on_progress: Progress | None = None,
) -> IntArray:
    """The rank of every country (columns, model order) in every run of ``unit`` (rows).

    ``unit`` holds U(0,1) values, one column per factor in ``settings.factors`` (a Sobol
    design, or :func:`unit_samples`). The whole ``(runs, countries)`` matrix is returned:
    use :func:`rank_uncertainty` for bounded memory.
    """
    ranks = np.empty((unit.shape[0], model.countries), dtype=np.int64)
    for chunk in _chunks(model, settings, unit, chunk_rows, on_progress):
        ranks[chunk.rows] = chunk.ranks
    return ranks


# --- statistics -----------------------------------------------------------------------------


def _quantiles_from_counts(counts: IntArray, q: float) -> FloatArray:
    """Quantile ``q`` of each row's distribution of ranks 1..K given as counts, with linear
    interpolation (numpy's default, R type 7)."""
    cumulative = counts.cumsum(axis=1)
    total = cumulative[:, -1]
    h = (total - 1) * q
    low = np.floor(h).astype(np.int64)
    high = np.minimum(low + 1, total - 1)
    at_low = 1 + (cumulative <= low[:, np.newaxis]).sum(axis=1)
    at_high = 1 + (cumulative <= high[:, np.newaxis]).sum(axis=1)
    values: FloatArray = at_low + (h - low) * (at_high - at_low)
    return values


@dataclass(frozen=True, slots=True, eq=False)
class UncertaintyResult:
    """What a Monte Carlo run tells about each rank (spec §3).

    ``countries``: index ISO3 (published-rank order), :data:`COUNTRY_COLUMNS`.
    ``group_probabilities``: columns V H M L, over the runs on the published scale
    (``published_scale_runs`` of ``settings.samples``; NaN when there are none).
    ``class_probabilities``: the 16 rating classes, or None when the edition's method is not
    vectorised. ``run_shift``: the mean absolute rank shift of each run (``R̄s``).
    """

    year: int
    settings: UncertaintySettings
    countries: pd.DataFrame
    group_probabilities: pd.DataFrame
    class_probabilities: pd.DataFrame | None
    run_shift: FloatArray
    published_scale_runs: int
    rank_counts: IntArray = field(repr=False)

    @property
    def mean_abs_rank_shift(self) -> tuple[float, float, float]:
        """The global mean absolute rank shift: mean, 5th and 95th percentile over runs."""
        p5, p95 = np.quantile(self.run_shift, [0.05, 0.95])
        return float(self.run_shift.mean()), float(p5), float(p95)

    @property
    def published_scale_share(self) -> float:
        """The share of runs group and class probabilities are computed over (rule 3)."""
        return self.published_scale_runs / self.settings.samples

    def as_dict(self) -> dict[str, object]:
        """The JSON of ``egov uncertainty --json`` and of the API: ``edition samples seed
        assumptions countries``."""
        mean, p5, p95 = self.mean_abs_rank_shift
        assumptions = {
            **self.settings.assumptions(),
            "group_probabilities_over": {
                "normalisation": NORMALISATIONS[0],
                "share_of_runs": self.published_scale_share,
            },
            "mean_abs_rank_shift": {"mean": mean, "p5": p5, "p95": p95},
        }
        groups = self.group_probabilities[list(GROUP_LOWER_BOUNDS)].to_numpy()
        rows = []
        for position, (iso3, row) in enumerate(self.countries.iterrows()):
            probabilities = (
                None
                if self.published_scale_runs == 0
                else dict(zip(GROUP_LOWER_BOUNDS, groups[position].tolist(), strict=True))
            )
            rows.append(
                {
                    "iso3": iso3,
                    "name": row["name"],
                    "published_rank": int(row["published_rank"]),
                    "median_rank": float(row["median_rank"]),
                    "rank_p5": float(row["rank_p5"]),
                    "rank_p95": float(row["rank_p95"]),
                    "group_probabilities": probabilities,
                    "top10_probability": float(row["top10_probability"]),
                    "mean_abs_rank_shift": float(row["mean_abs_rank_shift"]),
                }
            )
        return {
            "edition": self.year,
            "samples": self.settings.samples,
            "seed": self.settings.seed,
            "assumptions": assumptions,
            "countries": rows,
        }


def rank_uncertainty(
    model: EditionModel,
    settings: UncertaintySettings,
    *,
    chunk_rows: int = MAX_CHUNK_ROWS,
    on_progress: Progress | None = None,
) -> UncertaintyResult:
    r"""Monte Carlo uncertainty of every assessed country's rank under ``settings``.

    Per country: published rank, mean and median rank, 5th and 95th percentiles (linear
    interpolation), P(group), P(rating class), P(rank ≤ 10) and the mean absolute rank shift
    :math:`\frac{1}{N}\sum_n |rank_{cn} - rank_c^{published}|`; per run
    :math:`\bar R_s = \frac{1}{M}\sum_c |rank_{cn} - rank_c^{published}|`. Memory is bounded by
    ``chunk_rows`` (≤ :data:`MAX_CHUNK_ROWS`), whatever ``settings.samples``; results do not
    depend on it. ``on_progress(done, total)`` is called after each chunk.

    With every factor off the runs are the published ranks:

    >>> from egov.methodology.editions import EQUAL_THIRDS, ComponentMethod
    >>> part = ComponentMethod(indicators=("x",), weights=(1.0,), published_only=True)
    >>> method = EditionMethod(2024, "t", "EGDI", EQUAL_THIRDS, part, part)
    >>> frame = pd.DataFrame(
    ...     {"rank": pd.array([1, 2, 3], dtype="Int64"), "egdi": [0.9, 0.6, 0.2],
    ...      "osi": [0.9, 0.6, 0.3], "tii": [0.9, 0.5, 0.1], "hci": [0.9, 0.7, 0.2]},
    ...     index=["A", "B", "C"])
    >>> fixed = UncertaintySettings(samples=20, weights=False, normalisation=False,
    ...                             aggregation=False, noise=False)
    >>> result = rank_uncertainty(edition_model(frame, method), fixed)
    >>> result.countries[["published_rank", "rank_p5", "rank_p95"]].values.tolist()
    [[1.0, 1.0, 1.0], [2.0, 2.0, 2.0], [3.0, 3.0, 3.0]]
    """
    countries = model.countries
    unit = unit_samples(settings)
    counts = np.zeros(countries * countries, dtype=np.int64)
    group_counts = np.zeros(countries * len(GROUPS_ASCENDING), dtype=np.int64)
    class_counts: IntArray | None = np.zeros(countries * len(CLASSES_ASCENDING), dtype=np.int64)
    rank_sum = np.zeros(countries, dtype=np.int64)
    shift_sum = np.zeros(countries, dtype=np.int64)
    top = np.zeros(countries, dtype=np.int64)
    run_shift = np.empty(settings.samples)
    published_runs = 0
    column = np.arange(countries)
    for chunk in _chunks(model, settings, unit, chunk_rows, on_progress):
        ranks = chunk.ranks
        counts += np.bincount((column * countries + ranks - 1).ravel(), minlength=countries**2)
        rank_sum += ranks.sum(axis=0)
        shift = np.abs(ranks - model.published_rank)
        shift_sum += shift.sum(axis=0)
        run_shift[chunk.rows] = shift.mean(axis=1)
        top += (ranks <= _TOP).sum(axis=0)
        if chunk.published.any():
            scores = chunk.scores[chunk.published]
            published_runs += len(scores)
            groups = _group_index(scores)
            group_counts += np.bincount(
                (column * len(GROUPS_ASCENDING) + groups).ravel(),
                minlength=group_counts.size,
            )
            if class_counts is not None:
                classes = _class_index(model, scores, groups)
                if classes is None:
                    class_counts = None
                else:
                    class_counts += np.bincount(
                        (column * len(CLASSES_ASCENDING) + classes).ravel(),
                        minlength=class_counts.size,
                    )
    return _result(
        model,
        settings,
        counts.reshape(countries, countries),
        group_counts.reshape(countries, -1),
        None if class_counts is None else class_counts.reshape(countries, -1),
        (rank_sum, shift_sum, top),
        run_shift,
        published_runs,
    )


def _result(
    model: EditionModel,
    settings: UncertaintySettings,
    counts: IntArray,
    group_counts: IntArray,
    class_counts: IntArray | None,
    sums: tuple[IntArray, IntArray, IntArray],
    run_shift: FloatArray,
    published_runs: int,
) -> UncertaintyResult:
    samples = settings.samples
    rank_sum, shift_sum, top = sums
    index = pd.Index(model.iso3, name="iso3")
    countries = pd.DataFrame(
        {
            "name": model.names,
            "published_rank": model.published_rank,
            "mean_rank": rank_sum / samples,
            "median_rank": _quantiles_from_counts(counts, 0.5),
            "rank_p5": _quantiles_from_counts(counts, 0.05),
            "rank_p95": _quantiles_from_counts(counts, 0.95),
            "top10_probability": top / samples,
            "mean_abs_rank_shift": shift_sum / samples,
        },
        index=index,
    )
    denominator = published_runs if published_runs else np.nan
    groups = pd.DataFrame(
        group_counts[:, ::-1] / denominator, index=index, columns=list(GROUP_LOWER_BOUNDS)
    )
    classes = (
        None
        if class_counts is None
        else pd.DataFrame(
            class_counts[:, ::-1] / denominator,
            index=index,
            columns=list(reversed(CLASSES_ASCENDING)),
        )
    )
    return UncertaintyResult(
        year=model.year,
        settings=settings,
        countries=countries,
        group_probabilities=groups,
        class_probabilities=classes,
        run_shift=run_shift,
        published_scale_runs=published_runs,
        rank_counts=counts,
    )


# --- what-if: one deterministic re-ranking --------------------------------------------------


def what_if(
    model: EditionModel,
    weights: ComponentWeights,
    *,
    aggregation: str = "arithmetic_mean",
) -> pd.DataFrame:
    """The edition re-ranked with other component weights (and aggregation): one run.

    On the published scale with the residual (rule 4), so the edition's own weights give the
    published EGDI and ranks exactly. Columns: ``name published_rank egdi rank rank_change
    group``; ``rank_change`` is published minus new (positive: the country moves up). About a
    millisecond for 193 countries: fit for a page that re-ranks on every slider move.

    >>> from egov.methodology.editions import EQUAL_THIRDS, ComponentMethod
    >>> part = ComponentMethod(indicators=("x",), weights=(1.0,), published_only=True)
    >>> method = EditionMethod(2024, "t", "EGDI", EQUAL_THIRDS, part, part)
    >>> frame = pd.DataFrame(
    ...     {"rank": pd.array([1, 2], dtype="Int64"), "egdi": [0.7, 0.6],
    ...      "osi": [0.9, 0.3], "tii": [0.9, 0.8], "hci": [0.3, 0.7]}, index=["A", "B"])
    >>> model = edition_model(frame, method)
    >>> what_if(model, ComponentWeights(0.0, 0.0, 1.0))[["rank", "rank_change"]].values.tolist()
    [[2, -1], [1, 1]]
    """
    vector = weights.as_array()
    if np.any(vector < 0) or not vector.sum() > 0:
        raise MethodologyError("weights must be non-negative with a positive sum")
    if aggregation not in AGGREGATIONS:
        raise MethodologyError(
            f"unknown aggregation {aggregation!r}; known: {', '.join(AGGREGATIONS)}"
        )
    settings = UncertaintySettings(
        samples=1, weights=False, normalisation=False, aggregation=False, noise=False
    )
    draws = _Draws(
        _renormalised(vector[np.newaxis]),
        np.zeros(1, dtype=np.int64),
        np.array([AGGREGATIONS.index(aggregation)]),
        np.zeros(1, dtype=np.int64),
    )
    scores = _scores(model, _tables(model, settings), draws)
    ranks = ranks_by_run(scores, model.published_rank)[0]
    groups = np.array(GROUPS_ASCENDING)[_group_index(scores[0])]
    return pd.DataFrame(
        {
            "name": model.names,
            "published_rank": model.published_rank,
            "egdi": scores[0],
            "rank": ranks,
            "rank_change": model.published_rank - ranks,
            "group": groups,
        },
        index=pd.Index(model.iso3, name="iso3"),
    )
