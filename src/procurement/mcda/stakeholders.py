"""Stakeholder profiles: a ranking per group, the panel's combined weights,
agreement between groups, and which group, left out, changes the winner.

Each stakeholder group's weights (``profiles.csv``) are normalised to sum 1.
The panel's combined weights are formed in the two usual ways:

* ``mean``: the arithmetic mean of the groups' normalised weights;
* ``geomean``: the geometric mean of each criterion's weights over the
  groups, renormalised to sum 1 (the aggregation of individual priorities
  that preserves ratio judgements, Forman & Peniwati 1998). A criterion any
  group weighs 0 gets 0.

Agreement is the Kendall τ-b between every pair of groups' rankings (as
scikit-criteria's RanksComparator computes it) and Kendall's coefficient of
concordance W over all groups (0 = no agreement, 1 = identical rankings).

Every weight set of a decision is ranked in one call
(:func:`procurement.mcda.ranking.rank_sets`): a method with a vectorised kernel
scores all of them in one matrix product, so hundreds of groups cost about as
much as one; leave-one-out forms every group's reduced panel at once.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from procurement.case.errors import InputError
from procurement.case.loader import Decision
from procurement.mcda.comparison import correlations, rank_table
from procurement.mcda.methods import get_method
from procurement.mcda.ranking import Prepared, Ranking, check_applicable, evaluate_sets, method_assumptions, prepare, rank_sets
from procurement.mcda.ties import tie_groups_t
from procurement.mcda.weights import (PANEL_GEOMEAN, PANEL_MEAN, groups_of, panel_sets, panel_weight_sets, panel_weights,
                                      weights_table)
from procurement.text.sentences import Assumption, describe

__all__ = ["PANEL_GEOMEAN", "PANEL_MEAN", "Stakeholders", "agreement", "groups_of", "kendall_w", "leave_one_out",
           "panel_sets", "panel_weights", "profile_rankings", "stakeholder_analyses", "stakeholder_analysis",
           "stakeholder_dict", "stakeholder_dicts", "stakeholder_rankings", "weights_table"]


def profile_rankings(decision: Decision, method: str = "wsm", language: str = "nb",
                     include_panel: bool = True, prep: Prepared | None = None) -> list[Ranking]:
    """One ranking per group, then the panel's combined weights (mean, geomean)."""
    prep = prep or prepare(decision)
    sets: list = [(g, None) for g in groups_of(decision)]
    if include_panel:
        sets += list(panel_weight_sets(decision).items())
    return rank_sets(prep, [method], sets, language, strict=True)[0]


def stakeholder_rankings(decision: Decision, method: str = "wsm", language: str = "nb") -> pd.DataFrame:
    """Options × weight sets (default, each group, panel-mean, panel-geomean) of ranks, with labels."""
    return stakeholder_analysis(decision, method, language).to_frame()


def kendall_w(ranks: pd.DataFrame) -> float:
    """Kendall's coefficient of concordance W over the columns of an options × raters rank table,
    with the correction for ties."""
    raw = ranks.to_numpy(dtype=float)
    n, m = raw.shape
    if n < 2 or m < 2:
        return 1.0
    _, first, size = tie_groups_t(-raw, rtol=0.0)  # per column: each value's tie group (ascending)
    r = first + (size + 1) / 2.0  # average ranks, as pandas' rank(method="average")
    s = ((r.sum(axis=1) - m * (n + 1) / 2) ** 2).sum()
    # Σ over tie groups of t³ − t: every member of a group of size t adds (t³ − t)/t = t² − 1
    ties = float((size.astype(float) ** 2 - 1).sum())
    denom = m**2 * (n**3 - n) - m * ties
    return float(12 * s / denom) if denom > 0 else 1.0


def agreement(decision: Decision, method: str = "wsm", prep: Prepared | None = None,
              rankings: list[Ranking] | None = None) -> dict:
    """Kendall τ between every pair of groups' rankings and Kendall's W over all groups.

    `rankings` may pass the groups' rankings already computed (one per group)."""
    if rankings is None:
        rankings = profile_rankings(decision, method, include_panel=False, prep=prep)
    ranks = rank_table(rankings, "profile")
    tau = correlations(ranks, "kendall")
    return {"kendall_tau": tau, "kendall_w": kendall_w(ranks), "ranks": ranks}


