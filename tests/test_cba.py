"""Cost-benefit analysis after R-109: hand-computed NPV, rate steps, tax cost, Monte Carlo."""

from __future__ import annotations

import json
import math
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from procurement.cba.case_flows import case_cashflows
from procurement.cba.criteria import cba_criterion_values
from procurement.cba.discounting import discount_factors
from procurement.cba.draws import CHUNK
from procurement.cba.npv import evaluate
from procurement.cba.parameters import CbaParameters, load_parameters, with_parameters
from procurement.cba.simulation import s_curve_data, simulate
from procurement.case.errors import InputError
from procurement.plots.cba import s_curve_figure

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "national-municipal-solution"
CONTRACT_OPTIONS = [
    "zero",
    "dialogue-total",
    "negotiated-total",
    "modular-lots",
    "helseplattformen-extend",
    "inhouse-company",
    "framework-call-off",
    "innovation-partnership",
]


def flows(rows, decision="d") -> pd.DataFrame:
    """A cash-flow frame from (option, year, category, low, likely, high) tuples; rows start at line 2."""
    df = pd.DataFrame(rows, columns=["option", "year", "category", "low", "likely", "high"])
    df.insert(0, "decision", decision)
    df["source"] = "test"
    df["row"] = np.arange(len(df)) + 2
    df.attrs["path"] = "cashflows.csv"
    return df


def point(option, year, category, amount):
    return (option, year, category, amount, amount, amount)


PLAIN = CbaParameters(residual_value_method="none", benefit_real_growth=0.0, tax_financing_cost=0.0)


# --------------------------------------------------------------------------- deterministic


def test_npv_of_a_three_year_flow_by_hand_to_the_krone():
    f = flows(
        [
            point("a", 2024, "investment", 1_000_000),
            point("a", 2025, "operations", 100_000),
            point("a", 2026, "benefit", 500_000),
        ]
    )
    params = CbaParameters(benefit_real_growth=0.008, tax_financing_cost=0.20, measure_lifetime_years=10, point_estimate="likely",
                           residual_value_method="linear")  # the book-value alternative; net_effects: test_cba_increments
    res = evaluate(f, ["a"], base_year=2024, params=params)
    row = res.table.loc["a"]
    # by hand: base year 2024 is t = 0; 4 % in years 1..40
    pv_costs = 1_000_000 + 100_000 / 1.04  # 1,096,153.85
    pv_benefits = 500_000 * 1.008**2 / 1.04**2  # real price adjustment from 2024: 469,704.14
    residual = 1_000_000 * (1 - 3 / 10) / 1.04**2  # used 2024-2026 = 3 of 10 years: 647,189.35
    tax = 0.20 * pv_costs  # 219,230.77
    npv = pv_benefits + residual - pv_costs - tax
    assert round(npv) == -198_491
    assert row["npv"] == pytest.approx(npv, abs=0.5)
    assert row["pv_costs"] == pytest.approx(pv_costs, abs=0.5)
    assert row["pv_benefits"] == pytest.approx(pv_benefits, abs=0.5)
    assert row["residual_value"] == pytest.approx(residual, abs=0.5)
    assert row["tax_cost"] == pytest.approx(tax, abs=0.5)
    assert row["investment"] == 1_000_000
    # annualised cost: the constant amount in each of 2024..2026 with the same PV
    assert row["annualised_cost"] == pytest.approx(pv_costs / (1 + 1 / 1.04 + 1 / 1.04**2), abs=0.5)
    assert row["net_benefit_per_krone"] == pytest.approx(npv / pv_costs)
    assert list(res.discount["factor"]) == pytest.approx([1, 1 / 1.04, 1 / 1.04**2])


def test_mean_point_estimate_is_the_triangular_mean():
    f = flows([("a", 2024, "investment", 100, 150, 350)])
    res = evaluate(f, ["a"], 2024, PLAIN)
    assert res.table.loc["a", "pv_costs"] == pytest.approx(200.0)
    res = evaluate(f, ["a"], 2024, with_parameters(PLAIN, distribution="pert"))
    assert res.table.loc["a", "pv_costs"] == pytest.approx((100 + 4 * 150 + 350) / 6)


