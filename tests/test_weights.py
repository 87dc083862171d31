"""Weights: rank-order centroid against the formula, rank sum, reciprocal, swing, the value tree
and objective weights against scikit-criteria's weighters."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import skcriteria as skc
from hypothesis import given
from hypothesis import strategies as st
from skcriteria.preprocessing.weighters import CRITIC

from procurement.case.models import CriteriaSet
from procurement.mcda.weights import (
    objective_weights,
    rank_order_centroid,
    rank_sum,
    reciprocal_rank,
    roc_weights,
    swing_weights,
    tree_weights,
    weights_from_ranks,
)


def test_roc_against_the_formula():
    # Barron & Barrett (1996): w_r = (1/n) Σ_{k=r..n} 1/k; n = 4 → 0.5208, 0.2708, 0.1458, 0.0625
    np.testing.assert_allclose(roc_weights(4), [25 / 48, 13 / 48, 7 / 48, 3 / 48])
    for n in range(1, 12):
        expected = [sum(1 / k for k in range(r, n + 1)) / n for r in range(1, n + 1)]
        np.testing.assert_allclose(roc_weights(n), expected)


@given(st.lists(st.integers(1, 6), min_size=1, max_size=10))
def test_rank_weights_sum_to_one_and_respect_the_order(ranks):
    s = pd.Series(ranks, index=[f"c{i}" for i in range(len(ranks))], dtype=float)
    for f in (rank_order_centroid, rank_sum, reciprocal_rank):
        w = f(s)
        assert w.sum() == pytest.approx(1.0)
        for a in s.index:
            for b in s.index:
                if s[a] < s[b]:
                    assert w[a] > w[b]
                if s[a] == s[b]:
                    assert w[a] == pytest.approx(w[b])


def test_rank_sum_and_reciprocal():
    s = pd.Series([1, 2, 3], index=list("abc"), dtype=float)
    np.testing.assert_allclose(rank_sum(s), [3 / 6, 2 / 6, 1 / 6])
    np.testing.assert_allclose(reciprocal_rank(s), np.array([1, 1 / 2, 1 / 3]) / (11 / 6))
    np.testing.assert_allclose(weights_from_ranks(s, "roc"), roc_weights(3))


def test_roc_ties_share_their_positions():
    w = rank_order_centroid(pd.Series([1, 2, 2, 3], index=list("abcd"), dtype=float))
    base = roc_weights(4)
    assert w["b"] == pytest.approx((base[1] + base[2]) / 2) == pytest.approx(w["c"])


def test_swing_weights():
    w = swing_weights(pd.Series({"cost": 100, "time": 50, "legal": 50}))
    np.testing.assert_allclose(w.to_numpy(), [0.5, 0.25, 0.25])
    with pytest.raises(ValueError, match="100 points"):
        swing_weights(pd.Series({"a": 80, "b": 20}))
    with pytest.raises(ValueError, match="0 to 100"):
        swing_weights(pd.Series({"a": 100, "b": 120}))


def _tree(group_weights):
    gw = group_weights
    return CriteriaSet.model_validate({
        "decision": "d", "title": {"nb": "D", "en": "D"},
        "groups": [
            {"id": "g1", "label": {"nb": "a", "en": "a"}, **({"weight": gw[0]} if gw else {})},
            {"id": "g2", "label": {"nb": "b", "en": "b"}, **({"weight": gw[1]} if gw else {})},
            {"id": "g21", "label": {"nb": "c", "en": "c"}, "parent": "g2", **({"weight": gw[2]} if gw else {})},
        ],
        "criteria": [
            {"id": c, "label": {"nb": c, "en": c}, "direction": "max", "group": g, "weight": w,
             "scale": {"kind": "ordinal", "min": 0, "max": 10, "rubric": {0: "x", 10: "y"}}}
            for c, g, w in [("a", "g1", 1), ("b", "g1", 3), ("c", "g21", 2)]
        ],
    })


def test_tree_weights_multiply_down():
    flat = tree_weights(_tree(None))
    np.testing.assert_allclose(flat.to_numpy(), [1 / 6, 3 / 6, 2 / 6])
    w = tree_weights(_tree([60, 40, 1]))
    np.testing.assert_allclose(w.to_numpy(), [0.6 * 0.25, 0.6 * 0.75, 0.4 * 1.0])


@pytest.mark.filterwarnings("ignore:Although CRITIC")
def test_objective_weights_match_scikit_criteria():
    m = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": [10.0, 10.0, 11.0, 30.0], "z": [5.0, 3.0, 2.0, 1.0]})
    obj = pd.Series({"x": 1, "y": 1, "z": -1})
    ref = CRITIC().transform(skc.mkdm(m.to_numpy(), obj.to_numpy())).weights.to_numpy()
    np.testing.assert_allclose(objective_weights(m, obj, "critic").to_numpy(), ref)
    e = objective_weights(m, obj, "entropy")
    assert e.sum() == pytest.approx(1) and e["y"] > e["x"]


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), 1e308])
def test_explicit_weights_that_are_not_finite_or_overflow_are_refused(bad):
    """1e308 twice sums to inf, and every weight divided by it is 0: refused like nan and inf (issue 16)."""
    from procurement.case.errors import InputError
    from procurement.mcda.weights import explicit_weights

    with pytest.raises(InputError, match="weights must be finite numbers"):
        explicit_weights(["a", "b"], {"a": bad, "b": 1e308})
    assert explicit_weights(["a", "b"], {"a": 1e6, "b": 1e6}).tolist() == [0.5, 0.5]
