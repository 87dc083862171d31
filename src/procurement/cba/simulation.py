"""The Monte Carlo simulation of the R-109 analysis: percentiles, means and probabilities per option.

:func:`simulate` draws every three-point cash-flow estimate (triangular or PERT; one
draw per category moves all its years together unless ``years_together=False``)
with common random numbers and an optional rank correlation between categories
(:mod:`procurement.cba.draws`), and applies the linear model
(:mod:`procurement.cba.model`) to each block of draws: ΔNPV is simulated as its own
linear column (``npv - npv(reference)`` per draw). It keeps the draws while they fit
in :data:`KEEP_BYTES`; beyond that every percentile is found exactly in passes over
the same blocks (:mod:`procurement.cba.percentiles`). The result,
:class:`Simulation`, gives P10/P50/P85/P90 of the investment estimate, the NPV, the
PV of costs and ΔNPV, P(NPV > 0), P(ΔNPV > 0), P(best) and P(cheapest), and
:func:`s_curve_data` the S-curves.

Seeded and reproducible whatever the row order of the input files (streams keyed by
ids, sums in a canonical order); the first n draws of a longer run equal a run of n.

Read next: :mod:`procurement.cba.case_flows` (a decision's cash flows from a loaded case).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from procurement.case.errors import InputError, Problem
from procurement.case.models import Scenario
from procurement.cba.discounting import Timeline
from procurement.cba.draws import BlockEngine, Columns, StandardInverse, correlation_matrix, draw_blocks, group_rows
from procurement.cba.model import LINEAR_MEASURES, build_model
from procurement.cba.npv import CbaResult
from procurement.cba.parameters import CbaParameters
from procurement.cba.percentiles import COLLECT_BYTES, blocked_percentiles, first_pass, s_curve_points

#: Seed used when none is given (the scenario's default), so that every run is reproducible.
DEFAULT_SEED: int = Scenario.model_fields["seed"].default
#: Samples used when none are given (the scenario's default).
DEFAULT_SAMPLES: int = Scenario.model_fields["samples"].default
#: Percentiles reported by the simulation.
PERCENTILES = (10, 50, 85, 90)
#: Bytes of samples :func:`simulate` keeps by default; beyond them statistics come from passes over blocks.
KEEP_BYTES = 256 * 2**20

#: Measures whose percentiles :func:`simulate` always computes (block passes need them named in advance).
PERCENTILE_MEASURES: dict[str, tuple[float, ...]] = {
    "investment": PERCENTILES,
    "npv": PERCENTILES,
    "pv_costs": (50, 85),
    "incremental_npv": PERCENTILES,
}


@dataclass
class Simulation:
    """Monte Carlo results of one decision (amounts in NOK).

    Attributes
    ----------
    options : list of str
    samples : dict of str to numpy.ndarray
        Per measure (``npv, pv_costs, investment, pv_benefits, residual_value,
        net_public_spending``, and ``incremental_npv`` when there is a
        0-alternative), the draws, shape (samples, options), options in the
        order given to :func:`simulate`. Empty when the samples were too many
        to keep (see :func:`simulate`); the statistics below are then computed
        in passes over blocks and equal those of the kept samples.
    seed : int or None
    distribution : str
    params : CbaParameters
    zero : str or None
    stats : dict
        ``mean`` (DataFrame, measure per column), ``p_npv_positive``,
        ``p_incremental_positive``, ``p_cheapest``, ``p_best`` (Series),
        ``percentiles`` (measure -> DataFrame) and, without kept samples,
        ``histograms`` for the S-curves.
    """

    options: list[str]
    samples: dict[str, np.ndarray]
    seed: int | None
    distribution: str
    params: CbaParameters
    zero: str | None = None
    timeline: Timeline | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)
    n_samples: int = 0

    @property
    def n(self) -> int:
        if self.n_samples:
            return self.n_samples
        return next(iter(self.samples.values())).shape[0]

    @property
    def kept(self) -> bool:
        """Whether the draws themselves were kept (else only their statistics)."""
        return bool(self.samples)

    def _need_samples(self, what: str) -> None:
        if not self.kept:
            raise InputError(Problem("samples", "", f"{what} needs the draws, and {self.n} samples were too many to keep",
                                     "use fewer samples or a larger max_memory"))

    def percentiles(self, measure: str, ps: Sequence[float] = PERCENTILES) -> pd.DataFrame:
        """Percentiles of a measure per option: columns ``P10, P50, ...``.

        ``Pxx`` is the value not exceeded with probability xx % (for a cost,
        P85 is the cost frame; for the NPV, P85 is the optimistic side).
        """
        cols = [f"P{p:g}" for p in ps]
        known = self.stats.get("percentiles", {}).get(measure)
        if known is not None and set(cols) <= set(known.columns):  # found by simulate: the same numbers, read once
            return known[cols].copy()
        if self.kept:
            q = np.percentile(self.samples[measure], ps, axis=0)
            return pd.DataFrame(q.T, index=pd.Index(self.options, name="option"), columns=cols)
        self._need_samples(f"percentiles {', '.join(cols)} of {measure}")
        return known[cols].copy()  # not reached: _need_samples raises

    def mean(self, measure: str) -> pd.Series:
        """Mean of a measure per option."""
        return self.stats["mean"][measure].rename(f"{measure}_mean")

    def p_npv_positive(self) -> pd.Series:
        """Probability that the NPV is above zero, per option."""
        return self.stats["p_npv_positive"].copy()

    def p_incremental_positive(self) -> pd.Series:
        """Probability that the NPV is above the 0-alternative's in the same draw (ΔNPV > 0), per option."""
        return self.stats["p_incremental_positive"].copy()

    def p_cheapest(self, measure: str = "pv_costs") -> pd.Series:
        """Probability that each option has the lowest present value of costs (ties split)."""
        if measure == "pv_costs":
            return self.stats["p_cheapest"].copy()
        self._need_samples(f"P(cheapest) by {measure}")
        x = self.samples[measure]
        low = x == x.min(axis=1, keepdims=True)
        share = low / low.sum(axis=1, keepdims=True)
        return pd.Series(share.mean(axis=0), index=self.options, name="p_cheapest")

    def p_best(self) -> pd.Series:
        """Probability that each option has the highest NPV in a draw (ties split): the chance it is the best."""
        return self.stats["p_best"].copy()

    def summary(self) -> pd.DataFrame:
        """One row per option: ΔNPV first, then investment and NPV percentiles, probabilities."""
        parts = []
        if "incremental_npv" in self.stats.get("percentiles", {}):
            inc = self.percentiles("incremental_npv").add_prefix("incremental_npv_")
            inc.insert(0, "incremental_npv_mean", self.mean("incremental_npv"))
            inc.insert(1, "p_incremental_positive", self.p_incremental_positive())
            parts.append(inc)
        parts += [
            self.percentiles("investment").add_prefix("investment_"),
            self.percentiles("npv").add_prefix("npv_"),
            self.percentiles("pv_costs", (50, 85)).add_prefix("pv_costs_"),
        ]
        out = pd.concat(parts, axis=1)
        out["npv_mean"] = self.mean("npv")
        out["p_npv_positive"] = self.p_npv_positive()
        out["p_cheapest"] = self.p_cheapest()
        out["p_best"] = self.p_best()
        return out


