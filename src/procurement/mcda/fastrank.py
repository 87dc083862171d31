"""Vectorised evaluation core: rank many weight and score samples in one call.

The ranking engine (:mod:`procurement.mcda.ranking`) runs a scikit-criteria
pipeline once per decision matrix. Sensitivity and uncertainty analysis needs
the same evaluation tens of thousands of times, which a pipeline loop does in
about a millisecond each. This module does the same arithmetic with numpy on a
whole batch at once:

* ``matrix`` is ``(m, n)`` (one matrix shared by every sample) or
  ``(N, m, n)`` (one matrix per sample), options × criteria;
* ``weights`` is ``(n,)`` (shared) or ``(N, n)`` (one weight vector per sample);
* ``objectives`` is ``(n,)`` with +1 (maximise) or −1 (minimise).

Every method applies exactly the preprocessing of its pipeline in
:mod:`procurement.mcda.methods`:

========  ==================================================================
``wsm``   MinMaxInverter (constant criteria → 0) → SumScaler(weights) →
          weighted sum
``wpm``   AddValueToZero(matrix, 1) per column → InvertMinimize (1/x) →
          SumScaler(weights) → Σ w·log10(x)
``topsis`` NegateMinimize → VectorScaler(matrix) → SumScaler(weights) →
          Euclidean TOPSIS (relative closeness)
``promethee2`` SumScaler(weights) → PROMETHEE II net flow with each
          criterion's preference function (:mod:`procurement.mcda.promethee`)
========  ==================================================================

PROMETHEE II's net flow is linear in the weights — φ(a) = Σ_j w_j φ_j(a) with
φ_j(a) = Σ_b (P_j(a, b) − P_j(b, a))/(m − 1) — so its weight-independent part
is the per-criterion net flow φ_j, and it aggregates like the weighted sum.

The work splits into a weight-independent part (:func:`prepare`, e.g. the
min–max scaled matrix) and a cheap weight-dependent part (:func:`aggregate`),
so that many weight vectors can be applied to one prepared matrix (weight
sweeps, SMAA confidence factors).

Internally the arrays keep the samples on the *last* axis — matrices
``(m, n, B)``, weights ``(n, B)``, scores ``(m, B)`` — so every numpy loop
runs over long contiguous rows; that layout alone makes the preprocessing three
times faster than ``(B, m, n)``. The functions whose names end in ``_t`` work
in that layout (the SMAA engine uses them); the others take and return the
natural ``(N, ...)`` layout.

Ranks follow scikit-criteria's ``rank_`` convention exactly: 1 is best,
*dense* ranking (``scipy.stats.rankdata(-score, "dense")``), so options with
equal scores share a rank and the next rank follows without a gap. Two scores
count as equal when they differ by at most ``RTOL × max(1, max |score|)`` of
their sample; this only absorbs floating-point rounding (about 1e-16), which
otherwise depends on the order in which the BLAS library adds terms and could
split a mathematical tie in one library and not in another.
"""

from __future__ import annotations

import numpy as np

RTOL = 1e-10  # relative tolerance under which two scores are a tie (rounding noise is ~1e-16)

SUPPORTED = ("wsm", "wpm", "topsis", "promethee2")


# ---------------------------------------------------------------------------
# input handling


def _objectives(objectives, n: int) -> np.ndarray:
    obj = np.asarray(objectives, dtype=int).reshape(-1)
    if obj.shape != (n,):
        raise ValueError(f"objectives must have {n} entries, got {obj.shape[0]}")
    if not np.all(np.isin(obj, (-1, 1))):
        raise ValueError("objectives must be +1 (maximise) or -1 (minimise)")
    return obj


def _check_method(method: str) -> None:
    if method not in SUPPORTED:
        raise ValueError(f"fast evaluation does not support method '{method}' (supported: {', '.join(SUPPORTED)})")


def to_t(matrix) -> np.ndarray:
    """(m, n) or (N, m, n) → the internal (m, n, B) layout (B = 1 for one matrix)."""
    x = np.asarray(matrix, dtype=float)
    if x.ndim == 2:
        return x[:, :, None]
    if x.ndim != 3:
        raise ValueError(f"matrix must be (m, n) or (N, m, n), got shape {np.shape(matrix)}")
    return np.ascontiguousarray(np.moveaxis(x, 0, -1))


