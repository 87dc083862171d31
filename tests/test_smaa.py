"""SMAA-2: samplers, statistics against analytic answers, reproducibility, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from procurement.uncertainty import smaa as S
from procurement.case.errors import InputError
from procurement.case.loader import load_case

from conftest import CRITERIA, write_case

# three options, two criteria to maximise. After min–max scaling: A = (1, 0.4), B = (0, 1), C = (0, 0).
# With weights (w, 1 − w): A scores w + 0.4(1 − w), B scores 1 − w, so A wins iff w > 0.375.
ABC = np.array([[1.0, 0.4], [0.0, 1.0], [0.0, 0.0]])
OBJ = np.array([1, 1])
T = 0.375


def within(value, expected, se, k=3.0, floor=1e-12):
    assert abs(value - expected) <= k * max(se, floor), (value, expected, se)


def run(ws, samples=40_000, seed=1, scores=None, method="wsm", **kw):
    return S.run_smaa(method, OBJ, ws, scores or S.FixedScores(ABC), samples, seed, **kw)


def test_uniform_weights_analytic():
    r = run(S.UniformWeights(2))
    a, se = r.acceptability, r.acceptability_se
    within(a[0, 0], 1 - T, se[0, 0])  # P(w1 > 0.375) with w1 ~ U(0, 1)
    within(a[1, 0], T, se[1, 0])
    within(a[0, 1], T, se[0, 1])
    assert a[2, 2] == 1.0 and a[2, 0] == 0.0
    # central weights: E[w1 | w1 > t] = (1 + t)/2 and E[w1 | w1 < t] = t/2
    within(r.central_weights[0, 0], (1 + T) / 2, r.central_weights_se[0, 0])
    within(r.central_weights[1, 0], T / 2, r.central_weights_se[1, 0])
    assert np.isnan(r.central_weights[2]).all() and np.isnan(r.confidence[2])
    # scores are fixed: with its central weights each winner always wins
    assert r.confidence[0] == 1.0 and r.confidence[1] == 1.0
    # winning indices
    within(r.winning[0, 1], 1 - T, r.winning_se[0, 1])
    assert r.winning[0, 2] == 1.0 and r.winning[2, 0] == 0.0


def test_two_options_two_criteria():
    """The issue's example: the winning probability is the length of a weight interval."""
    x = np.array([[3.0, 1.0], [1.0, 2.0]])  # scaled: A = (1, 0), B = (0, 1): A wins iff w1 > 1/2
    r = S.run_smaa("wsm", OBJ, S.UniformWeights(2), S.FixedScores(x), 20_000, 7)
    within(r.acceptability[0, 0], 0.5, r.acceptability_se[0, 0])
    # TOPSIS on two options: with d_j the gap between the options on vector-normalised criterion j,
    # A's closeness is w1·d1/(w1·d1 + w2·d2), so A wins iff w1 > d2/(d1 + d2)
    v = x / np.linalg.norm(x, axis=0)
    d1, d2 = np.abs(v[0] - v[1])
    r = S.run_smaa("topsis", OBJ, S.UniformWeights(2), S.FixedScores(x), 20_000, 7)
    within(r.acceptability[0, 0], 1 - d2 / (d1 + d2), r.acceptability_se[0, 0])


def test_order_only_weights():
    # criterion 2 at least as important as criterion 1: w1 ~ U(0, 1/2), A wins iff w1 > 0.375
    r = run(S.OrderedWeights([2, 1]))
    within(r.acceptability[0, 0], (0.5 - T) / 0.5, r.acceptability_se[0, 0])


def test_order_weights_respect_order_and_ties():
    rng = np.random.default_rng(0)
    w = S.OrderedWeights([1, 2, 2, 3]).draw(rng, 5000)
    assert np.all(w[0] >= w[1]) and np.all(w[0] >= w[2]) and np.all(w[1] >= w[3]) and np.all(w[2] >= w[3])
    assert 0.4 < np.mean(w[1] > w[2]) < 0.6  # tied criteria take either slot
    np.testing.assert_allclose(w.sum(axis=0), 1)


