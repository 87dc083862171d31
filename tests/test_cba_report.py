"""Report tables of the cost-benefit analysis (report.sections.cba): every decision, both languages, no cash flows."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import procurement as pw
from procurement import Analysis
from procurement.report.sections import cba

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "national-municipal-solution"


@pytest.fixture(scope="module")
def case():
    return pw.load_case(EXAMPLE)


def test_probabilities_are_percentages_with_one_decimal():
    assert cba.percent(0.2413, "nb") == "24,1\u00a0%"
    assert cba.percent(0.2413, "en") == "24.1%"
    # a probability that is not 0 (or 1) never reads as 0 % (100 %)
    assert cba.percent(0.0004, "en") == "< 0.1%"
    assert cba.percent(0.0004, "nb") == "< 0,1\u00a0%"
    assert cba.percent(0.0006, "en") == "0.1%"
    assert cba.percent(0.9996, "en") == "> 99.9%"
    assert cba.percent(0.0, "en") == "0.0%" and cba.percent(1.0, "en") == "100.0%"


@pytest.mark.parametrize("decision", ["contract-strategy", "procurement-procedure", "governance-financing"])
@pytest.mark.parametrize("language", ["nb", "en"])
def test_every_table_for_every_decision(case, decision, language):
    a = Analysis(case, {"decision": decision, "samples": 500, "language": language})
    cb = a.cba()
    head = cba.headline_table(cb, a.decision, language)
    assert cb.reference not in head.index and len(head) == len(a.decision.option_ids) - 1
    point = head.columns[1]
    assert point == "incremental_npv_expected"
    assert list(head[point].iloc[: len(head) - int(head.get("excluded_by", pd.Series(dtype=str)).astype(bool).sum())]) == \
        sorted(head[point].iloc[: len(head) - int(head.get("excluded_by", pd.Series(dtype=str)).astype(bool).sum())],
               reverse=True)
    assert len(cba.absolute_table(cb, a.decision, language)) == len(a.decision.option_ids)
    frames = cba.frames_table(cb, a.decision, language)
    assert (frames["cost_frame"] >= frames["steering_frame"]).all()
    combined = cba.combined_assessment(a, cb, language)
    assert sorted(combined["npv_rank"]) == list(range(1, len(combined) + 1))
    ranked = combined["overall_rank"].dropna()
    assert list(ranked) == list(range(1, len(ranked) + 1))  # the case's ranking (assessment.yaml), where it gives one
    assert combined["reasoning"].astype(bool).all()
    assert cba.finding_lines(cb, a.decision, language)
    assert str(cba.intro(cb, a.decision, language).data)


def test_screened_out_options_are_last_and_marked(case):
    a = Analysis(case, {"decision": "contract-strategy", "samples": 500})
    cb = a.cba()
    head = cba.headline_table(cb, a.decision, "nb")
    assert head.index[-1] == "helseplattformen-extend"
    assert head["label"].iloc[-1].endswith("(silt ut)") and head["excluded_by"].iloc[-1]
    fig = cb.plot(a.option_labels(), "nb")
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert any(t.endswith("(silt ut)") for t in legend)


def test_plus_minus_table_in_bokmal(case):
    a = Analysis(case, {"decision": "contract-strategy", "samples": 500})
    t = cba.plus_minus_table(a, "nb")
    assert "Innlåsing til leverandør og mulighet for exit" in set(t["effect"])
    assert set(t["importance"]) <= {"liten", "middels", "stor"}
    assert t.columns[-1].endswith("(silt ut)")


def test_a_decision_without_cash_flows_says_so_in_one_sentence(tmp_path):
    d = tmp_path / "case"
    shutil.copytree(EXAMPLE, d)
    lines = (d / "cashflows.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (d / "cashflows.csv").write_text("".join(x for x in lines if not x.startswith("governance-financing")), encoding="utf-8")
    case = pw.load_case(d)
    a = Analysis(case, {"decision": "governance-financing", "samples": 500})
    cb = a.cba()
    assert not cb.available
    assert cb.message.startswith("Beslutningen «") and cb.message.endswith(".") and ". " not in cb.message
    assert cba.headline_table(cb, a.decision, "nb").empty and cba.combined_assessment(a, cb, "nb").empty
    assert cb.plot(a.option_labels(), "nb") is None
    assert cb.to_dict() == {"available": False, "message": cb.message}


@pytest.mark.parametrize("decision", ["contract-strategy", "procurement-procedure", "governance-financing"])
@pytest.mark.parametrize("language", ["nb", "en"])
def test_who_pays_and_uptake_sections_for_every_decision(case, decision, language):
    a = Analysis(case, {"decision": decision, "samples": 300, "language": language})
    fin = cba.financing_table(a, language)
    assert len(fin) and set(fin.columns) == {"label", "payer", "cost_pv", "share_of_cost", "tax_cost"}
    # each option's payers carry all of its costs, and the shares are the PVs divided by their sum
    for _, g in fin.groupby("label", sort=False):
        assert g["share_of_cost"].sum() == pytest.approx(1.0)
        assert g["share_of_cost"].to_numpy() == pytest.approx((g["cost_pv"] / g["cost_pv"].sum()).to_numpy())
    per = cba.per_inhabitant_table(a, language)
    assert len(per) == len(a.decision.option_ids)
    intro = cba.who_pays_intro(a, language).data
    upt = cba.uptake_table(a, language)
    if decision == "contract-strategy":
        assert "55" in intro and len(upt) == len(a.decision.option_ids) - 1  # every option but the 0-alternative
        shares = upt["break_even_share"].dropna()
        assert ((shares >= 0) & (shares <= 1)).all()
        yes = "ja" if language == "nb" else "yes"
        assert ((upt["within_condition"] == yes) == (upt["break_even_share"] <= 0.55)).all()
        assert cba.uptake_figure(a, language) is not None
        assert len(cba.uptake_scenarios_table(a, language)) == 5
    else:  # no 0-alternative: the intro says so in one sentence, no table, no figure
        assert upt.empty and cba.uptake_figure(a, language) is None
        assert ("0-alternativ" in intro) if language == "nb" else ("0-alternative" in intro)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_summary_lines_name_break_even_condition_public_share_and_conditional_options(case, language):
    a = Analysis(case, {"decision": "contract-strategy", "samples": 300, "language": language})
    cb = a.cba()
    text = cba.summary_findings(a, cb, language).data
    upt = a.uptake()
    leader = cba.headline_table(cb, a.decision, language).index[0]
    share = upt.break_even.loc[leader, "break_even_share"]
    from procurement.text import fmt

    assert fmt.percent(share, language, 1) in text and fmt.percent(0.55, language, 0) in text
    pv = a.financing().present_value
    state = pv[(pv["option"] == leader) & (pv["payer"] == "state")]["share_of_cost"].iloc[0]
    assert fmt.percent(state, language, 0) in text
    assert "†" in text and "FOA § 3-1" in text
    if language == "nb":
        assert "Det offentlige bærer" in text and "går videre bare på vilkår" in text
