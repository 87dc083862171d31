"""`procurement run [SCENARIO.yaml ...] [--notebooks NB ...] [--out DIR] [--jobs N]`: build reports.

Runs the report notebooks for each scenario with papermill and writes
``<out>/<timestamp>-<case>-<scenario>/``: the executed notebooks, an HTML report per
notebook without code, ``results.xlsx`` and ``manifest.json`` (see
``docs/reports.md``). Without a scenario it runs
``data/national-municipal-solution/scenarios/default.yaml``. Prints the path
of each run's summary HTML report on standard output.

Exit status: 0 every run succeeded, 1 a notebook failed or the report could
not be written (its run folder is kept with the suffix ``.failed``), 2 bad
input (nothing run, nothing written), 130 stopped by Ctrl-C or SIGTERM (the
folder is kept as ``.interrupted``, its manifest lists the notebooks that
finished). A relative ``--out`` is taken from the folder the command was
started in. Hidden ``.partial`` folders left by runs that died are kept as
``.failed`` at the next run, with one line each.
"""

from __future__ import annotations

import os
import sys

from procurement import InputError, Problem
from procurement.report import htmlreport, workers
from procurement.report.pdf import PdfUnavailable, write_pdf
from procurement.report.plan import DEFAULT_SCENARIO, prepare
from procurement.report.runner import DEFAULT_TIMEOUT, check_output_dir, clean_stale, run_all

#: the environment variable that sets the default of ``--notebook-jobs``
NOTEBOOK_JOBS_ENV = "PROCUREMENT_NOTEBOOK_JOBS"


def register(sub) -> None:
    p = sub.add_parser(
        "run",
        help="run the report notebooks for one or more scenarios (papermill) and write HTML, Excel and a manifest",
        description="Run the report notebooks for each scenario and write reports/<timestamp>-<case>-<scenario>/ "
        "with executed notebooks, HTML reports without code, an Excel workbook and manifest.json.",
    )
    p.add_argument("scenarios", metavar="SCENARIO.yaml", nargs="*", help=f"scenario files (default {DEFAULT_SCENARIO})")
    p.add_argument(
        "--notebooks",
        nargs="+",
        metavar="NB",
        default=None,
        help="notebooks to run, e.g. 01-inputs 02 ranking (default: the scenario's `notebooks`, else every "
        "numbered report notebook in notebooks/ except 00-)",
    )
    p.add_argument("--out", default="reports", metavar="DIR", help="folder for run folders (default reports/)")
    p.add_argument("--jobs", type=int, default=1, metavar="N", help="scenarios to run in parallel processes (default 1)")
    p.add_argument(
        "--notebook-jobs",
        type=int,
        default=None,
        metavar="N",
        help="notebooks of one scenario to run side by side, one kernel each (default 2 on two or more cores, or "
        f"{NOTEBOOK_JOBS_ENV} when set; 1 shows a progress bar per cell); with --jobs > 1 each scenario runs its "
        "notebooks one at a time",
    )
    p.add_argument(
        "--timeout", type=int, default=DEFAULT_TIMEOUT, metavar="S", help=f"seconds one cell may run (default {DEFAULT_TIMEOUT})"
    )
    p.add_argument(
        "--notebooks-dir", default=None, metavar="DIR", help="folder with the notebooks (default notebooks/ of the project)"
    )
    p.add_argument(
        "--pdf", action="store_true", help="also print the whole report to report.pdf (A4, headless Chromium; docs/reports.md)"
    )
    p.add_argument(
        "--fresh-kernels", action="store_true",
        help="start a new kernel for every notebook (default: each worker keeps one kernel, its namespace cleared "
        "between notebooks, so imports are paid once per worker)",
    )
    bar = p.add_mutually_exclusive_group()
    bar.add_argument("--progress", dest="progress", action="store_true", default=None, help="always show progress bars")
    bar.add_argument(
        "--no-progress", dest="progress", action="store_false", help="never show progress bars (default: only on a terminal)"
    )
    p.set_defaults(func=run)


def notebook_jobs_from_environment(environ=os.environ) -> int | None:
    """The notebook jobs :data:`NOTEBOOK_JOBS_ENV` asks for (a machine shared with other work: a test suite, a batch
    of runs), or None when it is not set."""
    text = environ.get(NOTEBOOK_JOBS_ENV, "").strip()
    if not text:
        return None
    if not text.isdecimal() or int(text) < 1:
        raise InputError(Problem(NOTEBOOK_JOBS_ENV, "", f"{text!r} is not a number of processes",
                                 "set it to 1 or more, or unset it for one per core"))
    return int(text)


def check_numbers(args) -> None:
    """The counts and the timeout given (``--notebook-jobs`` from :data:`NOTEBOOK_JOBS_ENV` when not given)."""
    if args.jobs < 1:
        raise InputError(Problem("--jobs", "", f"{args.jobs} is not a number of processes", "use 1 or more"))
    if args.notebook_jobs is None:
        args.notebook_jobs = notebook_jobs_from_environment()
    if args.notebook_jobs is not None and args.notebook_jobs < 1:
        raise InputError(Problem("--notebook-jobs", "", f"{args.notebook_jobs} is not a number of processes", "use 1 or more"))
    if args.timeout < 1:
        raise InputError(Problem("--timeout", "", f"{args.timeout} is not a number of seconds", "use 1 or more"))


def run(args) -> int:
    check_numbers(args)
    scenarios = args.scenarios or [DEFAULT_SCENARIO]
    problems: list[Problem] = []
    plans = []
    for s in scenarios:
        try:
            plans.append(prepare(s, args.notebooks, args.notebooks_dir))
        except InputError as e:
            problems.extend(e.problems)
    if problems:
        raise InputError(problems)
    out = check_output_dir(args.out)
    for note in clean_stale(out):
        print(f"note: {note}", file=sys.stderr)

    workers.interrupt_on_sigterm()
    results = run_all(plans, out, args.jobs, args.timeout, args.progress, args.notebook_jobs, args.fresh_kernels)
    code = 0
    for r in results:
        where = f"; see {r.folder}" if r.folder else ""
        if r.ok:
            print(f"report {r.scenario} ({r.seconds:.1f} s): {r.folder}", file=sys.stderr)
            print(r.summary_html)
            if r.stop_requested:  # the report was whole before the stop: it stands, nothing more runs
                print(f"interrupted: after the report of scenario {r.scenario} was written", file=sys.stderr)
                code = 130
            elif getattr(args, "pdf", False) and not _pdf(r.folder):
                code = max(code, 1)
        elif r.status == "bad input":
            print(f"error: {r.message}", file=sys.stderr)
            code = max(code, 2)
        elif r.status == "interrupted":
            print(f"interrupted: scenario {r.scenario}: {r.message}{where}", file=sys.stderr)
            code = 130
        else:
            print(f"error: scenario {r.scenario}: {r.message}{where}", file=sys.stderr)
            code = max(code, 1) if code != 130 else code
    if len(results) < len(plans):
        code = 130
    return code


def _pdf(folder) -> bool:
    """Print the run's report to report.pdf; one line and False when there is no renderer (the HTML stays)."""
    try:
        path = write_pdf(folder)
    except PdfUnavailable as e:
        print(f"error: no PDF: {e}; the HTML report is written: {folder}", file=sys.stderr)
        return False
    htmlreport.add_index_link(folder, path.name)
    print(f"pdf: {path}", file=sys.stderr)
    return True