def _check_simulation_inputs(samples: int, seed: int | None, common: float) -> None:
    if samples < 1:
        raise InputError(Problem("samples", "", f"{samples} is not a positive number of samples", "e.g. 10000"))
    if seed is not None and seed < 0:
        raise InputError(Problem("seed", "", f"must be zero or more, got {seed}", f"e.g. {DEFAULT_SEED}"))
    if not 0.0 <= common <= 1.0:
        raise InputError(Problem("common", "", f"{common} is outside [0, 1]",
                                 "1 = common random numbers (default), 0 = every option draws on its own"))


def simulate(
    flows: pd.DataFrame,
    options: Sequence[str],
    base_year: int,
    params: CbaParameters | None = None,
    samples: int = DEFAULT_SAMPLES,
    seed: int | None = DEFAULT_SEED,
    decision: str | None = None,
    zero: str | None = "zero",
    correlation: float | Mapping[tuple[str, str], float] | pd.DataFrame | None = None,
    years_together: bool = True,
    progress: bool = False,
    common: float | None = None,
    max_memory: int | None = None,
    admissible: Sequence[str] | None = None,
) -> Simulation:
    """Monte Carlo simulation over the three-point cash-flow estimates.

    Parameters
    ----------
    flows, options, base_year, params, decision, zero
        As for :func:`evaluate`.
    samples : int
        Number of draws (>= 1).
    seed : int, optional
        Seed of the random generators (>= 0); the same seed and inputs give
        the same numbers in any row order (see the module docstring). Streams
        are keyed by ids, and the first n draws of a longer run equal a run of
        n draws. None draws fresh entropy (not reproducible).
    correlation : see :func:`correlation_matrix`
        Rank correlation between categories of one option (Gaussian copula).
    years_together : bool
        True (default): one draw per category moves all its years together
        (an estimate that is high is high every year). False: every year is
        drawn on its own.
    progress : bool
        Show a tqdm progress bar on stderr (only when stderr is a terminal).
    common : float in [0, 1], optional
        Default ``params.common_random_numbers``. Common random numbers: the share of each draw's variance that every
        option (and the 0-alternative) shares, per category (and year). 1
        (default): one draw of a category drives every option, so a
        difference between options carries only their own spread. 0: every
        option draws on its own (the spread of a difference is then the sum
        of both spreads).
    admissible : sequence of str, optional
        The options that may be chosen (not screened out): P(best) is the chance of the highest NPV among them
        (the others get 0). Default: every option.
    max_memory : int, optional
        Bytes of draws to keep (default :data:`KEEP_BYTES`) and to collect
        around the percentiles (default :data:`COLLECT_BYTES`). More draws
        than fit are not kept: means and probabilities are summed block by
        block and every percentile is found exactly in further passes over
        the same blocks (histograms narrow a window around it, then its
        values are sorted), so the numbers equal those of the kept draws.

    Returns
    -------
    Simulation
        Options in the order of ``options``.

    Raises
    ------
    InputError
        Fewer than one sample (key ``samples``), a negative seed (key
        ``seed``), ``common`` outside [0, 1], a bad correlation (key
        ``correlation``), percentiles that would need more memory than
        allowed (naming the memory needed), or the problems of :func:`evaluate`.
    """
    params = params or CbaParameters()
    common = params.common_random_numbers if common is None else float(common)
    _check_simulation_inputs(samples, seed, common)
    model = build_model(flows, options, base_year, params, decision)
    chol = correlation_matrix(correlation)
    block, ids = draw_blocks(model, years_together, common)
    zero = zero if zero in model.given else None
    grouped = group_rows(model, block, None if zero is None else model.options.index(zero))
    mask = None if admissible is None else np.array([o in set(admissible) for o in model.options])
    cols = Columns([*LINEAR_MEASURES, *(["incremental_npv"] if zero else [])], len(model.options), mask)
    k = len(grouped.const)
    engine = BlockEngine(np.random.SeedSequence(seed).entropy, ids, common, grouped,
                     StandardInverse(grouped.mode, params.distribution), chol, samples, progress)
    pct = [j for m in PERCENTILE_MEASURES if m in cols.measures for j in range(cols(m).start, cols(m).stop)]
    keep = samples * k * 8 <= (KEEP_BYTES if max_memory is None else max_memory)
    moments, kept, binning, counts = first_pass(engine, cols, k, pct, keep)
    engine.progress = False
    pos = model.position
    stats: dict[str, Any] = {}
    drawn: dict[str, np.ndarray] = {}
    index = pd.Index(model.given, name="option")
    if kept is not None:
        drawn = {m: kept[:, cols(m)][:, pos] for m in cols.measures}
        del kept
        q = {m: np.percentile(drawn[m], ps, axis=0).T for m, ps in PERCENTILE_MEASURES.items() if m in drawn}
    else:
        found = blocked_percentiles(engine, cols, moments, binning, counts, pct,
                                    COLLECT_BYTES if max_memory is None else max_memory, PERCENTILE_MEASURES)
        q = {m: v[pos] for m, v in found.items()}
        at = {j: i for i, j in enumerate(pct)}
        stats["histograms"] = {
            m: [s_curve_points(binning.edges(at[cols(m).start + i]), counts[at[cols(m).start + i]],
                                moments.low[cols(m).start + i], moments.high[cols(m).start + i], samples) for i in pos]
            for m in ("npv", "incremental_npv") if m in cols.measures
        }
    stats["percentiles"] = {m: pd.DataFrame(v, index=index, columns=[f"P{p:g}" for p in PERCENTILE_MEASURES[m]])
                            for m, v in q.items()}
    stats["mean"] = pd.DataFrame({m: moments.sums[cols(m)][pos] / samples for m in cols.measures}, index=index)
    for name, counts in (("p_npv_positive", moments.npv_pos), ("p_incremental_positive", moments.inc_pos),
                         ("p_cheapest", moments.cheapest), ("p_best", moments.best)):
        stats[name] = pd.Series(counts[pos] / samples, index=list(model.given), name=name)
    if zero is None:
        stats["p_incremental_positive"][:] = np.nan
    return Simulation(
        options=model.given,
        samples=drawn,
        seed=seed,
        distribution=params.distribution,
        params=params,
        zero=zero,
        timeline=model.timeline,
        meta={"years_together": years_together, "correlation": None if chol is None else (chol @ chol.T).tolist(),
              "common": common, "kept": bool(drawn)},
        stats=stats,
        n_samples=samples,
    )


