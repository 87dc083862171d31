"""Figures of the cost-benefit analysis (seaborn on matplotlib).

:func:`s_curve_figure` draws the S-curves of :func:`procurement.cba.r109.s_curve_data`.
The analysis computes, this module draws: it takes the long table and returns a
:class:`matplotlib.figure.Figure` built without pyplot, so nothing is shown or
kept in a global figure list.
"""

from __future__ import annotations

import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from procurement.case.cashflows import UNITS
from procurement.text.labels import LABELS, label


def s_curve_figure(df: pd.DataFrame, unit: str = "MNOK", title: str | None = None, language: str = "en",
                   dashed: set[str] | frozenset[str] = frozenset()) -> Figure:
    """An S-curve figure from :func:`procurement.cba.r109.s_curve_data` (nothing is shown).

    Parameters
    ----------
    df : pandas.DataFrame
        ``option, measure, probability, value`` (value in NOK).
    unit : {'NOK', 'kNOK', 'MNOK'}
        Unit of the x axis.
    title : str, optional
    language : {'en', 'nb'}
        Language of the axis labels and the default title. In ``'en'`` the
        measure is named by its column id (``npv``); in ``'nb'`` by its
        report word (``nåverdi``).
    dashed : set of str
        Options drawn dashed (those screened out by a must-pass rule, marked in their names).

    Returns
    -------
    matplotlib.figure.Figure
        Cumulative probability against value per option, with P50 and P85 lines.
    """
    data = df.assign(value=df["value"] / UNITS[unit])
    fig = Figure(figsize=(10, 5), layout="constrained")
    ax = fig.subplots()
    order = list(dict.fromkeys(data["option"]))
    styles = {o: (2, 2) if o in dashed else "" for o in order}
    sns.lineplot(data=data, x="value", y="probability", hue="option", style="option", dashes=styles, hue_order=order,
                 style_order=order, ax=ax)
    if ax.get_legend() is not None:
        sns.move_legend(ax, "upper left", bbox_to_anchor=(1.01, 1), title=None, frameon=False, fontsize=8)
    for p, style in ((0.5, ":"), (0.85, "--")):
        ax.axhline(p, color="grey", linestyle=style, linewidth=0.8)
        ax.annotate(f"P{int(p * 100)}", (1.0, p), xycoords=("axes fraction", "data"), fontsize=8, ha="right", va="bottom")
    if measure_is_increment(df):
        ax.axvline(0, color="black", linewidth=0.8)
    measure = str(df["measure"].iloc[0]) if len(df) else ""
    if language != "en" and measure in LABELS:
        measure = label(measure, language).lower()
    ax.set_xlabel(f"{measure} ({unit}, {label('fig_real_prices', language)})")
    ax.set_ylabel(label("fig_cumulative_probability", language))
    ax.set_ylim(0, 1)
    ax.set_title(title or f"{label('fig_s_curve', language)}: {measure}")
    return fig


def measure_is_increment(df: pd.DataFrame) -> bool:
    """Whether the S-curves are of ΔNPV (then a line at 0 marks the 0-alternative)."""
    return bool(len(df)) and str(df["measure"].iloc[0]) == "incremental_npv"


__all__ = ["s_curve_figure"]
