"""Helpers shared by the sub-commands: case arguments, the analysis a command asks, output formats."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

import procurement as pw
from procurement import InputError, Problem
from procurement.cli import start_up

DEFAULT_CASE = "data/national-municipal-solution"


def add_case_argument(parser: argparse.ArgumentParser, required: bool = True) -> None:
    if required:
        parser.add_argument("case", metavar="CASE", help="case folder, e.g. data/national-municipal-solution")
    else:
        parser.add_argument("case", metavar="CASE", nargs="?", default=DEFAULT_CASE, help=f"case folder (default {DEFAULT_CASE})")
    parser.add_argument(
        "--criteria", metavar="DIR", default=None, help="folder with criteria/<decision>.yaml (default: found from the case)"
    )


def add_format_argument(parser: argparse.ArgumentParser, choices=("table", "csv", "json")) -> None:
    parser.add_argument("--format", choices=choices, default="table", help="output format (default table)")


def load(args):
    with start_up():  # the engine's modules are imported here, on first use of pw.load_case
        return pw.load_case(Path(args.case), args.criteria)


def add_scenario_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--scenario",
        metavar="FILE|NAME",
        default=None,
        help="a scenario file or a scenario name of the case: its decision, weights, methods, samples, seed "
        "and uncertainty model; flags given here override it",
    )


def analysis(args, case=None, **flags):
    """The :class:`procurement.Analysis` for the command line: `--scenario` (a file or a name of the
    case's scenarios, default none), then every flag given (`flags` whose value is not None) replacing its key."""
    case = case if case is not None else load(args)
    base = _scenario(args, case)
    changes = {k: v for k, v in flags.items() if v is not None}
    if "profile" in changes:  # a profile given on the command line replaces the scenario's explicit weights
        changes["weights"] = None
    if base is None and "decision" not in changes:
        raise InputError(Problem("--decision", "", "no decision given", "give --decision ID or --scenario FILE"))
    return pw.Analysis(case, base, **changes)


def _scenario(args, case):
    spec = getattr(args, "scenario", None)
    if spec is None:
        return None
    path = Path(spec)
    if path.suffix in (".yaml", ".yml") or path.exists():
        if not path.exists():
            raise InputError(Problem(str(path), "", "scenario file not found", "give data/<case>/scenarios/<name>.yaml"))
        return pw.read_scenario(path)
    return case.scenario(spec)


def print_json(data) -> None:
    """`data` (a result's ``to_dict()``) as one line of JSON: ``json.dumps`` without indentation runs in C, and one
    write; an indented dump of a large panel's document (100 MB) takes seconds in pure Python."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=_json_default))
    sys.stdout.write("\n")


def _json_default(o):
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating,)):
        return float(o)
    if isinstance(o, (pd.Timestamp,)):
        return o.isoformat()
    if isinstance(o, Path):
        return str(o)
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def print_table(df: pd.DataFrame, title: str | None = None) -> None:
    if title:
        print(title)
    with pd.option_context("display.width", 200, "display.max_columns", 50, "display.max_colwidth", 60):
        print(df.to_string())


def print_screened_out(analysis, shown: str) -> None:
    """Name the options the must-pass rules of `analysis` remove, after output that still lists them (`shown` says what)."""
    try:
        excluded = analysis.excluded
    except InputError:  # every option screened out: `rank` reports that
        return
    lines = [f"{option}: {rule}" for option, rule in zip(excluded["option"], excluded["rule"], strict=True)]
    if lines:
        print(f"\nScreened out by must-pass rules ({shown} for completeness; not an open route):")
        for line in lines:
            print(f"  {line}")
