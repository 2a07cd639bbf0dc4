"""Verification: recompute one published edition and list every place it deviates.

Given an edition's published frame (:attr:`egov.data.tables.EditionTable.frame`: index ISO3,
``rank`` nullable, ``egdi epi osi hci tii``), its :class:`EditionMethod` and the documented
anomalies, :func:`verify_edition` checks every row:

1. status (:mod:`egov.methodology.status`): assessed, not-assessed, not-member; any other row
   is a ``status`` deviation. Not-assessed and not-member rows are never formula or rank
   deviations: they follow rules E3 / R3 by definition.
2. EGDI formula (rules E1/E2, spec §2): ``|EGDI_published − Σ w·component_published|`` must
   not exceed the tolerance (1e-4, the 4-decimal editions round) for every assessed country;
   else an ``egdi-formula`` deviation.
3. rule E3: a not-assessed country's ``EditionMethod.not_assessed_component`` must be 0 or
   empty; else a ``not-assessed`` deviation.
4. ranges: OSI, TII, HCI, EPI lie in [0, 1] (above 1 allowed where the edition's component
   ``may_exceed_one``); else a ``component-range`` deviation.
5. ranks (rules R1-R3, spec §9): the edition's ranker on the published EGDI of every ranked
   country (assessed and not-assessed) at ``rank_decimals``; a differing published rank is a
   ``rank`` deviation. With ``rank_decimals`` None (2020, rule R2) the Survey ranked unrounded
   values, which are not published: pairs equal at 4 decimals cannot be reproduced and are
   listed as anomalies. A frame without any rank (a layout that carries none) skips this.
6. the world average: the unweighted mean of the published EGDI over assessed countries
   (spec §10, the one rule): 2010 gives 0.4406.

A deviation is *documented* when an anomaly of the same year, ISO3 and kind carries the same
published and recomputed values (to 1e-5); a documented anomaly that matches nothing is
*stale*. The report is ``ok`` when there is neither an undocumented deviation nor a stale
anomaly.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Final, Literal, TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd

from egov.errors import MethodologyError
from egov.methodology.aggregates import world_average
from egov.methodology.editions import COMPONENTS, EditionMethod, QuotedFigure
from egov.methodology.families import choose
from egov.methodology.indices import egdi
from egov.methodology.normalise import FloatArray
from egov.methodology.ranking import RANKERS
from egov.methodology.status import (
    ASSESSED,
    INCONSISTENT,
    NOT_ASSESSED,
    NOT_MEMBER,
    country_status,
)

#: Largest accepted |published − recomputed| EGDI (spec §2, verification tolerance).
TOLERANCE: Final = 1e-4
#: Documented and found values agree when they differ by no more than this.
MATCH_TOLERANCE: Final = 1e-5

DeviationKind: TypeAlias = Literal[
    "egdi-formula", "rank", "status", "not-assessed", "component-range"
]
DEVIATION_KINDS: Final[tuple[DeviationKind, ...]] = (
    "egdi-formula",
    "rank",
    "status",
    "not-assessed",
    "component-range",
)


@dataclass(frozen=True, slots=True)
class DocumentedAnomaly:
    """A published deviation we know of and keep as published (``anomalies.yaml``).

    Keyed by ``year``, ``iso3`` and ``kind``; ``country`` is the published name, stripped.
    For ``rank`` the values are ranks; for ``egdi-formula`` EGDI values.
    """

    year: int
    iso3: str
    country: str
    kind: DeviationKind
    published: float | None
    recomputed: float | None
    evidence: str


@dataclass(frozen=True, slots=True)
class Deviation:
    """One place where the published edition differs from the recomputation."""

    iso3: str
    country: str
    kind: DeviationKind
    published: float | None
    recomputed: float | None
    message: str
    evidence: str = ""

    def __str__(self) -> str:
        return f"{self.iso3} ({self.country}) {self.kind}: {self.message}"

    def as_dict(self) -> dict[str, str | float | None]:
        """A JSON-ready mapping of every field."""
        return {
            "iso3": self.iso3,
            "country": self.country,
            "kind": self.kind,
            "published": self.published,
            "recomputed": self.recomputed,
            "message": self.message,
            "evidence": self.evidence,
        }

    def matches(self, anomaly: DocumentedAnomaly) -> bool:
        """True when ``anomaly`` documents this deviation (same ISO3, kind and values)."""
        return (
            anomaly.iso3 == self.iso3
            and anomaly.kind == self.kind
            and _same(anomaly.published, self.published)
            and _same(anomaly.recomputed, self.recomputed)
        )


def _same(left: float | None, right: float | None) -> bool:
    if left is None or right is None:
        return left is None and right is None
    return abs(left - right) <= MATCH_TOLERANCE


@dataclass(frozen=True, slots=True)
class VerificationReport:
    """What :func:`verify_edition` found in one edition.

    ``countries`` counts every row; it equals ``assessed + not_assessed + not_members +
    inconsistent``. ``max_abs_egdi_delta`` and ``over_tolerance`` cover every assessed country,
    documented or not; ``rank_mismatches`` holds ``(iso3, published, computed)``. A layout
    without ranks (``ranks_checked`` False) has no rank check, and its rank anomalies are not
    stale.
    """

    year: int
    countries: int
    assessed: int
    not_assessed: int
    not_members: int
    inconsistent: int
    tolerance: float
    max_abs_egdi_delta: float
    over_tolerance: tuple[str, ...]
    ranks_checked: bool
    rank_mismatches: tuple[tuple[str, int | None, int | None], ...]
    world_average_egdi: float
    undocumented: tuple[Deviation, ...]
    documented: tuple[Deviation, ...]
    stale_anomalies: tuple[DocumentedAnomaly, ...]
    quoted: tuple[QuotedFigure, ...] = ()

    @property
    def ok(self) -> bool:
        """No undocumented deviation and no documented anomaly left unmatched."""
        return not self.undocumented and not self.stale_anomalies

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready mapping: every field, ``ok``, deviations and anomalies as mappings."""
        return {
            "year": self.year,
            "ok": self.ok,
            "countries": self.countries,
            "assessed": self.assessed,
            "not_assessed": self.not_assessed,
            "not_members": self.not_members,
            "inconsistent": self.inconsistent,
            "tolerance": self.tolerance,
            "max_abs_egdi_delta": self.max_abs_egdi_delta,
            "over_tolerance": list(self.over_tolerance),
            "ranks_checked": self.ranks_checked,
            "rank_mismatches": [
                {"iso3": iso3, "published": published, "computed": computed}
                for iso3, published, computed in self.rank_mismatches
            ],
            "world_average_egdi": self.world_average_egdi,
            "undocumented": [deviation.as_dict() for deviation in self.undocumented],
            "documented": [deviation.as_dict() for deviation in self.documented],
            "stale_anomalies": [asdict(anomaly) for anomaly in self.stale_anomalies],
            "quoted": [
                {
                    **asdict(quoted),
                    "computed": self.world_average_egdi,
                    "difference": self.world_average_egdi - quoted.value,
                }
                for quoted in self.quoted
            ],
        }


