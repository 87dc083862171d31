"""Criteria whose scores come from the cost-benefit analysis, so the ranking and the CBA never disagree.

A criterion in ``criteria/<decision>.yaml`` can say
``from_cba: {measure: pv_costs, unit: MNOK, samples: 10000, seed: ...}``: its scores
are then the simulated P1 / P50 / P99 of that measure per option
(:func:`cba_scores`), and ``scores.csv`` holds no rows for it. The loader reads and
checks the files only (``case/`` is pure input); the engine asks for these scores
the first time it needs the decision's matrix (:meth:`procurement.Analysis.decision`
is the decision with them added, :func:`scored_decision`). :func:`score_problems`
is what ``procurement validate`` checks: no rows for such a criterion in
``scores.csv``, and cash flows to compute it from.

:func:`cba_criterion_values` gives one value per option of any measure (deterministic,
simulated percentile or probability) for a notebook of one's own.

Low and high are the 1st and 99th percentiles so that a triangular distribution over
(low, likely, high), which SMAA draws from, has about the same P10-P90 spread as the
simulation itself (for a bell-shaped outcome P1-P99 is about 1.8 x P10-P90, and a
triangle's P10-P90 is 0.55 of its range).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from procurement.case.cashflows import unit_factor
from procurement.case.errors import InputError, Problem, ProblemList, did_you_mean, display_path
from procurement.case.loader import Case, Decision
from procurement.case.models import Criterion, FromCba
from procurement.cba.case_flows import case_cashflows
from procurement.cba.model import LINEAR_MEASURES
from procurement.cba.npv import MONEY_MEASURES, evaluate
from procurement.cba.parameters import CbaParameters, default_rules_path, load_parameters
from procurement.cba.simulation import DEFAULT_SAMPLES, DEFAULT_SEED, Simulation, simulate

#: A simulation of a decision's cash flows by samples and seed.
Simulations = Callable[[int, int], Simulation]
#: The decision's cash flows and option ids, when asked.
CashFlows = Callable[[], tuple[pd.DataFrame, list[str]]]

#: Percentiles of the simulated measure that become a from_cba criterion's low, likely and high score.
SCORE_PERCENTILES = (1, 50, 99)
#: Scores already simulated, by the content of their inputs: analysing a copy of the same case again (validate's
#: probes, the workbench, a test suite copying the example) does not simulate again. A pure function's memo.
_MEMO: dict[tuple, pd.DataFrame] = {}
_MEMO_SIZE = 16


def wanted(decision: Decision) -> list[Criterion]:
    """The decision's criteria that take their scores from the cost-benefit analysis."""
    return [c for c in decision.criteria if c.from_cba is not None]


def score_problems(case: Case, decisions: Iterable[str] | None = None) -> list[Problem]:
    """Criteria whose scores come from the cost-benefit analysis: no rows in scores.csv, and cash flows to compute them.

    Every decision of the case, or those named in `decisions`.
    """
    problems = ProblemList()
    score_path = Path(case.path) / "scores.csv"
    flows = case.cashflows
    for did in case.decisions if decisions is None else decisions:
        decision = case.decisions[did]
        rows = given_scores(decision)
        for c in wanted(decision):
            given = rows[rows["criterion"] == c.id]
            for row in given.get("row", pd.Series(dtype=int)):
                problems.add(score_path, f"row {row}",
                             f"criterion '{c.id}' takes its values from the cost-benefit analysis "
                             f"(from_cba in {display_path(decision.criteria_file)})",
                             "remove this row; edit cashflows.csv instead")
            if flows.empty or did not in set(flows["decision"]):
                problems.add(decision.criteria_file, f"criterion '{c.id}', key 'from_cba'", f"decision '{did}' has no cash flows",
                             "add rows to cashflows.csv or remove from_cba")
    return list(problems.problems)


def _memo_key(flows: pd.DataFrame, option_ids: list[str], base_year: int, params: CbaParameters, fc: FromCba) -> tuple | None:
    try:
        content = pd.util.hash_pandas_object(flows.reset_index(drop=True), index=True).to_numpy().tobytes()
        return (hashlib.sha256(content).hexdigest(), tuple(map(str, flows.columns)), tuple(option_ids), base_year,
                params.model_dump_json(), fc.measure, fc.samples, fc.seed)
    except (TypeError, ValueError, AttributeError):  # an input that cannot be hashed: simulate every time
        return None


def _percentiles(flows: pd.DataFrame, option_ids: list[str], base_year: int, params: CbaParameters, fc: FromCba,
                 simulation: Simulations | None = None) -> pd.DataFrame:
    """P1, P50 and P99 (NOK) of `fc.measure` per option, simulated once per distinct input.

    `simulation` (samples, seed) -> Simulation gives the simulation of these flows when the caller keeps one (the
    engine shares it with its cost-benefit analysis); by default :func:`procurement.cba.simulation.simulate`.
    """
    key = _memo_key(flows, option_ids, base_year, params, fc)
    if key is not None and key in _MEMO:
        return _MEMO[key].copy()
    if simulation is not None:
        sim = simulation(fc.samples, fc.seed)
    else:
        sim = simulate(flows, option_ids, base_year, params, samples=fc.samples, seed=fc.seed)
    q = sim.percentiles(fc.measure, SCORE_PERCENTILES)
    if key is not None:
        if len(_MEMO) >= _MEMO_SIZE:
            _MEMO.pop(next(iter(_MEMO)))
        _MEMO[key] = q.copy()
    return q


