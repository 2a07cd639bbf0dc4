"""The shape every reader returns: one published edition as a validated frame.

A reader turns a file of any accepted layout into one :class:`EditionTable` per edition it
holds. The frame is the same whatever the layout, so a renamed, reordered or re-encoded copy
of a published file compares equal to the original.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

import pandas as pd

from egov.errors import Issue

#: The indices a Survey edition publishes, in the order of the official download.
INDICES: Final = ("egdi", "epi", "osi", "hci", "tii")
#: The three components of EGDI.
COMPONENTS: Final = ("osi", "tii", "hci")

#: Columns of :attr:`EditionTable.frame`, indexed by ISO3 code.
#: ``name`` is the country name exactly as the file spells it (trailing spaces kept),
#: ``row`` the spreadsheet row it came from (header is row 1), ``rank`` the published EGDI
#: rank (pandas ``Int64``, missing where the file leaves it empty or has no rank column),
#: then one float column per index (NaN where the layout does not carry that index).
FRAME_COLUMNS: Final = ("name", "row", "rank", *INDICES)


@dataclass(frozen=True)
class EditionTable:
    """One edition read from one file."""

    year: int
    source: str  # the file name as given by the user
    layout: str  # reader key, e.g. "undesa-csv", "undesa-xlsx", "unu-egov", "data360-wide"
    frame: pd.DataFrame  # index "iso3"; columns FRAME_COLUMNS
    notes: tuple[Issue, ...] = field(default=())  # not errors: e.g. every row repeated twice

    @property
    def indices(self) -> tuple[str, ...]:
        """The indices this file actually carries (a column that is all NaN is absent)."""
        return tuple(code for code in INDICES if self.frame[code].notna().any())
