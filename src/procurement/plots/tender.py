"""Figures of the tender evaluation (seaborn on matplotlib, built without pyplot), drawn from tables.

:func:`simulation_figure` draws the pre-opening simulation table (``pw.simulate_tender(...).table``): per price
model, the probability of a ranking paradox and the share of competitions the best value for money does not win,
against the price weight. :func:`sweep_figure` draws each tenderer's weighted total as the price weight runs from
0 to 1 (``pw.evaluate_tender(...).sweep_totals()``), with the model's own price weight marked.
"""

from __future__ import annotations

import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from procurement.text import fmt
from procurement.text.labels import label


def simulation_figure(table: pd.DataFrame, language: str = "nb") -> Figure:
    """Two panels from the simulation table (columns model, price_weight, paradox, misses_best_value)."""
    fig = Figure(figsize=(11, 4.2), layout="constrained")
    axes = fig.subplots(1, 2, sharex=True)
    for ax, col in ((axes[0], "paradox"), (axes[1], "misses_best_value")):
        sns.lineplot(data=table, x="price_weight", y=col, hue="model", marker="o", ax=ax, legend=ax is axes[1])
        ax.set_title(label(f"tender.{col}", language), fontsize=10)
        ax.set_xlabel(label("tender.price_weight", language))
        ax.set_ylabel("")
        ax.xaxis.set_major_formatter(fmt.axis_formatter(language, "percent", 0))
        # shares under 10 % get ticks 0.5 % apart: one decimal, or two ticks would read the same
        ax.yaxis.set_major_formatter(fmt.axis_formatter(language, "percent", 1 if table[col].max() < 0.1 else 0))
        ax.set_ylim(bottom=0)
    legend = axes[1].get_legend()
    if legend is not None:
        sns.move_legend(axes[1], "upper left", bbox_to_anchor=(1.01, 1), title=label("tender.model", language),
                        frameon=False, fontsize=8)
    return fig


def sweep_figure(totals: pd.DataFrame, chosen: float, language: str = "nb") -> Figure:
    """Each tenderer's weighted total against the price weight (columns price_weight, tenderer, total); a dashed line
    marks ``chosen``, the model's own price weight."""
    fig = Figure(figsize=(9, 4.5), layout="constrained")
    ax = fig.subplots()
    sns.lineplot(data=totals, x="price_weight", y="total", hue="tenderer", ax=ax)
    ax.axvline(chosen, color="grey", linestyle="--", linewidth=0.8)
    ax.annotate(label("tender.plot.chosen", language), (chosen, 1.0), xycoords=("data", "axes fraction"), fontsize=8,
                ha="left", va="top")
    ax.set_xlabel(label("tender.price_weight", language))
    ax.set_ylabel(label("tender.plot.total", language))
    ax.set_title(label("tender.plot.sweep", language))
    ax.xaxis.set_major_formatter(fmt.axis_formatter(language, "percent", 0))
    ax.yaxis.set_major_formatter(fmt.axis_formatter(language, "number", 1))
    if ax.get_legend() is not None:
        sns.move_legend(ax, "upper left", bbox_to_anchor=(1.01, 1), title=None, frameon=False, fontsize=8)
    return fig


__all__ = ["simulation_figure", "sweep_figure"]
