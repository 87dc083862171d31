"""Words and numbers: the bottom layer every other part may use.

* :mod:`procurement.text.fmt` — numbers, percentages, money and dates in bokmål and English (Babel/CLDR);
* :mod:`procurement.text.labels` — the workbench's own words (table headers, axes, headings, method and unit
  names) in both languages, as static tables.

Nothing here imports another part of the package: domain code, figures and the faces format and label through
this layer, so the same number reads the same in the terminal, the report and the browser.
"""
