"""Sentences that state what an analysis assumed, in bokmål and English, from raw values.

A result object keeps what it used as :class:`Assumption` s: a sentence key and the raw values (numbers, ids,
dates). The report, the app and the command line print ``describe(result.assumptions, language)``; nobody types
a parameter into prose, so the text always says what the analysis did (issue 22).

A sentence is a template with ``{name:kind}`` fields; the kind says how the value is written in the reader's
language through :mod:`procurement.text.fmt`:

=============  ======================================  ==================
kind           written as                              ``nb`` example
=============  ======================================  ==================
``percent0``   a share as a percentage, 0 decimals     ``20 %``
``percent1``   … with 1 decimal                        ``24,1 %``
``percentg``   … with the decimals it needs (≤ 4)      ``0,8 %``, ``4 %``
``number0``    a number, 0 decimals (``number1``, …)   ``10 000``
``numberg``    … with the decimals it needs (≤ 4)      ``0,35``
``year``       a year, never with a thousands space    ``2026``
``date``       a date                                  ``24.10.2026``
``money0``     an amount in its unit, 0 decimals       ``1 250 MNOK``
``method``     a ranking method's name                 ``vektet sum``
``methods``    a list of ranking methods' names        ``vektet sum og TOPSIS``
``label``      a word of the label tables              ``triangulær``
``text``       as given (default)                      ``topsis``
=============  ======================================  ==================

The templates live in ``SENTENCES`` tables, one per part of the package (``procurement.text.words_*``), merged
here; a key used twice is an error at import. This module, like the rest of ``text/``, imports nothing else of
the package: it sits at the bottom of the layers.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from procurement.text import (fmt, labels, words_cba, words_case, words_forms, words_law, words_mcda, words_nn, words_papers,
                             words_report, words_tender)

#: sentence key -> (bokmål, English) template
SENTENCES: dict[str, tuple[str, str]] = {}
for _table in (words_case.SENTENCES, words_mcda.SENTENCES, words_cba.SENTENCES, words_law.SENTENCES,
               words_tender.SENTENCES, words_report.SENTENCES, words_papers.SENTENCES,
               words_forms.SENTENCES):
    _twice = sorted(set(SENTENCES) & set(_table))
    if _twice:
        raise ValueError(f"sentence keys defined twice: {', '.join(_twice)}")
    SENTENCES.update(_table)


@dataclass(frozen=True)
class Assumption:
    """One thing an analysis used or assumed: a sentence key and its raw values."""

    key: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, **{k: v for k, v in self.values.items()}}


class _Formatter(string.Formatter):
    def __init__(self, language: str):
        super().__init__()
        self.language = language

    def format_field(self, value: Any, format_spec: str) -> str:
        kind = format_spec or "text"
        lang = self.language
        if kind == "percentg":
            return fmt.percent(value, lang, _decimals(float(value) * 100))
        if kind == "numberg":
            return fmt.number(value, lang, _decimals(float(value)))
        if kind.startswith("percent"):
            return fmt.percent(value, lang, int(kind[7:] or 0))
        if kind.startswith("number"):
            return fmt.number(value, lang, int(kind[6:] or 0))
        if kind.startswith("money"):
            amount, unit = value if isinstance(value, tuple) else (value, "MNOK")
            return fmt.money(amount, lang, unit, int(kind[5:] or 0))
        if kind == "year":
            return str(int(value))
        if kind == "date":
            return fmt.date(value, lang)
        if kind == "method":
            return labels.method_label(str(value), lang)
        if kind == "methods":
            return fmt.join((labels.method_label(str(m), lang) for m in value), lang)
        if kind == "label":
            return labels.label(str(value), lang)
        if kind == "text":
            return str(value)
        raise ValueError(f"unknown value kind '{kind}' in a sentence template")


def _decimals(x: float) -> int:
    """The fewest decimals (up to 4) that write `x` exactly: 4 -> 0, 0.8 -> 1, 3.25 -> 2."""
    return next((d for d in range(4) if abs(round(x, d) - x) < 1e-9), 4)


def sentence(key: str, language: str = "nb", **values: Any) -> str:
    """The sentence `key` in `language` with `values` written the reader's way."""
    try:
        pair = SENTENCES[key]
    except KeyError:
        raise KeyError(f"no sentence '{key}' in procurement.text (add it to a words_* table)") from None
    if language == "nn":
        template = words_nn.SENTENCES.get(key)
        if template is None:
            raise KeyError(f"no nynorsk text for sentence '{key}': add it to procurement.text.words_nn")
    else:
        template = pair[1] if language == "en" else pair[0]
    return _Formatter(language).format(template, **values)


def describe(assumptions: Iterable[Assumption], language: str = "nb") -> list[str]:
    """One sentence per assumption, in order."""
    return [sentence(a.key, language, **a.values) for a in assumptions]
