"""`procurement rankings [CASE] [--out DIR]`: rank every decision of a case and write CSV.

A quick overview: every decision, every method, the criteria file's weights.
Prints the tables and writes ``<out>/<timestamp>-rankings/<decision>.csv``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from procurement.case.errors import InputError, Problem
from ._common import add_case_argument, load, print_table


def register(sub) -> None:
    p = sub.add_parser(
        "rankings",
        help="rank every decision of a case by every method and write CSV",
        description="Rank every decision of a case by every method; print and write CSV files.",
    )
    add_case_argument(p, required=False)
    p.add_argument("--out", default="reports", help="folder for the CSV files (default reports/)")
    p.add_argument("--language", choices=("nb", "en"), default="en")
    p.set_defaults(func=run)


def ranking_tables(case, language: str = "en") -> dict[str, pd.DataFrame]:
    """One table per decision: options × methods, each cell the rank (1 = best)."""
    from procurement.mcda.methods import METHODS
    from procurement.mcda.ranking import rank

    out = {}
    for did, decision in case.decisions.items():
        cols = {}
        excluded = None
        for m in METHODS:
            r = rank(decision, m, language=language)
            cols[f"rank_{m}"] = r.table["rank"]
            cols[f"score_{m}"] = r.table["score"]
            excluded = r.excluded
        t = pd.DataFrame(cols)
        labels = decision.option_labels(language)
        t.insert(0, "label", [labels[o] for o in t.index])
        t = t.sort_values(f"rank_{next(iter(METHODS))}", kind="stable")
        if excluded is not None and len(excluded):
            ex = pd.DataFrame({"label": [labels[o] for o in excluded["option"]]}, index=excluded["option"].tolist())
            ex["excluded_by"] = excluded["rule"].tolist()
            t = pd.concat([t, ex])
        t.index.name = "option"
        out[did] = t
    return out


def run(args) -> int:
    case = load(args)
    tables = ranking_tables(case, args.language)
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    out = Path(args.out) / f"{stamp}-rankings"
    try:
        out.mkdir(parents=True, exist_ok=False)
    except OSError as e:
        raise InputError(
            Problem(str(out), "", f"cannot create the report folder: {e.strerror}", "choose another --out")
        ) from None
    for did, t in tables.items():
        print_table(t.round(4), f"\n== {did}")
        from procurement.report.excel import csv_safe_frame  # names that look like formulas stay text (OWASP)

        csv_safe_frame(t).to_csv(out / f"{did}.csv", encoding="utf-8")
    print(f"\nWrote {len(tables)} CSV files to {out}")
    return 0
