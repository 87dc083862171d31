"""Residual value by the book (NOU 2012:16 ch. 6): none unless the case documents a lifetime beyond the period; the
headline always shows ΔNPV without it, and where one is used, ΔNPV with it and the share that comes from it.

Every figure is computed by hand below (4 %, tax-financing cost 20 %, no real growth, base year 2024 = t 0).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from procurement.cba.npv import evaluate
from procurement.cba.parameters import CbaParameters, load_parameters
from procurement.cba.result import CostBenefit
from procurement.case.errors import InputError


def _flows(rows):
    df = pd.DataFrame(rows, columns=["option", "year", "category", "likely"])
    df["low"], df["high"] = df["likely"], df["likely"]
    df["decision"] = "d"
    return df


FLOWS = _flows([
    ("zero", 2024, "operations", 100.0), ("zero", 2025, "operations", 100.0), ("zero", 2026, "operations", 100.0),
    ("opt", 2024, "investment", 300.0), ("opt", 2025, "operations", 60.0), ("opt", 2026, "operations", 60.0),
    ("opt", 2025, "benefit", 150.0), ("opt", 2026, "benefit", 150.0),
])
D1, D2 = 1 / 1.04, 1 / 1.04**2
NPV_ZERO = -1.2 * (100 + 100 * D1 + 100 * D2)
NPV_OPT = -1.2 * (300 + 60 * D1 + 60 * D2) + 150 * D1 + 150 * D2
DELTA = NPV_OPT - NPV_ZERO  # = -360 + 150 (D1 + D2) + 48 (D1 + D2) = -360 + 198 (D1 + D2)


def _cb(params: CbaParameters) -> CostBenefit:
    res = evaluate(FLOWS, ["opt", "zero"], 2024, params)
    return CostBenefit(res, None, res.table.assign(screened_out=""), params=params, reference="zero", case="hand",
                       decision="d", base_year=2024)


def test_the_shipped_parameters_count_no_residual_value():
    p = load_parameters()
    assert p.residual_value_method == "none" and p.measure_lifetime_years is None
    assert "asset_lifetime_years" not in type(p).model_fields  # one lifetime parameter


def test_delta_npv_without_residual_value_by_hand():
    hand = -240 + 198 * (D1 + D2)
    assert abs(DELTA - hand) < 1e-9
    cb = _cb(CbaParameters(benefit_real_growth=0.0))
    row = cb.table.loc["opt"]
    assert row["incremental_npv_without_residual"] == pytest.approx(DELTA, abs=1e-9)
    assert row["incremental_npv"] == pytest.approx(DELTA, abs=1e-9)
    assert row["residual_value"] == 0 and row["residual_share"] == 0
    assert not cb.uses_residual_value
    assert list(cb.increments().columns[:1]) == ["incremental_npv_expected"]
    head = cb.to_dict()["incremental"]
    assert head["residual_value"] is False
    assert head["options"][0]["incremental_npv_without_residual"] == pytest.approx(DELTA, abs=1e-9)


def test_a_documented_residual_value_stands_beside_with_its_share():
    # lifetime 6 years from 2024: 2027-2029 (t = 3, 4, 5) follow the period; the last year's recurring effects go on
    params = CbaParameters(benefit_real_growth=0.0, residual_value_method="net_effects", measure_lifetime_years=6)
    s = sum(1.04**-t for t in (3, 4, 5))
    residual_opt = (150 - 1.2 * 60) * s
    residual_zero = -1.2 * 100 * s
    d_res = residual_opt - residual_zero  # 198 s
    cb = _cb(params)
    row = cb.table.loc["opt"]
    assert row["residual_value"] == pytest.approx(residual_opt)
    assert row["incremental_npv_without_residual"] == pytest.approx(DELTA, abs=1e-9)
    assert row["incremental_npv"] == pytest.approx(DELTA + d_res)
    assert row["residual_share"] == pytest.approx(d_res / (DELTA + d_res))
    inc = cb.increments()
    assert list(inc.columns[:3]) == ["incremental_npv_without_residual_expected", "incremental_npv_with_residual_expected",
                                     "residual_share"]
    one = cb.to_dict()["incremental"]["options"][0]
    assert one["residual_share"] == pytest.approx(d_res / (DELTA + d_res))
    assert cb.to_dict()["incremental"]["residual_value"] is True
    assert any(a.key == "cba.residual_net_effects" and a.values["years"] == 6 for a in cb.assumptions)


def test_a_residual_value_needs_a_lifetime():
    with pytest.raises(ValueError, match="needs measure_lifetime_years"):
        CbaParameters(residual_value_method="net_effects")


def test_a_parameter_file_with_a_method_but_no_lifetime_is_a_clear_error(tmp_path):
    text = (Path(__file__).resolve().parents[1] / "src/procurement/reference/r109.yaml").read_text(encoding="utf-8")
    assert text.count("    value: none\n") == 1
    (tmp_path / "r109.yaml").write_text(text.replace("    value: none\n", "    value: net_effects\n"), encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_parameters(tmp_path / "r109.yaml")
    assert "measure_lifetime_years" in str(e.value) and "r109.yaml" in str(e.value)
