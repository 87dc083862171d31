"""Procurement rules of anskaffelsesforskriften (FOA) as data, and answers computed from them.

The rules live in YAML files shipped in the package (:mod:`procurement.reference`) so
that an advisor can read, cite and update them:

``thresholds.yaml``
    dated threshold rows (national threshold, EEA thresholds by authority type and
    contract category), the NOK 100,000 floor and the § 28-1 (b) percentages;
``procedures.yaml``
    procedures and pseudo-procedures with their access conditions per FOA part;
``time-limits.yaml``
    minimum time limits per procedure and step with their variants, and the
    standstill period.

Every row carries a ``citation``, a ``verified`` flag and a ``source`` note;
``verified: false`` marks facts that the domain brief calls secondary or
unconfirmed. Answers carry the flag of the rows they used.

Boundary convention
-------------------
A value *at* a threshold counts as at or above it: a value below NOK 100,000 is
outside the rules; from 100,000 up to (not including) the national threshold
FOA Part I applies; from the national threshold up to (not including) the EEA
threshold Part II; at or above the EEA threshold Part III. A threshold row is in
force on every day from ``valid_from`` to ``valid_to``, both included; an empty
``valid_from`` or ``valid_to`` means open-ended.

Every mistake in the input (unknown authority or kind, a date with no row in
force, a negative value, an unknown procedure or ground) raises
:class:`~procurement.case.errors.InputError` with one clear problem each.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from procurement import reference
from procurement.case import yamlsafe
from procurement.case.errors import InputError, Problem, ProblemList, did_you_mean, display_path

PARTS = ("outside", "I", "II", "III", "IV-30", "FF-below", "FF-III", "KKF-below", "KKF")
PART_LABELS = {
    "outside": "Outside the procurement rules",
    "I": "FOA Part I (general rules)",
    "II": "FOA Part II (national procedure)",
    "III": "FOA Part III (EEA procedure)",
}
PART_LABELS_NB = {
    "outside": "Utenfor anskaffelsesregelverket",
    "I": "FOA del I (alminnelige regler)",
    "II": "FOA del II (nasjonal prosedyre)",
    "III": "FOA del III (EØS-prosedyre)",
}


def part_label(part: str, language: str = "en", rules: Rules | None = None) -> str:
    """The name of a part or chapter (FOA, forsyningsforskriften, konsesjonskontraktforskriften) in bokmål ('nb') or English."""
    try:
        labels = _rules(rules).thresholds.parts
    except InputError:
        labels = {}
    if part in labels:
        return labels[part].get(language)
    return (PART_LABELS_NB if language == "nb" else PART_LABELS).get(part, part)


def procedure_label(procedure: str, language: str = "nb") -> str:
    """The name of a procedure id from the reference ``procedures.yaml`` (``name_nb``/``name_en``); the id when unknown."""
    names = _procedure_names()
    pair = names.get(procedure)
    if pair is None:
        return procedure
    return pair[1] if language == "en" else pair[0]


@functools.cache
def _procedure_names() -> dict[str, tuple[str, str]]:
    try:
        rules = load_rules(None)
    except Exception:  # noqa: BLE001 - labels fall back to ids rather than break a report
        return {}
    return {p.id: (p.name_nb, p.name_en) for p in rules.procedures.procedures}


VARIANTS = ("base", "non-electronic", "pin", "urgency", "non-state")
BOUNDARY_CONVENTION = (
    "a value at a threshold counts as at or above it: < 100,000 outside; "
    "100,000 <= v < national threshold Part I; national <= v < EEA threshold Part II; "
    "v >= EEA threshold Part III"
)

Part = Literal["outside", "I", "II", "III", "IV-30", "FF-below", "FF-III", "KKF-below", "KKF"]


# ---------------------------------------------------------------------------
# File models
# ---------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Cited(_Model):
    """Fields every rule row carries."""

    citation: str = Field(min_length=1)
    verified: bool
    source: str = Field(min_length=1)


class OutsideRules(Cited):
    below: float = Field(gt=0)


class Text(_Model):
    """A text in bokmål and English."""

    nb: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, language: str) -> str:
        return self.nb if language == "nb" else self.en


class Band(_Model):
    """From which bound (``zero``, the 100,000 ``floor``, the ``national`` or the ``eea`` threshold) a part applies."""

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


class NationalRow(Cited):
    id: str
    value: float = Field(gt=0)
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


class ThresholdRow(Cited):
    """One dated EEA threshold row."""

    id: str
    authorities: list[str] = Field(min_length=1)
    category: str
    value: float = Field(gt=0)
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def in_force(self, on: dt.date) -> bool:
        """True when the row is in force on `on` (both ends included)."""
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or on <= self.valid_to)

    def period(self) -> str:
        """The period as text, e.g. '2022-01-01 to 2024-03-13' or 'from 2024-03-14'."""
        return _period(self.valid_from, self.valid_to)

    def staleness(self, on: dt.date) -> str:
        """A warning when an open-ended row is used more than two years after it came into force.

        The EEA thresholds are revised every two years, so a row with no end
        date may have been replaced by one the rule files do not have yet.
        """
        if self.valid_to is None and self.valid_from is not None and (on - self.valid_from).days > 2 * 365 + 31:
            return (f"row {self.id} has been in force since {self.valid_from}; the thresholds are revised every two "
                    f"years, so check that it is still current on {on} and add the new row to thresholds.yaml if not")
        return ""


class ThresholdFile(_Model):
    authorities: dict[str, Text]
    kinds: dict[str, str]
    outside_rules: OutsideRules
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
        return self.label_nb if language == "nb" else self.label


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


class Procedure(_Model):
    id: str
    name_en: str
    name_nb: str
    pseudo: bool = False
    route: bool = True
    access: list[Access] = Field(min_length=1)


class ProcedureFile(_Model):
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


class TimeLimitFile(_Model):
    no_statutory_limits: NoLimits
    standstill: StandstillRule
    notices: dict[str, NoticeDuty] = {}
    limits: list[LimitRow] = Field(min_length=1)


class ChangeGround(Cited):
    """A ground of FOA § 28-1 for changing a contract without a new competition, with its cap per change."""

    id: str
    text: Text
    cap_share: float | None = Field(default=None, gt=0, le=1)


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


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------


def default_rules_dir() -> Path:
    """The rules folder: $PROCUREMENT_RULES, else the reference data shipped in the package."""
    env = os.environ.get("PROCUREMENT_RULES")
    if env:
        return Path(env)
    return reference.files()


def _read_yaml(path: Path) -> dict:
    name = display_path(path)
    if not path.exists():
        raise InputError(Problem(name, "", "file not found",
                                 "the rules folder needs thresholds.yaml, procedures.yaml and time-limits.yaml"))
    data = yamlsafe.load(path)  # bounded; syntax errors name the file, line and column
    if not isinstance(data, dict):
        raise InputError(Problem(name, "", "must be a YAML mapping (key: value) at the top level"))
    return data


def _validate(model: type[BaseModel], data: dict, path: Path, problems: ProblemList):
    try:
        return model.model_validate(data)
    except ValidationError as e:
        for err in e.errors():
            where = ".".join(str(x) for x in err["loc"]) or "top level"
            problems.add(path, where, err["msg"])
        return None


def _period(start: dt.date | None, end: dt.date | None) -> str:
    if start is None and end is None:
        return "always"
    if start is None:
        return f"until {end}"
    if end is None:
        return f"from {start}"
    return f"{start} to {end}"


def _check_ids_and_categories(t: ThresholdFile, path: Path, problems: ProblemList) -> None:
    """Unique row ids; known categories and authorities in every EEA row and headroom entry."""
    categories = set(t.kinds.values())
    ids = [r.id for r in t.eea] + [r.id for r in t.national]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.add(path, f"id '{dup}'", "appears more than once", "row ids must be unique")
    for key in t.change_headroom.percent:
        if key != "default" and key not in categories:
            problems.add(path, f"change_headroom.percent.{key}", "unknown category", did_you_mean(key, categories))
    for r in t.eea:
        if r.category not in categories:
            problems.add(path, f"row '{r.id}', category", f"unknown category '{r.category}'",
                         did_you_mean(r.category, categories))
        for a in r.authorities:
            if a not in t.authorities:
                problems.add(path, f"row '{r.id}', authorities", f"unknown authority '{a}'", did_you_mean(a, t.authorities))


def _check_periods(t: ThresholdFile, path: Path, problems: ProblemList) -> None:
    """Every row ends after it starts; rows for the same authority and category do not overlap."""
    rows: list[NationalRow | ThresholdRow] = [*t.national, *t.eea]
    for r in rows:
        if r.valid_from and r.valid_to and r.valid_to < r.valid_from:
            problems.add(path, f"row '{r.id}'", f"valid_to {r.valid_to} is before valid_from {r.valid_from}")
    by_key: dict[str, list[NationalRow | ThresholdRow]] = {"national": list(t.national)}
    for r in t.eea:
        for authority in r.authorities:
            by_key.setdefault(f"{authority}/{r.category}", []).append(r)
    lo, hi = dt.date.min, dt.date.max
    for key, group in by_key.items():
        ordered = sorted(group, key=lambda r: r.valid_from or lo)
        for older, newer in zip(ordered, ordered[1:], strict=False):
            if (newer.valid_from or lo) <= (older.valid_to or hi):
                problems.add(path, f"rows '{older.id}' and '{newer.id}'", f"periods overlap for {key}",
                             "end the older row the day before the newer one starts")


def _check_thresholds(t: ThresholdFile, path: Path, problems: ProblemList) -> None:
    _check_ids_and_categories(t, path, problems)
    _check_periods(t, path, problems)
    for rg in t.regimes:
        where = f"regime '{rg.id}'"
        for a in [*rg.authorities, *([rg.threshold_authority] if rg.threshold_authority else [])]:
            if a not in t.authorities:
                problems.add(path, f"{where}, authorities", f"unknown authority '{a}'", did_you_mean(a, t.authorities))
        for k in rg.kinds:
            if k not in t.kinds:
                problems.add(path, f"{where}, kinds", f"unknown kind '{k}'", did_you_mean(k, t.kinds))
        for b in rg.bands:
            if t.parts and b.part not in t.parts:
                problems.add(path, f"{where}, bands", f"part '{b.part}' has no label", "add it under 'parts' (nb and en)")
        if rg.bands[0].from_ != "zero":
            problems.add(path, f"{where}, bands", "the first band must start from 'zero'",
                         "begin with {from: zero, part: outside}")


def _check_procedures(p: ProcedureFile, path: Path, problems: ProblemList) -> None:
    ground_ids = [g.id for g in p.grounds]
    for dup in sorted({i for i in ground_ids if ground_ids.count(i) > 1}):
        problems.add(path, f"ground '{dup}'", "appears more than once")
    proc_ids = [x.id for x in p.procedures]
    for dup in sorted({i for i in proc_ids if proc_ids.count(i) > 1}):
        problems.add(path, f"procedure '{dup}'", "appears more than once")
    for proc in p.procedures:
        seen: set[str] = set()
        for i, acc in enumerate(proc.access):
            for part in acc.parts:
                if part in seen:
                    problems.add(path, f"procedure '{proc.id}', access {i + 1}", f"part {part} is covered twice")
                seen.add(part)
            for g in acc.grounds:
                if g not in ground_ids:
                    problems.add(path, f"procedure '{proc.id}', access {i + 1}", f"unknown ground '{g}'",
                                 did_you_mean(g, ground_ids))


def _check_limits(t: TimeLimitFile, procedure_ids: Sequence[str], path: Path, problems: ProblemList) -> None:
    keys = [(r.procedure, r.step, r.variant) for r in t.limits]
    for dup in sorted({k for k in keys if keys.count(k) > 1}):
        problems.add(path, f"limit {'/'.join(dup)}", "appears more than once")
    for r in t.limits:
        if r.procedure not in procedure_ids:
            problems.add(path, f"limit {r.procedure}/{r.step}", f"unknown procedure '{r.procedure}'",
                         did_you_mean(r.procedure, procedure_ids))
    for proc, step in sorted({(r.procedure, r.step) for r in t.limits}):
        if (proc, step, "base") not in keys:
            problems.add(path, f"limit {proc}/{step}", "has no 'base' row", "every step needs the base limit")


@functools.lru_cache(maxsize=8)
def _load_cached(path: str, stamp: tuple) -> Rules:
    folder = Path(path)
    problems = ProblemList()
    files: dict[str, tuple[Path, type[BaseModel]]] = {
        "thresholds": (folder / "thresholds.yaml", ThresholdFile),
        "procedures": (folder / "procedures.yaml", ProcedureFile),
        "time_limits": (folder / "time-limits.yaml", TimeLimitFile),
    }
    loaded = {}
    for key, (p, model) in files.items():
        loaded[key] = _validate(model, _read_yaml(p), p, problems)
    if loaded["thresholds"] is not None:
        _check_thresholds(loaded["thresholds"], files["thresholds"][0], problems)
    if loaded["procedures"] is not None:
        _check_procedures(loaded["procedures"], files["procedures"][0], problems)
        if loaded["time_limits"] is not None:
            ids = [x.id for x in loaded["procedures"].procedures]
            _check_limits(loaded["time_limits"], ids, files["time_limits"][0], problems)
    problems.raise_if_any()
    return Rules(path=folder, **loaded)


def load_rules(rules_dir: str | Path | None = None) -> Rules:
    """Load and validate the rule files of a rules folder.

    Parameters
    ----------
    rules_dir
        Folder with ``thresholds.yaml``, ``procedures.yaml`` and ``time-limits.yaml``;
        default :func:`default_rules_dir`.

    Returns
    -------
    Rules
        The validated rules. Results are cached until a file changes.

    Raises
    ------
    InputError
        Every problem found in the files, each naming the file and key.
    """
    folder = Path(rules_dir) if rules_dir is not None else default_rules_dir()
    folder = folder.resolve()
    stamp = tuple(
        (f, (folder / f).stat().st_mtime_ns if (folder / f).exists() else None)
        for f in ("thresholds.yaml", "procedures.yaml", "time-limits.yaml")
    )
    return _load_cached(str(folder), stamp)


def _rules(rules: Rules | None) -> Rules:
    return rules if rules is not None else load_rules()


# ---------------------------------------------------------------------------
# Thresholds and the FOA part
# ---------------------------------------------------------------------------


def _check_authority(authority: str, rules: Rules) -> None:
    if authority not in rules.thresholds.authorities:
        raise InputError(Problem("authority", "", f"unknown authority '{authority}'", did_you_mean(authority, rules.authorities)))


def _check_kind(kind: str, rules: Rules) -> str:
    if kind not in rules.thresholds.kinds:
        raise InputError(Problem("kind", "", f"unknown kind '{kind}'", did_you_mean(kind, rules.kinds)))
    return rules.thresholds.kinds[kind]


def _check_value(value: float | str, key: str = "value") -> float:
    """A non-negative amount in NOK from a number or text (``2 300 000``, ``2_300_000``); InputError under `key`."""
    try:
        v = float(str(value).replace("_", "").replace(" ", "").replace("\u00a0", "")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise InputError(Problem(key, "", f"'{value}' is not a number",
                                 "give the estimated value in NOK excluding VAT, e.g. 2300000")) from None
    if v != v or v in (float("inf"), float("-inf")):
        raise InputError(Problem(key, "", f"'{value}' is not a finite number", "give the value in NOK excluding VAT"))
    if v < 0:
        raise InputError(Problem(key, "", f"value must not be negative (got {v:,.0f})",
                                 "give the estimated value in NOK excluding VAT"))
    return v


def _as_date(on: dt.date | str | None) -> dt.date:
    if on is None:
        return dt.date.today()
    if isinstance(on, dt.datetime):
        return on.date()
    if isinstance(on, dt.date):
        return on
    try:
        return dt.date.fromisoformat(str(on))
    except ValueError:
        raise InputError(Problem("date", "", f"'{on}' is not a date", "write it as YYYY-MM-DD, e.g. 2025-06-01")) from None


def threshold_for(
    authority: str,
    kind: str,
    on: dt.date | str | None = None,
    rules: Rules | None = None,
) -> ThresholdRow:
    """The EEA threshold row in force for an authority type and contract kind on a date.

    Parameters
    ----------
    authority
        ``state``, ``municipal`` or ``utility``.
    kind
        ``goods``, ``services``, ``works``, ``health-social`` or ``concession``.
    on
        Date (or ISO string); default today.
    rules
        Loaded rules; default :func:`load_rules`.

    Raises
    ------
    InputError
        Unknown authority or kind (lists the valid ones), or no row in force on
        that date (lists the periods that exist).
    """
    rules = _rules(rules)
    _check_authority(authority, rules)
    category = _check_kind(kind, rules)
    day = _as_date(on)
    authority = regime_for(authority, kind, rules).threshold_authority or authority
    rows = [r for r in rules.thresholds.eea if authority in r.authorities and r.category == category]
    path = display_path(rules.path / "thresholds.yaml")
    if not rows:
        have = sorted({r.category for r in rules.thresholds.eea if authority in r.authorities})
        raise InputError(
            Problem(
                "kind",
                "",
                f"{path} has no EEA threshold row for {authority} / {category}",
                f"categories with rows for {authority}: {', '.join(have) or 'none'}; add a dated row to use this one",
            )
        )
    for r in rows:
        if r.in_force(day):
            return r
    periods = "; ".join(f"{r.period()} ({r.id})" for r in sorted(rows, key=lambda r: r.valid_from or dt.date.min))
    raise InputError(
        Problem(
            "date",
            "",
            f"no EEA threshold row for {authority} / {category} is in force on {day}",
            f"periods in {path}: {periods}",
        )
    )


def national_threshold(on: dt.date | str | None = None, rules: Rules | None = None) -> NationalRow:
    """The national threshold row (FOA Part II) in force on a date."""
    rules = _rules(rules)
    day = _as_date(on)
    for r in rules.thresholds.national:
        if (r.valid_from is None or r.valid_from <= day) and (r.valid_to is None or day <= r.valid_to):
            return r
    periods = "; ".join(f"{_period(r.valid_from, r.valid_to)} ({r.id})" for r in rules.thresholds.national)
    raise InputError(
        Problem("date", "", f"no national threshold row is in force on {day}",
                f"periods in {display_path(rules.path / 'thresholds.yaml')}: {periods}")
    )


def regime_for(authority: str, kind: str, rules: Rules | None = None) -> Regime:
    """The first regime of ``thresholds.yaml`` whose authorities and kinds match; InputError when none does."""
    rules = _rules(rules)
    for rg in rules.thresholds.regimes:
        if rg.matches(authority, kind):
            return rg
    kinds = sorted({k for rg in rules.thresholds.regimes if authority in rg.authorities for k in rg.kinds})
    raise InputError(Problem("kind", "", f"no regime in {display_path(rules.path / 'thresholds.yaml')} covers "
                             f"authority '{authority}' with kind '{kind}'", f"kinds covered for {authority}: {', '.join(kinds)}"))


@dataclass(frozen=True)
class PartDecision:
    """Which regulation and which part or chapter apply to an estimated value, and the rows it was decided by."""

    value: float
    authority: str
    kind: str
    category: str
    date: dt.date
    part: str
    label: str
    reason: str
    citation: str
    verified: bool
    threshold: ThresholdRow
    national: NationalRow
    notes: tuple[str, ...] = ()
    regime: Regime | None = None
    label_nb: str = ""
    reason_nb: str = ""
    notes_nb: tuple[str, ...] = ()

    def text(self, language: str) -> dict[str, object]:
        """Label, reason, regulation and notes in one language."""
        nb = language == "nb"
        return {"label": self.label_nb if nb else self.label, "reason": self.reason_nb if nb else self.reason,
                "regulation": self.regime.regulation.get(language) if self.regime else "",
                "notes": list(self.notes_nb if nb else self.notes)}

    def to_dict(self, language: str = "en") -> dict:
        t = self.text(language)
        rg = self.regime
        return {
            "value": self.value,
            "authority": self.authority,
            "kind": self.kind,
            "category": self.category,
            "date": self.date.isoformat(),
            "regulation": t["regulation"],
            "regime": ({"id": rg.id, "regulation": rg.regulation.model_dump(), "citation": rg.citation,
                        "verified": rg.verified, "source": rg.source} if rg else None),
            "part": self.part,
            "label": t["label"],
            "reason": t["reason"],
            "citation": self.citation,
            "verified": self.verified,
            "boundary": BOUNDARY_CONVENTION,
            "threshold": _row_dict(self.threshold),
            "national_threshold": _row_dict(self.national),
            "notes": t["notes"],
        }


def _row_dict(row: BaseModel) -> dict:
    d = row.model_dump()
    for k in ("valid_from", "valid_to"):
        if k in d:
            d[k] = d[k].isoformat() if d[k] is not None else None
    return d


def _nok(v: float, language: str) -> str:
    """An amount for a reason text: 'NOK 2,300,000' (en) or '2 300 000 kr' (nb)."""
    try:
        from procurement.text import fmt  # type: ignore[attr-defined]

        return f"NOK {fmt.number(v, 'en')}" if language != "nb" else f"{fmt.number(v, 'nb')} kr"
    except (ImportError, AttributeError, TypeError):
        return f"NOK {v:,.0f}" if language != "nb" else f"{v:,.0f} kr".replace(",", "\u00a0")


_BOUND_NAMES = {
    "zero": ("0", "0"),
    "floor": ("NOK 100,000 (anskaffelsesloven § 2)", "100 000 kr (anskaffelsesloven § 2)"),
    "national": ("the national threshold", "den nasjonale terskelverdien"),
    "eea": ("the EEA threshold", "EØS-terskelverdien"),
}


def _bounds(row: ThresholdRow, nat: NationalRow, floor: OutsideRules) -> dict[str, float]:
    return {"zero": 0.0, "floor": floor.below, "national": nat.value, "eea": row.value}


def _band_reason(v: float, lo: str, hi: str | None, b: dict[str, float], row: ThresholdRow, language: str) -> str:
    nb = language == "nb"

    def name(k: str) -> str:
        return _BOUND_NAMES[k][1 if nb else 0]

    def amount(k: str) -> str:
        return "" if k in ("zero", "floor") else f" {_nok(b[k], language)}"

    ref = f" ({row.id})" if "eea" in (lo, hi) else ""
    if hi is None:
        return (f"{_nok(v, language)} er lik eller over {name(lo)}{amount(lo)}{ref}" if nb
                else f"{_nok(v, language)} is at or above {name(lo)}{amount(lo)}{ref}")
    if lo == "zero":
        return (f"{_nok(v, language)} er under {name(hi)}{amount(hi)}{ref}" if nb
                else f"{_nok(v, language)} is below {name(hi)}{amount(hi)}{ref}")
    return (f"{_nok(v, language)} er lik eller over {name(lo)}{amount(lo)} og under {name(hi)}{amount(hi)}{ref}" if nb
            else f"{_nok(v, language)} is at or above {name(lo)}{amount(lo)} and below {name(hi)}{amount(hi)}{ref}")


def _part_of(v: float, regime: Regime, row: ThresholdRow, nat: NationalRow,
             floor: OutsideRules) -> tuple[str, dict[str, str], str, bool]:
    """(part, reason by language, citation, verified) for a value, by the at-or-above boundary convention."""
    b = _bounds(row, nat, floor)
    bands = sorted(regime.bands, key=lambda band: b[band.from_])
    i = max(j for j, band in enumerate(bands) if v >= b[band.from_])
    lo = bands[i].from_
    hi = bands[i + 1].from_ if i + 1 < len(bands) else None
    reason = {lang: _band_reason(v, lo, hi, b, row, lang) for lang in ("en", "nb")}
    used: list[Cited] = [regime]
    if "eea" in (lo, hi):
        used.append(row)
    if "national" in (lo, hi):
        used.append(nat)
    if "floor" in (lo, hi) or lo == "zero":
        used.append(floor)
    citation = "; ".join(dict.fromkeys(c.citation for c in used))
    return bands[i].part, reason, citation, all(c.verified for c in used)


def _part_notes(day: dt.date, regime: Regime, row: ThresholdRow, rules: Rules) -> dict[str, list[str]]:
    """Warnings by language: an unverified regime or threshold row, a possibly outdated row, values missing after a date."""
    en: list[str] = []
    nb: list[str] = []
    if not regime.verified:
        en.append(f"the regime '{regime.id}' ({regime.regulation.en}) is unverified: {regime.source}")
        nb.append(f"regimet «{regime.id}» ({regime.regulation.nb}) er ikke verifisert; se kilden i thresholds.yaml")
    if not row.verified:
        en.append(f"threshold row {row.id} is unverified: {row.source}")
        nb.append(f"terskelverdiraden {row.id} er ikke verifisert; se kilden i thresholds.yaml")
    missing = rules.thresholds.missing_after
    if missing is not None and row.valid_to is None and day >= missing.date:
        en.append(missing.note.en)
        nb.append(missing.note.nb)
    if row.staleness(day):
        en.append(row.staleness(day))
        nb.append(f"raden {row.id} har vært i kraft siden {row.valid_from:%d.%m.%Y}; terskelverdiene endres hvert annet år, "
                  "så sjekk at den fortsatt gjelder")
    return {"en": en, "nb": nb}


def foa_part(
    value: float,
    authority: str,
    kind: str,
    on: dt.date | str | None = None,
    rules: Rules | None = None,
) -> PartDecision:
    """Which regulation and which part or chapter apply to a procurement of an estimated value.

    The regime (FOA, forsyningsforskriften, konsesjonskontraktforskriften) comes
    from ``thresholds.yaml`` by authority and kind; its bands say which part
    applies from which bound. The boundary convention is "at or above": a value
    equal to a threshold falls in the part that starts at that threshold.

    Parameters
    ----------
    value
        Estimated value in NOK excluding VAT; must not be negative.
    authority, kind, on, rules
        As for :func:`threshold_for`.

    Returns
    -------
    PartDecision
        The regime, the part (``outside``, ``I``, ``II``, ``III``, ``IV-30``,
        ``FF-below``, ``FF-III``, ``KKF-below`` or ``KKF``), the reason in both
        languages, and the EEA and national threshold rows used.
    """
    rules = _rules(rules)
    v = _check_value(value)
    _check_authority(authority, rules)
    category = _check_kind(kind, rules)
    day = _as_date(on)
    regime = regime_for(authority, kind, rules)
    row = threshold_for(authority, kind, day, rules)
    nat = national_threshold(day, rules)
    part, reason, citation, verified = _part_of(v, regime, row, nat, rules.thresholds.outside_rules)
    notes = _part_notes(day, regime, row, rules)
    return PartDecision(
        value=v,
        authority=authority,
        kind=kind,
        category=category,
        date=day,
        part=part,
        label=part_label(part, "en", rules),
        reason=reason["en"],
        citation=citation,
        verified=verified,
        threshold=row,
        national=nat,
        notes=tuple(notes["en"]),
        regime=regime,
        label_nb=part_label(part, "nb", rules),
        reason_nb=reason["nb"],
        notes_nb=tuple(notes["nb"]),
    )


def thresholds_table(rules: Rules | None = None) -> pd.DataFrame:
    """All threshold rows as a DataFrame (one row per authority and EEA row, plus the national rows)."""
    rules = _rules(rules)
    out = []
    for n in rules.thresholds.national:
        out.append({"id": n.id, "authority": "all", "category": "national", "value": n.value, "valid_from": n.valid_from,
                    "valid_to": n.valid_to, "citation": n.citation, "verified": n.verified, "source": n.source})
    for r in rules.thresholds.eea:
        for a in r.authorities:
            out.append({"id": r.id, "authority": a, "category": r.category, "value": r.value, "valid_from": r.valid_from,
                        "valid_to": r.valid_to, "citation": r.citation, "verified": r.verified, "source": r.source})
    return pd.DataFrame(out)


# ---------------------------------------------------------------------------
# Procedures
# ---------------------------------------------------------------------------


def _check_grounds(grounds: Iterable[str], rules: Rules) -> list[str]:
    given = [g.strip() for g in grounds if g and g.strip()]
    problems = ProblemList()
    for g in given:
        if g not in rules.ground_ids:
            problems.add("grounds", "", f"unknown ground '{g}'", did_you_mean(g, rules.ground_ids))
    problems.raise_if_any()
    return given


def _access(acc: Access, part: str, given: set[str], rules: Rules, nb: bool) -> dict[str, object]:
    """``allowed``, ``reason`` and ``missing`` of one access rule, given the grounds that hold."""
    if acc.rule == "always":
        where = ("utenfor regelverket" if part == "outside" else f"i del {part}") if nb else \
            ("outside the rules" if part == "outside" else f"in Part {part}")
        return {"allowed": True, "reason": f"{'alltid tillatt' if nb else 'always allowed'} {where}", "missing": ""}
    hint = "" if nb else " (give --grounds)"
    if acc.rule == "any-of":
        hit = [g for g in acc.grounds if g in given]
        if hit:
            if nb:  # bokmål names each ground by its bokmål text only (the ids are English words)
                return {"allowed": True, "reason": "; ".join(f"grunnlag: {rules.ground(g).text('nb')}" for g in hit),
                        "missing": ""}
            return {"allowed": True, "reason": "; ".join(f"ground '{g}': {rules.ground(g).text('en')}" for g in hit),
                    "missing": ""}
        if nb:
            return {"allowed": False, "reason": "", "missing": f"krever ett av grunnlagene i {acc.citation}: "
                    + "; ".join(rules.ground(g).label_nb for g in acc.grounds)}
        lead = f"needs one of the {acc.citation} grounds: "
        return {"allowed": False, "reason": "", "missing": lead + ", ".join(acc.grounds) + hint}
    lacking = [g for g in acc.grounds if g not in given]  # all-of
    if lacking:
        if nb:
            return {"allowed": False, "reason": "", "missing": f"krever alle vilkårene i {acc.citation}; mangler: "
                    + "; ".join(rules.ground(g).label_nb for g in lacking)}
        return {"allowed": False, "reason": "", "missing": f"needs all of the {acc.citation} conditions; missing: "
                + ", ".join(lacking) + hint}
    lead = "alle vilkårene er oppfylt: " if nb else "all conditions hold: "
    return {"allowed": True, "reason": lead + "; ".join(rules.ground(g).text("nb" if nb else "en") for g in acc.grounds),
            "missing": ""}


def procedure_access(
    part: str,
    grounds: Iterable[str] = (),
    rules: Rules | None = None,
    language: str = "en",
    include_hidden: bool = False,
) -> pd.DataFrame:
    """Each procedure's access in a part of FOA, given the grounds the user says hold.

    Parameters
    ----------
    part
        ``outside``, ``I``, ``II`` or ``III``.
    grounds
        Ground ids from ``procedures.yaml`` (e.g. ``complexity``, ``innovation``).
    rules
        Loaded rules; default :func:`load_rules`.
    include_hidden
        Include procedures marked ``route: false`` (the 0-alternative ``none``).

    Returns
    -------
    pandas.DataFrame
        One row per procedure: ``procedure``, ``name``, ``pseudo``, ``allowed``,
        ``reason`` (why it is allowed), ``missing`` (what is missing when it is
        not), ``citation``, ``verified``, ``source``.
    """
    rules = _rules(rules)
    if part not in PARTS:
        raise InputError(Problem("part", "", f"unknown part '{part}'", f"valid: {', '.join(PARTS)}"))
    given = set(_check_grounds(grounds, rules))
    nb = language == "nb"
    rows = []
    for proc in rules.procedures.procedures:
        if not proc.route and not include_hidden:
            continue
        acc = next((a for a in proc.access if part in a.parts), None)
        name = ((acc.name_nb if nb else acc.name_en) if acc is not None else None) or (proc.name_nb if nb else proc.name_en)
        row: dict[str, object] = {"procedure": proc.id, "name": name, "pseudo": proc.pseudo}
        if acc is None:
            file = display_path(rules.path / "procedures.yaml")
            row.update(allowed=False, reason="", citation="", verified=False, source="",
                       missing=(f"{file} har ingen tilgangsregel for del {part}" if nb
                                else f"{file} gives no access rule for part {part}"))
        else:
            row.update(citation=acc.citation, verified=acc.verified, source=acc.source)
            row.update(_access(acc, part, given, rules, nb))
        rows.append(row)
    cols = ["procedure", "name", "pseudo", "allowed", "reason", "missing", "citation", "verified", "source"]
    return pd.DataFrame(rows, columns=cols)


@dataclass(frozen=True)
class RouteResult:
    """The answer of :func:`route`: the regulation, the part or chapter, and the procedures allowed and not allowed."""

    decision: PartDecision
    procedures: pd.DataFrame
    grounds: tuple[str, ...] = ()
    language: str = "en"

    @property
    def allowed(self) -> pd.DataFrame:
        return self.procedures[self.procedures["allowed"]].reset_index(drop=True)

    @property
    def not_allowed(self) -> pd.DataFrame:
        return self.procedures[~self.procedures["allowed"]].reset_index(drop=True)

    def _notice(self) -> dict | None:
        n = notice_duty(self.decision.part)
        if n is None:
            return None
        return {"text": n.text.get(self.language), "citation": n.citation, "verified": n.verified, "source": n.source}

    def to_dict(self) -> dict:
        """The JSON shape documented in docs/rules.md."""
        def recs(df: pd.DataFrame, keep: Sequence[str]) -> list[dict]:
            return [{k: (bool(r[k]) if isinstance(r[k], bool) or k in ("verified", "pseudo") else r[k]) for k in keep}
                    for r in df.to_dict("records")]

        d = self.decision.to_dict(self.language)
        return {
            "query": {"value": d["value"], "authority": d["authority"], "kind": d["kind"], "date": d["date"],
                      "grounds": list(self.grounds), "language": self.language},
            "regulation": d["regulation"],
            "regime": d["regime"],
            "part": d["part"],
            "part_label": d["label"],
            "reason": d["reason"],
            "citation": d["citation"],
            "verified": d["verified"],
            "boundary": d["boundary"],
            "threshold": d["threshold"],
            "national_threshold": d["national_threshold"],
            "notes": d["notes"],
            "notice": self._notice(),
            "allowed": recs(self.allowed, ["procedure", "name", "pseudo", "reason", "citation", "verified", "source"]),
            "not_allowed": recs(self.not_allowed, ["procedure", "name", "pseudo", "missing", "citation", "verified", "source"]),
        }


def route(
    value: float,
    authority: str,
    kind: str,
    on: dt.date | str | None = None,
    grounds: Iterable[str] = (),
    rules: Rules | None = None,
    language: str = "en",
) -> RouteResult:
    """Which regulation and part apply and which procedures are allowed, with reasons and citations.

    Parameters
    ----------
    value
        Estimated value in NOK excluding VAT.
    authority, kind, on
        As for :func:`threshold_for`.
    grounds
        Ground ids that hold (e.g. ``["complexity", "innovation"]``).
    rules
        Loaded rules; default :func:`load_rules`.
    language
        ``nb`` or ``en``: the language of labels, reasons, procedure names and notes.

    Returns
    -------
    RouteResult
    """
    rules = _rules(rules)
    grounds = tuple(_check_grounds(grounds, rules))
    decision = foa_part(value, authority, kind, on, rules)
    return RouteResult(decision=decision, procedures=procedure_access(decision.part, grounds, rules, language=language),
                       grounds=grounds, language=language)


# ---------------------------------------------------------------------------
# Time limits and standstill
# ---------------------------------------------------------------------------


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
    rules = _rules(rules)
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
        Loaded rules; default :func:`load_rules`.

    Returns
    -------
    TimeLimit or None
        None when the part has no statutory minimum limits.

    Raises
    ------
    InputError
        Unknown procedure, or a step the procedure has no limit for.
    """
    rules = _rules(rules)
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
    rules = _rules(rules)
    return pd.DataFrame([r.model_dump() for r in rules.time_limits.limits],
                        columns=["procedure", "step", "variant", "days", "citation", "verified", "source"])


