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
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pandas as pd

from procurement.case import textfile

from procurement.case.errors import InputError, Problem, ProblemList, clip, control_characters, did_you_mean, display_path

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


#: Largest CSV file read, in bytes (64 MB: about a million rows of cash flows).
MAX_CSV_BYTES = 64 * 1024 * 1024
#: Most characters in one field: Excel's limit for a cell, so every cell can reach results.xlsx.
MAX_FIELD = 32_767
_REAL_LINE_END = re.compile(r"\r\n|\r|\n")


def read_text(path: Path, limit: int | None = None) -> str:
    """File text as UTF-8 (BOM stripped), or an InputError in one line (see :func:`procurement.case.textfile.read_text`);
    `limit` is the largest size read in bytes (default :data:`MAX_CSV_BYTES`)."""
    return textfile.read_text(path, MAX_CSV_BYTES if limit is None else limit)


def separator(text: str) -> str | None:
    """The file's separator: ``;`` when its header line (the first that is neither blank nor a comment) holds more
    semicolons than commas, else ``,``; None for a file without a header line."""
    header_line = next(
        (line for line in _REAL_LINE_END.split(text) if line.strip() and not line.lstrip().startswith("#")), None
    )
    if header_line is None:
        return None
    return ";" if header_line.count(";") > header_line.count(",") else ","


def read_csv(
    path: str | Path,
    required: Sequence[str],
    optional: Sequence[str] = (),
) -> Table:
    """Read a CSV file into a :class:`Table` of text cells.

    Raises InputError for an empty file, a missing or unknown column, a row
    with the wrong number of fields (one line when the header and the rows use
    different separators), an unterminated quote (named at the row where it
    opens), a field over :data:`MAX_FIELD` characters, a control character
    Excel cannot hold, or text that is not UTF-8. Only real line ends (CR, LF,
    CRLF) end a row: U+2028 or a vertical tab inside a field stays in it.
    """
    path = Path(path)
    name = display_path(path)
    text = read_text(path)
    empty = Problem(name, "", "the file is empty", f"expected a header line with: {', '.join(required)}")
    delimiter = separator(text)
    if delimiter is None:
        raise InputError(empty)
    decimal = "," if delimiter == ";" else "."
    parsed = _parse_rows(path, text, delimiter)
    if not parsed:  # e.g. only separators, as Excel saves a cleared sheet
        raise InputError(empty)
    header = [h.strip().lower() for h in parsed[0][1]]
    problems = ProblemList()
    _check_header(path, header, required, optional, problems)
    data, lines = _rows_matching_header(path, text, parsed[1:], header, delimiter, problems)
    _check_cells(path, header, data, lines, problems)
    problems.raise_if_any()
    frame = pd.DataFrame(data, columns=header, dtype=object)
    for col in optional:
        if col not in frame.columns:
            frame[col] = ""
    return Table(path=path, frame=frame, delimiter=delimiter, decimal=decimal, lines=lines)


def scan_csv(path: str | Path) -> None:
    """Read any CSV file of a case within the limits (size, quotes, field length, control characters), whatever its
    columns; InputError with one line per problem. ``validate`` runs it on the files no reader of its own checks."""
    path = Path(path)
    text = read_text(path)
    delimiter = separator(text)
    if delimiter is None:
        return
    parsed = _parse_rows(path, text, delimiter)
    problems = ProblemList()
    if parsed:
        header = [h.strip().lower() for h in parsed[0][1]]
        width = max(len(f) for _, f in parsed)
        names = header + [f"#{i + 1}" for i in range(len(header), width)]
        rows = [fields + [""] * (width - len(fields)) for _, fields in parsed]
        _check_cells(path, names, rows, [line for line, _ in parsed], problems)
    problems.raise_if_any()


