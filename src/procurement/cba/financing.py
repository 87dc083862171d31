"""Who pays: the financing model of each option.

``financing.yaml`` in the case folder gives, per decision and option, the share of
each cost category (investment, transition, operations) carried by each payer (the
state, the municipalities, KS or a joint company, the regional health trusts), how
the municipalities' part is split between municipalities (an allocation key), and
who receives the benefits that are cash savings in public budgets. From the
decision's cash flows (point estimates, as the deterministic R-109 analysis uses)
this module computes:

* per year and payer: cost carried, cash savings received, net budget effect
  (savings - cost), and the change against the 0-alternative;
* per payer: present values (R-109 discounting) and the tax-financing cost, which
  follows the public share: ``tax_financing_cost x (PV cost - PV cash savings)`` for
  each payer marked ``public``. With every payer public, the payers' tax costs sum
  to :func:`procurement.cba.npv.evaluate`'s ``tax_cost``;
* the cost per inhabitant of the national solution's population, and the
  municipalities' part per cluster after the allocation key:

  - ``per_inhabitant``: a municipality's weight is its population;
  - ``fixed_plus_per_inhabitant``: ``fixed_share`` of the amount split equally
    between the participating municipalities, the rest by population;
  - ``by_use``: population x the ``use_index`` of the municipality's cluster.

Cash savings are ``public_benefit_share`` (an R-109 parameter of this workbench) of
each year's benefit, with its real price growth, split by ``benefits``. Amounts are
in NOK. Every full uptake is assumed here; :mod:`procurement.cba.uptake` scales
flows with the population served.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from procurement.case import yamlsafe
from procurement.case.cashflows import COST_CATEGORIES as FLOW_COSTS
from procurement.case.cashflows import UNITS
from procurement.case.errors import InputError, Problem, ProblemList, did_you_mean, display_path
from procurement.cba.case_flows import case_cashflows
from procurement.cba.discounting import discount_factors, make_timeline
from procurement.cba.npv import point_amounts
from procurement.cba.parameters import CbaParameters, default_rules_path, load_parameters
from procurement.cba.uptake import UptakeResult, national, read_municipalities
from procurement.text.sentences import Assumption

#: Cost categories a financing model splits between payers.
COST_CATEGORIES = ("investment", "transition", "operations")
#: Allocation keys for the municipalities' part.
ALLOCATION_KEYS = ("per_inhabitant", "fixed_plus_per_inhabitant", "by_use")
#: Tolerance of "shares sum to 1".
SUM_TOLERANCE = 1e-9


# --------------------------------------------------------------------------- financing.yaml


class Payer(BaseModel):
    """One payer: its labels and whether it is a public budget (then it bears tax-financing cost)."""

    model_config = ConfigDict(extra="forbid")

    label: dict[str, str] = {}
    public: bool = True


class Allocation(BaseModel):
    """How the municipalities' part is split between municipalities."""

    model_config = ConfigDict(extra="forbid")

    key: Literal["per_inhabitant", "fixed_plus_per_inhabitant", "by_use"] = "per_inhabitant"
    fixed_share: float = Field(default=0.0, ge=0, le=1)
    use_index: dict[str, float] = {}
    rationale: str = ""


class OptionFinancing(BaseModel):
    """The shares of each cost category per payer for one option.

    ``risk`` (expected risk costs, such as enforcement risk) is optional; without
    it, and for any other cost category the cash flows may hold, the investment's
    split applies: the risk of the procurement falls on those who fund it.
    """

    model_config = ConfigDict(extra="forbid")

    rationale: str = ""
    investment: dict[str, float]
    transition: dict[str, float]
    operations: dict[str, float]
    risk: dict[str, float] | None = None

    def shares(self, category: str) -> dict[str, float]:
        if category in COST_CATEGORIES:
            return dict(getattr(self, category))
        if category == "risk" and self.risk is not None:
            return dict(self.risk)
        return dict(self.investment)


