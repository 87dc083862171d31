"""The budget view: a hand-made two-payer case against hand-summed, undiscounted payments (no tax-financing cost)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from procurement.cba.budget import WHOLE, analyse_budget
from procurement.cba.financing import load_financing
from procurement.cba.parameters import CbaParameters
from procurement.cba.uptake import read_municipalities

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "national-municipal-solution"

FINANCING = """\
id: financing
illustrative: true
payers:
  state: {label: {nb: Staten, en: The state}, public: true}
  municipalities: {label: {nb: Kommunene, en: The municipalities}, public: true}
benefits: {municipalities: 1.0}
decisions:
  pick:
    default:
      investment: {state: 0.75, municipalities: 0.25}
      transition: {municipalities: 1.0}
      operations: {state: 0.2, municipalities: 0.8}
    options:
      zero:
        investment: {municipalities: 1.0}
        transition: {municipalities: 1.0}
        operations: {municipalities: 1.0}
"""

MUNICIPALITIES = """\
kommunenummer,name,county,population,cluster,in_national_solution,source
0001,One,X,1000,a,true,test
0002,Two,X,3000,b,true,test
0003,Outside,Y,9000,c,false,test
"""


def _flows() -> pd.DataFrame:
    rows = [
        ("opt", 2024, "investment", 400.0), ("opt", 2024, "transition", 40.0),
        ("opt", 2025, "operations", 100.0), ("opt", 2026, "operations", 100.0), ("opt", 2027, "operations", 120.0),
        ("opt", 2026, "benefit", 300.0), ("opt", 2027, "benefit", 300.0),
        ("zero", 2024, "operations", 90.0), ("zero", 2025, "operations", 90.0), ("zero", 2026, "operations", 90.0),
        ("zero", 2027, "operations", 90.0),
    ]
    df = pd.DataFrame(rows, columns=["option", "year", "category", "likely"])
    df["low"], df["high"] = df["likely"], df["likely"]
    df["decision"] = "pick"
    return df[["decision", "option", "year", "category", "low", "likely", "high"]]


@pytest.fixture
def view(tmp_path):
    (tmp_path / "financing.yaml").write_text(FINANCING, encoding="utf-8")
    (tmp_path / "municipalities.csv").write_text(MUNICIPALITIES, encoding="utf-8")
    model = load_financing(tmp_path / "financing.yaml", {"pick": ["zero", "opt"]})
    munis = read_municipalities(tmp_path / "municipalities.csv")
    # 4 % and 20 % tax cost and 2 % real growth would all change a welfare figure; none may reach the budget
    params = CbaParameters(benefit_real_growth=0.02, tax_financing_cost=0.20, public_benefit_share=0.5)
    return analyse_budget(_flows(), ["zero", "opt"], 2024, model, munis, params, "pick", "zero", period_years=2)


def test_payments_are_hand_summed_and_undiscounted(view):
    t = view.totals.set_index(["option", "payer", "period"])
    # by hand, option opt: the state pays 0.75 x 400 (2024) + 0.2 x (100 + 100 + 120) = 300 + 64 = 364
    assert t.loc[("opt", "state", WHOLE), "payment"] == pytest.approx(364.0, abs=1e-9)
    # the municipalities: 0.25 x 400 + 40 + 0.8 x 320 = 100 + 40 + 256 = 396
    assert t.loc[("opt", "municipalities", WHOLE), "payment"] == pytest.approx(396.0, abs=1e-9)
    # per period of 2 years: 2024-2025 and 2026-2027
    assert t.loc[("opt", "state", "2024-2025"), "payment"] == pytest.approx(300 + 20, abs=1e-9)
    assert t.loc[("opt", "state", "2026-2027"), "payment"] == pytest.approx(20 + 24, abs=1e-9)
    assert t.loc[("opt", "municipalities", "2024-2025"), "payment"] == pytest.approx(100 + 40 + 80, abs=1e-9)
    # cash savings in fixed prices: 0.5 x 300 a year to the municipalities, no real growth: 300 over the period
    assert t.loc[("opt", "municipalities", WHOLE), "savings"] == pytest.approx(300.0, abs=1e-9)
    assert t.loc[("opt", "municipalities", WHOLE), "net"] == pytest.approx(300.0 - 396.0, abs=1e-9)
    # the 0-alternative: the municipalities pay 4 x 90 = 360; against it the municipalities' net changes by -96 + 360
    assert t.loc[("zero", "municipalities", WHOLE), "payment"] == pytest.approx(360.0, abs=1e-9)
    assert t.loc[("opt", "municipalities", WHOLE), "net_change"] == pytest.approx(-96.0 + 360.0, abs=1e-9)
    # per inhabitant of the national solution (1,000 + 3,000; the outside municipality is not counted), in NOK
    assert t.loc[("opt", "state", WHOLE), "payment_per_inhabitant"] == pytest.approx(364.0 / 4000, abs=1e-12)


def test_no_tax_financing_cost_and_no_discounting(view):
    # the sum of every payer's payments equals the sum of the cost rows, so no 20 % and no 1.04^-t entered
    opt = view.per_year[view.per_year["option"] == "opt"]
    assert opt["payment"].sum() == pytest.approx(400 + 40 + 100 + 100 + 120, abs=1e-9)
    yearly = opt.groupby("year")["payment"].sum().to_dict()
    assert yearly == pytest.approx({2024: 440.0, 2025: 100.0, 2026: 100.0, 2027: 120.0})
    assert {a.key for a in view.assumptions} >= {"cba.budget_view", "cba.budget_population"}
    doc = view.to_dict()
    assert doc["view"] == "budget" and "without the tax-financing cost" in doc["prices"]
    assert "tax" not in " ".join(doc["totals"][0])


def test_units_scale_amounts_but_not_per_inhabitant(view):
    m = view.in_unit("MNOK").totals
    assert m["payment"].to_numpy() == pytest.approx(view.totals["payment"].to_numpy() / 1e6)
    assert m["payment_per_inhabitant"].to_numpy() == pytest.approx(view.totals["payment_per_inhabitant"].to_numpy())


def test_cli_budget_view_prints_the_engines_dict(capsys):
    import procurement as pw
    from procurement.cli import main

    assert main(["cba", str(EXAMPLE), "--decision", "contract-strategy", "--view", "budget", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    doc = json.loads(out)
    expected = pw.Analysis(pw.load_case(EXAMPLE), decision="contract-strategy").budget().to_dict()
    assert doc == json.loads(json.dumps(expected))
    assert doc["population"] == 4_793_333  # 5,550,203 - the 756,870 of Helseplattformen
