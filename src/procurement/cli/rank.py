"""`procurement rank CASE --decision D [--method NAME|all] [--profile GROUP|all] [--format table|csv|json]`.

``--method`` takes a method's short name, a comma-separated list, or ``all``.
``--profile`` takes a stakeholder group, ``panel-mean`` / ``panel-geomean``
(the groups' combined weights), ``all`` (the criteria file's weights, every
group and both panel sets), or nothing (the criteria file's weights).
``--weights ahp`` uses the AHP comparisons in ``<case>/ahp-<decision>.yaml``
instead of the criteria file's weights. The JSON is the result's ``to_dict()``
(:class:`procurement.Rankings`, shape in docs/methods.md).
"""

from __future__ import annotations

import sys

import procurement as pw
from procurement.text.cells import csv_safe_frame

from ._common import add_case_argument, add_format_argument, add_scenario_argument, analysis, print_json, print_table


def register(sub) -> None:
    p = sub.add_parser("rank", help="rank the options of a decision", description="Rank the options of a decision.")
    add_case_argument(p)
    p.add_argument("--decision", default=None, help="decision id, e.g. contract-strategy (or from --scenario)")
    add_scenario_argument(p)
    p.add_argument(
        "--method",
        default=None,
        help=f"method name, comma-separated names, or 'all' ({', '.join(pw.METHODS)}; default wsm, or the scenario's)",
    )
    p.add_argument(
        "--profile",
        default=None,
        help="stakeholder group whose weights to use, panel-mean, panel-geomean, ahp, or 'all' "
        "(default: the criteria file's weights, or the scenario's)",
    )
    p.add_argument(
        "--weights",
        choices=("file", "ahp"),
        default=None,
        help="default weights: the criteria file's (file) or the AHP comparisons in <case>/ahp-<decision>.yaml (ahp)",
    )
    p.add_argument(
        "--language", choices=("nb", "en"), default=None, help="labels in bokmål or English (default en, or the scenario's)"
    )
    add_format_argument(p)
    p.set_defaults(func=run)


def _methods(spec: str | None) -> list[str] | None:
    if spec is None:
        return None
    if spec == "all":
        return list(pw.METHODS)
    return [n.strip() for n in spec.split(",") if n.strip()]


def _analysis(args):
    profile = "ahp" if args.weights == "ahp" else (None if args.profile == "all" else args.profile)
    default = args.scenario is None
    a = analysis(
        args,
        decision=args.decision,
        methods=_methods(args.method) or (["wsm"] if default else None),
        profile=profile,
        language=args.language or ("en" if default else None),
    )
    if args.weights == "file" and a.profile == "ahp":
        a = a.with_(profile=None)
    return a


def run(args) -> int:
    a = _analysis(args)
    result = a.rankings(profiles="all" if args.profile == "all" else None)
    for node, info in (result.ahp_summary() or {}).items():
        if not info["consistent"]:  # in every output format, so a CSV or JSON user sees it too
            print(f"warning: AHP judgements of '{node}' are inconsistent: {info['note']}; revise them before relying on "
                  f"the ranking", file=sys.stderr)
    if args.format == "json":
        print_json(result.to_dict())
    elif args.format == "csv":
        csv_safe_frame(result.to_frame()).to_csv(sys.stdout, index=False)  # names that look like formulas stay text
    else:
        _table(result, a.language)
    return 0


def _table(result, language: str) -> None:
    for line in result.describe(language):
        print(line)
    for p, rs in result.by_profile.items():
        who = "criteria file weights" if p is None else f"profile {p}"
        if len(rs) > 1:
            print_table(result.comparison(p), f"\n{result.decision} — all methods — {who} (ranks; Borda and Copeland consensus)")
        else:
            r = rs[0]
            print_table(result.marked(r.table.round(4)), f"\n{result.decision} — {pw.METHODS[r.method].label} — {who}")
    for s in result.skipped:
        print(f"Skipped {s['method']} ({'default' if s['profile'] is None else s['profile']}): {s['reason']}")
    if len(result.excluded):
        print("\nExcluded by screening:")
        for e in result.excluded.itertuples():
            print(f"  {e.option}: {e.rule}")
    passif = result.conditional_lines(language)
    if passif:
        print(f"\nRanked on condition ({result.MARKER} pass-if: legal only if the condition holds; its lead time moves the "
              f"timeline):")
        for line in passif:
            print(f"  {line}")
    ahp = result.ahp_summary()
    if ahp is not None:
        print("\nAHP consistency (Saaty's ratio; above 0.10 the judgements should be revisited):")
        for node, info in ahp.items():
            flag = "" if info["consistent"] else "WARNING: "
            print(f"  {flag}{node}: {info['note']}")
