"""Words and sentences of reading cases and scenarios (case/, casebook/, validation), in bokmål and English.

``LABELS``: key -> (bokmål, English) word or header, merged into :data:`procurement.text.labels.LABELS`.
``SENTENCES``: key -> (bokmål, English) template with ``{name:kind}`` fields, merged into
:data:`procurement.text.sentences.SENTENCES` (see that module for the kinds). Keys are prefixed with the part
they belong to (``case.``); a key defined twice anywhere is an error at import.
"""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    # weight sources a scenario's profile may name besides a stakeholder group (procurement.case.profiles)
    "panel-mean": ("Panel (gj.sn.)", "Panel (mean)"),
    "panel-geomean": ("Panel (geom. snitt)", "Panel (geometric mean)"),
    "ahp": ("AHP-sammenligninger", "AHP comparisons"),
}

SENTENCES: dict[str, tuple[str, str]] = {}