def standstill(part: str, rules: Rules | None = None) -> StandstillRule | None:
    """The standstill rule that applies in a part of FOA, or None (below the national threshold)."""
    rules = _rules(rules)
    rule = rules.time_limits.standstill
    return rule if part in rule.parts else None


def notice_duty(part: str, rules: Rules | None = None) -> NoticeDuty | None:
    """Where a notice must be published in a part (Doffin, TED), or None when the rules folder does not say."""
    return _rules(rules).time_limits.notices.get(part)


def change_grounds(original: float, rules: Rules | None = None, language: str = "en") -> pd.DataFrame:
    """The grounds of FOA § 28-1 with their cap per change in NOK for a contract of value `original`.

    Columns: ``ground``, ``rule`` (in the language), ``cap_share``, ``cap_nok`` (None when the
    ground has no cap of its own; ground (b) is computed by :func:`change_headroom`), ``citation``, ``verified``.
    """
    rules = _rules(rules)
    v = _check_value(original, "original")
    rows = [{"ground": g.id, "rule": g.text.get(language), "cap_share": g.cap_share,
             "cap_nok": (g.cap_share * v if g.cap_share is not None else None), "citation": g.citation, "verified": g.verified}
            for g in rules.thresholds.change_grounds]
    return pd.DataFrame(rows, columns=["ground", "rule", "cap_share", "cap_nok", "citation", "verified"])


