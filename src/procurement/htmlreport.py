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
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import nbformat

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
body.jp-Notebook { max-width: 1100px; margin: 0 auto; padding: 1.5em 2em; }
.jp-OutputArea-output table { font-size: 0.95em; }
.jp-OutputArea-output img { max-width: 100%; height: auto; }
.jp-OutputPrompt, .jp-InputPrompt { display: none; }
.procurement-footer { color: #666; font-size: 0.85em; margin-top: 3em; border-top: 1px solid #ddd; padding-top: 0.5em; }
@media print { body.jp-Notebook { max-width: none; padding: 0; } }
</style>
{%- endblock extra_css -%}
{% block body_footer %}
{%- if resources.get('footer') %}<div class="procurement-footer">{{ resources['footer'] | e }}</div>{% endif -%}
</main>
</body>
{% endblock body_footer %}
"""

#: Cell tags whose cell is left out of the report entirely.
REMOVE_TAGS = {"remove-cell", "remove_cell", "injected-parameters", "parameters"}


def exporter():
    """An HTMLExporter configured for offline reports without code."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    c = Config()
    c.TemplateExporter.exclude_input = True
    c.TemplateExporter.exclude_input_prompt = True
    c.TemplateExporter.exclude_output_prompt = True
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = set(REMOVE_TAGS)
    c.HTMLExporter.embed_images = True
    c.HTMLExporter.template_name = "lab"
    c.HTMLExporter.theme = "light"
    exp = HTMLExporter(config=c, extra_loaders=[DictLoader({"procurement-report.html.j2": _TEMPLATE})])
    exp.template_file = "procurement-report.html.j2"
    return exp


def to_html(notebook: str | Path | nbformat.NotebookNode, out: str | Path, title: str | None = None, footer: str = "") -> Path:
    """Write the report HTML of an executed notebook to `out`; return the path."""
    if isinstance(notebook, (str, Path)):
        nb = nbformat.read(str(notebook), as_version=4)
        name = Path(notebook).stem
        resources_path = str(Path(notebook).parent)
    else:
        nb = notebook
        name = Path(out).stem
        resources_path = "."
    if title:
        nb.metadata["title"] = title
    resources = {"metadata": {"name": name, "path": resources_path}, "footer": footer}
    body, _ = exporter().from_notebook_node(nb, resources=resources)
    out = Path(out)
    out.write_text(body, encoding="utf-8")
    return out


class _ResourceFinder(HTMLParser):
    """Collects every URL a browser would fetch on opening the page."""

    FETCHING = {("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"), ("source", "src"),
                ("video", "src"), ("audio", "src"), ("embed", "src"), ("object", "data")}

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if (tag, key) in self.FETCHING and value and _is_remote(value):
                self.urls.append(f"<{tag} {key}={value}>")
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            import re

            for m in re.finditer(r"@import\s+(?:url\()?['\"]?([^'\")\s;]+)|url\(\s*['\"]?([^'\")]+)", data):
                url = m.group(1) or m.group(2)
                if url and _is_remote(url):
                    self.urls.append(f"css {url}")


def _is_remote(url: str) -> bool:
    u = url.strip().lower()
    return u.startswith(("http://", "https://", "//", "ftp://"))


def external_resources(html: str) -> list[str]:
    """Every script, stylesheet, image, frame or CSS import the page would fetch from the network."""
    finder = _ResourceFinder()
    finder.feed(html)
    return finder.urls
