"""Forms of the knowledge item pages: the item (its common fields and the fields of its type),
an upload, an editorial step.

The forms collect; the services judge. Codes (countries, themes, METER tags, stages, related
slugs) are passed to :mod:`.services.items` as written, so every problem with them comes back
at once as a :class:`~egov.errors.ServiceError` whose issues :func:`add_issues` puts beside
the fields they name (``details.organisation`` → the details field ``organisation``).
"""

from ..taxonomy import meter_label, theme_label
from .details import detail_rows
from .items import (
    DETAIL_PREFIX,
    STAGE_LABELS,
    AttachmentForm,
    ItemForm,
    StepForm,
    add_issues,
    issue_message,
    language_label,
)

__all__ = [
    "DETAIL_PREFIX",
    "STAGE_LABELS",
    "AttachmentForm",
    "ItemForm",
    "StepForm",
    "add_issues",
    "detail_rows",
    "issue_message",
    "language_label",
    "meter_label",
    "theme_label",
]
