"""procurement.cba.checks.problems: what validate checks is what cba refuses."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import procurement as pw
from procurement.case.errors import InputError
from procurement import Analysis
from procurement.cba import checks
from procurement.cba.parameters import default_rules_path

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "national-municipal-solution"


def test_the_example_case_has_no_cba_problems():
    case = pw.load_case(EXAMPLE)
    assert checks.problems(case) == []
    assert checks.problems(case, "default") == []


@pytest.fixture
def short_period(tmp_path):
    """A case whose R-109 parameters (written after loading: the loader itself already refuses it) cut the period short."""
    case_dir = tmp_path / "case"
    shutil.copytree(EXAMPLE, case_dir)
    case = pw.load_case(case_dir)
    text = default_rules_path().read_text(encoding="utf-8")
    text = text.replace("  analysis_period:\n    value: null", "  analysis_period:\n    value: 10")
    (case_dir / "r109.yaml").write_text(text, encoding="utf-8")
    return case


def test_validate_and_cba_agree_on_the_analysis_period(short_period):
    found = checks.problems(short_period, "default")
    assert found and all("after the end of the analysis period of 10 years" in p.message for p in found)
    with pytest.raises(InputError) as err:
        Analysis(short_period, "default").cba(simulate=False)
    assert str(found[0]) in str(err.value)


def test_every_decision_of_the_example_has_a_cost_benefit_analysis():
    case = pw.load_case(EXAMPLE)
    for decision in case.decisions:
        cb = Analysis(case, {"decision": decision, "samples": 500}).cba()
        assert cb.available and cb.reference is not None
        head = cb.headline()
        assert head.loc[cb.reference, "incremental_npv"] == 0
        if decision != "contract-strategy":  # no 0-alternative: measured against the best option
            assert cb.reference_kind == "best" and (head["incremental_npv"] <= 1e-6).all()


@pytest.fixture
def case_copy(tmp_path):
    case_dir = tmp_path / "case"
    shutil.copytree(EXAMPLE, case_dir)
    return case_dir


def _replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_validate_catches_a_financing_split_that_does_not_sum_to_one(case_copy, capsys):
    from procurement.cli import main

    # the contract strategy's default investment split: 0.70 + 0.25 + 0.10 = 1.05
    _replace(case_copy / "financing.yaml", "investment: {state: 0.70, municipalities: 0.20, health_trusts: 0.10}",
             "investment: {state: 0.70, municipalities: 0.25, health_trusts: 0.10}")
    found = checks.problems(pw.load_case(case_copy), "default")
    assert len(found) == 1
    assert found[0].file.endswith("financing.yaml") and "decisions.contract-strategy.default.investment" in found[0].where
    assert "sum to 1.05, not 1" in found[0].message
    assert main(["validate", str(case_copy)]) == 2
    out = capsys.readouterr()
    assert "financing.yaml" in out.out + out.err and "sum to 1.05" in out.out + out.err


def test_validate_catches_broken_financing_yaml_syntax_with_its_line(case_copy):
    _replace(case_copy / "financing.yaml", "payers:\n", "payers: [\n")
    found = checks.problems(pw.load_case(case_copy), "default")
    assert len(found) == 1 and found[0].file.endswith("financing.yaml") and "line" in found[0].where
    assert "YAML" in found[0].message


def test_validate_catches_an_uptake_scenario_with_an_unknown_cluster(case_copy):
    _replace(case_copy / "uptake.yaml", "joins: {tromso: 2025, bergen: 2025}\n", "joins: {tromso: 2025, bergn: 2025}\n")
    found = checks.problems(pw.load_case(case_copy), "default")
    assert len(found) == 1 and found[0].file.endswith("uptake.yaml")
    assert "joins 'bergn'" in found[0].where and "bergen" in found[0].hint


def test_validate_catches_a_financing_option_without_a_model(case_copy):
    """governance-financing lists its options one by one (no default): one left out has no model."""
    text = (case_copy / "financing.yaml").read_text(encoding="utf-8")
    gov = text.index("  governance-financing:")
    first = text.index("\n      ", text.index("options:", gov))  # the first option's key line
    key = text[first + 1:text.index(":", first)].strip()
    assert key, text[gov:gov + 400]
    found_before = checks.problems(pw.load_case(case_copy), {"decision": "governance-financing"})
    assert found_before == []
    start = text.index(f"      {key}:", gov)
    nxt = text.index("\n      ", start + 1)
    while text[nxt + 7] == " ":  # skip the option's own lines (indented deeper)
        nxt = text.index("\n      ", nxt + 1)
    (case_copy / "financing.yaml").write_text(text[:start] + text[nxt + 1:], encoding="utf-8")
    found = checks.problems(pw.load_case(case_copy), {"decision": "governance-financing"})
    assert any(key in p.where and "no financing model for this option" in p.message for p in found), found


def test_validate_needs_municipalities_when_financing_or_uptake_is_there(case_copy):
    (case_copy / "municipalities.csv").unlink()
    found = checks.problems(pw.load_case(case_copy), "default")
    assert any(p.file.endswith("municipalities.csv") and p.message == "file not found" for p in found), found
