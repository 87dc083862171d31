"""procurement.cba.checks.problems: what validate checks is what cba refuses."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import procurement as pw
from procurement.case.errors import InputError
from procurement.cba import checks, r109

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
    text = r109.default_rules_path().read_text(encoding="utf-8")
    text = text.replace("  analysis_period:\n    value: null", "  analysis_period:\n    value: 10")
    (case_dir / "r109.yaml").write_text(text, encoding="utf-8")
    return case


def test_validate_and_cba_agree_on_the_analysis_period(short_period):
    found = checks.problems(short_period, "default")
    assert found and all("after the end of the analysis period of 10 years" in p.message for p in found)
    with pytest.raises(InputError) as err:
        short_period.analysis("default").cba(simulate=False)
    assert str(found[0]) in str(err.value)


def test_every_decision_of_the_example_has_a_cost_benefit_analysis():
    case = pw.load_case(EXAMPLE)
    for decision in case.decisions:
        cb = case.analysis({"decision": decision, "samples": 500}).cba()
        assert cb.available and cb.reference is not None
        head = cb.headline()
        assert head.loc[cb.reference, "incremental_npv"] == 0
        if decision != "contract-strategy":  # no 0-alternative: measured against the best option
            assert cb.reference_kind == "best" and (head["incremental_npv"] <= 1e-6).all()
