"""Tests for procurement.law.timeline: phase scheduling, statutory minimums, months to contract, Gantt."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.figure import Figure

from procurement.cli import main
from procurement.case.errors import InputError
from procurement.law.risk import case_options
from procurement.law.loader import load_rules
from procurement.law.timeline import (
    DAYS_PER_MONTH,
    contract_dates,
    gantt_table,
    load_timeline,
    months_to_contract,
    months_to_contract_for_case,
    parse_duration,
    schedule,
)
from procurement.plots.timeline import gantt_figure

ROOT = Path(__file__).resolve().parents[1]
RULES_DIR = ROOT / "src" / "procurement" / "reference"
CASE = ROOT / "data" / "national-municipal-solution"
START = dt.date(2025, 1, 6)


@pytest.fixture(scope="module")
def rules():
    return load_rules(RULES_DIR)


def write(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "timeline.yaml"
    p.write_text(textwrap.dedent(body), encoding="utf-8")
    return p


HEADER = """\
decision: contract-strategy
start: 2025-01-06
defaults:
  durations: {preparation: 10, evaluation: 20, qualification: 7, final-tenders: 14}
options:
"""


def plan_of(tmp_path, rules, options: str, **kw):
    return load_timeline(write(tmp_path, HEADER + textwrap.indent(textwrap.dedent(options), "  ")), rules=rules, **kw)


@pytest.mark.parametrize("text, days", [(30, 30), ("30", 30), ("30d", 30), ("6w", 42), (" 2 w ", 14), ("x", None), (-1, None),
                                        (True, None)])
def test_parse_duration(text, days):
    assert parse_duration(text) == days


def test_open_procedure_phases_and_dates(tmp_path, rules):
    plan = plan_of(tmp_path, rules, """
        a:
          procedure: open
          durations: {tenders: 40}
    """)
    s = schedule(plan, rules=rules)
    assert s["phase"].tolist() == ["preparation", "tenders", "evaluation", "standstill"]
    assert s["days"].tolist() == [10, 40, 20, 10]
    assert s["start"].iloc[1] == START + dt.timedelta(days=10)
    assert contract_dates(s).loc["a", "contract"] == START + dt.timedelta(days=80)
    assert months_to_contract(s)["a"] == pytest.approx(80 / DAYS_PER_MONTH)


@pytest.mark.parametrize(
    "variant, given, expected",
    [("", 5, 30), ("electronic: false", 5, 35), ("pin: true", 5, 15), ("urgency: true", 5, 15), ("", None, 30), ("", 45, 45)],
)
def test_open_tenders_never_below_minimum(tmp_path, rules, variant, given, expected):
    dur = f"durations: {{tenders: {given}}}" if given is not None else ""
    plan = plan_of(tmp_path, rules, f"""
        a:
          procedure: open
          {variant}
          {dur}
    """)
    s = schedule(plan, rules=rules).set_index("phase")
    assert s.loc["tenders", "days"] == expected
    assert bool(s.loc["tenders", "lengthened"]) == (given is not None and given < expected)


def test_restricted_minimums_and_urgency(tmp_path, rules):
    plan = plan_of(tmp_path, rules, """
        a:
          procedure: restricted
          durations: {requests: 1, tenders: 1}
        b:
          procedure: restricted
          urgency: true
          durations: {requests: 1, tenders: 1}
    """)
    s = schedule(plan, rules=rules)
    a = s[s["option"] == "a"].set_index("phase")["days"]
    b = s[s["option"] == "b"].set_index("phase")["days"]
    assert (a["requests"], a["tenders"]) == (30, 25)
    assert (b["requests"], b["tenders"]) == (15, 10)


def test_negotiated_rounds_and_standstill_last(tmp_path, rules):
    plan = plan_of(tmp_path, rules, """
        a:
          procedure: negotiated-with-notice
          rounds: 3
          durations: {round: 2w}
    """)
    s = schedule(plan, rules=rules)
    assert s["phase"].tolist() == ["preparation", "requests", "qualification", "tenders", "round", "round", "round",
                                   "final-tenders", "evaluation", "standstill"]
    assert s["label"].tolist()[4:7] == ["Dialogue / negotiation round 1", "Dialogue / negotiation round 2",
                                        "Dialogue / negotiation round 3"]
    total = 10 + 30 + 7 + 25 + 3 * 14 + 14 + 20 + 10
    assert contract_dates(s).loc["a", "days"] == total
    assert (s["end"].iloc[:-1].tolist() == s["start"].iloc[1:].tolist())


def test_dialogue_requests_minimum(tmp_path, rules):
    plan = plan_of(tmp_path, rules, """
        a:
          procedure: competitive-dialogue
          rounds: 1
          durations: {requests: 10, round: 30}
    """)
    s = schedule(plan, rules=rules).set_index("phase")
    assert s.loc["requests", "days"] == 30 and s.loc["requests", "minimum_days"] == 30
    assert "lengthened to the statutory minimum 30 days" in s.loc["requests", "note"]


def test_below_eea_threshold_no_minimums(tmp_path, rules):
    plan = plan_of(tmp_path, rules, """
        partii:
          procedure: open
          part: II
          durations: {tenders: 5}
        parti:
          procedure: open
          part: I
          durations: {tenders: 5}
    """)
    s = schedule(plan, rules=rules)
    two = s[s["option"] == "partii"].set_index("phase")
    assert two.loc["tenders", "days"] == 5 and "standstill" in two.index
    one = s[s["option"] == "parti"].set_index("phase")
    assert one.loc["tenders", "days"] == 5 and "standstill" not in one.index


def test_pseudo_procedures_and_zero(tmp_path, rules):
    plan = plan_of(tmp_path, rules, """
        zero:
          procedure: none
        own:
          procedure: in-house
          durations: {establishment: 100, agreement: 5}
        direct:
          procedure: no-competition
          durations: {negotiation: 30}
    """)
    s = schedule(plan, start="2025-03-01", rules=rules)
    m = months_to_contract(s)
    assert list(m.index) == ["zero", "own", "direct"]
    assert m["zero"] == 0
    assert m["own"] == pytest.approx(115 / DAYS_PER_MONTH)
    assert m["direct"] == pytest.approx(40 / DAYS_PER_MONTH)
    assert "standstill" not in set(s.loc[s["option"] == "direct", "phase"])


def test_start_override(tmp_path, rules):
    plan = plan_of(tmp_path, rules, """
        a:
          procedure: open
          start: 2026-01-01
    """)
    assert schedule(plan, rules=rules)["start"].iloc[0] == dt.date(2026, 1, 1)
    assert schedule(plan, start="2027-02-01", rules=rules)["start"].iloc[0] == dt.date(2027, 2, 1)
    with pytest.raises(InputError, match="^start: '1.2.2027' is not a date"):
        schedule(plan, start="1.2.2027", rules=rules)


def test_bad_timeline_lists_every_problem(tmp_path, rules):
    with pytest.raises(InputError) as e:
        plan_of(tmp_path, rules, """
            a:
              procedure: opne
            b:
              procedure: open
              rounds: 2
              durations: {tender: 30, evaluation: soon}
            c:
              procedure: competitive-dialogue
            d:
              procedure: in-house
        """, option_ids=["a", "b", "c", "e"])
    msgs = [str(p) for p in e.value.problems]
    text = "\n".join(msgs)
    assert "options.a.procedure: unknown procedure 'opne' (did you mean 'open'?)" in text
    assert "options.b.rounds: procedure 'open' has no dialogue or negotiation rounds" in text
    assert "options.b.durations.tender: procedure 'open' has no phase 'tender' (did you mean 'tenders'?)" in text
    assert "options.b.durations.evaluation: 'soon' is not a duration" in text
    assert "options.c.rounds: procedure 'competitive-dialogue' needs at least 1 round" in text
    assert "options.c.durations: missing duration for round" in text
    assert "options.d.durations: missing duration for establishment, agreement" in text
    assert "options.d: unknown option 'd'" in text
    assert "option 'e' has no timeline" in text


def test_wrong_decision(tmp_path, rules):
    with pytest.raises(InputError, match="decision: is 'contract-strategy', not 'procurement-procedure'"):
        plan_of(tmp_path, rules, "a: {procedure: open}\n", decision="procurement-procedure")


def test_example_case_matches_options(rules):
    options = case_options(CASE)["contract-strategy"]
    plan = load_timeline(CASE / "timeline.yaml", "contract-strategy", options, rules)
    m = months_to_contract(schedule(plan, rules=rules))
    assert isinstance(m, pd.Series) and m.name == "months_to_contract"
    assert list(m.index) == options
    assert m["zero"] == 0
    # issue 24 item 9: the in-house option now includes the company's own competition (80 weeks), so it runs past 36
    assert (m.drop("zero") > 6).all() and (m.drop("inhouse-company") < 36).all() and m["inhouse-company"] < 48
    assert m.equals(months_to_contract_for_case(CASE, rules=rules))


def test_gantt_figure(rules):
    plan = load_timeline(CASE, rules=rules)
    s = schedule(plan, rules=rules)
    fig = gantt_figure(gantt_table(s))
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == plan.option_ids
    assert len(ax.patches) == len(s)


def test_cli_timeline(tmp_path, capsys):
    png = tmp_path / "gantt.png"
    code = main(["timeline", str(CASE), "--start", "2025-01-06", "--figure", str(png), "--rules", str(RULES_DIR),
                 "--format", "json"])
    d = json.loads(capsys.readouterr().out)
    assert code == 0 and png.stat().st_size > 1000
    by = {o["option"]: o for o in d["options"]}
    assert by["dialogue-total"]["ssa"] == ["SSA-T", "SSA-D"]
    assert by["zero"]["months_to_contract"] == 0
    assert by["dialogue-total"]["start"] == "2025-01-06"


def test_filtered_schedule_keeps_only_its_options(tmp_path, rules):
    plan = plan_of(tmp_path, rules, """
        zero:
          procedure: none
        a:
          procedure: open
        b:
          procedure: restricted
    """)
    s = schedule(plan, rules=rules)
    assert list(months_to_contract(s).index) == ["zero", "a", "b"]
    only_b = s[s["option"] == "b"]
    assert list(months_to_contract(only_b).index) == ["zero", "b"]


def test_timeline_and_cba_name_the_option_screened_out(capsys):
    from procurement.cli import main

    case = str(Path(__file__).resolve().parents[1] / "data" / "national-municipal-solution")
    assert main(["timeline", case]) == 0
    out = capsys.readouterr().out
    assert "Screened out by must-pass rules" in out
    assert "helseplattformen-extend: requirement not met: Joining another authority's contract" in out
    assert main(["cba", case, "--decision", "contract-strategy", "--samples", "0"]) == 0
    assert "helseplattformen-extend: requirement not met" in capsys.readouterr().out


def test_lead_time_and_enforcement_delay_move_the_contract_date():
    from procurement.law.timeline import shifted_dates

    dates = pd.DataFrame({"procedure": ["open", "in-house"], "start": [dt.date(2025, 1, 6)] * 2,
                          "contract": [dt.date(2026, 1, 1), dt.date(2026, 1, 1)], "days": [360, 360],
                          "months": [11.8, 11.8]}, index=pd.Index(["a", "b"], name="option"))
    out = shifted_dates(dates, {"b": 12.0}, {"a": {"expected": 0.9, "p50": 0.0, "p85": 6.0}})
    # 12 months = 365.25 days -> 365; 6 months = 182.6 days -> 183 (hand computation)
    assert out.loc["b", "contract_if"] == dt.date(2027, 1, 1)
    assert out.loc["a", "contract_if"] == dt.date(2026, 1, 1)
    assert out.loc["a", "contract_p50"] == dt.date(2026, 1, 1)
    assert out.loc["a", "contract_p85"] == dt.date(2026, 1, 1) + dt.timedelta(days=183)
    assert out.loc["a", "months_p85"] == pytest.approx(17.8)


def test_timeline_json_carries_conditions_and_p85_dates(capsys):
    case = str(Path(__file__).resolve().parents[1] / "data" / "national-municipal-solution")
    assert main(["timeline", case, "--format", "json"]) == 0
    opts = {o["option"]: o for o in json.loads(capsys.readouterr().out)["options"]}
    inhouse = opts["inhouse-company"]
    assert inhouse["lead_time_months"] == 9.0 and inhouse["conditions"][0]["kind"] == "ownership-change"
    assert inhouse["contract_if"] > inhouse["contract"]
    # Helseplattformen: ineffectiveness (p 0.4, 24 months) and the rest with no delay -> P85 = 24 months later
    hp = opts["helseplattformen-extend"]
    assert hp["contract_p50"] == hp["contract"] and hp["contract_p85"] > hp["contract"]
    assert hp["expected_delay_months"] == pytest.approx(0.4 * 24)


def test_in_house_includes_the_companys_own_competition(rules):
    """Issue 24 item 9: the in-house company is itself a contracting authority, so its contract date for the system
    comes after its own competition: 26 + 52 + 8 weeks to the in-house agreement, then 80 weeks (timeline.yaml)."""
    plan = load_timeline(CASE, rules=rules)
    s = schedule(plan, rules=rules)
    own = s[s["option"] == "inhouse-company"].set_index("phase")
    assert list(own.index) == ["preparation", "establishment", "agreement", "own-procurement"]
    assert own.loc["own-procurement", "days"] == 80 * 7 and not own.loc["own-procurement", "verified"]
    assert "contracting authority" in own.loc["own-procurement", "citation"]
    assert months_to_contract(s)["inhouse-company"] == pytest.approx((26 + 52 + 8 + 80) * 7 / DAYS_PER_MONTH)


def test_own_competition_is_optional_in_a_timeline_file(tmp_path, rules):
    plan = plan_of(tmp_path, rules, """
        own:
          procedure: in-house
          durations: {establishment: 100, agreement: 5, own-procurement: 200}
    """)
    s = schedule(plan, start="2025-03-01", rules=rules)
    assert months_to_contract(s)["own"] == pytest.approx(315 / DAYS_PER_MONTH)
