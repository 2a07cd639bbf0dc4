"""JSON records: the official fields plus ``iso3``, ``null`` where a table has no value.

``[{"year": 2022, "iso3": "IRQ", "name": "Iraq ", "rank": 146, "egdi": 0.4383, ...}, ...]``,
read back by :mod:`egov.data.readers.egov_json`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from egov.data.readers.egov_json import KEYS
from egov.data.tables import EditionTable
from egov.data.writers.rows import output_rows


def json_records(tables: Sequence[EditionTable]) -> list[dict[str, object]]:
    """One record per country and edition, keys in :data:`~egov.data.readers.egov_json.KEYS`."""
    return [
        dict(zip(KEYS, (row.year, row.iso3, row.name, row.rank, *row.values), strict=True))
        for row in output_rows(tables)
    ]


def write_json(tables: Sequence[EditionTable], target: Path | IO[str]) -> None:
    """Write ``tables`` to a path (UTF-8) or a text stream, one record per line."""
    records = json_records(tables)
    text = "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False, allow_nan=False) for r in records)
    text += "\n]\n"
    if isinstance(target, Path):
        target.write_text(text, encoding="utf-8")
    else:
        target.write(text)
