"""The rule files of anskaffelsesforskriften (FOA) as validated models.

Three YAML files in a rules folder (the package's :mod:`procurement.reference`, or a copy an advisor edits)
hold the rules; each is read into one model here:

``thresholds.yaml`` -> :class:`ThresholdFile`
    authority types, contract kinds, the dated lower limit (anskaffelsesloven § 2), the parts and the regime
    map, dated national and EEA threshold rows, what is missing after a date, and the FOA § 28-1 grounds and headroom percentages;
``procedures.yaml`` -> :class:`ProcedureFile`
    the grounds and, per procedure and part, its access rule;
``time-limits.yaml`` -> :class:`TimeLimitFile`
    minimum time limits per procedure, step and variant, the standstill period and the notice duty.

Every row carries a ``citation``, a ``verified`` flag and a ``source`` note (:class:`Cited`). :class:`Rules`
holds the three files of one folder; :func:`procurement.law.loader.load_rules` reads and checks them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from procurement.case.errors import InputError, Problem, did_you_mean, display_path

#: The parts and chapters a regime's bands can name (FOA, forsyningsforskriften, konsesjonskontraktforskriften).
PARTS = ("outside", "I", "II", "III", "IV-30", "II-special", "FF-below", "FF-II", "FF-III", "KKF-below", "KKF")
#: The variants of a time limit row.
VARIANTS = ("base", "non-electronic", "pin", "urgency", "non-state")

Part = Literal["outside", "I", "II", "III", "IV-30", "II-special", "FF-below", "FF-II", "FF-III", "KKF-below", "KKF"]


class RuleModel(BaseModel):
    """A model of a rule file of the law data: unknown keys are refused, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Cited(RuleModel):
    """Fields every rule row carries."""

    citation: str = Field(min_length=1)
    verified: bool
    source: str = Field(min_length=1)




class Text(RuleModel):
    """A text in bokmål and English: the one bilingual text of the law data."""

    nb: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, language: str) -> str:
        """The text in `language` (``nb`` or ``en``; any other language gets the English text)."""
        return {"nb": self.nb}.get(language, self.en)


class Band(RuleModel):
    """From which bound (``zero``, the lower limit ``floor``, the ``national`` or the ``eea`` threshold) a part applies."""

    from_: Literal["zero", "floor", "national", "eea"] = Field(alias="from")
    part: Part


class Regime(Cited):
    """Which regulation and which parts apply to a set of authorities and contract kinds."""

    id: str
    authorities: list[str] = Field(min_length=1)
    kinds: list[str] = Field(min_length=1)
    threshold_authority: str | None = None
    regulation: Text
    bands: list[Band] = Field(min_length=1)

    def matches(self, authority: str, kind: str) -> bool:
        return authority in self.authorities and kind in self.kinds


class MissingAfter(Cited):
    """The date after which the sources give no new threshold values, and what is missing."""

    date: dt.date
    note: Text


class HeadroomRule(Cited):
    percent: dict[str, float]

    @model_validator(mode="after")
    def _has_default(self) -> HeadroomRule:
        if "default" not in self.percent:
            raise ValueError("percent needs a 'default' entry (and may have one per category)")
        return self


def in_force(start: dt.date | None, end: dt.date | None, on: dt.date) -> bool:
    """True when a row valid from `start` to `end` (both days included; None is open-ended) is in force on `on`."""
    return (start is None or start <= on) and (end is None or on <= end)


class _Dated(Cited):
    """A cited row in force from ``valid_from`` to ``valid_to`` (both days included; None is open-ended).

    The subclasses declare the two fields where their rows have them, so that a row's fields keep their order.
    """

    if TYPE_CHECKING:
        valid_from: dt.date | None
        valid_to: dt.date | None

    def in_force(self, on: dt.date) -> bool:
        """True when the row is in force on `on` (both ends included)."""
        return in_force(self.valid_from, self.valid_to, on)

    def period(self) -> str:
        """The period as text, e.g. '2022-01-01 to 2024-03-13' or 'from 2024-03-14' (for messages and hints)."""
        return period_text(self.valid_from, self.valid_to)


class FloorRow(_Dated):
    """The lower limit (anskaffelsesloven § 2) in force over a period: below ``below`` the rules do not apply."""

    id: str
    below: float = Field(gt=0)
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


class NationalRow(_Dated):
    id: str
    value: float = Field(gt=0)
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


class ThresholdRow(_Dated):
    """One dated EEA threshold row."""

    id: str
    authorities: list[str] = Field(min_length=1)
    category: str
    value: float = Field(gt=0)
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def stale(self, on: dt.date) -> bool:
        """True when an open-ended row is used more than two years after it came into force.

        The EEA thresholds are revised every two years, so a row with no end date may have been replaced by one
        the rule files do not have yet.
        """
        return self.valid_to is None and self.valid_from is not None and (on - self.valid_from).days > 2 * 365 + 31


class ChangeGround(Cited):
    """A ground of FOA § 28-1 for changing a contract without a new competition, with its cap per change."""

    id: str
    text: Text
    cap_share: float | None = Field(default=None, gt=0, le=1)


