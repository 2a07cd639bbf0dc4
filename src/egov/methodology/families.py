"""Method families: each method of a family shares one signature and is chosen by name.

A per-edition table (``frameworks/survey/editions.yaml``) names its methods by key; the key is
checked when the table loads, so an unknown name fails there and not halfway through a
computation. :func:`choose` is the one place a name becomes a function.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from egov.errors import MethodologyError

Method = TypeVar("Method")


def choose(family: str, table: Mapping[str, Method], name: str) -> Method:
    """The method called ``name`` in ``table``; an unknown name raises MethodologyError.

    >>> choose("normaliser", {"min_max": min}, "min_max") is min
    True
    >>> choose("normaliser", {"min_max": min}, "rank")
    Traceback (most recent call last):
    ...
    egov.errors.MethodologyError: unknown normaliser 'rank'; known: min_max
    """
    try:
        return table[name]
    except KeyError:
        known = ", ".join(sorted(table))
        raise MethodologyError(f"unknown {family} {name!r}; known: {known}") from None
