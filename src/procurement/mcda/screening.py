"""Screening before scoring: must-pass rules answer pass, fail or pass-if a named condition holds.

Two kinds of must-pass rule screen a decision's options:

* a criterion with a ``must_pass`` bound: an option whose likely score fails it is removed;
* the case's ``screening.yaml`` (:mod:`procurement.law.whomayuse`): the who-may-use check of each
  option's structured facts and the decision's other screens (a legal basis for a duty to use, the
  in-house conditions, an access ground). Each answers pass, fail, or pass-if a named condition (a law
  change, an ownership change, a notice) holds, with the condition's lead time.

An option that fails is removed before any compensatory method sees it, and every result lists it with the
rule it failed (in English and bokmål) and the rule's legal citation. A pass-if option stays in the ranking
with a marker: :func:`conditional` lists its conditions and lead time, which moves its timeline.
"""

from __future__ import annotations

import pandas as pd

from procurement.case.errors import InputError, Problem, display_path
from procurement.case.loader import Decision
from procurement.law.whomayuse import verdicts
from procurement.text import fmt

EXCLUDED_COLUMNS = ["option", "criterion", "value", "rule", "citation", "rule_nb"]
CONDITIONAL_COLUMNS = ["option", "screen", "condition", "kind", "label_nb", "label_en", "lead_time_months", "citation",
                       "verified"]
MARKER = "†"


def _verdicts(decision: Decision) -> list:
    if decision.case_dir is None:
        return []
    return verdicts(decision.case_dir, decision.id, decision.option_ids)


def _must_pass_rows(decision: Decision, which: str) -> list[dict]:
    matrix = decision.matrix(which)
    rows = []
    for c in decision.criteria:
        if c.must_pass is None:
            continue
        values = dict(zip(matrix.index, matrix[c.id].to_numpy(dtype=float).tolist(), strict=True))
        for oid in decision.option_ids:
            value = values[oid]
            if not c.must_pass.passes(value):
                rule = c.must_pass.describe()
                rows.append({"option": oid, "criterion": c.id, "value": value, "rule": rule,
                             "citation": c.must_pass.citation, "rule_nb": getattr(c.must_pass, "rule_nb", None) or rule})
    return rows


def screen(decision: Decision, which: str = "likely") -> tuple[list[str], pd.DataFrame]:
    """Options that pass (pass-if included), and a table of excluded options with the rule and citation.

    The excluded table has one row per failed rule: ``option``, ``criterion`` (the criterion or
    screen id), ``value`` (the score; None for a screen), ``rule`` (English), ``citation`` and
    ``rule_nb`` (bokmål). Raises InputError when screening removes every option.
    """
    rows = _must_pass_rows(decision, which)
    for v in _verdicts(decision):
        if v.status == "fail":
            rows.append({"option": v.option, "criterion": v.screen, "value": None, "rule": f"{v.rule('en')} ({v.citation})",
                         "citation": v.citation, "rule_nb": f"{v.rule('nb')} ({v.citation})"})
    excluded = pd.DataFrame(rows, columns=EXCLUDED_COLUMNS)
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


def conditional(decision: Decision) -> pd.DataFrame:
    """Options that pass only if a named condition holds: one row per option, screen and condition.

    Columns: ``option``, ``screen``, ``condition`` (id), ``kind`` (law-change, ownership-change,
    notice, documentation, contract-change), ``label_nb``, ``label_en``, ``lead_time_months``,
    ``citation``, ``verified``. Options that fail a rule are left out (they are excluded).
    """
    verdicts = _verdicts(decision)
    failed = {v.option for v in verdicts if v.status == "fail"}
    rows = [{"option": v.option, "screen": v.screen, "condition": cid, "kind": c.kind, "label_nb": c.label.nb,
             "label_en": c.label.en, "lead_time_months": c.lead_time_months, "citation": c.citation, "verified": c.verified}
            for v in verdicts if v.status == "pass-if" and v.option not in failed for cid, c in v.conditions]
    return pd.DataFrame(rows, columns=CONDITIONAL_COLUMNS)


def lead_times(decision: Decision) -> dict[str, float]:
    """Option id -> the longest lead time (months) of its pass-if conditions (conditions run in parallel)."""
    c = conditional(decision)
    return {str(o): float(x) for o, x in c.groupby("option", sort=False)["lead_time_months"].max().items()}


def conditional_lines(decision: Decision, language: str = "en") -> list[str]:
    """'option †: condition (lead time N months)' for every pass-if option; [] when none."""
    return conditional_text(conditional(decision), language)


def conditional_text(c: pd.DataFrame, language: str = "en") -> list[str]:
    """:func:`conditional_lines` of a :func:`conditional` table."""
    col = "label_nb" if language == "nb" else "label_en"
    unit = "måneder ledetid" if language == "nb" else "months lead time"
    return [f"{r.option} {MARKER}: {getattr(r, col)} ({r.lead_time_months:g} {unit}; {r.citation})" for r in c.itertuples()]


_STATUS = {"pass": ("bestått", "pass"), "fail": ("ikke bestått", "fail"), "pass-if": ("bestått dersom †", "pass-if †")}
_WHO = ("Hvem kan bruke kontrakten", "Who may use the contract")


def verdict_table(decision: Decision, language: str = "en") -> pd.DataFrame:
    """Every screen's answer per option (index), for a reader: label, screen, status, rule, citation, lead_time_months.

    ``screen`` is the screen's rule in the language, ``status`` pass / fail / pass-if (bokmål:
    bestått / ikke bestått / bestått dersom), ``rule`` what fails or the condition (empty for a pass).
    """
    i = 0 if language == "nb" else 1
    names = decision.option_labels(language)
    lang = "nb" if i == 0 else "en"
    rows = [{"option": v.option, "label": names.get(v.option, v.option),
             "screen": _WHO[i] if v.screen == "who-may-use" else v.text[lang],
             "status": _STATUS[v.status][i], "rule": "" if v.status == "pass" else v.rule(language), "citation": v.citation,
             "lead_time_months": v.lead_time_months} for v in _verdicts(decision)]
    cols = ["option", "label", "screen", "status", "rule", "citation", "lead_time_months"]
    return pd.DataFrame(rows, columns=cols).set_index("option")


def excluded_lines(decision: Decision, language: str = "en") -> list[str]:
    """'option: rule (citation)' for every option the must-pass rules remove; [] when none (or all)."""
    try:
        _, excluded = screen(decision)
    except InputError:  # every option screened out: `rank` reports that
        return []
    col = "rule_nb" if language == "nb" else "rule"
    return [f"{e.option}: {getattr(e, col)}" for e in excluded.itertuples()]


__all__ = ["MARKER", "conditional", "conditional_lines", "excluded_lines", "lead_times", "screen", "verdict_table"]


def must_pass_text(criterion, language: str = "nb") -> str:
    """A criterion's must-pass rule as the report says it.

    English: the rule's own text with its bound and citation. Bokmål: the criterion's bokmål
    name, the bound and the citation (the rule texts in the criteria files are English).
    """
    rule = criterion.must_pass
    if language == "en":
        return str(rule.describe())
    bound_value = rule.min if rule.min is not None else rule.max
    decimals = 0 if float(bound_value).is_integer() else 1
    bound = f"{'≥' if rule.min is not None else '≤'} {fmt.number(bound_value, 'nb', decimals)}"
    rule_nb = getattr(rule, "rule_nb", None)
    if rule_nb:
        return f"{rule_nb} (mest sannsynlige skår må være {bound}; {rule.citation})"
    return f"{criterion.label.get('nb')}: mest sannsynlige skår må være {bound} ({rule.citation})"
