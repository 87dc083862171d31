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

Ranks follow the tie rule of :mod:`procurement.mcda.ties` (scikit-criteria's
dense ``rank_``, scores equal within :data:`~procurement.mcda.ties.RTOL` sharing a
rank); its functions are re-exported here, the core's ranking half.
"""

from __future__ import annotations

import numpy as np

from procurement.mcda.kernels import Kernel
from procurement.mcda.methods import METHODS
from procurement.mcda.ties import RTOL, rank_scores, tie_groups, tie_groups_t, top_share_t

__all__ = ["RTOL", "SUPPORTED", "aggregate", "aggregate_cross_t", "aggregate_t", "evaluate", "evaluate_one", "kernel_of",
           "normalise_weights_t", "prepare", "prepare_t", "rank_scores", "scores", "tie_groups", "tie_groups_t", "to_t",
           "top_share_t"]

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
