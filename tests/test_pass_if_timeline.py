"""Pass-if options in the ranking report and the timeline: the marker, the condition with its lead time, the
lead time as a first phase that moves every later phase and the contract date, and one sentence for a
decision without a timeline."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

import procurement as pw
from procurement.law.timeline import CONDITION_PHASE, contract_dates, shifted_dates, with_lead_times
from procurement.law.whomayuse import mark_conditions
from procurement.report.notebook import ranking_table
from procurement import Analysis

CASE = Path(__file__).resolve().parents[1] / "data" / "national-municipal-solution"
#: the example case's screening.yaml and who-may-use.yaml, read by hand: option -> longest lead time (months)
GOVERNANCE_WAITS = {"state-agency": 24.0, "nhn-service": 12.0, "ks-company": 9.0, "state-municipal-company": 9.0}


@pytest.fixture(scope="module")
def case():
    return pw.load_case(CASE)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_ranking_table_marks_pass_if_options_with_condition_and_lead_time(case, language):
    a = Analysis(case, "default").with_(decision="governance-financing", language=language)
    t = ranking_table(a, conditions=True)
    marked = {o for o, lab in t["label"].items() if lab.endswith(" †")}
    assert marked == set(GOVERNANCE_WAITS)
    assert {o: t.loc[o, "lead_time_months"] for o in marked} == GOVERNANCE_WAITS
    assert t.loc["regional-iks", "condition"] == "" and pd.isna(t.loc["regional-iks", "lead_time_months"])
    law = "Stortinget vedtar en lovhjemmel" if language == "nb" else "Parliament enacts a legal basis"
    assert law in t.loc["state-agency", "condition"] and "pasientjournalloven § 8" in t.loc["state-agency", "condition"]
    assert "FOA § 3-1" in t.loc["ks-company", "condition"]
    plain = ranking_table(a)  # without the flag the table is as before (07 uses it so)
    assert "condition" not in plain.columns and not any(str(x).endswith("†") for x in plain["label"])
    assert list(t.index) == list(plain.index)  # the marker does not move an option


def test_contract_strategy_marks_in_house_and_keeps_the_excluded_option_last(case):
    t = ranking_table(Analysis(case, "default").with_(language="nb"), conditions=True)
    assert t.loc["inhouse-company", "lead_time_months"] == 9.0 and t.loc["inhouse-company", "label"].endswith(" †")
    assert t.index[-1] == "helseplattformen-extend" and t.loc["helseplattformen-extend", "condition"] == ""


def test_mark_conditions_without_pass_if_options_changes_nothing():
    t = pd.DataFrame({"label": ["A", "B"]}, index=["a", "b"])
    assert mark_conditions(t, pd.DataFrame(columns=["option", "label_nb", "citation", "lead_time_months"])) is t


def _sched() -> pd.DataFrame:
    rows = [("a", "open", 0, "preparation", dt.date(2025, 1, 6), 100), ("a", "open", 1, "tenders", dt.date(2025, 4, 16), 30),
            ("b", "open", 0, "preparation", dt.date(2025, 1, 6), 100)]
    s = pd.DataFrame([{"option": o, "procedure": p, "order": k, "phase": ph, "label": ph, "start": d,
                       "end": d + dt.timedelta(days=n), "days": n, "minimum_days": 0, "lengthened": False, "citation": "",
                       "verified": True, "note": ""} for o, p, k, ph, d, n in rows])
    s.attrs["starts"] = {"a": dt.date(2025, 1, 6), "b": dt.date(2025, 1, 6)}
    s.attrs["no_phases"] = []
    return s


def test_lead_time_is_a_first_phase_and_moves_every_later_phase():
    sched = _sched()
    out = with_lead_times(sched, {"a": 9.0, "b": 0.0}, {"a": ("FOA § 3-1", True)})
    a = out[out["option"] == "a"].reset_index(drop=True)
    # 9 months at 365.25 / 12 days a month = 273.9 days -> 274 whole days, by hand
    assert list(a["phase"]) == [CONDITION_PHASE, "preparation", "tenders"]
    assert a.loc[0, "start"] == dt.date(2025, 1, 6) and a.loc[0, "days"] == 274 and a.loc[0, "citation"] == "FOA § 3-1"
    assert a.loc[1, "start"] == dt.date(2025, 10, 7) and a.loc[2, "end"] == dt.date(2025, 5, 16) + dt.timedelta(days=274)
    assert out[out["option"] == "b"]["start"].tolist() == [dt.date(2025, 1, 6)]
    # the Gantt chart's contract date is the table's contract date after the lead time
    moved = contract_dates(out)
    assert moved.loc["a", "contract"] == shifted_dates(contract_dates(sched), {"a": 9.0}).loc["a", "contract_if"]
    assert moved.loc["a", "days"] == 130 + 274 and moved.loc["b", "contract"] == dt.date(2025, 4, 16)
    assert with_lead_times(sched, {}) is sched


def test_route_table_contract_and_months_include_the_lead_time(case):
    from procurement.law.loader import load_rules
    from procurement.law.timeline import load_timeline, schedule

    d = case.decision("contract-strategy")
    plain = contract_dates(schedule(load_timeline(CASE / "timeline.yaml", decision=d.id), None, load_rules()))
    r = Analysis(case, "default").with_(language="en").route()
    row = r.table.loc["inhouse-company"]
    assert row["contract"] == str(plain.loc["inhouse-company", "contract"] + dt.timedelta(days=274))
    assert row["months"] == pytest.approx(plain.loc["inhouse-company", "months"] + 9.0)
    assert r.table.loc["dialogue-total", "months"] == pytest.approx(plain.loc["dialogue-total", "months"])  # no condition
    gantt = r.schedule[r.schedule["option"] == "inhouse-company"]
    assert gantt["phase"].iloc[0] == CONDITION_PHASE and gantt["end"].max() == plain.loc["inhouse-company", "contract"] + \
        dt.timedelta(days=274)


@pytest.mark.parametrize("language, words", [
    ("nb", ["Denne beslutningen har ingen tidslinje", "«Kontraktsstrategi»", "ledetidene", "screeningtabellen"]),
    ("en", ["This decision has no timeline", "'Contract strategy'", "lead times", "screening table"]),
])
def test_a_decision_without_a_timeline_says_so_in_one_sentence(case, language, words):
    r = Analysis(case, "default").with_(decision="governance-financing", language=language).route()
    assert not r.available
    assert all(w in r.message for w in words), r.message
    assert r.message.count(". ") == 0 and r.message.endswith(".")
    if language == "nb":
        assert "holds" not in r.message and "timeline of decision" not in r.message
