"""METER readiness self-assessment scoring (spec ``meter.md`` §3.2-§3.6, §4): pure computation.

:func:`readiness` scores one assessment's answers with the framework version it was opened
under and returns a frozen :class:`Readiness` of tidy frames: statement, sub-theme, pillar
and overall scores per stakeholder group and combined, respondent-level sub-theme scores,
divergence between groups, gaps and the way forward. :func:`objective_scores` and
:func:`corroboration` set the pillars against the country's published indicators,
:func:`distribution_position` against other published assessments, and :func:`compare` two
assessments of one country.

Modules: :mod:`.scores` (answers → scores), :mod:`.gaps` (divergence, gaps, way forward),
:mod:`.profile` (the :class:`Readiness` value, :func:`readiness`, :func:`compare`),
:mod:`.benchmarks` (published indicators and other assessments). Every number of the rules
comes from the :class:`~egov.frameworks.meter_schema.MeterFramework`. The names listed in
``__all__`` are the API; the other names of the modules are the steps these functions are
built from. :mod:`egov.methodology` exports this package as ``readiness`` and every name of
``__all__`` but the function ``readiness``, which would hide the package: call
``readiness.readiness(...)`` there.
"""

from egov.methodology.readiness.benchmarks import (
    CORROBORATION_COLUMNS,
    MINIMUM_PEERS,
    OBJECTIVE_COLUMNS,
    POSITION_COLUMNS,
    corroboration,
    distribution_position,
    objective_scores,
)
from egov.methodology.readiness.gaps import (
    DIVERGENCE_COLUMNS,
    GAP_COLUMNS,
    INSUFFICIENT_COLUMNS,
    LOWEST_STATEMENTS,
)
from egov.methodology.readiness.profile import (
    COMPARISON_COLUMNS,
    OVERALL_COLUMNS,
    PILLAR_COLUMNS,
    RESPONDENT_SUBTHEME_COLUMNS,
    STATEMENT_COLUMNS,
    SUBTHEME_COLUMNS,
    Readiness,
    compare,
    readiness,
)
from egov.methodology.readiness.scores import (
    COMBINED,
    STAKEHOLDER_GROUPS,
    ReadinessOptions,
    readiness_level,
)

__all__ = [
    "COMBINED",
    "COMPARISON_COLUMNS",
    "CORROBORATION_COLUMNS",
    "DIVERGENCE_COLUMNS",
    "GAP_COLUMNS",
    "INSUFFICIENT_COLUMNS",
    "LOWEST_STATEMENTS",
    "MINIMUM_PEERS",
    "OBJECTIVE_COLUMNS",
    "OVERALL_COLUMNS",
    "PILLAR_COLUMNS",
    "POSITION_COLUMNS",
    "RESPONDENT_SUBTHEME_COLUMNS",
    "STAKEHOLDER_GROUPS",
    "STATEMENT_COLUMNS",
    "SUBTHEME_COLUMNS",
    "Readiness",
    "ReadinessOptions",
    "compare",
    "corroboration",
    "distribution_position",
    "objective_scores",
    "readiness",
    "readiness_level",
]
