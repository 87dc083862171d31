"""Who may use the contract, and conditional screening: pass, fail or pass-if a named condition holds.

Two files hold the data:

``procurement/reference/who-may-use.yaml``
    the requirements each contract route must meet before authorities other than
    the one that tendered may buy under it (authorities named, estimated and
    maximum quantity, a basis for joining another authority's contract, the three
    in-house conditions of FOA § 3-1, public-public cooperation), each in bokmål and
    English with its citation and ``verified`` flag; and conditions routes need;
``<case>/screening.yaml``
    the case's facts and conditional screens::

        conditions:            # named conditions with a kind and a lead time
          duty-to-use-law: {kind: law-change, label: {nb: .., en: ..}, lead_time_months: 24,
                            citation: .., verified: false, source: ..}
        who_may_use:           # per decision, per option: the structured facts
          contract-strategy:
            helseplattformen-extend: {route: extension, authorities_named: false, estimated_quantity: true,
                                      maximum_quantity: false}
            inhouse-company: {route: in-house, joint_control: false, activity_share: 0.95,
                              no_private_capital: true, fixed_by: {in-house-control: all-users-owners}}
        screens:               # other must-pass rules answered per option
          governance-financing:
            - id: legal-basis-duty-to-use
              text: {nb: .., en: ..}
              citation: ..; verified: ..; source: ..
              options: {nhn-service: {status: pass-if, condition: duty-to-use-law}}

:func:`check` turns one option's facts into a :class:`Verdict`; :func:`verdicts`
gives every verdict of a decision (who-may-use and the other screens), which
:mod:`procurement.mcda.screening` uses to screen and mark options.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from procurement import reference
from procurement.case import yamlsafe
from procurement.case.errors import InputError, Problem, ProblemList, did_you_mean, display_path
from procurement.law.models import Cited, RuleModel, Text  # Text: the one bilingual text of the law data
from procurement.text.labels import label
from procurement.text.sentences import sentence

FILE = "screening.yaml"
Status = Literal["pass", "fail", "pass-if"]
ConditionKind = Literal["law-change", "ownership-change", "notice", "documentation", "contract-change"]


class Requirement(Cited):
    """A requirement of a route, with the kinds of condition the law lets meet it later (``fixes``).

    A condition of another kind named for it in a case's ``fixed_by`` does not meet it; ``not_a_fix`` says why
    (e.g. an intention notice is no legal basis to join another authority's contract, KOFA 2015/65).
    """

    fact: str
    minimum: float | None = None
    text: Text
    fixes: list[ConditionKind] = []
    not_a_fix: Text | None = None


class RouteRule(RuleModel):
    requirements: list[str]
    condition: str | None = None
    note: Text | None = None
    citation: str | None = None


class Condition(Cited):
    kind: ConditionKind
    label: Text
    lead_time_months: float = Field(ge=0)


class ReferenceFile(RuleModel):
    requirements: dict[str, Requirement]
    routes: dict[str, RouteRule]
    conditions: dict[str, Condition] = {}


class Facts(RuleModel):
    """What the tender documents or the ownership model of one option say."""

    route: str
    authorities_named: bool | None = None
    estimated_quantity: bool | None = None
    maximum_quantity: bool | None = None
    joint_control: bool | None = None
    activity_share: float | None = Field(default=None, ge=0, le=1)
    no_private_capital: bool | None = None
    public_cooperation: bool | None = None
    fixed_by: dict[str, str] = {}      # requirement id -> condition id that would meet it
    note: str | None = None


class OptionScreen(RuleModel):
    status: Status
    condition: str | None = None
    note: Text | None = None


class Screen(Cited):
    id: str
    text: Text
    options: dict[str, OptionScreen] = {}


class ScreeningFile(RuleModel):
    conditions: dict[str, Condition] = {}
    who_may_use: dict[str, dict[str, Facts]] = {}
    screens: dict[str, list[Screen]] = {}


def _language(language: str) -> str:
    """The key of a text in a ``{"nb": ..., "en": ...}`` mapping: ``nb``, or ``en`` for any other language."""
    return {"nb": "nb"}.get(language, "en")


def _in(text: dict[str, str], language: str) -> str:
    return text[_language(language)]


@dataclass(frozen=True)
class Finding:
    """One requirement checked: met or not, the rule in both languages and its citation."""

    requirement: str
    met: bool
    text: dict[str, str]
    citation: str
    verified: bool
    fact: str = ""


@dataclass(frozen=True)
class Verdict:
    """The answer of one screen for one option: pass, fail or pass-if, with the rules, conditions and citations."""

    option: str
    screen: str
    status: Status
    findings: tuple[Finding, ...] = ()
    conditions: tuple[tuple[str, Condition], ...] = ()
    text: dict[str, str] = field(default_factory=dict)
    citation: str = ""
    verified: bool = True
    refused: tuple[tuple[str, str, Text], ...] = ()   # (requirement, condition named for it, why it is no fix)

    @property
    def lead_time_months(self) -> float:
        """The longest lead time of the conditions (they run in parallel); 0 when there are none."""
        return max((c.lead_time_months for _, c in self.conditions), default=0.0)

    def rule(self, language: str = "en") -> str:
        """The rule in one language (``nb``; any other gets English): what fails, or what must hold, or why it passes."""
        failing = [_in(f.text, language) for f in self.findings if not f.met]
        if self.status == "pass-if":
            return sentence("law.screen.passes_if", language, conditions="; ".join(c.label.get(language)
                                                                                for _, c in self.conditions))
        if failing:
            refused = [sentence("law.screen.not_a_fix", language, condition=cid, why=why.get(language))
                       for _, cid, why in self.refused]
            return " ".join([sentence("law.screen.not_met", language, requirements="; ".join(failing)), *refused])
        return self.text.get(_language(language), "")

    def to_dict(self, language: str = "en") -> dict:
        return {
            "option": self.option,
            "screen": self.screen,
            "status": self.status,
            "rule": self.rule(language),
            "citation": self.citation,
            "verified": self.verified,
            "lead_time_months": self.lead_time_months,
            "conditions": [{"id": cid, "kind": c.kind, "label": c.label.get(language), "lead_time_months": c.lead_time_months,
                            "citation": c.citation, "verified": c.verified} for cid, c in self.conditions],
            "findings": [{"requirement": f.requirement, "met": f.met, "rule": _in(f.text, language),
                          "citation": f.citation, "verified": f.verified} for f in self.findings],
            "refused": [{"requirement": rid, "condition": cid, "why": why.get(language)} for rid, cid, why in self.refused],
        }


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------


def _read(path: Path, model: type[BaseModel]) -> BaseModel:
    name = display_path(path)
    data = yamlsafe.load(path) or {}  # bounded; syntax errors name the file, line and column
    try:
        return model.model_validate(data)
    except ValidationError as e:
        raise InputError([Problem(name, ".".join(str(x) for x in err["loc"]) or "top level", err["msg"])
                          for err in e.errors()]) from None


@functools.lru_cache(maxsize=8)
def _cached(path: str, stamp: int, kind: str) -> BaseModel:
    return _read(Path(path), ReferenceFile if kind == "reference" else ScreeningFile)


def load_reference(path: str | Path | None = None) -> ReferenceFile:
    """The who-may-use requirements, routes and conditions (the package's ``who-may-use.yaml`` by default)."""
    p = Path(path) if path is not None else reference.path("who-may-use.yaml")
    out = _cached(str(p.resolve()), p.stat().st_mtime_ns, "reference")
    assert isinstance(out, ReferenceFile)
    return out


def load_screening(case_dir: str | Path) -> ScreeningFile | None:
    """The case's ``screening.yaml``, or None when the case has none."""
    p = Path(case_dir) / FILE
    if not p.is_file():
        return None
    out = _cached(str(p.resolve()), p.stat().st_mtime_ns, "case")
    assert isinstance(out, ScreeningFile)
    return out


# ---------------------------------------------------------------------------
# The check
# ---------------------------------------------------------------------------


def _met(req: Requirement, facts: Facts) -> bool:
    value = getattr(facts, req.fact, None)
    if req.minimum is not None:
        return value is not None and float(value) > req.minimum
    return bool(value)


def check(option: str, facts: Facts, conditions: dict[str, Condition] | None = None,
          ref: ReferenceFile | None = None) -> Verdict:
    """Who may use the contract of one option: pass, fail, or pass-if a named condition holds.

    Every requirement of the option's route is checked against its facts (a fact
    not stated does not meet its requirement). All met: pass, or pass-if the
    route's own condition (an extension needs an ex ante transparency notice).
    Some not met: pass-if every one of them has a condition in ``facts.fixed_by``
    of a kind the law lets meet it (the requirement's ``fixes``: e.g. an ownership change for in-house control),
    else fail. A condition of another kind is refused and the verdict says why: an intention notice is never a
    fix for a missing legal basis to join a contract (KOFA 2015/65); it only limits the risk of ineffectiveness.
    """
    ref = ref or load_reference()
    known = {**ref.conditions, **(conditions or {})}
    rule = ref.routes[facts.route]
    findings = []
    for rid in rule.requirements:
        req = ref.requirements[rid]
        findings.append(Finding(rid, _met(req, facts), {"nb": req.text.nb, "en": req.text.en}, req.citation,
                                req.verified, req.fact))
    failing = [f for f in findings if not f.met]
    cited = failing or findings
    citation = "; ".join(dict.fromkeys(part for f in cited for part in f.citation.split("; "))) or rule.citation or ""
    verified = all(f.verified for f in cited)
    note = rule.note or Text(nb=label("law.screen.all_met", "nb"), en=label("law.screen.all_met", "en"))
    text = {"nb": note.nb, "en": note.en}
    found = tuple(findings)
    if failing:
        fixes, refused = _fixes(failing, facts, known, ref)
        if len(fixes) == len(failing):
            conds = tuple((c, known[c]) for c in dict.fromkeys(fixes))
            return Verdict(option, "who-may-use", "pass-if", found, conds, text, citation, verified)
        return Verdict(option, "who-may-use", "fail", found, (), text, citation, verified, refused)
    if rule.condition:
        cond = known[rule.condition]
        return Verdict(option, "who-may-use", "pass-if", found, ((rule.condition, cond),), text,
                       f"{citation}; {cond.citation}", verified and cond.verified)
    return Verdict(option, "who-may-use", "pass", found, (), text, citation, verified)


def _fixes(failing: list[Finding], facts: Facts, known: dict[str, Condition],
           ref: ReferenceFile) -> tuple[list[str], tuple[tuple[str, str, Text], ...]]:
    """The conditions named in ``fixed_by`` that the law lets meet the failing requirements, and those refused."""
    fixes: list[str] = []
    refused: list[tuple[str, str, Text]] = []
    for f in failing:
        cid = facts.fixed_by.get(f.requirement)
        if cid is None or cid not in known:
            continue
        req = ref.requirements[f.requirement]
        if known[cid].kind in req.fixes:
            fixes.append(cid)
        else:
            why = req.not_a_fix or Text(nb=f"en betingelse av typen «{known[cid].kind}» kan ikke oppfylle kravet",
                                        en=f"a condition of kind '{known[cid].kind}' cannot meet this requirement")
            refused.append((f.requirement, cid, why))
    return fixes, tuple(refused)


def _screen_verdicts(decision_id: str, option_ids: list[str], file: ScreeningFile, known: dict[str, Condition]) -> list[Verdict]:
    out = []
    for s in file.screens.get(decision_id, []):
        for oid in option_ids:
            o = s.options.get(oid, OptionScreen(status="pass"))
            conds = ((o.condition, known[o.condition]),) if o.condition and o.condition in known else ()
            text = {"nb": (o.note or s.text).nb, "en": (o.note or s.text).en}
            out.append(Verdict(option=oid, screen=s.id, status=o.status, conditions=conds, text=text,
                               citation=s.citation, verified=s.verified))
    return out


def verdicts(case_dir: str | Path, decision_id: str, option_ids: list[str]) -> list[Verdict]:
    """Every verdict of a decision's options: the who-may-use check and the case's other screens ([] without a file)."""
    file = load_screening(case_dir)
    if file is None:
        return []
    ref = load_reference()
    known = {**ref.conditions, **file.conditions}
    out = [check(oid, f, known, ref) for oid, f in file.who_may_use.get(decision_id, {}).items() if oid in option_ids]
    return out + _screen_verdicts(decision_id, option_ids, file, known)


def problems(case_dir: str | Path, option_ids: dict[str, list[str]]) -> list[Problem]:
    """Every mistake in the case's ``screening.yaml``: unknown decisions, options, routes, requirements and conditions;
    a fact a route needs that is not stated."""
    path = Path(case_dir) / FILE
    try:
        file = load_screening(case_dir)
    except InputError as e:
        return list(e.problems)
    if file is None:
        return []
    ref = load_reference()
    known = {**ref.conditions, **file.conditions}
    out = ProblemList()
    for did, per_option in file.who_may_use.items():
        _facts_problems(path, did, per_option, option_ids, ref, known, out)
    for did, screens in file.screens.items():
        if did not in option_ids:
            out.add(path, f"screens.{did}", f"unknown decision '{did}'", did_you_mean(did, option_ids))
            continue
        for s in screens:
            for oid, o in s.options.items():
                where = f"screens.{did}.{s.id}.options.{oid}"
                if oid not in option_ids[did]:
                    out.add(path, where, f"unknown option '{oid}'", did_you_mean(oid, option_ids[did]))
                if o.status == "pass-if" and (o.condition is None or o.condition not in known):
                    out.add(path, where, f"pass-if needs a known condition (got '{o.condition}')",
                            did_you_mean(str(o.condition), known))
    return out.problems


def _facts_problems(path: Path, did: str, per_option: dict[str, Facts], option_ids: dict[str, list[str]],
                    ref: ReferenceFile, known: dict[str, Condition], out: ProblemList) -> None:
    if did not in option_ids:
        out.add(path, f"who_may_use.{did}", f"unknown decision '{did}'", did_you_mean(did, option_ids))
        return
    for oid, f in per_option.items():
        where = f"who_may_use.{did}.{oid}"
        if oid not in option_ids[did]:
            out.add(path, where, f"unknown option '{oid}'", did_you_mean(oid, option_ids[did]))
        if f.route not in ref.routes:
            out.add(path, f"{where}.route", f"unknown route '{f.route}'", did_you_mean(f.route, ref.routes))
            continue
        for rid in ref.routes[f.route].requirements:
            fact = ref.requirements[rid].fact
            if getattr(f, fact) is None:
                out.add(path, where, f"route '{f.route}' needs the fact '{fact}' ({ref.requirements[rid].text.en})",
                        "give a share, e.g. 0.9" if fact == "activity_share" else f"state {fact}: true or false")
        for rid, cid in f.fixed_by.items():
            if rid not in ref.requirements:
                out.add(path, f"{where}.fixed_by", f"unknown requirement '{rid}'", did_you_mean(rid, ref.requirements))
            if cid not in known:
                out.add(path, f"{where}.fixed_by.{rid}", f"unknown condition '{cid}'", did_you_mean(cid, known))


def lead_times(conditional: Any) -> dict[str, float]:
    """Option id -> the longest lead time (months) of its pass-if conditions (they run in parallel).

    `conditional` is the table of pass-if conditions (:meth:`procurement.analysis.Analysis.conditional`: one row
    per option, screen and condition, with ``lead_time_months``); options without a row have no lead time.
    """
    if conditional is None or len(conditional) == 0:
        return {}
    return {str(o): float(x) for o, x in conditional.groupby("option", sort=False)["lead_time_months"].max().items()}


def mark_conditions(table: Any, conditional: Any, language: str = "nb") -> Any:
    """A table of options (index: option id, column ``label``) with its pass-if options marked.

    `conditional` is :meth:`procurement.analysis.Analysis.conditional` (one row per option, screen and
    condition). Each pass-if option's label gets the marker †, ``condition`` lists its conditions in the
    language with their citations, and ``lead_time_months`` is the longest lead time (conditions run in
    parallel). Other options get an empty condition and no lead time. Without pass-if options the table
    is returned as it is.
    """
    if conditional is None or len(conditional) == 0:
        return table
    col = f"label_{_language(language)}"
    texts = {str(o): "; ".join(f"{t} ({c})" for t, c in zip(g[col], g["citation"], strict=True))
             for o, g in conditional.groupby("option", sort=False)}
    lead = lead_times(conditional)
    out = table.copy()
    out["label"] = [f"{lab} †" if str(o) in texts else lab for o, lab in out["label"].items()]
    out["condition"] = [texts.get(str(o), "") for o in out.index]
    out["lead_time_months"] = [lead.get(str(o)) for o in out.index]
    return out


__all__ = ["Condition", "Facts", "Finding", "Verdict", "check", "lead_times", "load_reference", "load_screening",
           "mark_conditions", "problems", "verdicts"]
