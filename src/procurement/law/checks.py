"""Cross-file checks of the procurement-law inputs, for `procurement validate`.

:func:`problems` looks at what the law commands and notebook 05 read beyond the
case loader, and returns every mistake as a :class:`~procurement.case.errors.Problem`
(file, where, what, hint) instead of raising:

* ``options.csv``: a ``procedure`` that is not in ``procedures.yaml``;
* ``timeline.yaml``: YAML errors (with line and column), unknown procedures and options;
* ``risks.csv``: probabilities and consequences off the 1–5 scale;
* ``enforcement.csv``: probabilities off 0–1, a fine above its legal cap, unknown events;
* ``screening.yaml``: who-may-use facts a route needs but does not state, unknown
  conditions, options and decisions;
* screens of ``screening.yaml`` that fail every option of a decision. (Together with the criteria's
  must-pass rules, the ranking checks the same when it screens: :func:`procurement.mcda.screening.screen`.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from procurement.case import yamlsafe
from procurement.case.errors import InputError, Problem, did_you_mean, display_path
from procurement.law.enforcement import read_enforcement
from procurement.law.loader import load_rules
from procurement.law.models import Rules
from procurement.law.risk import read_risks
from procurement.law.timeline import load_timeline, schedule
from procurement.law.whomayuse import problems as screening_problems
from procurement.law.whomayuse import verdicts


def _catch(fn, *args) -> list[Problem]:
    try:
        fn(*args)
    except InputError as e:
        return list(e.problems)
    return []


def _procedures(case: Any, rules: Rules) -> list[Problem]:
    out = []
    path = display_path(Path(case.path) / "options.csv")
    for did, d in case.decisions.items():
        for o in d.options:
            if o.procedure and o.procedure not in rules.procedure_ids:
                out.append(Problem(path, f"decision '{did}', option '{o.id}', column 'procedure'",
                                   f"unknown procedure '{o.procedure}'",
                                   f"{did_you_mean(o.procedure, rules.procedure_ids)}; the procedures are in procedures.yaml"))
    return out


def _timeline(case: Any, rules: Rules) -> list[Problem]:
    path = Path(case.path) / "timeline.yaml"
    if not path.is_file():
        return []

    def run() -> None:
        try:
            raw = yamlsafe.load(path)
        except InputError:
            raw = None  # load_timeline below reports it with file, line and column
        decision = raw.get("decision") if isinstance(raw, dict) else None
        ids = case.decisions[decision].option_ids if decision in case.decisions else None
        schedule(load_timeline(path, decision=decision, option_ids=ids, rules=rules), None, rules)

    return _catch(run)


def _registers(case: Any) -> list[Problem]:
    options = {did: list(d.option_ids) for did, d in case.decisions.items()}
    out = []
    if (Path(case.path) / "risks.csv").is_file():
        out += _catch(read_risks, Path(case.path), options)
    out += _catch(read_enforcement, Path(case.path), options)
    return out


def _every_option_fails(decision: Any) -> list[Problem]:
    """A problem when the screens of ``screening.yaml`` fail every option of the decision (nothing left to rank).

    Worded as the ranking's screening words it (:func:`procurement.mcda.screening.screen`), so that `validate`,
    which ranks every decision too, says it once.
    """
    if decision.case_dir is None:
        return []
    failed = [v for v in verdicts(decision.case_dir, decision.id, decision.option_ids) if v.status == "fail"]
    if not decision.option_ids or {v.option for v in failed} != set(decision.option_ids):
        return []
    return [Problem(display_path(decision.criteria_file), f"decision '{decision.id}'",
                    "screening removes every option: each fails a must-pass rule",
                    "; ".join(f"{v.option} fails {v.screen}" for v in failed))]


def _screening(case: Any) -> list[Problem]:
    options = {did: list(d.option_ids) for did, d in case.decisions.items()}
    out = screening_problems(case.path, options)
    if out:
        return out
    for d in case.decisions.values():
        out += _every_option_fails(d)
    return out


def problems(case: Any, scenario: Any = None) -> list[Problem]:
    """Every problem in the procurement-law inputs of `case` (the scenario is not needed: all decisions are checked)."""
    rules_dir = Path(case.path).parent / "rules"
    try:
        rules = load_rules(rules_dir if rules_dir.is_dir() else None)
    except InputError as e:
        return list(e.problems)
    return [*_procedures(case, rules), *_timeline(case, rules), *_registers(case), *_screening(case)]


__all__ = ["problems"]
