"""Weights: one resolution for every face, the value tree, and weights derived from a ranking.

:func:`resolve_weights` is the only place that decides which weights an
analysis uses (explicit scenario weights, a stakeholder profile, the panel's
combined weights, AHP, or the criteria file's weights multiplied down the
value tree); the command line, the reports and the workbench all call it
through :class:`procurement.Analysis`.

Rank-order centroid (Barron & Barrett 1996) and the value tree are read with
the case (:mod:`procurement.case.profiles`) and re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import contextlib
import warnings

import numpy as np
import pandas as pd

from procurement.case.errors import InputError, Problem, did_you_mean, display_path
# the value tree, rank-order centroid and the special weight sources are read with the case (case/profiles.py)
from procurement.case.profiles import (  # noqa: F401 - re-exported: the weights' one home for the engine
    AHP,
    PANEL_GEOMEAN,
    PANEL_MEAN,
    SPECIAL_SOURCES,
    file_weights,
    normalise,
    rank_order_centroid,
    roc_weights,
    tree_weights,
)
from procurement.mcda.ahp import load_ahp
from procurement.text.sentences import Assumption


# ---------------------------------------------------------------------------
# weights from a ranking of criteria
# ---------------------------------------------------------------------------


def rank_sum(ranks: pd.Series) -> pd.Series:
    """Rank-sum weights (Stillwell, Seaver & Edwards 1981): w_r ∝ n − r + 1; ties share their positions' mean."""
    return _from_positions(ranks, lambda n: (n - np.arange(1, n + 1) + 1) / (n * (n + 1) / 2))


def reciprocal_rank(ranks: pd.Series) -> pd.Series:
    """Rank-reciprocal weights (Stillwell, Seaver & Edwards 1981): w_r ∝ 1/r; ties share their positions' mean."""
    return _from_positions(ranks, lambda n: (1.0 / np.arange(1, n + 1)) / np.sum(1.0 / np.arange(1, n + 1)))


def _from_positions(ranks: pd.Series, base_of) -> pd.Series:
    r = ranks.astype(float)
    base = base_of(len(r))
    order = r.rank(method="first").astype(int) - 1
    w = pd.Series(base[order.to_numpy()], index=r.index)
    return w.groupby(r).transform("mean")


RANK_METHODS = {"roc": rank_order_centroid, "rs": rank_sum, "rr": reciprocal_rank}


def weights_from_ranks(ranks: pd.Series, method: str = "roc") -> pd.Series:
    """Weights from ranks (1 = most important) by 'roc', 'rs' (rank sum) or 'rr' (reciprocal)."""
    if method not in RANK_METHODS:
        raise InputError(Problem("", "rank weighting", f"unknown method '{method}'", did_you_mean(method, RANK_METHODS)))
    return RANK_METHODS[method](ranks)


def swing_weights(points: pd.Series) -> pd.Series:
    """Swing weighting (von Winterfeldt & Edwards 1986).

    The advisor imagines every criterion at its worst level, picks the swing
    from worst to best that matters most and gives it 100 points, then rates
    every other swing against it (0–100). Weights are the points normalised to
    sum 1. Raises ValueError when no swing has 100 points or a rating lies
    outside 0–100.
    """
    p = points.astype(float)
    bad = p[(p < 0) | (p > 100)]
    if len(bad):
        raise ValueError(f"swing points must lie from 0 to 100; {', '.join(f'{k}: {v:g}' for k, v in bad.items())}")
    if not (p == 100).any():
        raise ValueError("give the most important swing 100 points and rate the others against it")
    return normalise(p)


# ---------------------------------------------------------------------------
# objective weights, for comparison only
# ---------------------------------------------------------------------------


