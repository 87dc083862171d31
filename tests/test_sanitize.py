"""Untrusted text stays text (issue 16): names from the case files reach HTML, Excel and CSV as data, never as code.

Unit tests check the sanitiser, the offline check, the Excel writer and the CSV escaping on literal payloads.
The end-to-end test copies the example case, puts an ``<iframe srcdoc>``, a ``<details open ontoggle>`` and an
``=HYPERLINK(…)`` into option names and the case title, runs ``procurement run`` (inputs and summary notebooks)
and ``procurement rank --format csv`` on it, opens every HTML page in headless Chromium with the network blocked
(nothing may be requested, no dialog may open, no iframe or event attribute may exist in the page) and reads the
workbook's XML for formula elements.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import yaml

from conftest import EXAMPLE_CASE, ROOT
from procurement.report import excel
from procurement.report.htmlreport import external_resources, sanitize

IFRAME = '<iframe srcdoc="<img src=http://evil.example/i.png><script>parent.alert(1)</script>"></iframe>'
DETAILS = "<details open ontoggle=\"alert(2);fetch('http://evil.example/t')\">x</details>"
FORMULA = '=HYPERLINK("http://evil.example","x")'


# --- the sanitiser and the offline check ------------------------------------------------------------


def test_sanitize_drops_frames_events_and_remote_images_but_keeps_tables_and_text():
    html = sanitize(
        f"<p>Ok <strong>bold</strong></p>{IFRAME}{DETAILS}<img src=http://evil.example/a.png>"
        '<table class="result-table"><tr style="text-align: right; background: url(http://evil.example/b)">'
        '<td class="num" onclick="x()">1</td></tr></table><a href="javascript:alert(3)">j</a>'
        '<a href="https://lovdata.no/">lov</a>'
    )
    for bad in ("iframe", "srcdoc", "ontoggle", "onclick", "<details", "<img", "evil.example", "javascript:", "<script"):
        assert bad not in html, bad
    assert "<p>Ok <strong>bold</strong></p>" in html
    assert '<td class="num">1</td>' in html and 'style="text-align:right"' in html.replace(": ", ":").replace(";", "")
    assert 'href="https://lovdata.no/"' in html and 'rel="noopener noreferrer"' in html


@pytest.mark.parametrize(
    "page, found",
    [
        ('<iframe srcdoc="<img src=http://evil.example/i.png>"></iframe>', "<iframe srcdoc> <img src=http://evil.example/i.png>"),
        ('<iframe src="https://evil.example/f"></iframe>', "<iframe src=https://evil.example/f>"),
        ('<div style="background:url(//evil.example/b.png)">x</div>', "<div style> //evil.example/b.png"),
        ('<img srcset="a.png 1x, https://evil.example/b.png 2x">', "<img srcset=https://evil.example/b.png>"),
        ('<video poster="http://evil.example/p.png"></video>', "<video poster=http://evil.example/p.png>"),
        ('<form action="https://evil.example/f"></form>', "<form action=https://evil.example/f>"),
        ('<meta http-equiv="refresh" content="0; url=http://evil.example/">', "<meta refresh"),
        ('<svg><image xlink:href="http://evil.example/s.png"/></svg>', "<image xlink:href=http://evil.example/s.png>"),
        ("<img src=' ht\ttp://evil.example/x'>", "<img src="),
    ],
)
def test_offline_check_inspects_frames_srcdoc_css_and_every_url_attribute(page, found):
    urls = external_resources(page)
    assert len(urls) == 1 and urls[0].startswith(found), urls


def test_offline_check_leaves_links_and_embedded_data_alone():
    page = '<a href="https://lovdata.no/">FOA</a><img src="data:image/png;base64,AAAA"><img src="fig.png">'
    assert external_resources(page) == []


# --- Excel and CSV ----------------------------------------------------------------------------------


def _formula_elements(path: Path) -> int:
    """<f> elements in the workbook's sheet XML: read from the file itself, not through openpyxl."""
    with zipfile.ZipFile(path) as z:
        return sum(z.read(n).count(b"<f>") + z.read(n).count(b"<f ") for n in z.namelist() if n.startswith("xl/worksheets/"))


def test_workbook_stores_formula_looking_text_as_text(tmp_path):
    import openpyxl

    frame = pd.DataFrame({"label": [FORMULA, "+SUM(A1:A2)", "-2+3", "@cmd", "Bell\x07name"], "npv": [1.5, 2, 3, 4, 5]})
    table = excel.PublishedTable("ranking", "Ranking", "02-ranking", frame, {"label": "text", "npv": "money"})
    path = excel.write_workbook([table], tmp_path / "r.xlsx", language="en")
    assert path is not None and _formula_elements(path) == 0
    ws = openpyxl.load_workbook(path)["Ranking"]
    values = [ws.cell(row=r, column=1).value for r in range(2, 7)]
    assert values == [FORMULA, "+SUM(A1:A2)", "-2+3", "@cmd", "Bell\ufffdname"]
    assert all(ws.cell(row=r, column=1).data_type == "s" for r in range(2, 7))


