"""`procurement timeline`: earliest phase dates and months to contract per option."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from procurement.law.contracts import suggest_for_options
from procurement.law.risk import case_options
from procurement.law.rules import load_rules
from procurement.law.timeline import contract_dates, load_timeline, months_to_contract, schedule


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


def run(args: argparse.Namespace) -> int:
    rules = load_rules(args.rules)
    case = Path(args.case)
    options = case_options(case)
    ids = options.get(args.decision) if options else None
    plan = load_timeline(case / "timeline.yaml", decision=args.decision, option_ids=ids, rules=rules)
    sched = schedule(plan, args.start, rules)
    dates, conditions = _adjusted(case, args.decision, contract_dates(sched))
    months = months_to_contract(sched)
    ssa = suggest_for_options({oid: o.characteristics for oid, o in plan.options.items()})
    if args.figure:
        from procurement.plots.timeline import gantt_figure

        gantt_figure(sched, title=f"Procurement timeline per option ({args.decision})").savefig(args.figure, dpi=150)
    if args.format == "json":
        phases = sched.assign(start=sched["start"].map(str), end=sched["end"].map(str)).to_dict("records")
        months_of = months.to_dict()
        out = {
            "decision": plan.decision,
            "illustrative": plan.illustrative,
            "options": [
                {"option": oid, "procedure": r["procedure"], "start": str(r["start"]), "contract": str(r["contract"]),
                 "days": int(r["days"]), "months_to_contract": round(float(months_of[oid]), 2),
                 "ssa": ssa[ssa["option"] == oid]["standard"].tolist(),
                 "lead_time_months": float(r["lead_time_months"]), "conditions": conditions.get(str(oid), []),
                 "contract_if": str(r["contract_if"]), "expected_delay_months": float(r["expected_delay_months"]),
                 "contract_p50": str(r["contract_p50"]), "contract_p85": str(r["contract_p85"])}
                for oid, r in dates.iterrows()
            ],
            "phases": phases,
        }
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
        return 0
    summary = dates[["procedure", "start", "contract", "days", "months", "lead_time_months", "contract_p50",
                     "contract_p85"]].copy()
    summary["months"] = summary["months"].round(1)
    summary["ssa"] = [("+".join(ssa[ssa["option"] == oid]["standard"]) or "-") for oid in summary.index]
    summary.index = [f"{o} †" if conditions.get(str(o)) else o for o in summary.index]
    with pd.option_context("display.width", 200, "display.max_colwidth", 90, "display.max_columns", 20):
        illustrative = " (illustrative)" if plan.illustrative else ""
        print(f"Timeline for {plan.decision}{illustrative}: earliest contract signature per option")
        print(summary.to_string())
        if conditions:
            print("\n† pass-if: the route is legal only when the condition holds; the lead time is added before the contract:")
            for oid, conds in conditions.items():
                for c in conds:
                    print(f"  {oid}: {c['label']} ({c['lead_time_months']:g} months; {c['citation']})")
        print("contract_p50 / contract_p85: after the lead time and the P50 / P85 delay of complaints, injunctions and "
              "ineffectiveness (enforcement.csv; procurement.law.enforcement)")
        lengthened = sched[sched["lengthened"]]
        if not lengthened.empty:
            print("\nLengthened to the statutory minimum:")
            print(lengthened[["option", "label", "days", "note"]].to_string(index=False))
        if args.phases:
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
        print(ssa[["option", "standard", "reason"]].to_string(index=False) if not ssa.empty else "  (none)")
        _print_screening(case, plan.decision)
    if args.figure:
        print(f"\nGantt chart written to {args.figure}")
    return 0


def _adjusted(case_dir: Path, decision: str, dates: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, list[dict]]]:
    """Contract dates moved by pass-if lead times and enforcement delays, and each pass-if option's conditions.

    A folder that is not a whole case (only timeline.yaml) gets no adjustment.
    """
    from procurement import load_case
    from procurement.case.errors import InputError
    from procurement.law.enforcement import delays
    from procurement.law.timeline import shifted_dates
    from procurement.mcda.screening import conditional, lead_times

    try:
        case = load_case(case_dir)
        d = case.decision(decision)
    except InputError:
        return shifted_dates(dates), {}
    cond = conditional(d)
    conditions = {str(o): [{"label": r["label_en"], "kind": r["kind"], "lead_time_months": float(r["lead_time_months"]),
                            "citation": r["citation"]} for r in g.to_dict("records")]
                  for o, g in cond.groupby("option", sort=False)}
    return shifted_dates(dates, lead_times(d), delays(case, decision)), conditions


def _print_screening(case_dir: Path, decision: str) -> None:
    """Name the options the ranking's must-pass rules remove: their dates are shown, but the route is not open."""
    import procurement as pw

    from ._common import print_screened_out

    case = pw.load_case(case_dir)
    if decision in case.decisions:
        print_screened_out(pw.Analysis(case, {"name": "timeline", "decision": decision}), "dates shown")