def _scale_problems(c: Criterion, decision: Decision, oid: str, values: dict[str, float], problems: ProblemList) -> None:
    fc = c.from_cba
    assert fc is not None
    for name, v in values.items():
        if not c.scale.contains(v):
            problems.add(decision.criteria_file, f"criterion '{c.id}', key 'scale'",
                         f"the cost-benefit analysis gives option '{oid}' a {name} value of {v:,.0f} {fc.unit}, "
                         f"outside the scale {c.scale.min:g}–{c.scale.max:g}", "widen the scale")


def given_scores(decision: Decision) -> pd.DataFrame:
    """The scores a decision's files give (without those the cost-benefit analysis adds)."""
    return decision.given_scores if isinstance(decision, ScoredDecision) else decision.scores


def cba_scores(case: Case, decision: Decision, params: CbaParameters | None = None,
               cashflows: CashFlows | None = None, simulation: Simulations | None = None) -> pd.DataFrame:
    """Score rows of the decision's ``from_cba`` criteria: low / likely / high = P1 / P50 / P99 of the simulated measure.

    Columns as ``Decision.scores`` (``option, criterion, low, likely, high, rationale, source, row``), in the
    criterion's unit. `cashflows` (() -> (flows, option ids)) and `simulation` ((samples, seed) -> Simulation of those
    flows) let a caller that already holds them share them. Raises InputError when ``scores.csv`` has rows for such a
    criterion, the decision has no cash flows, or a value falls outside the criterion's scale (naming the criteria
    file and key).
    """
    criteria = wanted(decision)
    if not criteria:
        return given_scores(decision).iloc[0:0].copy()
    found = score_problems(case, [decision.id])
    if found:
        raise InputError(found)
    params = params or load_parameters(default_rules_path(case.path))
    flows, option_ids = cashflows() if cashflows is not None else case_cashflows(case, decision.id)
    problems = ProblemList()
    rows = []
    for c in criteria:
        fc = c.from_cba
        assert fc is not None
        q = _percentiles(flows, option_ids, case.base_year, params, fc, simulation) / unit_factor(fc.unit)
        for oid in decision.option_ids:
            lo, li, hi = (float(x) for x in q.loc[oid, [f"P{p}" for p in SCORE_PERCENTILES]].to_numpy(dtype=float))
            _scale_problems(c, decision, oid, {"low": lo, "likely": li, "high": hi}, problems)
            rows.append({"option": oid, "criterion": c.id, "low": lo, "likely": li, "high": hi,
                         "rationale": f"P1 / P50 / P99 of {fc.measure} from the cost-benefit analysis (R-109), "
                                      f"{fc.samples} samples, seed {fc.seed}",
                         "source": "cashflows.csv", "row": 0})
    problems.raise_if_any()
    return pd.DataFrame(rows)


class ScoredDecision(Decision):
    """A decision whose ``from_cba`` criteria take their scores from the cost-benefit analysis, computed on first use.

    Made by :func:`scored_decision`. ``given_scores`` are the rows of ``scores.csv``; ``scores`` adds the simulated
    rows (:func:`cba_scores`) the first time it is read, so a case is read without simulating, and a decision whose
    matrix nobody asks for is never simulated. Setting ``scores`` replaces the given rows (a copy made with
    :func:`dataclasses.replace` holds every row already).
    """

    @property  # type: ignore[override]
    def scores(self) -> pd.DataFrame:
        state = self.__dict__
        pending = state.pop("_pending", None)
        if pending is not None:
            try:
                derived = cba_scores(pending[0], self, *pending[1:])
            except BaseException:
                state["_pending"] = pending  # asked again, it fails again with the same message
                raise
            state["_scores"] = pd.concat([state["_given"], derived], ignore_index=True)
        return state.get("_scores", state["_given"])

    @scores.setter
    def scores(self, value: pd.DataFrame) -> None:
        self.__dict__["_given"] = value
        self.__dict__.pop("_scores", None)

    @property
    def given_scores(self) -> pd.DataFrame:
        """The rows of ``scores.csv`` (the file's own, without those of the ``from_cba`` criteria)."""
        return self.__dict__["_given"]

    @property
    def computed(self) -> bool:
        """Whether the scores of the ``from_cba`` criteria are there (computed, or given with the rest)."""
        return "_pending" not in self.__dict__


def scored_decision(case: Case, decision: Decision, params: CbaParameters | None = None,
                    cashflows: CashFlows | None = None, simulation: Simulations | None = None) -> Decision:
    """The decision with the scores of its ``from_cba`` criteria, computed on first use (a copy; the case is not changed).

    The decision itself when it has no such criterion. `params`, `cashflows` and `simulation` as for
    :func:`cba_scores` (default: the case's R-109 parameters, its cash flows, a simulation of its own).
    """
    if not wanted(decision):
        return decision
    fields = {f.name: getattr(decision, f.name) for f in dataclasses.fields(Decision) if f.name != "scores"}
    out = ScoredDecision(**fields, scores=given_scores(decision))
    out.__dict__["_pending"] = (case, params, cashflows, simulation)
    return out


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
    samples: int = DEFAULT_SAMPLES,
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
