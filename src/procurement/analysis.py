"""One analysis engine behind every face: :class:`Analysis` = a case × a scenario.

The command line, the report notebooks and the interactive workbench never
wire modules themselves. Each builds an :class:`Analysis` from a loaded case
and a :class:`~procurement.case.models.Scenario` and asks it::

    import procurement as pw

    case = pw.load_case("data/national-municipal-solution")
    a = case.analysis(case.scenario("default"))   # or pw.Scenario(name=..., decision=..., ...)
    a.weights                        # resolved once: profile, panel, AHP, value tree or explicit weights
    a.ranking("topsis").table        # screening, value functions and ties as everywhere else
    a.smaa().acceptability           # with the scenario's uncertainty model, samples and seed
    a.cba().table                    # R-109 NPV with the options screened out marked

Everything that decides a number — the weights, the stakeholder profile, the
screening, the value functions, the uncertainty model, samples, seed and
language — is resolved here, once, so the same scenario gives the same
numbers in the terminal, the report and the browser. Expensive pieces (the
screened matrix, SMAA score draws, the cost-benefit simulation) are computed
on first use and shared by the analyses :meth:`Analysis.with_` derives, which
is what keeps a slider move in the workbench to milliseconds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from procurement.case.models import Scenario, Uncertainty
from procurement.law.case_route import (
    ProcurementTimeline,
    RouteOverview,
    case_timeline,
    procurement_route,
    timeline_decision,
)
from procurement.law.risk import RiskRegister, case_risks
from procurement.mcda.screening import verdict_table

if TYPE_CHECKING:
    from procurement.case.loader import Case, Decision
    from procurement.mcda.ranking import Prepared, Ranking
    from procurement.mcda.weights import WeightSet
    from procurement.uncertainty.smaa import ScoreDraws, SMAAResult

__all__ = ["Analysis", "CostBenefit", "make_scenario"]


def make_scenario(case: Case, scenario: Scenario | Mapping[str, Any] | str | None = None, **changes: Any) -> Scenario:
    """A validated :class:`Scenario`: a name from the case's ``scenarios/``, a mapping, a Scenario, or None.

    None takes the case's ``default`` scenario when it has one, else a scenario
    for the case's first decision. Keyword `changes` replace keys (validated).
    """
    from procurement.case.errors import InputError, Problem, did_you_mean

    if isinstance(scenario, Scenario):
        base = scenario.model_dump()
    elif isinstance(scenario, str):
        if scenario not in case.scenarios:
            raise InputError(
                Problem(
                    "scenario", "", f"unknown scenario '{scenario}' in case '{case.id}'", did_you_mean(scenario, case.scenarios)
                )
            )
        base = case.scenarios[scenario].model_dump()
    elif scenario is None:
        base = (
            case.scenarios["default"].model_dump()
            if "default" in case.scenarios
            else {"name": "custom", "decision": case.meta.decisions[0]}
        )
    else:
        base = dict(scenario)
        base.setdefault("name", "custom")
    base.update(changes)
    return _validated(base)


def _validated(data: dict[str, Any]) -> Scenario:
    from pydantic import ValidationError

    from procurement.case.errors import InputError
    from procurement.case.models import yaml_problems

    try:
        return Scenario.model_validate(data)
    except ValidationError as err:
        raise InputError(yaml_problems("scenario", err, data)) from None


#: Columns of :meth:`CostBenefit.headline`: the increments against the reference option, then the marking.
HEADLINE_COLUMNS = ["incremental_npv", "incremental_npv_P10", "incremental_npv_P50", "incremental_npv_P90",
                    "p_incremental_positive", "incremental_net_benefit_per_krone", "incremental_npv_mean"]


@dataclass
class CostBenefit:
    """The R-109 cost-benefit analysis of a decision: point estimate, simulation and the table.

    The headline (:meth:`headline`) is incremental, as R-109 and DFØ ask: each
    option against the 0-alternative (``reference``; in a decision without one,
    the option with the highest NPV, ``reference_kind == "best"``). ``table``
    keeps the absolute measures beside the increments. ``available`` is False
    when the decision has no cash flows; ``message`` then says so in one sentence.
    """

    result: Any  # procurement.cba.r109.CbaResult (None when not available)
    simulation: Any  # procurement.cba.r109.Simulation
    table: pd.DataFrame  # per option: NPV, ΔNPV, P10..P90, probabilities; `screened_out` names the must-pass rule
    unit: str = "NOK"
    params: Any = None  # procurement.cba.r109.CbaParameters used
    reference: str | None = None
    reference_kind: str = "zero"
    available: bool = True
    message: str = ""

    @property
    def point_estimate(self) -> str:
        """``expected`` (the mean of each three-point estimate, R-109's expected value) or ``likely``."""
        return "likely" if self.params is not None and self.params.point_estimate == "likely" else "expected"

    def headline(self) -> pd.DataFrame:
        """Per option: ΔNPV (point estimate), P10/P50/P90 of ΔNPV, P(ΔNPV > 0), net benefit per budget krone on the
        increments, mean ΔNPV, and ``screened_out``; best ΔNPV first, screened-out options last."""
        if not self.available:
            return pd.DataFrame(columns=[*HEADLINE_COLUMNS, "screened_out"])
        cols = [c for c in HEADLINE_COLUMNS if c in self.table.columns]
        t = self.table[[*cols, "screened_out"]].copy()
        t = t.sort_values("incremental_npv", ascending=False, kind="stable")
        out = t["screened_out"].astype(str) != ""
        return pd.concat([t[~out], t[out]])

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def to_dict(self) -> dict[str, Any]:
        if not self.available:
            return {"available": False, "message": self.message}
        head = self.headline().replace({np.nan: None})
        t = self.table.replace({np.nan: None})
        return {
            "reference": self.reference,
            "reference_kind": self.reference_kind,
            "point_estimate": self.point_estimate,
            "headline": {str(o): dict(r) for o, r in head.to_dict("index").items()},
            "unit": self.unit,
            "options": {str(o): dict(r) for o, r in t.to_dict("index").items()},
        }

    def plot(self, labels: Mapping[str, str] | None = None, language: str = "nb", measure: str = "incremental_npv"):
        """The S-curve of every option's ΔNPV (or ``measure``) in MNOK; screened-out options dashed and marked."""
        from procurement.cba.report import s_curve

        return s_curve(self, labels or {}, language, measure)


class Analysis:
    """A case × a scenario: everything resolved once, results computed on demand.

    Build one with :meth:`procurement.case.loader.Case.analysis` (or
    ``Analysis(case, scenario)``). ``with_(**changes)`` gives a variant that
    shares the expensive caches (used by the workbench's sliders).
    """

    def __init__(
        self, case: Case, scenario: Scenario | Mapping[str, Any] | str | None = None, _cache: dict | None = None, **changes: Any
    ):
        from procurement.mcda.methods import get_method
        from procurement.mcda.weights import resolve_weights

        self.case = case
        self.scenario = make_scenario(case, scenario, **changes)
        sc = self.scenario
        self.decision: Decision = case.decision(sc.decision)
        for m in sc.methods:
            get_method(m)
        self.weight_set: WeightSet = resolve_weights(self.decision, sc.profile, sc.weights, self.ahp_file)
        self._cache: dict = _cache if _cache is not None else {}

    # --- what the scenario resolved to ------------------------------------------
    @property
    def ahp_file(self) -> Path:
        return Path(self.case.path) / f"ahp-{self.scenario.decision}.yaml"

    @property
    def weights(self) -> pd.Series:
        """The criterion weights every result of this analysis uses (sum 1, criteria-file order)."""
        return self.weight_set.weights

    @property
    def profile(self) -> str | None:
        return self.scenario.profile

    @property
    def methods(self) -> list[str]:
        return list(self.scenario.methods)

    @property
    def method(self) -> str:
        """The first of the scenario's methods: the one sensitivity and SMAA use."""
        return self.scenario.methods[0]

    @property
    def language(self) -> str:
        return self.scenario.language

    @property
    def uncertainty(self) -> Uncertainty:
        return self.scenario.uncertainty

    def with_(self, **changes: Any) -> Analysis:
        """A variant of this analysis with scenario keys changed, sharing its caches."""
        return Analysis(self.case, self.scenario, _cache=self._cache, **changes)

    def option_labels(self) -> dict[str, str]:
        return self.decision.option_labels(self.language)

    def criterion_labels(self) -> dict[str, str]:
        return self.decision.criterion_labels(self.language)

    # --- ranking ---------------------------------------------------------------
    @property
    def prepared(self) -> Prepared:
        """Screening and the matrix after value functions, computed once per decision."""
        key = ("prepared", self.decision.id)
        if key not in self._cache:
            from procurement.mcda.ranking import prepare

            self._cache[key] = prepare(self.decision)
        return self._cache[key]

    @property
    def excluded(self) -> pd.DataFrame:
        """Options removed by must-pass rules: option, criterion, value, rule, citation."""
        return self.prepared.excluded

    def screened_out(self) -> dict[str, str]:
        """Option id -> the must-pass rule (with citation) that removed it."""
        ex = self.excluded.drop_duplicates("option")
        if self.language != "en":  # the rule texts are English: bokmål names the criterion, bound and citation
            from procurement.mcda.screening import must_pass_text

            crit = set(self.decision.criterion_ids)  # other screens (who-may-use, screening.yaml) carry rule_nb
            return {str(o): (must_pass_text(self.decision.criterion(c), self.language) if c in crit else str(nb))
                    for o, c, nb in zip(ex["option"], ex["criterion"], ex["rule_nb"], strict=True)}
        return {str(o): str(r) for o, r in zip(ex["option"], ex["rule"], strict=True)}

    def conditional(self) -> pd.DataFrame:
        """Options ranked on a condition (pass-if, marker †): screen, condition, kind, labels, lead time, citation."""
        from procurement.mcda.screening import conditional

        return conditional(self.decision)

    def ranking(self, method: str | None = None) -> Ranking:
        """The ranking by `method` (default: the scenario's first) with this analysis's weights."""
        from procurement.mcda.ranking import rank_prepared

        return rank_prepared(self.prepared, method or self.method, self.profile, self.weights, self.language)

    def rankings(
        self, methods: Sequence[str] | None = None, profiles: Sequence[str | None] | None = None
    ) -> tuple[list[Ranking], list[dict]]:
        """Rankings by every method × weight set, and the combinations a method could not rank.

        `profiles` None means this analysis's own weights; otherwise each entry
        is resolved like a scenario's ``profile`` (None = the criteria file's).
        """
        from procurement.mcda.ranking import rank_many

        methods = list(methods or self.methods)
        plain: list[str | None] = []
        named: dict[str, pd.Series] = {}
        for p in [self.weights_name] if profiles is None else list(profiles):
            if p is not None and (p == self.weights_name and self.weight_set.explicit or p == "ahp"):
                named[p] = self.weights if p == self.weights_name else self.with_(profile=p, weights=None).weights
            else:
                plain.append(p)
        return rank_many(self.decision, methods, plain, named, self.language)

    def all_profiles(self) -> list[str | None]:
        """Every weight set of the decision: the criteria file's (None), each group, and the panel's combined sets."""
        from procurement.case.errors import InputError
        from procurement.mcda.weights import PANEL_GEOMEAN, PANEL_MEAN

        out: list[str | None] = [None, *self.decision.profiles]
        if self.decision.profiles:
            out.append(PANEL_MEAN)
            try:
                self.with_(profile=PANEL_GEOMEAN, weights=None)
                out.append(PANEL_GEOMEAN)
            except InputError:  # every criterion has a zero weight in some group: no geometric mean
                pass
        return out

    @property
    def weights_name(self) -> str | None:
        """How results name this analysis's weights: the profile, ``scenario`` for explicit weights, None for the file's."""
        return "scenario" if self.weight_set.explicit else self.profile

    def compare_methods(self, methods: Sequence[str] | None = None) -> pd.DataFrame:
        """Ranks by every method side by side with Borda and Copeland consensus (default: all methods)."""
        from procurement.mcda.comparison import comparison_frame
        from procurement.mcda.methods import method_names

        rankings, _ = self.rankings(method_names(list(methods) if methods else "all"))
        return comparison_frame(self.decision, rankings, self.language)

    # --- uncertainty -------------------------------------------------------------
    def smaa(self, method: str | None = None, progress: bool | None = None, confidence: bool = True) -> SMAAResult:
        """SMAA-2 with the scenario's uncertainty model, samples and seed (full result, with confidence factors)."""
        from procurement.uncertainty.smaa import smaa

        u = self.uncertainty
        return smaa(
            self.decision,
            method or self.method,
            self.scenario.samples,
            self.scenario.seed,
            weight_model=u.weights,
            score_uncertainty=u.scores != "fixed",
            distribution="triangular" if u.scores == "fixed" else u.scores,
            weights=self.weights,
            spread=u.spread,
            mixture=u.mixture,
            confidence=confidence,
            progress=progress,
        )

    def score_draws(self, method: str | None = None) -> ScoreDraws:
        """The SMAA score draws for `method`, drawn once and shared with every variant of this analysis."""
        from procurement.uncertainty.smaa import ScoreDraws

        u, sc = self.uncertainty, self.scenario
        method = method or self.method
        key = ("draws", self.decision.id, method, sc.samples, sc.seed, u.scores)
        if key not in self._cache:
            self._cache = {k: v for k, v in self._cache.items() if k[0] != "draws" or k[3:] == key[3:]}
            self._cache[key] = ScoreDraws(
                self.decision, method, sc.samples, sc.seed, u.scores != "fixed", "triangular" if u.scores == "fixed" else u.scores
            )
        return self._cache[key]

    def acceptability(self, method: str | None = None) -> pd.DataFrame:
        """Rank acceptability only (no confidence pass): the same numbers as ``smaa().acceptability``, fast."""
        from procurement.uncertainty.smaa import weight_sampler

        u = self.uncertainty
        ws = weight_sampler(self.decision, u.weights, self.weights, None, u.spread, mixture=u.mixture)
        return self.score_draws(method).acceptability(ws)

    def stability(self, method: str | None = None, points: int = 201) -> pd.DataFrame:
        """Per criterion, the weight interval that keeps the leader first (weight, low, high; shares).

        Exact for methods whose score is linear in the weights (with the columns of
        :func:`~procurement.uncertainty.sensitivity.stability_intervals` too); for
        other methods read off a weight sweep of `points`.
        """
        from procurement.uncertainty import sensitivity

        method = method or self.method
        if sensitivity.exact(method):
            t = sensitivity.stability_intervals(self.decision, weights=self.weights, method=method)
            t.insert(1, "low", t["top_low"])
            t.insert(2, "high", t["top_high"])
            return t
        sweep = sensitivity.weight_sweep(self.decision, method, points=points, weights=self.weights)
        return stability_from_sweep(sweep, self.ranking(method).winner, self.weights, self.decision.criterion_ids)

    def what_would_it_take(self, option: str | None = None, method: str | None = None) -> pd.DataFrame:
        """The smallest single change (weight or score) that lets each option draw level with the leader."""
        from procurement.uncertainty.sensitivity import what_would_it_take

        t = what_would_it_take(self.decision, method or self.method, weights=self.weights)
        return t.loc[[option]] if option is not None else t

    def weight_sweep(self, method: str | None = None, points: int = 51) -> pd.DataFrame:
        from procurement.uncertainty.sensitivity import weight_sweep

        return weight_sweep(self.decision, method or self.method, points=points, weights=self.weights)

    def tornado(self, method: str | None = None) -> pd.DataFrame:
        from procurement.uncertainty.sensitivity import tornado

        return tornado(self.decision, method or self.method, weights=self.weights)

    # --- cost-benefit, law, stakeholders ----------------------------------------------
    def cba(
        self,
        parameters: str | Path | None = None,
        zero: str | None = "zero",
        distribution: str | None = None,
        correlation: float | None = None,
        simulate: bool = True,
        progress: bool | None = None,
        common: float | None = None,
    ) -> CostBenefit:
        """R-109 ΔNPV and NPV with their Monte Carlo simulation (the scenario's samples and seed; none when `simulate` is False).

        `parameters` is an R-109 parameter file (default: the case's, else the
        shipped one); `distribution` overrides its three-point distribution;
        `common` is the share of common random numbers (1: one draw of each
        category drives every option and the 0-alternative; default: the
        parameter file's ``common_random_numbers``).
        """
        key = (
            "cba",
            self.decision.id,
            self.scenario.samples,
            self.scenario.seed,
            str(parameters),
            zero,
            distribution,
            correlation,
            simulate,
            common,
        )
        if key not in self._cache:
            self._cache[key] = self._compute_cba(parameters, zero, distribution, correlation, simulate, progress, common)
        return self._cache[key]

    def _compute_cba(self, parameters, zero, distribution, correlation, simulate, progress, common=None) -> CostBenefit:
        from procurement.cba import r109
        from procurement.cba.report import no_cashflows_sentence

        overrides = {"distribution": distribution} if distribution else {}
        params = r109.load_parameters(parameters or r109.default_rules_path(self.case.path), **overrides)
        if not r109.has_cashflows(self.case, self.decision.id):
            return CostBenefit(None, None, pd.DataFrame(columns=["screened_out"]), params=params, available=False,
                               message=no_cashflows_sentence(self.decision, self.language))
        flows, options = r109.case_cashflows(self.case, self.decision.id)
        if zero is not None and zero != "zero" and zero not in options:
            from procurement.case.errors import InputError, Problem, did_you_mean

            raise InputError(
                Problem("zero", "", f"unknown option '{zero}' for decision '{self.decision.id}'", did_you_mean(zero, options))
            )
        result = r109.evaluate(flows, options, self.case.base_year, params, zero=zero if zero in options else None)
        reference, kind = r109.reference_option(result, zero)
        if reference != result.zero:
            result = r109.evaluate(flows, options, self.case.base_year, params, zero=reference)
        sim = None
        if simulate:
            sim = r109.simulate(flows, options, self.case.base_year, params, samples=self.scenario.samples,
                                seed=self.scenario.seed, zero=reference, correlation=correlation, progress=bool(progress),
                                common=common)
        table = r109.cba_table(result, sim)
        out = self.screened_out()
        table["screened_out"] = [out.get(str(o), "") for o in table.index]
        return CostBenefit(result, sim, table, params=params, reference=reference, reference_kind=kind)

    # --- procurement law: route, timeline, risks ----------------------------------------
    def timeline(self, start: str | date | None = None, rules: str | Path | None = None) -> ProcurementTimeline:
        """Every option's phases and earliest contract dates (``<case>/timeline.yaml``), moved by the pass-if lead
        times and the enforcement delays; `start` overrides the file's start date, `rules` the rules folder
        (default: ``rules/`` beside the case, else the package's)."""
        key = ("timeline", self.decision.id, str(start), str(rules), self.language)
        if key not in self._cache:
            self._cache[key] = case_timeline(self.case, self.decision, self.conditional(), start, rules, self.language)
        return self._cache[key]

    def route(self) -> RouteOverview:
        """Timeline, FOA part, procedures and standard contracts per option (``<case>/timeline.yaml``), the options
        a must-pass rule screened out last; ``available`` is False (and ``message`` says why) without a timeline.
        ``screening`` (every screen's answer per option) and ``enforcement`` are there with or without one."""
        timeline = self.timeline() if timeline_decision(self.case.path) == self.decision.id else None
        return procurement_route(self.case, self.decision, self.language, self.screened_out(), self.conditional(),
                                 timeline, verdict_table(self.decision, self.language))

    def risks(self, how: str = "mean") -> RiskRegister:
        """The decision's risk register (``<case>/risks.csv``): expected risk score per option (`how`: mean or sum of
        probability × consequence), summary, and the cost and delay of enforcement (``enforcement.csv``)."""
        return case_risks(self.case, self.decision.id, how, self.language)

    def stakeholders(self, method: str | None = None) -> pd.DataFrame:
        """Options × weight sets (criteria file, each group, the panel) of ranks."""
        from procurement.mcda.stakeholders import stakeholder_rankings

        return stakeholder_rankings(self.decision, method or self.method, self.language)

    # --- saving ---------------------------------------------------------------------
    def scenario_data(self) -> dict[str, Any]:
        """The scenario as written to a file: everything this analysis used, uncertainty included."""
        data = self.scenario.model_dump(exclude_none=True, exclude={"case", "notebooks"})
        if not data.get("description"):
            data.pop("description", None)
        return data

    def financing(self, parameters: str | Path | None = None, zero: str | None = "zero"):
        """Who pays for each option (the case's financing.yaml and municipalities.csv; amounts in NOK).

        Returns a :class:`procurement.cba.financing.FinancingResult`; `parameters`
        is an R-109 parameter file as for :meth:`cba`.
        """
        key = ("financing", self.decision.id, str(parameters), zero)
        if key not in self._cache:
            from procurement.cba import financing, r109

            params = r109.load_parameters(parameters or r109.default_rules_path(self.case.path))
            self._cache[key] = financing.case_financing(self.case, self.decision.id, params, zero)
        return self._cache[key]

    def uptake(self, parameters: str | Path | None = None, zero: str = "zero", points: int = 21, simulate: bool = True):
        """How many municipalities must join: break-even population share, ΔNPV curve and scenarios (uptake.yaml).

        Returns a :class:`procurement.cba.uptake.UptakeResult`; its `break_even`
        table has a `screened_out` column naming the must-pass rule an option fails.
        With `simulate` and a `share_distribution` in uptake.yaml, `simulation`
        holds ΔNPV with the final share as one more uncertain input (the
        scenario's samples and seed; see procurement.cba.uptake.simulate_uptake).
        """
        key = ("uptake", self.decision.id, str(parameters), zero, points, simulate, self.scenario.samples, self.scenario.seed)
        if key not in self._cache:
            from procurement.cba import r109, uptake

            params = r109.load_parameters(parameters or r109.default_rules_path(self.case.path))
            result = uptake.case_uptake(self.case, self.decision.id, params, zero, points)
            out = self.screened_out()
            result.break_even["screened_out"] = [out.get(str(o), "") for o in result.break_even.index]
            if simulate and result.model.share_distribution is not None:
                flows, options = r109.case_cashflows(self.case, self.decision.id)
                result.simulation = uptake.simulate_uptake(flows, options, self.case.base_year, result.model, params, zero,
                                                           self.scenario.samples, self.scenario.seed)
            self._cache[key] = result
        return self._cache[key]


def stability_from_sweep(sweep: pd.DataFrame, leader: str, weights: pd.Series, criteria: list[str]) -> pd.DataFrame:
    """Per criterion, the interval of the sweep's grid around the current weight where `leader` stays first."""
    rows = []
    for cid, part in sweep[sweep["option"] == leader].groupby("criterion", sort=False):
        grid = part["weight"].to_numpy(float)
        first = part["rank"].to_numpy() == 1
        now = float(weights[cid])
        lo = hi = int(np.argmin(np.abs(grid - now)))
        if first[lo]:
            while lo > 0 and first[lo - 1]:
                lo -= 1
            while hi < len(grid) - 1 and first[hi + 1]:
                hi += 1
        rows.append({"criterion": cid, "weight": now, "low": min(grid[lo], now), "high": max(grid[hi], now)})
    found = {r["criterion"] for r in rows}
    return pd.DataFrame(rows).set_index("criterion").loc[[c for c in criteria if c in found]]
