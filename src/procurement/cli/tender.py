"""`procurement tender [evaluate|seal|simulate|forms|collect] CASE --competition ID`: tender evaluation.

``evaluate`` (the default: ``procurement tender CASE --competition ID``) prints points per criterion, weighted
totals, rank and margins, ties, what each losing tenderer would need to win, evaluator disagreement and the ranking
paradox check; it refuses when the model differs from its seal. ``seal`` fixes the model before opening.
``simulate`` runs the pre-opening simulation of the price models. ``forms`` writes one Excel workbook per
evaluator and ``collect`` reads them back into evaluations.csv.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

import procurement as pw
from procurement.cli._common import DEFAULT_CASE, print_json, print_table
from procurement.text.sentences import sentence

ACTIONS = ("evaluate", "seal", "simulate", "forms", "collect")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "tender",
        help="evaluate tenders: points, ranking, what it takes, ranking paradox; seal, simulate, Excel forms",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("words", nargs="*", metavar="[ACTION] CASE",
                   help=f"action ({' | '.join(ACTIONS)}, default evaluate) and case folder (default {DEFAULT_CASE})")
    p.add_argument("--competition", metavar="ID", default=None,
                   help="competition folder under CASE/tenders/ (default: the only one)")
    p.add_argument("--format", choices=("table", "json"), default="table", help="output format (default table)")
    p.add_argument("--allow-changed-model", action="store_true",
                   help="evaluate even if the model differs from its seal (warns loudly, naming what changed)")
    p.add_argument("--force", action="store_true", help="seal: replace an existing seal after tenders are in")
    p.add_argument("--evaluators", metavar="A,B", default=None, help="forms: evaluator ids (default: those in evaluations.csv)")
    p.add_argument("--out", metavar="DIR", default=None, help="forms: folder for the workbooks (default CASE/tenders/ID/forms)")
    p.add_argument("--forms", metavar="DIR", default=None,
                   help="collect: folder of filled workbooks (default CASE/tenders/ID/forms)")
    p.add_argument("--language", choices=("nb", "en"), default="nb",
                   help="forms, collect: language of the forms and of the lines printed (default nb)")
    p.add_argument("--fields", type=int, default=None, metavar="N", help="simulate: number of tender fields")
    p.add_argument("--seed", type=int, default=None, metavar="S", help="simulate: seed")
    p.set_defaults(func=run)


def _parse_words(words: list[str]) -> tuple[str, str]:
    action = "evaluate"
    rest = list(words)
    if rest and rest[0] in ACTIONS:
        action = rest.pop(0)
    if len(rest) == 2 and action == "evaluate":
        close = difflib.get_close_matches(rest[0], ACTIONS, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"valid: {', '.join(sorted(ACTIONS))}"
        raise pw.InputError(pw.Problem("tender", "", f"unknown action '{rest[0]}'", hint))
    if len(rest) > 1:
        raise pw.InputError(pw.Problem("tender", "", f"unexpected arguments: {' '.join(rest[1:])}",
                                       f"give [ACTION] CASE; actions: {', '.join(ACTIONS)}"))
    case = rest[0] if rest else DEFAULT_CASE
    if not Path(case).is_dir():
        raise pw.InputError(pw.Problem(case, "", "no such case folder", "give the folder that holds case.yaml and tenders/"))
    return action, case


def run(args) -> int:
    action, case = _parse_words(args.words)
    return {"evaluate": _evaluate, "seal": _seal, "simulate": _simulate, "forms": _forms, "collect": _collect}[action](case, args)


def _evaluate(case: str, args) -> int:
    result = pw.evaluate_tender(case, args.competition, allow_changed_model=args.allow_changed_model)
    for line in result.seal.messages():
        print(f"WARNING: {line}", file=sys.stderr)
    if args.format == "json":
        print_json(result.to_dict())
        return 0
    print("\n".join(report_lines(result)))
    return 0


def report_lines(result) -> list[str]:
    """The evaluation as text: the model's assumptions, the table, the winner and ties, what it would take, the
    evaluators' agreement and the ranking-paradox check."""
    model = result.model
    seal_messages = result.seal.messages()
    lines = [f"Competition {model.id}: {model.title.en}" + (" [illustrative data]" if model.illustrative else ""),
             "Seal: " + ("; ".join(seal_messages) if seal_messages else "model unchanged since it was sealed"),
             "Model:"]
    lines += [f"  {s}" for s in result.describe("en")]
    shown = result.table.set_index("tenderer").round(3)
    with _wide():
        lines += ["", f"Points per criterion (0-{model.max_points:g}), weighted total, rank, margin to the next:",
                  shown.to_string(), ""]
    lines.append(f"Winner: {result.winner}" if result.winner else "Winner: none (tie for first, see below)")
    lines += [f"  {t}" for t in result.evaluation.ties] or ["  no ties"]
    lines += ["", "What it would take to win (each change on its own):"]
    for r in result.what_it_takes.to_dict("records"):
        lines.append("  " + _wit_line(r, model))
    lines += ["", "Evaluator agreement:"] + ([f"  {w}" for w in result.evaluation.warnings] or ["  no flags"])
    checks = result.paradox
    lines += ["", _paradox_header(checks, model.price.price_model.relative)]
    for r in checks.to_dict("records"):
        how = (f"removing {r['tender']}" if r["change"] == "removed"
               else f"adding a tender at {r['extra_price']:,.0f} ({r['tender']})")
        lines.append(f"  {how}: {r['first']} {r['before']} of {r['second']} -> {r['after']} "
                     f"({r['total_first']:.3f} vs {r['total_second']:.3f} -> {r['after_first']:.3f} vs {r['after_second']:.3f})")
    return lines


