"""Report tables of the cost-benefit analysis (cba.report): every decision, both languages, no cash flows."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import procurement as pw
from procurement.cba import report as cba

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "national-municipal-solution"


@pytest.fixture(scope="module")
def case():
    return pw.load_case(EXAMPLE)


def test_probabilities_are_percentages_with_one_decimal():
    assert cba.percent(0.2413, "nb") == "24,1\u00a0%"
    assert cba.percent(0.2413, "en") == "24.1%"
    assert cba.percent(0.0004, "en") == "0.0%"


@pytest.mark.parametrize("decision", ["contract-strategy", "procurement-procedure", "governance-financing"])
@pytest.mark.parametrize("language", ["nb", "en"])
def test_every_table_for_every_decision(case, decision, language):
    a = case.analysis({"decision": decision, "samples": 500, "language": language})
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
    assert list(combined["overall_rank"]) == list(range(1, len(combined) + 1))
    assert cba.finding_lines(cb, a.decision, language)
    assert str(cba.intro(cb, a.decision, language).data)


def test_screened_out_options_are_last_and_marked(case):
    a = case.analysis({"decision": "contract-strategy", "samples": 500})
    cb = a.cba()
    head = cba.headline_table(cb, a.decision, "nb")
    assert head.index[-1] == "helseplattformen-extend"
    assert head["label"].iloc[-1].endswith("(silt ut)") and head["excluded_by"].iloc[-1]
    fig = cb.plot(a.option_labels(), "nb")
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert any(t.endswith("(silt ut)") for t in legend)


def test_plus_minus_table_in_bokmal(case):
    a = case.analysis({"decision": "contract-strategy", "samples": 500})
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
    a = case.analysis({"decision": "governance-financing", "samples": 500})
    cb = a.cba()
    assert not cb.available
    assert cb.message.startswith("Beslutningen «") and cb.message.endswith(".") and ". " not in cb.message
    assert cba.headline_table(cb, a.decision, "nb").empty and cba.combined_assessment(a, cb, "nb").empty
    assert cb.plot(a.option_labels(), "nb") is None
    assert cb.to_dict() == {"available": False, "message": cb.message}
