"""Cost-benefit analysis after the Norwegian state rules (R-109/21).

Net present value (NPV) per option from three-point cash flows (see
:mod:`procurement.case.cashflows`), with the conventions of Circular R-109/21 and
DFØ's guide to socio-economic analysis: a declining real discount rate, real
price adjustment of benefits, the tax-financing cost and a residual value at
the end of the analysis period. A Monte Carlo simulation over the three-point
estimates gives P10/P50/P85/P90 of the investment cost and of the NPV, the
probability that the NPV is positive and that each option is the cheapest, and
S-curve data.

Every parameter lives in ``procurement/reference/r109.yaml`` with its citation and a
``verified`` flag; :func:`load_parameters` reads it. ``docs/cba.md`` states
every convention; in short:

* ``t = year - discount_year``; the discount year is the case's base year
  (or the first cash-flow year). Year ``t = 0`` is not discounted.
* The rate for the k-th year (k = 1, 2, ...) is ``rates[i]`` where
  ``breaks[i-1] < k <= breaks[i]``; the discount factor of year t is
  ``prod(1 / (1 + r_k) for k in 1..t)``.
* Costs (investment, operations, transition) count negative, benefits
  positive, all in real NOK of the base year. Benefits grow in real terms by
  ``(1 + g) ** (year - base_year)``.
* Tax-financing cost = ``tax_financing_cost`` x PV of net public spending,
  where net public spending = costs - ``public_benefit_share`` x benefits.
* Residual value (NOU 2012:16 ch. 6, ``net_effects``): the present value of
  the net effects after the analysis period, i.e. the last year's recurring
  effects continued through ``measure_lifetime_years``; ``linear`` (remaining
  book value of the investments) is the labelled alternative.
* ΔNPV (``incremental_npv``) is measured against the 0-alternative; the
  simulation draws with common random numbers (``common_random_numbers``:
  the same draw of a category drives every option) and keeps its draws only
  while they fit in memory; otherwise percentiles are found exactly in passes
  over the same blocks (:func:`simulate`).

Every measure is linear in the cash-flow amounts, so the deterministic analysis
and each Monte Carlo sample are the same matrix product of amounts and
per-row weights.

Row order never changes a number
--------------------------------
The same inputs in any row order (of ``cashflows.csv`` or ``options.csv``) give
the same numbers, to the last bit. Two things make it so:

* **Random streams are keyed by ids**, not by row positions. Every option and
  category (and year, when years are drawn apart) has its own generator,
  ``numpy.random.SeedSequence(seed, spawn_key=(tag, h(option), h(category)[,
  h(year)]))``, where ``h`` is :func:`stable_hash`: the first 8 bytes of the
  SHA-256 of the id's text (never Python's salted ``hash()``). Adding or
  removing an option leaves the draws of every other option as they were.
* **The arithmetic runs in a canonical order**: rows sorted by option id,
  category and year, options sorted by id. Floating-point sums depend on
  the order of their terms, so this makes them identical; the results are
  then mapped back to the caller's option order (a copy, no arithmetic).

Outputs list the options in the order the caller gives them (for a case:
``options.csv``), which is a display choice and not a number.

NPV of flows scaled per year (uptake)
-------------------------------------
``scaled_evaluate(flows, options, base_year, factor, params=None,
categories=("operations", "benefit"), scaled_options=None, decision=None,
zero="zero") -> CbaResult`` is :func:`evaluate` of the flows with ``low, likely,
high`` of the rows in ``categories`` multiplied by ``factor[year]`` (a mapping
year -> share served, or option -> (year -> share)); by default every option but
the 0-alternative is scaled. ``result.table.loc[o, "incremental_npv"]`` is then
ΔNPV of option o at that uptake, in NOK. Because every measure is linear in the
amounts, ΔNPV at share s of a blend (option flows for the share served, the
0-alternative's for the rest) is ``evaluate`` of ``scale_flows`` applied to both
with factors s and 1 - s. :func:`scale_flows` alone gives the scaled frame for
:func:`simulate`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator
from scipy import special

from procurement import reference
from procurement.case.cashflows import CATEGORIES, COST_CATEGORIES, check_cashflows, unit_factor
from procurement.case.errors import InputError, Problem, ProblemList, did_you_mean, display_path

#: Seed used when none is given, so that every run is reproducible.
DEFAULT_SEED = 20261125
#: Samples per chunk in the simulation; fixed so that results do not depend on memory.
CHUNK = 8192
#: Points of the tabulated inverse of a PERT distribution.
PERT_GRID = 1025
#: Percentiles reported by the simulation.
PERCENTILES = (10, 50, 85, 90)
#: Number of bytes of SHA-256 kept by :func:`stable_hash`.
HASH_BYTES = 8
#: Linear measures computed per option (each a sum of amount x weight over rows).
LINEAR_MEASURES = ("pv_costs", "pv_benefits", "residual_value", "net_public_spending", "investment", "npv")
#: Measures a criterion can take from the analysis (see :func:`cba_criterion_values`).
MONEY_MEASURES = (
    "npv",
    "incremental_npv",
    "pv_costs",
    "pv_benefits",
    "tax_cost",
    "residual_value",
    "net_public_spending",
    "annualised_cost",
    "investment",
)
#: Categories that :func:`scale_flows` scales by default (they grow with the population served).
SCALED_CATEGORIES = ("operations", "benefit")


# --------------------------------------------------------------------------- parameters


class Citation(BaseModel):
    """Where a parameter's value comes from and whether it was read in the source."""

    model_config = ConfigDict(frozen=True)

    citation: str
    verified: bool
    #: the citation in bokmål for bokmål reports (the English ``citation`` where empty)
    citation_nb: str = ""
    #: the parameter's name in words: ``{"nb": ..., "en": ...}`` (the id where empty)
    label: dict[str, str] = {}

    def text(self, language: str) -> str:
        """The citation in the report language."""
        return (self.citation_nb or self.citation) if language == "nb" else self.citation


#: citation of a value set on the command line or by a caller
USER_SET = Citation(citation="set by the user", verified=False, citation_nb="satt av brukeren")