class DecisionFinancing(BaseModel):
    """The financing of a decision's options: a default and the options that differ."""

    model_config = ConfigDict(extra="forbid")

    default: OptionFinancing | None = None
    options: dict[str, OptionFinancing] = {}


class FinancingModel(BaseModel):
    """The contents of ``financing.yaml``."""

    model_config = ConfigDict(extra="forbid")

    id: str = "financing"
    illustrative: bool = True
    payers: dict[str, Payer]
    allocation: Allocation = Allocation()
    benefits: dict[str, float] = {"municipalities": 1.0}
    decisions: dict[str, DecisionFinancing] = {}
    source: str = "financing.yaml"

    @model_validator(mode="after")
    def _benefits(self) -> FinancingModel:
        _check_split(self.benefits, self.payers, "benefits")
        return self

    def option(self, decision: str, option: str) -> OptionFinancing:
        """The financing of one option (its own or the decision's default); InputError if neither."""
        d = self.decisions.get(decision)
        if d is None:
            raise InputError(Problem(self.source, f"key 'decisions.{decision}'", "no financing model for this decision",
                                     did_you_mean(decision, self.decisions)))
        found = d.options.get(option) or d.default
        if found is None:
            raise InputError(Problem(self.source, f"key 'decisions.{decision}.options.{option}'",
                                     "no financing model for this option and no default", "add one or a 'default'"))
        return found


def _check_split(split: Mapping[str, float], payers: Mapping[str, Payer], where: str) -> None:
    for p, v in split.items():
        if p not in payers:
            raise ValueError(f"{where}: unknown payer '{p}' ({did_you_mean(p, payers)})")
        if not 0 <= v <= 1:
            raise ValueError(f"{where}: share {v} of '{p}' is outside [0, 1]; write 20 % as 0.20")
    total = sum(split.values())
    if abs(total - 1.0) > SUM_TOLERANCE:
        raise ValueError(f"{where}: shares sum to {total:g}, not 1")


def _check_options(model: FinancingModel, known: Mapping[str, Sequence[str]] | None, problems: ProblemList) -> None:
    """Every split sums to 1 over known payers; every option id belongs to its decision."""
    for d, dec in model.decisions.items():
        if known is not None and d not in known:
            problems.add(model.source, f"key 'decisions.{d}'", "unknown decision", did_you_mean(d, known))
            continue
        entries = ([("default", dec.default)] if dec.default else []) + [(f"options.{o}", f) for o, f in dec.options.items()]
        for name, fin in entries:
            if known is not None and name.startswith("options.") and name[8:] not in known[d]:
                problems.add(model.source, f"key 'decisions.{d}.{name}'", "unknown option", did_you_mean(name[8:], known[d]))
            for c in (*COST_CATEGORIES, *(["risk"] if fin.risk is not None else [])):
                try:
                    _check_split(fin.shares(c), model.payers, c)
                except ValueError as e:
                    problems.add(model.source, f"key 'decisions.{d}.{name}.{c}'", str(e).split(": ", 1)[1])


def load_financing(path: str | Path, known: Mapping[str, Sequence[str]] | None = None) -> FinancingModel:
    """Read and validate ``financing.yaml``.

    Parameters
    ----------
    path : str or Path
    known : mapping decision -> option ids, optional
        When given, decisions and options must be among them.

    Raises
    ------
    InputError
        A missing file, bad YAML, an unknown payer, decision or option, a share
        outside [0, 1] or shares that do not sum to 1; each naming file and key.
    """
    path = Path(path)
    file = display_path(path)
    doc = yamlsafe.load_mapping(path, "data/national-municipal-solution/financing.yaml")
    try:
        model = FinancingModel(**{**doc, "source": file})
    except ValidationError as err:
        raise InputError([
            Problem(file, "key '" + ".".join(str(x) for x in e["loc"]) + "'", e["msg"].removeprefix("Value error, "))
            for e in err.errors()
        ]) from None
    problems = ProblemList()
    _check_options(model, known, problems)
    problems.raise_if_any()
    return model


# --------------------------------------------------------------------------- allocation


