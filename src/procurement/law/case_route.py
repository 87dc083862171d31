"""The procurement route of a case's options: timeline, FOA part, procedures and standard contracts.

:func:`case_timeline` reads ``<case>/timeline.yaml`` and the procurement rules and lays every option's phases
end to end (:mod:`procurement.law.timeline`); the contract dates then move by the pass-if lead times and the
enforcement delays (``enforcement.csv``). :func:`procurement_route` adds what a reader of the route needs: the
FOA part, the procedures it allows, the standard contracts, with the options a must-pass rule screened out
marked (they are listed for completeness, not as an open route).

Which options pass only if a condition holds comes from the engine (``conditional``: one row per option, screen
and condition, as :meth:`procurement.analysis.Analysis.conditional` gives it), so that this module reads no
screening itself. :meth:`procurement.analysis.Analysis.timeline` and :meth:`~procurement.analysis.Analysis.route`
call these functions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from procurement.case import yamlsafe
from procurement.case.errors import display_path
from procurement.law.contracts import suggest_for_options
from procurement.law.enforcement import delays, enforcement_table
from procurement.law.loader import load_rules, rules_or_default
from procurement.law.models import Rules
from procurement.law.procedures import procedure_access, procedure_label
from procurement.law.thresholds import part_label
from procurement.law.time_limits import standstill
from procurement.law.timeline import (
    DAYS_PER_MONTH,
    TimelinePlan,
    contract_dates,
    gantt_table,
    load_timeline,
    option_grounds,
    schedule,
    shifted_dates,
    with_lead_times,
)
from procurement.law.whomayuse import lead_times
from procurement.text.labels import label
from procurement.text.sentences import Assumption, describe, sentence

CONDITIONAL_COLUMNS = ["option", "screen", "condition", "kind", "label_nb", "label_en", "lead_time_months", "citation",
                       "verified"]


def _no_conditions() -> pd.DataFrame:
    return pd.DataFrame(columns=CONDITIONAL_COLUMNS)


def rules_for_case(case_dir: str | Path) -> Rules:
    """The rules of a case: a ``rules/`` folder beside the case folder when there is one, else the default rules."""
    beside = Path(case_dir).parent / "rules"
    return load_rules(beside if beside.is_dir() else None)


def timeline_decision(case_dir: str | Path) -> str | None:
    """The decision ``<case>/timeline.yaml`` holds, or None when the case has no timeline file."""
    path = Path(case_dir) / "timeline.yaml"
    raw = yamlsafe.load(path) if path.exists() else None  # bounded; syntax errors name the file, line and column
    return raw.get("decision") if isinstance(raw, dict) else None


@dataclass
class ProcurementTimeline:
    """Every option's phases and earliest contract dates for one decision of a case.

    ``schedule`` has one row per phase (:data:`procurement.law.timeline.SCHEDULE_COLUMNS`), laid out from the
    start date; ``shown`` is the same with each pass-if option's wait for its condition as its first phase (what
    the Gantt chart draws). ``dates`` has one row per option (index: option id, in file order): ``procedure``,
    ``start``, ``contract``, ``days``, ``months`` and, after the lead times and the enforcement delays,
    ``lead_time_months``, ``contract_if``, ``expected_delay_months``, ``contract_p50``, ``contract_p85``...
    (:func:`procurement.law.timeline.shifted_dates`). ``contracts`` holds the suggested standard contracts
    (SSA) per option and ``conditions`` each pass-if option's conditions in the timeline's language.
    """

    plan: TimelinePlan
    schedule: pd.DataFrame
    shown: pd.DataFrame
    dates: pd.DataFrame
    contracts: pd.DataFrame
    conditions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    language: str = "en"
    assumptions: list[Assumption] = field(default_factory=list)

    @property
    def decision(self) -> str:
        return self.plan.decision

    @property
    def lengthened(self) -> pd.DataFrame:
        """The phases set shorter than their statutory minimum (and lengthened to it)."""
        return self.schedule[self.schedule["lengthened"]]

    def ssa(self, option: str) -> list[str]:
        """The standard contracts suggested for an option, e.g. ``["SSA-T", "SSA-D"]``."""
        c = self.contracts
        return c[c["option"] == option]["standard"].tolist() if len(c) else []

    def to_frame(self) -> pd.DataFrame:
        """Per option (index): the dates of :attr:`dates` and ``ssa`` (the suggested standards joined by ``+``)."""
        out = self.dates.copy()
        out["ssa"] = ["+".join(self.ssa(str(o))) for o in out.index]
        return out

    def gantt_table(self) -> pd.DataFrame:
        """What the Gantt chart draws (:func:`procurement.law.timeline.gantt_table` of :attr:`shown`)."""
        return gantt_table(self.shown)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the decision, each option's dates, SSA and conditions, every phase, the assumptions.

        What ``procurement timeline --format json`` prints; dates as ISO text, numbers in full precision.
        """
        options = [
            {"option": str(oid), "procedure": r["procedure"], "start": str(r["start"]), "contract": str(r["contract"]),
             "days": int(r["days"]), "months_to_contract": float(r["months"]), "ssa": self.ssa(str(oid)),
             "lead_time_months": float(r["lead_time_months"]), "conditions": self.conditions.get(str(oid), []),
             "contract_if": str(r["contract_if"]), "expected_delay_months": float(r["expected_delay_months"]),
             "contract_p50": str(r["contract_p50"]), "contract_p85": str(r["contract_p85"])}
            for oid, r in self.dates.iterrows()
        ]
        phases = self.schedule.assign(start=self.schedule["start"].map(str), end=self.schedule["end"].map(str))
        return {
            "decision": self.plan.decision,
            "illustrative": self.plan.illustrative,
            "options": options,
            "phases": [{k: _native(v) for k, v in r.items()} for r in phases.to_dict("records")],
            "assumptions": [a.to_dict() for a in self.assumptions],
        }

    def describe(self, language: str | None = None) -> list[str]:
        """One sentence per assumption, in `language` (default: the timeline's)."""
        return describe(self.assumptions, language or self.language)


