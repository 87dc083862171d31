"""How many municipalities must join: uptake scenarios and the break-even population share.

A national solution pays off only if enough municipalities take part. This module
reads the municipality table (``municipalities.csv``: kommunenummer, name, county,
population, cluster, in_national_solution) and the uptake file (``uptake.yaml``:
scenarios of which clusters or municipalities join in which year, the share of each
cost category that does not scale with uptake, and a go-ahead condition such as
Akson's "at least 55 % of the population"), and computes per option:

* ΔNPV against the 0-alternative when a share ``s_t`` of the national solution's
  population is served in year t. The option's flows of category c are multiplied by
  ``f_c + (1 - f_c) s_t`` (``f_c`` the fixed share: the national investment is made
  whoever joins); the municipalities that have not joined keep the 0-alternative's
  flows, multiplied by ``1 - s_t``. ΔNPV is the R-109 NPV of that blend minus the
  NPV of the 0-alternative, computed with :func:`procurement.cba.scaling.scale_flows`
  and :func:`procurement.cba.npv.evaluate` (exact: every measure is linear in the
  amounts).
* the break-even share: the constant share s at which ΔNPV = 0, where the straight line
  of ΔNPV against a constant share (affine, as every measure is linear in the amounts)
  crosses 0 on [0, 1];
* ΔNPV as a curve of the share that joins;
* each scenario's final population share, its ΔNPV and whether it meets the condition;
* P(share >= break-even) when the final share is uncertain (triangular
  ``share_distribution``), a closed form (that of scipy.stats.triang).

Amounts are in NOK. Rows of ``municipalities.csv`` with ``in_national_solution``
false (Central Norway, which has Helseplattformen) are left out of the population.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from procurement.case import yamlsafe
from procurement.case.cashflows import CATEGORIES, UNITS
from procurement.case.csvio import read_csv
from procurement.case.errors import InputError, Problem, ProblemList, did_you_mean, display_path
from procurement.cba.case_flows import case_cashflows
from procurement.cba.draws import stable_hash
from procurement.cba.model import LINEAR_MEASURES, LinearModel, build_model
from procurement.cba.npv import evaluate, point_of
from procurement.cba.parameters import CbaParameters, default_rules_path, load_parameters
from procurement.cba.scaling import scale_flows
from procurement.cba.simulation import DEFAULT_SAMPLES, Simulation, simulate
from procurement.text.sentences import Assumption

#: Option id of the 0-alternative's flows for the municipalities that have not joined.
REST = "__not-joined__"
#: Columns of ``municipalities.csv``.
MUNICIPALITY_COLUMNS = ("kommunenummer", "name", "county", "population", "cluster", "in_national_solution", "source")
#: Optional columns of ``municipalities.csv``: the date of the population, and where the municipality's membership of
#: another solution (the example case: Helseplattformen) is documented.
MUNICIPALITY_OPTIONAL = ("population_date", "helseplattformen_status", "helseplattformen_go_live",
                         "helseplattformen_source", "note", "written_standard")
#: Values of the optional ``written_standard`` column (språklova § 11): nynorsk, bokmål, språkleg nøytral; empty: not
#: settled.
WRITTEN_STANDARDS = ("nn", "nb", "neutral", "")
#: Points of the ΔNPV curve by default (shares 0, 0.05, ..., 1).
CURVE_POINTS = 21


# --------------------------------------------------------------------------- municipalities


def _truth(value: str) -> bool | None:
    v = str(value).strip().lower()
    return True if v in ("true", "yes", "ja", "1") else False if v in ("false", "no", "nei", "0") else None


def _check_municipality(where: str, row: Mapping[Any, Any], file: str, seen: set[str], problems: ProblemList) -> None:
    k = str(row["kommunenummer"]).strip()
    if not (len(k) == 4 and k.isdigit()):
        problems.add(file, f"{where}, column 'kommunenummer'", f"'{k}' is not a four-digit municipality number", "e.g. 0301")
    elif k in seen:
        problems.add(file, f"{where}, column 'kommunenummer'", f"municipality {k} appears twice")
    seen.add(k)
    pop = pd.to_numeric(str(row["population"]).replace(" ", ""), errors="coerce")
    if not (np.isfinite(pop) and pop > 0 and float(pop).is_integer()):
        problems.add(file, f"{where}, column 'population'", f"'{row['population']}' is not a whole number above 0")
    if not str(row["cluster"]).strip():
        problems.add(file, f"{where}, column 'cluster'", "is empty", "name the municipality's cluster, e.g. bergen")
    if _truth(row["in_national_solution"]) is None:
        problems.add(file, f"{where}, column 'in_national_solution'", f"'{row['in_national_solution']}' is not true or false")
    written = str(row.get("written_standard") or "").strip()
    if written not in WRITTEN_STANDARDS:
        problems.add(file, f"{where}, column 'written_standard'", f"'{written}' is not a written standard",
                     "nn (nynorsk), nb (bokmål), neutral, or empty when not settled")


def read_municipalities(path: str | Path) -> pd.DataFrame:
    """The municipality table, validated.

    Lines starting with ``#`` before the header are comments (the example case cites its lists there); besides
    :data:`MUNICIPALITY_COLUMNS` the file may have :data:`MUNICIPALITY_OPTIONAL` (kept as text).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``kommunenummer`` (text, four digits): ``name, county,
        population`` (int), ``cluster``, ``in_national_solution`` (bool),
        ``source`` and the optional columns; ``attrs["path"]`` is the file.

    Raises
    ------
    InputError
        A missing file or column, an unknown column, a bad number, a repeated municipality, an
        empty cluster; one problem per row and column.
    """
    path = Path(path)
    file = display_path(path)
    if not path.is_file():
        raise InputError(Problem(file, "", "file not found", "give municipalities.csv in the case folder"))
    table = read_csv(path, MUNICIPALITY_COLUMNS, MUNICIPALITY_OPTIONAL)
    frame = table.frame
    problems = ProblemList()
    seen: set[str] = set()
    for i, row in enumerate(frame.to_dict("records")):
        _check_municipality(table.where(i), row, file, seen, problems)
    problems.raise_if_any()
    out = frame.assign(
        kommunenummer=frame["kommunenummer"].str.strip(),
        population=frame["population"].str.replace(" ", "").astype(int),
        cluster=frame["cluster"].str.strip(),
        in_national_solution=[bool(_truth(v)) for v in frame["in_national_solution"]],
    ).set_index("kommunenummer")
    out.attrs["path"] = file
    return out


def national(municipalities: pd.DataFrame) -> pd.DataFrame:
    """The municipalities of the national solution (``in_national_solution`` true)."""
    return municipalities[municipalities["in_national_solution"]]


def cluster_table(municipalities: pd.DataFrame) -> pd.DataFrame:
    """Per cluster: municipalities, population, share of the national solution's population, in_national_solution."""
    g = municipalities.groupby("cluster", sort=True)
    out = pd.DataFrame({
        "municipalities": g.size(),
        "population": g["population"].sum(),
        "in_national_solution": g["in_national_solution"].all(),
    })
    total = int(national(municipalities)["population"].sum())
    out["share"] = np.where(out["in_national_solution"], out["population"] / total, np.nan)
    return out


