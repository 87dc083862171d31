"""`procurement rank CASE --decision D [--method NAME] [--format table|csv|json]`."""

from __future__ import annotations

import sys

import pandas as pd

from ._common import add_case_argument, add_format_argument, load, print_json, print_table


def register(sub) -> None:
    from ..methods import METHODS

    p = sub.add_parser("rank", help="rank the options of a decision", description="Rank the options of a decision.")
    add_case_argument(p)
    p.add_argument("--decision", required=True, help="decision id, e.g. contract-strategy")
    p.add_argument("--method", default="wsm", help=f"method name or 'all' ({', '.join(METHODS)}; default wsm)")
    p.add_argument("--profile", default=None, help="stakeholder group whose weights to use (default: the criteria file's)")
    p.add_argument("--language", choices=("nb", "en"), default="en", help="labels in bokmål or English (default en)")
    add_format_argument(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..methods import METHODS, get_method
    from ..ranking import rank

    case = load(args)
    decision = case.decision(args.decision)
    methods = list(METHODS) if args.method == "all" else [args.method]
    for m in methods:
        get_method(m)
    results = [rank(decision, m, profile=args.profile, language=args.language) for m in methods]
    if args.format == "json":
        print_json({"case": case.id, "decision": decision.id, "results": [r.to_dict() for r in results]})
        return 0
    if args.format == "csv":
        frames = []
        for r in results:
            t = r.table.reset_index(names="option")
            t.insert(0, "method", r.method)
            frames.append(t)
        pd.concat(frames).to_csv(sys.stdout, index=False)
        return 0
    for r in results:
        t = r.table.sort_values("rank", kind="stable")
        print_table(t.round(4), f"\n{decision.id} — {METHODS[r.method].label}" + (f" — profile {r.profile}" if r.profile else ""))
        if len(r.excluded):
            print("Excluded by screening:")
            for e in r.excluded.itertuples():
                print(f"  {e.option}: {e.rule}")
    return 0
