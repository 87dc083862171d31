"""Tests for the rules of procurement.law (loader, thresholds, procedures, time_limits, headroom, route): thresholds,
FOA parts, procedures, time limits, § 28-1 (b) headroom."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from procurement.cli import main
from procurement.case.errors import InputError
from procurement.law.headroom import headroom as change_headroom
from procurement.law.loader import load_rules
from procurement.law.procedures import procedure_access
from procurement.law.route import route
from procurement.law.thresholds import foa_part, national_threshold, threshold_for, thresholds_table
from procurement.law.time_limits import min_time_limit, standstill, time_limits_table

ROOT = Path(__file__).resolve().parents[1]
RULES_DIR = ROOT / "src" / "procurement" / "reference"
AFTER = "2025-06-01"


@pytest.fixture(scope="module")
def rules():
    return load_rules(RULES_DIR)


def _rows(data):
    """Every mapping in a rule file that carries a citation."""
    if isinstance(data, dict):
        if "citation" in data:
            yield data
        for v in data.values():
            yield from _rows(v)
    elif isinstance(data, list):
        for v in data:
            yield from _rows(v)


@pytest.mark.parametrize("name", ["thresholds.yaml", "procedures.yaml", "time-limits.yaml", "standard-contracts.yaml"])
def test_every_row_has_citation_verified_and_source(name):
    data = yaml.safe_load((RULES_DIR / name).read_text(encoding="utf-8"))
    rows = list(_rows(data))
    assert len(rows) >= 5
    for row in rows:
        assert row["citation"].strip()
        assert isinstance(row["verified"], bool)
        assert row["source"].strip()


def test_unconfirmed_facts_are_flagged(rules):
    t = {r.id: r for r in rules.thresholds.eea}
    for rid in ("eea-2022-municipal-goods-services", "eea-2022-works", "eea-2022-state-goods-services",
                "eea-2020-state-goods-services", "eea-2017-municipal-goods-services", "eea-2018-works"):
        assert t[rid].verified is False
    for rid in ("eea-2020-municipal-goods-services", "eea-2020-works", "eea-2020-special-services"):  # anskaffelser.no 2020
        assert t[rid].verified is True
    # issue 24 item 10: the 7.8 M row was read on DFØ's 2022-24 threshold page; 6.3 M and 6.95 M in NFD's guidance
    for rid in ("eea-2022-special-services", "eea-2017-special-services", "eea-2018-special-services"):
        assert t[rid].verified is True
    floors = {r.id: r for r in rules.thresholds.floor}
    assert floors["floor-2017"].verified is True and floors["floor-2026-07"].verified is False
    for rid in ("eea-2024-state-goods-services", "eea-2024-municipal-goods-services", "eea-2024-works",
                "eea-2024-utility-goods-services", "eea-2024-concession"):
        assert t[rid].verified is True
    assert all(s.verified is False for s in rules.time_limits.standstill)  # the 10 days are not confirmed
    grounds = {g.id: g for g in rules.procedures.grounds}
    assert grounds["in-house-activity"].verified is False  # 80 % limit [U]
    assert grounds["framework-exists"].verified is False  # 4 years [U]
    assert grounds["complexity"].verified is True


# --- thresholds and parts: just below, at and just above ----------------------------------

@pytest.mark.parametrize(
    "authority, kind, threshold",
    [
        ("municipal", "services", 2_300_000),
        ("municipal", "goods", 2_300_000),
        ("state", "goods", 1_490_000),
        ("state", "services", 1_490_000),
        ("state", "works", 57_800_000),
        ("municipal", "works", 57_800_000),
    ],
)
def test_eea_threshold_boundaries(rules, authority, kind, threshold):
    assert threshold_for(authority, kind, AFTER, rules).value == threshold
    assert foa_part(threshold - 1, authority, kind, AFTER, rules).part == "II"
    assert foa_part(threshold, authority, kind, AFTER, rules).part == "III"
    assert foa_part(threshold + 1, authority, kind, AFTER, rules).part == "III"


@pytest.mark.parametrize(
    "authority, kind, threshold, below, above, regulation",
    [
        # issue 24 defect 5: the EEA procedures of forsyningsforskriften are its Part II (FF-II), not Part III
        ("utility", "goods", 4_600_000, "FF-below", "FF-II", "forsyningsforskriften"),
        ("utility", "works", 57_800_000, "FF-below", "FF-II", "forsyningsforskriften"),
        ("municipal", "utilities", 4_600_000, "FF-below", "FF-II", "forsyningsforskriften"),
        ("municipal", "concession", 57_800_000, "KKF-below", "KKF", "konsesjonskontraktforskriften"),
        ("utility", "concession", 57_800_000, "KKF-below", "KKF", "konsesjonskontraktforskriften"),
        ("municipal", "health-social", 7_800_000, "I", "IV-30", "FOA"),
        # issue 24 defect 4: other special services above the EEA threshold follow Parts I and II, not Part IV
        ("state", "special-services", 7_800_000, "II", "II-special", "FOA"),
    ],
)
def test_other_regimes_at_their_thresholds(rules, authority, kind, threshold, below, above, regulation):
    assert threshold_for(authority, kind, AFTER, rules).value == threshold
    lo = foa_part(threshold - 1, authority, kind, AFTER, rules)
    hi = foa_part(threshold, authority, kind, AFTER, rules)
    assert (lo.part, hi.part) == (below, above)
    # the health and social split is read in NFD's guidance (kap. 43); the other regimes are secondary
    assert regulation in hi.regime.regulation.en and hi.regime.verified is (kind == "health-social")


def test_examples_from_the_issue(rules):
    assert foa_part(2_299_999, "municipal", "services", AFTER, rules).part == "II"
    d = foa_part(2_300_000, "municipal", "services", AFTER, rules)
    assert d.part == "III" and d.threshold.id == "eea-2024-municipal-goods-services"
    assert foa_part(1_489_999, "state", "goods", AFTER, rules).part == "II"
    assert foa_part(1_490_000, "state", "goods", AFTER, rules).part == "III"


@pytest.mark.parametrize("value, part", [(0, "outside"), (99_999, "outside"), (100_000, "I"), (100_001, "I"),
                                         (1_299_999, "I"), (1_300_000, "II"), (1_300_001, "II")])
def test_national_threshold_and_floor(rules, value, part):
    assert foa_part(value, "municipal", "services", AFTER, rules).part == part


def test_national_threshold_value(rules):
    assert national_threshold(AFTER, rules).value == 1_300_000


def test_date_on_each_side_of_threshold_change(rules):
    before = foa_part(2_200_000, "municipal", "services", "2024-03-13", rules)
    assert before.part == "III"
    assert before.threshold.id == "eea-2022-municipal-goods-services"
    assert before.threshold.value == 2_200_000
    assert before.verified is False
    after = foa_part(2_200_000, "municipal", "services", "2024-03-14", rules)
    assert after.part == "II"
    assert after.threshold.id == "eea-2024-municipal-goods-services"
    assert foa_part(56_000_000, "state", "works", "2024-03-13", rules).part == "III"
    assert foa_part(56_000_000, "state", "works", "2024-03-14", rules).part == "II"
    assert threshold_for("state", "goods", "2024-03-13", rules).value == 1_400_000


def test_date_without_row_lists_periods(rules):
    # issue 24 defect 8: 2020-02-11 now has its row (2.0 M from 6 April 2018); the rows start with FOA 2016 in force
    assert foa_part(1_000_000, "municipal", "services", "2020-02-11", rules).threshold.value == 2_000_000
    with pytest.raises(InputError) as e:
        foa_part(1_000_000, "municipal", "services", "2016-12-31", rules)
    msg = str(e.value.problems[0].message) + " " + str(e.value.problems[0].hint)
    assert "no EEA threshold row for municipal / goods-services is in force on 2016-12-31" in msg
    assert "2017-01-01 to 2018-04-05" in msg and "2020-02-12 to 2022-03-22" in msg and "from 2024-03-14" in msg


def test_combination_without_row(rules):
    # utilities' special services have rows for 2018-2020 and 2022-2024 only (the other values were not found)
    assert foa_part(11_000_000, "utility", "health-social", "2022-06-01", rules).part == "FF-III"
    with pytest.raises(InputError, match="no EEA threshold row for utility / special-services is in force on 2025-06-01"):
        threshold_for("utility", "health-social", AFTER, rules)


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        # core problems carry neutral keys (authority, kind, value, date); the CLI maps them to its flags
        ({"authority": "kommune"}, "authority: unknown authority 'kommune' (valid: municipal, state, utility)"),
        ({"kind": "service"}, "kind: unknown kind 'service' (did you mean 'services'?)"),
        ({"value": -1}, "value: value must not be negative (got -1)"),
        ({"value": "abc"}, "value: 'abc' is not a number"),
        ({"on": "1.6.2025"}, "date: '1.6.2025' is not a date"),
    ],
)
def test_bad_input_gives_one_clear_message(rules, kwargs, expected):
    args = {"value": 1_000_000, "authority": "municipal", "kind": "services", "on": AFTER} | kwargs
    with pytest.raises(InputError) as e:
        foa_part(args["value"], args["authority"], args["kind"], args["on"], rules)
    assert len(e.value.problems) == 1
    assert str(e.value.problems[0]).startswith(expected)


def test_regulation_notes_for_utilities(rules):
    d = foa_part(5_000_000, "utility", "goods", AFTER, rules)
    assert d.part == "FF-II"
    assert any("forsyningsforskriften" in n for n in d.notes)


def test_thresholds_table(rules):
    t = thresholds_table(rules)
    row = t[(t["authority"] == "municipal") & (t["category"] == "goods-services") & t["valid_to"].isna()]
    assert row["value"].tolist() == [2_300_000]


# --- procedures -----------------------------------------------------------------------------

def _allowed(df):
    return set(df.loc[df["allowed"], "procedure"])


def test_part_three_without_grounds(rules):
    df = procedure_access("III", (), rules)
    # issue 24 defect 6: a dynamic purchasing system needs commonly used purchases (FOA § 26-4)
    assert _allowed(df) == {"open", "restricted"}
    assert "FOA §§ 26-4 to 26-7" in df.set_index("procedure")["missing"]["dynamic-purchasing-system"]
    assert "dynamic-purchasing-system" in _allowed(procedure_access("III", ["commonly-used"], rules))
    missing = df.set_index("procedure")["missing"]
    assert "adaptation, innovation, complexity, specifications" in missing["competitive-dialogue"]
    assert "FOA § 13-3" in missing["negotiated-without-notice"]
    assert "FOA § 13-4" in missing["no-competition"]
    assert "none" not in set(df["procedure"])


def test_part_three_with_section_13_2_ground(rules):
    df = procedure_access("III", ["complexity"], rules)
    assert _allowed(df) == {"open", "restricted", "negotiated-with-notice", "competitive-dialogue"}
    reason = df.set_index("procedure").loc["competitive-dialogue", "reason"]
    assert "complexity" in reason


@pytest.mark.parametrize(
    "grounds, procedure",
    [
        (["no-market-solution"], "innovation-partnership"),
        (["no-tenders"], "negotiated-without-notice"),
        (["sole-supplier"], "no-competition"),
        (["framework-exists"], "framework-call-off"),
        (["in-house-control", "in-house-activity", "in-house-capital"], "in-house"),
    ],
)
def test_conditional_procedures(rules, grounds, procedure):
    assert procedure not in _allowed(procedure_access("III", (), rules))
    assert procedure in _allowed(procedure_access("III", grounds, rules))


def test_in_house_needs_all_conditions(rules):
    df = procedure_access("III", ["in-house-control", "in-house-capital"], rules).set_index("procedure")
    assert not df.loc["in-house", "allowed"]
    assert "missing: in-house-activity" in df.loc["in-house", "missing"]


def test_below_eea_threshold_choice_is_free_but_unverified(rules):
    df = procedure_access("II", (), rules).set_index("procedure")
    assert df.loc["competitive-dialogue", "allowed"] and not df.loc["competitive-dialogue", "verified"]
    assert not df.loc["no-competition", "allowed"]
    assert df.loc["open", "allowed"]


def test_unknown_ground(rules):
    with pytest.raises(InputError, match="unknown ground 'complexty' \\(did you mean 'complexity'\\?\\)"):
        route(3_000_000, "municipal", "services", AFTER, ["complexty"], rules)


def test_route_json_shape(rules):
    d = route(2_300_000, "municipal", "services", AFTER, ["innovation"], rules).to_dict()
    assert d["part"] == "III"
    assert d["threshold"]["id"] == "eea-2024-municipal-goods-services"
    assert d["threshold"]["value"] == 2_300_000
    assert {p["procedure"] for p in d["allowed"]} == {"open", "restricted", "negotiated-with-notice", "competitive-dialogue"}
    assert all(p["missing"] for p in d["not_allowed"])
    json.dumps(d)


# --- time limits ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    "procedure, step, kwargs, days",
    [
        ("open", "tenders", {}, 30),
        ("open", "tenders", {"electronic": False}, 35),
        ("open", "tenders", {"pin": True}, 15),
        ("open", "tenders", {"urgency": True}, 15),
        ("open", "tenders", {"pin": True, "electronic": False}, 15),
        ("restricted", "requests", {}, 30),
        ("restricted", "requests", {"urgency": True}, 15),
        ("restricted", "requests", {"electronic": False}, 30),
        ("restricted", "tenders", {}, 25),
        ("restricted", "tenders", {"electronic": False}, 30),
        ("restricted", "tenders", {"urgency": True}, 10),
        ("restricted", "tenders", {"pin": True}, 10),
        ("negotiated-with-notice", "requests", {}, 30),
        ("negotiated-with-notice", "tenders", {}, 25),
        ("negotiated-with-notice", "requests", {"urgency": True}, 15),
        ("negotiated-with-notice", "tenders", {"electronic": False}, 30),
        ("competitive-dialogue", "requests", {}, 30),
        ("competitive-dialogue", "requests", {"urgency": True}, 30),
        ("innovation-partnership", "requests", {}, 30),
    ],
)
def test_minimum_time_limits(rules, procedure, step, kwargs, days):
    lim = min_time_limit(procedure, step, rules=rules, **kwargs)
    assert lim.days == days


def test_time_limit_verified_flags(rules):
    assert min_time_limit("open", "tenders", rules=rules).verified
    assert not min_time_limit("negotiated-with-notice", "tenders", urgency=True, rules=rules).verified


@pytest.mark.parametrize("part", ["outside", "I", "II"])
def test_no_statutory_limits_below_eea(rules, part):
    assert min_time_limit("open", "tenders", part=part, rules=rules) is None


def test_time_limit_errors(rules):
    with pytest.raises(InputError, match="unknown procedure 'opne' \\(did you mean 'open'\\?"):
        min_time_limit("opne", "tenders", rules=rules)
    with pytest.raises(InputError, match="steps with a limit: tenders"):
        min_time_limit("open", "requests", rules=rules)
    with pytest.raises(InputError, match="no statutory time limits"):
        min_time_limit("in-house", "tenders", rules=rules)


def test_time_limits_table(rules):
    t = time_limits_table(rules)
    assert len(t) == 22  # 18 of the DFØ table's Part III limits + two non-state tender limits + two DPS limits [U]
    assert set(t["procedure"]) == {"open", "restricted", "negotiated-with-notice", "competitive-dialogue",
                                   "innovation-partnership", "dynamic-purchasing-system"}


def test_standstill(rules):
    assert standstill("III", rules).days == 10
    assert standstill("II", rules).days == 10
    assert standstill("I", rules) is None
    # issue 24 defect 7: the section per regime (DFØ: 'se §§ 10-1 første ledd og 25-1 første ledd')
    assert standstill("II", rules).citation == "FOA § 10-1 (1)"
    assert standstill("III", rules).citation == "FOA § 25-1 (1)"
    for part in ("II", "IV-30", "FF-II", "KKF"):
        assert "25-2" not in standstill(part, rules).citation


# --- § 28-1 (b) headroom --------------------------------------------------------------------

def test_headroom_goods_percent_limit(rules):
    h = change_headroom(10_000_000, "goods", "municipal", AFTER, rules=rules)
    assert h.percent == 10 and h.limit == 1_000_000 and h.limited_by == "percent"
    h = change_headroom(10_000_000, "goods", "municipal", AFTER, [300_000, 200_000], rules)
    assert h.used_total == 500_000 and h.remaining == 500_000 and not h.exhausted


def test_headroom_goods_threshold_limit(rules):
    h = change_headroom(50_000_000, "goods", "municipal", AFTER, rules=rules)
    assert h.limit == 2_300_000 and h.limited_by == "threshold"
    h = change_headroom(50_000_000, "services", "state", AFTER, [1_000_000], rules)
    assert h.limit == 1_490_000 and h.remaining == 490_000


def test_headroom_works(rules):
    h = change_headroom(100_000_000, "works", "municipal", AFTER, rules=rules)
    assert h.percent == 15 and h.limit == 15_000_000 and h.limited_by == "percent"
    h = change_headroom(500_000_000, "works", "state", AFTER, [20_000_000, 30_000_000], rules)
    assert h.limit == 57_800_000 and h.limited_by == "threshold" and h.remaining == 7_800_000


def test_headroom_exhausted_by_cumulative_changes(rules):
    h = change_headroom(10_000_000, "goods", "municipal", AFTER, [600_000, 600_000], rules)
    assert h.remaining == 0 and h.exhausted


def test_headroom_uses_threshold_in_force(rules):
    h = change_headroom(50_000_000, "goods", "municipal", "2024-01-15", rules=rules)
    assert h.limit == 2_200_000 and not h.verified


def test_headroom_bad_input(rules):
    with pytest.raises(InputError, match="^used: change 2: must not be negative"):
        change_headroom(10_000_000, "goods", "municipal", AFTER, [1, -5], rules)
    with pytest.raises(InputError, match="^original: value must not be negative"):
        change_headroom(-10, "goods", rules=rules)
    with pytest.raises(InputError, match="must be above 0"):
        change_headroom(0, "goods", rules=rules)


# --- rule file validation -------------------------------------------------------------------

def _copy_rules(tmp_path: Path) -> Path:
    dst = tmp_path / "rules"
    shutil.copytree(RULES_DIR, dst)
    return dst


def test_overlapping_periods_rejected(tmp_path):
    d = _copy_rules(tmp_path)
    p = d / "thresholds.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("valid_to: 2024-03-13", "valid_to: 2024-06-30"), encoding="utf-8")
    with pytest.raises(InputError, match="periods overlap for municipal/goods-services"):
        load_rules(d)


def test_missing_citation_and_unknown_ground_rejected(tmp_path):
    d = _copy_rules(tmp_path)
    p = d / "procedures.yaml"
    text = p.read_text(encoding="utf-8").replace("grounds: [no-market-solution]", "grounds: [no-market]", 1)
    p.write_text(text, encoding="utf-8")
    t = d / "time-limits.yaml"
    row = "{procedure: open, step: tenders, variant: base, days: 30, "
    t.write_text(t.read_text(encoding="utf-8").replace(row + "citation: \"FOA kap. 20 (frister)\", ", row), encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_rules(d)
    msgs = [str(x) for x in e.value.problems]
    assert any("unknown ground 'no-market'" in m for m in msgs)
    assert any("limits.0.citation" in m and "Field required" in m for m in msgs)


# --- command line ---------------------------------------------------------------------------

def test_cli_route_names_part_three_and_row(capsys):
    code = main(["route", "--value", "2300000", "--authority", "municipal", "--kind", "services", "--date", "2025-06-01",
                 "--rules", str(RULES_DIR)])
    out = capsys.readouterr().out
    assert code == 0
    assert "Part: III" in out
    assert "eea-2024-municipal-goods-services: NOK 2,300,000, from 2024-03-14" in out


def test_cli_route_json(capsys):
    code = main(["route", "--value", "1000000", "--authority", "state", "--kind", "works", "--date", "2025-06-01",
                 "--format", "json", "--rules", str(RULES_DIR)])
    d = json.loads(capsys.readouterr().out)
    assert code == 0 and d["part"] == "I" and d["threshold"]["value"] == 57_800_000


def test_cli_route_bad_authority(capsys):
    code = main(["route", "--value", "1000000", "--authority", "kommune", "--kind", "services", "--rules", str(RULES_DIR)])
    err = capsys.readouterr().err
    assert code == 2
    assert "unknown authority 'kommune' (valid: municipal, state, utility)" in err


def test_cli_headroom(capsys):
    code = main(["headroom", "--original", "12000000", "--kind", "goods", "--used", "400000,300000", "--date", "2025-06-01",
                 "--rules", str(RULES_DIR), "--format", "json"])
    d = json.loads(capsys.readouterr().out)
    assert code == 0 and d["limit"] == 1_200_000 and d["remaining"] == 500_000


def test_open_ended_threshold_row_warns_when_it_may_be_superseded():
    from procurement.law.thresholds import foa_part

    fresh = foa_part(2_000_000, "municipal", "services", "2025-06-01")
    assert not any("revised every two years" in n for n in fresh.notes)
    old = foa_part(2_000_000, "municipal", "services", "2031-01-01")
    assert any("eea-2024-municipal-goods-services has been in force since 2024-03-14" in n for n in old.notes)


def test_headroom_warns_about_earlier_changes_at_or_above_the_limit(capsys):
    from procurement.cli import main

    assert main(["headroom", "--original", "23000000", "--kind", "services", "--date", "2025-06-01", "--used", "3000000"]) == 0
    out = capsys.readouterr().out
    assert "WARNING: 1 change(s) already made were at or above the § 28-1 (b) limit of NOK 2,300,000" in out
    assert main(["headroom", "--original", "23000000", "--kind", "services", "--date", "2025-06-01",
                 "--used", "1000000,1300000"]) == 0
    assert "add up to NOK 2,300,000, at or above the limit" in capsys.readouterr().out


def test_procedure_access_in_bokmaal():
    from procurement.law.procedures import procedure_access
    from procurement.law.thresholds import part_label

    df = procedure_access("III", (), None, language="nb").set_index("procedure")
    assert df.loc["open", "name"] == "Åpen anbudskonkurranse" and df.loc["open", "reason"] == "alltid tillatt i del III"
    assert df.loc["competitive-dialogue", "missing"].startswith("krever ett av grunnlagene i FOA § 13-2:")
    assert "(give --grounds)" not in df.loc["competitive-dialogue", "missing"]
    assert df.loc["in-house", "missing"].startswith("krever alle vilkårene i FOA § 3-1; mangler:")
    assert part_label("III", "nb") == "FOA del III (EØS-prosedyre)" and part_label("III") == "FOA Part III (EEA procedure)"
