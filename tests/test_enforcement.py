"""Tests for procurement.law.enforcement: enforcement.csv, expected risk costs, delay quantiles."""

from __future__ import annotations

from pathlib import Path

import pytest

import procurement as pw
from procurement.case.errors import InputError
from procurement.law.enforcement import RiskCost, delay_quantiles, load_events, read_enforcement, risk_costs

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "data" / "national-municipal-solution"
HEADER = "decision,option,event,probability,delay_months,cost_mnok,year,basis_mnok,source\n"
OPTIONS = {"pick": ["a", "b"]}


def text_of(e: pytest.ExceptionInfo) -> str:
    return "\n".join(f"{p.where}: {p.message} ({p.hint})" for p in e.value.problems)


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "enforcement.csv").write_text(text, encoding="utf-8")
    return tmp_path


def test_delay_quantiles_hand_computed():
    # two independent events: P(0) = 0.8*0.7 = 0.56, P(6) = 0.2*0.7 = 0.14, P(12) = 0.8*0.3 = 0.24, P(18) = 0.06
    q = delay_quantiles([(0.2, 6.0), (0.3, 12.0)])
    assert q["expected"] == pytest.approx(0.2 * 6 + 0.3 * 12)
    assert q["p50"] == 0.0              # 0.56 >= 0.50
    assert q["p85"] == 12.0             # 0.56 + 0.14 = 0.70 < 0.85; + 0.24 = 0.94
    assert delay_quantiles([])["p85"] == 0.0


def test_example_case_risk_costs_are_probability_times_cost():
    case = pw.load_case(CASE)
    costs = risk_costs(case, "contract-strategy")
    hp = {c.label["en"]: c for c in costs["helseplattformen-extend"]}
    assert hp["Infringement fine"] == RiskCost(2026, pytest.approx(0.6 * 150), hp["Infringement fine"].label,
                                               hp["Infringement fine"].source)
    assert hp["Infringement fine"].label["nb"] == "Overtredelsesgebyr"
    assert "anskaffelsesloven § 12" in hp["Infringement fine"].source
    assert hp["Contract declared ineffective"].mnok == pytest.approx(0.4 * 500)
    assert all(isinstance(c.year, int) for cs in costs.values() for c in cs)
    assert "zero" not in costs
    assert risk_costs(case, "governance-financing") == {}


def test_fine_above_the_legal_cap_is_refused(tmp_path):
    cap = load_events().events["fine"].cap_share
    assert cap == 0.15
    folder = write(tmp_path, HEADER + "pick,a,fine,0.5,0,20,2026,100,test\n")
    with pytest.raises(InputError) as e:
        read_enforcement(folder, OPTIONS)
    assert "above the legal cap 15% of 100 MNOK" in text_of(e)
    assert "at most 15 MNOK" in text_of(e)


def test_bad_rows_each_named(tmp_path):
    folder = write(tmp_path, HEADER + "pick,a,complain,1.5,0,2,2026,,test\npick,c,fine,0.1,0,1,2026,,\n")
    with pytest.raises(InputError) as e:
        read_enforcement(folder, OPTIONS)
    text = text_of(e)
    assert "unknown event 'complain'" in text and "complaint" in text
    assert "column 'probability'" in text
    assert "unknown option 'c'" in text
    assert "column 'basis_mnok'" in text and "column 'source'" in text


def test_no_file_no_costs(tmp_path):
    assert read_enforcement(tmp_path).empty


def test_the_15_percent_cap_is_verified_on_kofas_own_page():
    """Issue 24 item 10: KOFA, 'Gebyrmyndigheten er tilbake': 'gebyr opp til 15 prosent av kontraktens verdi'."""
    fine = load_events().events["fine"]
    assert fine.cap_share == 0.15 and fine.cap_verified is True
    assert "15 prosent av kontraktens verdi" in fine.source and "kofa.no" in fine.source
