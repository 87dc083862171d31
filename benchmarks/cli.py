"""Benchmark: cold start of the command line, timed as whole processes.

Run::

    .venv/bin/python benchmarks/cli.py              # 7 runs of every command
    .venv/bin/python benchmarks/cli.py --runs 11 --check

Every command is started as a fresh process (``python -c "import procurement"``,
``procurement validate``, ``procurement route …``, ``procurement rank … --method
X`` for the methods with a vectorised kernel), its output thrown away. The
commands take turns, run by run (A B C … A B C …), so that a machine whose speed
drifts during the benchmark (two cores shared with other work) slows all of them
alike. After one warm-up round that is not counted (it fills the file cache and
the bytecode cache), each command runs ``--runs`` times.

Printed per command: the minimum and the median wall time, and the ratio of
its median to the median of ``import procurement`` in the same run (how much a
command costs over the bare interpreter and package). The rank commands are
checked against the target: median at most ``--target`` seconds (default 1.0 s).
``--check`` makes the exit code 1 when a rank command misses it.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "data" / "national-municipal-solution"
RANKED = ("wsm", "wpm", "topsis", "promethee2")


def commands() -> dict[str, list[str]]:
    py = sys.executable
    cli = [py, "-m", "procurement"]
    out = {
        "import procurement": [py, "-c", "import procurement"],
        "procurement validate": [*cli, "validate", str(CASE)],
        "procurement route": [*cli, "route", "--value", "2000000", "--authority", "municipal", "--kind", "services"],
    }
    for m in RANKED:
        out[f"procurement rank --method {m}"] = [*cli, "rank", str(CASE), "--decision", "contract-strategy", "--method", m]
    return out


def run_once(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT, check=False)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed (exit {done.returncode}): {done.stderr.decode()[-500:]}")
    return seconds


def measure(cmds: dict[str, list[str]], runs: int) -> dict[str, list[float]]:
    for cmd in cmds.values():  # warm-up round, not counted
        run_once(cmd)
    times: dict[str, list[float]] = {name: [] for name in cmds}
    for _ in range(runs):
        for name, cmd in cmds.items():
            times[name].append(run_once(cmd))
    return times


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7, help="counted runs of every command (default 7)")
    ap.add_argument("--target", type=float, default=1.0, help="target median of a rank command in seconds (default 1.0)")
    ap.add_argument("--check", action="store_true", help="exit 1 when a rank command misses the target")
    args = ap.parse_args(argv)

    times = measure(commands(), args.runs)
    base = statistics.median(times["import procurement"])
    print(f"{args.runs} runs per command after one warm-up round; python {sys.version.split()[0]}")
    print(f"{'command':<36} {'min s':>7} {'median s':>9} {'× import':>9}  target")
    missed = []
    for name, ts in times.items():
        med = statistics.median(ts)
        verdict = ""
        if name.startswith("procurement rank"):
            ok = med <= args.target
            verdict = f"{'pass' if ok else 'FAIL'} (≤ {args.target:g} s)"
            if not ok:
                missed.append(name)
        print(f"{name:<36} {min(ts):>7.3f} {med:>9.3f} {med / base:>9.2f}  {verdict}")
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