def allocation_weights(municipalities: pd.DataFrame, allocation: Allocation) -> pd.Series:
    """Each participating municipality's share of the municipalities' part (sums to 1), by kommunenummer.

    ``municipalities`` are the participating ones (``population`` and ``cluster`` columns).
    """
    pop = municipalities["population"].astype(float)
    if allocation.key == "by_use":
        use = municipalities["cluster"].map(lambda c: allocation.use_index.get(c, 1.0)).astype(float)
        w = pop * use
        return w / w.sum()
    per_head = pop / pop.sum()
    if allocation.key == "per_inhabitant":
        return per_head
    equal = pd.Series(1.0 / len(pop), index=pop.index)
    return allocation.fixed_share * equal + (1.0 - allocation.fixed_share) * per_head


# --------------------------------------------------------------------------- the result


@dataclass
class FinancingResult:
    """Who pays for each option of one decision (amounts in NOK).

    Attributes
    ----------
    shares : pandas.DataFrame
        Long form: ``option, category, payer, share``.
    per_year : pandas.DataFrame
        Long form: ``option, year, payer, cost, savings, net`` (net = savings - cost).
    incremental_per_year : pandas.DataFrame
        ``option, year, payer, net_change``: the option's net minus the 0-alternative's.
    present_value : pandas.DataFrame
        ``option, payer, cost_pv, savings_pv, net_public_pv, tax_cost, share_of_cost``.
    per_inhabitant : pandas.DataFrame
        Per option: ``population, cost_pv_per_inhabitant`` (all payers) and
        ``<payer>_pv_per_inhabitant``; ``municipal_last_year_per_inhabitant``
        (the municipalities' cost in the last year, NOK per inhabitant and year).
    clusters : pandas.DataFrame
        ``option, cluster, municipalities, population, allocation_share,
        municipal_cost_pv, pv_per_inhabitant, last_year_per_inhabitant``.
    rationale : dict of str to str
        The financing model's rationale per option.
    """

    decision: str
    zero: str | None
    payers: dict[str, Payer]
    allocation: Allocation
    shares: pd.DataFrame
    per_year: pd.DataFrame
    incremental_per_year: pd.DataFrame
    present_value: pd.DataFrame
    per_inhabitant: pd.DataFrame
    clusters: pd.DataFrame
    rationale: dict[str, str] = field(default_factory=dict)
    illustrative: bool = True
    tax_financing_cost: float = 0.20

    def by_payer(self, options: Sequence[str], unit: str = "NOK") -> pd.DataFrame:
        """Per option (in `options` order) and payer: ``option, payer, cost_pv, share_of_cost, tax_cost`` (amounts in
        `unit`); payers who pay nothing for any option are left out."""
        pv = self.present_value
        paying = [p for p in self.payers if pv.loc[pv["payer"] == p, "cost_pv"].abs().sum() > 0]
        by_key = pv.set_index(["option", "payer"])[["cost_pv", "share_of_cost", "tax_cost"]].to_dict("index")
        rows = []
        for o in options:
            for p in paying:
                r = by_key[(o, p)]
                rows.append({"option": o, "payer": p, "cost_pv": float(r["cost_pv"]) / UNITS[unit],
                             "share_of_cost": float(r["share_of_cost"]), "tax_cost": float(r["tax_cost"]) / UNITS[unit]})
        return pd.DataFrame(rows, columns=["option", "payer", "cost_pv", "share_of_cost", "tax_cost"])

    def public_share(self, option: str) -> float:
        """The share of an option's PV of costs that public payers carry."""
        pv = self.present_value[self.present_value["option"] == option]
        return float(pv.loc[pv["payer"].map(lambda p: self.payers[p].public), "share_of_cost"].sum())

    def budget_effect(self, payer: str, incremental: bool = True) -> pd.DataFrame:
        """Net budget effect per year (rows) and option (columns) for one payer, against the 0-alternative by default."""
        src, col = (self.incremental_per_year, "net_change") if incremental else (self.per_year, "net")
        return src[src["payer"] == payer].pivot(index="year", columns="option", values=col)

    def to_frame(self) -> pd.DataFrame:
        """Per option and payer: PV of costs and savings, net public PV, tax-financing cost, share of the costs (NOK)."""
        return self.present_value.set_index(["option", "payer"])

    @property
    def assumptions(self) -> list[Assumption]:
        """The tax-financing cost each public payer is charged."""
        return [Assumption("cba.payer_tax_cost", {"tax": self.tax_financing_cost})]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: amounts in NOK, shares 0..1."""
        def records(df: pd.DataFrame) -> list[dict[str, Any]]:
            return [{str(k): (None if isinstance(v, float) and not np.isfinite(v) else v) for k, v in r.items()}
                    for r in df.to_dict(orient="records")]

        return {
            "decision": self.decision,
            "zero": self.zero,
            "illustrative": self.illustrative,
            "payers": {p: v.model_dump() for p, v in self.payers.items()},
            "allocation": self.allocation.model_dump(),
            "tax_financing_cost": self.tax_financing_cost,
            "rationale": self.rationale,
            "shares": records(self.shares),
            "present_value": records(self.present_value),
            "per_inhabitant": records(self.per_inhabitant.reset_index()),
            "clusters": records(self.clusters),
            "incremental_per_year": records(self.incremental_per_year),
        }


def _cost_categories(flows: pd.DataFrame) -> list[str]:
    """Every cost category of the cash flows: the three of a financing model and any other (e.g. ``risk``)."""
    present = [str(c) for c in pd.unique(flows["category"]) if c != "benefit"]
    return list(dict.fromkeys([*COST_CATEGORIES, *FLOW_COSTS, *present]))


def _yearly(flows: pd.DataFrame, params: Any, base_year: int) -> pd.DataFrame:
    """Point amount per option, year and category (benefits with their real price growth), wide by category."""
    amounts = flows.assign(amount=point_amounts(flows, params))
    wide = amounts.pivot_table(index=["option", "year"], columns="category", values="amount", aggfunc="sum", fill_value=0.0)
    for c in (*_cost_categories(flows), "benefit"):
        if c not in wide.columns:
            wide[c] = 0.0
    years = wide.index.get_level_values("year").to_numpy(dtype=int)
    wide["benefit"] = wide["benefit"] * (1.0 + params.benefit_real_growth) ** (years - base_year)
    return wide


def _per_year(wide: pd.DataFrame, model: FinancingModel, decision: str, options: Sequence[str],
              cash_share: float) -> pd.DataFrame:
    """Per option, year and payer: the cost it carries, the cash savings it receives and the net (savings - cost)."""
    costs = [c for c in wide.columns if c != "benefit"]
    have = set(wide.index.get_level_values("option"))
    parts: dict[str, list[Any]] = {"option": [], "year": [], "payer": [], "cost": [], "savings": []}
    for o in options:
        fin = model.option(decision, o)
        own = wide.xs(o, level="option") if o in have else wide.iloc[0:0]
        years = own.index.to_numpy(dtype=int)
        amount = {c: own[c].to_numpy(dtype=float) for c in (*costs, "benefit")}
        split = {c: fin.shares(c) for c in costs}
        for p in model.payers:
            cost = sum(split[c].get(p, 0.0) * amount[c] for c in costs)  # category by category, as the shares are given
            savings = cash_share * model.benefits.get(p, 0.0) * amount["benefit"]
            parts["option"] += [o] * len(years)
            parts["year"].append(years)
            parts["payer"] += [p] * len(years)
            parts["cost"].append(np.broadcast_to(np.asarray(cost, dtype=float), years.shape))
            parts["savings"].append(np.asarray(savings, dtype=float))
    out = pd.DataFrame({"option": parts["option"], "year": np.concatenate(parts["year"]).astype("int64"),
                        "payer": parts["payer"], "cost": np.concatenate(parts["cost"]),
                        "savings": np.concatenate(parts["savings"])})
    out["net"] = out["savings"] - out["cost"]
    return out


def _incremental(per_year: pd.DataFrame, zero: str | None) -> pd.DataFrame:
    if zero is None or zero not in set(per_year["option"]):
        return per_year.assign(net_change=np.nan)[["option", "year", "payer", "net_change"]]
    base = per_year[per_year["option"] == zero].set_index(["year", "payer"])["net"]
    keyed = per_year.set_index(["year", "payer"])
    change = keyed["net"] - base.reindex(keyed.index).fillna(0.0).to_numpy()
    return keyed.assign(net_change=change.to_numpy()).reset_index()[["option", "year", "payer", "net_change"]]


def _present_value(per_year: pd.DataFrame, model: FinancingModel, discount: Mapping[int, float], tax: float) -> pd.DataFrame:
    df = per_year.assign(factor=per_year["year"].map(discount).astype(float))
    df = df.assign(cost_pv=df["cost"] * df["factor"], savings_pv=df["savings"] * df["factor"])
    pv = df.groupby(["option", "payer"], sort=False)[["cost_pv", "savings_pv"]].sum().reset_index()
    public = pv["payer"].map(lambda p: model.payers[p].public).to_numpy(dtype=bool)
    pv["net_public_pv"] = np.where(public, pv["cost_pv"] - pv["savings_pv"], 0.0)
    pv["tax_cost"] = tax * pv["net_public_pv"]
    total = pv.groupby("option")["cost_pv"].transform("sum")
    pv["share_of_cost"] = (pv["cost_pv"] / total.where(total != 0)).astype(float)
    return pv


def _per_inhabitant(pv: pd.DataFrame, per_year: pd.DataFrame, population: int) -> pd.DataFrame:
    wide = pv.pivot(index="option", columns="payer", values="cost_pv")
    out = pd.DataFrame(index=wide.index)
    out["population"] = population
    out["cost_pv_per_inhabitant"] = wide.sum(axis=1) / population
    for p in wide.columns:
        out[f"{p}_pv_per_inhabitant"] = wide[p] / population
    muni = per_year[per_year["payer"] == "municipalities"]
    last = muni.loc[muni.groupby("option")["year"].idxmax()].set_index("option")["cost"] if len(muni) else pd.Series(dtype=float)
    out["municipal_last_year_per_inhabitant"] = last.reindex(out.index) / population
    return out


def _clusters(pv: pd.DataFrame, per_year: pd.DataFrame, members: pd.DataFrame, allocation: Allocation) -> pd.DataFrame:
    """Per option and cluster: the municipalities' PV of costs after the allocation key, per inhabitant and last year."""
    w = allocation_weights(members, allocation)
    by_cluster = pd.DataFrame({"cluster": members["cluster"], "population": members["population"], "w": w})
    g = by_cluster.groupby("cluster", sort=True).agg(municipalities=("w", "size"), population=("population", "sum"),
                                                     allocation_share=("w", "sum")).reset_index()
    muni_pv = pv[pv["payer"] == "municipalities"].set_index("option")["cost_pv"]
    muni = per_year[per_year["payer"] == "municipalities"]
    last = muni.loc[muni.groupby("option")["year"].idxmax()].set_index("option")["cost"] if len(muni) else pd.Series(dtype=float)
    cols = ["option", "cluster", "municipalities", "population", "allocation_share", "municipal_cost_pv",
            "pv_per_inhabitant", "last_year_per_inhabitant"]
    if not len(muni_pv):
        return pd.DataFrame(columns=cols)
    k = len(g)
    out = pd.concat([g] * len(muni_pv), ignore_index=True)  # one block of clusters per option
    out.insert(0, "option", np.repeat([str(o) for o in muni_pv.index], k))
    share, population = out["allocation_share"].to_numpy(dtype=float), out["population"].to_numpy()
    out["municipal_cost_pv"] = share * np.repeat(muni_pv.to_numpy(dtype=float), k)
    out["pv_per_inhabitant"] = out["municipal_cost_pv"] / out["population"]
    lasts = np.repeat([float(last.get(o, 0.0)) for o in muni_pv.index], k)
    out["last_year_per_inhabitant"] = share * lasts / population
    return out[cols]


