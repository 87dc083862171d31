"""Rank the options of a decision by a method of the registry.

:func:`rank` screens the options (must-pass rules), takes the likely scores
after value functions, evaluates the method and returns a :class:`Ranking`: the
table of ranks and scores, the excluded options with their reasons, and the
exact inputs the method saw so anyone can recompute the result with
scikit-criteria alone. :func:`rank_many` ranks by several methods and weight
sets, screening once.

A method with a vectorised kernel (:data:`procurement.mcda.fastrank.SUPPORTED`)
is evaluated by its kernel, the same arithmetic as its scikit-criteria pipeline
(checked by property tests), without importing scikit-criteria, and for many
weight sets in one matrix product. Other methods run their scikit-criteria
pipeline; its matrix steps run once per method and decision.

Ties: a method whose rank is a function of its score (``ranks_by_score`` in the
registry) is ranked from the score, scores equal within
:data:`procurement.mcda.fastrank.RTOL` sharing a rank, exactly as in SMAA.
Other methods (ELECTRE I's kernel, MULTIMOORA's dominance, VIKOR's compromise
set) keep the rank they give.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from procurement.case.errors import InputError, Problem
from procurement.case.loader import Decision
from procurement.mcda import fastrank
from procurement.mcda.methods import METHODS, Method, bounds_for, get_method, preferences_for
from procurement.mcda.screening import screen
from procurement.mcda.ties import tie_groups_t
from procurement.mcda.weights import WeightSet, explicit_weights, file_weights, resolve_weights
from procurement.text.labels import method_label
from procurement.text.sentences import Assumption, describe

__all__ = ["Prepared", "Ranking", "bounds_for", "decision_matrix", "evaluate", "evaluate_sets", "json_records", "prepare",
           "preferences_for", "rank", "rank_many", "rank_prepared", "rank_sets", "weights_for"]


def label_pair(method: str) -> dict[str, str]:
    """A method's report name in both languages, as the sentences of :mod:`procurement.text.words_mcda` take it."""
    return {"nb": method_label(method, "nb"), "en": method_label(method, "en")}


def method_assumptions(m: Method, key: str = "mcda.method") -> list[Assumption]:
    """The method (sentence `key`) and each of its numeric parameters."""
    out = [Assumption(key, {"method": m.name, "label": label_pair(m.name)})]
    out += [Assumption("mcda.parameter", {"method": m.name, "name": k, "value": v})
            for k, v in m.parameters.items() if isinstance(v, (int, float)) and not isinstance(v, bool)]
    return out


def screening_assumption(kept: int, excluded: pd.DataFrame) -> Assumption:
    """How many options are ranked and how many the must-pass rules removed."""
    removed = int(excluded["option"].nunique()) if len(excluded) else 0
    return Assumption("mcda.screening", {"kept": kept, "excluded": removed})


