"""`procurement rankings [CASE] [--out DIR]`: rank every decision of a case and write CSV.

A quick overview: every decision, every method, the criteria file's weights.
Prints the tables and writes ``<out>/<timestamp>-rankings/<decision>.csv``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

import procurement as pw
from procurement.text.cells import csv_safe_frame

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


def ranking_table(result) -> pd.DataFrame:
    """Options × methods of one decision's :class:`procurement.Rankings`: ``label``, ``rank_<method>`` and
    ``score_<method>``, best first by the first method; options the screening removed last with ``excluded_by``."""
    cols: dict[str, pd.Series] = {}
    for r in result.results:
        cols[f"rank_{r.method}"] = r.table["rank"]
        cols[f"score_{r.method}"] = r.table["score"]
    t = pd.DataFrame(cols).reindex(result.results[0].matrix.index) if result.results else pd.DataFrame()
    t.insert(0, "label", [result.labels[o] for o in t.index])
    if result.results:
        t = t.sort_values(f"rank_{result.results[0].method}", kind="stable")
    ex = result.excluded
    if len(ex):
        extra = pd.DataFrame({"label": [result.labels[o] for o in ex["option"]], "excluded_by": ex["rule"].tolist()},
                             index=ex["option"].tolist())
        t = pd.concat([t, extra])
    t.index.name = "option"
    return t


def ranking_tables(case, language: str = "en") -> dict[str, pd.DataFrame]:
    """One table per decision (:func:`ranking_table`), every method, the criteria file's weights."""
    out = {}
    for did in case.decisions:
        a = pw.Analysis(case, {"name": "rankings", "decision": did, "methods": list(pw.METHODS), "language": language})
        out[did] = ranking_table(a.rankings())
    return out


def run(args) -> int:
    case = load(args)
    tables = ranking_tables(case, args.language)
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    out = Path(args.out) / f"{stamp}-rankings"
    try:
        out.mkdir(parents=True, exist_ok=False)
    except OSError as e:
        raise pw.InputError(
            pw.Problem(str(out), "", f"cannot create the report folder: {e.strerror}", "choose another --out")
        ) from None
    for did, t in tables.items():
        print_table(t.round(4), f"\n== {did}")
        csv_safe_frame(t).to_csv(out / f"{did}.csv", encoding="utf-8")  # names that look like formulas stay text
    print(f"\nWrote {len(tables)} CSV files to {out}")
    return 0