def _shares_table(model: FinancingModel, decision: str, options: Sequence[str]) -> pd.DataFrame:
    rows = [
        {"option": o, "category": c, "payer": p, "share": model.option(decision, o).shares(c).get(p, 0.0)}
        for o in options for c in COST_CATEGORIES for p in model.payers
    ]
    return pd.DataFrame(rows)


def analyse_financing(
    flows: pd.DataFrame,
    options: Sequence[str],
    base_year: int,
    model: FinancingModel,
    municipalities: pd.DataFrame,
    params: Any = None,
    decision: str = "",
    zero: str | None = "zero",
) -> FinancingResult:
    """Who pays for each option: per year, in present value, per inhabitant and per cluster.

    Parameters
    ----------
    flows : pandas.DataFrame
        The decision's cash flows in NOK (``option, year, category, low, likely, high``).
    options : sequence of str
        The decision's option ids.
    base_year : int
        Year of the real prices.
    model : FinancingModel
        From :func:`load_financing`.
    municipalities : pandas.DataFrame
        From :func:`procurement.cba.uptake.read_municipalities`; the national
        solution's municipalities are the participating ones.
    params : CbaParameters, optional
        R-109 parameters: discounting, ``tax_financing_cost``, ``public_benefit_share``,
        ``benefit_real_growth`` and the point estimate.
    decision : str
        The decision id in ``financing.yaml``.
    zero : str or None
        The 0-alternative, for the change in budget effects.

    Raises
    ------
    InputError
        No financing for the decision or an option, or cash flows outside the analysis period.
    """
    params = params or CbaParameters()
    timeline = make_timeline(flows, base_year, params, display_path(flows.attrs.get("path", "cashflows.csv")))
    years = timeline.years
    discount = dict(zip(years.tolist(), discount_factors(years - timeline.start, params).tolist(), strict=True))
    wide = _yearly(flows, params, base_year)
    per_year = _per_year(wide, model, decision, options, params.public_benefit_share)
    pv = _present_value(per_year, model, discount, params.tax_financing_cost)
    members = national(municipalities)
    population = int(members["population"].sum())
    return FinancingResult(
        decision=decision,
        zero=zero if zero in options else None,
        payers=dict(model.payers),
        allocation=model.allocation,
        shares=_shares_table(model, decision, options),
        per_year=per_year,
        incremental_per_year=_incremental(per_year, zero),
        present_value=pv,
        per_inhabitant=_per_inhabitant(pv, per_year, population),
        clusters=_clusters(pv, per_year, members, model.allocation),
        rationale={o: model.option(decision, o).rationale.strip() for o in options},
        illustrative=model.illustrative,
        tax_financing_cost=params.tax_financing_cost,
    )


