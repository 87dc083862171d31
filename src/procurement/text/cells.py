"""Text from input files is data: cells that a spreadsheet program would run as a formula stay text.

A CSV cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or their full-width forms) is read
as a formula by spreadsheet programs (OWASP: CSV injection); :func:`csv_safe` puts a ``'`` in front of it. Every
CSV the workbench writes (the command line's ``--format csv``, the report's tables) goes through
:func:`csv_safe_frame`. Like the rest of ``text/``, this module imports nothing else of the package.
"""

from __future__ import annotations

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
