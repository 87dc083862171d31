"""The engine answers what the law commands show (issue 22): ``pw.route`` and ``pw.headroom`` without a case,
``Analysis.route()``, ``timeline()`` and ``risks()`` for one, each with ``to_dict()``, ``to_frame()`` and its
assumptions; the command line prints exactly ``to_dict()``.

Expected values come from the sources, not from the code: the EEA threshold for municipal goods and services is
NOK 2,300,000 from 14 March 2024 and the national threshold NOK 1,300,000 (anskaffelser.no, FOA §§ 5-1 and 5-3);
FOA § 28-1 (b) allows 10 % of the original value for goods (hand computation below); the risk scores are
computed by hand from the example case's ``risks.csv``.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

import procurement as pw
from procurement.cli import main
from procurement.report.notebook import _route_line  # the sentence the summary report prints

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "data" / "national-municipal-solution"
QUERY = {"value": 2_300_000, "authority": "municipal", "kind": "services", "date": "2025-06-01"}
CLI_QUERY = ["--value", "2300000", "--authority", "municipal", "--kind", "services", "--date", "2025-06-01"]


def printed(data: dict) -> str:
    """What the command line prints for a result: its to_dict() as one line of JSON, one newline at the end."""
    return json.dumps(data, ensure_ascii=False) + "\n"


@pytest.fixture(scope="module")
def analysis():
    return pw.Analysis(pw.load_case(CASE), {"name": "law", "decision": "contract-strategy", "language": "en"})


# --- the general route question, no case ------------------------------------------------------------------------

def test_route_is_answered_by_the_public_api_with_the_published_thresholds():
    r = pw.route(**QUERY)
    assert isinstance(r, pw.RouteResult)
    d = r.to_dict()
    assert d["part"] == "III" and d["threshold"]["value"] == 2_300_000 and d["threshold"]["valid_from"] == "2024-03-14"
    assert d["national_threshold"]["value"] == 1_300_000
    assert "open" in set(r.to_frame().query("allowed").index)


def test_route_assumptions_carry_the_row_its_dates_and_flag_the_date_asked_and_the_regime():
    found = {a["key"]: a for a in pw.route(**QUERY).to_dict()["assumptions"]}
    assert found["law.assume.date"]["date"] == "2025-06-01"
    assert found["law.assume.regime"]["regime"] == "foa"
    eea = found["law.assume.eea_from"]
    assert (eea["row"], eea["value"], eea["valid_from"], eea["valid_to"], eea["verified"]) == \
        ("eea-2024-municipal-goods-services", 2_300_000, "2024-03-14", None, True)
    assert found["law.assume.national_from"]["value"] == 1_300_000


def test_route_describes_its_assumptions_in_both_languages():
    r = pw.route(**QUERY)
    nb, en = "\n".join(r.describe("nb")), "\n".join(r.describe("en"))
    assert "01.06.2025" in nb and "2\u00a0300\u00a0000 kr" in nb and "14.03.2024" in nb
    assert "1 Jun 2025" in en and "NOK 2,300,000" in en and "14 Mar 2024" in en
    assert "Anskaffelsesforskriften" in nb and "Public procurement regulation" in en


def test_an_unverified_row_is_said_to_be_unverified():
    # the 23 March 2022 rows are from a secondary source (docs/rules.md, "Unverified facts")
    r = pw.route(value=2_200_000, authority="municipal", kind="services", date="2023-01-01")
    keys = [a["key"] for a in r.to_dict()["assumptions"]]
    assert "law.assume.unverified" in keys
    assert any("not verified in the primary source" in s for s in r.describe("en"))


@pytest.mark.parametrize("language", ["en", "nb"])
def test_cli_route_json_is_to_dict_byte_for_byte(capsys, language):
    assert main(["route", *CLI_QUERY, "--grounds", "complexity", "--language", language, "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert out == printed(pw.route(**QUERY, grounds=["complexity"], language=language).to_dict())


def test_headroom_is_answered_by_the_public_api():
    h = pw.headroom(original=12_000_000, kind="goods", used=[400_000, 300_000], date="2025-06-01")
    # 10 % of 12,000,000 = 1,200,000 < the EEA threshold 2,300,000; 1,200,000 - 700,000 = 500,000 remain
    assert (h.limit, h.remaining, h.limited_by) == (1_200_000, 500_000, "percent")
    assert h.to_frame().loc["remaining", "value"] == 500_000
    assert "10\u00a0%" in "\n".join(h.describe("nb")) and "10%" in "\n".join(h.describe("en"))
    assert "b" not in set(h.other_grounds["ground"])


def test_cli_headroom_json_is_to_dict_byte_for_byte(capsys):
    assert main(["headroom", "--original", "12000000", "--kind", "goods", "--used", "400000, 300000", "--date",
                 "2025-06-01", "--format", "json"]) == 0
    h = pw.headroom(original=12_000_000, kind="goods", used=[400_000, 300_000], date="2025-06-01")
    assert capsys.readouterr().out == printed(h.to_dict())


# --- a case: timeline, route, risks ------------------------------------------------------------------------------

def test_cli_timeline_json_is_to_dict_byte_for_byte(capsys, analysis):
    assert main(["timeline", str(CASE), "--format", "json"]) == 0
    assert capsys.readouterr().out == printed(analysis.timeline().to_dict())


def test_cli_timeline_with_a_start_date_is_to_dict_byte_for_byte(capsys, analysis):
    assert main(["timeline", str(CASE), "--start", "2026-02-02", "--format", "json"]) == 0
    d = json.loads(out := capsys.readouterr().out)
    assert out == printed(analysis.timeline(start="2026-02-02").to_dict())
    assert {o["start"] for o in d["options"]} == {"2026-02-02"}


def test_timeline_of_the_engine(analysis):
    t = analysis.timeline()
    assert isinstance(t, pw.ProcurementTimeline)
    frame = t.to_frame()
    assert frame.loc["zero", "days"] == 0 and frame.loc["dialogue-total", "ssa"] == "SSA-T+SSA-D"
    # the in-house company waits 9 months for its ownership change (screening.yaml): 9 x 365.25 / 12 = 274 days
    assert (frame.loc["inhouse-company", "contract_if"] - frame.loc["inhouse-company", "contract"]).days == 274
    keys = [a.key for a in t.assumptions]
    assert keys[:3] == ["law.assume.timeline_file", "law.assume.start", "law.assume.part"]
    assert "06.01.2025" in "\n".join(t.describe("nb"))


def test_route_of_the_engine_has_screening_and_enforcement_with_or_without_a_timeline(analysis):
    r = analysis.route()
    assert isinstance(r, pw.RouteOverview) and r.available
    assert r.to_frame().index[0] == "zero"  # shortest first: no joint contract, 0 months
    assert r.screening.loc["helseplattformen-extend", "status"] == "fail"
    # Helseplattformen: complaint 0.8 x 3 + fine 0.6 x 150 + ineffectiveness 0.4 x 500 = 292.4 MNOK (enforcement.csv)
    assert r.enforcement.loc["helseplattformen-extend", "expected_cost_mnok"] == pytest.approx(292.4)
    d = r.to_dict()
    assert d["available"] and d["options"]["inhouse-company"]["lead_time_months"] == 9.0
    other = analysis.with_(decision="governance-financing").route()
    assert not other.available and len(other.screening) and "nhn-service" in other.screening.index


def _hand_mean_scores() -> dict[str, float]:
    scores: dict[str, list[int]] = {}
    with open(CASE / "risks.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["decision"] == "contract-strategy":
                scores.setdefault(row["option"], []).append(int(row["probability"]) * int(row["consequence"]))
    return {o: sum(s) / len(s) for o, s in scores.items()}


def test_risks_of_the_engine_match_a_hand_computation(analysis):
    r = analysis.risks()
    assert isinstance(r, pw.RiskRegister)
    assert r.expected.to_dict() == pytest.approx(_hand_mean_scores())
    assert r.to_frame().loc["helseplattformen-extend", "max_score"] == 25
    assert int(r.counts().to_numpy().sum()) == len(r.register)
    assert int(r.counts("zero").loc[5, 4]) == 1  # "Municipalities fall further behind": probability 5, consequence 4


def test_cli_risks_json_is_to_dict_byte_for_byte(capsys, analysis):
    assert main(["risks", str(CASE), "--how", "sum", "--format", "json"]) == 0
    assert capsys.readouterr().out == printed(analysis.risks("sum").to_dict())


def test_notebook_05_asks_the_engine_only():
    """The route report imports nothing of the domain: everything it shows comes from report.analysis."""
    nb = json.loads((ROOT / "notebooks" / "05-procurement-route.ipynb").read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    imports = [line.strip() for line in code.splitlines() if line.strip().startswith(("import ", "from "))]
    assert imports and all(line.startswith("from procurement.report.notebook import") for line in imports), imports


def test_the_route_agrees_with_the_ranking_on_procedures(analysis):
    """Issue 24 item 9: a report ranked competitive dialogue first while its procedure table said 'no' (no FOA § 13-2
    ground recorded). The example records complexity (timeline.yaml defaults.grounds), so dialogue is allowed in the
    table; an option whose procedure needs a ground the case does not record is flagged with what it needs."""
    r = analysis.route()
    access = r.access.set_index("procedure")["allowed"]
    assert access["competitive-dialogue"] == "yes" and access["negotiated-with-notice"] == "yes"
    t = r.table
    assert t.loc["dialogue-total", "procedure_allowed"] == "yes" and t.loc["dialogue-total", "procedure_needs"] == ""
    assert t.loc["innovation-partnership", "procedure_allowed"] == "no"
    assert "FOA § 13-1" in t.loc["innovation-partnership", "procedure_needs"]
    assert t.loc["inhouse-company", "procedure_allowed"] == "yes"  # in-house: answered by the screening, not here


def test_an_unknown_ground_in_the_timeline_is_one_clear_problem(tmp_path):
    case = tmp_path / "case"
    shutil.copytree(CASE, case)
    p = case / "timeline.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("grounds: [complexity]", "grounds: [complexty]"), encoding="utf-8")
    with pytest.raises(pw.InputError) as e:
        pw.Analysis(pw.load_case(case), {"name": "law", "decision": "contract-strategy"}).timeline()
    assert any("defaults.grounds: unknown ground 'complexty' (did you mean 'complexity'?)" in str(x)
               for x in e.value.problems)


def test_the_summary_route_line_says_when_the_procedure_is_not_allowed(analysis):
    """The summary's route sentence for a first-ranked option names what its procedure still needs."""
    r = analysis.route()
    flagged = _route_line(r, "innovation-partnership", "Innovation partnership", "en")
    assert "not allowed on the grounds recorded in the case" in flagged and "FOA § 13-1" in flagged
    assert "not allowed" not in _route_line(r, "dialogue-total", "Dialogue", "en")
