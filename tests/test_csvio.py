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


# --- issue 16: only real line ends end a row; quotes, separators, sizes and controls in one line each ---------------


def _problems(tmp_path, content: str, columns=COLUMNS) -> list[str]:
    p = tmp_path / "t.csv"
    p.write_bytes(content.encode("utf-8"))
    with pytest.raises(InputError) as e:
        read_csv(p, columns)
    return [str(x) for x in e.value.problems]


@pytest.mark.parametrize("quoted", [False, True])
def test_line_separator_inside_a_name_stays_in_the_field(tmp_path, quoted):
    """U+2028 ends a line for str.splitlines(), not for a CSV file: the row keeps its two fields."""
    name = "Bø\u2028kommune"
    cell = f'"{name}"' if quoted else name
    p = tmp_path / "t.csv"
    p.write_text(f"name,value\n{cell},1\nx,2\n", encoding="utf-8")
    t = read_csv(p, COLUMNS)
    assert t.frame["name"].tolist() == [name, "x"]
    assert t.lines == [2, 3]


def test_vertical_tab_stays_in_its_field_and_is_refused_there(tmp_path):
    (line,) = _problems(tmp_path, "name,value\nx,1\nBø\x0bkommune,2\n")
    assert line.endswith("t.csv: row 3, column 'name': contains the control character U+000B "
                         "(Excel and the reports cannot hold it; remove it (a tab or line break inside quotes is fine))")


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b"])
def test_control_characters_are_refused_naming_row_and_column(tmp_path, char):
    (line,) = _problems(tmp_path, f"name,value\nok,1\nbad{char}name,2\n")
    assert f"row 3, column 'name': contains the control character U+{ord(char):04X}" in line


def test_unterminated_quote_is_reported_where_it_opens(tmp_path):
    (line,) = _problems(tmp_path, 'name,value\na,1\n"b,2\nc,3\nd,4\n')
    assert "t.csv: row 3: a quote opened in this row is never closed" in line


def test_quote_closed_rows_later_names_both_rows(tmp_path):
    (line,) = _problems(tmp_path, 'name,value\n"a,1\nb,2\nc"x,3\n')
    assert "row 2: a quote opened in this row is not closed on it: the field runs on to row 4" in line


def test_semicolon_header_over_comma_rows_is_one_problem(tmp_path):
    rows = "".join(f"x{i},{i}\n" for i in range(20))
    (line,) = _problems(tmp_path, "name;value\n" + rows)
    assert "t.csv: header: the header is separated by ';' but 20 rows (2–21) by ','" in line


def test_a_few_bad_rows_are_still_named_one_by_one(tmp_path):
    lines = _problems(tmp_path, "name,value\na,1\nb,2,3\nc,4\nd\n")
    assert [x.split(": ", 1)[1] for x in lines] == [
        "row 3: has 3 fields, the header has 2 (a decimal comma in a comma-separated file splits the value; "
        "use a decimal point, or save with ';' as separator)",
        "row 5: has 1 fields, the header has 2 (quote text that contains the separator)",
    ]


def test_field_over_the_limit_is_one_line(tmp_path):
    from procurement.case.csvio import MAX_FIELD

    (line,) = _problems(tmp_path, f"name,value\n{'x' * 140_000},1\n")
    assert f"row 2, column 'name': is 140,000 characters long, more than the {MAX_FIELD:,} a cell may hold" in line
    assert len(line) < 300


def test_a_field_at_the_limit_is_read(tmp_path):
    from procurement.case.csvio import MAX_FIELD

    p = tmp_path / "t.csv"
    p.write_text(f"name,value\n{'x' * MAX_FIELD},1\n", encoding="utf-8")
    assert len(read_csv(p, COLUMNS).frame.at[0, "name"]) == MAX_FIELD


def test_semicolon_file_hint_for_thousands_point_offers_both_readings(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("name;value\nx;1.500\ny;2.5\n", encoding="utf-8")
    t = read_csv(p, COLUMNS)
    problems = ProblemList()
    assert number_column(t, "value", problems) == [None, None]
    first, second = (str(x) for x in problems.problems)
    assert "write '1500' for a whole number (no thousands point) or '1,5' for a decimal number" in first
    assert second.endswith("this file uses ';' as separator and ',' as decimal mark: write '2,5')")
    # the hint's suggestions read back as what they say in this dialect
    assert parse_number("1500", ",") == 1500.0 and parse_number("1,5", ",") == 1.5


def test_comma_file_hint_for_thousands_comma_offers_both_readings(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text('name,value\nx,"1,500"\n', encoding="utf-8")
    t = read_csv(p, COLUMNS)
    problems = ProblemList()
    number_column(t, "value", problems)
    assert "write '1500' for a whole number (no thousands comma) or '1.5' for a decimal number" in str(problems.problems[0])


def test_fifo_folder_and_symlink_loop_are_one_line_each(tmp_path):
    import os

    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    loop = tmp_path / "loop.csv"
    os.symlink("loop.csv", loop)
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    for path, words in ((fifo, "is not a regular file"), (loop, "cannot be read: Too many levels of symbolic links"),
                        (folder, "is a folder, not a file")):
        with pytest.raises(InputError) as e:
            read_csv(path, COLUMNS)
        (line,) = [str(x) for x in e.value.problems]
        assert words in line


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path, monkeypatch):
    from procurement.case import csvio

    monkeypatch.setattr(csvio, "MAX_CSV_BYTES", 100)
    p = tmp_path / "t.csv"
    p.write_text("name,value\n" + "x,1\n" * 50, encoding="utf-8")
    with pytest.raises(InputError) as e:
        csvio.read_csv(p, COLUMNS)
    assert "is 211 bytes, more than the 100 the workbench reads" in str(e.value)


def test_unknown_ids_on_many_rows_are_one_line(tmp_path):
    from procurement.case.csvio import check_ids

    p = tmp_path / "t.csv"
    p.write_text("name,value\n" + "".join(f"gone,{i}\n" for i in range(40)) + "kept,1\n", encoding="utf-8")
    t = read_csv(p, COLUMNS)
    problems = ProblemList()
    ok = check_ids(t, "name", ["kept", "goner"], problems, "thing")
    assert ok == [False] * 40 + [True]
    (line,) = [str(x) for x in problems.problems]
    assert "rows 2, 3, 4, 5, 6 and 35 more, column 'name': unknown thing 'gone' (did you mean 'goner'?)" in line
