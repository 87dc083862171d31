"""The budget view: what each payer pays, year by year, in fixed prices and undiscounted.

The R-109 analysis (:mod:`procurement.cba.npv`) is the welfare view: present values at the
R-109 rate, benefits with their real price growth, and the tax-financing cost, which is an
efficiency loss of raising taxes and no payment anyone makes. A payer's budget needs the
other view, and the two are never mixed:

* per option, year and payer: the payment (the payer's share of each cost category after
  ``financing.yaml``), the cash savings it receives (``public_benefit_share`` of the benefit,
  split by ``benefits``) and the net (savings - payment), in fixed prices of the base year,
  **undiscounted**, without real price growth and **without the tax-financing cost**;
* per option, payer and period (blocks of ``period_years`` from the first year, and the whole
  analysis period): the sums, NOK per inhabitant of the national solution's population,
  and the change of the net against the 0-alternative.

Every amount is a plain sum of point amounts (the expected value of each three-point estimate,
as the deterministic analysis uses), so a budget total can be checked with a calculator.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from procurement.case.cashflows import UNITS
from procurement.case.errors import display_path
from procurement.cba.discounting import make_timeline
from procurement.cba.result import _clean
from procurement.cba.financing import FinancingModel, _per_year, _yearly
from procurement.cba.parameters import CbaParameters, with_parameters
from procurement.cba.uptake import national
from procurement.text.sentences import Assumption, describe

#: Default length of a budget period (years).
PERIOD_YEARS = 5
#: Name of the period that covers the whole analysis.
WHOLE = "all"


@dataclass
class BudgetView:
    """Payments per payer in fixed prices, undiscounted, without the tax-financing cost (amounts in ``unit``).

    Attributes
    ----------
    per_year : pandas.DataFrame
        ``option, year, payer, payment, savings, net`` (net = savings - payment).
    totals : pandas.DataFrame
        ``option, payer, period, first_year, last_year, payment, savings, net, payment_per_inhabitant,
        net_change`` (the net minus the 0-alternative's in the same period; NaN without one). ``period`` is
        ``"2024-2028"`` and so on, and :data:`WHOLE` for the analysis period; per inhabitant in NOK.
    """

    decision: str
    zero: str | None
    base_year: int
    unit: str
    population: int
    period_years: int
    payers: dict[str, dict[str, str]]
    per_year: pd.DataFrame
    totals: pd.DataFrame
    illustrative: bool = True
    notes: list[Assumption] = field(default_factory=list)

    def in_unit(self, unit: str) -> BudgetView:
        """This view with its amounts in `unit` (NOK, kNOK or MNOK); per inhabitant stays NOK."""
        if unit == self.unit:
            return self
        if unit not in UNITS:
            raise ValueError(f"unknown unit '{unit}'; one of {', '.join(UNITS)}")
        k = UNITS[self.unit] / UNITS[unit]
        py = self.per_year.copy()
        py[["payment", "savings", "net"]] *= k
        tot = self.totals.copy()
        tot[["payment", "savings", "net", "net_change"]] *= k
        return dataclasses.replace(self, per_year=py, totals=tot, unit=unit)

    def table(self, options: Sequence[str] | None = None) -> pd.DataFrame:
        """Wide: one row per option and payer (who pays anything), the payment of each period, the whole period, and
        NOK per inhabitant over the whole period; options in `options` order (default: as computed)."""
        t = self.totals
        paying = [p for p in self.payers if t.loc[t["payer"] == p, "payment"].abs().sum() > 0]
        t = t[t["payer"].isin(paying)]
        wide = t.pivot_table(index=["option", "payer"], columns="period", values="payment", sort=False)
        periods = [p for p in dict.fromkeys(self.totals["period"]) if p != WHOLE] + [WHOLE]
        wide = wide[periods]
        whole = t[t["period"] == WHOLE].set_index(["option", "payer"])["payment_per_inhabitant"]
        wide["payment_per_inhabitant"] = whole.reindex(wide.index)
        order = list(options) if options is not None else list(dict.fromkeys(self.totals["option"]))
        keys = [(o, p) for o in order for p in paying if (o, p) in wide.index]
        return wide.loc[keys]

    def to_frame(self) -> pd.DataFrame:
        return self.totals.set_index(["option", "payer", "period"])

    @property
    def assumptions(self) -> list[Assumption]:
        """What the view is and is not: fixed prices, undiscounted, no tax-financing cost; the population per inhabitant."""
        out = [Assumption("cba.budget_view", {"base_year": self.base_year, "unit": self.unit}),
               Assumption("cba.budget_population", {"population": self.population}),
               Assumption("cba.budget_periods", {"years": self.period_years})]
        return out + list(self.notes)

    def describe(self, language: str = "nb") -> list[str]:
        return describe(self.assumptions, language)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, full precision: what ``procurement cba --view budget --format json`` prints."""
        def records(df: pd.DataFrame) -> list[dict[str, Any]]:
            return [{str(k): _clean(v) for k, v in r.items()} for r in df.to_dict(orient="records")]

        return {
            "view": "budget",
            "decision": self.decision,
            "zero": self.zero,
            "prices": f"fixed {self.base_year} prices, undiscounted, without the tax-financing cost",
            "unit": self.unit,
            "population": self.population,
            "period_years": self.period_years,
            "illustrative": self.illustrative,
            "payers": self.payers,
            "totals": records(self.totals),
            "per_year": records(self.per_year),
            "assumptions": [a.to_dict() for a in self.assumptions],
        }


def _periods(years: np.ndarray, first: int, length: int) -> list[tuple[str, int, int]]:
    last = int(years.max()) if len(years) else first
    out = []
    for start in range(first, last + 1, length):
        end = min(start + length - 1, last)
        out.append((f"{start}-{end}", start, end))
    out.append((WHOLE, first, last))
    return out


def _totals(per_year: pd.DataFrame, periods: list[tuple[str, int, int]], population: int, zero: str | None) -> pd.DataFrame:
    frames = []
    for name, start, end in periods:
        inside = per_year[(per_year["year"] >= start) & (per_year["year"] <= end)]
        g = inside.groupby(["option", "payer"], sort=False)[["payment", "savings", "net"]].sum().reset_index()
        g.insert(2, "period", name)
        g.insert(3, "first_year", start)
        g.insert(4, "last_year", end)
        frames.append(g)
    out = pd.concat(frames, ignore_index=True)
    out["payment_per_inhabitant"] = out["payment"] / population
    if zero is not None and zero in set(out["option"]):
        base = out[out["option"] == zero].set_index(["payer", "period"])["net"]
        out["net_change"] = out["net"].to_numpy() - base.reindex(pd.MultiIndex.from_frame(out[["payer", "period"]])).to_numpy()
    else:
        out["net_change"] = np.nan
    return out


def analyse_budget(
    flows: pd.DataFrame,
    options: Sequence[str],
    base_year: int,
    model: FinancingModel,
    municipalities: pd.DataFrame,
    params: CbaParameters | None = None,
    decision: str = "",
    zero: str | None = "zero",
    period_years: int = PERIOD_YEARS,
) -> BudgetView:
    """The budget view of a decision: payments per payer, year and period (NOK), from the same cash flows, financing
    model and point estimate as :func:`procurement.cba.financing.analyse_financing`, but undiscounted, in fixed prices
    (no real price growth of benefits) and without the tax-financing cost.

    Raises
    ------
    InputError
        As :func:`procurement.cba.financing.analyse_financing` (no financing for the decision or an option, flows
        outside the analysis period).
    ValueError
        ``period_years`` below 1.
    """
    if period_years < 1:
        raise ValueError(f"period_years {period_years} must be at least 1")
    params = params or CbaParameters()
    timeline = make_timeline(flows, base_year, params, display_path(flows.attrs.get("path", "cashflows.csv")))
    fixed = with_parameters(params, benefit_real_growth=0.0)  # the budget sees fixed prices, no real price growth
    per_year = _per_year(_yearly(flows, fixed, base_year), model, decision, options, params.public_benefit_share)
    per_year = per_year.rename(columns={"cost": "payment"})
    population = int(national(municipalities)["population"].sum())
    zero = zero if zero in options else None
    first = int(per_year["year"].min()) if len(per_year) else int(timeline.start)
    totals = _totals(per_year, _periods(per_year["year"].to_numpy(), first, period_years), population, zero)
    payers = {p: dict(v.label) for p, v in model.payers.items()}
    return BudgetView(decision=decision, zero=zero, base_year=base_year, unit="NOK", population=population,
                      period_years=period_years, payers=payers, per_year=per_year, totals=totals,
                      illustrative=model.illustrative)


__all__ = ["PERIOD_YEARS", "WHOLE", "BudgetView", "analyse_budget"]
