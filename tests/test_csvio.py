"""CSV dialects as Norwegian users produce them all read to the same numbers."""

from __future__ import annotations

import pytest

from procurement.case.csvio import number_column, parse_number, read_csv
from procurement.case.errors import InputError, ProblemList

COLUMNS = ["name", "value"]


@pytest.mark.parametrize(
    "content",
    [
        "name,value\nÆrlig,1.5\nBø,2000\n",
        "name;value\nÆrlig;1,5\nBø;2000\n",
        "\ufeffname;value\r\nÆrlig;1,5\r\nBø;2 000\r\n",
        "\ufeffname,value\nÆrlig,1.5\nBø,2000\n",
        "Name ; Value\nÆrlig ; 1,5\nBø ; 2000\n",
        '# comment line\nname,value\n"Ærlig",1.5\n"Bø",2000\n',
    ],
    ids=["comma-point", "semicolon-comma", "bom-crlf-thousands", "bom-comma", "blanks-case", "comment-quoted"],
)
def test_dialects_read_to_same_numbers(tmp_path, content):
    p = tmp_path / "t.csv"
    p.write_bytes(content.encode("utf-8"))
    t = read_csv(p, COLUMNS)
    problems = ProblemList()
    assert number_column(t, "value", problems) == [1.5, 2000.0]
    assert t.frame["name"].tolist() == ["Ærlig", "Bø"]
    assert not problems


def test_decimal_comma_in_comma_file_is_never_fifteen(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text('name,value\nx,"1,5"\n', encoding="utf-8")
    t = read_csv(p, COLUMNS)
    problems = ProblemList()
    assert number_column(t, "value", problems) == [None]
    (prob,) = problems.problems
    assert "row 2" in prob.where and "'1,5' is not a number" in prob.message
    assert "'1.5'" in prob.hint


def test_unquoted_decimal_comma_gives_field_count_problem(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("name,value\nx,1,5\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_csv(p, COLUMNS)
    assert "row 2" in str(e.value) and "decimal comma" in str(e.value)


def test_not_utf8_names_the_line(tmp_path):
    p = tmp_path / "t.csv"
    p.write_bytes("name;value\nx;1\nBærum;2\n".encode("cp1252"))
    with pytest.raises(InputError) as e:
        read_csv(p, COLUMNS)
    assert "line 3" in str(e.value) and "not UTF-8" in str(e.value)


def test_empty_file(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("\n\n", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        read_csv(p, COLUMNS)


def test_unknown_and_missing_columns(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("name,valeu\nx,1\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_csv(p, COLUMNS)
    text = str(e.value)
    assert "unknown column" in text and "did you mean 'value'" in text
    assert "missing column 'value'" in text


@pytest.mark.parametrize(
    "text,decimal,expected",
    [("1,5", ",", 1.5), ("1.5", ".", 1.5), ("-3", ".", -3.0), ("1 234,5", ",", 1234.5),
     ("1,5", ".", None), ("1.5", ",", None), ("abc", ".", None), ("", ".", None)],
)
def test_parse_number(text, decimal, expected):
    assert parse_number(text, decimal) == expected
