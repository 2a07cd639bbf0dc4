"""What the API's permission matrices share (``test_knowledge_matrix.py``,
``test_meter_matrix.py``): a matrix's cells, one per ``parametrize`` case, and a client signed
in as each column."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from django.contrib.auth.models import User
from django.test import Client

#: A client signed in (browser session) as one column, and its account (None: anonymous).
ClientFor = Callable[[str], tuple[Client, User | None]]


def cells(
    matrix: Mapping[str, Mapping[str, Sequence[int]]], columns: Sequence[str]
) -> list[tuple[str, str, str, int]]:
    """``endpoint → state → a status per column`` as ``(endpoint, state, column, status)``;
    a row of another length than ``columns`` is an error."""
    return [
        (endpoint, state, column, status)
        for endpoint, states in matrix.items()
        for state, statuses in states.items()
        for column, status in zip(columns, statuses, strict=True)
    ]


def row_cells(
    matrix: Mapping[str, Sequence[int]], columns: Sequence[str]
) -> list[tuple[str, str, int]]:
    """``endpoint → a status per column`` as ``(endpoint, column, status)``."""
    return [
        (endpoint, column, status)
        for endpoint, statuses in matrix.items()
        for column, status in zip(columns, statuses, strict=True)
    ]


def signed_in(users: Mapping[str, User]) -> ClientFor:
    """A new client for a column: signed in as ``users[column]``, anonymous for any other."""

    def make(column: str) -> tuple[Client, User | None]:
        client = Client()
        user = users.get(column)
        if user is not None:
            client.force_login(user)
        return client, user

    return make
