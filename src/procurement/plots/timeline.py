"""Figures of procurement timelines (matplotlib, seaborn palette).

:func:`gantt_figure` draws a Gantt chart from one table, the one :func:`procurement.law.timeline.gantt_table`
(or a timeline result's ``gantt_table()``) gives: a row per phase (``option``, ``phase``, ``start``, ``days``)
and a row without a phase for an option with none, each row with its option's ``contract`` date and ``months``
to contract. The timeline module computes, this module draws; the figure is built without pyplot, so nothing is
shown or kept in a global figure list.
"""

from __future__ import annotations

import matplotlib.dates as mdates
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from procurement.text import fmt
from procurement.text.labels import label


def _phases(table: pd.DataFrame) -> list[str]:
    """The phases drawn, in the order of the legend: the categories' order, else the order they first appear in."""
    drawn = set(table["phase"].dropna())
    order = list(table["phase"].cat.categories) if isinstance(table["phase"].dtype, pd.CategoricalDtype) else \
        list(dict.fromkeys(table["phase"].dropna()))
    return [p for p in order if p in drawn]


def gantt_figure(table: pd.DataFrame, title: str | None = None, labels: dict[str, str] | None = None,
                 language: str = "en") -> Figure:
    """A Gantt chart comparing the options' phases.

    Parameters
    ----------
    table
        Columns ``option``, ``phase`` (empty for an option without phases; categorical for the legend's order),
        ``start``, ``days``, ``contract`` and ``months``; options in the order they are drawn, top to bottom.
    title
        Figure title; default "Procurement timeline per option" in the report language.
    labels
        Optional option id -> display name.
    language
        Language of the axis label, the phase names and the default title ('en' or 'nb').

    Returns
    -------
    matplotlib.figure.Figure
    """
    labels = labels or {}
    options = list(dict.fromkeys(table["option"]))
    phases = _phases(table)
    palette = dict(zip(phases, sns.color_palette("tab20", n_colors=max(len(phases), 1)), strict=False))
    bars = table[table["phase"].notna()]
    fig = Figure(figsize=(11, 0.6 * len(options) + 2.2), layout="constrained")
    ax = fig.subplots()
    for y, oid in enumerate(options):
        part = bars[bars["option"] == oid]
        for row in part.itertuples():
            ax.barh(y, max(row.days, 0.5), left=mdates.date2num(row.start), color=palette[row.phase],
                    edgecolor="white", linewidth=0.5, height=0.6)
        first = table[table["option"] == oid].iloc[0]
        text = (f"  {fmt.number(first['months'], language, 1)} {label('fig_months_short', language)}" if not part.empty
                else f"  {label('fig_no_joint_contract', language)}")
        ax.text(mdates.date2num(first["contract"]), y, text, va="center", fontsize=8)
    ax.set_yticks(range(len(options)), [labels.get(o, o) for o in options])
    ax.invert_yaxis()
    ax.xaxis_date()
    # month and year in the report language: okt. 2026 / Oct 2026 (never the ISO 2026-10)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: fmt.month(mdates.num2date(x), language)))
    ax.set_xlabel(label("fig_date", language))
    ax.set_title(title or label("fig_timeline_title", language))
    ax.grid(axis="x", alpha=0.3)
    ax.legend(handles=[Patch(color=palette[p], label=label(f"phase_{p}", language)) for p in phases], loc="upper left",
              bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False, title=label("fig_phase", language), title_fontsize=8)
    return fig


__all__ = ["gantt_figure"]
