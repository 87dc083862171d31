"""Procurement timelines for contract-strategy options.

A timeline file (``<case>/timeline.yaml``) gives, per option of a decision, its
procedure, the number of dialogue or negotiation rounds, and the durations the
user sets for each phase (preparation, qualification, evaluation and so on).
:func:`schedule` lays the phases end to end from the start date. A phase with a
statutory minimum time limit (``procurement/reference/time-limits.yaml``) is never shorter
than that minimum: a shorter duration is lengthened and the row says so. When
the standstill period applies, it comes last, before contract signature.

Durations are whole days: a number (days) or text such as ``30d``, ``12w``
(weeks). Months to contract are calendar days divided by 365.25 / 12.

Phases per procedure (``round`` repeats ``rounds`` times; ``*`` = statutory minimum):

=========================  ====================================================================
open                       preparation, tenders*, evaluation, standstill
restricted                 preparation, requests*, qualification, tenders*, evaluation, standstill
negotiated-with-notice     preparation, requests*, qualification, tenders*, round, final-tenders,
                           evaluation, standstill
competitive-dialogue       preparation, requests*, qualification, round, final-tenders, evaluation,
                           standstill
innovation-partnership     preparation, requests*, qualification, tenders, round, evaluation,
                           standstill
negotiated-without-notice  preparation, tenders, round, evaluation, standstill
no-competition             preparation, negotiation
in-house                   preparation, establishment, agreement
framework-call-off         preparation, framework-competition, evaluation, standstill (of the framework
                           award), call-off
none                       (no phases: the 0-alternative signs no joint contract; 0 months)
=========================  ====================================================================
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from procurement.case import yamlsafe
from procurement.case.errors import InputError, Problem, ProblemList, did_you_mean, display_path
from procurement.law.loader import load_rules
from procurement.law.models import Rules
from procurement.law.time_limits import min_time_limit, standstill

DAYS_PER_MONTH = 365.25 / 12

#: The phase a pass-if option waits before its procurement starts: until its condition holds (a law change,
#: an ownership change, a notice). Not a phase a timeline file sets; :func:`with_lead_times` adds it.
CONDITION_PHASE = "condition"

PHASE_LABELS = {
    CONDITION_PHASE: "Waiting for the condition (pass-if)",
    "preparation": "Preparation",
    "requests": "Requests to participate",
    "qualification": "Qualification",
    "tenders": "Tender period",
    "round": "Dialogue / negotiation round",
    "final-tenders": "Final tenders",
    "evaluation": "Evaluation",
    "negotiation": "Negotiation",
    "establishment": "Establishment",
    "agreement": "In-house agreement",
    "own-procurement": "The company's own competition",
    "framework-competition": "Framework competition",
    "call-off": "Call-off (mini-competition)",
    "standstill": "Standstill",
}

# (phase, statutory time-limit step or None); "round" repeats `rounds` times.
PHASES: dict[str, list[tuple[str, str | None]]] = {
    "open": [("preparation", None), ("tenders", "tenders"), ("evaluation", None), ("standstill", None)],
    "restricted": [("preparation", None), ("requests", "requests"), ("qualification", None), ("tenders", "tenders"),
                   ("evaluation", None), ("standstill", None)],
    "negotiated-with-notice": [("preparation", None), ("requests", "requests"), ("qualification", None),
                               ("tenders", "tenders"), ("round", None), ("final-tenders", None), ("evaluation", None),
                               ("standstill", None)],
    "competitive-dialogue": [("preparation", None), ("requests", "requests"), ("qualification", None), ("round", None),
                             ("final-tenders", None), ("evaluation", None), ("standstill", None)],
    "innovation-partnership": [("preparation", None), ("requests", "requests"), ("qualification", None),
                               ("tenders", None), ("round", None), ("evaluation", None), ("standstill", None)],
    "negotiated-without-notice": [("preparation", None), ("tenders", None), ("round", None), ("evaluation", None),
                                  ("standstill", None)],
    "no-competition": [("preparation", None), ("negotiation", None)],
    "in-house": [("preparation", None), ("establishment", None), ("agreement", None), ("own-procurement", None)],
    "framework-call-off": [("preparation", None), ("framework-competition", None), ("evaluation", None),
                           ("standstill", None), ("call-off", None)],
    "none": [],
}
# phases an option may leave out (no duration: not in its timeline). An in-house company is itself a contracting
# authority: it buys the system in its own competition after the in-house agreement (issue 24 item 9).
_OPTIONAL_PHASES = {"own-procurement"}
_OWN_PROCUREMENT = ("anskaffelsesloven § 2; FOA del III (the company is itself a contracting authority)", False,
                    "the in-house company's own competition for the system, after the in-house agreement")

# procedures whose standstill is on unless the option turns it off
_STANDSTILL_DEFAULT = {"open", "restricted", "negotiated-with-notice", "competitive-dialogue",
                       "innovation-partnership", "negotiated-without-notice", "framework-call-off"}
_ROUND_PROCEDURES = {p for p, phases in PHASES.items() if any(ph == "round" for ph, _ in phases)}

_DURATION = re.compile(r"^\s*(\d+)\s*([dw]?)\s*$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OptionPlan(_Model):
    """One option's timeline settings as written in ``timeline.yaml``."""

    procedure: str
    rounds: int = Field(default=0, ge=0)
    durations: dict[str, int | str] = {}
    start: dt.date | None = None
    part: str | None = None
    grounds: list[str] | None = None     # the access grounds recorded for this option (default: defaults.grounds)
    electronic: bool | None = None
    pin: bool | None = None
    urgency: bool | None = None
    standstill: bool | None = None
    characteristics: list[str] = []
    note: str = ""


