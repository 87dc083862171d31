"""What `procurement validate` asks of the tender package: every competition of the case reads, evaluates and
still matches its seal (``problems(case, scenario)``, called by :mod:`procurement.validation`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from procurement.case.errors import InputError, Problem, display_path
from procurement.tender import seal
from procurement.tender.competition import competitions, load_competition
from procurement.tender.evaluate import evaluate


def problems(case: Any, scenario: Any = None) -> list[Problem]:
    """One line per problem in the competitions under ``<case>/tenders/`` (all of them, whatever the scenario)."""
    case_dir = Path(getattr(case, "path", case))
    found: list[Problem] = []
    for cid in competitions(case_dir):
        try:
            comp = load_competition(case_dir, cid)
            if comp.opened:
                evaluate(comp)
            st = seal.status(comp)
        except InputError as err:
            found.extend(err.problems)
            continue
        found += seal.change_problems(comp, st)
        if comp.opened and not st.sealed:
            found.append(Problem(display_path(comp.model_path), "", "tenders are in but the model was never sealed",
                                 "seal models before opening: procurement tender seal"))
    return found
