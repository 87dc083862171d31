"""The Monte Carlo draws: random streams keyed by ids, common random numbers, copula, three-point inverses.

The same inputs in any row order give the same draws, to the last bit:

* **Random streams are keyed by ids**, not by row positions. Every option and
  category (and year, when years are drawn apart) has its own generator,
  ``numpy.random.SeedSequence(seed, spawn_key=(tag, h(option), h(category)[,
  h(year)]))``, where ``h`` is :func:`stable_hash`: the first 8 bytes of the
  SHA-256 of the id's text (never Python's salted ``hash()``). Adding or
  removing an option leaves the draws of every other option as they were.
* **Common random numbers**: a second set of streams keyed by :data:`COMMON` is
  shared by every option, so the same draw of a shared uncertainty drives every
  option and the 0-alternative (:class:`Streams`).

A three-point estimate ``(a, c, b)`` is ``a + (b - a) X`` with X on [0, 1]
(:class:`StandardInverse`: triangular in closed form, PERT tabulated); rows that
share a draw and a standardised shape are summed before sampling
(:func:`group_rows`, exact). :class:`BlockEngine` draws every simulated column in
blocks of :data:`CHUNK` samples, the same numbers in every pass, and
:class:`Moments` sums what one pass needs for means and probabilities.

Read next: :mod:`procurement.cba.percentiles` (exact percentiles without keeping the
draws), then :mod:`procurement.cba.simulation`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import special
from tqdm import tqdm

from procurement.case.cashflows import CATEGORIES, COST_CATEGORIES
from procurement.case.errors import InputError, Problem, ProblemList
from procurement.cba.model import LINEAR_MEASURES, LinearModel

#: Samples per chunk in the simulation; fixed so that results do not depend on memory.
CHUNK = 8192
#: Points of the tabulated inverse of a PERT distribution.
PERT_GRID = 1025
#: Number of bytes of SHA-256 kept by :func:`stable_hash`.
HASH_BYTES = 8


def _correlation_pairs(correlation: float | Mapping[tuple[str, str], float] | pd.DataFrame) -> dict[tuple[str, str], float]:
    """Rank correlation per ordered pair of categories, from a number, a mapping or a matrix."""
    if isinstance(correlation, pd.DataFrame):
        return {(a, b): correlation.loc[a, b] for a in correlation.index for b in correlation.columns if a != b}
    if isinstance(correlation, Mapping):
        return dict(correlation)
    return {(a, b): float(correlation) for a in COST_CATEGORIES for b in COST_CATEGORIES if a != b}


def correlation_matrix(correlation: float | Mapping[tuple[str, str], float] | pd.DataFrame | None) -> np.ndarray | None:
    """The Gaussian-copula correlation between categories for a given rank correlation.

    Parameters
    ----------
    correlation : float, mapping, DataFrame or None
        Spearman rank correlation between categories. A number applies to every
        pair of cost categories (benefits stay independent); a mapping
        ``{("investment", "benefit"): -0.3, ...}`` sets pairs; a DataFrame
        indexed and labelled by category gives the full matrix. None or 0 =
        independent.

    Returns
    -------
    numpy.ndarray or None
        The Cholesky factor L (4 x 4, in :data:`CATEGORIES` order) of the
        normal correlation ``2 sin(pi rho_s / 6)``, or None for independence.

    Raises
    ------
    InputError
        A value outside [-1, 1], an unknown category, or a matrix that is not
        positive definite (key ``correlation``).
    """
    if correlation is None:
        return None
    k = len(CATEGORIES)
    rank = np.eye(k)
    problems = ProblemList()
    for (a, b), v in _correlation_pairs(correlation).items():
        if a not in CATEGORIES or b not in CATEGORIES:
            problems.add("correlation", f"pair ({a}, {b})", "unknown category", f"categories: {', '.join(CATEGORIES)}")
            continue
        if not -1 <= float(v) <= 1:
            problems.add("correlation", f"pair ({a}, {b})", f"rank correlation {v} is outside [-1, 1]")
            continue
        i, j = CATEGORIES.index(a), CATEGORIES.index(b)
        rank[i, j] = rank[j, i] = float(v)
    problems.raise_if_any()
    if np.allclose(rank, np.eye(k)):
        return None
    normal = 2 * np.sin(np.pi * rank / 6)
    np.fill_diagonal(normal, 1.0)
    try:
        return np.linalg.cholesky(normal)
    except np.linalg.LinAlgError:
        raise InputError(
            Problem("correlation", "matrix", "the rank correlations are not consistent (not positive definite)",
                    "lower the largest values")
        ) from None


def stable_hash(text: str) -> int:
    """A hash of an id that is the same in every process and on every machine.

    The first :data:`HASH_BYTES` bytes of the SHA-256 of the UTF-8 text, as an
    unsigned integer. Python's ``hash()`` of a string is salted per process,
    so it must never key a random stream.
    """
    return int.from_bytes(hashlib.sha256(str(text).encode("utf-8")).digest()[:HASH_BYTES], "big")


#: First element of every stream key of :func:`simulate`, so its streams differ from any other use of the seed.
# The text is the module this code first lived in; it stays, as every draw depends on it.
STREAM_TAG = stable_hash("procurement.cba.r109.simulate")


def stream_key(option: str, category: str, year: int | None = None) -> tuple[int, ...]:
    """The ``spawn_key`` of the random stream of one option and category (and year, when years are drawn apart)."""
    key = (STREAM_TAG, stable_hash(option), stable_hash(category))
    return key if year is None else (*key, stable_hash(str(int(year))))


#: Stream id shared by every option: the common random numbers of :func:`simulate`.
COMMON = "\x00common"


class Streams:
    """Standard normal draws, one generator per block (option, or option and year) and category.

    Each generator is seeded from the seed and its :func:`stream_key`, and
    draws its values in sequence, so the first n draws of a run of any length
    are those of a run of n draws. With common random numbers (``common`` > 0)
    a second set of streams keyed by :data:`COMMON` (and the year) is shared by
    every option: a block's normal is ``sqrt(1 - common) z_own + sqrt(common)
    z_common``, still standard normal; with ``common == 1`` the blocks are the
    common streams themselves (see :func:`draw_blocks`).
    """

    def __init__(self, entropy: Any, blocks: list[tuple[str, int | None]], common: float = 0.0):
        def gens(option: str, year: int | None) -> list[np.random.Generator]:
            return [np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=stream_key(option, c, year)))
                    for c in CATEGORIES]

        self.generators = [gens(option, year) for option, year in blocks]
        self.mix = 0.0 < common < 1.0
        if self.mix:
            years = sorted({y for _, y in blocks}, key=lambda y: -1 if y is None else y)
            self.shared = [gens(COMMON, y) for y in years]
            self.to_shared = np.array([years.index(y) for _, y in blocks], dtype=int)
            self.own_scale, self.shared_scale = np.sqrt(1.0 - common), np.sqrt(common)

    @staticmethod
    def _draw(generators: list[list[np.random.Generator]], n: int) -> np.ndarray:
        z = np.empty((len(generators), len(CATEGORIES), n))
        for b, row in enumerate(generators):
            for c, gen in enumerate(row):
                gen.standard_normal(out=z[b, c])
        return z

    def normals(self, n: int) -> np.ndarray:
        """The next n draws of every block and category: shape (blocks, categories, n)."""
        z = self._draw(self.generators, n)
        if self.mix:
            z = self.own_scale * z + self.shared_scale * self._draw(self.shared, n)[self.to_shared]
        return z


class StandardInverse:
    """Inverse distribution functions of standardised three-point estimates on [0, 1].

    A three-point estimate (a, c, b) is ``a + (b - a) X`` where X lies on
    [0, 1] with mode ``m = (c - a) / (b - a)``. Triangular: the closed-form
    inverse. PERT (beta with shapes ``1 + 4 m`` and ``1 + 4 (1 - m)``): the
    inverse beta function is slow, so it is tabulated once per distinct mode
    on :data:`PERT_GRID` points and interpolated linearly (error far below
    the Monte Carlo error).
    """

    def __init__(self, mode: np.ndarray, distribution: str):
        self.distribution = distribution
        if distribution == "pert":
            modes, shape = np.unique(mode, return_inverse=True)
            self.shape = shape.reshape(-1, 1)
            grid = np.linspace(0.0, 1.0, PERT_GRID)
            self.table = special.betaincinv(1 + 4 * modes[:, None], 1 + 4 * (1 - modes[:, None]), grid[None, :])
            self.table[:, 0], self.table[:, -1] = 0.0, 1.0
        else:
            self.mode = mode.reshape(-1, 1)
            self.k_right = 1.0 - self.mode

    def __call__(self, u: np.ndarray) -> np.ndarray:
        """Standardised amounts for uniform draws ``u`` of shape (G, S): one row per estimate shape."""
        if self.distribution == "pert":
            pos = u * (PERT_GRID - 1)
            i = np.minimum(pos.astype(np.intp), PERT_GRID - 2)
            frac = pos - i
            lo = self.table[self.shape, i]
            return lo + frac * (self.table[self.shape, i + 1] - lo)
        left = u < self.mode
        v = np.where(left, u * self.mode, (1.0 - u) * self.k_right)
        np.sqrt(v, out=v)
        return np.where(left, v, 1.0 - v)


def draw_blocks(model: LinearModel, years_together: bool, common: float = 0.0) -> tuple[np.ndarray, list[tuple[str, int | None]]]:
    """Per row its draw block, and per block its stream id and year (None when years move together).

    Blocks are per option (and year), sorted by (option, year), from the
    canonical option indices; with fully common random numbers
    (``common == 1``) every option shares the blocks of :data:`COMMON`.
    """
    years = model.rows["year"].to_numpy(dtype=int)
    if common >= 1.0:
        keys = np.zeros((len(model.rows), 1), dtype=int) if years_together else years[:, None]
        uniq, block = np.unique(keys, axis=0, return_inverse=True)
        return block.ravel(), [(COMMON, None if years_together else int(u[0])) for u in uniq]
    keys = model.option_index[:, None]
    if not years_together:
        keys = np.column_stack([model.option_index, years])
    uniq, block = np.unique(keys.reshape(len(model.rows), -1), axis=0, return_inverse=True)
    ids = [(model.options[int(u[0])], None if years_together else int(u[1])) for u in uniq]
    return block.ravel(), ids


@dataclass
class Grouped:
    """Rows that share a draw (block and category) and a standardised shape (mode), summed.

    The sum of such rows is ``sum(w a) + X * sum(w (b - a))``, so grouping them is
    exact and saves work when estimates are spread over years in the same proportions.
    """

    const: np.ndarray  # (K,) sum of w a over all rows, per simulated column
    scaled: np.ndarray  # (G, K) sum of w (b - a) per group
    block: np.ndarray  # (G,) block of each group
    category: np.ndarray  # (G,) category index of each group
    mode: np.ndarray  # (G,) standardised mode of each group

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Lowest and highest value each column can take (every X in [0, 1])."""
        return self.const + np.minimum(self.scaled, 0).sum(axis=0), self.const + np.maximum(self.scaled, 0).sum(axis=0)


