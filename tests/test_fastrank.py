"""The vectorised core gives scikit-criteria's ranking, ties included (property-based).

Each kernel is checked against its method's scikit-criteria pipeline (scikit-criteria does the
arithmetic there), except PROMETHEE II, whose pipeline is ours: its kernel is checked against
pymcdm's PROMETHEE II, a hand computation of the Gaussian criterion and the published example of
Brans, Vincke & Mareschal (1986).
"""

from __future__ import annotations

import math
import warnings
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pymcdm.methods import PROMETHEE_II

from procurement.mcda import fastrank
from procurement.mcda.methods import get_method
from procurement.mcda.ranking import decision_matrix

METHODS = ["wsm", "wsm-sum", "wpm", "topsis", "copras", "waspas"]
POSITIVE_ON_MINIMISED = ("wsm-sum", "copras")  # they divide by the scores of criteria to minimise
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def problems(draw, max_value: int = 4):
    """Small integer matrices (ties are frequent), objectives and integer weights."""
    m = draw(st.integers(1, 6))
    n = draw(st.integers(1, 5))
    x = np.array(draw(st.lists(st.integers(0, max_value), min_size=m * n, max_size=m * n)), dtype=float).reshape(m, n)
    obj = np.array(draw(st.lists(st.sampled_from([-1, 1]), min_size=n, max_size=n)))
    w = np.array(draw(st.lists(st.integers(0, 5), min_size=n, max_size=n)), dtype=float)
    assume(w.sum() > 0)
    return x, obj, w


def skcriteria_result(method, x, obj, w):
    """Score and rank_ of the method's scikit-criteria pipeline (procurement.mcda.methods)."""
    m, n = x.shape
    cols = [f"c{j}" for j in range(n)]
    mat = pd.DataFrame(x, index=[f"o{i}" for i in range(m)], columns=cols)
    dm = decision_matrix(mat, pd.Series(obj, index=cols), pd.Series(w, index=cols))
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        res = get_method(method).pipeline().evaluate(dm)
    score = res.e_["similarity"] if "similarity" in res.e_ else res.e_["score"]
    return np.atleast_1d(np.asarray(score, dtype=float)), np.atleast_1d(np.asarray(res.rank_, dtype=int))


def split_by_rounding(score: np.ndarray) -> bool:
    """True when two scores differ by rounding noise only (a mathematical tie split by floating point)."""
    d = np.abs(score[:, None] - score[None, :])
    return bool(np.any((d > 0) & (d <= fastrank.RTOL * max(1.0, np.abs(score).max()))))


def check_against_skcriteria(method, x, obj, w):
    if method in POSITIVE_ON_MINIMISED:
        x = x + (obj == -1)
    assume(get_method(method).why_not(x, obj, w) is None)
    if method == "topsis":
        # scikit-criteria divides 0/0 for an all-zero criterion or when every option is identical
        y = np.where(obj == -1, -x, x)
        assume(np.all(np.any(y != 0, axis=0)))
        assume(len(x) > 1 and np.any(x != x[0]))
    try:
        sk_score, sk_rank = skcriteria_result(method, x, obj, w)
    except ValueError:  # scikit-criteria cannot rank it (TOPSIS 0/0 when every weighted criterion is constant)
        assume(False)
    assume(np.all(np.isfinite(sk_score)))
    score, rank = fastrank.evaluate_one(method, x, obj, w)
    np.testing.assert_allclose(score, sk_score, rtol=1e-9, atol=1e-12)
    if split_by_rounding(sk_score):
        # scikit-criteria ranks by exact float equality, so rounding noise can split a true tie;
        # compare with its scores' ranking with rounding-level differences counted as ties
        np.testing.assert_array_equal(rank, fastrank.rank_scores(sk_score))
    else:
        np.testing.assert_array_equal(rank, sk_rank)


@pytest.mark.parametrize("method", METHODS)
@SETTINGS
@given(problem=problems())
def test_single_sample_matches_scikit_criteria(method, problem):
    check_against_skcriteria(method, *problem)


@pytest.mark.parametrize("method", METHODS)
@settings(max_examples=60, deadline=None)
@given(problem=problems(max_value=2))
def test_identical_options_tie(method, problem):
    """Duplicated options always share a rank, as in scikit-criteria."""
    x, obj, w = problem
    x2 = np.vstack([x, x[:1]]) + (1.0 if method in POSITIVE_ON_MINIMISED else 0.0)
    check_against_skcriteria(method, x2, obj, w)
    _, rank = fastrank.evaluate_one(method, x2, obj, w)
    assert rank[0] == rank[-1]