def case_financing(case, decision: str, params: Any = None, zero: str | None = "zero") -> FinancingResult:
    """:func:`analyse_financing` for a loaded case: ``financing.yaml`` and ``municipalities.csv`` in the case folder."""
    folder = Path(case.path)
    flows, options = case_cashflows(case, decision)
    known = {d: list(case.decision(d).option_ids) for d in case.decisions}
    model = load_financing(folder / "financing.yaml", known)
    params = params or load_parameters(default_rules_path(case.path))
    return analyse_financing(flows, options, case.base_year, model, read_municipalities(folder / "municipalities.csv"),
                             params, decision, zero)


# --------------------------------------------------------------------------- who pays and how many must join


def _finite(x: Any) -> float | None:
    """A JSON number: NaN and infinities become None."""
    v = float(x)
    return v if np.isfinite(v) else None


def _option_financing(fin: FinancingResult, option: str, divisor: float) -> dict[str, Any]:
    shares = fin.shares[fin.shares["option"] == option]
    pv = fin.present_value[fin.present_value["option"] == option].set_index("payer")
    rows = fin.per_inhabitant.astype(float).to_dict(orient="index")
    per: dict[str, float] = {str(k): float(v) for k, v in rows[option].items()}
    cl = fin.clusters[fin.clusters["option"] == option].set_index("cluster")
    split = {str(c): {str(p): float(v) for p, v in g.set_index("payer")["share"].items()} for c, g in shares.groupby("category")}
    return {
        "shares": split,
        "cost_pv_by_payer": {str(p): float(v) / divisor for p, v in pv["cost_pv"].items()},
        "tax_cost_by_payer": {str(p): float(v) / divisor for p, v in pv["tax_cost"].items()},
        "cost_pv_per_inhabitant": _finite(per["cost_pv_per_inhabitant"]),
        "municipal_pv_per_inhabitant": _finite(per.get("municipalities_pv_per_inhabitant", np.nan)),
        "municipal_last_year_per_inhabitant": _finite(per["municipal_last_year_per_inhabitant"]),
        "clusters": {str(c): {"pv_per_inhabitant": float(pv_i), "last_year_per_inhabitant": float(last_i)}
                     for c, pv_i, last_i in zip(cl.index, cl["pv_per_inhabitant"], cl["last_year_per_inhabitant"], strict=True)},
    }


