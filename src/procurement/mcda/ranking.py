"""Rank the options of a decision with a scikit-criteria method.

:func:`rank` screens the options (must-pass rules), builds a
``skcriteria`` decision matrix from the likely scores after value functions,
runs the method's pipeline and returns a :class:`Ranking`: the table of ranks
and scores, the excluded options with their reasons, and the exact inputs the
method saw so anyone can recompute the result with scikit-criteria alone.
:func:`rank_many` ranks by several methods and weight sets, screening once.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import skcriteria as skc
from skcriteria.core.data import DecisionMatrix

from procurement.case.errors import InputError, Problem, display_path
from procurement.case.loader import Decision
from procurement.mcda.methods import METHODS, get_method
from procurement.mcda.screening import screen


@dataclass
class Ranking:
    decision: str
    method: str
    profile: str | None
    table: pd.DataFrame  # index option: label, score, rank (1 = best)
    excluded: pd.DataFrame  # option, criterion, value, rule, citation
    matrix: pd.DataFrame  # what the method saw (options kept × criteria, after value functions)
    objectives: pd.Series
    weights: pd.Series
    parameters: dict = field(default_factory=dict)  # method parameters, bounds, preferences
    value_functions: dict = field(default_factory=dict)  # criterion -> points applied

    @property
    def order(self) -> list[str]:
        return self.table.sort_values("rank", kind="stable").index.tolist()

    @property
    def winner(self) -> str:
        return self.order[0]

    @property
    def winners(self) -> list[str]:
        """Every option at rank 1 (more than one when tied)."""
        return self.table.index[self.table["rank"] == self.table["rank"].min()].tolist()

    def to_dict(self) -> dict:
        m = METHODS[self.method]
        ranks = self.table["rank"]
        return {
            "decision": self.decision,
            "method": self.method,
            "method_label": m.label,
            "profile": self.profile,
            "kind": m.kind,
            "score": {"meaning": m.score, "higher_is_better": m.higher_is_better},
            "ranking": [
                {"option": o, "label": r["label"], "rank": int(r["rank"]), "score": _num(r["score"]),
                 "tied": bool((ranks == r["rank"]).sum() > 1)}
                for o, r in self.table.sort_values("rank", kind="stable").iterrows()
            ],
            "excluded": _records(self.excluded),
            "inputs": {
                "alternatives": self.matrix.index.tolist(),
                "criteria": self.matrix.columns.tolist(),
                "matrix": self.matrix.to_numpy().tolist(),
                "objectives": [int(x) for x in self.objectives.loc[self.matrix.columns]],
                "weights": [float(x) for x in self.weights.loc[self.matrix.columns]],
                "value_functions": self.value_functions,
                "parameters": self.parameters,
                "preprocessing": m.preprocessing,
                "reference": m.reference,
            },
        }


def _num(x) -> float | None:
    x = float(x)
    return x if np.isfinite(x) else None


def _records(df: pd.DataFrame) -> list[dict]:
    out = []
    for r in df.to_dict("records"):
        out.append({k: (float(v) if isinstance(v, (np.floating, float)) else v) for k, v in r.items()})
    return out


def decision_matrix(matrix: pd.DataFrame, objectives: pd.Series, weights: pd.Series):
    """A scikit-criteria DecisionMatrix from labelled tables."""
    return skc.mkdm(
        matrix.to_numpy(dtype=float),
        objectives.loc[matrix.columns].to_numpy(),
        weights=weights.loc[matrix.columns].to_numpy(dtype=float),
        alternatives=list(matrix.index),
        criteria=list(matrix.columns),
    )


def evaluate(
    method: str,
    matrix: pd.DataFrame,
    objectives: pd.Series,
    weights: pd.Series,
    *,
    bounds: np.ndarray | None = None,
    preferences: list | None = None,
    _cache: dict | None = None,
) -> pd.DataFrame:
    """Run a method on a matrix; return score and rank per option (index = option).

    ``bounds`` (criteria × 2, SPOTIS) default to the matrix's own min and max;
    ``preferences`` (one (function, q, p, s) per criterion, PROMETHEE II)
    default to the usual criterion. Raises InputError when the method cannot
    run on these inputs (for example COPRAS without a minimised criterion).
    """
    m = get_method(method)
    reason = m.why_not(matrix.to_numpy(dtype=float), objectives.loc[matrix.columns].to_numpy(), weights.loc[matrix.columns].to_numpy())
    if reason:
        raise InputError(Problem("--method", method, f"{m.label} cannot rank these inputs", reason))
    if len(matrix) == 1:  # one option left after screening: it comes first, no method needed
        return pd.DataFrame({"score": [np.nan], "rank": [1]}, index=list(matrix.index))
    context = {"bounds": bounds, "preferences": preferences if preferences is not None else [("usual", 0.0, 0.0, 0.0)]}
    with _quiet():
        if _cache is not None:
            # the matrix steps of the pipeline do not depend on the weights: run them once per method,
            # then give the decision maker the normalised weights (what SumScaler(target="weights") yields)
            key = (method, id(matrix))
            if key not in _cache:
                pipe = m.pipeline(**context)
                dm0 = decision_matrix(matrix, objectives, weights)
                for _, step in pipe.steps[:-1]:
                    dm0 = step.transform(dm0)
                # DecisionMatrix's own constructor with the public matrix and objectives: the same
                # matrix as dm0.replace(weights=...) gives, without its full re-validation (~1 ms each)
                _cache[key] = (dm0.matrix, dm0.objectives.to_numpy(), pipe.steps[-1][1])
            data, objs, dmaker = _cache[key]
            w = weights.loc[matrix.columns].to_numpy(dtype=float)
            result = dmaker.evaluate(DecisionMatrix(data, objs, w / w.sum()))
        else:
            result = m.pipeline(**context).evaluate(decision_matrix(matrix, objectives, weights))
    if m.kind == "kernel":
        kernel = np.asarray(result.kernel_, dtype=bool)
        return pd.DataFrame({"score": kernel.astype(float), "rank": np.where(kernel, 1, 2)}, index=list(matrix.index))
    scores = _result_scores(result)
    return pd.DataFrame(
        {"score": scores, "rank": np.asarray(result.rank_, dtype=int)},
        index=list(matrix.index),
    )


class _quiet(warnings.catch_warnings):
    """Silence what scikit-criteria says about expected inputs (constant criteria after screening)."""

    def __enter__(self):
        super().__enter__()
        self._err = np.seterr(invalid="ignore", divide="ignore", over="ignore")
        warnings.filterwarnings("ignore", message="Some criteria are constant", category=UserWarning)
        warnings.filterwarnings("ignore", message="Some criteria \\(or distance\\) was equal", category=UserWarning)
        return self

    def __exit__(self, *exc):
        np.seterr(**self._err)
        return super().__exit__(*exc)


def _result_scores(result) -> np.ndarray:
    extra = result.e_
    for key in ("score", "q_k", "similarity", "net_flow", "utility"):
        if key in extra:
            return np.asarray(extra[key], dtype=float)
    return -np.asarray(result.rank_, dtype=float)


def bounds_for(decision: Decision, criteria: list[str] | None = None) -> np.ndarray:
    """Each criterion's [lower, upper] bound as the method sees it (value range, else scale)."""
    ids = criteria or decision.criterion_ids
    return np.array([decision.criterion(c).value_bounds for c in ids], dtype=float)


