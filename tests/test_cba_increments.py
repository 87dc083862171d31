"""ΔNPV against the 0-alternative, scaled flows (uptake), checked against hand computations."""

from __future__ import annotations

import pandas as pd
import pytest

from procurement.cba import percentiles
from procurement.cba.case_flows import case_cashflows
from procurement.cba.npv import evaluate
from procurement.cba.parameters import CbaParameters, load_parameters, with_parameters
from procurement.cba.scaling import scaled_evaluate
from procurement.cba.simulation import s_curve_data, simulate


def _flows(rows):
    df = pd.DataFrame(rows, columns=["option", "year", "category", "low", "likely", "high"])
    df["decision"] = "d"
    df["source"] = "test"
    return df


FLOWS = _flows(
    [
        ("zero", 2025, "operations", 100, 100, 100),
        ("zero", 2026, "operations", 100, 100, 100),
        ("a", 2025, "investment", 50, 50, 50),
        ("a", 2025, "operations", 60, 60, 60),
        ("a", 2026, "operations", 60, 60, 60),
        ("a", 2026, "benefit", 10, 10, 10),
    ]
)
PARAMS = CbaParameters(benefit_real_growth=0.0, residual_value_method="none")


def test_incremental_npv_by_hand():
    res = evaluate(FLOWS, ["a", "zero"], 2025, PARAMS)
    npv_zero = -1.2 * (100 + 100 / 1.04)
    npv_a = 10 / 1.04 - 1.2 * (50 + 60 + 60 / 1.04)
    assert res.table.loc["zero", "npv"] == pytest.approx(npv_zero)
    assert res.table.loc["a", "npv"] == pytest.approx(npv_a)
    assert res.table.loc["a", "incremental_npv"] == pytest.approx(npv_a - npv_zero)


def test_scaled_evaluate_by_hand():
    res = scaled_evaluate(FLOWS, ["a", "zero"], 2025, {2025: 0.5, 2026: 0.25}, PARAMS)
    # investment stays whole; operations and benefit scaled; the 0-alternative is not scaled
    npv_a = 0.25 * 10 / 1.04 - 1.2 * (50 + 0.5 * 60 + 0.25 * 60 / 1.04)
    npv_zero = -1.2 * (100 + 100 / 1.04)
    assert res.table.loc["a", "npv"] == pytest.approx(npv_a)
    assert res.table.loc["a", "incremental_npv"] == pytest.approx(npv_a - npv_zero)


def test_scaled_evaluate_needs_every_year():
    from procurement.case.errors import InputError

    with pytest.raises(InputError, match="year 2026"):
        scaled_evaluate(FLOWS, ["a", "zero"], 2025, {2025: 0.5}, PARAMS)


# --------------------------------------------------------------------------- common random numbers, blocks

import numpy as np  # noqa: E402

SPREAD = _flows(
    [
        ("zero", 2025, "operations", 80, 100, 130),
        ("zero", 2026, "operations", 80, 100, 130),
        ("a", 2025, "operations", 60, 75, 100),
        ("a", 2026, "operations", 60, 75, 100),
        ("a", 2026, "benefit", 0, 10, 30),
    ]
)


def test_common_random_numbers_narrow_the_spread_of_differences():
    """One draw per category drives both options: ΔNPV spreads less than with independent draws."""
    crn = simulate(SPREAD, ["a", "zero"], 2025, PARAMS, samples=40_000, seed=4)
    ind = simulate(SPREAD, ["a", "zero"], 2025, PARAMS, samples=40_000, seed=4, common=0.0)
    d_crn = crn.samples["incremental_npv"][:, 0]
    d_ind = ind.samples["incremental_npv"][:, 0]
    assert d_crn.std() < 0.5 * d_ind.std()
    # closed form: with common draws both operations move together, so ΔNPV costs scale with (span_a - span_zero);
    # with independent draws Var(Δ) = Var(a) + Var(zero)
    var_ind = crn.samples["npv"][:, 0].var() + crn.samples["npv"][:, 1].var()
    assert d_ind.var() == pytest.approx(var_ind, rel=0.05)
    # each option alone is distributed the same either way
    assert crn.samples["npv"][:, 0].std() == pytest.approx(ind.samples["npv"][:, 0].std(), rel=0.03)
    np.testing.assert_allclose(d_crn, crn.samples["npv"][:, 0] - crn.samples["npv"][:, 1], rtol=1e-12, atol=1e-9)