class ThresholdFile(RuleModel):
    authorities: dict[str, Text]
    kinds: dict[str, str]
    floor: list[FloorRow] = Field(min_length=1)
    parts: dict[str, Text] = {}
    regimes: list[Regime] = Field(min_length=1)
    missing_after: MissingAfter | None = None
    change_grounds: list[ChangeGround] = []
    change_headroom: HeadroomRule
    national: list[NationalRow] = Field(min_length=1)
    eea: list[ThresholdRow] = Field(min_length=1)


class Ground(Cited):
    id: str
    label: str
    label_nb: str = Field(min_length=1)

    def text(self, language: str) -> str:
        """The ground's text in `language` (``nb``; any other language gets the English text)."""
        return {"nb": self.label_nb}.get(language, self.label)


class Access(Cited):
    parts: list[Part] = Field(min_length=1)
    rule: Literal["always", "any-of", "all-of"]
    grounds: list[str] = []
    name_en: str | None = None   # the procedure's name in these parts, when the regulation names it differently
    name_nb: str | None = None

    @model_validator(mode="after")
    def _grounds_match_rule(self) -> Access:
        if self.rule == "always" and self.grounds:
            raise ValueError("rule 'always' takes no grounds")
        if self.rule != "always" and not self.grounds:
            raise ValueError(f"rule '{self.rule}' needs a list of grounds")
        return self

    def name(self, language: str) -> str | None:
        """The procedure's own name in these parts, in `language`, or None when it has none."""
        return {"nb": self.name_nb}.get(language, self.name_en)


class Procedure(RuleModel):
    id: str
    name_en: str
    name_nb: str
    pseudo: bool = False
    route: bool = True
    access: list[Access] = Field(min_length=1)

    def name(self, language: str) -> str:
        """The procedure's name in `language` (``nb``; any other language gets the English name)."""
        return {"nb": self.name_nb}.get(language, self.name_en)


class ProcedureFile(RuleModel):
    grounds: list[Ground]
    procedures: list[Procedure] = Field(min_length=1)


class LimitRow(Cited):
    procedure: str
    step: str
    variant: Literal["base", "non-electronic", "pin", "urgency", "non-state"]
    days: int = Field(ge=0)


class NoLimits(Cited):
    parts: list[Part]
    note: str


class StandstillException(Cited):
    id: str
    text: Text


class StandstillRule(Cited):
    days: int = Field(ge=0)
    parts: list[Part]
    note: str
    exceptions: list[StandstillException] = []


class NoticeDuty(Cited):
    text: Text


class TimeLimitFile(RuleModel):
    no_statutory_limits: NoLimits
    standstill: list[StandstillRule] = Field(min_length=1)
    notices: dict[str, NoticeDuty] = {}
    limits: list[LimitRow] = Field(min_length=1)


@dataclass(frozen=True)
class Rules:
    """All rule files of one rules folder, validated."""

    path: Path
    thresholds: ThresholdFile
    procedures: ProcedureFile
    time_limits: TimeLimitFile

    @property
    def authorities(self) -> list[str]:
        return sorted(self.thresholds.authorities)

    @property
    def kinds(self) -> list[str]:
        return sorted(self.thresholds.kinds)

    @property
    def procedure_ids(self) -> list[str]:
        return [p.id for p in self.procedures.procedures]

    @property
    def ground_ids(self) -> list[str]:
        return [g.id for g in self.procedures.grounds]

    def procedure(self, procedure_id: str, where: str = "procedure") -> Procedure:
        """The procedure with this id, or an InputError listing the known ones."""
        for p in self.procedures.procedures:
            if p.id == procedure_id:
                return p
        raise InputError(
            Problem(
                where,
                "",
                f"unknown procedure '{procedure_id}'",
                f"{did_you_mean(procedure_id, self.procedure_ids)}; the procedures are in "
                f"{display_path(self.path / 'procedures.yaml')}",
            )
        )

    def ground(self, ground_id: str) -> Ground:
        return next(g for g in self.procedures.grounds if g.id == ground_id)


def period_text(start: dt.date | None, end: dt.date | None) -> str:
    """A validity period in the words of problem messages: 'always', 'until D', 'from D' or 'D to D' (ISO dates)."""
    if start is None and end is None:
        return "always"
    if start is None:
        return f"until {end}"
    if end is None:
        return f"from {start}"
    return f"{start} to {end}"


def row_dict(row: BaseModel) -> dict:
    """A rule row as JSON-ready data: its fields, with dates as ISO text."""
    d = row.model_dump()
    for k in ("valid_from", "valid_to"):
        if k in d:
            d[k] = d[k].isoformat() if d[k] is not None else None
    return d


__all__ = [
    "PARTS",
    "VARIANTS",
    "in_force",
    "Access",
    "Band",
    "ChangeGround",
    "Cited",
    "Ground",
    "HeadroomRule",
    "LimitRow",
    "MissingAfter",
    "NationalRow",
    "NoticeDuty",
    "FloorRow",
    "Part",
    "Procedure",
    "RuleModel",
    "ProcedureFile",
    "Regime",
    "Rules",
    "StandstillException",
    "StandstillRule",
    "Text",
    "ThresholdFile",
    "ThresholdRow",
    "TimeLimitFile",
    "period_text",
    "row_dict",
]