class CbaParameters(BaseModel):
    """Parameters of the R-109 cost-benefit analysis.

    Defaults are those of ``procurement/reference/r109.yaml``; :func:`load_parameters`
    reads that file (or another) with the citation of each value.

    Attributes
    ----------
    discount_rates : tuple of float
        Real discount rates, each in (-1, 1); one more than ``discount_breaks``.
    discount_breaks : tuple of int
        Years (counted from the discount year) after which the next rate applies.
    discount_year : {'base_year', 'first_year'}
        Year with ``t = 0``: the case's base year or the first cash-flow year.
    analysis_period : int or None
        Years in the analysis, counted from the discount year and including it;
        None = through the last cash-flow year.
    max_analysis_period : int
        Longest allowed analysis period in years.
    tax_financing_cost : float
        Share of net public spending added as the cost of raising taxes.
    benefit_real_growth : float
        Yearly real price growth of benefits, in (-1, 1).
    public_benefit_share : float
        Share of benefits that are cash savings in public budgets (0..1).
    residual_value_method : {'net_effects', 'linear', 'none'}
        How the residual value at the end of the period is found:
        ``net_effects`` (NOU 2012:16 ch. 6, the default) the present value of
        the measure's net effects after the analysis period; ``linear`` the
        remaining straight-line book value of the investments (a labelled
        alternative); ``none`` no residual value.
    asset_lifetime_years : int
        Economic lifetime of an investment, for the ``linear`` residual value.
    measure_lifetime_years : int or None
        Lifetime of the measure counted from the discount year, for the
        ``net_effects`` residual value; None = it ends with the analysis period.
    point_estimate : {'mean', 'likely'}
        Amount used in the deterministic analysis.
    distribution : {'triangular', 'pert'}
        Distribution of a three-point estimate in the simulation.
    p_steering, p_cost_frame : float
        Probabilities of the steering frame (P50) and the cost frame (P85).
    common_random_numbers : float in [0, 1]
        Share of each category's draw shared by every option and the
        0-alternative in the simulation (1: the same draw drives all; 0:
        independent); see :func:`simulate`.
    citations : dict of str to Citation
        Citation and ``verified`` flag per parameter name.
    source : str
        The file the parameters came from (named in error messages).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    discount_rates: tuple[float, ...] = (0.04, 0.03, 0.02)
    discount_breaks: tuple[int, ...] = (40, 75)
    discount_year: Literal["base_year", "first_year"] = "base_year"
    analysis_period: int | None = None
    max_analysis_period: int = 100
    tax_financing_cost: float = 0.20
    benefit_real_growth: float = 0.008
    public_benefit_share: float = 0.0
    residual_value_method: Literal["net_effects", "linear", "none"] = "net_effects"
    asset_lifetime_years: int = 15
    measure_lifetime_years: int | None = None
    point_estimate: Literal["mean", "likely"] = "mean"
    distribution: Literal["triangular", "pert"] = "triangular"
    p_steering: float = 0.50
    p_cost_frame: float = 0.85
    common_random_numbers: float = 1.0
    citations: dict[str, Citation] = {}
    source: str = "procurement/reference/r109.yaml"

    @field_validator("discount_rates")
    @classmethod
    def _rates(cls, v: tuple[float, ...]) -> tuple[float, ...]:
        if not v:
            raise ValueError("give at least one discount rate")
        for r in v:
            if not -1 < r < 1:
                raise ValueError(f"rate {r} is outside (-1, 1); write 4 % as 0.04")
        return v

    @field_validator("discount_breaks")
    @classmethod
    def _breaks(cls, v: tuple[int, ...]) -> tuple[int, ...]:
        if any(b <= 0 for b in v) or list(v) != sorted(set(v)):
            raise ValueError(f"break years {list(v)} must be positive and increasing, e.g. [40, 75]")
        return v

    @field_validator("benefit_real_growth")
    @classmethod
    def _growth(cls, v: float) -> float:
        if not -1 < v < 1:
            raise ValueError(f"growth rate {v} is outside (-1, 1); write 0.8 % as 0.008")
        return v

    @field_validator("tax_financing_cost", "public_benefit_share", "common_random_numbers")
    @classmethod
    def _share(cls, v: float) -> float:
        if not 0 <= v <= 1:
            raise ValueError(f"{v} is outside [0, 1]; write 20 % as 0.20")
        return v

    @field_validator("p_steering", "p_cost_frame")
    @classmethod
    def _probability(cls, v: float) -> float:
        if not 0 < v < 1:
            raise ValueError(f"probability {v} is outside (0, 1)")
        return v

    @field_validator("asset_lifetime_years", "max_analysis_period", "measure_lifetime_years")
    @classmethod
    def _positive(cls, v: int | None) -> int | None:
        if v is not None and v < 1:
            raise ValueError(f"{v} years: must be at least 1")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> CbaParameters:
        if len(self.discount_rates) != len(self.discount_breaks) + 1:
            raise ValueError(
                f"discount_rates has {len(self.discount_rates)} rates and discount_breaks "
                f"{len(self.discount_breaks)} break years; give one rate more than breaks"
            )
        if self.analysis_period is not None and not 1 <= self.analysis_period <= self.max_analysis_period:
            raise ValueError(
                f"analysis_period {self.analysis_period} is outside 1..{self.max_analysis_period} "
                "(max_analysis_period)"
            )
        return self

    def rate_for(self, k: np.ndarray | int) -> np.ndarray:
        """The discount rate of the k-th year of discounting (k = 1, 2, ...)."""
        idx = np.searchsorted(np.asarray(self.discount_breaks), np.asarray(k), side="left")
        return np.asarray(self.discount_rates)[idx]

    def cited(self) -> list[dict[str, Any]]:
        """Every parameter with its value, citation and verified flag (for reports and JSON)."""
        out = []
        for name in type(self).model_fields:
            if name in ("citations", "source"):
                continue
            value = getattr(self, name)
            c = self.citations.get(name)
            out.append(
                {
                    "parameter": name,
                    "value": list(value) if isinstance(value, tuple) else value,
                    "citation": c.citation if c else "",
                    "citation_nb": c.text("nb") if c else "",
                    "label": dict(c.label) if c else {},
                    "verified": c.verified if c else False,
                }
            )
        return out


def default_rules_path(case_dir: str | Path | None = None) -> Path:
    """Where ``r109.yaml`` is found: in the case folder or ``rules/`` beside it, else the package's reference data."""
    candidates = []
    if case_dir is not None:
        d = Path(case_dir)
        d = d.parent if d.is_file() else d
        candidates += [d / "r109.yaml", d.parent / "rules" / "r109.yaml"]
    candidates.append(reference.path("r109.yaml"))
    for c in candidates:
        if c.is_file():
            return c
    return candidates[-1]


def _validation_problems(err: ValidationError, file: str, prefix: str) -> list[Problem]:
    problems = []
    for e in err.errors():
        loc = ".".join(str(x) for x in e["loc"] if not isinstance(x, int)) or "parameters"
        msg = e["msg"].removeprefix("Value error, ")
        problems.append(Problem(file, f"{prefix}{loc}'", msg))
    return problems


def load_parameters(path: str | Path | None = None, **overrides: Any) -> CbaParameters:
    """Read cost-benefit parameters from an ``r109.yaml`` file.

    Parameters
    ----------
    path : str or Path, optional
        The YAML file (``parameters: {name: {value, citation, verified}}``);
        default :func:`default_rules_path`.
    **overrides
        Parameter values that replace the file's; their citation becomes
        "set by the user" and ``verified`` false.

    Returns
    -------
    CbaParameters

    Raises
    ------
    InputError
        For a missing file, an unknown parameter or a value out of range
        (for example a rate outside (-1, 1)), naming file and key.
    """
    path = Path(path) if path is not None else default_rules_path()
    name = display_path(path)
    from procurement.case import yamlsafe

    if not path.is_file():
        raise InputError(Problem(name, "", "file not found", "give a file like procurement/reference/r109.yaml"))
    doc = yamlsafe.load(path) or {}  # bounded: a --parameters file is the user's
    entries = doc.get("parameters") if isinstance(doc, dict) else None
    if not isinstance(entries, dict):
        raise InputError(Problem(name, "key 'parameters'", "missing or not a mapping", "see procurement/reference/r109.yaml"))
    problems = ProblemList()
    values: dict[str, Any] = {}
    citations: dict[str, Citation] = {}
    known = [f for f in CbaParameters.model_fields if f not in ("citations", "source")]
    for key, entry in entries.items():
        if key not in known:
            problems.add(path, f"key 'parameters.{key}'", "unknown parameter", did_you_mean(key, known))
            continue
        if not isinstance(entry, dict) or "value" not in entry:
            problems.add(path, f"key 'parameters.{key}'", "needs 'value', 'citation' and 'verified'")
            continue
        if not entry.get("citation"):
            problems.add(path, f"key 'parameters.{key}.citation'", "is missing", "every parameter carries its citation")
        values[key] = tuple(entry["value"]) if isinstance(entry["value"], list) else entry["value"]
        citations[key] = _citation(entry)
    problems.raise_if_any()
    for key, value in overrides.items():
        values[key] = tuple(value) if isinstance(value, list) else value
        citations[key] = USER_SET
    try:
        return CbaParameters(**values, citations=citations, source=name)
    except ValidationError as err:
        raise InputError(_validation_problems(err, name, "key 'parameters.")) from None


def _citation(entry: dict) -> Citation:
    """The citation of one parameter entry: ``citation``, ``verified``, optional ``citation_nb`` and ``label: {nb, en}``."""
    label = entry.get("label")
    label = {str(k): str(v) for k, v in label.items()} if isinstance(label, dict) else {}
    return Citation(citation=str(entry.get("citation", "")), verified=bool(entry.get("verified", False)),
                    citation_nb=str(entry.get("citation_nb") or ""), label=label)


def with_parameters(params: CbaParameters, **changes: Any) -> CbaParameters:
    """A copy of ``params`` with some values changed (validated; citation "set by the user")."""
    data = params.model_dump()
    citations = dict(params.citations)
    for key in changes:
        citations[key] = USER_SET
    data.update(changes, citations=citations)
    try:
        return CbaParameters(**data)
    except ValidationError as err:
        raise InputError(_validation_problems(err, "parameters", "override '")) from None


# --------------------------------------------------------------------------- discounting


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


# --------------------------------------------------------------------------- the linear model


@dataclass
class _Model:
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
        # (R, M * O): row r's weight in measure m sits in column m * O + option(r)
        o, m = len(self.options), len(LINEAR_MEASURES)
        self.matrix = np.zeros((len(self.rows), m * o))
        cols = np.arange(m)[None, :] * o + self.option_index[:, None]
        np.put_along_axis(self.matrix, cols, self.weights, axis=1)
        self.given = self.given or list(self.options)
        self.position = np.array([self.options.index(g) for g in self.given], dtype=int)

    def aggregate(self, amounts: np.ndarray) -> np.ndarray:
        """Measures per option for amounts of shape (S, R): result (S, M, O), options in canonical order."""
        return (amounts @ self.matrix).reshape(amounts.shape[0], len(LINEAR_MEASURES), len(self.options))


