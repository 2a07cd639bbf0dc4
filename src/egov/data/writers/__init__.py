"""Write edition tables in the official Data Center layout (CSV, XLSX) or as JSON records.

Every export reads back with :mod:`egov.data.readers` to identical values; several editions
may share one file (rows of each edition in turn, as in concatenated Data Center downloads).
"""

from __future__ import annotations

from egov.data.writers.csv import write_csv
from egov.data.writers.json import write_json
from egov.data.writers.xlsx import write_xlsx

__all__ = ["write_csv", "write_json", "write_xlsx"]
