"""Vectorised evaluation core: rank many weight and score samples in one call.

A scikit-criteria pipeline evaluates one decision matrix in about a
millisecond. Sensitivity and uncertainty analysis, and a panel of hundreds of
stakeholder profiles, need the same evaluation thousands of times. This module
does it with numpy on a whole batch at once:

* ``matrix`` is ``(m, n)`` (one matrix shared by every sample) or
  ``(N, m, n)`` (one matrix per sample), options × criteria;
* ``weights`` is ``(n,)`` (shared) or ``(N, n)`` (one weight vector per sample);
* ``objectives`` is ``(n,)`` with +1 (maximise) or −1 (minimise).

The arithmetic of each method is its registry entry's kernel
(:class:`procurement.mcda.kernels.Kernel`, held by
:data:`procurement.mcda.methods.METHODS`): this module validates the inputs and
dispatches, and never names a method. A kernel applies exactly the
preprocessing of its method's scikit-criteria pipeline (the property tests check
each against its pipeline). :data:`SUPPORTED` lists the methods that have one.

The work splits into a weight-independent part (:func:`prepare`, e.g. the
min–max scaled matrix) and a cheap weight-dependent part (:func:`aggregate`),
so that many weight vectors can be applied to one prepared matrix (weight
sweeps, SMAA confidence factors, stakeholder panels).

Internally the arrays keep the samples on the *last* axis — matrices
``(m, n, B)``, weights ``(n, B)``, scores ``(m, B)`` — so every numpy loop
runs over long contiguous rows; that layout alone makes the preprocessing three
times faster than ``(B, m, n)``. The functions whose names end in ``_t`` work
in that layout (the SMAA engine uses them); the others take and return the
natural ``(N, ...)`` layout.

Ranks follow scikit-criteria's ``rank_`` convention: 1 is best, *dense*
ranking (``scipy.stats.rankdata(-score, "dense")``), so options with equal
scores share a rank and the next rank follows without a gap. Two scores count
as equal when they differ by at most ``RTOL × max(1, max |score|)`` of their
sample (:data:`RTOL` = 1e-10). This only absorbs floating-point rounding (about
1e-16), which otherwise depends on the order in which terms are added and could
split a mathematical tie (two identical options, a symmetric problem) in one
library and not in another. :func:`procurement.mcda.ranking.rank` ranks every
method whose rank is a function of its score with the same tolerance.
"""

from __future__ import annotations

import numpy as np

from procurement.mcda.kernels import Kernel
from procurement.mcda.methods import METHODS

RTOL = 1e-10  # relative tolerance under which two scores are a tie (rounding noise is ~1e-16)

SUPPORTED = tuple(name for name, m in METHODS.items() if m.kernel is not None)


# ---------------------------------------------------------------------------
# input handling


def _objectives(objectives, n: int) -> np.ndarray:
    obj = np.asarray(objectives, dtype=int).reshape(-1)
    if obj.shape != (n,):
        raise ValueError(f"objectives must have {n} entries, got {obj.shape[0]}")
    if not np.all(np.isin(obj, (-1, 1))):
        raise ValueError("objectives must be +1 (maximise) or -1 (minimise)")
    return obj


def kernel_of(method: str) -> Kernel:
    """The vectorised kernel of a registry method; ValueError when it has none."""
    m = METHODS.get(method)
    if m is None or m.kernel is None:
        raise ValueError(f"fast evaluation does not support method '{method}' (supported: {', '.join(SUPPORTED)})")
    return m.kernel


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
# the registry's kernels, internal layout


def prepare_t(method: str, x: np.ndarray, objectives, preferences=None, *, context: dict | None = None) -> tuple[np.ndarray, ...]:
    """The weight-independent part of a method for matrices x of shape (m, n, B).

    Returns a tuple of (m, n, B) arrays. ``x`` is not modified. ``context`` is
    what the method needs (:meth:`procurement.mcda.methods.Method.context`);
    ``preferences`` (one (function, q, p, s) per criterion; default usual) is
    the same for PROMETHEE II, kept as an argument of its own.
    """
    kernel = kernel_of(method)
    if x.ndim != 3:
        raise ValueError("prepare_t takes matrices in the (m, n, B) layout")
    if not np.all(np.isfinite(x)):
        raise ValueError("the matrix holds NaN or infinite values")
    obj = _objectives(objectives, x.shape[1])
    ctx = dict(context or {})
    if preferences is not None:
        ctx["preferences"] = preferences
    return kernel.prepare(x, obj == -1, ctx)


def aggregate_t(method: str, prepared: tuple[np.ndarray, ...], weights_t: np.ndarray, normalised: bool = False) -> np.ndarray:
    """Scores (m, K), higher is better, from prepared (m, n, B) arrays and weights (n, K).

    B and K must be equal, or either may be 1.
    """
    kernel = kernel_of(method)
    w = weights_t if normalised else normalise_weights_t(weights_t)
    return kernel.aggregate(prepared, w)


def aggregate_cross_t(method: str, prepared: tuple[np.ndarray, ...], weights, rank_only: bool = False) -> np.ndarray:
    """Scores (m, K, B): every prepared matrix (m, n, B) under each of K weight vectors (K, n).

    With ``rank_only`` a kernel may return a cheaper score that ranks
    identically (TOPSIS: D⁻²/(D⁺² + D⁻²) instead of D⁻/(D⁺ + D⁻)).
    """
    kernel = kernel_of(method)
    w = normalise_weights_t(np.asarray(weights, dtype=float).T).T  # (K, n)
    return kernel.cross(prepared, w, rank_only)


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


def prepare(method: str, matrix, objectives, preferences=None, *, context: dict | None = None) -> tuple[np.ndarray, ...]:
    """Weight-independent preprocessing of (m, n) or (N, m, n) matrices, in the internal (m, n, B) layout."""
    return prepare_t(method, to_t(matrix), objectives, preferences, context=context)


def aggregate(method: str, prepared: tuple[np.ndarray, ...], weights) -> np.ndarray:
    """Scores (N, m) from :func:`prepare`'s output and weights (n,) or (N, n)."""
    n = prepared[0].shape[1]
    return aggregate_t(method, prepared, _weights_t(weights, n)).T


def scores(method: str, matrix, objectives, weights, preferences=None, *, context: dict | None = None) -> np.ndarray:
    """Scores (N, m) of every sample; higher is better.

    ``matrix`` (m, n) or (N, m, n); ``weights`` (n,) or (N, n); ``objectives`` (n,);
    ``preferences`` for PROMETHEE II, or the method's whole ``context``.
    """
    return aggregate(method, prepare(method, matrix, objectives, preferences, context=context), weights)


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
