"""The facet table of the knowledge search (``search.facets``, ``search.labels``) on whichever
database the suite runs on: every facet counted in one pass as each would be alone, and labels
kept per language for the values the table holds only."""

from __future__ import annotations

import numpy as np
import pytest
from django.utils import translation
from tests.web.knowledge.test_search_ranking import corpus  # noqa: F401

from egov.web.knowledge.search import FACETS, facets, labels, search_items


@pytest.mark.django_db
def test_every_facet_counted_in_one_pass_as_alone(corpus: list[int]) -> None:  # noqa: F811
    table = facets.table()
    generator = np.random.default_rng(6)

    for share in (0.0, 0.01, 0.5, 1.0):
        mask = generator.random(table.size) < share
        counted = table.counts(mask)
        assert list(counted) == list(FACETS)
        for name in FACETS:
            assert counted[name] == table.columns[name].counts(mask)


@pytest.mark.django_db
def test_labels_follow_the_language_and_keep_only_the_tables_values(
    corpus: list[int],  # noqa: F811
) -> None:
    with translation.override("en"):
        english = {v.value: v.label for v in search_items(query="", filters={}).facets["type"]}
    with translation.override("fr"):
        french = search_items(query="", filters={"type": ["no_such_type"]}).facets["type"]

    assert english["case_study"] == "Case study"
    by_value = {value.value: value.label for value in french}
    assert by_value["case_study"] != english["case_study"]  # translated, not the English kept
    assert by_value["no_such_type"] == "no_such_type"
    table = facets.table()
    assert "no_such_type" not in table.labels[("fr", "type")]
    with translation.override("fr"):
        assert labels.of(table, "type", ["case_study"])["case_study"] == by_value["case_study"]
