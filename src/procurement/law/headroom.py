"""Contract-change headroom under FOA § 28-1 (b), and the other grounds of § 28-1 with their caps.

A change is allowed without a new competition when its value is below the EEA threshold *and* below a
percentage of the original contract value (10 %, 15 % for works: ``thresholds.yaml``, ``change_headroom``);
successive changes count cumulatively. :func:`headroom` answers with a :class:`ChangeHeadroom`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from procurement.case.errors import InputError, Problem, ProblemList
from procurement.law.loader import rules_or_default
from procurement.law.models import Rules, ThresholdRow, row_dict
from procurement.law.thresholds import as_date, check_value, row_assumptions, threshold_for
from procurement.text.sentences import Assumption, describe

GROUND_COLUMNS = ["ground", "rule", "cap_share", "cap_nok", "citation", "verified"]


def change_grounds(original: float, rules: Rules | str | Path | None = None, language: str = "en") -> pd.DataFrame:
    """The grounds of FOA § 28-1 with their cap per change in NOK for a contract of value `original`.

    Columns: ``ground``, ``rule`` (in the language), ``cap_share``, ``cap_nok`` (None when the
    ground has no cap of its own; ground (b) is computed by :func:`headroom`), ``citation``, ``verified``.
    """
    rules = rules_or_default(rules)
    v = check_value(original, "original")
    rows = [{"ground": g.id, "rule": g.text.get(language), "cap_share": g.cap_share,
             "cap_nok": (g.cap_share * v if g.cap_share is not None else None), "citation": g.citation, "verified": g.verified}
            for g in rules.thresholds.change_grounds]
    return pd.DataFrame(rows, columns=GROUND_COLUMNS)


@dataclass(frozen=True)
class ChangeHeadroom:
    """How much a contract may still be changed under FOA § 28-1 (b).

    A change is allowed without a new competition when its value is below the
    EEA threshold *and* below ``percent`` % of the original contract value;
    successive changes count cumulatively. ``limit`` is the smaller of the two,
    ``remaining`` is ``limit`` minus the changes already used (never below 0):
    a further change must stay *below* ``remaining``. ``other_grounds`` lists the
    other grounds of § 28-1 with their cap per change (:func:`change_grounds`);
    ``assumptions`` what the answer used (:meth:`describe` says it in words).
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
    other_grounds: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=GROUND_COLUMNS), compare=False)
    assumptions: tuple[Assumption, ...] = ()

    @property
    def exhausted(self) -> bool:
        """True when the changes already used reach the limit."""
        return self.remaining <= 0

    @property
    def over_limit(self) -> list[float]:
        """Changes already made that were at or above the limit on their own (they needed another ground)."""
        return [u for u in self.used if u >= self.limit]

    def to_frame(self) -> pd.DataFrame:
        """The figures of the answer, one row each: ``item`` -> ``value`` (NOK, or the percentage)."""
        items = ["original", "threshold", "percent", "percent_limit", "limit", "used_total", "remaining"]
        values = [self.original, self.threshold.value, self.percent, self.percent_limit, self.limit, self.used_total,
                  self.remaining]
        return pd.DataFrame({"value": values}, index=pd.Index(items, name="item"))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the figures, the threshold row used, the other § 28-1 grounds and the assumptions."""
        grounds = self.other_grounds.astype(object).where(self.other_grounds.notna(), None)
        return {
            "original": self.original,
            "authority": self.authority,
            "kind": self.kind,
            "date": self.date.isoformat(),
            "threshold": row_dict(self.threshold),
            "percent": self.percent,
            "percent_limit": self.percent_limit,
            "limit": self.limit,
            "limited_by": self.limited_by,
            "used": list(self.used),
            "used_total": self.used_total,
            "remaining": self.remaining,
            "citation": self.citation,
            "verified": self.verified,
            "exhausted": self.exhausted,
            "other_grounds": grounds.to_dict("records"),
            "assumptions": [a.to_dict() for a in self.assumptions],
        }

    def describe(self, language: str = "nb") -> list[str]:
        """One sentence per assumption, in `language`."""
        return describe(self.assumptions, language)


def _check_used(used: Iterable[float | str]) -> list[float]:
    """The changes already made as amounts; InputError (key ``used``) for one that is not a non-negative number."""
    values = []
    problems = ProblemList()
    for i, u in enumerate(used, start=1):
        try:
            x = float(str(u).strip().replace(" ", "").replace("_", "")) if isinstance(u, str) else float(u)
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


def headroom(
    original: float | str,
    kind: str,
    authority: str = "municipal",
    date: dt.date | str | None = None,
    used: Iterable[float | str] = (),
    rules: Rules | str | Path | None = None,
    language: str = "en",
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
    date
        Date of the change (picks the threshold row); default today.
    used
        Values of changes already made under § 28-1 (b), NOK (each >= 0; numbers or text such as ``150 000``).
    rules
        Loaded rules or a rules folder; default :func:`~procurement.law.loader.load_rules`.
    language
        Language of the other grounds' texts (``other_grounds``).

    Returns
    -------
    ChangeHeadroom

    Raises
    ------
    InputError
        Each problem under a neutral key: ``original``, ``used``, ``kind``, ``authority``, ``date``.
    """
    rules = rules_or_default(rules)
    orig = check_value(original, "original")
    if orig == 0:
        raise InputError(Problem("original", "", "the original contract value must be above 0",
                                 "give the value in NOK excluding VAT"))
    used_values = _check_used(used)
    day = as_date(date)
    row = threshold_for(authority, kind, day, rules)
    rule = rules.thresholds.change_headroom
    percent = rule.percent.get(row.category, rule.percent["default"])
    pct_limit = orig * percent / 100.0
    limit = min(row.value, pct_limit)
    total = float(sum(used_values))
    grounds = change_grounds(orig, rules, language)
    assumptions = (
        Assumption("law.assume.date", {"date": day.isoformat()}),
        *row_assumptions(row),
        Assumption("law.assume.headroom_percent", {"share": percent / 100.0, "citation": rule.citation,
                                                   "verified": rule.verified}),
        Assumption("law.assume.used", {"count": len(used_values), "total": total}),
    )
    return ChangeHeadroom(
        original=orig,
        authority=authority,
        kind=kind,
        date=day,
        threshold=row,
        percent=percent,
        percent_limit=pct_limit,
        limit=limit,
        limited_by="threshold" if row.value < pct_limit else "percent",
        used=tuple(used_values),
        used_total=total,
        remaining=max(0.0, limit - total),
        citation=rule.citation,
        verified=rule.verified and row.verified,
        other_grounds=grounds[grounds["ground"] != "b"].reset_index(drop=True),
        assumptions=assumptions,
    )


__all__ = ["GROUND_COLUMNS", "ChangeHeadroom", "change_grounds", "headroom"]
