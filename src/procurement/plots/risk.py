"""Figures of the risk register (seaborn on matplotlib).

:func:`risk_heatmap` draws a probability × consequence grid of risk counts, the table
:func:`procurement.law.risk.risk_counts` (or ``RiskRegister.counts()``) gives: probability levels as the index (top
row first), consequence levels as the columns, the number of risks in each cell. The risk module computes, this
module draws; the figure is built without pyplot, so nothing is shown or kept in a global figure list.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from procurement.text.labels import label


def risk_heatmap(counts: pd.DataFrame, title: str | None = None, language: str = "en", subject: str | None = None) -> Figure:
    """A probability × consequence heatmap of how many risks lie in each cell.

    Cell colour is the risk level (probability × consequence, from the grid's own index and columns: 1–25 on
    the 1–5 scales); the number in a cell is how many risks lie there.

    Parameters
    ----------
    counts
        Probability levels (index, top row first) × consequence levels (columns) of risk counts.
    title
        Figure title; default "Risks (number per cell)" in the language, with `subject` when given.
    language
        Language of the axis labels, colour-bar label and default title ('en' or 'nb').
    subject
        What the risks belong to, for the default title (e.g. an option's name).

    Returns
    -------
    matplotlib.figure.Figure
    """
    probability = [int(p) for p in counts.index]
    consequence = [int(c) for c in counts.columns]
    level = pd.DataFrame(np.outer(probability, consequence), index=pd.Index(probability, name="probability"),
                         columns=pd.Index(consequence, name="consequence"))
    annot = counts.map(lambda n: str(n) if n else "")
    fig = Figure(figsize=(5.5, 4.5), layout="constrained")
    ax = fig.subplots()
    top = max(probability) * max(consequence)
    sns.heatmap(level, ax=ax, cmap="RdYlGn_r", vmin=1, vmax=top, annot=annot, fmt="",
                cbar_kws={"label": label("fig_risk_level", language)},
                linewidths=0.5, linecolor="white", annot_kws={"fontsize": 11, "fontweight": "bold"})
    ax.set_xlabel(f"{label('fig_consequence', language)} ({min(consequence)}–{max(consequence)})")
    ax.set_ylabel(f"{label('fig_probability', language)} ({min(probability)}–{max(probability)})")
    suffix = f" – {subject}" if subject else ""
    ax.set_title(title or f"{label('fig_risks', language)}{suffix} ({label('fig_per_cell', language)})")
    return fig


__all__ = ["risk_heatmap"]
