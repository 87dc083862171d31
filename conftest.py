"""How the suite is spread over workers, for every pytest run in this project (tests/ and notebooks/).

This file sits at the project root so that pytest loads it for any path it is given: ``pytest notebooks/07-summary.ipynb``
under xdist keeps the notebook's cells in one worker too (in tests/conftest.py it was loaded only when tests/ was
collected). ``make test`` runs the suite under pytest-xdist (``-n auto``) with the scheduler of
:func:`pytest_xdist_make_scheduler`, which keeps three things correct and short:

* the cells of one notebook (nbval) run in order in one worker;
* the tests of a module that defines a module- or session-scoped fixture (a report run, an app server, a browser)
  run in one worker, so the fixture is built once, not once per worker;
* the longest tests are handed out first (:data:`LONGEST_FIRST`), so no worker is left with a long test at the end
  while the other idles.

(pytest-xdist's own ``--dist loadgroup`` would do the first two with ``xdist_group`` marks, but with pytest 9.2 its
marks no longer reach the scheduler: the node id it rewrites is not the one pytest reports.)

Every report the suite runs uses one kernel (``PROCUREMENT_NOTEBOOK_JOBS=1``, unless the environment sets it): the two
xdist workers already keep both cores busy, so a second kernel per report only adds its start (about 2 s of imports)
and a second worker process. The tests of running notebooks side by side ask for ``--notebook-jobs 2`` themselves.

The property tests (hypothesis) draw the same examples on every run (profile ``repeatable``, ``derandomize``), so a
run that passes passes again on the same code: a suite that CI must pass cannot turn red by the luck of the draw.
``HYPOTHESIS_PROFILE=explore make test`` searches new random examples; a failure it finds becomes a test of its
own (as ``test_multimoora_keeps_a_tie_that_rounding_splits`` in ``tests/test_rankers.py``).
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("PROCUREMENT_NOTEBOOK_JOBS", "1")  # inherited by the xdist workers and every command they start

settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

ROOT = Path(__file__).resolve().parent

#: Test modules (or notebooks) whose items take longest, longest first: they start first.
LONGEST_FIRST = [
    "test_docs_commands.py", "test_app_kernels.py", "test_bokmal_report.py", "test_order_independence.py",
    "test_report_layout.py", "test_scaffold.py", "test_three_faces.py", "test_sanitize.py", "test_install.py",
    "test_app_browser.py", "test_cba_reports_all_decisions.py", "test_run_faults.py", "test_cba_order.py",
    "test_runner.py", "test_scenario_roundtrip.py", "test_workbook.py", "test_tender_report.py",
    "04-cost-benefit.ipynb", "03-sensitivity.ipynb", "07-summary.ipynb", "08-tender-evaluation.ipynb",
]

SHARED_FIXTURE = re.compile(r"@pytest\.fixture\((?:[^)]*\s)?scope=[\"'](?:module|session)[\"'][^)]*\)\s*\ndef (?!_)\w+")


@functools.cache
def _shares_a_module_fixture(path: str) -> bool:
    """Whether the test file defines a module- or session-scoped fixture (not a private `_name` one)."""
    try:
        return bool(SHARED_FIXTURE.search(Path(path).read_text(encoding="utf-8")))
    except OSError:
        return False


def work_unit(nodeid: str) -> str:
    """The unit one worker runs whole: a notebook, a module with shared fixtures, or else the single test."""
    path = nodeid.split("::", 1)[0]
    if path.endswith(".ipynb") or _shares_a_module_fixture(str(ROOT / path)):
        return path
    return nodeid


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(Path(str(item.path)).name, len(rank)))  # stable: order within a file kept


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    from xdist.scheduler import LoadScopeScheduling

    class Units(LoadScopeScheduling):
        """Load scheduling by :func:`work_unit`, in collection order (longest first), not by unit size."""

        def __init__(self, config: pytest.Config, log=None) -> None:
            super().__init__(config, log)
            config.option.loadscopereorder = False

        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    return Units(config, log)