def group_rows(model: LinearModel, block: np.ndarray, zero: int | None = None) -> Grouped:
    """Group the rows; with a 0-alternative (canonical index) add one ΔNPV column per option."""
    a, c, b = (model.rows[k].to_numpy(dtype=float) for k in ("low", "likely", "high"))
    span = b - a
    mode = np.round(np.divide(c - a, span, out=np.full_like(span, 0.5), where=span > 0), 12)
    keys = np.column_stack([block, model.category_index, mode])
    groups, group = np.unique(keys.reshape(len(model.rows), 3), axis=0, return_inverse=True)
    # column m * O + o of `scaled` and `const`: measure m of option o (each row adds to its own option only)
    o, m = len(model.options), len(LINEAR_MEASURES)
    scaled = np.zeros((len(groups), m * o))
    cols = np.arange(m)[None, :] * o + model.option_index[:, None]  # (R, M)
    np.add.at(scaled, (group.ravel()[:, None], cols), span[:, None] * model.weights)
    const = model.aggregate(a[None, :])[0].reshape(m * o)
    if zero is not None:
        o = len(model.options)
        npv = slice(LINEAR_MEASURES.index("npv") * o, (LINEAR_MEASURES.index("npv") + 1) * o)
        const = np.concatenate([const, const[npv] - const[npv][zero]])
        scaled = np.column_stack([scaled, scaled[:, npv] - scaled[:, npv][:, [zero]]])
    return Grouped(const, scaled, groups[:, 0].astype(int), groups[:, 1].astype(int), groups[:, 2])


