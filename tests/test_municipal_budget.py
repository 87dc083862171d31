"""One municipality's part of the budget view, and the nynorsk of the decision papers.

Independent of the code under test: each municipality's share is computed here by hand from the financing model's
published rule (financing.yaml: 10 % equally between the participating municipalities, the rest by population;
the 0-alternative by population), applied to the budget view's total for all municipalities; the written-standard
counts come from Språkrådet's county table (sprakradet.no, «Språkvedtak»: Vestland 41 nynorsk and 2 neutral
municipalities, no bokmål ones).
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

import procurement as pw
from procurement.text import words_nn, words_papers
from procurement.text.labels import label
from procurement.text.sentences import sentence

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "national-municipal-solution"


@pytest.fixture(scope="module")
def analysis():
    return pw.Analysis(pw.load_case(EXAMPLE), "default")


def _by_hand(analysis, kn: str, option: str) -> float:
    members = analysis.municipalities(participating=True)
    pop = members["population"].astype(float)
    share = pop[kn] / pop.sum() if option == "zero" else 0.1 / len(members) + 0.9 * pop[kn] / pop.sum()
    t = analysis.budget().totals
    row = t[(t["option"] == option) & (t["payer"] == "municipalities") & (t["period"] == "all")]
    return float(row["payment"].iloc[0]) * share


@pytest.mark.parametrize("kn", ["0301", "4640", "1144", "5501"])
@pytest.mark.parametrize("option", ["dialogue-total", "zero"])
def test_a_municipality_pays_its_share_of_the_budget_view_to_the_krone(analysis, kn, option):
    m = analysis.municipality(kn)
    assert round(m.total(option)) == round(_by_hand(analysis, kn, option))
    # the yearly payments add up to the whole period
    assert m.yearly([option])[option].sum() == pytest.approx(m.total(option), rel=1e-12)


def test_the_shares_of_all_municipalities_add_up_to_the_municipalities_part(analysis):
    members = analysis.municipalities(participating=True)
    total = sum(analysis.municipality(kn).total("dialogue-total") for kn in members.index)
    t = analysis.budget().totals
    whole = t[(t["option"] == "dialogue-total") & (t["payer"] == "municipalities") & (t["period"] == "all")]
    assert total == pytest.approx(float(whole["payment"].iloc[0]), rel=1e-9)


def test_a_municipality_outside_the_national_solution_is_refused_by_name(analysis):
    with pytest.raises(pw.InputError) as e:
        analysis.municipality("5001")  # Trondheim: Helseplattformen
    assert "not in the national solution" in str(e.value)
    with pytest.raises(pw.InputError) as e:
        analysis.municipality("9999")
    assert "no such municipality" in str(e.value)


def test_written_standards_match_the_county_table_of_sprakradet(analysis):
    m = analysis.municipalities()
    vestland = m[m["county"] == "Vestland"]["written_standard"].value_counts().to_dict()
    assert vestland == {"nn": 41, "neutral": 2}
    counts = m["written_standard"].value_counts().to_dict()
    assert counts == {"neutral": 149, "nb": 119, "nn": 88, "": 1}  # Tysvær left empty (conflicting sources)
    participating = analysis.municipalities(participating=True)["written_standard"]
    assert int((participating == "nn").sum()) == 73
    assert analysis.municipality("4640").language == "nn"  # Sogndal
    assert analysis.municipality("4601").language == "nb"  # Bergen: neutral


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def test_every_word_of_a_paper_has_its_nynorsk_with_the_same_fields():
    for key, (nb, _en) in words_papers.LABELS.items():
        assert key in words_nn.LABELS, key
        assert _fields(words_nn.LABELS[key]) == _fields(nb), key
    for key, (nb, _en) in words_papers.SENTENCES.items():
        assert key in words_nn.SENTENCES, key
        assert _fields(words_nn.SENTENCES[key]) == _fields(nb), key


def test_nynorsk_is_written_with_nynorsk_words_and_norwegian_numbers():
    text = sentence("paper.cost_total", "nn", first=2025, last=2044, name="Sogndal", join=(101.02, "MNOK"),
                    zero=(84.34, "MNOK"))
    assert text == ("Over heile perioden 2025–2044 betaler Sogndal 101,0\u00a0MNOK for å slutte seg til, mot "
                    "84,3\u00a0MNOK for å stå utanfor.")
    assert label("paper.population", "nn") == "Innbyggjarar"
    # no bokmål-only forms in the nynorsk texts
    nn = " ".join([*words_nn.LABELS.values(), *words_nn.SENTENCES.values()])
    for word in ("ikke", "innbyggere", "hvor", "løsningen", "kommunene ", "utenfor"):
        assert not re.search(rf"\b{word}", nn), word


def test_a_key_without_nynorsk_is_refused_not_written_in_bokmal():
    with pytest.raises(KeyError, match="nynorsk"):
        sentence("report.methods", "nn", methods=["wsm"])
    with pytest.raises(KeyError, match="nynorsk"):
        label("npv", "nn")


def test_validate_names_a_written_standard_that_is_not_one(tmp_path):
    import shutil
    import subprocess
    import sys

    case = tmp_path / "case"
    shutil.copytree(EXAMPLE, case)
    (tmp_path / "criteria").symlink_to(EXAMPLE.parents[1] / "criteria")
    path = case / "municipalities.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("4640,Sogndal,Vestland,12319,bergen,true,ssb-07459-2024,2024-01-01,,,,nn",
                                 "4640,Sogndal,Vestland,12319,bergen,true,ssb-07459-2024,2024-01-01,,,,nynorsk"),
                    encoding="utf-8")
    before = path.read_bytes()
    r = subprocess.run([sys.executable, "-m", "procurement", "validate", str(case)], capture_output=True, text=True,
                       cwd=tmp_path, timeout=300)
    assert r.returncode == 2, r.stdout + r.stderr
    lines = [x for x in (r.stdout + r.stderr).splitlines() if "written_standard" in x]
    assert len(lines) == 1 and "municipalities.csv" in lines[0] and "'nynorsk'" in lines[0] and "nn (nynorsk)" in lines[0]
    assert "Traceback" not in r.stderr
    assert path.read_bytes() == before


def test_the_payments_figure_keeps_its_legend_off_the_bars(analysis):
    """The PDF check of issue 25 found a legend over a bar; the paper's figure puts it below the axes."""
    from procurement.report.sections.paper import Paper

    fig = Paper(analysis, "4640").figure()
    fig.canvas.draw()
    ax = fig.axes[0]
    legend = ax.get_legend().get_window_extent()
    assert legend.y1 < ax.get_window_extent().y0
    years = [int(t.get_text()) for t in ax.get_xticklabels() if t.get_text()]
    assert years[0] == 2025 and all(b - a == 2 for a, b in zip(years, years[1:], strict=False))  # years, not 2 025
