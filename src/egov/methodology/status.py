"""Which countries an edition assessed: the rule that decides what is checked and averaged.

Every row of a published edition gets exactly one status (spec §2 E3, §10, shared data README):

``assessed``
    ranked and EGDI > 0. Enters the formula check, the ranks and every average.
``not-assessed``
    ranked and EGDI = 0 (rule E3). The Survey sets EGDI to 0 whatever its components, ranks
    the country last (R3) and leaves it out of averages. [D] 2003: 18 at rank 174; 2004: 13 at
    179; 2005: 12 at 180; 2008: 10 at 183; 2010: 9 at 184; 2012: 3 at 191.
``not-member``
    no published rank and every index 0 or empty: not yet a Member State (South Sudan before
    2011, Montenegro 2003-2005 [D]). Not checked, not ranked, not averaged.
``inconsistent``
    anything else (a missing rank with a non-zero index, a missing EGDI): a deviation.

When a layout carries no rank at all (a frame whose ``rank`` is empty throughout), a row
counts as ranked unless all its indices are 0 or empty.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from egov.errors import MethodologyError
from egov.methodology.editions import INDICES

ASSESSED: Final = "assessed"
NOT_ASSESSED: Final = "not-assessed"
NOT_MEMBER: Final = "not-member"
INCONSISTENT: Final = "inconsistent"
STATUSES: Final = (ASSESSED, NOT_ASSESSED, NOT_MEMBER, INCONSISTENT)


def country_status(frame: pd.DataFrame) -> pd.Series[str]:
    """The status of every row of a published edition (see the module text).

    ``frame`` has a ``rank`` column (nullable) and the index columns ``egdi epi osi hci tii``
    (those a layout lacks may be absent), as :attr:`egov.data.tables.EditionTable.frame`.

    >>> frame = pd.DataFrame(
    ...     {"rank": pd.array([1, 2, None], dtype="Int64"), "egdi": [0.9, 0.0, 0.0],
    ...      "osi": [0.9, 0.0, 0.0], "tii": [0.9, 0.2, 0.0], "hci": [0.9, 0.8, 0.0]},
    ...     index=["KOR", "SOM", "SSD"])
    >>> country_status(frame).tolist()
    ['assessed', 'not-assessed', 'not-member']
    """
    if "rank" not in frame or "egdi" not in frame:
        raise MethodologyError("an edition frame needs the columns 'rank' and 'egdi'")
    carried = [code for code in INDICES if code in frame]
    all_zero = frame[carried].fillna(0.0).eq(0.0).all(axis=1).to_numpy()
    rank = frame["rank"]
    ranked = rank.notna().to_numpy() if rank.notna().any() else ~all_zero
    egdi = frame["egdi"].to_numpy(dtype=np.float64, na_value=np.nan)
    chosen = np.select(
        [ranked & (egdi > 0), ranked & (egdi == 0), ~ranked & all_zero],
        [ASSESSED, NOT_ASSESSED, NOT_MEMBER],
        default=INCONSISTENT,
    )
    return pd.Series(chosen, index=frame.index, dtype="string", name="status")


def assessed(frame: pd.DataFrame) -> pd.Series[bool]:
    """True for the assessed countries (ranked, EGDI > 0): the set every average runs over.

    >>> frame = pd.DataFrame({"rank": pd.array([1, 2], dtype="Int64"), "egdi": [0.9, 0.0]})
    >>> assessed(frame).tolist()
    [True, False]
    """
    flags: pd.Series[bool] = country_status(frame).eq(ASSESSED).astype(bool)
    flags.name = "assessed"
    return flags