def test_discount_factors_step_at_years_40_and_75():
    t = np.arange(0, 81)
    df = discount_factors(t)
    assert df[0] == 1.0
    assert df[40] == pytest.approx(1.04**-40, rel=1e-12)
    assert df[41] == pytest.approx(1.04**-40 * 1.03**-1, rel=1e-12)
    assert df[75] == pytest.approx(1.04**-40 * 1.03**-35, rel=1e-12)
    assert df[76] == pytest.approx(1.04**-40 * 1.03**-35 * 1.02**-1, rel=1e-12)
    assert df[80] == pytest.approx(1.04**-40 * 1.03**-35 * 1.02**-5, rel=1e-12)
    step = df[:-1] / df[1:]
    assert step[:40] == pytest.approx([1.04] * 40)  # t = 1..40
    assert step[40:75] == pytest.approx([1.03] * 35)  # t = 41..75
    assert step[75:] == pytest.approx([1.02] * 5)  # t = 76..80


def test_an_eighty_year_flow_uses_the_declining_rate():
    f = flows([point("a", 2024 + t, "benefit", 1.0) for t in range(81)])
    params = with_parameters(PLAIN, max_analysis_period=100)
    res = evaluate(f, ["a"], 2024, params)
    expected = sum(
        1.04 ** -min(t, 40) * 1.03 ** -min(max(t - 40, 0), 35) * 1.02 ** -max(t - 75, 0) for t in range(81)
    )
    assert res.table.loc["a", "pv_benefits"] == pytest.approx(expected, rel=1e-12)
    d = res.discount.set_index("t")
    assert d.loc[40, "rate"] == 0.04 and d.loc[41, "rate"] == 0.03
    assert d.loc[75, "rate"] == 0.03 and d.loc[76, "rate"] == 0.02
    assert res.timeline.period == 81


def test_tax_financing_cost_is_twenty_percent_of_net_public_spending():
    f = flows([point("a", 2024, "investment", 1000.0), point("a", 2024, "benefit", 400.0)])
    params = CbaParameters(residual_value_method="none")
    row = evaluate(f, ["a"], 2024, params).table.loc["a"]
    assert params.tax_financing_cost == 0.20
    assert row["tax_cost"] == pytest.approx(200.0)  # benefits to society do not reduce public spending
    assert row["npv"] == pytest.approx(400 - 1000 - 200)
    row = evaluate(f, ["a"], 2024, with_parameters(params, public_benefit_share=0.5)).table.loc["a"]
    assert row["net_public_spending"] == pytest.approx(1000 - 0.5 * 400)
    assert row["tax_cost"] == pytest.approx(0.20 * 800)
    assert row["npv"] == pytest.approx(400 - 1000 - 160)
    assert row["net_benefit_per_krone"] == pytest.approx(-760 / 800)


def test_incremental_npv_against_the_zero_alternative():
    f = flows([point("zero", 2024, "operations", 500.0), point("a", 2024, "investment", 300.0)])
    res = evaluate(f, ["zero", "a", "b"], 2024, PLAIN)
    assert res.table.loc["a", "incremental_npv"] == pytest.approx(200.0)
    assert res.table.loc["b", "npv"] == 0.0  # an option without flows
    assert res.table.loc["b", "incremental_npv"] == pytest.approx(500.0)
    assert res.zero == "zero"
    no_zero = evaluate(f[f.option == "a"], ["a"], 2024, PLAIN)
    assert no_zero.zero is None and np.isnan(no_zero.table.loc["a", "incremental_npv"])


def test_first_year_convention_discounts_to_the_first_cash_flow():
    f = flows([point("a", 2026, "investment", 100.0), point("a", 2027, "investment", 104.0)])
    res = evaluate(f, ["a"], 2024, with_parameters(PLAIN, discount_year="first_year"))
    assert res.timeline.start == 2026
    assert res.table.loc["a", "pv_costs"] == pytest.approx(200.0)


# --------------------------------------------------------------------------- bad input


def problems_of(fn, *args, **kw) -> list[str]:
    with pytest.raises(InputError) as e:
        fn(*args, **kw)
    return [str(p) for p in e.value.problems]


def test_years_out_of_order_or_duplicated_name_file_and_row():
    f = flows([point("a", 2026, "operations", 1), point("a", 2025, "operations", 1), point("a", 2025, "operations", 1)])
    msgs = problems_of(evaluate, f, ["a"], 2024, PLAIN)
    assert any(m.startswith("cashflows.csv: row 3, column 'year'") and "is out of order" in m and "after 2026" in m for m in msgs)
    assert any(m.startswith("cashflows.csv: row 4, column 'year'") and "appears twice" in m and "row 3" in m for m in msgs)


def test_low_likely_high_out_of_order_names_file_and_row():
    f = flows([("a", 2024, "investment", 10, 20, 30), ("a", 2025, "investment", 30, 20, 10)])
    (msg,) = problems_of(evaluate, f, ["a"], 2024, PLAIN)
    assert msg.startswith("cashflows.csv: row 3, columns 'low,likely,high': 30, 20, 10 are not in order")