def _canonical_rows(rows: pd.DataFrame) -> pd.DataFrame:
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


def _residual_weights(years: np.ndarray, cat: np.ndarray, timeline: Timeline, params: CbaParameters) -> np.ndarray:
    """Weight of each row in the residual value (NOK of residual value per NOK of the row's amount).

    ``net_effects`` (NOU 2012:16 ch. 6): the present value of the measure's net
    effects after the analysis period, taken as the recurring effects
    (:data:`RECURRING_CATEGORIES`) of the last analysis year continuing each
    year through the end of the measure's lifetime (benefits keep their real
    price growth), with the tax-financing cost of their net public spending.
    ``linear``: the straight-line remaining book value of each investment at
    the end of the period, discounted from the last year.
    """
    if params.residual_value_method == "linear":
        used = timeline.end - years + 1
        remaining = np.clip(1.0 - used / params.asset_lifetime_years, 0.0, 1.0)
        return (cat == "investment") * remaining * discount_factors([timeline.end - timeline.start], params)[0]
    after = residual_period(timeline, params)
    if params.residual_value_method == "none" or not len(after):
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


def _weights(rows: pd.DataFrame, timeline: Timeline, params: CbaParameters) -> np.ndarray:
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
    residual = _residual_weights(years, cat, timeline, params)
    public = pv_costs - params.public_benefit_share * pv_benefits
    npv = pv_benefits + residual - pv_costs - params.tax_financing_cost * public
    return np.column_stack([pv_costs, pv_benefits, residual, public, is_investment, npv])


def _build_model(
    flows: pd.DataFrame,
    options: Sequence[str],
    base_year: int,
    params: CbaParameters,
    decision: str | None = None,
) -> _Model:
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
    rows = _canonical_rows(rows)
    canon = sorted(given)
    annuity = float(discount_factors(timeline.years - timeline.start, params).sum())
    return _Model(
        options=canon,
        rows=rows,
        option_index=np.array([canon.index(o) for o in rows["option"]], dtype=int),
        category_index=np.array([CATEGORIES.index(c) for c in rows["category"]], dtype=int),
        weights=_weights(rows, timeline, params),
        timeline=timeline,
        params=params,
        annuity=annuity,
        given=given,
    )


def _derived(measures: pd.DataFrame, params: CbaParameters, annuity: float, zero: str | None) -> pd.DataFrame:
    """Add tax cost, net benefit per budget krone, annualised cost and incremental NPV."""
    out = measures.copy()
    out["tax_cost"] = params.tax_financing_cost * out["net_public_spending"]
    nps = out["net_public_spending"]
    out["net_benefit_per_krone"] = (out["npv"] / nps.where(nps > 0)).astype(float)
    out["annualised_cost"] = out["pv_costs"] / annuity
    out["incremental_npv"] = out["npv"] - float(out["npv"][zero]) if zero is not None and zero in out.index else np.nan
    if zero is not None and zero in out.index:
        extra = nps - float(nps[zero])  # net public spending beyond the 0-alternative's
        out["incremental_net_benefit_per_krone"] = (out["incremental_npv"] / extra.where(extra > 0)).astype(float)
    else:
        out["incremental_net_benefit_per_krone"] = np.nan
    return out


# --------------------------------------------------------------------------- deterministic


@dataclass
class CbaResult:
    """The deterministic cost-benefit analysis of one decision (amounts in NOK).

    Attributes
    ----------
    decision : str
    options : list of str
    zero : str or None
        The 0-alternative that incremental NPV is measured against (None if absent).
    timeline : Timeline
    params : CbaParameters
    table : pandas.DataFrame
        Indexed by option: ``npv, incremental_npv, incremental_net_benefit_per_krone
        (ΔNPV per krone of net public spending beyond the 0-alternative's; NaN
        where the option spends no more), pv_costs, pv_benefits,
        residual_value, net_public_spending, tax_cost, net_benefit_per_krone,
        annualised_cost, investment``.
    discount : pandas.DataFrame
        ``year, t, rate, factor`` for each year of the analysis period.
    """

    decision: str
    options: list[str]
    zero: str | None
    timeline: Timeline
    params: CbaParameters
    table: pd.DataFrame
    discount: pd.DataFrame


def _point(rows: pd.DataFrame, params: CbaParameters) -> np.ndarray:
    a, c, b = (rows[k].to_numpy(dtype=float) for k in ("low", "likely", "high"))
    if params.point_estimate == "likely":
        return c
    if params.distribution == "pert":
        return (a + 4 * c + b) / 6
    return (a + c + b) / 3


TABLE_COLUMNS = [
    "npv",
    "incremental_npv",
    "incremental_net_benefit_per_krone",
    "pv_costs",
    "pv_benefits",
    "residual_value",
    "net_public_spending",
    "tax_cost",
    "net_benefit_per_krone",
    "annualised_cost",
    "investment",
]


def evaluate(
    flows: pd.DataFrame,
    options: Sequence[str],
    base_year: int,
    params: CbaParameters | None = None,
    decision: str | None = None,
    zero: str | None = "zero",
) -> CbaResult:
    """Deterministic NPV and related measures per option.

    Parameters
    ----------
    flows : pandas.DataFrame
        Cash flows in NOK (``decision, option, year, category, low, likely,
        high[, row]``), as from :func:`procurement.case.cashflows.read_cashflows`.
    options : sequence of str
        The decision's option ids; an option without flows has all measures 0.
    base_year : int
        Year of the real prices.
    params : CbaParameters, optional
        Default: the values of ``procurement/reference/r109.yaml`` built into the model.
    decision : str, optional
        Keep only flows of this decision (``decision`` column).
    zero : str or None
        The 0-alternative's id; ``incremental_npv`` is NaN if it is not an option.

    Returns
    -------
    CbaResult

    Raises
    ------
    InputError
        Flows with an unknown option or category, amounts out of order, a
        year repeated or out of order, or years outside the analysis period;
        each message names file and row.
    """
    params = params or CbaParameters()
    model = _build_model(flows, options, base_year, params, decision)
    values = model.aggregate(_point(model.rows, params)[None, :])[0][:, model.position]
    measures = pd.DataFrame(values.T, index=pd.Index(model.given, name="option"), columns=list(LINEAR_MEASURES))
    zero = zero if zero in model.given else None
    table = _derived(measures, params, model.annuity, zero)[TABLE_COLUMNS]
    return CbaResult(
        decision=decision or "",
        options=model.given,
        zero=zero,
        timeline=model.timeline,
        params=params,
        table=table,
        discount=discount_table(model.timeline, params),
    )


# --------------------------------------------------------------------------- simulation


def _correlation_pairs(correlation: float | Mapping[tuple[str, str], float] | pd.DataFrame) -> dict[tuple[str, str], float]:
    """Rank correlation per ordered pair of categories, from a number, a mapping or a matrix."""
    if isinstance(correlation, pd.DataFrame):
        return {(a, b): correlation.loc[a, b] for a in correlation.index for b in correlation.columns if a != b}
    if isinstance(correlation, Mapping):
        return dict(correlation)
    return {(a, b): float(correlation) for a in COST_CATEGORIES for b in COST_CATEGORIES if a != b}


def correlation_matrix(correlation: float | Mapping[tuple[str, str], float] | pd.DataFrame | None) -> np.ndarray | None:
    """The Gaussian-copula correlation between categories for a given rank correlation.

    Parameters
    ----------
    correlation : float, mapping, DataFrame or None
        Spearman rank correlation between categories. A number applies to every
        pair of cost categories (benefits stay independent); a mapping
        ``{("investment", "benefit"): -0.3, ...}`` sets pairs; a DataFrame
        indexed and labelled by category gives the full matrix. None or 0 =
        independent.

    Returns
    -------
    numpy.ndarray or None
        The Cholesky factor L (4 x 4, in :data:`CATEGORIES` order) of the
        normal correlation ``2 sin(pi rho_s / 6)``, or None for independence.

    Raises
    ------
    InputError
        A value outside [-1, 1], an unknown category, or a matrix that is not
        positive definite (key ``correlation``).
    """
    if correlation is None:
        return None
    k = len(CATEGORIES)
    rank = np.eye(k)
    problems = ProblemList()
    for (a, b), v in _correlation_pairs(correlation).items():
        if a not in CATEGORIES or b not in CATEGORIES:
            problems.add("correlation", f"pair ({a}, {b})", "unknown category", f"categories: {', '.join(CATEGORIES)}")
            continue
        if not -1 <= float(v) <= 1:
            problems.add("correlation", f"pair ({a}, {b})", f"rank correlation {v} is outside [-1, 1]")
            continue
        i, j = CATEGORIES.index(a), CATEGORIES.index(b)
        rank[i, j] = rank[j, i] = float(v)
    problems.raise_if_any()
    if np.allclose(rank, np.eye(k)):
        return None
    normal = 2 * np.sin(np.pi * rank / 6)
    np.fill_diagonal(normal, 1.0)
    try:
        return np.linalg.cholesky(normal)
    except np.linalg.LinAlgError:
        raise InputError(
            Problem("correlation", "matrix", "the rank correlations are not consistent (not positive definite)",
                    "lower the largest values")
        ) from None


