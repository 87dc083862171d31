"""Benchmark: one decision ranked for hundreds of stakeholder profiles by every method.

Run::

    .venv/bin/python benchmarks/stakeholders.py              # 357 synthetic profiles
    .venv/bin/python benchmarks/stakeholders.py --profiles 100 --check

The decision is the example case's ``contract-strategy`` (data/national-municipal-solution)
with ``--profiles`` synthetic municipal weight profiles added in memory (the
case's files are not touched): each is one of the case's seven profiles in
percentage points with every weight multiplied by a log-normal factor (σ = 0.3)
and rounded to a whole number, seeded (``--seed``).

Timed, in the same run:

* (a) :func:`procurement.mcda.ranking.rank_many` for every method of the
  registry × every profile (the case's and the synthetic ones): the methods
  with a vectorised kernel prepare the matrix once and score all profiles in
  one matrix product; the others run their decision maker per profile on the
  matrix steps cached once. Minimum and median of ``--repeat`` runs; and the
  time per method (one call each).
* (b) the reference: the per-profile pipeline loop, a fresh scikit-criteria
  pipeline (``Method.pipeline(...).evaluate(DecisionMatrix)``) per profile and
  method, as ranking one profile at a time does without the vectorised path.
* (c) for information, :func:`procurement.mcda.stakeholders.stakeholder_dicts`
  for every method that ranks every profile (agreement and leave-one-out over
  all groups, what ``procurement rank --profile all --format json`` adds).

Printed: each time, the ratio (b)/(a), the number of (profile, method) ranks on
which (a) and (b) disagree (0 expected; a tie that the pipeline splits by
rounding noise, below :data:`procurement.mcda.fastrank.RTOL`, is not counted),
and pass/fail of (a) against the target, ``--target`` seconds (default 5).
``--check`` makes the exit code 1 when the target is missed or a rank differs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "data" / "national-municipal-solution"
DECISION = "contract-strategy"


def decision_with_profiles(count: int, seed: int):
    from procurement.case.loader import load_case

    d = load_case(CASE).decision(DECISION)
    rng = np.random.default_rng(seed)
    bases = [100 * d.profiles[g].loc[d.criterion_ids].to_numpy(dtype=float) / d.profiles[g].sum() for g in d.profiles]
    for k in range(count):
        w = np.round(bases[k % len(bases)] * rng.lognormal(0.0, 0.3, len(d.criterion_ids)))
        if w.sum() == 0:
            w[0] = 1.0
        d.profiles[f"municipality-{k + 1:03d}"] = pd.Series(w, index=d.criterion_ids)
    return d


def vectorised(d, methods):
    from procurement.mcda.ranking import rank_many

    return rank_many(d, methods, list(d.profiles))


def one_method(d, method):
    """rank_many's work for one method (screening included), skipping the profiles it cannot rank."""
    from procurement.mcda.ranking import prepare, rank_sets

    return rank_sets(prepare(d), [method], [(g, None) for g in d.profiles])


def pipeline_loop(d, methods) -> dict[tuple[str, str], np.ndarray | None]:
    """Ranks by a fresh scikit-criteria pipeline per profile and method (None where it cannot run)."""
    import skcriteria as skc

    from procurement.mcda.methods import METHODS
    from procurement.mcda.ranking import prepare, weights_for

    prep = prepare(d)
    x = prep.matrix.to_numpy(dtype=float)
    obj = prep.objectives.loc[prep.matrix.columns].to_numpy()
    out: dict[tuple[str, str], np.ndarray | None] = {}
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        for g in d.profiles:
            w = weights_for(d, g).loc[prep.matrix.columns].to_numpy(dtype=float)
            for name in methods:
                m = METHODS[name]
                if m.why_not(x, obj, w):
                    out[(g, name)] = None
                    continue
                res = m.pipeline(**prep.context(m)).evaluate(skc.mkdm(x, obj, weights=w))
                out[(g, name)] = np.where(res.kernel_, 1, 2) if m.kind == "kernel" else np.asarray(res.rank_, dtype=int)
    return out


def splits_a_tie_only(ours: np.ndarray, ref: np.ndarray) -> bool:
    """True when ref orders every pair that ours orders, the same way: it only splits some of our ties
    (which our ranks hold because the scores differ by rounding noise, below RTOL)."""
    o = np.sign(ours[:, None] - ours[None, :])
    r = np.sign(ref[:, None] - ref[None, :])
    return bool(np.all(r[o != 0] == o[o != 0]))


def disagreements(rankings, reference) -> int:
    bad = 0
    for r in rankings:
        ref = reference[(r.profile, r.method)]
        ours = r.table["rank"].to_numpy()
        if ref is not None and not np.array_equal(ours, ref) and not splits_a_tie_only(ours, ref):
            bad += 1
    return bad


def timed(fn, *args):
    t0 = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - t0, out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--profiles", type=int, default=357, help="synthetic profiles added to the case's (default 357)")
    ap.add_argument("--seed", type=int, default=20261125)
    ap.add_argument("--repeat", type=int, default=3, help="runs of (a) (default 3)")
    ap.add_argument("--target", type=float, default=5.0, help="target for (a) in seconds (default 5)")
    ap.add_argument("--check", action="store_true", help="exit 1 when the target is missed or a rank differs")
    args = ap.parse_args(argv)

    from procurement.mcda.methods import METHODS

    methods = list(METHODS)
    d = decision_with_profiles(args.profiles, args.seed)
    vectorised(d, methods[:1])  # warm-up: imports, screening code paths
    runs = []
    for _ in range(args.repeat):
        seconds, (rankings, skipped) = timed(vectorised, d, methods)
        runs.append(seconds)
    per_method = {m: timed(one_method, d, m)[0] for m in methods}
    ref_seconds, reference = timed(pipeline_loop, d, methods)
    from procurement.mcda.stakeholders import stakeholder_dicts

    ok = [m for m in methods if not any(x["method"] == m for x in skipped)]  # as `procurement rank --profile all` does
    dicts_seconds, _ = timed(stakeholder_dicts, d, ok)

    a = statistics.median(runs)
    wrong = disagreements(rankings, reference)
    print(f"{DECISION}: {len(d.profiles)} profiles ({args.profiles} synthetic) × {len(methods)} methods = "
          f"{len(rankings)} rankings, {len(skipped)} skipped (method cannot run on those weights)")
    print(f"(a) rank_many, every method × every profile: min {min(runs):.3f} s, median {a:.3f} s over {args.repeat} runs")
    for m, s in per_method.items():
        print(f"      {m:<11} {s:7.3f} s  {'kernel' if METHODS[m].kernel is not None else 'pipeline (cached matrix steps)'}")
    print(f"(b) per-profile pipeline loop (reference): {ref_seconds:.3f} s")
    print(f"    ratio (b)/(a): {ref_seconds / a:.1f}")
    print(f"(c) stakeholder_dicts, the {len(ok)} methods that rank every profile (agreement, leave-one-out): "
          f"{dicts_seconds:.3f} s")
    print(f"ranks that differ between (a) and (b): {wrong}")
    ok = a <= args.target
    print(f"target (a) ≤ {args.target:g} s: {'pass' if ok else 'FAIL'}")
    return 1 if args.check and (not ok or wrong) else 0


if __name__ == "__main__":
    sys.exit(main())
