"""The command line's start-up in a process of the console script: the cyclic garbage collector is off while it
imports and reads, then what was made is frozen (procurement.cli.start_up), and BLAS runs on one thread
(procurement.cli.one_blas_thread); a process that calls main() itself keeps its collector."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from procurement.cli import BLAS_THREADS, main

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "national-municipal-solution"

ROUTE = ["route", "--value", "2000000", "--authority", "municipal", "--kind", "services", "--format", "json"]


def test_main_called_in_a_process_leaves_its_collector_as_it_was(capsys):
    frozen = gc.get_freeze_count()
    assert main(ROUTE) == 0
    assert json.loads(capsys.readouterr().out)["query"]["value"] == 2_000_000
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen


def test_a_bad_flag_in_process_leaves_the_collector_enabled(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["route", "--no-such-flag"])
    assert exit_.value.code == 2
    assert gc.isenabled()


def test_a_console_process_collects_nothing_during_start_up_then_freezes_what_it_made():
    code = (
        "import gc, procurement.cli as cli\n"
        "cli._ONE_COMMAND = True\n"  # what console() sets
        "before = gc.get_freeze_count()\n"
        "with cli.start_up():\n"
        "    inside = gc.isenabled()\n"
        "    import procurement.analysis\n"
        "print(inside, gc.isenabled(), gc.get_freeze_count() > before + 10000)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True", "True"]


def _blas_free_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in BLAS_THREADS}


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts threads in /proc (Linux)")
def test_a_console_process_loads_numpy_with_one_thread_unless_a_count_is_set():
    code = (
        "import os, procurement.cli as cli\n"
        "cli.one_blas_thread()\n"
        "import numpy\n"
        "print(os.environ.get('OPENBLAS_NUM_THREADS'), len(os.listdir('/proc/self/task')))\n"
    )
    run = [sys.executable, "-c", code]
    assert subprocess.run(run, capture_output=True, text=True, check=True, env=_blas_free_env()).stdout.split() == ["1", "1"]
    user = {**_blas_free_env(), "OMP_NUM_THREADS": "2"}
    assert subprocess.run(run, capture_output=True, text=True, check=True, env=user).stdout.split()[0] == "None"


def test_the_console_process_prints_the_numbers_main_prints_in_this_process(capsys):
    """One BLAS thread and the start-up without collection change no number: `procurement cba` as a console
    process (python -m procurement) gives the JSON this process's main() gives, byte for byte."""
    args = ["cba", str(EXAMPLE), "--decision", "contract-strategy", "--format", "json"]
    assert main(args) == 0
    here = capsys.readouterr().out
    done = subprocess.run([sys.executable, "-m", "procurement", *args], capture_output=True, text=True, check=True,
                          env=_blas_free_env())
    assert done.stdout == here
    assert json.loads(here)["decision"] == "contract-strategy"