def preferences_for(decision: Decision, criteria: list[str] | None = None) -> list[tuple[str, float, float, float]]:
    """Each criterion's PROMETHEE preference (function, q, p, s); usual where the file sets none."""
    ids = criteria or decision.criterion_ids
    out = []
    for cid in ids:
        pref = decision.criterion(cid).preference
        out.append(pref.as_tuple() if pref is not None else ("usual", 0.0, 0.0, 0.0))
    return out


def default_weights(decision: Decision) -> pd.Series:
    """The criteria file's weights, multiplied down the value tree when groups have weights.

    A scenario's explicit weights (``Decision.use_weights``) take their place.
    """
    from procurement.mcda.weights import tree_weights

    if decision.scenario_weights is not None:
        return decision.scenario_weights

    try:
        return tree_weights(decision.criteria_set)
    except InputError as e:
        raise InputError([Problem(display_path(decision.criteria_file), p.where, p.message, p.hint) for p in e.problems]) from None


@dataclass
class Prepared:
    """Screening and the matrix after value functions, computed once per decision."""

    decision: Decision
    kept: list[str]
    excluded: pd.DataFrame
    matrix: pd.DataFrame
    objectives: pd.Series
    bounds: np.ndarray
    preferences: list
    value_functions: dict
    cache: dict = field(default_factory=dict)  # per method: the matrix after the pipeline's matrix steps


