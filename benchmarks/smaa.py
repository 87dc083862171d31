"""Benchmark: SMAA-2 with 100,000 samples on a 10 × 15 problem, against a scikit-criteria loop.

Run::

    .venv/bin/python benchmarks/smaa.py            # 100,000 samples, both methods
    .venv/bin/python benchmarks/smaa.py --samples 20000 --loop 100 --check

The problem: 10 options × 15 criteria (four of them to minimise), every score
a three-point estimate (low, likely, high) drawn from a triangular
distribution, weights uniform on the simplex — weights and scores uncertain
jointly. For the weighted sum (``wsm``) and TOPSIS, the script runs the full
SMAA-2 of :func:`procurement.uncertainty.smaa.run_smaa`: rank acceptability indices,
central weight vectors and confidence factors (a second pass over the score
draws) and the pairwise winning indices.

It prints, per method:

* the wall time and CPU time of the whole run (sampling included);
* the peak memory traced by ``tracemalloc`` in a second, identical run (the
  traced run is slower, so it is timed separately) and the process's peak
  resident set size from ``resource.getrusage``;
* the time per evaluation of the scikit-criteria pipeline from
  :mod:`procurement.mcda.methods` (the ranking engine's own pipelines), measured in
  the same run on ``--loop`` sampled matrices and weight vectors;
* the time per evaluation of the vectorised core (preprocessing, aggregation
  and ranking of pre-drawn samples) and the ratio of the two ("ratio"), and
  the ratio against the whole SMAA run per sample ("ratio SMAA", which also
  pays for sampling, the confidence pass and the statistics).

Targets (2-core machine): whole 100,000-sample run at most 1.0 s wall, and at
least 1000 × faster per evaluation than the scikit-criteria loop. ``--check``
makes the exit code 1 when a target is missed (the speed target is checked on
"ratio").
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import tracemalloc
import warnings

import numpy as np
import pandas as pd

from procurement.mcda import fastrank
from procurement.uncertainty import smaa as S
from procurement.mcda.methods import get_method
from procurement.mcda.ranking import decision_matrix


def problem(m: int = 10, n: int = 15, seed: int = 2026):
    rng = np.random.default_rng(seed)
    likely = rng.uniform(2, 8, (m, n))
    low = likely - rng.uniform(0.2, 2, (m, n))
    high = likely + rng.uniform(0.2, 2, (m, n))
    objectives = np.where(np.arange(n) % 4 == 3, -1, 1)
    return low, likely, high, objectives


def skcriteria_per_evaluation(method: str, low, likely, high, objectives, loops: int) -> float:
    """Seconds per evaluation of the method's scikit-criteria pipeline on sampled inputs."""
    m, n = likely.shape
    sampler = S.ThreePointScores(low, likely, high)
    rng = np.random.default_rng(1)
    xs = np.moveaxis(sampler.draw(rng, loops), -1, 0)
    ws = S.UniformWeights(n).draw(rng, loops).T
    cols = [f"c{j}" for j in range(n)]
    alts = [f"o{i}" for i in range(m)]
    obj = pd.Series(objectives, index=cols)
    pipe = get_method(method).pipeline()
    mats = [decision_matrix(pd.DataFrame(x, index=alts, columns=cols), obj, pd.Series(w, index=cols))
            for x, w in zip(xs, ws, strict=True)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pipe.evaluate(mats[0])  # warm up
        t = time.perf_counter()
        for dm in mats:
            pipe.evaluate(dm)
        return (time.perf_counter() - t) / loops


def core_per_evaluation(method: str, low, likely, high, objectives, samples: int) -> float:
    """Seconds per evaluation of the vectorised core (preprocess, aggregate, rank), samples pre-drawn."""
    n = likely.shape[1]
    sampler = S.ThreePointScores(low, likely, high)
    rng = np.random.default_rng(2)
    blocks = []
    left = samples
    while left > 0:
        size = min(S.BLOCK, left)
        blocks.append((sampler.draw(rng, size), S.UniformWeights(n).draw(rng, size)))
        left -= size
    t = time.perf_counter()
    for x, w in blocks:
        prep = fastrank.prepare_t(method, x, objectives)
        s = fastrank.aggregate_t(method, prep, w, normalised=True)
        fastrank.tie_groups_t(s)
    return (time.perf_counter() - t) / samples


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--samples", type=int, default=100_000)
    ap.add_argument("--loop", type=int, default=300, help="scikit-criteria evaluations to time (default 300)")
    ap.add_argument("--methods", default="wsm,topsis")
    ap.add_argument("--threads", type=int, default=None, help="threads for the SMAA blocks (default: up to 2)")
    ap.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = ap.parse_args(argv)
    low, likely, high, objectives = problem()
    m, n = likely.shape
    print(f"SMAA-2 benchmark: {m} options × {n} criteria, {args.samples:,} samples, weights uniform + triangular scores")
    print(f"machine: {os.cpu_count()} CPUs, numpy {np.__version__}, threads {S._workers(args.threads)}, block {S.BLOCK}")
    total_wall = 0.0
    ok = True
    rows = []
    for method in args.methods.split(","):
        scores = S.ThreePointScores(low, likely, high)
        weights = S.UniformWeights(n)
        S.run_smaa(method, objectives, weights, scores, 5_000, 0, threads=args.threads)  # warm up
        t0, c0 = time.perf_counter(), time.process_time()
        r = S.run_smaa(method, objectives, weights, scores, args.samples, S.DEFAULT_SEED, threads=args.threads)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        total_wall += wall
        tracemalloc.start()
        S.run_smaa(method, objectives, weights, scores, args.samples, S.DEFAULT_SEED, threads=args.threads)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        sk = skcriteria_per_evaluation(method, low, likely, high, objectives, args.loop)
        per = wall / args.samples
        core = core_per_evaluation(method, low, likely, high, objectives, min(args.samples, 100_000))
        ratio = sk / core
        assert np.allclose(r.acceptability.sum(axis=0), 1) and np.allclose(r.acceptability.sum(axis=1), 1)
        met = wall <= 1.0 and ratio >= 1000
        ok &= met
        rows.append((method, wall, cpu, peak / 2**20, per * 1e6, core * 1e6, sk * 1e6, ratio, sk / per, met))
    print()
    print(f"{'method':8} {'wall s':>7} {'cpu s':>7} {'peak MB':>8} {'SMAA µs/sample':>15} {'core µs/eval':>13} "
          f"{'skc µs/eval':>12} {'ratio':>7} {'ratio SMAA':>11}  target")
    for method, wall, cpu, peak, per, core, sk, ratio, ratio_all, met in rows:
        print(f"{method:8} {wall:7.3f} {cpu:7.3f} {peak:8.1f} {per:15.2f} {core:13.2f} {sk:12.1f} {ratio:7.0f} "
              f"{ratio_all:11.0f}  {'met' if met else 'MISSED'}")
    print("\nratio = scikit-criteria µs per evaluation / core µs per evaluation (preprocess + aggregate + rank);")
    print("ratio SMAA = the same against the whole SMAA-2 run per sample (sampling, both passes, statistics).")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    print(f"\nall methods: {total_wall:.3f} s wall; process peak RSS {rss:.0f} MB")
    print("targets: ≤ 1.0 s wall per 100,000-sample run, ≥ 1000 × faster per evaluation than scikit-criteria")
    if args.check and not ok:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
