"""Definitions as data: YAML files checked on load with file and line on every problem.

``survey/editions.yaml`` holds every per-edition methodological choice of the UN
E-Government Survey (read into :class:`egov.methodology.EditionMethod`);
``survey/anomalies.yaml`` lists the published deviations kept as published.
"""

from egov.frameworks.loader import (
    ANOMALIES_FILE,
    EDITIONS_FILE,
    load_anomalies,
    load_edition_methods,
    parse_anomalies,
    parse_edition_methods,
)

__all__ = [
    "ANOMALIES_FILE",
    "EDITIONS_FILE",
    "load_anomalies",
    "load_edition_methods",
    "parse_anomalies",
    "parse_edition_methods",
]
