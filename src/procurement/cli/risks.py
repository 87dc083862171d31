"""`procurement risks`: risk register per option, expected risk score and heatmap."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from procurement.law.risk import expected_risk, read_risks, risk_summary


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "risks",
        help="risk register per option: expected risk score and heatmap",
        description="Read CASE/risks.csv (probability and consequence 1-5), check it against options.csv and show "
        "each option's expected risk score (mean of probability x consequence, or the sum).",
    )
    p.add_argument("case", metavar="CASE", help="case folder with risks.csv, e.g. data/national-municipal-solution")
    p.add_argument("--decision", default="contract-strategy", help="decision (default contract-strategy)")
    p.add_argument("--how", choices=("mean", "sum"), default="mean", help="aggregate of probability x consequence (default mean)")
    p.add_argument("--option", default=None, help="heatmap of this option only")
    p.add_argument("--figure", default=None, metavar="PATH", help="save the probability x consequence heatmap")
    p.add_argument("--format", choices=("table", "json"), default="table", help="output format (default table)")
    p.set_defaults(func=run)


def _enforcement(case_dir: Path, decision: str) -> pd.DataFrame | None:
    """Expected cost and delay of enforcement events per option (CASE/enforcement.csv), or None without the file."""
    if not (case_dir / "enforcement.csv").is_file():
        return None
    from procurement.case.loader import load_case
    from procurement.law.enforcement import enforcement_table

    case = load_case(case_dir)
    if decision not in case.decisions:
        return None
    return enforcement_table(case, decision, "en")


def run(args: argparse.Namespace) -> int:
    reg = read_risks(Path(args.case))
    enforcement = _enforcement(Path(args.case), args.decision)
    score = expected_risk(reg, args.decision, args.how)
    summary = risk_summary(reg, args.decision)
    if args.figure:
        from procurement.plots.risk import risk_heatmap

        risk_heatmap(reg, args.decision, args.option).savefig(args.figure, dpi=150)
    if args.format == "json":
        rows = reg[reg["decision"] == args.decision].drop(columns=["line"]).to_dict("records")
        out = {"decision": args.decision, "how": args.how, "expected_risk": score.round(3).to_dict(), "risks": rows}
        if enforcement is not None:
            out["enforcement"] = enforcement.reset_index().to_dict("records")
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2, default=int)
        sys.stdout.write("\n")
        return 0
    summary.insert(0, "expected_risk", score.round(2))
    with pd.option_context("display.width", 200, "display.max_colwidth", 70, "display.max_columns", 20):
        print(f"Expected risk score per option ({args.how} of probability x consequence, 1-25 per risk; lower is better)")
        print(summary.drop(columns=["mean_score", "sum_score"]).to_string())
        if enforcement is not None and not enforcement.empty:
            print("\nCost and delay of getting it wrong (enforcement.csv: probability x consequence; expected cost enters "
                  "the cost-benefit analysis, the P85 delay the timeline)")
            print(enforcement.drop(columns=["label"]).round(2).to_string())
    if args.figure:
        print(f"\nHeatmap written to {args.figure}")
    return 0
