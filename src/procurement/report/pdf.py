"""The whole report as one A4 PDF, printed by headless Chromium (``procurement run --pdf``).

:func:`write_pdf` joins the report's pages in reading order (the summary first, as in
``index.html``) into one print document, each page starting on a new sheet, and has
Chromium print it with the report's print style sheet (A4, tables that wrap, a page break
before each section; see :data:`procurement.report.htmlreport.REPORT_CSS`). The browser is
driven through Playwright, using the system's Chromium (``chromium`` on the PATH or
``/usr/bin/chromium``, or ``PROCUREMENT_CHROMIUM``); Playwright's own browser download is not
needed. When either is missing, :class:`PdfUnavailable` says which and how to get it; the
HTML report is unaffected.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from procurement.report.htmlreport import INDEX_NAME, report_order

PDF_NAME = "report.pdf"
#: what Chromium needs in a container (no sandbox as root, no GPU, no background traffic)
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]


class PdfUnavailable(RuntimeError):
    """No PDF renderer here: the message says what is missing and how to install it."""


def find_chromium() -> str | None:
    """The Chromium to print with: ``PROCUREMENT_CHROMIUM``, ``chromium``/``chromium-browser`` on the PATH, or /usr/bin."""
    given = os.environ.get("PROCUREMENT_CHROMIUM")
    if given:
        return given if Path(given).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def print_document(folder: Path, pages: list[str]) -> str:
    """One HTML document holding the ``<main>`` of every page in `pages`, each as a ``report-page`` section."""
    first = (folder / f"{pages[0]}.html").read_text(encoding="utf-8")
    head = first.split("<body", 1)[0]
    body_tag = re.search(r"<body[^>]*>", first)
    parts = []
    for stem in pages:
        html = (folder / f"{stem}.html").read_text(encoding="utf-8")
        m = re.search(r"<main[^>]*>(.*)</main>", html, re.S)
        inner = m.group(1) if m else html
        inner = re.sub(r'<nav class="report-nav[^"]*"[^>]*>.*?</nav>', "", inner, flags=re.S)
        parts.append(f'<section class="report-page" id="{stem}">{inner}</section>')
    return f"{head}{body_tag.group(0) if body_tag else '<body>'}<main>{''.join(parts)}</main></body></html>"


def write_pdf(folder: str | Path, out: str | Path | None = None, pages: list[str] | None = None,
              timeout_ms: int = 120_000) -> Path:
    """Print the report in `folder` (its HTML pages, summary first) to `out` (default ``folder/report.pdf``)."""
    folder = Path(folder)
    stems = pages or [p.stem for p in folder.glob("*.html") if p.name != INDEX_NAME and not p.name.startswith(".")]
    order = report_order(stems)
    if not order:
        raise PdfUnavailable(f"no HTML pages in {folder} to print")
    try:  # lazy: Playwright costs 0.07 s at import and is optional; only `procurement run --pdf` needs it
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise PdfUnavailable("the PDF needs Playwright for Python: pip install playwright (no browser download needed)") from None
    chromium = find_chromium()
    if chromium is None:
        raise PdfUnavailable(
            "the PDF needs Chromium: install it (Debian/Ubuntu: apt-get install chromium) or set PROCUREMENT_CHROMIUM"
        )
    target = Path(out) if out is not None else folder / PDF_NAME
    source = folder / ".print.html"
    source.write_text(print_document(folder, order), encoding="utf-8")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=LAUNCH_ARGS)
            try:
                context = browser.new_context(offline=True)
                page = context.new_page()
                page.goto(source.as_uri(), wait_until="load", timeout=timeout_ms)
                page.emulate_media(media="print")
                tmp = target.with_name(f".{target.name}.tmp")
                page.pdf(path=str(tmp), format="A4", print_background=True, prefer_css_page_size=True,
                         display_header_footer=True, header_template="<span></span>",
                         footer_template='<div style="font-size:8px;width:100%;text-align:center;">'
                                         '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')
                tmp.replace(target)
            finally:
                browser.close()
    except PlaywrightError as e:
        first_line = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise PdfUnavailable(f"Chromium could not print the report ({chromium}): {first_line}") from None
    finally:
        source.unlink(missing_ok=True)
    return target
