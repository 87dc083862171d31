"""The command line's start-up: the cyclic garbage collector is off while a console process imports and reads,
then what was made is frozen (procurement.cli.start_up); a process that calls main() itself keeps its collector."""

from __future__ import annotations

import gc
import json
import subprocess
import sys

import pytest

from procurement.cli import main

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
