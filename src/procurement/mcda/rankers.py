"""Vectorised rankers for the methods whose rank is not one weighted score: VIKOR, ELECTRE I and II, MULTIMOORA.

A kernel (:mod:`procurement.mcda.kernels`) turns a matrix and weights into a score that ranks the options.
These methods decide more than a score: VIKOR's compromise set, ELECTRE's outranking kernel and
distillations, MULTIMOORA's dominance between three sub-rankings. A :class:`Ranker` therefore returns the
method's own score *and* its rank, for one decision matrix under many weight vectors at once (every
stakeholder profile of a panel): ``rank(x, objectives, weights, context) -> (scores (m, K), ranks (m, K))``
with ``x`` the matrix the method sees (options × criteria, after value functions), ``objectives`` +1/−1 per
criterion and ``weights`` (K, n), each row scaled here to sum 1.

Each ranker reproduces its method's scikit-criteria pipeline in :mod:`procurement.mcda.methods` (the same
preprocessing, then scikit-criteria 0.10's ``skcriteria.agg.vikor``, ``.electre``, ``.moora`` arithmetic),
operation for operation, so the floating-point results are the same and the exact comparisons the methods
make (VIKOR's acceptable advantage, ELECTRE's thresholds, rank ties) come out the same:
``tests/test_rankers.py`` checks every ranker against the pipeline on random problems (hypothesis), ties and
thresholds included. The weight-independent part (scaling, discordance, the comparison masks) runs once per
matrix; the weight-dependent arithmetic runs on all weight vectors together, except a few steps done per
vector exactly as the pipeline does them (a BLAS dot product, whose rounding could differ when batched, and
the distillation loops), which cost microseconds each.

This module imports numpy only: ranking by these methods needs no scikit-criteria (about 2 s to import) and
no pandas DecisionMatrix per weight vector (about 3 ms each).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from procurement.mcda.ties import RTOL, tie_groups_t

Ranked = tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True)
class Ranker:
    """The vectorised form of a method that ranks by more than one score (see the module docstring)."""

    rank: Callable[[np.ndarray, np.ndarray, np.ndarray, dict], Ranked]


def sum_scale_rows(weights: np.ndarray) -> np.ndarray:
    """Each weight vector (row) divided by its sum: scikit-criteria's ``SumScaler(target="weights")``."""
    w = np.asarray(weights, dtype=float)
    return w / np.sum(w, axis=1, keepdims=True)


def dense_rank(values: np.ndarray, higher_first: bool, rtol: float = 0.0) -> np.ndarray:
    """``scipy.stats.rankdata(±values, "dense")`` along axis 0 (values (m, K)): exact ties share a rank, and with
    `rtol` values within the tie rule's tolerance (:mod:`procurement.mcda.ties`)."""
    v = values if higher_first else -values
    return tie_groups_t(v, rtol=rtol)[0]


# ---------------------------------------------------------------------------
# VIKOR (Opricovic & Tzeng 2004; skcriteria.agg.vikor)


def _scale_to_zenith(matrix: np.ndarray, objectives: np.ndarray, axis: int = 0) -> np.ndarray:
    """skcriteria.agg.vikor._scale: distance to the zenith in [0, 1] (0 at the best value), 0/0 → 0."""
    inverted = np.asarray(objectives, dtype=float) * -1
    maxs = np.max(matrix, axis=axis, keepdims=True)
    mins = np.min(matrix, axis=axis, keepdims=True)
    where_max = np.equal(inverted, 1.0)
    cenit = np.where(where_max, maxs, mins)
    nadir = np.where(where_max, mins, maxs)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.nan_to_num((matrix - nadir) / (cenit - nadir))


def _sum_left_to_right(a: np.ndarray) -> np.ndarray:
    """Σ over the last axis, term by term from the first criterion: the order numpy sums the criteria of the
    column-major matrix a pandas DecisionMatrix hands to scikit-criteria (pairwise summation, numpy's order on a
    contiguous row, rounds differently from eight terms up)."""
    out = a[..., 0].copy()
    for j in range(1, a.shape[-1]):
        out += a[..., j]
    return out


def _compromise_rank(q: np.ndarray, scaled: np.ndarray) -> np.ndarray:
    """VIKOR's rank of one weight vector: dense rank of Q, the compromise set sharing rank 1."""
    rank_q = dense_rank(q[:, None], higher_first=False)[:, 0]
    chosen = np.where(rank_q == 1)[0]
    best = q[chosen[0]]
    dq = 1 / (len(q) - 1)
    advantage = np.where(q - best < dq)[0]
    has_advantage = len(advantage) == len(chosen)
    bests = np.any(scaled == 0, axis=1).nonzero()[0]
    has_stability = set(chosen).issubset(set(bests))
    if has_stability and has_advantage:
        compromise = chosen
    elif has_advantage:
        compromise = np.where(rank_q <= 2)[0]
    else:
        compromise = advantage
    top = np.max(rank_q[compromise])
    return np.where(rank_q <= top, 1, rank_q - top + 1)


