"""A decision's cash flows from a loaded case, with the expected enforcement risk costs added.

:func:`case_cashflows` takes the decision's rows of ``cashflows.csv`` (already read
and checked by :func:`procurement.load_case`, in NOK) and adds the expected
enforcement risk costs of each option's route from ``enforcement.csv``
(:func:`procurement.law.enforcement.risk_costs`: probability x cost of a complaint,
an injunction, an infringement fine, ineffectiveness) as the category ``risk``,
unless ``cashflows.csv`` has ``risk`` rows of its own. :func:`risk_lines` lists
those costs for the report.

Read next: :mod:`procurement.cba.criteria` (criterion values taken from the analysis).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from procurement.case.cashflows import empty_cashflows
from procurement.case.errors import InputError, Problem, did_you_mean, display_path
from procurement.law.enforcement import risk_costs


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
    if not _has_enforcement(case):
        return empty_cashflows()
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
