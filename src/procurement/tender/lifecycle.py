"""Life-cycle cost as the evaluated price: ``lifecycle.csv`` (``tenderer``, ``year``, ``amount``, optional ``item``)
discounted to the model's ``lifecycle.base_year`` with the cost-benefit module's R-109 discount factors
(:func:`procurement.cba.discounting.discount_factors`: 4 % to year 40, then 3 %, then 2 %).

:func:`read_present_values` checks the file against the model and the tenderers of ``tenders.csv`` and returns
each tenderer's present value; the caller (:func:`procurement.tender.competition.load_folder`) makes it the price.
This module knows nothing of a competition, so the two never import each other.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from procurement.case.csvio import check_ids, number_column, read_csv
from procurement.case.errors import ProblemList
from procurement.tender.models import EvaluationModel


def present_values(rows: pd.DataFrame, base_year: int) -> pd.Series:
    """Present value per tenderer of rows (tenderer, year, amount), in the base year's prices and money."""
    # lazy: procurement.cba imports scipy (about 0.4 s at start); only a competition with a lifecycle.csv needs it
    from procurement.cba.discounting import discount_factors
    from procurement.cba.parameters import load_parameters

    df = discount_factors(rows["year"].to_numpy(dtype=int) - base_year, load_parameters())
    return pd.Series(rows["amount"].to_numpy(dtype=float) * df, index=rows["tenderer"].to_numpy()).groupby(level=0).sum()


def read_present_values(path: Path, model: EvaluationModel, tenderers: list[str], problems: ProblemList) -> pd.Series | None:
    """Read and check lifecycle.csv; each tenderer's present value (None, with the problems added, when it is bad)."""
    if model.lifecycle is None:
        problems.add(path, "", "lifecycle.csv exists but model.yaml has no 'lifecycle' key",
                     "add lifecycle: {base_year: 2027} to model.yaml, or remove lifecycle.csv")
        return None
    base = model.lifecycle.base_year
    table = read_csv(path, ["tenderer", "year", "amount"], ["item"])
    n = len(problems)
    ok = check_ids(table, "tenderer", tenderers, problems, "tenderer")
    years = number_column(table, "year", problems)
    amounts = number_column(table, "amount", problems)
    for i, y in enumerate(years):
        if y is not None and (y != int(y) or y < base):
            problems.add(path, f"{table.where(i)}, column 'year'", f"{y:g} is not a whole year from {base} on",
                         f"give a calendar year, {base} (the model's lifecycle.base_year) or later")
    for t in sorted(set(tenderers) - set(table.frame["tenderer"])):
        problems.add(path, f"tenderer '{t}'", "has no rows", "give every tenderer's cash flows: tenderer,year,amount")
    if len(problems) > n or not all(ok):
        return None
    rows = pd.DataFrame({"tenderer": table.frame["tenderer"], "year": np.array(years, dtype=float).astype(int),
                         "amount": np.array(amounts, dtype=float)})
    pv = present_values(rows, base)
    for who, v in pv.items():
        if v <= 0:
            problems.add(path, f"tenderer '{who}'", f"present value {v:g} is not above zero", "costs are positive amounts")
    return pv.reindex(tenderers)
