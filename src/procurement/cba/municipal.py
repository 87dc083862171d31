"""One municipality's part of the budget view: what joining costs it, year by year, and what staying outside costs.

The budget view (:mod:`procurement.cba.budget`) says what *the municipalities* pay together, per option and year,
in fixed prices and undiscounted. A council deciding whether to join needs its own part of that:

* **joining** (any option but the 0-alternative): the municipalities' payments and cash savings times the
  municipality's share by the financing model's allocation key (``financing.yaml``, ``allocation``:
  ``per_inhabitant``, ``fixed_plus_per_inhabitant`` or ``by_use``; :func:`procurement.cba.financing.allocation_weights`);
* **staying outside** (the 0-alternative, today's arrangement where each municipality buys, runs and replaces its
  own system): the 0-alternative's municipal payments times the municipality's share of the population, since
  each pays for its own system and no common key applies.

Both over the participating municipalities (``in_national_solution``), per year, per period and for the whole
analysis period, in NOK, and per inhabitant of the municipality. Nothing is simulated or discounted: each amount is
a share of a plain sum, so a council's finance officer can check it with a calculator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from procurement.case.errors import InputError, Problem
from procurement.cba.budget import WHOLE, BudgetView
from procurement.cba.financing import Allocation, allocation_weights
from procurement.cba.result import _clean
from procurement.cba.uptake import national
from procurement.text.sentences import Assumption, describe

#: The payer whose part is split between the municipalities (``financing.yaml``).
MUNICIPAL_PAYER = "municipalities"


@dataclass
class MunicipalBudget:
    """One municipality's payments under each option (NOK, fixed prices, undiscounted).

    Attributes
    ----------
    per_year : pandas.DataFrame
        ``option, year, payment, savings, net`` for this municipality.
    totals : pandas.DataFrame
        ``option, period, first_year, last_year, payment, savings, net, payment_per_inhabitant, net_change``
        (net minus the 0-alternative's in the same period; NaN without one).
    """

    kommunenummer: str
    name: str
    county: str
    cluster: str
    population: int
    written_standard: str
    share: float  # of the municipalities' part under a joint option (the allocation key)
    zero_share: float  # of the municipalities' part under the 0-alternative (population share)
    key: str
    fixed_share: float
    members: int
    member_population: int
    zero: str | None
    base_year: int
    per_year: pd.DataFrame
    totals: pd.DataFrame
    illustrative: bool = True
    notes: list[Assumption] = field(default_factory=list)

    @property
    def language(self) -> str:
        """The language of a paper to this municipality: nynorsk where it has chosen nynorsk, else bokmål."""
        return "nn" if self.written_standard == "nn" else "nb"

    def total(self, option: str, what: str = "payment", period: str = WHOLE) -> float:
        """One amount of :attr:`totals` (NOK)."""
        t = self.totals
        row = t[(t["option"] == option) & (t["period"] == period)]
        return float(row[what].iloc[0]) if len(row) else float("nan")

    def yearly(self, options: list[str]) -> pd.DataFrame:
        """Wide: one row per year, one column per option, the municipality's payment (NOK)."""
        py = self.per_year[self.per_year["option"].isin(options)]
        return py.pivot_table(index="year", columns="option", values="payment", sort=True)[options]

    @property
    def assumptions(self) -> list[Assumption]:
        out = [Assumption(f"cba.municipal_key.{self.key}",
                          {"name": self.name, "share": self.share, "fixed": self.fixed_share, "members": self.members}),
               Assumption("cba.municipal_zero", {"name": self.name, "share": self.zero_share,
                                                 "population": self.member_population}),
               Assumption("cba.municipal_prices", {"base_year": self.base_year})]
        return out + list(self.notes)

    def describe(self, language: str = "nb") -> list[str]:
        return describe(self.assumptions, language)

    def to_frame(self) -> pd.DataFrame:
        return self.totals.set_index(["option", "period"])

    def to_dict(self) -> dict[str, Any]:
        def records(df: pd.DataFrame) -> list[dict[str, Any]]:
            return [{str(k): _clean(v) for k, v in r.items()} for r in df.to_dict(orient="records")]

        return {
            "kommunenummer": self.kommunenummer, "name": self.name, "county": self.county, "cluster": self.cluster,
            "population": self.population, "written_standard": self.written_standard, "language": self.language,
            "share": self.share, "zero_share": self.zero_share, "key": self.key, "zero": self.zero,
            "prices": f"fixed {self.base_year} prices, undiscounted, without the tax-financing cost", "unit": "NOK",
            "illustrative": self.illustrative, "totals": records(self.totals), "per_year": records(self.per_year),
            "assumptions": [a.to_dict() for a in self.assumptions],
        }


def _own_part(frame: pd.DataFrame, zero: str | None, weight: float, zero_weight: float) -> pd.DataFrame:
    """The municipalities' rows of a budget table, their amounts times this municipality's share of each option."""
    out = frame[frame["payer"] == MUNICIPAL_PAYER].drop(columns="payer").reset_index(drop=True)
    k = pd.Series(weight, index=out.index).where(out["option"] != zero, zero_weight)
    for col in ("payment", "savings", "net"):
        out[col] = out[col] * k
    return out


def _totals(budget: BudgetView, weight: float, zero_weight: float, population: int) -> pd.DataFrame:
    t = _own_part(budget.totals.drop(columns=["payment_per_inhabitant", "net_change"]), budget.zero, weight,
                  zero_weight)
    t["payment_per_inhabitant"] = t["payment"] / population
    if budget.zero is not None:
        base = t[t["option"] == budget.zero].set_index("period")["net"]
        t["net_change"] = t["net"].to_numpy() - base.reindex(t["period"]).to_numpy()
    else:
        t["net_change"] = float("nan")
    return t


def municipal_budget(budget: BudgetView, municipalities: pd.DataFrame, allocation: Allocation,
                     kommunenummer: str) -> MunicipalBudget:
    """The part of `budget` (in NOK) that municipality `kommunenummer` pays; see the module's docstring.

    Raises
    ------
    InputError
        The municipality is not in ``municipalities.csv`` or not in the national solution.
    """
    budget = budget.in_unit("NOK")
    file = municipalities.attrs.get("path", "municipalities.csv")
    members = national(municipalities)
    if kommunenummer not in municipalities.index:
        raise InputError(Problem(file, f"kommunenummer {kommunenummer}", "no such municipality",
                                 "give a four-digit kommunenummer of a row in the file, e.g. 0301"))
    if kommunenummer not in members.index:
        raise InputError(Problem(file, f"kommunenummer {kommunenummer}", "is not in the national solution "
                                 "(in_national_solution is false)", "choose a participating municipality"))
    row: dict[Any, Any] = members.loc[kommunenummer].to_dict()
    weight = float(allocation_weights(members, allocation)[kommunenummer])
    member_population = int(members["population"].sum())
    zero_weight = float(row["population"]) / member_population
    written = str(row.get("written_standard", "") or "").strip()
    return MunicipalBudget(
        kommunenummer=kommunenummer, name=str(row["name"]), county=str(row["county"]), cluster=str(row["cluster"]),
        population=int(row["population"]), written_standard=written, share=weight, zero_share=zero_weight,
        key=allocation.key, fixed_share=float(allocation.fixed_share), members=len(members),
        member_population=member_population, zero=budget.zero, base_year=budget.base_year,
        per_year=_own_part(budget.per_year, budget.zero, weight, zero_weight),
        totals=_totals(budget, weight, zero_weight, int(row["population"])), illustrative=budget.illustrative)