def test_rate_outside_minus_one_to_one_names_file_and_key(tmp_path):
    reference = (ROOT / "src" / "procurement" / "reference" / "r109.yaml").read_text(encoding="utf-8")
    text = reference.replace("[0.04, 0.03, 0.02]", "[4, 0.03, 0.02]")
    path = tmp_path / "r109.yaml"
    path.write_text(text, encoding="utf-8")
    (msg,) = problems_of(load_parameters, path)
    assert "r109.yaml: key 'parameters.discount_rates'" in msg and "outside (-1, 1)" in msg
    (msg,) = problems_of(load_parameters, None, benefit_real_growth=1.5)
    assert "benefit_real_growth" in msg and "outside (-1, 1)" in msg
    with pytest.raises(InputError):
        with_parameters(PLAIN, discount_rates=(0.04, -1.0, 0.02))


def test_analysis_period_shorter_than_the_cash_flows_names_the_row():
    f = flows([point("a", 2024, "investment", 1), point("a", 2030, "operations", 1)])
    (msg,) = problems_of(evaluate, f, ["a"], 2024, with_parameters(PLAIN, analysis_period=5))
    assert msg.startswith("cashflows.csv: row 3, column 'year': year 2030 is after the end of the analysis period "
                          "of 5 years (2024-2028)")
    long = flows([point("a", 2024 + t, "operations", 1) for t in (0, 100)])
    (msg,) = problems_of(evaluate, long, ["a"], 2024, PLAIN)
    assert msg.startswith("cashflows.csv: row 3, column 'year': year 2124") and "100 years" in msg


def test_a_flow_before_the_base_year_names_the_row():
    f = flows([point("a", 2023, "investment", 1)])
    (msg,) = problems_of(evaluate, f, ["a"], 2024, PLAIN)
    assert msg.startswith("cashflows.csv: row 2, column 'year': year 2023 is before the discount year 2024")


def test_cash_flows_for_an_option_the_decision_does_not_have():
    f = flows([point("zero", 2024, "investment", 1), point("dialog-total", 2024, "investment", 1)])
    (msg,) = problems_of(evaluate, f, ["zero", "dialogue-total"], 2024, PLAIN, decision="d")
    assert msg == ("cashflows.csv: row 3, column 'option': decision 'd' has no option 'dialog-total' "
                   "(did you mean 'dialogue-total'?)")


# --------------------------------------------------------------------------- Monte Carlo


def triangular_ppf(p, a, c, b):
    fc = (c - a) / (b - a)
    return a + math.sqrt(p * (b - a) * (c - a)) if p < fc else b - math.sqrt((1 - p) * (b - a) * (b - c))


def test_p50_and_p85_of_a_single_triangular_cost_match_the_closed_form():
    a, c, b = 100.0, 150.0, 300.0
    f = flows([("a", 2024, "investment", a, c, b)])
    params = CbaParameters(residual_value_method="none")
    sim = simulate(f, ["a"], 2024, params, samples=100_000, seed=7)
    p = sim.percentiles("investment").loc["a"]
    p50, p85 = triangular_ppf(0.50, a, c, b), triangular_ppf(0.85, a, c, b)
    assert p50 == pytest.approx(300 - math.sqrt(15_000))
    assert p85 == pytest.approx(stats.triang.ppf(0.85, (c - a) / (b - a), loc=a, scale=b - a))
    # standard error of a quantile: sqrt(p(1-p)/n) / density; 4 standard errors allowed
    for q, value in ((0.50, p50), (0.85, p85)):
        density = 2 * (b - value) / ((b - a) * (b - c))
        se = math.sqrt(q * (1 - q) / sim.n) / density
        assert abs(p[f"P{round(q * 100)}"] - value) < 4 * se
    # NPV = -1.2 x cost: its P15 is the cost's P85
    assert np.percentile(sim.samples["npv"][:, 0], 15) == pytest.approx(-1.2 * p["P85"], rel=1e-9)
    assert sim.samples["npv"][:, 0].mean() == pytest.approx(-1.2 * (a + b + c) / 3, rel=2e-3)