def test_common_share_must_be_between_zero_and_one():
    from procurement.case.errors import InputError

    with pytest.raises(InputError, match="outside"):
        simulate(SPREAD, ["a", "zero"], 2025, PARAMS, samples=10, common=1.5)


@pytest.mark.parametrize("common", [1.0, 0.5, 0.0])
def test_block_passes_equal_the_kept_draws(common):
    """Without keeping the draws (max_memory tiny), every statistic equals the one-shot result of the same seed."""
    kw = dict(samples=30_000, seed=8, common=common)
    one = simulate(SPREAD, ["a", "zero"], 2025, PARAMS, **kw)
    blocks = simulate(SPREAD, ["a", "zero"], 2025, PARAMS, max_memory=2**20, **kw)
    assert one.kept and not blocks.kept
    for m in ("npv", "investment", "incremental_npv"):
        ps = (10, 50, 85, 90)
        np.testing.assert_array_equal(blocks.percentiles(m, ps).to_numpy(), np.percentile(one.samples[m], ps, axis=0).T)
    np.testing.assert_allclose(blocks.mean("npv"), one.samples["npv"].mean(axis=0), rtol=1e-12)
    pd.testing.assert_series_equal(blocks.p_npv_positive(), pd.Series((one.samples["npv"] > 0).mean(axis=0),
                                                                       index=["a", "zero"], name="p_npv_positive"))
    assert blocks.p_incremental_positive()["a"] == (one.samples["incremental_npv"][:, 0] > 0).mean()
    pd.testing.assert_frame_equal(blocks.summary(), one.summary(), rtol=1e-12)
    curve = s_curve_data(blocks, "npv")
    exact = s_curve_data(one, "npv")
    span = one.samples["npv"].max() - one.samples["npv"].min()
    assert np.abs(curve["value"] - exact["value"]).max() < 0.01 * span


def test_block_passes_refine_and_refuse_when_memory_is_too_small(monkeypatch):
    from procurement.case.errors import InputError

    refined = []
    original = percentiles.refine_pass
    monkeypatch.setattr(percentiles, "refine_pass", lambda *a: refined.append(1) or original(*a))
    sim = simulate(SPREAD, ["a", "zero"], 2025, PARAMS, samples=30_000, seed=8, max_memory=2 * 2**10)
    assert refined  # the values near the percentiles did not fit in 2 kB at first
    one = simulate(SPREAD, ["a", "zero"], 2025, PARAMS, samples=30_000, seed=8)
    np.testing.assert_array_equal(sim.percentiles("npv").to_numpy(), one.percentiles("npv").to_numpy())
    with pytest.raises(InputError, match=r"need about [\d.,]+ (kB|MB) to find the percentiles exactly \(limit 0.0 kB\)"):
        simulate(SPREAD, ["a", "zero"], 2025, PARAMS, samples=30_000, seed=8, max_memory=16)


def test_hundred_thousand_samples_average_to_the_npv_of_the_expected_values():
    """100,000 draws of the example: NPV is linear in the flows, so its mean is the NPV of the triangular means.

    Closed form: the mean of a triangular (low, likely, high) is their average, so the simulated mean NPV of every
    option must lie within four standard errors of the deterministic NPV at the expected values. (How long the
    100,000 samples take is a figure of benchmarks/cba.py, not an assertion here.)
    """
    import procurement as pw

    case = pw.load_case("data/national-municipal-solution")
    flows, options = case_cashflows(case, "contract-strategy")
    params = load_parameters()
    sim = simulate(flows, options, case.base_year, params, samples=100_000, seed=1)
    summary = sim.summary()
    expected = evaluate(flows, options, case.base_year, params).table["npv"]
    spread = sim.percentiles("npv")
    standard_error = (spread["P90"] - spread["P10"]) / (2 * 1.2816) / np.sqrt(100_000)  # sd of a normal from P10..P90
    gap = (summary["npv_mean"] - expected).abs()
    assert (standard_error > 0).all() and expected.abs().max() > 1e10  # a real spread around real values
    assert (gap < 4 * standard_error).all(), pd.DataFrame({"gap": gap, "se": standard_error})