def test_csv_safe_frame_follows_owasp():
    frame = pd.DataFrame({"label": [FORMULA, "@x", "plain", "-1"], "score": [-1.5, 2.0, 3.0, 4.0]}, index=["=a", "b", "c", "d"])
    out = excel.csv_safe_frame(frame)
    assert list(out["label"]) == ["'" + FORMULA, "'@x", "plain", "'-1"]
    assert list(out["score"]) == [-1.5, 2.0, 3.0, 4.0]  # numbers are numbers
    assert list(out.index) == ["'=a", "b", "c", "d"]


# --- end to end: a hostile case through the real commands and a real browser ------------------------


def hostile_project(tmp_path: Path) -> Path:
    """A copy of the example case (and the criteria it names) with hostile option names and case title."""
    project = tmp_path / "project"
    case = project / "data" / EXAMPLE_CASE.name
    shutil.copytree(EXAMPLE_CASE, case)
    shutil.copytree(ROOT / "criteria", project / "criteria")
    options = case / "options.csv"
    rows = list(csv.DictReader(io.StringIO(options.read_text(encoding="utf-8"))))
    payloads = {"dialogue-total": IFRAME, "negotiated-total": DETAILS, "modular-lots": FORMULA}
    for row in rows:
        if row["decision"] == "contract-strategy" and row["id"] in payloads:
            row["name_nb"] = row["name_en"] = payloads[row["id"]] + " " + row["name_nb"]
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    options.write_text(buf.getvalue(), encoding="utf-8")
    meta = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    meta["title"] = {"nb": DETAILS + " sak", "en": IFRAME + " case"}
    (case / "case.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return case


def procurement(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("procurement")
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "procurement.cli"]
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    return subprocess.run([*cmd, *args], cwd=cwd, capture_output=True, text=True, timeout=600, env=env)


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    case = hostile_project(tmp)
    out = tmp / "reports"
    done = procurement(
        "run", str(case / "scenarios" / "default.yaml"), "--notebooks", "01-inputs", "07-summary", "--out", str(out),
        "--notebooks-dir", str(ROOT / "notebooks"), "--no-progress", cwd=tmp,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (folder,) = [p for p in out.iterdir() if p.is_dir()]
    return case, folder


def test_hostile_names_reach_no_formula_and_no_unescaped_csv(hostile_run):
    case, folder = hostile_run
    assert _formula_elements(folder / "results.xlsx") == 0
    done = procurement("rank", str(case), "--decision", "contract-strategy", "--format", "csv", cwd=case.parent)
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO(done.stdout)))
    cells = [c for row in rows for c in row]
    assert any(c.startswith("'=HYPERLINK") for c in cells)
    assert not any(c.startswith(("=", "@")) for c in cells)


def test_hostile_names_fire_nothing_and_fetch_nothing_in_chromium(hostile_run):
    pytest.importorskip("playwright.sync_api")
    from playwright.sync_api import sync_playwright
    from test_app_browser import LAUNCH_ARGS, find_chromium

    chromium = find_chromium()
    if chromium is None:
        pytest.skip("no Chromium at /usr/bin/chromium or on PATH")
    _, folder = hostile_run
    pages = sorted(folder.glob("*.html"))
    assert pages
    blocked: list[str] = []
    dialogs: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=LAUNCH_ARGS)
        try:
            context = browser.new_context(offline=True)
            context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
                          else (blocked.append(route.request.url), route.abort()))
            for path in pages:
                html = path.read_text(encoding="utf-8")
                assert external_resources(html) == [], path.name
                page = context.new_page()
                page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
                page.goto(path.as_uri(), wait_until="load")
                page.wait_for_timeout(300)
                found = page.evaluate(
                    "() => ({iframes: document.querySelectorAll('iframe, frame, object, embed').length,"
                    " handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes]"
                    ".some(a => a.name.startsWith('on'))).length,"
                    " text: document.body.innerText})"
                )
                assert found["iframes"] == 0 and found["handlers"] == 0, path.name
                if path.stem == "07-summary":
                    assert "<iframe srcdoc=" in found["text"] or "<details open" in found["text"]  # shown as text
                page.close()
        finally:
            browser.close()
    assert blocked == [] and dialogs == []