def _parse_rows(path: Path, text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """Non-empty, non-comment records with the line each starts on.

    The csv module reads the raw text (quotes, separators and line ends inside
    quotes); a quote that is never closed, or text after a closing quote, is
    one problem at the row where the record starts.
    """
    csv.field_size_limit(max(csv.field_size_limit(), MAX_CSV_BYTES))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    parsed: list[tuple[int, list[str]]] = []
    start = 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            raise InputError(_quote_problem(path, start, reader.line_num, str(e), text)) from None
        first, start = start, reader.line_num + 1
        if not fields or all(not f.strip() for f in fields):
            continue
        if fields[0].lstrip().startswith("#"):
            continue
        parsed.append((first, [f.strip() for f in fields]))
    return parsed


def _quote_problem(path: Path, line: int, found: int, error: str, text: str) -> Problem:
    """The problem for a csv.Error in the record that starts on `line` and was read up to line `found`."""
    row = _REAL_LINE_END.split(text)[line - 1] if line >= 1 else ""
    hint = f"close the quote in '{clip(row)}'; a quote inside quoted text is written twice (\"\")"
    if "unexpected end of data" in error:
        return Problem(display_path(path), f"row {line}", "a quote opened in this row is never closed", hint)
    if found > line:
        return Problem(display_path(path), f"row {line}", f"a quote opened in this row is not closed on it: the field runs "
                       f"on to row {found}", hint)
    return Problem(display_path(path), f"row {line}", f"text follows a closing quote ({error})",
                   f"in '{clip(row)}' put the whole field in quotes and write a quote inside it twice (\"\")")


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
    path: Path, text: str, body: list[tuple[int, list[str]]], header: list[str], delimiter: str, problems: ProblemList
) -> tuple[list[list[str]], list[int]]:
    """The rows with one field per column and their line numbers; a problem for each other row.

    When most rows would fit the header split by the other separator, that is one problem, not one per row.
    """
    data: list[list[str]] = []
    lines: list[int] = []
    bad: list[tuple[int, list[str]]] = []
    for lineno, fields in body:
        if len(fields) != len(header):
            bad.append((lineno, fields))
            continue
        data.append(fields)
        lines.append(lineno)
    if not bad:
        return data, lines
    other = "," if delimiter == ";" else ";"
    if len(header) > 1 and _other_separator_fits(text, bad, header, other):
        first, last = bad[0][0], bad[-1][0]
        rows = f"row {first}" if len(bad) == 1 else f"{len(bad)} rows ({first}–{last})"
        problems.add(path, "header", f"the header is separated by '{delimiter}' but {rows} by '{other}'",
                     f"use one separator throughout: save the file again from Excel, or replace '{other}' by '{delimiter}'")
        return data, lines
    for lineno, fields in bad:
        hint = "quote text that contains the separator"
        if delimiter == "," and len(fields) > len(header):
            hint = (
                "a decimal comma in a comma-separated file splits the value; "
                "use a decimal point, or save with ';' as separator"
            )
        problems.add(path, f"row {lineno}", f"has {len(fields)} fields, the header has {len(header)}", hint)
    return data, lines


def _other_separator_fits(text: str, bad: list[tuple[int, list[str]]], header: list[str], other: str) -> bool:
    """Whether most of the misfit rows have the header's field count when split by `other`."""
    physical = _REAL_LINE_END.split(text)
    fits = 0
    for lineno, _ in bad:
        line = physical[lineno - 1] if lineno - 1 < len(physical) else ""
        try:
            fields = next(csv.reader([line], delimiter=other))
        except (csv.Error, StopIteration):
            continue
        fits += len(fields) == len(header)
    return fits * 2 > len(bad)


def _check_cells(path: Path, header: list[str], data: list[list[str]], lines: list[int], problems: ProblemList) -> None:
    """A problem for each cell longer than MAX_FIELD or with a character Excel cannot hold."""
    for fields, lineno in zip(data, lines, strict=True):
        for col, cell in zip(header, fields, strict=True):
            if len(cell) > MAX_FIELD:
                problems.add(path, f"row {lineno}, column '{col}'",
                             f"is {len(cell):,} characters long, more than the {MAX_FIELD:,} a cell may hold",
                             "shorten it (the most Excel holds in a cell); put long text in a document and cite it")
            bad = control_characters(cell)
            if bad:
                problems.add(path, f"row {lineno}, column '{col}'", f"contains the control character {bad}",
                             "Excel and the reports cannot hold it; remove it (a tab or line break inside quotes is fine)")


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


_GROUPED_POINT = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")
_GROUPED_COMMA = re.compile(r"^[+-]?\d{1,3}(,\d{3})+$")


def _semicolon_hint(cell: str) -> str:
    """What to write for a point-decimal number in a ';' file (where ',' is the decimal mark)."""
    decimal = f"{float(cell.strip()):g}".replace(".", ",")
    if _GROUPED_POINT.match(cell.strip()):  # '1.500': fifteen hundred with a thousands point, or 1.5
        whole = cell.strip().replace(".", "")
        return (f"this file uses ';' as separator and ',' as decimal mark: write '{whole}' for a whole number "
                f"(no thousands point) or '{decimal}' for a decimal number")
    return f"this file uses ';' as separator and ',' as decimal mark: write '{decimal}'"