def _paradox_header(checks, relative: bool) -> str:
    if checks.empty:
        return "Ranking paradox check: no removal or plausible extra tender changes the order of two others."
    kind = "relative model: points depend on the lowest price" if relative else "check relative quality scales"
    return f"Ranking paradox check: {len(checks)} case(s) where another tender changes the order of two others ({kind}):"


def _wit_line(r: dict, model) -> str:
    parts = []
    if r["price_to_win"] is None:
        parts.append("no price is low enough")
    else:
        parts.append(f"price {r['price_to_win']:,.1f} {model.currency} ({r['price_change']:+.1%})")
    for c in model.quality:
        s = r.get(f"{c.id}_to_win")
        parts.append(f"{c.id} {s:.2f}" if s is not None and s == s else f"{c.id}: not enough alone")
    return f"{r['tenderer']} (rank {r['rank']}, {r['gap']:.3f} behind): " + "; or ".join(parts)


class _wide:
    def __enter__(self):
        import pandas as pd

        self._ctx = pd.option_context("display.width", 200, "display.max_columns", 50)
        self._ctx.__enter__()

    def __exit__(self, *exc):
        self._ctx.__exit__(*exc)


def _seal(case: str, args) -> int:
    path = pw.seal_tender(case, args.competition, force=args.force)
    print(f"Sealed {_shown(path.parent / 'model.yaml')} -> {_shown(path)}")
    return 0


def _simulate(case: str, args) -> int:
    result = pw.simulate_tender(case, args.competition, fields=args.fields, seed=args.seed)
    if args.format == "json":
        print_json(result.to_dict())
        return 0
    s, currency = result.simulation, result.currency
    print(f"Pre-opening simulation of {result.competition}: {s.fields:,} fields of {s.tenderers[0]}-{s.tenderers[1]} "
          f"tenderers, prices around {s.estimate:,.0f} {currency} (sigma {s.price_spread:g}), seed {s.seed}")
    print("paradox = removing one tenderer changes which of the others wins; misses = the winner is not the best "
          f"value for money at {s.value_per_point:g} {currency} per quality point")
    print_table(result.table.drop(columns=["fields"]).round(4))
    return 0


def _forms(case: str, args) -> int:
    evaluators = [e.strip() for e in args.evaluators.split(",") if e.strip()] if args.evaluators else None
    for path in pw.write_tender_forms(case, args.competition, evaluators=evaluators, out=args.out, language=args.language):
        print(sentence("forms.wrote", args.language, path=_shown(path)))
    return 0


def _collect(case: str, args) -> int:
    path = pw.collect_tender_forms(case, args.competition, forms=args.forms)
    print(sentence("forms.wrote", args.language, path=_shown(path)))
    return 0


def _shown(path: Path) -> str:
    """A path relative to the working folder when it is under it, as the user typed paths."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
