"""The Frictionless data package of the all-editions CSV: ``datapackage.json``.

A Data Package v1 descriptor (https://specs.frictionlessdata.io/data-package/), profile
``tabular-data-package``, with one ``tabular-data-resource``: the official Data Center CSV of
every edition (:func:`egov.data.writers.csv.csv_text`), described by :func:`table_schema`.
The resource's ``bytes`` and ``hash`` (MD5) are those of the CSV given, so the descriptor is
written next to the file it describes, or served beside it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any, Final

from egov.data.readers.undesa_csv import HEADER

__all__ = ["INDEX_DESCRIPTIONS", "SOURCE_URL", "TERMS_URL", "data_package", "table_schema"]

#: Where the United Nations publishes the data, and the terms their reuse follows.
SOURCE_URL: Final = "https://publicadministration.un.org/egovkb/en-us/Data-Center"
TERMS_URL: Final = "https://www.un.org/en/about-us/terms-of-use"

#: The description of each index column of the official CSV, by its header.
INDEX_DESCRIPTIONS: Final = {
    "E-Government Index": "E-Government Development Index (EGDI), the weighted mean of OSI, "
    "TII and HCI.",
    "E-Participation Index": "E-Participation Index (EPI).",
    "Online Service Index": "Online Service Index (OSI), an EGDI component.",
    "Human Capital Index": "Human Capital Index (HCI), an EGDI component. Not rescaled in "
    "2003-2005, so published values reach 1.422 (Micronesia 2003): no maximum.",
    "Telecommunication Infrastructure Index": "Telecommunication Infrastructure Index (TII), "
    "an EGDI component.",
}


def table_schema() -> dict[str, Any]:
    """The Frictionless Table Schema of the official CSV: one field per header column.

    >>> [field["type"] for field in table_schema()["fields"]][:4]
    ['integer', 'string', 'integer', 'number']
    """
    year, name, rank, *indices = HEADER
    fields: list[dict[str, Any]] = [
        {
            "name": year,
            "type": "integer",
            "description": "Survey edition (year of publication).",
            "constraints": {"required": True, "minimum": 2003},
        },
        {
            "name": name,
            "type": "string",
            "description": "Country name exactly as the Survey spells it (spaces kept).",
            "constraints": {"required": True},
        },
        {
            "name": rank,
            "type": "integer",
            "description": "Published EGDI rank; empty for a country not yet a Member State.",
            "constraints": {"minimum": 1},
        },
    ]
    for column in indices:
        constraints: dict[str, Any] = {"minimum": 0}
        if column != "Human Capital Index":
            constraints["maximum"] = 1
        fields.append(
            {
                "name": column,
                "type": "number",
                "description": INDEX_DESCRIPTIONS[column],
                "constraints": constraints,
            }
        )
    return {"fields": fields, "primaryKey": [year, name], "missingValues": [""]}


def data_package(*, resource_path: str, content: bytes, editions: Sequence[int]) -> dict[str, Any]:
    """The descriptor of the all-editions CSV ``content``, found at ``resource_path`` (a path
    relative to the descriptor, or a URL), holding ``editions``.

    >>> package = data_package(resource_path="EGOV_DATA_ALL.csv", content=b"", editions=[2003])
    >>> package["profile"], package["resources"][0]["path"]
    ('tabular-data-package', 'EGOV_DATA_ALL.csv')
    """
    span = f"{min(editions)}-{max(editions)}" if editions else "no edition stored"
    return {
        "profile": "tabular-data-package",
        "name": "un-e-government-survey",
        "title": f"UN E-Government Survey, every edition ({span})",
        "description": (
            "EGDI and its components (OSI, TII, HCI) and the E-Participation Index of every "
            "UN Member State in every edition of the UN E-Government Survey, in the official "
            "Data Center CSV layout, as served by egov-observatory."
        ),
        "keywords": ["e-government", "EGDI", "United Nations", "E-Government Survey"],
        "licenses": [
            {
                "name": "UN-terms-of-use",
                "title": "United Nations terms of use (data published by UN DESA)",
                "path": TERMS_URL,
            }
        ],
        "sources": [
            {
                "title": "UN E-Government Knowledgebase, Data Center (UN DESA)",
                "path": SOURCE_URL,
            }
        ],
        "resources": [
            {
                "name": "egov-data",
                "path": resource_path,
                "profile": "tabular-data-resource",
                "title": "Every edition, one row per country and edition",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": len(content),
                "hash": hashlib.md5(content, usedforsecurity=False).hexdigest(),
                "dialect": {
                    "delimiter": ",",
                    "lineTerminator": "\r\n",
                    "quoteChar": '"',
                    "doubleQuote": True,
                    "header": True,
                    "skipInitialSpace": False,
                },
                "schema": table_schema(),
            }
        ],
    }
