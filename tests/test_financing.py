"""Who pays: financing split, budget effects, tax-financing cost and cost per inhabitant against hand computations."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from procurement.cba.financing import (
    Allocation,
    allocation_weights,
    analyse_financing,
    case_financing,
    load_financing,
)
from procurement.cba.case_flows import case_cashflows
from procurement.cba.npv import evaluate
from procurement.cba.parameters import CbaParameters, load_parameters
from procurement.cba.uptake import read_municipalities
from procurement.case.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "national-municipal-solution"

D = 1 / 1.04  # discount factor of year 1 at 4 %

FINANCING = """\
id: financing
illustrative: true
payers:
  state: {label: {nb: Staten, en: The state}, public: true}
  municipalities: {public: true}
  joint_company: {public: true}
  health_trusts: {public: true}
allocation: {key: fixed_plus_per_inhabitant, fixed_share: 0.3, use_index: {a: 2.0}}
benefits: {municipalities: 1.0}
decisions:
  pick:
    default:
      investment: {state: 0.6, municipalities: 0.4}
      transition: {municipalities: 1.0}
      operations: {municipalities: 0.5, joint_company: 0.5}
    options:
      zero:
        investment: {municipalities: 1.0}
        transition: {municipalities: 1.0}
        operations: {municipalities: 1.0}
