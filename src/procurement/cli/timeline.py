"""`procurement timeline`: earliest phase dates and months to contract per option."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

import procurement as pw
from procurement.cli._common import print_json, print_screened_out


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "timeline",
        help="phase dates, months to contract and SSA suggestions per contract-strategy option",
        description="Lay out each option's procurement phases from CASE/timeline.yaml, never shorter than the "
        "statutory minimum time limits, with the standstill before contract signature.",
    )
    p.add_argument("case", metavar="CASE", help="case folder with timeline.yaml, e.g. data/national-municipal-solution")
    p.add_argument("--decision", default="contract-strategy", help="decision the timelines are for (default contract-strategy)")
    p.add_argument("--start", default=None, metavar="YYYY-MM-DD", help="start date for every option (default: the file's)")
    p.add_argument("--phases", action="store_true", help="also list every phase of every option")
    p.add_argument("--figure", default=None, metavar="PATH", help="save a Gantt chart comparing the options (png, svg, pdf)")
    p.add_argument("--rules", default=None, metavar="DIR", help="rules folder (default: the package's procurement/reference)")
    p.add_argument("--format", choices=("table", "json"), default="table", help="output format (default table)")
    p.set_defaults(func=run)


def analysis(case_dir: str, decision: str) -> pw.Analysis:
    """The analysis `timeline` asks: the case's `decision` in English, with the criteria file's weights."""
    return pw.Analysis(pw.load_case(Path(case_dir)), {"name": "timeline", "decision": decision, "language": "en"})


def run(args: argparse.Namespace) -> int:
    a = analysis(args.case, args.decision)
    timeline = a.timeline(start=args.start, rules=args.rules)
    if args.figure:
        # lazy: matplotlib and seaborn cost 1.4 s CPU at import (measured beside pandas); only --figure needs them
        from procurement.plots.timeline import gantt_figure

        title = f"Procurement timeline per option ({args.decision})"
        gantt_figure(timeline.gantt_table(), title=title).savefig(args.figure, dpi=150)
    if args.format == "json":
        print_json(timeline.to_dict())
        return 0
    _print_table(timeline, args.phases)
    print_screened_out(a, "dates shown")
    if args.figure:
        print(f"\nGantt chart written to {args.figure}")
    return 0


def _print_table(timeline: pw.ProcurementTimeline, phases: bool) -> None:
    dates = timeline.dates
    summary = dates[["procedure", "start", "contract", "days", "months", "lead_time_months", "contract_p50",
                     "contract_p85"]].copy()
    summary["months"] = summary["months"].round(1)
    summary["ssa"] = [("+".join(timeline.ssa(str(oid))) or "-") for oid in summary.index]
    conditions = timeline.conditions
    summary.index = [f"{o} †" if conditions.get(str(o)) else o for o in summary.index]
    sched = timeline.schedule
    with pd.option_context("display.width", 200, "display.max_colwidth", 90, "display.max_columns", 20):
        illustrative = " (illustrative)" if timeline.plan.illustrative else ""
        print(f"Timeline for {timeline.decision}{illustrative}: earliest contract signature per option")
        print(summary.to_string())
        if conditions:
            print("\n† pass-if: the route is legal only when the condition holds; the lead time is added before the contract:")
            for oid, conds in conditions.items():
                for c in conds:
                    print(f"  {oid}: {c['label']} ({c['lead_time_months']:g} months; {c['citation']})")
        print("contract_p50 / contract_p85: after the lead time and the P50 / P85 delay of complaints, injunctions and "
              "ineffectiveness (enforcement.csv; procurement.law.enforcement)")
        lengthened = timeline.lengthened
        if not lengthened.empty:
            print("\nLengthened to the statutory minimum:")
            print(lengthened[["option", "label", "days", "note"]].to_string(index=False))
        if phases:
            print("\nPhases:")
            shown = sched.assign(rule=[("" if v else "UNVERIFIED") for v in sched["verified"]])
            columns = ["option", "label", "start", "end", "days", "minimum_days", "citation", "rule", "note"]
            print(shown[columns].to_string(index=False))
        unverified = sched[~sched["verified"].astype(bool)]
        if not unverified.empty:
            names = sorted({f"{r.label} ({r.citation})" for r in unverified.itertuples()})
            print("\nRules used here that are not verified in the primary source (check before relying on the dates): "
                  + "; ".join(names))
        print("\nSuggested standard contracts (SSA):")
        ssa = timeline.contracts
        print(ssa[["option", "standard", "reason"]].to_string(index=False) if not ssa.empty else "  (none)")