# ---------------------------------------------------------------------------
# Contract-change headroom, FOA § 28-1 (b)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeHeadroom:
    """How much a contract may still be changed under FOA § 28-1 (b).

    A change is allowed without a new competition when its value is below the
    EEA threshold *and* below ``percent`` % of the original contract value;
    successive changes count cumulatively. ``limit`` is the smaller of the two,
    ``remaining`` is ``limit`` minus the changes already used (never below 0):
    a further change must stay *below* ``remaining``.
    """

    original: float
    authority: str
    kind: str
    date: dt.date
    threshold: ThresholdRow
    percent: float
    percent_limit: float
    limit: float
    limited_by: str
    used: tuple[float, ...]
    used_total: float
    remaining: float
    citation: str
    verified: bool

    @property
    def exhausted(self) -> bool:
        """True when the changes already used reach the limit."""
        return self.remaining <= 0

    def to_dict(self) -> dict:
        d = asdict(self)
        d["date"] = self.date.isoformat()
        d["threshold"] = _row_dict(self.threshold)
        d["used"] = list(self.used)
        d["exhausted"] = self.exhausted
        return d


def _check_used(used: Iterable[float]) -> list[float]:
    """The changes already made as amounts; InputError (key ``used``) for one that is not a non-negative number."""
    values = []
    problems = ProblemList()
    for i, u in enumerate(used, start=1):
        try:
            x = float(u)
        except (TypeError, ValueError):
            problems.add("used", f"change {i}", f"'{u}' is not a number", "give each change in NOK, e.g. 150000,80000")
            continue
        if x < 0 or x != x:
            problems.add("used", f"change {i}", f"must not be negative (got {u})",
                         "give the value of each change as a positive amount")
            continue
        values.append(x)
    problems.raise_if_any()
    return values