def _ranks(values: pd.Series[int]) -> list[int | None]:
    ranks: Sequence[object] = values.astype("Int64").tolist()
    return [None if rank is pd.NA else int(str(rank)) for rank in ranks]


@dataclass(frozen=True, slots=True)
class _Rows:
    """One edition's frame with each row's status, as the checks need it."""

    frame: pd.DataFrame
    method: EditionMethod
    names: tuple[str, ...]
    assessed: npt.NDArray[np.bool_]
    not_assessed: npt.NDArray[np.bool_]
    inconsistent: npt.NDArray[np.bool_]

    @property
    def ranked(self) -> npt.NDArray[np.bool_]:
        ranked: npt.NDArray[np.bool_] = self.assessed | self.not_assessed
        return ranked

    def column(self, code: str) -> FloatArray:
        values: FloatArray = np.asarray(
            self.frame[code].to_numpy(dtype=np.float64, na_value=np.nan)
        )
        return values

    def deviation(
        self,
        row: int,
        kind: DeviationKind,
        published: float | None,
        recomputed: float | None,
        message: str,
    ) -> Deviation:
        iso3 = str(self.frame.index[row])
        return Deviation(iso3, self.names[row], kind, published, recomputed, message)


def _status_deviations(rows: _Rows) -> Iterator[Deviation]:
    for row in np.flatnonzero(rows.inconsistent).tolist():
        yield rows.deviation(
            row,
            "status",
            None,
            None,
            "neither assessed, not assessed nor a non-member: a missing rank with a non-zero "
            "index, or a missing EGDI",
        )


