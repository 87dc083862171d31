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
* screening that leaves no option of a decision.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from procurement.case.errors import InputError, Problem, did_you_mean, display_path


def _catch(fn, *args) -> list[Problem]:
    try:
        fn(*args)
    except InputError as e:
        return list(e.problems)
    return []


def _procedures(case: Any, rules: Any) -> list[Problem]:
    out = []
    path = display_path(Path(case.path) / "options.csv")
    for did, d in case.decisions.items():
        for o in d.options:
            if o.procedure and o.procedure not in rules.procedure_ids:
                out.append(Problem(path, f"decision '{did}', option '{o.id}', column 'procedure'",
                                   f"unknown procedure '{o.procedure}'",
                                   f"{did_you_mean(o.procedure, rules.procedure_ids)}; the procedures are in procedures.yaml"))
    return out


def _timeline(case: Any, rules: Any) -> list[Problem]:
    from procurement.law.timeline import load_timeline, schedule

    path = Path(case.path) / "timeline.yaml"
    if not path.is_file():
        return []

    def run() -> None:
        from procurement.case import yamlsafe

        try:
            raw = yamlsafe.load(path)
        except InputError:
            raw = None  # load_timeline below reports it with file, line and column
        decision = raw.get("decision") if isinstance(raw, dict) else None
        ids = case.decisions[decision].option_ids if decision in case.decisions else None
        schedule(load_timeline(path, decision=decision, option_ids=ids, rules=rules), None, rules)

    return _catch(run)


def _registers(case: Any) -> list[Problem]:
    from procurement.law.enforcement import read_enforcement
    from procurement.law.risk import read_risks

    options = {did: list(d.option_ids) for did, d in case.decisions.items()}
    out = []
    if (Path(case.path) / "risks.csv").is_file():
        out += _catch(read_risks, Path(case.path), options)
    out += _catch(read_enforcement, Path(case.path), options)
    return out


def _screening(case: Any) -> list[Problem]:
    from procurement.law.whomayuse import problems as screening_problems
    from procurement.mcda.screening import screen

    options = {did: list(d.option_ids) for did, d in case.decisions.items()}
    out = screening_problems(case.path, options)
    if out:
        return out
    for d in case.decisions.values():
        out += _catch(screen, d)
    return out


def problems(case: Any, scenario: Any = None) -> list[Problem]:
    """Every problem in the procurement-law inputs of `case` (the scenario is not needed: all decisions are checked)."""
    from procurement.law.rules import load_rules

    rules_dir = Path(case.path).parent / "rules"
    try:
        rules = load_rules(rules_dir if rules_dir.is_dir() else None)
    except InputError as e:
        return list(e.problems)
    return [*_procedures(case, rules), *_timeline(case, rules), *_registers(case), *_screening(case)]


__all__ = ["problems"]
