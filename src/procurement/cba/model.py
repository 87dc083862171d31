"""The linear model: each cash-flow row's weight in each measure of the analysis.

Every measure of the R-109 analysis (PV of costs, PV of benefits, residual value,
net public spending, investment, NPV) is linear in the cash-flow amounts: it is the
sum over rows of ``amount x weight``, where the weight holds the discount factor,
the real price growth of benefits, the tax-financing cost and the residual value.
:func:`build_model` checks the flows of a decision, finds the analysis period and
computes those weights once; :meth:`LinearModel.aggregate` then turns any amounts
(the point estimate, or a block of Monte Carlo draws) into every measure of every
option with one matrix product per option (over that option's rows).

Row order never changes a number: rows are kept in a canonical order (by option
id, category and year; options by id), so every sum runs over the same terms in
the same order whatever the order of the input files; results are mapped back to
the caller's option order (a copy, no arithmetic).

Read next: :mod:`procurement.cba.npv` (the deterministic analysis on this model).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from procurement.case.cashflows import CATEGORIES, COST_CATEGORIES, check_cashflows
from procurement.case.errors import ProblemList, display_path
from procurement.cba.discounting import Timeline, discount_factors, make_timeline
from procurement.cba.parameters import CbaParameters

#: Linear measures computed per option (each a sum of amount x weight over rows).
LINEAR_MEASURES = ("pv_costs", "pv_benefits", "residual_value", "net_public_spending", "investment", "npv")


@dataclass
class LinearModel:
    """Cash-flow rows of one decision and their weights in each linear measure.

    Rows and options are in the canonical order (rows by option id, category
    and year; options by id), so every sum runs over the same terms in the same
    order whatever the input order. ``given`` is the caller's option order and
    ``position`` maps it onto the canonical one.
    """

    options: list[str]  # canonical: sorted by id
    rows: pd.DataFrame  # the flows, canonical order
    option_index: np.ndarray  # (R,) into `options`
    category_index: np.ndarray  # (R,)
    weights: np.ndarray  # (R, M) one column per LINEAR_MEASURES
    timeline: Timeline
    params: CbaParameters
    annuity: float  # sum of discount factors over the analysis period
    given: list[str] = field(default_factory=list)  # the caller's option order

    def __post_init__(self) -> None:
        # rows are in canonical order, so the rows of option k are the one run starts[k]:starts[k + 1]
        if np.any(np.diff(self.option_index) < 0):
            raise ValueError("the rows of a LinearModel must be in canonical order (by option)")
        self.starts = np.searchsorted(self.option_index, np.arange(len(self.options) + 1))
        self.given = self.given or list(self.options)
        index = {o: i for i, o in enumerate(self.options)}
        self.position = np.array([index[g] for g in self.given], dtype=int)

    def aggregate(self, amounts: np.ndarray) -> np.ndarray:
        """Measures per option for amounts of shape (S, R): result (S, M, O), options in canonical order.

        Each option sums its own run of rows (amounts @ weights), so the cost grows with the rows, not with rows x
        options as a product with one dense (R, M x O) matrix did (50 options: 2,500 times the work of one)."""
        s, o = amounts.shape[0], len(self.options)
        out = np.zeros((s, o, len(LINEAR_MEASURES)))
        for k in range(o):
            a, b = self.starts[k], self.starts[k + 1]
            if b > a:
                out[:, k, :] = amounts[:, a:b] @ self.weights[a:b]
        return out.transpose(0, 2, 1)


def canonical_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows sorted by option id, category and year (a unique key once the flows are checked)."""
    return rows.sort_values(["option", "category", "year"], kind="stable", ignore_index=True)


#: Categories whose last-year amounts continue after the analysis period in the NOU 2012:16 residual value.
RECURRING_CATEGORIES = ("operations", "benefit")


def residual_period(timeline: Timeline, params: CbaParameters) -> np.ndarray:
    """Years after the analysis period in which the measure still has effects (empty if its lifetime ends first)."""
    if params.measure_lifetime_years is None:
        return np.arange(0)
    last = timeline.start + params.measure_lifetime_years - 1
    return np.arange(timeline.end + 1, last + 1)


