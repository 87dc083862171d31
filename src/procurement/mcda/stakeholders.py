"""Stakeholder profiles: a ranking per group, the panel's combined weights,
agreement between groups, and which group, left out, changes the winner.

Each stakeholder group's weights (``profiles.csv``) are normalised to sum 1.
The panel's combined weights are formed in the two usual ways:

* ``mean``: the arithmetic mean of the groups' normalised weights;
* ``geomean``: the geometric mean of each criterion's weights over the
  groups, renormalised to sum 1 (the aggregation of individual priorities
  that preserves ratio judgements, Forman & Peniwati 1998). A criterion any
  group weighs 0 gets 0.

Agreement is the Kendall τ between every pair of groups' rankings (through
scikit-criteria's RanksComparator) and Kendall's coefficient of concordance
W over all groups (0 = no agreement, 1 = identical rankings).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from procurement.case.errors import InputError, Problem, did_you_mean, display_path
from procurement.case.loader import Decision
from procurement.mcda.ranking import Prepared, Ranking, prepare, rank_prepared

PANEL_MEAN = "panel-mean"
PANEL_GEOMEAN = "panel-geomean"


def groups_of(decision: Decision, groups: list[str] | None = None) -> list[str]:
    """The stakeholder groups with a weight profile for this decision (all, or those named)."""
    have = list(decision.profiles)
    if groups is None:
        return have
    for g in groups:
        if g not in have:
            raise InputError(Problem(display_path(decision.criteria_file), f"decision '{decision.id}'",
                                     f"no weight profile for group '{g}'", did_you_mean(g, have)))
    return list(groups)


def weights_table(decision: Decision, groups: list[str] | None = None) -> pd.DataFrame:
    """Criteria × groups of normalised weights."""
    gs = groups_of(decision, groups)
    t = pd.DataFrame({g: decision.profiles[g].loc[decision.criterion_ids] for g in gs})
    return t / t.sum()


def panel_weights(decision: Decision, how: str = "mean", groups: list[str] | None = None) -> pd.Series:
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


def panel_sets(decision: Decision) -> dict[str, pd.Series]:
    """Named combined weight sets: panel-mean and panel-geomean (geomean left out if it is all zero)."""
    out = {}
    if not decision.profiles:
        return out
    out[PANEL_MEAN] = panel_weights(decision, "mean")
    try:
        out[PANEL_GEOMEAN] = panel_weights(decision, "geomean")
    except InputError:
        pass
    return out


def profile_rankings(decision: Decision, method: str = "wsm", language: str = "nb",
                     include_panel: bool = True, prep: Prepared | None = None) -> list[Ranking]:
    """One ranking per group, then the panel's combined weights (mean, geomean)."""
    prep = prep or prepare(decision)
    out = [rank_prepared(prep, method, g, None, language) for g in groups_of(decision)]
    if include_panel:
        out += [rank_prepared(prep, method, name, w, language) for name, w in panel_sets(decision).items()]
    return out


def stakeholder_rankings(decision: Decision, method: str = "wsm", language: str = "nb") -> pd.DataFrame:
    """Options × weight sets (default, each group, panel-mean, panel-geomean) of ranks, with labels."""
    prep = prepare(decision)
    sets = [rank_prepared(prep, method, None, None, language)] + profile_rankings(decision, method, language, prep=prep)
    t = pd.DataFrame({("default" if r.profile is None else r.profile): r.table["rank"].astype(int) for r in sets})
    labels = decision.option_labels(language)
    t.insert(0, "label", [labels[o] for o in t.index])
    t.index.name = "option"
    return t


def kendall_w(ranks: pd.DataFrame) -> float:
    """Kendall's coefficient of concordance W over the columns of an options × raters rank table,
    with the correction for ties."""
    r = ranks.rank(axis=0, method="average").to_numpy(dtype=float)
    n, m = r.shape
    if n < 2 or m < 2:
        return 1.0
    s = ((r.sum(axis=1) - m * (n + 1) / 2) ** 2).sum()
    ties = 0.0
    for j in range(m):
        _, counts = np.unique(r[:, j], return_counts=True)
        ties += float((counts**3 - counts).sum())
    denom = m**2 * (n**3 - n) - m * ties
    return float(12 * s / denom) if denom > 0 else 1.0


