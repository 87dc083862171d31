"""Thresholds and the part of the regulations an estimated value falls in.

:func:`threshold_for` and :func:`national_threshold` give the dated threshold rows in force on a day;
:func:`regime_for` the regime (FOA, forsyningsforskriften, konsesjonskontraktforskriften) of an authority type
and contract kind; :func:`foa_part` the part or chapter a value falls in, with the reason in both languages.

Boundary convention
-------------------
A value *at* a threshold counts as at or above it: a value below the lower limit in force (:func:`floor_row`: NOK
100,000 from 2017; NOK 500,000 from 1 July 2026, unverified) is outside the rules; from the lower limit up to (not
including) the national threshold FOA Part I applies; from the national threshold up to (not
including) the EEA threshold Part II; at or above the EEA threshold Part III. A threshold row is in force on every
day from ``valid_from`` to ``valid_to``, both included; an empty ``valid_from`` or ``valid_to`` means open-ended.

Every mistake in the input (unknown authority or kind, a date with no row in force, a negative value) raises
:class:`~procurement.case.errors.InputError` with one clear problem, under a neutral key (``authority``,
``kind``, ``date``, ``value``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from procurement.case.errors import InputError, Problem, did_you_mean, display_path
from procurement.law.loader import rules_or_default
from procurement.law.models import Cited, FloorRow, NationalRow, Regime, Rules, ThresholdRow, row_dict
from procurement.text.labels import LABELS, label
from procurement.text.sentences import Assumption, sentence

BOUNDARY_CONVENTION = (
    "a value at a threshold counts as at or above it: < lower limit (NOK 100,000; NOK 500,000 from 2026-07-01, "
    "unverified) outside; lower limit <= v < national threshold Part I; national <= v < EEA threshold Part II; "
    "v >= EEA threshold Part III"
)

#: The languages every reason and note is written in.
LANGUAGES = ("en", "nb")


def part_label(part: str, language: str = "en", rules: Rules | None = None) -> str:
    """The name of a part or chapter (FOA, forsyningsforskriften, konsesjonskontraktforskriften) in bokmål ('nb') or English."""
    try:
        labels = rules_or_default(rules).thresholds.parts
    except InputError:
        labels = {}
    if part in labels:
        return labels[part].get(language)
    key = f"law.part.{part}"
    return label(key, language) if key in LABELS else part


def check_value(value: float | str, key: str = "value") -> float:
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


def as_date(on: dt.date | str | None) -> dt.date:
    """A date from a date, a datetime or ISO text; today for None; InputError (key ``date``) otherwise."""
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


def _check_authority(authority: str, rules: Rules) -> None:
    if authority not in rules.thresholds.authorities:
        raise InputError(Problem("authority", "", f"unknown authority '{authority}'", did_you_mean(authority, rules.authorities)))


def _check_kind(kind: str, rules: Rules) -> str:
    if kind not in rules.thresholds.kinds:
        raise InputError(Problem("kind", "", f"unknown kind '{kind}'", did_you_mean(kind, rules.kinds)))
    return rules.thresholds.kinds[kind]


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
        Loaded rules; default :func:`~procurement.law.loader.load_rules`.

    Raises
    ------
    InputError
        Unknown authority or kind (lists the valid ones), or no row in force on
        that date (lists the periods that exist).
    """
    rules = rules_or_default(rules)
    _check_authority(authority, rules)
    category = _check_kind(kind, rules)
    day = as_date(on)
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


def _in_force(rows: list, day: dt.date, what: str, rules: Rules):
    """The row of `rows` in force on `day`, or InputError naming the periods the rules file has for `what`."""
    for r in rows:
        if r.in_force(day):
            return r
    periods = "; ".join(f"{r.period()} ({r.id})" for r in rows)
    raise InputError(
        Problem("date", "", f"no {what} row is in force on {day}",
                f"periods in {display_path(rules.path / 'thresholds.yaml')}: {periods}")
    )


def national_threshold(on: dt.date | str | None = None, rules: Rules | None = None) -> NationalRow:
    """The national threshold row (FOA Part II) in force on a date."""
    rules = rules_or_default(rules)
    return _in_force(rules.thresholds.national, as_date(on), "national threshold", rules)


def floor_row(on: dt.date | str | None = None, rules: Rules | None = None) -> FloorRow:
    """The lower limit row (anskaffelsesloven § 2) in force on a date: below its value the rules do not apply."""
    rules = rules_or_default(rules)
    return _in_force(rules.thresholds.floor, as_date(on), "lower-limit (anskaffelsesloven § 2)", rules)


