"""Exact percentiles of the simulated columns without keeping the draws: passes over the same blocks.

When the draws of a simulation do not fit in memory (:data:`procurement.cba.simulation.KEEP_BYTES`),
means and probabilities are summed block by block (:class:`procurement.cba.draws.Moments`)
and every percentile is found exactly in further passes over the same blocks (the
streams are re-created, so each pass draws the same numbers):

1. :func:`first_pass` counts each percentile column in :data:`BINS` bins between the
   lowest and highest value it can take (``bin = floor((x - lo) * scale)``, the same
   arithmetic in every pass, :class:`Binning`);
2. the bins that hold the wanted order statistics become :class:`Window` s; when their
   values would not fit in ``collect_bytes``, :func:`refine_pass` splits each window
   into :data:`BINS` sub-windows by value and counts again (at most :data:`MAX_REFINE`
   times);
3. :func:`collect_pass` collects the values of the windows and sorts them;
   :func:`numpy_percentile` reads the percentiles with numpy's own arithmetic.

The result equals ``numpy.percentile`` of the kept draws, to the bit (tested).
S-curves without kept draws are read from the first pass's histogram
(:func:`s_curve_points`; close enough for a figure).

Read next: :mod:`procurement.cba.simulation`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from procurement.case.errors import InputError, Problem
from procurement.cba.draws import BlockEngine, Columns, Moments

#: Bytes :func:`procurement.cba.simulation.simulate` may use to collect the values near each percentile in the block passes.
COLLECT_BYTES = 256 * 2**20
#: Bins of each histogram pass that narrows the window around a percentile.
BINS = 4096
#: Histogram passes allowed before the values near a percentile must fit in :data:`COLLECT_BYTES`.
MAX_REFINE = 3


def numpy_percentile(sorted_at: Any, n: int, ps: Sequence[float]) -> np.ndarray:
    """``numpy.percentile`` (method 'linear') from a function giving the k-th smallest value(s).

    The same arithmetic as numpy: virtual index ``q (n - 1)``, and the
    interpolation ``a + (b - a) g`` (``b - (b - a)(1 - g)`` when ``g >= 0.5``).
    """
    q = np.true_divide(np.asarray(ps, dtype=float), 100)
    virtual = q * (n - 1)
    prev = np.floor(virtual).astype(np.intp)
    nxt = np.minimum(prev + 1, n - 1)
    gamma = virtual - prev
    a, b = sorted_at(prev), sorted_at(nxt)
    d = b - a
    return np.where(gamma >= 0.5, b - d * (1 - gamma), a + d * gamma)


def percentile_ranks(n: int, ps: Sequence[float]) -> np.ndarray:
    """The 0-based order statistics ``numpy.percentile`` reads for ``ps`` of ``n`` values."""
    virtual = np.true_divide(np.asarray(ps, dtype=float), 100) * (n - 1)
    prev = np.floor(virtual).astype(np.intp)
    return np.unique(np.concatenate([prev, np.minimum(prev + 1, n - 1)]))


@dataclass
class Binning:
    """Fixed bins of one column between the lowest and highest value it can take: ``bin = floor((x - lo) * scale)``.

    Every pass computes a value's bin with the same arithmetic, so a value
    falls in the same bin in every pass (no comparison with rounded edges).
    """

    lo: np.ndarray  # (P,)
    scale: np.ndarray  # (P,) BINS / (hi - lo), 0 for a constant column

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Bins of values ``x`` of shape (n, P): int array (n, P)."""
        b = np.floor((x - self.lo) * self.scale)
        np.clip(b, 0, BINS - 1, out=b)
        return b.astype(np.intp)

    def edges(self, j: int) -> np.ndarray:
        """Approximate inner edges of column j's bins (for S-curves only)."""
        if self.scale[j] == 0:
            return np.empty(0)
        return self.lo[j] + np.arange(1, BINS) / self.scale[j]


@dataclass
class Window:
    """Values of column ``col`` (position ``pos`` among the percentile columns) in bin ``bin`` with
    ``lo <= x < hi``: ``count`` of them, ``below`` values of the column lower."""

    col: int
    pos: int
    bin: int
    lo: float
    hi: float
    count: int
    below: int

    def members(self, x: np.ndarray, bins: np.ndarray) -> np.ndarray:
        v = x[:, self.col]
        mask = bins[:, self.pos] == self.bin
        if np.isfinite(self.lo) or np.isfinite(self.hi):
            mask &= (v >= self.lo) & (v < self.hi)
        return v[mask]

    def holds(self, rank: int) -> bool:
        return self.below <= rank < self.below + self.count


def refine_pass(engine: BlockEngine, binning: Binning, cols: list[int], windows: list[Window], low: np.ndarray,
                 high: np.ndarray) -> list[Window]:
    """One pass: split every window into :data:`BINS` sub-windows by value and count the values in each."""
    inner = []
    for w in windows:
        lo = max(w.lo, low[w.col], binning.lo[w.pos] + w.bin / binning.scale[w.pos] if binning.scale[w.pos] else low[w.col])
        hi = min(w.hi, float(np.nextafter(high[w.col], np.inf)))
        e = np.linspace(lo, hi, BINS + 1)[1:-1]
        inner.append(e[(e > w.lo) & (e < w.hi)])
    counts = [np.zeros(len(e) + 1, dtype=np.int64) for e in inner]
    for _, _, x in engine.chunks():
        bins = binning(x[:, cols])
        for w, e, cnt in zip(windows, inner, counts, strict=True):
            cnt += np.bincount(np.searchsorted(e, w.members(x, bins), side="right"), minlength=len(cnt))
    out = []
    for w, e, cnt in zip(windows, inner, counts, strict=True):
        edges = np.concatenate([[w.lo], e, [w.hi]])
        before = w.below + np.concatenate([[0], np.cumsum(cnt)[:-1]])
        out += [Window(w.col, w.pos, w.bin, float(edges[i]), float(edges[i + 1]), int(cnt[i]), int(before[i]))
                for i in range(len(cnt)) if cnt[i]]
    return out


