"""The results of the sensitivity analyses, each with its table, its JSON and what it assumed.

* :class:`Stability` — per criterion, the weight interval that keeps the leader first;
* :class:`WhatItTakes` — for each option that does not win, the smallest single change that makes it win;
* :class:`WeightSweep` — every option's score and rank as one weight runs from 0 to 1;
* :class:`Tornado` — every score at its low and its high value, one at a time;
* :class:`Sensitivity` — the SMAA-2 result with the three deterministic analyses, what
  ``procurement sensitivity --format json`` prints.

Each has ``to_frame()`` (the table, ids as index), ``to_dict()`` (JSON-ready, full precision, NaN as None)
and ``assumptions`` (:class:`procurement.text.sentences.Assumption`: the method, where the weights came from,
how the weights move, exact or searched), which ``describe(language)`` turns into sentences.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from procurement.mcda.ranking import json_records, label_pair
from procurement.text.sentences import Assumption, describe
from procurement.uncertainty.smaa import SMAAResult


def _method(method: str) -> Assumption:
    return Assumption("sensitivity.method", {"method": method, "label": label_pair(method)})


@dataclass
class _Result:
    """What every sensitivity result has: the method, the table and where the weights came from."""

    method: str
    table: pd.DataFrame
    weights_from: Assumption | None = None

    @property
    def assumptions(self) -> list[Assumption]:
        head = [_method(self.method)]
        if self.weights_from is not None:
            head.append(self.weights_from)
        return head + self._own()

    def _own(self) -> list[Assumption]:
        return []

    def describe(self, language: str = "nb") -> list[str]:
        return describe(self.assumptions, language)

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()


@dataclass
class Stability(_Result):
    """Per criterion (index): ``weight`` now, ``low`` and ``high``, the weight interval in which the leader stays
    first (for a method whose score is linear in the weights also ``top_low``/``top_high``, the options that draw
    level at the ends, and ``ranking_low``/``ranking_high``, where the whole ranking stays)."""

    exact: bool = True
    points: int = 0  # the sweep's grid when not exact
    leader: list[str] = field(default_factory=list)

    def _own(self) -> list[Assumption]:
        how = Assumption("sensitivity.exact") if self.exact else Assumption("sensitivity.grid", {"points": self.points})
        return [Assumption("sensitivity.rescale"), how]

    def intervals(self) -> pd.DataFrame:
        """The table without the ``low``/``high`` copies of the exact columns (what the command line prints)."""
        return self.table.drop(columns=["low", "high"]) if self.exact else self.table

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "exact": self.exact, "leader": list(self.leader),
                "intervals": json_records(self.intervals(), "criterion")}


@dataclass
class WhatItTakes(_Result):
    """One row per option that does not win (index ``option``): its rank, the smallest change of one weight and of
    one of its scores that draws it level with the leader, and which is easier."""

    exact: bool = True
    points: int = 201
    steps: int = 40

    def _own(self) -> list[Assumption]:
        out = [Assumption("sensitivity.what_it_takes"), Assumption("sensitivity.rescale")]
        if self.exact:
            out.append(Assumption("sensitivity.exact"))
        else:
            out.append(Assumption("sensitivity.search", {"points": self.points, "steps": self.steps}))
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "options": json_records(self.table, "option")}


@dataclass
class WeightSweep(_Result):
    """Long table: ``criterion``, ``weight`` (swept), ``current``, ``option``, ``score``, ``rank``."""

    points: int = 101

    def _own(self) -> list[Assumption]:
        return [Assumption("sensitivity.sweep", {"points": self.points}), Assumption("sensitivity.rescale")]

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "points": self.points, "sweep": json_records(self.table)}


@dataclass
class Tornado(_Result):
    """One row per option and criterion: the score at low and at high, the ranks there and the swing."""

    def _own(self) -> list[Assumption]:
        return [Assumption("sensitivity.tornado")]

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "tornado": json_records(self.table)}


@dataclass
class Sensitivity:
    """SMAA-2 and the deterministic analyses of one decision with one method: what ``procurement sensitivity``
    shows. ``stability`` is given for a method whose score is linear in the weights (else None)."""

    case: str
    decision: str
    smaa: SMAAResult
    stability: Stability | None
    what_it_takes: WhatItTakes
    tornado: Tornado

    @property
    def assumptions(self) -> list[Assumption]:
        """SMAA's assumptions, then those the deterministic analyses add (each key once)."""
        out = list(self.smaa.assumptions)
        parts = [self.what_it_takes, self.tornado] + ([self.stability] if self.stability is not None else [])
        seen = {(a.key, tuple(sorted(map(str, a.values.items())))) for a in out}
        for part in parts:
            for a in part.assumptions:
                key = (a.key, tuple(sorted(map(str, a.values.items()))))
                if key not in seen and a.key not in ("sensitivity.method",):
                    seen.add(key)
                    out.append(a)
        return out

    def describe(self, language: str = "nb") -> list[str]:
        return describe(self.assumptions, language)

    def to_frame(self) -> pd.DataFrame:
        """The SMAA summary per option (first-rank acceptability, confidence, mean rank)."""
        return self.smaa.to_frame()

    def to_dict(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "decision": self.decision,
            "smaa": self.smaa.to_dict(),
            "stability": None if self.stability is None else json_records(self.stability.intervals(), "criterion"),
            "what_would_it_take": json_records(self.what_it_takes.table, "option"),
            "tornado": json_records(self.tornado.table),
            "assumptions": [a.to_dict() for a in self.assumptions],
        }