def stable_hash(text: str) -> int:
    """A hash of an id that is the same in every process and on every machine.

    The first :data:`HASH_BYTES` bytes of the SHA-256 of the UTF-8 text, as an
    unsigned integer. Python's ``hash()`` of a string is salted per process,
    so it must never key a random stream.
    """
    return int.from_bytes(hashlib.sha256(str(text).encode("utf-8")).digest()[:HASH_BYTES], "big")


#: First element of every stream key of :func:`simulate`, so its streams differ from any other use of the seed.
STREAM_TAG = stable_hash("procurement.cba.r109.simulate")


def stream_key(option: str, category: str, year: int | None = None) -> tuple[int, ...]:
    """The ``spawn_key`` of the random stream of one option and category (and year, when years are drawn apart)."""
    key = (STREAM_TAG, stable_hash(option), stable_hash(category))
    return key if year is None else (*key, stable_hash(str(int(year))))


#: Stream id shared by every option: the common random numbers of :func:`simulate`.
COMMON = "\x00common"
#: Bytes of samples :func:`simulate` keeps by default; beyond them statistics come from passes over blocks.
KEEP_BYTES = 256 * 2**20
#: Bytes :func:`simulate` may use to collect the values near each percentile in the block passes.
COLLECT_BYTES = 256 * 2**20
#: Bins of each histogram pass that narrows the window around a percentile.
BINS = 4096
#: Histogram passes allowed before the values near a percentile must fit in :data:`COLLECT_BYTES`.
MAX_REFINE = 3
#: Measures whose percentiles :func:`simulate` always computes (block passes need them named in advance).
PERCENTILE_MEASURES: dict[str, tuple[float, ...]] = {
    "investment": PERCENTILES,
    "npv": PERCENTILES,
    "pv_costs": (50, 85),
    "incremental_npv": PERCENTILES,
}


class _Streams:
    """Standard normal draws, one generator per block (option, or option and year) and category.

    Each generator is seeded from the seed and its :func:`stream_key`, and
    draws its values in sequence, so the first n draws of a run of any length
    are those of a run of n draws. With common random numbers (``common`` > 0)
    a second set of streams keyed by :data:`COMMON` (and the year) is shared by
    every option: a block's normal is ``sqrt(1 - common) z_own + sqrt(common)
    z_common``, still standard normal; with ``common == 1`` the blocks are the
    common streams themselves (see :func:`_blocks`).
    """

    def __init__(self, entropy: Any, blocks: list[tuple[str, int | None]], common: float = 0.0):
        def gens(option: str, year: int | None) -> list[np.random.Generator]:
            return [np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=stream_key(option, c, year)))
                    for c in CATEGORIES]

        self.generators = [gens(option, year) for option, year in blocks]
        self.mix = 0.0 < common < 1.0
        if self.mix:
            years = sorted({y for _, y in blocks}, key=lambda y: -1 if y is None else y)
            self.shared = [gens(COMMON, y) for y in years]
            self.to_shared = np.array([years.index(y) for _, y in blocks], dtype=int)
            self.own_scale, self.shared_scale = np.sqrt(1.0 - common), np.sqrt(common)

    @staticmethod
    def _draw(generators: list[list[np.random.Generator]], n: int) -> np.ndarray:
        z = np.empty((len(generators), len(CATEGORIES), n))
        for b, row in enumerate(generators):
            for c, gen in enumerate(row):
                gen.standard_normal(out=z[b, c])
        return z

    def normals(self, n: int) -> np.ndarray:
        """The next n draws of every block and category: shape (blocks, categories, n)."""
        z = self._draw(self.generators, n)
        if self.mix:
            z = self.own_scale * z + self.shared_scale * self._draw(self.shared, n)[self.to_shared]
        return z


class _StandardInverse:
    """Inverse distribution functions of standardised three-point estimates on [0, 1].

    A three-point estimate (a, c, b) is ``a + (b - a) X`` where X lies on
    [0, 1] with mode ``m = (c - a) / (b - a)``. Triangular: the closed-form
    inverse. PERT (beta with shapes ``1 + 4 m`` and ``1 + 4 (1 - m)``): the
    inverse beta function is slow, so it is tabulated once per distinct mode
    on :data:`PERT_GRID` points and interpolated linearly (error far below
    the Monte Carlo error).
    """

    def __init__(self, mode: np.ndarray, distribution: str):
        self.distribution = distribution
        if distribution == "pert":
            modes, shape = np.unique(mode, return_inverse=True)
            self.shape = shape.reshape(-1, 1)
            grid = np.linspace(0.0, 1.0, PERT_GRID)
            self.table = special.betaincinv(1 + 4 * modes[:, None], 1 + 4 * (1 - modes[:, None]), grid[None, :])
            self.table[:, 0], self.table[:, -1] = 0.0, 1.0
        else:
            self.mode = mode.reshape(-1, 1)
            self.k_right = 1.0 - self.mode

    def __call__(self, u: np.ndarray) -> np.ndarray:
        """Standardised amounts for uniform draws ``u`` of shape (G, S): one row per estimate shape."""
        if self.distribution == "pert":
            pos = u * (PERT_GRID - 1)
            i = np.minimum(pos.astype(np.intp), PERT_GRID - 2)
            frac = pos - i
            lo = self.table[self.shape, i]
            return lo + frac * (self.table[self.shape, i + 1] - lo)
        left = u < self.mode
        v = np.where(left, u * self.mode, (1.0 - u) * self.k_right)
        np.sqrt(v, out=v)
        return np.where(left, v, 1.0 - v)


def _numpy_percentile(sorted_at: Any, n: int, ps: Sequence[float]) -> np.ndarray:
    """``numpy.percentile`` (method 'linear') from a function giving the k-th smallest value(s).

    The same arithmetic as numpy: virtual index ``q (n - 1)``, and the
    interpolation ``a + (b - a) g`` (``b - (b - a)(1 - g)`` when ``g >= 0.5``).
    """
    q = np.true_divide(np.asarray(ps, dtype=float), 100)
    virtual = q * (n - 1)
    prev = np.floor(virtual).astype(np.intp)
    nxt = np.minimum(prev + 1, n - 1)
    gamma = virtual - prev
    a, b = sorted_at(prev), sorted_at(nxt)
    d = b - a
    return np.where(gamma >= 0.5, b - d * (1 - gamma), a + d * gamma)


def percentile_ranks(n: int, ps: Sequence[float]) -> np.ndarray:
    """The 0-based order statistics ``numpy.percentile`` reads for ``ps`` of ``n`` values."""
    virtual = np.true_divide(np.asarray(ps, dtype=float), 100) * (n - 1)
    prev = np.floor(virtual).astype(np.intp)
    return np.unique(np.concatenate([prev, np.minimum(prev + 1, n - 1)]))


