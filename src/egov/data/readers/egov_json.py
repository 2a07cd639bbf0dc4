"""Our own records layout, as :func:`egov.data.writers.json.write_json` writes it.

A JSON list of records ``{"year", "iso3", "name", "rank", "egdi", "epi", "osi", "hci", "tii"}``
(``null`` where a table has no value). ``iso3`` decides the country. The first record counts
as row 2, as in the CSV export of the same tables.
"""

from __future__ import annotations

from typing import Final

from egov.data.readers.layout import RowLayout
from egov.data.tables import INDICES

#: Record keys, in the order the writer puts them.
KEYS: Final = ("year", "iso3", "name", "rank", *INDICES)

LAYOUT: Final = RowLayout(
    key="egov-json",
    title="egov JSON records (" + ", ".join(KEYS) + ")",
    columns={
        "year": ("year",),
        "code": ("iso3",),
        "name": ("name",),
        "rank": ("rank",),
        **{key: (key,) for key in INDICES},
    },
    required=("year", "code", "name", "rank", *INDICES),
    keyed_by_code=True,
)
