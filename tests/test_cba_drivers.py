"""What moves a difference: each group of estimates that moves ΔNPV by more than the threshold, against a hand
computation (no discounting in year 0, no real growth, tax-financing cost 20 % on costs)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import procurement as pw
from procurement.cba.drivers import difference_drivers
from procurement.cba.parameters import CbaParameters

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "national-municipal-solution"


def _flows(rows):
    df = pd.DataFrame(rows, columns=["option", "year", "category", "low", "likely", "high", "source"])
    df["decision"] = "d"
    return df


FLOWS = _flows([
    ("a", 2024, "benefit", 80.0, 100.0, 130.0, "illustrative judgement"),
    ("b", 2024, "benefit", 50.0, 90.0, 100.0, "a published figure"),
    ("b", 2024, "operations", 1.0, 1.0, 1.0, "fixed"),
])
PARAMS = CbaParameters(benefit_real_growth=0.0)


def test_drivers_by_hand():
    # expected values: a 103.33, b 80 - 1.2 x 1; ΔNPV of b against a = -24.53
    delta = (50 + 90 + 100) / 3 - 1.2 - (80 + 100 + 130) / 3
    d = difference_drivers(FLOWS, ["a", "b"], 2024, PARAMS, "a", threshold=0.5)
    t = d.table.set_index(["driver", "category"])
    assert set(t.index) == {("b", "benefit"), ("a", "benefit")}  # b's fixed operations move nothing
    b = t.loc[("b", "benefit")]
    assert b["incremental_npv"] == pytest.approx(delta)
    assert (b["at_low"], b["at_high"]) == pytest.approx((50 - 80, 100 - 80))
    assert b["share"] == pytest.approx(30 / abs(delta)) and not b["illustrative"]
    a = t.loc[("a", "benefit")]  # the reference's own estimate moves the difference the other way
    assert (a["at_low"], a["at_high"]) == pytest.approx((-(80 - 310 / 3), -(130 - 310 / 3)))
    assert a["share"] == pytest.approx((130 - 310 / 3) / abs(delta)) and a["illustrative"]
    # a higher threshold keeps only what moves it more
    high = difference_drivers(FLOWS, ["a", "b"], 2024, PARAMS, "a", threshold=1.1)
    assert list(zip(high.table["driver"], high.table["category"], strict=True)) == [("b", "benefit")]


def test_the_procedure_decisions_differences_rest_on_illustrative_benefits():
    a = pw.Analysis(pw.load_case(EXAMPLE), decision="procurement-procedure")
    d = a.drivers()
    assert d is not None and d.reference == "competitive-dialogue" and len(d.table)
    # every option's difference moves by more than 10 % with its own benefits, and the cash flows call them illustrative
    for o in ("open", "restricted", "negotiated-with-notice", "innovation-partnership"):
        own = d.table[(d.table["option"] == o) & (d.table["driver"] == o)]
        assert "benefit" in set(own["category"]) and own["illustrative"].all()
    doc = d.to_dict()
    assert doc["threshold"] == 0.10 and doc["drivers"][0]["source"]
