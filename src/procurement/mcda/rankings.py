"""Rankings by several methods and weight sets of one decision, compared: what ``procurement rank`` shows.

:class:`Rankings` holds every :class:`~procurement.mcda.ranking.Ranking` (weight set × method), the
combinations a method could not rank, the options ranked on a condition (pass-if), the method comparison per
weight set and, when every weight set of the decision was ranked, the stakeholder analysis per method. Its
``to_dict()`` is the document ``procurement rank --format json`` prints (``schema: procurement.rank/1``, see
docs/methods.md), ``to_frame()`` the long table the CSV format prints, ``assumptions`` what it used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from procurement.law.whomayuse import mark_conditions
from procurement.mcda.ahp import AHPWeights
from procurement.mcda.comparison import comparison_dict, comparison_table, correlations, rank_table
from procurement.mcda.ranking import Ranking, json_records, label_pair, screening_assumption
from procurement.mcda.screening import MARKER, conditional_text
from procurement.mcda.stakeholders import Stakeholders
from procurement.text.sentences import Assumption, describe

SCHEMA = "procurement.rank/1"


def ahp_summary(ahp: AHPWeights | None) -> dict[str, dict] | None:
    """Per AHP comparison node: local weights, Saaty's consistency ratio, whether it is consistent, a note."""
    if ahp is None:
        return None
    return {
        node: {
            "weights": {k: round(float(v), 6) for k, v in r.weights.items()},
            "cr": round(r.cr, 6),
            "consistent": r.consistent,
            "note": r.describe(),
        }
        for node, r in ahp.nodes.items()
    }


def profile_name(profile: str | None) -> str:
    """How tables and the JSON name a weight set: its profile, ``default`` for the criteria file's weights."""
    return "default" if profile is None else profile


@dataclass
class Rankings:
    """Every ranking of one decision by the methods and weight sets asked for (see the module docstring)."""

    case: str
    decision: str
    scenario: str
    methods: list[str]
    weights: pd.Series  # the analysis's own weights
    weights_from: Assumption
    results: list[Ranking]
    skipped: list[dict]
    excluded: pd.DataFrame
    conditional: pd.DataFrame  # pass-if options (procurement.mcda.screening.conditional)
    stakeholders: dict[str, Stakeholders] | None = None
    ahp: AHPWeights | None = None
    labels: dict[str, str] = field(default_factory=dict)  # option id -> name in the analysis's language

    @property
    def by_profile(self) -> dict[str | None, list[Ranking]]:
        """The rankings grouped by weight set, in the order they were ranked."""
        out: dict[str | None, list[Ranking]] = {}
        for r in self.results:
            out.setdefault(r.profile, []).append(r)
        return out

    @property
    def assumptions(self) -> list[Assumption]:
        """The methods, the analysis's weights and where they came from, the weight sets, the screening."""
        kept = len(self.results[0].matrix) if self.results else 0
        labels = [label_pair(m) for m in self.methods]
        names = {lang: ", ".join(x[lang] for x in labels) for lang in ("nb", "en")}
        return [Assumption("mcda.methods", {"methods": ", ".join(self.methods), "labels": names}), self.weights_from,
                screening_assumption(kept, self.excluded)]

    def describe(self, language: str = "nb") -> list[str]:
        return describe(self.assumptions, language)

    def comparison(self, profile: str | None) -> pd.DataFrame:
        """Every method side by side for one weight set, with Borda and Copeland consensus."""
        return comparison_table(self.by_profile[profile], self.labels)

    def correlations(self, profile: str | None, method: str = "kendall") -> pd.DataFrame:
        """Rank correlation (``kendall`` τ-b or ``spearman`` ρ) between every pair of methods, for one weight set."""
        return correlations(rank_table(self.by_profile[profile], "method"), method)

    def ahp_summary(self) -> dict[str, dict] | None:
        return ahp_summary(self.ahp)

    MARKER = MARKER  # after the name of an option ranked on a condition (pass-if)

    def marked(self, table: pd.DataFrame) -> pd.DataFrame:
        """`table` (index option, a ``label`` column) with the pass-if marker after each option ranked on a condition."""
        ids = set(self.conditional["option"])
        if not ids or "label" not in table.columns:
            return table
        out = table.copy()
        out["label"] = [f"{lab} {MARKER}" if o in ids else lab for o, lab in zip(out.index, out["label"], strict=True)]
        return out

    def mark_conditions(self, table: pd.DataFrame, language: str = "nb") -> pd.DataFrame:
        """`table` (index option, a ``label`` column) with the pass-if marker on each option ranked on a condition,
        its ``condition`` (with citations) and ``lead_time_months`` (:func:`procurement.law.whomayuse.mark_conditions`)."""
        return mark_conditions(table, self.conditional, language)

    def conditional_lines(self, language: str = "en") -> list[str]:
        """'option †: condition (lead time; citation)' for every pass-if option; [] when none."""
        return conditional_text(self.conditional, language)

    def to_frame(self) -> pd.DataFrame:
        """One row per weight set × method × option (``method``, ``profile``, ``option``, ``label``, ``score``,
        ``rank``), then one per option the screening removed (``method`` = ``screening``, ``excluded_by``)."""
        frames = []
        for r in self.results:
            t = r.table.reset_index(names="option")
            t.insert(0, "method", r.method)
            t.insert(1, "profile", profile_name(r.profile))
            frames.append(t)
        rows = [{"method": "screening", "profile": "", "option": o, "label": self.labels.get(o, o), "score": None,
                 "rank": None, "excluded_by": rule} for o, rule in zip(self.excluded["option"], self.excluded["rule"],
                                                                       strict=True)]
        if rows:
            frames.append(pd.DataFrame(rows))
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def to_dict(self) -> dict[str, Any]:
        by_profile = self.by_profile
        out: dict[str, Any] = {
            "schema": SCHEMA,
            "case": self.case,
            "decision": self.decision,
            "scenario": self.scenario,
            "methods": list(self.methods),
            "profiles": [profile_name(p) for p in by_profile],
            "weights": {str(c): float(w) for c, w in self.weights.items()},
            "excluded": json_records(self.excluded),
            "conditional": [{k: (bool(v) if k == "verified" else v) for k, v in row.items()}
                            for row in json_records(self.conditional)],
            "results": [r.to_dict() for r in self.results],
            "skipped": self.skipped,
        }
        if len(self.methods) > 1:
            out["comparison"] = {profile_name(p): comparison_dict(rs) for p, rs in by_profile.items() if len(rs) > 1}
        if self.stakeholders is not None:
            out["stakeholders"] = {m: s.to_dict() for m, s in self.stakeholders.items()}
        if self.ahp is not None:
            out["ahp"] = ahp_summary(self.ahp)
        out["assumptions"] = [a.to_dict() for a in self.assumptions]
        return out
