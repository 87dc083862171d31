"""The vectorised core gives scikit-criteria's ranking, ties included (property-based)."""

from __future__ import annotations

import warnings
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from procurement.mcda import fastrank
from procurement.mcda.methods import get_method
from procurement.mcda.ranking import decision_matrix

METHODS = ["wsm", "wpm", "topsis"]
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
    score = res.e_["similarity"] if method == "topsis" else res.e_["score"]
    return np.atleast_1d(np.asarray(score, dtype=float)), np.atleast_1d(np.asarray(res.rank_, dtype=int))


def split_by_rounding(score: np.ndarray) -> bool:
    """True when two scores differ by rounding noise only (a mathematical tie split by floating point)."""
    d = np.abs(score[:, None] - score[None, :])
    return bool(np.any((d > 0) & (d <= fastrank.RTOL * max(1.0, np.abs(score).max()))))


def check_against_skcriteria(method, x, obj, w):
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
    x2 = np.vstack([x, x[:1]])
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
    x = rng.integers(0, 4, (count, m, n)).astype(float) + (1.0 if method == "wpm" else 0.0)
    w = rng.integers(0, 4, (count, n)).astype(float)
    w[w.sum(axis=1) == 0, 0] = 1
    obj = rng.choice([-1, 1], n)
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


@st.composite
def preference_specs(draw, n):
    specs = []
    for _ in range(n):
        f = draw(st.sampled_from(["usual", "u-shape", "v-shape", "level", "linear", "gaussian"]))
        q = float(draw(st.integers(0, 2)))
        p = q + float(draw(st.integers(1 if f == "level" else 0, 2)))
        s = float(draw(st.integers(1, 3)))
        specs.append((f, q, p, s))
    return specs


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_promethee2_matches_pipeline(data):
    x, obj, w = data.draw(problems())
    specs = data.draw(preference_specs(x.shape[1]))
    m, n = x.shape
    cols = [f"c{j}" for j in range(n)]
    mat = pd.DataFrame(x, index=[f"o{i}" for i in range(m)], columns=cols)
    dm = decision_matrix(mat, pd.Series(obj, index=cols), pd.Series(w, index=cols))
    res = get_method("promethee2").pipeline(preferences=specs).evaluate(dm)
    sk_score = np.atleast_1d(np.asarray(res.e_["net_flow"], dtype=float))
    sk_rank = np.atleast_1d(np.asarray(res.rank_, dtype=int))
    score, rank = fastrank.evaluate_one("promethee2", x, obj, w, preferences=specs)
    np.testing.assert_allclose(score, sk_score, rtol=1e-9, atol=1e-12)
    expected = fastrank.rank_scores(sk_score) if split_by_rounding(sk_score) else sk_rank
    np.testing.assert_array_equal(rank, expected)
