"""The country registry: members, regions, names, special groups per edition."""

from __future__ import annotations

import csv
import io
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from egov.data import countries
from egov.data.countries import CountryRegistry, fold
from egov.errors import DataFileError

EDITIONS = (2003, 2004, 2005, 2008, 2010, 2012, 2014, 2016, 2018, 2020, 2022, 2024)


def test_there_are_193_members_in_the_five_m49_regions(country_registry: CountryRegistry) -> None:
    members = country_registry.members
    assert len(members) == 193 == len({country.iso3 for country in members})
    assert Counter(country.region for country in members) == {
        "Africa": 54,
        "Americas": 35,
        "Asia": 47,
        "Europe": 43,
        "Oceania": 14,
    }
    assert all(country.un_member for country in members)


def test_contested_regions_follow_m49(country_registry: CountryRegistry) -> None:
    for iso3 in ("CYP", "ARM", "GEO", "AZE", "ISR", "TUR"):
        assert country_registry.get(iso3).sub_region == "Western Asia"
    assert country_registry.get("RUS").sub_region == "Eastern Europe"
    assert country_registry.get("NIC").region == "Americas"
    assert country_registry.get("FJI").region == "Oceania"


def test_income_groups_and_development_status_come_from_the_unu_file(
    country_registry: CountryRegistry,
) -> None:
    members = country_registry.members
    assert Counter(country.income_group for country in members) == {
        "High": 55,
        "Upper middle": 56,
        "Lower middle": 51,
        "Low": 31,
    }
    assert sum(country.developed for country in members) == 55


def test_m49_codes_are_three_digits_and_names_are_the_surveys(
    country_registry: CountryRegistry,
) -> None:
    afghanistan = country_registry.get("AFG")
    assert afghanistan.m49 == "004"
    assert all(len(c.m49) == 3 and c.m49.isdigit() for c in country_registry.members)
    assert country_registry.get("TUR").name == "Türkiye"
    assert country_registry.get("MKD").name == "North Macedonia"
    assert country_registry.get("GEO").name == "Georgia (Country)"
    assert country_registry.get("IRQ").name == "Iraq"  # published "Iraq ", stripped


def test_non_members_are_known_but_not_members(country_registry: CountryRegistry) -> None:
    taiwan = country_registry.get("TWN")
    assert not taiwan.un_member
    assert taiwan.income_group is None
    assert taiwan.region == ""
    assert not country_registry.is_member("PSE")
    assert country_registry.resolve("Taiwan") is None
    assert country_registry.identify("Taiwan") == "TWN"
    assert country_registry.identify("Kosovo") == "XKX"
    assert country_registry.identify("State of Palestine") == "PSE"
    assert country_registry.knows_code("XKX")
    assert not country_registry.knows_code("ZZZ")


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("Iraq ", "IRQ"),
        ("Georgia (Country)", "GEO"),
        ("Georgia", "GEO"),
        ("Czech Republic", "CZE"),
        ("Czechia", "CZE"),
        ("Swaziland", "SWZ"),
        ("Eswatini", "SWZ"),
        ("Turkey ", "TUR"),
        ("Türkiye", "TUR"),
        ("Turkiye", "TUR"),
        ("The former Yugoslav Republic of Macedonia ", "MKD"),
        ("North Macedonia", "MKD"),
        ("Côte d'Ivoire ", "CIV"),
        ("Cote d'Ivoire", "CIV"),
        ("CÔTE D’IVOIRE", "CIV"),
        ("Korea, North", "PRK"),
        ("Korea, South", "KOR"),
        ("Korea, Rep.", "KOR"),
        ("Brunei", "BRN"),
        ("Laos", "LAO"),
        ("Micronesia", "FSM"),
        ("Moldova ", "MDA"),
        ("Russia", "RUS"),
        ("Tanzania", "TZA"),
        ("United States", "USA"),
        ("Venezuela, RB", "VEN"),
        ("St. Vincent and the Grenadines", "VCT"),
        ("  united   kingdom ", "GBR"),
    ],
)
def test_published_name_variants_resolve(
    country_registry: CountryRegistry, name: str, iso3: str
) -> None:
    assert country_registry.resolve(name) == iso3


