"""YAML with the line of every key: the shared machinery of the definition loaders.

The YAML is composed into nodes first, so every key keeps the line it was written on; pydantic
then validates the plain values, and each error becomes an :class:`egov.errors.Issue` naming the
file, the line and the path (``meter/meter-eo-1.0.yaml:41: pillars[0].subthemes[1].weight: ...``).
All problems of a file are reported at once, in one :class:`egov.errors.FrameworkError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from egov.errors import FrameworkError, Issue

Path = tuple[str, ...]
ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class Document:
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


def path_text(path: tuple[object, ...]) -> str:
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

    def document(self) -> Document:
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
        return Document(content, self.lines)

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
                    where = path_text((*keys, key))
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


def validate(model: type[ModelT], text: str, file: str) -> tuple[ModelT, Document]:
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
                    field=path_text(location) or None,
                    value=None if isinstance(value, dict | list) else str(value),
                )
            )
        raise FrameworkError(issues) from None


def packaged(name: str) -> str:
    """The text of a definition file shipped in ``egov.frameworks`` (``"meter/x.yaml"``)."""
    return files("egov.frameworks").joinpath(name).read_text(encoding="utf-8")
