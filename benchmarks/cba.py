"""Wall time of the R-109 Monte Carlo: 100,000 samples, against a naive per-sample loop; 10 million in bounded memory.

Run: ``.venv/bin/python benchmarks/cba.py [--samples N] [--naive-samples M] [--big N | --big 0] [--cold N | --cold 0]``.

Targets: 100,000 samples of the example case under 1 s (CPU time; the machine
may be shared, so wall time is printed too), and ``--big`` samples (default 10
million) completing in bounded memory: the draws are not kept, statistics come
from passes over blocks (see :func:`procurement.cba.simulation.simulate`). The big run
is a separate process so that its peak resident memory (``ru_maxrss``) is its own.

Cases timed:

* the example case's contract strategy (8 options x 4 categories x 15 years),
  if it loads;
* a synthetic case of the same shape where every row has its own triangular
  shape, so the grouping of rows with a common shape cannot help (worst case).

``--cold N`` (default 5) also starts ``procurement cba`` on the example case with the default scenario
(10,000 samples, JSON) N times in fresh processes: median wall and CPU time (target: 1.0 s wall on the idle
2-core machine), with its ratio to ``python -c "import procurement"`` measured in the same run.

The naive reference draws every sample in a Python loop (one uniform per option
and category, the triangular inverse and the weighted sum row by row) on
``--naive-samples`` samples; its time is scaled linearly to the full run.
"""

from __future__ import annotations

import argparse
import math
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from procurement.case.cashflows import CATEGORIES
from procurement.case.loader import load_case
from procurement.cba.case_flows import case_cashflows
from procurement.cba.model import build_model
from procurement.cba.parameters import CbaParameters, load_parameters
from procurement.cba.simulation import simulate

ROOT = Path(__file__).resolve().parents[1]
SYNTHETIC_CATEGORIES = ("investment", "operations", "transition", "benefit")


def synthetic(seed: int = 1) -> tuple[pd.DataFrame, list[str]]:
    """8 options x 4 categories x 15 years, each row with its own three-point shape."""
    rng = np.random.default_rng(seed)
    options = ["zero"] + [f"option-{i}" for i in range(1, 8)]
    rows = []
    for o in options:
        for c in SYNTHETIC_CATEGORIES:
            for y in range(2025, 2040):
                likely = rng.uniform(10, 1000) * 1e6
                rows.append((o, y, c, likely * rng.uniform(0.6, 0.95), likely, likely * rng.uniform(1.05, 2.0)))
    df = pd.DataFrame(rows, columns=["option", "year", "category", "low", "likely", "high"])
    df.insert(0, "decision", "synthetic")
    df["source"] = "synthetic"
    df["row"] = np.arange(len(df)) + 2
    return df, options


def naive(flows: pd.DataFrame, options: list[str], base_year: int, params: CbaParameters, samples: int, seed: int) -> np.ndarray:
    """Reference: NPV per sample and option in plain Python loops."""
    model = build_model(flows, options, base_year, params)
    npv_w = model.weights[:, -1]
    rows = list(zip(model.option_index, model.category_index, model.rows["low"], model.rows["likely"], model.rows["high"], npv_w,
                    strict=True))
    rnd = random.Random(seed)
    out = np.zeros((samples, len(options)))
    for s in range(samples):
        u = {(o, c): rnd.random() for o in range(len(options)) for c in range(len(CATEGORIES))}
        for o, c, a, m, b, w in rows:
            p = u[(o, c)]
            fc = (m - a) / (b - a) if b > a else 0.5
            x = a + math.sqrt(p * (b - a) * (m - a)) if p < fc else b - math.sqrt((1 - p) * (b - a) * (b - m))
            out[s, o] += w * x
    return out


def timed(fn, repeat: int = 3) -> float:
    best = math.inf
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def run_case(name: str, flows, options, base_year, params, samples: int, naive_samples: int) -> None:
    simulate(flows, options, base_year, params, samples=1000, seed=1)  # warm-up
    fast = timed(lambda: simulate(flows, options, base_year, params, samples=samples, seed=1))
    slow = timed(lambda: naive(flows, options, base_year, params, naive_samples, 1), repeat=1)
    scaled = slow * samples / naive_samples
    print(f"{name}: {len(flows)} rows, {len(options)} options")
    print(f"  vectorised : {samples:,} samples in {fast:.2f} s (best of 3)")
    print(f"  naive loop : {naive_samples:,} samples in {slow:.2f} s -> {scaled:.1f} s scaled to {samples:,}")
    print(f"  speed-up   : {scaled / fast:.0f}x")


