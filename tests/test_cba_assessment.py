"""DFØ's combined assessment from the case (assessment.yaml): its ranking and reasons, never generated."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import procurement as pw
from procurement.cba.assessment import load_assessment
from procurement.case.errors import InputError
from procurement.report.sections import cba

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def case_copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "data" / "national-municipal-solution", tmp_path / "case")
    shutil.copytree(ROOT / "criteria", tmp_path / "criteria")
    p = tmp_path / "case" / "case.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("criteria_dir: ../../criteria", "criteria_dir: ../criteria"),
                 encoding="utf-8")
    return tmp_path / "case"


ASSESSMENT = """\
id: assessment
decisions:
  contract-strategy:
    source: "test judgement"
    ranking: [framework-call-off, dialogue-total]
    reasoning:
      framework-call-off: {en: "Less lock-in outweighs the lower ΔNPV.", nb: "Mindre innlåsing veier opp for lavere ΔNNV."}
      dialogue-total: {en: "Highest ΔNPV, but lock-in ---."}
"""


def test_the_cases_ranking_and_reasons_lead_and_can_differ_from_the_npv_order(case_copy: Path):
    (case_copy / "assessment.yaml").write_text(ASSESSMENT, encoding="utf-8")
    a = pw.Analysis(pw.load_case(case_copy), decision="contract-strategy", samples=300)
    cb = a.cba()
    t = cba.combined_assessment(a, cb, "nb")
    assert list(t.index[:2]) == ["framework-call-off", "dialogue-total"]
    assert list(t["overall_rank"].iloc[:2]) == [1, 2]
    assert t.loc["framework-call-off", "npv_rank"] > t.loc["dialogue-total", "npv_rank"]  # against the ΔNPV order
    assert t.loc["framework-call-off", "reasoning"] == "Mindre innlåsing veier opp for lavere ΔNNV."
    assert t.loc["dialogue-total", "reasoning"] == "Highest ΔNPV, but lock-in ---."  # English where no bokmål
    # the options the case does not rank follow in ΔNPV order, without an overall rank
    rest = t.iloc[2:]
    assert rest["overall_rank"].isna().all()
    open_rest = rest[~rest["label"].str.endswith("(silt ut)")]
    assert list(open_rest["npv_rank"]) == sorted(open_rest["npv_rank"])
    assert cb.to_dict()["assessment"]["ranking"] == ["framework-call-off", "dialogue-total"]
    assert any(x.key == "cba.combined_case" for x in cb.assumptions)


def test_without_an_assessment_the_order_is_only_npv_and_says_so(case_copy: Path):
    (case_copy / "assessment.yaml").unlink()
    a = pw.Analysis(pw.load_case(case_copy), decision="contract-strategy", samples=300)
    cb = a.cba()
    t = cba.combined_assessment(a, cb, "en")
    assert t["overall_rank"].isna().all()
    assert "no overall ranking" in str(cba.combined_intro(cb, "en").data)
    assert any(x.key == "cba.combined_npv_order" for x in cb.assumptions)


def test_bad_assessments_name_the_key(tmp_path: Path):
    bad = ASSESSMENT.replace("ranking: [framework-call-off, dialogue-total]", "ranking: [framework-cal-off, dialogue-total]")
    (tmp_path / "a.yaml").write_text(bad, encoding="utf-8")
    known = {"contract-strategy": ["framework-call-off", "dialogue-total", "zero"]}
    with pytest.raises(InputError) as e:
        load_assessment(tmp_path / "a.yaml", known)
    assert "decisions.contract-strategy.ranking" in str(e.value) and "framework-call-off" in str(e.value)
    twice = ASSESSMENT.replace("ranking: [framework-call-off, dialogue-total]", "ranking: [dialogue-total, dialogue-total]")
    (tmp_path / "b.yaml").write_text(twice, encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_assessment(tmp_path / "b.yaml", known)
    assert "more than once" in str(e.value)
