"""Stakeholder profiles: rankings per group, panel aggregation, agreement and leave-one-out."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import EXAMPLE_CASE, write_case
from procurement import load_case
from procurement.mcda.ranking import rank
from procurement.mcda.stakeholders import (
    agreement,
    kendall_w,
    leave_one_out,
    panel_weights,
    stakeholder_dicts,
    stakeholder_rankings,
    weights_table,
)


@pytest.fixture
def tiny(tiny_case):
    return load_case(tiny_case).decision("pick")


def test_panel_mean_and_geomean_by_formula(tiny):
    t = weights_table(tiny)
    alpha = np.array([1, 1, 2]) / 4
    roc = np.array([11 / 18, 5 / 18, 2 / 18])
    np.testing.assert_allclose(t["alpha"], alpha)
    np.testing.assert_allclose(t["beta"], roc)
    np.testing.assert_allclose(panel_weights(tiny, "mean"), (alpha + roc) / 2)
    g = np.sqrt(alpha * roc)
    np.testing.assert_allclose(panel_weights(tiny, "geomean"), g / g.sum())


def test_rankings_per_group(tiny):
    t = stakeholder_rankings(tiny, "wsm", "en")
    assert list(t.columns) == ["label", "default", "alpha", "beta", "panel-mean", "panel-geomean"]
    assert t.loc[:, "alpha"].tolist() == rank(tiny, "wsm", profile="alpha").table.loc[t.index, "rank"].tolist()
    w = panel_weights(tiny, "mean")
    assert t["panel-mean"].tolist() == rank(tiny, "wsm", weights=w).table.loc[t.index, "rank"].tolist()


def test_kendall_w():
    same = pd.DataFrame({"a": [1, 2, 3], "b": [1, 2, 3], "c": [1, 2, 3]})
    assert kendall_w(same) == pytest.approx(1.0)
    opposite = pd.DataFrame({"a": [1, 2, 3, 4], "b": [4, 3, 2, 1]})
    assert kendall_w(opposite) == pytest.approx(0.0)


def test_leave_one_out_flags_the_pivotal_group(tmp_path):
    profiles = (
        "decision,group,criterion,weight,rank\n"
        "pick,alpha,legal,10,\npick,alpha,fit,0,\npick,alpha,cost,0,\n"
        "pick,beta,legal,0,\npick,beta,fit,10,\npick,beta,cost,0,\n"
    )
    d = load_case(write_case(tmp_path, case__profiles_csv=profiles)).decision("pick")
    # panel mean = legal 0.5, fit 0.5 → b wins (legal 8, fit 8); without beta only legal counts → c wins
    loo = leave_one_out(d, "wsm", "mean")
    assert loo.attrs["panel_winner"] == "b"
    row = loo.set_index("group")
    assert row.loc["beta", "winner_without"] == "c" and bool(row.loc["beta", "changes_winner"])
    assert row.loc["alpha", "winner_without"] == "b" and not bool(row.loc["alpha", "changes_winner"])


def test_agreement_and_dict_on_example():
    d = load_case(EXAMPLE_CASE).decision("contract-strategy")
    ag = agreement(d, "topsis")
    assert 0 <= ag["kendall_w"] <= 1
    assert list(ag["kendall_tau"].columns) == list(d.profiles)
    out = stakeholder_dicts(d, ["wsm", "promethee2"])
    assert set(out) == {"wsm", "promethee2"}
    assert set(out["wsm"]["leave_one_out"]["mean"]["pivotal_groups"]) <= set(d.profiles)


def _with_synthetic_profiles(count: int, seed: int = 7):
    """The example's contract-strategy decision with `count` more seeded random weight profiles."""
    d = load_case(EXAMPLE_CASE).decision("contract-strategy")
    rng = np.random.default_rng(seed)
    for k in range(count):
        w = rng.integers(0, 13, len(d.criterion_ids)).astype(float)
        w[rng.integers(len(w))] += 1  # never all zero
        d.profiles[f"synthetic-{k:03d}"] = pd.Series(w, index=d.criterion_ids)
    return d


