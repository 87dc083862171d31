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

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from procurement.case.errors import InputError, Problem
from procurement.case.loader import Decision
from procurement.mcda import fastrank
from procurement.mcda.methods import METHODS, Method, get_method
from procurement.mcda.methods import bounds_for as bounds_for
from procurement.mcda.methods import preferences_for as preferences_for
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
    import skcriteria as skc

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
    """The scikit-criteria result of the method's pipeline (its matrix steps cached per method in ``cache``)."""
    from skcriteria.core.data import DecisionMatrix

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
            # DecisionMatrix's own constructor with the public matrix and objectives: the same
            # matrix as dm0.replace(weights=...) gives, without its full re-validation (~1 ms each)
            cache[key] = (dm0.matrix, dm0.objectives.to_numpy(), pipe.steps[-1][1])
        data, objs, dmaker = cache[key]
        w = weights.loc[matrix.columns].to_numpy(dtype=float)
        return dmaker.evaluate(DecisionMatrix(data, objs, w / w.sum()))


def ranks_of(m: Method, scores: np.ndarray, own_rank: np.ndarray | None = None) -> np.ndarray:
    """Ranks (1 = best) from the method's scores (m,) or (m, K): the dense rank with ties within
    :data:`~procurement.mcda.fastrank.RTOL` for a method that ranks by score; else ``own_rank``."""
    if m.ranks_by_score or own_rank is None:
        s = m.orient(np.asarray(scores, dtype=float))
        return fastrank.tie_groups_t(s[:, None] if s.ndim == 1 else s)[0].reshape(s.shape)
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
    A method with a kernel is evaluated by it, without scikit-criteria.
    """
    m = get_method(method)
    x = matrix.to_numpy(dtype=float)
    obj = objectives.loc[matrix.columns].to_numpy()
    w = weights.loc[matrix.columns].to_numpy(dtype=float)
    check_applicable(m, x, obj, w)
    if len(matrix) == 1:  # one option left after screening: it comes first, no method needed
        return pd.DataFrame({"score": [np.nan], "rank": [1]}, index=list(matrix.index))
    context = _context(m, x.shape[1], bounds, preferences)
    if m.kernel is None:
        return _pipeline_table(m, matrix, objectives, weights, context, _cache)
    scores = kernel_scores(m, x, obj, w[:, None], context, None if _cache is None else _kernel_cache(_cache, matrix))
    return pd.DataFrame({"score": scores[:, 0], "rank": ranks_of(m, scores)[:, 0]}, index=list(matrix.index))


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
    from procurement.mcda.weights import file_weights

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

    def context(self, m: Method) -> dict:
        """The context method `m` needs, for this decision's criteria."""
        have = {"bounds": self.bounds, "preferences": self.preferences}
        return {k: have[k] for k in m.needs}

    @property
    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """The matrix (options × criteria, in the decision's criterion order) and objectives as arrays."""
        x = self.matrix.to_numpy(dtype=float)
        return x, self.objectives.loc[self.matrix.columns].to_numpy()


def prepare(decision: Decision, which: str = "likely") -> Prepared:
    """Screen the options and build the matrix the methods see. Raises InputError if none pass."""
    kept, excluded = screen(decision, which)
    matrix = decision.value_matrix(which).loc[kept]
    vfs = {c.id: [list(p) for p in c.value_function.points] for c in decision.criteria if c.value_function is not None}
    return Prepared(decision, kept, excluded, matrix, decision.value_objectives, bounds_for(decision),
                    preferences_for(decision), vfs)


def weights_for(decision: Decision, profile: str | None, weights: pd.Series | None = None) -> pd.Series:
    """`weights` normalised, else the resolved weights of `profile` (see :func:`procurement.mcda.weights.resolve_weights`)."""
    from procurement.mcda.weights import explicit_weights, resolve_weights

    if weights is not None:
        return explicit_weights(decision.criterion_ids, weights)
    return resolve_weights(decision, profile).weights


def _ranking(prep: Prepared, m: Method, name: str | None, w: pd.Series, table: pd.DataFrame, language: str) -> Ranking:
    decision = prep.decision
    labels = decision.option_labels(language)
    table.insert(0, "label", [labels[o] for o in table.index])
    params = m.parameters_for(prep.context(m), decision.criterion_ids)
    return Ranking(decision.id, m.name, name, table, prep.excluded, prep.matrix, prep.objectives, w, params,
                   prep.value_functions)


