"""Uptake: ΔNPV at a population share, break-even share (brentq) against a closed form, scenarios, condition."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from procurement.cba.case_flows import case_cashflows
from procurement.cba.npv import evaluate
from procurement.cba.parameters import CbaParameters, load_parameters
from procurement.cba.uptake import (
    ShareDistribution,
    UptakeScenario,
    analyse_uptake,
    case_uptake,
    load_uptake,
    read_municipalities,
    share_path,
)
from procurement.case.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "national-municipal-solution"
D = 1 / 1.04

UPTAKE = """\
id: uptake
condition: {min_population_share: 0.55, citation: "test condition", verified: false}
fixed_share: {investment: 1.0, operations: 0.25, transition: 0.0, benefit: 0.0}
share_distribution: {low: 0.5, likely: 0.7, high: 0.9}
scenarios:
  - id: staged
    joins: {a: 2024, b: 2025}
  - id: only-a
    joins: {a: 2024}
  - id: b-without-big
    joins: {b: 2024, "0003": null}
"""

MUNICIPALITIES = """\
kommunenummer,name,county,population,cluster,in_national_solution,source
0001,One,X,300,a,true,test
0002,Two,X,200,b,true,test
0003,Three,X,500,b,true,test
0004,Central,Y,5000,central,false,test
"""


def _flows() -> pd.DataFrame:
    rows = [
        ("opt", 2024, "investment", 100.0), ("opt", 2025, "operations", 20.0), ("opt", 2025, "benefit", 150.0),
        ("zero", 2024, "operations", 10.0), ("zero", 2025, "operations", 30.0),
    ]
    df = pd.DataFrame(rows, columns=["option", "year", "category", "likely"])
    df["low"], df["high"] = df["likely"], df["likely"]
    df["decision"] = "pick"
    return df[["decision", "option", "year", "category", "low", "likely", "high"]]


PARAMS = CbaParameters(benefit_real_growth=0.0, residual_value_method="none")  # 4 %, tax cost 20 %, no cash savings


def _closed_form(s: float) -> float:
    """ΔNPV at a constant share s, by hand.

    NPV = benefits - 1.2 x costs (tax-financing cost 20 %, no cash savings).
    Option at s: investment -1.2 x 100 (fixed); operations -1.2 x 20 (0.25 + 0.75 s) D; benefit 150 s D.
    Not joined: (1 - s) x NPV(zero); NPV(zero) = -1.2 (10 + 30 D). ΔNPV = option + (1 - s) NPV(zero) - NPV(zero).
    = -120 - 6 D + s (12 + 168 D).
    """
    return -120 - 6 * D + s * (12 + 168 * D)


@pytest.fixture
def setup(tmp_path):
    (tmp_path / "uptake.yaml").write_text(UPTAKE, encoding="utf-8")
    (tmp_path / "municipalities.csv").write_text(MUNICIPALITIES, encoding="utf-8")
    return load_uptake(tmp_path / "uptake.yaml"), read_municipalities(tmp_path / "municipalities.csv")


def test_break_even_share_equals_closed_form(setup):
    model, munis = setup
    r = analyse_uptake(_flows(), ["zero", "opt"], 2024, munis, model, PARAMS, decision="pick", points=5)
    s_star = (120 + 6 * D) / (12 + 168 * D)
    assert 0.72 < s_star < 0.73
    row = r.break_even.loc["opt"]
    assert row["break_even_share"] == pytest.approx(s_star, abs=1e-9)
    assert row["delta_npv_full"] == pytest.approx(_closed_form(1.0))
    assert row["delta_npv_none"] == pytest.approx(_closed_form(0.0))
    assert not row["meets_condition"]  # 72.5 % needed, the condition asks 55 %
    # P(share >= s*) of a triangular (0.5, 0.7, 0.9) above its mode: (0.9 - s)^2 / ((0.9 - 0.5)(0.9 - 0.7))
    assert row["p_share_above_break_even"] == pytest.approx((0.9 - s_star) ** 2 / (0.4 * 0.2))
    curve = r.curve.set_index("share")["delta_npv"]
    for s in (0.0, 0.25, 0.5, 0.75, 1.0):
        assert curve[s] == pytest.approx(_closed_form(s))


def test_full_uptake_is_the_plain_incremental_npv(setup):
    model, munis = setup
    r = analyse_uptake(_flows(), ["zero", "opt"], 2024, munis, model, PARAMS, decision="pick", points=2)
    plain = evaluate(_flows(), ["zero", "opt"], 2024, PARAMS, decision="pick").table.loc["opt", "incremental_npv"]
    assert r.break_even.loc["opt", "delta_npv_full"] == pytest.approx(plain, rel=1e-12)


def test_scenario_with_staged_joins_by_hand(setup):
    model, munis = setup
    r = analyse_uptake(_flows(), ["zero", "opt"], 2024, munis, model, PARAMS, decision="pick", points=2)
    # Central Norway is outside: population 1000; cluster a (300) joins in 2024, b (700) in 2025
    assert r.population == 1000 and r.excluded_population == 5000
    assert r.paths["staged"].tolist() == pytest.approx([0.3, 1.0])
    assert r.paths["only-a"].tolist() == pytest.approx([0.3, 0.3])
    assert r.paths["b-without-big"].tolist() == pytest.approx([0.2, 0.2])  # municipality 0003 stays out
    sc = r.scenarios.set_index("scenario")
    # 2024: investment -120, not-joined 0.7 x -12; 2025: operations -24 D, benefit 150 D, not joined 0; minus NPV(zero)
    hand = -120 - 0.7 * 12 - 24 * D + 150 * D + 1.2 * (10 + 30 * D)
    assert sc.loc["staged", "delta_npv"] == pytest.approx(hand)
    assert bool(sc.loc["staged", "meets_condition"]) and bool(sc.loc["staged", "profitable"]) == (hand > 0)
    assert not bool(sc.loc["only-a", "meets_condition"])
    assert sc.loc["only-a", "delta_npv"] == pytest.approx(_closed_form(0.3))


def test_unknown_cluster_in_scenario_is_named(setup):
    _, munis = setup
    bad = UptakeScenario(id="typo", joins={"bb": 2025})
    with pytest.raises(InputError) as e:
        share_path(munis, bad, [2024, 2025])
    assert "scenario 'typo', joins 'bb'" in str(e.value) and "b" in str(e.value)


def test_bad_inputs_are_reported(tmp_path):
    (tmp_path / "m.csv").write_text(MUNICIPALITIES.replace("0002,Two,X,200", "002,Two,X,-5"), encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_municipalities(tmp_path / "m.csv")
    text = str(e.value)
    assert "row 3, column 'kommunenummer'" in text and "row 3, column 'population'" in text
    (tmp_path / "u.yaml").write_text(UPTAKE.replace("min_population_share: 0.55", "min_population_share: 55"), encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_uptake(tmp_path / "u.yaml")
    assert "condition.min_population_share" in str(e.value)
    with pytest.raises(ValueError):
        ShareDistribution(low=0.8, likely=0.5, high=0.9)


def test_example_case():
    import procurement as pw

    case = pw.load_case(EXAMPLE)
    r = case_uptake(case, "contract-strategy", points=3)
    flows, options = case_cashflows(case, "contract-strategy")
    plain = evaluate(flows, options, case.base_year, load_parameters()).table["incremental_npv"]
    sc = r.scenarios[r.scenarios["scenario"] == "all-from-start"].set_index("option")["delta_npv"]
    assert sc.to_dict() == pytest.approx(plain.drop("zero").to_dict(), rel=1e-10)
    # SSB 1 January 2024: 5,550,203 in all; the 67 municipalities of Helseplattformen (Trøndelag, Møre og Romsdal,
    # Bindal, Os: 756,870 inhabitants, the sum of the cited list) are outside the national solution
    assert r.population + r.excluded_population == 5_550_203
    assert r.excluded_population == 756_870
    be = r.break_even
    assert 0.3 < be.loc["dialogue-total", "break_even_share"] < 0.9
    # a break-even share exists exactly when ΔNPV changes sign between no uptake and full uptake,
    # and ΔNPV is linear in a constant share here, so it lies where the straight line crosses zero
    for o, row in be.iterrows():
        crosses = row["delta_npv_none"] < 0 < row["delta_npv_full"]
        assert crosses == (not pd.isna(row["break_even_share"])), o
        if crosses:
            line = row["delta_npv_none"] / (row["delta_npv_none"] - row["delta_npv_full"])
            assert row["break_even_share"] == pytest.approx(line, abs=1e-8), o
    without_east = r.scenarios[r.scenarios["scenario"] == "without-east"]
    assert (without_east["final_share"] < 0.55).all() and not without_east["meets_condition"].any()


def test_curve_figure_speaks_the_report_language(setup):
    from procurement.plots.uptake import uptake_curve_figure

    model, munis = setup
    r = analyse_uptake(_flows(), ["zero", "opt"], 2024, munis, model, PARAMS, decision="pick", points=3)
    fig = uptake_curve_figure(r.curve, r.break_even["break_even_share"], r.condition.min_population_share, language="nb",
                              labels={"opt": "Alternativ"}, unit="NOK", base_year=2024, screened_out=["opt"])
    ax = fig.axes[0]
    assert ax.get_xlabel().startswith("Andel av befolkningen")
    assert "faste 2024-kroner" in ax.get_ylabel()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Alternativ (silt ut)" in legend and "nullpunkt" in legend
    fig.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert "40\xa0%" in ticks and "100\xa0%" in ticks
    notes = [t.get_text() for t in ax.texts]
    assert any(n.startswith("KS2 av Akson (annen modell): 55") for n in notes)  # another model's figure, named
    en = uptake_curve_figure(r.curve, r.break_even["break_even_share"], r.condition.min_population_share,
                            language="en").axes[0]
    assert en.get_xlabel().startswith("Share of the population")


def _spread_flows() -> pd.DataFrame:
    df = _flows()
    df["low"], df["high"] = df["likely"] * 0.7, df["likely"] * 1.6
    return df


def test_uptake_in_the_monte_carlo_equals_a_direct_simulation_at_that_share(setup, monkeypatch):
    """With the share fixed at 0.3, the decomposition A + s (B - Z) equals simulating the blended flows themselves."""
    import numpy as np

    from procurement.cba import uptake as mod
    from procurement.cba.simulation import simulate

    model, _ = setup
    monkeypatch.setattr(mod, "_draw_shares", lambda dist, n, seed: np.full(n, 0.3))
    sim = mod.simulate_uptake(_spread_flows(), ["zero", "opt"], 2024, model, PARAMS, samples=2000, seed=7)
    blended = mod.blended_flows(_spread_flows(), ["zero", "opt"], "zero", {2024: 0.3, 2025: 0.3}, model)
    direct = simulate(blended, ["zero", "opt", mod.REST], 2024, PARAMS, samples=2000, seed=7, zero="zero").samples["npv"]
    expected = direct[:, 1] + direct[:, 2] - direct[:, 0]
    assert np.allclose(sim.delta_npv[:, 0], expected, rtol=1e-12, atol=1e-9)


def test_uptake_in_the_monte_carlo_by_the_numbers(setup):
    import numpy as np

    from procurement.cba.uptake import simulate_uptake

    model, _ = setup
    sim = simulate_uptake(_spread_flows(), ["zero", "opt"], 2024, model, PARAMS, samples=20_000, seed=3)
    # the shares follow the triangular (0.5, 0.7, 0.9): mean 0.7
    assert sim.share.min() >= 0.5 and sim.share.max() <= 0.9
    assert sim.share.mean() == pytest.approx(0.7, abs=0.005)
    again = simulate_uptake(_spread_flows(), ["zero", "opt"], 2024, model, PARAMS, samples=20_000, seed=3)
    assert np.array_equal(sim.delta_npv, again.delta_npv)
    # amounts are drawn around the triangular means (0.7 + 1 + 1.6) / 3 = 1.1 x likely, independent of the share,
    # so the mean ΔNPV is close to the closed form at share 0.7 with every amount x 1.1
    stderr = sim.delta_npv[:, 0].std() / np.sqrt(len(sim.delta_npv))
    assert sim.table.loc["opt", "mean"] == pytest.approx(1.1 * _closed_form(0.7), abs=4 * stderr)
    assert 0 < sim.table.loc["opt", "p_positive"] < sim.table.loc["opt", "p_positive_full_uptake"] <= 1