def _pipeline_ranks(method: str, prep, w: np.ndarray) -> np.ndarray:
    """The method's scikit-criteria pipeline (procurement.mcda.methods), evaluated afresh for one weight vector."""
    import warnings

    import skcriteria as skc

    from procurement.mcda import fastrank
    from procurement.mcda.methods import METHODS

    m = METHODS[method]
    dm = skc.mkdm(prep.matrix.to_numpy(), prep.objectives.loc[prep.matrix.columns].to_numpy(), weights=w / w.sum())
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        res = m.pipeline(bounds=prep.bounds, preferences=prep.preferences).evaluate(dm)
    if m.kind == "kernel":
        return np.where(np.asarray(res.kernel_, dtype=bool), 1, 2)
    rank = np.asarray(res.rank_, dtype=int)
    score = next((np.asarray(res.e_[k], dtype=float) for k in ("score", "q_k", "similarity", "net_flow") if k in res.e_), None)
    if m.ranks_by_score and score is not None:
        d = np.abs(score[:, None] - score[None, :])
        if np.any((d > 0) & (d <= fastrank.RTOL * max(1.0, np.abs(score).max()))):  # a tie split by rounding
            return fastrank.rank_scores(m.orient(score))
    return rank


def test_vectorised_stakeholder_ranks_equal_the_pipeline_for_every_method():
    """rank_many over every group (7 of the example and 30 synthetic), both panels and every method
    gives the ranks scikit-criteria's pipelines give one weight vector at a time."""
    from procurement.mcda.methods import METHODS
    from procurement.mcda.ranking import prepare, rank_many
    from procurement.mcda.stakeholders import panel_sets

    d = _with_synthetic_profiles(30, seed=1)  # a seed whose profiles hit both skip cases with 13 criteria (issue 13)
    prep = prepare(d)
    rankings, skipped = rank_many(d, list(METHODS), list(d.profiles), panel_sets(d))
    assert len(rankings) + len(skipped) == len(METHODS) * (len(d.profiles) + 2)
    for s in skipped:  # MULTIMOORA with a zero weight; COPRAS when the weights leave no minimised criterion
        assert (s["method"], s["reason"].split()[0]) in {("multimoora", "MULTIMOORA's"), ("copras", "COPRAS")}
    assert {s["method"] for s in skipped} == {"multimoora", "copras"}  # both happen with these profiles
    for r in rankings:
        expected = _pipeline_ranks(r.method, prep, r.weights.loc[prep.matrix.columns].to_numpy())
        assert r.table.loc[prep.matrix.index, "rank"].tolist() == expected.tolist(), (r.method, r.profile)


def test_leave_one_out_panels_equal_the_panel_of_the_others():
    from procurement.mcda.stakeholders import _loo_sets, groups_of

    d = _with_synthetic_profiles(5)
    d.profiles["synthetic-000"].iloc[0] = 0.0  # a zero weight: the geometric mean is 0 unless this group is left out
    for how in ("mean", "geomean"):
        full, sets = _loo_sets(d, how)
        pd.testing.assert_series_equal(full, panel_weights(d, how))
        for g in groups_of(d):
            rest = [x for x in groups_of(d) if x != g]
            np.testing.assert_allclose(sets[g].to_numpy(), panel_weights(d, how, rest).to_numpy(), rtol=1e-12, atol=1e-15)


def test_leave_one_out_on_many_groups_matches_one_group_at_a_time():
    from procurement.mcda.ranking import rank

    d = _with_synthetic_profiles(12)
    loo = leave_one_out(d, "topsis", "geomean").set_index("group")
    for g in list(d.profiles)[:4]:
        rest = [x for x in d.profiles if x != g]
        r = rank(d, "topsis", weights=panel_weights(d, "geomean", rest))
        assert loo.loc[g, "winner_without"] == " = ".join(r.winners)


def test_ranking_imports_no_scikit_criteria():
    """A method with a kernel ranks (and the stakeholder analysis runs) without importing scikit-criteria."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from procurement import load_case\n"
        "from procurement.mcda.ranking import rank, rank_many\n"
        "from procurement.mcda.comparison import comparison_dict\n"
        "from procurement.mcda.stakeholders import stakeholder_dicts\n"
        f"d = load_case({str(EXAMPLE_CASE)!r}).decision('contract-strategy')\n"
        "for m in ('wsm', 'wsm-sum', 'wpm', 'topsis', 'promethee2'):\n"
        "    rank(d, m).to_dict()\n"
        "rs, _ = rank_many(d, ['wsm', 'topsis'], [None, *d.profiles])\n"
        "comparison_dict(rs[:2]); stakeholder_dicts(d, ['wsm', 'promethee2'])\n"
        "assert 'skcriteria' not in sys.modules, 'skcriteria was imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
