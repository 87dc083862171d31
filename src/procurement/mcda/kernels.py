"""Vectorised kernels: a method's arithmetic in numpy, on a whole batch of matrices and weights at once.

A :class:`Kernel` belongs to one entry of the method registry
(:data:`procurement.mcda.methods.METHODS`) and reproduces that entry's
scikit-criteria pipeline exactly (the property tests in ``tests/test_fastrank.py``
check every kernel against its pipeline). It splits the method into

* ``prepare(x, cost, context)``: the weight-independent part, from matrices
  ``x`` of shape (m, n, B) (options × criteria × samples), the mask of criteria
  to minimise and the context the method needs (``preferences`` for
  PROMETHEE II), to a tuple of (m, n, B) arrays; and
* ``aggregate(prepared, w)``: scores (m, K), higher is better, from weights
  (n, K) that already sum to 1 per column (B and K equal, or either 1); and
* ``cross(prepared, w, rank_only)``: scores (m, K, B) of every prepared matrix
  under each of K weight vectors ``w`` (K, n).

``linear`` says the score is ``Σ_j prepared[0][:, j] · w_j``: linear in the
weights, which lets the sensitivity analysis find exact weight intervals.
``arrays`` is how many arrays ``prepare`` returns (memory planning).

Every kernel here is *column-wise*: ``prepared[r][:, j]`` depends on column j of ``x`` alone (each criterion
is normalised, inverted or compared on its own), and its score is ``finish(sums)`` of the weighted sums
``Σ_j prepared[r][:, j] · weigh(w)_j``, one per prepared array (``weigh`` is w, or w² for TOPSIS's distances).
:func:`column_scores` uses both: the scores of many matrices that differ from one base matrix in one column
only (one score moved, as the tornado and "what would it take" do) cost m values per matrix, not m × n.

Nothing here names a method: :mod:`procurement.mcda.methods` pairs each kernel
with its method, and :mod:`procurement.mcda.fastrank` dispatches through it.
This module imports numpy (and the preference functions) only, so ranking with a kernel needs no scikit-criteria.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from procurement.mcda.preference import USUAL, preference

Prepared = tuple[np.ndarray, ...]


@dataclass(frozen=True)
class Kernel:
    """The vectorised form of one method (see the module docstring)."""

    prepare: Callable[[np.ndarray, np.ndarray, dict], Prepared]
    aggregate: Callable[[Prepared, np.ndarray], np.ndarray]
    cross: Callable[[Prepared, np.ndarray, bool], np.ndarray]
    linear: bool = True
    arrays: int = 1
    weigh: Callable[[np.ndarray], np.ndarray] = lambda w: w
    finish: Callable[[tuple[np.ndarray, ...]], np.ndarray] = lambda sums: sums[0]


def column_context(context: dict, j: int) -> dict:
    """The context of criterion j alone (per-criterion entries sliced: ``preferences``, ``bounds``)."""
    out = dict(context)
    if out.get("preferences") is not None:
        out["preferences"] = list(out["preferences"])[j:j + 1]
    if out.get("bounds") is not None:
        out["bounds"] = np.asarray(out["bounds"], dtype=float)[j:j + 1]
    return out


def column_scores(kernel: Kernel, base: Prepared, w: np.ndarray, j: int, column: Prepared) -> np.ndarray:
    """Scores (m, B) of B matrices equal to the base but for column j, from the base's prepared arrays (m, n, 1),
    the weights (n,) summing to 1 and column j of each matrix prepared alone (arrays (m, 1, B)).

    Each weighted sum is the sum over the other columns (once) plus column j's new part: O(m·B), whatever n.
    """
    g = kernel.weigh(np.asarray(w, dtype=float))
    rest = g.copy()
    rest[j] = 0.0
    return kernel.finish(tuple((b[:, :, 0] @ rest)[:, None] + c[:, 0, :] * g[j] for b, c in zip(base, column, strict=True)))


# ---------------------------------------------------------------------------
# aggregation


def linear_t(v: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Σ_j v[i, j, b] w[j, b] → (m, K), broadcasting a batch of 1 on either side."""
    if v.shape[2] == 1:
        return v[:, :, 0] @ w
    if w.shape[1] == 1:
        return np.einsum("ijb,j->ib", v, w[:, 0])
    if v.shape[2] != w.shape[1]:
        raise ValueError(f"{v.shape[2]} matrices but {w.shape[1]} weight vectors")
    return np.einsum("ijb,jb->ib", v, w)


