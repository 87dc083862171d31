"""Figure of the uptake analysis: ΔNPV against the share of the population that joins.

:func:`uptake_curve_figure` draws the ΔNPV curve of each option (a table: ``option, share, delta_npv``, amounts in
the unit named), the zero line, the go-ahead condition (Akson: 55 %) and each option's break-even share, such as
:class:`procurement.cba.uptake.UptakeResult` holds them. Built without pyplot, so nothing is shown or kept. Words
from :mod:`procurement.text.labels`; numbers through :mod:`procurement.text.fmt` (decimal commas in bokmål).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from procurement.text import fmt
from procurement.text.labels import label


def uptake_curve_figure(curve: pd.DataFrame, break_even: pd.Series, condition: float, language: str = "en",
                        labels: Mapping[str, str] | None = None, unit: str = "MNOK", base_year: int | None = None,
                        screened_out: Iterable[str] = ()) -> Figure:
    """ΔNPV against the population share that joins, one line per option (nothing is shown).

    Parameters
    ----------
    curve : pandas.DataFrame
        ``option, share, delta_npv`` with ΔNPV in `unit`.
    break_even : pandas.Series
        The break-even share of each option (NaN where there is none), indexed by option id.
    condition : float
        The share of the population the go-ahead condition asks for (0..1).
    language : {'en', 'nb'}
    labels : mapping option id -> label, optional
    unit : str
        Unit of the y axis (the unit of ``delta_npv``).
    base_year : int, optional
        Year of the real prices named on the y axis.
    screened_out : iterable of str
        Options that failed a must-pass rule; their labels say so.

    Returns
    -------
    matplotlib.figure.Figure
    """
    out = set(screened_out)
    mark = label("cba.screened_out_mark", language)
    names = {o: f"{(labels or {}).get(o, o)} {mark}" if o in out else (labels or {}).get(o, o) for o in curve["option"].unique()}
    data = curve.assign(option=curve["option"].map(lambda o: names.get(o, o)))
    fig = Figure(figsize=(10, 5), layout="constrained")
    ax = fig.subplots()
    sns.lineplot(data=data, x="share", y="delta_npv", hue="option", ax=ax)
    ax.axhline(0.0, color="black", linewidth=0.8)
    ax.axvline(condition, color="grey", linestyle="--", linewidth=0.9)
    ax.annotate(label("cba.fig.condition", language).format(share=fmt.percent(condition, language, 0)), (condition, 1.0),
                xycoords=("data", "axes fraction"), fontsize=8, ha="left", va="top", xytext=(3, -3), textcoords="offset points")
    be = break_even.dropna()
    ax.scatter(be.to_numpy(), [0.0] * len(be), marker="o", color="black", s=18, zorder=3,
               label=label("cba.fig.break_even", language))
    ax.xaxis.set_major_formatter(fmt.axis_formatter(language, "percent", 0))
    ax.yaxis.set_major_formatter(fmt.axis_formatter(language, "number", 0))
    ax.set_xlim(0, 1)
    ax.set_xlabel(label("cba.fig.uptake_x", language))
    prices = (label("cba.fig.prices_year", language).format(year=base_year) if base_year is not None
              else label("cba.fig.prices", language))
    ax.set_ylabel(label("cba.fig.uptake_y", language).format(unit=unit, prices=prices))
    ax.set_title(label("cba.fig.uptake_title", language))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8)
    return fig


__all__ = ["uptake_curve_figure"]