@dataclass
class Simulation:
    """Monte Carlo results of one decision (amounts in NOK).

    Attributes
    ----------
    options : list of str
    samples : dict of str to numpy.ndarray
        Per measure (``npv, pv_costs, investment, pv_benefits, residual_value,
        net_public_spending``, and ``incremental_npv`` when there is a
        0-alternative), the draws, shape (samples, options), options in the
        order given to :func:`simulate`. Empty when the samples were too many
        to keep (see :func:`simulate`); the statistics below are then computed
        in passes over blocks and equal those of the kept samples.
    seed : int or None
    distribution : str
    params : CbaParameters
    zero : str or None
    stats : dict
        ``mean`` (DataFrame, measure per column), ``p_npv_positive``,
        ``p_incremental_positive``, ``p_cheapest``, ``p_best`` (Series),
        ``percentiles`` (measure -> DataFrame) and, without kept samples,
        ``histograms`` for the S-curves.
    """

    options: list[str]
    samples: dict[str, np.ndarray]
    seed: int | None
    distribution: str
    params: CbaParameters
    zero: str | None = None
    timeline: Timeline | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)
    n_samples: int = 0

    @property
    def n(self) -> int:
        if self.n_samples:
            return self.n_samples
        return next(iter(self.samples.values())).shape[0]

    @property
    def kept(self) -> bool:
        """Whether the draws themselves were kept (else only their statistics)."""
        return bool(self.samples)

    def _need_samples(self, what: str) -> None:
        if not self.kept:
            raise InputError(Problem("samples", "", f"{what} needs the draws, and {self.n} samples were too many to keep",
                                     "use fewer samples or a larger max_memory"))

    def percentiles(self, measure: str, ps: Sequence[float] = PERCENTILES) -> pd.DataFrame:
        """Percentiles of a measure per option: columns ``P10, P50, ...``.

        ``Pxx`` is the value not exceeded with probability xx % (for a cost,
        P85 is the cost frame; for the NPV, P85 is the optimistic side).
        """
        cols = [f"P{p:g}" for p in ps]
        if self.kept:
            q = np.percentile(self.samples[measure], ps, axis=0)
            return pd.DataFrame(q.T, index=pd.Index(self.options, name="option"), columns=cols)
        known = self.stats.get("percentiles", {}).get(measure)
        if known is None or not set(cols) <= set(known.columns):
            self._need_samples(f"percentiles {', '.join(cols)} of {measure}")
        return known[cols].copy()

    def mean(self, measure: str) -> pd.Series:
        """Mean of a measure per option."""
        return self.stats["mean"][measure].rename(f"{measure}_mean")

    def p_npv_positive(self) -> pd.Series:
        """Probability that the NPV is above zero, per option."""
        return self.stats["p_npv_positive"].copy()

    def p_incremental_positive(self) -> pd.Series:
        """Probability that the NPV is above the 0-alternative's in the same draw (ΔNPV > 0), per option."""
        return self.stats["p_incremental_positive"].copy()

    def p_cheapest(self, measure: str = "pv_costs") -> pd.Series:
        """Probability that each option has the lowest present value of costs (ties split)."""
        if measure == "pv_costs":
            return self.stats["p_cheapest"].copy()
        self._need_samples(f"P(cheapest) by {measure}")
        x = self.samples[measure]
        low = x == x.min(axis=1, keepdims=True)
        share = low / low.sum(axis=1, keepdims=True)
        return pd.Series(share.mean(axis=0), index=self.options, name="p_cheapest")

    def p_best(self) -> pd.Series:
        """Probability that each option has the highest NPV in a draw (ties split): the chance it is the best."""
        return self.stats["p_best"].copy()

    def summary(self) -> pd.DataFrame:
        """One row per option: ΔNPV first, then investment and NPV percentiles, probabilities."""
        parts = []
        if "incremental_npv" in self.stats.get("percentiles", {}):
            inc = self.percentiles("incremental_npv").add_prefix("incremental_npv_")
            inc.insert(0, "incremental_npv_mean", self.mean("incremental_npv"))
            inc.insert(1, "p_incremental_positive", self.p_incremental_positive())
            parts.append(inc)
        parts += [
            self.percentiles("investment").add_prefix("investment_"),
            self.percentiles("npv").add_prefix("npv_"),
            self.percentiles("pv_costs", (50, 85)).add_prefix("pv_costs_"),
        ]
        out = pd.concat(parts, axis=1)
        out["npv_mean"] = self.mean("npv")
        out["p_npv_positive"] = self.p_npv_positive()
        out["p_cheapest"] = self.p_cheapest()
        out["p_best"] = self.p_best()
        return out


def _blocks(model: _Model, years_together: bool, common: float = 0.0) -> tuple[np.ndarray, list[tuple[str, int | None]]]:
    """Per row its draw block, and per block its stream id and year (None when years move together).

    Blocks are per option (and year), sorted by (option, year), from the
    canonical option indices; with fully common random numbers
    (``common == 1``) every option shares the blocks of :data:`COMMON`.
    """
    years = model.rows["year"].to_numpy(dtype=int)
    if common >= 1.0:
        keys = np.zeros((len(model.rows), 1), dtype=int) if years_together else years[:, None]
        uniq, block = np.unique(keys, axis=0, return_inverse=True)
        return block.ravel(), [(COMMON, None if years_together else int(u[0])) for u in uniq]
    keys = model.option_index[:, None]
    if not years_together:
        keys = np.column_stack([model.option_index, years])
    uniq, block = np.unique(keys.reshape(len(model.rows), -1), axis=0, return_inverse=True)
    ids = [(model.options[int(u[0])], None if years_together else int(u[1])) for u in uniq]
    return block.ravel(), ids


@dataclass
class _Grouped:
    """Rows that share a draw (block and category) and a standardised shape (mode), summed.

    The sum of such rows is ``sum(w a) + X * sum(w (b - a))``, so grouping them is
    exact and saves work when estimates are spread over years in the same proportions.
    """

    const: np.ndarray  # (K,) sum of w a over all rows, per simulated column
    scaled: np.ndarray  # (G, K) sum of w (b - a) per group
    block: np.ndarray  # (G,) block of each group
    category: np.ndarray  # (G,) category index of each group
    mode: np.ndarray  # (G,) standardised mode of each group

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Lowest and highest value each column can take (every X in [0, 1])."""
        return self.const + np.minimum(self.scaled, 0).sum(axis=0), self.const + np.maximum(self.scaled, 0).sum(axis=0)


def _group_rows(model: _Model, block: np.ndarray, zero: int | None = None) -> _Grouped:
    """Group the rows; with a 0-alternative (canonical index) add one ΔNPV column per option."""
    a, c, b = (model.rows[k].to_numpy(dtype=float) for k in ("low", "likely", "high"))
    span = b - a
    mode = np.round(np.divide(c - a, span, out=np.full_like(span, 0.5), where=span > 0), 12)
    keys = np.column_stack([block, model.category_index, mode])
    groups, group = np.unique(keys.reshape(len(model.rows), 3), axis=0, return_inverse=True)
    scaled = np.zeros((len(groups), model.matrix.shape[1]))
    np.add.at(scaled, group.ravel(), span[:, None] * model.matrix)
    const = a @ model.matrix
    if zero is not None:
        o = len(model.options)
        npv = slice(LINEAR_MEASURES.index("npv") * o, (LINEAR_MEASURES.index("npv") + 1) * o)
        const = np.concatenate([const, const[npv] - const[npv][zero]])
        scaled = np.column_stack([scaled, scaled[:, npv] - scaled[:, npv][:, [zero]]])
    return _Grouped(const, scaled, groups[:, 0].astype(int), groups[:, 1].astype(int), groups[:, 2])


@dataclass
class _Engine:
    """Draws the simulated columns block by block; every pass over the blocks draws the same numbers."""

    entropy: Any  # numpy.random.SeedSequence entropy (int or sequence of int)
    ids: list[tuple[str, int | None]]
    common: float
    grouped: _Grouped
    inverse: _StandardInverse
    chol: np.ndarray | None
    samples: int
    progress: bool = False

    def chunks(self):
        """``(lo, hi, x)``: samples lo..hi of every column, shape (hi - lo, K), in blocks of :data:`CHUNK`."""
        streams = _Streams(self.entropy, self.ids, self.common)
        g = self.grouped
        bar = None
        if self.progress:
            from tqdm import tqdm

            bar = tqdm(total=self.samples, unit="sample", desc="Monte Carlo", leave=False, disable=None)
        for lo in range(0, self.samples, CHUNK):
            hi = min(self.samples, lo + CHUNK)
            z = streams.normals(hi - lo)  # (blocks, categories, n)
            if self.chol is not None:
                z = self.chol @ z
            u = special.ndtr(z)[g.block, g.category]  # (groups, n)
            yield lo, hi, g.const + self.inverse(u).T @ g.scaled
            if bar is not None:
                bar.update(hi - lo)
        if bar is not None:
            bar.close()


class _Columns:
    """Where each measure's options sit among the simulated columns (canonical option order)."""

    def __init__(self, measures: Sequence[str], options: int):
        self.measures, self.o = list(measures), options

    def __call__(self, measure: str) -> slice:
        j = self.measures.index(measure)
        return slice(j * self.o, (j + 1) * self.o)