class Defaults(_Model):
    durations: dict[str, int | str] = {}
    part: str = "III"
    grounds: list[str] = []              # the access grounds recorded for the case (e.g. complexity: FOA § 13-2)
    electronic: bool = True
    pin: bool = False
    urgency: bool = False


class TimelineFile(_Model):
    decision: str
    start: dt.date
    illustrative: bool = True
    defaults: Defaults = Defaults()
    options: dict[str, OptionPlan] = Field(min_length=1)


@dataclass
class TimelinePlan:
    """A validated timeline file: start date, defaults and options in file order."""

    path: Path
    decision: str
    start: dt.date
    defaults: Defaults
    options: dict[str, OptionPlan]
    illustrative: bool = True
    durations: dict[str, dict[str, int]] = field(default_factory=dict)  # option -> phase -> days (merged)

    @property
    def option_ids(self) -> list[str]:
        return list(self.options)


def parse_duration(value: int | str) -> int | None:
    """Days from a duration: an int (days), ``'30d'``, ``'30'`` or ``'12w'``; None if not valid."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    m = _DURATION.match(str(value))
    if not m:
        return None
    n = int(m.group(1))
    return n * 7 if m.group(2) == "w" else n


def _phase_keys(procedure: str) -> list[str]:
    return [ph for ph, _ in PHASES[procedure]]


def _read_timeline_file(path: Path) -> TimelineFile:
    """The validated contents of a timeline file, or InputError naming the file and key."""
    name = display_path(path)
    if not path.exists():
        raise InputError(Problem(name, "", "file not found", "write a timeline.yaml in the case folder (see docs/rules.md)"))
    data = yamlsafe.load(path)  # bounded; syntax errors name the file, line and column
    try:
        return TimelineFile.model_validate(data)
    except ValidationError as e:
        problems = ProblemList()
        for err in e.errors():
            problems.add(path, ".".join(str(x) for x in err["loc"]) or "top level", err["msg"])
        raise InputError(problems.problems) from None


def _check_ids(tf: TimelineFile, path: Path, decision: str | None, option_ids: list[str] | None, problems: ProblemList) -> None:
    """The file is for `decision` and has a timeline for exactly the options in `option_ids`."""
    if decision is not None and tf.decision != decision:
        problems.add(path, "decision", f"is '{tf.decision}', not '{decision}'", "give the decision this file is for")
    if option_ids is None:
        return
    for oid in tf.options:
        if oid not in option_ids:
            problems.add(path, f"options.{oid}", f"unknown option '{oid}'", did_you_mean(oid, option_ids))
    for oid in option_ids:
        if oid not in tf.options:
            problems.add(path, "options", f"option '{oid}' has no timeline", "add it with its procedure and durations")


def _check_procedure(opt: OptionPlan, where: str, path: Path, rules: Rules, problems: ProblemList) -> bool:
    """True when the option's procedure is known and has a phase template."""
    if opt.procedure not in rules.procedure_ids:
        problems.add(path, f"{where}.procedure", f"unknown procedure '{opt.procedure}'",
                     did_you_mean(opt.procedure, rules.procedure_ids))
        return False
    if opt.procedure not in PHASES:
        problems.add(path, f"{where}.procedure", f"procedure '{opt.procedure}' has no phase template in procurement.law.timeline",
                     f"use one of: {', '.join(PHASES)}")
        return False
    return True