@dataclass
class BlockEngine:
    """Draws the simulated columns block by block; every pass over the blocks draws the same numbers."""

    entropy: Any  # numpy.random.SeedSequence entropy (int or sequence of int)
    ids: list[tuple[str, int | None]]
    common: float
    grouped: Grouped
    inverse: StandardInverse
    chol: np.ndarray | None
    samples: int
    progress: bool = False

    def chunks(self) -> Iterator[tuple[int, int, np.ndarray]]:
        """``(lo, hi, x)``: samples lo..hi of every column, shape (hi - lo, K), in blocks of :data:`CHUNK`."""
        streams = Streams(self.entropy, self.ids, self.common)
        g = self.grouped
        bar = None
        if self.progress:
            bar = tqdm(total=self.samples, unit="sample", desc="Monte Carlo", leave=False, disable=None)
        for lo in range(0, self.samples, CHUNK):
            hi = min(self.samples, lo + CHUNK)
            z = streams.normals(hi - lo)  # (blocks, categories, n)
            if self.chol is not None:
                z = self.chol @ z
            u = special.ndtr(z)[g.block, g.category]  # (groups, n)
            yield lo, hi, g.const + self.inverse(u).T @ g.scaled
            if bar is not None:
                bar.update(hi - lo)
        if bar is not None:
            bar.close()


