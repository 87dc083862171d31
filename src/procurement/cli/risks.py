"""`procurement risks`: risk register per option, expected risk score and heatmap."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

import procurement as pw
from procurement.cli._common import print_json


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


def run(args: argparse.Namespace) -> int:
    a = pw.Analysis(pw.load_case(Path(args.case)), {"name": "risks", "decision": args.decision, "language": "en"})
    risks = a.risks(args.how)
    if args.figure:
        # lazy: matplotlib and seaborn cost 1.4 s CPU at import (measured beside pandas); only --figure needs them
        from procurement.plots.risk import risk_heatmap

        counts = risks.counts(args.option)
        risk_heatmap(counts, subject=args.option).savefig(args.figure, dpi=150)
    if args.format == "json":
        print_json(risks.to_dict())
        return 0
    summary = risks.to_frame()
    summary["expected_risk"] = summary["expected_risk"].round(2)
    enforcement = risks.enforcement
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