def _check_part_and_rounds(opt: OptionPlan, default_part: str, where: str, path: Path, problems: ProblemList) -> None:
    part = opt.part or default_part
    if part not in ("outside", "I", "II", "III"):
        problems.add(path, f"{where}.part", f"unknown part '{part}'", "valid: outside, I, II, III")
    if opt.procedure in _ROUND_PROCEDURES and opt.rounds < 1:
        problems.add(path, f"{where}.rounds", f"procedure '{opt.procedure}' needs at least 1 round", "give rounds: 1 or more")
    if opt.procedure not in _ROUND_PROCEDURES and opt.rounds:
        problems.add(path, f"{where}.rounds", f"procedure '{opt.procedure}' has no dialogue or negotiation rounds",
                     "remove rounds or set it to 0")


def _option_durations(opt: OptionPlan, defaults: dict[str, int], where: str, path: Path, problems: ProblemList) -> dict[str, int]:
    """The option's durations merged over the defaults; a problem when a non-statutory phase has none."""
    own = _check_durations(opt.durations, path, f"{where}.durations", opt.procedure, problems)
    keys = _phase_keys(opt.procedure)
    d = {k: v for k, v in defaults.items() if k in keys}
    d.update(own)
    statutory = {ph for ph, step in PHASES[opt.procedure] if step is not None} | {"standstill"}
    missing = [k for k in keys if k not in d and k not in statutory and k not in _OPTIONAL_PHASES]
    if missing:
        problems.add(path, f"{where}.durations", f"missing duration for {', '.join(missing)}",
                     "give days (e.g. 30) or weeks (e.g. 6w) here or in defaults.durations")
    return d


def load_timeline(
    path: str | Path,
    decision: str | None = None,
    option_ids: list[str] | None = None,
    rules: Rules | None = None,
) -> TimelinePlan:
    """Read and check a timeline file.

    Parameters
    ----------
    path
        ``timeline.yaml``, or a case folder that holds one.
    decision
        When given, the file's ``decision`` must match.
    option_ids
        When given, every option in the file must be one of these, and every
        one of these must have a timeline.
    rules
        Loaded rules; default :func:`procurement.law.loader.load_rules`.

    Returns
    -------
    TimelinePlan

    Raises
    ------
    InputError
        Every problem, each naming the file and the option and key: unknown
        procedure or phase, a bad duration, a missing duration, rounds for a
        procedure without rounds, an unknown option.
    """
    rules = rules if rules is not None else load_rules()
    path = Path(path)
    if path.is_dir():
        path = path / "timeline.yaml"
    tf = _read_timeline_file(path)
    problems = ProblemList()
    _check_ids(tf, path, decision, option_ids, problems)
    default_durations = _check_durations(tf.defaults.durations, path, "defaults.durations", None, problems)
    _check_grounds(tf.defaults.grounds, "defaults.grounds", path, rules, problems)
    merged: dict[str, dict[str, int]] = {}
    for oid, opt in tf.options.items():
        where = f"options.{oid}"
        if not _check_procedure(opt, where, path, rules, problems):
            continue
        _check_part_and_rounds(opt, tf.defaults.part, where, path, problems)
        _check_grounds(opt.grounds or [], f"{where}.grounds", path, rules, problems)
        merged[oid] = _option_durations(opt, default_durations, where, path, problems)
    problems.raise_if_any()
    return TimelinePlan(path=path, decision=tf.decision, start=tf.start, defaults=tf.defaults, options=dict(tf.options),
                        illustrative=tf.illustrative, durations=merged)


