"""Value functions: criteria in natural units mapped to a 0–10 value.

A criterion in the criteria file may carry a value function::

    - id: cost-pv
      direction: min
      scale: {kind: natural, unit: MNOK, min: 0, max: 50000}
      value_function:
        kind: piecewise          # or linear (exactly two points)
        points: [[0, 10], [5000, 8], [15000, 3], [30000, 0]]

``points`` are (score, value) pairs with scores strictly increasing and values
0–10, linearly interpolated between them. The function must be monotone and
agree with ``direction`` (values rise for ``max``, fall for ``min``), so the
value is always "higher is better" and the criterion is maximised after it.
A score outside the first and last point (the domain) is a validation error
naming the ``scores.csv`` row. Checks live in :class:`procurement.case.models.ValueFunction`
and the loader; this module gives notebooks the applied matrix and the curves.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from procurement.case.loader import Decision
from procurement.case.models import Criterion, ValueFunction


def apply(vf: ValueFunction, scores) -> np.ndarray:
    """Values (0–10) of scores inside the function's domain."""
    return vf(scores)


def value_matrix(decision: Decision, which: str = "likely") -> pd.DataFrame:
    """Options × criteria after value functions (criteria without one keep their score)."""
    return decision.value_matrix(which)


def curve(criterion: Criterion, n: int = 101) -> pd.DataFrame:
    """The function sampled over its domain (columns score, value), for plotting."""
    vf = criterion.value_function
    if vf is None:
        raise ValueError(f"criterion '{criterion.id}' has no value function")
    lo, hi = vf.domain
    xs = np.unique(np.concatenate([np.linspace(lo, hi, n), [p[0] for p in vf.points]]))
    return pd.DataFrame({"score": xs, "value": vf(xs)})


def table(decision: Decision) -> pd.DataFrame:
    """One row per criterion with a value function: kind, domain, value range, points."""
    rows = []
    for c in decision.criteria:
        vf = c.value_function
        if vf is None:
            continue
        rows.append({"criterion": c.id, "kind": vf.kind, "unit": c.scale.unit or "", "domain": vf.domain,
                     "values": vf.value_range, "points": [tuple(p) for p in vf.points]})
    return pd.DataFrame(rows, columns=["criterion", "kind", "unit", "domain", "values", "points"])
