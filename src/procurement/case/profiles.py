"""Weights as the input files give them: the criteria file's value tree and the stakeholders' profiles.

The loader turns what an advisor writes into plain normalised weights, once, when the case is read:

* a stakeholder group's row of ``profiles.csv`` gives a weight or a rank per criterion; ranks become
  rank-order-centroid weights (:func:`rank_order_centroid`, Barron & Barrett 1996), then each profile is
  normalised to sum 1;
* the criteria file's weights are multiplied down its value tree when its groups carry weights
  (:func:`tree_weights`), which is what :attr:`procurement.case.loader.Decision.weights` gives.

Which of these weights an analysis uses (a profile, the panel's combined weights, AHP, explicit weights) is
decided by the engine (:func:`procurement.mcda.weights.resolve_weights` through :class:`procurement.Analysis`);
the names a scenario may give besides a stakeholder group are here, so reading a scenario file can check them.

Rank-order centroid: with n criteria, the criterion ranked r gets w_r = (1/n) · Σ_{k=r..n} 1/k. Tied ranks share
the mean of the weights of the positions they occupy. No maintained library offers ROC with ties as a plain
function on labelled data, so it is written here (ten lines).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from procurement.case.errors import InputError, Problem, display_path

#: Weight sources a scenario's ``profile`` may name besides a stakeholder group of ``profiles.csv``.
PANEL_MEAN = "panel-mean"
PANEL_GEOMEAN = "panel-geomean"
AHP = "ahp"
SPECIAL_SOURCES = (PANEL_MEAN, PANEL_GEOMEAN, AHP)


def normalise(weights: pd.Series) -> pd.Series:
    """Weights scaled to sum to 1. Raises ValueError if they sum to zero or any is negative."""
    w = weights.astype(float)
    if (w < 0).any():
        raise ValueError("weights must be zero or more")
    total = w.sum()
    if total <= 0:
        raise ValueError("at least one weight must be positive")
    return w / total


def roc_weights(n: int) -> np.ndarray:
    """Rank-order centroid weights for ranks 1..n (most important first)."""
    inv = 1.0 / np.arange(1, n + 1)
    return np.cumsum(inv[::-1])[::-1] / n


def rank_order_centroid(ranks: pd.Series) -> pd.Series:
    """ROC weights from ranks (1 = most important); ties share their positions' mean."""
    r = ranks.astype(float)
    base = roc_weights(len(r))
    order = r.rank(method="first").astype(int) - 1  # 0-based position when sorted by rank
    w = pd.Series(base[order.to_numpy()], index=r.index)
    return w.groupby(r).transform("mean")


def tree_weights(criteria_set) -> pd.Series:
    """Criterion weights multiplied down the value tree.

    When no group in the criteria file has a ``weight``, the criteria's
    weights are global and are simply normalised. When groups have weights,
    each group's weight is normalised among its siblings, each criterion's
    weight among the criteria of its group, and a criterion's global weight
    is its local weight times the normalised weights of every group above
    it. A weighted tree needs a weight on every group (raises InputError
    naming the groups without one).
    """
    crit = pd.Series({c.id: float(c.weight) for c in criteria_set.criteria})
    groups = {g.id: g for g in criteria_set.groups}
    if all(g.weight is None for g in groups.values()):
        return normalise(crit)
    missing = [g.id for g in groups.values() if g.weight is None]
    if missing:
        raise InputError(
            Problem(
                "",
                f"decision '{criteria_set.decision}', groups {', '.join(missing)}",
                "some groups have a weight and these have none",
                "give every group a weight, or none (then criterion weights are global)",
            )
        )
    local_group: dict[str, float] = {}  # each group's weight normalised among its siblings
    for gid, g in groups.items():
        total = sum(s.weight for s in groups.values() if s.parent == g.parent)  # type: ignore[misc]
        local_group[gid] = g.weight / total if total > 0 else 0.0  # type: ignore[operator]

    def chain(gid: str | None) -> float:
        w = 1.0
        seen = set()
        while gid is not None and gid not in seen:
            seen.add(gid)
            w *= local_group[gid]
            gid = groups[gid].parent
        return w

    out = {}
    for c in criteria_set.criteria:
        total = sum(x.weight for x in criteria_set.criteria if x.group == c.group)
        local = c.weight / total if total > 0 else 0.0
        out[c.id] = local * chain(c.group)
    return normalise(pd.Series(out))


def file_weights(decision) -> pd.Series:
    """The criteria file's weights multiplied down the value tree, errors naming the criteria file."""
    try:
        return tree_weights(decision.criteria_set)
    except InputError as e:
        file = display_path(decision.criteria_file)
        raise InputError([Problem(file, p.where, p.message, p.hint) for p in e.problems]) from None
