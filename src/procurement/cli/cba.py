"""`procurement cba CASE --decision D [--samples N] [--seed S] [--format table|csv|json]`.

Cost-benefit analysis after R-109: NPV and related measures per option, a
Monte Carlo simulation over the three-point cash flows (P10/P50/P85/P90,
P(NPV > 0), P(cheapest)), and the non-monetised effects (plus-minus method)
when the case has an ``effects.csv``. JSON gives amounts in NOK and the
discount factor of every year; the table and CSV use ``--unit`` (default MNOK).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from ._common import (
    add_case_argument,
    add_format_argument,
    add_scenario_argument,
    analysis,
    print_json,
    print_screened_out,
    print_table,
)

#: Samples from which a progress bar is shown (on a terminal).
PROGRESS_FROM = 50_000


def register(sub) -> None:
    from procurement.cba.r109 import DEFAULT_SEED

    p = sub.add_parser(
        "cba",
        help="cost-benefit analysis (R-109): NPV, P50/P85, non-monetised effects",
        description="Cost-benefit analysis of a decision's options after R-109/21: NPV with declining discount "
        "rate and tax-financing cost, Monte Carlo P10/P50/P85/P90, and plus-minus effects.",
    )
    add_case_argument(p)
    p.add_argument("--decision", default=None, help="decision id, e.g. contract-strategy (or from --scenario)")
    add_scenario_argument(p)
    p.add_argument("--samples", type=int, default=None, help="Monte Carlo samples (default 10000, or the scenario's; 0 = none)")
    p.add_argument("--seed", type=int, default=None, help=f"random seed (default {DEFAULT_SEED}, or the scenario's)")
    p.add_argument(
        "--parameters",
        metavar="FILE",
        default=None,
        help="R-109 parameter file (default: r109.yaml in the case folder or in rules/ beside it, "
        "else procurement/reference/r109.yaml)",
    )
    p.add_argument(
        "--distribution",
        choices=("triangular", "pert"),
        default=None,
        help="distribution of three-point estimates (default: the parameter file's)",
    )
    p.add_argument(
        "--correlation",
        type=float,
        default=None,
        metavar="R",
        help="rank correlation between cost categories of an option (default 0)",
    )
    p.add_argument("--zero", default="zero", help="id of the 0-alternative (default zero; a decision without one is "
                   "measured against its option with the highest NPV)")
    p.add_argument(
        "--common",
        type=float,
        default=None,
        metavar="SHARE",
        help="common random numbers: share of each draw shared by every option and the 0-alternative "
        "(default: the parameter file's, 1 = the same draw of a category drives every option; 0 = independent draws)",
    )
    p.add_argument(
        "--unit", choices=("NOK", "kNOK", "MNOK"), default="MNOK", help="unit of amounts in table and CSV (default MNOK)"
    )
    add_format_argument(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from procurement.case.cashflows import UNITS
    from procurement.case.errors import InputError, Problem, ProblemList

    if args.samples is not None and args.samples < 0:
        raise InputError(Problem("--samples", "", f"{args.samples} is negative", "give 0 (no simulation) or a positive number"))
    if args.seed is not None and args.seed < 0:
        raise InputError(Problem("--seed", "", f"must be zero or more, got {args.seed}", "e.g. --seed 20261125"))
    a = analysis(args, decision=args.decision, samples=args.samples or None, seed=args.seed)
    simulate = args.samples != 0
    cb = a.cba(
        args.parameters,
        args.zero,
        args.distribution,
        args.correlation,
        simulate,
        progress=simulate and a.scenario.samples >= PROGRESS_FROM,
        common=args.common,
    )
    if not cb.available:
        if args.format == "json":
            print_json({"case": a.case.id, "decision": a.decision.id, "available": False, "message": cb.message})
        else:
            print(cb.message)
        return 0
    case, case_dir, result, sim, params, table = a.case, Path(a.case.path), cb.result, cb.simulation, cb.params, cb.table
    args.decision, args.samples, args.seed = a.decision.id, (a.scenario.samples if simulate else 0), a.scenario.seed
    options = list(table.index)

    effects = None
    effects_path = case_dir / "effects.csv"
    if effects_path.exists():
        from procurement.cba.effects import effects_by_option, read_effects

        problems = ProblemList()
        effects = read_effects(effects_path, {d: case.decision(d).option_ids for d in case.decisions}, problems, zero=args.zero)
        problems.raise_if_any()
        effects = effects_by_option(effects, args.decision, options) if (effects["decision"] == args.decision).any() else None

    from procurement.cba.financing import add_who_pays_json, who_pays, who_pays_table

    paying = who_pays(a, args.parameters, args.zero, simulate)  # financing split, cost per inhabitant, break-even uptake
    if args.format == "json":
        print_json(add_who_pays_json(_to_json(case, args, result, sim, effects, params, cb), paying))
        return 0
    shown = _in_unit(table, UNITS[args.unit])
    if args.format == "csv":
        out = shown.join(effects) if effects is not None else shown
        from procurement.report.excel import csv_safe_frame  # names that look like formulas stay text (OWASP)

        csv_safe_frame(out.reset_index()).to_csv(sys.stdout, index=False)
        return 0
    t = result.timeline
    title = (
        f"{case.id} — {args.decision}: cost-benefit analysis (R-109), {args.unit} real {case.base_year} prices, "
        f"discounted to {t.start}, analysis period {t.start}–{t.end}"
    )
    det_cols = [
        "npv",
        "incremental_npv",
        "incremental_net_benefit_per_krone",
        "pv_costs",
        "pv_benefits",
        "residual_value",
        "tax_cost",
        "net_benefit_per_krone",
        "annualised_cost",
        "investment",
    ]
    _print_headline(cb, a, args.unit, sim)
    print_table(shown[det_cols].round(2), "\nAbsolute measures (second): " + title)
    print("Costs count in full and benefits against the 0-alternative, so absolute NPVs are usually negative; "
          "their differences are the ΔNPV above.")
    if sim is not None:
        mc_cols = [c for c in shown.columns if c not in det_cols and c not in ("net_public_spending", "screened_out")]
        print_table(
            shown[mc_cols].round(3),
            f"\nMonte Carlo: {sim.n} samples, seed {sim.seed}, {sim.distribution}; "
            "Pxx = value not exceeded with probability xx %",
        )
        print(
            "For costs (investment, pv_costs) P50 is the steering frame and P85 the cost frame (KS2). For the NPV the\n"
            "cautious side is the low percentiles: npv_P10 is exceeded in 90 % of draws; npv_P85 lies on the optimistic side."
        )
    if effects is not None:
        print_table(effects, "\nNon-monetised effects (plus-minus method; consequence matrix unverified)")
    paying_table = who_pays_table(paying, UNITS[args.unit]) if paying else None
    if paying_table is not None:
        print_table(paying_table.round(3), f"\nWho pays ({args.unit}, present value per payer; NOK per inhabitant) and the "
                    "break-even share of the population that must join (illustrative: financing.yaml, uptake.yaml)")
        for note in paying["notes"] if paying else []:
            print(note)
    print_screened_out(a, "shown above")
    unverified = [c["parameter"] for c in params.cited() if not c["verified"]]
    if unverified:
        print(f"\nParameters not verified in the primary source: {', '.join(unverified)} (see {params.source}).")
    return 0


def _print_headline(cb, a, unit: str, sim) -> None:
    """The increments against the reference option first, probabilities as percentages with one decimal."""
    from procurement.cba.report import headline_table, percent, reference_sentence

    head = headline_table(cb, a.decision, "en", unit)
    shown = head.drop(columns=["label"])
    for c in shown.columns:
        if c.startswith("p_"):
            shown[c] = [percent(v, "en") for v in shown[c]]
    money = [c for c in shown.columns if c.startswith("incremental_npv")]
    shown[money] = shown[money].round(1)
    if "incremental_net_benefit_per_krone" in shown.columns:
        shown["incremental_net_benefit_per_krone"] = shown["incremental_net_benefit_per_krone"].round(3)
    ref = f"0-alternative '{cb.reference}'" if cb.reference_kind == "zero" else f"best option '{cb.reference}'"
    draws = f"; Monte Carlo {sim.n} samples, common random numbers {sim.meta.get('common', 1.0):g}" if sim is not None else ""
    print_table(shown, f"Against the {ref} ({unit}; point estimate: {cb.point_estimate}{draws})")
    print(reference_sentence(cb, a.decision, "en"))


def _in_unit(table: pd.DataFrame, divisor: float) -> pd.DataFrame:
    """Money columns divided by the unit; ratios and probabilities unchanged."""
    out = table.copy()
    for c in out.columns:
        if c == "net_benefit_per_krone" or c.startswith("p_") or not pd.api.types.is_numeric_dtype(out[c]):
            continue
        out[c] = out[c] / divisor
    return out


def _clean(value):
    """JSON-safe number: NaN becomes null."""
    if isinstance(value, (float, np.floating)) and not np.isfinite(value):
        return None
    return value


def _headline_json(cb, result) -> dict:
    """The increments against the reference option: what the JSON leads with."""
    rows = []
    for option, r in cb.headline().iterrows():
        if option == cb.reference:
            continue
        row = {"option": option, "incremental_npv": _clean(float(r["incremental_npv"]))}
        for k in ("incremental_npv_P10", "incremental_npv_P50", "incremental_npv_P90", "incremental_npv_mean",
                  "p_incremental_positive", "incremental_net_benefit_per_krone"):
            if k in r.index:
                row[k] = _clean(float(r[k]))
        row["screened_out"] = r.get("screened_out", "") or None
        rows.append(row)
    return {
        "reference": cb.reference,
        "reference_kind": cb.reference_kind,
        "point_estimate": cb.point_estimate,
        "point_estimate_meaning": "mean of each three-point estimate (expected value, R-109)" if cb.point_estimate == "expected"
        else "most likely value of each three-point estimate",
        "unit": "NOK",
        "options": rows,
    }


def _to_json(case, args, result, sim, effects, params, cb=None) -> dict:
    t = result.timeline
    rows = []
    for option in result.options:
        row = {"option": option}
        row.update({k: _clean(float(v)) for k, v in result.table.loc[option].items()})
        if sim is not None:
            row["simulation"] = {
                "investment": {k: float(v) for k, v in sim.percentiles("investment").loc[option].items()},
                "npv": {k: float(v) for k, v in sim.percentiles("npv").loc[option].items()},
                "pv_costs": {k: float(v) for k, v in sim.percentiles("pv_costs", (50, 85)).loc[option].items()},
                "npv_mean": float(sim.mean("npv")[option]),
                "p_npv_positive": float(sim.p_npv_positive()[option]),
                "p_best": float(sim.p_best()[option]),
                "p_cheapest": float(sim.p_cheapest()[option]),
            }
            if "incremental_npv" in sim.stats.get("percentiles", {}):
                row["simulation"]["incremental_npv"] = {
                    k: float(v) for k, v in sim.percentiles("incremental_npv").loc[option].items()}
                row["simulation"]["p_incremental_positive"] = _clean(float(sim.p_incremental_positive()[option]))
        if effects is not None and option in effects.index:
            row["effects"] = {k: (int(v) if k.startswith("n_") else v) for k, v in effects.loc[option].items()}
        rows.append(row)
    head = {"incremental": _headline_json(cb, result)} if cb is not None else {}
    return {
        **head,
        "case": case.id,
        "decision": args.decision,
        "unit": "NOK",
        "prices": f"real {case.base_year} NOK",
        "base_year": case.base_year,
        "discount_year": t.start,
        "analysis_period": {"start": t.start, "end": t.end, "years": t.period},
        "zero_option": result.zero,
        "parameters": params.cited(),
        "parameters_file": params.source,
        "discount_factors": [
            {"year": int(r.year), "t": int(r.t), "rate": _clean(float(r.rate)), "factor": float(r.factor)}
            for r in result.discount.itertuples()
        ],
        "simulation": None
        if sim is None
        else {
            "samples": sim.n,
            "seed": sim.seed,
            "distribution": sim.distribution,
            "correlation": sim.meta["correlation"],
            "percentiles": "Pxx = value not exceeded with probability xx %",
            "common_random_numbers": sim.meta.get("common"),
        },
        "options": rows,
    }