def normalise_weights_t(weights_t: np.ndarray) -> np.ndarray:
    """Weights (n, K) scaled to sum 1 per column (scikit-criteria's SumScaler on weights)."""
    w = np.asarray(weights_t, dtype=float)
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ValueError("weights must be finite and zero or more")
    total = w.sum(axis=0)
    if np.any(total <= 0):
        raise ValueError("at least one weight of every weight vector must be positive")
    return w / total


def _weights_t(weights, n: int) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    if w.ndim == 1:
        w = w[None]
    if w.ndim != 2 or w.shape[1] != n:
        raise ValueError(f"weights must be ({n},) or (N, {n}), got shape {np.shape(weights)}")
    return normalise_weights_t(w.T)


# ---------------------------------------------------------------------------
# preprocessing (weight-independent), internal layout


def prepare_t(method: str, x: np.ndarray, objectives, preferences=None) -> tuple[np.ndarray, ...]:
    """The weight-independent part of a method for matrices x of shape (m, n, B).

    Returns a tuple of (m, n, B) arrays. ``x`` is not modified. ``preferences``
    (one (function, q, p, s) per criterion; default usual) is for PROMETHEE II.
    """
    _check_method(method)
    if x.ndim != 3:
        raise ValueError("prepare_t takes matrices in the (m, n, B) layout")
    if not np.all(np.isfinite(x)):
        raise ValueError("the matrix holds NaN or infinite values")
    obj = _objectives(objectives, x.shape[1])
    cost = obj == -1
    sign = np.where(cost, -1.0, 1.0)[None, :, None]
    if method == "wsm":
        # MinMaxInverter: benefit (x - min)/(max - min), cost (x - max)/(min - max), constant -> 0.
        # Negating a cost column first is exact, and (−x − min(−x)) = (max − x), so one formula serves.
        y = x * sign
        lo = y.min(axis=0)
        den = y.max(axis=0) - lo
        den[den == 0] = np.inf  # constant criterion: x - min = 0 and 0/inf = 0
        y -= lo
        y /= den
        return (y,)
    if method == "wpm":
        # AddValueToZero(target="matrix", value=1.0): +1 to every column holding a zero
        y = x + np.any(x == 0, axis=0)
        if np.any(y <= 0):
            raise ValueError("the weighted product needs scores of zero or more (a negative score has no weighted power)")
        if np.any(cost):
            y[:, cost, :] = 1.0 / y[:, cost, :]  # InvertMinimize
        return (np.log10(y, out=y),)
    if method == "promethee2":
        from procurement.mcda.promethee import preference

        m, n, _ = x.shape
        specs = list(preferences) if preferences is not None else [("usual", 0.0, 0.0, 0.0)] * n
        if len(specs) != n:
            raise ValueError(f"{len(specs)} preference functions for {n} criteria")
        phi = np.empty(x.shape)
        denom = max(m - 1, 1)
        for j, (f, q, p, s_) in enumerate(specs):
            col = x[:, j, :] * sign[0, j, 0]
            d = col[:, None, :] - col[None, :, :]  # (m, m, B): d[a, b] = g(a) − g(b), larger better
            pref = preference(f, d, q, p, s_)
            phi[:, j, :] = (pref.sum(axis=1) - pref.sum(axis=0)) / denom
        return (phi,)
    # topsis
    y = x * sign  # NegateMinimize: afterwards every criterion is maximised
    norm = np.sqrt(np.einsum("ijb,ijb->jb", y, y))
    norm[norm == 0] = np.inf  # an all-zero criterion carries no information (skcriteria: 0/0)
    y /= norm
    # ideal = column max, anti-ideal = column min. With w >= 0 the weighted ideal is w·max, so the
    # squared distances factor as Σ w² (v − max)²: the squares are weight-independent.
    p = y - y.max(axis=0)
    p *= p
    y -= y.min(axis=0)
    y *= y
    return (p, y)


