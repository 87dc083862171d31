"""AHP weights and Saaty's consistency ratio against a published matrix, pymcdm, and the file checks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pymcdm.weights.subjective import AHP as PymcdmAHP

from conftest import write_case
from procurement.mcda.ahp import SAATY_RI, ahp, load_ahp
from procurement.case.errors import InputError
from procurement import load_case


def test_saaty_random_index_table():
    assert [SAATY_RI[n] for n in range(3, 11)] == [0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49]


def test_published_three_by_three_matrix():
    # The standard textbook matrix (Saaty 1980): w ≈ (0.637, 0.258, 0.105), λmax ≈ 3.039, CR ≈ 0.033
    r = ahp([[1, 3, 5], ["1/3", 1, 3], ["1/5", "1/3", 1]], ["a", "b", "c"])
    np.testing.assert_allclose(r.weights.to_numpy(), [0.637, 0.258, 0.105], atol=5e-4)
    assert r.lambda_max == pytest.approx(3.039, abs=5e-4)
    assert r.ci == pytest.approx((r.lambda_max - 3) / 2)
    assert r.cr == pytest.approx(r.ci / 0.58)
    assert r.cr == pytest.approx(0.033, abs=5e-4)
    assert r.consistent


def test_weights_equal_pymcdm_and_cr_differs_only_by_the_random_index():
    a = np.array([[1, 3, 5, 7], [1 / 3, 1, 3, 5], [1 / 5, 1 / 3, 1, 3], [1 / 7, 1 / 5, 1 / 3, 1]])
    ref = PymcdmAHP(matrix=a)
    w = ref()
    r = ahp(a.tolist(), list("abcd"))
    np.testing.assert_allclose(r.weights.to_numpy(), w, atol=1e-12)
    # pymcdm divides by Tummala & Ling's RI (0.8921 for n = 4); Saaty's is 0.90
    assert r.cr == pytest.approx(ref.get_cr() * PymcdmAHP.RI_M[3] / 0.90, rel=1e-9)


def test_consistent_matrix_has_cr_zero_and_exact_weights():
    w = np.array([0.4, 0.3, 0.2, 0.1])
    a = w[:, None] / w[None, :]
    r = ahp(a.tolist(), list("abcd"))
    np.testing.assert_allclose(r.weights.to_numpy(), w, atol=1e-9)
    assert r.cr == pytest.approx(0, abs=1e-9)


def test_inconsistent_matrix_flags_the_worst_judgement():
    w = np.array([8, 4, 2, 1], dtype=float)
    a = w[:, None] / w[None, :]
    a[0, 3], a[3, 0] = 1 / 8, 8  # one judgement reversed
    r = ahp(a.tolist(), ["a", "b", "c", "d"])
    assert r.cr > 0.10 and not r.consistent
    assert {r.worst[0], r.worst[1]} == {"a", "d"}
    assert "most inconsistent judgement is" in r.describe()


def test_not_reciprocal_names_file_key_and_cell():
    with pytest.raises(InputError) as e:
        ahp([[1, 3, 5], [3, 1, 1], ["1/5", 1, 1]], ["x", "y", "z"], "ahp.yaml", "comparisons.top.matrix")
    assert len(e.value.problems) == 1
    text = str(e.value.problems[0])
    assert "ahp.yaml" in text and "comparisons.top.matrix" in text and "not reciprocal" in text and "1/3" in text


def test_not_square():
    with pytest.raises(InputError, match="not square"):
        ahp([[1, 3], ["1/3", 1], [1, 1]], ["x", "y"], "ahp.yaml")


AHP_FILE = """\
decision: pick
comparisons:
  - node: top
    items: [quality, economy]
    matrix: [[1, 3], [1/3, 1]]
  - node: quality
    items: [legal, fit]
    matrix: [[1, 2], [1/2, 1]]
"""


def test_load_ahp_multiplies_down_the_tree(tmp_path):
    case = write_case(tmp_path)
    (case / "ahp-pick.yaml").write_text(AHP_FILE, encoding="utf-8")
    d = load_case(case).decision("pick")
    res = load_ahp(case / "ahp-pick.yaml", d)
    np.testing.assert_allclose(res.weights.to_numpy(), [0.75 * 2 / 3, 0.75 / 3, 0.25])
    assert not res.flagged


def test_load_ahp_bad_items(tmp_path):
    case = write_case(tmp_path)
    (case / "ahp-pick.yaml").write_text(AHP_FILE.replace("[legal, fit]", "[legal, cost]"), encoding="utf-8")
    d = load_case(case).decision("pick")
    with pytest.raises(InputError) as e:
        load_ahp(case / "ahp-pick.yaml", d)
    assert "comparison 'quality', key 'items'" in str(e.value) and "legal, fit" in str(e.value)


def test_inconsistent_ahp_warns_in_every_format(tmp_path, capsys):
    """CR > 0.10 is flagged with the most inconsistent judgement in table, CSV and JSON alike."""
    import shutil

    from procurement.cli import main

    root = Path(__file__).resolve().parents[1]
    shutil.copytree(root / "data" / "national-municipal-solution", tmp_path / "case")
    shutil.copytree(root / "criteria", tmp_path / "criteria")
    f = tmp_path / "case" / "ahp-contract-strategy.yaml"
    text = f.read_text(encoding="utf-8").replace(
        "      - [1,   1,   1/2, 2]\n      - [1,   1,   1,   2]\n      - [2,   1,   1,   3]",
        "      - [1,   9,   1/9, 2]\n      - [1/9, 1,   9,   2]\n      - [9,   1/9, 1,   3]",
    )
    f.write_text(text, encoding="utf-8")
    for fmt in ("table", "csv", "json"):
        assert main(["rank", str(tmp_path / "case"), "--decision", "contract-strategy", "--weights", "ahp", "--format", fmt]) == 0
        err = capsys.readouterr().err
        assert "warning: AHP judgements of 'top' are inconsistent" in err and "most inconsistent judgement" in err


@pytest.mark.parametrize("entry", [".inf", "1e308", "0.0000001", "'1e999'"])
def test_ratios_beyond_a_thousand_are_refused_naming_the_file(tmp_path, entry):
    """.inf or 1e308 gave a nan eigenvector and then a scikit-criteria error naming no file (issue 16)."""
    case = write_case(tmp_path)
    (case / "ahp-pick.yaml").write_text(AHP_FILE.replace("[[1, 3], [1/3, 1]]", f"[[1, {entry}], [1/3, 1]]"), encoding="utf-8")
    d = load_case(case).decision("pick")
    with pytest.raises(InputError) as e:
        load_ahp(case / "ahp-pick.yaml", d)
    lines = [str(p) for p in e.value.problems]
    assert lines and all("ahp-pick.yaml" in line for line in lines)
    assert any("is not a comparison between 1/1000 and 1000" in line for line in lines)


def test_bomb_in_the_ahp_file_is_one_line(tmp_path):
    case = write_case(tmp_path)
    bomb = "a: &a [1,1,1,1,1,1,1,1,1]\n" + "".join(
        f"{n}: &{n} [" + ",".join([f"*{p}"] * 9) + "]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    (case / "ahp-pick.yaml").write_text(bomb, encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_ahp(case / "ahp-pick.yaml", load_case(case).decision("pick"))
    (line,) = [str(p) for p in e.value.problems]
    assert "ahp-pick.yaml: line 1, column 1: refused: expands to more than 1,000,000 values" in line
