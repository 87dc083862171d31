"""The report face: parameterised notebooks run by papermill into HTML, Excel, PDF and a manifest.

* :mod:`procurement.report.notebook` — what every report notebook shares (checked parameters, the analysis,
  tables that reach the workbook, result sentences);
* :mod:`procurement.report.params` — the notebooks' parameters: the keys of the one scenario model;
* :mod:`procurement.report.project`, :mod:`~procurement.report.plan`, :mod:`~procurement.report.runner`,
  :mod:`~procurement.report.workers`, :mod:`~procurement.report.manifest` — finding notebooks, checking a
  scenario, running the notebooks and recording the run;
* :mod:`procurement.report.htmlreport`, :mod:`~procurement.report.excel`, :mod:`~procurement.report.pdf` —
  the writers.

Like the other faces it asks the engine through the public API (``import procurement``), and uses the words
(``procurement.text``) and the figures (``procurement.plots``); it imports no domain module.
"""

import sys

# nbformat validates notebooks with jsonschema, which imports the optional ``rfc3987_syntax`` package when it is
# installed; that import builds an IRI grammar and costs 2.7 s (measured: `import nbformat` 2.7 s with it, 0.1 s
# without). Notebook schemas use no IRI formats, so the report package marks it absent before nbformat is imported.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
