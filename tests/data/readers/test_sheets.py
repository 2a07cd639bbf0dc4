"""Containers: the encoding decisions, the separator, workbooks and JSON, told by their bytes."""

from __future__ import annotations

import pytest

from egov.data.readers.sheets import Unreadable, cell_text, open_sheet


def test_utf8_with_or_without_bom_reads_as_is() -> None:
    for content in ("a,b\r\nCôte,1\r\n".encode(), b"\xef\xbb\xbfa,b\nC\xc3\xb4te,1\n"):
        sheet = open_sheet(content, file="f.csv")
        assert sheet.rows == [["a", "b"], ["Côte", "1"]]
        assert sheet.notes == ()


def test_windows_1252_is_read_with_a_note() -> None:
    sheet = open_sheet("a;b\nTürkiye;0,5\n".encode("cp1252"), file="f.csv")
    assert sheet.rows == [["a", "b"], ["Türkiye", "0,5"]]
    assert sheet.decimal_comma
    assert [note.code for note in sheet.notes] == ["encoding-cp1252"]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        ("a,b\n1,2\n".encode("utf-16"), "encoding"),
        ("a,b\n1,2\n".encode("utf-32"), "encoding"),
        (b"a,b\n1,\x002\n", "encoding"),
        (b"a,b\n\x81,2\n", "encoding"),
        (b"", "empty-file"),
        (b" \n\r\n", "empty-file"),
        (b"[1, 2]", "unreadable-json"),
        (b"PK\x03\x04 not really a zip", "unreadable-xlsx"),
    ],
)
def test_what_cannot_be_read_is_refused_with_one_issue(content: bytes, code: str) -> None:
    with pytest.raises(Unreadable) as caught:
        open_sheet(content, file="f.csv")
    assert caught.value.issue.code == code
    assert caught.value.issue.file == "f.csv"


@pytest.mark.parametrize(
    ("line", "separator_gives"),
    [
        ('a,b;c,"x;y;z"', ["a", "b;c", "x;y;z"]),
        ("a;b;c,d", ["a", "b", "c,d"]),
        ("a\tb\tc", ["a", "b", "c"]),
    ],
)
def test_the_separator_is_the_most_frequent_outside_quotes(
    line: str, separator_gives: list[str]
) -> None:
    assert open_sheet(line.encode(), file="f.csv").rows[0] == separator_gives


def test_json_records_become_a_header_and_rows_numbered_like_the_csv_export() -> None:
    content = b'[{"year": 2022, "iso3": "IRQ", "egdi": 0.4383, "rank": null}, {"x": true}]'
    sheet = open_sheet(content, file="t.json")
    assert sheet.container == "json"
    assert sheet.rows == [
        ["year", "iso3", "egdi", "rank", "x"],
        ["2022", "IRQ", "0.4383", "", ""],
        ["", "", "", "", "TRUE"],
    ]


def test_cells_keep_every_digit_of_a_float() -> None:
    assert cell_text(0.6955600000000001) == "0.6955600000000001"
    assert cell_text(174) == "174"
    assert cell_text(None) == ""
