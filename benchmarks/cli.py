"""Benchmark: cold start of the command line, timed as whole processes.

Run::

    .venv/bin/python benchmarks/cli.py              # 7 runs of every command
    .venv/bin/python benchmarks/cli.py --runs 11 --check

Every command is started as a fresh process on the example case, its output thrown away: ``procurement
validate``, ``rank`` (the scenario's methods), ``route``, ``cba`` (the default samples), ``sensitivity`` (the
default samples) and ``tender evaluate``, and, as the reference, ``python -c "import procurement"``. The commands
take turns, run by run (A B C … A B C …), so that a machine whose speed drifts during the benchmark (two cores
shared with other work) slows all of them alike. After one warm-up round that is not counted (it fills the file
cache and the bytecode cache: the commands run with ``PYTHONDONTWRITEBYTECODE`` unset, as an installed package has
its bytecode, so that no run compiles the package's sources again), each command runs ``--runs`` times.

Printed per command: the minimum and the median wall time, the median CPU time of the process (user + system:
what the command costs, whatever else the machine is doing), and the ratio of its median wall time to the median
of ``import procurement`` in the same run. Each command is checked against the target: median wall time at most
``--target`` seconds (default 1.0 s, issue 22) on an idle machine; the load average at the start is printed, since a
busy machine makes every wall time longer. ``--check`` makes the exit code 1 when a command misses the target.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "data" / "national-municipal-solution"
REFERENCE = "import procurement"


def commands() -> dict[str, list[str]]:
    py = sys.executable
    cli = [py, "-m", "procurement"]
    case = str(CASE)
    return {
        REFERENCE: [py, "-c", "import procurement"],
        "validate": [*cli, "validate", case],
        "rank": [*cli, "rank", case, "--decision", "contract-strategy"],
        "route": [*cli, "route", "--value", "2000000", "--authority", "municipal", "--kind", "services"],
        "cba": [*cli, "cba", case, "--decision", "contract-strategy"],
        "sensitivity": [*cli, "sensitivity", case, "--decision", "contract-strategy"],
        "tender evaluate": [*cli, "tender", "evaluate", case, "--competition", "dialogue-final-round"],
    }


#: The commands' environment: this one, able to write bytecode (the warm-up round writes it, the counted runs read it).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_once(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system of the child) of one run of `cmd`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT, env=ENV, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed (exit {done.returncode}): {done.stderr.decode()[-500:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(cmds: dict[str, list[str]], runs: int) -> dict[str, list[tuple[float, float]]]:
    for cmd in cmds.values():  # warm-up round, not counted
        run_once(cmd)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in cmds}
    for _ in range(runs):
        for name, cmd in cmds.items():
            times[name].append(run_once(cmd))
    return times


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7, help="counted runs of every command (default 7)")
    ap.add_argument("--target", type=float, default=1.0, help="target median wall time of a command in seconds (default 1.0)")
    ap.add_argument("--check", action="store_true", help="exit 1 when a command misses the target")
    args = ap.parse_args(argv)

    load = os.getloadavg()[0]
    times = measure(commands(), args.runs)
    base = statistics.median(w for w, _ in times[REFERENCE])
    print(f"{args.runs} runs per command after one warm-up round; python {sys.version.split()[0]}; "
          f"{os.cpu_count()} cores, load average {load:.2f} at the start")
    print(f"{'command':<20} {'min s':>7} {'median s':>9} {'cpu s':>7} {'× import':>9}  target")
    missed = []
    for name, ts in times.items():
        walls = [w for w, _ in ts]
        med, cpu = statistics.median(walls), statistics.median(c for _, c in ts)
        verdict = ""
        if name != REFERENCE:
            ok = med <= args.target
            verdict = f"{'pass' if ok else 'FAIL'} (≤ {args.target:g} s)"
            if not ok:
                missed.append(name)
        print(f"{name:<20} {min(walls):>7.3f} {med:>9.3f} {cpu:>7.3f} {med / base:>9.2f}  {verdict}")
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
