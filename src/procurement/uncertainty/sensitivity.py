"""Deterministic sensitivity: weight sweeps, tornado, stability intervals, "what would it take".

All functions screen the decision first (must-pass rules on the likely scores,
as :func:`procurement.mcda.ranking.rank` does) and work on the options that remain.
Weights are, in order of precedence, ``weights`` given, the stakeholder
``profile``'s weights, or the criteria file's weights, normalised to sum 1.

* :func:`weight_sweep` — one criterion at a time, its weight from 0 to 1 with
  the other weights rescaled in proportion (so they keep their ratios and the
  total stays 1); the score and rank of every option along the sweep.
* :func:`tornado` — every score of every option set to its low and to its
  high value (everything else at the likely value); the option's score and
  rank at each end.
* :func:`stability_intervals` — exact, for every method whose score is linear
  in the weights (:func:`exact`: the weighted sums, the weighted product's
  Σ w·log x, PROMETHEE II's net flow): for each criterion, the range of its
  weight (others rescaled in proportion) that keeps the top option on top, and
  the range that keeps the whole ranking. The prepared matrix (e.g. min–max
  scaled) does not depend on the weights, so every option's score is linear in
  the swept weight and the interval ends are where two lines cross.
* :func:`what_would_it_take` — for each option that does not win, the
  smallest change in one weight (others rescaled in proportion) and the
  smallest change in one of its own scores (within the criterion's scale) at
  which it draws level with the leader; any further change makes it win.
  Exact for the weights of a method whose score is linear in them; otherwise a
  grid search refined by bisection to 1e-9.

Methods with a vectorised kernel (:mod:`procurement.mcda.fastrank`) are
evaluated in batches; the others (VIKOR, ELECTRE, MULTIMOORA) by their
vectorised ranker (:mod:`procurement.mcda.rankers`), one matrix at a time.
The tornado and the score search move one score at a time: with a kernel only
the moved criterion's column is prepared again (every kernel is column-wise,
:func:`procurement.mcda.kernels.column_scores`), so a moved matrix costs m
values, not m × n, and the batches hold at most :data:`BATCH_VALUES` values
(200 options × 60 criteria: seconds and tens of MB, where whole matrices took
minutes and 9 GB).

:func:`stability` gives the weight intervals for any method (exact where the
score is linear in the weights, else read off a sweep). The result objects with
their descriptions are in :mod:`procurement.uncertainty.results`.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from procurement.case.errors import InputError, Problem
from procurement.mcda import fastrank
from procurement.mcda.kernels import column_context, column_scores
from procurement.mcda.methods import get_method
from procurement.mcda.ranking import evaluate
from procurement.mcda.screening import screen
from procurement.uncertainty.smaa import point_weights, value_functions, value_transform

TOL = 1e-12
#: Values per batch of moved-score matrices (options × matrices): bounds the memory of the tornado and the score
#: search whatever the size of the decision.
BATCH_VALUES = 2_000_000


# ---------------------------------------------------------------------------
# shared helpers


def exact(method: str) -> bool:
    """True when the method's score is linear in the weights (its kernel says so): weight intervals are then exact."""
    kernel = get_method(method).kernel
    return kernel is not None and kernel.linear


def _setup(decision, method, weights, profile):
    m = get_method(method)
    kept, excluded = screen(decision)
    crit = decision.criterion_ids
    w = point_weights(decision, weights, profile)
    likely = decision.matrix("likely").loc[kept, crit]  # raw scores; value functions applied on evaluation
    obj = decision.value_objectives.loc[crit].to_numpy()
    ctx = {"transform": value_transform(decision), "value_functions": value_functions(decision), **m.context(decision)}
    return kept, excluded, crit, w, likely, obj, ctx


def batch_scores(method: str, matrices, objectives, weights, context: dict | None = None) -> np.ndarray:
    """Scores (N, m), higher better, for matrices (m, n)/(N, m, n) and weights (n,)/(N, n), any registry method.

    ``context`` may hold ``transform`` (value functions applied to raw scores,
    see :func:`procurement.uncertainty.smaa.value_transform`), and ``bounds`` and
    ``preferences`` for the methods that need them.
    """
    context = context or {}
    x = np.array(matrices, dtype=float)
    if context.get("transform") is not None:
        xt = x[:, :, None] if x.ndim == 2 else np.moveaxis(x, 0, -1)
        xt = context["transform"](np.ascontiguousarray(xt))
        x = xt[:, :, 0] if x.ndim == 2 else np.moveaxis(xt, -1, 0)
    meth = get_method(method)
    if meth.kernel is not None:
        return fastrank.scores(method, x, objectives, weights, context={k: context[k] for k in meth.needs if k in context})
    return _pipeline_scores(meth, x, objectives, weights, context)


