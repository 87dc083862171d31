"""Figures of the tender evaluation (seaborn on matplotlib, built without pyplot).

:func:`simulation_figure` draws the pre-opening simulation of :func:`procurement.tender.paradox.simulate`: per
price model, the probability of a ranking paradox and the share of competitions the best value for money does not
win, against the price weight. :func:`sweep_figure` draws each tenderer's weighted total as the price weight runs
from 0 to 1 (quality weights keeping their proportions), with the model's price weight marked.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from procurement.text import fmt

_WORDS = {
    "price_weight": ("Prisvekt", "Price weight"),
    "paradox": ("Sannsynlighet for rangeringsparadoks", "Probability of a ranking paradox"),
    "misses": ("Beste verdi for pengene vinner ikke", "Best value for money does not win"),
    "model": ("Prismodell", "Price model"),
    "total": ("Vektet sum (0–10)", "Weighted total (0–10)"),
    "sweep": ("Vinneren når prisvekten endres", "The winner as the price weight changes"),
    "chosen": ("modellens prisvekt", "the model's price weight"),
}


def _w(key: str, language: str) -> str:
    nb, en = _WORDS[key]
    return en if language == "en" else nb


def simulation_figure(table: pd.DataFrame, language: str = "nb") -> Figure:
    """Two panels from the simulation table (columns model, price_weight, paradox, misses_best_value)."""
    fig = Figure(figsize=(11, 4.2), layout="constrained")
    axes = fig.subplots(1, 2, sharex=True)
    for ax, col, key in ((axes[0], "paradox", "paradox"), (axes[1], "misses_best_value", "misses")):
        sns.lineplot(data=table, x="price_weight", y=col, hue="model", marker="o", ax=ax, legend=ax is axes[1])
        ax.set_title(_w(key, language), fontsize=10)
        ax.set_xlabel(_w("price_weight", language))
        ax.set_ylabel("")
        ax.xaxis.set_major_formatter(fmt.axis_formatter(language, "percent", 0))
        ax.yaxis.set_major_formatter(fmt.axis_formatter(language, "percent", 0))
        ax.set_ylim(bottom=0)
    legend = axes[1].get_legend()
    if legend is not None:
        sns.move_legend(axes[1], "upper left", bbox_to_anchor=(1.01, 1), title=_w("model", language), frameon=False, fontsize=8)
    return fig


def sweep_figure(prices: np.ndarray, quality: np.ndarray, model, names: list[str], language: str = "nb",
                 steps: int = 51) -> Figure:
    """Each tenderer's weighted total against the price weight (quality weights in their proportions)."""
    from procurement.tender.evaluate import totals

    base = np.array(list(model.weights().values()))
    is_price = np.array([c.kind == "price" for c in model.criteria])
    qsum = base[~is_price].sum()
    rows = []
    for wp in np.linspace(0.0, 1.0, steps):
        w = np.where(is_price, wp, (1 - wp) * base / qsum if qsum > 0 else 0.0)
        for name, t in zip(names, totals(model, prices, quality, weights=w), strict=True):
            rows.append({"price_weight": wp, "total": t, "tenderer": name})
    data = pd.DataFrame(rows)
    fig = Figure(figsize=(9, 4.5), layout="constrained")
    ax = fig.subplots()
    sns.lineplot(data=data, x="price_weight", y="total", hue="tenderer", ax=ax)
    chosen = float(base[is_price].sum())
    ax.axvline(chosen, color="grey", linestyle="--", linewidth=0.8)
    ax.annotate(_w("chosen", language), (chosen, 1.0), xycoords=("data", "axes fraction"), fontsize=8, ha="left", va="top")
    ax.set_xlabel(_w("price_weight", language))
    ax.set_ylabel(_w("total", language))
    ax.set_title(_w("sweep", language))
    ax.xaxis.set_major_formatter(fmt.axis_formatter(language, "percent", 0))
    ax.yaxis.set_major_formatter(fmt.axis_formatter(language, "number", 1))
    if ax.get_legend() is not None:
        sns.move_legend(ax, "upper left", bbox_to_anchor=(1.01, 1), title=None, frameon=False, fontsize=8)
    return fig


__all__ = ["simulation_figure", "sweep_figure"]