def _check_grounds(grounds: list[str], where: str, path: Path, rules: Rules, problems: ProblemList) -> None:
    for g in grounds:
        if g not in rules.ground_ids:
            problems.add(path, where, f"unknown ground '{g}'", did_you_mean(g, rules.ground_ids))


def option_grounds(plan: TimelinePlan, option: str) -> list[str]:
    """The access grounds recorded for an option: its own ``grounds``, else the file's ``defaults.grounds``."""
    own = plan.options[option].grounds
    return list(own) if own is not None else list(plan.defaults.grounds)


def _check_durations(raw: dict, path: Path, where: str, procedure: str | None, problems: ProblemList) -> dict[str, int]:
    out: dict[str, int] = {}
    valid = _phase_keys(procedure) if procedure else [p for p in PHASE_LABELS if p != CONDITION_PHASE]
    for key, value in raw.items():
        if key not in valid:
            what = f"procedure '{procedure}' has no phase '{key}'" if procedure else f"unknown phase '{key}'"
            problems.add(path, f"{where}.{key}", what, did_you_mean(key, valid))
            continue
        days = parse_duration(value)
        if days is None:
            problems.add(path, f"{where}.{key}", f"'{value}' is not a duration", "give whole days (30 or 30d) or weeks (6w)")
            continue
        out[key] = days
    return out


@dataclass(frozen=True)
class _Variant:
    """The settings of one option that pick its statutory limits."""

    procedure: str
    part: str
    electronic: bool
    pin: bool
    urgency: bool
    standstill: bool

    @classmethod
    def of(cls, plan: OptionPlan, defaults: Defaults) -> _Variant:
        return cls(
            procedure=plan.procedure,
            part=plan.part or defaults.part,
            electronic=defaults.electronic if plan.electronic is None else plan.electronic,
            pin=defaults.pin if plan.pin is None else plan.pin,
            urgency=defaults.urgency if plan.urgency is None else plan.urgency,
            standstill=plan.standstill if plan.standstill is not None else plan.procedure in _STANDSTILL_DEFAULT,
        )


def _phase_minimum(phase: str, step: str | None, v: _Variant, rules: Rules) -> tuple[int, str, bool, str] | None:
    """(minimum days, citation, verified, note) of a phase, or None for a standstill that does not apply."""
    minimum, citation, verified, note = 0, "", True, ""
    if step is not None:
        lim = min_time_limit(v.procedure, step, electronic=v.electronic, pin=v.pin, urgency=v.urgency, part=v.part, rules=rules)
        if lim is not None:
            minimum, citation, verified = lim.days, lim.citation, lim.verified
            note = f"statutory minimum {lim.days} days ({lim.variant})"
        else:
            note = "no statutory minimum in this part (reasonable time limit)"
    if phase == "standstill":
        rule = standstill(v.part, rules)
        if rule is None or not v.standstill:
            return None
        minimum, citation, verified = rule.days, rule.citation, rule.verified
        note = f"standstill at least {rule.days} days before contract signature"
    return minimum, citation, verified, note


SCHEDULE_COLUMNS = ["option", "procedure", "order", "phase", "label", "start", "end", "days", "minimum_days", "lengthened",
                    "citation", "verified", "note"]


