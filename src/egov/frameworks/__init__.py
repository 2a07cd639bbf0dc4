"""Definitions as data: YAML files checked on load with file and line on every problem.

``survey/editions.yaml`` holds every per-edition methodological choice of the UN
E-Government Survey (read into :class:`egov.methodology.EditionMethod`);
``survey/anomalies.yaml`` lists the published deviations kept as published.
``meter/<id>.yaml`` holds each version of the METER self-assessment framework (read into a
:class:`MeterFramework`); a published version is never edited, a new one is a new file.
"""

from egov.frameworks.loader import (
    ANOMALIES_FILE,
    EDITIONS_FILE,
    load_anomalies,
    load_edition_methods,
    parse_anomalies,
    parse_edition_methods,
)
from egov.frameworks.meter_schema import (
    MeterFramework,
    Pillar,
    Statement,
    Subtheme,
    load_meter,
    meter_versions,
    parse_meter,
)

__all__ = [
    "ANOMALIES_FILE",
    "EDITIONS_FILE",
    "MeterFramework",
    "Pillar",
    "Statement",
    "Subtheme",
    "load_anomalies",
    "load_edition_methods",
    "load_meter",
    "meter_versions",
    "parse_anomalies",
    "parse_edition_methods",
    "parse_meter",
]