def prepare(decision: Decision, which: str = "likely") -> Prepared:
    """Screen the options and build the matrix the methods see. Raises InputError if none pass."""
    kept, excluded = screen(decision, which)
    matrix = decision.value_matrix(which).loc[kept]
    vfs = {c.id: [list(p) for p in c.value_function.points] for c in decision.criteria if c.value_function is not None}
    return Prepared(decision, kept, excluded, matrix, decision.value_objectives, bounds_for(decision),
                    preferences_for(decision), vfs)


def weights_for(decision: Decision, profile: str | None, weights: pd.Series | None = None) -> pd.Series:
    w = weights if weights is not None else (default_weights(decision) if profile is None else decision.profile_weights(profile))
    w = w.loc[decision.criterion_ids].astype(float)
    return w / w.sum()


def rank_prepared(prep: Prepared, method: str, profile: str | None = None, weights: pd.Series | None = None,
                  language: str = "nb") -> Ranking:
    decision = prep.decision
    m = get_method(method)
    w = weights_for(decision, profile, weights)
    table = evaluate(method, prep.matrix, prep.objectives, w, bounds=prep.bounds, preferences=prep.preferences,
                     _cache=prep.cache)
    labels = decision.option_labels(language)
    table.insert(0, "label", [labels[o] for o in table.index])
    params = dict(m.parameters)
    if "bounds" in m.needs:
        params["bounds"] = prep.bounds.tolist()
    if "preferences" in m.needs:
        params["preferences"] = [
            {"criterion": c, "function": f, **({"q": q} if f in ("u-shape", "level", "linear") else {}),
             **({"p": p} if f in ("v-shape", "level", "linear") else {}), **({"s": s} if f == "gaussian" else {})}
            for c, (f, q, p, s) in zip(decision.criterion_ids, prep.preferences)
        ]
    return Ranking(decision.id, method, profile, table, prep.excluded, prep.matrix, prep.objectives, w, params,
                   prep.value_functions)


def rank(
    decision: Decision,
    method: str = "wsm",
    profile: str | None = None,
    weights: pd.Series | None = None,
    language: str = "nb",
) -> Ranking:
    """Screen, then rank the options of `decision` by `method`.

    Weights are, in order of precedence: `weights` given here, the stakeholder
    `profile`'s weights, or the criteria file's weights (multiplied down the
    value tree when its groups carry weights).
    """
    get_method(method)  # unknown names fail before any work
    return rank_prepared(prepare(decision), method, profile, weights, language)


def rank_many(
    decision: Decision,
    methods: list[str],
    profiles: list[str | None] | None = None,
    weights: dict[str, pd.Series] | None = None,
    language: str = "nb",
) -> tuple[list[Ranking], list[dict]]:
    """Rank by every method × weight set, screening once.

    ``profiles`` are stakeholder ids (None = the criteria file's weights);
    ``weights`` adds named weight sets (for example a panel's combined
    weights). Returns the rankings and a list of skipped combinations, each
    ``{"method", "profile", "reason"}`` for a method that cannot run on these
    inputs.
    """
    for m in methods:
        get_method(m)
    prep = prepare(decision)
    sets: list[tuple[str | None, pd.Series | None]] = [(p, None) for p in (profiles if profiles is not None else [None])]
    sets += [(name, w) for name, w in (weights or {}).items()]
    out, skipped = [], []
    for name, w in sets:
        for m in methods:
            try:
                out.append(rank_prepared(prep, m, name, w, language))
            except InputError as e:
                if len(methods) == 1:
                    raise
                skipped.append({"method": m, "profile": name, "reason": e.problems[0].hint or e.problems[0].message})
    return out, skipped