@dataclass
class Ranking:
    """The ranking of a decision's options by one method and one weight set.

    ``table`` (index option: ``label``, ``score``, ``rank``; 1 = best) comes in rank order, ties in the
    options' order; ``scores``, ``ranks`` and ``labels`` hold the same in the matrix's option order.
    ``matrix``, ``objectives`` and ``weights`` are exactly what the method saw, so anyone can recompute the
    result with scikit-criteria alone (:meth:`to_dict` writes them). ``assumptions`` says which method, which
    weights (and where they came from) and how many options the screening kept.
    """

    decision: str
    method: str
    profile: str | None
    scores: np.ndarray  # the method's own score per option, in the matrix's option order
    ranks: np.ndarray  # rank (1 = best) per option, in the matrix's option order
    labels: list[str]  # option names, in the matrix's option order
    excluded: pd.DataFrame  # option, criterion, value, rule, citation
    matrix: pd.DataFrame  # what the method saw (options kept × criteria, after value functions)
    objectives: pd.Series
    weights: pd.Series
    parameters: dict = field(default_factory=dict)  # method parameters, bounds, preferences
    value_functions: dict = field(default_factory=dict)  # criterion -> points applied
    weights_from: Assumption | None = None  # where the weights came from (procurement.mcda.weights.WeightSet)
    shared: dict = field(default_factory=dict, repr=False, compare=False)  # JSON parts shared by a decision's rankings
    weight_vector: np.ndarray | None = field(default=None, repr=False, compare=False)  # weights in the matrix's order

    @cached_property
    def _order(self) -> np.ndarray:
        return np.argsort(self.ranks, kind="stable")

    @cached_property
    def table(self) -> pd.DataFrame:
        """index option: label, score, rank (1 = best), best first."""
        o = self._order
        return pd.DataFrame({"label": [self.labels[i] for i in o], "score": np.asarray(self.scores, dtype=float)[o],
                             "rank": np.asarray(self.ranks, dtype=int)[o]},
                            index=pd.Index([self.matrix.index[i] for i in o]))

    @property
    def order(self) -> list[str]:
        return [self.matrix.index[i] for i in self._order]

    @property
    def winner(self) -> str:
        return self.order[0]

    @property
    def winners(self) -> list[str]:
        """Every option at rank 1 (more than one when tied)."""
        best = np.min(self.ranks)
        return [o for o, r in zip(self.matrix.index, self.ranks, strict=True) if r == best]

    @property
    def assumptions(self) -> list[Assumption]:
        """The method and its parameters, where the weights came from, and the screening."""
        weights = self.weights_from or Assumption("mcda.weights.explicit", {
            "weights": {str(c): float(w) for c, w in self.weights.items()}, "profile": self.profile})
        return [*method_assumptions(METHODS[self.method]), weights, screening_assumption(len(self.matrix), self.excluded)]

    def describe(self, language: str = "nb") -> list[str]:
        return describe(self.assumptions, language)

    def to_frame(self) -> pd.DataFrame:
        """The ranking table (index option: label, score, rank), best first."""
        return self.table.copy()

    def to_dict(self) -> dict:
        m = METHODS[self.method]
        ranks = np.asarray(self.ranks, dtype=int).tolist()
        scores = np.asarray(self.scores, dtype=float).tolist()
        counts: dict[int, int] = {}
        for r in ranks:
            counts[r] = counts.get(r, 0) + 1
        options = self._shared("alternatives", lambda: self.matrix.index.tolist())
        w = self.weight_vector if self.weight_vector is not None else self.weights.loc[self.matrix.columns].to_numpy(float)
        return {
            "decision": self.decision,
            "method": self.method,
            "method_label": m.label,
            "profile": self.profile,
            "kind": m.kind,
            "score": {"meaning": m.score, "higher_is_better": m.higher_is_better},
            "ranking": [
                {"option": options[i], "label": self.labels[i], "rank": ranks[i], "score": _num(scores[i]),
                 "tied": counts[ranks[i]] > 1}
                for i in self._order.tolist()
            ],
            "excluded": self._shared("excluded", lambda: _records(self.excluded)),
            "inputs": {
                **self._shared("inputs", self._inputs),
                "weights": w.tolist(),
                "value_functions": self.value_functions,
                "parameters": self.parameters,
                "preprocessing": m.preprocessing,
                "reference": m.reference,
            },
        }

    def _shared(self, key: str, make) -> Any:
        if key not in self.shared:
            self.shared[key] = make()
        return self.shared[key]

    def _inputs(self) -> dict:
        return {
            "alternatives": self.matrix.index.tolist(),
            "criteria": self.matrix.columns.tolist(),
            "matrix": self.matrix.to_numpy().tolist(),
            "objectives": [int(x) for x in self.objectives.loc[self.matrix.columns]],
        }


def _num(x) -> float | None:
    x = float(x)
    return x if np.isfinite(x) else None


def json_value(v: Any) -> Any:
    """A cell as JSON: numpy numbers as Python numbers, NaN as None."""
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if math.isnan(float(v)) else float(v)
    return v


def json_records(frame: pd.DataFrame, index: str | None = None) -> list[dict[str, Any]]:
    """The rows of `frame` as JSON objects (its index first, named `index`, when given)."""
    t = frame.reset_index(names=index) if index is not None else frame
    return [{str(k): json_value(v) for k, v in row.items()} for row in t.to_dict("records")]