def _loo_sets(decision: Decision, how: str, table: pd.DataFrame | None = None,
              full: pd.Series | None = None) -> tuple[pd.Series, dict[str, pd.Series]]:
    """The full panel's weights and, per group, the panel's weights without it (every group at once).

    Without group g the mean is (Σ_k t_k − t_g)/(G − 1) and the geometric mean exp((Σ_k log t_k − log t_g)/(G − 1)),
    0 for a criterion another group weighs 0; each renormalised to sum 1. A group whose reduced panel
    weighs every criterion 0 is left out.
    """
    full = panel_weights(decision, how) if full is None else full
    table = weights_table(decision) if table is None else table
    t = table.to_numpy(dtype=float)
    g_count = t.shape[1]
    if g_count < 2:
        return full, {}
    if how == "mean":
        rest = (t.sum(axis=1, keepdims=True) - t) / (g_count - 1)
    else:
        zero = t == 0
        logs = np.log(np.where(zero, 1.0, t))
        zeros_left = zero.sum(axis=1, keepdims=True) - zero
        rest = np.where(zeros_left > 0, 0.0, np.exp((logs.sum(axis=1, keepdims=True) - logs) / (g_count - 1)))
    totals = rest.sum(axis=0)
    return full, {g: pd.Series(rest[:, k] / totals[k], index=table.index)
                  for k, g in enumerate(table.columns) if totals[k] > 0}


def leave_one_out(decision: Decision, method: str = "wsm", how: str = "mean",
                  prep: Prepared | None = None, _sets=None) -> pd.DataFrame:
    """For each group: the panel's winner without that group, and whether it differs from the full panel's.

    Rows: group, winner_without (ties joined by ' = '), changes_winner. ``attrs['panel_winner']``
    holds the full panel's winner. Raises InputError when the method cannot rank one of the panels.
    """
    prep = prep or prepare(decision)
    m = get_method(method)
    full_w, sets = _sets if _sets is not None else _loo_sets(decision, how)
    names = list(sets)
    cols = prep.matrix.columns
    series = [full_w, *sets.values()]
    index = series[0].index
    if index.equals(cols) and all(w.index is index or w.index.equals(index) for w in series):
        wk = np.array([w.to_numpy(dtype=float) for w in series])  # one index (the criteria's order) for every set
    else:
        wk = np.array([w.loc[cols].to_numpy(dtype=float) for w in series])
    x, obj = prep.arrays
    for w in wk:
        check_applicable(m, x, obj, w)
    _, ranks = evaluate_sets(prep, method, wk)
    kept = np.asarray(prep.matrix.index)
    winners = [list(kept[ranks[:, k] == ranks[:, k].min()]) for k in range(ranks.shape[1])]
    rows = [{"group": g, "winner_without": " = ".join(winners[k + 1]), "changes_winner": set(winners[k + 1]) != set(winners[0])}
            for k, g in enumerate(names)]
    out = pd.DataFrame(rows, columns=["group", "winner_without", "changes_winner"])
    out.attrs["panel_winner"] = " = ".join(winners[0])
    return out


def _json_table(df: pd.DataFrame) -> dict:
    """{row: {column: value rounded to 6 decimals, None for NaN}} of a table (rows and columns as text)."""
    cols = [str(c) for c in df.columns]
    values = np.round(df.to_numpy(dtype=float), 6)
    rows = values.tolist()
    if np.isnan(values).any():
        rows = [[None if x != x else x for x in row] for row in rows]
    return {str(a): dict(zip(cols, row, strict=True)) for a, row in zip(df.index, rows, strict=True)}


def _weights_json(table: pd.DataFrame, panels: dict[str, pd.Series]) -> dict:
    """The groups' and the panels' weights as JSON: {set: {criterion: weight}}."""
    return {"weights": _json_table(table.T), "panel_weights": _json_table(pd.DataFrame(panels).T)}


@dataclass
class Stakeholders:
    """The stakeholder analysis of one decision by one method.

    ``weights`` (criteria × groups, each group's weights normalised), ``panel`` (the combined weight sets),
    ``rankings`` (the criteria file's weights, each group's and the panel's), ``agreement`` (Kendall's τ-b
    between every pair of groups, ``kendall_tau``, and Kendall's W, ``kendall_w``) and ``leave_one_out`` (per
    aggregation, ``mean`` and ``geomean``: each group's panel winner without it, ``attrs['panel_winner']``).
    """

    decision: str
    method: str
    groups: list[str]
    weights: pd.DataFrame
    panel: dict[str, pd.Series]
    rankings: list[Ranking]
    agreement: dict
    leave_one_out: dict[str, pd.DataFrame]
    labels: dict[str, str] = field(default_factory=dict)
    _json: dict | None = field(default=None, repr=False)

    @property
    def assumptions(self) -> list[Assumption]:
        if not self.groups:
            return method_assumptions(get_method(self.method))
        return [*method_assumptions(get_method(self.method)), Assumption("stakeholders.groups", {"groups": len(self.groups)}),
                Assumption("stakeholders.panel", {"panels": list(self.panel)}), Assumption("stakeholders.agreement"),
                Assumption("stakeholders.leave_one_out", {"aggregations": list(self.leave_one_out)})]

    def describe(self, language: str = "nb") -> list[str]:
        return describe(self.assumptions, language)

    def to_frame(self) -> pd.DataFrame:
        """Options × weight sets (``default`` = the criteria file's, each group, the panel) of ranks, with ``label``."""
        t = rank_table(self.rankings, "profile")
        t.insert(0, "label", [self.labels.get(o, o) for o in t.index])
        t.index.name = "option"
        return t

    def to_dict(self) -> dict:
        if not self.groups:
            return {"method": self.method, "groups": []}
        weights = self._json if self._json is not None else _weights_json(self.weights, self.panel)
        out: dict = {
            "method": self.method,
            "groups": list(self.groups),
            "weights": weights["weights"],
            "panel_weights": weights["panel_weights"],
            "agreement": {"kendall_w": round(self.agreement["kendall_w"], 6),
                          "kendall_tau": _json_table(self.agreement["kendall_tau"])},
            "leave_one_out": {},
        }
        for how, loo in self.leave_one_out.items():
            out["leave_one_out"][how] = {
                "panel_winner": loo.attrs["panel_winner"],
                "groups": [{"group": g, "winner_without": w, "changes_winner": bool(c)} for g, w, c in
                           zip(loo["group"].tolist(), loo["winner_without"].tolist(), loo["changes_winner"].tolist(),
                               strict=True)],
                "pivotal_groups": loo.loc[loo["changes_winner"], "group"].tolist(),
            }
        return out


