"""Reading Excel cells as an advisor fills them in: numbers typed as text with Norwegian habits, ids and text.

A number cell may hold a number, or text that is a number the way the workbook's language writes one:

* bokmål: decimal comma (``7,5``), thousands separated by spaces or non-breaking spaces (``12 500``), or by points
  when a decimal comma follows (``1.234,5``); a decimal point is read too (``7.5``) unless it looks like a
  thousands separator (``1.500``: 1.5 or 1500?), which is reported;
* English: decimal point, thousands by commas (``12,500``) or spaces; a decimal comma (``7,5``) is reported,
  never read as 75 or 7.5, as the CSV reader rejects ``1,5`` in a comma-separated file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]")
_EN_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$")
_NB_POINT_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(\.\d{3})+(,\d+)?$")
_PLAIN = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")


@dataclass(frozen=True)
class Bad:
    """A cell that could not be read: what is wrong and what would be right."""

    message: str
    hint: str


def parse_number(value: object, language: str) -> float | None | Bad:
    """The number in a cell: None for an empty cell, :class:`Bad` for text that is not a number in `language`."""
    if value is None:
        return None
    if isinstance(value, bool):
        return Bad(f"'{value}' is not a number", "type a number")
    if isinstance(value, int | float):
        return float(value)
    text = _SPACES.sub("", str(value))
    if not text:
        return None
    return _parse_nb(str(value), text) if language == "nb" else _parse_en(str(value), text)


def _parse_nb(raw: str, text: str) -> float | Bad:
    if _NB_POINT_THOUSANDS.match(text) and "," in text:
        text = text.replace(".", "")
    elif _NB_POINT_THOUSANDS.match(text):
        return Bad(f"'{raw}' could be read as {text} or {text.replace('.', '')}",
                   f"write {text.replace('.', ',')} for a decimal or {text.replace('.', '')} for a whole number")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    return _plain(raw, text, "a number such as 7,5 or 12 500")


def _parse_en(raw: str, text: str) -> float | Bad:
    if _EN_THOUSANDS.match(text):
        text = text.replace(",", "")
    elif "," in text:
        return Bad(f"'{raw}' has a decimal comma in an English workbook",
                   f"write {text.replace(',', '.')} with a decimal point, or export the workbook with --language nb")
    return _plain(raw, text, "a number such as 7.5 or 12,500")


def _plain(raw: str, text: str, example: str) -> float | Bad:
    if _PLAIN.match(text):
        return float(text)
    return Bad(f"'{raw}' is not a number", f"type {example}")


def text_of(value: object) -> str:
    """A cell as text: empty for an empty cell, whole numbers without '.0', surrounding blanks removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def number_text(value: float) -> str:
    """A number as the CSV files write it: whole numbers without a decimal point, others as Python writes them."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def yaml_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)
