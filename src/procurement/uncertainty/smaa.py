"""SMAA-2: how sure is the ranking when weights are contested and scores uncertain?

Stochastic Multicriteria Acceptability Analysis (Lahdelma & Salminen 2001,
"SMAA-2: Stochastic multicriteria acceptability analysis for group decision
making", Operations Research 49(3)) draws many weight vectors and score
matrices, ranks the options for each draw with the chosen method, and reports:

* **rank acceptability** ``b[i, r]``: the share of draws in which option i
  takes rank r (options × ranks; every row and every column sums to 1);
* **central weight vector** ``w_c[i]``: the mean weight vector of the draws in
  which option i comes first — the typical preferences that favour it;
* **confidence factor** ``p_c[i]``: the probability that option i comes first
  when its central weights are used and only the scores vary;
* **pairwise winning index** ``c[i, k]``: the share of draws in which option i
  ranks above option k.

Every figure carries its Monte Carlo standard error: ``sqrt(p(1 − p)/N)`` for
the shares, and the standard error of the mean for each central weight.

Ties: draws in which options share a score (always the case for identical
options) give each tied option an equal share of the positions the group
occupies — two options tied for first each get 1/2 of rank 1 and 1/2 of rank 2,
and each counts 1/2 as beating the other — so rows and columns still sum to 1.

Samplers (weights, each draw a vector on the simplex):

* ``uniform`` — no preference information: uniform on the simplex
  (normalised exponentials = Dirichlet(1, …, 1));
* ``bounds`` — each weight uniform within ± ``spread`` (a fraction) of the
  point weights, or within explicit [low, high] bounds, then renormalised to sum
  1 (documented approximation: after renormalising a weight may lie slightly
  outside its bound; rejection sampling would be exact but its acceptance rate
  collapses with 15 narrow bounds);
* ``order`` — only the order of importance is known: uniform simplex draws
  sorted to that order (criteria of equal rank take the tied slots in random
  order);
* ``profiles`` — a mixture of the stakeholder profiles: each draw picks one
  profile (equal or given probabilities), optionally perturbed by ± ``spread``;
* ``fixed`` — the point weights (score uncertainty only).

Scores are drawn from each score's (low, likely, high), independently, jointly
with the weights: triangular by default, PERT (Beta with λ = 4) on request. The
triangular distribution is the default because it is what the three-point
estimate literally says (the likely value is the mode, low and high the
bounds), it gives more weight to the tails than PERT — the cautious choice when
the ranges are judgements — and it is drawn exactly and fast without square
roots: with U, V uniform, a + (c − a)·max(U, V) + (b − c)·min(U, V) is
triangular on [a, b] with mode c (Stein & Keblis 2009, Mathematical and
Computer Modelling 49). Value functions, where a criterion has one, are
applied to every drawn score, as the ranking engine applies them to the
likely scores.

Reproducibility: samples are drawn in fixed blocks of :data:`BLOCK`; block k
uses its own generators seeded ``SeedSequence(seed, spawn_key=(k, stream))``.
The same seed gives the same numbers whatever the number of threads or the
machine's memory, and a run with more samples repeats the full blocks of a
shorter one. Memory stays bounded whatever N: a block holds its score draws
and their prepared form (options × criteria × :data:`BLOCK` values each: a few
MB for the example, 240 MB for 200 options × 60 criteria), the temporaries
within a block go in chunks of :data:`CHUNK_VALUES` (the triangular draw takes
its U and V for a few options at a time from their two places in the stream;
the confidence pass scores a few central weight vectors at a time), and the
prepared score blocks kept for the confidence pass are capped at
:data:`CACHE_BYTES` (256 MB); beyond that they are drawn again from the same
streams, which gives the same numbers.
"""

from __future__ import annotations

import math
import numbers
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from procurement.case.errors import InputError, Problem, did_you_mean
from procurement.case.models import Scenario, Uncertainty
from procurement.mcda import fastrank
from procurement.mcda.methods import get_method
from procurement.mcda.ranking import json_records, label_pair, screening_assumption, weight_set_for
from procurement.mcda.screening import screen
from procurement.mcda.weights import WeightSet
from procurement.text.sentences import Assumption, describe

#: The defaults of a direct call, the same as a scenario's (one place: procurement.case.models): the first of the
#: scenario's methods, its samples and seed, and its uncertainty block (weights within ± 20 %, triangular scores).
_SCENARIO = Scenario.model_fields
_UNCERTAINTY = Uncertainty()
DEFAULT_METHOD: str = Scenario(name="defaults", decision="any").methods[0]
DEFAULT_SAMPLES: int = _SCENARIO["samples"].default
DEFAULT_SEED: int = _SCENARIO["seed"].default
DEFAULT_WEIGHT_MODEL: str = _UNCERTAINTY.weights
DEFAULT_SPREAD: float = _UNCERTAINTY.spread
DEFAULT_DISTRIBUTION: str = _UNCERTAINTY.scores

BLOCK = 2_500  # samples per block (fixed: the random streams are keyed by block)
CACHE_BYTES = 256 * 2**20  # prepared score blocks kept for the confidence pass (else redrawn)
CHUNK_VALUES = 2**21  # values per chunk of a block's temporary arrays (16 MB): score draws, confidence scores
WEIGHT_MODELS = ("uniform", "bounds", "order", "profiles", "fixed")
DISTRIBUTIONS = ("triangular", "pert")