class _Moments:
    """Sums and counts of one pass over the blocks: means and probabilities."""

    def __init__(self, cols: _Columns, k: int):
        o = cols.o
        self.cols, self.sums = cols, np.zeros(k)
        self.npv_pos, self.inc_pos, self.cheapest, self.best = (np.zeros(o) for _ in range(4))
        self.low, self.high = np.full(k, np.inf), np.full(k, -np.inf)

    def add(self, x: np.ndarray) -> None:
        c = self.cols
        self.sums += x.sum(axis=0)
        np.minimum(self.low, x.min(axis=0), out=self.low)
        np.maximum(self.high, x.max(axis=0), out=self.high)
        npv = x[:, c("npv")]
        self.npv_pos += (npv > 0).sum(axis=0)
        if "incremental_npv" in c.measures:
            self.inc_pos += (x[:, c("incremental_npv")] > 0).sum(axis=0)
        for acc, v in ((self.cheapest, x[:, c("pv_costs")]), (self.best, -npv)):
            low = v == v.min(axis=1, keepdims=True)
            acc += (low / low.sum(axis=1, keepdims=True)).sum(axis=0)


@dataclass
class _Binning:
    """Fixed bins of one column between the lowest and highest value it can take: ``bin = floor((x - lo) * scale)``.

    Every pass computes a value's bin with the same arithmetic, so a value
    falls in the same bin in every pass (no comparison with rounded edges).
    """

    lo: np.ndarray  # (P,)
    scale: np.ndarray  # (P,) BINS / (hi - lo), 0 for a constant column

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Bins of values ``x`` of shape (n, P): int array (n, P)."""
        b = np.floor((x - self.lo) * self.scale)
        np.clip(b, 0, BINS - 1, out=b)
        return b.astype(np.intp)

    def edges(self, j: int) -> np.ndarray:
        """Approximate inner edges of column j's bins (for S-curves only)."""
        if self.scale[j] == 0:
            return np.empty(0)
        return self.lo[j] + np.arange(1, BINS) / self.scale[j]


@dataclass
class _Window:
    """Values of column ``col`` (position ``pos`` among the percentile columns) in bin ``bin`` with
    ``lo <= x < hi``: ``count`` of them, ``below`` values of the column lower."""

    col: int
    pos: int
    bin: int
    lo: float
    hi: float
    count: int
    below: int

    def members(self, x: np.ndarray, bins: np.ndarray) -> np.ndarray:
        v = x[:, self.col]
        mask = bins[:, self.pos] == self.bin
        if np.isfinite(self.lo) or np.isfinite(self.hi):
            mask &= (v >= self.lo) & (v < self.hi)
        return v[mask]

    def holds(self, rank: int) -> bool:
        return self.below <= rank < self.below + self.count


def _refine_pass(engine: _Engine, binning: _Binning, cols: list[int], windows: list[_Window], low: np.ndarray,
                 high: np.ndarray) -> list[_Window]:
    """One pass: split every window into :data:`BINS` sub-windows by value and count the values in each."""
    inner = []
    for w in windows:
        lo = max(w.lo, low[w.col], binning.lo[w.pos] + w.bin / binning.scale[w.pos] if binning.scale[w.pos] else low[w.col])
        hi = min(w.hi, float(np.nextafter(high[w.col], np.inf)))
        e = np.linspace(lo, hi, BINS + 1)[1:-1]
        inner.append(e[(e > w.lo) & (e < w.hi)])
    counts = [np.zeros(len(e) + 1, dtype=np.int64) for e in inner]
    for _, _, x in engine.chunks():
        bins = binning(x[:, cols])
        for w, e, cnt in zip(windows, inner, counts, strict=True):
            cnt += np.bincount(np.searchsorted(e, w.members(x, bins), side="right"), minlength=len(cnt))
    out = []
    for w, e, cnt in zip(windows, inner, counts, strict=True):
        edges = np.concatenate([[w.lo], e, [w.hi]])
        before = w.below + np.concatenate([[0], np.cumsum(cnt)[:-1]])
        out += [_Window(w.col, w.pos, w.bin, float(edges[i]), float(edges[i + 1]), int(cnt[i]), int(before[i]))
                for i in range(len(cnt)) if cnt[i]]
    return out


def _collect_pass(engine: _Engine, binning: _Binning, cols: list[int], windows: list[_Window]) -> list[np.ndarray]:
    """One pass: the values of every window, sorted."""
    parts: list[list[np.ndarray]] = [[] for _ in windows]
    for _, _, x in engine.chunks():
        bins = binning(x[:, cols])
        for w, p in zip(windows, parts, strict=True):
            p.append(w.members(x, bins))
    return [np.sort(np.concatenate(p)) if p else np.empty(0) for p in parts]


def _holding(windows: list[_Window], wanted: dict[int, np.ndarray]) -> list[_Window]:
    """The windows that hold a wanted rank of their column."""
    return [w for w in windows if any(w.holds(int(r)) for r in wanted[w.col])]


def _order_statistics(engine: _Engine, binning: _Binning, cols: list[int], wanted: dict[int, np.ndarray],
                      first: list[_Window], low: np.ndarray, high: np.ndarray, collect_bytes: int) -> dict[int, dict[int, float]]:
    """The k-th smallest value of each column for the ranks in ``wanted`` (column -> ranks), found in passes.

    Value passes narrow the window around each rank until the values in the
    windows fit in ``collect_bytes``; a last pass collects and sorts them.
    """
    active = first
    for level in range(MAX_REFINE + 1):
        need = 8 * sum(w.count for w in active)
        if need <= collect_bytes:
            out: dict[int, dict[int, float]] = {}
            for w, v in zip(active, _collect_pass(engine, binning, cols, active), strict=True):
                for r in wanted[w.col]:
                    if w.holds(int(r)):
                        out.setdefault(w.col, {})[int(r)] = float(v[int(r) - w.below])
            return out
        if level == MAX_REFINE:
            break
        active = _holding(_refine_pass(engine, binning, cols, active, low, high), wanted)
    raise InputError(Problem(
        "samples", "", f"{engine.samples} samples need about {_size(need)} to find the percentiles exactly "
        f"(limit {_size(collect_bytes)})", "use fewer samples or a larger max_memory"))


def _size(n: float) -> str:
    """Bytes in MB (kB below 1 MB), for messages."""
    return f"{n / 2**20:,.1f} MB" if n >= 2**20 else f"{n / 2**10:,.1f} kB"


def _first_pass(engine: _Engine, cols: _Columns, k: int, pct_cols: list[int], keep: bool
                ) -> tuple[_Moments, np.ndarray | None, _Binning, np.ndarray]:
    """Moments of every column, the kept draws (if ``keep``) and bin counts of each percentile column, shape (P, BINS)."""
    moments = _Moments(cols, k)
    kept = np.empty((engine.samples, k)) if keep else None
    lo_b, hi_b = engine.grouped.bounds()
    lo, hi = lo_b[pct_cols], hi_b[pct_cols]
    span = hi - lo
    binning = _Binning(lo, np.divide(BINS, span, out=np.zeros_like(span), where=span > 0))
    offsets = np.arange(len(pct_cols)) * BINS
    counts = np.zeros(len(pct_cols) * BINS, dtype=np.int64)
    for lo_i, hi_i, x in engine.chunks():
        moments.add(x)
        if kept is not None:
            kept[lo_i:hi_i] = x
        else:
            counts += np.bincount((binning(x[:, pct_cols]) + offsets).ravel(), minlength=len(counts))
    return moments, kept, binning, counts.reshape(len(pct_cols), BINS)


def _blocked_percentiles(engine: _Engine, cols: _Columns, moments: _Moments, binning: _Binning, counts: np.ndarray,
                         pct_cols: list[int], collect_bytes: int) -> dict[str, np.ndarray]:
    """Percentiles of :data:`PERCENTILE_MEASURES` per canonical option, from the block passes."""
    n = engine.samples
    wanted: dict[int, np.ndarray] = {}
    first: list[_Window] = []
    for pos, j in enumerate(pct_cols):
        if moments.low[j] == moments.high[j]:
            continue  # a constant column: every percentile is that value
        m = next(m for m in PERCENTILE_MEASURES if m in cols.measures and cols(m).start <= j < cols(m).stop)
        wanted[j] = percentile_ranks(n, PERCENTILE_MEASURES[m])
        cum = np.cumsum(counts[pos])
        for b in sorted({int(np.searchsorted(cum, r, side="right")) for r in wanted[j]}):
            first.append(_Window(j, pos, b, -np.inf, np.inf, int(counts[pos, b]), int(cum[b] - counts[pos, b])))
    found = _order_statistics(engine, binning, pct_cols, wanted, first, moments.low, moments.high, collect_bytes)
    out = {}
    for m, ps in PERCENTILE_MEASURES.items():
        if m not in cols.measures:
            continue
        rows = []
        for j in range(cols(m).start, cols(m).stop):
            if j not in wanted:
                rows.append(np.full(len(ps), moments.low[j]))
                continue
            col = found[j]
            rows.append(_numpy_percentile(lambda r, col=col: np.array([col[int(i)] for i in r]), n, ps))
        out[m] = np.array(rows)  # (options, len(ps))
    return out


