"""Survey definition files: YAML → frozen models → core values, file:line on every problem
(``survey/editions.yaml:41: editions[2008].egdi.weights: weights sum to 0.99, not 1``), through
the shared machinery of :mod:`egov.frameworks.yamldoc`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from functools import cache
from types import MappingProxyType
from typing import Final

from egov.errors import FrameworkError, Issue, MethodologyError
from egov.frameworks.models import AnomaliesFile, EditionsFile
from egov.frameworks.yamldoc import packaged, path_text, validate
from egov.methodology import DocumentedAnomaly, EditionMethod

#: Where the packaged definitions live, relative to ``egov.frameworks``.
EDITIONS_FILE: Final = "survey/editions.yaml"
ANOMALIES_FILE: Final = "survey/anomalies.yaml"


def parse_edition_methods(text: str, *, file: str = EDITIONS_FILE) -> Mapping[int, EditionMethod]:
    """Every edition's :class:`EditionMethod` from the text of an ``editions.yaml``.

    ``file`` names the source in issues. Raises :class:`FrameworkError` listing every problem.

    >>> text = packaged(EDITIONS_FILE)
    >>> parse_edition_methods(text)[2010].egdi_weights
    ComponentWeights(osi=0.34, tii=0.33, hci=0.33)
    """
    parsed, document = validate(EditionsFile, text, file)
    methods: dict[int, EditionMethod] = {}
    issues = []
    for year in sorted(parsed.editions):
        try:
            methods[year] = parsed.editions[year].to_method(year)
        except MethodologyError as error:
            line = document.line(("editions", str(year)))
            where = path_text(("editions", year))
            issues.append(Issue("methodology", str(error), file, line, where))
    if issues:
        raise FrameworkError(issues)
    return MappingProxyType(methods)


def parse_anomalies(
    text: str, *, file: str = ANOMALIES_FILE, editions: Collection[int] | None = None
) -> tuple[DocumentedAnomaly, ...]:
    """The documented anomalies from the text of an ``anomalies.yaml``.

    Each (year, iso3, kind) appears once; with ``editions`` given, each year must be one of
    them. Raises :class:`FrameworkError` listing every problem.
    """
    parsed, document = validate(AnomaliesFile, text, file)
    issues = []
    seen: set[tuple[int, str, str]] = set()
    for i, anomaly in enumerate(parsed.anomalies):
        key = (anomaly.year, anomaly.iso3, anomaly.kind)
        path = ("anomalies", str(i))
        if key in seen:
            issues.append(
                Issue(
                    "duplicate-anomaly",
                    f"{anomaly.year} {anomaly.iso3} {anomaly.kind} is listed twice",
                    file,
                    document.line(path),
                    path_text(("anomalies", i)),
                )
            )
        seen.add(key)
        if editions is not None and anomaly.year not in editions:
            issues.append(
                Issue(
                    "unknown-edition",
                    f"no edition {anomaly.year} in {EDITIONS_FILE}",
                    file,
                    document.line((*path, "year")),
                    path_text(("anomalies", i, "year")),
                    str(anomaly.year),
                )
            )
    if issues:
        raise FrameworkError(issues)
    return tuple(anomaly.to_anomaly() for anomaly in parsed.anomalies)


@cache
def load_edition_methods() -> Mapping[int, EditionMethod]:
    """Every edition's :class:`EditionMethod`, from the packaged ``survey/editions.yaml``.

    >>> sorted(load_edition_methods())[:3]
    [2003, 2004, 2005]
    >>> load_edition_methods()[2020].rank_decimals is None
    True
    """
    return parse_edition_methods(packaged(EDITIONS_FILE), file=EDITIONS_FILE)


@cache
def load_anomalies() -> tuple[DocumentedAnomaly, ...]:
    """The documented anomalies of every edition, from the packaged ``survey/anomalies.yaml``."""
    return parse_anomalies(
        packaged(ANOMALIES_FILE), file=ANOMALIES_FILE, editions=set(load_edition_methods())
    )
