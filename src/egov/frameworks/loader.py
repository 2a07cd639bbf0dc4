"""Survey definition files: YAML → frozen models → core values, file:line on every problem.

The YAML is composed into nodes first, so every key keeps the line it was written on; pydantic
then validates the plain values, and each error becomes an :class:`egov.errors.Issue` naming the
file, the line and the path (``survey/editions.yaml:41: editions[2008].egdi.weights: weights sum
to 0.99, not 1``). All problems of a file are reported at once, in one
:class:`egov.errors.FrameworkError`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from types import MappingProxyType
from typing import Final, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from egov.errors import FrameworkError, Issue, MethodologyError
from egov.frameworks.models import AnomaliesFile, EditionsFile
from egov.methodology import DocumentedAnomaly, EditionMethod

#: Where the packaged definitions live, relative to ``egov.frameworks``.
EDITIONS_FILE: Final = "survey/editions.yaml"
ANOMALIES_FILE: Final = "survey/anomalies.yaml"

Path = tuple[str, ...]
ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class _Document:
    """Plain YAML values, and the line each path starts on (1-based)."""

    content: object
    lines: Mapping[Path, int]

    def line(self, path: Path) -> int | None:
        """The line of ``path``, or of its nearest ancestor written in the file."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return None


def _path_text(path: tuple[object, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


class _Composer:
    """Build plain values from YAML nodes, recording the line of every key and item."""

    def __init__(self, text: str, file: str) -> None:
        self.file = file
        self.loader = yaml.SafeLoader(text)
        self.lines: dict[Path, int] = {}
        self.issues: list[Issue] = []

    def document(self) -> _Document:
        try:
            node = self.loader.get_single_node()
            content = None if node is None else self._value(node, (), ())
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = None if mark is None else mark.line + 1
            message = str(error.problem or error.context or "invalid YAML")
            raise FrameworkError([Issue("yaml-syntax", message, self.file, line)]) from None
        finally:
            self.loader.dispose()
        if self.issues:
            raise FrameworkError(self.issues)
        return _Document(content, self.lines)

    def _value(self, node: yaml.Node, path: Path, keys: tuple[object, ...]) -> object:
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            self.loader.flatten_mapping(node)
            mapping: dict[object, object] = {}
            for key_node, value_node in node.value:
                key = self.loader.construct_object(key_node, deep=True)
                child = (*path, str(key))
                line = key_node.start_mark.line + 1
                if key in mapping:
                    where = _path_text((*keys, key))
                    self.issues.append(
                        Issue("duplicate-key", f"duplicate key {key!r}", self.file, line, where)
                    )
                    continue
                self.lines[child] = line
                mapping[key] = self._value(value_node, child, (*keys, key))
            return mapping
        if isinstance(node, yaml.SequenceNode):
            return [
                self._value(item, (*path, str(i)), (*keys, i)) for i, item in enumerate(node.value)
            ]
        return self.loader.construct_object(node, deep=True)


def _validate(model: type[ModelT], text: str, file: str) -> tuple[ModelT, _Document]:
    document = _Composer(text, file).document()
    try:
        return model.model_validate(document.content), document
    except ValidationError as error:
        issues = []
        for problem in error.errors():
            location = tuple(part for part in problem["loc"] if part != "[key]")
            value = problem.get("input")
            issues.append(
                Issue(
                    code=problem["type"].replace("_", "-"),
                    message=problem["msg"],
                    file=file,
                    row=document.line(tuple(str(part) for part in location)),
                    field=_path_text(location) or None,
                    value=None if isinstance(value, dict | list) else str(value),
                )
            )
        raise FrameworkError(issues) from None


def parse_edition_methods(text: str, *, file: str = EDITIONS_FILE) -> Mapping[int, EditionMethod]:
    """Every edition's :class:`EditionMethod` from the text of an ``editions.yaml``.

    ``file`` names the source in issues. Raises :class:`FrameworkError` listing every problem.

    >>> text = files("egov.frameworks").joinpath(EDITIONS_FILE).read_text(encoding="utf-8")
    >>> parse_edition_methods(text)[2010].egdi_weights
    ComponentWeights(osi=0.34, tii=0.33, hci=0.33)
    """
    parsed, document = _validate(EditionsFile, text, file)
    methods: dict[int, EditionMethod] = {}
    issues = []
    for year in sorted(parsed.editions):
        try:
            methods[year] = parsed.editions[year].to_method(year)
        except MethodologyError as error:
            line = document.line(("editions", str(year)))
            where = _path_text(("editions", year))
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
    parsed, document = _validate(AnomaliesFile, text, file)
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
                    _path_text(("anomalies", i)),
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
                    _path_text(("anomalies", i, "year")),
                    str(anomaly.year),
                )
            )
    if issues:
        raise FrameworkError(issues)
    return tuple(anomaly.to_anomaly() for anomaly in parsed.anomalies)


def _packaged(name: str) -> str:
    return files("egov.frameworks").joinpath(name).read_text(encoding="utf-8")


@cache
def load_edition_methods() -> Mapping[int, EditionMethod]:
    """Every edition's :class:`EditionMethod`, from the packaged ``survey/editions.yaml``.

    >>> sorted(load_edition_methods())[:3]
    [2003, 2004, 2005]
    >>> load_edition_methods()[2020].rank_decimals is None
    True
    """
    return parse_edition_methods(_packaged(EDITIONS_FILE), file=EDITIONS_FILE)


@cache
def load_anomalies() -> tuple[DocumentedAnomaly, ...]:
    """The documented anomalies of every edition, from the packaged ``survey/anomalies.yaml``."""
    return parse_anomalies(
        _packaged(ANOMALIES_FILE), file=ANOMALIES_FILE, editions=set(load_edition_methods())
    )
