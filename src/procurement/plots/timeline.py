"""Figures of procurement timelines (matplotlib, seaborn palette).

:func:`gantt_figure` draws the schedule of :func:`procurement.law.timeline.schedule`
as a Gantt chart. The timeline module computes, this module draws; the figure is
built without pyplot, so nothing is shown or kept in a global figure list.
"""

from __future__ import annotations

import matplotlib.dates as mdates
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from procurement.law.timeline import PHASE_LABELS, contract_dates
from procurement.text import fmt
from procurement.text.labels import label


def gantt_figure(sched: pd.DataFrame, title: str | None = None, labels: dict[str, str] | None = None,
                 language: str = "en") -> Figure:
    """A Gantt chart comparing the options' phases.

    Parameters
    ----------
    sched
        From :func:`procurement.law.timeline.schedule`.
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
    dates = contract_dates(sched)
    options = list(dates.index)
    phases = [p for p in PHASE_LABELS if p in set(sched["phase"])]
    palette = dict(zip(phases, sns.color_palette("tab20", n_colors=max(len(phases), 1)), strict=False))
    fig = Figure(figsize=(11, 0.6 * len(options) + 2.2), layout="constrained")
    ax = fig.subplots()
    for y, oid in enumerate(options):
        part = sched[sched["option"] == oid]
        for row in part.itertuples():
            ax.barh(y, max(row.days, 0.5), left=mdates.date2num(row.start), color=palette[row.phase],
                    edgecolor="white", linewidth=0.5, height=0.6)
        end = dates.loc[oid, "contract"]
        text = (f"  {fmt.number(dates.loc[oid, 'months'], language, 1)} {label('fig_months_short', language)}" if not part.empty
                else f"  {label('fig_no_joint_contract', language)}")
        ax.text(mdates.date2num(end), y, text, va="center", fontsize=8)
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
