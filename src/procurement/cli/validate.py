"""`procurement validate [CASE]`: check every file of a case in one pass."""

from __future__ import annotations

from ._common import add_case_argument, load


def register(sub) -> None:
    p = sub.add_parser(
        "validate",
        help="check every file of a case and its criteria sets",
        description="Check every file of a case and its criteria sets; print each problem on one line.",
    )
    add_case_argument(p, required=False)
    p.set_defaults(func=run)


def run(args) -> int:
    case = load(args)
    s = case.summary()
    print(
        f"{case.path}: OK — {s['decisions']} decisions, {s['options']} options, {s['criteria']} criteria, "
        f"{s['scores']} scores, {s['profiles']} weight profiles, {s['cash_flow_rows']} cash-flow rows, "
        f"{s['scenarios']} scenarios"
    )
    for d in case.decisions.values():
        print(f"  {d.id}: {len(d.options)} options × {len(d.criteria)} criteria, {len(d.profiles)} profiles")
    return 0
