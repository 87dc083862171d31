"""report.pdf: printed by Chromium from the report's pages, summary first; without a renderer, one clear message."""

from __future__ import annotations

import re

import pytest

from procurement.report import htmlreport, pdf


def _report(folder):
    for stem, heading in (("01-inputs", "Inndata"), ("07-summary", "Sammendrag")):
        wide = "".join(f"<th>Kolonne nummer {i} med lang overskrift</th>" for i in range(14))
        (folder / f"{stem}.html").write_text(
            f"<html><head><title>{heading}</title><style>{htmlreport.REPORT_CSS}</style></head>"
            f'<body class="jp-Notebook"><main><h1>{heading}</h1><div class="jp-RenderedHTMLCommon">'
            f'<div class="table-wrap"><table class="result-table"><tr>{wide}</tr></table></div></div></main></body></html>',
            encoding="utf-8",
        )
    htmlreport.link_pages(folder, ["01-inputs", "07-summary"], "nb", title="Rapport")


def test_print_document_puts_the_summary_first_without_navigation(tmp_path):
    _report(tmp_path)
    doc = pdf.print_document(tmp_path, htmlreport.report_order(["01-inputs", "07-summary"]))
    assert doc.index('id="07-summary"') < doc.index('id="01-inputs"')
    assert "report-nav" not in doc.split("<body", 1)[1].replace("nav.report-nav", "")


def test_missing_chromium_is_one_clear_message(tmp_path, monkeypatch):
    _report(tmp_path)
    monkeypatch.setenv("PROCUREMENT_CHROMIUM", str(tmp_path / "no-such-browser"))
    with pytest.raises(pdf.PdfUnavailable, match="the PDF needs Chromium: install it"):
        pdf.write_pdf(tmp_path)
    assert not (tmp_path / "report.pdf").exists() and (tmp_path / "index.html").exists()


def test_pdf_is_a4_with_every_page(tmp_path):
    pytest.importorskip("playwright.sync_api")
    if pdf.find_chromium() is None:
        pytest.skip("no Chromium")
    _report(tmp_path)
    out = pdf.write_pdf(tmp_path)
    htmlreport.add_index_link(tmp_path, out.name)
    data = out.read_bytes()
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    assert len(boxes) >= 2  # each report page starts a new sheet
    assert all(abs(float(w) - 595) < 2 and abs(float(h) - 842) < 2 for w, h in boxes)
    assert 'href="report.pdf"' in (tmp_path / "index.html").read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".print.html"))
