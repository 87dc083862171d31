"""wsm-sum, the textbook weighted sum (1/x for criteria to minimise, then x/Σx), against a published
example, a hand computation and pymcdm's WSM (whose default normalisation is this one)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pymcdm.methods import WSM

from procurement.case.errors import InputError
from procurement.mcda import fastrank
from procurement.mcda.methods import get_method
from procurement.mcda.ranking import evaluate

pytestmark = pytest.mark.filterwarnings("ignore:Alternatives with indices")


def test_pymcdm_published_example():
    """pymcdm's WSM docstring: five options, two criteria to maximise and two to minimise, weights
    8/13, 5/13, 6/13, 7/13 (summing to 2, which pymcdm does not rescale), preferences
    [0.609, 0.313, 0.334, 0.265, 0.479]. Our weights sum to 1, so our scores are half of those."""
    matrix = np.array([[96, 83, 75, 7], [63, 5, 56, 9], [72, 30, 32, 48], [11, 4, 27, 9], [77, 21, 17, 11]], dtype=float)
    weights = np.array([8, 5, 6, 7]) / 13
    types = np.array([1, 1, -1, -1])
    score, rank = fastrank.evaluate_one("wsm-sum", matrix, types, weights)
    np.testing.assert_allclose(2 * score, [0.609, 0.313, 0.334, 0.265, 0.479], atol=5e-4)
    assert rank.tolist() == [1, 4, 3, 5, 2]


def test_hand_computation():
    """Quality (max), delivery days (min), cost (min); weights 0.5, 0.2, 0.3.

    quality 8, 6, 4 → /18 → 4/9, 1/3, 2/9; delivery 1/10, 1/5, 1/20 → /0.35 → 2/7, 4/7, 1/7;
    cost 1/200, 1/100, 1/400 → /0.0175 → 2/7, 4/7, 1/7. Delivery and cost coincide, so
    A = 0.5·4/9 + 0.5·2/7 = 23/63, B = 0.5·1/3 + 0.5·4/7 = 19/42, C = 0.5·2/9 + 0.5·1/7 = 23/126
    (they sum to 1, as sum-normalised scores with weights summing to 1 must).
    """
    x = pd.DataFrame([[8, 10, 200], [6, 5, 100], [4, 20, 400]], index=list("ABC"), columns=["quality", "days", "cost"],
                     dtype=float)
    obj = pd.Series([1, -1, -1], index=x.columns)
    w = pd.Series([0.5, 0.2, 0.3], index=x.columns)
    t = evaluate("wsm-sum", x, obj, w)
    expected = [Fraction(23, 63), Fraction(19, 42), Fraction(23, 126)]
    np.testing.assert_allclose(t["score"].to_numpy(), [float(f) for f in expected], rtol=1e-12)
    assert sum(expected) == 1
    assert t["rank"].tolist() == [2, 1, 3]


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_matches_pymcdm_wsm(data):
    m = data.draw(st.integers(2, 6))
    n = data.draw(st.integers(1, 5))
    x = np.array(data.draw(st.lists(st.integers(1, 9), min_size=m * n, max_size=m * n)), dtype=float).reshape(m, n)
    types = np.array(data.draw(st.lists(st.sampled_from([-1, 1]), min_size=n, max_size=n)))
    w = np.array(data.draw(st.lists(st.integers(1, 5), min_size=n, max_size=n)), dtype=float)
    ref = WSM()(x, w / w.sum(), types)
    score, _ = fastrank.evaluate_one("wsm-sum", x, types, w)
    np.testing.assert_allclose(score, ref, rtol=1e-12)


def test_inputs_it_cannot_rank():
    m = get_method("wsm-sum")
    assert "positive" in str(m.why_not(np.array([[1.0, 0.0], [2.0, 3.0]]), np.array([1, -1]), np.ones(2)))
    assert "zero or more" in str(m.why_not(np.array([[-1.0, 1.0], [2.0, 3.0]]), np.array([1, 1]), np.ones(2)))
    assert "all zero" in str(m.why_not(np.array([[0.0, 1.0], [0.0, 3.0]]), np.array([1, 1]), np.ones(2)))
    assert m.why_not(np.array([[0.0, 1.0], [2.0, 3.0]]), np.array([1, -1]), np.ones(2)) is None
    x = pd.DataFrame([[1.0, 0.0], [2.0, 3.0]], columns=["a", "b"])
    with pytest.raises(InputError, match="positive scores"):
        evaluate("wsm-sum", x, pd.Series([1, -1], index=x.columns), pd.Series([1.0, 1.0], index=x.columns))
    with pytest.raises(ValueError, match="positive scores"):
        fastrank.scores("wsm-sum", x.to_numpy(), [1, -1], [1, 1])
