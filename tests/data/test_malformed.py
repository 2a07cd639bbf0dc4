"""Every malformed file is refused with exactly the issues its case lists, all at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.fixtures.malformed import CASES, MalformedCase

from egov.data.countries import CountryRegistry
from egov.data.readers import read_paths
from egov.errors import DataFileError


def test_there_are_enough_cases_and_their_names_are_unique() -> None:
    names = [case.name for case in CASES]
    assert len(names) >= 32
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_malformed_files_are_refused_precisely(
    case: MalformedCase, tmp_path: Path, country_registry: CountryRegistry
) -> None:
    paths = case.write(tmp_path)
    with pytest.raises(DataFileError) as caught:
        read_paths(paths, registry=country_registry)
    issues = caught.value.issues
    found = [(issue.file, issue.row, issue.field, issue.code) for issue in issues]
    assert found == case.expected, "\n".join(str(issue) for issue in issues)
    assert caught.value.truncated == 0
    assert all(issue.message and not issue.message.endswith(".") for issue in issues)
