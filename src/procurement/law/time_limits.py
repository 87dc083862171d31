"""Minimum time limits, the standstill period and the notice duty (``time-limits.yaml``).

:func:`min_time_limit` gives the statutory minimum of one step of a procedure in a variant (electronic or not, a
prior information notice, urgency, a non-state authority without agreement); :func:`standstill` the standstill
rule of a part and :func:`notice_duty` where a notice must be published. Parts I and II have no statutory minimum
limits (a reasonable limit applies).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from procurement.case.errors import InputError, Problem
from procurement.law.loader import rules_or_default
from procurement.law.models import NoticeDuty, Rules, StandstillRule


@dataclass(frozen=True)
class TimeLimit:
    """A minimum time limit in calendar days and the row it comes from."""

    procedure: str
    step: str
    variant: str
    days: int
    citation: str
    verified: bool
    source: str


def time_limit_steps(procedure: str, rules: Rules | None = None) -> list[str]:
    """The steps with a statutory minimum time limit for a procedure (may be empty)."""
    rules = rules_or_default(rules)
    rules.procedure(procedure)
    steps: list[str] = []
    for r in rules.time_limits.limits:
        if r.procedure == procedure and r.step not in steps:
            steps.append(r.step)
    return steps


def min_time_limit(
    procedure: str,
    step: str,
    *,
    electronic: bool = True,
    pin: bool = False,
    urgency: bool = False,
    part: str = "III",
    rules: Rules | None = None,
    non_state: bool = False,
) -> TimeLimit | None:
    """The statutory minimum time limit of one step of a procedure.

    Variants combine as follows: a reduction (``pin``: a prior information
    notice was published; ``urgency``) gives the shortest reduced limit defined
    for the step, whatever the means of submission; otherwise non-electronic
    submission gives the longer ``non-electronic`` limit where one is defined.

    Parameters
    ----------
    procedure
        Procedure id, e.g. ``open``.
    step
        Step id, e.g. ``tenders`` or ``requests``.
    electronic, pin, urgency
        The variant conditions.
    non_state
        An authority other than a state authority that has not agreed the tender
        deadline with the candidates: the ``non-state`` row (10 days) applies where
        the step has one. (With an agreement the deadline is what was agreed.)
    part
        FOA part; Parts I and II (and outside) have no statutory minimum limits.
    rules
        Loaded rules; default :func:`~procurement.law.loader.load_rules`.

    Returns
    -------
    TimeLimit or None
        None when the part has no statutory minimum limits.

    Raises
    ------
    InputError
        Unknown procedure, or a step the procedure has no limit for.
    """
    rules = rules_or_default(rules)
    rules.procedure(procedure)
    if part in rules.time_limits.no_statutory_limits.parts:
        return None
    rows = {r.variant: r for r in rules.time_limits.limits if r.procedure == procedure and r.step == step}
    if not rows:
        steps = time_limit_steps(procedure, rules)
        hint = f"steps with a limit: {', '.join(steps)}" if steps else "this procedure has no statutory time limits"
        raise InputError(Problem("step", "", f"procedure '{procedure}' has no time limit for step '{step}'", hint))
    wanted = {"pin": pin, "urgency": urgency, "non-state": non_state}
    reductions = [rows[v] for v in ("pin", "urgency", "non-state") if v in rows and wanted[v]]
    if reductions:
        row = min(reductions, key=lambda r: r.days)
    elif not electronic and "non-electronic" in rows:
        row = rows["non-electronic"]
    else:
        row = rows["base"]
    return TimeLimit(procedure, step, row.variant, row.days, row.citation, row.verified, row.source)


def time_limits_table(rules: Rules | None = None) -> pd.DataFrame:
    """All minimum time limit rows: procedure, step, variant, days, citation, verified, source."""
    rules = rules_or_default(rules)
    return pd.DataFrame([r.model_dump() for r in rules.time_limits.limits],
                        columns=["procedure", "step", "variant", "days", "citation", "verified", "source"])


def standstill(part: str, rules: Rules | None = None) -> StandstillRule | None:
    """The standstill rule of a part (FOA Part II § 10-1, Part III § 25-1, Part IV ch. 30, forsyningsforskriften,
    konsesjonskontraktforskriften), or None where none applies (outside, Part I, below the EEA threshold of a
    regulation with no national procedure)."""
    rules = rules_or_default(rules)
    return next((rule for rule in rules.time_limits.standstill if part in rule.parts), None)


def notice_duty(part: str, rules: Rules | None = None) -> NoticeDuty | None:
    """Where a notice must be published in a part (Doffin, TED), or None when the rules folder does not say."""
    return rules_or_default(rules).time_limits.notices.get(part)


__all__ = ["TimeLimit", "min_time_limit", "notice_duty", "standstill", "time_limit_steps", "time_limits_table"]
