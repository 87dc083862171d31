"""One way to write numbers, shares, money and dates in every face of the workbench.

Reports, figures, the workbench and the Excel file call these functions instead of
``f"{x:.2f}"``, so a bokmål report shows decimal commas and a non-breaking thousands
space everywhere and an English report shows English conventions. The rules come
from Babel's CLDR data (``nb_NO`` and ``en_GB``), not from hand-written patterns:

============  =====================  =====================
call          ``nb``                 ``en``
============  =====================  =====================
number        ``39 085,3``           ``39,085.3``
percent       ``24,1 %``             ``24.1%``
money         ``1 250 MNOK``         ``1,250 MNOK``
date          ``24.10.2026``         ``24 Oct 2026``
timestamp     ``24.10.2026 16:05``   ``24 Oct 2026 16:05``
month         ``okt. 2026``          ``Oct 2026``
============  =====================  =====================

The space between digit groups, and between a number and ``%`` or its unit, is
U+00A0 (no break), so a value never wraps across lines. English dates are written
day-month-year with the month's short name (``24 Oct 2026``): unambiguous for
readers on both sides of the Atlantic, unlike ``10/24/2026`` or ``24/10/2026``.
A missing value (``None`` or NaN) is written as an en dash, ``–``. :func:`date` reads ISO and
Norwegian date strings alike (:func:`parse_date`) and leaves other text as it is. Rounding is
Babel's: half to even on the decimal value of the number (``0.125`` → ``0,12``).

:func:`axis_formatter` gives a matplotlib tick formatter built on the same rules.
"""

from __future__ import annotations

import copy
import datetime as _dt
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import cache
from typing import Any, Literal

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.lists import format_list
from babel.numbers import format_decimal, get_minus_sign_symbol

#: report language -> Babel locale
LOCALES: dict[str, str] = {"nb": "nb_NO", "nn": "nn_NO", "en": "en_GB"}

#: the text written for a missing value
MISSING = "–"
NBSP = "\u00a0"

_DATE_PATTERNS = {"nb": "dd.MM.y", "nn": "dd.MM.y", "en": "d MMM y"}
_TIME_PATTERNS = {"nb": "dd.MM.y HH:mm", "nn": "dd.MM.y HH:mm", "en": "d MMM y HH:mm"}

Number = float | Decimal


def locale_of(lang: str) -> str:
    """The Babel locale of a report language (``nb`` or ``en``)."""
    try:
        return LOCALES[lang]
    except KeyError:
        raise ValueError(f"unknown report language {lang!r}: use one of {', '.join(LOCALES)}") from None


def _missing(x: object) -> bool:
    if x is None:
        return True
    try:
        return bool(x != x)  # NaN, and pandas' NaT, are the values unequal to themselves
    except (TypeError, ValueError):
        return False


def _pattern(decimals: int) -> str:
    if decimals < 0:
        raise ValueError(f"decimals must be 0 or more, not {decimals}")
    return "#,##0" + ("." + "0" * decimals if decimals else "")


@cache
def _minus(lang: str) -> str:
    """The locale's minus sign (CLDR ``minusSign``): U+2212 for nb, the hyphen-minus for en."""
    return get_minus_sign_symbol(locale_of(lang))


def _signed(text: str, lang: str) -> str:
    """Babel writes a pattern's negative numbers with the hyphen-minus; the reader's locale may have its own sign."""
    return _minus(lang) + text[1:] if text.startswith("-") else text


def number(x: Number | None, lang: str, decimals: int = 0) -> str:
    """``x`` with ``decimals`` decimals and grouped thousands: ``39 085,3`` (nb), ``39,085.3`` (en); a negative
    number with the locale's minus sign (``−1 500``, U+2212, in nb; ``-1,500`` in en)."""
    if _missing(x):
        return MISSING
    return _signed(format_decimal(x, format=_pattern(decimals), locale=locale_of(lang)), lang)  # type: ignore[arg-type]


@cache
def _percent_pattern(lang: str, decimals: int) -> Any:
    if decimals < 0:
        raise ValueError(f"decimals must be 0 or more, not {decimals}")
    pattern = copy.copy(Locale.parse(locale_of(lang)).percent_formats[None])
    pattern.frac_prec = (decimals, decimals)
    return pattern