BIG = """
import resource, sys, time, tracemalloc
from procurement.case.loader import load_case
from procurement.cba.case_flows import case_cashflows
from procurement.cba.parameters import load_parameters
from procurement.cba.simulation import simulate
case = load_case(sys.argv[1])
flows, options = case_cashflows(case, "contract-strategy")
params = load_parameters()
tracemalloc.start()
t, c = time.perf_counter(), time.process_time()
sim = simulate(flows, options, case.base_year, params, samples=int(sys.argv[2]), seed=1)
sim.summary()
wall, cpu = time.perf_counter() - t, time.process_time() - c
peak = tracemalloc.get_traced_memory()[1]
print(wall, cpu, peak, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, sim.kept)
"""


def big_run(samples: int) -> None:
    """``samples`` draws of the example case in a child process: wall and CPU time, peak memory."""
    out = subprocess.run([sys.executable, "-c", BIG, str(ROOT / "data" / "national-municipal-solution"), str(samples)],
                         capture_output=True, text=True, check=True).stdout.split()
    wall, cpu, traced, rss, kept = float(out[0]), float(out[1]), int(out[2]), int(out[3]), out[4] == "True"
    one_shot = samples * 7 * 8 * 8 / 2**20  # what keeping the draws would take: 7 measures x 8 options x 8 bytes
    print(f"example case, {samples:,} samples ({'kept' if kept else 'not kept: statistics in passes over blocks'}):")
    print(f"  wall {wall:.1f} s, CPU {cpu:.1f} s; peak memory allocated by the simulation {traced / 2**20:.0f} MB "
          f"(tracemalloc), peak resident memory of the process {rss / 1024:.0f} MB with the loaded case; keeping the "
          f"draws would take about {one_shot:,.0f} MB")


def hundred_thousand() -> None:
    """The 1-second target: 100,000 samples of the example case and their summary."""
    case = load_case(ROOT / "data" / "national-municipal-solution")
    flows, options = case_cashflows(case, "contract-strategy")
    params = load_parameters()
    simulate(flows, options, case.base_year, params, samples=1000, seed=1)
    best_cpu, best_wall = math.inf, math.inf
    for _ in range(3):
        t, c = time.perf_counter(), time.process_time()
        simulate(flows, options, case.base_year, params, samples=100_000, seed=1).summary()
        best_wall, best_cpu = min(best_wall, time.perf_counter() - t), min(best_cpu, time.process_time() - c)
    verdict = "pass" if best_cpu < 1.0 else "FAIL"
    print(f"example case, 100,000 samples with summary: CPU {best_cpu:.2f} s, wall {best_wall:.2f} s (best of 3) "
          f"-> {verdict} against 1.0 s")


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _median_start(argv: list[str], runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds of starting `argv` in a fresh process `runs` times."""
    walls, cpus = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), _child_cpu()
        subprocess.run(argv, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        walls.append(time.perf_counter() - t)
        cpus.append(_child_cpu() - c)
    return statistics.median(walls), statistics.median(cpus)


def cold_start(runs: int) -> None:
    """``procurement cba`` with the default scenario (10,000 samples), in a fresh process: the 1.0 s wall target."""
    command = [sys.executable, "-m", "procurement", "cba", "data/national-municipal-solution", "--scenario", "default",
               "--format", "json"]
    wall, cpu = _median_start(command, runs)
    ref_wall, ref_cpu = _median_start([sys.executable, "-c", "import procurement"], runs)
    verdict = "pass" if wall <= 1.0 else "FAIL (on a busy machine wall time is not the idle figure; see CPU)"
    print(f"procurement cba, default scenario, cold start (median of {runs}): wall {wall:.2f} s, CPU {cpu:.2f} s -> "
          f"{verdict} against 1.0 s wall; python -c 'import procurement': wall {ref_wall:.2f} s, CPU {ref_cpu:.2f} s; "
          f"ratio {wall / ref_wall:.1f}x wall, {cpu / ref_cpu:.1f}x CPU")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=100_000)
    ap.add_argument("--naive-samples", type=int, default=1_000)
    ap.add_argument("--big", type=int, default=10_000_000, help="samples of the bounded-memory run (0 = skip)")
    ap.add_argument("--cold", type=int, default=5, help="cold starts of `procurement cba` to time (0 = skip)")
    args = ap.parse_args()
    if args.cold:
        cold_start(args.cold)
    hundred_thousand()
    params = load_parameters()
    try:
        case = load_case(ROOT / "data" / "national-municipal-solution")
        flows, options = case_cashflows(case, "contract-strategy")
        run_case("example case, contract-strategy", flows, options, case.base_year, params, args.samples, args.naive_samples)
    except Exception as err:  # the benchmark still runs the synthetic case
        print(f"example case skipped: {err}")
    flows, options = synthetic()
    run_case("synthetic, every row its own shape", flows, options, 2024, params, args.samples, args.naive_samples)
    pert = params.model_copy(update={"distribution": "pert"})
    fast = timed(lambda: simulate(flows, options, 2024, pert, samples=args.samples, seed=1))
    print(f"  PERT       : {args.samples:,} samples in {fast:.2f} s (tabulated inverse, 480 shapes)")
    if args.big:
        big_run(args.big)


if __name__ == "__main__":
    main()