# ---------------------------------------------------------------------------
# samplers (arrays in the samples-last layout: weights (n, B), scores (m, n, B))


class UniformWeights:
    """Uniform on the simplex: no preference information."""

    def __init__(self, n: int):
        self.n = n

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        e = rng.standard_exponential((self.n, size))
        return e / e.sum(axis=0)

    def describe(self) -> dict:
        return {"model": "uniform"}


class BoundedWeights:
    """Each weight uniform in [low, high], then renormalised to sum 1."""

    def __init__(self, low, high, center=None, spread: float | None = None):
        self.low = np.asarray(low, dtype=float)
        self.high = np.asarray(high, dtype=float)
        self.n = len(self.low)
        self.center = None if center is None else np.asarray(center, dtype=float)
        self.spread = spread

    @classmethod
    def around(cls, center, spread: float) -> BoundedWeights:
        c = np.asarray(center, dtype=float)
        return cls(np.clip(c * (1 - spread), 0, 1), np.clip(c * (1 + spread), 0, 1), c, spread)

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        u = rng.random((self.n, size))
        w = self.low[:, None] + (self.high - self.low)[:, None] * u
        total = w.sum(axis=0)
        bad = total <= 0
        if np.any(bad):  # only when every lower bound is 0 and every draw came out 0
            w[:, bad] = 1.0 / self.n
            total = w.sum(axis=0)
        return w / total

    def describe(self) -> dict:
        d = {"model": "bounds", "low": self.low.tolist(), "high": self.high.tolist()}
        if self.spread is not None:
            d["spread"] = self.spread
        return d


class OrderedWeights:
    """Only the order of importance known: sorted uniform simplex draws (rank 1 = most important)."""

    def __init__(self, ranks):
        self.ranks = np.asarray(ranks, dtype=float)
        self.n = len(self.ranks)
        self._ties = len(np.unique(self.ranks)) < self.n
        # position of each criterion in the order (0 = largest weight)
        self._pos = np.argsort(np.argsort(self.ranks, kind="stable"), kind="stable")

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        e = rng.standard_exponential((self.n, size))
        w = -np.sort(-(e / e.sum(axis=0)), axis=0)  # descending
        if not self._ties:
            return w[self._pos]
        key = self.ranks[:, None] + 0.5 * rng.random((self.n, size))  # random order within a tied rank
        pos = np.argsort(np.argsort(key, axis=0), axis=0)
        return np.take_along_axis(w, pos, axis=0)

    def describe(self) -> dict:
        return {"model": "order", "ranks": self.ranks.tolist()}


class ProfileMixture:
    """Each draw takes one stakeholder profile (by probability), optionally perturbed by ± spread."""

    def __init__(self, profiles: np.ndarray, probabilities, names: Sequence[str] = (), spread: float = 0.0):
        self.profiles = np.asarray(profiles, dtype=float)  # (G, n), rows sum to 1
        self.p = np.asarray(probabilities, dtype=float)
        self.p = self.p / self.p.sum()
        self.names = list(names)
        self.spread = float(spread)
        self.n = self.profiles.shape[1]

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        idx = rng.choice(len(self.p), size=size, p=self.p)
        w = self.profiles[idx].T.copy()  # (n, size)
        if self.spread > 0:
            w *= 1 + self.spread * (2 * rng.random((self.n, size)) - 1)
            np.clip(w, 0, 1, out=w)
        total = w.sum(axis=0)
        total[total <= 0] = 1.0
        return w / total

    def describe(self) -> dict:
        return {"model": "profiles", "profiles": dict(zip(self.names, self.p.tolist(), strict=False)), "spread": self.spread}


class FixedWeights:
    """The point weights in every draw."""

    def __init__(self, weights):
        self.w = np.asarray(weights, dtype=float)
        self.w = self.w / self.w.sum()
        self.n = len(self.w)

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return np.broadcast_to(self.w[:, None], (self.n, size))

    def describe(self) -> dict:
        return {"model": "fixed", "weights": self.w.tolist()}


class FixedScores:
    """The likely scores in every draw."""

    def __init__(self, likely, transform=None):
        self.likely = np.asarray(likely, dtype=float)
        if transform is not None:
            self.likely = transform(self.likely[:, :, None].copy())[:, :, 0]
        self.shape = self.likely.shape
        self.random = False

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return self.likely[:, :, None]

    def describe(self) -> dict:
        return {"uncertain": False}