def _native(v: Any) -> Any:
    """A table cell as JSON-ready data (numpy scalars as Python numbers and booleans)."""
    return v.item() if hasattr(v, "item") else v


def _by_index(table: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """A table indexed by option id as JSON-ready data: option -> column -> value (NaN as None)."""
    plain = table.astype(object).where(table.notna(), None)
    return {str(o): {str(k): _native(v) for k, v in r.items()} for o, r in plain.to_dict("index").items()}


def _conditions(conditional: pd.DataFrame, language: str) -> dict[str, list[dict[str, Any]]]:
    col = {"nb": "label_nb"}.get(language, "label_en")
    return {str(o): [{"label": r[col], "kind": r["kind"], "lead_time_months": float(r["lead_time_months"]),
                      "citation": r["citation"]} for r in g.to_dict("records")]
            for o, g in conditional.groupby("option", sort=False)}


def _timeline_assumptions(plan: TimelinePlan, sched: pd.DataFrame, rules: Rules, waits: dict[str, float],
                          delayed: bool) -> list[Assumption]:
    starts = sched.attrs.get("starts", {})
    start = min(starts.values()) if starts else plan.start
    part = plan.defaults.part
    out = [
        Assumption("law.assume.timeline_file", {"file": plan.path.name, "decision": plan.decision}),
        Assumption("law.assume.start", {"start": start.isoformat()}),
        Assumption("law.assume.part", {"part": part, "label_nb": part_label(part, "nb", rules),
                                       "label_en": part_label(part, "en", rules)}),
    ]
    rule = standstill(part, rules)
    if rule is not None:
        out.append(Assumption("law.assume.standstill", {"days": rule.days, "citation": rule.citation,
                                                         "verified": rule.verified}))
    if waits:
        out.append(Assumption("law.assume.lead_times", {"options": len(waits)}))
    if delayed:
        out.append(Assumption("law.assume.enforcement_delay", {"file": "enforcement.csv"}))
    out.append(Assumption("law.assume.months", {"days_per_year": DAYS_PER_MONTH * 12}))
    if plan.illustrative:
        out.append(Assumption("law.assume.illustrative"))
    return out


def case_timeline(
    case: Any,
    decision: Any,
    conditional: pd.DataFrame | None = None,
    start: dt.date | str | None = None,
    rules: Rules | str | Path | None = None,
    language: str = "en",
) -> ProcurementTimeline:
    """The timeline of a decision of a case, from ``<case>/timeline.yaml``.

    Parameters
    ----------
    case, decision
        A loaded case and one of its decisions.
    conditional
        The decision's pass-if conditions (one row per option, screen and condition; see
        :meth:`procurement.analysis.Analysis.conditional`); their lead times move the contract dates.
    start
        Overrides the file's start date (and every option's own start).
    rules
        Loaded rules or a rules folder; default :func:`rules_for_case`.
    language
        Language of the conditions' labels and of :meth:`ProcurementTimeline.describe`.
    """
    rules = rules_or_default(rules) if rules is not None else rules_for_case(case.path)
    conditional = conditional if conditional is not None else _no_conditions()
    plan = load_timeline(Path(case.path) / "timeline.yaml", decision=decision.id, option_ids=decision.option_ids,
                         rules=rules)
    sched = schedule(plan, start, rules)
    waits = lead_times(conditional)
    late = delays(case, decision.id)
    groups = conditional.groupby("option", sort=False)
    sources = {str(o): ("; ".join(dict.fromkeys(g["citation"])), bool(g["verified"].all())) for o, g in groups}
    return ProcurementTimeline(
        plan=plan,
        schedule=sched,
        shown=with_lead_times(sched, waits, sources),
        dates=shifted_dates(contract_dates(sched), waits, late),
        contracts=suggest_for_options({oid: o.characteristics for oid, o in plan.options.items()}),
        conditions=_conditions(conditional, language),
        language=language,
        assumptions=_timeline_assumptions(plan, sched, rules, waits, bool(late)),
    )


@dataclass
class RouteOverview:
    """Timeline, FOA part, procedures and standard contracts of a decision's options, for a reader.

    ``available`` is False when the case has no timeline for the decision; ``message`` then says why in one
    sentence (else it names the FOA part the options follow). ``table`` has one row per option (index: option
    id): its name (``†`` for a pass-if option), procedure name, part, rounds, contract date and months after the
    lead time, condition, lead time, P85 contract date and standard contracts, shortest first; options a
    must-pass rule screened out come last with ``excluded_by``. ``schedule`` is what the Gantt chart draws (with
    each pass-if option's wait as its first phase), ``lengthened`` the phases lengthened to the statutory
    minimum, ``access`` the procedures the part allows, ``contracts`` the suggested standard contracts.
    ``screening`` (every screen's answer per option) and ``enforcement`` (the expected cost and delay of
    complaints, injunctions, fines and ineffectiveness per option) are there with or without a timeline.
    """

    available: bool
    message: str = ""
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    schedule: pd.DataFrame = field(default_factory=pd.DataFrame)
    lengthened: pd.DataFrame = field(default_factory=pd.DataFrame)
    access: pd.DataFrame = field(default_factory=pd.DataFrame)
    contracts: pd.DataFrame = field(default_factory=pd.DataFrame)
    part: str = ""
    language: str = "nb"
    timeline: ProcurementTimeline | None = None
    assumptions: list[Assumption] = field(default_factory=list)
    screening: pd.DataFrame = field(default_factory=pd.DataFrame)
    enforcement: pd.DataFrame = field(default_factory=pd.DataFrame)

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: availability and message, the route table, the timeline's data, screening, enforcement and
        the assumptions."""
        out: dict[str, Any] = {"available": self.available, "message": self.message}
        if self.available and self.timeline is not None:
            out.update(part=self.part, options=_by_index(self.table), timeline=self.timeline.to_dict())
        out.update(screening=_by_index(self.screening), enforcement=_by_index(self.enforcement),
                   assumptions=[a.to_dict() for a in self.assumptions])
        return out

    def gantt_table(self) -> pd.DataFrame:
        """What the Gantt chart draws (:func:`procurement.law.timeline.gantt_table`); empty without a timeline."""
        return gantt_table(self.schedule) if self.available else pd.DataFrame()

    def describe(self, language: str | None = None) -> list[str]:
        """One sentence per assumption, in `language` (default: the overview's)."""
        return describe(self.assumptions, language or self.language)


def no_timeline(case: Any, decision: Any, held: str | None, conditional: pd.DataFrame, language: str = "nb") -> str:
    """One sentence: the decision has no timeline, so its pass-if lead times move no contract date."""
    path = display_path(Path(case.path) / "timeline.yaml")
    other = case.decisions[held].title.get(language) if held in case.decisions else held
    why = sentence("law.no_timeline.other", language, path=path, other=other) if other else \
        sentence("law.no_timeline.none", language, path=path)
    tail = "law.no_timeline.waits" if len(conditional) > 0 else "law.no_timeline.no_date"
    return sentence(tail, language, why=why)


def _procedure_check(timeline: ProcurementTimeline, option: str, part: str, rules: Rules,
                     language: str) -> tuple[bool, str]:
    """(allowed, what it needs) for an option's procedure in its part, given the grounds recorded in the case.

    A procedure the option needs but the part does not allow on the recorded grounds is flagged, so that a report
    cannot rank an option first whose procedure its own procedure table says no to (issue 24 item 9). Pseudo
    procedures (in-house, framework call-off, none) and options outside the rules are answered by the screening.
    """
    procedure = timeline.plan.options[option].procedure
    if part == "outside" or rules.procedure(procedure).pseudo:
        return True, ""
    access = procedure_access(part, option_grounds(timeline.plan, option), rules, language=language)
    row = access.set_index("procedure").loc[procedure]
    return bool(row["allowed"]), str(row["missing"]).replace(" (give --grounds)", "")


def _route_table(timeline: ProcurementTimeline, labels: dict[str, str], language: str,
                 rules: Rules | None = None) -> pd.DataFrame:
    """One row per option: name, procedure name, part ("—" outside the rules), rounds, dates, months, SSA, condition,
    and whether its procedure is allowed on the grounds recorded in the case (``procedure_allowed``, with what it
    needs in ``procedure_needs``)."""
    rules = rules_or_default(rules)
    plan = timeline.plan
    conditions = {o: "; ".join(c["label"] for c in cs) for o, cs in timeline.conditions.items()}

    def day(d: dt.date) -> str:
        return sentence("law.table.date", language, date=d.isoformat())

    rows = []
    for idx, r in timeline.dates.iterrows():
        oid = str(idx)
        p = plan.options[oid].part or plan.defaults.part
        allowed, needs = _procedure_check(timeline, oid, p, rules, language)
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
            "standard_contracts": "+".join(timeline.ssa(oid)) or "–",
            "procedure_allowed": label("yes" if allowed else "no", language),
            "procedure_needs": needs,
        })
    table = pd.DataFrame(rows).set_index("option")
    return table.sort_values(["months", "option"], kind="stable")


