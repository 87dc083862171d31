"""The default report, run as an advisor runs it (`procurement run --pdf`), read as a steering group reads it.

One run of the example case's default scenario (bokmål), shared with test_report_layout.py (conftest.shared_default_report):

* every HTML page shows no English id or rule text from the list below and no decimal point inside a number
  (dates dd.mm.yyyy are not numbers with a decimal point);
* ``index.html`` links every page, the summary first, and every page links to the index and its neighbours;
* every figure has a text alternative that says what it shows;
* ``results.xlsx`` has bokmål sheet names, a first sheet with the run's parameters and the manifest's hashes,
  units in headers, a number format on every numeric cell, dates as dates and no index column;
* (the layout of the pages, on screen, in print and in report.pdf, in both languages: test_report_layout.py).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import shared_default_report

#: Whole words that must not appear in a bokmål page: ids of procedures, methods and options, English words
#: of the workbench, rule texts of the data files, and the misspelling the issue names.
ENGLISH = [
    "competitive-dialogue", "negotiated-with-notice", "negotiated-without-notice", "no-competition", "in-house",
    "framework-call-off", "innovation-partnership", "wsm", "wsm-sum", "wpm", "topsis", "vikor", "electre1", "promethee2",
    "dialogue-total", "negotiated-total", "modular-lots", "helseplattformen-extend", "weight", "weights", "score",
    "scores", "months", "rank", "option", "options", "criterion", "likely", "must not", "likely score", "Unnamed",
    "index", "kontraktsignering", "share of draws", "higher is better", "lower is better", "none", "yes",
    # ids of the access grounds of FOA §§ 13-1 to 13-3 (procedures.yaml)
    "adaptation", "complexity", "specifications", "no-market-solution", "extreme-urgency", "unacceptable-tenders",
]
#: a number written with a decimal point (12.5, 0.645) but not a date (24.10.2026) or a version (1.2.3)
DECIMAL_POINT = re.compile(r"(?<![\d.])\d+\.\d+(?![\d.])")


class _Text(HTMLParser):
    """The text a reader sees (and the alt texts a screen reader reads), without style sheets and scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.images: list[str | None] = []
        self.links: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("style", "script"):
            self._skip += 1
        if tag == "img":
            self.images.append(a.get("alt"))
            self.parts.append(a.get("alt") or "")
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def read(path: Path) -> _Text:
    t = _Text()
    t.feed(path.read_text(encoding="utf-8"))
    return t


@pytest.fixture(scope="module")
def report(request, tmp_path_factory) -> Path:
    return shared_default_report(request.config, tmp_path_factory, "nb")


def pages(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.html") if p.name != "index.html")


def test_bokmal_pages_show_no_english_ids_and_no_decimal_points(report):
    assert json.loads((report / "manifest.json").read_text())["parameters"]["language"] == "nb"
    problems = []
    for page in [*pages(report), report / "index.html"]:
        text = " ".join(" ".join(read(page).parts).split())
        for word in ENGLISH:
            for m in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text):
                problems.append(f"{page.name}: {word!r} in …{text[max(0, m.start() - 50):m.end() + 30]}…")
        for m in DECIMAL_POINT.finditer(text):
            problems.append(f"{page.name}: decimal point in {m.group(0)!r}: …{text[max(0, m.start() - 50):m.end() + 30]}…")
    assert not problems, "\n".join(problems[:40])


def test_index_links_every_page_summary_first_and_pages_link_back_and_to_neighbours(report):
    index = read(report / "index.html")
    order = [h for h in index.links if h.endswith(".html")]
    stems = [p.name for p in pages(report)]
    assert sorted(order) == sorted(stems) and order[0] == "07-summary.html"
    assert "results.xlsx" in index.links and "report.pdf" in index.links
    for i, name in enumerate(order):
        links = read(report / name).links
        assert "index.html" in links, name
        if i > 0:
            assert order[i - 1] in links, name
        if i + 1 < len(order):
            assert order[i + 1] in links, name


def test_the_index_answers_before_it_lists_the_pages(report):
    """Issue 25: the index named the case, the run date and the recommendation with its robustness and caveats."""
    text = " ".join(" ".join(read(report / "index.html").parts).split())
    started = json.loads((report / "manifest.json").read_text())["started"]
    when = dt.datetime.fromisoformat(started).strftime("%d.%m.%Y %H:%M")
    for words in ("Sak: Nasjonal løsning for kommunal helse- og omsorgstjeneste", "Scenario: default",
                  f"Kjørt: {when}", "Svaret i korte trekk",
                  "Totalleverandør i konkurransepreget dialog rangeres først", "(SMAA)", "ΔNNV",
                  "Eksempelsaken er illustrativ"):
        assert words in text, words
    assert text.index("Svaret i korte trekk") < text.index("Sammendrag for beslutningstakere")


def test_every_figure_says_what_it_shows(report):
    count = 0
    for page in pages(report):
        for alt in read(page).images:
            count += 1
            assert alt and alt.startswith("Figur: ") and len(alt) > 20, (page.name, alt)
            assert "No description" not in alt
    assert count >= 8


def test_workbook_is_readable_in_excel(report):
    import openpyxl

    manifest = json.loads((report / "manifest.json").read_text())
    wb = openpyxl.load_workbook(report / "results.xlsx")
    assert wb.sheetnames[:2] == ["Om kjøringen", "Innhold"]
    assert "Rangering" in wb.sheetnames and "Datakontroll" in wb.sheetnames
    about = {r[0]: r[1] for r in wb["Om kjøringen"].iter_rows(min_row=2, values_only=True)}
    assert about["Scenario"] == "default"
    assert isinstance(about["Startet"], dt.datetime)
    for item in manifest["inputs"]:
        assert about[f"SHA-256: {item['path']}"] == item["sha256"]
    assert about["Parameter: samples"] == manifest["parameters"]["samples"]
    units = set()
    for ws in wb.worksheets[2:]:
        headers = [c.value for c in ws[1]]
        assert "index" not in headers and None not in headers, ws.title
        units.update(h for h in headers if isinstance(h, str) and h.endswith(("(MNOK)", "(%)")))
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    assert cell.number_format != "General", (ws.title, cell.coordinate, cell.value)
                    if headers[cell.column - 1].endswith("(%)"):
                        assert "%" in cell.number_format
                if isinstance(cell.value, dt.datetime):
                    assert cell.number_format == "dd.mm.yyyy", (ws.title, cell.coordinate)
                assert cell.data_type != "f"
        assert ws.column_dimensions["A"].width > 8
    assert any(h.endswith("(MNOK)") for h in units) and any(h.endswith("(%)") for h in units)
    route = [c.value for row in wb["Anskaffelsesløp"].iter_rows(min_row=2) for c in row]
    assert any(isinstance(v, dt.datetime) for v in route)  # contract dates are Excel dates