def objective_weights(matrix: pd.DataFrame, objectives: pd.Series, method: str = "entropy") -> pd.Series:
    """Objective weights from the spread of the scores, through scikit-criteria's weighters.

    ``entropy`` (Shannon entropy of each criterion's sum-normalised values;
    scikit-criteria's EntropyWeighter after inverting minimised criteria to
    max − x + min so that all values stay positive) or ``critic`` (Diakoulaki,
    Mavrotas & Papayannakis 1995; CRITIC with scikit-criteria's built-in scaling
    by distance to the ideal). For comparison with elicited weights: they say
    how much the options differ, not how much a criterion matters.
    """
    # lazy: scikit-criteria costs about 2 s at import; only these comparison weights need it
    import skcriteria as skc
    from skcriteria.preprocessing.weighters import CRITIC, EntropyWeighter

    m = matrix.astype(float)
    obj = objectives.loc[m.columns].to_numpy()
    if method == "entropy":
        # entropy reads each column as a distribution: orient minimised criteria (max + min − x), keep positive
        vals = m.to_numpy(copy=True)
        for j, o in enumerate(obj):
            if o < 0:
                vals[:, j] = vals[:, j].max() + vals[:, j].min() - vals[:, j]
        vals = vals + (vals <= 0).any(axis=0) * 1.0  # columns with zeros shifted by 1
        dm = skc.mkdm(vals, [1] * len(obj), criteria=list(m.columns), alternatives=list(m.index))
        weighter = EntropyWeighter()
    elif method == "critic":
        dm = skc.mkdm(m.to_numpy(), obj, criteria=list(m.columns), alternatives=list(m.index))
        weighter = CRITIC()
    else:
        raise InputError(
            Problem("", "objective weights", f"unknown method '{method}'", did_you_mean(method, ["entropy", "critic"]))
        )
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.filterwarnings("ignore", message="Although CRITIC can operate with minimization", category=UserWarning)
        w = weighter.transform(dm).weights
    w = pd.Series(np.nan_to_num(np.asarray(w, dtype=float)), index=m.columns)
    return w / w.sum() if w.sum() > 0 else w


# ---------------------------------------------------------------------------
# one weight resolution for every face
# ---------------------------------------------------------------------------

#: The criteria file's weights (a scenario without a profile).
FILE_WEIGHTS = None


@dataclass(frozen=True)
class WeightSet:
    """Criterion weights (sum 1, in the criteria file's order) and where they came from.

    ``source`` is ``None`` for the criteria file's weights, a stakeholder
    group id, ``panel-mean``, ``panel-geomean`` or ``ahp``; ``explicit`` is
    True when a scenario's ``weights:`` replaced them. ``ahp`` holds the AHP
    comparison results (consistency ratios) when the source is ``ahp``.
    """

    weights: pd.Series
    source: str | None = None
    explicit: bool = False
    ahp: Any = None
    groups: int = 0  # how many stakeholder groups a panel's weights combine

    @cached_property
    def assumption(self) -> Assumption:
        """Where the weights came from, as a sentence key (``mcda.weights.*``) with the weights themselves."""
        values: dict[str, Any] = {"weights": {str(c): float(w) for c, w in self.weights.items()}}
        if self.explicit:
            return Assumption("mcda.weights.explicit", {**values, "profile": self.source})
        if self.source is None:
            return Assumption("mcda.weights.file", values)
        if self.source in (PANEL_MEAN, PANEL_GEOMEAN):
            return Assumption(f"mcda.weights.{self.source}", {**values, "groups": self.groups})
        if self.source == AHP:
            return Assumption("mcda.weights.ahp", values)
        return Assumption("mcda.weights.profile", {**values, "profile": self.source})


def resolve_weights(
    decision,
    profile: str | None = None,
    weights: Mapping[str, float] | pd.Series | None = None,
    ahp_file: str | Path | None = None,
) -> WeightSet:
    """The weights an analysis uses, resolved in one place for every face.

    In order of precedence: explicit `weights` (every criterion needs one;
    normalised), the `profile` (a stakeholder group, ``panel-mean``,
    ``panel-geomean``, or ``ahp`` with the comparisons in `ahp_file`, by default
    ``<case>/ahp-<decision>.yaml``), else the criteria file's weights multiplied
    down the value tree (:func:`tree_weights`). Raises InputError with a neutral
    key (``profile``, ``weights``) for an unknown profile or bad weights.
    """
    ids = decision.criterion_ids
    if weights is not None:
        base = _source_weights(decision, profile, ahp_file) if profile is not None else None
        w = explicit_weights(ids, weights)
        return WeightSet(w, profile, True, base.ahp if base is not None else None, base.groups if base is not None else 0)
    return _source_weights(decision, profile, ahp_file)


def _source_weights(decision, profile: str | None, ahp_file: str | Path | None) -> WeightSet:
    ids = decision.criterion_ids
    if profile is None:
        return WeightSet(file_weights(decision).loc[ids])
    if profile == AHP:
        if ahp_file is None:
            raise InputError(
                Problem(
                    "profile",
                    "ahp",
                    "AHP weights need the comparison file",
                    f"give the path of ahp-{decision.id}.yaml (Analysis finds it in the case folder)",
                )
            )
        res = load_ahp(Path(ahp_file), decision)
        return WeightSet(res.weights.loc[ids].astype(float), AHP, False, res)
    if profile in (PANEL_MEAN, PANEL_GEOMEAN):
        w = panel_weights(decision, "mean" if profile == PANEL_MEAN else "geomean")
        return WeightSet(w.loc[ids].astype(float), profile, groups=len(decision.profiles))
    if profile not in decision.profiles:
        valid = [*decision.profiles, PANEL_MEAN, PANEL_GEOMEAN, AHP]
        raise InputError(
            Problem("profile", "", f"no weight profile '{profile}' for decision '{decision.id}'", did_you_mean(profile, valid))
        )
    w = decision.profiles[profile].loc[ids].astype(float)
    return WeightSet(w / w.sum(), profile)


