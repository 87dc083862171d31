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

:func:`stability` gives the weight intervals for any method (exact where the
score is linear in the weights, else read off a sweep). The result objects with
their descriptions are in :mod:`procurement.uncertainty.results`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from procurement.case.errors import InputError, Problem
from procurement.mcda import fastrank
from procurement.mcda.methods import get_method
from procurement.mcda.ranking import evaluate
from procurement.mcda.screening import screen
from procurement.uncertainty.smaa import point_weights, value_transform

TOL = 1e-12


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
    ctx = {"transform": value_transform(decision), **m.context(decision)}
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
    pairs = [(i, j) for i in range(m) for j in range(n)]
    mats = np.repeat(x[None], 2 * len(pairs), axis=0)
    for p, (i, j) in enumerate(pairs):
        mats[2 * p, i, j] = low[i, j]
        mats[2 * p + 1, i, j] = high[i, j]
    s, r = _batch_ranks(method, mats, obj, w.to_numpy(), ctx)
    rows = []
    for p, (i, j) in enumerate(pairs):
        rows.append(
            {
                "option": kept[i],
                "criterion": crit[j],
                "low": low[i, j],
                "likely": x[i, j],
                "high": high[i, j],
                "base_score": base_s[0, i],
                "base_rank": int(base_r[0, i]),
                "score_at_low": s[2 * p, i],
                "score_at_high": s[2 * p + 1, i],
                "rank_at_low": int(r[2 * p, i]),
                "rank_at_high": int(r[2 * p + 1, i]),
            }
        )
    t = pd.DataFrame(rows)
    t["swing"] = (t["score_at_high"] - t["score_at_low"]).abs()
    t = t.sort_values(["base_rank", "option", "swing"], ascending=[True, True, False], kind="stable")
    return t.reset_index(drop=True)


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
    kept, _, crit, w, likely, obj, ctx = _setup(decision, method, weights, profile)
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
    """Weight k at which each loser draws level with the best other option, scores v @ w (nearest to now)."""
    a, b = _lines(v, wv, k)
    out = []
    for i in losers:
        lo, hi, _, _ = _feasible(a, b, [(i, j) for j in range(len(v)) if j != i])
        out.append(np.nan if lo > hi + TOL else float(np.clip(wv[k], lo, hi)))
    return out


def _searched_required(method, x, obj, wv, k: int, losers: list[int], ctx, points: int) -> list[float]:
    """Weight k at which each loser first wins: the winning grid point nearest to now, refined by bisection."""
    grid = np.linspace(0.0, 1.0, points)
    _, r = _batch_ranks(method, x, obj, swept_weights(wv, k, grid), ctx)
    out = []
    for i in losers:
        best, nb = _nearest_on_grid(r[:, i] == 1, grid, wv[k])
        if best is None:
            out.append(np.nan)
            continue
        if nb is None or r[nb, i] == 1:
            out.append(float(grid[best]))
            continue

        def wins(t, i=i):
            return _wins(method, x, obj, swept_weights(wv, k, t), np.full(len(t), i), ctx)

        out.append(float(_bisect(wins, np.array([grid[best]]), np.array([grid[nb]]))[0]))
    return out


def score_changes(decision, method: str = "wsm", weights=None, profile: str | None = None, points: int = 201) -> pd.DataFrame:
    """For every non-winning option and criterion: its own score at which it draws level with the leader.

    The score moves from its likely value towards the better end of the
    criterion's scale (up for a criterion to maximise, down for one to
    minimise), everything else fixed. Columns: ``option``, ``criterion``,
    ``score`` (likely now), ``required`` (NaN when not reachable within the
    scale), ``change``, ``relative`` (|change| / scale range).
    """
    kept, _, crit, w, likely, obj, ctx = _setup(decision, method, weights, profile)
    x = likely.to_numpy(dtype=float)
    wv = w.to_numpy()
    _, base_r = _batch_ranks(method, x, obj, wv, ctx)
    losers = [i for i in range(len(kept)) if base_r[0, i] != 1]
    rows = []
    frac = np.linspace(0.0, 1.0, points)
    for k, c in enumerate(crit):
        crit_obj = decision.criterion(c)
        smin, smax = float(crit_obj.scale.min), float(crit_obj.scale.max)
        for i in losers:
            cur = x[i, k]
            end = smax if obj[k] == 1 else smin
            values = cur + frac * (end - cur)
            mats = np.repeat(x[None], points, axis=0)
            mats[:, i, k] = values
            win = _wins(method, mats, obj, wv, np.full(points, i), ctx)
            idx = np.flatnonzero(win)
            if (end - cur) * obj[k] <= 0 or len(idx) == 0:
                req = np.nan
            else:
                first = idx[0]

                def pred(fr, i=i, k=k, cur=cur, end=end):
                    mm = np.repeat(x[None], len(fr), axis=0)
                    mm[:, i, k] = cur + fr * (end - cur)
                    return _wins(method, mm, obj, wv, np.full(len(fr), i), ctx)

                f = _bisect(pred, np.array([frac[first]]), np.array([frac[max(first - 1, 0)]]))[0] if first > 0 else 0.0
                req = float(cur + f * (end - cur))
            rows.append({"option": kept[i], "criterion": c, "score": cur, "required": req})
    t = pd.DataFrame(rows, columns=["option", "criterion", "score", "required"])
    t["change"] = t["required"] - t["score"]
    spans = {c: float(decision.criterion(c).scale.max - decision.criterion(c).scale.min) for c in crit}
    t["relative"] = t["change"].abs() / t["criterion"].map(spans).replace(0.0, np.nan)
    return t


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
    kept, _, crit, w, likely, obj, ctx = _setup(decision, method, weights, profile)
    _, base_r = _batch_ranks(method, likely.to_numpy(dtype=float), obj, w.to_numpy(), ctx)
    wc = weight_changes(decision, method, weights, profile)
    sc = score_changes(decision, method, weights, profile)
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
