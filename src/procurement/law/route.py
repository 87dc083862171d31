"""The general route question: which regulation and part apply to a procurement, and which procedures are allowed.

:func:`route` answers for an estimated value, an authority type, a contract kind and a date (no case needed),
given the grounds that hold; ``procurement.route`` is this function, ``procurement route`` prints its answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from procurement.law.loader import rules_or_default
from procurement.law.models import NoticeDuty, Rules, StandstillRule
from procurement.law.procedures import check_grounds, procedure_access
from procurement.law.thresholds import PartDecision, decision_assumptions, foa_part
from procurement.law.time_limits import notice_duty, standstill
from procurement.text.sentences import Assumption, describe

_ALLOWED_KEYS = ["procedure", "name", "pseudo", "reason", "citation", "verified", "source"]
_NOT_ALLOWED_KEYS = ["procedure", "name", "pseudo", "missing", "citation", "verified", "source"]


def _records(df: pd.DataFrame, keep: Sequence[str]) -> list[dict]:
    return [{k: (bool(r[k]) if isinstance(r[k], bool) or k in ("verified", "pseudo") else r[k]) for k in keep}
            for r in df.to_dict("records")]


@dataclass(frozen=True)
class RouteResult:
    """The answer of :func:`route`: the regulation, the part or chapter, and the procedures allowed and not allowed.

    ``notice`` is the notice duty of the part (None when the rules do not say), ``standstill`` its standstill rule
    (None below the national threshold); ``assumptions`` what the answer used: the date asked about, the regime,
    the threshold rows with their periods and verified flags, the boundary convention and the grounds given.
    """

    decision: PartDecision
    procedures: pd.DataFrame
    grounds: tuple[str, ...] = ()
    language: str = "en"
    notice: NoticeDuty | None = None
    standstill: StandstillRule | None = None
    assumptions: tuple[Assumption, ...] = field(default=())

    @property
    def allowed(self) -> pd.DataFrame:
        return self.procedures[self.procedures["allowed"]].reset_index(drop=True)

    @property
    def not_allowed(self) -> pd.DataFrame:
        return self.procedures[~self.procedures["allowed"]].reset_index(drop=True)

    def _notice(self) -> dict | None:
        n = self.notice
        if n is None:
            return None
        return {"text": n.text.get(self.language), "citation": n.citation, "verified": n.verified, "source": n.source}

    def _standstill(self) -> dict | None:
        s = self.standstill
        if s is None:
            return None
        return {"days": s.days, "citation": s.citation, "verified": s.verified, "source": s.source,
                "exceptions": [{"id": x.id, "text": x.text.get(self.language), "citation": x.citation,
                                "verified": x.verified} for x in s.exceptions]}

    def to_frame(self) -> pd.DataFrame:
        """Every procedure (index: procedure id) with its name, whether it is allowed, why or what it needs."""
        return self.procedures.set_index("procedure")

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape documented in docs/rules.md: what ``procurement route --format json`` prints."""
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
            "floor": d["floor"],
            "notes": d["notes"],
            "notice": self._notice(),
            "standstill": self._standstill(),
            "allowed": _records(self.allowed, _ALLOWED_KEYS),
            "not_allowed": _records(self.not_allowed, _NOT_ALLOWED_KEYS),
            "assumptions": [a.to_dict() for a in self.assumptions],
        }

    def describe(self, language: str | None = None) -> list[str]:
        """One sentence per assumption, in `language` (default: the answer's)."""
        return describe(self.assumptions, language or self.language)


def route(
    value: float | str,
    authority: str,
    kind: str,
    date: dt.date | str | None = None,
    grounds: Iterable[str] = (),
    rules: Rules | str | Path | None = None,
    language: str = "en",
) -> RouteResult:
    """Which regulation and part apply and which procedures are allowed, with reasons and citations.

    Parameters
    ----------
    value
        Estimated value in NOK excluding VAT (a number, or text such as ``2 300 000``).
    authority
        ``state``, ``municipal`` or ``utility``.
    kind
        ``goods``, ``services``, ``works``, ``health-social``, ``special-services``, ``concession`` or ``utilities``.
    date
        The day the thresholds are taken from (a date or ISO text); default today.
    grounds
        Ground ids that hold (e.g. ``["complexity", "innovation"]``).
    rules
        Loaded rules or a rules folder; default :func:`~procurement.law.loader.load_rules`.
    language
        ``nb`` or ``en``: the language of labels, reasons, procedure names and notes.

    Returns
    -------
    RouteResult

    Raises
    ------
    InputError
        Each problem under a neutral key: ``value``, ``authority``, ``kind``, ``date``, ``grounds``.
    """
    rules = rules_or_default(rules)
    grounds = tuple(check_grounds(grounds, rules))
    decision = foa_part(value, authority, kind, date, rules)
    assumptions = decision_assumptions(decision)
    if grounds:
        assumptions.append(Assumption("law.assume.grounds", {"grounds": ", ".join(grounds)}))
    return RouteResult(decision=decision, procedures=procedure_access(decision.part, grounds, rules, language=language),
                       grounds=grounds, language=language, notice=notice_duty(decision.part, rules),
                       standstill=standstill(decision.part, rules), assumptions=tuple(assumptions))


__all__ = ["RouteResult", "route"]
