from __future__ import annotations

import pytest

from egov.errors import MethodologyError
from egov.methodology.families import choose


def test_a_known_name_gives_its_method() -> None:
    assert choose("ranker", {"competition": len}, "competition") is len


def test_an_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(
        MethodologyError, match="unknown ranker 'olympic'; known: competition, dense"
    ):
        choose("ranker", {"dense": len, "competition": len}, "olympic")