def test_pert_mean_and_median():
    a, c, b = 0.0, 20.0, 100.0
    f = flows([("a", 2024, "investment", a, c, b)])
    sim = simulate(f, ["a"], 2024, CbaParameters(residual_value_method="none", distribution="pert"), samples=100_000, seed=3)
    alpha, beta = 1 + 4 * (c - a) / (b - a), 1 + 4 * (b - c) / (b - a)
    x = sim.samples["investment"][:, 0]
    assert x.mean() == pytest.approx((a + 4 * c + b) / 6, rel=5e-3)
    assert np.median(x) == pytest.approx(a + (b - a) * stats.beta.ppf(0.5, alpha, beta), rel=5e-3)


def test_probability_npv_positive_and_cheapest():
    f = flows(
        [
            point("cheap", 2024, "investment", 100.0),
            ("cheap", 2024, "benefit", 0.0, 100.0, 200.0),  # symmetric around the cost
            ("dear", 2024, "investment", 150.0, 200.0, 250.0),
        ]
    )
    sim = simulate(f, ["cheap", "dear"], 2024, PLAIN, samples=50_000, seed=1)
    assert sim.p_npv_positive()["cheap"] == pytest.approx(0.5, abs=0.01)
    assert sim.p_npv_positive()["dear"] == 0.0
    assert sim.p_cheapest().to_dict() == {"cheap": 1.0, "dear": 0.0}


def test_seed_reproducibility():
    f = flows([("a", 2024 + t, cat, 1, 2, 4) for cat in ("investment", "operations", "benefit") for t in range(5)])
    one = simulate(f, ["a"], 2024, samples=3 * CHUNK, seed=11)
    two = simulate(f, ["a"], 2024, samples=3 * CHUNK, seed=11)
    other = simulate(f, ["a"], 2024, samples=3 * CHUNK, seed=12)
    prefix = simulate(f, ["a"], 2024, samples=CHUNK, seed=11)
    np.testing.assert_array_equal(one.samples["npv"], two.samples["npv"])
    assert not np.array_equal(one.samples["npv"], other.samples["npv"])
    np.testing.assert_array_equal(prefix.samples["npv"], one.samples["npv"][:CHUNK])


def test_rank_correlation_between_categories():
    f = flows([("a", 2024, "investment", 0, 50, 100), ("a", 2024, "operations", 0, 10, 100)])
    sim = simulate(f, ["a"], 2024, PLAIN, samples=40_000, seed=5, correlation=0.7)
    inv = sim.samples["investment"][:, 0]
    ops = sim.samples["pv_costs"][:, 0] - inv
    assert stats.spearmanr(inv, ops).statistic == pytest.approx(0.7, abs=0.02)
    indep = simulate(f, ["a"], 2024, PLAIN, samples=40_000, seed=5)
    inv = indep.samples["investment"][:, 0]
    assert stats.spearmanr(inv, indep.samples["pv_costs"][:, 0] - inv).statistic == pytest.approx(0.0, abs=0.02)
    with pytest.raises(InputError):
        simulate(f, ["a"], 2024, PLAIN, samples=10, correlation={("investment", "operations"): 1.5})


def test_years_drawn_together_or_apart():
    f = flows([("a", 2024 + t, "operations", 50, 100, 150) for t in range(10)])
    together = simulate(f, ["a"], 2024, PLAIN, samples=20_000, seed=2)
    apart = simulate(f, ["a"], 2024, PLAIN, samples=20_000, seed=2, years_together=False)
    sd_one = 100 / math.sqrt(24)  # sd of triangular(50, 100, 150)
    w = discount_factors(np.arange(10))
    assert together.samples["pv_costs"].std() == pytest.approx(sd_one * w.sum(), rel=0.03)
    assert apart.samples["pv_costs"].std() == pytest.approx(sd_one * math.sqrt((w**2).sum()), rel=0.03)


def test_s_curve_data_and_figure():
    f = flows([("a", 2024, "investment", 1e6, 2e6, 4e6), ("b", 2024, "investment", 2e6, 2e6, 3e6)])
    sim = simulate(f, ["a", "b"], 2024, PLAIN, samples=5_000, seed=1)
    data = s_curve_data(sim, "pv_costs", points=101)
    assert list(data.columns) == ["option", "measure", "probability", "value"]
    assert len(data) == 202
    a = data[data.option == "a"]
    assert a["value"].is_monotonic_increasing
    assert a.loc[a.probability.round(2) == 0.5, "value"].iloc[0] == pytest.approx(np.median(sim.samples["pv_costs"][:, 0]))
    fig = s_curve_figure(data)
    assert fig.axes[0].get_xlabel().startswith("PV of costs (MNOK")  # the measure in words, not its column id (issue 22)
    assert len(fig.axes[0].get_lines()) >= 2


# --------------------------------------------------------------------------- criterion values and the case