def residual_weights(years: np.ndarray, cat: np.ndarray, timeline: Timeline, params: CbaParameters) -> np.ndarray:
    """Weight of each row in the residual value (NOK of residual value per NOK of the row's amount).

    ``net_effects`` (NOU 2012:16 ch. 6): the present value of the measure's net
    effects after the analysis period, taken as the recurring effects
    (:data:`RECURRING_CATEGORIES`) of the last analysis year continuing each
    year through the end of the measure's lifetime (benefits keep their real
    price growth), with the tax-financing cost of their net public spending.
    ``linear``: the straight-line remaining book value of each investment at
    the end of the period (written off over ``measure_lifetime_years``, the
    analysis's one lifetime), discounted from the last year. ``none`` (the
    default) or no lifetime: no residual value.
    """
    if params.residual_value_method == "none" or params.measure_lifetime_years is None:
        return np.zeros(len(years))
    if params.residual_value_method == "linear":
        used = timeline.end - years + 1
        remaining = np.clip(1.0 - used / params.measure_lifetime_years, 0.0, 1.0)
        return (cat == "investment") * remaining * discount_factors([timeline.end - timeline.start], params)[0]
    after = residual_period(timeline, params)
    if not len(after):
        return np.zeros(len(years))
    df_after = discount_factors(after - timeline.start, params)
    growth_after = (1.0 + params.benefit_real_growth) ** (after - timeline.end)
    cost_sum, benefit_sum = float(df_after.sum()), float((df_after * growth_after).sum())
    last = years == timeline.end
    tax, share = params.tax_financing_cost, params.public_benefit_share
    w = np.zeros(len(years))
    w[last & (cat == "operations")] = -(1.0 + tax) * cost_sum
    growth_end = (1.0 + params.benefit_real_growth) ** (timeline.end - timeline.base_year)
    w[last & (cat == "benefit")] = (1.0 + tax * share) * benefit_sum * growth_end
    return w


def row_weights(rows: pd.DataFrame, timeline: Timeline, params: CbaParameters) -> np.ndarray:
    """Weight of each row's amount in each of :data:`LINEAR_MEASURES`: shape (R, M)."""
    years = rows["year"].to_numpy(dtype=int)
    cat = rows["category"].to_numpy()
    df = discount_factors(years - timeline.start, params)
    is_cost = np.isin(cat, COST_CATEGORIES).astype(float)
    is_benefit = (cat == "benefit").astype(float)
    is_investment = (cat == "investment").astype(float)
    growth = (1.0 + params.benefit_real_growth) ** (years - timeline.base_year)
    pv_costs = df * is_cost
    pv_benefits = df * growth * is_benefit
    residual = residual_weights(years, cat, timeline, params)
    public = pv_costs - params.public_benefit_share * pv_benefits
    npv = pv_benefits + residual - pv_costs - params.tax_financing_cost * public
    return np.column_stack([pv_costs, pv_benefits, residual, public, is_investment, npv])


def build_model(
    flows: pd.DataFrame,
    options: Sequence[str],
    base_year: int,
    params: CbaParameters,
    decision: str | None = None,
) -> LinearModel:
    """The linear model of a decision's cash flows (checked; InputError naming file and row otherwise).

    ``flows`` in NOK (``decision, option, year, category, low, likely, high[, row]``); ``options`` the
    decision's option ids in the caller's order; ``decision`` keeps only its rows (``decision`` column).
    """
    file = display_path(flows.attrs.get("path", "cashflows.csv"))
    given = list(options)
    if decision is not None and "decision" in flows.columns:
        flows = flows[flows["decision"] == decision]
    problems = ProblemList()
    known = {decision if decision is not None else "": set(given)}
    frame = flows if decision is not None else flows.assign(decision="")
    ok = check_cashflows(frame, known, problems, file)
    problems.raise_if_any()
    rows = flows[ok.to_numpy()].reset_index(drop=True)
    timeline = make_timeline(rows, base_year, params, file)  # in file order, so problems come in row order
    rows = canonical_rows(rows)
    canon = sorted(given)
    annuity = float(discount_factors(timeline.years - timeline.start, params).sum())
    return LinearModel(
        options=canon,
        rows=rows,
        option_index=rows["option"].map({o: i for i, o in enumerate(canon)}).to_numpy(dtype=int),
        category_index=np.array([CATEGORIES.index(c) for c in rows["category"]], dtype=int),
        weights=row_weights(rows, timeline, params),
        timeline=timeline,
        params=params,
        annuity=annuity,
        given=given,
    )
