"""Figures for sensitivity and uncertainty results (seaborn on matplotlib).

Each function takes the result tables of :mod:`procurement.uncertainty.smaa` or
:mod:`procurement.uncertainty.sensitivity` and returns a :class:`matplotlib.figure.Figure`
built without pyplot, so nothing is shown or kept in a global figure list; a
notebook displays the returned figure, a report saves it with ``savefig``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from procurement.text import fmt
from procurement.text.labels import label


def _labels(index, labels: Mapping[str, str] | None):
    return [labels.get(i, i) if labels else i for i in index]


def acceptability_figure(acceptability: pd.DataFrame, labels: Mapping[str, str] | None = None, title: str | None = None,
                          language: str = "en") -> Figure:
    """Rank acceptability as stacked horizontal bars: one bar per option, one colour per rank."""
    acc = acceptability.copy()
    order = acc.to_numpy() @ np.arange(1, acc.shape[1] + 1)  # mean rank, best first
    acc = acc.iloc[np.argsort(order, kind="stable")]
    m = acc.shape[1]
    fig = Figure(figsize=(8, 0.45 * len(acc) + 1.6), layout="constrained")
    ax = fig.subplots()
    colors = sns.color_palette("RdYlGn_r", m)
    left = np.zeros(len(acc))
    names = _labels(acc.index, labels)
    for r, col in enumerate(acc.columns):
        vals = acc[col].to_numpy() * 100
        ax.barh(names, vals, left=left, color=colors[r], label=str(col), edgecolor="white", linewidth=0.5)
        for y, (lft, v) in enumerate(zip(left, vals, strict=True)):
            if v >= 8:
                ax.text(lft + v / 2, y, f"{v:.0f}", ha="center", va="center", fontsize=8)
        left += vals
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(label("fig_share_of_draws", language))
    ax.legend(title=label("fig_rank", language), ncol=min(m, 10), loc="lower center", bbox_to_anchor=(0.5, 1.0),
              frameon=False, fontsize=8)
    if title:
        fig.suptitle(title)
    sns.despine(fig=fig, left=True)
    return fig


def winning_figure(winning: pd.DataFrame, labels: Mapping[str, str] | None = None, title: str | None = None,
                   language: str = "en") -> Figure:
    """Pairwise winning indices as a heat map (row ranks above column, %).

    Cells are sized for two-digit percentages and long option names are
    wrapped, so the chart stays readable with a dozen options.
    """
    n = len(winning)
    fig = Figure(figsize=(4.5 + 0.8 * n, 2.8 + 0.55 * n), layout="constrained")
    ax = fig.subplots()
    data = winning * 100
    data.index = [textwrap.fill(str(x), 30, break_long_words=False) for x in _labels(winning.index, labels)]
    data.columns = [textwrap.fill(str(x), 22, break_long_words=False) for x in _labels(winning.columns, labels)]
    sns.heatmap(data, ax=ax, annot=True, fmt=".0f", vmin=0, vmax=100, cmap="RdYlGn", square=False,
                annot_kws={"fontsize": 9}, cbar_kws={"label": label("fig_row_above_column", language), "shrink": 0.8})
    ax.set_xticklabels(ax.get_xticklabels(), rotation=40, ha="right", fontsize=8)
    ax.set_yticklabels(ax.get_yticklabels(), rotation=0, fontsize=8)
    ax.set_xlabel("")
    ax.set_ylabel("")
    if title:
        ax.set_title(title)
    return fig


def sweep_figure(sweep: pd.DataFrame, criteria: list[str] | None = None, labels: Mapping[str, str] | None = None,
                 criterion_labels: Mapping[str, str] | None = None, col_wrap: int = 3, language: str = "en") -> Figure:
    """Rank of every option against each swept weight (one panel per criterion; dotted line = weight now)."""
    crits = criteria or list(dict.fromkeys(sweep["criterion"]))
    k = len(crits)
    cols = min(col_wrap, k)
    rows = int(np.ceil(k / cols))
    fig = Figure(figsize=(3.6 * cols, 2.8 * rows + 0.8), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, cols, sharey=True, squeeze=False)).ravel()
    options = list(dict.fromkeys(sweep["option"]))
    palette = dict(zip(options, sns.color_palette("tab10", len(options)), strict=True))
    m = len(options)
    for ax, c in zip(axes, crits, strict=False):  # the grid may have more panels than criteria
        d = sweep[sweep["criterion"] == c]
        sns.lineplot(data=d, x="weight", y="rank", hue="option", hue_order=options, palette=palette, ax=ax,
                     drawstyle="steps-post", legend=False, linewidth=1.6)
        ax.axvline(float(d["current"].iloc[0]), color="grey", linestyle=":", linewidth=1)
        ax.set_title(criterion_labels.get(c, c) if criterion_labels else c, fontsize=9)
        ax.set_xlim(0, 1)
        ax.set_ylim(m + 0.5, 0.5)
        ax.set_yticks(range(1, m + 1))
        ax.set_xlabel(label("fig_weight", language))
        ax.set_ylabel(label("fig_rank", language))
    for ax in axes[k:]:
        ax.set_visible(False)
    handles = [Line2D([], [], color=palette[o], linewidth=2) for o in options]
    fig.legend(handles, _labels(options, labels), loc="outside lower center", ncol=min(4, m), frameon=False, fontsize=8)
    return fig


def tornado_figure(tornado: pd.DataFrame, option: str | None = None, top: int = 12,
                   criterion_labels: Mapping[str, str] | None = None, title: str | None = None,
                   labels: Mapping[str, str] | None = None, language: str = "en") -> Figure:
    """Tornado of one option's score (default the leader) with each of its scores at low and at high."""
    if option is None:
        option = tornado.sort_values("base_rank", kind="stable")["option"].iloc[0]
    d = tornado[tornado["option"] == option].sort_values("swing", ascending=False, kind="stable").head(top)
    base = float(d["base_score"].iloc[0]) if len(d) else 0.0
    fig = Figure(figsize=(7, 0.4 * max(len(d), 1) + 1.4), layout="constrained")
    ax = fig.subplots()
    names = [criterion_labels.get(c, c) if criterion_labels else c for c in d["criterion"]]
    lo_col, hi_col = sns.color_palette("RdBu", 2)
    y = np.arange(len(d))
    ax.barh(y, d["score_at_low"] - base, left=base, color=lo_col, label=label("fig_score_at_low", language))
    ax.barh(y, d["score_at_high"] - base, left=base, color=hi_col, label=label("fig_score_at_high", language), alpha=0.85)
    ax.axvline(base, color="black", linewidth=1)
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    name = labels.get(option, option) if labels else option
    ax.set_xlabel(label("fig_score_of", language).format(option=name))
    ax.set_title(title or label("fig_what_moves", language).format(option=name))
    # below the axes, not inside them: inside it covered the last bars (issue 25, the PDF's page 27)
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncol=2, frameon=False, fontsize=8)
    sns.despine(fig=fig, left=True)
    return fig


def central_weights_figure(central_weights: pd.DataFrame, labels: Mapping[str, str] | None = None,
                           criterion_labels: Mapping[str, str] | None = None, language: str = "en") -> Figure:
    """Central weight vectors as a heat map (options that can win × criteria)."""
    cw = central_weights.dropna(how="all")
    fig = Figure(figsize=(1.5 + 0.7 * cw.shape[1], 0.5 * len(cw) + 1.8), layout="constrained")
    ax = fig.subplots()
    data = cw.copy()
    data.index = _labels(cw.index, labels)
    data.columns = [criterion_labels.get(c, c) if criterion_labels else c for c in cw.columns]
    annot = data.map(lambda v: fmt.number(v, language, 2)).to_numpy()  # decimal comma in bokmål
    sns.heatmap(data, ax=ax, annot=annot, fmt="", cmap="Blues", cbar_kws={"label": label("fig_central_weight", language)})
    return fig
