"""PROMETHEE II with a preference function and thresholds per criterion.

scikit-criteria 0.10 has no PROMETHEE. pymcdm has one, but with a single
preference function for every criterion and no Gaussian. Advisors need the
function and its q/p/s thresholds per criterion, set in the criteria file, from
the six generalised criteria of Brans & Vincke (1985)
(:mod:`procurement.mcda.preference`).

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

from procurement.mcda.preference import FUNCTIONS, THRESHOLDS, Spec, check_specs, preference, spec_dict
from procurement.mcda.ties import rank_scores

__all__ = ["FUNCTIONS", "THRESHOLDS", "PROMETHEE2", "Spec", "check_specs", "preference", "promethee2",  # noqa: F822
           "spec_dict"]  # PROMETHEE2 is made on first use by __getattr__ below

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


_CLASS: Any = None


def _decision_maker_class():
    """PROMETHEE2 as a scikit-criteria decision maker, defined on first use so that importing this
    module does not import scikit-criteria (about 2 s; only the pipeline needs it)."""
    global _CLASS
    if _CLASS is not None:
        return _CLASS
    # lazy: scikit-criteria costs about 2 s at import; only the pipeline (not the kernel) needs it
    from skcriteria.agg import RankResult
    from skcriteria.agg._agg_base import SKCDecisionMakerABC

    class PROMETHEE2(SKCDecisionMakerABC):
        """PROMETHEE II (Brans & Vincke 1985) with a preference function per criterion.

        Parameters
        ----------
        preferences : sequence of (function, q, p, s), or one such tuple, optional
            The generalised criterion of each criterion, in the order of the
            decision matrix's criteria; a single tuple applies to every criterion.
            Default: the usual criterion everywhere.

        Net flows equal within :data:`procurement.mcda.ties.RTOL` share a rank
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
