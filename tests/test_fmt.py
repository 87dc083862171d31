"""The formatting layer against literal strings written by hand from the Norwegian and English conventions.

Expected values are typed out here (decimal comma, U+00A0 between digit groups and before
``%`` in bokmål; comma groups and decimal point in English), not produced by Babel, so a
change in Babel's data or in fmt's patterns fails the test.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import matplotlib
import pytest

from procurement.text import fmt

matplotlib.use("Agg")

S = "\u00a0"  # the non-breaking space Norwegian puts between digit groups


@pytest.mark.parametrize(
    ("x", "decimals", "nb", "en"),
    [
        (39085.293, 1, f"39{S}085,3", "39,085.3"),
        (39085.293, 0, f"39{S}085", "39,085"),
        (0.6118, 2, "0,61", "0.61"),
        (1234567.891, 2, f"1{S}234{S}567,89", "1,234,567.89"),
        (-1500, 0, f"\u22121{S}500", "-1,500"),  # nb: the minus sign U+2212 (CLDR nb minusSign), not a hyphen
        (7, 1, "7,0", "7.0"),
        (999.96, 1, f"1{S}000,0", "1,000.0"),
        (Decimal("12.5"), 1, "12,5", "12.5"),
    ],
)
def test_number(x, decimals, nb, en):
    assert fmt.number(x, "nb", decimals) == nb
    assert fmt.number(x, "en", decimals) == en


@pytest.mark.parametrize(
    ("p", "decimals", "nb", "en"),
    [
        (0.2413, 1, f"24,1{S}%", "24.1%"),
        (0.645, 0, f"64{S}%", "64%"),  # 64.5 rounds half to even
        (1.0, 1, f"100,0{S}%", "100.0%"),
        (0.00049, 2, f"0,05{S}%", "0.05%"),
        (12.5, 0, f"1{S}250{S}%", "1,250%"),
    ],
)
def test_percent(p, decimals, nb, en):
    assert fmt.percent(p, "nb", decimals) == nb
    assert fmt.percent(p, "en", decimals) == en


def test_money():
    assert fmt.money(1250, "nb") == f"1{S}250{S}MNOK"
    assert fmt.money(1250, "en") == f"1,250{S}MNOK"
    assert fmt.money(3.14159, "nb", unit="MNOK", decimals=2) == f"3,14{S}MNOK"
    assert fmt.money(2500000, "en", unit="NOK") == f"2,500,000{S}NOK"
    assert fmt.money(12, "nb", unit="") == "12"


def test_dates():
    d = dt.date(2026, 10, 24)
    assert fmt.date(d, "nb") == "24.10.2026"
    assert fmt.date(d, "en") == "24 Oct 2026"
    assert fmt.date("2027-03-05", "nb") == "05.03.2027"
    assert fmt.date("2027-03-05", "en") == "5 Mar 2027"
    assert fmt.date(dt.datetime(2026, 1, 2, 23, 59), "nb") == "02.01.2026"
    t = dt.datetime(2026, 10, 24, 16, 5, tzinfo=dt.UTC)
    assert fmt.timestamp(t, "nb") == "24.10.2026 16:05"
    assert fmt.timestamp(t, "en") == "24 Oct 2026 16:05"


def test_pandas_timestamp_is_a_date():
    pd = pytest.importorskip("pandas")
    assert fmt.date(pd.Timestamp("2026-10-24"), "nb") == "24.10.2026"
    assert fmt.date(pd.NaT, "nb") == fmt.MISSING


@pytest.mark.parametrize("missing", [None, float("nan"), math.nan])
def test_missing(missing):
    for f in (fmt.number, fmt.percent, fmt.money):
        assert f(missing, "nb") == "–"
    assert fmt.date(None, "en") == "–"


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown report language 'de'"):
        fmt.number(1, "de")
    with pytest.raises(ValueError, match="decimals"):
        fmt.number(1, "nb", -1)


def test_axis_formatter():
    f = fmt.axis_formatter("nb", decimals=1)
    assert f(2.25, 0) == "2,2"
    assert fmt.axis_formatter("nb", "percent", 0)(0.5, 0) == f"50{S}%"
    assert fmt.axis_formatter("en", decimals=0)(12000, 0) == "12,000"


def test_no_decimal_point_in_bokmal():
    for x in (0.1, 1.5, 1e6 + 0.25, 123456.789):
        for d in range(4):
            assert "." not in fmt.number(x, "nb", d)
            assert "." not in fmt.percent(x, "nb", d)


def test_month():
    assert fmt.month(dt.date(2026, 10, 24), "nb") == "okt. 2026"
    assert fmt.month("2027-05-01", "en") == "May 2027"


def test_dates_written_either_way_are_read():
    assert fmt.parse_date("24.10.2026") == dt.date(2026, 10, 24)
    assert fmt.parse_date("2026-10-24T12:00:00") == dt.date(2026, 10, 24)
    assert fmt.parse_date("31.02.2026") is None and fmt.parse_date("soon") is None
    assert fmt.date("24.10.2026", "en") == "24 Oct 2026"
    assert fmt.date("ingen", "nb") == "ingen"  # text that is not a date stays as written
