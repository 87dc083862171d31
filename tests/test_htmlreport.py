"""HTML reports open offline: no code, no scripts or styles from the internet, images embedded;
they keep the Markdown cells of their language (tags ``en``/``nb``) and every untagged cell."""

from __future__ import annotations

import base64
import re

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from procurement.report import htmlreport
from procurement.report.htmlreport import external_resources, notebook_language, to_html

# a 1×1 PNG
PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)).decode()


def notebook(tmp_path):
    (tmp_path / "logo.png").write_bytes(base64.b64decode(PNG))
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    # saved widget state makes nbconvert add a widget manager script from a CDN by default
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2, "version_minor": 0}}
    nb.cells.append(new_markdown_cell("# Title\n\nSome maths $x^2$ and a picture ![logo](logo.png)"))
    nb.cells.append(new_code_cell("secret_code_line = 41 + 1", metadata={"tags": ["parameters"]}))
    cell = new_code_cell("make_figure()  # also code", execution_count=2)
    cell.outputs = [
        new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"}),
        new_output("stream", name="stdout", text="visible result\n"),
        new_output("execute_result", data={"text/html": "<table><tr><td>cell</td></tr></table>", "text/plain": "t"},
                   execution_count=2),
    ]
    nb.cells.append(cell)
    path = tmp_path / "report.ipynb"
    nbformat.write(nb, str(path))
    return path


def test_report_html_has_no_code_and_no_network_resources(tmp_path):
    out = to_html(notebook(tmp_path), tmp_path / "report.html", footer="run 1")
    html = out.read_text(encoding="utf-8")
    assert external_resources(html) == []
    # nothing at all loaded from elsewhere: no script src, no link href to http, no CDN names
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+href=[\"']?(https?:)?//", html)
    for cdn in ("cdnjs", "jsdelivr", "unpkg", "require.js", "mathjax"):
        assert cdn not in html.lower()
    assert "secret_code_line" not in html and "make_figure" not in html
    assert "visible result" in html and "<td>cell</td>" in html
    assert html.count("data:image/png;base64") >= 2  # the figure and the Markdown image
    assert "run 1" in html


def test_external_resources_finds_what_would_be_fetched():
    page = """<html><head>
    <script src="https://cdn.example.org/x.js"></script>
    <link rel="stylesheet" href="//fonts.example.org/f.css">
    <style>@import url("https://example.org/a.css"); body { background: url(http://example.org/b.png) }</style>
    </head><body><img src="data:image/png;base64,AAAA"><a href="https://example.org/">a link is fine</a></body></html>"""
    found = external_resources(page)
    assert len(found) == 4
    assert all("example.org" in f for f in found)


def bilingual_notebook(tmp_path, papermill_language=None):
    """A notebook with an English and a bokmål Markdown cell, an untagged one and a parameters cell."""
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells.append(new_markdown_cell("## English heading\n\nEnglish prose.", metadata={"tags": ["en"]}))
    nb.cells.append(new_markdown_cell("## Norsk overskrift\n\nNorsk tekst.", metadata={"tags": ["nb"]}))
    nb.cells.append(new_markdown_cell("$$NPV = \\sum_t \\frac{B_t - C_t}{(1 + r)^t}$$ untagged-formula"))
    nb.cells.append(new_code_cell('language = "nb"', metadata={"tags": ["parameters"]}))
    if papermill_language:
        nb.cells.append(new_code_cell(f'language = "{papermill_language}"', metadata={"tags": ["injected-parameters"]}))
        nb.metadata["papermill"] = {"parameters": {"language": papermill_language}}
    path = tmp_path / "bilingual.ipynb"
    nbformat.write(nb, str(path))
    return path


@pytest.mark.parametrize("language, kept, gone", [("nb", "Norsk tekst", "English prose"), ("en", "English prose", "Norsk tekst")])
def test_report_keeps_only_the_prose_of_its_language(tmp_path, language, kept, gone):
    html = to_html(bilingual_notebook(tmp_path), tmp_path / f"{language}.html", language=language).read_text(encoding="utf-8")
    assert kept in html and gone not in html
    assert "untagged-formula" in html  # language-neutral cells stay
    assert f'<html lang="{language}">' in html
    assert f"<title>{ {'nb': 'Norsk overskrift', 'en': 'English heading'}[language] }</title>" in html


