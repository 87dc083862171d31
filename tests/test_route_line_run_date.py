"""Relative dates in the summary count from the run date, not from the timeline's start (issue 23, item 9)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import procurement as pw
from procurement.report.notebook import _route_line

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "national-municipal-solution"


def test_months_count_from_the_run_date_and_a_past_date_says_so():
    route = pw.Analysis(pw.load_case(EXAMPLE), decision="contract-strategy").route()
    when = route.table.loc["negotiated-total", "contract"]
    day, month, year = (int(x) for x in when.split("."))
    signed = date(year, month, day)
    # one year and a day before the signature: 12 months (366 days / 30.44 rounds to 12), whatever the timeline's start
    before = date(signed.year - 1, signed.month, signed.day)
    line = _route_line(route, "negotiated-total", "X", "en", today=before)
    assert "in 12 months" in line
    assert "in 0 months" in _route_line(route, "negotiated-total", "X", "en", today=signed)
    # the review's report, dated 6 December 2026, said "in 22 months" for a date already past
    late = _route_line(route, "negotiated-total", "X", "nb", today=date(2026, 12, 6))
    assert "måneder" not in late and "før kjøringsdatoen 06.12.2026" in late
