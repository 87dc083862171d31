"""`procurement rank CASE --decision D [--method NAME|all] [--profile GROUP|all] [--format table|csv|json]`.

``--method`` takes a method's short name, a comma-separated list, or ``all``.
``--profile`` takes a stakeholder group, ``panel-mean`` / ``panel-geomean``
(the groups' combined weights), ``all`` (the criteria file's weights, every
group and both panel sets), or nothing (the criteria file's weights).
``--weights ahp`` uses the AHP comparisons in ``<case>/ahp-<decision>.yaml``
instead of the criteria file's weights. The JSON shape is documented in
docs/methods.md.
"""

from __future__ import annotations

import sys

import pandas as pd

from ._common import add_case_argument, add_format_argument, add_scenario_argument, analysis, print_json, print_table

SCHEMA = "procurement.rank/1"


def register(sub) -> None:
    from procurement.mcda.methods import METHODS

    p = sub.add_parser("rank", help="rank the options of a decision", description="Rank the options of a decision.")
    add_case_argument(p)
    p.add_argument("--decision", default=None, help="decision id, e.g. contract-strategy (or from --scenario)")
    add_scenario_argument(p)
    p.add_argument(
        "--method",
        default=None,
        help=f"method name, comma-separated names, or 'all' ({', '.join(METHODS)}; default wsm, or the scenario's)",
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


def _analysis(args):
    from procurement.mcda.methods import method_names

    methods = method_names(args.method) if args.method else None  # unknown names fail before loading
    profile = "ahp" if args.weights == "ahp" else (None if args.profile == "all" else args.profile)
    default = args.scenario is None
    a = analysis(
        args,
        decision=args.decision,
        methods=methods or (["wsm"] if default else None),
        profile=profile,
        language=args.language or ("en" if default else None),
    )
    if args.weights == "file" and a.profile == "ahp":
        a = a.with_(profile=None)
    return a


def _ahp_info(a) -> dict | None:
    res = a.weight_set.ahp
    if res is None:
        return None
    return {
        node: {
            "weights": {k: round(float(v), 6) for k, v in r.weights.items()},
            "cr": round(r.cr, 6),
            "consistent": r.consistent,
            "note": r.describe(),
        }
        for node, r in res.nodes.items()
    }


def run(args) -> int:
    a = _analysis(args)
    ahp_info = _ahp_info(a)
    for node, info in (ahp_info or {}).items():
        if not info["consistent"]:  # in every output format, so a CSV or JSON user sees it too
            print(
                f"warning: AHP judgements of '{node}' are inconsistent: {info['note']}; revise them before relying on "
                f"the ranking",
                file=sys.stderr,
            )
    results, skipped = a.rankings(profiles=a.all_profiles() if args.profile == "all" else None)
    by_profile: dict[str | None, list] = {}
    for r in results:
        by_profile.setdefault(r.profile, []).append(r)
    if args.format == "json":
        print_json(_json(a, results, skipped, by_profile, ahp_info, args.profile == "all"))
    elif args.format == "csv":
        _csv(a, results)
    else:
        _table(a, by_profile, skipped, ahp_info)
    return 0


def _json(a, results, skipped, by_profile, ahp_info, all_profiles: bool) -> dict:
    from procurement.mcda.comparison import comparison_dict
    from procurement.mcda.stakeholders import stakeholder_dicts

    methods = a.methods
    out = {
        "schema": SCHEMA,
        "case": a.case.id,
        "decision": a.decision.id,
        "scenario": a.scenario.name,
        "methods": methods,
        "profiles": ["default" if p is None else p for p in by_profile],
        "weights": {c: float(w) for c, w in a.weights.items()},
        "excluded": results[0].to_dict()["excluded"] if results else [],
        "conditional": _conditional(a),
        "results": [r.to_dict() for r in results],
        "skipped": skipped,
    }
    if len(methods) > 1:
        out["comparison"] = {("default" if p is None else p): comparison_dict(rs) for p, rs in by_profile.items() if len(rs) > 1}
    if all_profiles and a.decision.profiles:
        ok = [m for m in methods if not any(s["method"] == m for s in skipped)]
        out["stakeholders"] = stakeholder_dicts(a.decision, ok, a.prepared, results)
    if ahp_info is not None:
        out["ahp"] = ahp_info
    return out


def _marked(table: pd.DataFrame, decision) -> pd.DataFrame:
    """The ranking table with the pass-if marker after the label of each option ranked on a condition."""
    from procurement.mcda.screening import MARKER, conditional

    ids = set(conditional(decision)["option"])
    if not ids or "label" not in table.columns:
        return table
    out = table.copy()
    out["label"] = [f"{lab} {MARKER}" if o in ids else lab for o, lab in zip(out.index, out["label"], strict=True)]
    return out


def _conditional(a) -> list[dict]:
    """Pass-if options: condition, kind, label, lead time and citation (procurement.mcda.screening.conditional)."""
    from procurement.mcda.screening import conditional

    return [{k: (bool(v) if k == "verified" else v) for k, v in r.items()}
            for r in conditional(a.decision).to_dict("records")]


def _csv(a, results) -> None:
    frames = []
    for r in results:
        t = r.table.reset_index(names="option")
        t.insert(0, "method", r.method)
        t.insert(1, "profile", "default" if r.profile is None else r.profile)
        frames.append(t)
    labels = a.option_labels()
    for o in a.excluded.itertuples():
        frames.append(
            pd.DataFrame(
                [
                    {
                        "method": "screening",
                        "profile": "",
                        "option": o.option,
                        "label": labels[o.option],
                        "score": None,
                        "rank": None,
                        "excluded_by": o.rule,
                    }
                ]
            )
        )
    from procurement.report.excel import csv_safe_frame  # names that look like formulas stay text (OWASP)

    csv_safe_frame(pd.concat(frames)).to_csv(sys.stdout, index=False)


def _table(a, by_profile, skipped, ahp_info) -> None:
    from procurement.mcda.comparison import comparison_frame
    from procurement.mcda.methods import METHODS

    decision = a.decision
    for p, rs in by_profile.items():
        who = "criteria file weights" if p is None else f"profile {p}"
        if len(rs) > 1:
            print_table(
                comparison_frame(decision, rs, a.language),
                f"\n{decision.id} — all methods — {who} (ranks; Borda and Copeland consensus)",
            )
        else:
            r = rs[0]
            print_table(
                _marked(r.table.sort_values("rank", kind="stable").round(4), decision),
                f"\n{decision.id} — {METHODS[r.method].label} — {who}",
            )
    for s in skipped:
        print(f"Skipped {s['method']} ({'default' if s['profile'] is None else s['profile']}): {s['reason']}")
    if len(a.excluded):
        print("\nExcluded by screening:")
        for e in a.excluded.itertuples():
            print(f"  {e.option}: {e.rule}")
    from procurement.mcda.screening import MARKER, conditional_lines

    passif = conditional_lines(decision, a.language)
    if passif:
        print(f"\nRanked on condition ({MARKER} pass-if: legal only if the condition holds; its lead time moves the timeline):")
        for line in passif:
            print(f"  {line}")
    if ahp_info is not None:
        print("\nAHP consistency (Saaty's ratio; above 0.10 the judgements should be revisited):")
        for node, info in ahp_info.items():
            flag = "" if info["consistent"] else "WARNING: "
            print(f"  {flag}{node}: {info['note']}")
