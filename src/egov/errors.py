"""Everything egov raises on purpose.

EgovError
├── DataFileError       an input file is wrong; .issues (every problem found, not the first)
├── FrameworkError      a YAML definition is wrong; .issues with line numbers
├── MethodologyError    the computation is impossible (zero range, empty group)
└── ServiceError        the platform refused a write; .code

An :class:`Issue` is one problem at one place: the file, the row as a spreadsheet shows it
(the header is row 1), the field and the offending value, with a stable ``code`` that a
translation or a test can key on and one human sentence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class Issue:
    code: str
    message: str
    file: str
    row: int | None = None
    field: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"

    def as_dict(self) -> dict[str, str | int | None]:
        return asdict(self)


class EgovError(Exception):
    """The root of every error egov raises on purpose."""


class _IssuesError(EgovError):
    def __init__(self, issues: Iterable[Issue], *, truncated: int = 0) -> None:
        self.issues: tuple[Issue, ...] = tuple(issues)
        self.truncated = truncated
        lines = [str(issue) for issue in self.issues]
        if truncated:
            lines.append(f"… and {truncated} more problems not listed")
        super().__init__("\n".join(lines) or self.__class__.__name__)


class DataFileError(_IssuesError):
    """An input file is wrong. ``issues`` lists every problem found (up to a cap)."""


class FrameworkError(_IssuesError):
    """A YAML definition is wrong. ``issues`` carry the file, line and path."""


class MethodologyError(EgovError):
    """The computation is impossible: a zero range, an empty group, unknown method name."""


class ServiceError(EgovError):
    """The platform refused a write. ``issues`` lists every problem of the input when the
    refusal is about the input (a form or an API body), each naming its field."""

    def __init__(self, code: str, message: str, issues: Iterable[Issue] = ()) -> None:
        self.code = code
        self.issues: tuple[Issue, ...] = tuple(issues)
        super().__init__(message)
