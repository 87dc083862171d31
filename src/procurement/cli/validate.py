"""`procurement validate [CASE]`: check every file of a case, and everything its commands and notebooks will read.

Three checks, composed here: the case's files (:func:`procurement.load_case`), what its commands and scenarios
read (:func:`procurement.validate`, the engine's) and, for each scenario file, what ``procurement run`` checks
before a kernel starts that the engine does not know: the notebooks it names and a competition for the ones
that need one (:func:`procurement.report.plan.report_problems`).
"""

from __future__ import annotations

import sys

import procurement as pw
from procurement import InputError
from procurement.report.plan import report_problems
from procurement.report.project import case_notebooks, project_root

from ._common import add_case_argument, load


def register(sub) -> None:
    p = sub.add_parser(
        "validate",
        help="check every file of a case, its criteria sets and everything its commands and scenarios read",
        description="Check every file of a case and its criteria sets, then exercise what each command and each "
        "scenario's notebooks will read (risks, timeline, effects, AHP files, procedures, screening, cash flows, "
        "notebooks); print each problem on one line. OK means rank, sensitivity, cba, timeline, risks and run "
        "will get past their inputs.",
    )
    add_case_argument(p, required=False)
    p.add_argument("--quick", action="store_true", help="check the case files only (what load_case checks)")
    p.set_defaults(func=run)


def run(args) -> int:
    case = load(args)
    if not args.quick:
        problems = pw.validate(case)
        named = {p.file for p in problems}
        for path in case.scenario_files.values():  # the report's half, for a scenario the engine has no problem with
            if pw.display_path(path) not in named:
                problems += report_problems(path)
        if problems:
            raise InputError(problems)
    carried = case_notebooks(case.path)
    if carried is not None:  # never run (report.project.project_root); said, so OK is not read as "will run these"
        print(f"note: {pw.display_path(carried)}: notebooks that come with a case are never run; reports run "
              f"the project's {project_root() / 'notebooks'}", file=sys.stderr)
    s = case.summary()
    print(
        f"{case.path}: OK — {s['decisions']} decisions, {s['options']} options, {s['criteria']} criteria, "
        f"{s['scores']} scores, {s['profiles']} weight profiles, {s['cash_flow_rows']} cash-flow rows, "
        f"{s['scenarios']} scenarios"
    )
    for d in case.decisions.values():
        print(f"  {d.id}: {len(d.options)} options × {len(d.criteria)} criteria, {len(d.profiles)} profiles")
    return 0