# --------------------------------------------------------------------------- uptake.yaml


class Condition(BaseModel):
    """A go-ahead condition: the municipalities that sign cover at least this share of the population."""

    model_config = ConfigDict(extra="forbid")

    min_population_share: float = Field(gt=0, le=1)
    citation: str
    #: the citation in bokmål for bokmål reports (the English ``citation`` where empty)
    citation_nb: str = ""
    source: str = ""
    verified: bool = False

    def citation_in(self, language: str) -> str:
        """The citation in the report language (bokmål where given, else the English citation)."""
        return {"nb": self.citation_nb}.get(language) or self.citation


class ShareDistribution(BaseModel):
    """A triangular distribution of the final share that joins."""

    model_config = ConfigDict(extra="forbid")

    low: float = Field(ge=0, le=1)
    likely: float = Field(ge=0, le=1)
    high: float = Field(ge=0, le=1)

    @model_validator(mode="after")
    def _ordered(self) -> ShareDistribution:
        if not self.low <= self.likely <= self.high or self.low == self.high:
            raise ValueError(f"needs low <= likely <= high and low < high, got {self.low}, {self.likely}, {self.high}")
        return self

    def p_at_least(self, s: float) -> float:
        """P(share >= s): the survival function of the triangular distribution, in closed form.

        The same arithmetic as ``scipy.stats.triang.sf(s, c, loc=low, scale=high - low)`` (tested against it), without
        importing scipy.stats (about 0.4 s of a cold start).
        """
        span = self.high - self.low
        c, x = (self.likely - self.low) / span, (s - self.low) / span
        if x <= 0:
            return 1.0
        if x >= 1:
            return 0.0
        if c == 0:
            cdf = 2 * x - x * x
        elif x < c:
            cdf = x * x / c
        elif c != 1:
            cdf = (x * x - 2 * x + c) / (c - 1)
        else:
            cdf = x * x
        return float(1.0 - cdf)


