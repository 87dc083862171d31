"""NPV of cash flows scaled per year: the arithmetic of uptake.

``scale_flows(flows, factor)`` multiplies ``low, likely, high`` of the rows of some
categories (by default operations and benefit, which grow with the population
served) by a factor per year, e.g. the share of the population served;
``scaled_evaluate`` is :func:`procurement.cba.npv.evaluate` of such flows. Because
every measure is linear in the amounts, this is exact: ΔNPV at a share s of a blend
(the option's flows for the share served, the 0-alternative's for the rest) is the
NPV of the flows scaled by s and 1 - s. :mod:`procurement.cba.uptake` builds on it.

Read next: :mod:`procurement.cba.draws` (the Monte Carlo draws).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from procurement.case.errors import InputError, Problem
from procurement.cba.npv import CbaResult, evaluate
from procurement.cba.parameters import CbaParameters

#: Categories that :func:`scale_flows` scales by default (they grow with the population served).
SCALED_CATEGORIES = ("operations", "benefit")


def _year_factors(factor: Mapping[int, float] | pd.Series, years: np.ndarray, who: str) -> np.ndarray:
    """The factor of each year in ``years``, or InputError naming the first year without one."""
    lookup = {int(k): float(v) for k, v in dict(factor).items()}
    missing = sorted({int(y) for y in years} - set(lookup))
    if missing:
        raise InputError(Problem("factor", f"{who}year {missing[0]}", "has no factor",
                                 f"give a factor for every cash-flow year ({int(years.min())}-{int(years.max())})"))
    bad = [y for y, v in lookup.items() if not np.isfinite(v) or v < 0]
    if bad:
        raise InputError(Problem("factor", f"{who}year {bad[0]}", f"factor {lookup[bad[0]]} is not a number >= 0"))
    return np.array([lookup[int(y)] for y in years], dtype=float)


def scale_flows(
    flows: pd.DataFrame,
    factor: Mapping[int, float] | pd.Series | Mapping[str, Mapping[int, float]],
    categories: Sequence[str] = SCALED_CATEGORIES,
    options: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Cash flows with ``low, likely, high`` of some rows multiplied by a per-year factor.

    Parameters
    ----------
    flows : pandas.DataFrame
        Cash flows as for :func:`evaluate` (amounts in NOK).
    factor : mapping year -> float, Series indexed by year, or mapping option -> (year -> float)
        The factor of each year (e.g. the share of the population served);
        per option when keyed by option id (options not in the mapping keep
        their amounts). Every year of a scaled row needs a factor >= 0.
    categories : sequence of str
        Categories scaled (default :data:`SCALED_CATEGORIES`: operations and
        benefit; investment and transition stay whole).
    options : sequence of str, optional
        Options scaled (default: all, or the keys of a per-option mapping).

    Returns
    -------
    pandas.DataFrame
        A copy; ``attrs`` (the file path) kept.
    """
    out = flows.astype({c: float for c in ("low", "likely", "high")})
    per_option = isinstance(factor, Mapping) and factor and all(isinstance(v, Mapping | pd.Series) for v in factor.values())
    table: Mapping[str, Any] = factor if per_option else {o: factor for o in (options or flows["option"].unique())}  # type: ignore[assignment]
    chosen = set(options) if options is not None else set(table)
    years = out["year"].to_numpy(dtype=int)
    in_categories = out["category"].isin(list(categories)).to_numpy()
    k = np.ones(len(out))  # each row's factor; 1 (an exact no-op) for the rows not scaled
    rows = _rows_by_option(out["option"])
    for option, f in table.items():
        mine = rows.get(option, np.arange(0))
        mine = mine[in_categories[mine]]
        if option in chosen and len(mine):
            k[mine] = _year_factors(f, years[mine], f"option '{option}', ")
    for col in ("low", "likely", "high"):
        out[col] = out[col].to_numpy(dtype=float) * k
    out.attrs = dict(flows.attrs)
    return out


def _rows_by_option(options: pd.Series) -> dict[Any, np.ndarray]:
    """The row positions of each option, in row order: one pass over the rows, not one per option."""
    codes, uniques = pd.factorize(options)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
    return {o: order[bounds[i]:bounds[i + 1]] for i, o in enumerate(uniques)}


def scaled_evaluate(
    flows: pd.DataFrame,
    options: Sequence[str],
    base_year: int,
    factor: Mapping[int, float] | pd.Series | Mapping[str, Mapping[int, float]],
    params: CbaParameters | None = None,
    categories: Sequence[str] = SCALED_CATEGORIES,
    scaled_options: Sequence[str] | None = None,
    decision: str | None = None,
    zero: str | None = "zero",
) -> CbaResult:
    """:func:`evaluate` of flows scaled by a per-year factor (see :func:`scale_flows`): NPV and ΔNPV per option.

    Every measure is linear in the amounts, so this is exact: the NPV of the
    scaled flows equals the sum over rows of ``factor[year] x amount x weight``.
    ``result.table["incremental_npv"]`` is ΔNPV against ``zero``; the
    0-alternative is scaled only if it is in ``scaled_options`` (default: every
    option but ``zero``).
    """
    if decision is not None and "decision" in flows.columns:
        kept = flows[flows["decision"] == decision].reset_index(drop=True)
        kept.attrs = dict(flows.attrs)
        flows = kept
    chosen = list(scaled_options) if scaled_options is not None else [o for o in options if o != zero]
    scaled = scale_flows(flows, factor, categories, chosen)
    return evaluate(scaled, options, base_year, params, decision=None, zero=zero)