#: Columns of the uptake simulation's table that are amounts of money (the rest are probabilities).
_UPTAKE_MONEY = ("mean", "P10", "P50", "P90")


def _option_uptake(upt: UptakeResult, option: str, divisor: float) -> dict[str, Any]:
    be: dict[Any, Any] = upt.break_even.loc[option].to_dict()
    sc = upt.scenarios[upt.scenarios["option"] == option].set_index("scenario")
    share = float(be["break_even_share"])
    return {
        "break_even_share": share if np.isfinite(share) else None,
        "break_even_note": str(be["note"]),
        "break_even_within_condition": bool(be["meets_condition"]),
        "p_share_above_break_even": None if pd.isna(be["p_share_above_break_even"]) else float(be["p_share_above_break_even"]),
        "scenarios": {str(s): {"final_share": float(r["final_share"]), "delta_npv": float(r["delta_npv"]) / divisor,
                               "meets_condition": bool(r["meets_condition"])} for s, r in sc.iterrows()},
        "simulation": None if upt.simulation is None else {
            str(k): float(v) / (divisor if k in _UPTAKE_MONEY else 1.0) for k, v in upt.simulation.table.loc[option].items()
        },
    }


@dataclass
class WhoPays:
    """Who pays for each option of a decision and how many municipalities must join (amounts in NOK).

    ``financing`` (``financing.yaml``, ``municipalities.csv``) and ``uptake`` (``uptake.yaml``) are None where the
    case or the decision has none; ``notes`` say why, as sentence keys (:mod:`procurement.text.sentences`).
    """

    decision: str
    financing: FinancingResult | None
    uptake: UptakeResult | None
    notes: list[Assumption] = field(default_factory=list)

    def option_dict(self, option: str, unit: str = "NOK") -> dict[str, Any]:
        """``financing`` and ``uptake`` of one option for a JSON row (money in `unit`; per inhabitant in NOK)."""
        divisor = UNITS[unit]
        out: dict[str, Any] = {}
        if self.financing is not None and option in self.financing.per_inhabitant.index:
            out["financing"] = _option_financing(self.financing, option, divisor)
        if self.uptake is not None and option in self.uptake.break_even.index:
            out["uptake"] = _option_uptake(self.uptake, option, divisor)
        return out

    def to_dict(self, unit: str = "NOK") -> dict[str, Any]:
        """JSON-ready: the notes, the payers and allocation key, the uptake condition and population."""
        fin, upt = self.financing, self.uptake
        return {
            "notes": [n.to_dict() for n in self.notes],
            "illustrative": True,
            "unit": unit,
            "financing": None if fin is None else {
                "payers": {p: v.model_dump() for p, v in fin.payers.items()},
                "allocation": fin.allocation.model_dump(),
                "population": int(fin.per_inhabitant["population"].iloc[0]) if len(fin.per_inhabitant) else None,
                "rationale": fin.rationale,
            },
            "uptake": None if upt is None else {
                "condition": upt.condition.model_dump(),
                "population": upt.population,
                "excluded_population": upt.excluded_population,
                "fixed_share": upt.model.fixed_share,
                "sources": upt.model.sources,
            },
        }

    def to_frame(self) -> pd.DataFrame:
        """:meth:`table` in NOK (an empty table when the decision has neither part)."""
        found = self.table("NOK")
        return found if found is not None else pd.DataFrame()

    def table(self, unit: str = "MNOK") -> pd.DataFrame | None:
        """One row per option: present value per payer (in `unit`), NOK per inhabitant, break-even share."""
        fin, upt = self.financing, self.uptake
        parts = []
        if fin is not None:
            pv = fin.present_value.pivot(index="option", columns="payer", values="cost_pv") / UNITS[unit]
            parts.append(pv[[p for p in fin.payers if p in pv.columns]].add_suffix("_pv"))
            per = fin.per_inhabitant
            parts.append(pd.DataFrame({"nok_per_inhabitant_pv": per["cost_pv_per_inhabitant"],
                                       "municipal_nok_per_inhabitant_last_year": per["municipal_last_year_per_inhabitant"]}))
        if upt is not None:
            parts.append(upt.break_even[["break_even_share", "meets_condition"]].rename(
                columns={"meets_condition": f"break_even_within_{round(upt.condition.min_population_share * 100)}pct"}))
            if upt.simulation is not None:
                p_pos = upt.simulation.table[["p_positive"]]
                parts.append(p_pos.rename(columns={"p_positive": "p_delta_npv_positive_uncertain_uptake"}))
        if not parts:
            return None
        return pd.concat(parts, axis=1)

    @property
    def assumptions(self) -> list[Assumption]:
        """The notes, the tax-financing cost charged to each public payer, and the go-ahead condition of uptake."""
        out = list(self.notes)
        for part in (self.financing, self.uptake):
            out += part.assumptions if part is not None else []
        return out


