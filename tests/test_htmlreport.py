"""HTML reports open offline: no code, no scripts or styles from the internet, images embedded."""

from __future__ import annotations

import base64
import re

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from procurement.htmlreport import external_resources, to_html

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
        new_output("execute_result", data={"text/html": "<table><tr><td>cell</td></tr></table>", "text/plain": "t"}, execution_count=2),
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
