"""The tie rule: when two scores are equal, and the dense rank that follows from it.

Ranks follow scikit-criteria's ``rank_`` convention: 1 is best, *dense* ranking
(``scipy.stats.rankdata(-score, "dense")``), so options with equal scores share a
rank and the next rank follows without a gap. Two scores count as equal when they
differ by at most ``RTOL × max(1, max |score|)`` of their sample (:data:`RTOL` =
1e-10). This only absorbs floating-point rounding (about 1e-16), which otherwise
depends on the order in which terms are added and could split a mathematical tie
(two identical options, a symmetric problem) in one library and not in another.

Every part of the workbench that turns scores into ranks uses this module: the
vectorised core (:mod:`procurement.mcda.fastrank`), the ranking engine
(:mod:`procurement.mcda.ranking`), PROMETHEE II's decision maker and SMAA. It
imports numpy only.

The functions whose names end in ``_t`` take scores with the samples on the last
axis (``(m, B)``, options × samples); the others take ``(N, m)`` or ``(m,)``.
"""

from __future__ import annotations

import numpy as np

RTOL = 1e-10  # relative tolerance under which two scores are a tie (rounding noise is ~1e-16)


def tie_groups_t(s: np.ndarray, rtol: float = RTOL) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Dense rank, first position and tie-group size of scores (m, B), higher best; each (m, B)."""
    s = np.where(np.isnan(s), -np.inf, s)
    m = s.shape[0]
    order = np.argsort(-s, axis=0, kind="stable")
    ss = np.take_along_axis(s, order, axis=0)  # descending
    finite = np.where(np.isfinite(ss), ss, 0.0)
    tol = rtol * np.maximum(1.0, np.max(np.abs(finite), axis=0))
    with np.errstate(invalid="ignore"):
        gap = (ss[:-1] - ss[1:]) > tol
    if gap.all():  # no ties (the usual case with sampled data): positions are the sort order
        first = np.empty_like(order)
        np.put_along_axis(first, order, np.broadcast_to(np.arange(m)[:, None], order.shape), axis=0)
        return first + 1, first, np.ones_like(first)
    pos = np.arange(m)[:, None]
    new = np.ones(s.shape, dtype=bool)
    new[1:] = gap
    last = np.ones(s.shape, dtype=bool)
    last[:-1] = gap
    dense_sorted = np.cumsum(new, axis=0)
    first_sorted = np.maximum.accumulate(np.where(new, pos, 0), axis=0)
    end_sorted = np.minimum.accumulate(np.where(last, pos, m)[::-1], axis=0)[::-1]
    dense = np.empty_like(dense_sorted)
    first = np.empty_like(first_sorted)
    size = np.empty_like(first_sorted)
    np.put_along_axis(dense, order, dense_sorted, axis=0)
    np.put_along_axis(first, order, first_sorted, axis=0)
    np.put_along_axis(size, order, end_sorted - first_sorted + 1, axis=0)
    return dense, first, size


def top_share_t(s: np.ndarray, rtol: float = RTOL) -> np.ndarray:
    """Share of first place of every option, scores (m, ..., B): 1 for a sole winner, 1/k for k tied, else 0."""
    best = s.max(axis=0)
    tol = rtol * np.maximum(1.0, np.max(np.abs(s), axis=0))
    top = s >= best - tol
    return top / top.sum(axis=0)


def tie_groups(scores, rtol: float = RTOL) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Dense rank, first position and tie-group size of every option, higher score best.

    For scores of shape (N, m) returns three int arrays of shape (N, m):

    * ``dense``: scikit-criteria's rank (1 best; tied options share it; no gaps);
    * ``first``: 0-based position of the option's tie group in the sorted order
      (``first + 1`` is the competition rank, "1224");
    * ``size``: how many options share the group (1 when untied).

    A tie group of size k occupies positions ``first .. first + k − 1``.
    """
    s = np.asarray(scores, dtype=float)
    if s.ndim == 1:
        s = s[None]
    return tuple(a.T for a in tie_groups_t(s.T, rtol))  # type: ignore[return-value]


def rank_scores(scores, rtol: float = RTOL) -> np.ndarray:
    """scikit-criteria's dense rank (1 best) of scores (N, m) or (m,), higher is better."""
    s = np.asarray(scores, dtype=float)
    dense = tie_groups(s, rtol)[0]
    return dense[0] if s.ndim == 1 else dense
