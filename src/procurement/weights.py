"""Weights: normalisation and weights derived from a ranking of criteria.

Rank-order centroid (Barron & Barrett 1996) turns an order of importance
into weights: with n criteria, the criterion ranked r gets
w_r = (1/n) · Σ_{k=r..n} 1/k. Tied ranks share the mean of the weights of the
positions they occupy. No maintained library offers ROC with ties as a plain
function on labelled data, so it is written here (ten lines).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


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
    n = len(r)
    base = roc_weights(n)
    # positions each criterion occupies when sorted by rank, ties averaged
    order = r.rank(method="first").astype(int) - 1  # 0-based position
    w = pd.Series(base[order.to_numpy()], index=r.index)
    return w.groupby(r).transform("mean")
