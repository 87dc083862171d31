"""The layout of the default report in both languages, as Chromium draws it and as report.pdf prints it (issue 25).

The example case's default scenario, run once per language with ``--pdf`` (shared with test_bokmal_report.py
through ``conftest.shared_default_report``). Chromium is the judge of the layout:

* at 1280 px (a laptop) and in print emulation at the printable width of A4: no header or cell whose text runs
  outside its own box (into its neighbour's), no word of a header broken across lines, no number broken across
  lines, no table wider than its container or the page, no figure taller than the printable height (it would be
  split across pages);
* ``report.pdf``: A4 on every page, no blank page, the summary first, and in the extracted text no number split
  across lines (the shapes the issue found: ``10 990,`` / ``1``, ``97,8`` / ``%``, ``-15 0`` / ``05,9``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import shared_default_report

A4 = (595, 842)  # points
#: The printable box of A4 with the style sheet's 12 mm side margins and 14/16 mm top and bottom, in CSS pixels.
PRINT_WIDTH = round((210 - 24) / 25.4 * 96)
PRINT_HEIGHT = round((297 - 14 - 16) / 25.4 * 96)
SUMMARY = {"nb": "Sammendrag for beslutningstakere", "en": "Summary for decision makers"}


@pytest.fixture(scope="module", params=["nb", "en"])
def report(request, tmp_path_factory) -> Path:
    return shared_default_report(request.config, tmp_path_factory, request.param)


def pages(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.html") if p.name != "index.html")


#: Header and data cells whose text runs outside their own box, as Chromium lays the page out: two neighbours
#: whose text boxes overlap, or text cut at the table's edge.
OVERFLOWING_CELLS = """() => [...document.querySelectorAll('table.result-table th, table.result-table td')].filter(cell => {
  const box = cell.getBoundingClientRect();
  const range = document.createRange();
  range.selectNodeContents(cell);
  const text = range.getBoundingClientRect();
  return text.width > 0 && (text.left < box.left - 1 || text.right > box.right + 1);
}).map(cell => cell.tagName + ' ' + cell.textContent.trim())"""

#: The words of table headers that the layout breaks across lines ("Rangerin/g"); a break at a hyphen or a slash
#: between the parts of a compound is a break between words.
BROKEN_HEADER_WORDS = """() => { const out = [];
  for (const th of document.querySelectorAll('table.result-table th')) {
    const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT); let node;
    while ((node = walker.nextNode())) {
      const re = /[^\\s\\-–\\/]+/g; let m;
      while ((m = re.exec(node.data))) {
        const r = document.createRange(); r.setStart(node, m.index); r.setEnd(node, m.index + m[0].length);
        // a line box of its own per fragment: another top (horizontal) or another left (vertical headers)
        if (new Set([...r.getClientRects()].map(x => Math.round(x.top) + ',' + Math.round(x.left))).size > 1) out.push(m[0]);
      } } }
  return out; }"""

#: Number cells whose text takes more than one line ("10 990,/1", "97,8/%").
BROKEN_NUMBERS = """() => [...document.querySelectorAll('table.result-table td.num')].filter(c => {
  const r = document.createRange(); r.selectNodeContents(c);
  return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size > 1;
}).map(c => c.textContent)"""

#: Tables wider than the element that holds them (their right edge past the container's).
OVERFLOWING_TABLES = """() => [...document.querySelectorAll('table')].filter(t => {
  const parent = t.parentElement.getBoundingClientRect();
  return t.getBoundingClientRect().right > parent.right + 1;
}).map(t => t.className + ' ' + Math.round(t.getBoundingClientRect().width) + ' px')"""


def _check_page(page, path: Path, problems: list[str]) -> None:
    page.goto(path.as_uri())
    for what, script in (("text outside its cell", OVERFLOWING_CELLS), ("header word broken", BROKEN_HEADER_WORDS),
                         ("number broken", BROKEN_NUMBERS), ("table wider than its container", OVERFLOWING_TABLES)):
        found = page.evaluate(script)
        problems.extend(f"{path.name}: {what}: {item}" for item in found[:5])


def _chromium(p):
    from procurement.report.pdf import LAUNCH_ARGS, find_chromium

    return p.chromium.launch(executable_path=find_chromium(), args=LAUNCH_ARGS)


def test_every_page_fits_a_1280_px_screen(report):
    """Issue 25: right-aligned headers of number columns ran into each other ("ΔNNV, forventet (MNOK)" into
    "ΔNNV P10 (MNOK)") and the last column ("Ledetid (mån…") was cut at 1280 px."""
    pytest.importorskip("playwright.sync_api")
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    with sync_playwright() as p:
        browser = _chromium(p)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for path in pages(report):
                _check_page(page, path, problems)
                assert page.locator("table.result-table th").count() > 0, path.name
                if page.evaluate("() => document.documentElement.scrollWidth") > 1280:
                    problems.append(f"{path.name}: wider than the screen")
        finally:
            browser.close()
    assert problems == [], "\n".join(problems[:40])


def test_every_page_fits_the_printed_a4_page(report):
    """In print emulation at the printable width of A4: the 14-column absolute NPV table was squeezed until its
    numbers and headers broke mid-token ("-15 0 / 05,9", "Rangerin g", "(TOP SIS)")."""
    pytest.importorskip("playwright.sync_api")
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    with sync_playwright() as p:
        browser = _chromium(p)
        try:
            page = browser.new_page(viewport={"width": PRINT_WIDTH, "height": 1100})
            page.emulate_media(media="print")
            for path in pages(report):
                _check_page(page, path, problems)
                wide = page.evaluate("w => [...document.querySelectorAll('table, img')].filter(e => "
                                     "e.getBoundingClientRect().right > w + 1).map(e => e.tagName + ' ' + "
                                     "Math.round(e.getBoundingClientRect().width))", PRINT_WIDTH)
                problems.extend(f"{path.name}: wider than A4: {w}" for w in wide)
                tall = page.evaluate("h => [...document.querySelectorAll('img')].filter(i => "
                                     "i.getBoundingClientRect().height > h).map(i => i.alt)", PRINT_HEIGHT)
                problems.extend(f"{path.name}: figure taller than a page (it would be split): {t}" for t in tall)
                if page.evaluate("() => document.documentElement.scrollWidth") > PRINT_WIDTH:
                    problems.append(f"{path.name}: wider than A4")
        finally:
            browser.close()
    assert problems == [], "\n".join(problems[:40])


#: A number split across two lines of the PDF's text, per language (its decimal sign): the decimal sign at a line's
#: end before a digit ("10 990," / "1"), a percent sign alone at the start of a line after a digit ("97,8" / "%"), a
#: minus sign alone at a line's end before a digit, or a line starting with a group of digits with a leading zero
#: ("05,9": the tail of "-15 005,9"), which no number begins with. (A break after the hyphen of "C-216/17" or
#: "§ 13-1" is a break between words.)
SPLIT_NUMBER = {
    lang: re.compile(rf"\d{re.escape(sign)}\n\s*\d|\d\n\s*%|(?:^|\s)[\u2212-]\n\s*\d|(?:^|\n)\s*0\d")
    for lang, sign in (("nb", ","), ("en", "."))
}
#: The page number line Chromium prints at the foot of each page ("43 / 47"), left out before the search above.
PAGE_NUMBER = re.compile(r"^\s*\d+ / \d+\s*$", re.M)


def test_the_pdf_is_a4_whole_and_its_numbers_unbroken(report):
    """Issue 25: page 54 of the PDF was blank, numbers broke across lines, and every section started a page."""
    from pypdf import PdfReader

    reader = PdfReader(report / "report.pdf")
    sizes = {(round(float(pg.mediabox.width)), round(float(pg.mediabox.height))) for pg in reader.pages}
    assert sizes == {A4}
    texts = [PAGE_NUMBER.sub("", pg.extract_text()) for pg in reader.pages]
    empty = [i for i, (pg, text) in enumerate(zip(reader.pages, texts, strict=True), start=1)
             if len("".join(text.split())) < 40 and not pg.images]
    assert empty == []
    assert SUMMARY[_language(report)] in texts[0]
    split = [f"page {i}: …{t[max(0, m.start() - 30):m.end() + 30]!r}…" for i, t in enumerate(texts, start=1)
             for m in SPLIT_NUMBER[_language(report)].finditer(t)]
    assert split == [], "\n".join(split[:20])
    assert len(reader.pages) <= 60


def _language(report: Path) -> str:
    return json.loads((report / "manifest.json").read_text(encoding="utf-8"))["parameters"]["language"]
