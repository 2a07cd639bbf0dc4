"""UNU-EGOV egdi-YYYY.csv: the edition from the file name, float noise, blank zeros."""

from __future__ import annotations

from pathlib import Path

import pytest

from egov.data.countries import CountryRegistry
from egov.data.readers import read_bytes, read_file
from egov.data.tables import EditionTable
from egov.errors import DataFileError

UNU = "UNU-EGOV-datasets"


def test_the_edition_comes_from_the_name_the_user_gave(
    other_layouts_dir: Path, country_registry: CountryRegistry
) -> None:
    content = (other_layouts_dir / UNU / "egdi-2014.csv").read_bytes()
    (table,) = read_bytes(content, display_name="egdi-2014.csv", registry=country_registry)
    assert (table.year, table.layout) == (2014, "unu-egov")
    with pytest.raises(DataFileError) as caught:
        read_bytes(content, display_name="upload.csv", registry=country_registry)
    assert [issue.code for issue in caught.value.issues] == ["year-missing"]


def test_float_noise_and_float_ranks_read_as_published(
    other_layouts_dir: Path,
    official_tables: dict[int, EditionTable],
    country_registry: CountryRegistry,
) -> None:
    (table,) = read_file(other_layouts_dir / UNU / "egdi-2010.csv", registry=country_registry)
    assert table.frame.at["IRQ", "hci"] == 0.69556  # published 0.6955600000000001
    assert table.frame.at["IRQ", "rank"] == 136  # published 136.0
    assert table.frame.at["TUR", "name"] == "Turkey"
    assert table.frame.at["SSD", "egdi"] == 0.0  # blank cell, 0.00000 in the Data Center file
    assert table.frame["rank"].isna().sum() == official_tables[2010].frame["rank"].isna().sum()
    assert table.notes == ()