def regime_for(authority: str, kind: str, rules: Rules | None = None) -> Regime:
    """The first regime of ``thresholds.yaml`` whose authorities and kinds match; InputError when none does."""
    rules = rules_or_default(rules)
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
    floor: FloorRow | None = None
    label_nb: str = ""
    reason_nb: str = ""
    notes_nb: tuple[str, ...] = ()

    def text(self, language: str) -> dict[str, Any]:
        """Label, reason, regulation and notes in one language (``nb``; any other language gets English)."""
        label_, reason, notes = {"nb": (self.label_nb, self.reason_nb, self.notes_nb)}.get(
            language, (self.label, self.reason, self.notes))
        return {"label": label_, "reason": reason, "regulation": self.regime.regulation.get(language) if self.regime else "",
                "notes": list(notes)}

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
            "threshold": row_dict(self.threshold),
            "national_threshold": row_dict(self.national),
            "floor": row_dict(self.floor) if self.floor is not None else None,
            "notes": t["notes"],
        }


def nok(value: float, language: str) -> str:
    """An amount for a reason text: 'NOK 2,300,000' (en) or '2 300 000 kr' (nb)."""
    return sentence("law.nok", language, value=value)


def _bounds(row: ThresholdRow, nat: NationalRow, floor: FloorRow) -> dict[str, float]:
    return {"zero": 0.0, "floor": floor.below, "national": nat.value, "eea": row.value}


def _bound(k: str, b: dict[str, float], language: str) -> str:
    """A bound as a reason names it: 'the EEA threshold NOK 2,300,000'."""
    name = label(f"law.bound.{k}", language)
    return name if k == "zero" else f"{name} {nok(b[k], language)}"


def _band_reason(v: float, lo: str, hi: str | None, b: dict[str, float], rows: dict[str, str], language: str) -> str:
    ref = "".join(f" ({rows[k]})" for k in ("floor", "eea") if k in (lo, hi))
    if hi is None:
        return sentence("law.band.at_or_above", language, value=nok(v, language), lo=_bound(lo, b, language), ref=ref)
    if lo == "zero":
        return sentence("law.band.below", language, value=nok(v, language), hi=_bound(hi, b, language), ref=ref)
    return sentence("law.band.between", language, value=nok(v, language), lo=_bound(lo, b, language),
                    hi=_bound(hi, b, language), ref=ref)


def _part_of(v: float, regime: Regime, row: ThresholdRow, nat: NationalRow,
             floor: FloorRow) -> tuple[str, dict[str, str], str, bool, bool]:
    """(part, reason by language, citation, verified, floor used) for a value, by the at-or-above convention."""
    b = _bounds(row, nat, floor)
    bands = sorted(regime.bands, key=lambda band: b[band.from_])
    i = max(j for j, band in enumerate(bands) if v >= b[band.from_])
    lo = bands[i].from_
    hi = bands[i + 1].from_ if i + 1 < len(bands) else None
    ids = {"floor": floor.id, "eea": row.id}
    reason = {lang: _band_reason(v, lo, hi, b, ids, lang) for lang in LANGUAGES}
    used: list[Cited] = [regime]
    if "eea" in (lo, hi):
        used.append(row)
    if "national" in (lo, hi):
        used.append(nat)
    if "floor" in (lo, hi) or lo == "zero":
        used.append(floor)
    citation = "; ".join(dict.fromkeys(c.citation for c in used))
    return bands[i].part, reason, citation, all(c.verified for c in used), floor in used


def _part_notes(day: dt.date, regime: Regime, rows: tuple[ThresholdRow, FloorRow | None], rules: Rules,
                language: str) -> list[str]:
    """Warnings: an unverified regime, threshold or floor row (the floor when it decided), a possibly outdated row,
    values missing after a date."""
    row, floor = rows
    notes: list[str] = []
    if not regime.verified:
        notes.append(sentence("law.note.regime_unverified", language, regime=regime.id,
                              regulation=regime.regulation.get(language), source=regime.source))
    if floor is not None and not floor.verified:
        notes.append(sentence("law.note.floor_unverified", language, row=floor.id, value=floor.below,
                              source=floor.source))
    if not row.verified:
        notes.append(sentence("law.note.row_unverified", language, row=row.id, source=row.source))
    missing = rules.thresholds.missing_after
    if missing is not None and row.valid_to is None and day >= missing.date:
        notes.append(missing.note.get(language))
    if row.stale(day):
        notes.append(stale_note(row, day, language))
    return notes


