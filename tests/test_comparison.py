"""Method comparison: ranks side by side, Kendall/Spearman (against scipy and scikit-criteria), Borda and Copeland."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from conftest import EXAMPLE_CASE
from procurement.mcda.comparison import borda, compare_methods, consensus, copeland, correlations, rank_reversal
from procurement import load_case
from procurement.mcda.methods import METHODS


def test_borda_and_copeland_by_hand():
    ranks = pd.DataFrame({"m1": [1, 2, 3], "m2": [2, 1, 3], "m3": [1, 3, 2]}, index=list("abc"))
    # Borda: a 2+1+2, b 1+2+0, c 0+0+1
    assert borda(ranks).tolist() == [5, 3, 1]
    # Copeland: a beats b (2–1) and c (3–0); b beats c (2–1)
    assert copeland(ranks).tolist() == [2, 0, -2]


def test_ties_shown_as_ties():
    ranks = pd.DataFrame({"m1": [1, 2, 3], "m2": [2, 1, 3]}, index=list("abc"))
    c = consensus(ranks)
    assert c["borda_rank"].tolist() == [1, 1, 3]
    assert c["copeland_rank"].tolist() == [1, 1, 3]


def test_correlations_match_scipy():
    ranks = pd.DataFrame({"m1": [1, 2, 3, 4, 5], "m2": [2, 1, 3, 5, 4], "m3": [5, 4, 3, 2, 1]}, index=list("abcde"))
    k = correlations(ranks, "kendall")
    s = correlations(ranks, "spearman")
    assert k.loc["m1", "m2"] == pytest.approx(stats.kendalltau(ranks.m1, ranks.m2).statistic)
    assert s.loc["m1", "m3"] == pytest.approx(stats.spearmanr(ranks.m1, ranks.m3).statistic)


def test_compare_methods_on_example():
    d = load_case(EXAMPLE_CASE).decision("contract-strategy")
    t = compare_methods(d, "all", language="en")
    assert {"label", "borda", "borda_rank", "copeland", "copeland_rank"} <= set(t.columns)
    assert set(METHODS) & set(t.columns)
    assert len(t) == len(d.options) - len(rank_excluded(d))


def rank_excluded(d):
    from procurement.mcda.screening import screen

    return screen(d)[1]["option"].tolist()


def test_rank_reversal_diagnostics():
    d = load_case(EXAMPLE_CASE).decision("contract-strategy")
    out = rank_reversal(d, "spotis", repeats=3)
    assert set(out.columns) == {"mutated", "runs", "share_changed"}
    assert (out["share_changed"] == 0).all()  # SPOTIS is free of rank reversal


@pytest.mark.filterwarnings("ignore:An input array is constant")
@pytest.mark.parametrize("seed", range(5))
def test_correlations_with_ties_match_scipy_and_ranks_comparator(seed):
    """Kendall's τ-b and Spearman's ρ in closed form equal scipy's and scikit-criteria's RanksComparator's,
    ties included; a ranking that ties every option has no correlation (NaN)."""
    from procurement.mcda.comparison import ranks_comparator

    rng = np.random.default_rng(seed)
    ranks = pd.DataFrame(rng.integers(1, 4, (6, 5)), index=list("abcdef"), columns=[f"m{k}" for k in range(5)])
    ranks["flat"] = 1
    k = correlations(ranks, "kendall")
    s = correlations(ranks, "spearman")
    for a in ranks.columns:
        for b in ranks.columns:
            if a == b:
                continue
            ref_k = stats.kendalltau(ranks[a], ranks[b]).statistic
            ref_s = stats.spearmanr(ranks[a], ranks[b]).statistic
            ours_k, ours_s = float(k.loc[a, b]), float(s.loc[a, b])  # type: ignore[arg-type]
            assert (np.isnan(ours_k) and np.isnan(ref_k)) or ours_k == pytest.approx(ref_k)
            assert (np.isnan(ours_s) and np.isnan(ref_s)) or ours_s == pytest.approx(ref_s)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for method, ours in (("kendall", k), ("spearman", s)):
            ref = ranks_comparator(ranks).corr(method=method)
            np.testing.assert_allclose(ours.to_numpy(), ref.to_numpy(), atol=1e-12)