def _check_simulation_inputs(samples: int, seed: int | None, common: float) -> None:
    if samples < 1:
        raise InputError(Problem("samples", "", f"{samples} is not a positive number of samples", "e.g. 10000"))
    if seed is not None and seed < 0:
        raise InputError(Problem("seed", "", f"must be zero or more, got {seed}", "e.g. 20261125"))
    if not 0.0 <= common <= 1.0:
        raise InputError(Problem("common", "", f"{common} is outside [0, 1]",
                                 "1 = common random numbers (default), 0 = every option draws on its own"))


def _s_curve_points(e: np.ndarray, cnt: np.ndarray, low: float, high: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Values and cumulative probabilities of a histogram (for S-curves without kept draws)."""
    x = np.clip(np.concatenate([[low], e, [high]]), low, high)
    return x, np.concatenate([[0.0], np.cumsum(cnt)]) / n


def simulate(
    flows: pd.DataFrame,
    options: Sequence[str],
    base_year: int,
    params: CbaParameters | None = None,
    samples: int = 10_000,
    seed: int | None = DEFAULT_SEED,
    decision: str | None = None,
    zero: str | None = "zero",
    correlation: float | Mapping[tuple[str, str], float] | pd.DataFrame | None = None,
    years_together: bool = True,
    progress: bool = False,
    common: float | None = None,
    max_memory: int | None = None,
) -> Simulation:
    """Monte Carlo simulation over the three-point cash-flow estimates.

    Parameters
    ----------
    flows, options, base_year, params, decision, zero
        As for :func:`evaluate`.
    samples : int
        Number of draws (>= 1).
    seed : int, optional
        Seed of the random generators (>= 0); the same seed and inputs give
        the same numbers in any row order (see the module docstring). Streams
        are keyed by ids, and the first n draws of a longer run equal a run of
        n draws. None draws fresh entropy (not reproducible).
    correlation : see :func:`correlation_matrix`
        Rank correlation between categories of one option (Gaussian copula).
    years_together : bool
        True (default): one draw per category moves all its years together
        (an estimate that is high is high every year). False: every year is
        drawn on its own.
    progress : bool
        Show a tqdm progress bar on stderr (only when stderr is a terminal).
    common : float in [0, 1], optional
        Default ``params.common_random_numbers``. Common random numbers: the share of each draw's variance that every
        option (and the 0-alternative) shares, per category (and year). 1
        (default): one draw of a category drives every option, so a
        difference between options carries only their own spread. 0: every
        option draws on its own (the spread of a difference is then the sum
        of both spreads).
    max_memory : int, optional
        Bytes of draws to keep (default :data:`KEEP_BYTES`) and to collect
        around the percentiles (default :data:`COLLECT_BYTES`). More draws
        than fit are not kept: means and probabilities are summed block by
        block and every percentile is found exactly in further passes over
        the same blocks (histograms narrow a window around it, then its
        values are sorted), so the numbers equal those of the kept draws.

    Returns
    -------
    Simulation
        Options in the order of ``options``.

    Raises
    ------
    InputError
        Fewer than one sample (key ``samples``), a negative seed (key
        ``seed``), ``common`` outside [0, 1], a bad correlation (key
        ``correlation``), percentiles that would need more memory than
        allowed (naming the memory needed), or the problems of :func:`evaluate`.
    """
    params = params or CbaParameters()
    common = params.common_random_numbers if common is None else float(common)
    _check_simulation_inputs(samples, seed, common)
    model = _build_model(flows, options, base_year, params, decision)
    chol = correlation_matrix(correlation)
    block, ids = _blocks(model, years_together, common)
    zero = zero if zero in model.given else None
    grouped = _group_rows(model, block, None if zero is None else model.options.index(zero))
    cols = _Columns([*LINEAR_MEASURES, *(["incremental_npv"] if zero else [])], len(model.options))
    k = len(grouped.const)
    engine = _Engine(np.random.SeedSequence(seed).entropy, ids, common, grouped,
                     _StandardInverse(grouped.mode, params.distribution), chol, samples, progress)
    pct = [j for m in PERCENTILE_MEASURES if m in cols.measures for j in range(cols(m).start, cols(m).stop)]
    keep = samples * k * 8 <= (KEEP_BYTES if max_memory is None else max_memory)
    moments, kept, binning, counts = _first_pass(engine, cols, k, pct, keep)
    engine.progress = False
    pos = model.position
    stats: dict[str, Any] = {}
    drawn: dict[str, np.ndarray] = {}
    index = pd.Index(model.given, name="option")
    if kept is not None:
        drawn = {m: kept[:, cols(m)][:, pos] for m in cols.measures}
        del kept
        q = {m: np.percentile(drawn[m], ps, axis=0).T for m, ps in PERCENTILE_MEASURES.items() if m in drawn}
    else:
        found = _blocked_percentiles(engine, cols, moments, binning, counts, pct,
                                     COLLECT_BYTES if max_memory is None else max_memory)
        q = {m: v[pos] for m, v in found.items()}
        at = {j: i for i, j in enumerate(pct)}
        stats["histograms"] = {
            m: [_s_curve_points(binning.edges(at[cols(m).start + i]), counts[at[cols(m).start + i]],
                                moments.low[cols(m).start + i], moments.high[cols(m).start + i], samples) for i in pos]
            for m in ("npv", "incremental_npv") if m in cols.measures
        }
    stats["percentiles"] = {m: pd.DataFrame(v, index=index, columns=[f"P{p:g}" for p in PERCENTILE_MEASURES[m]])
                            for m, v in q.items()}
    stats["mean"] = pd.DataFrame({m: moments.sums[cols(m)][pos] / samples for m in cols.measures}, index=index)
    for name, counts in (("p_npv_positive", moments.npv_pos), ("p_incremental_positive", moments.inc_pos),
                         ("p_cheapest", moments.cheapest), ("p_best", moments.best)):
        stats[name] = pd.Series(counts[pos] / samples, index=list(model.given), name=name)
    if zero is None:
        stats["p_incremental_positive"][:] = np.nan
    return Simulation(
        options=model.given,
        samples=drawn,
        seed=seed,
        distribution=params.distribution,
        params=params,
        zero=zero,
        timeline=model.timeline,
        meta={"years_together": years_together, "correlation": None if chol is None else (chol @ chol.T).tolist(),
              "common": common, "kept": bool(drawn)},
        stats=stats,
        n_samples=samples,
    )


def s_curve_data(sim: Simulation, measure: str = "npv", points: int = 201) -> pd.DataFrame:
    """Cumulative distribution (S-curve) of a measure per option.

    Returns
    -------
    pandas.DataFrame
        Long form: ``option, measure, probability, value`` with ``points``
        probabilities from 0 to 1: the empirical quantiles of the kept draws,
        or, when the draws were too many to keep, read from the histogram of
        the first block pass (:data:`BINS` bins; close enough for a figure).
    """
    probs = np.linspace(0, 1, points)
    if sim.kept:
        q = np.quantile(sim.samples[measure], probs, axis=0)
    else:
        curves = sim.stats.get("histograms", {}).get(measure)
        if curves is None:
            sim._need_samples(f"the S-curve of {measure}")
        q = np.column_stack([np.interp(probs, cdf, x) for x, cdf in curves])
    frames = [
        pd.DataFrame({"option": o, "measure": measure, "probability": probs, "value": q[:, j]})
        for j, o in enumerate(sim.options)
    ]
    return pd.concat(frames, ignore_index=True)


# --------------------------------------------------------------------------- the case


def cba_table(result: CbaResult, sim: Simulation | None = None) -> pd.DataFrame:
    """The deterministic table with the simulation's summary beside it, one row per option."""
    if sim is None:
        return result.table.copy()
    return result.table.join(sim.summary())


#: Category of the expected enforcement risk costs added to a decision's cash flows.
RISK_CATEGORY = "risk"


def _has_enforcement(case) -> bool:
    """Whether a loaded case has an ``enforcement.csv`` to take risk costs from."""
    return isinstance(getattr(case, "decisions", None), Mapping) and (Path(case.path) / "enforcement.csv").is_file()


def enforcement_rows(case, decision: str) -> pd.DataFrame:
    """Expected enforcement risk costs of a decision as cash-flow rows (category ``risk``, NOK, no spread).

    From :func:`procurement.law.enforcement.risk_costs` (``enforcement.csv`` of the
    case: probability x cost of a complaint, an injunction, a fine, ineffectiveness),
    one row per option and year with the events of that year summed; ``source``
    names the events and their sources. Empty when the case has no such file.
    """
    from procurement.case.cashflows import empty_cashflows

    if not _has_enforcement(case):
        return empty_cashflows()
    from procurement.law.enforcement import risk_costs

    rows = []
    for option, costs in sorted(risk_costs(case, decision).items()):
        for year in sorted({c.year for c in costs}):
            these = [c for c in costs if c.year == year]
            amount = sum(c.mnok for c in these) * 1e6
            source = "Expected enforcement risk cost: " + "; ".join(f"{c.label.get('en', '')} ({c.source})" for c in these)
            rows.append({"decision": decision, "option": option, "year": year, "category": RISK_CATEGORY, "low": amount,
                         "likely": amount, "high": amount, "source": source, "row": 0})
    return pd.DataFrame(rows) if rows else empty_cashflows()


def risk_lines(case, decision: str) -> pd.DataFrame:
    """The enforcement risk costs a decision's cash flows include:
    ``option, year, event_nb, event_en, mnok, source, source_nb`` (``source_nb`` in bokmål where the case gives it)."""
    columns = ["option", "year", "event_nb", "event_en", "mnok", "source", "source_nb"]
    if not _has_enforcement(case):
        return pd.DataFrame(columns=columns)
    from procurement.law.enforcement import risk_costs

    rows = [{"option": o, "year": c.year, "event_nb": c.label.get("nb", ""), "event_en": c.label.get("en", ""),
             "mnok": c.mnok, "source": c.source, "source_nb": getattr(c, "source_nb", "") or c.source}
            for o, costs in sorted(risk_costs(case, decision).items()) for c in costs]
    return pd.DataFrame(rows, columns=columns)


def case_cashflows(case, decision: str, risk: bool = True) -> tuple[pd.DataFrame, list[str]]:
    """The cash flows of a decision from a loaded case, and its option ids.

    With ``risk`` (default) the expected enforcement risk costs of
    :func:`enforcement_rows` are added as category ``risk`` (unless
    ``cashflows.csv`` already has ``risk`` rows for the decision).

    Raises InputError when the decision is unknown or has no cash flows.
    """
    try:
        options = list(case.decision(decision).option_ids)
    except (KeyError, LookupError, AttributeError):
        ids = [d.id for d in getattr(case, "decisions", [])] if hasattr(case, "decisions") else []
        where = display_path(Path(case.path))
        raise InputError(Problem(where, f"decision '{decision}'", "unknown decision", did_you_mean(decision, ids))) from None
    flows = case.cashflows
    path = flows.attrs.get("path") or str(Path(case.path) / "cashflows.csv")
    flows = flows[flows["decision"] == decision].reset_index(drop=True)
    if flows.empty:
        raise InputError(
            Problem(display_path(path), "", f"no cash flows for decision '{decision}'",
                    "add rows with this decision to cashflows.csv")
        )
    if risk and not (flows["category"] == RISK_CATEGORY).any():
        extra = enforcement_rows(case, decision)
        if len(extra):
            flows = pd.concat([flows, extra[flows.columns.intersection(extra.columns)]], ignore_index=True)
    flows.attrs["path"] = path
    return flows, options


def has_cashflows(case, decision: str) -> bool:
    """Whether ``cashflows.csv`` has rows for the decision."""
    flows = getattr(case, "cashflows", None)
    return flows is not None and not flows.empty and bool((flows["decision"] == decision).any())


def reference_option(result: CbaResult, zero: str | None) -> tuple[str | None, str]:
    """The option ΔNPV is measured against, and how it was chosen: ``("zero", "zero")`` or ``(best, "best")``.

    R-109 measures against the 0-alternative; a decision without one (for
    example the choice of procedure, where some procedure is run in every
    case) is measured against its option with the highest NPV (point
    estimate), so ΔNPV is what each other option gives up.
    """
    if zero is not None and zero in result.options:
        return zero, "zero"
    if not result.options:
        return None, "none"
    return str(result.table["npv"].idxmax()), "best"


#: Simulated measures a criterion can take, besides any percentile ``<measure>_pNN``.
SIMULATED_MEASURES = ("p_npv_positive", "p_cheapest", "npv_p50", "npv_p85", "pv_costs_p50", "pv_costs_p85",
                      "investment_p50", "investment_p85")


def _percentile_measure(m: str) -> tuple[str, int] | None:
    """(linear measure, percentile) for a name like ``pv_costs_p85``, else None."""
    base = m.rsplit("_p", 1)
    if len(base) == 2 and base[0] in LINEAR_MEASURES and base[1].isdigit() and 0 < int(base[1]) < 100:
        return base[0], int(base[1])
    return None


def _criterion_measure(
    measure: str,
    flows: pd.DataFrame,
    options: list[str],
    base_year: int,
    params: CbaParameters,
    samples: int,
    seed: int | None,
    zero: str,
) -> tuple[pd.Series, bool]:
    """Per-option values of a measure (NOK for money) and whether it is money."""
    m = measure.lower()
    if m in MONEY_MEASURES or m == "net_benefit_per_krone":
        res = evaluate(flows, options, base_year, params, zero=zero)
        return res.table[m], m != "net_benefit_per_krone"
    if m in ("p_npv_positive", "p_cheapest"):
        sim = simulate(flows, options, base_year, params, samples=samples, seed=seed)
        return (sim.p_npv_positive() if m == "p_npv_positive" else sim.p_cheapest()), False
    pct = _percentile_measure(m)
    if pct is not None:
        sim = simulate(flows, options, base_year, params, samples=samples, seed=seed)
        return sim.percentiles(pct[0], [pct[1]]).iloc[:, 0], True
    valid = [*MONEY_MEASURES, "net_benefit_per_krone", *SIMULATED_MEASURES]
    raise InputError(Problem("from_cba", f"measure '{measure}'", "unknown measure", did_you_mean(m, valid)))


def cba_criterion_values(
    case,
    decision: str,
    measure: str = "pv_costs_p50",
    samples: int = 10_000,
    seed: int | None = DEFAULT_SEED,
    unit: str = "MNOK",
    params: CbaParameters | None = None,
    zero: str = "zero",
) -> pd.Series:
    """Per-option values of a criterion taken from the cost-benefit analysis.

    A criterion in ``criteria/<decision>.yaml`` can say
    ``from_cba: {measure: pv_costs_p50, unit: MNOK}`` so that the ranking and the
    cost-benefit analysis never disagree about cost.

    Parameters
    ----------
    case
        A loaded case (``cashflows``, ``base_year``, ``path``, ``decision(id).option_ids``).
    decision : str
    measure : str
        A deterministic measure (:data:`MONEY_MEASURES` or
        ``net_benefit_per_krone``), or a simulated one: ``npv_p50``,
        ``npv_p85``, ``pv_costs_p50``, ``pv_costs_p85``, ``investment_p50``,
        ``investment_p85`` (any percentile ``_pNN``), ``p_npv_positive``,
        ``p_cheapest``.
    samples, seed : int
        For simulated measures.
    unit : {'NOK', 'kNOK', 'MNOK'}
        Unit of money measures (probabilities and ratios are unitless).
    params : CbaParameters, optional
        Default: ``r109.yaml`` beside the case or in the project.
    zero : str
        The 0-alternative, for ``incremental_npv``.

    Returns
    -------
    pandas.Series
        Indexed by option id, named after the measure; ``attrs["unit"]`` is
        the unit of money measures ("" otherwise).
    """
    params = params or load_parameters(default_rules_path(case.path))
    divisor = unit_factor(unit, file="from_cba")
    flows, options = case_cashflows(case, decision)
    values, money = _criterion_measure(measure, flows, options, case.base_year, params, samples, seed, zero)
    out = values / divisor if money else values
    out = pd.Series(out.to_numpy(dtype=float), index=pd.Index(options, name="option"), name=measure)
    out.attrs["unit"] = unit if money else ""
    return out


# --------------------------------------------------------------------------- scaled flows (uptake)


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
    for option, f in table.items():
        if option not in chosen:
            continue
        mask = (out["option"] == option).to_numpy() & out["category"].isin(list(categories)).to_numpy()
        if not mask.any():
            continue
        k = _year_factors(f, out.loc[mask, "year"].to_numpy(dtype=int), f"option '{option}', ")
        for col in ("low", "likely", "high"):
            out.loc[mask, col] = out.loc[mask, col].to_numpy(dtype=float) * k
    out.attrs = dict(flows.attrs)
    return out


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