def rank_prepared(prep: Prepared, method: str, profile: str | None = None, weights: pd.Series | None = None,
                  language: str = "nb") -> Ranking:
    m = get_method(method)
    w = weights_for(prep.decision, profile, weights)
    ctx = prep.context(m)
    table = evaluate(method, prep.matrix, prep.objectives, w, bounds=ctx.get("bounds"), preferences=ctx.get("preferences"),
                     _cache=prep.cache)
    return _ranking(prep, m, profile, w, table, language)


def evaluate_sets(prep: Prepared, method: str, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The method's scores and ranks (both options × K) under K weight vectors (K, criteria), all at once.

    A method with a kernel prepares the matrix once and scores every weight vector in one matrix
    product; any other runs its decision maker per weight vector on the cached matrix steps. Does not
    check applicability (see :meth:`procurement.mcda.methods.Method.why_not`).
    """
    m = get_method(method)
    wk = np.asarray(weights, dtype=float)
    x, obj = prep.arrays
    if len(x) == 1:
        return np.full((1, len(wk)), np.nan), np.ones((1, len(wk)), dtype=int)
    ctx = {**m.default_context(x.shape[1]), **prep.context(m)}
    if m.kernel is not None:
        scores = kernel_scores(m, x, obj, wk.T, ctx, _kernel_cache(prep.cache, prep.matrix))
        return scores, ranks_of(m, scores)
    cols = prep.matrix.columns
    tables = [_pipeline_table(m, prep.matrix, prep.objectives, pd.Series(wi, index=cols), ctx, prep.cache) for wi in wk]
    return (np.column_stack([t["score"].to_numpy(dtype=float) for t in tables]),
            np.column_stack([t["rank"].to_numpy(dtype=int) for t in tables]))


def _resolve_sets(prep: Prepared, sets: list[tuple[str | None, pd.Series | None]]
                  ) -> list[tuple[str | None, pd.Series | None, InputError | None]]:
    """Each weight set resolved (weights_for), or the InputError that stops it."""
    out: list[tuple[str | None, pd.Series | None, InputError | None]] = []
    for name, w in sets:
        try:
            out.append((name, weights_for(prep.decision, name, w), None))
        except InputError as e:
            out.append((name, None, e))
    return out


def _problem(m: Method, x: np.ndarray, obj: np.ndarray, w: np.ndarray) -> InputError | None:
    """The InputError that stops method m on weights w, or None."""
    try:
        check_applicable(m, x, obj, w)
    except InputError as e:
        return e
    return None


def rank_sets(prep: Prepared, methods: list[str], sets: list[tuple[str | None, pd.Series | None]],
              language: str = "nb", strict: bool = False) -> tuple[list[Ranking], list[dict]]:
    """Rank by every method × weight set (name, explicit weights or None for the named profile's).

    Rankings come set by set, methods in the order given. A combination that cannot run is skipped
    with ``{"method", "profile", "reason"}``, or raises its InputError when ``strict``. Each method
    scores every weight set in one call (:func:`evaluate_sets`).
    """
    resolved = _resolve_sets(prep, sets)
    x, obj = prep.arrays
    cols = prep.matrix.columns
    wmat = np.array([w.loc[cols].to_numpy(dtype=float) if w is not None else np.full(len(cols), np.nan)
                     for _, w, _ in resolved]).reshape(len(resolved), len(cols))
    labels = prep.decision.option_labels(language)
    label_col = [labels[o] for o in prep.matrix.index]
    results: dict[tuple[int, str], Ranking] = {}
    skipped: list[tuple[int, str, InputError]] = []
    for method in methods:
        m = get_method(method)
        ok = []
        for k, (_, _, err) in enumerate(resolved):
            problem = err or _problem(m, x, obj, wmat[k])
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
            table = pd.DataFrame({"label": label_col, "score": scores[:, i], "rank": ranks[:, i]}, index=list(prep.matrix.index))
            results[(k, method)] = Ranking(prep.decision.id, method, resolved[k][0], table, prep.excluded, prep.matrix,
                                           prep.objectives, resolved[k][1],  # type: ignore[arg-type]
                                           m.parameters_for(prep.context(m), prep.decision.criterion_ids), prep.value_functions)
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
    return rank_sets(prep, methods, sets, language, strict=len(methods) == 1)
