"""PROMETHEE II: against pymcdm wherever both apply, against published/hand-worked examples,
and the criteria-file checks of preference functions."""

from __future__ import annotations

import math

import numpy as np
import pytest
import skcriteria as skc
from pymcdm.methods import PROMETHEE_II

from conftest import CRITERIA, write_case
from procurement.case.errors import InputError
from procurement.case.loader import load_case
from procurement.mcda.promethee import PROMETHEE2, preference, promethee2
from procurement.mcda.ranking import rank

pytestmark = pytest.mark.filterwarnings("ignore:Alternatives with indices")

PYMCDM_NAME = {"usual": "usual", "u-shape": "ushape", "v-shape": "vshape", "level": "level", "linear": "vshape_2"}


@pytest.mark.parametrize("function", list(PYMCDM_NAME))
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_same_function_everywhere_matches_pymcdm(function, seed):
    rng = np.random.default_rng(seed)
    n, m = 6, 4
    matrix = rng.integers(0, 11, size=(n, m)).astype(float)
    weights = rng.random(m)
    weights /= weights.sum()
    types = np.array([1, -1, 1, -1])
    q = np.array([0.5, 1.0, 1.5, 0.0])
    p = np.array([2.0, 3.0, 4.0, 2.5])
    ref = PROMETHEE_II(PYMCDM_NAME[function], p=p, q=q)(matrix, weights, types)
    specs = [(function, float(q[j]), float(p[j]), 0.0) for j in range(m)]
    net, plus, minus, _ = promethee2(matrix, types, weights, specs)
    np.testing.assert_allclose(net, ref, atol=1e-12)
    # and as a scikit-criteria decision maker
    dm = skc.mkdm(matrix, types, weights=weights)
    res = PROMETHEE2(preferences=specs).evaluate(dm)
    np.testing.assert_allclose(res.e_.net_flow, ref, atol=1e-12)
    np.testing.assert_allclose(res.e_.positive_flow - res.e_.negative_flow, ref, atol=1e-12)


def test_pymcdm_published_docstring_example():
    # pymcdm's documented example (usual criterion): net flows [0.1, -0.3, 0.2]
    matrix = np.array([[4, 3, 2], [3, 2, 4], [5, 1, 3]], dtype=float)
    net, *_ = promethee2(matrix, np.ones(3), np.array([0.5, 0.3, 0.2]), [("usual", 0, 0, 0)] * 3)
    np.testing.assert_allclose(net, [0.1, -0.3, 0.2], atol=1e-12)


def test_six_functions_match_brans_vincke_definitions():
    d = np.array([-1.0, 0.0, 0.5, 1.0, 2.0, 3.0, 5.0])
    np.testing.assert_array_equal(preference("usual", d), [0, 0, 1, 1, 1, 1, 1])
    np.testing.assert_array_equal(preference("u-shape", d, q=1), [0, 0, 0, 0, 1, 1, 1])
    np.testing.assert_allclose(preference("v-shape", d, p=2), [0, 0, 0.25, 0.5, 1, 1, 1])
    np.testing.assert_array_equal(preference("level", d, q=1, p=3), [0, 0, 0, 0, 0.5, 0.5, 1])
    np.testing.assert_allclose(preference("linear", d, q=1, p=3), [0, 0, 0, 0, 0.5, 1, 1])
    s = 2.0
    np.testing.assert_allclose(preference("gaussian", d, s=s), [0, 0] + [1 - math.exp(-x * x / (2 * s * s)) for x in d[2:]])
    assert preference("gaussian", np.array([s]), s=s)[0] == pytest.approx(1 - math.exp(-0.5))  # 0.3935 at d = s


def test_mixed_functions_against_a_hand_worked_example():
    # Three options, three criteria, each with its own function, worked by hand from the definitions:
    # f1 max, Gaussian s=2; f2 min, linear q=1 p=3; f3 max, level q=1 p=3. Weights 0.5, 0.3, 0.2.
    matrix = np.array([[4.0, 2.0, 5.0], [6.0, 4.0, 7.0], [5.0, 1.0, 1.0]])
    objectives = np.array([1, -1, 1])
    weights = np.array([0.5, 0.3, 0.2])
    specs = [("gaussian", 0, 0, 2.0), ("linear", 1.0, 3.0, 0), ("level", 1.0, 3.0, 0)]
    g = lambda d: 1 - math.exp(-d * d / 8) if d > 0 else 0.0  # noqa: E731
    lin = lambda d: 0.0 if d <= 1 else (1.0 if d > 3 else (d - 1) / 2)  # noqa: E731
    lev = lambda d: 0.0 if d <= 1 else (0.5 if d <= 3 else 1.0)  # noqa: E731
    n = 3
    pi = np.zeros((n, n))
    for a in range(n):
        for b in range(n):
            if a != b:
                pi[a, b] = (0.5 * g(matrix[a, 0] - matrix[b, 0]) + 0.3 * lin(matrix[b, 1] - matrix[a, 1])
                            + 0.2 * lev(matrix[a, 2] - matrix[b, 2]))
    plus, minus = pi.sum(1) / 2, pi.sum(0) / 2
    net, p2, m2, pi2 = promethee2(matrix, objectives, weights, specs)
    np.testing.assert_allclose(pi2, pi, atol=1e-12)
    np.testing.assert_allclose(p2, plus, atol=1e-12)
    np.testing.assert_allclose(m2, minus, atol=1e-12)
    np.testing.assert_allclose(net, plus - minus, atol=1e-12)
    assert abs(net.sum()) < 1e-12  # net flows always sum to zero


