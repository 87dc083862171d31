"""Every figure's fixed texts (axes, titles, legends, colour bars) follow the report language.

Each figure is built on the example case in bokmål and in English. The nb
figure must show the bokmål words and none of the English ones; the en figure
the English words (the default, so existing callers see no change).
"""

from __future__ import annotations

import io
import re

import matplotlib
import matplotlib.pyplot as plt
import pytest
from matplotlib.text import Text

from conftest import EXAMPLE_CASE
from procurement.cba.case_flows import case_cashflows
from procurement.cba.parameters import default_rules_path, load_parameters
from procurement.cba.simulation import s_curve_data, simulate
from procurement.plots import figures
from procurement.plots import sensitivity as sf
import procurement as pw
from procurement import load_case
from procurement.report.notebook import relabel, stakeholder_rank_table, stakeholder_weight_table
from procurement.law.risk import option_risks, read_risks, risk_counts
from procurement.uncertainty.sensitivity import tornado, weight_sweep
from procurement.uncertainty.smaa import smaa
from procurement.plots.cba import s_curve_figure
from procurement.plots.risk import risk_heatmap
from procurement.plots.timeline import gantt_figure
from procurement import Analysis

matplotlib.use("Agg")

DECISION = "contract-strategy"

#: Fixed English figure words that must not appear (as whole words) in a bokmål figure.
ENGLISH = [
    "rank", "ranks", "share of draws", "draws", "weight", "weights", "central weight", "score", "score of",
    "at its low value", "at its high value", "what moves", "cumulative probability", "probability", "consequence",
    "S-curve", "real base-year prices", "date", "mo", "no joint contract", "Risks", "number per cell",
    "row above column", "Procurement timeline", "per option", "Phase", "Preparation", "Requests to participate",
    "Qualification", "Tender period", "Dialogue", "negotiation round", "Final tenders", "Evaluation", "Negotiation",
    "Establishment", "In-house agreement", "Framework competition", "Call-off", "Standstill", "Method", "Option",
    "Stakeholder", "Decision matrix", "Normalised score", "worst", "Ranks by method", "Weights by stakeholder",
    "Weights used", "NPV", "npv",
]


@pytest.fixture(scope="module")
def case():
    return load_case(EXAMPLE_CASE)


@pytest.fixture(scope="module")
def decision(case):
    return case.decision(DECISION)


@pytest.fixture(scope="module")
def smaa_result(decision):
    return smaa(decision, "wsm", samples=2000, seed=0)


@pytest.fixture(scope="module")
def simulation(case):
    params = load_parameters(default_rules_path(case.path))
    flows, options = case_cashflows(case, DECISION)
    return simulate(flows, options, case.base_year, params, samples=2000, seed=1, zero="zero")


def texts(fig) -> list[str]:
    """Every non-empty text of a figure: labels, titles, legends, colour bars, annotations, ticks."""
    return [t.get_text() for t in fig.findobj(Text) if t.get_text().strip()]


def fixed_texts(fig) -> dict[str, list[str]]:
    """The texts a figure function sets itself, by kind."""
    out: dict[str, list[str]] = {"xlabel": [], "ylabel": [], "title": [], "legend": []}
    for ax in fig.axes:
        out["xlabel"].append(ax.get_xlabel())
        out["ylabel"].append(ax.get_ylabel())
        out["title"].append(ax.get_title())
        leg = ax.get_legend()
        if leg is not None:
            out["legend"] += [leg.get_title().get_text()] + [t.get_text() for t in leg.get_texts()]
    for leg in fig.legends:
        out["legend"] += [leg.get_title().get_text()] + [t.get_text() for t in leg.get_texts()]
    if fig._suptitle is not None:
        out["title"].append(fig._suptitle.get_text())
    return {k: [v for v in vs if v] for k, vs in out.items()}


def english_left(fig) -> list[str]:
    found = []
    for text in texts(fig):
        for word in ENGLISH:
            if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text):
                found.append(f"{word!r} in {text!r}")
    return found


def close(fig):
    plt.close(fig)


# --------------------------------------------------------------------------- builders: language -> figure


