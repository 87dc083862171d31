"""Benchmark: the pre-opening tender simulation, 100,000 fields x 4 price models x 10 tenderers.

Run::

    .venv/bin/python benchmarks/tender.py                 # 100,000 fields, loop reference on 2,000 fields
    .venv/bin/python benchmarks/tender.py --fields 20000 --loop 500 --check

Every field has 10 tenderers (prices log-normal around 100 with sigma 0.15, quality around 6 with sd 1.5,
correlation 0.3; seeded). For each of the four price models (DFØ linear, proportional, fixed reference,
interpolation) at price weight 40 %, :func:`procurement.tender.paradox.field_outcomes` decides per field whether
removing one tenderer changes which of the others wins (the ranking paradox: ten removals per field) and whether
the winner is the best value for money. Drawing the fields is included in the timed run.

It prints the wall time of the vectorised run, the time per field of the per-field Python loop
(:func:`~procurement.tender.paradox.field_outcomes_loop`, the same computation one field at a time, measured in
the same run on ``--loop`` fields) and the ratio of the two per field, and checks that both give the same answers
on the loop's fields. Target (2-core machine): the whole vectorised run at most 2.0 s. ``--check`` makes the exit
code 1 when it is missed or the answers differ.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from procurement.tender.models import PriceModel, Simulation
from procurement.tender.paradox import Fields, draw_fields, field_outcomes, field_outcomes_loop

TARGET_S = 2.0
MODELS = [PriceModel(kind="linear"), PriceModel(kind="proportional"), PriceModel(kind="fixed-reference", reference=100),
          PriceModel(kind="interpolation", best=60, worst=160)]
WEIGHT = 0.4
VALUE_PER_POINT = 4.0


def simulation(fields: int) -> Simulation:
    return Simulation(fields=fields, tenderers=(10, 10), estimate=100, price_spread=0.15, quality_mean=6,
                      quality_spread=1.5, price_quality_correlation=0.3, value_per_point=VALUE_PER_POINT, seed=2026)


def run(fields: int) -> tuple[float, list[tuple[np.ndarray, np.ndarray]], Fields]:
    t0 = time.perf_counter()
    f = draw_fields(simulation(fields), "benchmark")
    results = [field_outcomes(m, WEIGHT, f, VALUE_PER_POINT) for m in MODELS]
    return time.perf_counter() - t0, results, f


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--fields", type=int, default=100_000)
    ap.add_argument("--loop", type=int, default=2_000, help="fields for the per-field loop reference")
    ap.add_argument("--repeat", type=int, default=3, help="vectorised runs; the best is reported")
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args(argv)

    best, results, fields = min((run(args.fields) for _ in range(args.repeat)), key=lambda r: r[0])
    sub = Fields(fields.prices[: args.loop], fields.quality[: args.loop], fields.present[: args.loop])
    t0 = time.perf_counter()
    loop = [field_outcomes_loop(m, WEIGHT, sub, VALUE_PER_POINT) for m in MODELS]
    loop_s = time.perf_counter() - t0
    same = all(np.array_equal(v[0][: args.loop], s[0]) and np.array_equal(v[1][: args.loop], s[1])
               for v, s in zip(results, loop, strict=True))

    n_models = len(MODELS)
    print(f"tender simulation: {args.fields:,} fields x {n_models} price models x 10 tenderers, price weight {WEIGHT:.0%}")
    for m, (paradox, misses) in zip(MODELS, results, strict=True):
        print(f"  {m.kind:16s} paradox {paradox.mean():7.2%}   best value for money does not win {misses.mean():7.2%}")
    per_field_vec = best / args.fields
    per_field_loop = loop_s / args.loop
    print(f"vectorised: {best:.3f} s wall (best of {args.repeat}), {per_field_vec * 1e6:.2f} us per field (all models)")
    print(f"per-field loop: {loop_s:.3f} s on {args.loop:,} fields, {per_field_loop * 1e6:.1f} us per field; "
          f"extrapolated to {args.fields:,} fields: {per_field_loop * args.fields:.1f} s")
    print(f"ratio (loop / vectorised, per field): {per_field_loop / per_field_vec:.0f}x")
    print(f"same answers on the loop's fields: {'yes' if same else 'NO'}")
    ok = best <= TARGET_S and same
    print(f"target: whole run <= {TARGET_S} s: {'met' if best <= TARGET_S else 'MISSED'}")
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