def vikor_ranker(v: float) -> Ranker:
    """VIKOR with weight v of the group utility; score Q (lower is better), the compromise set shares rank 1."""

    def rank(x: np.ndarray, objectives: np.ndarray, weights: np.ndarray, context: dict) -> Ranked:
        w = sum_scale_rows(weights)  # (K, n)
        scaled = _scale_to_zenith(np.asarray(x, dtype=float), objectives)  # (m, n), weight-independent
        weighted = scaled[None, :, :] * w[:, None, :]  # (K, m, n)
        s = _sum_left_to_right(weighted)  # group utility (Manhattan), (K, m)
        r = np.max(weighted, axis=2)  # individual regret (Chebyshev)
        vv = [v, 1 - v]
        q = np.empty((x.shape[0], len(w)))
        ranks = np.empty(q.shape, dtype=int)
        for k in range(len(w)):
            distances = np.column_stack((s[k], r[k]))
            dscaled = _scale_to_zenith(distances, np.array([-1, -1]))
            q[:, k] = np.dot(dscaled, vv)
            ranks[:, k] = _compromise_rank(q[:, k], dscaled)
        return q, ranks

    return Ranker(rank)


# ---------------------------------------------------------------------------
# ELECTRE I and II (Roy 1968; Roy & Bertier 1973; skcriteria.agg.electre), on the min-max scaled matrix


def minmax_scale(x: np.ndarray) -> np.ndarray:
    """scikit-criteria's ``MinMaxScaler(target="matrix")`` (scikit-learn's): x·scale + min, scale = 1/range,
    a range below 10 ε counted as 1."""
    x = np.asarray(x, dtype=float)
    lo = np.min(x, axis=0)
    span = np.max(x, axis=0) - lo
    span = np.where(span < 10 * np.finfo(float).eps, 1.0, span)
    scale = 1.0 / span
    offset = 0.0 - lo * scale
    out = x * scale
    out += offset
    return out


def _outranks(x: np.ndarray, objectives: np.ndarray) -> np.ndarray:
    """(m, m, n) mask: option a is at least as good as option b on criterion j (concordance's terms)."""
    difference = x[:, None, :] - x[None, :, :]  # row - matrix, for every row a
    maxi = objectives == 1
    mini = objectives == -1
    return (maxi & (difference >= 0)) | (mini & (difference <= 0))


