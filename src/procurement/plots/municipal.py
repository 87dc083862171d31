"""Figure of a municipality decision paper: the municipality's payment per year if it joins and if it stays outside.

:func:`payments_figure` draws two bars per year (fixed prices, undiscounted, as
:class:`procurement.cba.municipal.MunicipalBudget` holds them), in thousands of kroner, with the year axis written
as years (never ``2 026``). Built without pyplot, so nothing is shown or kept. Numbers through
:mod:`procurement.text.fmt`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from procurement.text import fmt

#: Colours: joining (the common solution) and staying outside (the 0-alternative).
COLOURS = ("#2b6a99", "#b0b0b0")


def payments_figure(yearly: pd.DataFrame, names: tuple[str, str], title: str, ylabel: str, xlabel: str,
                    language: str = "nb") -> Figure:
    """Bars of the payment per year (NOK) of joining (`yearly`'s first column) and staying outside (its second).

    Parameters
    ----------
    yearly : pandas.DataFrame
        Index years, two columns of payments in NOK (joining, staying outside).
    names : the legend's names of the two columns.
    title, ylabel, xlabel : the figure's words, in the paper's language.
    """
    years = yearly.index.to_numpy(dtype=int)
    fig = Figure(figsize=(8, 3.6), layout="constrained")
    ax = fig.subplots()
    width = 0.4
    for i, (col, name) in enumerate(zip(yearly.columns[:2], names, strict=True)):
        ax.bar(years + (i - 0.5) * width, yearly[col].to_numpy(dtype=float) / 1000.0, width=width, label=name,
               color=COLOURS[i])
    ax.set_title(title, fontsize=10)
    ax.set_ylabel(ylabel)
    ax.set_xlabel(xlabel)
    step = max(1, int(np.ceil(len(years) / 10)))
    ax.set_xticks(years[::step], [str(y) for y in years[::step]])
    ax.yaxis.set_major_formatter(fmt.axis_formatter(language))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=8, frameon=False)  # below: never over a bar
    ax.spines[["top", "right"]].set_visible(False)
    return fig