def case_financing_model(case: Any) -> FinancingModel | None:
    """The case's ``financing.yaml`` (checked against its decisions and options), or None when it has none."""
    path = Path(case.path) / "financing.yaml"
    if not path.is_file():
        return None
    return load_financing(path, {d: list(case.decision(d).option_ids) for d in case.decisions})


def who_pays_parts(case: Any, decision: str, zero: str | None = "zero",
                   model: FinancingModel | None = None) -> tuple[bool, bool, list[Assumption]] | None:
    """Which parts of :class:`WhoPays` a decision has: (financing, uptake, notes); None without the case files.

    None when the case has neither ``financing.yaml`` nor ``uptake.yaml`` (or no ``municipalities.csv``). A decision
    that ``financing.yaml`` does not cover, or uptake without a 0-alternative, gets a note instead of a part.
    `model` is the case's financing model when the caller has read it already.
    """
    folder = Path(case.path)
    has_fin, has_upt = (folder / "financing.yaml").is_file(), (folder / "uptake.yaml").is_file()
    if not (has_fin or has_upt) or not (folder / "municipalities.csv").is_file():
        return None
    notes: list[Assumption] = []
    financing = uptake = False
    if has_fin:
        model = model if model is not None else case_financing_model(case)
        financing = model is not None and decision in model.decisions
        if not financing:
            notes.append(Assumption("cba.no_financing_model", {"decision": decision}))
    if has_upt:
        uptake = zero is not None and zero in case.decision(decision).option_ids
        if not uptake:
            notes.append(Assumption("cba.no_uptake_without_zero", {"decision": decision, "zero": str(zero)}))
    return financing, uptake, notes


__all__ = [
    "ALLOCATION_KEYS",
    "Allocation",
    "FinancingModel",
    "FinancingResult",
    "OptionFinancing",
    "Payer",
    "allocation_weights",
    "analyse_financing",
    "case_financing",
    "case_financing_model",
    "load_financing",
    "WhoPays",
    "who_pays_parts",
]
