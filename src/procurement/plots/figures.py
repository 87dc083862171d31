"""General report figures drawn with seaborn: pure functions from tables to Figures.

* :func:`decision_matrix_heatmap` – options × criteria, coloured by how good
  each score is on its criterion (0 = worst option, 1 = best), annotated with
  the score itself.
* :func:`ranks_by_method` – one line per option across the ranking methods,
  rank 1 at the top: where methods agree the lines run flat.
* :func:`stakeholder_weights` – each stakeholder group's criterion weights
  side by side.

Every function takes a DataFrame with labels already in the report language
and returns a :class:`matplotlib.figure.Figure`; nothing is shown or saved
here. Analysis-specific figures live beside their analysis
(``sensitivity_figures``, ``cba``, ``timeline``).
"""

from __future__ import annotations

import re
import textwrap

import matplotlib.pyplot as plt
from matplotlib.ticker import Formatter, ScalarFormatter
import numpy as np
import pandas as pd
import seaborn as sns

from procurement.text import fmt
from procurement.text.labels import label


def _annotation(v: float, language: str) -> str:
    """A heat-map cell: whole numbers from 100 up, else up to two decimals, in the report language."""
    if abs(v) >= 100 or float(v).is_integer():
        return fmt.number(v, language, 0)
    return fmt.number(v, language, 1 if round(v, 1) == round(v, 2) else 2)


class LocaleFormatter(Formatter):
    """Tick labels in the report language (decimal comma in bokmål), with as many decimals as the tick step needs."""

    def __init__(self, language: str, percent: bool = False):
        super().__init__()
        self.language = language
        self.percent = percent
        self._decimals = 0

    def set_locs(self, locs) -> None:
        super().set_locs(locs)
        values = np.asarray(locs, dtype=float) * (100 if self.percent else 1)
        # the fewest decimals (up to 3) that write every tick exactly: 0.25 steps need 2, 0.2 steps 1
        self._decimals = next((d for d in range(4) if np.allclose(values * 10**d, np.round(values * 10**d), atol=1e-6)), 3)

    def __call__(self, x, pos=None) -> str:
        if self.percent:
            return fmt.percent(x, self.language, self._decimals)
        return fmt.number(0.0 if abs(x) < 1e-12 else x, self.language, self._decimals)


def localise(fig, language: str):
    """`fig` with every numeric axis (colour bars too) labelled through :mod:`procurement.text.fmt`.

    Only axes that still have matplotlib's default number formatter change: category axes, dates and
    axes a figure formatted on purpose keep theirs. Returns `fig`.
    """
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if type(axis.get_major_formatter()) is ScalarFormatter:
                axis.set_major_formatter(LocaleFormatter(language))
    return fig


def describe(fig, language: str = "nb") -> str:
    """A text alternative for `fig`: its titles, what each axis shows and the categories it compares."""
    nb = language != "en"
    parts: list[str] = []
    for ax in fig.axes:
        title = ax.get_title() or (fig._suptitle.get_text() if fig._suptitle else "")
        bits = []
        if title:
            bits.append(title)
        for name, text in ((("x-akse" if nb else "x axis"), ax.get_xlabel()), (("y-akse" if nb else "y axis"), ax.get_ylabel())):
            if text:
                bits.append(f"{name}: {text}")
        # the axes' own legend, else the figure's (placed outside the axes so it covers no data)
        for legend in [ax.get_legend()] if ax.get_legend() is not None else list(getattr(fig, "legends", []))[:1]:
            entries = [t.get_text() for t in legend.get_texts()][:12]
            head = legend.get_title().get_text() or ("forklaring" if nb else "legend")
            if entries:
                bits.append(f"{head}: {', '.join(entries)}")
        ticks = [t.get_text() for t in ax.get_yticklabels() if t.get_text() and not _numeric(t.get_text())][:12]
        if ticks:
            bits.append(("rader" if nb else "rows") + ": " + ", ".join(ticks))
        if bits:
            parts.append("; ".join(bits))
    lead = "Figur" if nb else "Figure"
    return f"{lead}: " + ". ".join(dict.fromkeys(parts)) if parts else lead


def _numeric(text: str) -> bool:
    return bool(re_number.fullmatch(text.replace("\u2212", "-").replace("\u00a0", "").replace(" ", "")))


re_number = re.compile(r"[-+]?[\d.,]+%?")


def set_theme() -> None:
    """The workbench's figure style (called once per notebook)."""
    sns.set_theme(context="notebook", style="whitegrid", palette="colorblind", font_scale=0.95)
    plt.rcParams.update({"figure.dpi": 100, "savefig.bbox": "tight", "figure.autolayout": False})


def _long(frame: pd.DataFrame, index: str, columns: str, value: str) -> pd.DataFrame:
    """One row per cell with columns `index`, `columns` and `value`, row by row as ``stack`` gives them."""
    stacked = frame.rename_axis(index=index, columns=columns).stack()
    assert isinstance(stacked, pd.Series)  # a frame with one column level stacks to a Series
    return stacked.rename(value).reset_index()


def _wrap(texts, width: int = 18) -> list[str]:
    """Each label on lines of about `width` characters, broken between words only (a word longer than `width` keeps
    its own line: "leverandørmark/ed" and "He/lseplattformen" were broken inside the word)."""
    return ["\n".join(textwrap.wrap(str(t), width, break_long_words=False)) or str(t) for t in texts]


def _longest_word(texts) -> int:
    return max((len(w) for t in texts for w in str(t).split()), default=0)


