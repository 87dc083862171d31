"""One analysis engine behind every face: :class:`Analysis` = a case × a scenario.

The command line, the report notebooks and the interactive workbench never
wire modules themselves. Each builds an :class:`Analysis` from a loaded case
and a :class:`~procurement.case.models.Scenario` and asks it::

    import procurement as pw

    case = pw.load_case("data/national-municipal-solution")
    a = pw.Analysis(case, "default")   # a scenario of the case, a pw.Scenario(name=..., decision=..., ...) or a mapping
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

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from procurement.case import loader
from procurement.case.errors import InputError, Problem, did_you_mean
from procurement.case.models import Scenario, Uncertainty
from procurement.case.scenarios import make_scenario
from procurement.cba import criteria, result
from procurement.cba.assessment import case_assessment
from procurement.cba.budget import PERIOD_YEARS, BudgetView, analyse_budget
from procurement.cba.drivers import THRESHOLD, Drivers, difference_drivers
from procurement.cba.case_flows import case_cashflows, has_cashflows, risk_lines
from procurement.cba.effects import Effects, decision_effects
from procurement.cba.municipal import MunicipalBudget, municipal_budget
from procurement.cba.financing import (
    FinancingModel,
    FinancingResult,
    WhoPays,
    analyse_financing,
    case_financing_model,
    who_pays_parts,
)
from procurement.cba.npv import evaluate, reference_option
from procurement.cba.parameters import CbaParameters, default_rules_path, load_parameters
from procurement.cba.simulation import Simulation, cba_table, p_best_among
from procurement.cba.simulation import simulate as simulate_draws
from procurement.cba.uptake import UptakeResult, analyse_uptake, load_uptake, read_municipalities, simulate_uptake
from procurement.mcda.methods import get_method
from procurement.mcda.weights import resolve_weights
from procurement.text.labels import label
from procurement.text.sentences import Assumption, sentence
from procurement.mcda import screening
from procurement.mcda.comparison import comparison_frame
from procurement.mcda.methods import method_names
from procurement.mcda.ranking import Prepared, Ranking, prepare, rank_prepared, rank_sets
from procurement.mcda.rankings import Rankings
from procurement.mcda.stakeholders import Stakeholders, stakeholder_analyses
from procurement.mcda.weights import PANEL_GEOMEAN, PANEL_MEAN
from procurement.uncertainty import sensitivity as sensitivity_analysis
from procurement.uncertainty.results import Sensitivity, Stability, Tornado, WeightSweep, WhatItTakes
from procurement.uncertainty.smaa import ScoreDraws, SMAAResult, smaa, weight_sampler
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
    from procurement.mcda.weights import WeightSet
    from procurement.tender.result import TenderResult

__all__ = ["Analysis", "CostBenefit", "load_case"]


def load_case(case_dir: str | Path, criteria_dir: str | Path | None = None) -> Case:
    """Read and check every file of a case (:func:`procurement.case.loader.load_case`), ready to analyse.

    The case's files are read as they are; the scores of criteria that take them from the cost-benefit analysis
    (``from_cba``) are computed the first time a decision's matrix is read
    (:func:`procurement.cba.criteria.scored_decision`), so loading a case simulates nothing.
    """
    case = loader.load_case(case_dir, criteria_dir)
    case.decisions = {did: criteria.scored_decision(case, d) for did, d in case.decisions.items()}
    return case


class CostBenefit(result.CostBenefit):
    """The R-109 cost-benefit analysis of a decision (:class:`procurement.cba.result.CostBenefit`), and its figure."""

    def in_unit(self, unit: str) -> CostBenefit:
        out = super().in_unit(unit)
        return out if isinstance(out, CostBenefit) else CostBenefit(**vars(out))

    def plot(self, labels: Mapping[str, str] | None = None, language: str = "nb", measure: str = "incremental_npv"):
        """The S-curve of every option's ΔNPV (or ``measure``) in MNOK; screened-out options dashed and marked.

        None when there is no simulation (or no cash flows).
        """
        if not self.available or self.simulation is None:
            return None
        # lazy: seaborn and matplotlib cost about 0.6 s at import (measured with -X importtime), and only a figure needs them
        from procurement.plots.cba import s_curve_figure

        data = self.in_unit("MNOK").s_curve(measure)
        screened = {str(o) for o, r in self._screened().items() if r}
        mark = label("cba.screened_out_mark", language)

        def name(o: str) -> str:
            base = (labels or {}).get(o, o)
            return f"{base} {mark}" if o in screened else base

        data = data.assign(option=data["option"].map(name))
        return s_curve_figure(data, unit="MNOK", language=language, dashed={name(o) for o in screened})


class Analysis:
    """A case × a scenario: everything resolved once, results computed on demand.

    Build one with ``Analysis(case, scenario)`` (``procurement.Analysis``); the scenario is a name of the
    case's ``scenarios/``, a :class:`~procurement.case.models.Scenario`, a mapping of scenario keys, or None
    for the case's default. ``with_(**changes)`` gives a variant that shares the expensive caches (used by
    the workbench's sliders).
    """

    def __init__(
        self, case: Case, scenario: Scenario | Mapping[str, Any] | str | None = None, _cache: dict | None = None, **changes: Any
    ):
        self.case = case
        self.scenario = make_scenario(case, scenario, **changes)
        sc = self.scenario
        self._cache: dict = _cache if _cache is not None else {}
        self.decision: Decision = self._scored(case.decision(sc.decision))
        for m in sc.methods:
            get_method(m)
        self.weight_set: WeightSet = resolve_weights(self.decision, sc.profile, sc.weights, self.ahp_file)

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
            crit = set(self.decision.criterion_ids)  # other screens (who-may-use, screening.yaml) carry rule_nb
            return {str(o): (screening.must_pass_text(self.decision.criterion(c), self.language) if c in crit else str(nb))
                    for o, c, nb in zip(ex["option"], ex["criterion"], ex["rule_nb"], strict=True)}
        return {str(o): str(r) for o, r in zip(ex["option"], ex["rule"], strict=True)}

    def conditional(self) -> pd.DataFrame:
        """Options ranked on a condition (pass-if, marker †): screen, condition, kind, labels, lead time, citation."""
        return screening.conditional(self.decision)

    def ranking(self, method: str | None = None) -> Ranking:
        """The ranking by `method` (default: the scenario's first) with this analysis's weights."""
        return rank_prepared(self.prepared, method or self.method, self.profile, self.weight_set, self.language)

    def rankings(
        self, methods: Sequence[str] | str | None = None, profiles: Sequence[str | None] | str | None = None,
        stakeholders: bool | None = None,
    ) -> Rankings:
        """Rankings by every method × weight set, the combinations a method could not rank, and the comparison.

        `methods`: names, ``"all"`` or None (the scenario's). `profiles`: None means this analysis's own
        weights, ``"all"`` every weight set of the decision (:meth:`all_profiles`); otherwise each entry is
        resolved like a scenario's ``profile`` (None = the criteria file's). `stakeholders` adds the stakeholder
        analysis of every method that ranks every weight set (default: when `profiles` is ``"all"``).
        """
        names = method_names(methods if isinstance(methods, str) else list(methods)) if methods is not None else self.methods
        every = profiles == "all"
        wanted = self.all_profiles() if every else ([self.weights_name] if profiles is None else list(profiles))
        sets: list = []
        for p in wanted:
            if p is not None and (p == self.weights_name and self.weight_set.explicit or p == "ahp"):
                sets.append((p, self.weight_set if p == self.weights_name else self.with_(profile=p, weights=None).weight_set))
            else:
                sets.append((p, None))
        prep = self.prepared
        results, skipped = rank_sets(prep, names, sets, self.language, strict=len(names) == 1)
        analyses = None
        if (every if stakeholders is None else stakeholders) and self.decision.profiles:
            ok = [m for m in names if not any(s["method"] == m for s in skipped)]
            analyses = stakeholder_analyses(self.decision, ok, prep, results, self.language)
        return Rankings(self.case.id, self.decision.id, self.scenario.name, names, self.weights, self.weight_set.assumption,
                        results, skipped, self.excluded, self.conditional(), analyses, self.weight_set.ahp,
                        self.option_labels())

    def all_profiles(self) -> list[str | None]:
        """Every weight set of the decision: the criteria file's (None), each group, and the panel's combined sets."""
        from procurement.case.errors import InputError

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
        rankings = self.rankings(list(methods) if methods else "all").results
        return comparison_frame(self.decision, rankings, self.language)

    def stakeholders(self, method: str | None = None) -> Stakeholders:
        """The stakeholder analysis by `method`: each group's weights and ranking, the panel, agreement, leave-one-out."""
        method = method or self.method
        return stakeholder_analyses(self.decision, [method], self.prepared, None, self.language)[method]

    # --- uncertainty -------------------------------------------------------------
    def smaa(self, method: str | None = None, progress: bool | None = None, confidence: bool = True) -> SMAAResult:
        """SMAA-2 with the scenario's uncertainty model, samples and seed (full result, with confidence factors)."""
        u = self.uncertainty
        return smaa(
            self.decision,
            method or self.method,
            self.scenario.samples,
            self.scenario.seed,
            weight_model=u.weights,
            score_uncertainty=u.scores != "fixed",
            distribution="triangular" if u.scores == "fixed" else u.scores,
            weights=self.weight_set,
            spread=u.spread,
            mixture=u.mixture,
            confidence=confidence,
            progress=progress,
        )

    def score_draws(self, method: str | None = None) -> ScoreDraws:
        """The SMAA score draws for `method`, drawn once and shared with every variant of this analysis."""
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
        u = self.uncertainty
        ws = weight_sampler(self.decision, u.weights, self.weights, None, u.spread, mixture=u.mixture)
        return self.score_draws(method).acceptability(ws)

    def stability(self, method: str | None = None, points: int = sensitivity_analysis.SWEEP_POINTS) -> Stability:
        """Per criterion, the weight interval that keeps the leader first (table: weight, low, high; shares).

        Exact for methods whose score is linear in the weights (with the columns of
        :func:`~procurement.uncertainty.sensitivity.stability_intervals` too); for
        other methods read off a weight sweep of `points`.
        """
        method = method or self.method
        t = sensitivity_analysis.stability(self.decision, method, self.weights, points=points)
        return Stability(method, t, self.weight_set.assumption, exact=bool(t.attrs["exact"]), points=points,
                         leader=list(t.attrs.get("leader", [])))

    def what_would_it_take(self, option: str | None = None, method: str | None = None) -> WhatItTakes:
        """The smallest single change (weight or score) that lets each option draw level with the leader."""
        method = method or self.method
        t = sensitivity_analysis.what_would_it_take(self.decision, method, weights=self.weights)
        t = t.loc[[option]] if option is not None else t
        return WhatItTakes(method, t, self.weight_set.assumption, exact=sensitivity_analysis.exact(method))

    def weight_sweep(self, method: str | None = None, points: int = 51) -> WeightSweep:
        """Every option's score and rank as each criterion's weight runs from 0 to 1 (others in proportion)."""
        method = method or self.method
        t = sensitivity_analysis.weight_sweep(self.decision, method, points=points, weights=self.weights)
        return WeightSweep(method, t, self.weight_set.assumption, points=points)

    def tornado(self, method: str | None = None) -> Tornado:
        """Each score at its low and its high value, one at a time: the option's score and rank."""
        method = method or self.method
        return Tornado(method, sensitivity_analysis.tornado(self.decision, method, weights=self.weights),
                       self.weight_set.assumption)

    def sensitivity(self, method: str | None = None, progress: bool | None = None) -> Sensitivity:
        """SMAA-2, the exact weight stability intervals (methods linear in the weights), what would it take and the
        tornado, with the scenario's samples, seed and uncertainty: what ``procurement sensitivity`` shows."""
        method = method or self.method
        stability = self.stability(method) if sensitivity_analysis.exact(method) else None
        return Sensitivity(self.case.id, self.decision.id, self.smaa(method, progress=progress), stability,
                           self.what_would_it_take(method=method), self.tornado(method))

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

    def tender(self, competition: str | None = None, allow_changed_model: bool = False) -> TenderResult:
        """The evaluation of a competition of the case (default: the scenario's ``competition``, else the only one);
        see :func:`procurement.tender.answers.evaluate_tender`."""
        # lazy: procurement.tender (its pydantic models, the sentences) adds 0.10-0.19 s to importing this module
        # (measured with -X importtime on the shared 2-core machine); only this method needs it
        from procurement.tender.answers import evaluate_tender

        return evaluate_tender(self.case, competition or self.scenario.competition, allow_changed_model=allow_changed_model)

    # --- saving ---------------------------------------------------------------------
    def scenario_data(self) -> dict[str, Any]:
        """The scenario as written to a file: everything this analysis used, uncertainty included."""
        data = self.scenario.model_dump(exclude_none=True, exclude={"case", "notebooks"})
        if not data.get("description"):
            data.pop("description", None)
        return data

    # --- cost-benefit: R-109 NPV, non-monetised effects, who pays, uptake (procurement.cba) --------------------
    def _once(self, key: tuple, make: Any) -> Any:
        """``make()`` computed once per analysis family (variants made by :meth:`with_` share it)."""
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def _scored(self, decision: Decision) -> Decision:
        """The decision with the scores of its ``from_cba`` criteria, which the cost-benefit analysis gives.

        The loaded case holds what its files say (case/ is pure input). The decision this analysis uses computes those
        scores the first time its matrix is read (:class:`procurement.cba.criteria.ScoredDecision`), sharing the
        simulation with :meth:`cba` where the samples and seed agree; every variant made by :meth:`with_` shares it.
        """
        if not criteria.wanted(decision):
            return decision

        def scored() -> Decision:
            params = self.cba_parameters()
            return criteria.scored_decision(self.case, decision, params, lambda: self._cashflows(decision.id),
                                            lambda samples, seed: self._draws(decision.id, params, samples, seed))

        return self._once(("scored", decision.id), scored)

    def cba_parameters(self, parameters: str | Path | None = None, **overrides: Any) -> CbaParameters:
        """The R-109 parameters: `parameters` (a file), else the case's ``r109.yaml``, else the shipped ones."""
        return self._once(("cba-parameters", str(parameters), tuple(sorted(overrides.items()))),
                          lambda: load_parameters(parameters or default_rules_path(self.case.path), **overrides))

    def _cashflows(self, decision: str) -> tuple[pd.DataFrame, list[str]]:
        """The decision's cash flows with the enforcement risk costs, and its option ids (read once)."""
        return self._once(("cba-flows", decision), lambda: case_cashflows(self.case, decision))

    def _draws(self, decision: str, params: CbaParameters, samples: int, seed: int | None, zero: str | None = "zero",
               correlation: float | None = None, common: float | None = None, progress: bool = False,
               admissible: tuple[str, ...] | None = None) -> Simulation:
        """The Monte Carlo simulation of the decision's cash flows (one per distinct setting)."""
        flows, options = self._cashflows(decision)
        key = ("cba-draws", decision, params.model_dump_json(), samples, seed, zero, correlation, common, admissible)
        return self._once(key, lambda: simulate_draws(flows, options, self.case.base_year, params, samples=samples, seed=seed,
                                                      zero=zero, correlation=correlation, progress=progress, common=common,
                                                      admissible=admissible))

    def _admissible_draws(self, params: CbaParameters, reference: str | None, kind: str, correlation: float | None,
                          common: float | None, progress: bool) -> Simulation:
        """The simulation the cost-benefit result shows: against a best option (no 0-alternative) with the option-specific
        share of common random numbers unless `common` is given, and P(best) counted among the open options only."""
        if common is None and kind == "best":
            common = params.common_random_numbers_without_zero
        sc, out = self.scenario, self.screened_out()
        sim = self._draws(self.decision.id, params, sc.samples, sc.seed, reference, correlation, common, progress)
        open_ = tuple(o for o in sim.options if not out.get(o))
        if len(open_) == len(sim.options):
            return sim
        p_best = p_best_among(sim, open_)
        if p_best is None:  # the draws were too many to keep: one more simulation counts P(best) as it goes
            return self._draws(self.decision.id, params, sc.samples, sc.seed, reference, correlation, common, progress,
                               open_)
        return dataclasses.replace(sim, stats={**sim.stats, "p_best": p_best})

    def cba(
        self,
        parameters: str | Path | None = None,
        zero: str | None = "zero",
        distribution: str | None = None,
        correlation: float | None = None,
        simulate: bool = True,
        progress: bool | None = None,
        common: float | None = None,
        unit: str = "NOK",
    ) -> CostBenefit:
        """R-109 ΔNPV and NPV with their Monte Carlo simulation (the scenario's samples and seed; none when `simulate`
        is False), the non-monetised effects and who pays, amounts in `unit` (NOK, kNOK or MNOK).

        `parameters` is an R-109 parameter file (default: the case's, else the shipped one); `distribution` overrides
        its three-point distribution; `common` is the share of common random numbers (1: one draw of each category
        drives every option and the 0-alternative; default: the parameter file's ``common_random_numbers``).
        """
        key = ("cba", self.decision.id, self.scenario.samples, self.scenario.seed, str(parameters), zero, distribution,
               correlation, simulate, common, self.language)
        cb = self._once(key, lambda: self._compute_cba(parameters, zero, distribution, correlation, simulate, progress, common))
        return cb.in_unit(unit)

    def _no_cashflows(self, params: CbaParameters) -> CostBenefit:
        title = getattr(self.decision, "title", None)
        name = str(getattr(title, self.language, None) or self.decision.id)
        note = Assumption("cba.no_cashflows", {"decision": name})
        return CostBenefit(None, None, pd.DataFrame(columns=["screened_out"]), params=params, available=False,
                           message=sentence(note.key, self.language, **note.values), case=self.case.id,
                           decision=self.decision.id, base_year=self.case.base_year, notes=[note])

    def _compute_cba(self, parameters, zero, distribution, correlation, simulate, progress, common=None) -> CostBenefit:
        params = self.cba_parameters(parameters, **({"distribution": distribution} if distribution else {}))
        if not has_cashflows(self.case, self.decision.id):
            return self._no_cashflows(params)
        flows, options = self._cashflows(self.decision.id)
        if zero is not None and zero != "zero" and zero not in options:
            raise InputError(
                Problem("zero", "", f"unknown option '{zero}' for decision '{self.decision.id}'", did_you_mean(zero, options))
            )
        outcome = evaluate(flows, options, self.case.base_year, params, zero=zero if zero in options else None)
        out = self.screened_out()
        reference, kind = reference_option(outcome, zero, [o for o in options if not out.get(o)])
        if reference != outcome.zero:
            outcome = evaluate(flows, options, self.case.base_year, params, zero=reference)
        sim = self._admissible_draws(params, reference, kind, correlation, common, bool(progress)) if simulate else None
        table = cba_table(outcome, sim)
        if kind == "best":  # without a 0-alternative neither a difference nor a whole solution's NPV has a budget krone
            table[["incremental_net_benefit_per_krone", "net_benefit_per_krone"]] = float("nan")
        table["screened_out"] = [out.get(str(o), "") for o in table.index]
        return CostBenefit(outcome, sim, table, params=params, reference=reference, reference_kind=kind, case=self.case.id,
                           decision=self.decision.id, base_year=self.case.base_year, effects=self.effects(zero or "zero"),
                           who_pays=self.who_pays(parameters, zero, simulate),
                           risk=self._once(("cba-risk", self.decision.id), lambda: risk_lines(self.case, self.decision.id)),
                           correlation=correlation,
                           assessment=self._once(("assessment", self.decision.id),
                                                 lambda: case_assessment(self.case, self.decision.id)))

    def effects(self, zero: str = "zero") -> Effects | None:
        """The non-monetised effects of the decision's options (plus-minus method, ``effects.csv``); None without any."""
        return self._once(("effects", self.decision.id, zero), lambda: decision_effects(self.case, self.decision.id, zero))

    def municipalities(self, participating: bool = False) -> pd.DataFrame:
        """The case's municipalities.csv, checked (indexed by kommunenummer); only those in the national solution
        with `participating`."""
        table = self._municipalities()
        return table[table["in_national_solution"]] if participating else table

    def _municipalities(self) -> pd.DataFrame:
        return self._once(("municipalities",), lambda: read_municipalities(Path(self.case.path) / "municipalities.csv"))

    def _financing_model(self) -> FinancingModel | None:
        return self._once(("financing-model",), lambda: case_financing_model(self.case))

    def financing(self, parameters: str | Path | None = None, zero: str | None = "zero") -> FinancingResult:
        """Who pays for each option (the case's financing.yaml and municipalities.csv; amounts in NOK).

        `parameters` is an R-109 parameter file as for :meth:`cba`.
        """
        def compute() -> FinancingResult:
            model = self._financing_model()
            if model is None:
                raise InputError(Problem(str(Path(self.case.path) / "financing.yaml"), "", "file not found",
                                         "give financing.yaml in the case folder"))
            flows, options = self._cashflows(self.decision.id)
            return analyse_financing(flows, options, self.case.base_year, model, self._municipalities(),
                                     self.cba_parameters(parameters), self.decision.id, zero)

        return self._once(("financing", self.decision.id, str(parameters), zero), compute)

    def budget(self, parameters: str | Path | None = None, zero: str | None = "zero", period_years: int = PERIOD_YEARS,
               unit: str = "NOK") -> BudgetView:
        """The budget view: each payer's yearly payments in fixed prices, undiscounted, without the tax-financing cost,
        with totals per period of `period_years` and per inhabitant (financing.yaml and municipalities.csv).

        The welfare view is :meth:`cba` (present values with the tax-financing cost); the two are never mixed.
        """
        def compute() -> BudgetView:
            model = self._financing_model()
            if model is None:
                raise InputError(Problem(str(Path(self.case.path) / "financing.yaml"), "", "file not found",
                                         "give financing.yaml in the case folder"))
            flows, options = self._cashflows(self.decision.id)
            return analyse_budget(flows, options, self.case.base_year, model, self._municipalities(),
                                  self.cba_parameters(parameters), self.decision.id, zero, period_years)

        return self._once(("budget", self.decision.id, str(parameters), zero, period_years), compute).in_unit(unit)

    def municipality(self, kommunenummer: str, parameters: str | Path | None = None, zero: str | None = "zero",
                     period_years: int = PERIOD_YEARS) -> MunicipalBudget:
        """One participating municipality's part of :meth:`budget` (NOK): its share by the financing model's
        allocation key under a joint option, its population share of the 0-alternative (its own system), per year,
        period and inhabitant (:mod:`procurement.cba.municipal`)."""
        def compute() -> MunicipalBudget:
            model = self._financing_model()
            assert model is not None  # budget() has said so otherwise
            return municipal_budget(budget, self._municipalities(), model.allocation, str(kommunenummer))

        budget = self.budget(parameters, zero, period_years)
        return self._once(("municipality", self.decision.id, str(parameters), zero, period_years, str(kommunenummer)),
                          compute)

    def drivers(self, parameters: str | Path | None = None, zero: str | None = "zero", threshold: float = THRESHOLD,
                unit: str = "NOK") -> Drivers | None:
        """The assumptions (one option's category of three-point estimates at its low or high) that move an option's
        ΔNPV by more than `threshold` of it, with their sources; None for a decision without cash flows."""
        cb = self.cba(parameters, zero, simulate=False)
        if not cb.available or cb.reference is None:
            return None

        def compute() -> Drivers:
            flows, options = self._cashflows(self.decision.id)
            return difference_drivers(flows, options, self.case.base_year, self.cba_parameters(parameters),
                                      str(cb.reference), threshold)

        return self._once(("drivers", self.decision.id, str(parameters), zero, threshold), compute).in_unit(unit)

    def uptake(self, parameters: str | Path | None = None, zero: str = "zero", points: int = 21,
               simulate: bool = True) -> UptakeResult:
        """How many municipalities must join: break-even population share, ΔNPV curve and scenarios (uptake.yaml).

        Its `break_even` table has a `screened_out` column naming the must-pass rule an option fails. With `simulate`
        and a `share_distribution` in uptake.yaml, `simulation` holds ΔNPV with the final share as one more uncertain
        input (the scenario's samples and seed; see procurement.cba.uptake.simulate_uptake).
        """
        def compute() -> UptakeResult:
            params = self.cba_parameters(parameters)
            flows, options = self._cashflows(self.decision.id)
            model = load_uptake(Path(self.case.path) / "uptake.yaml")
            found = analyse_uptake(flows, options, self.case.base_year, self._municipalities(), model, params, zero,
                                   self.decision.id, points)
            out = self.screened_out()
            found.break_even["screened_out"] = [out.get(str(o), "") for o in found.break_even.index]
            if simulate and found.model.share_distribution is not None:
                full = self._draws(self.decision.id, params, self.scenario.samples, self.scenario.seed, zero)
                found.simulation = simulate_uptake(flows, options, self.case.base_year, found.model, params, zero,
                                                   self.scenario.samples, self.scenario.seed, full)
            return found

        key = ("uptake", self.decision.id, str(parameters), zero, points, simulate, self.scenario.samples, self.scenario.seed)
        return self._once(key, compute)

    def who_pays(self, parameters: str | Path | None = None, zero: str | None = "zero", simulate: bool = True) -> WhoPays | None:
        """Who pays (:meth:`financing`) and how many must join (:meth:`uptake`), or None without the case's files.

        A decision that ``financing.yaml`` does not cover, or without a 0-alternative (no uptake analysis), gets a
        note (an assumption of the result) instead of that part.
        """
        has_model = (Path(self.case.path) / "financing.yaml").is_file()
        parts = who_pays_parts(self.case, self.decision.id, zero, self._financing_model() if has_model else None)
        if parts is None:
            return None
        with_financing, with_uptake, notes = parts
        return WhoPays(self.decision.id, self.financing(parameters, zero) if with_financing else None,
                       self.uptake(parameters, str(zero), simulate=simulate) if with_uptake else None, notes)