def _records(df: pd.DataFrame) -> list[dict]:
    return json_records(df)


def in_rank_order(table: pd.DataFrame) -> pd.DataFrame:
    """`table` sorted by rank, best first; ties keep the options' order."""
    return table.sort_values("rank", kind="stable")


def decision_matrix(matrix: pd.DataFrame, objectives: pd.Series, weights: pd.Series):
    """A scikit-criteria DecisionMatrix from labelled tables (for the pipelines: the tests' reference, rank reversal)."""
    import skcriteria as skc  # lazy: scikit-criteria costs about 2 s at import; ranking itself never needs it

    return skc.mkdm(
        matrix.to_numpy(dtype=float),
        objectives.loc[matrix.columns].to_numpy(),
        weights=weights.loc[matrix.columns].to_numpy(dtype=float),
        alternatives=list(matrix.index),
        criteria=list(matrix.columns),
    )


def check_applicable(m: Method, x: np.ndarray, obj: np.ndarray, w: np.ndarray) -> None:
    reason = m.why_not(x, obj, w)
    if reason:
        raise InputError(Problem("method", m.name, f"{m.label} cannot rank these inputs", reason))


def _context(m: Method, n: int, bounds, preferences) -> dict:
    given = {"bounds": bounds, "preferences": preferences}
    ctx = m.default_context(n)
    ctx.update({k: given[k] for k in m.needs if given.get(k) is not None})
    return ctx


def kernel_scores(m: Method, x: np.ndarray, obj: np.ndarray, weights_t: np.ndarray, context: dict,
                  cache: dict | None = None) -> np.ndarray:
    """The method's own scores (m, K) of one matrix x (m, n) under weights (n, K), by its kernel.

    ``cache`` keeps the weight-independent part per method (pass the same dict only with the same matrix).
    """
    key = ("kernel", m.name)
    prepared = cache.get(key) if cache is not None else None
    if prepared is None:
        prepared = fastrank.prepare_t(m.name, x[:, :, None], obj, context=context)
        if cache is not None:
            cache[key] = prepared
    return m.orient(fastrank.aggregate_t(m.name, prepared, weights_t))


def pipeline_result(m: Method, matrix: pd.DataFrame, objectives: pd.Series, weights: pd.Series, context: dict,
                    cache: dict | None = None):
    """The scikit-criteria result of the method's pipeline (its matrix steps cached per method in ``cache``).

    Only for a method with neither kernel nor ranker (none in the registry; the tests use it as the reference).
    """
    from skcriteria.core.data import DecisionMatrix  # lazy: see decision_matrix

    with _quiet():
        if cache is None:
            return m.pipeline(**context).evaluate(decision_matrix(matrix, objectives, weights))
        # the matrix steps of the pipeline do not depend on the weights: run them once per method,
        # then give the decision maker the normalised weights (what SumScaler(target="weights") yields)
        key = (m.name, id(matrix))
        if key not in cache:
            pipe = m.pipeline(**context)
            dm0 = decision_matrix(matrix, objectives, weights)
            for _, step in pipe.steps[:-1]:
                dm0 = step.transform(dm0)
            cache[key] = (dm0.matrix, dm0.objectives.to_numpy(), pipe.steps[-1][1])
        data, objs, dmaker = cache[key]
        w = weights.loc[matrix.columns].to_numpy(dtype=float)
        return dmaker.evaluate(DecisionMatrix(data, objs, w / w.sum()))


def ranks_of(m: Method, scores: np.ndarray, own_rank: np.ndarray | None = None) -> np.ndarray:
    """Ranks (1 = best) from the method's scores (m,) or (m, K): the dense rank with ties within
    :data:`~procurement.mcda.ties.RTOL` for a method that ranks by score; else ``own_rank``."""
    if m.ranks_by_score or own_rank is None:
        s = m.orient(np.asarray(scores, dtype=float))
        return tie_groups_t(s[:, None] if s.ndim == 1 else s)[0].reshape(s.shape)
    return np.asarray(own_rank, dtype=int)