def _pipeline_scores(meth, x: np.ndarray, objectives, weights, context: dict) -> np.ndarray:
    """batch_scores for a method without a kernel: its ranker (or pipeline), one matrix at a time."""
    w = np.asarray(weights, dtype=float)
    x3 = x[None] if x.ndim == 2 else x
    w2 = w[None] if w.ndim == 1 else w
    total = max(len(x3), len(w2))
    m, n = x3.shape[1:]
    if m == 1:
        return np.zeros((total, 1))
    alts = [f"o{i}" for i in range(m)]
    cols = [f"c{j}" for j in range(n)]
    obj = pd.Series(objectives, index=cols)
    out = np.empty((total, m))
    cache: dict = {}
    shared = pd.DataFrame(x3[0], index=alts, columns=cols)
    for i in range(total):
        mat = shared if len(x3) == 1 else pd.DataFrame(x3[i], index=alts, columns=cols)
        wi = pd.Series(w2[i if len(w2) > 1 else 0], index=cols)
        t = evaluate(meth.name, mat, obj, wi, bounds=context.get("bounds"), preferences=context.get("preferences"),
                     _cache=cache if len(x3) == 1 else None)
        # a rank-consistent score, higher better (ties in rank stay ties); a method whose rank is not a
        # function of its score (Method.ranks_by_score) gives minus its rank
        out[i] = meth.orient(t["score"].to_numpy(dtype=float))
        if not (meth.ranks_by_score and np.all(np.isfinite(out[i])) and _consistent(out[i], t["rank"].to_numpy())):
            out[i] = -t["rank"].to_numpy(dtype=float)
    return out


def _consistent(score: np.ndarray, rank: np.ndarray) -> bool:
    return bool(np.array_equal(fastrank.rank_scores(score), np.asarray(rank)))


def _values(x: np.ndarray, ctx: dict) -> np.ndarray:
    """A raw (m, n) matrix after the value functions."""
    if ctx.get("transform") is None:
        return x
    return ctx["transform"](x[:, :, None].copy())[:, :, 0]


def _column_scorer(method: str, x: np.ndarray, obj: np.ndarray, wv: np.ndarray, ctx: dict):
    """``score(j, values)``: scores (m, B) of the B matrices equal to the raw matrix x (m, n) but for column j,
    which is ``values`` (m, B) (raw scores; the value function applied), under the weights wv.

    A method with a kernel prepares column j alone (:func:`procurement.mcda.kernels.column_scores`: O(m·B)); any
    other method is evaluated on the whole matrices, in batches of at most :data:`BATCH_VALUES` values.
    """
    meth = get_method(method)
    if meth.kernel is None:
        def whole(j: int, values: np.ndarray) -> np.ndarray:
            return np.concatenate([batch_scores(method, _with_column(x, j, part), obj, wv, ctx).T
                                   for part in _parts(values, x.size)], axis=1)

        return whole
    kernel = meth.kernel
    context = {k: ctx[k] for k in meth.needs if k in ctx}
    base = fastrank.prepare(method, _values(x, ctx), obj, context=context)
    vfs = ctx.get("value_functions") or [None] * x.shape[1]
    w = np.asarray(wv, dtype=float) / np.sum(wv)

    def score(j: int, values: np.ndarray) -> np.ndarray:
        v = values if vfs[j] is None else vfs[j](np.array(values, dtype=float))
        col = fastrank.prepare_t(method, v[:, None, :], obj[j:j + 1], context=column_context(context, j))
        return column_scores(kernel, base, w, j, col)

    return score


def _with_column(x: np.ndarray, j: int, values: np.ndarray) -> np.ndarray:
    """Matrices (B, m, n): x with column j replaced by each column of values (m, B)."""
    mats = np.repeat(x[None], values.shape[1], axis=0)
    mats[:, :, j] = values.T
    return mats