"""

MUNICIPALITIES = """\
kommunenummer,name,county,population,cluster,in_national_solution,source
0001,One,X,100,a,true,test
0002,Two,X,200,b,true,test
0003,Three,X,700,b,true,test
0004,Central,Y,5000,central,false,test
"""


def _flows() -> pd.DataFrame:
    rows = [
        ("opt", 2024, "investment", 100), ("opt", 2024, "transition", 10),
        ("opt", 2025, "operations", 50), ("opt", 2025, "benefit", 40),
        ("zero", 2024, "operations", 30), ("zero", 2025, "operations", 30),
    ]
    df = pd.DataFrame(rows, columns=["option", "year", "category", "likely"])
    df["low"], df["high"] = df["likely"] * 0.8, df["likely"] * 1.5
    df["decision"] = "pick"
    return df[["decision", "option", "year", "category", "low", "likely", "high"]]


@pytest.fixture
def setup(tmp_path):
    (tmp_path / "financing.yaml").write_text(FINANCING, encoding="utf-8")
    (tmp_path / "municipalities.csv").write_text(MUNICIPALITIES, encoding="utf-8")
    model = load_financing(tmp_path / "financing.yaml", {"pick": ["zero", "opt"]})
    munis = read_municipalities(tmp_path / "municipalities.csv")
    params = CbaParameters(point_estimate="likely", benefit_real_growth=0.0, public_benefit_share=0.5,
                           residual_value_method="none")
    return model, munis, params


def test_split_per_year_matches_hand_computation(setup):
    model, munis, params = setup
    r = analyse_financing(_flows(), ["zero", "opt"], 2024, model, munis, params, decision="pick")
    py = r.per_year.set_index(["option", "year", "payer"])
    assert py.loc[("opt", 2024, "state"), "cost"] == pytest.approx(60.0)
    assert py.loc[("opt", 2024, "municipalities"), "cost"] == pytest.approx(40.0 + 10.0)
    assert py.loc[("opt", 2025, "municipalities"), "cost"] == pytest.approx(25.0)
    assert py.loc[("opt", 2025, "joint_company"), "cost"] == pytest.approx(25.0)
    # cash savings: public_benefit_share 0.5 of the benefit 40, all to the municipalities
    assert py.loc[("opt", 2025, "municipalities"), "savings"] == pytest.approx(20.0)
    assert py.loc[("opt", 2025, "municipalities"), "net"] == pytest.approx(-5.0)
    inc = r.incremental_per_year.set_index(["option", "year", "payer"])["net_change"]
    # against the 0-alternative, where the municipalities pay 30 a year themselves
    assert inc[("opt", 2025, "municipalities")] == pytest.approx(-5.0 + 30.0)
    assert inc[("opt", 2024, "municipalities")] == pytest.approx(-50.0 + 30.0)
    assert inc[("opt", 2024, "state")] == pytest.approx(-60.0)


def test_present_value_and_tax_cost_follow_the_public_share(setup):
    model, munis, params = setup
    r = analyse_financing(_flows(), ["zero", "opt"], 2024, model, munis, params, decision="pick")
    pv = r.present_value.set_index(["option", "payer"])
    assert pv.loc[("opt", "state"), "cost_pv"] == pytest.approx(60.0)
    assert pv.loc[("opt", "municipalities"), "cost_pv"] == pytest.approx(50.0 + 25.0 * D)
    assert pv.loc[("opt", "municipalities"), "tax_cost"] == pytest.approx(0.2 * (50.0 + 25.0 * D - 20.0 * D))
    assert pv.loc[("opt", "joint_company"), "tax_cost"] == pytest.approx(0.2 * 25.0 * D)
    assert pv.loc[("opt", "state"), "tax_cost"] == pytest.approx(12.0)
    # every payer public: the payers' tax costs add up to the R-109 tax-financing cost
    total = evaluate(_flows(), ["zero", "opt"], 2024, params, decision="pick").table["tax_cost"]
    assert pv.loc["opt", "tax_cost"].sum() == pytest.approx(total["opt"], rel=1e-12)
    assert pv.loc["zero", "tax_cost"].sum() == pytest.approx(total["zero"], rel=1e-12)


def test_private_payer_bears_no_tax_cost(tmp_path, setup):
    _, munis, params = setup
    text = FINANCING.replace("joint_company: {public: true}", "joint_company: {public: false}")
    (tmp_path / "f2.yaml").write_text(text, encoding="utf-8")
    model = load_financing(tmp_path / "f2.yaml")
    r = analyse_financing(_flows(), ["zero", "opt"], 2024, model, munis, params, decision="pick")
    pv = r.present_value.set_index(["option", "payer"])
    assert pv.loc[("opt", "joint_company"), "tax_cost"] == 0.0
    assert pv.loc[("opt", "joint_company"), "cost_pv"] == pytest.approx(25.0 * D)


def test_cost_per_inhabitant_and_cluster(setup):
    model, munis, params = setup
    r = analyse_financing(_flows(), ["zero", "opt"], 2024, model, munis, params, decision="pick")
    # Central Norway (5000) is outside the national solution: population 1000
    per = r.per_inhabitant.loc["opt"]
    assert per["population"] == 1000
    assert per["cost_pv_per_inhabitant"] == pytest.approx((60 + 50 + 25 * D + 25 * D) / 1000)
    assert per["state_pv_per_inhabitant"] == pytest.approx(0.06)
    assert per["municipal_last_year_per_inhabitant"] == pytest.approx(25.0 / 1000)
    # fixed 30 % split equally over 3 municipalities, 70 % by population:
    # one: 0.1 + 0.7 * 0.1 = 0.17; two and three: 0.1 + 0.7 * 0.2 + 0.1 + 0.7 * 0.7 = 0.83
    cl = r.clusters[r.clusters["option"] == "opt"].set_index("cluster")
    assert cl.loc["a", "allocation_share"] == pytest.approx(0.17)
    assert cl.loc["b", "allocation_share"] == pytest.approx(0.83)
    muni_pv = 50.0 + 25.0 * D
    assert cl.loc["a", "pv_per_inhabitant"] == pytest.approx(0.17 * muni_pv / 100)
    assert cl.loc["b", "pv_per_inhabitant"] == pytest.approx(0.83 * muni_pv / 900)
    assert "central" not in cl.index


def test_allocation_keys_by_hand(setup):
    _, munis, _ = setup
    members = munis[munis["in_national_solution"]]
    w = allocation_weights(members, Allocation(key="per_inhabitant"))
    assert w.tolist() == pytest.approx([0.1, 0.2, 0.7])
    w = allocation_weights(members, Allocation(key="by_use", use_index={"a": 2.0}))
    assert w.tolist() == pytest.approx([200 / 1100, 200 / 1100, 700 / 1100])
    w = allocation_weights(members, Allocation(key="fixed_plus_per_inhabitant", fixed_share=1.0))
    assert w.tolist() == pytest.approx([1 / 3] * 3)


def test_shares_must_sum_to_one(tmp_path):
    bad = FINANCING.replace("investment: {state: 0.6, municipalities: 0.4}", "investment: {state: 0.6, municipalities: 0.3}")
    (tmp_path / "f.yaml").write_text(bad, encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_financing(tmp_path / "f.yaml")
    assert "decisions.pick.default.investment" in str(e.value)
    assert "sum to 0.9" in str(e.value)


def test_unknown_payer_option_and_decision_are_named(tmp_path):
    bad = FINANCING.replace("operations: {municipalities: 0.5, joint_company: 0.5}",
                            "operations: {municipalities: 0.5, joint_compny: 0.5}")
    (tmp_path / "f.yaml").write_text(bad, encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_financing(tmp_path / "f.yaml")
    assert "unknown payer 'joint_compny'" in str(e.value) and "joint_company" in str(e.value)
    (tmp_path / "g.yaml").write_text(FINANCING, encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_financing(tmp_path / "g.yaml", {"pick": ["opt"]})
    assert "decisions.pick.options.zero" in str(e.value)
    with pytest.raises(InputError) as e:
        load_financing(tmp_path / "g.yaml", {"other": ["opt"]})
    assert "unknown decision" in str(e.value)


def test_example_case_financing_adds_up():
    import procurement as pw

    case = pw.load_case(EXAMPLE)
    r = case_financing(case, "contract-strategy")
    flows, options = case_cashflows(case, "contract-strategy")
    table = evaluate(flows, options, case.base_year, load_parameters()).table
    by_option = r.present_value.groupby("option")[["cost_pv", "tax_cost"]].sum()
    assert by_option["cost_pv"].to_dict() == pytest.approx(table["pv_costs"].to_dict(), rel=1e-12)
    assert by_option["tax_cost"].to_dict() == pytest.approx(table["tax_cost"].to_dict(), rel=1e-12)
    # the 0-alternative is carried by the municipalities alone
    zero = r.present_value[r.present_value["option"] == "zero"].set_index("payer")["share_of_cost"]
    assert zero["municipalities"] == pytest.approx(1.0)
    # the clusters' shares of the municipal part add to 1, and Trøndelag is outside
    cl = r.clusters[r.clusters["option"] == "dialogue-total"]
    assert cl["allocation_share"].sum() == pytest.approx(1.0)
    assert set(cl["cluster"]) == {"baerum", "bergen", "kristiansand", "tromso"}
    assert r.per_inhabitant.loc["dialogue-total", "population"] == 4_793_333  # 5,550,203 - 756,870 (Helseplattformen)


def test_cba_json_carries_financing_and_break_even(capsys):
    import json

    from procurement.cli import main

    assert main(["cba", str(EXAMPLE), "--decision", "contract-strategy", "--samples", "0", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    rows = {r["option"]: r for r in doc["options"]}
    dialogue = rows["dialogue-total"]
    shares = dialogue["financing"]["shares"]
    for category in ("investment", "transition", "operations"):
        assert sum(shares[category].values()) == pytest.approx(1.0)
    assert dialogue["financing"]["cost_pv_per_inhabitant"] == pytest.approx(dialogue["pv_costs"] / 4_793_333)
    assert 0 < dialogue["uptake"]["break_even_share"] < 1
    assert "zero" not in {r["option"] for r in doc["options"] if "uptake" in r}
    assert doc["who_pays"]["uptake"]["condition"]["min_population_share"] == 0.55


def test_risk_costs_follow_the_investment_split_unless_given(tmp_path, setup):
    model, munis, params = setup
    flows = pd.concat([_flows(), pd.DataFrame([{"decision": "pick", "option": "opt", "year": 2024, "category": "risk",
                                                "low": 5.0, "likely": 5.0, "high": 5.0}])], ignore_index=True)
    r = analyse_financing(flows, ["zero", "opt"], 2024, model, munis, params, decision="pick")
    py = r.per_year.set_index(["option", "year", "payer"])["cost"]
    assert py[("opt", 2024, "state")] == pytest.approx(60.0 + 0.6 * 5)
    assert py[("opt", 2024, "municipalities")] == pytest.approx(50.0 + 0.4 * 5)
    text = FINANCING.replace("      operations: {municipalities: 0.5, joint_company: 0.5}\n",
                             "      operations: {municipalities: 0.5, joint_company: 0.5}\n      risk: {joint_company: 1.0}\n", 1)
    (tmp_path / "r.yaml").write_text(text, encoding="utf-8")
    r = analyse_financing(flows, ["zero", "opt"], 2024, load_financing(tmp_path / "r.yaml"), munis, params, decision="pick")
    py = r.per_year.set_index(["option", "year", "payer"])["cost"]
    assert py[("opt", 2024, "joint_company")] == pytest.approx(5.0)
    assert py[("opt", 2024, "state")] == pytest.approx(60.0)