def test_folding_ignores_case_accents_apostrophes_and_spaces() -> None:
    assert fold("  Côte  d’Ivoire ") == fold("cote d'ivoire") == "cote d'ivoire"
    assert fold("TÜRKIYE") == "turkiye"


def test_country_converter_answers_only_with_members(country_registry: CountryRegistry) -> None:
    assert country_registry.resolve("Federal Republic of Germany") == "DEU"
    assert country_registry.resolve("Republic of China") is None  # Taiwan to country_converter
    assert country_registry.resolve("Atlantis") is None
    assert country_registry.resolve("") is None


def _names_in(path: Path, column: str, code_column: str | None = None) -> set[tuple[str, str]]:
    text = path.read_text(encoding="utf-8-sig")
    rows = csv.DictReader(io.StringIO(text, newline=""))
    return {(row[column], row[code_column] if code_column else "") for row in rows}


def test_every_published_name_resolves_from_the_tables_alone(
    country_registry: CountryRegistry,
    shared_data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No published name needs country_converter: the alias table covers them all."""

    def no_converter(name: str) -> str | None:
        raise AssertionError(f"{name!r} needed country_converter")

    monkeypatch.setattr(countries, "_country_converter_iso3", no_converter)
    egdi = shared_data_dir / "egdi"
    per_edition = [_names_in(egdi / f"EGOV_DATA_{year}.csv", "Country Name") for year in EDITIONS]
    assert all(len(names) == 193 for names in per_edition)
    resolved = {name: country_registry.resolve(name) for names in per_edition for name, _ in names}
    assert None not in resolved.values()
    assert len(set(resolved.values())) == 193

    others = egdi / "other-layouts"
    keyed = _names_in(others / "egovspace-un-egov-ranking/EGOV_DATA_2018.csv", "Country Name")
    keyed |= _names_in(
        others / "MaryliaCruzS-Estadistica1CienciaPolitica/EGOV_DATA_2024.csv", "Country"
    )
    keyed |= _names_in(others / "KoheiTakata-E-government/EGOV_DATA.csv", "Country Name")
    for name, _ in keyed:
        assert country_registry.resolve(name) is not None, name
    coded = set()
    for path in sorted((others / "UNU-EGOV-datasets").glob("egdi-*.csv")):
        coded |= _names_in(path, "country-name", "country-code")
    for path in sorted(others.glob("*data360/*.csv")):
        coded |= _names_in(path, "REF_AREA_LABEL", "REF_AREA")
    for name, code in coded:
        assert country_registry.resolve(name) == code, (name, code)


def test_the_renamed_countries_of_re_published_files_resolve_to_the_official_iso3(
    country_registry: CountryRegistry,
) -> None:
    egovspace = {
        "Brunei": "Brunei Darussalam ",
        "Korea, North": "Democratic People's Republic of Korea ",
        "Korea, South": "Republic of Korea ",
        "Laos": "Lao People's Democratic Republic ",
        "Micronesia": "Micronesia (Federated States of) ",
        "Moldova ": "Republic of Moldova ",
        "Russia": "Russian Federation ",
        "Tanzania": "United Republic of Tanzania ",
        "United States": "United States of America ",
        "Turkey ": "Türkiye",
        "The former Yugoslav Republic of Macedonia ": "North Macedonia",
    }
    assert len(egovspace) == 11
    for variant, official in egovspace.items():
        assert country_registry.resolve(variant) == country_registry.resolve(official)


def test_special_groups_now(country_registry: CountryRegistry) -> None:
    members = country_registry.members
    assert sum(country.ldc for country in members) == 44
    assert sum(country.lldc for country in members) == 32
    assert sum(country.sids for country in members) == 37
    assert country_registry.group_on("ldc", countries.GROUPS_AS_OF) == frozenset(
        country.iso3 for country in members if country.ldc
    )
    assert len(country_registry.group_on("sids", date(2023, 1, 1))) == 38


@pytest.mark.parametrize(
    ("year", "ldc", "lldc", "sids"),
    [
        (2003, 49, 31, 38),
        (2004, 50, 31, 38),
        (2008, 49, 31, 38),
        (2010, 49, 31, 38),
        (2012, 48, 32, 38),
        (2014, 48, 32, 38),
        (2016, 48, 32, 38),
        (2018, 47, 32, 38),
        (2020, 47, 32, 38),
        (2022, 46, 32, 38),
        (2024, 45, 32, 37),
    ],
)
def test_group_sizes_per_edition(
    country_registry: CountryRegistry, year: int, ldc: int, lldc: int, sids: int
) -> None:
    sizes = [len(country_registry.in_group(group, year)) for group in ("ldc", "lldc", "sids")]
    assert sizes == [ldc, lldc, sids]


@pytest.mark.parametrize(
    ("iso3", "last_edition_in", "first_edition_out"),
    [
        ("CPV", 2005, 2008),
        ("MDV", 2010, 2012),
        ("WSM", 2012, 2014),
        ("GNQ", 2016, 2018),
        ("VUT", 2020, 2022),
        ("BTN", 2022, 2024),
    ],
)
def test_ldc_graduations_change_membership_between_editions(
    country_registry: CountryRegistry, iso3: str, last_edition_in: int, first_edition_out: int
) -> None:
    assert iso3 in country_registry.in_group("ldc", last_edition_in)
    assert iso3 not in country_registry.in_group("ldc", first_edition_out)


def test_membership_dates_at_the_edges(country_registry: CountryRegistry) -> None:
    assert "STP" in country_registry.in_group("ldc", 2024)  # graduated 13 December 2024
    assert not country_registry.get("STP").ldc
    assert "BWA" not in country_registry.in_group("ldc", 2003)  # graduated 1994
    assert "SSD" not in country_registry.in_group("ldc", 2012)
    assert "SSD" in country_registry.in_group("ldc", 2014)
    assert "SSD" not in country_registry.in_group("lldc", 2010)
    assert "BHR" in country_registry.in_group("sids", 2022)
    assert "BHR" not in country_registry.in_group("sids", 2024)


def test_group_members_are_all_member_states(country_registry: CountryRegistry) -> None:
    for group in ("ldc", "lldc", "sids"):
        for year in EDITIONS:
            assert country_registry.in_group(group, year) <= country_registry.member_codes


def test_an_unknown_group_is_refused(country_registry: CountryRegistry) -> None:
    with pytest.raises(KeyError):
        country_registry.in_group("g20", 2024)  # type: ignore[arg-type]


def test_missing_country_metadata_fails_loudly(tmp_path: Path) -> None:
    with pytest.raises(DataFileError) as caught:
        CountryRegistry.load(tmp_path)
    assert caught.value.issues[0].code == "missing-file"


def test_a_metadata_file_with_other_members_is_refused(
    tmp_path: Path, shared_data_dir: Path
) -> None:
    (tmp_path / "countries").mkdir()
    shutil.copy(shared_data_dir / countries.M49_FILE, tmp_path / countries.M49_FILE)
    unu = (shared_data_dir / countries.UNU_FILE).read_text(encoding="utf-8")
    lines = [line for line in unu.splitlines() if not line.startswith("AFG,")]
    (tmp_path / countries.UNU_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        CountryRegistry.load(tmp_path)
    assert caught.value.issues[0].code == "country-metadata"
    assert "AFG" in caught.value.issues[0].message


def test_package_data_is_consistent() -> None:
    text = (Path(countries.__file__).parent / "aliases.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    assert all(row["alias"] and len(row["iso3"]) == 3 and row["note"] for row in rows)
    assert len({fold(row["alias"]) for row in rows}) == len(rows)
