"""The procurement route of a decision's options: FOA part, procedures, timeline and standard contracts.

:func:`procurement_route` reads ``<case>/timeline.yaml`` and the procurement
rules and returns a :class:`RouteOverview` per option, with the options a
must-pass rule screened out marked (they are listed for completeness, not as
an open route). :meth:`procurement.analysis.Analysis.route` calls it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from procurement.case.errors import display_path
from procurement.text.labels import label


@dataclass
class RouteOverview:
    """Timeline, FOA part, procedures and standard contracts of a decision's options."""

    available: bool
    message: str = ""
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    schedule: pd.DataFrame = field(default_factory=pd.DataFrame)
    lengthened: pd.DataFrame = field(default_factory=pd.DataFrame)
    access: pd.DataFrame = field(default_factory=pd.DataFrame)
    contracts: pd.DataFrame = field(default_factory=pd.DataFrame)
    part: str = ""
    language: str = "nb"

    def note(self):
        """The FOA part the route follows (or why there is no route), as a line of text."""
        from IPython.display import Markdown

        if not self.available:
            return Markdown(f"*{self.message}*")
        return Markdown(f"**{label('foa_part', self.language)}:** {self.message}")


def no_timeline(case, decision, held: str | None, language: str = "nb") -> str:
    """One sentence: the decision has no timeline, so its pass-if lead times move no contract date."""
    from procurement.mcda.screening import conditional

    path = display_path(Path(case.path) / "timeline.yaml")
    other = case.decisions[held].title.get(language) if held in case.decisions else held
    waits = len(conditional(decision)) > 0
    if language == "nb":
        why = f"{path} gjelder beslutningen «{other}»" if other else f"saken har ingen {path}"
        tail = (", så ledetidene for vilkårene (†) flytter ingen kontraktsdato; de står i screeningtabellen nedenfor."
                if waits else ", så den har ingen kontraktsdato å vise.")
        return f"Denne beslutningen har ingen tidslinje ({why}){tail}"
    why = f"{path} holds the decision '{other}'" if other else f"the case has no {path}"
    tail = (", so the lead times of its conditions (†) move no contract date; they are in the screening table below."
            if waits else ", so there is no contract date to show.")
    return f"This decision has no timeline ({why}){tail}"


def _shifted(case, decision, sched: pd.DataFrame, language: str) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """Contract dates after pass-if lead times and enforcement delays, the schedule with each pass-if option's
    wait for its condition as its first phase (for the Gantt chart), and each pass-if option's condition text."""
    from procurement.law.enforcement import delays
    from procurement.law.timeline import contract_dates, shifted_dates, with_lead_times
    from procurement.mcda.screening import conditional, lead_times

    cond = conditional(decision)
    col = "label_nb" if language == "nb" else "label_en"
    groups = list(cond.groupby("option", sort=False))
    texts = {str(o): "; ".join(g[col]) for o, g in groups}
    sources = {str(o): ("; ".join(dict.fromkeys(g["citation"])), bool(g["verified"].all())) for o, g in groups}
    waits = lead_times(decision)
    dates = shifted_dates(contract_dates(sched), waits, delays(case, decision.id))
    return dates, with_lead_times(sched, waits, sources), texts


def _route_table(dates: pd.DataFrame, plan, parts: dict[str, str], labels: dict[str, str], ssa: pd.DataFrame,
                 conditions: dict[str, str], language: str) -> pd.DataFrame:
    """One row per option: name, procedure name, part ("—" outside the rules), rounds, dates, months, SSA, condition."""
    from procurement.text import fmt
    from procurement.law.rules import procedure_label

    def day(d) -> str:
        return fmt.date(d, language) if language == "nb" else str(d)

    rows = []
    for idx, r in dates.iterrows():
        oid = str(idx)
        p = parts.get(oid, plan.defaults.part)
        std = ssa[ssa["option"] == oid]["standard"].tolist() if len(ssa) else []
        rows.append({
            "option": oid,
            "label": labels.get(oid, oid) + (" †" if oid in conditions else ""),
            "procedure": procedure_label(str(r["procedure"]), language),
            "part": "—" if p == "outside" else p,
            "rounds": plan.options[oid].rounds,
            "contract": day(r["contract_if"]),  # after the pass-if lead time
            "months": float(r["months"]) + float(r["lead_time_months"]),
            "condition": conditions.get(oid, ""),
            "lead_time_months": float(r["lead_time_months"]),
            "contract_p85": day(r["contract_p85"]),
            "standard_contracts": "+".join(std) or "–",
        })
    table = pd.DataFrame(rows).set_index("option")
    return table.sort_values(["months", "option"], kind="stable")


def procurement_route(case, decision, language: str = "nb", screened_out: dict[str, str] | None = None) -> RouteOverview:
    """The route of every option from ``<case>/timeline.yaml`` and the rules (``rules/`` beside the case, else the package's).

    When the case has no timeline for this decision the overview says so
    (``available`` is False) instead of failing: not every decision is a
    procurement.
    """
    from procurement.case import yamlsafe
    from procurement.law.contracts import suggest_for_options
    from procurement.law.rules import load_rules, part_label, procedure_access
    from procurement.law.timeline import load_timeline, schedule

    path = Path(case.path) / "timeline.yaml"
    raw = yamlsafe.load(path) if path.exists() else None  # bounded; syntax errors name the file, line and column
    held = raw.get("decision") if isinstance(raw, dict) else None
    if held != decision.id:
        return RouteOverview(False, no_timeline(case, decision, held, language), language=language)
    rules = load_rules(Path(case.path).parent / "rules" if (Path(case.path).parent / "rules").is_dir() else None)
    plan = load_timeline(path, decision=decision.id, option_ids=decision.option_ids, rules=rules)
    sched = schedule(plan, None, rules)
    dates, shown, conditions = _shifted(case, decision, sched, language)
    ssa = suggest_for_options({oid: o.characteristics for oid, o in plan.options.items()})
    labels = decision.option_labels(language)
    parts = {oid: (o.part or plan.defaults.part) for oid, o in plan.options.items()}
    part_default = plan.defaults.part
    access = procedure_access(part_default, (), rules, language=language)
    table = _route_table(dates, plan, parts, labels, ssa, conditions, language)
    if screened_out:
        table["excluded_by"] = [screened_out.get(o, "") for o in table.index]
        table = pd.concat([table[table["excluded_by"] == ""], table[table["excluded_by"] != ""]])
    lengthened = sched[sched["lengthened"]][["option", "label", "days", "minimum_days", "citation"]].copy()
    lengthened["option"] = lengthened["option"].map(lambda o: labels.get(o, o))
    acc = access[["procedure", "name", "allowed", "reason", "missing", "citation"]].copy()
    acc["missing"] = acc["missing"].str.replace(" (give --grounds)", "", regex=False)
    acc["allowed"] = [label("yes" if a else "no", language) for a in acc["allowed"]]
    return RouteOverview(
        True,
        part_label(part_default, language),
        table,
        shown,
        lengthened.reset_index(drop=True),
        acc,
        ssa,
        part_default,
        language,
    )
