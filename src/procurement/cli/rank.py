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

from ._common import add_case_argument, add_format_argument, load, print_json, print_table

SCHEMA = "procurement.rank/1"


def register(sub) -> None:
    from procurement.mcda.methods import METHODS

    p = sub.add_parser("rank", help="rank the options of a decision", description="Rank the options of a decision.")
    add_case_argument(p)
    p.add_argument("--decision", required=True, help="decision id, e.g. contract-strategy")
    p.add_argument("--method", default="wsm", help=f"method name, comma-separated names, or 'all' ({', '.join(METHODS)}; default wsm)")
    p.add_argument("--profile", default=None,
                   help="stakeholder group whose weights to use, panel-mean, panel-geomean, or 'all' (default: the criteria file's weights)")
    p.add_argument("--weights", choices=("file", "ahp"), default="file",
                   help="default weights: the criteria file's (file) or the AHP comparisons in <case>/ahp-<decision>.yaml (ahp)")
    p.add_argument("--language", choices=("nb", "en"), default="en", help="labels in bokmål or English (default en)")
    add_format_argument(p)
    p.set_defaults(func=run)


def _weight_sets(decision, profile: str | None, case_path, use_ahp: bool):
    """(profiles, named weight sets, ahp info) for rank_many."""
    from procurement.case.errors import InputError, Problem, did_you_mean
    from procurement.mcda.stakeholders import PANEL_GEOMEAN, PANEL_MEAN, panel_sets, panel_weights

    named: dict[str, pd.Series] = {}
    ahp_info = None
    profiles: list[str | None] = []
    if use_ahp:
        from procurement.mcda.ahp import load_ahp

        res = load_ahp(case_path / f"ahp-{decision.id}.yaml", decision)
        named["ahp"] = res.weights
        ahp_info = {
            node: {"weights": {k: round(float(v), 6) for k, v in r.weights.items()}, "cr": round(r.cr, 6),
                   "consistent": r.consistent, "note": r.describe()}
            for node, r in res.nodes.items()
        }
    elif profile in (None, "all"):
        profiles.append(None)
    if profile == "all":
        profiles += list(decision.profiles)
        named.update(panel_sets(decision))
    elif profile in (PANEL_MEAN, PANEL_GEOMEAN):
        named[profile] = panel_weights(decision, "mean" if profile == PANEL_MEAN else "geomean")
    elif profile is not None:
        if profile not in decision.profiles:
            valid = list(decision.profiles) + [PANEL_MEAN, PANEL_GEOMEAN, "all"]
            raise InputError(Problem("--profile", "", f"no weight profile '{profile}' for decision '{decision.id}'", did_you_mean(profile, valid)))
        profiles.append(profile)
    return profiles, named, ahp_info


def run(args) -> int:
    from procurement.mcda.comparison import comparison_dict, comparison_frame
    from procurement.mcda.methods import METHODS, method_names
    from procurement.mcda.ranking import rank_many
    from procurement.mcda.stakeholders import stakeholder_dicts

    methods = method_names(args.method)  # unknown names fail before loading
    case = load(args)
    decision = case.decision(args.decision)
    profiles, named, ahp_info = _weight_sets(decision, args.profile, case.path, args.weights == "ahp")
    for node, info in (ahp_info or {}).items():
        if not info["consistent"]:  # in every output format, so a CSV or JSON user sees it too
            print(f"warning: AHP judgements of '{node}' are inconsistent: {info['note']}; revise them before relying on "
                  f"the ranking", file=sys.stderr)
    results, skipped = rank_many(decision, methods, profiles, named, args.language)
    by_profile: dict[str | None, list] = {}
    for r in results:
        by_profile.setdefault(r.profile, []).append(r)
    excluded = results[0].excluded if results else pd.DataFrame()

    if args.format == "json":
        out = {
            "schema": SCHEMA,
            "case": case.id,
            "decision": decision.id,
            "methods": methods,
            "profiles": ["default" if p is None else p for p in by_profile],
            "excluded": results[0].to_dict()["excluded"] if results else [],
            "results": [r.to_dict() for r in results],
            "skipped": skipped,
        }
        if len(methods) > 1:
            out["comparison"] = {("default" if p is None else p): comparison_dict(rs) for p, rs in by_profile.items() if len(rs) > 1}
        if args.profile == "all" and decision.profiles:
            from procurement.mcda.ranking import prepare

            prep = prepare(decision)
            ok = [m for m in methods if not any(s["method"] == m for s in skipped)]
            out["stakeholders"] = stakeholder_dicts(decision, ok, prep, results)
        if ahp_info is not None:
            out["ahp"] = ahp_info
        print_json(out)
        return 0
    if args.format == "csv":
        frames = []
        for r in results:
            t = r.table.reset_index(names="option")
            t.insert(0, "method", r.method)
            t.insert(1, "profile", "default" if r.profile is None else r.profile)
            frames.append(t)
        for o in excluded.itertuples():
            frames.append(pd.DataFrame([{"method": "screening", "profile": "", "option": o.option,
                                         "label": decision.option_labels(args.language)[o.option],
                                         "score": None, "rank": None, "excluded_by": o.rule}]))
        pd.concat(frames).to_csv(sys.stdout, index=False)
        return 0
    for p, rs in by_profile.items():
        who = "criteria file weights" if p is None else f"profile {p}"
        if len(rs) > 1:
            print_table(comparison_frame(decision, rs, args.language), f"\n{decision.id} — all methods — {who} (ranks; Borda and Copeland consensus)")
        else:
            r = rs[0]
            print_table(r.table.sort_values("rank", kind="stable").round(4), f"\n{decision.id} — {METHODS[r.method].label} — {who}")
    for s in skipped:
        print(f"Skipped {s['method']} ({'default' if s['profile'] is None else s['profile']}): {s['reason']}")
    if len(excluded):
        print("\nExcluded by screening:")
        for e in excluded.itertuples():
            print(f"  {e.option}: {e.rule}")
    if ahp_info is not None:
        print("\nAHP consistency (Saaty's ratio; above 0.10 the judgements should be revisited):")
        for node, info in ahp_info.items():
            flag = "" if info["consistent"] else "WARNING: "
            print(f"  {flag}{node}: {info['note']}")
    return 0