def _comma_hint(cell: str) -> str:
    """What to write for a comma-decimal number in a ',' file (where '.' is the decimal mark)."""
    point = f"{float(cell.strip().replace(',', '.')):g}"
    if _GROUPED_COMMA.match(cell.strip()):  # '1,500': fifteen hundred with a thousands comma, or 1.5
        whole = cell.strip().replace(",", "")
        return (f"this file uses ',' as separator and '.' as decimal mark: write '{whole}' for a whole number "
                f"(no thousands comma) or '{point}' for a decimal number")
    return f"this file uses ',' as separator, so decimals use a point: write '{point}', or save the file with ';' as separator"


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
                hint = _comma_hint(cell)
            elif table.decimal == "," and parse_number(cell, ".") is not None:
                hint = _semicolon_hint(cell)
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
    """Flag every cell of `column` that is not one of `valid`; return a mask of good cells.

    Rows with the same unknown id are one problem naming them all (a decision missing from case.yaml is one
    line for options.csv, not one per option).
    """
    valid = set(valid)
    ok = []
    idx = range(len(table.frame)) if rows is None else rows
    values = table.frame[column].tolist()
    bad: dict[str, list[int]] = {}
    for i in idx:
        v = values[i]
        good = v in valid
        if not good:
            bad.setdefault(v, []).append(i)
        ok.append(good)
    for v, where in bad.items():
        place = f"{_rows(table, where)}, column '{column}'"
        if v == "":
            problems.add(table.path, place, "is empty", f"give a {what} id")
        else:
            problems.add(table.path, place, f"unknown {what} '{v}'", did_you_mean(v, valid))
    return ok


def _rows(table: Table, positions: list[int]) -> str:
    """'row 7', or 'rows 7, 9, 12' (the first five, then how many more) for several rows."""
    if len(positions) == 1:
        return table.where(positions[0])
    shown = ", ".join(str(table.lines[i]) for i in positions[:5])
    more = f" and {len(positions) - 5} more" if len(positions) > 5 else ""
    return f"rows {shown}{more}"


# ---------------------------------------------------------------------------
# Changing only the rows that must change (``collect`` and ``tender collect``)

_T = TypeVar("_T")
_K = TypeVar("_K", bound=Hashable)
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


@dataclass(frozen=True)
class Record:
    """One record of a CSV file as written: its lines with their line ends, and its fields (None for a comment
    or a blank line)."""

    text: str
    fields: list[str] | None


def records(text: str, delimiter: str) -> list[Record]:
    """The file's records in order, each with its own bytes (quotes, number spelling, line ends), so a file put
    back together from them is the file it was read from."""
    lines = _LINE.findall(text)
    out: list[Record] = []
    i = 0
    while i < len(lines):
        if not lines[i].strip() or lines[i].lstrip().startswith("#"):
            out.append(Record(lines[i], None))
            i += 1
            continue
        reader = csv.reader(iter(lines[i:]), delimiter=delimiter)
        fields = next(reader)
        out.append(Record("".join(lines[i:i + reader.line_num]), fields))
        i += reader.line_num
    return out


def line_end(text: str) -> str:
    """The line end the file uses (that of its first line; ``\\n`` for a file without one)."""
    first = _LINE.match(text)
    end = first.group(0)[len(first.group(0).rstrip("\r\n")):] if first else ""
    return end or "\n"


def csv_line(fields: Sequence[str], delimiter: str, end: str) -> str:
    """One record written the way the csv module quotes it, ending in `end`."""
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator=end).writerow(fields)
    return buf.getvalue()


def joined(texts: Iterable[str], end: str) -> str:
    """Records' texts one after the other; a text that does not end a line (the file's last) gets `end` before
    another is put after it."""
    out = ""
    for t in texts:
        if out and not out.endswith(("\n", "\r")):
            out += end
        out += t
    return out


def merged_in_place(items: Iterable[_T], key: Callable[[_T], _K | None], new: Mapping[_K, list[_T]]) -> list[_T]:
    """`items` in order, where the first item whose key is in `new` takes that key's new items and its other items
    go; the new items of a key no item has come at the end. A diff of the result shows only the changed keys."""
    out: list[_T] = []
    placed: set[_K] = set()
    for item in items:
        k = key(item)
        if k is not None and k in new:
            if k not in placed:
                out += new[k]
                placed.add(k)
            continue
        out.append(item)
    return out + [x for k, xs in new.items() if k not in placed for x in xs]


def with_comment_lines(text: str, replaces: Sequence[str], added: Sequence[str]) -> str:
    """`text` with `added` comment lines after its leading comments, in place of the leading comment lines that
    start with one of `replaces` (a provenance line from an earlier collect). Line ends are the file's own."""
    end = line_end(text)
    lines = _LINE.findall(text)
    head = 0
    while head < len(lines) and lines[head].lstrip().startswith("#"):
        head += 1
    kept = [x for x in lines[:head] if not x.startswith(tuple(replaces))]
    return "".join(kept) + "".join(" ".join(a.split()) + end for a in added) + "".join(lines[head:])