def test_bounded_weights_analytic():
    # w1, w2 ~ U(0.25, 0.75) each, renormalised: A wins iff w1/(w1 + w2) > t, i.e. w1 > t/(1 − t)·w2
    r = run(S.BoundedWeights.around([0.5, 0.5], 0.5), samples=40_000)
    g = np.linspace(0.25, 0.75, 2001)
    w1, w2 = np.meshgrid(g, g)
    expected = np.mean(w1 > T / (1 - T) * w2)
    within(r.acceptability[0, 0], expected, r.acceptability_se[0, 0], floor=1e-3)
    rng = np.random.default_rng(0)
    draws = S.BoundedWeights.around([0.2, 0.3, 0.5], 0.2).draw(rng, 1000)
    np.testing.assert_allclose(draws.sum(axis=0), 1)


def test_profile_mixture():
    profiles = np.array([[0.9, 0.1], [0.1, 0.9]])  # A wins under the first, B under the second
    r = run(S.ProfileMixture(profiles, [0.3, 0.7], ["x", "y"]))
    within(r.acceptability[0, 0], 0.3, r.acceptability_se[0, 0])
    within(r.acceptability[1, 0], 0.7, r.acceptability_se[1, 0])
    np.testing.assert_allclose(r.central_weights[0], [0.9, 0.1])


def test_rows_and_columns_sum_to_one_with_ties():
    rng = np.random.default_rng(3)
    likely = rng.uniform(2, 8, (6, 4))
    likely[5] = likely[4]  # two identical options: always tied
    low, high = likely - 1, likely + 1
    low[5], high[5] = low[4], high[4]
    for method in ("wsm", "wpm", "topsis", "promethee2"):
        for scores in (S.FixedScores(likely), S.ThreePointScores(low, likely, high)):
            r = S.run_smaa(method, np.array([1, -1, 1, 1]), S.UniformWeights(4), scores, 7_000, 2)
            np.testing.assert_allclose(r.acceptability.sum(axis=0), 1, atol=1e-12)
            np.testing.assert_allclose(r.acceptability.sum(axis=1), 1, atol=1e-12)
            w = r.winning.copy()
            np.fill_diagonal(w, 0.5)
            np.testing.assert_allclose(w + w.T, 1, atol=1e-12)
    # fixed identical options share their positions
    r = S.run_smaa("wsm", np.array([1, -1, 1, 1]), S.FixedWeights([1, 1, 1, 1]), S.FixedScores(likely), 100, 0)
    np.testing.assert_allclose(r.acceptability[4], r.acceptability[5])
    assert r.winning[4, 5] == 0.5


def test_confidence_factor_against_brute_force():
    rng = np.random.default_rng(5)
    likely = rng.uniform(3, 7, (4, 3))
    scores = S.ThreePointScores(likely - 2, likely, likely + 2)
    obj = np.array([1, 1, -1])
    r = S.run_smaa("wsm", obj, S.UniformWeights(3), scores, 5_000, 11)
    from procurement.mcda import fastrank

    for i in np.flatnonzero(~np.isnan(r.confidence)):
        hits = 0.0
        for k, size in enumerate(S._block_sizes(5_000)):
            _, rng_s = S._rngs(11, k)
            x = np.moveaxis(scores.draw(rng_s, size), -1, 0)
            _, ranks = fastrank.evaluate("wsm", x, obj, r.central_weights[i])
            hits += np.sum(ranks[:, i] == 1)
        assert r.confidence[i] == pytest.approx(hits / 5_000, abs=1e-12)


