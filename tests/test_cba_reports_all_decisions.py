"""Reports 04 and 07 complete for the decisions without a 0-alternative (`procurement run` with each).

One scenario per decision, written to a temporary folder (the example case itself is read, not changed), with
notebooks 04 and 07 only and a small sample count; procurement-procedure in bokmål, governance-financing in
English. Every page is made, and no probability reads as zero where it is not: each probability the pages'
tables hold (``tables/*.json``, the machine values beside the page) that is not 0 is written by the page's own
cell writer as something other than 0 %.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import EXAMPLE_CASE
from procurement.cli import main

CASES = [("procurement-procedure", "nb"), ("governance-financing", "en")]
#: a percentage that reads as zero: "0 %", "0,0 %", "0.0%" (not 10 %, 0,5 % or 100 %)
ZERO_PERCENT = re.compile(r"(?<![\d.,])0(?:[.,]0+)?\s?%")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "script")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def _text(page: Path) -> str:
    t = _Text()
    t.feed(page.read_text(encoding="utf-8"))
    return " ".join(" ".join(t.parts).replace("\u00a0", " ").split())


@pytest.fixture(scope="module", params=CASES, ids=[d for d, _ in CASES])
def run(request, tmp_path_factory):
    decision, language = request.param
    folder = tmp_path_factory.mktemp(decision)
    scenario = folder / f"{decision}.yaml"
    scenario.write_text(
        f"name: {decision}\ncase: {EXAMPLE_CASE.resolve()}\ndecision: {decision}\nmethods: [wsm]\nsamples: 400\n"
        f"seed: 7\nlanguage: {language}\nnotebooks: [04-cost-benefit, 07-summary]\n", encoding="utf-8")
    code = main(["run", str(scenario), "--out", str(folder / "out"), "--no-progress"])
    assert code == 0
    (out,) = [p for p in (folder / "out").iterdir() if p.is_dir()]
    return decision, language, out


def test_pages_exist_for_the_decision(run):
    decision, language, out = run
    assert (out / "04-cost-benefit.html").is_file() and (out / "07-summary.html").is_file()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["decision"] == decision
    text = _text(out / "04-cost-benefit.html")
    # the cost-benefit section is there (this decision has cash flows), measured against its best option
    assert ("høyest nåverdi" if language == "nb" else "highest NPV") in text
    # who pays is shown; how many must join says in one sentence why there is none
    assert ("0-alternativ" if language == "nb" else "0-alternative") in text
    assert ("Betaler" if language == "nb" else "Payer") in text


def _percentages(out: Path) -> list[tuple[str, str, float | str]]:
    """Every value the pages' tables write as a percentage: probabilities and shares (numbers), and the R-109
    parameters' values, which the table holds as text already written."""
    from procurement.report.excel import PERCENT_COLUMNS

    found: list[tuple[str, str, float | str]] = []
    for path in sorted((out / "tables").glob("*.json")):
        table = json.loads(path.read_text(encoding="utf-8"))["table"]  # pandas "split": columns and rows
        for row in table["data"]:
            for key, value in zip(table["columns"], row, strict=True):
                if (str(key).startswith("p_") or key in PERCENT_COLUMNS) and isinstance(value, (int, float)):
                    found.append((path.stem, str(key), float(value)))
                elif path.stem.endswith("r109-parameters") and key == "value":
                    found.append((path.stem, str(key), str(value)))
    return found


def test_no_probability_reads_as_zero_unless_it_is(run):
    from procurement.report.notebook import ResultTable

    _, language, out = run
    shown = _percentages(out)
    probabilities = [(t, k, v) for t, k, v in shown if k.startswith("p_") and isinstance(v, float)]
    assert any(k == "p_incremental_positive" for _, k, _ in probabilities), sorted({k for _, k, _ in shown})
    import pandas as pd

    writer = ResultTable(pd.DataFrame(), language=language)
    wrong = [(t, k, v, writer.cell(v, "percent")) for t, k, v in probabilities
             if v != 0 and ZERO_PERCENT.fullmatch(writer.cell(v, "percent").replace("\u00a0", " "))]
    assert not wrong, wrong
    # and the pages' text: no more "0 %" than the tables hold values that are 0
    zeros = sum(v == 0 if isinstance(v, float) else bool(ZERO_PERCENT.search(v.replace("\u00a0", " "))) for _, _, v in shown)
    for page in ("04-cost-benefit.html", "07-summary.html"):
        found = ZERO_PERCENT.findall(_text(out / page))
        assert len(found) <= zeros, (page, found, zeros)


def test_no_per_krone_ratio_and_another_option_can_beat_the_best(run):
    """Without a 0-alternative: no net benefit per krone in any table, and the chance that some option beats the best
    is above 0 (each option drawn on its own: with one shared draw every option read 0 %)."""
    _, _, out = run
    columns, beats = set(), []
    for path in sorted((out / "tables").glob("*.json")):
        table = json.loads(path.read_text(encoding="utf-8"))["table"]
        columns |= {str(c) for c in table["columns"]}
        if path.stem.endswith("cba-increments"):
            at = table["columns"].index("p_incremental_positive")
            beats += [row[at] for row in table["data"]]
    assert not {"incremental_net_benefit_per_krone", "net_benefit_per_krone"} & columns
    assert beats and max(beats) > 0