def normalised_scores(matrix: pd.DataFrame, objectives: pd.Series) -> pd.DataFrame:
    """Min-max scale each criterion over the options: 1 = best option, 0 = worst; 0.5 when all are equal."""
    lo, hi = matrix.min(), matrix.max()
    span = (hi - lo).replace(0, np.nan)
    up = (matrix - lo) / span
    obj = objectives.reindex(matrix.columns).fillna(1)
    out = up.where(obj > 0, 1 - up)
    return out.fillna(0.5)


def decision_matrix_heatmap(
    matrix: pd.DataFrame,
    objectives: pd.Series,
    option_labels: dict[str, str] | None = None,
    criterion_labels: dict[str, str] | None = None,
    language: str = "nb",
    title: str | None = None,
) -> plt.Figure:
    """Heatmap of the likely scores (options × criteria, ids as index/columns)."""
    norm = normalised_scores(matrix, objectives)
    rows = [(option_labels or {}).get(o, o) for o in matrix.index]
    cols = [(criterion_labels or {}).get(c, c) for c in matrix.columns]
    fig, ax = plt.subplots(figsize=(max(6, 1.15 * len(cols) + 3), max(3, 0.6 * len(rows) + 1.8)))
    annot = matrix.map(lambda v: _annotation(v, language)).to_numpy()
    sns.heatmap(
        norm.to_numpy(),
        annot=annot,
        fmt="",
        cmap="RdYlGn",
        vmin=0,
        vmax=1,
        linewidths=0.5,
        linecolor="white",
        cbar_kws={"label": label("normalised_score", language), "shrink": 0.8},
        xticklabels=_wrap(cols, 14),
        yticklabels=_wrap(rows, 30),
        ax=ax,
    )
    ax.set_xlabel("")
    ax.set_ylabel("")
    if _longest_word(cols) > 14:  # a word wider than its column would run into the next label: slant them all
        ax.set_xticks(ax.get_xticks(), _wrap(cols, 22), rotation=35, ha="right", rotation_mode="anchor", fontsize=8)
    else:
        ax.tick_params(axis="x", labelrotation=0, labelsize=8)
    ax.tick_params(axis="y", labelrotation=0)
    ax.set_title(title or label("decision_matrix", language))
    fig.tight_layout()
    return fig


def ranks_by_method(ranks: pd.DataFrame, language: str = "nb", title: str | None = None, x: str = "method") -> plt.Figure:
    """Bump chart of ranks: `ranks` has one row per option (labels as index) and one column per method.

    `x` names what the columns are (an i18n key: "method", or "stakeholder" for one column per group).
    """
    long = _long(ranks, "option", "method", "rank")
    n = len(ranks)
    fig, ax = plt.subplots(figsize=(max(6, 1.1 * ranks.shape[1] + 4), max(3.2, 0.45 * n + 1.5)))
    sns.lineplot(data=long, x="method", y="rank", hue="option", marker="o", markersize=9, linewidth=2, sort=False, ax=ax)
    ax.set_ylim(n + 0.5, 0.5)
    ax.set_yticks(range(1, n + 1))
    ax.set_xlabel(label(x, language))
    ax.set_xticks(range(ranks.shape[1]), _wrap(ranks.columns, 14), rotation=30, ha="right", fontsize=8)
    ax.set_ylabel(label("rank", language) + " (1 = " + label("best", language).lower() + ")")
    ax.legend(title=label("option", language), bbox_to_anchor=(1.02, 1), loc="upper left", frameon=False)
    ax.set_title(title or label("ranks_by_method", language))
    fig.tight_layout()
    return fig


#: Up to this many groups the stakeholder weights are grouped bars; beyond it, one box plot per criterion.
MAX_GROUP_BARS = 12


def stakeholder_weights(weights: pd.DataFrame, language: str = "nb", title: str | None = None) -> plt.Figure:
    """`weights` has one row per criterion (labels as index), one column per group.

    A few groups: grouped bars, one colour per group. Many groups (a panel of
    municipalities): one box plot per criterion with every group as a dot, so
    the spread of the panel shows instead of hundreds of bars.
    """
    long = _long(weights, "criterion", "group", "weight")
    many = weights.shape[1] > MAX_GROUP_BARS
    height = 0.55 * len(weights) + 1.5 if many else 0.55 * len(weights) * max(1, weights.shape[1] / 3) + 1.5
    fig, ax = plt.subplots(figsize=(8, max(3.5, height)))
    if many:
        sns.boxplot(data=long, y="criterion", x="weight", orient="h", color="#cfe0f3", fliersize=0, ax=ax)
        sns.stripplot(data=long, y="criterion", x="weight", orient="h", size=2, alpha=0.5, color="#1f5fa8", ax=ax)
    else:
        sns.barplot(data=long, y="criterion", x="weight", hue="group", orient="h", ax=ax)
        ax.legend(title=label("stakeholder", language), bbox_to_anchor=(1.02, 1), loc="upper left", frameon=False)
    ax.set_xlabel(label("weight", language))
    ax.set_ylabel("")
    ax.set_yticks(range(len(weights)), _wrap(weights.index, 28))
    ax.set_title(title or label("weights_by_stakeholder", language))
    fig.tight_layout()
    return fig


def weights_bar(weights: pd.Series, language: str = "nb", title: str | None = None) -> plt.Figure:
    """Horizontal bars of one set of weights (criterion labels as index)."""
    fig, ax = plt.subplots(figsize=(7, max(2.5, 0.4 * len(weights) + 1)))
    sns.barplot(x=weights.to_numpy(), y=_wrap(weights.index, 32), orient="h", color=sns.color_palette()[0], ax=ax)
    ax.set_xlabel(label("weight", language))
    ax.set_title(title or label("weights_used", language))
    fig.tight_layout()
    return fig