def schedule_option(
    option: str,
    plan: OptionPlan,
    durations: dict[str, int],
    start: dt.date,
    defaults: Defaults | None = None,
    rules: Rules | None = None,
) -> pd.DataFrame:
    """The phases of one option laid end to end from `start`.

    Parameters
    ----------
    option
        Option id.
    plan
        The option's settings (procedure, rounds, variants).
    durations
        Days per phase (merged with defaults); statutory phases may be omitted
        and then take the minimum.
    start
        Start date of the first phase.
    defaults
        Defaults for part and variants; default Part III, electronic, no PIN, no urgency.
    rules
        Loaded rules; default :func:`procurement.law.loader.load_rules`.

    Returns
    -------
    pandas.DataFrame
        One row per phase: ``option``, ``procedure``, ``order``, ``phase``,
        ``label``, ``start``, ``end`` (the day the phase ends; the next phase
        starts that day), ``days``, ``minimum_days``, ``lengthened``,
        ``citation``, ``verified``, ``note``.
    """
    rules = rules if rules is not None else load_rules()
    rules.procedure(plan.procedure, where=f"option '{option}'")
    if plan.procedure not in PHASES:
        raise InputError(Problem(f"option '{option}'", "procedure", f"procedure '{plan.procedure}' has no phase template",
                                 f"use one of: {', '.join(PHASES)}"))
    variant = _Variant.of(plan, defaults or Defaults())
    rows: list[dict[str, Any]] = []
    day = start
    for phase, step in PHASES[plan.procedure]:
        limit = _phase_minimum(phase, step, variant, rules)
        if limit is None:
            continue
        minimum, citation, verified, note = limit
        given = durations.get(phase)
        if phase in _OPTIONAL_PHASES:
            if given is None:
                continue
            citation, verified, note = _OWN_PROCUREMENT
        lengthened = given is not None and given < minimum
        days = minimum if given is None or lengthened else given
        if lengthened:
            note = f"set to {given} days; lengthened to the statutory minimum {minimum} days"
        for r in range(plan.rounds if phase == "round" else 1):
            end = day + dt.timedelta(days=days)
            label = PHASE_LABELS[phase] + (f" {r + 1}" if phase == "round" else "")
            rows.append({"option": option, "procedure": plan.procedure, "order": len(rows), "phase": phase, "label": label,
                         "start": day, "end": end, "days": days, "minimum_days": minimum, "lengthened": lengthened,
                         "citation": citation, "verified": verified, "note": note})
            day = end
    frame = pd.DataFrame(rows, columns=SCHEDULE_COLUMNS)
    frame.attrs["start"] = start
    return frame


def schedule(plan: TimelinePlan, start: dt.date | str | None = None, rules: Rules | None = None) -> pd.DataFrame:
    """Schedule every option of a timeline plan.

    Parameters
    ----------
    plan
        From :func:`load_timeline`.
    start
        Overrides the file's start date (and every option's own start).
    rules
        Loaded rules; default :func:`procurement.law.loader.load_rules`.

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`schedule_option` for all options, in file order.
        ``attrs['starts']`` maps option id to its start date and
        ``attrs['no_phases']`` lists options without phases (the
        0-alternative), so that they are kept.
    """
    rules = rules if rules is not None else load_rules()
    if isinstance(start, str):
        try:
            start = dt.date.fromisoformat(start)
        except ValueError:
            raise InputError(Problem("start", "", f"'{start}' is not a date", "write it as YYYY-MM-DD")) from None
    frames, starts = [], {}
    for oid, opt in plan.options.items():
        s = start or opt.start or plan.start
        starts[oid] = s
        frames.append(schedule_option(oid, opt, plan.durations.get(oid, {}), s, plan.defaults, rules))
    out = pd.concat([f for f in frames if not f.empty] or frames[:1], ignore_index=True)
    out.attrs["starts"] = starts
    out.attrs["no_phases"] = [oid for oid, f in zip(plan.options, frames, strict=True) if f.empty]
    return out