# --------------------------------------------------------------------------- R-109 conventions


def test_residual_value_is_the_present_value_of_net_effects_after_the_period():
    """NOU 2012:16 ch. 6: the last year's recurring effects continue through the measure's lifetime."""
    f = _flows([("a", 2025, "investment", 500, 500, 500), ("a", 2026, "operations", 40, 40, 40),
                ("a", 2026, "benefit", 100, 100, 100)])
    params = CbaParameters(benefit_real_growth=0.01, residual_value_method="net_effects",
                           measure_lifetime_years=5)  # 2025..2029: 3 years after 2026
    res = evaluate(f, ["a"], 2025, params)
    after = [2, 3, 4]  # t of 2027, 2028, 2029
    benefits = sum(100 * 1.01 ** (t) / 1.04**t for t in after)  # real growth from the base year 2025
    costs = sum(40 / 1.04**t for t in after)
    residual = benefits - 1.2 * costs  # public_benefit_share 0: benefits carry no tax, costs 20 %
    assert res.table.loc["a", "residual_value"] == pytest.approx(residual)
    npv = 100 * 1.01 / 1.04 - 1.2 * (500 + 40 / 1.04) + residual
    assert res.table.loc["a", "npv"] == pytest.approx(npv)
    # the book-value alternative, written off over the same (one) lifetime: the investment of 2025 has used 2 of
    # 5 years at the end of 2026
    linear = evaluate(f, ["a"], 2025, with_parameters(params, residual_value_method="linear"))
    assert linear.table.loc["a", "residual_value"] == pytest.approx(500 * (1 - 2 / 5) / 1.04)
    # a lifetime that ends with the period leaves nothing
    none = evaluate(f, ["a"], 2025, with_parameters(params, measure_lifetime_years=2))
    assert none.table.loc["a", "residual_value"] == 0


def test_an_analysis_period_reaching_the_two_percent_step_is_accepted_by_default():
    f = _flows([("a", 2025 + t, "operations", 1, 1, 1) for t in (0, 80)])
    res = evaluate(f, ["a"], 2025, load_parameters())
    assert res.timeline.period == 81
    assert res.discount["rate"].iloc[-1] == 0.02
    assert res.table.loc["a", "pv_costs"] == pytest.approx(1 + 1.04**-40 * 1.03**-35 * 1.02**-5)


def test_net_benefit_per_budget_krone_on_the_increments_by_hand():
    f = _flows([("zero", 2025, "operations", 100, 100, 100), ("a", 2025, "operations", 150, 150, 150),
                ("a", 2026, "benefit", 104, 104, 104)])
    res = evaluate(f, ["a", "zero"], 2025, PARAMS)
    delta_npv = (104 / 1.04 - 1.2 * 150) - (-1.2 * 100)  # 100 - 180 + 120 = 40
    assert res.table.loc["a", "incremental_npv"] == pytest.approx(delta_npv)
    assert res.table.loc["a", "incremental_net_benefit_per_krone"] == pytest.approx(delta_npv / (150 - 100))
    assert np.isnan(res.table.loc["zero", "incremental_net_benefit_per_krone"])


def test_cli_json_leads_with_the_increments(capsys):
    import json

    from procurement.cli import main

    assert main(["cba", "data/national-municipal-solution", "--decision", "contract-strategy", "--samples", "2000",
                 "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert next(iter(doc)) == "incremental"
    inc = doc["incremental"]
    assert inc["reference"] == "zero" and inc["point_estimate"] == "expected"
    first = inc["options"][0]
    assert {"incremental_npv", "incremental_npv_P10", "incremental_npv_P90", "p_incremental_positive",
            "incremental_net_benefit_per_krone"} <= set(first)
    table = {o["option"]: o for o in doc["options"]}
    assert first["incremental_npv"] == pytest.approx(table[first["option"]]["npv"] - table["zero"]["npv"])
    # screened-out options come last and are marked
    marked = [o["screened_out"] is not None for o in inc["options"]]
    assert marked == sorted(marked)