def _linear_t(v: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Σ_j v[i, j, b] w[j, b] → (m, K), broadcasting a batch of 1 on either side."""
    if v.shape[2] == 1:
        return v[:, :, 0] @ w
    if w.shape[1] == 1:
        return np.einsum("ijb,j->ib", v, w[:, 0])
    if v.shape[2] != w.shape[1]:
        raise ValueError(f"{v.shape[2]} matrices but {w.shape[1]} weight vectors")
    return np.einsum("ijb,jb->ib", v, w)


def _closeness(d_best2: np.ndarray, d_worst2: np.ndarray) -> np.ndarray:
    d_best = np.sqrt(d_best2)
    d_worst = np.sqrt(d_worst2)
    total = d_best + d_worst
    with np.errstate(invalid="ignore", divide="ignore"):
        sim = d_worst / total
    # d_best + d_worst = 0 only when every option equals the ideal on every weighted criterion:
    # then all options tie, and a constant keeps them tied.
    return np.where(total > 0, sim, 0.5)


def aggregate_t(method: str, prepared: tuple[np.ndarray, ...], weights_t: np.ndarray, normalised: bool = False) -> np.ndarray:
    """Scores (m, K), higher is better, from prepared (m, n, B) arrays and weights (n, K).

    B and K must be equal, or either may be 1.
    """
    _check_method(method)
    w = weights_t if normalised else normalise_weights_t(weights_t)
    if method in ("wsm", "wpm", "promethee2"):
        return _linear_t(prepared[0], w)
    w2 = w * w
    return _closeness(_linear_t(prepared[0], w2), _linear_t(prepared[1], w2))


def aggregate_cross_t(method: str, prepared: tuple[np.ndarray, ...], weights, rank_only: bool = False) -> np.ndarray:
    """Scores (m, K, B): every prepared matrix (m, n, B) under each of K weight vectors (K, n).

    With ``rank_only`` TOPSIS returns D⁻²/(D⁺² + D⁻²) instead of D⁻/(D⁺ + D⁻):
    both fall strictly as D⁺/D⁻ grows, so they rank identically, and the
    former needs no square roots.
    """
    _check_method(method)
    w = normalise_weights_t(np.asarray(weights, dtype=float).T).T  # (K, n)
    if method in ("wsm", "wpm", "promethee2"):
        return np.matmul(w[None], prepared[0])
    w2 = w * w
    d_best2 = np.matmul(w2[None], prepared[0])
    d_worst2 = np.matmul(w2[None], prepared[1])
    if not rank_only:
        return _closeness(d_best2, d_worst2)
    d_best2 += d_worst2
    with np.errstate(invalid="ignore", divide="ignore"):
        d_worst2 /= d_best2
    d_worst2[d_best2 == 0] = 0.5
    return d_worst2


# ---------------------------------------------------------------------------
# ranking, internal layout


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


# ---------------------------------------------------------------------------
# public API, natural layout


def prepare(method: str, matrix, objectives, preferences=None) -> tuple[np.ndarray, ...]:
    """Weight-independent preprocessing of (m, n) or (N, m, n) matrices, in the internal (m, n, B) layout."""
    return prepare_t(method, to_t(matrix), objectives, preferences)


def aggregate(method: str, prepared: tuple[np.ndarray, ...], weights) -> np.ndarray:
    """Scores (N, m) from :func:`prepare`'s output and weights (n,) or (N, n)."""
    n = prepared[0].shape[1]
    return aggregate_t(method, prepared, _weights_t(weights, n)).T


def scores(method: str, matrix, objectives, weights, preferences=None) -> np.ndarray:
    """Scores (N, m) of every sample; higher is better.

    ``matrix`` (m, n) or (N, m, n); ``weights`` (n,) or (N, n); ``objectives`` (n,);
    ``preferences`` for PROMETHEE II.
    """
    return aggregate(method, prepare(method, matrix, objectives, preferences), weights)


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


def evaluate(method: str, matrix, objectives, weights, rtol: float = RTOL, preferences=None) -> tuple[np.ndarray, np.ndarray]:
    """Scores and ranks (both (N, m)) of every sample, as scikit-criteria would give them.

    ``matrix`` (m, n) or (N, m, n); ``weights`` (n,) or (N, n); ``objectives`` (n,).
    """
    s = scores(method, matrix, objectives, weights, preferences)
    return s, rank_scores(s, rtol)


def evaluate_one(method: str, matrix, objectives, weights, preferences=None) -> tuple[np.ndarray, np.ndarray]:
    """Scores and ranks (m,) of one matrix and one weight vector."""
    s, r = evaluate(method, matrix, objectives, weights, preferences=preferences)
    return s[0], r[0]