def collect_pass(engine: BlockEngine, binning: Binning, cols: list[int], windows: list[Window]) -> list[np.ndarray]:
    """One pass: the values of every window, sorted."""
    parts: list[list[np.ndarray]] = [[] for _ in windows]
    for _, _, x in engine.chunks():
        bins = binning(x[:, cols])
        for w, p in zip(windows, parts, strict=True):
            p.append(w.members(x, bins))
    return [np.sort(np.concatenate(p)) if p else np.empty(0) for p in parts]


def _holding(windows: list[Window], wanted: dict[int, np.ndarray]) -> list[Window]:
    """The windows that hold a wanted rank of their column."""
    return [w for w in windows if any(w.holds(int(r)) for r in wanted[w.col])]


def order_statistics(engine: BlockEngine, binning: Binning, cols: list[int], wanted: dict[int, np.ndarray],
                      first: list[Window], low: np.ndarray, high: np.ndarray, collect_bytes: int) -> dict[int, dict[int, float]]:
    """The k-th smallest value of each column for the ranks in ``wanted`` (column -> ranks), found in passes.

    Value passes narrow the window around each rank until the values in the
    windows fit in ``collect_bytes``; a last pass collects and sorts them.
    """
    active = first
    for level in range(MAX_REFINE + 1):
        need = 8 * sum(w.count for w in active)
        if need <= collect_bytes:
            out: dict[int, dict[int, float]] = {}
            for w, v in zip(active, collect_pass(engine, binning, cols, active), strict=True):
                for r in wanted[w.col]:
                    if w.holds(int(r)):
                        out.setdefault(w.col, {})[int(r)] = float(v[int(r) - w.below])
            return out
        if level == MAX_REFINE:
            break
        active = _holding(refine_pass(engine, binning, cols, active, low, high), wanted)
    raise InputError(Problem(
        "samples", "", f"{engine.samples} samples need about {_size(need)} to find the percentiles exactly "
        f"(limit {_size(collect_bytes)})", "use fewer samples or a larger max_memory"))


def _size(n: float) -> str:
    """Bytes in MB (kB below 1 MB), for messages."""
    return f"{n / 2**20:,.1f} MB" if n >= 2**20 else f"{n / 2**10:,.1f} kB"


def first_pass(engine: BlockEngine, cols: Columns, k: int, pct_cols: list[int], keep: bool
                ) -> tuple[Moments, np.ndarray | None, Binning, np.ndarray]:
    """Moments of every column, the kept draws (if ``keep``) and bin counts of each percentile column, shape (P, BINS)."""
    moments = Moments(cols, k)
    kept = np.empty((engine.samples, k)) if keep else None
    lo_b, hi_b = engine.grouped.bounds()
    lo, hi = lo_b[pct_cols], hi_b[pct_cols]
    span = hi - lo
    binning = Binning(lo, np.divide(BINS, span, out=np.zeros_like(span), where=span > 0))
    offsets = np.arange(len(pct_cols)) * BINS
    counts = np.zeros(len(pct_cols) * BINS, dtype=np.int64)
    for lo_i, hi_i, x in engine.chunks():
        moments.add(x)
        if kept is not None:
            kept[lo_i:hi_i] = x
        else:
            counts += np.bincount((binning(x[:, pct_cols]) + offsets).ravel(), minlength=len(counts))
    return moments, kept, binning, counts.reshape(len(pct_cols), BINS)


def blocked_percentiles(engine: BlockEngine, cols: Columns, moments: Moments, binning: Binning, counts: np.ndarray,
                        pct_cols: list[int], collect_bytes: int,
                        measures: Mapping[str, tuple[float, ...]]) -> dict[str, np.ndarray]:
    """Percentiles ``measures`` (measure -> percentiles) per canonical option, from the block passes."""
    n = engine.samples
    wanted: dict[int, np.ndarray] = {}
    first: list[Window] = []
    for pos, j in enumerate(pct_cols):
        if moments.low[j] == moments.high[j]:
            continue  # a constant column: every percentile is that value
        m = next(m for m in measures if m in cols.measures and cols(m).start <= j < cols(m).stop)
        wanted[j] = percentile_ranks(n, measures[m])
        cum = np.cumsum(counts[pos])
        for b in sorted({int(np.searchsorted(cum, r, side="right")) for r in wanted[j]}):
            first.append(Window(j, pos, b, -np.inf, np.inf, int(counts[pos, b]), int(cum[b] - counts[pos, b])))
    found = order_statistics(engine, binning, pct_cols, wanted, first, moments.low, moments.high, collect_bytes)
    out = {}
    for m, ps in measures.items():
        if m not in cols.measures:
            continue
        rows = []
        for j in range(cols(m).start, cols(m).stop):
            if j not in wanted:
                rows.append(np.full(len(ps), moments.low[j]))
                continue
            col = found[j]
            rows.append(numpy_percentile(lambda r, col=col: np.array([col[int(i)] for i in r]), n, ps))
        out[m] = np.array(rows)  # (options, len(ps))
    return out


def s_curve_points(e: np.ndarray, cnt: np.ndarray, low: float, high: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Values and cumulative probabilities of a histogram (for S-curves without kept draws)."""
    x = np.clip(np.concatenate([[low], e, [high]]), low, high)
    return x, np.concatenate([[0.0], np.cumsum(cnt)]) / n