def _parts(values: np.ndarray, per_item: int):
    """Column slices of values (m, B) of at most :data:`BATCH_VALUES` values of whole matrices each."""
    step = max(1, BATCH_VALUES // max(per_item, 1))
    for start in range(0, values.shape[1], step):
        yield values[:, start:start + step]


def _column_domain(method: str, x: np.ndarray, obj: np.ndarray, wv: np.ndarray, ctx: dict, j: int,
                   values: np.ndarray) -> np.ndarray:
    """:func:`_in_domain` of the matrices x with column j replaced by each column of values (m, B)."""
    if get_method(method).applicable is None:
        return np.ones(values.shape[1], dtype=bool)
    return np.concatenate([_in_domain(method, _with_column(x, j, part), obj, wv, ctx)
                           for part in _parts(values, x.size)])


def _batch_ranks(method, matrices, objectives, weights, context=None):
    s = batch_scores(method, matrices, objectives, weights, context)
    return s, fastrank.rank_scores(s)


def swept_weights(w: np.ndarray, k: int, t) -> np.ndarray:
    """Weight vectors (len(t), n): weight k set to t, the others rescaled in proportion to sum 1 − t.

    When the other weights are all zero they share 1 − t equally.
    """
    w = np.asarray(w, dtype=float)
    t = np.atleast_1d(np.asarray(t, dtype=float))
    n = len(w)
    rest = w.copy()
    rest[k] = 0.0
    total = rest.sum()
    if n == 1:
        return np.ones((len(t), 1))
    u = rest / total if total > 0 else np.where(np.arange(n) == k, 0.0, 1.0 / (n - 1))
    out = (1 - t)[:, None] * u[None, :]
    out[:, k] = t
    return out


# ---------------------------------------------------------------------------
# weight sweep


def weight_sweep(
    decision,
    method: str = "wsm",
    criteria: list[str] | None = None,
    points: int = 101,
    weights=None,
    profile: str | None = None,
) -> pd.DataFrame:
    """Rank of every option as each criterion's weight runs from 0 to 1 (others rescaled in proportion).

    Long table: ``criterion``, ``weight`` (the swept weight), ``current`` (its
    weight now), ``option``, ``score``, ``rank``.
    """
    kept, _, crit, w, likely, obj, ctx = _setup(decision, method, weights, profile)
    if points < 2:
        raise ValueError("a sweep needs at least 2 points")
    crits = criteria or crit
    grid = np.linspace(0.0, 1.0, points)
    frames = []
    x = likely.to_numpy(dtype=float)
    for c in crits:
        k = crit.index(c)
        ww = swept_weights(w.to_numpy(), k, grid)
        s, r = _batch_ranks(method, x, obj, ww, ctx)
        frames.append(
            pd.DataFrame(
                {
                    "criterion": c,
                    "weight": np.repeat(grid, len(kept)),
                    "current": float(w.iloc[k]),
                    "option": np.tile(kept, points),
                    "score": s.reshape(-1),
                    "rank": r.reshape(-1),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


# ---------------------------------------------------------------------------
# tornado


def tornado(decision, method: str = "wsm", weights=None, profile: str | None = None) -> pd.DataFrame:
    """Each score at its low and its high value, one at a time: the option's score and rank.

    Columns: ``option``, ``criterion``, ``low``, ``likely``, ``high`` (the
    three-point score), ``base_score``, ``base_rank``, ``score_at_low``,
    ``score_at_high``, ``rank_at_low``, ``rank_at_high``, ``swing`` (|score at
    high − score at low|). Sorted by option (best first) and swing (largest first).
    """
    kept, _, crit, w, likely, obj, ctx = _setup(decision, method, weights, profile)
    low = decision.matrix("low").loc[kept, crit].to_numpy(dtype=float)
    high = decision.matrix("high").loc[kept, crit].to_numpy(dtype=float)
    x = likely.to_numpy(dtype=float)
    m, n = x.shape
    base_s, base_r = _batch_ranks(method, x, obj, w.to_numpy(), ctx)
    score = _column_scorer(method, x, obj, w.to_numpy(), ctx)
    at = {key: np.empty((m, n)) for key in ("score_at_low", "score_at_high", "rank_at_low", "rank_at_high")}
    own = np.arange(m)
    for j in range(n):  # criterion j: each option's score at its low and at its high, 2m matrices
        for end, ends in (("low", low), ("high", high)):
            values = np.repeat(x[:, j][:, None], m, axis=1)
            values[own, own] = ends[:, j]
            s = score(j, values)  # (m, m): column i is the matrix with option i's score moved
            at[f"score_at_{end}"][:, j] = s[own, own]
            at[f"rank_at_{end}"][:, j] = fastrank.rank_scores(s.T)[own, own]
    t = pd.DataFrame({
        "option": np.repeat(kept, n),
        "criterion": np.tile(crit, m),
        "low": low.reshape(-1),
        "likely": x.reshape(-1),
        "high": high.reshape(-1),
        "base_score": np.repeat(base_s[0], n),
        "base_rank": np.repeat(base_r[0], n).astype(int),
        "score_at_low": at["score_at_low"].reshape(-1),
        "score_at_high": at["score_at_high"].reshape(-1),
        "rank_at_low": at["rank_at_low"].reshape(-1).astype(int),
        "rank_at_high": at["rank_at_high"].reshape(-1).astype(int),
    })
    t["swing"] = (t["score_at_high"] - t["score_at_low"]).abs()
    # swings equal but for rounding (1e-12) keep the criteria's order: the sum of the moved score's matrix may
    # round differently from the sum of another's
    key = t.assign(swing=t["swing"].round(12))
    order = key.sort_values(["base_rank", "option", "swing"], ascending=[True, True, False], kind="stable").index
    return t.loc[order].reset_index(drop=True)


# ---------------------------------------------------------------------------
# exact stability intervals for the weighted sum


def _lines(v: np.ndarray, w: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Scores along the sweep of weight k as lines a + b·t (v is the min–max scaled matrix)."""
    u = swept_weights(w, k, [0.0])[0]  # the other weights at t = 0 (they sum to 1)
    a = v @ u
    return a, v[:, k] - a


def _feasible(a: np.ndarray, b: np.ndarray, pairs, equal=()) -> tuple[float, float, str | None, str | None]:
    """Interval of t in [0, 1] where a_i + b_i t >= a_j + b_j t for each (i, j) in pairs.

    Pairs in ``equal`` must stay equal. Returns (lo, hi, who binds lo, who binds hi);
    lo > hi when the set is empty. The binding index is the j of the binding pair.
    """
    lo, hi, who_lo, who_hi = 0.0, 1.0, None, None
    for i, j in pairs:
        alpha, beta = a[i] - a[j], b[i] - b[j]
        if abs(beta) <= TOL:
            if alpha < -TOL:
                return 1.0, 0.0, None, None
            continue
        t = -alpha / beta
        if beta > 0 and t > lo:
            lo, who_lo = t, j
        elif beta < 0 and t < hi:
            hi, who_hi = t, j
    for i, j in equal:
        alpha, beta = a[i] - a[j], b[i] - b[j]
        if abs(beta) <= TOL:
            continue
        t = -alpha / beta
        lo, hi = max(lo, t), min(hi, t)
        who_lo = who_hi = j
    return lo, hi, who_lo, who_hi


def _linear_matrix(method: str, x: np.ndarray, obj: np.ndarray, ctx: dict) -> np.ndarray:
    """The (m, n) matrix v of a method whose score is v @ w (weights summing to 1); InputError for any other."""
    if not exact(method):
        linear = [name for name in fastrank.SUPPORTED if exact(name)]
        raise InputError(Problem("method", method, f"exact weight intervals need a score linear in the weights, which '{method}' "
                                 "does not have", f"use one of {', '.join(linear)}"))
    context = {k: ctx[k] for k in get_method(method).needs if k in ctx}
    return fastrank.prepare(method, _values(x, ctx), obj, context=context)[0][:, :, 0]


def stability_intervals(decision, weights=None, profile: str | None = None, method: str = "wsm") -> pd.DataFrame:
    """Exact weight stability intervals for a method whose score is linear in the weights (:func:`exact`).

    One row per criterion: ``weight`` (now); ``top_low`` and ``top_high``, the
    range of that weight (others rescaled in proportion) in which the current
    leader stays first (ties at the ends included), with ``top_low_by`` and
    ``top_high_by``, the option that draws level at each end (empty when the end
    is 0 or 1); ``ranking_low`` and ``ranking_high``, the range in which the
    whole ranking stays the same.
    """
    kept, _, crit, w, likely, obj, ctx = _setup(decision, method, weights, profile)
    v = _linear_matrix(method, likely.to_numpy(dtype=float), obj, ctx)
    wv = w.to_numpy()
    s = v @ wv
    ranks = fastrank.rank_scores(s)
    order = np.argsort(-s, kind="stable")
    leaders = [i for i in range(len(kept)) if ranks[i] == 1]
    rows = []
    for k, c in enumerate(crit):
        a, b = _lines(v, wv, k)
        top_pairs = [(i, j) for i in leaders for j in range(len(kept)) if j not in leaders]
        top_equal = [(leaders[0], j) for j in leaders[1:]]
        t_lo, t_hi, by_lo, by_hi = _feasible(a, b, top_pairs, top_equal)
        strict: list[tuple[int, int]] = []
        equal: list[tuple[int, int]] = []
        for p, q in zip(order[:-1], order[1:], strict=True):
            (equal if ranks[p] == ranks[q] else strict).append((p, q))
        r_lo, r_hi, _, _ = _feasible(a, b, strict, equal)
        rows.append(
            {
                "criterion": c,
                "weight": float(wv[k]),
                "top_low": t_lo,
                "top_high": t_hi,
                "top_low_by": kept[by_lo] if by_lo is not None and t_lo > 0 else "",
                "top_high_by": kept[by_hi] if by_hi is not None and t_hi < 1 else "",
                "ranking_low": r_lo,
                "ranking_high": r_hi,
            }
        )
    t = pd.DataFrame(rows).set_index("criterion")
    t.attrs["leader"] = [kept[i] for i in leaders]
    return t


# ---------------------------------------------------------------------------
# what would it take


def _in_domain(method, mats, obj, ww, ctx=None) -> np.ndarray:
    """Per matrix (and weight vector) of a batch: whether the method can rank it (``Method.why_not`` on the values
    after the value functions). A score swept to the end of its scale may leave a method's domain: the weighted sum
    with sum normalisation inverts a minimised score (1/x), so a scale that starts at 0 ends outside it."""
    meth = get_method(method)
    x = np.array(mats, dtype=float)
    x3 = x[None] if x.ndim == 2 else x
    w = np.asarray(ww, dtype=float)
    w2 = w[None] if w.ndim == 1 else w
    total = max(len(x3), len(w2))
    if meth.applicable is None:
        return np.ones(total, dtype=bool)
    if ctx and ctx.get("transform") is not None:
        x3 = np.moveaxis(ctx["transform"](np.ascontiguousarray(np.moveaxis(x3, 0, -1))), -1, 0)
    return np.array([meth.why_not(x3[min(i, len(x3) - 1)], obj, w2[min(i, len(w2) - 1)]) is None for i in range(total)])


def _wins(method, mats, obj, ww, option_idx, ctx=None) -> np.ndarray:
    """Whether option ``option_idx[i]`` ranks first in batch item i; an item outside the method's domain does not
    count as a win (:func:`_in_domain`)."""
    ok = _in_domain(method, mats, obj, ww, ctx)
    win = np.zeros(len(ok), dtype=bool)
    if ok.any():
        sub_m = np.asarray(mats)[ok] if np.ndim(mats) == 3 else mats
        sub_w = np.asarray(ww)[ok] if np.ndim(ww) == 2 else ww
        _, r = _batch_ranks(method, sub_m, obj, sub_w, ctx)
        win[ok] = r[np.arange(len(r)), np.asarray(option_idx)[ok]] == 1
    return win


def _bisect(pred, t_in: np.ndarray, t_out: np.ndarray, steps: int = 40) -> np.ndarray:
    """Move t_in (predicate true) towards t_out (false) to the boundary, vectorised."""
    t_in, t_out = t_in.astype(float).copy(), t_out.astype(float).copy()
    for _ in range(steps):
        mid = 0.5 * (t_in + t_out)
        ok = pred(mid)
        t_in = np.where(ok, mid, t_in)
        t_out = np.where(ok, t_out, mid)
    return t_in


def _nearest_on_grid(win: np.ndarray, grid: np.ndarray, current: float):
    """Index of the winning grid point nearest to current, and the neighbour towards current."""
    idx = np.flatnonzero(win)
    if len(idx) == 0:
        return None, None
    best = idx[np.argmin(np.abs(grid[idx] - current))]
    if grid[best] > current:
        nb = best - 1
    elif grid[best] < current:
        nb = best + 1
    else:
        nb = None
    return best, nb


def weight_changes(decision, method: str = "wsm", weights=None, profile: str | None = None, points: int = 201) -> pd.DataFrame:
    """For every non-winning option and criterion: the weight at which the option draws level with the leader.

    Columns: ``option``, ``criterion``, ``weight`` (now), ``required`` (NaN when
    no weight of this criterion makes it win), ``change`` (required − now).
    Exact for a method whose score is linear in the weights (:func:`exact`), else
    a grid of `points` weights refined by bisection.
    """
    return _weight_changes(method, _setup(decision, method, weights, profile), points)


def _weight_changes(method: str, setup: tuple, points: int) -> pd.DataFrame:
    kept, _, crit, w, likely, obj, ctx = setup
    x = likely.to_numpy(dtype=float)
    wv = w.to_numpy()
    _, base_r = _batch_ranks(method, x, obj, wv, ctx)
    losers = [i for i in range(len(kept)) if base_r[0, i] != 1]
    rows = []
    v = _linear_matrix(method, x, obj, ctx) if exact(method) else None
    for k, c in enumerate(crit):
        if v is not None:
            required = _exact_required(v, wv, k, losers)
        else:
            required = _searched_required(method, x, obj, wv, k, losers, ctx, points)
        rows += [{"option": kept[i], "criterion": c, "weight": float(wv[k]), "required": req}
                 for i, req in zip(losers, required, strict=True)]
    t = pd.DataFrame(rows, columns=["option", "criterion", "weight", "required"])
    t["change"] = t["required"] - t["weight"]
    return t


def _exact_required(v: np.ndarray, wv: np.ndarray, k: int, losers: list[int]) -> list[float]:
    """Weight k at which each loser draws level with the best other option, scores v @ w (nearest to now).

    :func:`_feasible` of the pairs (loser, every other option), for all pairs at once.
    """
    a, b = _lines(v, wv, k)
    out = []
    others = np.ones(len(v), dtype=bool)
    for i in losers:
        others[i] = False
        alpha, beta = a[i] - a[others], b[i] - b[others]
        flat = np.abs(beta) <= TOL
        if np.any(flat & (alpha < -TOL)):
            out.append(np.nan)
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                t = -alpha / beta
            lo = max(0.0, float(np.max(t[~flat & (beta > 0)], initial=0.0)))
            hi = min(1.0, float(np.min(t[~flat & (beta < 0)], initial=1.0)))
            out.append(np.nan if lo > hi + TOL else float(np.clip(wv[k], lo, hi)))
        others[i] = True
    return out


def _searched_required(method, x, obj, wv, k: int, losers: list[int], ctx, points: int) -> list[float]:
    """Weight k at which each loser first wins: the winning grid point nearest to now, refined by bisection
    (all losers' bisections at once)."""
    grid = np.linspace(0.0, 1.0, points)
    _, r = _batch_ranks(method, x, obj, swept_weights(wv, k, grid), ctx)
    out = np.full(len(losers), np.nan)
    t_in, t_out, who, at = [], [], [], []
    for p, i in enumerate(losers):
        best, nb = _nearest_on_grid(r[:, i] == 1, grid, wv[k])
        if best is None:
            continue
        if nb is None or r[nb, i] == 1:
            out[p] = float(grid[best])
            continue
        t_in.append(grid[best])
        t_out.append(grid[nb])
        who.append(i)
        at.append(p)
    if at:
        def wins(t: np.ndarray) -> np.ndarray:
            return _wins(method, x, obj, swept_weights(wv, k, t), np.array(who), ctx)

        out[at] = _bisect(wins, np.array(t_in), np.array(t_out))
    return [float(v) for v in out]


def score_changes(decision, method: str = "wsm", weights=None, profile: str | None = None, points: int = 201) -> pd.DataFrame:
    """For every non-winning option and criterion: its own score at which it draws level with the leader.

    The score moves from its likely value towards the better end of the
    criterion's scale (up for a criterion to maximise, down for one to
    minimise), everything else fixed. Columns: ``option``, ``criterion``,
    ``score`` (likely now), ``required`` (NaN when not reachable within the
    scale), ``change``, ``relative`` (|change| / scale range).
    """
    return _score_changes(decision, method, _setup(decision, method, weights, profile), points)


def _score_changes(decision, method: str, setup: tuple, points: int) -> pd.DataFrame:
    kept, _, crit, w, likely, obj, ctx = setup
    x = likely.to_numpy(dtype=float)
    wv = w.to_numpy()
    _, base_r = _batch_ranks(method, x, obj, wv, ctx)
    losers = [i for i in range(len(kept)) if base_r[0, i] != 1]
    score = _column_scorer(method, x, obj, wv, ctx)
    frac = np.linspace(0.0, 1.0, points)
    lose = np.array(losers, dtype=int)
    ends = [float(decision.criterion(c).scale.max) if obj[k] == 1 else float(decision.criterion(c).scale.min)
            for k, c in enumerate(crit)]

    def one(k: int) -> np.ndarray:
        return _required_scores(score, method, x, obj, wv, ctx, k, lose, ends[k], frac)

    # criteria on up to 2 threads (numpy releases the GIL; each criterion's numbers are its own)
    with ThreadPoolExecutor(2) as pool:
        required = list(pool.map(one, range(len(crit))))
    rows = [{"option": kept[i], "criterion": c, "score": x[i, k], "required": float(r)}
            for k, c in enumerate(crit) for i, r in zip(losers, required[k], strict=True)]
    t = pd.DataFrame(rows, columns=["option", "criterion", "score", "required"])
    t["change"] = t["required"] - t["score"]
    spans = {c: float(decision.criterion(c).scale.max - decision.criterion(c).scale.min) for c in crit}
    t["relative"] = t["change"].abs() / t["criterion"].map(spans).replace(0.0, np.nan)
    return t


def _required_scores(score, method, x, obj, wv, ctx, k: int, lose: np.ndarray, end: float,
                     frac: np.ndarray) -> np.ndarray:
    """Score k of each loser at which it first wins, moving from its likely value towards `end`: the first
    winning point of the grid `frac`, refined by bisection towards the point before it (NaN: never wins)."""
    cur = x[lose, k]
    req = np.full(len(lose), np.nan)
    moves = (end - cur) * obj[k] > 0  # a score already at its best end cannot move
    if not moves.any():
        return req
    who, cur_m = lose[moves], cur[moves]
    grid = (cur_m[:, None] + frac[None, :] * (end - cur_m)[:, None]).reshape(-1)
    win = _moved_wins(score, method, x, obj, wv, ctx, k, np.repeat(who, len(frac)), grid).reshape(len(who), len(frac))
    first = np.argmax(win, axis=1)
    f = np.where(win.any(axis=1), 0.0, np.nan)
    need = win.any(axis=1) & (first > 0)
    if need.any():
        def pred(fr: np.ndarray) -> np.ndarray:
            return _moved_wins(score, method, x, obj, wv, ctx, k, who[need], cur_m[need] + fr * (end - cur_m[need]))

        f[need] = _bisect(pred, frac[first[need]], frac[first[need] - 1])
    req[moves] = cur_m + f * (end - cur_m)
    return req


def _moved_wins(score, method, x, obj, wv, ctx, k: int, who: np.ndarray, new: np.ndarray) -> np.ndarray:
    """Whether option who[b] ranks first when its score k is new[b] (everything else as in x), item by item;
    an item outside the method's domain does not win (:func:`_in_domain`). Batches of :data:`BATCH_VALUES`."""
    out = np.zeros(len(who), dtype=bool)
    step = max(1, BATCH_VALUES // x.shape[0])
    for start in range(0, len(who), step):
        w_, v_ = who[start:start + step], new[start:start + step]
        values = np.repeat(x[:, k][:, None], len(w_), axis=1)
        values[w_, np.arange(len(w_))] = v_
        ok = np.flatnonzero(_column_domain(method, x, obj, wv, ctx, k, values))
        if len(ok):
            out[start + ok] = _first_place(score(k, values[:, ok]), w_[ok])
    return out


def _first_place(s: np.ndarray, who: np.ndarray) -> np.ndarray:
    """Whether option who[b] has rank 1 in column b of scores (m, B): ``fastrank.rank_scores(s.T)[b, who[b]] == 1``
    without sorting every column. Rank 1 is the top tie group (consecutive scores within the tie tolerance,
    :mod:`procurement.mcda.ties`): at the maximum it is in it, more than (m − 1) tolerances below it is not (some
    gap exceeds one tolerance); only the columns in between are ranked."""
    s = np.where(np.isnan(s), -np.inf, s)
    cols = np.arange(s.shape[1])
    mine = s[who, cols]
    best = s.max(axis=0)
    finite = np.where(np.isfinite(s), s, 0.0)
    tol = fastrank.RTOL * np.maximum(1.0, np.abs(finite).max(axis=0))
    out = mine >= best
    unsure = ~out & (best - mine <= (s.shape[0] - 1) * tol)
    if unsure.any():
        out[unsure] = fastrank.rank_scores(s[:, unsure].T)[np.arange(int(unsure.sum())), who[unsure]] == 1
    return out


def what_would_it_take(decision, method: str = "wsm", weights=None, profile: str | None = None) -> pd.DataFrame:
    """For each option that does not win: the smallest single-weight and single-score change that makes it win.

    One row per non-winning option (index ``option``): ``rank`` now; the
    weight change (``weight_criterion``, ``weight_from``, ``weight_to``,
    ``weight_change`` in weight points, the weights summing to 1); the score
    change (``score_criterion``, ``score_from``, ``score_to``,
    ``score_change``, ``score_relative`` = share of the criterion's scale);
    ``easiest``: ``weight`` or ``score``, whichever relative change is smaller.
    Empty criterion cells mean no single change of that kind suffices.
    """
    setup = _setup(decision, method, weights, profile)
    kept, _, crit, w, likely, obj, ctx = setup
    _, base_r = _batch_ranks(method, likely.to_numpy(dtype=float), obj, w.to_numpy(), ctx)
    wc = _weight_changes(method, setup, 201)
    sc = _score_changes(decision, method, setup, 201)
    rows = []
    for i, o in enumerate(kept):
        if base_r[0, i] == 1:
            continue
        row = {"option": o, "rank": int(base_r[0, i])}
        wo = wc[(wc["option"] == o) & wc["required"].notna()]
        if len(wo):
            best = wo.loc[wo["change"].abs().idxmin()]
            row.update(weight_criterion=best["criterion"], weight_from=best["weight"], weight_to=best["required"],
                       weight_change=best["change"])
        else:
            row.update(weight_criterion="", weight_from=np.nan, weight_to=np.nan, weight_change=np.nan)
        so = sc[(sc["option"] == o) & sc["required"].notna()]
        if len(so):
            best = so.loc[so["relative"].idxmin()]
            row.update(score_criterion=best["criterion"], score_from=best["score"], score_to=best["required"],
                       score_change=best["change"], score_relative=best["relative"])
        else:
            row.update(score_criterion="", score_from=np.nan, score_to=np.nan, score_change=np.nan, score_relative=np.nan)
        wrel = abs(row["weight_change"]) if not np.isnan(row["weight_change"]) else np.inf
        srel = row["score_relative"] if not np.isnan(row["score_relative"]) else np.inf
        row["easiest"] = "" if np.isinf(wrel) and np.isinf(srel) else ("weight" if wrel <= srel else "score")
        rows.append(row)
    cols = ["option", "rank", "weight_criterion", "weight_from", "weight_to", "weight_change", "score_criterion", "score_from",
            "score_to", "score_change", "score_relative", "easiest"]
    return pd.DataFrame(rows, columns=cols).set_index("option").sort_values("rank", kind="stable")


# ---------------------------------------------------------------------------
# stability for any method


#: Grid points of the sweep that gives the stability intervals of a method whose score is not linear in the weights.
SWEEP_POINTS = 201


def stability(decision, method: str = "wsm", weights=None, profile: str | None = None,
              points: int = SWEEP_POINTS) -> pd.DataFrame:
    """Per criterion, the weight interval that keeps the leader first: ``weight``, ``low``, ``high``.

    Exact for a method whose score is linear in the weights (with the columns of :func:`stability_intervals`
    too); for any other method read off a weight sweep of `points` (``attrs["exact"]`` says which).
    """
    if exact(method):
        t = stability_intervals(decision, weights=weights, profile=profile, method=method)
        t.insert(1, "low", t["top_low"])
        t.insert(2, "high", t["top_high"])
        t.attrs["exact"] = True
        return t
    w = point_weights(decision, weights, profile)
    sweep = weight_sweep(decision, method, points=points, weights=w)
    kept = list(dict.fromkeys(sweep["option"]))
    _, _, _, _, likely, obj, ctx = _setup(decision, method, w, None)
    _, base_r = _batch_ranks(method, likely.to_numpy(dtype=float), obj, w.to_numpy(), ctx)
    leader = kept[int(np.argmin(base_r[0]))]
    t = stability_from_sweep(sweep, leader, w, decision.criterion_ids)
    t.attrs["leader"] = [kept[i] for i in range(len(kept)) if base_r[0, i] == 1]
    t.attrs["exact"] = False
    return t


def stability_from_sweep(sweep: pd.DataFrame, leader: str, weights: pd.Series, criteria: list[str]) -> pd.DataFrame:
    """Per criterion, the interval of the sweep's grid around the current weight where `leader` stays first."""
    rows = []
    for cid, part in sweep[sweep["option"] == leader].groupby("criterion", sort=False):
        grid = part["weight"].to_numpy(float)
        first = part["rank"].to_numpy() == 1
        now = float(weights[cid])
        lo = hi = int(np.argmin(np.abs(grid - now)))
        if first[lo]:
            while lo > 0 and first[lo - 1]:
                lo -= 1
            while hi < len(grid) - 1 and first[hi + 1]:
                hi += 1
        rows.append({"criterion": cid, "weight": now, "low": min(grid[lo], now), "high": max(grid[hi], now)})
    found = {r["criterion"] for r in rows}
    return pd.DataFrame(rows).set_index("criterion").loc[[c for c in criteria if c in found]]
