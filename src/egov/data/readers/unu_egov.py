"""UNU-EGOV ``egdi-YYYY.csv`` (github.com/UNU-EGOV/datasets, ``egdi/``).

Header ``country-code,country-name,e-gov-rank,e-gov-index,e-pat-index,osi,hci,tii``: ISO3
first, no year column. The edition therefore comes from the file name (the one four-digit group
of its stem, ``egdi-2018.csv``), the only place it is given; a name without one is refused
(``year-missing``). The ISO3 column decides the country; a name that resolves to another
country is ``country-mismatch``. Written by pandas: ranks as ``136.0`` and float noise such as
``0.6955600000000001``, read as published (rounded to 5 decimals).

Empty index cells are zeros: ``egdi-2010.csv`` leaves 16 cells empty (South Sudan's row, and
HCI or TII of nine countries not assessed: Kiribati, Marshall Islands, Micronesia, Monaco,
Nauru, DPR Korea, Somalia, Tuvalu, San Marino), and the Data Center file has ``0.00000`` in
every one of them; no other UNU-EGOV file has an empty index cell. An empty rank stays empty.
"""

from __future__ import annotations

from typing import Final

from egov.data.readers.layout import RowLayout

LAYOUT: Final = RowLayout(
    key="unu-egov",
    title="UNU-EGOV egdi-YYYY (country-code, country-name, e-gov-rank, e-gov-index, …)",
    columns={
        "code": ("country-code",),
        "name": ("country-name",),
        "rank": ("e-gov-rank",),
        "egdi": ("e-gov-index",),
        "epi": ("e-pat-index",),
        "osi": ("osi",),
        "hci": ("hci",),
        "tii": ("tii",),
    },
    required=("code", "name", "rank", "egdi", "epi", "osi", "hci", "tii"),
    keyed_by_code=True,
    year_column=False,
    blank_is_zero=True,
)