class Columns:
    """Where each measure's options sit among the simulated columns (canonical option order)."""

    def __init__(self, measures: Sequence[str], options: int, admissible: np.ndarray | None = None):
        self.measures, self.o = list(measures), options
        #: which options (canonical order) may be best: P(best) is counted among them only (None: all)
        self.admissible = admissible

    def __call__(self, measure: str) -> slice:
        j = self.measures.index(measure)
        return slice(j * self.o, (j + 1) * self.o)


class Moments:
    """Sums and counts of one pass over the blocks: means and probabilities."""

    def __init__(self, cols: Columns, k: int):
        o = cols.o
        self.cols, self.sums = cols, np.zeros(k)
        self.npv_pos, self.inc_pos, self.cheapest, self.best = (np.zeros(o) for _ in range(4))
        self.low, self.high = np.full(k, np.inf), np.full(k, -np.inf)

    def add(self, x: np.ndarray) -> None:
        c = self.cols
        self.sums += x.sum(axis=0)
        np.minimum(self.low, x.min(axis=0), out=self.low)
        np.maximum(self.high, x.max(axis=0), out=self.high)
        npv = x[:, c("npv")]
        self.npv_pos += (npv > 0).sum(axis=0)
        if "incremental_npv" in c.measures:
            self.inc_pos += (x[:, c("incremental_npv")] > 0).sum(axis=0)
        best = -npv
        if c.admissible is not None:  # an option screened out cannot be the best
            best = np.where(c.admissible[None, :], best, np.inf)
        for acc, v in ((self.cheapest, x[:, c("pv_costs")]), (self.best, best)):
            low = v == v.min(axis=1, keepdims=True)
            acc += (low / low.sum(axis=1, keepdims=True)).sum(axis=0)