def change_headroom(
    original: float,
    kind: str,
    authority: str = "municipal",
    on: dt.date | str | None = None,
    used: Iterable[float] = (),
    rules: Rules | None = None,
) -> ChangeHeadroom:
    """Headroom for contract changes under FOA § 28-1 (b).

    Parameters
    ----------
    original
        Original contract value, NOK excluding VAT (> 0).
    kind
        Contract kind (``works`` gets the works percentage, 15 %).
    authority
        Authority type, for the EEA threshold.
    on
        Date of the change (picks the threshold row); default today.
    used
        Values of changes already made under § 28-1 (b), NOK (each >= 0).
    rules
        Loaded rules; default :func:`load_rules`.

    Returns
    -------
    ChangeHeadroom
    """
    rules = _rules(rules)
    orig = _check_value(original, "original")
    if orig == 0:
        raise InputError(Problem("original", "", "the original contract value must be above 0",
                                 "give the value in NOK excluding VAT"))
    used_values = _check_used(used)
    row = threshold_for(authority, kind, on, rules)
    rule = rules.thresholds.change_headroom
    percent = rule.percent.get(row.category, rule.percent["default"])
    pct_limit = orig * percent / 100.0
    limit = min(row.value, pct_limit)
    limited_by = "threshold" if row.value < pct_limit else "percent"
    total = float(sum(used_values))
    return ChangeHeadroom(
        original=orig,
        authority=authority,
        kind=kind,
        date=_as_date(on),
        threshold=row,
        percent=percent,
        percent_limit=pct_limit,
        limit=limit,
        limited_by=limited_by,
        used=tuple(used_values),
        used_total=total,
        remaining=max(0.0, limit - total),
        citation=rule.citation,
        verified=rule.verified and row.verified,
    )


__all__ = [
    "BOUNDARY_CONVENTION",
    "PARTS",
    "ChangeHeadroom",
    "PartDecision",
    "RouteResult",
    "Rules",
    "ThresholdRow",
    "TimeLimit",
    "change_grounds",
    "change_headroom",
    "default_rules_dir",
    "foa_part",
    "load_rules",
    "min_time_limit",
    "national_threshold",
    "notice_duty",
    "procedure_access",
    "regime_for",
    "route",
    "standstill",
    "threshold_for",
    "thresholds_table",
    "time_limit_steps",
    "time_limits_table",
]
