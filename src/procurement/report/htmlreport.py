"""Executed notebook -> self-contained HTML report without code.

nbconvert's default HTML is not fit for a locked-down office machine: it
loads require.js and MathJax from cdnjs.cloudflare.com, mermaid from the same
CDN, and a widget manager from cdn.jsdelivr.net when the notebook holds saved
widget state. :func:`to_html` uses the JupyterLab template with those blocks
emptied (a template held in this module), hides every code cell and prompt
(``exclude_input``), embeds images referenced from Markdown, and keeps the
figures the notebook made as inline ``data:`` images. The result opens
offline; :func:`external_resources` lists anything that would still be
fetched, and the tests require it to be empty.

The prose of the notebooks comes in pairs of Markdown cells tagged ``en``
and ``nb``. A report keeps the cells of its language, the notebook's
``language`` parameter (:func:`notebook_language`), and leaves out the
other's; untagged cells always stay.

Text from the case files (titles, option names) reaches the report inside
notebook outputs. Those outputs are untrusted: every ``text/markdown`` output
is rendered to HTML here and every ``text/html`` output is passed through
:func:`sanitize` (nh3 with the allow-list :data:`ALLOWED_TAGS`), so an
``<iframe srcdoc>``, an event attribute or a remote image in a name becomes
harmless text or disappears. The notebooks' own Markdown cells are the
project's and are left as written.
"""

from __future__ import annotations

import ast
import copy
import html
import re
import threading
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import nh3

from procurement.text.labels import LANGUAGES, WRITTEN_LANGUAGES, label

# Extends nbconvert's lab template; every block that would fetch a script
# from the internet is replaced by nothing.
_TEMPLATE = r"""
{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}
<style type="text/css">
{{ resources['report_css'] }}
</style>
{%- endblock extra_css -%}
{% block data_png scoped %}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}"
 alt="{{ ((output | get_metadata('alt', 'image/png')) or '') | escape_html }}">
</div>
{%- endblock data_png %}
{% block body_footer %}
{%- if resources.get('footer') %}<div class="procurement-footer">{{ resources['footer'] | e }}</div>{% endif -%}
</main>
</body>
{% endblock body_footer %}
"""

#: The report's own style sheet: readable tables on screen, and A4 print (wrapping between words, no clipped
#: column, vertical headers in print for tables of 8 or more columns and on screen for 12 or more (14 columns were
#: 1434 px wide at 1280),
#: a page break before each chapter (a notebook), sections flowing on, no navigation). ``TABLE`` stands for the
#: result tables' selector, specific enough to win over JupyterLab's own.
REPORT_CSS = """
body.jp-Notebook { max-width: 1240px; margin: 0 auto; padding: 1.5em 2em; }
.jp-OutputPrompt, .jp-InputPrompt { display: none; }
.jp-OutputArea-output img { max-width: 100%; height: auto; }
.table-wrap { max-width: 100%; overflow-x: auto; }
TABLE { border-collapse: collapse; font-size: 0.9em; margin: 0.5em 0 1em; table-layout: auto; }
TABLE th, TABLE td { padding: 0.25em 0.4em; border-bottom: 1px solid #e3e3e3; vertical-align: top; }
TABLE .num { text-align: right; white-space: nowrap; }
TABLE th { font-weight: 600; border-bottom: 1px solid #999; white-space: normal; min-width: 3em;
  overflow-wrap: break-word; hyphens: auto; }
TABLE th.num { white-space: normal; }
TABLE.wide { font-size: 0.8em; }
TABLE .text { text-align: left; white-space: normal; min-width: 6em; max-width: 30em; overflow-wrap: break-word; }
TABLE th, TABLE th.text { overflow-wrap: normal; word-break: normal; hyphens: manual; }
TABLE.wider th:not(:first-child) { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap;
  text-align: left; vertical-align: bottom; padding: 0.3em 0.15em; }
nav.report-nav { display: flex; flex-wrap: wrap; gap: 0.3em 1.2em; font-size: 0.9em; padding: 0.4em 0;
  border-bottom: 1px solid #ddd; margin-bottom: 1em; }
nav.report-nav.bottom { border-bottom: none; border-top: 1px solid #ddd; margin: 2em 0 0; }
nav.report-nav a { text-decoration: none; }
.procurement-footer { color: #666; font-size: 0.85em; margin-top: 3em; border-top: 1px solid #ddd; padding-top: 0.5em; }
ol.report-toc li { margin: 0.3em 0; }
body.report-index { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 46em; margin: 2em auto;
  padding: 0 1.5em; line-height: 1.5; color: #222; }
body.report-index ol.report-toc { font-size: 1.1em; }
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  body.jp-Notebook { max-width: none; padding: 0; font-size: 10pt; }
  nav.report-nav { display: none; }
  .jp-Cell, .jp-OutputArea-output, .table-wrap { overflow: visible !important; max-width: 100% !important; }
  h2 { margin-top: 1.2em; }
  .report-page { break-before: page; }
  .report-page:first-child { break-before: auto; }
  h1, h2, h3 { break-after: avoid; }
  TABLE { width: 100%; font-size: 7.5pt; }
  TABLE.wide { font-size: 6.5pt; }
  TABLE th, TABLE td { padding: 0.15em 0.3em; overflow-wrap: anywhere; max-width: none; min-width: 0; }
  TABLE th, TABLE th.text { overflow-wrap: normal; word-break: normal; }
  TABLE td.text { overflow-wrap: anywhere; }
  TABLE.wide th:not(:first-child) { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap;
    text-align: left; vertical-align: bottom; padding: 0.3em 0.15em; }
  TABLE td.num { white-space: nowrap; overflow-wrap: normal; }
  tr, img { break-inside: avoid; }
  img { max-width: 100% !important; max-height: 235mm !important; width: auto; height: auto; object-fit: contain; }
  a { color: inherit; text-decoration: none; }
}
""".replace("TABLE", ".jp-RenderedHTMLCommon table.result-table")

