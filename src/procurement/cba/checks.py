"""What the cost-benefit part of a report will read, checked before the report runs.

:func:`problems` is called by ``procurement validate`` so that "OK" means the
cost-benefit notebooks (04 and the summary 07) run: the R-109 parameter file
loads, and for every decision the scenario reports on that has cash flows, the
flows (with the enforcement risk costs the analysis adds) fit the analysis
period those parameters give — the same check :meth:`procurement.Analysis.cba`
makes, so ``validate`` and ``cba`` never disagree. A decision without cash
flows is no problem: its report says so in one sentence. The non-priced
effects (``effects.csv``) are checked as the report reads them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from procurement.case.errors import InputError, Problem, ProblemList

#: Notebooks that read the cost-benefit analysis (by number or name).
CBA_NOTEBOOKS = ("04", "07", "cost-benefit", "summary")


def _reads_cba(notebooks: list[str] | None) -> bool:
    return notebooks is None or any(any(k in str(n) for k in CBA_NOTEBOOKS) for n in notebooks)


def _decisions(case, scenario: Any) -> list[str]:
    """The decisions the scenario reports on (all of the case's when no scenario is given)."""
    if scenario is None:
        return list(case.decisions)
    from procurement.analysis import make_scenario

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
    from procurement.cba import r109

    decisions = _decisions(case, scenario)
    if not decisions:
        return []
    try:
        params = r109.load_parameters(r109.default_rules_path(case.path))
    except InputError as err:
        return list(err.problems)
    found: list[Problem] = []
    for decision in decisions:
        if not r109.has_cashflows(case, decision):
            continue
        try:
            flows, options = r109.case_cashflows(case, decision)
            r109.evaluate(flows, options, case.base_year, params)
        except InputError as err:
            found += [p for p in err.problems if p not in found]
    found += _effects_problems(case)
    return found


def _effects_problems(case) -> list[Problem]:
    path = Path(case.path) / "effects.csv"
    if not path.exists():
        return []
    from procurement.cba.effects import read_effects

    found = ProblemList()
    read_effects(path, {d: case.decision(d).option_ids for d in case.decisions}, found)
    return list(found.problems)


__all__ = ["problems"]