def _pipeline_table(m: Method, matrix: pd.DataFrame, objectives: pd.Series, weights: pd.Series, context: dict,
                    cache: dict | None) -> pd.DataFrame:
    result = pipeline_result(m, matrix, objectives, weights, context, cache)
    if m.kind == "kernel":
        kernel = np.asarray(result.kernel_, dtype=bool)
        return pd.DataFrame({"score": kernel.astype(float), "rank": np.where(kernel, 1, 2)}, index=list(matrix.index))
    scores = _result_scores(result)
    # ELECTRE I, MULTIMOORA and VIKOR keep their own rank (not a function of one score, see Method.ranks_by_score)
    ranks = ranks_of(m, scores, np.asarray(result.rank_, dtype=int))
    return pd.DataFrame({"score": scores, "rank": ranks}, index=list(matrix.index))


def _scores_and_ranks(m: Method, x: np.ndarray, obj: np.ndarray, wk: np.ndarray, context: dict,
                      cache: dict | None) -> tuple[np.ndarray, np.ndarray] | None:
    """Scores and ranks (options × K) by the method's kernel or ranker; None for a method with neither."""
    if m.kernel is not None:
        scores = kernel_scores(m, x, obj, wk.T, context, cache)
        return scores, ranks_of(m, scores)
    if m.ranker is not None:
        with np.errstate(invalid="ignore", divide="ignore"):
            scores, own = m.ranker.rank(x, obj, wk, context)
        return scores, ranks_of(m, scores, own)
    return None


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
    """Run a method on a matrix; return score and rank per option (index = option, the matrix's order).

    ``bounds`` (criteria × 2, SPOTIS) default to the matrix's own min and max;
    ``preferences`` (one (function, q, p, s) per criterion, PROMETHEE II)
    default to the usual criterion. Raises InputError when the method cannot
    run on these inputs (for example COPRAS without a minimised criterion).
    Every method of the registry is evaluated by its kernel or ranker, without scikit-criteria.
    """
    m = get_method(method)
    x = matrix.to_numpy(dtype=float)
    obj = objectives.loc[matrix.columns].to_numpy()
    w = weights.loc[matrix.columns].to_numpy(dtype=float)
    check_applicable(m, x, obj, w)
    if len(matrix) == 1:  # one option left after screening: it comes first, no method needed
        return pd.DataFrame({"score": [np.nan], "rank": [1]}, index=list(matrix.index))
    context = _context(m, x.shape[1], bounds, preferences)
    cache = None if _cache is None else _kernel_cache(_cache, matrix)
    got = _scores_and_ranks(m, x, obj, w[None, :], context, cache)
    if got is None:
        return _pipeline_table(m, matrix, objectives, weights, context, _cache)
    return pd.DataFrame({"score": got[0][:, 0], "rank": got[1][:, 0]}, index=list(matrix.index))


def _kernel_cache(cache: dict, matrix: pd.DataFrame) -> dict:
    """The part of a cache that belongs to this matrix (kernels' prepared arrays)."""
    return cache.setdefault(("matrix", id(matrix)), {})


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


def default_weights(decision: Decision) -> pd.Series:
    """The criteria file's weights, multiplied down the value tree when groups have weights."""
    return file_weights(decision)


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
    cache: dict = field(default_factory=dict)  # per method: the kernel's prepared arrays or the pipeline's matrix steps
    shared: dict = field(default_factory=dict)  # JSON parts every ranking of this decision shares (Ranking.to_dict)

    def context(self, m: Method) -> dict:
        """The context method `m` needs, for this decision's criteria."""
        have = {"bounds": self.bounds, "preferences": self.preferences}
        return {k: have[k] for k in m.needs}

    @property
    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """The matrix (options × criteria, in the decision's criterion order) and objectives as arrays."""
        x = self.matrix.to_numpy(dtype=float)
        return x, self.objectives.loc[self.matrix.columns].to_numpy()

    def parameters(self, m: Method) -> dict:
        """The parameters a ranking by `m` states (its own and the context it used), computed once per method."""
        key = ("parameters", m.name)
        if key not in self.shared:
            self.shared[key] = m.parameters_for(self.context(m), self.decision.criterion_ids)
        return self.shared[key]


