"""The bundled example case validates, ranks end to end, and a broken copy is caught."""

from __future__ import annotations

import shutil

import pytest

from conftest import EXAMPLE_CASE, ROOT
from procurement.cli import main
from procurement.loader import load_case
from procurement.ranking import rank


@pytest.fixture(scope="module")
def case():
    return load_case(EXAMPLE_CASE)


def test_example_case_shape(case):
    assert set(case.decisions) == {"contract-strategy", "procurement-procedure", "governance-financing"}
    for d in case.decisions.values():
        assert 8 <= len(d.criteria) <= 12
        assert len(d.scores) == len(d.options) * len(d.criteria)
        assert (d.scores["rationale"].str.len() > 20).all()
    assert len(case.decision("contract-strategy").options) >= 7
    assert len(case.decision("procurement-procedure").options) >= 5
    assert len(case.decision("governance-financing").options) >= 4
    assert {"ks", "tromso", "bergen", "kristiansand", "baerum", "directorate", "helseplattformen"} <= set(case.stakeholder_ids)
    assert case.meta.illustrative


def test_example_contract_strategy_ranking(case):
    r = rank(case.decision("contract-strategy"), "wsm")
    # Reusing Helseplattformen's options outside Central Norway fails legal screening (KOFA 2015/65, C-216/17)
    assert r.excluded["option"].tolist() == ["helseplattformen-extend"]
    assert "KOFA 2015/65" in r.excluded["citation"].iloc[0]
    assert r.order[:2] == ["dialogue-total", "modular-lots"]


def test_validate_example_exits_0(capsys):
    assert main(["validate", str(EXAMPLE_CASE)]) == 0
    assert "OK" in capsys.readouterr().out


def test_broken_copy_exits_2_naming_each_problem(tmp_path, capsys):
    """Done-when of the foundation issue: misspelt criterion, decimal comma, likely above high."""
    copy = tmp_path / "case"
    shutil.copytree(EXAMPLE_CASE, copy)
    shutil.copytree(ROOT / "criteria", tmp_path / "criteria")
    lines = (copy / "scores.csv").read_text(encoding="utf-8").splitlines()
    # row numbers in messages are file lines (header = line 1)
    first = lines[1].split(",", 7)
    first[2] = first[2].replace("legal-robustness", "legal-robustnes")
    lines[1] = ",".join(first)
    second = lines[2].split(",", 7)
    second[3] = f'"{second[3]},5"'
    lines[2] = ",".join(second)
    third = lines[3].split(",", 7)
    third[4] = str(float(third[5]) + 1)
    lines[3] = ",".join(third)
    (copy / "scores.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = (copy / "scores.csv").read_bytes()
    assert main(["validate", str(copy)]) == 2
    err = capsys.readouterr().err
    assert "scores.csv: row 2, column 'criterion': unknown criterion 'legal-robustnes'" in err
    assert "did you mean 'legal-robustness'" in err
    assert "scores.csv: row 3, column 'low'" in err and "is not a number" in err
    assert "scores.csv: row 4:" in err and "are out of order" in err
    assert "Traceback" not in err
    assert (copy / "scores.csv").read_bytes() == before  # inputs are never changed
