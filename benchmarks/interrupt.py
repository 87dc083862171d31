"""Benchmark: how long `procurement run` takes to stop after Ctrl-C, against papermill's own stop in the same run.

Run::

    .venv/bin/python benchmarks/interrupt.py              # 3 rounds
    .venv/bin/python benchmarks/interrupt.py --rounds 5

Each round starts, in a fresh process group, a report of a tiny project (the tiny case of tests/conftest.py and
one notebook that writes a marker file and then sleeps), waits for the marker (the kernel is running the cell),
sends SIGINT to the whole group as a terminal does, and times how long the command takes to exit (exit 130, the
`.interrupted` folder written, every kernel stopped). The reference, taking turns with it: the same notebook run
by ``papermill`` alone, interrupted the same way.

The target (issue 21): the run stops within 2 s of Ctrl-C on the idle 2-core machine. The tests check what a stop
must leave behind, waiting for events; how fast it happens is this figure, not an assertion.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import write_case  # noqa: E402 - the tests' tiny case
from test_runner import write_notebook  # noqa: E402

SLEEPER = """\
import pathlib, time
pathlib.Path({marker!r}).write_text("started")
time.sleep(600)"""


def procurement() -> list[str]:
    script = Path(sys.executable).with_name("procurement")
    return [str(script)] if script.exists() else [sys.executable, "-m", "procurement.cli"]


def project(folder: Path) -> tuple[list[str], list[str], Path]:
    """The report command, the papermill command and the marker file of a tiny project in `folder`."""
    case = write_case(folder / "proj" / "data")
    scenario = case / "scenarios" / "tiny.yaml"
    scenario.parent.mkdir()
    scenario.write_text("name: tiny\ndecision: pick\nlanguage: en\nmethods: [wsm]\n", encoding="utf-8")
    marker = folder / "started"
    notebook = folder / "proj" / "notebooks" / "01-sleep.ipynb"
    write_notebook(notebook, SLEEPER.format(marker=str(marker)))
    report = [*procurement(), "run", str(scenario), "--out", str(folder / "out"), "--no-progress"]
    papermill = [sys.executable, "-m", "papermill", str(notebook), str(folder / "pm.ipynb"), "-k", "python3",
                 "--no-progress-bar"]
    return report, papermill, marker


def stop_seconds(cmd: list[str], marker: Path, cwd: Path) -> float:
    """Start `cmd`, wait until the notebook runs, send SIGINT to its group; seconds until it exited."""
    marker.unlink(missing_ok=True)
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # as typed in a terminal
    end = time.monotonic() + 300
    while not marker.exists():
        if proc.poll() is not None or time.monotonic() > end:
            raise SystemExit(f"{' '.join(cmd)}: the notebook never started: {proc.stderr.read().decode()[-800:]}")
        time.sleep(0.05)
    t0 = time.perf_counter()
    os.killpg(proc.pid, signal.SIGINT)
    proc.wait(timeout=300)
    seconds = time.perf_counter() - t0
    with_kernel = subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True, text=True).stdout.split()
    for pid in with_kernel:  # papermill may leave its kernel: not part of the figure, but do not leave it running
        os.kill(int(pid), signal.SIGKILL)
    return seconds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3, help="timed rounds (default 3)")
    ap.add_argument("--target", type=float, default=2.0, help="seconds the stop may take (default 2)")
    args = ap.parse_args(argv)
    times: dict[str, list[float]] = {"procurement run": [], "papermill alone": []}
    with tempfile.TemporaryDirectory(prefix="bench-interrupt-") as tmp:
        report, papermill, marker = project(Path(tmp))
        cwd = Path(tmp) / "proj"
        for _ in range(args.rounds):
            times["procurement run"].append(stop_seconds(report, marker, cwd))
            times["papermill alone"].append(stop_seconds(papermill, marker, cwd))
    reference = statistics.median(times["papermill alone"])
    print(f"seconds from SIGINT to exit, {args.rounds} rounds, {os.cpu_count()} cores")
    print(f"{'':18} {'min s':>7} {'median s':>9} {'/ papermill':>12}")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"{name:18} {min(ts):7.2f} {med:9.2f} {med / reference:12.2f}")
    ours = statistics.median(times["procurement run"])
    print(f"procurement run stops in {ours:.2f} s (median) against the target {args.target:.0f} s: "
          f"{'ok' if ours <= args.target else 'too slow'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