def _linear_aggregate(prepared: Prepared, w: np.ndarray) -> np.ndarray:
    return linear_t(prepared[0], w)


def _linear_cross(prepared: Prepared, w: np.ndarray, rank_only: bool = False) -> np.ndarray:
    return np.matmul(w[None], prepared[0])


def closeness(d_best2: np.ndarray, d_worst2: np.ndarray) -> np.ndarray:
    """TOPSIS's relative closeness D⁻/(D⁺ + D⁻) from the squared distances."""
    d_best = np.sqrt(d_best2)
    d_worst = np.sqrt(d_worst2)
    total = d_best + d_worst
    with np.errstate(invalid="ignore", divide="ignore"):
        sim = d_worst / total
    # d_best + d_worst = 0 only when every option equals the ideal on every weighted criterion:
    # then all options tie, and a constant keeps them tied.
    return np.where(total > 0, sim, 0.5)


def _square(w: np.ndarray) -> np.ndarray:
    return w * w


def _closeness_finish(sums: tuple[np.ndarray, ...]) -> np.ndarray:
    return closeness(sums[0], sums[1])


def _closeness_aggregate(prepared: Prepared, w: np.ndarray) -> np.ndarray:
    w2 = w * w
    return closeness(linear_t(prepared[0], w2), linear_t(prepared[1], w2))


def _closeness_cross(prepared: Prepared, w: np.ndarray, rank_only: bool = False) -> np.ndarray:
    """With ``rank_only`` returns D⁻²/(D⁺² + D⁻²): it falls strictly as D⁺/D⁻ grows, as the closeness
    does, so it ranks identically and needs no square roots."""
    w2 = w * w
    d_best2 = np.matmul(w2[None], prepared[0])
    d_worst2 = np.matmul(w2[None], prepared[1])
    if not rank_only:
        return closeness(d_best2, d_worst2)
    d_best2 += d_worst2
    with np.errstate(invalid="ignore", divide="ignore"):
        d_worst2 /= d_best2
    d_worst2[d_best2 == 0] = 0.5
    return d_worst2


# ---------------------------------------------------------------------------
# preparation (weight-independent): x (m, n, B) finite, cost (n,) bool


def _sign(cost: np.ndarray) -> np.ndarray:
    return np.where(cost, -1.0, 1.0)[None, :, None]


def minmax_prepare(x: np.ndarray, cost: np.ndarray, context: dict) -> Prepared:
    """MinMaxInverter: benefit (x − min)/(max − min), cost (max − x)/(max − min), constant → 0."""
    # Negating a cost column first is exact, and (−x − min(−x)) = (max − x), so one formula serves.
    y = x * _sign(cost)
    lo = y.min(axis=0)
    den = y.max(axis=0) - lo
    den[den == 0] = np.inf  # constant criterion: x - min = 0 and 0/inf = 0
    y -= lo
    y /= den
    return (y,)


def sum_prepare(x: np.ndarray, cost: np.ndarray, context: dict) -> Prepared:
    """InvertMinimize (1/x on criteria to minimise), then SumScaler on the matrix (x / Σ_options x)."""
    if np.any(x < 0):
        raise ValueError("the weighted sum with sum normalisation needs scores of zero or more")
    y = x.copy()
    if np.any(cost):
        if np.any(y[:, cost, :] <= 0):
            raise ValueError("the weighted sum with sum normalisation inverts criteria to minimise (1/x), "
                             "so they need positive scores")
        y[:, cost, :] = 1.0 / y[:, cost, :]
    total = y.sum(axis=0)
    if np.any(total == 0):
        raise ValueError("the weighted sum with sum normalisation cannot divide a criterion whose scores are all zero")
    y /= total
    return (y,)