def contract_dates(sched: pd.DataFrame) -> pd.DataFrame:
    """Per option: start, contract signature date, days and months to contract.

    Options without phases (the 0-alternative ``none``) get 0 days: they sign
    no joint contract.
    """
    present = sched.groupby("option", sort=False)["start"].min().to_dict()
    known = sched.attrs.get("starts", {})
    no_phases = set(sched.attrs.get("no_phases", []))
    order = [o for o in known if o in present or o in no_phases] + [o for o in present if o not in known]
    starts = {o: known.get(o, present.get(o)) for o in order}
    rows = []
    for oid, s in starts.items():
        part = sched[sched["option"] == oid]
        end = part["end"].max() if not part.empty else s
        days = (end - s).days
        rows.append({"option": oid, "procedure": part["procedure"].iloc[0] if not part.empty else "none",
                     "start": s, "contract": end, "days": days, "months": days / DAYS_PER_MONTH})
    return pd.DataFrame(rows, columns=["option", "procedure", "start", "contract", "days", "months"]).set_index("option")


def _add_months(day: dt.date, months: float) -> dt.date:
    return day + dt.timedelta(days=round(months * DAYS_PER_MONTH))


def with_lead_times(sched: pd.DataFrame, lead_times: dict[str, float] | None = None,
                    sources: dict[str, tuple[str, bool]] | None = None) -> pd.DataFrame:
    """The schedule with each pass-if option's lead time as its first phase and its other phases moved after it.

    `lead_times` maps option -> months until its condition holds (:func:`procurement.mcda.screening.lead_times`);
    the added phase is :data:`CONDITION_PHASE`; `sources` gives its citation and verified flag per option. The
    contract dates of the result (:func:`contract_dates`) are :func:`shifted_dates`'s ``contract_if``
    (the same whole days). Options without a lead time, or without phases, are unchanged.
    """
    lead_times = {o: x for o, x in (lead_times or {}).items() if x > 0}
    if not lead_times or sched.empty:
        return sched
    starts = sched.attrs.get("starts", {})
    parts = []
    for oid, part in sched.groupby("option", sort=False):
        months = lead_times.get(str(oid))
        if months is None:
            parts.append(part)
            continue
        wait = dt.timedelta(days=round(months * DAYS_PER_MONTH))
        begin = starts.get(oid, part["start"].min())
        cite, verified = (sources or {}).get(str(oid), ("", False))
        head = {"option": oid, "procedure": part["procedure"].iloc[0], "order": 0, "phase": CONDITION_PHASE,
                "label": PHASE_LABELS[CONDITION_PHASE], "start": begin, "end": begin + wait, "days": wait.days,
                "minimum_days": 0, "lengthened": False, "citation": cite, "verified": verified,
                "note": f"pass-if: {months:g} months until the condition holds"}
        moved = part.assign(start=[d + wait for d in part["start"]], end=[d + wait for d in part["end"]],
                            order=part["order"] + 1)
        parts.append(pd.concat([pd.DataFrame([head], columns=SCHEDULE_COLUMNS), moved], ignore_index=True))
    out = pd.concat(parts, ignore_index=True)
    out.attrs.update(sched.attrs)
    return out