def prepare(decision: Decision, which: str = "likely") -> Prepared:
    """Screen the options and build the matrix the methods see. Raises InputError if none pass."""
    kept, excluded = screen(decision, which)
    matrix = decision.value_matrix(which).loc[kept]
    vfs = {c.id: [list(p) for p in c.value_function.points] for c in decision.criteria if c.value_function is not None}
    return Prepared(decision, kept, excluded, matrix, decision.value_objectives, bounds_for(decision),
                    preferences_for(decision), vfs)


def weight_set_for(decision: Decision, profile: str | None, weights: pd.Series | None = None) -> WeightSet:
    """`weights` normalised (explicit), else the resolved weights of `profile`
    (see :func:`procurement.mcda.weights.resolve_weights`)."""
    if weights is not None:
        return WeightSet(explicit_weights(decision.criterion_ids, weights), profile, True)
    return resolve_weights(decision, profile)


def weights_for(decision: Decision, profile: str | None, weights: pd.Series | None = None) -> pd.Series:
    """`weights` normalised, else the resolved weights of `profile` (see :func:`procurement.mcda.weights.resolve_weights`)."""
    return weight_set_for(decision, profile, weights).weights


def _ranking(prep: Prepared, m: Method, name: str | None, ws: WeightSet, scores: np.ndarray, ranks: np.ndarray,
             label_col: list[str], vector: np.ndarray | None = None) -> Ranking:
    if vector is None:
        vector = ws.weights.loc[prep.matrix.columns].to_numpy(dtype=float)
    return Ranking(prep.decision.id, m.name, name, scores, ranks, label_col, prep.excluded, prep.matrix, prep.objectives,
                   ws.weights, prep.parameters(m), prep.value_functions, ws.assumption, prep.shared, vector)


def _labels(prep: Prepared, language: str) -> list[str]:
    labels = prep.decision.option_labels(language)
    return [labels[o] for o in prep.matrix.index]


def rank_prepared(prep: Prepared, method: str, profile: str | None = None, weights: pd.Series | WeightSet | None = None,
                  language: str = "nb") -> Ranking:
    """Rank `prep` by `method` with `weights` (a resolved :class:`WeightSet`, explicit weights, or None for the
    weights of `profile`)."""
    m = get_method(method)
    ws = weights if isinstance(weights, WeightSet) else weight_set_for(prep.decision, profile, weights)
    ctx = prep.context(m)
    table = evaluate(method, prep.matrix, prep.objectives, ws.weights, bounds=ctx.get("bounds"),
                     preferences=ctx.get("preferences"), _cache=prep.cache)
    return _ranking(prep, m, profile, ws, table["score"].to_numpy(dtype=float), table["rank"].to_numpy(dtype=int),
                    _labels(prep, language))