#: Cell tags whose cell is left out of the report entirely.
REMOVE_TAGS = {"remove-cell", "remove_cell", "injected-parameters", "parameters"}


def language_tags_to_remove(language: str | None) -> set[str]:
    """The cell tags of every report language other than `language` (none when it is None)."""
    if language is None:
        return set()
    if language not in WRITTEN_LANGUAGES:
        raise ValueError(f"language {language!r}: not a report language (use one of {', '.join(WRITTEN_LANGUAGES)})")
    return set(WRITTEN_LANGUAGES) - {language}


def notebook_language(nb: nbformat.NotebookNode) -> str | None:
    """The `language` parameter an executed notebook ran with, or None when it cannot be told.

    Papermill records the injected parameters in ``metadata.papermill.parameters``;
    otherwise the last literal ``language = "..."`` in the cell tagged
    ``injected-parameters`` or ``parameters`` (the notebook's default) counts.
    """
    injected = ((nb.metadata.get("papermill") or {}).get("parameters") or {}).get("language")
    if injected in LANGUAGES:
        return injected
    for tag in ("injected-parameters", "parameters"):
        for cell in nb.cells:
            if cell.cell_type != "code" or tag not in cell.metadata.get("tags", []):
                continue
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                continue
            found = None
            for node in tree.body:
                if (isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "language" for t in node.targets)
                        and isinstance(node.value, ast.Constant) and node.value.value in LANGUAGES):
                    found = node.value.value
            if found:
                return found
    return None


#: This thread's exporters, by language (:func:`exporter`).
_EXPORTERS = threading.local()


def exporter(language: str | None = None):
    """The HTMLExporter for offline reports without code in `language`, made once per thread and kept.

    A new exporter compiles its ten Jinja templates for its first page; kept, the seven pages of the default report
    take 0.4-0.5 CPU seconds instead of 1.0-1.3 (measured). Kept per thread, as a Dask worker may render papers in
    several threads.
    """
    held = getattr(_EXPORTERS, "by_language", None)
    if held is None:
        held = _EXPORTERS.by_language = {}
    if language not in held:
        held[language] = new_exporter(language)
    return held[language]


def new_exporter(language: str | None = None):
    """An HTMLExporter configured for offline reports without code.

    With a `language` ('nb' or 'en'), cells tagged with the other language are
    left out and the page is marked with ``lang``.
    """
    # lazy: nbconvert costs 0.24 s at import; `procurement run` on a bad scenario exits before any page is written
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    c = Config()
    c.TemplateExporter.exclude_input = True
    c.TemplateExporter.exclude_input_prompt = True
    c.TemplateExporter.exclude_output_prompt = True
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = set(REMOVE_TAGS) | language_tags_to_remove(language)
    if language is not None:
        c.HTMLExporter.language_code = language
    c.HTMLExporter.embed_images = True
    c.HTMLExporter.template_name = "lab"
    c.HTMLExporter.theme = "light"
    exp = HTMLExporter(config=c, extra_loaders=[DictLoader({"procurement-report.html.j2": _TEMPLATE})])
    exp.template_file = "procurement-report.html.j2"
    return exp