def _with_preference(pref: str) -> str:
    return CRITERIA.replace(
        "    scale: {kind: natural, unit: MNOK, min: 0, max: 1000}\n",
        "    scale: {kind: natural, unit: MNOK, min: 0, max: 1000}\n" + pref,
        1,
    )


def test_preference_from_criteria_file_is_used(tmp_path):
    case = write_case(tmp_path, criteria__pick_yaml=_with_preference("    preference: {function: linear, q: 50, p: 250}\n"))
    d = load_case(case).decision("pick")
    r = rank(d, "promethee2")
    prefs = r.to_dict()["inputs"]["parameters"]["preferences"]
    assert prefs[2] == {"criterion": "cost", "function": "linear", "q": 50.0, "p": 250.0}
    assert prefs[0] == {"criterion": "legal", "function": "usual"}
    m = d.matrix("likely")
    specs = [("usual", 0, 0, 0), ("usual", 0, 0, 0), ("linear", 50, 250, 0)]
    net, *_ = promethee2(m.to_numpy(), d.objectives.to_numpy(), d.weights.to_numpy(), specs)
    np.testing.assert_allclose(r.table.loc[list(m.index), "score"].to_numpy(), net)


@pytest.mark.parametrize(
    "pref, message",
    [
        ("    preference: {function: linear, q: 300, p: 100}\n", "q (300) must not exceed p (100)"),
        ("    preference: {function: level, q: 10}\n", "needs p"),
        ("    preference: {function: gaussian}\n", "needs s"),
        ("    preference: {function: usual, p: 3}\n", "takes no p"),
        ("    preference: {function: parabola}\n", "'parabola' is not allowed"),
    ],
)
def test_bad_preference_is_one_clear_line(tmp_path, pref, message):
    case = write_case(tmp_path, criteria__pick_yaml=_with_preference(pref))
    with pytest.raises(InputError) as e:
        load_case(case)
    assert len(e.value.problems) == 1
    text = str(e.value.problems[0])
    assert message in text and "pick.yaml" in text and "criterion 'cost'" in text and "preference" in text


def test_published_six_project_example_brans_vincke_mareschal_1986():
    """The worked example of Brans, Vincke & Mareschal (1986), 'How to select and how to rank projects:
    The PROMETHEE method', European Journal of Operational Research 24(2), 228-238: six projects, six
    criteria, one generalised criterion of each type, equal weights. The preference indices π(a, b) are
    the published table (three decimals). f3 is in tens (60 = 600); its type V criterion has the
    indifference threshold s = 5 and a linear zone of r = 45 above it, so q = 5 and p = s + r = 50; f4's
    type IV (level) criterion has q = 1 and p = 6.
    """
    from procurement.mcda.promethee import promethee2

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
    published_pi = np.array([
        [0.000, 0.296, 0.250, 0.269, 0.100, 0.185],
        [0.463, 0.000, 0.389, 0.333, 0.296, 0.500],
        [0.235, 0.180, 0.000, 0.333, 0.056, 0.429],
        [0.399, 0.506, 0.305, 0.000, 0.224, 0.212],
        [0.444, 0.515, 0.487, 0.380, 0.000, 0.448],
        [0.287, 0.399, 0.250, 0.431, 0.133, 0.000],
    ])
    net, plus, minus, pi = promethee2(g, objectives, np.ones(6), specs)
    assert pi == pytest.approx(published_pi, abs=0.0015)
    # flows as the paper sums them (Σ_b π(a, b)), and PROMETHEE II's complete ranking: a5 first
    assert plus * 5 == pytest.approx([1.099, 1.980, 1.234, 1.644, 2.274, 1.500], abs=0.005)
    assert minus * 5 == pytest.approx([1.827, 1.895, 1.681, 1.746, 0.808, 1.774], abs=0.005)
    assert list(np.argsort(-net)) == [4, 1, 3, 5, 2, 0]
