"""Benchmark: `procurement papers` for every participating municipality, and how it scales from 1 to 2 workers.

Run::

    .venv/bin/python benchmarks/papers.py                 # every paper on 2 workers, then on 1
    .venv/bin/python benchmarks/papers.py --subset 40     # the 1- and 2-worker comparison on 40 papers only

Measured, each as a whole command in a fresh output folder (so nothing is skipped as unchanged):

* **reference**: one paper (Bergen, 4601) by the command on one worker: what an advisor waits for one paper, with
  the cluster's start, the kernel's start and the national analysis included;
* **all**: every participating municipality on ``--workers 2`` (target ≤ 5 min on 2 cores), its total wall time, the
  median time of one paper on a worker (the notebook's execution as the worker measured it, from ``papers.json``)
  and the ratio of the total to the reference;
* **speed-up**: the same papers (or the first ``--subset`` of them) on ``--workers 1``; the ratio of the two wall
  times (target ≥ 1.7, issue 27). The start-up (cluster, kernel, imports, national analysis: the reference minus
  one paper) is paid once whatever the number of workers, so a small subset shows a smaller speed-up.

From the median per-paper cost it extrapolates to a 32-worker cluster: start-up (the reference minus one paper)
plus ``ceil(n / 32)`` papers one after another. The load average at the start is printed: a busy machine makes
every wall time longer.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "data" / "national-municipal-solution"
REFERENCE_ID = "4601"


def participating() -> list[str]:
    sys.path.insert(0, str(ROOT / "src"))
    import procurement as pw

    a = pw.Analysis(pw.load_case(CASE), "default")
    return sorted(a.municipalities(participating=True).index)


def timed(ids: list[str], workers: int, out: Path) -> float:
    cmd = [sys.executable, "-m", "procurement", "papers", "--no-progress", "--municipalities", ",".join(ids),
           "--workers", str(workers), "--out", str(out)]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"papers failed (exit {done.returncode}): {done.stderr[-800:]}")
    return wall


def per_paper(out: Path) -> list[float]:
    papers = json.loads((out / "papers.json").read_text(encoding="utf-8"))["papers"]
    return [float(p["seconds"]) for p in papers.values() if p.get("seconds") is not None]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--subset", type=int, default=0,
                    help="papers for the 1- and 2-worker comparison (default 0: all of them)")
    args = ap.parse_args(argv)
    ids = participating()
    print(f"load average at start: {', '.join(f'{x:.2f}' for x in os.getloadavg())}; {len(ids)} participating "
          f"municipalities; cores: {os.cpu_count()}")
    with tempfile.TemporaryDirectory(prefix="bench-papers-") as tmp:
        work = Path(tmp)
        ref = timed([REFERENCE_ID], 1, work / "ref")
        print(f"reference: one paper by the command on 1 worker: {ref:.1f} s")
        total = timed(ids, 2, work / "all")
        costs = per_paper(work / "all")
        median = statistics.median(costs)
        print(f"all {len(ids)} papers on 2 workers: {total:.1f} s ({total / 60:.2f} min; target <= 5 min); "
              f"per paper on a worker: median {median:.2f} s (min {min(costs):.2f}, max {max(costs):.2f}); "
              f"ratio to the one-paper reference {total / ref:.1f}")
        subset = ids[: args.subset] if args.subset else ids
        two = total if len(subset) == len(ids) else timed(subset, 2, work / "w2")
        one = timed(subset, 1, work / "w1")
        print(f"{len(subset)} papers: 1 worker {one:.1f} s, 2 workers {two:.1f} s; speed-up {one / two:.2f} "
              f"(target >= 1.7)")
        start = max(ref - median, 0.0)
        rounds = math.ceil(len(ids) / 32)
        print(f"extrapolated to 32 workers: start-up {start:.1f} s + {rounds} rounds x {median:.2f} s = "
              f"{start + rounds * median:.1f} s (the client writes each paper as it comes back; not measured here)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