#: Tags a notebook output may carry into the report: text, lists, tables. No frames, forms, media or details.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "small", "span", "strong", "sub",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
#: Attributes kept on any allowed tag (besides ``href`` on links and the table layout ones below).
_GENERIC_ATTRIBUTES = {"class", "title", "lang"}
_TABLE_ATTRIBUTES = {"colspan", "rowspan", "scope", "style"}
#: The only CSS properties a ``style`` attribute keeps: pandas writes ``text-align`` on table rows.
_STYLE_PROPERTIES = {"text-align", "vertical-align", "white-space"}


def sanitize(html: str) -> str:
    """`html` with only :data:`ALLOWED_TAGS`, harmless attributes and http(s)/mailto links (nh3, an allow-list)."""
    attributes = {"*": set(_GENERIC_ATTRIBUTES), "a": {"href"}}
    for tag in ("table", "tr", "th", "td", "col", "colgroup", "thead", "tbody", "tfoot"):
        attributes[tag] = set(_TABLE_ATTRIBUTES)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math"},
        attributes=attributes,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        filter_style_properties=_STYLE_PROPERTIES,
        strip_comments=True,
    )


def sanitize_outputs(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of `nb` whose Markdown and HTML outputs are sanitised HTML (Markdown rendered first)."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune  # lazy: nbconvert, as in exporter()

    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data")
            if not data:
                continue
            if "text/markdown" in data:
                data["text/html"] = sanitize(markdown2html_mistune(_text(data.pop("text/markdown"))))
            elif "text/html" in data:
                data["text/html"] = sanitize(_text(data["text/html"]))
            for kind in [k for k in data if k.startswith(("text/javascript", "application/javascript", "image/svg"))]:
                data.pop(kind)
    return nb


def _text(value: str | list[str]) -> str:
    return value if isinstance(value, str) else "".join(value)


def to_html(notebook: str | Path | nbformat.NotebookNode, out: str | Path, title: str | None = None, footer: str = "",
            language: str | None = None, css: str = "") -> Path:
    """Write the report HTML of an executed notebook to `out`; return the path.

    `language` ('nb' or 'en') chooses which language-tagged Markdown cells stay;
    by default the notebook's own `language` parameter (:func:`notebook_language`).
    When neither is known every cell stays. `css` is appended to the report's style sheet.
    The page title is `title`, else the first heading in that language, else the
    notebook's ``metadata.title``.
    """
    if isinstance(notebook, (str, Path)):
        nb = nbformat.read(str(notebook), as_version=4)
        name = Path(notebook).stem
        resources_path = str(Path(notebook).parent)
    else:
        nb = notebook
        name = Path(out).stem
        resources_path = "."
    language = language if language is not None else notebook_language(nb)
    title = title or (_first_heading(nb, language) if language else None)
    if title:
        nb = copy.deepcopy(nb)  # the caller's notebook keeps its metadata
        nb.metadata["title"] = title
    resources = {"metadata": {"name": name, "path": resources_path}, "footer": footer, "report_css": REPORT_CSS + css}
    body, _ = exporter(language).from_notebook_node(sanitize_outputs(nb), resources=resources)
    out = Path(out)
    out.write_text(body, encoding="utf-8")
    return out


# ---------------------------------------------------------------------------
# One linked report: index.html, navigation on every page
# ---------------------------------------------------------------------------

INDEX_NAME = "index.html"
SUMMARY_PAGE = "07-summary"
_NAV_KEYS = ("index", "previous", "next", "contents", "workbook", "pdf", "summary_first", "report", "answer", "run_date")
#: Cells of the summary notebook whose output the index repeats: the case, decision and scenario, and the findings.
INDEX_TAGS = ("index-header", "index-answer")


def _nav_words(language: str) -> dict[str, str]:
    """The words of the pages' links in the report language (``nav_*`` in :mod:`procurement.text.words_report`)."""
    return {k: label(f"nav_{k}", language) for k in _NAV_KEYS}


def report_word(language: str) -> str:
    """ "Rapport" / "Report": the start of the index page's title."""
    return label("nav_report", language)


def add_index_link(folder: str | Path, name: str) -> None:
    """Link file `name` (the PDF written after the run) from ``index.html`` in `folder`, once."""
    index = Path(folder) / INDEX_NAME
    if not index.exists():
        return
    page = index.read_text(encoding="utf-8")
    if f'href="{name}"' in page:
        return
    lang = "en" if '<html lang="en"' in page else "nb"
    word = label("nav_workbook" if name.endswith(".xlsx") else "nav_pdf", lang)
    item = f'<li><a href="{html.escape(name)}">{word}</a></li>'
    if '<ul class="report-files">' in page:
        page = page.replace('<ul class="report-files">', '<ul class="report-files">' + item, 1)
    else:
        page = page.replace("</main>", f'<ul class="report-files">{item}</ul></main>', 1)
    index.write_text(page, encoding="utf-8")


def report_order(pages: list[str]) -> list[str]:
    """Page stems in reading order: the summary first, then the others in notebook order."""
    return sorted(pages, key=lambda p: (p != SUMMARY_PAGE, p))


def page_title(page: str) -> str:
    """The text of a page's ``<title>``."""
    m = re.search(r"<title>(.*?)</title>", page, re.S)
    return html.unescape(m.group(1)).strip() if m else ""


def summary_outputs(notebook: Path) -> tuple[str, str]:
    """The HTML of what the executed summary notebook showed in its cells tagged ``index-header`` and
    ``index-answer`` (Markdown outputs, rendered and sanitised), so the index answers before it lists the pages."""
    if not notebook.is_file():
        return "", ""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune  # lazy, as exporter(): nbconvert's import

    nb = nbformat.read(str(notebook), as_version=4)
    parts: dict[str, list[str]] = {t: [] for t in INDEX_TAGS}
    for cell in nb.cells:
        tag = next((t for t in INDEX_TAGS if t in cell.metadata.get("tags", [])), "")
        for out in cell.get("outputs", []) if tag else []:
            text = out.get("data", {}).get("text/markdown")
            if text:
                parts[tag].append(sanitize(markdown2html_mistune(_text(text))))
    return "".join(parts["index-header"]), "".join(parts["index-answer"])


def link_pages(
    folder: str | Path, pages: list[str], language: str = "nb", title: str = "", extras: list[str] | None = None,
    run_date: str = "",
) -> Path:
    """Write ``index.html`` (a table of contents, the summary first) into `folder` and give every page of `pages`
    (file stems of HTML pages there) a navigation bar to the index and its neighbours, at the top and bottom.

    `extras` are further files in the folder to link from the index (the workbook, the PDF). Before the contents the
    index shows the summary notebook's header and key findings (:func:`summary_outputs`) and `run_date`, so it
    answers before it lists. Returns the index path.
    """
    folder = Path(folder)
    words = _nav_words(language)
    order = [p for p in report_order(pages) if (folder / f"{p}.html").exists()]
    titles = {p: page_title((folder / f"{p}.html").read_text(encoding="utf-8")) or p for p in order}
    for i, stem in enumerate(order):
        path = folder / f"{stem}.html"
        links = [f'<a href="{INDEX_NAME}">{words["index"]}</a>']
        if i > 0:
            prev = order[i - 1]
            links.append(f'<a href="{prev}.html" rel="prev">← {words["previous"]}: {html.escape(titles[prev])}</a>')
        if i + 1 < len(order):
            nxt = order[i + 1]
            links.append(f'<a href="{nxt}.html" rel="next">{words["next"]}: {html.escape(titles[nxt])} →</a>')
        nav = "".join(links)
        top = f'<nav class="report-nav" aria-label="{words["contents"]}">{nav}</nav>'
        bottom = f'<nav class="report-nav bottom" aria-label="{words["contents"]}">{nav}</nav>'
        page = path.read_text(encoding="utf-8")
        page = re.sub(r'<nav class="report-nav[^"]*"[^>]*>.*?</nav>', "", page, flags=re.S)  # linking twice replaces
        page = page.replace("<main>", "<main>" + top, 1)
        page = page.replace("</main>", bottom + "</main>", 1)
        path.write_text(page, encoding="utf-8")
    heading = html.escape(title or words["report"])
    items = "".join(f'<li><a href="{p}.html">{html.escape(titles[p])}</a></li>' for p in order)
    more = "".join(
        f'<li><a href="{html.escape(name)}">{words["workbook" if name.endswith(".xlsx") else "pdf"]}</a></li>'
        for name in (extras or []) if (folder / name).exists()
    )
    files = f'<ul class="report-files">{more}</ul>' if more else ""
    header, answer = summary_outputs(folder / f"{SUMMARY_PAGE}.ipynb")
    when = f'<p class="report-date">{words["run_date"]}: {html.escape(run_date)}</p>' if run_date else ""
    answer = f'<section class="report-answer"><h2>{words["answer"]}</h2>{answer}</section>' if answer else ""
    lang = "en" if language == "en" else "nb"
    index = (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{heading}</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<style>{REPORT_CSS}</style></head>"
        f'<body class="report-index"><main><h1>{heading}</h1>{header}{when}{answer}<p>{words["summary_first"]}</p>'
        f'<nav aria-label="{words["contents"]}"><ol class="report-toc">{items}</ol></nav>'
        f"{files}</main></body></html>\n"
    )
    out = folder / INDEX_NAME
    out.write_text(index, encoding="utf-8")
    return out


def _first_heading(nb: nbformat.NotebookNode, language: str) -> str | None:
    """The first Markdown heading in a cell tagged `language`: the page title in that language
    (the notebooks' ``metadata.title`` is English)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown" and language in cell.metadata.get("tags", []):
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip() or None
    return None


#: Attributes whose value is a URL (or a list of them) that a browser may fetch.
URL_ATTRIBUTES = {
    "src", "href", "data", "srcset", "imagesrcset", "poster", "background", "action", "formaction", "codebase",
    "cite", "longdesc", "manifest", "ping", "lowsrc", "dynsrc", "icon", "archive", "xlink:href", "profile", "usemap",
}
#: A link the reader may follow is not fetched on opening the page.
_NAVIGATION = {("a", "href"), ("area", "href")}
_CSS_URL = re.compile(r"@import\s+(?:url\()?\s*['\"]?([^'\")\s;]+)|url\(\s*['\"]?([^'\")]+)", re.IGNORECASE)


class _ResourceFinder(HTMLParser):
    """Collects every URL a browser would fetch on opening the page: URL attributes, srcset lists,
    CSS ``url()``/``@import`` in style sheets and ``style`` attributes, ``<meta http-equiv=refresh>``,
    and, recursively, the documents in ``<iframe srcdoc>``."""

    def __init__(self, where: str = ""):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._where = where
        self._in_style = False

    def _add(self, text: str) -> None:
        self.urls.append(f"{self._where}{text}")

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if value is None:
                continue
            if key in URL_ATTRIBUTES and (tag, key) not in _NAVIGATION:
                for url in _urls_of(key, value):
                    if _is_remote(url):
                        self._add(f"<{tag} {key}={url}>")
            elif key == "srcdoc":
                inner = _ResourceFinder(f"{self._where}<{tag} srcdoc> ")
                inner.feed(value)
                self.urls.extend(inner.urls)
            elif key == "content" and dict(attrs).get("http-equiv", "").lower() == "refresh":
                url = value.split("=", 1)[1] if "=" in value else ""
                if _is_remote(url.strip("'\" ")):
                    self._add(f"<meta refresh {url}>")
            if key == "style":
                self._css(value, f"<{tag} style> ")
        self._in_style = tag == "style"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self._in_style = False

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self._css(data, "css ")

    def _css(self, text: str, prefix: str) -> None:
        for m in _CSS_URL.finditer(text):
            url = m.group(1) or m.group(2)
            if url and _is_remote(url):
                self._add(f"{prefix}{url.strip()}")


def _urls_of(key: str, value: str) -> list[str]:
    if key in ("srcset", "imagesrcset"):
        return [part.strip().split()[0] for part in value.split(",") if part.strip()]
    if key in ("archive", "ping"):
        return value.split()
    return [value]


def _is_remote(url: str) -> bool:
    u = re.sub(r"[\x00-\x20]", "", url).lower()  # browsers ignore control characters and spaces in a scheme
    return u.startswith(("http:", "https:", "//", "ftp:", "ws:", "wss:", "\\\\"))


def external_resources(html: str) -> list[str]:
    """Every script, stylesheet, image, frame, srcdoc document, CSS ``url()`` or refresh the page would fetch from
    the network (links to follow, ``<a href>``, are not fetched and not listed)."""
    finder = _ResourceFinder()
    finder.feed(html)
    return finder.urls
