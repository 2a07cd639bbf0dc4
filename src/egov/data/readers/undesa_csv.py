"""The UN Data Center download ``EGOV_DATA_<year>.csv`` (and the same columns in a workbook).

Published header (8 columns, every edition)::

    Survey Year,Country Name,E-Government Rank,E-Government Index,E-Participation Index,
    Online Service Index,Human Capital Index,Telecommunication Infrastructure Index

Also read: any column order; extra columns (a ``Region`` column is ignored: third-party region
columns are wrong for several countries; an ISO3 column such as ``CODE`` is compared with the
names and disagreements are noted, the names decide, since the egovspace copy gives the Bahamas
``BHM``); renamed headers (the MaryliaCruzS copy: ``Country``, ``Rank``, ``E_Index``, …);
several editions in one file (KoheiTakata); every row repeated (a ``duplicate-rows`` note).
Tables read from a workbook carry the layout key ``undesa-xlsx``.
"""

from __future__ import annotations

from typing import Final

from egov.data.readers.layout import RowLayout

#: The published header, in the Data Center's column order (the writers use it).
HEADER: Final = (
    "Survey Year",
    "Country Name",
    "E-Government Rank",
    "E-Government Index",
    "E-Participation Index",
    "Online Service Index",
    "Human Capital Index",
    "Telecommunication Infrastructure Index",
)

LAYOUT: Final = RowLayout(
    key="undesa-csv",
    title="UN Data Center EGOV_DATA (" + ", ".join(HEADER) + ")",
    columns={
        "year": (HEADER[0], "Year", "Edition", "Survey"),
        "name": (HEADER[1], "Country", "Country or Area", "Country Name (English)"),
        "rank": (HEADER[2], "Rank", "EGDI Rank", "E-Gov Rank", "E-Government Development Rank"),
        "egdi": (HEADER[3], "E_Index", "EGDI", "E-Government Development Index", "E-Gov Index"),
        "epi": (HEADER[4], "E_Participation", "EPI", "E-Participation", "EPART"),
        "osi": (HEADER[5], "Online_Service", "OSI", "Online Services Index"),
        "hci": (HEADER[6], "Human_Capital", "HCI"),
        "tii": (HEADER[7], "Tele_Infra", "TII", "Telecommunications Infrastructure Index"),
        "code": ("CODE", "ISO3", "ISO", "ISO Code", "ISO3 Code", "Country Code", "Alpha-3"),
    },
    required=("year", "name", "rank", "egdi", "epi", "osi", "hci", "tii"),
    container_keys={"xlsx": "undesa-xlsx"},
)
