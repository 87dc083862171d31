"""Words and sentences of ranking, weights, stakeholders and uncertainty (mcda/, uncertainty/), in bokmål and English.

``LABELS``: key -> (bokmål, English) word or header, merged into :data:`procurement.text.labels.LABELS`.
``SENTENCES``: key -> (bokmål, English) template with ``{name:kind}`` fields, merged into
:data:`procurement.text.sentences.SENTENCES` (see that module for the kinds). Keys are prefixed with the part
they belong to (``mcda.``); a key defined twice anywhere is an error at import.
"""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {}

SENTENCES: dict[str, tuple[str, str]] = {}
