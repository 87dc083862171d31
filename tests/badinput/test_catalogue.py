"""The bad-input catalogue (issue 16): every broken or hostile input ends in one clear line per problem.

For each case of catalogue.py, on a fresh copy of the example case:
``procurement validate`` (in process) must exit 2 naming the file and the
field in its first line, take no more root lines than the case allows plus at
most one "not checked" line per dependent file, print no traceback, never hang
(a guard of at least HANG_GUARD seconds: a hang, not a slow machine), and leave every input file as it was. An input that is
valid however odd it looks must validate, and then every consumer (rank,
sensitivity, cba, timeline, risks, and the checks of `procurement run`) must
succeed: validate OK implies the commands run. The totals table is printed at
the end of the session and kept in docs/reliability.md.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import signal
import time
import traceback
from pathlib import Path

import pytest
from catalogue import CASES, CONSUMERS, RESULTS, Bad, make_case, table

from procurement.cli import main

#: Files a case has that other files depend on: at most one "not checked" line each.
MAX_NOT_CHECKED = 8
#: Seconds after which a run counts as hung. A guard, not a speed target: an alias bomb that were expanded would run
#: for hours, and a busy CI machine must never turn a quick refusal into a failure (how long each case took is in
#: the totals table, a figure).
HANG_GUARD = 60.0


class _Hang(Exception):
    pass


def _alarm(signum, frame):  # noqa: ARG001 - signal handler signature
    raise _Hang


def _snapshot(root: Path) -> dict[str, str]:
    out = {}
    for p in sorted(root.rglob("*")):
        if p.is_symlink() or not p.is_file():
            out[str(p)] = "special"
            continue
        out[str(p)] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def _call(argv: list[str], limit: float) -> tuple[int | None, str, str, float, str]:
    """Run the command line in process: exit code (None on an escaped exception), stdout, stderr, seconds, trace."""
    out, err = io.StringIO(), io.StringIO()
    trace = ""
    code: int | None = None
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, limit)
    start = time.perf_counter()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    except _Hang:
        trace = "hang"
    except SystemExit as e:
        code = int(e.code or 0) if not isinstance(e.code, str) else 2
    except BaseException:  # noqa: BLE001 - anything escaping main is a traceback for the user
        trace = traceback.format_exc()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    return code, out.getvalue(), err.getvalue(), time.perf_counter() - start, trace


def _consumer(argv: list[str], case: Path) -> tuple[int | None, str]:
    args = [a.replace("{case}", str(case)) for a in argv]
    if args[0] == "run-prepare":  # `procurement run` up to the kernels: the same checks, no notebook executed
        from procurement.case.errors import InputError
        from procurement.report.plan import prepare

        from procurement.report.project import project_root

        try:
            plan = prepare(args[1])
        except InputError as e:
            return 2, str(e)
        foreign = [str(p) for p in plan.notebooks if p.parent != project_root() / "notebooks"]
        return (1, f"would run notebooks that are not the project's: {foreign}") if foreign else (0, "")
    code, _, err, _, trace = _call(args, HANG_GUARD)
    return code, trace or err


def classify(bad: Bad, case: Path, code: int | None, err: str, seconds: float, trace: str) -> tuple[str, str]:
    """The outcome of one run and a note saying why."""
    if trace == "hang":
        return "hang", f"{seconds:.1f} s"
    if trace or "Traceback" in err:
        return "traceback", (trace or err).strip().splitlines()[-1][:160]
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    if bad.ok:
        if code != 0:
            return "silent" if code is None else "misleading", f"validate said {code}: {lines[:1]}"
        for argv in CONSUMERS:
            if bad.uses and argv[0] not in bad.uses:
                continue
            c, text = _consumer(argv, case)
            if c != 0:
                return "misleading", f"validate OK but {argv[0]} exit {c}: {text.strip().splitlines()[-1][:160] if text else ''}"
        return "clear", ""
    if code == 0:
        return "silent", "validate said OK"
    if code != 2 or not lines:
        return "misleading", f"exit {code}"
    roots = [line for line in lines if "not checked" not in line]
    checked = [line for line in lines if "not checked" in line]
    if len(roots) > bad.roots or len(checked) > MAX_NOT_CHECKED or any(":" not in line[7:] for line in lines):
        return "cascade", f"{len(roots)} root lines, {len(checked)} not-checked lines"
    first = roots[0] if roots else lines[0]
    if bad.file not in first or bad.field not in first or bad.words not in first:
        return "misleading", first[:200]
    return "clear", ""


@pytest.fixture(scope="module", autouse=True)
def _totals(request):
    """After the last case, the totals table in the test output (also kept in docs/reliability.md)."""
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if RESULTS and reporter is not None:
        with capture.global_and_fixture_disabled() if capture is not None else contextlib.nullcontext():
            reporter.write_line("")
            reporter.write_sep("-", "bad-input catalogue (issue 16)")
            reporter.write_line(table())


@pytest.mark.parametrize("bad", CASES, ids=[c.id for c in CASES])
def test_catalogue(bad: Bad, tmp_path: Path) -> None:
    case = make_case(tmp_path)
    bad.mutate(case)
    before = _snapshot(tmp_path)
    code, _, err, seconds, trace = _call(["validate", str(case)], HANG_GUARD)
    outcome, note = classify(bad, case, code, err, seconds, trace)
    for argv in bad.consumers:
        c, text = _consumer(argv, case)
        if outcome == "clear" and c != 2:
            outcome, note = ("traceback" if "Traceback" in text else "misleading"), f"{argv[0]} exit {c}"
    RESULTS.append((bad.id, bad.kind, outcome, seconds, note))
    assert _snapshot(tmp_path) == before, "an input file was changed"
    assert outcome == "clear", f"{outcome}: {note}\n{err[-2000:]}"


def test_catalogue_is_large_enough() -> None:
    assert len(CASES) >= 100
    assert len({c.id for c in CASES}) == len(CASES)
