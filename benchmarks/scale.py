"""Benchmark: cost linear in the size of a case: `tender` with 1,000 tenderers, `cba` with 50 options (issue 26).

Run::

    .venv/bin/python benchmarks/scale.py                  # both, with their references
    .venv/bin/python benchmarks/scale.py --tenderers 1000 --options 50 --check

Cases: copies of the example case in a temporary folder.

* ``tender``: the dialogue competition with ``--tenderers`` tenders (seeded prices 1,200-2,800 and whole scores 3-9
  from three evaluators on the four quality criteria; the sealed model unchanged). Timed: ``procurement tender CASE``
  in process (reading, evaluation, what it would take, the ranking-paradox check and the printed report), best of
  ``--repeat`` after one warm-up run (the imports are not timed). Also timed at half the size: the growth exponent
  log(t(n) / t(n/2)) / log 2 is about 1 for a linear cost and 2 for a quadratic one. Reference, in the same run:
  the direct search that was used before (each losing tenderer's price to win by bisection over the totals of the
  whole field, one tenderer at a time) on ``--reference`` tenderers, and extrapolated to ``--tenderers`` with its n²
  growth (n losers, each trial over n tenders).
* ``cba``: the contract strategy with ``--options`` options (copies of the dialogue option with amounts 0.1 % apart,
  and their scores, effects, risks and enforcement rows). Timed: ``procurement cba CASE --scenario default`` (10,000
  samples) in process, best of ``--repeat`` after a warm-up; also at half the size (the growth exponent) and, as the
  reference, the example case itself (8 options) in the same run.

Targets (the 2-core machine, shared): ``tender`` with 1,000 tenderers at most 2.0 s and ``cba`` with 50 options at
most 2.0 s. ``--check`` makes the exit code 1 when one is missed.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import math
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from procurement.cli import main as cli
from procurement.tender import evaluate, load_competition
from procurement.tender.evaluate import prices_to_win, totals

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "national-municipal-solution"
COMPETITION = "dialogue-final-round"
TEMPLATE = "dialogue-total"
TARGET_S = 2.0


def copy_example(folder: Path) -> Path:
    case = folder / "data" / "nms"
    shutil.copytree(EXAMPLE, case)
    shutil.copytree(ROOT / "criteria", folder / "criteria")
    return case


def with_tenderers(folder: Path, n: int) -> Path:
    case = copy_example(folder)
    rng = random.Random(26)
    tenders, scores = ["tenderer,name,price"], ["evaluator,tenderer,criterion,score,justification"]
    for i in range(n):
        t = f"supplier-{i:04d}"
        tenders.append(f"{t},Supplier {i},{rng.uniform(1200, 2800):.1f}")
        scores += [f"{e},{t},{c},{rng.randint(3, 9)},ok" for e in ("ingrid", "lars", "sofie")
                   for c in ("usability", "functionality", "implementation", "risk")]
    comp = case / "tenders" / COMPETITION
    (comp / "tenders.csv").write_text("\n".join(tenders) + "\n", encoding="utf-8")
    (comp / "evaluations.csv").write_text("\n".join(scores) + "\n", encoding="utf-8")
    return case


def _rows(path: Path) -> tuple[str, list[dict[str, str]]]:
    text = path.read_text(encoding="utf-8")
    return text, list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


def with_options(folder: Path, n: int) -> Path:
    """The example case with copies of the dialogue option until the contract strategy has `n` options."""
    case = copy_example(folder)
    _, options = _rows(case / "options.csv")
    extra = n - sum(1 for r in options if r["decision"] == "contract-strategy")
    for name, column in (("options.csv", "id"), ("scores.csv", "option"), ("cashflows.csv", "option"),
                         ("effects.csv", "option"), ("risks.csv", "option"), ("enforcement.csv", "option")):
        text, rows = _rows(case / name)
        mine = [r for r in rows if r["decision"] == "contract-strategy" and r[column] == TEMPLATE]
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        for k in range(extra):
            for r in mine:
                r = dict(r, **{column: f"{TEMPLATE}-{k + 2}"})
                if name == "options.csv":
                    r["name_nb"] = r["name_en"] = f"{r['name_en']} {k + 2}"
                if name == "cashflows.csv":
                    for c in ("low", "likely", "high"):
                        r[c] = repr(float(r[c]) * (1 + 0.001 * (k + 1)))
                writer.writerow(r)
        (case / name).write_text(text.rstrip("\n") + "\n" + out.getvalue(), encoding="utf-8")
    return case


def timed(argv: list[str], repeat: int) -> float:
    """Best wall seconds of the command line in process, after one warm-up run."""
    best = math.inf
    for i in range(repeat + 1):
        t = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            code = cli(argv)
        if code != 0:
            raise SystemExit(f"{' '.join(argv)} ended with {code}")
        if i:
            best = min(best, time.perf_counter() - t)
    return best


def direct_prices_to_win(ev) -> tuple[list[float | None], float]:
    """The search used before: per losing tenderer, a bisection whose every trial computes the whole field."""
    prices, quality = ev.prices(), ev.quality_scores()
    t0 = time.perf_counter()
    out: list[float | None] = []
    losers = [ev.tenderers.index(t) for t, r in zip(ev.table["tenderer"], ev.table["rank"], strict=True) if r != 1]
    for who in losers:
        def lead(p: float, who: int = who) -> float:
            q = prices.copy()
            q[who] = p
            t = totals(ev.model, q, quality)
            return float(t[who] - np.max(np.delete(t, who)))

        hi = prices[who]
        lo = hi * 1e-6
        if lead(lo) <= 0:
            out.append(None)
            continue
        if lead(hi) >= 0:
            out.append(float(hi))
            continue
        for _ in range(200):
            mid = 0.5 * (lo + hi)
            lo, hi = (mid, hi) if lead(mid) > 0 else (lo, mid)
            if hi - lo <= 1e-12 * prices[who]:
                break
        out.append(0.5 * (lo + hi))
    return out, time.perf_counter() - t0


def bench_tender(n: int, reference: int, repeat: int, tmp: Path) -> bool:
    big = with_tenderers(tmp / f"t{n}", n)
    half = with_tenderers(tmp / f"t{n // 2}", n // 2)
    t_n, t_half = timed(["tender", str(big)], repeat), timed(["tender", str(half)], repeat)
    ev = evaluate(load_competition(with_tenderers(tmp / f"r{reference}", reference), COMPETITION))
    direct, direct_s = direct_prices_to_win(ev)
    losers = [ev.tenderers.index(t) for t, r in zip(ev.table["tenderer"], ev.table["rank"], strict=True) if r != 1]
    t0 = time.perf_counter()
    fast = prices_to_win(ev, losers)
    fast_s = time.perf_counter() - t0
    same = all((a is None and b is None) or (a is not None and b is not None and abs(a - b) <= 1e-9 * abs(b))
               for a, b in zip(fast, direct, strict=True))
    print(f"tender, {n:,} tenderers: {t_n:.3f} s (best of {repeat}); {n // 2:,} tenderers: {t_half:.3f} s; "
          f"growth exponent {math.log(t_n / t_half, 2):.2f}")
    print(f"  reference on {reference:,} tenderers, price to win of {len(losers):,} losers: direct search {direct_s:.3f} s, "
          f"over the candidates {fast_s:.3f} s ({direct_s / fast_s:.0f}x), same prices: {'yes' if same else 'NO'}; "
          f"the direct search extrapolated to {n:,} tenderers (n^2): {direct_s * (n / reference) ** 2:.0f} s")
    ok = t_n <= TARGET_S and same
    print(f"  target: {n:,} tenderers <= {TARGET_S} s: {'met' if t_n <= TARGET_S else 'MISSED'}")
    return ok


def bench_cba(n: int, repeat: int, tmp: Path) -> bool:
    big, half = with_options(tmp / f"o{n}", n), with_options(tmp / f"o{n // 2}", n // 2)
    args = ["--scenario", "default"]
    t_n, t_half = timed(["cba", str(big), *args], repeat), timed(["cba", str(half), *args], repeat)
    t_ref = timed(["cba", str(EXAMPLE), *args], repeat)
    print(f"cba, {n} options, 10,000 samples: {t_n:.3f} s (best of {repeat}); {n // 2} options: {t_half:.3f} s; "
          f"growth exponent {math.log(t_n / t_half, 2):.2f}")
    print(f"  reference, the example case (8 options) in the same run: {t_ref:.3f} s; per option beyond it: "
          f"{(t_n - t_ref) / (n - 8) * 1000:.1f} ms")
    print(f"  target: {n} options <= {TARGET_S} s: {'met' if t_n <= TARGET_S else 'MISSED'}")
    return t_n <= TARGET_S


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tenderers", type=int, default=1000)
    ap.add_argument("--reference", type=int, default=200, help="tenderers of the direct-search reference")
    ap.add_argument("--options", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="scale-") as tmp:
        ok = bench_tender(args.tenderers, args.reference, args.repeat, Path(tmp))
        ok = bench_cba(args.options, args.repeat, Path(tmp)) and ok
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