class ThreePointScores:
    """Every score drawn independently from its (low, likely, high): triangular or PERT."""

    def __init__(self, low, likely, high, distribution: str = "triangular", lam: float = 4.0, transform=None):
        self.a = np.asarray(low, dtype=float)
        self.c = np.asarray(likely, dtype=float)
        self.b = np.asarray(high, dtype=float)
        if not (np.all(self.a <= self.c) and np.all(self.c <= self.b)):
            raise ValueError("every score needs low <= likely <= high")
        self.shape = self.a.shape
        self.transform = transform  # value functions, applied to every draw
        self.distribution = distribution
        self.lam = lam
        self.random = True
        width = self.b - self.a
        flat = width == 0
        safe = np.where(flat, 1.0, width)
        # triangular (Stein & Keblis): the rising and falling lengths
        self._up = (self.c - self.a)[:, :, None]
        self._down = (self.b - self.c)[:, :, None]
        # PERT shape parameters
        self._alpha = np.where(flat, 1.0, 1 + lam * (self.c - self.a) / safe)[:, :, None]
        self._beta = np.where(flat, 1.0, 1 + lam * (self.b - self.c) / safe)[:, :, None]

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        m, n = self.a.shape
        a = self.a[:, :, None]
        b = self.b[:, :, None]
        if self.distribution == "pert":
            x = rng.beta(np.broadcast_to(self._alpha, (m, n, size)), np.broadcast_to(self._beta, (m, n, size)))
            x *= b - a
            x += a
            return x if self.transform is None else self.transform(x)
        # Stein & Keblis (2009): with U, V uniform, (1 − f)·min(U, V) + f·max(U, V) is triangular on
        # [0, 1] with mode f. Scaled: a + (c − a)·max + (b − c)·min. No square roots, two uniforms.
        # All of U is drawn before all of V (the stream of earlier versions); both are drawn in chunks of options
        # from two places of the stream, so only the result is a whole (m, n, size) array.
        out = np.empty((m, n, size))
        step = max(1, CHUNK_VALUES // max(n * size, 1))
        rng_v = _skipped(rng, m * n * size)
        for i in range(0, m, step):
            j = min(m, i + step)
            u = rng.random((j - i, n, size))
            v = rng_v.random((j - i, n, size))
            hi = np.maximum(u, v, out=out[i:j])
            np.minimum(u, v, out=u)
            hi *= self._up[i:j]
            u *= self._down[i:j]
            hi += u
            hi += a[i:j]
        rng.bit_generator.state = rng_v.bit_generator.state  # where drawing U and then V would leave it
        return out if self.transform is None else self.transform(out)

    def describe(self) -> dict:
        d = {"uncertain": True, "distribution": self.distribution}
        if self.distribution == "pert":
            d["lambda"] = self.lam
        return d


def _skipped(rng: np.random.Generator, draws: int) -> np.random.Generator:
    """A generator at rng's stream `draws` uniform doubles further on (one 64-bit output each), rng unchanged."""
    bg = type(rng.bit_generator)()
    bg.state = rng.bit_generator.state
    out = np.random.Generator(bg)
    advance = getattr(bg, "advance", None)  # PCG64 (the seeded streams' generator) jumps; others draw and drop
    if advance is not None:
        advance(draws)
        return out
    for start in range(0, draws, CHUNK_VALUES):
        out.random(min(CHUNK_VALUES, draws - start))
    return out


# ---------------------------------------------------------------------------
# the engine, on arrays


@dataclass
class SMAAArrays:
    """SMAA-2 statistics as arrays (options in the order given)."""

    samples: int
    acceptability: np.ndarray  # (m, m): option × rank
    central_weights: np.ndarray  # (m, n), NaN where the option never comes first
    central_weights_se: np.ndarray  # (m, n)
    confidence: np.ndarray  # (m,), NaN where the option never comes first
    winning: np.ndarray  # (m, m): share of draws where row ranks above column; diagonal NaN
    seconds: float = 0.0
    extra: dict = field(default_factory=dict)

    @property
    def acceptability_se(self) -> np.ndarray:
        return binomial_se(self.acceptability, self.samples)

    @property
    def confidence_se(self) -> np.ndarray:
        return binomial_se(self.confidence, self.samples)

    @property
    def winning_se(self) -> np.ndarray:
        return binomial_se(self.winning, self.samples)


def binomial_se(p, n: int):
    p = np.asarray(p, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.sqrt(np.clip(p * (1 - p), 0, None) / n)


def _rngs(seed: int, block: int) -> tuple[np.random.Generator, np.random.Generator]:
    return (
        np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(block, 0))),
        np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(block, 1))),
    )


def _block_sizes(samples: int) -> list[int]:
    full, rest = divmod(samples, BLOCK)
    return [BLOCK] * full + ([rest] if rest else [])


def _progress_bar(total: int, progress: bool | None, desc: str):
    if progress is None:
        progress = total >= 200_000 and sys.stderr.isatty()
    if not progress:
        return None
    from tqdm import tqdm  # lazy: only a long run on a terminal shows a bar; tqdm costs ~30 ms at import

    return tqdm(total=total, desc=desc, unit="sample", unit_scale=True, file=sys.stderr, leave=False)


def _workers(threads: int | None) -> int:
    if threads is not None:
        return max(1, int(threads))
    return max(1, min(2, os.cpu_count() or 1))


def _first_pass_block(method, objectives, weight_sampler, score_sampler, seed, k, size, n, keep, context=None):
    """Statistics of block k: acceptability counts, central-weight sums, winning counts."""
    rng_w, rng_s = _rngs(seed, k)
    w = np.asarray(weight_sampler.draw(rng_w, size), dtype=float)
    x = score_sampler.draw(rng_s, size)
    prep = fastrank.prepare_t(method, x, objectives, context=context)
    s = fastrank.aggregate_t(method, prep, w, normalised=True)  # (m, size)
    m = s.shape[0]
    if s.shape[1] != size:  # one matrix and one weight vector: every draw is the same
        s = np.broadcast_to(s, (m, size))
    _, first, tsize = fastrank.tie_groups_t(s)
    acc = np.zeros((m, m))
    _accumulate(acc, first, tsize)
    share1 = (first == 0) / tsize  # (m, size): share of first place
    cw_sum = share1 @ w.T
    cw_sq = share1 @ (w * w).T
    first_count = share1.sum(axis=1)
    win = np.empty((m, m))
    for i in range(m):
        win[i] = (first[i] < first).sum(axis=1) + 0.5 * (first[i] == first).sum(axis=1)
    return acc, cw_sum, cw_sq, first_count, win, (prep if keep else None)