def shifted_dates(
    dates: pd.DataFrame,
    lead_times: dict[str, float] | None = None,
    delays: dict[str, dict[str, float]] | None = None,
) -> pd.DataFrame:
    """Contract dates moved by pass-if lead times and by the delay of enforcement (complaints, injunctions...).

    Parameters
    ----------
    dates
        From :func:`contract_dates`.
    lead_times
        Option -> months until its pass-if condition holds (a law change, an ownership
        change, a notice); the procurement is taken to start only then.
    delays
        Option -> ``{"expected", "p50", "p85"}`` delay in months
        (:func:`procurement.law.enforcement.delays`).

    Returns
    -------
    pandas.DataFrame
        ``dates`` with ``lead_time_months``, ``contract_if`` (contract date after the
        lead time), ``expected_delay_months``, ``contract_p50`` and ``contract_p85``
        (after the lead time and the P50 / P85 enforcement delay) and ``months_p85``.
    """
    lead_times = lead_times or {}
    delays = delays or {}
    out = dates.copy()
    out["lead_time_months"] = [float(lead_times.get(str(o), 0.0)) for o in out.index]
    out["contract_if"] = [_add_months(c, lt) for c, lt in zip(out["contract"], out["lead_time_months"], strict=True)]
    for q in ("expected", "p50", "p85"):
        out[f"{q}_delay_months"] = [float(delays.get(str(o), {}).get(q, 0.0)) for o in out.index]
    out["contract_p50"] = [_add_months(c, d) for c, d in zip(out["contract_if"], out["p50_delay_months"], strict=True)]
    out["contract_p85"] = [_add_months(c, d) for c, d in zip(out["contract_if"], out["p85_delay_months"], strict=True)]
    out["months_p85"] = out["months"] + out["lead_time_months"] + out["p85_delay_months"]
    return out


GANTT_COLUMNS = ["option", "phase", "start", "end", "days", "contract", "months"]


def gantt_table(sched: pd.DataFrame) -> pd.DataFrame:
    """What a Gantt chart of a schedule draws, in one table (:func:`procurement.plots.timeline.gantt_figure`).

    One row per phase (``option``, ``phase``, ``start``, ``end``, ``days``) and one row with no phase for each
    option without phases (the 0-alternative), options in the schedule's order; every row carries its option's
    ``contract`` date and ``months`` to contract (:func:`contract_dates`). ``phase`` is categorical, its
    categories in the order phases are named (:data:`PHASE_LABELS`), which is the order of the chart's legend.
    """
    dates = contract_dates(sched)
    bars = sched[["option", "phase", "start", "end", "days"]]
    missing = [o for o in dates.index if o not in set(bars["option"])]
    empty = pd.DataFrame({"option": missing, "phase": [None] * len(missing),
                          "start": [dates.loc[o, "start"] for o in missing], "end": [dates.loc[o, "contract"] for o in missing],
                          "days": [0] * len(missing)})
    out = pd.concat([bars, empty] if missing else [bars], ignore_index=True)
    order = {o: i for i, o in enumerate(dates.index)}
    out = out.iloc[out["option"].map(order).argsort(kind="stable")].reset_index(drop=True)
    out["phase"] = pd.Categorical(out["phase"], categories=list(PHASE_LABELS))
    out["contract"] = out["option"].map(dates["contract"])
    out["months"] = out["option"].map(dates["months"]).astype(float)
    return out[GANTT_COLUMNS]


def months_to_contract(sched: pd.DataFrame) -> pd.Series:
    """Months from start to contract signature per option: an MCDA criterion (lower is better).

    Returns
    -------
    pandas.Series
        Indexed by option id, named ``months_to_contract``.
    """
    s = contract_dates(sched)["months"].astype(float)
    s.name = "months_to_contract"
    return s


def months_to_contract_for_case(
    case_dir: str | Path,
    decision: str = "contract-strategy",
    start: dt.date | str | None = None,
    rules: Rules | None = None,
) -> pd.Series:
    """Months to contract per option from ``<case_dir>/timeline.yaml`` (see :func:`months_to_contract`)."""
    plan = load_timeline(Path(case_dir) / "timeline.yaml", decision=decision, rules=rules)
    return months_to_contract(schedule(plan, start, rules))


__all__ = [
    "CONDITION_PHASE",
    "PHASES",
    "TimelinePlan",
    "contract_dates",
    "gantt_table",
    "load_timeline",
    "months_to_contract",
    "months_to_contract_for_case",
    "option_grounds",
    "parse_duration",
    "schedule",
    "schedule_option",
    "shifted_dates",
    "with_lead_times",
]