def build(name, language, case, decision, smaa_result, simulation):
    opt = decision.option_labels(language)
    crit = decision.criterion_labels(language)
    if name == "acceptability":
        return sf.acceptability_figure(smaa_result.acceptability, opt, language=language)
    if name == "winning":
        return sf.winning_figure(smaa_result.winning, opt, language=language)
    if name == "central_weights":
        return sf.central_weights_figure(smaa_result.central_weights, opt, crit, language=language)
    if name == "sweep":
        return sf.sweep_figure(weight_sweep(decision, "wsm", points=11), labels=opt, criterion_labels=crit, language=language)
    if name == "tornado":
        return sf.tornado_figure(tornado(decision, "wsm"), criterion_labels=crit, labels=opt, language=language)
    if name == "s_curve":
        return s_curve_figure(relabel(s_curve_data(simulation, "npv"), opt), unit="MNOK", language=language)
    if name == "gantt":
        route = pw.Analysis(case, {"name": "figures", "decision": DECISION, "language": language}).route()
        return gantt_figure(route.gantt_table(), labels=opt, language=language)
    if name == "risk":
        return risk_heatmap(risk_counts(option_risks(read_risks(EXAMPLE_CASE), DECISION)), language=language)
    if name == "risk_option":
        counts = risk_counts(option_risks(read_risks(EXAMPLE_CASE), DECISION, "dialogue-total"))
        return risk_heatmap(counts, subject=opt["dialogue-total"], language=language)
    if name == "decision_matrix":
        return figures.decision_matrix_heatmap(decision.matrix(), decision.objectives, opt, crit, language=language)
    if name == "ranks_by_method":
        ranks = stakeholder_rank_table(Analysis(case, decision=DECISION, methods=["wsm"], language=language))
        return figures.ranks_by_method(ranks.set_index("label"), language=language)
    if name == "stakeholder_weights":
        return figures.stakeholder_weights(stakeholder_weight_table(case, decision, language), language=language)
    if name == "weights_bar":
        return figures.weights_bar(decision.weights.rename(crit), language=language)
    raise AssertionError(name)


#: figure -> (kind of text, bokmål text, English text) it must show
EXPECTED = {
    "acceptability": [("xlabel", "andel av trekkene (%)", "share of draws (%)"), ("legend", "rangering", "rank")],
    "winning": [("ylabel", "% av trekkene der raden er over kolonnen", "% of draws row above column")],
    "central_weights": [("ylabel", "sentral vekt", "central weight")],
    "sweep": [("xlabel", "vekt", "weight"), ("ylabel", "rangering", "rank")],
    "tornado": [("legend", "skår med lav verdi", "score at its low value"),
                ("legend", "skår med høy verdi", "score at its high value")],
    "s_curve": [("ylabel", "kumulativ sannsynlighet", "cumulative probability"),
                ("title", "S-kurve: nåverdi", "S-curve: NPV"),  # the measure in words in English too (issue 22)
                ("xlabel", "nåverdi (MNOK, faste priser i basisåret)", "NPV (MNOK, real base-year prices)")],
    "gantt": [("xlabel", "dato", "date"), ("legend", "Fase", "Phase"), ("legend", "Forberedelse", "Preparation"),
              ("legend", "Karensperiode", "Standstill"),
              ("title", "Anskaffelsesløp per alternativ", "Procurement timeline per option")],
    "risk": [("xlabel", "konsekvens (1–5)", "consequence (1–5)"), ("ylabel", "sannsynlighet (1–5)", "probability (1–5)"),
             ("ylabel", "sannsynlighet × konsekvens", "probability × consequence"),
             ("title", "Risikoer (antall per celle)", "Risks (number per cell)")],
    "risk_option": [("xlabel", "konsekvens (1–5)", "consequence (1–5)")],
    "decision_matrix": [("title", "Beslutningsmatrise", "Decision matrix"),
                        ("ylabel", "Normalisert skår (0 = dårligst, 1 = best)", "Normalised score (0 = worst, 1 = best)")],
    "ranks_by_method": [("xlabel", "Metode", "Method"), ("ylabel", "Rangering (1 = best)", "Rank (1 = best)"),
                        ("legend", "Alternativ", "Option"), ("title", "Rangering per metode", "Ranks by method")],
    "stakeholder_weights": [("xlabel", "Vekt", "Weight"), ("legend", "Interessent", "Stakeholder"),
                            ("title", "Vekter per interessent", "Weights by stakeholder")],
    "weights_bar": [("xlabel", "Vekt", "Weight"), ("title", "Vekter brukt i rapporten", "Weights used in this report")],
}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_figure_in_bokmal_and_english(name, case, decision, smaa_result, simulation):
    for language, col in (("nb", 1), ("en", 2)):
        fig = build(name, language, case, decision, smaa_result, simulation)
        try:
            got = fixed_texts(fig)
            for row in EXPECTED[name]:
                assert row[col] in got[row[0]], f"{name} ({language}): {row[col]!r} not among {row[0]} {got[row[0]]}"
            if language == "nb":
                assert english_left(fig) == [], f"{name}: English left in the bokmål figure"
            else:
                assert english_left(fig), f"{name}: the English word list finds nothing in the English figure"
        finally:
            close(fig)