def _formula_deviations(
    rows: _Rows, recomputed: FloatArray, over: npt.NDArray[np.bool_], tolerance: float
) -> Iterator[Deviation]:
    weights = rows.method.egdi_weights
    formula = f"{weights.osi:.4g}·OSI + {weights.tii:.4g}·TII + {weights.hci:.4g}·HCI"
    published = rows.column("egdi")
    for row in np.flatnonzero(over).tolist():
        value = None if np.isnan(recomputed[row]) else round(float(recomputed[row]), 6)
        yield rows.deviation(
            row,
            "egdi-formula",
            float(published[row]),
            value,
            f"EGDI {published[row]:.5f} published, {recomputed[row]:.6f} from {formula}: "
            f"|Δ| {abs(published[row] - recomputed[row]):.6f} > {tolerance:g}",
        )


def _not_assessed_deviations(rows: _Rows) -> Iterator[Deviation]:
    code = rows.method.not_assessed_component
    values = rows.column(code)
    carried = ~np.isnan(values)  # an empty cell is a missing value, as good as 0
    for row in np.flatnonzero(rows.not_assessed & carried & (values != 0)).tolist():
        yield rows.deviation(
            row,
            "not-assessed",
            float(values[row]),
            0.0,
            f"EGDI 0 (not assessed) but {code.upper()} {values[row]:.5f}, not 0 or empty (rule E3)",
        )


def _range_deviations(rows: _Rows) -> Iterator[Deviation]:
    may_exceed_one = {
        "osi": False,
        "epi": False,
        "tii": rows.method.tii.may_exceed_one,
        "hci": rows.method.hci.may_exceed_one,
    }
    for code, exceeds in may_exceed_one.items():
        if code not in rows.frame:
            continue
        values = rows.column(code)
        outside = (values < 0) | ((values > 1) & (not exceeds))
        for row in np.flatnonzero(rows.ranked & outside).tolist():
            yield rows.deviation(
                row,
                "component-range",
                float(values[row]),
                None,
                f"{code.upper()} {values[row]:.5f} outside [0, 1]",
            )


def _rank_deviations(
    rows: _Rows, computed: list[int | None]
) -> Iterator[tuple[tuple[str, int | None, int | None], Deviation]]:
    method = rows.method
    precision = (
        "full precision" if method.rank_decimals is None else (f"{method.rank_decimals} decimals")
    )
    published = _ranks(rows.frame["rank"])
    for row, (left, right) in enumerate(zip(published, computed, strict=True)):
        if left == right:
            continue
        iso3 = str(rows.frame.index[row])
        yield (
            (iso3, left, right),
            rows.deviation(
                row,
                "rank",
                None if left is None else float(left),
                None if right is None else float(right),
                f"rank {left} published, {right} by {method.rank_method} ranking of the "
                f"published EGDI at {precision}",
            ),
        )


def _split(
    found: Iterable[Deviation], anomalies: Sequence[DocumentedAnomaly]
) -> tuple[tuple[Deviation, ...], tuple[Deviation, ...], tuple[DocumentedAnomaly, ...]]:
    """Documented deviations (with their evidence), undocumented ones, stale anomalies."""
    documented: list[Deviation] = []
    undocumented: list[Deviation] = []
    unused = list(anomalies)
    for deviation in found:
        anomaly = next((each for each in unused if deviation.matches(each)), None)
        if anomaly is None:
            undocumented.append(deviation)
        else:
            unused.remove(anomaly)
            documented.append(replace(deviation, evidence=anomaly.evidence))
    return tuple(documented), tuple(undocumented), tuple(unused)