def procurement_route(
    case: Any,
    decision: Any,
    language: str = "nb",
    screened_out: dict[str, str] | None = None,
    conditional: pd.DataFrame | None = None,
    timeline: ProcurementTimeline | None = None,
    screening: pd.DataFrame | None = None,
) -> RouteOverview:
    """The route of every option from ``<case>/timeline.yaml`` and the rules (``rules/`` beside the case, else the package's).

    When the case has no timeline for this decision the overview says so
    (``available`` is False) instead of failing: not every decision is a
    procurement. `conditional` and `timeline` are the decision's pass-if conditions and its timeline
    (:func:`case_timeline`, computed here when not given); `screening` every screen's answer per option, shown
    beside the route.
    """
    conditional = conditional if conditional is not None else _no_conditions()
    screening = screening if screening is not None else pd.DataFrame()
    enforcement = enforcement_table(case, decision.id, language)
    held = timeline_decision(case.path)
    if held != decision.id:
        return RouteOverview(False, no_timeline(case, decision, held, conditional, language), language=language,
                             screening=screening, enforcement=enforcement)
    rules = rules_for_case(case.path)
    timeline = timeline or case_timeline(case, decision, conditional, None, rules, language)
    labels = decision.option_labels(language)
    part = timeline.plan.defaults.part
    table = _route_table(timeline, labels, language, rules)
    if screened_out:
        table["excluded_by"] = [screened_out.get(o, "") for o in table.index]
        table = pd.concat([table[table["excluded_by"] == ""], table[table["excluded_by"] != ""]])
    sched = timeline.schedule
    lengthened = sched[sched["lengthened"]][["option", "label", "days", "minimum_days", "citation"]].copy()
    lengthened["option"] = lengthened["option"].map(lambda o: labels.get(o, o))
    access = procedure_access(part, timeline.plan.defaults.grounds, rules, language=language)
    acc = access[["procedure", "name", "allowed", "reason", "missing", "citation"]].copy()
    acc["missing"] = acc["missing"].str.replace(" (give --grounds)", "", regex=False)
    acc["allowed"] = [label("yes" if a else "no", language) for a in acc["allowed"]]
    return RouteOverview(
        True,
        part_label(part, language, rules),
        table,
        timeline.shown,
        lengthened.reset_index(drop=True),
        acc,
        timeline.contracts,
        part,
        language,
        timeline,
        list(timeline.assumptions),
        screening,
        enforcement,
    )


__all__ = ["RouteOverview", "ProcurementTimeline", "case_timeline", "no_timeline", "procurement_route", "rules_for_case",
           "timeline_decision"]
