"""Tables as JSON-ready records: plain Python values, full precision, NaN and missing values as None."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd


def plain(value: Any) -> Any:
    """One cell as a plain JSON value: numpy scalars as Python numbers, NaN and NA as None."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``table`` as dicts (column -> plain value), in order; the index is left out."""
    columns = [str(c) for c in table.columns]
    return [{c: plain(v) for c, v in zip(columns, row, strict=True)} for row in table.itertuples(index=False, name=None)]