def verify_edition(
    frame: pd.DataFrame,
    method: EditionMethod,
    anomalies: Sequence[DocumentedAnomaly] = (),
    *,
    tolerance: float = TOLERANCE,
) -> VerificationReport:
    """Recompute EGDI and ranks of one published edition and report every deviation.

    See the module text for the checks and the rules behind them. ``anomalies`` may hold
    every edition's: only those of ``method.year`` are used.

    >>> from egov.methodology.editions import ComponentMethod, ComponentWeights
    >>> part = ComponentMethod(indicators=("x",), weights=(1.0,), published_only=True)
    >>> method = EditionMethod(2010, "t", "EGDI", ComponentWeights(0.34, 0.33, 0.33), part, part)
    >>> frame = pd.DataFrame(
    ...     {"name": ["Republic of Korea ", "Somalia ", "South Sudan"],
    ...      "rank": pd.array([1, 2, None], dtype="Int64"), "egdi": [0.87854, 0.0, 0.0],
    ...      "epi": [1.0, 0.0, 0.0], "osi": [1.0, 0.0, 0.0], "hci": [0.99293, 0.0, 0.0],
    ...      "tii": [0.63902, 0.0122, 0.0]}, index=["KOR", "SOM", "SSD"])
    >>> report = verify_edition(frame, method)
    >>> report.ok, report.assessed, report.not_assessed, report.not_members
    (True, 1, 1, 1)
    >>> report.max_abs_egdi_delta < 1e-5, report.rank_mismatches
    (True, ())
    """
    missing = [name for name in ("rank", "egdi", *COMPONENTS) if name not in frame]
    if missing:
        raise MethodologyError(f"the edition frame lacks columns: {', '.join(missing)}")
    status = country_status(frame)
    names = (
        frame["name"].astype("string").str.strip().fillna("").tolist()
        if "name" in frame
        else [""] * len(frame)
    )
    rows = _Rows(
        frame=frame,
        method=method,
        names=tuple(str(name) for name in names),
        assessed=status.eq(ASSESSED).to_numpy(dtype=bool),
        not_assessed=status.eq(NOT_ASSESSED).to_numpy(dtype=bool),
        inconsistent=status.eq(INCONSISTENT).to_numpy(dtype=bool),
    )

    recomputed: FloatArray = np.asarray(
        egdi(
            frame.loc[:, list(COMPONENTS)],
            weights=method.egdi_weights,
            aggregator=method.egdi_aggregator,
        ).to_numpy(dtype=np.float64, na_value=np.nan)
    )
    delta = np.abs(rows.column("egdi") - recomputed)[rows.assessed]
    over = rows.assessed.copy()
    over[rows.assessed] = ~(delta <= tolerance)  # a NaN delta is over, too

    ranks_checked = bool(frame["rank"].notna().any())
    ranker = choose("ranker", RANKERS, method.rank_method)
    ranked_egdi = frame["egdi"][rows.ranked]
    computed = _ranks(ranker(ranked_egdi, decimals=method.rank_decimals).reindex(frame.index))
    rank_found = list(_rank_deviations(rows, computed)) if ranks_checked else []

    found = [
        *_status_deviations(rows),
        *_formula_deviations(rows, recomputed, over, tolerance),
        *_not_assessed_deviations(rows),
        *_range_deviations(rows),
        *(deviation for _mismatch, deviation in rank_found),
    ]
    order = {kind: position for position, kind in enumerate(DEVIATION_KINDS)}
    found.sort(key=lambda deviation: (order[deviation.kind], deviation.iso3))
    documented, undocumented, stale = _split(
        found,
        [
            anomaly
            for anomaly in anomalies
            if anomaly.year == method.year and (ranks_checked or anomaly.kind != "rank")
        ],
    )
    counts = status.value_counts()
    return VerificationReport(
        year=method.year,
        countries=len(frame),
        assessed=int(counts.get(ASSESSED, 0)),
        not_assessed=int(counts.get(NOT_ASSESSED, 0)),
        not_members=int(counts.get(NOT_MEMBER, 0)),
        inconsistent=int(counts.get(INCONSISTENT, 0)),
        tolerance=tolerance,
        max_abs_egdi_delta=float(np.nanmax(delta)) if np.any(~np.isnan(delta)) else 0.0,
        over_tolerance=tuple(sorted(str(iso3) for iso3 in frame.index[over])),
        ranks_checked=ranks_checked,
        rank_mismatches=tuple(sorted(mismatch for mismatch, _deviation in rank_found)),
        world_average_egdi=world_average(frame["egdi"], considered=status.eq(ASSESSED)),
        undocumented=undocumented,
        documented=documented,
        stale_anomalies=stale,
        quoted=method.quoted,
    )
