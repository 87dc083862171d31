"""Value functions: checks in the criteria file, the domain check on scores, and the applied matrix."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import CRITERIA, SCORES, write_case
from procurement.case.errors import InputError
from procurement.case.loader import load_case
from procurement.mcda.ranking import rank
from procurement.mcda.valuefunctions import curve, table


def _with_vf(vf: str) -> str:
    return CRITERIA.replace(
        "    scale: {kind: natural, unit: MNOK, min: 0, max: 1000}\n",
        "    scale: {kind: natural, unit: MNOK, min: 0, max: 1000}\n" + vf,
        1,
    )


GOOD = "    value_function: {kind: piecewise, points: [[0, 10], [400, 6], [1000, 0]]}\n"


def test_value_matrix_and_objectives(tmp_path):
    d = load_case(write_case(tmp_path, criteria__pick_yaml=_with_vf(GOOD))).decision("pick")
    m = d.value_matrix()
    np.testing.assert_allclose(m["cost"], np.interp([500, 600, 300], [0, 400, 1000], [10, 6, 0]))
    assert d.value_objectives["cost"] == 1 and d.objectives["cost"] == -1
    r = rank(d, "wsm")
    assert r.to_dict()["inputs"]["objectives"][2] == 1
    assert r.to_dict()["inputs"]["value_functions"] == {"cost": [[0, 10], [400, 6], [1000, 0]]}
    assert curve(d.criterion("cost"))["value"].iloc[0] == 10
    assert table(d)["criterion"].tolist() == ["cost"]
    r2 = rank(d, "spotis")
    assert r2.to_dict()["inputs"]["parameters"]["bounds"][2] == [0.0, 10.0]


@pytest.mark.parametrize(
    "vf, message",
    [
        ("    value_function: {points: [[0, 10], [400, 2], [1000, 5]]}\n", "not monotone"),
        ("    value_function: {points: [[0, 0], [1000, 10]]}\n", "rises but direction is min"),
        ("    value_function: {kind: linear, points: [[0, 10], [400, 5], [1000, 0]]}\n", "exactly two points"),
        ("    value_function: {points: [[0, 10], [0, 5]]}\n", "increase strictly"),
        ("    value_function: {points: [[0, 12], [1000, 0]]}\n", "outside 0–10"),
    ],
)
def test_bad_value_function_is_one_clear_line(tmp_path, vf, message):
    with pytest.raises(InputError) as e:
        load_case(write_case(tmp_path, criteria__pick_yaml=_with_vf(vf)))
    assert len(e.value.problems) == 1
    text = str(e.value.problems[0])
    assert message in text and "pick.yaml" in text and "criterion 'cost'" in text


def test_score_outside_domain_names_the_row(tmp_path):
    vf = "    value_function: {kind: linear, points: [[200, 10], [700, 0]]}\n"
    scores = SCORES.replace("pick,b,cost,500,600,800", "pick,b,cost,500,600,800")
    with pytest.raises(InputError) as e:
        load_case(write_case(tmp_path, criteria__pick_yaml=_with_vf(vf), case__scores_csv=scores))
    probs = [str(p) for p in e.value.problems]
    assert len(probs) == 1
    assert "scores.csv: row 7, column 'high'" in probs[0] and "outside the domain of the value function" in probs[0]
    assert "200 to 700 MNOK" in probs[0]
