"""`procurement export CASE --xlsx FILE [--language nb|en]`: the whole case as one Excel workbook."""

from __future__ import annotations

import procurement as pw

from ._common import add_case_argument


def register(sub) -> None:
    p = sub.add_parser(
        "export",
        help="write the whole case as one Excel workbook (a sheet per input, drop-downs for ids)",
        description="Write the case as one Excel workbook in the report language: a first sheet explaining it, then "
        "options, criteria, rubric, scores, cash flows, profiles and stakeholders, with drop-down lists for ids, "
        "locked headers and units in the headers. Read it back with `procurement import`.",
    )
    add_case_argument(p)
    p.add_argument("--xlsx", required=True, metavar="FILE", help="the workbook to write, e.g. case.xlsx")
    p.add_argument("--language", choices=("nb", "en"), default=None,
                   help="language of the workbook (default: the language of the case's default scenario, else nb)")
    p.set_defaults(func=run)


def run(args) -> int:
    print(pw.export_case(args.case, args.xlsx, args.language, args.criteria))
    return 0
