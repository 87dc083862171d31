"""ΔNPV against the 0-alternative, scaled flows (uptake), checked against hand computations."""

from __future__ import annotations

import pandas as pd
import pytest

from procurement.cba import r109


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
PARAMS = r109.CbaParameters(benefit_real_growth=0.0, residual_value_method="none")


def test_incremental_npv_by_hand():
    res = r109.evaluate(FLOWS, ["a", "zero"], 2025, PARAMS)
    npv_zero = -1.2 * (100 + 100 / 1.04)
    npv_a = 10 / 1.04 - 1.2 * (50 + 60 + 60 / 1.04)
    assert res.table.loc["zero", "npv"] == pytest.approx(npv_zero)
    assert res.table.loc["a", "npv"] == pytest.approx(npv_a)
    assert res.table.loc["a", "incremental_npv"] == pytest.approx(npv_a - npv_zero)


def test_scaled_evaluate_by_hand():
    res = r109.scaled_evaluate(FLOWS, ["a", "zero"], 2025, {2025: 0.5, 2026: 0.25}, PARAMS)
    # investment stays whole; operations and benefit scaled; the 0-alternative is not scaled
    npv_a = 0.25 * 10 / 1.04 - 1.2 * (50 + 0.5 * 60 + 0.25 * 60 / 1.04)
    npv_zero = -1.2 * (100 + 100 / 1.04)
    assert res.table.loc["a", "npv"] == pytest.approx(npv_a)
    assert res.table.loc["a", "incremental_npv"] == pytest.approx(npv_a - npv_zero)


def test_scaled_evaluate_needs_every_year():
    from procurement.case.errors import InputError

    with pytest.raises(InputError, match="year 2026"):
        r109.scaled_evaluate(FLOWS, ["a", "zero"], 2025, {2025: 0.5}, PARAMS)
