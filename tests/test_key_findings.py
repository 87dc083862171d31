"""The summary's key findings, from small hand-made tables: each sentence says what the tables say."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from procurement import RouteOverview
from procurement.report.notebook import finding_lines, key_findings


def _ranking(agree: bool = True, excluded: bool = False) -> pd.DataFrame:
    t = pd.DataFrame(
        {
            "label": ["Alpha", "Beta", "Gamma"],
            "rank_wsm": [1, 2, 3],
            "score_wsm": [0.7, 0.5, 0.2],
            "rank_topsis": [1 if agree else 2, 2 if agree else 1, 3],
            "score_topsis": [0.6, 0.55, 0.1],
        },
        index=pd.Index(["a", "b", "c"], name="option"),
    )
    for c in ("rank_wsm", "rank_topsis"):
        t[c] = t[c].astype("Int64")
    if excluded:
        extra = pd.DataFrame({"label": ["Delta"], "excluded_by": ["Must be legal (FOA § 28-1)"]}, index=["d"])
        t = pd.concat([t, extra])
    return t


def _acceptability() -> pd.DataFrame:
    return pd.DataFrame({"label": ["Alpha", "Beta", "Gamma"], "first": [0.62, 0.35, 0.03]}, index=["a", "b", "c"])


def _npv() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "label": ["Alpha", "Beta", "Gamma", "Delta"],
            "npv": [1200.4, 2500.6, -30.0, 9999.0],
            "npv_P50": [1100.0, 2400.2, -40.0, 9000.0],
        },
        index=["a", "b", "c", "d"],
    )


def test_leader_and_agreement_in_english_and_bokmal():
    assert finding_lines(_ranking(), language="en") == ["**Alpha** ranks first by weighted sum, and every chosen method agrees."]
    assert finding_lines(_ranking(agree=False), language="en") == [
        "**Alpha** ranks first by weighted sum; the chosen methods disagree about first place."
    ]
    assert finding_lines(_ranking(), language="nb") == [
        "**Alpha** rangeres først med vektet sum og alle valgte metoder er enige."
    ]


def test_screened_out_options_are_named_and_never_lead():
    lines = finding_lines(_ranking(excluded=True), npv=_npv(), language="en")
    assert lines[1] == "Removed by a hard requirement: Delta."
    # Delta has the highest NPV but was screened out: the best NPV among the ranked options is Beta's
    assert lines[2] == "Highest net present value among the ranked options: **Beta** (2,501\u00a0MNOK; P50 2,400)."
    assert lines[3] == "Alpha: net present value 1,200\u00a0MNOK."


def test_smaa_share_and_the_options_that_can_also_win():
    lines = finding_lines(_ranking(), _acceptability(), language="en")
    assert (
        lines[1] == "With uncertain weights and scores (SMAA), Alpha comes first in 62% of the draws; Beta can also come first."
    )
    nb = finding_lines(_ranking(), _acceptability(), language="nb")
    assert nb[1] == "Med usikre vekter og skårer (SMAA) kommer Alpha først i 62\u00a0% av trekkene; også Beta kan komme først."


def test_bokmal_npv_uses_spaces_as_thousands_separator():
    lines = finding_lines(_ranking(), npv=_npv(), language="nb")
    assert lines[1] == "Høyest netto nåverdi blant de rangerte alternativene: **Beta** (2\u00a0501\u00a0MNOK; P50 2\u00a0400)."


def test_route_and_stakeholder_lines():
    route = RouteOverview(
        True,
        "FOA part III",
        pd.DataFrame({"procedure": ["competitive-dialogue"], "contract": ["2027-03-01"], "months": [14.4]}, index=["a"]),
    )
    ranks = pd.DataFrame({"label": ["Alpha", "Beta"], "default": [1, 2], "ks": [2, 1], "bergen": [1, 2]}, index=["a", "b"])
    # months from the run date: 12.01.2026 to 01.03.2027 is 413 days, 13.6 months
    lines = finding_lines(_ranking(), route=route, stakeholder_ranks=ranks, language="en", today=date(2026, 1, 12))
    assert lines[1] == "Alpha uses competitive dialogue under FOA part III; earliest contract signature 1 Mar 2027, in 14 months."
    assert lines[2] == "2 of 3 weight sets put Alpha first."


def test_no_ranked_option_gives_no_findings_and_markdown_wraps_the_lines():
    empty = _ranking().iloc[0:0]
    assert finding_lines(empty) == []
    md = key_findings(None, _ranking(), language="en")
    assert md.data == "- **Alpha** ranks first by weighted sum, and every chosen method agrees."


def test_a_large_panel_gets_one_agreement_row_per_group_checked_with_scipy():
    """More groups than fit a readable matrix: mean and lowest Kendall τ per group, as scipy computes them."""
    import numpy as np
    from scipy.stats import kendalltau

    from procurement import load_case
    from procurement.mcda.ranking import rank
    from procurement.report.notebook import agreement_table

    case = load_case("data/national-municipal-solution")
    d = case.decision("contract-strategy")
    rng = np.random.default_rng(3)
    for k in range(10):  # 7 groups in the file + 10 = 17, above the 12 of a readable matrix
        d.profiles[f"m{k}"] = pd.Series(rng.uniform(1, 10, len(d.criterion_ids)), index=d.criterion_ids)
    t = agreement_table(case, d, "wsm", "en")
    assert list(t.columns) == ["mean_tau", "min_tau", "least_agreeing"] and len(t) == len(d.profiles)
    ranks = {g: rank(d, "wsm", profile=g).table["rank"].sort_index() for g in d.profiles}
    taus = [kendalltau(ranks["m0"], ranks[g]).statistic for g in d.profiles if g != "m0"]
    assert t.loc["m0", "mean_tau"] == pytest.approx(np.mean(taus))
    assert t.loc["m0", "min_tau"] == pytest.approx(min(taus))


def test_bokmal_route_line_uses_the_procedure_name_a_norwegian_date_and_kontraktssignering():
    route = RouteOverview(
        True,
        "FOA del III",
        pd.DataFrame({"procedure": ["competitive-dialogue"], "contract": ["2027-03-01"], "months": [14.4]}, index=["a"]),
    )
    lines = finding_lines(_ranking(), route=route, language="nb", today=date(2026, 1, 12))  # 413 days before
    assert lines[1] == (
        "Alpha bruker konkurransepreget dialog etter FOA del III; tidligste kontraktssignering 01.03.2027, om 14 måneder."
    )


def test_names_from_the_case_stay_text():
    """A hostile option name is escaped: no tag or link survives into the Markdown."""
    t = _ranking()
    t.loc["a", "label"] = '<iframe srcdoc="<img src=http://x>"></iframe>[x](javascript:alert(1))'
    line = finding_lines(t, language="en")[0]
    assert "<iframe" not in line and "&lt;iframe" in line
    assert "\\[x\\]" in line  # the brackets are escaped: no Markdown link