def test_same_seed_same_numbers_and_threads():
    rng = np.random.default_rng(8)
    likely = rng.uniform(2, 8, (5, 4))
    scores = S.ThreePointScores(likely - 1, likely, likely + 1.5)
    obj = np.array([1, -1, 1, 1])
    a = S.run_smaa("topsis", obj, S.UniformWeights(4), scores, 12_345, 42, threads=1)
    b = S.run_smaa("topsis", obj, S.UniformWeights(4), scores, 12_345, 42, threads=2)
    c = S.run_smaa("topsis", obj, S.UniformWeights(4), scores, 12_345, 43)
    for name in ("acceptability", "central_weights", "confidence", "winning"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert not np.array_equal(a.acceptability, c.acceptability)


def test_triangular_and_pert_samplers():
    low, likely, high = np.array([[1.0, 5.0]]), np.array([[2.0, 5.0]]), np.array([[6.0, 5.0]])
    rng = np.random.default_rng(0)
    x = S.ThreePointScores(low, likely, high).draw(rng, 50_000)
    assert np.all(x[0, 1] == 5.0)  # a certain score stays certain
    tri = stats.triang(c=(2 - 1) / 5, loc=1, scale=5)
    assert stats.kstest(x[0, 0], tri.cdf).pvalue > 0.001
    assert x[0, 0].mean() == pytest.approx((1 + 2 + 6) / 3, abs=0.03)
    y = S.ThreePointScores(low, likely, high, "pert").draw(rng, 50_000)
    assert y[0, 0].mean() == pytest.approx((1 + 4 * 2 + 6) / 6, abs=0.03)
    assert y.min() >= 1 and y.max() <= 6


def test_one_option_and_one_criterion_are_trivial():
    r = S.run_smaa("wsm", np.array([1, 1]), S.UniformWeights(2), S.FixedScores(np.array([[3.0, 4.0]])), 1000, 0)
    assert r.acceptability.tolist() == [[1.0]] and r.confidence[0] == 1.0
    x = np.array([[1.0], [3.0], [2.0]])
    for method in ("wsm", "wpm", "topsis"):
        r = S.run_smaa(method, np.array([1]), S.UniformWeights(1), S.FixedScores(x), 1000, 0)
        np.testing.assert_array_equal(r.acceptability, [[0, 0, 1], [1, 0, 0], [0, 1, 0]])
        np.testing.assert_allclose(r.central_weights[1], [1.0])


# --- on a decision -----------------------------------------------------------


@pytest.fixture
def pick(tiny_case):
    return load_case(tiny_case).decision("pick")


def test_smaa_on_decision(pick):
    r = S.smaa(pick, "wsm", samples=5000, seed=3, weight_model="uniform")
    assert list(r.acceptability.index) == ["a", "b", "c"]
    np.testing.assert_allclose(r.acceptability.sum(axis=1), 1)
    np.testing.assert_allclose(r.acceptability.sum(axis=0), 1)
    d = r.to_dict()
    assert set(d["acceptability"]) == {"a", "b", "c"} and len(d["acceptability"]["a"]) == 3
    assert d["weight_model"] == {"model": "uniform"} and d["score_model"]["distribution"] == "triangular"
    import json

    json.dumps(d)
    again = S.smaa(pick, "wsm", samples=5000, seed=3, weight_model="uniform")
    assert again.to_dict()["acceptability"] == d["acceptability"]
    summary = S.smaa_summary(pick, "topsis", samples=2000, seed=1, weight_model="profiles")
    assert list(summary.columns[:2]) == ["first", "first_se"]
    summary = S.smaa_summary(pick, "promethee2", samples=2000, seed=1, weight_model="fixed", score_uncertainty=False)
    from procurement.mcda.ranking import rank

    assert summary.index[0] == rank(pick, "promethee2").winner
    assert list(summary.columns[:2]) == ["first", "first_se"]


def test_weight_models_on_decision(pick):
    for model, kw in [("bounds", {"spread": 0.3}), ("order", {}), ("profiles", {"mixture": {"alpha": 2, "beta": 1}}),
                      ("fixed", {}), ("bounds", {"bounds": {"legal": (0.1, 0.6)}})]:
        r = S.smaa(pick, "wsm", samples=2000, seed=1, weight_model=model, **kw)
        np.testing.assert_allclose(r.acceptability.sum(axis=0), 1)
    r = S.smaa(pick, "wsm", samples=2000, seed=1, weight_model="fixed", score_uncertainty=False)
    assert set(np.unique(r.acceptability.to_numpy())) <= {0.0, 1.0}


def test_screening_removes_options_first(tmp_path):
    rubric = "      rubric: {0: \"Illegal\", 10: \"Settled law\"}\n"
    crit = CRITERIA.replace(rubric, rubric + "    must_pass: {min: 7.5, rule: \"Legal enough\", citation: \"FOA § 1\"}\n", 1)
    case = write_case(tmp_path, criteria__pick_yaml=crit)
    d = load_case(case).decision("pick")
    r = S.smaa(d, "wsm", samples=1000, seed=0)
    assert list(r.acceptability.index) == ["b", "c"]
    assert r.excluded["option"].tolist() == ["a"]
    assert r.to_dict()["excluded"][0]["option"] == "a"


def test_one_option_decision(tmp_path):
    options = "decision,id,name_nb,name_en\npick,a,A,A\n"
    scores = "decision,option,criterion,low,likely,high,rationale,source\n" + "".join(
        f"pick,a,{c},1,2,3,x,y\n" for c in ("legal", "fit", "cost"))
    case = write_case(tmp_path, case__options_csv=options, case__scores_csv=scores)
    r = S.smaa(load_case(case).decision("pick"), "topsis", samples=500, seed=0)
    assert r.acceptability.to_numpy().tolist() == [[1.0]]
    assert r.confidence.iloc[0] == 1.0


@pytest.mark.parametrize(
    "kwargs, text",
    [
        ({"samples": 0}, "samples"),
        ({"samples": -5}, "samples"),
        ({"samples": 2.5}, "samples"),
        ({"seed": 1.5}, "seed"),
        ({"seed": "abc"}, "seed"),
        ({"seed": -1}, "seed"),
        ({"weight_model": "bounds", "spread": 1.5}, "spread"),
        ({"weight_model": "bounds", "bounds": {"legal": (-0.1, 0.5)}}, "bounds"),
        ({"weight_model": "bounds", "bounds": {"nope": (0.1, 0.5)}}, "unknown criterion"),
        ({"weight_model": "profiles", "mixture": ["alpha", "gamma"]}, "unknown group 'gamma'"),
        ({"weight_model": "whatever"}, "unknown weight model"),
        ({"method": "electre1"}, "does not support"),
        ({"method": "nope"}, "unknown method"),
        ({"distribution": "normal"}, "unknown distribution"),
    ],
)
def test_bad_input_is_one_clear_problem(pick, kwargs, text):
    kw = {"samples": 100, "seed": 0, **kwargs}
    with pytest.raises(InputError) as err:
        S.smaa(pick, **kw)
    assert len(err.value.problems) == 1
    assert text in str(err.value)


def test_a_direct_call_uses_the_scenarios_defaults(tiny_case):
    """smaa() with nothing but the decision gives the numbers of the analysis of a default scenario: the same
    method, samples, seed and uncertainty model, taken from one place (procurement.case.models)."""
    import procurement as pw
    from procurement.case.models import DEFAULT_SEED, Scenario

    case = pw.load_case(tiny_case)
    a = pw.Analysis(case, Scenario(name="plain", decision="pick"))
    direct = S.smaa(case.decision("pick"))
    via = a.smaa()
    assert (direct.method, direct.samples, direct.seed) == (a.method, a.scenario.samples, DEFAULT_SEED)
    assert direct.weight_model == via.weight_model and direct.weight_model["model"] == "bounds"
    assert direct.weight_model["spread"] == 0.2
    assert direct.to_dict() == via.to_dict()


def test_the_result_describes_what_it_assumed(pick):
    r = S.smaa(pick, "wsm", samples=1234, seed=7, spread=0.35)
    keys = [a.key for a in r.assumptions]
    assert keys == ["smaa.method", "smaa.samples", "mcda.weights.file", "smaa.weights", "smaa.scores", "mcda.screening"]
    en = " ".join(r.describe("en"))
    assert "1,234 draws with seed 7" in en and "±35%" in en and "triangular" in en
    nb = " ".join(r.describe("nb"))
    assert "1\u00a0234 trekninger med frø 7" in nb and "±35\u00a0%" in nb
    pert = S.smaa(pick, "wsm", samples=100, seed=1, weight_model="uniform", distribution="pert")
    assert [a.key for a in pert.assumptions][2:4] == ["smaa.weights.uniform", "smaa.scores.pert"]
