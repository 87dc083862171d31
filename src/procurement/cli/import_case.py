"""`procurement import FILE.xlsx CASE`: read a case workbook back into the case's files.

Every sheet goes through the same checks as the CSV and YAML files; each problem is one line naming the sheet,
the row and the column. Nothing is written unless the whole workbook is valid; YAML comments and order are kept.
"""

from __future__ import annotations

import sys

import procurement as pw


def register(sub) -> None:
    p = sub.add_parser(
        "import",
        help="read a case workbook (procurement export) back into the case's files, only if all of it is valid",
        description="Read a workbook written by `procurement export` into the case folder. Every sheet passes the "
        "same checks as the case files; each problem is one line naming sheet, row and column, and nothing is "
        "written unless there is none. Changed files are replaced atomically; YAML comments and order are kept.",
    )
    p.add_argument("xlsx", metavar="FILE.xlsx", help="the workbook")
    p.add_argument("case", metavar="CASE", help="the case folder it belongs to, e.g. data/national-municipal-solution")
    p.add_argument("--criteria", metavar="DIR", default=None,
                   help="folder with criteria/<decision>.yaml (default: found from the case)")
    p.set_defaults(func=run)


def run(args) -> int:
    changed = pw.import_case(args.xlsx, args.case, args.criteria)
    for f in changed:
        print(f)
    print(f"{len(changed)} file{'s' if len(changed) != 1 else ''} changed" if changed else "nothing changed", file=sys.stderr)
    return 0