def log_prepare(x: np.ndarray, cost: np.ndarray, context: dict) -> Prepared:
    """AddValueToZero(matrix, 1) per column holding a zero → InvertMinimize (1/x) → log10."""
    y = x + np.any(x == 0, axis=0)
    if np.any(y <= 0):
        raise ValueError("the weighted product needs scores of zero or more (a negative score has no weighted power)")
    if np.any(cost):
        y[:, cost, :] = 1.0 / y[:, cost, :]
    return (np.log10(y, out=y),)


def distance_prepare(x: np.ndarray, cost: np.ndarray, context: dict) -> Prepared:
    """NegateMinimize → VectorScaler(matrix) → squared distances to the ideal and anti-ideal per criterion."""
    y = x * _sign(cost)  # afterwards every criterion is maximised
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


def net_flow_prepare(x: np.ndarray, cost: np.ndarray, context: dict) -> Prepared:
    """PROMETHEE II's net flow per criterion, φ_j(a) = Σ_b (P_j(a, b) − P_j(b, a))/(m − 1).

    The net flow is linear in the weights, φ(a) = Σ_j w_j φ_j(a), so it aggregates like a weighted sum.
    """
    m, n, _ = x.shape
    prefs = context.get("preferences")
    specs = list(prefs) if prefs is not None else [USUAL] * n
    if len(specs) != n:
        raise ValueError(f"{len(specs)} preference functions for {n} criteria")
    sign = _sign(cost)
    phi = np.empty(x.shape)
    denom = max(m - 1, 1)
    for j, (f, q, p, s_) in enumerate(specs):
        col = x[:, j, :] * sign[0, j, 0]
        d = col[:, None, :] - col[None, :, :]  # (m, m, B): d[a, b] = g(a) − g(b), larger better
        pref = preference(f, d, q, p, s_)
        phi[:, j, :] = (pref.sum(axis=1) - pref.sum(axis=0)) / denom
    return (phi,)


def ratio_prepare(x: np.ndarray, cost: np.ndarray, context: dict) -> Prepared:
    """WASPAS's preprocessing: AddValueToZero(matrix, 1) per column holding a zero → BenefitCostInverter
    (x/max on criteria to maximise, min/x on criteria to minimise); the values and their log10."""
    if np.any(x < 0):
        raise ValueError("WASPAS needs scores of zero or more")
    y = x + np.any(x == 0, axis=0)
    if np.any(~cost):
        y[:, ~cost, :] /= y[:, ~cost, :].max(axis=0)
    if np.any(cost):
        y[:, cost, :] = y[:, cost, :].min(axis=0) / y[:, cost, :]
    return (y, np.log10(y))


def waspas_kernel(lambda_value: float) -> Kernel:
    """WASPAS: λ·Σ w·x + (1 − λ)·10^(Σ w·log10 x) on the ratio-normalised matrix."""

    def aggregate(prepared: Prepared, w: np.ndarray) -> np.ndarray:
        return lambda_value * linear_t(prepared[0], w) + (1 - lambda_value) * np.power(10.0, linear_t(prepared[1], w))

    def cross(prepared: Prepared, w: np.ndarray, rank_only: bool = False) -> np.ndarray:
        product = np.power(10.0, np.matmul(w[None], prepared[1]))
        return lambda_value * np.matmul(w[None], prepared[0]) + (1 - lambda_value) * product

    def finish(sums: tuple[np.ndarray, ...]) -> np.ndarray:
        return lambda_value * sums[0] + (1 - lambda_value) * np.power(10.0, sums[1])

    return Kernel(ratio_prepare, aggregate, cross, linear=False, arrays=2, finish=finish)