@settings(max_examples=150, deadline=None)
@given(problem=problems())
def test_weighted_sum_ties_are_exact(problem):
    """Ranks equal those of exact rational arithmetic: every tie found is a real tie and none is missed."""
    x, obj, w = problem
    m, n = x.shape
    xs = [[Fraction(int(v)) for v in row] for row in x]
    ws = [Fraction(int(v)) for v in w]
    total = sum(ws)
    scores = []
    for i in range(m):
        s = Fraction(0)
        for j in range(n):
            col = [xs[k][j] for k in range(m)]
            lo, hi = min(col), max(col)
            if hi == lo:
                v = Fraction(0)
            elif obj[j] == 1:
                v = (xs[i][j] - lo) / (hi - lo)
            else:
                v = (hi - xs[i][j]) / (hi - lo)
            s += v * ws[j] / total
        scores.append(s)
    distinct = sorted(set(scores), reverse=True)
    exact = np.array([distinct.index(s) + 1 for s in scores])
    _, rank = fastrank.evaluate_one("wsm", x, obj, w)
    np.testing.assert_array_equal(rank, exact)


@pytest.mark.parametrize("method", METHODS)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_batch_equals_one_at_a_time(method, data):
    m = data.draw(st.integers(2, 5))
    n = data.draw(st.integers(1, 4))
    count = data.draw(st.integers(1, 6))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    x = rng.integers(0, 4, (count, m, n)).astype(float) + (1.0 if method in ("wpm", *POSITIVE_ON_MINIMISED) else 0.0)
    w = rng.integers(0, 4, (count, n)).astype(float)
    w[w.sum(axis=1) == 0, 0] = 1
    obj = rng.choice([-1, 1], n)
    if method == "copras":  # it needs a criterion to minimise, weighed
        obj[0] = -1
        w[:, 0] += 1
    s, r = fastrank.evaluate(method, x, obj, w)
    assert s.shape == r.shape == (count, m)
    for k in range(count):
        s1, r1 = fastrank.evaluate_one(method, x[k], obj, w[k])
        np.testing.assert_allclose(s[k], s1, rtol=1e-12, atol=1e-15)
        np.testing.assert_array_equal(r[k], r1)
    # one matrix shared by many weight vectors, and many matrices under one weight vector
    s2, r2 = fastrank.evaluate(method, x[0], obj, w)
    for k in range(count):
        np.testing.assert_array_equal(r2[k], fastrank.evaluate_one(method, x[0], obj, w[k])[1])
    s3, r3 = fastrank.evaluate(method, x, obj, w[0])
    for k in range(count):
        np.testing.assert_array_equal(r3[k], fastrank.evaluate_one(method, x[k], obj, w[0])[1])


@settings(max_examples=100, deadline=None)
@given(values=st.lists(st.integers(0, 3), min_size=1, max_size=8))
def test_tie_groups(values):
    s = np.array(values, dtype=float)
    dense, first, size = (a[0] for a in fastrank.tie_groups(s))
    from scipy.stats import rankdata

    np.testing.assert_array_equal(dense, rankdata(-s, "dense"))
    np.testing.assert_array_equal(first + 1, rankdata(-s, "min"))
    np.testing.assert_array_equal(size, [np.sum(s == v) for v in s])


@pytest.mark.parametrize("method", METHODS)
def test_cross_weights_match(method):
    rng = np.random.default_rng(4)
    x = rng.uniform(1, 9, (7, 5, 3))  # (m, n, B) layout
    obj = np.array([1, -1, 1, 1, -1])
    wk = rng.dirichlet(np.ones(5), 4)
    prep = fastrank.prepare_t(method, x, obj)
    cross = fastrank.aggregate_cross_t(method, prep, wk)
    for k in range(4):
        direct = fastrank.aggregate_t(method, prep, np.repeat(wk[k][:, None], 3, axis=1))
        np.testing.assert_allclose(cross[:, k, :], direct, rtol=1e-12)
        ranked = fastrank.aggregate_cross_t(method, prep, wk, rank_only=True)[:, k, :]
        np.testing.assert_array_equal(fastrank.tie_groups_t(ranked)[0], fastrank.tie_groups_t(direct)[0])


def test_bad_inputs():
    with pytest.raises(ValueError, match="objectives"):
        fastrank.scores("wsm", np.ones((2, 2)), [1], [1, 1])
    with pytest.raises(ValueError, match="weights"):
        fastrank.scores("wsm", np.ones((2, 2)), [1, 1], [-1, 2])
    with pytest.raises(ValueError, match="positive"):
        fastrank.scores("wsm", np.ones((2, 2)), [1, 1], [0, 0])
    with pytest.raises(ValueError, match="does not support"):
        fastrank.scores("electre1", np.ones((2, 2)), [1, 1], [1, 1])
    with pytest.raises(ValueError, match="weighted product"):
        fastrank.scores("wpm", -np.ones((2, 2)), [1, 1], [1, 1])


