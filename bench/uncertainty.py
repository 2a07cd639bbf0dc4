"""Rank uncertainty of 193 countries × 10,000 runs, vectorised core against a pandas loop.

Run from the repository root::

    .venv/bin/python bench/uncertainty.py [--samples 10000] [--repeats 5] [--edition 2024]

Reads one published edition (``EGOV_DATA_DIR``), then times, in one run:

1. ``egov.methodology.rank_uncertainty`` over every assumption (weights ±25 %, normalisation
   N0/N1/N2, arithmetic/geometric, 100 noisy copies): wall time, the median of ``--repeats``
   runs (``time.perf_counter``), and peak memory traced by ``tracemalloc`` in a separate run;
2. the baseline, a straightforward pandas loop written here: per run, pick the run's copy of
   the components as a DataFrame, normalise it with DataFrame operations, aggregate, rank with
   ``Series.rank(method="min")``; then the same statistics with ``DataFrame.quantile``. Fed
   the same draws (the core's private ``_draws`` and ``_noisy_copies``), it must give the same
   ranks: the bench checks that it does;
3. ``egov.methodology.rank_sensitivity`` with N = 1024 base samples (8,192 runs): Sobol indices
   on the mean absolute rank shift alone, and with every country's rank as well.

Goals: ≤ 0.5 s and ≤ 300 MB for 10,000 runs; Sobol N = 1024 under 5 s.
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from egov.config import data_dir
from egov.data.countries import CountryRegistry
from egov.data.readers import read_paths
from egov.frameworks import load_edition_methods
from egov.methodology import (
    AGGREGATIONS,
    NORMALISATIONS,
    EditionModel,
    UncertaintySettings,
    edition_model,
    rank_sensitivity,
    rank_uncertainty,
    simulated_ranks,
    unit_samples,
)
from egov.methodology.uncertainty import _draws, _noisy_copies
from harness import median_seconds

GOAL_SECONDS = 0.5
GOAL_MB = 300.0
SOBOL_GOAL_SECONDS = 5.0
SOBOL_BASE = 1024


def _peak_mb(step: Callable[[], object]) -> float:
    tracemalloc.start()
    step()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def pandas_loop(model: EditionModel, settings: UncertaintySettings) -> pd.DataFrame:
    """The baseline: one run at a time with DataFrame operations, then the same statistics."""
    columns = ["osi", "tii", "hci"]
    copies = [
        pd.DataFrame(copy, index=list(model.iso3), columns=columns)
        for copy in _noisy_copies(model, settings)
    ]
    draws = _draws(model, settings, unit_samples(settings))
    published = pd.Series(model.published_egdi, index=list(model.iso3))
    nominal = copies[0].mul(model.weights / model.weights.sum(), axis=1).sum(axis=1)
    ranks = {}
    for run in range(settings.samples):
        frame = copies[int(draws.copy[run])]
        normalisation = NORMALISATIONS[int(draws.normalisation[run])]
        if normalisation == "z_score":
            frame = (frame - frame.mean()) / frame.std(ddof=0)
        elif normalisation == "percentile_rank":
            frame = (frame.rank(method="min") - 1) / (len(frame) - 1)
        weights = pd.Series(draws.weights[run], index=columns)
        if AGGREGATIONS[int(draws.aggregation[run])] == "arithmetic_mean":
            score = (frame * weights).sum(axis=1)
        else:
            if normalisation == "z_score":
                frame = (frame - frame.min()) / (frame.max() - frame.min())
            score = np.expm1((np.log1p(99 * frame) * weights).sum(axis=1)) / 99
        if normalisation == "published":
            score = published + (score - nominal)
        ranks[run] = score.rank(method="min", ascending=False)
    table = pd.DataFrame(ranks)
    shift = table.sub(model.published_rank, axis=0).abs()
    return pd.DataFrame(
        {
            "median_rank": table.median(axis=1),
            "rank_p5": table.quantile(0.05, axis=1),
            "rank_p95": table.quantile(0.95, axis=1),
            "top10_probability": (table <= 10).mean(axis=1),
            "mean_abs_rank_shift": shift.mean(axis=1),
        }
    ).assign(ranks=list(table.to_numpy(dtype=np.int64)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--edition", type=int, default=2024)
    arguments = parser.parse_args()

    folder = data_dir()
    path: Path = folder / "egdi" / f"EGOV_DATA_{arguments.edition}.csv"
    (table,) = read_paths([path], registry=CountryRegistry.load(folder))
    model = edition_model(table.frame, load_edition_methods()[arguments.edition])
    settings = UncertaintySettings(samples=arguments.samples, seed=2024)

    rank_uncertainty(model, settings)  # warm up imports and caches
    core = median_seconds(lambda: rank_uncertainty(model, settings), arguments.repeats)
    core_mb = _peak_mb(lambda: rank_uncertainty(model, settings))
    result = rank_uncertainty(model, settings)

    start = time.perf_counter()
    baseline = pandas_loop(model, settings)
    loop = time.perf_counter() - start
    loop_mb = _peak_mb(lambda: pandas_loop(model, replace(settings, samples=1000)))

    ranks = simulated_ranks(model, settings, unit_samples(settings))
    same_ranks = bool((ranks == np.stack(baseline["ranks"].to_list()).T).all())
    columns = ["median_rank", "rank_p5", "rank_p95", "top10_probability", "mean_abs_rank_shift"]
    same_statistics = np.allclose(
        baseline[columns].to_numpy(), result.countries[columns].to_numpy(), rtol=0, atol=1e-9
    )

    sobol_settings = UncertaintySettings(seed=2024)
    shift_only = median_seconds(
        lambda: rank_sensitivity(model, sobol_settings, SOBOL_BASE, countries=False),
        arguments.repeats,
    )
    every_country = median_seconds(
        lambda: rank_sensitivity(model, sobol_settings, SOBOL_BASE), arguments.repeats
    )
    sobol_mb = _peak_mb(lambda: rank_sensitivity(model, sobol_settings, SOBOL_BASE))

    runs = f"{model.countries} countries × {settings.samples:,} runs"
    print(
        f"{arguments.edition}: {runs}, every assumption ({', '.join(settings.factors)}); "
        f"median of {arguments.repeats} runs"
    )
    width = 52
    print(f"{'step':<{width}}{'seconds':>10}{'peak MB':>10}")
    print("-" * (width + 20))
    verdict = "within" if core <= GOAL_SECONDS and core_mb <= GOAL_MB else "OVER"
    print(f"{'rank_uncertainty (vectorised, chunks of 2,000)':<{width}}{core:10.3f}{core_mb:10.1f}")
    print(f"{'  goal':<{width}}{GOAL_SECONDS:10.3f}{GOAL_MB:10.1f}   ({verdict})")
    print(f"{'pandas loop baseline (one run)':<{width}}{loop:10.3f}{'':>10}")
    print(f"{'  its peak for 1,000 runs (grows with runs)':<{width}}{'':>10}{loop_mb:10.1f}")
    print(f"{'baseline / vectorised':<{width}}{loop / core:10.0f}×")
    print(f"{'same ranks in every run':<{width}}{same_ranks!s:>10}")
    print(f"{'same statistics (to 1e-9)':<{width}}{same_statistics!s:>10}")
    design = f"Sobol N = {SOBOL_BASE} ({SOBOL_BASE * (len(sobol_settings.factors) + 2):,} runs)"
    sobol_verdict = "within" if every_country < SOBOL_GOAL_SECONDS else "OVER"
    print(f"{design + ', mean |rank shift| only':<{width}}{shift_only:10.3f}")
    print(
        f"{design + ', and every country':<{width}}{every_country:10.3f}{sobol_mb:10.1f}"
        f"   ({sobol_verdict} the {SOBOL_GOAL_SECONDS:.0f} s goal)"
    )
    print(
        f"process peak resident memory (ru_maxrss): "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    main()
