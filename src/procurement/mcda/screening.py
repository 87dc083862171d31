"""Screening before scoring: must-pass criteria remove options.

A criterion with a ``must_pass`` rule is a hard requirement. An option whose
likely score fails it is removed before any compensatory method sees it, and
every result lists it with the rule it failed and the rule's legal citation.
"""

from __future__ import annotations

import pandas as pd

from procurement.case.errors import InputError, Problem, display_path
from procurement.case.loader import Decision


def screen(decision: Decision, which: str = "likely") -> tuple[list[str], pd.DataFrame]:
    """Options that pass, and a table of excluded options with the rule and citation.

    Raises InputError when screening removes every option.
    """
    matrix = decision.matrix(which)
    rows = []
    for c in decision.criteria:
        if c.must_pass is None:
            continue
        values = dict(zip(matrix.index, matrix[c.id].to_numpy(dtype=float).tolist(), strict=True))
        for oid in decision.option_ids:
            value = values[oid]
            if not c.must_pass.passes(value):
                rows.append(
                    {
                        "option": oid,
                        "criterion": c.id,
                        "value": value,
                        "rule": c.must_pass.describe(),
                        "citation": c.must_pass.citation,
                    }
                )
    excluded = pd.DataFrame(rows, columns=["option", "criterion", "value", "rule", "citation"])
    kept = [o for o in decision.option_ids if o not in set(excluded["option"])]
    if not kept:
        raise InputError(
            Problem(
                display_path(decision.criteria_file),
                f"decision '{decision.id}'",
                "screening removes every option: each fails a must-pass rule",
                "; ".join(f"{r.option} fails {r.criterion}" for r in excluded.itertuples()),
            )
        )
    return kept, excluded


def excluded_lines(decision: Decision) -> list[str]:
    """'option: rule (citation)' for every option the must-pass rules remove; [] when none (or all)."""
    try:
        _, excluded = screen(decision)
    except InputError:  # every option screened out: `rank` reports that
        return []
    return [f"{e.option}: {e.rule}" for e in excluded.itertuples()]