def evaluate_sets(prep: Prepared, method: str, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The method's scores and ranks (both options × K) under K weight vectors (K, criteria), all at once.

    A method with a kernel prepares the matrix once and scores every weight vector in one matrix product; a
    method with a ranker ranks every weight vector in one call (:mod:`procurement.mcda.rankers`). Does not
    check applicability (see :meth:`procurement.mcda.methods.Method.why_not`).
    """
    m = get_method(method)
    wk = np.asarray(weights, dtype=float).reshape(-1, len(prep.matrix.columns))
    x, obj = prep.arrays
    if len(x) == 1:
        return np.full((1, len(wk)), np.nan), np.ones((1, len(wk)), dtype=int)
    ctx = {**m.default_context(x.shape[1]), **prep.context(m)}
    got = _scores_and_ranks(m, x, obj, wk, ctx, _kernel_cache(prep.cache, prep.matrix))
    if got is not None:
        return got
    cols = prep.matrix.columns
    tables = [_pipeline_table(m, prep.matrix, prep.objectives, pd.Series(wi, index=cols), ctx, prep.cache) for wi in wk]
    return (np.column_stack([t["score"].to_numpy(dtype=float) for t in tables]),
            np.column_stack([t["rank"].to_numpy(dtype=int) for t in tables]))


def _resolve_sets(prep: Prepared, sets: list[tuple[str | None, pd.Series | None]]
                  ) -> list[tuple[str | None, WeightSet | None, InputError | None]]:
    """Each weight set resolved (:func:`weight_set_for`), or the InputError that stops it."""
    out: list[tuple[str | None, WeightSet | None, InputError | None]] = []
    for name, w in sets:
        try:
            out.append((name, w if isinstance(w, WeightSet) else weight_set_for(prep.decision, name, w), None))
        except InputError as e:
            out.append((name, None, e))
    return out


def _problems(m: Method, x: np.ndarray, obj: np.ndarray, wmat: np.ndarray,
              resolved: list) -> list[InputError | None]:
    """The InputError that stops method m on each weight set, or None; the matrix checks run once."""
    base = m.why_not(x, obj, np.ones(x.shape[1]))
    out: list[InputError | None] = []
    for k, (_, _, err) in enumerate(resolved):
        if err is not None:
            out.append(err)
            continue
        reason = base or m.why_not(x, obj, wmat[k])
        out.append(InputError(Problem("method", m.name, f"{m.label} cannot rank these inputs", reason)) if reason else None)
    return out


def rank_sets(prep: Prepared, methods: list[str], sets: list[tuple[str | None, pd.Series | WeightSet | None]],
              language: str = "nb", strict: bool = False) -> tuple[list[Ranking], list[dict]]:
    """Rank by every method × weight set (name, explicit weights, a resolved WeightSet, or None for the named
    profile's).

    Rankings come set by set, methods in the order given. A combination that cannot run is skipped
    with ``{"method", "profile", "reason"}``, or raises its InputError when ``strict``. Each method
    scores every weight set in one call (:func:`evaluate_sets`).
    """
    resolved = _resolve_sets(prep, sets)  # type: ignore[arg-type]
    x, obj = prep.arrays
    cols = prep.matrix.columns
    wmat = np.array([ws.weights.loc[cols].to_numpy(dtype=float) if ws is not None else np.full(len(cols), np.nan)
                     for _, ws, _ in resolved]).reshape(len(resolved), len(cols))
    label_col = _labels(prep, language)
    results: dict[tuple[int, str], Ranking] = {}
    skipped: list[tuple[int, str, InputError]] = []
    for method in methods:
        m = get_method(method)
        ok = []
        for k, problem in enumerate(_problems(m, x, obj, wmat, resolved)):
            if problem is None:
                ok.append(k)
            elif strict:
                raise problem
            else:
                skipped.append((k, method, problem))
        if not ok:
            continue
        scores, ranks = evaluate_sets(prep, method, wmat[ok])
        for i, k in enumerate(ok):
            results[(k, method)] = _ranking(prep, m, resolved[k][0], resolved[k][1], scores[:, i],  # type: ignore[arg-type]
                                            ranks[:, i], label_col, wmat[k])
    out = [results[(k, mm)] for k in range(len(resolved)) for mm in methods if (k, mm) in results]
    skipped.sort(key=lambda t: (t[0], methods.index(t[1])))
    reasons = [{"method": mm, "profile": resolved[k][0], "reason": e.problems[0].hint or e.problems[0].message}
               for k, mm, e in skipped]
    return out, reasons


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
    weights: dict[str, pd.Series | WeightSet] | None = None,
    language: str = "nb",
    prep: Prepared | None = None,
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
    prep = prep or prepare(decision)
    named = profiles if profiles is not None else [None]
    sets: list[tuple[str | None, pd.Series | WeightSet | None]] = [(p, None) for p in named]
    sets += [(name, w) for name, w in (weights or {}).items()]
    return rank_sets(prep, methods, sets, language, strict=len(methods) == 1)