def p_best_among(sim: Simulation, admissible: Sequence[str]) -> pd.Series | None:
    """P(highest NPV) counted among the `admissible` options only (ties split; 0 for the others), from the kept draws;
    None when the draws were not kept (simulate again with ``admissible``)."""
    if not sim.kept:
        return None
    npv = sim.samples["npv"]
    mask = np.array([o in set(admissible) for o in sim.options])
    v = np.where(mask[None, :], npv, -np.inf)
    top = v == v.max(axis=1, keepdims=True)
    top &= mask[None, :]
    share = top / np.maximum(top.sum(axis=1, keepdims=True), 1)
    return pd.Series(share.mean(axis=0), index=sim.options, name="p_best")


def s_curve_data(sim: Simulation, measure: str = "npv", points: int = 201) -> pd.DataFrame:
    """Cumulative distribution (S-curve) of a measure per option.

    Returns
    -------
    pandas.DataFrame
        Long form: ``option, measure, probability, value`` with ``points``
        probabilities from 0 to 1: the empirical quantiles of the kept draws,
        or, when the draws were too many to keep, read from the histogram of
        the first block pass (:data:`BINS` bins; close enough for a figure).
    """
    probs = np.linspace(0, 1, points)
    if sim.kept:
        q = np.quantile(sim.samples[measure], probs, axis=0)
    else:
        curves = sim.stats.get("histograms", {}).get(measure)
        if curves is None:
            sim._need_samples(f"the S-curve of {measure}")
        q = np.column_stack([np.interp(probs, cdf, x) for x, cdf in curves])
    frames = [
        pd.DataFrame({"option": o, "measure": measure, "probability": probs, "value": q[:, j]})
        for j, o in enumerate(sim.options)
    ]
    return pd.concat(frames, ignore_index=True)


def cba_table(result: CbaResult, sim: Simulation | None = None) -> pd.DataFrame:
    """The deterministic table with the simulation's summary beside it, one row per option."""
    if sim is None:
        return result.table.copy()
    return result.table.join(sim.summary())
