"""PROMETHEE's generalised criteria: the preference functions and their thresholds.

The six generalised criteria of Brans & Vincke (1985), chosen per criterion in the
criteria file (``preference: {function: linear, q: 500, p: 5000}``):

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

A preference spec is the tuple ``(function, q, p, s)``; thresholds a function does
not take are ignored. PROMETHEE II's decision maker (:mod:`procurement.mcda.promethee`)
and its vectorised kernel (:mod:`procurement.mcda.kernels`) both use :func:`preference`.
This module imports numpy only.
"""

from __future__ import annotations

import numpy as np

FUNCTIONS = ("usual", "u-shape", "v-shape", "level", "linear", "gaussian")
# the thresholds each function takes, as the criteria file and the JSON of a ranking name them
THRESHOLDS = {"usual": (), "u-shape": ("q",), "v-shape": ("p",), "level": ("q", "p"), "linear": ("q", "p"), "gaussian": ("s",)}

# a preference spec: (function, q, p, s); unused thresholds are ignored
Spec = tuple[str, float, float, float]

USUAL: Spec = ("usual", 0.0, 0.0, 0.0)


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


def spec_dict(criterion: str, spec: Spec) -> dict:
    """One criterion's preference as JSON: ``{"criterion", "function"}`` and the thresholds its function takes."""
    f, q, p, s = spec
    values = {"q": q, "p": p, "s": s}
    return {"criterion": criterion, "function": f, **{k: values[k] for k in THRESHOLDS[f]}}


def check_specs(preferences) -> tuple[Spec, ...]:
    """Preference specs as (function, q, p, s) floats; ValueError for an unknown function or q > p."""
    if preferences is None:
        preferences = USUAL
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
