"""Reading CSV files as Norwegian users really produce them.

Excel in a Norwegian locale writes semicolon-separated files with decimal
commas; other tools write comma-separated files with decimal points; either may
carry a UTF-8 byte-order mark. :func:`read_csv` detects the separator from the
header line, strips the BOM and reads numbers with the decimal mark that the
separator allows. It never reads "1,5" as 15: in a comma-separated file a
value like that is a problem reported with its row, and in a semicolon file it
is one and a half. Text that is not UTF-8 is rejected with the line where
decoding failed. The standard library's :mod:`csv` does the parsing (quotes,
embedded separators and newlines); pandas does not offer per-file detection of
the decimal mark with a clear error, so that part is ours.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from procurement.case.errors import InputError, Problem, ProblemList, did_you_mean, display_path

_NUMBER_POINT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_NUMBER_COMMA = re.compile(r"^[+-]?(\d+(,\d*)?|,\d+)([eE][+-]?\d+)?$")
# thousands separators as Norwegian users type them: space, no-break space, narrow no-break space
_THOUSANDS = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d{3}\b)")


@dataclass
class Table:
    """A CSV file read into text cells, with its dialect and source rows."""

    path: Path
    frame: pd.DataFrame  # all cells as str ("" for empty); columns lower-cased
    delimiter: str
    decimal: str
    lines: list[int]  # the file line number of each data row

    @property
    def name(self) -> str:
        return display_path(self.path)

    def where(self, i: int) -> str:
        return f"row {self.lines[i]}"


def read_text(path: Path) -> str:
    """File text as UTF-8 (BOM stripped), or an InputError naming the line."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(Problem(display_path(path), "", "file not found")) from None
    except OSError as e:
        raise InputError(Problem(display_path(path), "", f"cannot be read: {e.strerror}")) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise InputError(
            Problem(
                display_path(path),
                f"line {line}",
                "text is not UTF-8",
                "save the file as 'CSV UTF-8' (Excel) or UTF-8 in your editor",
            )
        ) from None


def read_csv(
    path: str | Path,
    required: Sequence[str],
    optional: Sequence[str] = (),
) -> Table:
    """Read a CSV file into a :class:`Table` of text cells.

    Raises InputError for an empty file, a missing or unknown column, a row
    with the wrong number of fields, or text that is not UTF-8.
    """
    path = Path(path)
    name = display_path(path)
    text = read_text(path)
    empty = Problem(name, "", "the file is empty", f"expected a header line with: {', '.join(required)}")
    header_line = next((line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")), None)
    if header_line is None:
        raise InputError(empty)
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    decimal = "," if delimiter == ";" else "."
    parsed = _parse_rows(text, delimiter)
    if not parsed:  # e.g. only separators, as Excel saves a cleared sheet
        raise InputError(empty)
    header = [h.strip().lower() for h in parsed[0][1]]
    problems = ProblemList()
    _check_header(path, header, required, optional, problems)
    data, lines = _rows_matching_header(path, parsed[1:], header, delimiter, problems)
    problems.raise_if_any()
    frame = pd.DataFrame(data, columns=header, dtype=object)
    for col in optional:
        if col not in frame.columns:
            frame[col] = ""
    return Table(path=path, frame=frame, delimiter=delimiter, decimal=decimal, lines=lines)


def _parse_rows(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """Non-empty, non-comment records with their line numbers; csv handles quotes and newlines inside quotes."""
    body = "\n".join(line for line in text.splitlines())
    reader = csv.reader(io.StringIO(body), delimiter=delimiter)
    parsed: list[tuple[int, list[str]]] = []
    for fields in reader:
        if not fields or all(not f.strip() for f in fields):
            continue
        if fields[0].lstrip().startswith("#"):
            continue
        parsed.append((reader.line_num, [f.strip() for f in fields]))
    return parsed


def _check_header(path: Path, header: list[str], required: Sequence[str], optional: Sequence[str], problems: ProblemList) -> None:
    known = list(required) + list(optional)
    for col in header:
        if col not in known:
            problems.add(path, f"column '{col}'", "unknown column", did_you_mean(col, known))
    dupes = {c for c in header if header.count(c) > 1}
    for col in sorted(dupes):
        problems.add(path, f"column '{col}'", "appears more than once", "keep one")
    for col in required:
        if col not in header:
            problems.add(path, "header", f"missing column '{col}'", f"the header must have: {', '.join(required)}")


def _rows_matching_header(
    path: Path, body: list[tuple[int, list[str]]], header: list[str], delimiter: str, problems: ProblemList
) -> tuple[list[list[str]], list[int]]:
    """The rows with one field per column and their line numbers; a problem for each other row."""
    data: list[list[str]] = []
    lines: list[int] = []
    for lineno, fields in body:
        if len(fields) != len(header):
            hint = "quote text that contains the separator"
            if delimiter == "," and len(fields) > len(header):
                hint = (
                    "a decimal comma in a comma-separated file splits the value; "
                    "use a decimal point, or save with ';' as separator"
                )
            problems.add(path, f"row {lineno}", f"has {len(fields)} fields, the header has {len(header)}", hint)
            continue
        data.append(fields)
        lines.append(lineno)
    return data, lines


def parse_number(text: str, decimal: str) -> float | None:
    """A number written with the given decimal mark, or None if it is not one.

    Thousands separators (space or no-break space between digit groups) are
    accepted. In a comma-separated file ('.' decimals) '1,5' is not a number.
    """
    s = _THOUSANDS.sub("", text.strip())
    if decimal == ",":
        if not _NUMBER_COMMA.match(s):
            return None
        s = s.replace(",", ".")
    elif not _NUMBER_POINT.match(s):
        return None
    value = float(s)
    return value if math.isfinite(value) else None


def number_column(
    table: Table,
    column: str,
    problems: ProblemList,
    required: bool = True,
) -> list[float | None]:
    """Parse one column as numbers, adding a problem for every bad cell."""
    out: list[float | None] = []
    for i, cell in enumerate(table.frame[column].tolist()):
        if cell == "":
            if required:
                problems.add(table.path, f"{table.where(i)}, column '{column}'", "is empty", "a number is required")
            out.append(None)
            continue
        value = parse_number(cell, table.decimal)
        if value is None:
            if table.decimal == "." and parse_number(cell, ",") is not None:
                hint = (
                    f"this file uses ',' as separator, so decimals must use a point: write "
                    f"'{cell.replace(',', '.')}', or save the file with ';' as separator"
                )
            elif table.decimal == "," and parse_number(cell, ".") is not None:
                hint = f"this file uses ';' as separator and decimal commas: write '{cell.replace('.', ',')}'"
            else:
                hint = "expected a number"
            problems.add(table.path, f"{table.where(i)}, column '{column}'", f"'{cell}' is not a number", hint)
            out.append(None)
        else:
            out.append(value)
    return out


def check_ids(
    table: Table,
    column: str,
    valid: Iterable[str],
    problems: ProblemList,
    what: str,
    rows: Iterable[int] | None = None,
) -> list[bool]:
    """Flag every cell of `column` that is not one of `valid`; return a mask of good cells."""
    valid = set(valid)
    ok = []
    idx = range(len(table.frame)) if rows is None else rows
    values = table.frame[column].tolist()
    for i in idx:
        v = values[i]
        good = v in valid
        if not good:
            if v == "":
                problems.add(table.path, f"{table.where(i)}, column '{column}'", "is empty", f"give a {what} id")
            else:
                problems.add(table.path, f"{table.where(i)}, column '{column}'", f"unknown {what} '{v}'", did_you_mean(v, valid))
        ok.append(good)
    return ok
