from __future__ import annotations

from pathlib import Path

import pytest
from tests.methodology.conftest import EDITION_YEARS

from egov.errors import FrameworkError
from egov.frameworks import (
    load_anomalies,
    load_edition_methods,
    parse_anomalies,
    parse_edition_methods,
)
from egov.methodology import ComponentWeights, EditionMethod

HERE = Path(__file__).parent
MALFORMED = HERE / "malformed"
VALID = (HERE / "valid-edition.yaml").read_text(encoding="utf-8")

#: file → [(line, path, code)] of the issues it must raise, in order.
MALFORMED_EDITIONS = {
    "weights-sum.yaml": [(7, "editions[2008].egdi.weights", "weights-sum")],
    "unknown-method.yaml": [(16, "editions[2008].tii.normaliser", "unknown-method")],
    "extra-forbidden.yaml": [(29, "editions[2008].notes", "extra-forbidden")],
    "weights-count.yaml": [(12, "editions[2008].tii", "weights-count")],
    "missing.yaml": [(2, "editions[2008].epi", "missing")],
    "not-a-number.yaml": [(22, "editions[2008].hci.weights[1]", "not-a-number")],
    "duplicate-key.yaml": [(5, "editions[2008].title", "duplicate-key")],
    "yaml-syntax.yaml": [(6, None, "yaml-syntax")],
}
MALFORMED_ANOMALIES = {
    "duplicate-anomaly.yaml": [(9, "anomalies[1]", "duplicate-anomaly")],
    "unknown-edition.yaml": [(2, "anomalies[0].year", "unknown-edition")],
    "literal-error.yaml": [(5, "anomalies[0].kind", "literal-error")],
}


def _where(error: FrameworkError) -> list[tuple[int | None, str | None, str]]:
    return [(issue.row, issue.field, issue.code) for issue in error.issues]


@pytest.mark.parametrize(("name", "expected"), MALFORMED_EDITIONS.items())
def test_malformed_edition_file_is_refused_precisely(
    name: str, expected: list[tuple[int | None, str | None, str]]
) -> None:
    with pytest.raises(FrameworkError) as caught:
        parse_edition_methods((MALFORMED / name).read_text(encoding="utf-8"), file=name)
    assert _where(caught.value) == expected
    assert all(issue.file == name for issue in caught.value.issues)


@pytest.mark.parametrize(("name", "expected"), MALFORMED_ANOMALIES.items())
def test_malformed_anomaly_file_is_refused_precisely(
    name: str, expected: list[tuple[int | None, str | None, str]]
) -> None:
    with pytest.raises(FrameworkError) as caught:
        parse_anomalies(
            (MALFORMED / name).read_text(encoding="utf-8"), file=name, editions={2008, 2020}
        )
    assert _where(caught.value) == expected


def test_every_problem_of_a_file_is_reported_at_once() -> None:
    text = VALID.replace("hci: 0.33}", "hci: 0.30}").replace(
        "method: count_quartile", "method: jenks"
    )
    with pytest.raises(FrameworkError) as caught:
        parse_edition_methods(text, file="two.yaml")
    assert _where(caught.value) == [
        (7, "editions[2008].egdi.weights", "weights-sum"),
        (30, "editions[2008].rating_classes.method", "unknown-method"),
    ]
    assert str(caught.value).splitlines()[0] == (
        "two.yaml:7: editions[2008].egdi.weights: weights sum to 0.97, not 1"
    )


def test_an_issue_carries_the_offending_value() -> None:
    with pytest.raises(FrameworkError) as caught:
        parse_edition_methods(VALID.replace("decimals: 4", "decimals: -1"), file="x.yaml")
    (issue,) = caught.value.issues
    assert (issue.row, issue.field, issue.value) == (29, "editions[2008].ranking.decimals", "-1")


def test_a_valid_file_becomes_edition_methods() -> None:
    methods = parse_edition_methods(VALID)
    method = methods[2008]
    assert isinstance(method, EditionMethod)
    assert method.egdi_weights == ComponentWeights(0.34, 0.33, 0.33)
    assert method.hci.weights == pytest.approx((2 / 3, 1 / 3))
    assert method.tii.published_only
    assert method.unverified == ("tii",)


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(FrameworkError):
        parse_edition_methods("", file="empty.yaml")


def test_the_packaged_editions_load_and_are_cached() -> None:
    methods = load_edition_methods()
    assert tuple(methods) == EDITION_YEARS
    assert load_edition_methods() is methods
    with pytest.raises(TypeError):
        methods[1999] = methods[2003]  # type: ignore[index]


def test_the_packaged_anomalies_load() -> None:
    anomalies = load_anomalies()
    assert {(a.year, a.iso3, a.kind) for a in anomalies} == {
        (2008, "KHM", "egdi-formula"),
        (2008, "CMR", "egdi-formula"),
        (2020, "HUN", "rank"),
        (2020, "MKD", "rank"),
        (2020, "AND", "rank"),
        (2020, "TLS", "rank"),
    }
    assert all(anomaly.evidence for anomaly in anomalies)
