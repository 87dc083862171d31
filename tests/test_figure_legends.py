"""No legend covers data (issue 25: the tornado's legend covered a bar in the PDF). Drawn with matplotlib's own layout
and compared as boxes on the canvas."""

from __future__ import annotations

from pathlib import Path

import procurement as pw
from procurement.plots.sensitivity import tornado_figure

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "national-municipal-solution"


def _overlaps(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def test_the_tornado_legend_covers_no_bar():
    analysis = pw.Analysis(pw.load_case(EXAMPLE), "default")
    fig = tornado_figure(analysis.tornado().table, language="nb")
    fig.canvas.draw()
    legends = [lg.get_window_extent() for lg in fig.legends] + [
        ax.get_legend().get_window_extent() for ax in fig.axes if ax.get_legend() is not None]
    bars = [patch.get_window_extent() for ax in fig.axes for patch in ax.patches]
    assert legends and bars
    assert not [b for b in bars for lg in legends if _overlaps(b, lg)]


def test_no_legend_over_bars_that_fill_the_width():
    """A hand-made tornado whose every bar spans the whole axis: any legend inside the axes would cover one."""
    import pandas as pd

    rows = [{"option": "a", "criterion": f"c{i}", "base_score": 0.5, "base_rank": 1, "score_at_low": 0.0,
             "score_at_high": 1.0, "swing": 1.0 - i / 100} for i in range(6)]
    fig = tornado_figure(pd.DataFrame(rows), language="en")
    fig.canvas.draw()
    legends = [lg.get_window_extent() for lg in fig.legends] + [
        ax.get_legend().get_window_extent() for ax in fig.axes if ax.get_legend() is not None]
    bars = [patch.get_window_extent() for ax in fig.axes for patch in ax.patches]
    assert legends and len(bars) == 12
    assert not [b for b in bars for lg in legends if _overlaps(b, lg)]
