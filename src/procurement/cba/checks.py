"""What the cost-benefit part of a report will read, checked before the report runs.

:func:`problems` is called by ``procurement validate`` so that "OK" means the
cost-benefit notebooks (04 and the summary 07) run: the R-109 parameter file
loads, and for every decision the scenario reports on that has cash flows, the
flows (with the enforcement risk costs the analysis adds) fit the analysis
period those parameters give, and the files of the financing and uptake sections
(``municipalities.csv``, ``financing.yaml``, ``uptake.yaml``) load — the same check :meth:`procurement.Analysis.cba`
makes, so ``validate`` and ``cba`` never disagree. A decision without cash
flows is no problem: its report says so in one sentence. The non-priced
effects (``effects.csv``) are checked as the report reads them, and the criteria whose
scores come from this analysis (``from_cba``: no rows in ``scores.csv``, cash flows to
compute them; :func:`procurement.cba.criteria.score_problems`), and the case's combined assessment
(``assessment.yaml``: known decisions and options, each ranked once with a reason).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from procurement.case.errors import InputError, Problem, ProblemList, display_path
from procurement.cba.assessment import case_assessment
from procurement.cba.case_flows import case_cashflows, has_cashflows
from procurement.cba.criteria import score_problems
from procurement.cba.effects import case_effects
from procurement.cba.financing import load_financing
from procurement.cba.npv import evaluate
from procurement.cba.parameters import default_rules_path, load_parameters
from procurement.cba.uptake import join_years, load_uptake, read_municipalities

#: Notebooks that read the cost-benefit analysis (by number or name).
CBA_NOTEBOOKS = ("04", "07", "cost-benefit", "summary")


def _reads_cba(notebooks: list[str] | None) -> bool:
    return notebooks is None or any(any(k in str(n) for k in CBA_NOTEBOOKS) for n in notebooks)


def _decisions(case, scenario: Any) -> list[str]:
    """The decisions the scenario reports on (all of the case's when no scenario is given).

    `scenario` is a Scenario (what validate passes), a scenario name of the case, or a mapping of scenario keys
    (a missing decision is the case's default scenario's).
    """
    if scenario is None:
        return list(case.decisions)
    from procurement.case.scenarios import make_scenario

    sc = make_scenario(case, scenario)
    return [sc.decision] if _reads_cba(getattr(sc, "notebooks", None)) else []


def problems(case, scenario: Any = None) -> list[Problem]:
    """Problems that would stop the cost-benefit analysis of the scenario's decision(s), one line each.

    Parameters
    ----------
    case
        A loaded case (:func:`procurement.load_case`).
    scenario : Scenario, mapping, str or None
        The scenario whose reports will run (its decision; nothing when its
        notebooks do not include the cost-benefit ones); None checks every decision.

    Returns
    -------
    list of Problem
        Empty when the cost-benefit notebooks will run.
    """
    decisions = _decisions(case, scenario)
    if not decisions:
        return []
    try:
        params = load_parameters(default_rules_path(case.path))
    except InputError as err:
        return list(err.problems)
    found: list[Problem] = score_problems(case, decisions)
    for decision in decisions:
        if not has_cashflows(case, decision):
            continue
        try:
            flows, options = case_cashflows(case, decision)
            evaluate(flows, options, case.base_year, params)
        except InputError as err:
            found += [p for p in err.problems if p not in found]
    found += [p for p in _effects_problems(case) + _who_pays_problems(case, decisions) if p not in found]
    _catch(found, case_assessment, case, decisions[0])  # assessment.yaml, if any: its decisions, options and reasons
    return found


def _effects_problems(case) -> list[Problem]:
    found = ProblemList()
    case_effects(case, found)
    return list(found.problems)


def _catch(found: list[Problem], fn, *args) -> Any:
    """``fn(*args)``, its InputError's problems added to ``found`` (then None)."""
    try:
        return fn(*args)
    except InputError as err:
        found += [p for p in err.problems if p not in found]
        return None


def _who_pays_problems(case, decisions: list[str]) -> list[Problem]:
    """What report 04's financing and uptake sections read: ``municipalities.csv``, ``financing.yaml`` (payers, splits
    that sum to 1, known decisions and options, a model for every option of a reported decision that it covers) and
    ``uptake.yaml`` (its condition, shares and every scenario's clusters or municipalities)."""
    folder = Path(case.path)
    found: list[Problem] = []
    paths = {n: folder / n for n in ("municipalities.csv", "financing.yaml", "uptake.yaml")}
    if not (paths["financing.yaml"].is_file() or paths["uptake.yaml"].is_file()):
        return found
    if not paths["municipalities.csv"].is_file():
        return [Problem(display_path(paths["municipalities.csv"]), "", "file not found",
                        "financing.yaml and uptake.yaml need the municipalities and their population")]
    municipalities = _catch(found, read_municipalities, paths["municipalities.csv"])
    if paths["financing.yaml"].is_file():
        known = {d: list(case.decision(d).option_ids) for d in case.decisions}
        model = _catch(found, load_financing, paths["financing.yaml"], known)
        for d in decisions if model is not None else []:
            if d in model.decisions:
                for o in case.decision(d).option_ids:
                    _catch(found, model.option, d, o)
    if paths["uptake.yaml"].is_file():
        uptake = _catch(found, load_uptake, paths["uptake.yaml"])
        for sc in uptake.scenarios if uptake is not None and municipalities is not None else []:
            _catch(found, join_years, municipalities, sc, display_path(paths["uptake.yaml"]))
    return found


__all__ = ["problems"]