def agreement(decision: Decision, method: str = "wsm", prep: Prepared | None = None,
              rankings: list[Ranking] | None = None) -> dict:
    """Kendall τ between every pair of groups' rankings and Kendall's W over all groups.

    `rankings` may pass the groups' rankings already computed (one per group)."""
    from procurement.mcda.comparison import correlations, rank_table

    if rankings is None:
        rankings = profile_rankings(decision, method, include_panel=False, prep=prep)
    ranks = rank_table(rankings, "profile")
    tau = correlations(ranks, "kendall")
    return {"kendall_tau": tau, "kendall_w": kendall_w(ranks), "ranks": ranks}


def _loo_sets(decision: Decision, how: str) -> tuple[pd.Series, dict[str, pd.Series]]:
    """The full panel's weights and, per group, the panel's weights without it."""
    gs = groups_of(decision)
    full = panel_weights(decision, how)
    out = {}
    for g in gs:
        rest = [x for x in gs if x != g]
        if not rest:
            continue
        try:
            out[g] = panel_weights(decision, how, rest)
        except InputError:
            continue
    return full, out


def leave_one_out(decision: Decision, method: str = "wsm", how: str = "mean",
                  prep: Prepared | None = None, _sets=None) -> pd.DataFrame:
    """For each group: the panel's winner without that group, and whether it differs from the full panel's.

    Rows: group, winner_without (ties joined by ' = '), changes_winner. ``attrs['panel_winner']``
    holds the full panel's winner.
    """
    prep = prep or prepare(decision)
    full_w, sets = _sets if _sets is not None else _loo_sets(decision, how)
    full = rank_prepared(prep, method, "panel", full_w, "en")
    rows = []
    for g, w in sets.items():
        r = rank_prepared(prep, method, f"without-{g}", w, "en")
        rows.append({"group": g, "winner_without": " = ".join(r.winners),
                     "changes_winner": set(r.winners) != set(full.winners)})
    out = pd.DataFrame(rows, columns=["group", "winner_without", "changes_winner"])
    out.attrs["panel_winner"] = " = ".join(full.winners)
    return out


def stakeholder_dicts(decision: Decision, methods: list[str], prep: Prepared | None = None,
                      rankings: list[Ranking] | None = None) -> dict[str, dict]:
    """:func:`stakeholder_dict` for several methods, computing the weight sets once."""
    prep = prep or prepare(decision)
    sets = {}
    for how in ("mean", "geomean"):
        try:
            sets[how] = _loo_sets(decision, how)
        except InputError:
            pass
    table = weights_table(decision) if decision.profiles else None
    panels = panel_sets(decision)
    return {m: stakeholder_dict(decision, m, prep, rankings, _sets=sets, _table=table, _panels=panels) for m in methods}


def stakeholder_dict(decision: Decision, method: str, prep: Prepared | None = None,
                     rankings: list[Ranking] | None = None, _sets=None, _table=None, _panels=None) -> dict:
    """The JSON form of the stakeholder analysis for one method.

    `rankings` may pass rankings already computed for this method; those of the groups are reused."""
    if not decision.profiles:
        return {"method": method, "groups": []}
    prep = prep or prepare(decision)
    groups = list(decision.profiles)
    mine = {r.profile: r for r in (rankings or []) if r.method == method}
    group_rankings = [mine[g] for g in groups] if all(g in mine for g in groups) else None
    ag = agreement(decision, method, prep, group_rankings)
    tau = ag["kendall_tau"]
    out = {
        "method": method,
        "groups": list(decision.profiles),
        "weights": {g: {c: round(float(v), 6) for c, v in col.items()}
                    for g, col in (weights_table(decision) if _table is None else _table).items()},
        "panel_weights": {name: {c: round(float(v), 6) for c, v in w.items()}
                          for name, w in (panel_sets(decision) if _panels is None else _panels).items()},
        "agreement": {
            "kendall_w": round(ag["kendall_w"], 6),
            "kendall_tau": {str(a): {str(b): (None if pd.isna(v) else round(float(v), 6)) for b, v in row.items()}
                            for a, row in tau.iterrows()},
        },
        "leave_one_out": {},
    }
    for how in ("mean", "geomean"):
        if _sets is not None and how not in _sets:
            continue
        try:
            loo = leave_one_out(decision, method, how, prep, None if _sets is None else _sets[how])
        except InputError:
            continue
        out["leave_one_out"][how] = {
            "panel_winner": loo.attrs["panel_winner"],
            "groups": loo.to_dict("records"),
            "pivotal_groups": loo.loc[loo["changes_winner"], "group"].tolist(),
        }
    return out
