"""`procurement route`: which FOA part applies and which procedures are allowed."""

from __future__ import annotations

import argparse
import json
import sys

from procurement.law.rules import RouteResult, load_rules, route


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "route",
        help="which FOA part applies and which procedures are allowed, with reasons and citations",
        description="Which part of anskaffelsesforskriften applies to an estimated value, the threshold row used, "
        "each procedure allowed (reason, citation) and each one not allowed (what is missing).",
    )
    p.add_argument("--value", required=True, metavar="NOK", help="estimated value in NOK excluding VAT")
    p.add_argument("--authority", required=True, metavar="TYPE", help="state | municipal | utility")
    p.add_argument("--kind", required=True, metavar="KIND", help="goods | services | works | health-social | concession")
    p.add_argument("--date", default=None, metavar="YYYY-MM-DD", help="date the thresholds are taken from (default today)")
    p.add_argument("--grounds", default="", metavar="G1,G2",
                   help="grounds that hold, e.g. complexity,innovation (see docs/rules.md)")
    p.add_argument("--rules", default=None, metavar="DIR", help="rules folder (default: the package's procurement/reference)")
    p.add_argument("--format", choices=("table", "json"), default="table", help="output format (default table)")
    p.set_defaults(func=run)


def _flag(v: bool) -> str:
    return "yes" if v else "NO (check the source)"


def format_table(result: RouteResult) -> str:
    """The route answer as readable text."""
    d = result.decision
    t = d.threshold
    n = d.national
    lines = [
        f"Value NOK {d.value:,.0f} excl. VAT, authority {d.authority}, kind {d.kind} ({d.category}), date {d.date}",
        f"Part: {d.part} - {d.label}",
        f"Reason: {d.reason}",
        f"Threshold row used: {t.id}: NOK {t.value:,.0f}, {t.period()}, {t.citation}, verified: {_flag(t.verified)}",
        f"National threshold: {n.id}: NOK {n.value:,.0f}, {n.citation}, verified: {_flag(n.verified)}",
        "Boundary: a value at a threshold counts as at or above it.",
    ]
    if result.grounds:
        lines.append(f"Grounds given: {', '.join(result.grounds)}")
    width = max(len(x) for x in result.procedures["procedure"]) if not result.procedures.empty else 10
    for title, frame, col in (("Allowed procedures", result.allowed, "reason"), ("Not allowed", result.not_allowed, "missing")):
        lines += ["", f"{title}:"]
        if frame.empty:
            lines.append("  (none)")
        for r in frame.to_dict("records"):
            check = "verified" if r["verified"] else "UNVERIFIED"
            lines.append(f"  {r['procedure'].ljust(width)}  {r[col]}  [{r['citation']}; {check}]")
    if d.notes:
        lines += ["", "Notes:"] + [f"  - {x}" for x in d.notes]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    rules = load_rules(args.rules)
    grounds = [g for g in args.grounds.split(",") if g.strip()]
    result = route(args.value, args.authority, args.kind, args.date, grounds, rules)
    if args.format == "json":
        json.dump(result.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(format_table(result))
    return 0
