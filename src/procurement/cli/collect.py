"""`procurement collect CASE FORM.xlsx ...`: check returned weighting forms and merge them into profiles.csv."""

from __future__ import annotations

import sys

import procurement as pw
from procurement.text.sentences import sentence

from ._common import add_case_argument


def register(sub) -> None:
    p = sub.add_parser(
        "collect",
        help="check returned weighting forms and merge the valid ones into the case's profiles.csv",
        description="Check each returned form (sum of points, ranks, swing weights, missing criteria, a form for "
        "another case or decision, a form returned twice, respondent and date), report on each, and merge them into "
        "profiles.csv (the group's rows where they were; the respondent and the date in the note column, or in a comment "
        "line when the file has none). Nothing is written when a form is broken, "
        "unless --skip-invalid.",
    )
    add_case_argument(p)
    p.add_argument("forms", metavar="FORM.xlsx", nargs="+", help="the returned forms")
    p.add_argument("--decision", metavar="ID", default=None, help="accept only forms for this decision")
    p.add_argument("--skip-invalid", action="store_true",
                   help="merge the valid forms and list the broken ones as skipped (default: write nothing)")
    p.add_argument("--language", choices=("nb", "en"), default="nb",
                   help="language of the lines the command prints (default nb; problems are named in English)")
    p.set_defaults(func=run)


def run(args) -> int:
    result = pw.collect_weight_forms(args.case, args.forms, args.decision, args.skip_invalid, args.criteria)
    for f in result.forms:
        if f.ok:
            print(f.summary(args.language))
    for f in result.skipped:
        for p in f.problems:
            print(f"skipped: {p}", file=sys.stderr)
    for path in result.written:
        print(sentence("forms.written", args.language, path=path), file=sys.stderr)
    if result.skipped:
        n = len(result.skipped)
        print(sentence("forms.skipped_one" if n == 1 else "forms.skipped", args.language, n=n), file=sys.stderr)
    return 0
