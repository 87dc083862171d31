"""Method comparison: ranks side by side, rank correlations and a consensus ranking.

Different methods can put options in a different order. This module shows
all of them side by side (ties shown as ties), the rank correlation between
every pair of methods (Kendall's τ-b and Spearman's ρ: what scikit-criteria's
:class:`~skcriteria.cmp.RanksComparator` computes, pandas' ``DataFrame.corr``
on the dense ranks, here in closed form with numpy so that hundreds of
stakeholder rankings correlate in one matrix product), and two consensus
rankings:

* **Borda**: in each method an option scores one point for every option it
  ranks strictly ahead of; points are summed over methods.
* **Copeland**: for each pair of options, the option that more methods rank
  ahead wins the pair (+1; the loser −1; a draw 0); scores are summed.

Both consensus ranks give tied scores the same rank ("min" ranking, so
two options sharing first place are both 1 and the next is 3).
Optional rank-reversal diagnostics use :mod:`skcriteria.ranksrev`.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd

from procurement.case.errors import InputError, Problem
from procurement.case.loader import Decision
from procurement.case.models import DEFAULT_SEED
from procurement.mcda.methods import get_method, method_names
from procurement.mcda.ranking import Ranking, decision_matrix, prepare, rank_many, weights_for
from procurement.mcda.ties import tie_groups_t


def rank_table(rankings: list[Ranking], key: str = "method") -> pd.DataFrame:
    """Options × rankings, each cell the rank (1 = best). Columns are named by `key` ('method' or 'profile')."""
    cols: dict[str, np.ndarray] = {}
    index = rankings[0].matrix.index if rankings else pd.Index([])
    for r in rankings:
        name = getattr(r, key)
        same = r.matrix.index is index or r.matrix.index.equals(index)
        ranks = np.asarray(r.ranks, dtype=int) if same else r.table["rank"].reindex(index).to_numpy(int)
        cols["default" if name is None else name] = ranks
    t = pd.DataFrame(cols, index=pd.Index(list(index), name="option"))
    return t


def ranks_comparator(ranks: pd.DataFrame):
    """A scikit-criteria RanksComparator from an options × rankings table of ranks."""
    # lazy: scikit-criteria costs about 2 s at import; the correlations below are computed without it
    from skcriteria.agg import RankResult
    from skcriteria.cmp import RanksComparator

    parts = []
    for name in ranks.columns:
        dense = ranks[name].rank(method="dense").astype(int).to_numpy()
        parts.append((str(name), RankResult(str(name), alternatives=list(ranks.index), values=dense, extra={})))
    return RanksComparator(parts, extra={})


def correlations(ranks: pd.DataFrame, method: str = "kendall") -> pd.DataFrame:
    """Rank correlation (kendall or spearman) between every pair of columns of `ranks`.

    A column with every option tied (e.g. one method puts all options in its
    kernel) has no defined correlation and shows NaN.
    """
    if ranks.shape[1] < 2 or ranks.shape[0] < 2:
        return pd.DataFrame(1.0, index=ranks.columns, columns=ranks.columns)
    r = ranks.to_numpy(dtype=float)
    if method == "kendall":
        corr = kendall_tau_b(r)
    elif method == "spearman":
        corr = _pearson(ranks.rank(method="average").to_numpy(dtype=float))
    else:
        raise ValueError(f"unknown correlation '{method}' (kendall or spearman)")
    return pd.DataFrame(corr, index=list(ranks.columns), columns=list(ranks.columns))


def kendall_tau_b(r: np.ndarray) -> np.ndarray:
    """Kendall's τ-b between every pair of columns of r (options × rankings), ties corrected.

    τ-b = (concordant − discordant) / √((pairs untied in a)(pairs untied in b)): with
    S[p, k] = sign(r[i, k] − r[j, k]) over the option pairs p = (i, j), the numerator is SᵀS
    and the untied pair counts are Σ|S|. NaN where a ranking ties every option (diagonal 1, as pandas).
    """
    i, j = np.triu_indices(r.shape[0], 1)
    sgn = np.sign(r[i] - r[j])
    untied = np.abs(sgn).sum(axis=0)
    den = np.sqrt(np.outer(untied, untied))
    # the products are whole numbers, so any summation order is exact: einsum avoids a threaded BLAS call, which
    # costs more than the arithmetic for these small matrices on a busy machine
    with np.errstate(invalid="ignore", divide="ignore"):
        tau = np.where(den > 0, np.einsum("pk,pl->kl", sgn, sgn) / den, np.nan)
    np.fill_diagonal(tau, 1.0)
    return np.clip(tau, -1.0, 1.0)


def _pearson(a: np.ndarray) -> np.ndarray:
    """Pearson correlation between the columns of a; NaN for a constant column."""
    c = a - a.mean(axis=0)
    norm = np.sqrt((c * c).sum(axis=0))
    den = np.outer(norm, norm)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.clip(np.where(den > 0, (c.T @ c) / den, np.nan), -1.0, 1.0)


def borda(ranks: pd.DataFrame) -> pd.Series:
    """Borda points: per ranking, the number of options ranked strictly behind; summed."""
    pts = pd.Series(0.0, index=ranks.index)
    for col in ranks.columns:
        r = ranks[col].to_numpy()
        pts += (r[None, :] > r[:, None]).sum(axis=1)
    return pts


def copeland(ranks: pd.DataFrame) -> pd.Series:
    """Copeland scores: pairwise majority wins minus losses over the rankings."""
    r = ranks.to_numpy()
    n = len(ranks)
    score = np.zeros(n)
    for i, j in itertools.combinations(range(n), 2):
        a_ahead = int((r[i] < r[j]).sum())
        b_ahead = int((r[j] < r[i]).sum())
        if a_ahead > b_ahead:
            score[i] += 1
            score[j] -= 1
        elif b_ahead > a_ahead:
            score[j] += 1
            score[i] -= 1
    return pd.Series(score, index=ranks.index)


def consensus(ranks: pd.DataFrame) -> pd.DataFrame:
    """Borda and Copeland scores and ranks (ties share the best rank of their block)."""
    b = borda(ranks)
    c = copeland(ranks)
    out = pd.DataFrame({
        "borda": b,
        "borda_rank": b.rank(ascending=False, method="min").astype(int),
        "copeland": c,
        "copeland_rank": c.rank(ascending=False, method="min").astype(int),
    })
    out.index.name = "option"
    return out


def compare_methods(
    decision: Decision,
    methods: list[str] | str | None = None,
    profile: str | None = None,
    weights: pd.Series | None = None,
    language: str = "nb",
) -> pd.DataFrame:
    """All methods side by side for one weight set: options × methods of ranks, plus label,
    Borda and Copeland consensus. Methods that cannot run on the inputs are left out."""
    names = method_names(methods)
    rankings, _ = rank_many(decision, names, [profile] if weights is None else [],
                            {profile or "custom": weights} if weights is not None else None, language)
    return comparison_frame(decision, rankings, language)


def comparison_frame(decision: Decision, rankings: list[Ranking], language: str = "nb") -> pd.DataFrame:
    return comparison_table(rankings, decision.option_labels(language))


def comparison_table(rankings: list[Ranking], labels: Mapping[str, str]) -> pd.DataFrame:
    """Options × methods of ranks with ``label``, Borda and Copeland consensus, best consensus first."""
    ranks = rank_table(rankings, "method")
    out = ranks.join(consensus(ranks))
    out.insert(0, "label", [labels.get(o, o) for o in out.index])
    return out.sort_values(["copeland_rank", "borda_rank"], kind="stable")


def _average_ranks(r: np.ndarray) -> np.ndarray:
    """Each column's ranks as pandas' ``rank(method="average")`` gives them (ties share their positions' mean)."""
    _, first, size = tie_groups_t(-r.astype(float), rtol=0.0)
    return first + (size + 1) / 2.0


def _correlation_json(corr: np.ndarray, names: list[str]) -> dict:
    """{a: {b: correlation to 6 decimals, None where undefined}}."""
    rows = np.round(corr, 6).tolist()
    if np.isnan(corr).any():
        rows = [[None if v != v else v for v in row] for row in rows]
    return {a: dict(zip(names, row, strict=True)) for a, row in zip(names, rows, strict=True)}


def _min_rank_descending(values: np.ndarray) -> np.ndarray:
    """pandas' ``rank(ascending=False, method="min")``: 1 + the number of strictly larger values."""
    return 1 + (values[None, :] > values[:, None]).sum(axis=1)


def comparison_dict(rankings: list[Ranking]) -> dict:
    """The JSON form of a method comparison for one weight set (numpy throughout: a panel of hundreds of weight
    sets makes one per set)."""
    index = rankings[0].matrix.index if rankings else pd.Index([])
    if all(r.matrix.index is index for r in rankings) and len({r.method for r in rankings}) == len(rankings):
        r = np.column_stack([np.asarray(x.ranks, dtype=float) for x in rankings]) if rankings else np.empty((0, 0))
        options, names = [str(o) for o in index], [x.method for x in rankings]
    else:
        ranks = rank_table(rankings, "method")
        r = ranks.to_numpy(dtype=float)
        options, names = [str(o) for o in ranks.index], [str(c) for c in ranks.columns]
    borda_pts = (r[None, :, :] > r[:, None, :]).sum(axis=(1, 2)).astype(float)
    ahead = (r[:, None, :] < r[None, :, :]).sum(axis=2)
    copeland_pts = np.sign(ahead - ahead.T).sum(axis=1).astype(float)
    borda_rank, copeland_rank = _min_rank_descending(borda_pts), _min_rank_descending(copeland_pts)
    if r.shape[1] < 2 or r.shape[0] < 2:
        kendall = spearman = np.ones((r.shape[1], r.shape[1]))
    else:
        kendall, spearman = kendall_tau_b(r), _pearson(_average_ranks(r))
    best = r.min(axis=0)
    return {
        "methods": names,
        "ranks": {m: dict(zip(options, r[:, k].astype(int).tolist(), strict=True)) for k, m in enumerate(names)},
        "winners": {m: [o for o, v in zip(options, r[:, k], strict=True) if v == best[k]] for k, m in enumerate(names)},
        "kendall": _correlation_json(kendall, names),
        "spearman": _correlation_json(spearman, names),
        "consensus": {
            "borda": [{"option": options[i], "points": float(borda_pts[i]), "rank": int(borda_rank[i])}
                      for i in np.argsort(borda_rank, kind="stable")],
            "copeland": [{"option": options[i], "score": float(copeland_pts[i]), "rank": int(copeland_rank[i])}
                         for i in np.argsort(copeland_rank, kind="stable")],
        },
    }


def rank_reversal(
    decision: Decision,
    method: str = "topsis",
    profile: str | None = None,
    repeats: int = 50,
    seed: int = DEFAULT_SEED,
) -> pd.DataFrame:
    """Rank-reversal diagnostics through :class:`skcriteria.ranksrev.RankInvariantChecker`.

    Each suboptimal option is made slightly worse (noise below the gap to
    the next option) `repeats` times; a method free of rank reversal keeps
    the order of the other options. Returns one row per mutated option with
    the share of runs in which two other options swapped order. Slow-ish (repeats × options evaluations);
    not part of the CLI's default output.
    """
    # lazy: scikit-criteria costs about 2 s at import; only this diagnostic needs it
    from skcriteria.ranksrev import RankInvariantChecker

    m = get_method(method)
    if m.kind != "rank":
        raise InputError(Problem("method", method, f"{m.label} chooses a kernel and gives no ranking to test for rank reversal",
                                 "use a ranking method, e.g. topsis or promethee2"))
    prep = prepare(decision)
    w = weights_for(decision, profile)
    context = prep.context(m)
    if context.get("bounds") is not None:  # the mutations may leave the scale: widen the bounds by one range each side
        bounds = context["bounds"]
        span = bounds[:, 1] - bounds[:, 0]
        context["bounds"] = np.column_stack([bounds[:, 0] - span, bounds[:, 1] + span])
    pipe = m.pipeline(**context)
    dm = decision_matrix(prep.matrix, prep.objectives, w)
    checker = RankInvariantChecker(pipe, repeat=repeats, random_state=seed)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        # scikit-criteria 0.10 calls DataFrame.set_index(inplace=True), deprecated in pandas 3.1
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", FutureWarning)
        cmp = checker.evaluate(dm)
    original = cmp.ranks[0][1]
    base = pd.Series(original.values, index=list(original.alternatives))
    rows = []
    for name, rk in cmp.ranks[1:]:
        mutated = name.removeprefix("M.").rsplit("_", 1)[0]
        now = pd.Series(rk.values, index=list(rk.alternatives)).loc[base.index]
        others = [o for o in base.index if o != mutated]
        b, n = base.loc[others].to_numpy(), now.loc[others].to_numpy()
        # a reversal: some pair of the other options swaps order (or a strict order becomes a tie or back)
        changed = bool((np.sign(b[:, None] - b[None, :]) != np.sign(n[:, None] - n[None, :])).any())
        rows.append({"mutated": mutated, "changed": changed})
    df = pd.DataFrame(rows, columns=["mutated", "changed"])
    if df.empty:
        return pd.DataFrame(columns=["mutated", "runs", "share_changed"])
    return df.groupby("mutated").agg(runs=("changed", "size"), share_changed=("changed", "mean")).reset_index()