def test_a_kept_exporter_writes_the_pages_a_new_one_would(tmp_path, monkeypatch):
    """The exporter is made once per language and thread and kept between pages: pages of different notebooks and
    languages, in turn, come out byte for byte as from an exporter made for each page (nothing of one page is left
    for the next)."""
    folders = [tmp_path / str(i) for i in range(5)]
    for folder in folders:
        folder.mkdir()
    pages = [(notebook(folders[0]), "footer one", None), (bilingual_notebook(folders[1]), "", "nb"),
             (bilingual_notebook(folders[2], "en"), "footer two", None), (notebook(folders[3]), "", "en"),
             (bilingual_notebook(folders[4]), "footer three", "nb")]
    kept = [to_html(nb, tmp_path / f"kept-{i}.html", footer=f, language=lang).read_bytes()
            for i, (nb, f, lang) in enumerate(pages)]
    assert htmlreport.exporter("nb") is htmlreport.exporter("nb")
    monkeypatch.setattr(htmlreport, "exporter", htmlreport.new_exporter)
    fresh = [to_html(nb, tmp_path / f"fresh-{i}.html", footer=f, language=lang).read_bytes()
             for i, (nb, f, lang) in enumerate(pages)]
    assert kept == fresh
    assert b"Norsk tekst" in kept[1] and b"English prose" in kept[2] and b"footer three" in kept[4]


@pytest.mark.parametrize("injected", ["nb", "en"])
def test_report_language_comes_from_the_injected_parameters(tmp_path, injected):
    html = to_html(bilingual_notebook(tmp_path, injected), tmp_path / "out.html").read_text(encoding="utf-8")
    assert ("Norsk tekst" in html) == (injected == "nb")
    assert ("English prose" in html) == (injected == "en")


def test_notebook_language_falls_back_to_the_parameters_cell_default(tmp_path):
    nb = nbformat.read(str(bilingual_notebook(tmp_path)), as_version=4)
    assert notebook_language(nb) == "nb"
    nb.cells = [c for c in nb.cells if c.cell_type == "markdown"]
    assert notebook_language(nb) is None
    html = to_html(nb, tmp_path / "both.html").read_text(encoding="utf-8")
    assert "Norsk tekst" in html and "English prose" in html  # language unknown: nothing is dropped


def test_unknown_report_language_is_refused(tmp_path):
    with pytest.raises(ValueError, match="'de'"):
        to_html(bilingual_notebook(tmp_path), tmp_path / "de.html", language="de")


def test_untrusted_outputs_are_sanitised_and_figures_keep_their_alt_text(tmp_path):
    """Markdown and HTML outputs (names from the case files) lose frames, event handlers and remote images;
    the notebook's own Markdown cells stay as written; a figure's alt text comes from its output metadata."""
    nb = new_notebook()
    nb.cells.append(new_markdown_cell("# Own heading\n\nOwn **bold** prose"))
    cell = new_code_cell("x", execution_count=1)
    cell.outputs = [
        new_output("display_data", data={"text/markdown": "**Case** <iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
                                         "text/plain": "md"}),
        new_output("display_data", data={"text/html": "<details open ontoggle=alert(2)>x</details><img src=http://e.x/a.png>"
                                                      "<table><tr><td>ok</td></tr></table>", "text/plain": "t"}),
        new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"},
                   metadata={"image/png": {"alt": 'Figur: rangering "per" metode'}}),
    ]
    nb.cells.append(cell)
    html = to_html(nb, tmp_path / "page.html").read_text(encoding="utf-8")
    body = html.split("<body", 1)[1]
    for bad in ("<iframe", "srcdoc", "ontoggle", "<details", "http://e.x", "alert("):
        assert bad not in body, bad
    assert "<strong>Case</strong>" in body, body
    assert "<td>ok</td>" in body
    assert "<strong>bold</strong> prose" in body  # the notebook's own Markdown cells are rendered as usual
    import html as html_mod

    alts = [html_mod.unescape(a or b) for a, b in re.findall(r"<img alt=(?:\"([^\"]*)\"|'([^']*)')", body)]
    assert alts == ['Figur: rangering "per" metode']


def test_link_pages_writes_an_index_summary_first_and_neighbour_links(tmp_path):
    from procurement.report.htmlreport import link_pages

    for stem, title in (("01-inputs", "Inndata"), ("02-ranking", "Rangering"), ("07-summary", "Sammendrag")):
        page = f"<html><head><title>{title}</title></head><body><main><p>{stem}</p></main></body></html>"
        (tmp_path / f"{stem}.html").write_text(page)
    (tmp_path / "results.xlsx").write_bytes(b"")
    index = link_pages(tmp_path, ["01-inputs", "02-ranking", "07-summary"], "nb", title="Rapport: default",
                       extras=["results.xlsx", "report.pdf"]).read_text(encoding="utf-8")
    assert re.findall(r'href="([\w-]+\.html)"', index) == ["07-summary.html", "01-inputs.html", "02-ranking.html"]
    assert 'href="results.xlsx"' in index and "report.pdf" not in index  # only files that exist
    inputs = (tmp_path / "01-inputs.html").read_text(encoding="utf-8")
    assert 'href="index.html"' in inputs and 'href="07-summary.html" rel="prev"' in inputs
    assert 'href="02-ranking.html" rel="next"' in inputs
    link_pages(tmp_path, ["01-inputs", "02-ranking", "07-summary"], "nb")  # again: the bars are replaced, not added
    assert (tmp_path / "01-inputs.html").read_text(encoding="utf-8").count('class="report-nav"') == 1