PYMCDM_NAME = {"usual": "usual", "u-shape": "ushape", "v-shape": "vshape", "level": "level", "linear": "vshape_2"}


def gaussian_flows_by_hand(col: np.ndarray, s: float) -> np.ndarray:
    """φ_j of one maximised criterion under the Gaussian criterion, from the definition, option by option."""
    m = len(col)
    flows = []
    for a in range(m):
        out = sum(1 - math.exp(-((col[a] - col[b]) ** 2) / (2 * s * s)) for b in range(m) if col[a] > col[b])
        into = sum(1 - math.exp(-((col[b] - col[a]) ** 2) / (2 * s * s)) for b in range(m) if col[b] > col[a])
        flows.append((out - into) / (m - 1))
    return np.array(flows)


def reference_net_flow(x: np.ndarray, obj: np.ndarray, w: np.ndarray, specs) -> np.ndarray:
    """PROMETHEE II's net flow from pymcdm, one criterion at a time (the flow is Σ_j w_j φ_j, and pymcdm
    takes one preference function for all criteria); the Gaussian criterion, which pymcdm lacks, by hand."""
    total = np.zeros(len(x))
    for j, (f, q, p, s) in enumerate(specs):
        col = x[:, j:j + 1]
        if f == "gaussian":
            phi = gaussian_flows_by_hand(col[:, 0] * obj[j], s)
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                phi = PROMETHEE_II(PYMCDM_NAME[f], p=np.array([p]), q=np.array([q]))(col, np.ones(1), np.array([obj[j]]))
        total += w[j] / w.sum() * np.asarray(phi, dtype=float)
    return total


@st.composite
def pymcdm_specs(draw, n):
    """Preference functions pymcdm can compute (v-shape and linear with p above q, level with q < p)."""
    specs = []
    for _ in range(n):
        f = draw(st.sampled_from(["usual", "u-shape", "v-shape", "level", "linear", "gaussian"]))
        q = float(draw(st.integers(0, 2)))
        p = q + float(draw(st.integers(1, 2)))
        specs.append((f, q, p, float(draw(st.integers(1, 3)))))
    return specs


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_promethee2_kernel_matches_pymcdm(data):
    x, obj, w = data.draw(problems())
    assume(len(x) > 1)
    specs = data.draw(pymcdm_specs(x.shape[1]))
    ref = reference_net_flow(x, obj, w, specs)
    score, rank = fastrank.evaluate_one("promethee2", x, obj, w, preferences=specs)
    np.testing.assert_allclose(score, ref, rtol=1e-9, atol=1e-12)
    # ranks: the reference's scores ranked densely, differences below 1e-9 (rounding) counted as ties
    levels: list[float] = []
    for v in sorted(ref, reverse=True):
        if not levels or levels[-1] - v > 1e-9:
            levels.append(v)
    np.testing.assert_array_equal(rank, [1 + sum(lv - v > 1e-9 for lv in levels) for v in ref])


def test_promethee2_kernel_on_the_published_six_project_example():
    """Brans, Vincke & Mareschal (1986), EJOR 24(2), 228-238 (the data and thresholds as in
    tests/test_promethee.py): the net flows Σ_b π(a, b) − Σ_b π(b, a) the paper tabulates, and its ranking."""
    g = np.array([
        [80, 90, 60, 5.4, 8, 5],
        [65, 58, 20, 9.7, 1, 1],
        [83, 60, 40, 7.2, 4, 7],
        [40, 80, 100, 7.5, 7, 10],
        [52, 72, 60, 2.0, 3, 8],
        [94, 96, 70, 3.6, 5, 6],
    ])
    objectives = np.array([-1, 1, -1, -1, -1, 1])
    specs = [("u-shape", 10, 0, 0), ("v-shape", 0, 30, 0), ("linear", 5, 50, 0), ("level", 1, 6, 0), ("usual", 0, 0, 0),
             ("gaussian", 0, 0, 5)]
    plus = np.array([1.099, 1.980, 1.234, 1.644, 2.274, 1.500])
    minus = np.array([1.827, 1.895, 1.681, 1.746, 0.808, 1.774])
    score, rank = fastrank.evaluate_one("promethee2", g, objectives, np.ones(6), preferences=specs)
    np.testing.assert_allclose(score * 5, plus - minus, atol=0.01)
    assert list(np.argsort(rank)) == [4, 1, 3, 5, 2, 0]
