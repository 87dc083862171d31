"""Text from input files is data: cells that a spreadsheet program would run as a formula stay text.

A CSV cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or their full-width forms) is read
as a formula by spreadsheet programs (OWASP: CSV injection); :func:`csv_safe` puts a ``'`` in front of it. Every
CSV the workbench writes (the command line's ``--format csv``, the report's tables) goes through
:func:`csv_safe_frame`.

An Excel workbook has cell types, so no quote is needed there: every cell any writer of the workbench fills (the
report's ``results.xlsx``, the case workbook of ``procurement export``, the weighting forms, the tender evaluator
forms) goes through :func:`put` (or :func:`put_at`, :func:`put_row`), which stores every string as text. openpyxl
otherwise stores a string that starts with ``=`` as a formula and one such as ``#REF!`` as an error; :func:`put`
sets the cell's type to text afterwards, marks text that starts like a formula with Excel's quote prefix (so
editing the cell in Excel keeps it text) and replaces the characters a workbook cannot hold. Numbers, dates and
booleans stay what they are. The only formulas in a written workbook are the writers' own, built from cell
references with :func:`put_formula`. Like the rest of ``text/``, this module imports nothing else of the package
(and not openpyxl: it works on the cells a writer hands it).
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

#: a cell starting with one of these is read as a formula by spreadsheet programs (OWASP CSV injection)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_safe(value: Any) -> Any:
    """`value` ready for a CSV cell: text that a spreadsheet would run as a formula gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells, index labels and headers are :func:`csv_safe`."""
    out = frame.copy()
    for c in out.columns:
        if not pd.api.types.is_numeric_dtype(out[c]):
            out[c] = out[c].map(csv_safe)
    out.columns = [csv_safe(c) for c in out.columns]
    if not pd.api.types.is_numeric_dtype(out.index):
        out.index = out.index.map(csv_safe)
    return out


# --- Excel cells ---------------------------------------------------------------------------------------------------

#: what a workbook cell cannot hold (XML 1.0): C0 controls but tab, line feed and carriage return
_EXCEL_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")


def excel_text(value: str) -> str:
    """`value` with the characters Excel cannot store (C0 controls but tab and line ends) replaced by U+FFFD."""
    return _EXCEL_ILLEGAL.sub("\ufffd", value)


def put(cell: Any, value: Any, number_format: str | None = None) -> Any:
    """Store `value` in an openpyxl cell and return the cell: a string as text (never a formula or an error value),
    NaN as an empty cell, anything else as openpyxl stores it; `number_format` for a value that is not empty."""
    if isinstance(value, str):
        value = excel_text(value)
    elif isinstance(value, float) and value != value:
        value = None
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl made '=…' a formula and '#REF!' an error: text it is
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True  # Excel keeps it text when the cell is edited
    if number_format and value is not None:
        cell.number_format = number_format
    return cell


def put_at(ws: Any, row: int, column: int, value: Any, number_format: str | None = None) -> Any:
    """:func:`put` into the cell at `row` and `column` (1-based) of worksheet `ws`; the cell."""
    return put(ws.cell(row=row, column=column), value, number_format)


def put_row(ws: Any, values: list[Any]) -> int:
    """:func:`put` `values` into the next row of `ws` (as ``ws.append`` would, but text stays text); its number."""
    row = ws.max_row + 1 if ws.max_row > 1 or any(c.value is not None for c in ws[1]) else 1
    for column, value in enumerate(values, start=1):
        put_at(ws, row, column, value)
    return row


def put_formula(cell: Any, formula: str) -> Any:
    """A formula the writer builds itself from cell references (e.g. ``=SUM(E9:E14)``), never from input text."""
    if not formula.startswith("="):
        raise ValueError(f"not a formula: {formula!r}")
    cell.value = formula
    return cell
