"""Figures of the risk register (seaborn on matplotlib).

:func:`risk_heatmap` draws the 5 × 5 probability × consequence grid of a register
read by :func:`procurement.law.risk.read_risks`. The risk module computes, this
module draws; the figure is built without pyplot, so nothing is shown or kept in
a global figure list.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from procurement.law.risk import SCALE, option_risks
from procurement.text.labels import label


#: Probability levels top to bottom (5..1) and consequence levels left to right (1..5).
LEVELS = list(range(SCALE[1], SCALE[0] - 1, -1))
CONSEQUENCES = list(range(SCALE[0], SCALE[1] + 1))


def risk_counts(register: pd.DataFrame) -> pd.DataFrame:
    """How many risks lie in each cell: probability 5..1 (rows) × consequence 1..5 (columns)."""
    grid = pd.MultiIndex.from_product([LEVELS, CONSEQUENCES], names=["probability", "consequence"])
    counts = register.groupby(["probability", "consequence"]).size().reindex(grid, fill_value=0)
    return counts.unstack("consequence").loc[LEVELS, CONSEQUENCES]


def risk_heatmap(register: pd.DataFrame, decision: str | None = None, option: str | None = None,
                 title: str | None = None, language: str = "en", labels: dict[str, str] | None = None) -> Figure:
    """A 5 × 5 probability × consequence heatmap of the risks.

    Cell colour is the risk level (probability × consequence); the number in
    a cell is how many risks lie there.

    Parameters
    ----------
    register
        From :func:`procurement.law.risk.read_risks`.
    decision
        Decision id; may be omitted when the register holds one decision.
    option
        Only this option's risks; default all options of the decision.
    title
        Figure title.
    language
        Language of the axis labels, colour-bar label and default title ('en' or 'nb').
    labels
        Optional option id -> display name for the default title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    counts = risk_counts(option_risks(register, decision, option))
    level = pd.DataFrame(np.outer(LEVELS, CONSEQUENCES), index=pd.Index(LEVELS, name="probability"),
                         columns=pd.Index(CONSEQUENCES, name="consequence"))
    annot = counts.map(lambda n: str(n) if n else "")
    fig = Figure(figsize=(5.5, 4.5), layout="constrained")
    ax = fig.subplots()
    sns.heatmap(level, ax=ax, cmap="RdYlGn_r", vmin=1, vmax=25, annot=annot, fmt="",
                cbar_kws={"label": label("fig_risk_level", language)},
                linewidths=0.5, linecolor="white", annot_kws={"fontsize": 11, "fontweight": "bold"})
    ax.set_xlabel(f"{label('fig_consequence', language)} (1–5)")
    ax.set_ylabel(f"{label('fig_probability', language)} (1–5)")
    name = (labels or {}).get(option, option) if option else ""
    ax.set_title(title or f"{label('fig_risks', language)}{f' – {name}' if name else ''} ({label('fig_per_cell', language)})")
    return fig


__all__ = ["CONSEQUENCES", "LEVELS", "risk_counts", "risk_heatmap"]