class FakeCase(SimpleNamespace):
    def decision(self, did):
        if did != "d":
            raise KeyError(did)
        return SimpleNamespace(option_ids=self.options)


def test_criterion_values_from_the_analysis_in_mnok():
    f = flows([point("zero", 2024, "operations", 5e6), ("a", 2024, "investment", 1e6, 2e6, 4.5e6)])
    case = FakeCase(cashflows=f, base_year=2024, path=ROOT / "data" / "x", options=["zero", "a"], decisions=[])
    v = cba_criterion_values(case, "d", "pv_costs", params=PLAIN)
    assert v.to_dict() == pytest.approx({"zero": 5.0, "a": 2.5})
    assert v.attrs["unit"] == "MNOK"
    p85 = cba_criterion_values(case, "d", "pv_costs_p85", samples=50_000, seed=1, params=PLAIN)
    assert p85["a"] == pytest.approx(triangular_ppf(0.85, 1, 2, 4.5), rel=0.01)
    assert cba_criterion_values(case, "d", "p_cheapest", samples=1000, params=PLAIN).to_dict() == {"zero": 0.0, "a": 1.0}
    with pytest.raises(InputError, match="did you mean 'pv_costs'"):
        cba_criterion_values(case, "d", "pv_cost", params=PLAIN)


def test_parameter_file_cites_every_parameter():
    params = load_parameters()
    cited = {c["parameter"]: c for c in params.cited()}
    assert cited["discount_rates"]["value"] == [0.04, 0.03, 0.02]
    assert cited["discount_breaks"]["value"] == [40, 75]
    assert cited["tax_financing_cost"]["value"] == 0.20
    assert cited["max_analysis_period"]["value"] == 100  # so an analysis period can reach the 2 % step
    assert all(c["citation"] for c in cited.values())
    assert cited["discount_rates"]["verified"] is False  # brief §5: [U]
    assert cited["p_cost_frame"]["verified"] is True and cited["p_cost_frame"]["value"] == 0.85


@pytest.fixture(scope="module")
def example_case():
    loader = pytest.importorskip("procurement.case.loader")
    return loader.load_case(EXAMPLE)


def test_example_contract_strategy_has_npv_p50_and_p85(example_case):
    f, options = case_cashflows(example_case, "contract-strategy")
    assert options == example_case.decision("contract-strategy").option_ids  # the case's order
    assert sorted(options) == sorted(CONTRACT_OPTIONS)
    res = evaluate(f, options, example_case.base_year, load_parameters())
    sim = simulate(f, options, example_case.base_year, load_parameters(), samples=20_000, seed=1)
    summary = sim.summary()
    for col in ("npv_P50", "npv_P85", "investment_P50", "investment_P85", "p_npv_positive", "p_cheapest"):
        assert summary[col].notna().all()
    assert (summary["investment_P50"] < summary["investment_P85"]).all()
    assert res.table["npv"].notna().all()
    assert summary["p_cheapest"].sum() == pytest.approx(1.0)


def test_cli_json_has_discount_factors_and_p50_p85(example_case, capsys):
    from procurement.cli import main

    code = main(["cba", str(EXAMPLE), "--decision", "contract-strategy", "--samples", "2000", "--seed", "1", "--format", "json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    period = out["analysis_period"]
    assert len(out["discount_factors"]) == period["years"]
    first = out["discount_factors"][1]
    assert first["factor"] == pytest.approx(1 / 1.04) and first["rate"] == 0.04
    assert [o["option"] for o in out["options"]] == example_case.decision("contract-strategy").option_ids
    assert sorted(o["option"] for o in out["options"]) == sorted(CONTRACT_OPTIONS)
    for o in out["options"]:
        assert {"npv", "pv_costs", "tax_cost", "incremental_npv"} <= set(o)
        assert set(o["simulation"]["npv"]) == {"P10", "P50", "P85", "P90"}
        assert set(o["simulation"]["investment"]) == {"P10", "P50", "P85", "P90"}
        assert "effects" in o
    assert any(p["parameter"] == "tax_financing_cost" and p["citation"] for p in out["parameters"])


def test_cli_table_and_bad_decision(example_case, capsys):
    from procurement.cli import main

    assert main(["cba", str(EXAMPLE), "--decision", "contract-strategy", "--samples", "1000"]) == 0
    out = capsys.readouterr().out
    assert "npv_P85" in out and "helseplattformen-extend" in out and "Non-monetised effects" in out
    assert main(["cba", str(EXAMPLE), "--decision", "contract-strategi"]) == 2
    assert "did you mean 'contract-strategy'" in capsys.readouterr().err
