"""`procurement forms CASE --decision ID --out DIR`: one weighting form (a small workbook) per stakeholder group."""

from __future__ import annotations

import procurement as pw
from procurement.text.sentences import sentence

from ._common import add_case_argument, load


def register(sub) -> None:
    p = sub.add_parser(
        "forms",
        help="write a weighting form (Excel) for each stakeholder group, or for each respondent in a list",
        description="Write one small workbook per stakeholder group of the case (or per row of --respondents): the "
        "criteria of the decision with their descriptions, worst-to-best range and rubric, and an input cell per "
        "criterion for points to distribute, a rank or a swing weight. Collect the returned forms with "
        "`procurement collect`.",
    )
    add_case_argument(p)
    p.add_argument("--decision", required=True, metavar="ID", help="the decision the weights are for")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the forms (one file per group)")
    p.add_argument("--respondents", metavar="FILE.csv", default=None,
                   help="write a form per row of this CSV instead of one per stakeholder group of case.yaml: columns "
                   "id, name (optional name_en), or a case's municipalities.csv (kommunenummer, name, ...; the id "
                   "becomes <name>-<kommunenummer>)")
    p.add_argument("--method", action="append", default=None, metavar="KIND|GROUP=KIND",
                   help="kind of form: points (distribute 100), rank or swing; GROUP=KIND for one group; may be "
                   "repeated (default points, and rank for a group whose profile is given as ranks today)")
    p.add_argument("--language", choices=("nb", "en"), default="nb",
                   help="language of the forms and of what the command prints (default nb)")
    p.set_defaults(func=run)


def run(args) -> int:
    case = load(args)
    case.decision(args.decision)
    kind, kinds = "points", pw.default_form_kinds(case, args.decision)
    for m in args.method or []:
        if "=" in m:
            group, _, k = m.partition("=")
            kinds[group.strip()] = k.strip()
        else:
            kind, kinds = m.strip(), {}
    respondents = pw.respondents_from_csv(args.respondents) if args.respondents else None
    for f in pw.write_weight_forms(case, args.decision, args.out, respondents, kinds, kind, args.language):
        print(sentence("forms.wrote", args.language, path=f))
    return 0
