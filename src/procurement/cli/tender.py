"""`procurement tender [evaluate|seal|simulate|forms|collect] CASE --competition ID`: tender evaluation.

``evaluate`` (the default: ``procurement tender CASE --competition ID``) prints points per criterion, weighted
totals, rank and margins, ties, what each losing tenderer would need to win, evaluator disagreement and the ranking
paradox check; it refuses when the model differs from its seal. ``seal`` fixes the model before opening.
``simulate`` runs the pre-opening simulation of the price models. ``forms`` writes one Excel workbook per
evaluator and ``collect`` reads them back into evaluations.csv.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from procurement.cli._common import DEFAULT_CASE, print_json, print_table

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
    p.add_argument("--fields", type=int, default=None, metavar="N", help="simulate: number of tender fields")
    p.add_argument("--seed", type=int, default=None, metavar="S", help="simulate: seed")
    p.set_defaults(func=run)


def _parse_words(words: list[str]) -> tuple[str, str]:
    from procurement.case.errors import InputError, Problem

    action = "evaluate"
    rest = list(words)
    if rest and rest[0] in ACTIONS:
        action = rest.pop(0)
    if len(rest) == 2 and action == "evaluate":
        from procurement.case.errors import did_you_mean

        raise InputError(Problem("tender", "", f"unknown action '{rest[0]}'", did_you_mean(rest[0], ACTIONS)))
    if len(rest) > 1:
        raise InputError(Problem("tender", "", f"unexpected arguments: {' '.join(rest[1:])}",
                                 f"give [ACTION] CASE; actions: {', '.join(ACTIONS)}"))
    case = rest[0] if rest else DEFAULT_CASE
    if not Path(case).is_dir():
        raise InputError(Problem(case, "", "no such case folder", "give the folder that holds case.yaml and tenders/"))
    return action, case


def _competition_id(case: str, given: str | None) -> str:
    from procurement.case.errors import InputError, Problem
    from procurement.tender.competition import competitions

    if given:
        return given
    found = competitions(case)
    if len(found) == 1:
        return found[0]
    raise InputError(Problem("--competition", "", "no competition given" if found else f"no competitions in {case}/tenders",
                             f"give --competition, one of: {', '.join(found)}" if found else "add tenders/<id>/model.yaml"))


def run(args) -> int:
    from procurement.tender.competition import load_competition

    action, case = _parse_words(args.words)
    comp = load_competition(case, _competition_id(case, args.competition))
    return {"evaluate": _evaluate, "seal": _seal, "simulate": _simulate, "forms": _forms, "collect": _collect}[action](comp, args)


def _evaluate(comp, args) -> int:
    import sys

    from procurement.tender import paradox, seal
    from procurement.tender.evaluate import evaluate, what_it_takes

    st = seal.enforce(comp, allow_changed=args.allow_changed_model)
    for line in st.messages():
        print(f"WARNING: {line}", file=sys.stderr)
    ev = evaluate(comp)
    wit = what_it_takes(ev)
    checks = paradox.check(ev)
    if args.format == "json":
        print_json(ev.to_dict() | {"seal": st.messages(), "what_it_takes": wit.to_dict("records"),
                                   "paradox": checks.to_dict("records")})
        return 0
    print("\n".join(report_lines(ev, wit, checks, st.messages())))
    return 0


def report_lines(ev, wit, checks, seal_messages: list[str]) -> list[str]:
    from procurement.tender.pricing import source

    model = ev.model
    pm = model.price.price_model
    src = source(pm)
    lines = [f"Competition {model.id}: {model.title.en}" + (" [illustrative data]" if model.illustrative else ""),
             "Seal: " + ("; ".join(seal_messages) if seal_messages else "model unchanged since it was sealed"),
             f"Price model: {pm.kind}" + ("" if pm.floor is None else f", floor {pm.floor:g}")
             + f" [{src.citation}; {'verified' if src.verified else 'UNVERIFIED'}]",
             "Weights: " + ", ".join(f"{k} {w:.0%}" for k, w in model.weights().items()), ""]
    shown = ev.table.set_index("tenderer").round(3)
    with _wide():
        lines += [f"Points per criterion (0-{model.max_points:g}), weighted total, rank, margin to the next:",
                  shown.to_string(), ""]
    lines.append(f"Winner: {ev.winner}" if ev.winner else "Winner: none (tie for first, see below)")
    lines += [f"  {t}" for t in ev.ties] or ["  no ties"]
    lines += ["", "What it would take to win (each change on its own):"]
    for r in wit.to_dict("records"):
        lines.append("  " + _wit_line(r, model))
    lines += ["", "Evaluator agreement:"] + ([f"  {w}" for w in ev.warnings] or ["  no flags"])
    lines += ["", _paradox_header(checks, pm.relative)]
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


def _seal(comp, args) -> int:
    from procurement.case.errors import display_path
    from procurement.tender import seal

    path = seal.seal(comp, force=args.force)
    print(f"Sealed {display_path(comp.model_path)} -> {display_path(path)}")
    return 0


def _simulate(comp, args) -> int:
    from procurement.tender.paradox import simulate

    sim = comp.model.simulation
    if sim is not None:
        changes = {k: v for k, v in (("fields", args.fields), ("seed", args.seed)) if v is not None}
        sim = sim.model_copy(update=changes)
    result = simulate(comp.model, sim)
    if args.format == "json":
        print_json(result.to_dict())
        return 0
    s = result.simulation
    print(f"Pre-opening simulation of {comp.id}: {s.fields:,} fields of {s.tenderers[0]}-{s.tenderers[1]} tenderers, "
          f"prices around {s.estimate:,.0f} {comp.model.currency} (sigma {s.price_spread:g}), seed {s.seed}")
    print("paradox = removing one tenderer changes which of the others wins; misses = the winner is not the best "
          f"value for money at {s.value_per_point:g} {comp.model.currency} per quality point")
    print_table(result.table.drop(columns=["fields"]).round(4))
    return 0


def _forms(comp, args) -> int:
    from procurement.case.errors import InputError, Problem, display_path
    from procurement.tender.forms import write_forms

    if args.evaluators:
        evaluators = [e.strip() for e in args.evaluators.split(",") if e.strip()]
    elif comp.evaluations is not None:
        evaluators = sorted(set(comp.evaluations["evaluator"]))
    else:
        raise InputError(Problem("--evaluators", "", "no evaluators given", "give --evaluators anne,bjorn"))
    out = Path(args.out) if args.out else comp.folder / "forms"
    for path in write_forms(comp, evaluators, out):
        print(f"wrote {display_path(path)}")
    return 0


def _collect(comp, args) -> int:
    from procurement.case.errors import display_path
    from procurement.tender.forms import collect

    path = collect(comp, Path(args.forms) if args.forms else comp.folder / "forms")
    print(f"wrote {display_path(path)}")
    return 0