def _analysis(decision: Decision, method: str, prep: Prepared, rankings: list[Ranking], context: tuple,
              language: str) -> Stakeholders:
    """One method's analysis from the rankings of every weight set (computed here when missing); `context` holds
    what every method shares: the groups' weights, the panel's weight sets, the leave-one-out sets, their JSON."""
    table, panels, loo_sets, shared = context
    groups = list(decision.profiles)
    mine = {r.profile: r for r in rankings if r.method == method}
    names: list[str | None] = [None, *groups, *panels]
    if not all(n in mine for n in names):
        sets: list = [(None, None), *[(g, None) for g in groups], *panels.items()]
        mine = {r.profile: r for r in rank_sets(prep, [method], sets, language, strict=True)[0]}
    ordered = [mine[n] for n in names]
    loo: dict[str, pd.DataFrame] = {}
    if groups:
        ag = agreement(decision, method, prep, [mine[g] for g in groups])
        for how, s in loo_sets.items():
            with contextlib.suppress(InputError):
                loo[how] = leave_one_out(decision, method, how, prep, s)
    else:
        ag = {"kendall_tau": pd.DataFrame(), "kendall_w": 1.0, "ranks": pd.DataFrame()}
    labels = decision.option_labels(language)
    return Stakeholders(decision.id, method, groups, table, {k: v.weights for k, v in panels.items()}, ordered, ag, loo,
                        labels, shared)


def stakeholder_analyses(decision: Decision, methods: list[str], prep: Prepared | None = None,
                         rankings: list[Ranking] | None = None, language: str = "nb") -> dict[str, Stakeholders]:
    """:class:`Stakeholders` for several methods, forming the weight sets once; `rankings` already computed (every
    weight set: the criteria file's, each group's, the panel's) are reused."""
    prep = prep or prepare(decision)
    table = weights_table(decision) if decision.profiles else pd.DataFrame(index=decision.criterion_ids)
    panels = panel_weight_sets(decision)
    loo_sets = {}
    for how, name in (("mean", PANEL_MEAN), ("geomean", PANEL_GEOMEAN)):
        with contextlib.suppress(InputError):
            full = panels[name].weights if name in panels else None
            loo_sets[how] = _loo_sets(decision, how, table, full)
    shared = _weights_json(table, {k: v.weights for k, v in panels.items()}) if decision.profiles else None
    context = (table, panels, loo_sets, shared)
    return {m: _analysis(decision, m, prep, rankings or [], context, language) for m in methods}


def stakeholder_analysis(decision: Decision, method: str = "wsm", language: str = "nb",
                         prep: Prepared | None = None) -> Stakeholders:
    """The stakeholder analysis of `decision` by `method` (:class:`Stakeholders`)."""
    return stakeholder_analyses(decision, [method], prep, None, language)[method]


def stakeholder_dicts(decision: Decision, methods: list[str], prep: Prepared | None = None,
                      rankings: list[Ranking] | None = None) -> dict[str, dict]:
    """The JSON of :func:`stakeholder_analyses` per method."""
    return {m: r.to_dict() for m, r in stakeholder_analyses(decision, methods, prep, rankings).items()}


def stakeholder_dict(decision: Decision, method: str, prep: Prepared | None = None,
                     rankings: list[Ranking] | None = None) -> dict:
    """The JSON form of the stakeholder analysis for one method."""
    return stakeholder_dicts(decision, [method], prep, rankings)[method]
