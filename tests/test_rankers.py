"""The vectorised rankers (VIKOR, ELECTRE I and II, MULTIMOORA) and SPOTIS's kernel give scikit-criteria's
results: scikit-criteria's own pipelines (procurement.mcda.methods) are the oracle, on random small
problems with frequent ties and threshold cases (property-based), and on the example case for every profile.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from procurement.mcda import fastrank
from procurement.mcda.methods import METHODS, get_method
from procurement.mcda.ranking import decision_matrix

RANKERS = ["vikor", "electre1", "electre2", "multimoora"]
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def problems(draw, max_value: int = 4, max_sets: int = 4, max_n: int = 5):
    """Small integer matrices (ties and threshold cases are frequent), objectives and several integer weight sets."""
    m = draw(st.integers(2, 6))
    n = draw(st.integers(1, max_n))
    x = np.array(draw(st.lists(st.integers(0, max_value), min_size=m * n, max_size=m * n)), dtype=float).reshape(m, n)
    obj = np.array(draw(st.lists(st.sampled_from([-1, 1]), min_size=n, max_size=n)))
    k = draw(st.integers(1, max_sets))
    w = np.array(draw(st.lists(st.integers(0, 5), min_size=k * n, max_size=k * n)), dtype=float).reshape(k, n)
    assume(np.all(w.sum(axis=1) > 0))
    return x, obj, w


def pipeline(method: str, x, obj, w, context=None, extra: bool = False):
    """Score and rank of the method's scikit-criteria pipeline (the score as procurement.mcda.ranking reads it), and
    with `extra` its result's ``e_`` (the sub-scores of MULTIMOORA)."""
    m, n = x.shape
    cols = [f"c{j}" for j in range(n)]
    mat = pd.DataFrame(x, index=[f"o{i}" for i in range(m)], columns=cols)
    dm = decision_matrix(mat, pd.Series(obj, index=cols), pd.Series(w, index=cols))
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        res = get_method(method).pipeline(**(context or {})).evaluate(dm)
    if get_method(method).kind == "kernel":
        kernel = np.asarray(res.kernel_, dtype=bool)
        return kernel.astype(float), np.where(kernel, 1, 2)
    e = res.e_
    score = e["q_k"] if "q_k" in e else e["score"]
    if extra:
        return np.asarray(score, dtype=float), np.asarray(res.rank_, dtype=int), e
    return np.asarray(score, dtype=float), np.asarray(res.rank_, dtype=int)


def rounding_splits_a_tie(scores) -> bool:
    """Two scores that differ, but by no more than rounding (the tie rule's 1e-10 of the largest): scikit-criteria
    ranks them apart, the workbench's tie rule (procurement.mcda.ties) as equal."""
    s = np.sort(np.asarray(scores, dtype=float))
    gaps = np.diff(s)
    return bool(np.any((gaps > 0) & (gaps <= 1e-10 * max(1.0, float(np.max(np.abs(s)))))))


def multimoora_tie_split(x, obj, wk) -> bool:
    """Whether scikit-criteria's MULTIMOORA splits a tie of one of its three sub-scores by rounding."""
    e = pipeline("multimoora", x, obj, wk, extra=True)[2]
    return any(rounding_splits_a_tie(e[k]) for k in ("ratio_score", "refpoint_score", "fmf_score"))


def check(method, x, obj, w):
    meth = get_method(method)
    if method == "multimoora":
        w = w + 1  # every weight positive (the full multiplicative form takes logarithms)
    assume(all(meth.why_not(x, obj, wk) is None for wk in w))
    if method == "multimoora":  # where rounding splits a tie the oracle is the hand computation below, not the library
        assume(not any(multimoora_tie_split(x, obj, wk) for wk in w))
    scores, ranks = meth.ranker.rank(x, obj, w, {})
    assert scores.shape == ranks.shape == (len(x), len(w))
    for k, wk in enumerate(w):
        sk_score, sk_rank = pipeline(method, x, obj, wk)
        np.testing.assert_array_equal(ranks[:, k], sk_rank)
        np.testing.assert_allclose(scores[:, k], sk_score, rtol=0, atol=0)


@pytest.mark.parametrize("method", RANKERS)
@SETTINGS
@given(problem=problems())
def test_ranker_equals_the_scikit_criteria_pipeline(method, problem):
    check(method, *problem)