class UptakeScenario(BaseModel):
    """Which clusters or municipalities (kommunenummer) join in which year (null: never)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    label: dict[str, str] = {}
    joins: dict[str, int | None]


class UptakeModel(BaseModel):
    """The contents of ``uptake.yaml``."""

    model_config = ConfigDict(extra="forbid")

    id: str = "uptake"
    illustrative: bool = True
    sources: list[dict[str, Any]] = []
    condition: Condition
    fixed_share: dict[str, float] = {"investment": 1.0}
    fixed_share_rationale: str = ""
    share_distribution: ShareDistribution | None = None
    scenarios: list[UptakeScenario] = []
    source: str = "uptake.yaml"

    @field_validator("fixed_share")
    @classmethod
    def _fixed(cls, v: dict[str, float]) -> dict[str, float]:
        for c, f in v.items():
            if c not in (*CATEGORIES, "risk"):  # risk: expected risk costs (enforcement), a cost category
                raise ValueError(f"unknown category '{c}' ({did_you_mean(c, CATEGORIES)})")
            if not 0 <= f <= 1:
                raise ValueError(f"fixed share {f} of '{c}' is outside [0, 1]")
        return v

    def fixed(self, category: str) -> float:
        return float(self.fixed_share.get(category, 0.0))


def load_uptake(path: str | Path) -> UptakeModel:
    """Read and validate ``uptake.yaml``; InputError naming file and key."""
    path = Path(path)
    file = display_path(path)
    doc = yamlsafe.load_mapping(path, "data/national-municipal-solution/uptake.yaml")
    try:
        return UptakeModel(**{**doc, "source": file})
    except ValidationError as err:
        problems = [
            Problem(file, "key '" + ".".join(str(x) for x in e["loc"]) + "'", e["msg"].removeprefix("Value error, "))
            for e in err.errors()
        ]
        raise InputError(problems) from None


# --------------------------------------------------------------------------- share served per year


def join_years(municipalities: pd.DataFrame, scenario: UptakeScenario, file: str = "uptake.yaml") -> pd.Series:
    """The year each municipality of the national solution joins (NaN: never), by kommunenummer.

    A kommunenummer in ``joins`` overrides its cluster's year. Raises InputError
    for a key that is neither a cluster nor a municipality of the national solution.
    """
    nat = national(municipalities)
    clusters = set(nat["cluster"])
    problems = ProblemList()
    for key in scenario.joins:
        if key not in clusters and key not in nat.index:
            problems.add(file, f"scenario '{scenario.id}', joins '{key}'",
                         "is neither a cluster nor a municipality of the national solution",
                         did_you_mean(key, sorted(clusters)))
    problems.raise_if_any()
    by_cluster = nat["cluster"].map(lambda c: scenario.joins.get(c, None))
    own = pd.Series({k: v for k, v in scenario.joins.items() if k in nat.index}, dtype=object)
    years = by_cluster.astype(object)
    years.loc[own.index] = own
    return pd.to_numeric(years, errors="coerce")


def share_path(municipalities: pd.DataFrame, scenario: UptakeScenario, years: Sequence[int],
               file: str = "uptake.yaml") -> pd.Series:
    """Share of the national solution's population served in each year (joined in or before that year)."""
    nat = national(municipalities)
    joined = join_years(municipalities, scenario, file)
    pop = nat["population"].to_numpy(dtype=float)
    total = pop.sum()
    y = joined.to_numpy(dtype=float)
    shares = [float(pop[np.isfinite(y) & (y <= year)].sum() / total) for year in years]
    return pd.Series(shares, index=pd.Index([int(v) for v in years], name="year"), name=scenario.id)


