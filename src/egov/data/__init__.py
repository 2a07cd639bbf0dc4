"""Official formats, the country registry and validation; no Django.

>>> from egov.config import data_dir
>>> registry = CountryRegistry.load(data_dir())
>>> tables = read_file(data_dir() / "egdi" / "EGOV_DATA_2022.csv", registry=registry)
>>> [(table.year, len(table.frame)) for table in tables]
[(2022, 193)]
"""

from __future__ import annotations

from egov.data.countries import Country, CountryRegistry
from egov.data.readers import read_bytes, read_file, read_paths
from egov.data.tables import COMPONENTS, FRAME_COLUMNS, INDICES, EditionTable
from egov.data.writers import write_csv, write_json, write_xlsx

__all__ = [
    "COMPONENTS",
    "FRAME_COLUMNS",
    "INDICES",
    "Country",
    "CountryRegistry",
    "EditionTable",
    "read_bytes",
    "read_file",
    "read_paths",
    "write_csv",
    "write_json",
    "write_xlsx",
]