def concordance(mask: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Concordance matrices (K, m, m): Σ_j w_j over the criteria on which a is at least as good as b; diagonal NaN."""
    m = mask.shape[0]
    out = np.empty((len(w), m, m))
    step = max(1, 4_000_000 // max(1, mask.size))  # bounded memory for large panels
    for k0 in range(0, len(w), step):
        part = w[k0:k0 + step, None, None, :] * mask[None].astype(int)
        out[k0:k0 + step] = np.sum(part, axis=3)
    idx = np.arange(m)
    out[:, idx, idx] = np.nan
    return out


def discordance(x: np.ndarray, objectives: np.ndarray) -> np.ndarray:
    """Discordance matrix (m, m): the largest difference against a, over the largest range; diagonal NaN."""
    max_range = (np.max(x, axis=0) - np.min(x, axis=0)).max()
    difference = x[None, :, :] - x[:, None, :]  # matrix - row, for every row a
    worsts = ((objectives == 1) & (difference > 0)) | ((objectives == -1) & (difference < 0))
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = np.abs(difference * worsts) / max_range
    out = np.max(delta, axis=2)
    np.fill_diagonal(out, np.nan)
    return out


def electre1_ranker(p: float, q: float) -> Ranker:
    """ELECTRE I: the kernel (options no other option outranks) gets rank 1 and score 1, the rest rank 2, score 0."""

    def rank(x: np.ndarray, objectives: np.ndarray, weights: np.ndarray, context: dict) -> Ranked:
        y = minmax_scale(x)
        obj = np.asarray(objectives)
        c = concordance(_outranks(y, obj), sum_scale_rows(weights))
        d = discordance(y, obj)
        with np.errstate(invalid="ignore"):
            outrank = (c >= p) & (d <= q)[None]
        kernel = ~outrank.any(axis=1)  # (K, m): no row outranks the column
        return kernel.T.astype(float), np.where(kernel.T, 1, 2)

    return Ranker(rank)


def _distil(outrank_s: np.ndarray, outrank_w: np.ndarray, invert: bool) -> np.ndarray:
    """skcriteria.agg.electre._electre2_ranker: successive kernels of the strong and weak outranking relations."""
    n = len(outrank_s)
    ranking = np.zeros(n, dtype=int)
    alive = np.arange(n)
    position = 1
    while len(outrank_w) or len(outrank_s):
        kernel = ~outrank_s.any(axis=0) & ~outrank_w.any(axis=0)
        if not np.any(kernel):
            ranking[ranking == 0] = position
            break
        ranking[alive[kernel]] += position
        keep = np.argwhere(~kernel).flatten()
        outrank_s = outrank_s[keep][:, keep]
        outrank_w = outrank_w[keep][:, keep]
        alive = alive[keep]
        position += 1
    if invert:
        ranking = (np.max(ranking) + 1) - ranking
    return ranking


def electre2_ranker(p0: float, p1: float, p2: float, q0: float, q1: float) -> Ranker:
    """ELECTRE II after Gomes, Araya & Carignano (2004): score = mean of the direct and inverse distillation ranks."""

    def rank(x: np.ndarray, objectives: np.ndarray, weights: np.ndarray, context: dict) -> Ranked:
        y = minmax_scale(x)
        obj = np.asarray(objectives)
        c = concordance(_outranks(y, obj), sum_scale_rows(weights))
        d = discordance(y, obj)[None]
        conc_or = c > np.swapaxes(c, 1, 2)
        with np.errstate(invalid="ignore"):
            strong = ((c >= p0) & (d <= q0) & conc_or) | ((c >= p1) & (d <= q1) & conc_or)
            weak = ((c >= p2) & (d <= q0) & conc_or) & ~strong
        scores = np.empty((len(y), len(c)))
        for k in range(len(c)):
            direct = _distil(strong[k], weak[k], invert=False)
            inverse = _distil(strong[k].T, weak[k].T, invert=True)
            scores[:, k] = (direct + inverse) / 2.0
        return scores, dense_rank(scores, higher_first=False)

    return Ranker(rank)


# ---------------------------------------------------------------------------
# MULTIMOORA (Brauers & Zavadskas 2010; skcriteria.agg.moora)


def multimoora_prepare(x: np.ndarray) -> np.ndarray:
    """``AddValueToZero(matrix, 1)`` then ``VectorScaler(matrix)``: x/√Σx² per criterion."""
    y = np.asarray(x, dtype=float)
    y = y + np.any(y == 0, axis=0, keepdims=True) * 1.0
    return y / np.linalg.norm(y, None, axis=0)


def _dominance_wins(ranks: np.ndarray) -> np.ndarray:
    """MULTIMOORA's merge: for each pair of options that no sub-ranking ties, the one ahead in more of the three
    sub-rankings wins a point. ``ranks`` (K, m, 3) → wins (K, m)."""
    k, m, _ = ranks.shape
    wins = np.zeros((k, m))
    for a, b in itertools.combinations(range(m), 2):
        ra, rb = ranks[:, a], ranks[:, b]
        untied = ~np.any(ra == rb, axis=1)
        a_ahead = np.sum(ra < rb, axis=1)
        a_wins = a_ahead > (3 - a_ahead)
        wins[:, a] += untied & a_wins
        wins[:, b] += untied & ~a_wins
    return wins


def multimoora_rank(x: np.ndarray, objectives: np.ndarray, weights: np.ndarray, context: dict) -> Ranked:
    """MULTIMOORA: ratio system, reference point and full multiplicative form, merged by dominance."""
    y = multimoora_prepare(x)
    if np.any(y <= 0):
        raise ValueError("MultiMOORA can't operate with values <= 0")
    obj = np.asarray(objectives)
    w = sum_scale_rows(weights)  # (K, n)
    # ratio system, one dot product per weight vector as the pipeline computes it
    ratio = np.column_stack([np.inner(y, wk * obj) for wk in w])  # (m, K)
    # reference point (Tchebycheff): the best value of each criterion
    reference = np.where(np.where(obj == 1, obj, 0), np.max(y, axis=0), np.min(y, axis=0))
    refpoint = np.max(np.abs(w[:, None, :] * (y - reference)[None]), axis=2).T  # (m, K)
    # full multiplicative form
    logs = np.log(y[None] * w[:, None, :])  # (K, m, n)
    gains = np.sum(logs[:, :, obj == 1], axis=2) if np.any(obj == 1) else 1.0
    costs = np.sum(logs[:, :, obj == -1], axis=2) if np.any(obj == -1) else 0.0
    fmf = np.broadcast_to(np.asarray(gains - costs, dtype=float).T, ratio.shape)
    # the sub-rankings apply the tie rule: a mathematical tie that rounding splits (scikit-criteria's scores can
    # differ in the last digit) must not hand one option a dominance point
    sub = np.stack([dense_rank(ratio, True, RTOL), dense_rank(refpoint, False, RTOL), dense_rank(fmf, True, RTOL)],
                   axis=2)  # (m, K, 3)
    wins = _dominance_wins(np.swapaxes(sub, 0, 1)).T  # (m, K)
    return wins, dense_rank(wins, higher_first=True)


MULTIMOORA = Ranker(multimoora_rank)
