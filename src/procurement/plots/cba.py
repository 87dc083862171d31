"""Figures of the cost-benefit analysis (seaborn on matplotlib).

:func:`s_curve_figure` draws S-curves from a long table (``option, measure, probability, value``, the value already
in the unit named), such as :meth:`procurement.CostBenefit.s_curve` gives. The analysis computes, this module draws:
it knows no domain type, takes the table and returns a :class:`matplotlib.figure.Figure` built without pyplot, so
nothing is shown or kept in a global figure list. Words come from :mod:`procurement.text.labels`.
"""

from __future__ import annotations

import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from procurement.text.labels import LABELS, label


def measure_label(measure: str, language: str = "en") -> str:
    """A measure's name inside a figure's phrase: ``incremental_npv`` -> "ΔNPV" / "ΔNNV", ``npv`` -> "NPV" / "nåverdi"."""
    key = f"cba.fig.{measure}"
    if key in LABELS:
        return label(key, language)
    return label(measure, language).lower() if measure in LABELS else measure


def s_curve_figure(df: pd.DataFrame, unit: str = "MNOK", title: str | None = None, language: str = "en",
                   dashed: set[str] | frozenset[str] = frozenset()) -> Figure:
    """An S-curve figure (nothing is shown).

    Parameters
    ----------
    df : pandas.DataFrame
        ``option, measure, probability, value`` with the value in `unit`, one curve per option.
    unit : str
        The unit of the values, named on the x axis (e.g. MNOK).
    title : str, optional
    language : {'en', 'nb'}
        Language of the axis labels and the default title; the measure is named in words of the language
        (:func:`measure_label`).
    dashed : set of str
        Options drawn dashed (those screened out by a must-pass rule, marked in their names).

    Returns
    -------
    matplotlib.figure.Figure
        Cumulative probability against value per option, with P50 and P85 lines.
    """
    fig = Figure(figsize=(10, 5), layout="constrained")
    ax = fig.subplots()
    order = list(dict.fromkeys(df["option"]))
    styles = {o: (2, 2) if o in dashed else "" for o in order}
    sns.lineplot(data=df, x="value", y="probability", hue="option", style="option", dashes=styles, hue_order=order,
                 style_order=order, ax=ax)
    if ax.get_legend() is not None:
        sns.move_legend(ax, "upper left", bbox_to_anchor=(1.01, 1), title=None, frameon=False, fontsize=8)
    for p, style in ((0.5, ":"), (0.85, "--")):
        ax.axhline(p, color="grey", linestyle=style, linewidth=0.8)
        ax.annotate(f"P{int(p * 100)}", (1.0, p), xycoords=("axes fraction", "data"), fontsize=8, ha="right", va="bottom")
    if measure_is_increment(df):
        ax.axvline(0, color="black", linewidth=0.8)
    measure = measure_label(str(df["measure"].iloc[0]), language) if len(df) else ""
    ax.set_xlabel(f"{measure} ({unit}, {label('fig_real_prices', language)})")
    ax.set_ylabel(label("fig_cumulative_probability", language))
    ax.set_ylim(0, 1)
    ax.set_title(title or f"{label('fig_s_curve', language)}: {measure}")
    return fig


def measure_is_increment(df: pd.DataFrame) -> bool:
    """Whether the S-curves are of ΔNPV (then a line at 0 marks the 0-alternative)."""
    return bool(len(df)) and str(df["measure"].iloc[0]) == "incremental_npv"


__all__ = ["measure_label", "s_curve_figure"]
