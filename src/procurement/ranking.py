"""Rank the options of a decision with a scikit-criteria method.

:func:`rank` screens the options (must-pass rules), builds a
``skcriteria`` decision matrix from the likely scores, runs the method's
pipeline and returns a :class:`Ranking`: the table of ranks and scores, the
excluded options with their reasons, and the exact inputs the method saw so
anyone can recompute the result with scikit-criteria alone.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import skcriteria as skc

from .loader import Decision
from .methods import get_method
from .screening import screen


@dataclass
class Ranking:
    decision: str
    method: str
    profile: str | None
    table: pd.DataFrame  # index option: label, score, rank (1 = best)
    excluded: pd.DataFrame  # option, criterion, value, rule, citation
    matrix: pd.DataFrame  # what the method saw (options kept × criteria)
    objectives: pd.Series
    weights: pd.Series

    @property
    def order(self) -> list[str]:
        return self.table.sort_values("rank", kind="stable").index.tolist()

    @property
    def winner(self) -> str:
        return self.order[0]

    def to_dict(self) -> dict:
        return {
            "decision": self.decision,
            "method": self.method,
            "profile": self.profile,
            "ranking": [
                {"option": o, "label": r["label"], "rank": int(r["rank"]), "score": float(r["score"])}
                for o, r in self.table.sort_values("rank", kind="stable").iterrows()
            ],
            "excluded": self.excluded.to_dict("records"),
            "inputs": {
                "alternatives": self.matrix.index.tolist(),
                "criteria": self.matrix.columns.tolist(),
                "matrix": self.matrix.to_numpy().tolist(),
                "objectives": [int(x) for x in self.objectives],
                "weights": [float(x) for x in self.weights],
            },
        }


def decision_matrix(matrix: pd.DataFrame, objectives: pd.Series, weights: pd.Series):
    """A scikit-criteria DecisionMatrix from labelled tables."""
    return skc.mkdm(
        matrix.to_numpy(dtype=float),
        objectives.loc[matrix.columns].to_numpy(),
        weights=weights.loc[matrix.columns].to_numpy(dtype=float),
        alternatives=list(matrix.index),
        criteria=list(matrix.columns),
    )


def evaluate(method: str, matrix: pd.DataFrame, objectives: pd.Series, weights: pd.Series) -> pd.DataFrame:
    """Run a method on a matrix; return score and rank per option (index = option)."""
    m = get_method(method)
    dm = decision_matrix(matrix, objectives, weights)
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        # constant criteria are expected (e.g. after screening); they carry no information for ranking
        warnings.filterwarnings("ignore", message="Some criteria are constant", category=UserWarning)
        result = m.build().evaluate(dm)
    scores = _result_scores(result)
    return pd.DataFrame(
        {"score": scores, "rank": np.asarray(result.rank_, dtype=int)},
        index=list(matrix.index),
    )


def _result_scores(result) -> np.ndarray:
    extra = result.e_
    for key in ("score", "similarity", "net_flow", "utility"):
        if key in extra:
            return np.asarray(extra[key], dtype=float)
    return -np.asarray(result.rank_, dtype=float)


def rank(
    decision: Decision,
    method: str = "wsm",
    profile: str | None = None,
    weights: pd.Series | None = None,
    language: str = "nb",
) -> Ranking:
    """Screen, then rank the options of `decision` by `method`.

    Weights are, in order of precedence: `weights` given here, the stakeholder
    `profile`'s weights, or the criteria file's weights.
    """
    get_method(method)  # unknown names fail before any work
    kept, excluded = screen(decision)
    w = weights if weights is not None else decision.profile_weights(profile)
    w = w.loc[decision.criterion_ids] / w.loc[decision.criterion_ids].sum()
    matrix = decision.matrix("likely").loc[kept]
    objectives = decision.objectives
    table = evaluate(method, matrix, objectives, w)
    labels = decision.option_labels(language)
    table.insert(0, "label", [labels[o] for o in table.index])
    return Ranking(decision.id, method, profile, table, excluded, matrix, objectives, w)