def test_tornado_names_the_option(decision):
    spread = tornado(decision, "wsm")
    leader = spread.sort_values("base_rank", kind="stable")["option"].iloc[0]
    for language, xlabel, title in (("nb", "skår for {}", "Det som flytter skåren til {} mest"),
                                    ("en", "score of {}", "What moves {}'s score most")):
        opt = decision.option_labels(language)
        fig = sf.tornado_figure(spread, labels=opt, language=language)
        ax = fig.axes[0]
        assert ax.get_xlabel() == xlabel.format(opt[leader])
        assert ax.get_title() == title.format(opt[leader])


def test_gantt_months_text(case, decision):
    table = pw.Analysis(case, {"name": "figures", "decision": DECISION, "language": "nb"}).route().gantt_table()
    nb = gantt_figure(table, language="nb")
    en = gantt_figure(table)
    assert any(t.get_text().endswith(" mnd") for t in nb.axes[0].texts)
    assert all(not t.get_text().endswith(" mo") for t in nb.axes[0].texts)
    assert any(t.get_text().endswith(" mo") for t in en.axes[0].texts)


def test_english_is_the_default(decision, smaa_result):
    fig = sf.acceptability_figure(smaa_result.acceptability)
    assert fig.axes[0].get_xlabel() == "share of draws (%)"
    counts = risk_counts(option_risks(read_risks(EXAMPLE_CASE), DECISION))
    assert risk_heatmap(counts).axes[0].get_xlabel() == "consequence (1–5)"


DECIMAL_POINT = re.compile(r"(?<![\d.])\d+\.\d+(?![\d.])")
ISO_MONTH = re.compile(r"\b\d{4}-\d{2}\b")


@pytest.mark.parametrize("name", list(EXPECTED))
def test_bokmal_figures_write_numbers_and_dates_the_norwegian_way(name, case, decision, smaa_result, simulation):
    """After localise (what Report.plot does), no tick, annotation or label of a bokmål figure has a decimal point or
    an ISO month, and the same figure in English keeps decimal points."""
    fig = figures.localise(build(name, "nb", case, decision, smaa_result, simulation), "nb")
    try:
        fig.savefig(io.BytesIO(), format="png")  # tick labels are made when drawn, as in Report.plot
        shown = [t.get_text() for t in fig.findobj(Text) if t.get_text().strip() and t.get_visible()]
        assert not [t for t in shown if DECIMAL_POINT.search(t.replace("\u2212", "-"))], shown
        assert not [t for t in shown if ISO_MONTH.search(t)], shown
        alt = figures.describe(fig, "nb")
        assert alt.startswith("Figur: ") and len(alt) > 12
    finally:
        close(fig)


def test_localised_ticks_have_a_decimal_comma_in_bokmal_and_a_point_in_english():
    for language, expected in (("nb", "0,5"), ("en", "0.5")):
        fig, ax = plt.subplots()
        ax.plot([0, 1], [0, 1])
        ax.set_xticks([0, 0.25, 0.5, 0.75, 1])
        figures.localise(fig, language)
        fig.savefig(io.BytesIO(), format="png")
        labels = [t.get_text() for t in ax.get_xticklabels()]
        assert labels == [x.replace(".", "," if language == "nb" else ".") for x in ("0.00", "0.25", "0.50", "0.75", "1.00")]
        assert expected + "0" in labels
        close(fig)