def _confidence_block(method, objectives, score_sampler, seed, k, size, prep, winners, wc, context=None):
    if prep is None:
        _, rng_s = _rngs(seed, k)
        prep = fastrank.prepare_t(method, score_sampler.draw(rng_s, size), objectives, context=context)
    m, _, b = prep[0].shape
    got = np.empty(len(winners))
    step = max(1, CHUNK_VALUES // max(m * b, 1))  # central weight vectors at a time: scores (m, step, B)
    for k in range(0, len(winners), step):
        sx = fastrank.aggregate_cross_t(method, prep, wc[k:k + step], rank_only=True)  # (m, K, B)
        share = fastrank.top_share_t(sx)
        got[k:k + step] = share[winners[k:k + step], np.arange(sx.shape[1]), :].sum(axis=-1)
    return got * (size if b == 1 else 1)


def run_smaa(
    method: str,
    objectives,
    weight_sampler,
    score_sampler,
    samples: int,
    seed: int,
    confidence: bool = True,
    progress: bool | None = None,
    threads: int | None = None,
    preferences=None,
    context: dict | None = None,
) -> SMAAArrays:
    """SMAA-2 on arrays: rank acceptability, central weights, confidence factors, winning indices.

    ``weight_sampler.draw(rng, size)`` returns weights (n, size);
    ``score_sampler.draw(rng, size)`` returns matrices (m, n, size) or (m, n, 1).
    ``context`` is what the method needs (:meth:`procurement.mcda.methods.Method.context`);
    ``preferences`` (one (function, q, p, s) per criterion) is PROMETHEE II's, kept as an argument of its own.
    Blocks of :data:`BLOCK` samples run on ``threads`` threads (default: up to
    2; numpy releases the GIL) and are summed in block order, so the numbers do
    not depend on the thread count.
    """
    t0 = time.perf_counter()
    context = {**(context or {}), **({"preferences": preferences} if preferences is not None else {})}
    objectives = np.asarray(objectives, dtype=int)
    n = len(objectives)
    sizes = _block_sizes(samples)
    per_block = score_sampler.shape[0] * n * BLOCK * 8 * fastrank.kernel_of(method).arrays
    keep = confidence and per_block * len(sizes) <= CACHE_BYTES  # keep prepared blocks, else redraw
    bar = _progress_bar(samples * (2 if confidence else 1), progress, f"SMAA {method}")
    workers = _workers(threads)
    pool = ThreadPoolExecutor(workers) if workers > 1 and len(sizes) > 1 else None

    def run(fn, jobs):
        it = pool.map(lambda j: fn(*j), jobs) if pool is not None else (fn(*j) for j in jobs)
        for j, out in zip(jobs, it, strict=False):
            if bar is not None:
                bar.update(j[1])
            yield out

    def _first_job(k, size):
        return _first_pass_block(method, objectives, weight_sampler, score_sampler, seed, k, size, n, keep, context)

    try:
        acc = cw_sum = cw_sq = first_count = win = None
        preps: list = []
        for out in run(_first_job, [(k, size) for k, size in enumerate(sizes)]):
            if acc is None:
                acc, cw_sum, cw_sq, first_count, win = (np.array(a, dtype=float) for a in out[:5])
            else:
                for tot, part in zip((acc, cw_sum, cw_sq, first_count, win), out[:5], strict=False):
                    tot += part
            preps.append(out[5])
        assert acc is not None and cw_sum is not None and cw_sq is not None and first_count is not None and win is not None
        m = acc.shape[0]
        acc /= samples
        win /= samples
        np.fill_diagonal(win, np.nan)
        with np.errstate(invalid="ignore", divide="ignore"):
            cw = cw_sum / first_count[:, None]
            var = cw_sq / first_count[:, None] - cw * cw
            cw_se = np.sqrt(np.clip(var, 0, None) / first_count[:, None])
        cw[first_count == 0] = np.nan
        cw_se[first_count == 0] = np.nan
        conf = np.full(m, np.nan)
        winners = np.flatnonzero(first_count > 0)
        if confidence and len(winners):
            wc = cw[winners]

            def _conf_job(k, size):
                return _confidence_block(method, objectives, score_sampler, seed, k, size, preps[k], winners, wc, context)

            hits = np.zeros(len(winners))
            for got in run(_conf_job, [(k, size) for k, size in enumerate(sizes)]):
                hits += got
            conf[winners] = hits / samples
    finally:
        if pool is not None:
            pool.shutdown()
        if bar is not None:
            bar.close()
    return SMAAArrays(samples, acc, cw, cw_se, conf, win, time.perf_counter() - t0)


def _accumulate(acc: np.ndarray, first: np.ndarray, tsize: np.ndarray) -> None:
    """Add a block's positions to the acceptability counts; tie groups share their positions."""
    m = acc.shape[0]
    biggest = int(tsize.max())
    if biggest == 1:
        for i in range(m):
            acc[i] += np.bincount(first[i], minlength=m)
        return
    share = 1.0 / tsize
    for i in range(m):
        for d in range(biggest):
            take = d < tsize[i]
            acc[i] += np.bincount(first[i][take] + d, weights=share[i][take], minlength=m)


# ---------------------------------------------------------------------------
# on a decision


@dataclass
class SMAAResult:
    """SMAA-2 result for one decision, as labelled tables."""

    decision: str
    method: str
    samples: int
    seed: int
    weight_model: dict
    score_model: dict
    acceptability: pd.DataFrame  # options × ranks (1..m)
    acceptability_se: pd.DataFrame
    central_weights: pd.DataFrame  # options × criteria
    central_weights_se: pd.DataFrame
    confidence: pd.Series
    confidence_se: pd.Series
    winning: pd.DataFrame  # row ranks above column
    winning_se: pd.DataFrame
    excluded: pd.DataFrame
    seconds: float = 0.0
    weights_from: Assumption | None = None  # where the point weights came from (bounds, order and fixed models)

    @property
    def assumptions(self) -> list[Assumption]:
        """The method, samples and seed, the point weights, the weight model and its spread, the score
        distribution and the screening (keys ``smaa.method``, ``smaa.samples``, ``mcda.weights.*``,
        ``smaa.weights[.model]``, ``smaa.scores[.distribution]``, ``mcda.screening``)."""
        out = [Assumption("smaa.method", {"method": self.method, "label": label_pair(self.method)}),
               Assumption("smaa.samples", {"samples": self.samples, "seed": self.seed})]
        if self.weights_from is not None:
            out.append(self.weights_from)
        out += [weight_model_assumption(self.weight_model), score_model_assumption(self.score_model),
                screening_assumption(len(self.acceptability), self.excluded)]
        return out

    def describe(self, language: str = "nb") -> list[str]:
        return describe(self.assumptions, language)

    @property
    def mean_rank(self) -> pd.Series:
        ranks = np.asarray(self.acceptability.columns, dtype=float)
        return pd.Series(self.acceptability.to_numpy() @ ranks, index=self.acceptability.index, name="mean_rank")

    def summary(self) -> pd.DataFrame:
        """One row per option: first-rank acceptability, confidence, mean rank, most likely rank."""
        a = self.acceptability
        t = pd.DataFrame(
            {
                "first": a[1] if 1 in a.columns else np.nan,
                "first_se": self.acceptability_se[1] if 1 in a.columns else np.nan,
                "confidence": self.confidence,
                "confidence_se": self.confidence_se,
                "mean_rank": self.mean_rank,
                "likely_rank": a.idxmax(axis=1).astype(int),
            }
        )
        return t.sort_values(["first", "mean_rank"], ascending=[False, True], kind="stable")

    def to_frame(self) -> pd.DataFrame:
        """The per-option summary (:meth:`summary`)."""
        return self.summary()

    def to_dict(self) -> dict:
        def table(df):
            return {str(i): [_num(v) for v in row] for i, row in zip(df.index, df.to_numpy(), strict=False)}

        def nested(df):
            return {str(i): {str(c): _num(v) for c, v in zip(df.columns, row, strict=True)}
                    for i, row in zip(df.index, df.to_numpy(), strict=True)}

        def series(s):
            return {str(i): _num(v) for i, v in s.items()}

        cw = {
            o: (None if self.central_weights.loc[o].isna().all() else nested(self.central_weights.loc[[o]])[o])
            for o in self.central_weights.index
        }
        cw_se = {
            o: (None if self.central_weights_se.loc[o].isna().all() else nested(self.central_weights_se.loc[[o]])[o])
            for o in self.central_weights.index
        }
        return {
            "decision": self.decision,
            "method": self.method,
            "samples": self.samples,
            "seed": self.seed,
            "weight_model": self.weight_model,
            "score_model": self.score_model,
            "options": [str(o) for o in self.acceptability.index],
            "criteria": [str(c) for c in self.central_weights.columns],
            "ranks": [int(r) for r in self.acceptability.columns],
            "acceptability": table(self.acceptability),
            "acceptability_se": table(self.acceptability_se),
            "central_weights": cw,
            "central_weights_se": cw_se,
            "confidence": series(self.confidence),
            "confidence_se": series(self.confidence_se),
            "winning": nested(self.winning),
            "winning_se": nested(self.winning_se),
            "mean_rank": series(self.mean_rank),
            "excluded": json_records(self.excluded),
        }


def _num(v):
    v = float(v)
    return None if math.isnan(v) else v


def weight_model_assumption(model: Mapping[str, Any]) -> Assumption:
    """The sentence for a weight sampler's description (``describe()``): ``smaa.weights`` for weights within ±
    spread of the point weights, ``smaa.weights.<model>`` for the others."""
    kind = model["model"]
    values = dict(model)
    if kind == "bounds":
        return Assumption("smaa.weights" if model.get("spread") is not None else "smaa.weights.bounds", values)
    if kind == "profiles":
        values["groups"] = len(model.get("profiles", {}))
    return Assumption(f"smaa.weights.{kind}", values)


def score_model_assumption(model: Mapping[str, Any]) -> Assumption:
    """The sentence for a score sampler's description: ``smaa.scores`` (triangular), ``smaa.scores.pert`` or
    ``smaa.scores.fixed``."""
    if not model.get("uncertain", True):
        return Assumption("smaa.scores.fixed", dict(model))
    if model.get("distribution") == "pert":
        return Assumption("smaa.scores.pert", {**model, "lam": model.get("lambda", 4.0)})
    return Assumption("smaa.scores", dict(model))


def check_samples(samples) -> int:
    if isinstance(samples, bool) or not isinstance(samples, numbers.Integral) or samples <= 0:
        raise InputError(Problem("samples", "", f"must be a whole number above zero, got {samples!r}"))
    return int(samples)


def check_seed(seed) -> int:
    if isinstance(seed, str):
        try:
            seed = int(seed.strip())
        except ValueError:
            raise InputError(Problem("seed", "", f"must be a whole number, got {seed!r}", "e.g. --seed 20261125")) from None
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise InputError(Problem("seed", "", f"must be a whole number, got {seed!r}", "e.g. --seed 20261125"))
    if seed < 0:
        raise InputError(Problem("seed", "", f"must be zero or more, got {seed}"))
    return int(seed)


def check_fraction(name: str, value) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InputError(Problem(name, "", f"must be a number between 0 and 1, got {value!r}")) from None
    if not 0 <= v <= 1 or math.isnan(v):
        raise InputError(Problem(name, "", f"must lie between 0 and 1 (a fraction: 0.2 is ± 20 %), got {value!r}"))
    return v


def point_weights(decision, weights=None, profile: str | None = None) -> pd.Series:
    """The weights a ranking would use: `weights` given, else the profile's, else the criteria file's; sum 1."""
    return point_weight_set(decision, weights, profile).weights


def point_weight_set(decision, weights=None, profile: str | None = None) -> WeightSet:
    """:func:`point_weights` with where they came from (a :class:`WeightSet` given is used as it is)."""
    if isinstance(weights, WeightSet):
        return weights
    if weights is not None:
        w = pd.Series(weights, dtype=float) if not isinstance(weights, pd.Series) else weights.astype(float)
        missing = [c for c in decision.criterion_ids if c not in w.index]
        if missing:
            raise InputError(Problem("weights", "", f"no weight for criteria {', '.join(missing)}"))
        w = w.loc[decision.criterion_ids]
        if (w < 0).any() or not np.isfinite(w).all() or w.sum() <= 0:
            raise InputError(Problem("weights", "", "weights must be zero or more and at least one above zero"))
        return WeightSet(w / w.sum(), profile, True)
    return weight_set_for(decision, profile)


def value_functions(decision) -> list[Callable[[np.ndarray], np.ndarray] | None]:
    """The value function of each criterion (None where it has none), in the decision's order: the columns
    :func:`value_transform` transforms."""
    return [c.value_function for c in decision.criteria]


def value_transform(decision) -> Callable[[np.ndarray], np.ndarray] | None:
    """Apply the criteria's value functions to matrices (m, n, B) in place, as the ranking engine does."""
    fns = [(j, c.value_function) for j, c in enumerate(decision.criteria) if c.value_function is not None]
    if not fns:
        return None

    def apply(x: np.ndarray) -> np.ndarray:
        for j, vf in fns:
            x[:, j] = vf(x[:, j])
        return x

    return apply


def weight_sampler(
    decision,
    weight_model: str = DEFAULT_WEIGHT_MODEL,
    weights=None,
    profile: str | None = None,
    spread: float | None = None,
    bounds: Mapping[str, tuple[float, float]] | None = None,
    ranks: Mapping[str, float] | None = None,
    mixture: Mapping[str, float] | Sequence[str] | None = None,
):
    """A weight sampler for a decision's criteria (see the module text for the models)."""
    if weight_model not in WEIGHT_MODELS:
        raise InputError(Problem("weight model", "", f"unknown weight model '{weight_model}'",
                                 did_you_mean(weight_model, WEIGHT_MODELS)))
    if weight_model == "uniform":
        return UniformWeights(len(decision.criterion_ids))
    if weight_model == "fixed":
        return FixedWeights(point_weights(decision, weights, profile).to_numpy())
    if weight_model == "bounds":
        return _bounded_sampler(decision, point_weights(decision, weights, profile), spread, bounds)
    if weight_model == "order":
        return _ordered_sampler(decision, weights, profile, ranks)
    return _profile_sampler(decision, spread, mixture)


def _bounded_sampler(decision, center: pd.Series, spread: float | None, bounds: Mapping[str, tuple[float, float]] | None):
    sp = check_fraction("spread", DEFAULT_SPREAD if spread is None else spread)
    if bounds is None:
        return BoundedWeights.around(center.to_numpy(), sp)
    crit = decision.criterion_ids
    unknown = [c for c in bounds if c not in crit]
    if unknown:
        raise InputError(Problem("bounds", "", f"unknown criterion '{unknown[0]}'", did_you_mean(unknown[0], crit)))
    low = (center * (1 - sp)).clip(0, 1)
    high = (center * (1 + sp)).clip(0, 1)
    for c, (lo, hi) in bounds.items():
        lo, hi = check_fraction(f"bounds of {c}", lo), check_fraction(f"bounds of {c}", hi)
        if lo > hi:
            raise InputError(Problem(f"bounds of {c}", "", f"low {lo:g} exceeds high {hi:g}"))
        low[c], high[c] = lo, hi
    if high.sum() <= 0:
        raise InputError(Problem("bounds", "", "every upper bound is 0: no weight vector fits"))
    return BoundedWeights(low.to_numpy(), high.to_numpy(), center.to_numpy(), None)


def _ordered_sampler(decision, weights, profile: str | None, ranks: Mapping[str, float] | None):
    crit = decision.criterion_ids
    if ranks is None:
        r = (-point_weights(decision, weights, profile)).rank(method="min")
        return OrderedWeights(r.to_numpy())
    unknown = [c for c in ranks if c not in crit]
    if unknown:
        raise InputError(Problem("ranks", "", f"unknown criterion '{unknown[0]}'", did_you_mean(unknown[0], crit)))
    missing = [c for c in crit if c not in ranks]
    if missing:
        raise InputError(Problem("ranks", "", f"no rank for criteria {', '.join(missing)}"))
    return OrderedWeights(pd.Series(ranks, dtype=float).loc[crit].to_numpy())


def _profile_sampler(decision, spread: float | None, mixture: Mapping[str, float] | Sequence[str] | None):
    if not decision.profiles:
        raise InputError(Problem("profiles", f"decision '{decision.id}'", "has no stakeholder weight profiles",
                                 "add them to profiles.csv or pick another weight model"))
    if mixture is None:
        mixture = {g: 1.0 for g in decision.profiles}
    elif not isinstance(mixture, Mapping):
        mixture = {g: 1.0 for g in mixture}
    for g, p in mixture.items():
        if g not in decision.profiles:
            raise InputError(Problem("profile mixture", "", f"unknown group '{g}'", did_you_mean(g, decision.profiles)))
        if not (isinstance(p, numbers.Real) and p >= 0 and math.isfinite(p)):
            raise InputError(Problem("profile mixture", "", f"the probability of '{g}' must be zero or more, got {p!r}"))
    if sum(mixture.values()) <= 0:
        raise InputError(Problem("profile mixture", "", "the probabilities sum to zero"))
    groups = list(mixture)
    prof = np.array([decision.profiles[g].loc[decision.criterion_ids].to_numpy(dtype=float) for g in groups])
    prof = prof / prof.sum(axis=1, keepdims=True)
    sp = check_fraction("spread", 0.0 if spread is None else spread)
    return ProfileMixture(prof, [mixture[g] for g in groups], groups, sp)


def score_sampler(
    matrices: Mapping[str, pd.DataFrame], score_uncertainty: bool = True, distribution: str = "triangular", transform=None
):
    """Scores drawn from (low, likely, high) — raw scores; ``transform`` (value functions) is applied to each draw."""
    if distribution not in DISTRIBUTIONS:
        raise InputError(
            Problem("distribution", "", f"unknown distribution '{distribution}'", did_you_mean(distribution, DISTRIBUTIONS))
        )
    if not score_uncertainty:
        return FixedScores(matrices["likely"].to_numpy(dtype=float), transform)
    low, likely, high = (matrices[k].to_numpy(dtype=float) for k in ("low", "likely", "high"))
    return ThreePointScores(np.minimum(low, likely), likely, np.maximum(high, likely), distribution, transform=transform)


#: Weight models drawn around the point weights (the others ignore them).
_AROUND_POINT = ("bounds", "order", "fixed")


def _method_name(method: str) -> str:
    if get_method(method).kernel is None:  # unknown names fail with the registry's message
        raise InputError(
            Problem(
                "method",
                "",
                f"sensitivity analysis does not support '{method}' yet",
                f"use one of {', '.join(fastrank.SUPPORTED)}",
            )
        )
    return method


@dataclass
class ScoreSetup:
    """What SMAA needs of a decision besides the weights: kept options, objectives, score sampler."""

    method: str
    kept: list[str]
    excluded: pd.DataFrame
    criteria: list[str]
    objectives: np.ndarray
    sampler: Any
    context: dict


def score_setup(decision, method: str = DEFAULT_METHOD, score_uncertainty: bool = True,
                distribution: str = DEFAULT_DISTRIBUTION) -> ScoreSetup:
    """Screen the options (must-pass rules on the likely scores) and build the score sampler for `method`.

    Raises InputError (key ``method``) when the method cannot rank the value matrices the draws span.
    """
    method = _method_name(method)
    m = get_method(method)
    kept, excluded = screen(decision)
    crit = decision.criterion_ids
    mats = {k: decision.matrix(k).loc[kept, crit] for k in ("low", "likely", "high")}
    ss = score_sampler(mats, score_uncertainty, distribution, value_transform(decision))
    obj = decision.value_objectives.loc[crit].to_numpy()
    for which in ("low", "likely", "high") if score_uncertainty else ("likely",):
        reason = m.why_not(decision.value_matrix(which).loc[kept, crit].to_numpy(), obj, np.ones(len(crit)))
        if reason:
            raise InputError(Problem("method", method, f"{m.label} cannot rank these scores", reason))
    return ScoreSetup(method, kept, excluded, crit, obj, ss, m.context(decision))


class ScoreDraws:
    """SMAA's score draws for one decision, method, sample count and seed, prepared once for the method's kernel.

    The public engine behind the interactive workbench: the draws do not
    depend on the weights, so each slider move only draws weights and
    aggregates. :meth:`acceptability` gives exactly the rank acceptability
    :func:`smaa` gives for the same settings (same blocks, same seeded streams).
    """

    def __init__(
        self,
        decision,
        method: str = DEFAULT_METHOD,
        samples: int = DEFAULT_SAMPLES,
        seed: int = DEFAULT_SEED,
        score_uncertainty: bool = True,
        distribution: str = DEFAULT_DISTRIBUTION,
    ):
        self.samples = check_samples(samples)
        self.seed = check_seed(seed)
        self.setup = score_setup(decision, method, score_uncertainty, distribution)
        su = self.setup
        self.sizes = _block_sizes(self.samples)
        self.blocks = [
            fastrank.prepare_t(su.method, su.sampler.draw(_rngs(self.seed, k)[1], size), su.objectives, context=su.context)
            for k, size in enumerate(self.sizes)
        ]

    @property
    def kept(self) -> list[str]:
        return self.setup.kept

    def acceptability(self, weight_sampler) -> pd.DataFrame:
        """Rank acceptability (options kept × ranks 1..m) for draws of `weight_sampler`."""
        m = len(self.kept)
        acc = np.zeros((m, m))
        for k, (size, prep) in enumerate(zip(self.sizes, self.blocks, strict=True)):
            w = np.asarray(weight_sampler.draw(_rngs(self.seed, k)[0], size), dtype=float)
            s = fastrank.aggregate_t(self.setup.method, prep, w, normalised=True)
            if s.shape[1] != size:
                s = np.broadcast_to(s, (m, size))
            _, first, tsize = fastrank.tie_groups_t(s)
            _accumulate(acc, first, tsize)
        out = pd.DataFrame(
            acc / self.samples, index=pd.Index(self.kept, name="option"), columns=pd.Index(range(1, m + 1), name="rank")
        )
        return out


def smaa(
    decision,
    method: str = DEFAULT_METHOD,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    weight_model: str = DEFAULT_WEIGHT_MODEL,
    score_uncertainty: bool = True,
    distribution: str = DEFAULT_DISTRIBUTION,
    profile: str | None = None,
    weights=None,
    spread: float | None = None,
    bounds: Mapping[str, tuple[float, float]] | None = None,
    ranks: Mapping[str, float] | None = None,
    mixture: Mapping[str, float] | Sequence[str] | None = None,
    confidence: bool = True,
    progress: bool | None = None,
) -> SMAAResult:
    """SMAA-2 of a decision: screen (must-pass rules on the likely scores), then sample and rank.

    Options a must-pass rule excludes are removed first and listed in ``excluded``. The defaults are a
    scenario's (:class:`procurement.case.models.Scenario`: its first method, samples, seed and uncertainty
    block), so a direct call gives the numbers :meth:`procurement.Analysis.smaa` gives for the default scenario.
    `weights` may be a resolved :class:`~procurement.mcda.weights.WeightSet` (the result then says where the
    point weights came from), explicit weights, or None for the `profile`'s.
    """
    samples = check_samples(samples)
    seed = check_seed(seed)
    su = score_setup(decision, method, score_uncertainty, distribution)
    point = point_weight_set(decision, weights, profile) if weight_model in _AROUND_POINT else None
    ws = weight_sampler(decision, weight_model, point, profile, spread, bounds, ranks, mixture)
    r = run_smaa(
        su.method,
        su.objectives,
        ws,
        su.sampler,
        samples,
        seed,
        confidence=confidence,
        progress=progress,
        context=su.context,
    )
    kept, crit = su.kept, su.criteria
    acc = pd.DataFrame(r.acceptability, index=kept, columns=pd.Index(list(range(1, len(kept) + 1)), name="rank"))
    acc.index.name = "option"
    cw = pd.DataFrame(r.central_weights, index=kept, columns=crit)
    cw.index.name = "option"
    win = pd.DataFrame(r.winning, index=kept, columns=kept)
    win.index.name = "option"
    return SMAAResult(
        decision=decision.id,
        method=su.method,
        samples=samples,
        seed=seed,
        weight_model=ws.describe(),
        score_model=su.sampler.describe(),
        acceptability=acc,
        acceptability_se=pd.DataFrame(r.acceptability_se, index=acc.index, columns=acc.columns),
        central_weights=cw,
        central_weights_se=pd.DataFrame(r.central_weights_se, index=cw.index, columns=crit),
        confidence=pd.Series(r.confidence, index=kept, name="confidence"),
        confidence_se=pd.Series(r.confidence_se, index=kept, name="confidence_se"),
        winning=win,
        winning_se=pd.DataFrame(r.winning_se, index=win.index, columns=kept),
        excluded=su.excluded,
        seconds=r.seconds,
        weights_from=None if point is None else point.assumption,
    )


def smaa_summary(
    decision,
    method: str = DEFAULT_METHOD,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    weight_model: str = DEFAULT_WEIGHT_MODEL,
    score_uncertainty: bool = True,
    profile: str | None = None,
    weights=None,
    **kwargs,
) -> pd.DataFrame:
    """A quick per-option table for interactive use (e.g. after each slider move).

    Columns: ``first`` (first-rank acceptability) and ``first_se``, ``confidence``
    and ``confidence_se``, ``mean_rank``, ``likely_rank``; sorted best first.
    Further keyword arguments go to :func:`smaa`.
    """
    return smaa(
        decision, method, samples, seed, weight_model, score_uncertainty, profile=profile, weights=weights, **kwargs
    ).summary()
