"""DFØ's combined assessment as the case gives it: an overall ranking of priced and non-priced effects, with reasons.

DFØ's last step ranks the options on priced and non-priced effects together, and the non-priced
effects can decide. That weighing is a judgement, so the workbench never makes it: the case states
it in ``assessment.yaml`` (optional), per decision::

    decisions:
      contract-strategy:
        source: "Illustrative judgement of this example"
        ranking: [dialogue-total, modular-lots, negotiated-total]
        reasoning:
          modular-lots:
            en: "Ranked above negotiated-total although its ΔNPV is lower: ..."
            nb: "..."

``ranking`` lists options (each once); every ranked option needs a reasoning in English (``en``)
and may have one in bokmål (``nb``). Options left out are shown after the ranked ones, in ΔNPV
order. Without the file (or the decision in it) the report orders by ΔNPV and says that no
overall ranking has been made.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from procurement.case import yamlsafe
from procurement.case.errors import InputError, Problem, ProblemList, did_you_mean, display_path

#: The file of a case that holds the combined assessment.
FILE = "assessment.yaml"


class Reason(BaseModel):
    """Why an option has its place, in English and (optionally) bokmål."""

    model_config = ConfigDict(extra="forbid")

    en: str
    nb: str = ""

    def text(self, language: str) -> str:
        return {"nb": self.nb}.get(language) or self.en


class DecisionAssessment(BaseModel):
    """One decision's overall ranking and the reason for each ranked option's place."""

    model_config = ConfigDict(extra="forbid")

    ranking: list[str]
    reasoning: dict[str, Reason]
    source: str = ""
    illustrative: bool = True

    @field_validator("ranking")
    @classmethod
    def _once(cls, v: list[str]) -> list[str]:
        twice = sorted({o for o in v if v.count(o) > 1})
        if twice:
            raise ValueError(f"option(s) {', '.join(twice)} ranked more than once")
        if not v:
            raise ValueError("rank at least one option")
        return v

    def rank(self, option: str) -> int | None:
        return self.ranking.index(option) + 1 if option in self.ranking else None

    def to_dict(self) -> dict[str, Any]:
        return {"ranking": list(self.ranking), "source": self.source, "illustrative": self.illustrative,
                "reasoning": {o: r.model_dump() for o, r in self.reasoning.items()}}


class Assessment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = "assessment"
    illustrative: bool = True
    decisions: dict[str, DecisionAssessment] = {}


def _check(doc: Assessment, known: Mapping[str, Sequence[str]], file: str, problems: ProblemList) -> None:
    for did, d in doc.decisions.items():
        if did not in known:
            problems.add(file, f"key 'decisions.{did}'", "unknown decision", did_you_mean(did, list(known)))
            continue
        options = list(known[did])
        for o in d.ranking:
            if o not in options:
                problems.add(file, f"key 'decisions.{did}.ranking'", f"unknown option '{o}'", did_you_mean(o, options))
            elif o not in d.reasoning:
                problems.add(file, f"key 'decisions.{did}.reasoning.{o}'", "missing",
                             "give the reason for the option's place (en, and nb for bokmål reports)")
        for o in d.reasoning:
            if o not in d.ranking:
                problems.add(file, f"key 'decisions.{did}.reasoning.{o}'", "reasoning for an option that is not ranked",
                             "add it to ranking or remove the reasoning")


def load_assessment(path: str | Path, known: Mapping[str, Sequence[str]]) -> Assessment:
    """The case's combined assessment, checked against its decisions and options (`known`: decision -> option ids).

    Raises
    ------
    InputError
        A missing file, a bad key, an unknown decision or option, an option ranked twice or without a reason.
    """
    path = Path(path)
    file = display_path(path)
    if not path.is_file():
        raise InputError(Problem(file, "", "file not found", f"give {FILE} in the case folder"))
    raw = yamlsafe.load(path) or {}
    try:
        doc = Assessment.model_validate(raw)
    except ValidationError as e:
        raise InputError([Problem(file, "key '" + ".".join(str(x) for x in err["loc"]) + "'", err["msg"])
                          for err in e.errors()]) from None
    problems = ProblemList()
    _check(doc, known, file, problems)
    problems.raise_if_any()
    return doc


def case_assessment(case: Any, decision: str) -> DecisionAssessment | None:
    """The decision's combined assessment from the case's ``assessment.yaml``, or None without one."""
    path = Path(case.path) / FILE
    if not path.is_file():
        return None
    known = {did: list(d.option_ids) for did, d in case.decisions.items()}
    return load_assessment(path, known).decisions.get(decision)


__all__ = ["FILE", "Assessment", "DecisionAssessment", "Reason", "case_assessment", "load_assessment"]