# --------------------------------------------------------------------------- ΔNPV at an uptake


def blended_flows(flows: pd.DataFrame, options: Sequence[str], zero: str, share: Mapping[int, float],
                  model: UptakeModel) -> pd.DataFrame:
    """Flows at an uptake: each option but ``zero`` scaled per category, plus the not-joined rest (option :data:`REST`).

    ``share`` maps every cash-flow year to the share served. Option flows of
    category c are multiplied by ``f_c + (1 - f_c) share[year]``; the rest is a
    copy of the 0-alternative's flows multiplied by ``1 - share[year]``.
    """
    years = sorted({int(y) for y in flows["year"]})
    s = {y: float(share[y]) for y in years}
    scaled = [o for o in options if o != zero]
    out = flows
    for c in CATEGORIES:
        f = model.fixed(c)
        if f == 1.0:
            continue
        factor = {y: f + (1.0 - f) * s[y] for y in years}
        out = scale_flows(out, {o: factor for o in scaled}, categories=[c], options=scaled)
    rest = flows[flows["option"] == zero].assign(option=REST)
    rest = scale_flows(rest, {REST: {y: 1.0 - s[y] for y in years}}, categories=CATEGORIES, options=[REST])
    blended = pd.concat([out, rest], ignore_index=True)
    blended.attrs = dict(flows.attrs)
    return blended


@dataclass
class _Evaluator:
    """ΔNPV per option at a share path, with the 0-alternative's NPV computed once.

    The blend of :func:`blended_flows` has the same rows at every share (only their amounts are scaled), so its
    linear model (:func:`procurement.cba.model.build_model`) is built once; each share path then scales the amounts
    row by row and applies the model: the same arithmetic, term for term, as :func:`procurement.cba.npv.evaluate`
    of the blended flows, without building them again.
    """

    flows: pd.DataFrame
    options: list[str]
    base_year: int
    params: Any
    model: UptakeModel
    zero: str
    years: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.years = sorted({int(y) for y in self.flows["year"]})
        own = self.flows[self.flows["option"] == self.zero].reset_index(drop=True)
        own.attrs = dict(self.flows.attrs)
        table = evaluate(own, [self.zero], self.base_year, self.params, zero=None).table
        self.zero_npv = float(table["npv"].astype(float).iloc[0])
        self.opts = [o for o in self.options if o != self.zero]
        self.blend = self._blend_model()
        self.amounts = {c: self.blend.rows[c].to_numpy(dtype=float) for c in ("low", "likely", "high")}
        self.rows_year = self.blend.rows["year"].to_numpy(dtype=int)
        self.rows_year_index = np.searchsorted(np.array(self.years), self.rows_year)
        self.rows_category = self.blend.rows["category"].to_numpy()
        self.rows_rest = (self.blend.rows["option"] == REST).to_numpy()
        self.at_constant = cache(self._at_constant)

    def _blend_model(self) -> LinearModel:
        """The linear model of the blend's rows: the options' own (not the 0-alternative's) and the not-joined rest."""
        flows = self.flows.astype({c: float for c in ("low", "likely", "high")})
        rest = flows[flows["option"] == self.zero].assign(option=REST)
        kept = pd.concat([flows[flows["option"] != self.zero], rest], ignore_index=True)
        kept.attrs = dict(self.flows.attrs)
        return build_model(kept, [*self.opts, REST], self.base_year, self.params)

    def _factors(self, share: Mapping[int, float]) -> np.ndarray:
        """The factor of each row of the blend (canonical order) at ``share``, as :func:`blended_flows` applies them."""
        s = np.array([float(share[y]) for y in self.years])[self.rows_year_index]  # each row's share, one pass
        categories, is_rest = self.rows_category, self.rows_rest
        k = np.ones(len(s))
        for c in CATEGORIES:
            f = self.model.fixed(c)
            mine = (categories == c) & ~is_rest
            if f != 1.0 and mine.any():
                k[mine] = f + (1.0 - f) * s[mine]
        k[is_rest] = 1.0 - s[is_rest]
        return k

    def at(self, share: Mapping[int, float]) -> pd.Series:
        """ΔNPV (NOK) of every option but the 0-alternative when ``share[year]`` is served."""
        k = self._factors(share)
        low, likely, high = (self.amounts[c] * k for c in ("low", "likely", "high"))
        values = self.blend.aggregate(point_of(low, likely, high, self.params)[None, :])[0][:, self.blend.position]
        npv = pd.Series(values[LINEAR_MEASURES.index("npv")], index=self.blend.given)
        rest = float(npv[REST])
        return pd.Series(npv[self.opts].to_numpy() + rest - self.zero_npv, index=pd.Index(self.opts, name="option"),
                         name="delta_npv")

    def _at_constant(self, s: float) -> pd.Series:
        return self.at(dict.fromkeys(self.years, s))