def test_multimoora_keeps_a_tie_that_rounding_splits():
    """Five options, two criteria to maximise, weights 2:1 (found by hypothesis). After adding 1 to the columns
    holding a zero and vector scaling (both columns have norm √19), by hand, up to the common factor 1/(3√19):
    ratio system 2y₀ + y₁ = 3, 5, 6, 8, 5 → ranks 4 3 2 1 3; reference point max(2(3 − y₀), 3 − y₁) = 4, 2, 2, 1, 4
    → ranks 3 2 2 1 3 (options 1 and 2 tie exactly; scikit-criteria's scores differ in the last digit and split
    them); full multiplicative form ∝ y₀y₁ = 1, 2, 4, 6, 3 → ranks 5 4 2 1 3. Dominance points over the pairs
    that no sub-ranking ties: 0, 1, 2, 4, 0, so the ranks are 4, 3, 2, 1, 4."""
    x = np.array([[0.0, 0], [1, 0], [1, 1], [2, 1], [0, 2]])
    scores, ranks = get_method("multimoora").ranker.rank(x, np.array([1, 1]), np.array([[2.0, 1.0]]), {})
    assert scores[:, 0].tolist() == [0, 1, 2, 4, 0]
    assert ranks[:, 0].tolist() == [4, 3, 2, 1, 4]
    assert multimoora_tie_split(x, np.array([1, 1]), np.array([2.0, 1.0]))  # the library splits it


@pytest.mark.parametrize("method", RANKERS)
@settings(max_examples=60, deadline=None)
@given(problem=problems(max_value=9, max_sets=2, max_n=14), scale=st.sampled_from([0.1, 3.7, 1000.0]))
def test_ranker_on_non_integer_scales(method, problem, scale):
    """Non-integer values and up to 14 criteria (numpy sums eight terms and more in another order)."""
    x, obj, w = problem
    check(method, x * scale + 0.25, obj, w)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=problems(), data=st.data())
def test_spotis_kernel_matches_scikit_criteria(problem, data):
    """SPOTIS's score is linear in the weights: a kernel; with bounds from the criteria file or from the matrix."""
    x, obj, w = problem
    given_bounds = data.draw(st.booleans())
    if given_bounds:
        bounds = np.column_stack([x.min(axis=0) - data.draw(st.integers(0, 3)), x.max(axis=0) + data.draw(st.integers(1, 3))])
    else:
        assume(np.all(x.max(axis=0) > x.min(axis=0)))  # scikit-criteria divides by a zero range otherwise
        bounds = None
    context = {"bounds": bounds}
    for wk in w:
        sk_score, sk_rank = pipeline("spotis", x, obj, wk, context)
        score, rank = _spotis(x, obj, wk, bounds)
        np.testing.assert_allclose(score, sk_score, rtol=1e-12, atol=1e-12)
        np.testing.assert_array_equal(rank, fastrank.rank_scores(-sk_score))
        if not _split_by_rounding(sk_score):
            np.testing.assert_array_equal(rank, sk_rank)


def _spotis(x, obj, w, bounds):
    """SPOTIS's own score (lower is better: minus the kernel's) and its rank."""
    s = -fastrank.scores("spotis", x, obj, w, context={"bounds": bounds})[0]
    return s, fastrank.rank_scores(-s)


def _split_by_rounding(score):
    d = np.abs(score[:, None] - score[None, :])
    return bool(np.any((d > 0) & (d <= fastrank.RTOL * max(1.0, np.abs(score).max()))))


def test_every_method_ranks_without_its_pipeline():
    """Each registry method has a kernel or a ranker, so ranking never builds a scikit-criteria pipeline."""
    assert all((m.kernel is None) != (m.ranker is None) for m in METHODS.values())


def test_example_case_profiles_equal_the_pipelines():
    """Every profile of the example case's three decisions, by every ranker, equals scikit-criteria's pipeline."""
    from procurement import load_case
    from procurement.mcda.ranking import prepare

    case = load_case(Path(__file__).resolve().parents[1] / "data" / "national-municipal-solution")
    for decision in case.decisions.values():
        prep = prepare(decision)
        x, obj = prep.arrays
        ws = np.array([decision.profiles[g].loc[prep.matrix.columns].to_numpy(dtype=float) for g in decision.profiles])
        for method in RANKERS:
            meth = get_method(method)
            ok = [wk for wk in ws if meth.why_not(x, obj, wk) is None]
            if not ok:
                continue
            scores, ranks = meth.ranker.rank(x, obj, np.array(ok), {})
            for k, wk in enumerate(ok):
                sk_score, sk_rank = pipeline(method, x, obj, wk)
                np.testing.assert_array_equal(ranks[:, k], sk_rank)
                np.testing.assert_allclose(scores[:, k], sk_score, rtol=0, atol=0)
