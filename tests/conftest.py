"""Shared fixtures (a tiny valid case written into a temporary folder) and how the suite is spread over workers.

``make test`` runs the suite under pytest-xdist (``-n auto``) with the scheduler of
:func:`pytest_xdist_make_scheduler`, which keeps three things correct and short:

* the cells of one notebook (nbval) run in order in one worker;
* the tests of a module that defines a module- or session-scoped fixture (a report run, an app server, a browser)
  run in one worker, so the fixture is built once, not once per worker;
* the longest tests are handed out first (:data:`LONGEST_FIRST`), so no worker is left with a long test at the end
  while the other idles.

(pytest-xdist's own ``--dist loadgroup`` would do the first two with ``xdist_group`` marks, but with pytest 9.2 its
marks no longer reach the scheduler: the node id it rewrites is not the one pytest reports.)

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

settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_CASE = ROOT / "data" / "national-municipal-solution"

CRITERIA = """\
decision: pick
title: {nb: "Valg", en: "Pick"}
groups:
  - id: quality
    label: {nb: "Kvalitet", en: "Quality"}
  - id: economy
    label: {nb: "Økonomi", en: "Economy"}
criteria:
  - id: legal
    label: {nb: "Juridisk robusthet", en: "Legal robustness"}
    direction: max
    group: quality
    weight: 2
    scale:
      kind: ordinal
      min: 0
      max: 10
      rubric: {0: "Illegal", 10: "Settled law"}
  - id: fit
    label: {nb: "Behovsdekning", en: "Fit to needs"}
    direction: max
    group: quality
    weight: 1
    scale:
      kind: ordinal
      min: 0
      max: 10
      rubric: {0: "None", 10: "Full"}
  - id: cost
    label: {nb: "Kostnad", en: "Cost"}
    direction: min
    group: economy
    weight: 1
    scale: {kind: natural, unit: MNOK, min: 0, max: 1000}
"""

CASE = """\
id: tiny
title: {nb: "Liten sak", en: "Tiny case"}
base_year: 2024
cash_flow_unit: MNOK
decisions: [pick]
stakeholders:
  - id: alpha
    label: {nb: "Alfa", en: "Alpha"}
  - id: beta
    label: {nb: "Beta", en: "Beta"}
"""

OPTIONS = """\
decision,id,name_nb,name_en,description,procedure,contract,notes
pick,a,Alternativ A,Option A,"First, plain",open,SSA-T,
pick,b,Alternativ B,Option B,Second,competitive-dialogue,SSA-T+SSA-D,
pick,c,Alternativ C – Bærum,Option C,Third,none,,
"""

SCORES = """\
decision,option,criterion,low,likely,high,rationale,source
pick,a,legal,6,7,8,"Standard procedure, low risk",test
pick,a,fit,4,5,6,Partial fit,test
pick,a,cost,400,500,650,Quote,test
pick,b,legal,7,8,9,Dialogue is well tried,test
pick,b,fit,7,8,9,Good fit,test
pick,b,cost,500,600,800,Estimate,test
pick,c,legal,8,9,10,No procurement,test
pick,c,fit,1,2,3,Poor fit,test
pick,c,cost,200,300,350,Current costs,test
"""

PROFILES = """\
decision,group,criterion,weight,rank
pick,alpha,legal,1,
pick,alpha,fit,1,
pick,alpha,cost,2,
pick,beta,legal,,1
pick,beta,fit,,2
pick,beta,cost,,3
"""


def write_case(root: Path, **overrides: str) -> Path:
    """Write the tiny case (files may be overridden by name) and return its folder."""
    files = {
        "criteria/pick.yaml": CRITERIA,
        "case/case.yaml": CASE,
        "case/options.csv": OPTIONS,
        "case/scores.csv": SCORES,
        "case/profiles.csv": PROFILES,
    }
    for key, text in overrides.items():
        files[key.replace("__", "/").replace("_csv", ".csv").replace("_yaml", ".yaml")] = text
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            p.write_bytes(text)
        else:
            p.write_text(text, encoding="utf-8")
    return root / "case"


@pytest.fixture
def tiny_case(tmp_path: Path) -> Path:
    return write_case(tmp_path)


#: Test modules (or notebooks) whose items take longest, longest first: they start first.
LONGEST_FIRST = [
    "test_docs_commands.py", "test_app_kernels.py", "test_bokmal_report.py", "test_order_independence.py",
    "test_scaffold.py", "test_three_faces.py", "test_sanitize.py", "test_install.py", "test_app_browser.py",
    "test_cba_reports_all_decisions.py", "test_run_faults.py", "test_cba_order.py", "test_runner.py",
    "test_scenario_roundtrip.py", "test_workbook.py", "test_tender_report.py",
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