def explicit_weights(ids: list[str], weights: Mapping[str, float] | pd.Series) -> pd.Series:
    """Explicit weights for every criterion in `ids`, normalised; InputError naming the first problem."""
    w = pd.Series(dict(weights), dtype=float)
    unknown = [k for k in w.index if k not in ids]
    if unknown:
        raise InputError(Problem("weights", "", f"unknown criterion '{unknown[0]}'", did_you_mean(unknown[0], ids)))
    missing = [c for c in ids if c not in w.index]
    if missing:
        raise InputError(Problem("weights", "", f"no weight for criteria {', '.join(missing)}", "give every criterion a weight"))
    w = w.loc[ids]
    with np.errstate(over="ignore"):  # 1e308 + 1e308 is inf: refused below, without a warning
        total = float(w.to_numpy().sum())
    if not np.isfinite(w).all() or not np.isfinite(total) or (w < 0).any() or total <= 0:
        raise InputError(
            Problem(
                "weights",
                "",
                "weights must be finite numbers, zero or more, with at least one above zero",
                "for example 10, 5 and 0",
            )
        )
    return w / w.sum()


# ---------------------------------------------------------------------------
# the stakeholder panel's weights
# ---------------------------------------------------------------------------


def groups_of(decision, groups: list[str] | None = None) -> list[str]:
    """The stakeholder groups with a weight profile for this decision (all, or those named)."""
    have = list(decision.profiles)
    if groups is None:
        return have
    for g in groups:
        if g not in have:
            raise InputError(Problem(display_path(decision.criteria_file), f"decision '{decision.id}'",
                                     f"no weight profile for group '{g}'", did_you_mean(g, have)))
    return list(groups)


def weights_table(decision, groups: list[str] | None = None) -> pd.DataFrame:
    """Criteria × groups of normalised weights."""
    gs = groups_of(decision, groups)
    ids = pd.Index(decision.criterion_ids)
    cols = [decision.profiles[g] for g in gs]
    values = [(c if c.index.equals(ids) else c.loc[ids]).to_numpy(dtype=float) for c in cols]
    t = pd.DataFrame(np.column_stack(values) if values else np.empty((len(ids), 0)), index=ids, columns=gs)
    return t / t.sum()


def panel_weights(decision, how: str = "mean", groups: list[str] | None = None) -> pd.Series:
    """The panel's combined weights: arithmetic ('mean') or geometric ('geomean') mean of normalised weights."""
    t = weights_table(decision, groups)
    if t.shape[1] == 0:
        raise InputError(Problem(display_path(decision.criteria_file), f"decision '{decision.id}'",
                                 "no stakeholder weight profiles", "add rows for this decision to profiles.csv"))
    if how == "mean":
        w = t.mean(axis=1)
    elif how == "geomean":
        with np.errstate(divide="ignore"):
            w = pd.Series(np.exp(np.log(t.to_numpy()).mean(axis=1)), index=t.index)
        if w.sum() <= 0:
            raise InputError(Problem(display_path(decision.criteria_file), f"decision '{decision.id}'",
                                     "the geometric mean of the groups' weights is zero for every criterion",
                                     "each criterion has a zero weight in some group; use the arithmetic mean"))
    else:
        raise InputError(Problem("", "panel weights", f"unknown aggregation '{how}'", did_you_mean(how, ["mean", "geomean"])))
    return w / w.sum()


def panel_sets(decision) -> dict[str, pd.Series]:
    """Named combined weight sets: panel-mean and panel-geomean (geomean left out if it is all zero)."""
    out: dict[str, pd.Series] = {}
    if not decision.profiles:
        return out
    out[PANEL_MEAN] = panel_weights(decision, "mean")
    with contextlib.suppress(InputError):
        out[PANEL_GEOMEAN] = panel_weights(decision, "geomean")
    return out


def panel_weight_sets(decision) -> dict[str, WeightSet]:
    """:func:`panel_sets` as resolved weight sets (their source and the number of groups they combine)."""
    return {name: WeightSet(w.loc[decision.criterion_ids], name, groups=len(decision.profiles))
            for name, w in panel_sets(decision).items()}
