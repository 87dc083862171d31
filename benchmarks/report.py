"""Benchmark: wall time of the default report against the papermill floor measured in the same run.

Run::

    .venv/bin/python benchmarks/report.py                 # 3 rounds, default scenario, default kernels
    .venv/bin/python benchmarks/report.py --rounds 5 --compare --check

Each round times, as whole processes, taking turns (so a machine whose speed
drifts slows both alike):

* **report**: ``procurement run [SCENARIO] --out TMP --no-progress`` (every report
  notebook, HTML, Excel, manifest), exactly what ``make run`` does;
* **floor**: one Python process that runs the same number of trivial notebooks
  (one code cell, ``x = 1``) through ``papermill.execute_notebook``, one after
  the other, each with its own kernel: what running that many notebooks costs
  before any of our imports or analysis;
* with ``--compare`` also **fresh kernels**: the report with
  ``--fresh-kernels`` (a new kernel per notebook, as before the runner kept one
  kernel per worker).

Printed: minimum and median of each, and the ratio report / floor (medians).
``--check`` exits 1 when the report's median exceeds ``--target`` seconds
(default 10). The machine this project is measured on has 2 cores; timings on a
shared machine are noisy, which is why the floor is measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FLOOR = """\
import sys, time, nbformat, papermill
from nbformat.v4 import new_code_cell, new_notebook
n, folder = int(sys.argv[1]), sys.argv[2]
nb = new_notebook(cells=[new_code_cell("x = 1")])
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
src = f"{folder}/trivial.ipynb"
nbformat.write(nb, src)
for i in range(n):
    papermill.execute_notebook(src, f"{folder}/out-{i}.ipynb", kernel_name="python3", progress_bar=False)
"""


def procurement() -> list[str]:
    script = Path(sys.executable).with_name("procurement")
    return [str(script)] if script.exists() else [sys.executable, "-m", "procurement"]


def notebook_count(scenario: str | None) -> int:
    from procurement.report.plan import DEFAULT_SCENARIO, prepare

    return len(prepare(scenario or DEFAULT_SCENARIO, root=ROOT).notebooks)


def timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed (exit {done.returncode}): {done.stderr[-800:]}")
    return seconds


def commands(scenario: str | None, n: int, folder: Path, compare: bool) -> dict[str, list[str]]:
    run = [*procurement(), "run", *([scenario] if scenario else []), "--out", str(folder / "reports"), "--no-progress"]
    out = {"report": run, "floor": [sys.executable, "-c", FLOOR, str(n), str(folder)]}
    if compare:
        out["report, fresh kernels"] = [*run, "--fresh-kernels"]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scenario", nargs="?", default=None, help="scenario file (default: the example case's default.yaml)")
    ap.add_argument("--rounds", type=int, default=3, help="timed rounds after one warm-up (default 3)")
    ap.add_argument("--compare", action="store_true", help="also time the report with a fresh kernel per notebook")
    ap.add_argument("--target", type=float, default=10.0, help="seconds the report's median may take (default 10)")
    ap.add_argument("--check", action="store_true", help="exit 1 when the report misses --target")
    args = ap.parse_args(argv)

    n = notebook_count(args.scenario)
    times: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        cmds = commands(args.scenario, n, Path(tmp), args.compare)
        for cmd in cmds.values():  # warm-up: file and bytecode caches
            timed(cmd)
        for _ in range(args.rounds):
            for name, cmd in cmds.items():
                times.setdefault(name, []).append(timed(cmd))
    floor = statistics.median(times["floor"])
    print(f"{n} notebooks, {args.rounds} rounds, {os.cpu_count()} cores")
    print(f"{'':24} {'min s':>7} {'median s':>9} {'/ floor':>8}")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"{name:24} {min(ts):7.2f} {med:9.2f} {med / floor:8.2f}")
    report = statistics.median(times["report"])
    verdict = "ok" if report <= args.target else "too slow"
    print(f"report median {report:.2f} s against the target {args.target:.0f} s: {verdict}")
    return 1 if args.check and report > args.target else 0


if __name__ == "__main__":
    sys.exit(main())