def _root(ev: _Evaluator, option: str) -> tuple[float | None, str]:
    """Break-even share of one option and why it is what it is."""
    lo, hi = float(ev.at_constant(0.0)[option]), float(ev.at_constant(1.0)[option])
    if hi <= 0 and lo <= 0:
        return None, "not profitable even if every municipality joins"
    if lo >= 0 and hi >= 0:
        return 0.0, "profitable at any uptake"
    # ΔNPV is affine in a constant share (every measure is linear in the amounts, and each amount is scaled by
    # f + (1 - f) s or 1 - s), so the straight line through ΔNPV(0) and ΔNPV(1) crosses 0 at the break-even, exactly.
    root = lo / (lo - hi)
    return float(root), "ΔNPV = 0 at this share" if lo < 0 else "ΔNPV falls below 0 above this share"


# --------------------------------------------------------------------------- the result


@dataclass
class UptakeResult:
    """Break-even shares, the ΔNPV curve and the scenarios of one decision (amounts in NOK).

    Attributes
    ----------
    break_even : pandas.DataFrame
        Per option: ``break_even_share`` (NaN if none), ``delta_npv_full`` (every
        municipality joins), ``delta_npv_none`` (none joins), ``meets_condition``
        (break-even at or below the condition's share), ``p_share_above_break_even``
        (under ``share_distribution``; NaN without one), ``note``.
    curve : pandas.DataFrame
        Long form: ``option, share, delta_npv``.
    scenarios : pandas.DataFrame
        Per scenario and option: ``final_share, delta_npv, meets_condition, profitable``.
    paths : pandas.DataFrame
        Share served per year (rows) and scenario (columns).
    clusters : pandas.DataFrame
        See :func:`cluster_table`.
    """

    decision: str
    zero: str
    condition: Condition
    population: int
    excluded_population: int
    break_even: pd.DataFrame
    curve: pd.DataFrame
    scenarios: pd.DataFrame
    paths: pd.DataFrame
    clusters: pd.DataFrame
    model: UptakeModel
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    simulation: Any = None  # UptakeSimulation when the final share was simulated (see simulate_uptake)
    #: the unit of every amount (ΔNPV) in the tables
    unit: str = "NOK"

    def in_unit(self, unit: str) -> UptakeResult:
        """A copy with every ΔNPV in `unit` (NOK, kNOK or MNOK); shares and probabilities unchanged."""
        if unit == self.unit:
            return self
        f = UNITS[self.unit], UNITS[unit]

        def conv(df: pd.DataFrame, cols: Sequence[str]) -> pd.DataFrame:
            return df.assign(**{c: df[c] * f[0] / f[1] for c in cols if c in df.columns})

        sim = self.simulation
        if sim is not None:
            sim = dataclasses.replace(sim, table=conv(sim.table, ("mean", "P10", "P50", "P90")),
                                      delta_npv=sim.delta_npv * f[0] / f[1])
        return dataclasses.replace(self, unit=unit, curve=conv(self.curve, ["delta_npv"]),
                                   break_even=conv(self.break_even, ["delta_npv_full", "delta_npv_none"]),
                                   scenarios=conv(self.scenarios, ["delta_npv"]), simulation=sim)

    def open_first(self, screened_out: Mapping[str, str]) -> pd.DataFrame:
        """The break-even table, lowest break-even first (none last), options screened out (``screened_out``: option
        -> rule) after the open ones; ``p_positive_uncertain_uptake`` beside it when the share was simulated."""
        be = self.break_even.sort_values("break_even_share", kind="stable", na_position="last")
        be = be.drop(columns=["screened_out"], errors="ignore")
        if self.simulation is not None:
            be = be.assign(p_positive_uncertain_uptake=self.simulation.table["p_positive"].reindex(be.index))
        order = [o for o in be.index if not screened_out.get(o)] + [o for o in be.index if screened_out.get(o)]
        return be.loc[order]

    def to_frame(self) -> pd.DataFrame:
        """Per option: the break-even share, ΔNPV when all or none join, whether it meets the condition (ΔNPV in unit)."""
        return self.break_even.copy()

    @property
    def assumptions(self) -> list[Assumption]:
        """The go-ahead condition, with its citation."""
        c = self.condition
        return [Assumption("cba.uptake_condition" if c.verified else "cba.uptake_condition_unverified",
                           {"share": c.min_population_share, "citation": c.citation, "citation_nb": c.citation_in("nb")})]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: amounts in NOK, shares 0..1."""
        def records(df: pd.DataFrame) -> list[dict[str, Any]]:
            return [{str(k): (None if isinstance(v, float) and not np.isfinite(v) else v) for k, v in r.items()}
                    for r in df.reset_index().to_dict(orient="records")]

        return {
            "decision": self.decision,
            "zero": self.zero,
            "illustrative": self.model.illustrative,
            "population": self.population,
            "excluded_population": self.excluded_population,
            "condition": self.condition.model_dump(),
            "fixed_share": self.model.fixed_share,
            "break_even": records(self.break_even),
            "scenarios": records(self.scenarios),
            "curve": records(self.curve),
            "clusters": records(self.clusters),
            "sources": self.model.sources,
            "simulation": None if self.simulation is None else records(self.simulation.table),
        }



def _break_even_table(ev: _Evaluator, opts: list[str], model: UptakeModel) -> pd.DataFrame:
    rows = []
    for o in opts:
        share, note = _root(ev, o)
        rows.append({
            "option": o,
            "break_even_share": np.nan if share is None else share,
            "delta_npv_full": float(ev.at_constant(1.0)[o]),
            "delta_npv_none": float(ev.at_constant(0.0)[o]),
            "meets_condition": share is not None and share <= model.condition.min_population_share + 1e-12,
            "p_share_above_break_even": (np.nan if model.share_distribution is None
                                         else 0.0 if share is None else model.share_distribution.p_at_least(share)),
            "note": note,
        })
    return pd.DataFrame(rows).set_index("option")


def _scenario_table(ev: _Evaluator, paths: pd.DataFrame, opts: list[str], model: UptakeModel) -> pd.DataFrame:
    rows = []
    for sc in model.scenarios:
        path = paths[sc.id]
        delta = ev.at({int(str(y)): float(v) for y, v in path.items()})
        final = float(path.iloc[-1])
        for o in opts:
            rows.append({
                "scenario": sc.id,
                "option": o,
                "final_share": final,
                "delta_npv": float(delta[o]),
                "meets_condition": final >= model.condition.min_population_share,
                "profitable": float(delta[o]) > 0,
            })
    return pd.DataFrame(rows, columns=["scenario", "option", "final_share", "delta_npv", "meets_condition", "profitable"])


def analyse_uptake(
    flows: pd.DataFrame,
    options: Sequence[str],
    base_year: int,
    municipalities: pd.DataFrame,
    model: UptakeModel,
    params: Any = None,
    zero: str = "zero",
    decision: str = "",
    points: int = CURVE_POINTS,
) -> UptakeResult:
    """Break-even share, ΔNPV curve and scenarios for every option but the 0-alternative.

    Parameters
    ----------
    flows : pandas.DataFrame
        The decision's cash flows in NOK (as for :func:`procurement.cba.npv.evaluate`).
    options : sequence of str
        The decision's option ids; must include ``zero``.
    base_year : int
    municipalities : pandas.DataFrame
        From :func:`read_municipalities`.
    model : UptakeModel
        From :func:`load_uptake`.
    params : CbaParameters, optional
    zero : str
        The 0-alternative.
    points : int
        Points of the ΔNPV curve (>= 2).

    Raises
    ------
    InputError
        No 0-alternative among the options, a scenario naming an unknown
        cluster or municipality, or the problems of ``evaluate``.
    """
    if zero not in options:
        raise InputError(Problem("zero", "", f"the 0-alternative '{zero}' is not an option of decision '{decision}'",
                                 "uptake is measured against the 0-alternative"))
    params = params or CbaParameters()
    ev = _Evaluator(flows, list(options), base_year, params, model, zero)
    opts = [o for o in options if o != zero]
    paths = pd.concat([share_path(municipalities, sc, ev.years, model.source) for sc in model.scenarios], axis=1) \
        if model.scenarios else pd.DataFrame(index=pd.Index(ev.years, name="year"))
    grid = np.linspace(0.0, 1.0, max(2, points))
    curve = pd.concat(
        [pd.DataFrame({"option": opts, "share": float(s), "delta_npv": ev.at_constant(float(s))[opts].to_numpy()}) for s in grid],
        ignore_index=True,
    )
    nat = national(municipalities)
    return UptakeResult(
        decision=decision,
        zero=zero,
        condition=model.condition,
        population=int(nat["population"].sum()),
        excluded_population=int(municipalities["population"].sum() - nat["population"].sum()),
        break_even=_break_even_table(ev, opts, model),
        curve=curve,
        scenarios=_scenario_table(ev, paths, opts, model),
        paths=paths,
        clusters=cluster_table(municipalities),
        model=model,
        labels={sc.id: sc.label for sc in model.scenarios},
    )


# --------------------------------------------------------------------------- uptake in the Monte Carlo


#: First element of the stream key of the uptake draws, so they differ from every other use of the seed.
SHARE_STREAM = "procurement.cba.uptake.share"


@dataclass
class UptakeSimulation:
    """ΔNPV per option when both the cash flows and the final share that joins are uncertain (NOK).

    Attributes
    ----------
    delta_npv : numpy.ndarray
        Shape (samples, options): ΔNPV against the 0-alternative per draw.
    share : numpy.ndarray
        The share drawn for each sample (one share, taken up from the start, per draw).
    table : pandas.DataFrame
        Per option: ``mean, P10, P50, P90, p_positive`` with uncertain uptake, and
        ``p_positive_full_uptake`` (every municipality joins) for comparison.
    """

    options: list[str]
    delta_npv: np.ndarray
    share: np.ndarray
    table: pd.DataFrame
    seed: int | None


def _draw_shares(dist: ShareDistribution, samples: int, seed: int | None) -> np.ndarray:
    entropy = np.random.SeedSequence(seed).entropy
    rng = np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=(stable_hash(SHARE_STREAM),)))
    return rng.triangular(dist.low, dist.likely, dist.high, size=samples)


def simulate_uptake(
    flows: pd.DataFrame,
    options: Sequence[str],
    base_year: int,
    model: UptakeModel,
    params: Any = None,
    zero: str = "zero",
    samples: int = DEFAULT_SAMPLES,
    seed: int | None = None,
    full: Simulation | None = None,
    **simulate_args: Any,
) -> UptakeSimulation:
    """Monte Carlo of ΔNPV with the final share that joins as one more uncertain input.

    With a constant share s, every drawn amount of an option is an affine function
    of s (scaling a three-point estimate keeps its shape, and the same random
    numbers drive both runs), so per draw ``ΔNPV(s) = A + s (B - Z)``: A is the
    option's NPV at share 0, ``A + B`` at share 1, Z the 0-alternative's NPV. Two
    runs of :func:`procurement.cba.simulation.simulate` with the same seed give A, B and
    Z; s is drawn per sample from ``model.share_distribution`` (triangular) on its
    own stream, keyed by :data:`SHARE_STREAM`. ``simulate_args`` go to ``simulate``
    (e.g. ``common``, ``correlation``). `full` is the simulation of ``flows`` themselves with these settings when the
    caller holds it already (the cost-benefit analysis's own); it is the second of the two runs.

    Raises
    ------
    InputError
        No ``share_distribution`` in ``uptake.yaml``, no 0-alternative, or draws
        too many to keep (lower the number of samples).
    """
    if model.share_distribution is None:
        raise InputError(Problem(model.source, "key 'share_distribution'", "is missing",
                                 "give {low, likely, high} of the final share to simulate uptake"))
    if zero not in options:
        raise InputError(Problem("zero", "", f"the 0-alternative '{zero}' is not an option"))
    years = sorted({int(y) for y in flows["year"]})
    none = blended_flows(flows, options, zero, dict.fromkeys(years, 0.0), model)
    none = none[none["option"] != REST].reset_index(drop=True)
    none.attrs = dict(flows.attrs)
    runs = [simulate(none, options, base_year, params, samples=samples, seed=seed, zero=zero, **simulate_args),
            full if full is not None else simulate(flows, options, base_year, params, samples=samples, seed=seed, zero=zero,
                                                   **simulate_args)]
    if not all("npv" in r.samples and len(r.samples["npv"]) for r in runs):
        raise InputError(Problem("samples", "", f"{samples} draws are too many to keep for the uptake simulation",
                                 "use fewer samples"))
    at0, at1 = runs[0].samples["npv"], runs[1].samples["npv"]
    z = at1[:, list(runs[1].options).index(zero)]
    opts = [o for o in options if o != zero]
    cols = [list(runs[1].options).index(o) for o in opts]
    share = _draw_shares(model.share_distribution, samples, seed)
    a, b = at0[:, cols], at1[:, cols] - at0[:, cols]
    delta = a + share[:, None] * (b - z[:, None])
    at_full = at1[:, cols] - z[:, None]
    q = np.percentile(delta, [10, 50, 90], axis=0)
    table = pd.DataFrame({"mean": delta.mean(axis=0), "P10": q[0], "P50": q[1], "P90": q[2],
                          "p_positive": (delta > 0).mean(axis=0), "p_positive_full_uptake": (at_full > 0).mean(axis=0)},
                         index=pd.Index(opts, name="option"))
    return UptakeSimulation(options=opts, delta_npv=delta, share=share, table=table, seed=seed)


def case_uptake(case, decision: str, params: Any = None, zero: str = "zero", points: int = CURVE_POINTS) -> UptakeResult:
    """:func:`analyse_uptake` for a loaded case: ``municipalities.csv`` and ``uptake.yaml`` in the case folder."""
    folder = Path(case.path)
    flows, options = case_cashflows(case, decision)
    params = params or load_parameters(default_rules_path(case.path))
    return analyse_uptake(flows, options, case.base_year, read_municipalities(folder / "municipalities.csv"),
                          load_uptake(folder / "uptake.yaml"), params, zero, decision, points)


__all__ = [
    "Condition",
    "ShareDistribution",
    "UptakeModel",
    "UptakeResult",
    "UptakeScenario",
    "UptakeSimulation",
    "analyse_uptake",
    "blended_flows",
    "case_uptake",
    "cluster_table",
    "join_years",
    "load_uptake",
    "national",
    "read_municipalities",
    "share_path",
    "simulate_uptake",
]