def split_sum_prepare(x: np.ndarray, cost: np.ndarray, context: dict) -> Prepared:
    """COPRAS's preprocessing: SumScaler on the matrix (x/Σx per criterion), objectives kept; the part on
    criteria to maximise and the part on criteria to minimise (zeros elsewhere)."""
    if np.any(x < 0):
        raise ValueError("COPRAS needs scores of zero or more")
    # Without a criterion to minimise every S₋ is 0 and the utility refuses it (_utility); prepare stays column-wise.
    total = x.sum(axis=0)
    if np.any(total == 0):
        raise ValueError("COPRAS cannot divide a criterion whose scores are all zero")
    y = x / total
    low = y.copy()
    low[:, ~cost, :] = 0.0
    y[:, cost, :] = 0.0
    return (y, low)


def _utility(s_max: np.ndarray, s_min: np.ndarray) -> np.ndarray:
    """COPRAS's utility degree (% of the best) from S₊ and S₋ of every option (axis 0)."""
    if np.any(s_min <= 0):
        raise ValueError("COPRAS cannot divide by an option whose weighted minimised criteria are all zero")
    least = s_min.min(axis=0)
    q = s_max + least * s_min.sum(axis=0) / (s_min * (least / s_min).sum(axis=0))
    return q / q.max(axis=0) * 100.0


def _copras_aggregate(prepared: Prepared, w: np.ndarray) -> np.ndarray:
    return _utility(linear_t(prepared[0], w), linear_t(prepared[1], w))


def _copras_cross(prepared: Prepared, w: np.ndarray, rank_only: bool = False) -> np.ndarray:
    return _utility(np.matmul(w[None], prepared[0]), np.matmul(w[None], prepared[1]))


def _copras_finish(sums: tuple[np.ndarray, ...]) -> np.ndarray:
    return _utility(sums[0], sums[1])


COPRAS = Kernel(split_sum_prepare, _copras_aggregate, _copras_cross, linear=False, arrays=2, finish=_copras_finish)


def linear_kernel(prepare: Callable[[np.ndarray, np.ndarray, dict], Prepared]) -> Kernel:
    """A kernel whose score is Σ_j prepared[:, j] · w_j."""
    return Kernel(prepare, _linear_aggregate, _linear_cross)


def closeness_kernel(prepare: Callable[[np.ndarray, np.ndarray, dict], Prepared]) -> Kernel:
    """A TOPSIS-type kernel: relative closeness from squared distances to the ideal and anti-ideal."""
    return Kernel(prepare, _closeness_aggregate, _closeness_cross, linear=False, arrays=2, weigh=_square,
                  finish=_closeness_finish)


def spotis_prepare(x: np.ndarray, cost: np.ndarray, context: dict) -> Prepared:
    """SPOTIS (Dezert et al. 2020): minus each value's distance to the ideal solution point, over the range of the
    criterion's bounds, |x − isp| / (max − min), so that Σ_j w_j · prepared is minus the SPOTIS score (higher is
    better). The bounds come from ``context["bounds"]`` (n, 2), else from the matrix (each sample's own minimum
    and maximum, as scikit-criteria does without bounds); the ideal point is the upper bound of a criterion to
    maximise and the lower bound of one to minimise."""
    bounds = context.get("bounds")
    if bounds is None:
        lo, hi = x.min(axis=0), x.max(axis=0)  # (n, B)
    else:
        b = np.asarray(bounds, dtype=float)
        if b.shape != (x.shape[1], 2):
            raise ValueError(f"SPOTIS needs one (lower, upper) bound per criterion: {x.shape[1]} × 2, got {b.shape}")
        lo, hi = b[:, 0][:, None], b[:, 1][:, None]
    isp = np.where(cost[:, None], lo, hi)
    with np.errstate(divide="ignore", invalid="ignore"):
        distance = np.abs((x - isp) / (hi - lo))
    return (-distance,)
