"""The answer to "evaluate this competition": :class:`TenderResult`, built by :func:`evaluate_competition`.

It holds the evaluation (points, totals, ranks, margins, ties, consensus), what each losing tenderer would need
to win, the ranking-paradox check and the seal state, with the assumptions behind them. ``to_dict()`` is exactly
what ``procurement tender evaluate --format json`` prints; ``describe(language)`` the sentences the report prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from procurement.text.sentences import Assumption, describe
from procurement.tender.paradox import check
from procurement.tender.competition import Competition
from procurement.tender.evaluate import Evaluation, evaluate, price_weight, sweep_totals, weight_sweep, what_it_takes
from procurement.tender.models import EvaluationModel
from procurement.tender.records import records
from procurement.tender.seal import SealStatus, enforce


@dataclass
class TenderResult:
    """One evaluated competition (see the module's text)."""

    evaluation: Evaluation
    what_it_takes: pd.DataFrame  # tenderer, rank, gap, evaluated_price, price_to_win, price_change, <criterion>_to_win
    paradox: pd.DataFrame  # change, tender, extra_price, first, second, before, after, totals before and after
    seal: SealStatus
    assumptions: list[Assumption] = field(default_factory=list)

    @property
    def competition(self) -> Competition:
        return self.evaluation.competition

    @property
    def model(self) -> EvaluationModel:
        return self.evaluation.model

    @property
    def winner(self) -> str | None:
        return self.evaluation.winner

    @property
    def table(self) -> pd.DataFrame:
        """Tenderer, evaluated price, points per criterion, total, rank, margin, tie; best first."""
        return self.evaluation.table

    @property
    def consensus(self) -> pd.DataFrame:
        return self.evaluation.consensus

    @property
    def price_weight(self) -> float:
        return price_weight(self.model)

    def criteria(self) -> pd.DataFrame:
        """The evaluation model, one row per award criterion (:func:`procurement.tender.pricing.criteria_table`)."""
        return self.competition.criteria()

    def justifications(self) -> pd.DataFrame:
        return self.evaluation.justifications()

    def weight_sweep(self, steps: int = 21) -> pd.DataFrame:
        """The winner and its margin as the price weight runs from 0 to 1."""
        return weight_sweep(self.evaluation, steps)

    def sweep_totals(self, steps: int = 51) -> pd.DataFrame:
        """Each tenderer's total as the price weight runs from 0 to 1 (price_weight, tenderer, total)."""
        return sweep_totals(self.evaluation, steps)

    def to_frame(self) -> pd.DataFrame:
        """The evaluation table with the tenderer ids as the index."""
        return self.table.set_index("tenderer")

    def to_dict(self) -> dict:
        """JSON-ready, full precision (NaN as None): what ``procurement tender evaluate --format json`` prints."""
        ev = self.evaluation
        return {
            "competition": self.model.id,
            "winner": ev.winner,
            "table": records(ev.table),
            "ties": list(ev.ties),
            "disagreements": records(ev.disagreements()),
            "warnings": list(ev.warnings),
            "seal": self.seal.messages(),
            "what_it_takes": records(self.what_it_takes),
            "paradox": records(self.paradox),
            "assumptions": [a.to_dict() for a in self.assumptions],
        }

    def describe(self, language: str = "nb") -> list[str]:
        """One sentence per assumption: the model, its price rule and source, the weights, the seal."""
        return describe(self.assumptions, language)


def evaluate_competition(comp: Competition, allow_changed_model: bool = False) -> TenderResult:
    """Compare the model with its seal (refusing a changed model unless allowed), evaluate, find what it would take
    each losing tenderer to win, and check for the ranking paradox."""
    st = enforce(comp, allow_changed=allow_changed_model)
    ev = evaluate(comp)
    assumptions = comp.assumptions + st.assumptions
    return TenderResult(ev, what_it_takes(ev), check(ev), st, assumptions)
