"""Tests for procurement.law.risk: reading and checking risks.csv, expected risk score, heatmap."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from matplotlib.figure import Figure

from procurement.cli import main
from procurement.case.errors import InputError
from procurement.law.risk import case_options, expected_risk, option_risks, read_risks, risk_counts, risk_summary
from procurement.plots.risk import risk_heatmap

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "data" / "national-municipal-solution"

HEADER = "decision,option,risk,probability,consequence,owner,mitigation,source\n"
GOOD = HEADER + (
    "pick,a,Late delivery,4,3,PM,Buffer,test\n"
    "pick,a,Complaint,2,5,Lawyer,Document,test\n"
    "pick,b,Lock-in,5,5,Owner,Exit clause,test\n"
)
OPTIONS = {"pick": ["a", "b"]}


def write(tmp_path: Path, text: str, name: str = "risks.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_expected_risk_mean_and_sum(tmp_path):
    reg = read_risks(write(tmp_path, GOOD), OPTIONS)
    assert reg["score"].tolist() == [12, 10, 25]
    mean = expected_risk(reg)
    assert mean.name == "expected_risk" and list(mean.index) == ["a", "b"]
    assert mean["a"] == 11.0 and mean["b"] == 25.0
    total = expected_risk(reg, "pick", how="sum")
    assert total["a"] == 22.0 and total["b"] == 25.0


def test_semicolon_file(tmp_path):
    text = GOOD.replace(",", ";")
    reg = read_risks(write(tmp_path, text), OPTIONS)
    assert expected_risk(reg)["a"] == 11.0


def test_bad_register_lists_every_problem(tmp_path):
    text = HEADER + (
        "pick,a,Late delivery,6,3,PM,Buffer,test\n"
        "pick,a,Complaint,2.5,0,Lawyer,Document,test\n"
        "pick,a,Late delivery,1,1,PM,Buffer,test\n"
        "pick,c,Unknown,3,3,,Nothing,test\n"
        "pikc,a,Typo,3,3,PM,x,test\n"
    )
    with pytest.raises(InputError) as e:
        read_risks(write(tmp_path, text), OPTIONS)
    msgs = "\n".join(str(p) for p in e.value.problems)
    assert "row 2, column 'probability': 6 is not on the 1-5 scale" in msgs
    assert "row 3, column 'probability': 2.5 is not on the 1-5 scale" in msgs
    assert "row 3, column 'consequence': 0 is not on the 1-5 scale" in msgs
    assert "row 4: risk 'Late delivery' is listed twice for option 'a' (first at row 2)" in msgs
    assert "row 5, column 'owner': is empty" in msgs
    assert "row 5, column 'option': unknown option 'c' for decision 'pick'" in msgs
    assert "row 6, column 'decision': unknown decision 'pikc' (did you mean 'pick'?)" in msgs
    assert "decision 'pick': option 'b' has no risks" in msgs


def test_several_decisions_need_a_choice(tmp_path):
    text = GOOD + "other,x,Thing,1,1,PM,x,test\n"
    reg = read_risks(write(tmp_path, text), {"pick": ["a", "b"], "other": ["x"]})
    with pytest.raises(InputError, match="several decisions"):
        expected_risk(reg)
    assert expected_risk(reg, "other")["x"] == 1.0
    with pytest.raises(InputError, match="has no risks for decision 'pik' \\(did you mean 'pick'\\?\\)"):
        expected_risk(reg, "pik")
    with pytest.raises(InputError, match="unknown aggregation"):
        expected_risk(reg, "pick", how="max")


def test_heatmap_counts(tmp_path):
    reg = read_risks(write(tmp_path, GOOD + "pick,b,Delay,4,3,PM,x,test\n"), OPTIONS)
    fig = risk_heatmap(risk_counts(reg))
    assert isinstance(fig, Figure)
    texts = sorted(t.get_text() for t in fig.axes[0].texts if t.get_text())
    assert texts == ["1", "1", "2"]  # (4,3) twice, (2,5) and (5,5) once
    one = risk_heatmap(risk_counts(option_risks(reg, option="b")))
    assert sorted(t.get_text() for t in one.axes[0].texts if t.get_text()) == ["1", "1"]
    with pytest.raises(InputError, match="no risks for option 'z'"):
        risk_heatmap(risk_counts(option_risks(reg, option="z")))


def test_example_case_register():
    options = case_options(CASE)
    reg = read_risks(CASE)
    cs = reg[reg["decision"] == "contract-strategy"]
    counts = cs.groupby("option").size()
    assert set(counts.index) == set(options["contract-strategy"])
    assert counts.between(2, 4).all()
    score = expected_risk(reg, "contract-strategy")
    assert list(score.index) == options["contract-strategy"]
    assert score.between(1, 25).all()
    assert score.idxmax() == "helseplattformen-extend"
    summary = risk_summary(reg, "contract-strategy")
    assert summary.loc["helseplattformen-extend", "max_score"] == 25


def test_cli_risks(tmp_path, capsys):
    png = tmp_path / "heat.png"
    code = main(["risks", str(CASE), "--figure", str(png), "--format", "json"])
    d = json.loads(capsys.readouterr().out)
    assert code == 0 and png.stat().st_size > 1000
    assert set(d["expected_risk"]) == set(case_options(CASE)["contract-strategy"])


def test_cli_risks_shows_enforcement_cost_and_delay(capsys):
    assert main(["risks", str(CASE)]) == 0
    out = capsys.readouterr().out
    assert "Cost and delay of getting it wrong" in out
    after = out.split("Cost and delay of getting it wrong", 1)[1]
    line = next(x for x in after.splitlines() if x.startswith("helseplattformen-extend"))
    # 0.8 x 3 + 0.6 x 150 + 0.4 x 500 = 292.4 MNOK expected; 0.4 x 24 = 9.6 months expected delay
    assert "292.40" in line and "9.6" in line and "anskaffelsesloven § 12" in line
    assert main(["risks", str(CASE), "--format", "json"]) == 0
    d = json.loads(capsys.readouterr().out)
    hp = next(r for r in d["enforcement"] if r["option"] == "helseplattformen-extend")
    assert hp["expected_cost_mnok"] == pytest.approx(292.4) and hp["p85_delay_months"] == 24
