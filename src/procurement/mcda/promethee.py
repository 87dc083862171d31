"""PROMETHEE II with a preference function and thresholds per criterion.

scikit-criteria 0.10 has no PROMETHEE. pymcdm has one, but with a single
preference function for every criterion and no Gaussian. Advisors need the
function and its q/p/s thresholds per criterion, set in the criteria file, from
the six generalised criteria of Brans & Vincke (1985):

=========  =====================================================  ==========
function   P(d) for a difference d in favour of a                 thresholds
=========  =====================================================  ==========
usual      0 if d ≤ 0, else 1                                     –
u-shape    0 if d ≤ q, else 1                                     q
v-shape    0 if d ≤ 0, d/p if 0 < d ≤ p, else 1                   p
level      0 if d ≤ q, 1/2 if q < d ≤ p, else 1                   q < p
linear     0 if d ≤ q, (d − q)/(p − q) if q < d ≤ p, else 1       q ≤ p
gaussian   0 if d ≤ 0, else 1 − exp(−d² / (2 s²))                 s
=========  =====================================================  ==========

d is the difference g(a) − g(b) on a criterion to maximise and g(b) − g(a) on
one to minimise. The aggregated preference index is π(a, b) = Σ_j w_j P_j(a, b)
with weights summing to 1; the positive flow φ⁺(a) = Σ_b π(a, b)/(n − 1), the
negative flow φ⁻(a) = Σ_b π(b, a)/(n − 1) and the net flow φ = φ⁺ − φ⁻ that
ranks the options (PROMETHEE II).

:class:`PROMETHEE2` has the shape of a scikit-criteria decision maker: it
evaluates a :class:`skcriteria.DecisionMatrix` and returns a ``RankResult``
with ``net_flow``, ``positive_flow`` and ``negative_flow`` in ``extra_``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

FUNCTIONS = ("usual", "u-shape", "v-shape", "level", "linear", "gaussian")
# the thresholds each function takes, as the criteria file and the JSON of a ranking name them
THRESHOLDS = {"usual": (), "u-shape": ("q",), "v-shape": ("p",), "level": ("q", "p"), "linear": ("q", "p"), "gaussian": ("s",)}

# a preference spec: (function, q, p, s); unused thresholds are ignored
Spec = tuple[str, float, float, float]


def preference(function: str, d: np.ndarray, q: float = 0.0, p: float = 0.0, s: float = 0.0) -> np.ndarray:
    """The preference P(d) ∈ [0, 1] of one generalised criterion, element-wise."""
    d = np.asarray(d, dtype=float)
    if function == "usual":
        return (d > 0).astype(float)
    if function == "u-shape":
        return (d > q).astype(float)
    if function == "v-shape":
        return np.clip(d / p, 0.0, 1.0) if p > 0 else (d > 0).astype(float)
    if function == "level":
        return np.where(d > p, 1.0, np.where(d > q, 0.5, 0.0))
    if function == "linear":
        if p <= q:
            return (d > q).astype(float)
        return np.clip((d - q) / (p - q), 0.0, 1.0)
    if function == "gaussian":
        return np.where(d > 0, 1.0 - np.exp(-(d**2) / (2.0 * s**2)), 0.0)
    raise ValueError(f"unknown preference function '{function}'; valid: {', '.join(FUNCTIONS)}")


def promethee2(matrix: np.ndarray, objectives: np.ndarray, weights: np.ndarray, specs: Sequence[Spec]):
    """Net, positive and negative flows and the preference index matrix (no validation)."""
    matrix = np.asarray(matrix, dtype=float)
    n, m = matrix.shape
    weights = np.asarray(weights, dtype=float)
    weights = weights / weights.sum()
    pi = np.zeros((n, n))
    for j in range(m):
        col = matrix[:, j] * (1 if objectives[j] >= 0 else -1)
        d = col[:, None] - col[None, :]  # d[a, b] = g(a) − g(b), oriented so larger is better
        f, q, p, s = specs[j]
        pi += weights[j] * preference(f, d, q, p, s)
    np.fill_diagonal(pi, 0.0)
    denom = max(n - 1, 1)
    plus = pi.sum(axis=1) / denom
    minus = pi.sum(axis=0) / denom
    return plus - minus, plus, minus, pi


def spec_dict(criterion: str, spec: Spec) -> dict:
    """One criterion's preference as JSON: ``{"criterion", "function"}`` and the thresholds its function takes."""
    f, q, p, s = spec
    values = {"q": q, "p": p, "s": s}
    return {"criterion": criterion, "function": f, **{k: values[k] for k in THRESHOLDS[f]}}


def check_specs(preferences) -> tuple[Spec, ...]:
    """Preference specs as (function, q, p, s) floats; ValueError for an unknown function or q > p."""
    if preferences is None:
        preferences = ("usual", 0.0, 0.0, 0.0)
    if isinstance(preferences, tuple) and preferences and isinstance(preferences[0], str):
        preferences = (preferences,)
    specs = []
    for spec in preferences:
        f, q, p, s = (tuple(spec) + (0.0, 0.0, 0.0))[:4]
        if f not in FUNCTIONS:
            raise ValueError(f"unknown preference function '{f}'; valid: {', '.join(FUNCTIONS)}")
        if q > p and f in ("level", "linear"):
            raise ValueError(f"q ({q:g}) must not exceed p ({p:g})")
        specs.append((f, float(q), float(p), float(s)))
    return tuple(specs)


_CLASS: Any = None


def _decision_maker_class():
    """PROMETHEE2 as a scikit-criteria decision maker, defined on first use so that importing this
    module (the vectorised core needs :func:`preference`) does not import scikit-criteria."""
    global _CLASS
    if _CLASS is not None:
        return _CLASS
    from skcriteria.agg import RankResult
    from skcriteria.agg._agg_base import SKCDecisionMakerABC

    from procurement.mcda.fastrank import rank_scores

    class PROMETHEE2(SKCDecisionMakerABC):
        """PROMETHEE II (Brans & Vincke 1985) with a preference function per criterion.

        Parameters
        ----------
        preferences : sequence of (function, q, p, s), or one such tuple, optional
            The generalised criterion of each criterion, in the order of the
            decision matrix's criteria; a single tuple applies to every criterion.
            Default: the usual criterion everywhere.

        Net flows equal within :data:`procurement.mcda.fastrank.RTOL` share a rank
        (two options with the same flows can differ by rounding, about 1e-16).
        """

        _skcriteria_parameters = ["preferences"]

        def __init__(self, *, preferences=None):
            self._preferences = check_specs(preferences)

        @property
        def preferences(self) -> tuple[Spec, ...]:
            return self._preferences

        def _specs(self, m: int) -> tuple[Spec, ...]:
            if len(self._preferences) == 1:
                return self._preferences * m
            if len(self._preferences) != m:
                raise ValueError(f"{len(self._preferences)} preference functions for {m} criteria")
            return self._preferences

        def _evaluate_data(self, matrix, objectives, weights, **kwargs):
            net, plus, minus, pi = promethee2(matrix, objectives, weights, self._specs(matrix.shape[1]))
            return rank_scores(net), {
                "score": net,
                "net_flow": net,
                "positive_flow": plus,
                "negative_flow": minus,
                "preference_index": pi,
            }

        def _make_result(self, alternatives, values, extra):
            return RankResult("PROMETHEE2", alternatives=alternatives, values=values, extra=extra)

    _CLASS = PROMETHEE2
    return _CLASS


def __getattr__(name: str) -> Any:
    if name == "PROMETHEE2":
        return _decision_maker_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
