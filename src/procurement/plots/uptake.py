"""Figure of the uptake analysis: ΔNPV against the share of the population that joins.

:func:`uptake_curve_figure` draws :class:`procurement.cba.uptake.UptakeResult`'s
curve per option, the zero line, the go-ahead condition (Akson: 55 %) and each
option's break-even share. Built without pyplot, so nothing is shown or kept.
Words in bokmål or English; numbers through :mod:`procurement.text.fmt`
(decimal commas in bokmål).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import seaborn as sns
from matplotlib.figure import Figure

from procurement.case.cashflows import UNITS
from procurement.text import fmt

#: The figure's words per language.
WORDS = {
    "nb": {
        "x": "Andel av befolkningen i kommuner som slutter seg til",
        "y": "Netto nåverdi mot 0-alternativet ({unit}, {prices})",
        "prices": "faste {year}-kroner",
        "prices_plain": "faste kroner",
        "title": "Netto nåverdi etter hvor mange som slutter seg til",
        "condition": "vilkår: {share}",
        "break_even": "nullpunkt",
        "screened_out": "silt ut",
    },
    "en": {
        "x": "Share of the population in municipalities that join",
        "y": "NPV against the 0-alternative ({unit}, {prices})",
        "prices": "real {year} NOK",
        "prices_plain": "real NOK",
        "title": "Net present value by the share that joins",
        "condition": "condition: {share}",
        "break_even": "break-even",
        "screened_out": "screened out",
    },
}


def uptake_curve_figure(result: Any, language: str = "en", labels: Mapping[str, str] | None = None,
                        unit: str = "MNOK", base_year: int | None = None, screened_out: Iterable[str] = ()) -> Figure:
    """ΔNPV against the population share that joins, one line per option (nothing is shown).

    Parameters
    ----------
    result : procurement.cba.uptake.UptakeResult
    language : {'en', 'nb'}
    labels : mapping option id -> label, optional
    unit : {'NOK', 'kNOK', 'MNOK'}
        Unit of the y axis.
    base_year : int, optional
        Year of the real prices named on the y axis.
    screened_out : iterable of str
        Options that failed a must-pass rule; their labels say so.

    Returns
    -------
    matplotlib.figure.Figure
    """
    lang = language if language in WORDS else "en"
    words = WORDS[lang]
    out = set(screened_out)
    names = {o: f"{(labels or {}).get(o, o)} ({words['screened_out']})" if o in out else (labels or {}).get(o, o)
             for o in result.curve["option"].unique()}
    data = result.curve.assign(
        delta_npv=result.curve["delta_npv"] / UNITS[unit],
        option=result.curve["option"].map(lambda o: names.get(o, o)),
    )
    fig = Figure(figsize=(10, 5), layout="constrained")
    ax = fig.subplots()
    sns.lineplot(data=data, x="share", y="delta_npv", hue="option", ax=ax)
    ax.axhline(0.0, color="black", linewidth=0.8)
    cond = float(result.condition.min_population_share)
    ax.axvline(cond, color="grey", linestyle="--", linewidth=0.9)
    ax.annotate(words["condition"].format(share=fmt.percent(cond, lang, 0)), (cond, 1.0),
                xycoords=("data", "axes fraction"), fontsize=8, ha="left", va="top", xytext=(3, -3), textcoords="offset points")
    be = result.break_even["break_even_share"].dropna()
    ax.scatter(be.to_numpy(), [0.0] * len(be), marker="o", color="black", s=18, zorder=3, label=words["break_even"])
    ax.xaxis.set_major_formatter(fmt.axis_formatter(lang, "percent", 0))
    ax.yaxis.set_major_formatter(fmt.axis_formatter(lang, "number", 0))
    ax.set_xlim(0, 1)
    ax.set_xlabel(words["x"])
    prices = words["prices"].format(year=base_year) if base_year is not None else words["prices_plain"]
    ax.set_ylabel(words["y"].format(unit=unit, prices=prices))
    ax.set_title(words["title"])
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8)
    return fig


__all__ = ["WORDS", "uptake_curve_figure"]