def percent(p: Number | None, lang: str, decimals: int = 1) -> str:
    """A share (0–1) as a percentage: ``0.2413`` → ``24,1 %`` (nb), ``24.1%`` (en)."""
    if _missing(p):
        return MISSING
    loc = locale_of(lang)
    return _signed(str(_percent_pattern(lang, decimals).apply(p, Locale.parse(loc))), lang)


def probability(p: Number | None, lang: str, decimals: int = 1) -> str:
    """A probability as :func:`percent`, never rounded to 0 % or 100 % when it is not 0 or 1.

    With one decimal 0.0003 is ``< 0,1 %`` and 0.9997 ``> 99,9 %`` (nb): a reader
    must not take a rare event for an impossible one.
    """
    text = percent(p, lang, decimals)
    if _missing(p) or not 0 < float(p) < 1:  # type: ignore[arg-type]
        return text
    step = 10.0 ** -(decimals + 2)
    if text == percent(0.0, lang, decimals):
        return "< " + percent(step, lang, decimals)
    if text == percent(1.0, lang, decimals):
        return "> " + percent(1 - step, lang, decimals)
    return text


def money(x: Number | None, lang: str, unit: str = "MNOK", decimals: int = 0) -> str:
    """An amount with its unit after a non-breaking space: ``1 250 MNOK`` (nb), ``1,250 MNOK`` (en)."""
    if _missing(x):
        return MISSING
    return f"{number(x, lang, decimals)}{NBSP}{unit}" if unit else number(x, lang, decimals)


def parse_date(text: str) -> _dt.date | None:
    """A date written as ISO (``2026-10-24``, also with a time) or the Norwegian way (``24.10.2026``); else None."""
    text = text.strip()
    m = _NB_DATE.fullmatch(text)
    try:
        if m:
            return _dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return _dt.date.fromisoformat(text[:10]) if _ISO_DATE.match(text) else None
    except ValueError:
        return None


_NB_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:$|[T ])")


def _as_date(d: _dt.date | str) -> _dt.date:
    if isinstance(d, str):
        parsed = parse_date(d)
        if parsed is None:
            raise ValueError(f"not a date: {d!r} (write 2026-10-24 or 24.10.2026)")
        return parsed
    if isinstance(d, _dt.datetime):
        return d.date()
    return d


def date(d: _dt.date | str | None, lang: str) -> str:
    """A date: ``24.10.2026`` (nb), ``24 Oct 2026`` (en). Accepts a date, a datetime or an ISO string."""
    if d is None or _missing(d):
        return MISSING
    if isinstance(d, str) and parse_date(d) is None:
        return d  # already words ("–", "ingen"): shown as given
    return str(format_date(_as_date(d), _DATE_PATTERNS[_lang(lang)], locale=locale_of(lang)))


def month(d: _dt.date | str | None, lang: str) -> str:
    """A month and year: ``okt. 2026`` (nb), ``Oct 2026`` (en), for time axes."""
    if d is None or _missing(d):
        return MISSING
    return str(format_date(_as_date(d), "MMM y", locale=locale_of(lang)))


def timestamp(t: _dt.datetime | str | None, lang: str) -> str:
    """A moment to the minute: ``24.10.2026 16:05`` (nb), ``24 Oct 2026 16:05`` (en), in the time's own zone."""
    if t is None or _missing(t):
        return MISSING
    if isinstance(t, str):
        t = _dt.datetime.fromisoformat(t)
    return str(format_datetime(t, _TIME_PATTERNS[_lang(lang)], tzinfo=t.tzinfo, locale=locale_of(lang)))


def join(items: Iterable[str], lang: str) -> str:
    """Words as a list in running text: ``a, b og c`` / ``a, b and c`` (CLDR list patterns)."""
    return format_list(list(items), locale=locale_of(lang))


def _lang(lang: str) -> str:
    locale_of(lang)
    return lang


def axis_formatter(lang: str, kind: Literal["number", "percent"] = "number", decimals: int = 0) -> Any:
    """A matplotlib tick formatter writing ticks with :func:`number` or :func:`percent` (shares 0–1)."""
    from matplotlib.ticker import FuncFormatter

    write: Callable[[Any, str, int], str] = percent if kind == "percent" else number
    return FuncFormatter(lambda value, _pos: write(value, lang, decimals))
