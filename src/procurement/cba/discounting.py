"""The analysis period and the discount factors of R-109.

``t = year - discount_year``; the discount year is the case's base year (or the
first cash-flow year, ``discount_year: first_year``). Year ``t = 0`` is not
discounted. The rate of the k-th year (k = 1, 2, ...) is ``rates[i]`` where
``breaks[i-1] < k <= breaks[i]``, and the discount factor of year t is
``prod(1 / (1 + r_k) for k in 1..t)``: with R-109's 4 / 3 / 2 % and breaks 40 and
75, ``DF(41) = 1.04**-40 * 1.03**-1``.

:func:`make_timeline` finds the analysis period of some cash flows and refuses a
flow outside it, naming the file and row.

Read next: :mod:`procurement.cba.model` (each cash-flow row's weight in each measure).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from procurement.case.errors import ProblemList
from procurement.cba.parameters import CbaParameters


def discount_factors(t: Sequence[int] | np.ndarray, params: CbaParameters | None = None) -> np.ndarray:
    """Discount factors for years ``t`` (0, 1, 2, ...) counted from the discount year.

    Parameters
    ----------
    t : array of int
        Years since the discount year, each >= 0.
    params : CbaParameters, optional
        Supplies ``discount_rates`` and ``discount_breaks`` (default R-109: 4 %
        to year 40, 3 % to year 75, 2 % beyond).

    Returns
    -------
    numpy.ndarray
        ``prod(1 / (1 + r_k) for k in 1..t)`` with ``r_k`` the rate of the
        k-th year; 1 for ``t = 0``. For R-109: ``1.04**-40`` at t = 40,
        ``1.04**-40 * 1.03**-35`` at t = 75, ``... * 1.02**-(t-75)`` beyond.
    """
    params = params or CbaParameters()
    t = np.asarray(t, dtype=int)
    if t.size and t.min() < 0:
        raise ValueError("discount factors are defined for t >= 0")
    top = int(t.max()) if t.size else 0
    k = np.arange(1, top + 1)
    log_df = np.concatenate([[0.0], -np.cumsum(np.log1p(params.rate_for(k)))])
    return np.exp(log_df[t])


@dataclass(frozen=True)
class Timeline:
    """The analysis period: discount year (t = 0), last year and base year of prices."""

    start: int
    end: int
    base_year: int

    @property
    def years(self) -> np.ndarray:
        return np.arange(self.start, self.end + 1)

    @property
    def period(self) -> int:
        return self.end - self.start + 1


def discount_table(timeline: Timeline, params: CbaParameters) -> pd.DataFrame:
    """Per year of the analysis period: ``year, t, rate, factor``.

    ``rate`` is the rate used to discount from year t-1 to year t (empty for t = 0).
    """
    years = timeline.years
    t = years - timeline.start
    rate = np.where(t > 0, params.rate_for(np.maximum(t, 1)), np.nan)
    return pd.DataFrame({"year": years, "t": t, "rate": rate, "factor": discount_factors(t, params)})


def _period_end(years: np.ndarray, start: int, params: CbaParameters) -> tuple[int, str, str]:
    """Last year of the analysis period, how it was set (for messages) and a hint."""
    if params.analysis_period is not None:
        end = start + params.analysis_period - 1
        why = f"the analysis period of {params.analysis_period} years ({start}-{end})"
        hint = f"set analysis_period to at least {int(years.max()) - start + 1}" if len(years) else ""
        return end, why, hint
    limit = start + params.max_analysis_period - 1
    end = min(max(int(years.max()) if len(years) else start, start), limit)
    why = f"the longest analysis period, {params.max_analysis_period} years ({start}-{limit})"
    hint = ("R-109 caps the period at the lifetime, at most max_analysis_period years; "
            "shorten the flows or raise max_analysis_period")
    return end, why, hint


def make_timeline(flows: pd.DataFrame, base_year: int, params: CbaParameters, file: str = "cashflows.csv") -> Timeline:
    """The analysis period for some cash flows, or InputError naming the row that does not fit.

    Parameters
    ----------
    flows : pandas.DataFrame
        Cash flows (``year`` and ``row`` columns).
    base_year : int
        Year of the real prices.
    params : CbaParameters
        ``discount_year``, ``analysis_period`` and ``max_analysis_period``.
    file : str
        The cash-flow file named in messages.

    Raises
    ------
    InputError
        A flow before the discount year (only with ``discount_year: base_year``:
        R-109 counts future effects; sunk costs are left out) or after the end
        of the analysis period, or a period longer than ``max_analysis_period``.
    """
    years = flows["year"].to_numpy(dtype=int)
    rows = flows["row"].to_numpy() if "row" in flows.columns else np.arange(len(flows)) + 2
    first = int(years.min()) if len(years) else int(base_year)
    start = int(base_year) if params.discount_year == "base_year" else first
    end, why, hint = _period_end(years, start, params)
    problems = ProblemList()
    for y, r in zip(years, rows, strict=True):
        if y < start:
            problems.add(
                file,
                f"row {r}, column 'year'",
                f"year {y} is before the discount year {start} (base year)",
                "R-109 counts future effects only; drop sunk costs or set discount_year: first_year",
            )
        elif y > end:
            problems.add(file, f"row {r}, column 'year'", f"year {y} is after the end of {why}", hint)
    problems.raise_if_any()
    return Timeline(start=start, end=end, base_year=int(base_year))