def stale_note(row: ThresholdRow, day: dt.date, language: str) -> str:
    """The warning that an open-ended row may have been superseded (see :meth:`ThresholdRow.stale`)."""
    return sentence("law.note.stale", language, row=row.id, valid_from=row.valid_from, date=day)


def foa_part(
    value: float | str,
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
        Estimated value in NOK excluding VAT (a number, or text such as ``2 300 000``); must not be negative.
    authority, kind, on, rules
        As for :func:`threshold_for`.

    Returns
    -------
    PartDecision
        The regime, the part (``outside``, ``I``, ``II``, ``III``, ``IV-30``, ``II-special``,
        ``FF-below``, ``FF-II``, ``FF-III``, ``KKF-below`` or ``KKF``), the reason in both
        languages, and the EEA, national and lower-limit rows used.
    """
    rules = rules_or_default(rules)
    v = check_value(value)
    _check_authority(authority, rules)
    category = _check_kind(kind, rules)
    day = as_date(on)
    regime = regime_for(authority, kind, rules)
    row = threshold_for(authority, kind, day, rules)
    nat = national_threshold(day, rules)
    floor = floor_row(day, rules)
    part, reason, citation, verified, floor_used = _part_of(v, regime, row, nat, floor)
    notes = {lang: _part_notes(day, regime, (row, floor if floor_used else None), rules, lang) for lang in LANGUAGES}
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
        floor=floor,
        label_nb=part_label(part, "nb", rules),
        reason_nb=reason["nb"],
        notes_nb=tuple(notes["nb"]),
    )


def row_assumptions(row: FloorRow | NationalRow | ThresholdRow) -> list[Assumption]:
    """What a threshold row says as assumptions: its value, period and citation, and whether it is verified."""
    which = {ThresholdRow: "eea", FloorRow: "floor"}.get(type(row), "national")
    value = row.below if isinstance(row, FloorRow) else row.value
    shape = "from" if row.valid_to is None else "between"
    period = {"valid_from": row.valid_from.isoformat() if row.valid_from else None,
              "valid_to": row.valid_to.isoformat() if row.valid_to else None}
    flag = "verified" if row.verified else "unverified"
    return [
        Assumption(f"law.assume.{which}_{shape}", {"row": row.id, "value": value, **period, "citation": row.citation,
                                                   "verified": row.verified}),
        Assumption(f"law.assume.{flag}", {"row": row.id, "source": row.source}),
    ]


def decision_assumptions(d: PartDecision) -> list[Assumption]:
    """The date asked about, the regime, the EEA and national threshold rows used and the boundary convention."""
    out = [Assumption("law.assume.date", {"date": d.date.isoformat()})]
    if d.regime is not None:
        rg = d.regime
        out.append(Assumption("law.assume.regime", {"regime": rg.id, "regulation_nb": rg.regulation.nb,
                                                    "regulation_en": rg.regulation.en, "citation": rg.citation,
                                                    "verified": rg.verified}))
        if not rg.verified:
            out.append(Assumption("law.assume.regime_unverified", {"regime": rg.id, "source": rg.source}))
    floor = row_assumptions(d.floor) if d.floor is not None else []
    return [*out, *row_assumptions(d.threshold), *row_assumptions(d.national), *floor, Assumption("law.assume.boundary")]


def thresholds_table(rules: Rules | None = None) -> pd.DataFrame:
    """All threshold rows as a DataFrame (one row per authority and EEA row, plus the national rows)."""
    rules = rules_or_default(rules)
    out = []
    for f in rules.thresholds.floor:
        out.append({"id": f.id, "authority": "all", "category": "floor", "value": f.below, "valid_from": f.valid_from,
                    "valid_to": f.valid_to, "citation": f.citation, "verified": f.verified, "source": f.source})
    for n in rules.thresholds.national:
        out.append({"id": n.id, "authority": "all", "category": "national", "value": n.value, "valid_from": n.valid_from,
                    "valid_to": n.valid_to, "citation": n.citation, "verified": n.verified, "source": n.source})
    for r in rules.thresholds.eea:
        for a in r.authorities:
            out.append({"id": r.id, "authority": a, "category": r.category, "value": r.value, "valid_from": r.valid_from,
                        "valid_to": r.valid_to, "citation": r.citation, "verified": r.verified, "source": r.source})
    return pd.DataFrame(out)


__all__ = [
    "BOUNDARY_CONVENTION",
    "PartDecision",
    "as_date",
    "check_value",
    "floor_row",
    "foa_part",
    "national_threshold",
    "nok",
    "part_label",
    "regime_for",
    "decision_assumptions",
    "row_assumptions",
    "stale_note",
    "threshold_for",
    "thresholds_table",
]
