"""The knowledge base's content as data: the theme taxonomy, the ISG programme cycle, the seed.

Three packaged files (spec ``knowledge-and-capacity.md``), each read into frozen models
(``extra="forbid"``) through :mod:`egov.frameworks.yamldoc`:

``knowledge/themes.yaml`` → :class:`Taxonomy` (:mod:`.themes`)
    the UNPACS themes I–IV, e-government's sub-themes (§2.2) and the ISG tags (§6.4);
``isg/cycle.yaml`` → :class:`IsgCycle` (:mod:`.cycle`)
    the ten steps in three phases and the actor × step matrix (§6.1, §6.2), with the tracking
    rules of §6.3 as pure functions;
``knowledge/seed.yaml`` → :class:`SeedContent` (:mod:`.seed`)
    what ``egov setup`` loads: the four seed documents, the items written from them, the
    reference workshop and the technical cooperation projects.

The fields of each item type are models too (:mod:`.details`): :func:`validate_details` checks
details written through the platform by the same rules as the seed's.

Loading checks, beyond the models: codes and keys unique; theme codes known; ISO3 codes three
capital letters; METER tags shaped like a pillar or sub-theme id (the platform checks them
against the METER framework); every key named exists; details fit the item's type. Every
problem is an :class:`egov.errors.Issue` with file, line and YAML path, all in one
:class:`egov.errors.FrameworkError`::

    knowledge/seed.yaml:212: items[3].themes[1]: no theme 'smart_city' in the taxonomy
"""

from egov.frameworks.knowledge_schema.cycle import (
    CYCLE_FILE,
    Actor,
    IsgCycle,
    Phase,
    Sector,
    actor_progress,
    can_start,
    load_cycle,
    parse_cycle,
    programme_progress,
)
from egov.frameworks.knowledge_schema.details import (
    DETAILS_MODELS,
    DetailProblem,
    validate_details,
)
from egov.frameworks.knowledge_schema.fields import ITEM_TYPES, LANGUAGES, REGIONS, STAGES
from egov.frameworks.knowledge_schema.seed import (
    SEED_FILE,
    Project,
    SeedContent,
    SeedDocument,
    SeedItem,
    Workshop,
    load_seed_content,
    parse_seed_content,
)
from egov.frameworks.knowledge_schema.themes import (
    THEMES_FILE,
    Taxonomy,
    Theme,
    TopTheme,
    load_themes,
    parse_themes,
)

__all__ = [
    "CYCLE_FILE",
    "DETAILS_MODELS",
    "ITEM_TYPES",
    "LANGUAGES",
    "REGIONS",
    "SEED_FILE",
    "STAGES",
    "THEMES_FILE",
    "Actor",
    "DetailProblem",
    "IsgCycle",
    "Phase",
    "Project",
    "Sector",
    "SeedContent",
    "SeedDocument",
    "SeedItem",
    "Taxonomy",
    "Theme",
    "TopTheme",
    "Workshop",
    "actor_progress",
    "can_start",
    "load_cycle",
    "load_seed_content",
    "load_themes",
    "parse_cycle",
    "parse_seed_content",
    "parse_themes",
    "programme_progress",
    "validate_details",
]
