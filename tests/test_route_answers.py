"""The dated answer table of issue 24: every row of tests/law/route-answers.csv through `procurement route --format json`.

Each row is a question (value, authority, kind, date) with the answer a lawyer would give from a cited source: the
regulation, the part or chapter, the procedures allowed without special grounds, the standstill section, and the
threshold row that decides it (its id, value and verified flag). The expected answers come from the research in
/work/research/law (answer-table.csv: the sources named per row), not from the code. Part ids: I, II, III (FOA);
IV-30 (health and social services above the EEA threshold); II-special (other special services above it: Parts I
and II plus the Part III rules that apply); FF-below / FF-II / FF-III (forsyningsforskriften Parts I, II, III);
KKF-below / KKF (concessions). The run is in-process through procurement.cli.main to keep it fast.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from procurement.cli import main

TABLE = Path(__file__).resolve().parent / "law" / "route-answers.csv"
ROWS = list(csv.DictReader(TABLE.open(encoding="utf-8")))


def _route(capsys, row: dict) -> dict:
    args = ["route", "--value", row["value"], "--authority", row["authority"], "--kind", row["kind"],
            "--date", row["date"], "--format", "json"]
    assert main(args) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def test_the_table_has_forty_sourced_questions():
    assert len(ROWS) >= 40
    assert len({r["id"] for r in ROWS}) == len(ROWS)
    for r in ROWS:
        assert r["source"].strip() and r["source_url"].startswith("http"), r["id"]
    acceptance = {(r["value"], r["authority"], r["kind"], r["date"]) for r in ROWS}
    for q in [("300000", "municipal", "goods", "2026-08-01"), ("300000", "municipal", "goods", "2026-06-30"),
              ("2100000", "municipal", "services", "2020-02-11"), ("1350000", "state", "services", "2019-06-01"),
              ("7000000", "municipal", "health-social", "2019-06-01"),
              ("9000000", "municipal", "special-services", "2024-06-01"), ("5000000", "utility", "goods", "2024-06-01")]:
        assert q in acceptance


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_route_answer(capsys, row):
    d = _route(capsys, row)
    assert row["regulation"] in d["regulation"]
    assert d["part"] == row["part"]
    assert {p["procedure"] for p in d["allowed"]} == set(row["allowed"].split(";"))
    if row["standstill"] == "-":
        assert d["standstill"] is None
    else:
        assert row["standstill"] in d["standstill"]["citation"] and "25-2" not in d["standstill"]["citation"]
    used = {x["id"]: x for x in (d["threshold"], d["national_threshold"], d["floor"]) if x}
    assert row["row"] in used, f"{row['id']}: expected row {row['row']}, answer used {sorted(used)}"
    decided = used[row["row"]]
    assert decided.get("value", decided.get("below")) == float(row["row_value"])
    assert decided["verified"] is (row["row_verified"] == "true")
    if row["row_verified"] == "false":
        assert d["verified"] is False  # an answer decided by an unverified row says so


def test_the_unconfirmed_lower_limit_is_visible_in_the_answer(capsys):
    d = _route(capsys, {"value": "300000", "authority": "municipal", "kind": "goods", "date": "2026-08-01"})
    assert d["part"] == "outside" and d["verified"] is False
    assert d["floor"]["id"] == "floor-2026-07" and d["floor"]["below"] == 500_000
    assert any("floor-2026-07" in n and "not confirmed in a primary source" in n for n in d["notes"])
    before = _route(capsys, {"value": "300000", "authority": "municipal", "kind": "goods", "date": "2026-06-30"})
    assert before["part"] == "I" and before["floor"]["id"] == "floor-2017" and before["floor"]["verified"] is True
    assert not any("floor-2017" in n for n in before["notes"])


def test_a_2026_answer_says_which_values_apply_and_why(capsys):
    """Issue 24 defect 2: the 2024 NOK values apply until Norway amends FOA § 5-3; the EU 2026 EUR values are named."""
    d = _route(capsys, {"value": "2300000", "authority": "municipal", "kind": "goods", "date": "2026-03-01"})
    assert d["part"] == "III" and d["threshold"]["id"] == "eea-2024-municipal-goods-services"
    note = next(n for n in d["notes"] if "1 January 2026" in n)
    for words in ("FOA § 5-3", "14 March 2024 still apply", "EUR 5,404,000", "EUR 140,000", "EUR 216,000",
                  "EUR 750,000", "EUR 432,000", "EUR 1,000,000", "2025/2150", "2025/2151", "2025/2152"):
        assert words in note
    assert "missing" not in note
