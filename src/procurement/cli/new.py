"""`procurement new CASE_DIR --decision ID [--title TEXT] [--language nb|en]`: start a new case from a template."""

from __future__ import annotations

import sys

import procurement as pw


def register(sub) -> None:
    p = sub.add_parser(
        "new",
        help="write a minimal valid case folder to start from (one decision, two example criteria)",
        description="Write a new case folder: case.yaml, criteria/<decision>.yaml with two example criteria and a "
        "rubric, options, scores, cash flows, stakeholder profiles and scenarios/default.yaml, each with comments "
        "saying what to fill in. It passes `procurement validate` and `procurement run` as written. "
        "An existing folder is never written over.",
    )
    p.add_argument("case", metavar="CASE_DIR", help="the new case folder, e.g. data/welfare-technology (must not exist)")
    p.add_argument("--decision", required=True, metavar="ID", help="id of the first decision, e.g. contract-strategy")
    p.add_argument("--title", default=None, metavar="TEXT", help="title of the case (default: from the folder name)")
    p.add_argument("--language", choices=("nb", "en"), default="nb",
                   help="language of the comments, example texts and the default scenario's reports (default nb)")
    p.set_defaults(func=run)


def run(args) -> int:
    files = pw.new_case(args.case, args.decision, args.title, args.language)
    for f in files:
        print(f)
    print(f"new case in {args.case}: next `procurement validate {args.case}`, then "
          f"`procurement run {args.case}/scenarios/default.yaml`", file=sys.stderr)
    return 0
