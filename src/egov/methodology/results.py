"""An edition's results from its components: EGDI, group, rating class and rank per country.

What the Survey publishes, recomputed in one pass with the edition's method, or with other
weights or another aggregator to see what a choice changes (``egov compute``, what-if pages).
"""

from __future__ import annotations

import pandas as pd

from egov.methodology.classes import egdi_group, rating_class
from egov.methodology.editions import ComponentWeights, EditionMethod
from egov.methodology.families import choose
from egov.methodology.indices import egdi
from egov.methodology.ranking import RANKERS
from egov.methodology.status import ASSESSED, NOT_MEMBER, country_status

#: Columns of :func:`edition_results`.
RESULT_COLUMNS = ("egdi", "group", "rating_class", "rank")


def edition_results(
    frame: pd.DataFrame,
    method: EditionMethod,
    *,
    weights: ComponentWeights | None = None,
    aggregator: str | None = None,
) -> pd.DataFrame:
    """EGDI, group, rating class and rank of every country of one edition.

    ``frame`` is shaped like :attr:`egov.data.tables.EditionTable.frame`: the components
    ``osi tii hci``, the published ``egdi`` and ``rank`` (which tell who was assessed and who
    was a Member State, see :func:`~egov.methodology.status.country_status`). Weights and
    aggregator default to the edition's. Not-assessed countries get EGDI 0 and share the last
    rank (rule E3); countries not yet members get neither a rank nor a class. Ranks follow
    the edition's ranker and precision (rules R1, R2); rating classes are computed over the
    assessed countries (spec §8).

    >>> from egov.methodology.editions import ComponentMethod
    >>> part = ComponentMethod(indicators=("x",), weights=(1.0,), published_only=True)
    >>> method = EditionMethod(2014, "t", "EGDI", ComponentWeights(1/3, 1/3, 1/3), part, part)
    >>> frame = pd.DataFrame(
    ...     {"rank": pd.array([1, 2, 3], dtype="Int64"), "egdi": [0.9, 0.6, 0.2],
    ...      "osi": [0.9, 0.6, 0.3], "tii": [0.9, 0.5, 0.1], "hci": [0.9, 0.7, 0.2]},
    ...     index=["A", "B", "C"])
    >>> edition_results(frame, method)[["group", "rank"]].values.tolist()
    [['V', 1], ['H', 2], ['L', 3]]
    >>> heavy_osi = ComponentWeights(0.8, 0.1, 0.1)
    >>> edition_results(frame, method, weights=heavy_osi)["egdi"].round(2).tolist()
    [0.9, 0.6, 0.27]
    """
    status = country_status(frame)
    member = status.ne(NOT_MEMBER)
    values = egdi(
        frame,
        weights=weights or method.egdi_weights,
        aggregator=aggregator or method.egdi_aggregator,
        assessed=status.eq(ASSESSED),
    ).where(member)
    ranker = choose("ranker", RANKERS, method.rank_method)
    ranks = ranker(values[member], decimals=method.rank_decimals).reindex(frame.index)
    return egdi_classes(values, status, method).assign(rank=ranks.astype("Int64"))[
        list(RESULT_COLUMNS)
    ]


def egdi_classes(
    values: pd.Series[float], status: pd.Series[str], method: EditionMethod
) -> pd.DataFrame:
    """``egdi``, ``group`` and ``rating_class`` of every country of one edition.

    The group for every Member State, the rating class over the assessed countries only
    (quartiles depend on who is in the group, spec §8), with the edition's method; countries
    not yet members get neither. ``status`` is :func:`~egov.methodology.status.country_status`.

    >>> from egov.methodology.editions import ComponentMethod
    >>> part = ComponentMethod(indicators=("x",), weights=(1.0,), published_only=True)
    >>> method = EditionMethod(2022, "t", "EGDI", ComponentWeights(1/3, 1/3, 1/3), part, part)
    >>> values = pd.Series([0.9, 0.6, 0.0], index=["A", "B", "C"])
    >>> status = pd.Series(["assessed", "assessed", "not-member"], index=values.index)
    >>> egdi_classes(values, status, method)["group"].tolist()
    ['V', 'H', <NA>]
    """
    assessed = status.eq(ASSESSED)
    classes = rating_class(
        values[assessed],
        method=method.rating_class_method,
        quantile_method=method.quantile_method,
        tie_side=method.tie_side,
    ).reindex(values.index)
    return pd.DataFrame(
        {
            "egdi": values,
            "group": egdi_group(values).where(status.ne(NOT_MEMBER)),
            "rating_class": classes,
        },
        index=values.index,
    )
