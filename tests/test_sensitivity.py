"""Deterministic sensitivity: sweeps, tornado, exact stability intervals, what would it take; figures; CLI."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from conftest import EXAMPLE_CASE
from procurement.mcda import fastrank
from procurement.uncertainty import sensitivity as sen
from procurement.plots import sensitivity as figs
from procurement.cli import main
from procurement import load_case
from procurement.mcda.ranking import rank
from procurement.uncertainty.smaa import smaa


@pytest.fixture
def pick(tiny_case):
    return load_case(tiny_case).decision("pick")


def test_sweep_at_current_weight_matches_ranking(pick):
    sweep = sen.weight_sweep(pick, "wsm", points=5)
    assert set(sweep.columns) == {"criterion", "weight", "current", "option", "score", "rank"}
    assert len(sweep) == 3 * 5 * 3
    # the legal weight is 0.5 now: the sweep's point 0.5 is the current ranking
    at = sweep[(sweep["criterion"] == "legal") & (sweep["weight"] == 0.5)].set_index("option")["rank"]
    expected = rank(pick, "wsm").table["rank"]
    assert at.loc[expected.index].tolist() == expected.tolist()


def test_swept_weights_keep_ratios():
    w = np.array([0.5, 0.3, 0.2])
    ww = sen.swept_weights(w, 0, [0.0, 0.25, 1.0])
    np.testing.assert_allclose(ww.sum(axis=1), 1)
    np.testing.assert_allclose(ww[1, 1] / ww[1, 2], 1.5)
    np.testing.assert_allclose(sen.swept_weights(np.array([1.0, 0.0, 0.0]), 0, [0.4])[0], [0.4, 0.3, 0.3])


def _leader_and_order(decision, w):
    r = rank(decision, "wsm", weights=w).table
    return r.index[r["rank"] == 1].tolist(), r.sort_values("rank", kind="stable")["rank"].to_dict()


def test_stability_intervals_are_exact(pick):
    st = sen.stability_intervals(pick)
    w = pick.weights
    leader = st.attrs["leader"]
    for k, c in enumerate(pick.criterion_ids):
        row = st.loc[c]
        assert row["top_low"] <= row["weight"] <= row["top_high"]
        assert row["ranking_low"] <= row["weight"] <= row["ranking_high"]
        assert row["top_low"] <= row["ranking_low"] + 1e-12 and row["ranking_high"] <= row["top_high"] + 1e-12
        base = rank(pick, "wsm").table["rank"]
        for t, inside in [(row["top_low"] + 1e-6, True), (row["top_high"] - 1e-6, True),
                          (row["top_low"] - 1e-6, False), (row["top_high"] + 1e-6, False)]:
            if not 0 <= t <= 1:
                continue
            ww = pd.Series(sen.swept_weights(w.to_numpy(), k, [t])[0], index=w.index)
            leaders, _ = _leader_and_order(pick, ww)
            assert (leaders == leader) == inside, (c, t)
        for t, inside in [(row["ranking_low"] + 1e-6, True), (row["ranking_high"] - 1e-6, True),
                          (row["ranking_low"] - 1e-6, False), (row["ranking_high"] + 1e-6, False)]:
            if not 0 <= t <= 1:
                continue
            ww = pd.Series(sen.swept_weights(w.to_numpy(), k, [t])[0], index=w.index)
            same = rank(pick, "wsm", weights=ww).table["rank"].equals(base)
            assert same == inside, (c, t)


def test_stability_interval_by_hand():
    # A = (1, 0.4), B = (0, 1), C = (0, 0) after scaling; weights (0.5, 0.5): A leads while w1 >= 0.375
    v = np.array([[1.0, 0.4], [0.0, 1.0], [0.0, 0.0]])
    a, b = sen._lines(v, np.array([0.5, 0.5]), 0)
    lo, hi, by_lo, _ = sen._feasible(a, b, [(0, 1), (0, 2)])
    assert lo == pytest.approx(0.375) and hi == 1.0 and by_lo == 1


@pytest.mark.parametrize("method", ["wsm", "topsis", "wpm"])
def test_what_would_it_take_is_sufficient(pick, method):
    table = sen.what_would_it_take(pick, method)
    winner = rank(pick, method).winner
    assert winner not in table.index and len(table) == 2
    w = sen.point_weights(pick)
    for o, row in zip(table.index.tolist(), table.to_dict("records"), strict=True):
        if row["weight_criterion"]:
            k = pick.criterion_ids.index(row["weight_criterion"])
            # the reported weight is where the option draws level; just beyond it, it wins
            t_more = row["weight_from"] + 1.001 * (row["weight_to"] - row["weight_from"])
            ww = pd.Series(sen.swept_weights(w.to_numpy(), k, [t_more])[0], index=w.index)
            assert rank(pick, method, weights=ww).table.loc[o, "rank"] == 1
            # a little less change is not enough
            t_less = row["weight_from"] + 0.99 * (row["weight_to"] - row["weight_from"])
            ww = pd.Series(sen.swept_weights(w.to_numpy(), k, [t_less])[0], index=w.index)
            assert rank(pick, method, weights=ww).table.loc[o, "rank"] != 1
        if row["score_criterion"]:
            scale = pick.criterion(row["score_criterion"]).scale
            assert scale.min <= row["score_to"] <= scale.max
            from procurement.mcda.ranking import evaluate

            mat = pick.value_matrix("likely").copy()
            mat.loc[o, row["score_criterion"]] = row["score_from"] + 1.001 * row["score_change"]
            r = evaluate(method, mat, pick.value_objectives, w)
            assert r.loc[o, "rank"] == 1


def test_weight_changes_exact_matches_grid(pick):
    exact = sen.weight_changes(pick, "wsm")
    # the generic search (grid + bisection) on the same method agrees with the exact lines
    import procurement.uncertainty.sensitivity as mod

    kept, _, crit, w, likely, obj, ctx = mod._setup(pick, "wsm", None, None)
    for _, row in exact.dropna().iterrows():
        k = crit.index(row["criterion"])
        i = kept.index(row["option"])
        grid = np.linspace(0, 1, 20001)
        _, r = fastrank.evaluate("wsm", likely.to_numpy(), obj, sen.swept_weights(w.to_numpy(), k, grid))
        wins = grid[r[:, i] == 1]
        nearest = wins[np.argmin(np.abs(wins - row["weight"]))]
        assert abs(nearest - row["required"]) <= 1e-4


def test_tornado(pick):
    t = sen.tornado(pick, "wsm")
    assert len(t) == 9
    base = rank(pick, "wsm").table
    for _, row in t.iterrows():
        assert row["base_score"] == pytest.approx(base.loc[row["option"], "score"])
    assert (t["swing"] >= 0).all()


def test_other_methods_fall_back_to_scikit_criteria(pick):
    sweep = sen.weight_sweep(pick, "vikor", points=3)
    at = sweep[(sweep["criterion"] == "legal") & (sweep["weight"] == 0.5)].set_index("option")["rank"]
    assert at.loc[["a", "b", "c"]].tolist() == rank(pick, "vikor").table["rank"].loc[["a", "b", "c"]].tolist()
    assert len(sen.what_would_it_take(pick, "vikor")) >= 1


def test_figures(pick):
    r = smaa(pick, "wsm", samples=2000, seed=0)
    labels = pick.option_labels("en")
    for fig in [
        figs.acceptability_figure(r.acceptability, labels),
        figs.winning_figure(r.winning, labels),
        figs.central_weights_figure(r.central_weights, labels),
        figs.sweep_figure(sen.weight_sweep(pick, "wsm", points=11), labels=labels),
        figs.tornado_figure(sen.tornado(pick, "wsm")),
    ]:
        assert isinstance(fig, Figure)
        assert fig.axes


def test_cli_table_and_json(tiny_case, capsys):
    assert main(["sensitivity", str(tiny_case), "--decision", "pick", "--samples", "3000", "--seed", "5"]) == 0
    out = capsys.readouterr().out
    assert "Rank acceptability" in out and "What would it take" in out and "stability" in out
    assert main(["sensitivity", str(tiny_case), "--decision", "pick", "--samples", "3000", "--seed", "5",
                 "--format", "json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert main(["sensitivity", str(tiny_case), "--decision", "pick", "--samples", "3000", "--seed", "5",
                 "--format", "json"]) == 0
    second = json.loads(capsys.readouterr().out)
    first["smaa"].pop("seconds", None), second["smaa"].pop("seconds", None)
    assert first == second
    acc = first["smaa"]["acceptability"]
    assert np.allclose(np.sum(list(acc.values()), axis=0), 1) and np.allclose([sum(v) for v in acc.values()], 1)
    assert main(["sensitivity", str(tiny_case), "--decision", "pick", "--samples", "500", "--method", "topsis",
                 "--weights", "profiles", "--mixture", "alpha=1,beta=3", "--spread", "0.1", "--format", "json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["stability"] is None and d["smaa"]["weight_model"]["profiles"] == {"alpha": 0.25, "beta": 0.75}


@pytest.mark.parametrize(
    "extra, text",
    [
        (["--samples", "0"], "--samples"),
        (["--samples", "many"], "--samples"),
        (["--seed", "1.5"], "--seed"),
        (["--weights", "bounds", "--spread", "1.2"], "--spread"),
        (["--weights", "profiles", "--mixture", "alpha,gamma"], "unknown group 'gamma'"),
        (["--method", "electre1"], "does not support"),
    ],
)
def test_cli_bad_input(tiny_case, capsys, extra, text):
    assert main(["sensitivity", str(tiny_case), "--decision", "pick", *extra]) == 2
    err = capsys.readouterr().err
    assert text in err and "Traceback" not in err
    assert err.count("error:") == 1


@pytest.mark.skipif(not (EXAMPLE_CASE / "case.yaml").exists(), reason="example case not present")
def test_example_case_end_to_end():
    case = load_case(EXAMPLE_CASE)
    for decision in case.decisions.values():
        r = smaa(decision, "wsm", samples=4000, seed=1)
        np.testing.assert_allclose(r.acceptability.sum(axis=0), 1)
        np.testing.assert_allclose(r.acceptability.sum(axis=1), 1)
        assert sen.stability_intervals(decision).shape[0] == len(decision.criteria)
        sen.what_would_it_take(decision, "topsis")
        for method in ("wsm", "wpm", "topsis", "promethee2"):
            # fixed weights and likely scores: SMAA's ranking is the ranking engine's (value functions included)
            fixed = smaa(decision, method, samples=10, seed=0, weight_model="fixed", score_uncertainty=False)
            ranks = rank(decision, method).table["rank"]
            winners = set(ranks.index[ranks == 1])
            assert set(fixed.acceptability.index[fixed.acceptability[1] > 0]) == winners
