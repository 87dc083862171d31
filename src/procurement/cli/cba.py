"""`procurement cba CASE --decision D [--samples N] [--seed S] [--format table|csv|json] [--unit U]`.

Cost-benefit analysis after R-109: NPV and related measures per option, a Monte Carlo simulation over the
three-point cash flows (P10/P50/P85/P90, P(NPV > 0), P(cheapest)), the non-monetised effects (plus-minus method)
and who pays. Everything printed comes from :meth:`procurement.Analysis.cba`: JSON is its ``to_dict()`` (amounts in
NOK unless ``--unit`` says otherwise), the table and CSV show its tables in ``--unit`` (default MNOK).
"""

from __future__ import annotations

import sys

import pandas as pd

import procurement as pw
from procurement.text import fmt

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
#: Units of money the command can show.
UNITS = ("NOK", "kNOK", "MNOK")
#: First characters that make a spreadsheet read a CSV cell as a formula (OWASP CSV injection); such cells are quoted
#: as text with a leading apostrophe, the same rule as the report's CSV and Excel files (faces do not import each other).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def register(sub) -> None:
    p = sub.add_parser(
        "cba",
        help="cost-benefit analysis (R-109): NPV, P50/P85, non-monetised effects",
        description="Cost-benefit analysis of a decision's options after R-109/21: NPV with declining discount "
        "rate and tax-financing cost, Monte Carlo P10/P50/P85/P90, and plus-minus effects.",
    )
    add_case_argument(p)
    p.add_argument("--decision", default=None, help="decision id, e.g. contract-strategy (or from --scenario)")
    add_scenario_argument(p)
    p.add_argument("--samples", type=int, default=None, help="Monte Carlo samples (default: the scenario's; 0 = none)")
    p.add_argument("--seed", type=int, default=None, help="random seed (default: the scenario's)")
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
    p.add_argument("--view", choices=("welfare", "budget"), default="welfare",
                   help="welfare (default): the R-109 analysis in present values with the tax-financing cost; budget: "
                   "each payer's yearly payments in fixed prices, undiscounted, without the tax-financing cost")
    p.add_argument("--period", type=int, default=None, metavar="YEARS",
                   help="length of a budget period in years (--view budget; default 5)")
    p.add_argument("--unit", choices=UNITS, default=None,
                   help="unit of amounts (default: MNOK in the table and CSV, NOK in JSON)")
    add_format_argument(p)
    p.set_defaults(func=run)


def run(args) -> int:
    if args.samples is not None and args.samples < 0:
        raise pw.InputError(pw.Problem("--samples", "", f"{args.samples} is negative",
                                       "give 0 (no simulation) or a positive number"))
    if args.seed is not None and args.seed < 0:
        raise pw.InputError(pw.Problem("--seed", "", f"must be zero or more, got {args.seed}", "e.g. --seed 1"))
    a = analysis(args, decision=args.decision, samples=args.samples or None, seed=args.seed)
    simulate = args.samples != 0
    unit = args.unit or ("NOK" if args.format == "json" else "MNOK")
    if args.view == "budget":
        return _run_budget(args, a, unit)
    cb = a.cba(args.parameters, args.zero, args.distribution, args.correlation, simulate,
               progress=simulate and a.scenario.samples >= PROGRESS_FROM, common=args.common, unit=unit)
    if args.format == "json":
        print_json(cb.to_dict())
        return 0
    if not cb.available:
        print(cb.message)
        return 0
    if args.format == "csv":
        _print_csv(cb)
        return 0
    _print_tables(cb, a)
    return 0


def _run_budget(args, a, unit: str) -> int:
    """``--view budget``: the payments per payer (JSON: exactly ``Analysis.budget().to_dict()``)."""
    if args.period is not None and args.period < 1:
        raise pw.InputError(pw.Problem("--period", "", f"{args.period} is not a number of years", "e.g. --period 5"))
    view = a.budget(args.parameters, args.zero, unit=unit, **({} if args.period is None else {"period_years": args.period}))
    if args.format == "json":
        print_json(view.to_dict())
        return 0
    if args.format == "csv":
        out = view.totals.copy()
        for c in out.columns:
            if not pd.api.types.is_numeric_dtype(out[c]):
                out[c] = out[c].map(_csv_safe)
        out.to_csv(sys.stdout, index=False)
        return 0
    print_table(view.table().round(1), f"{a.case.id} — {view.decision}: budget view per payer ({view.unit}, fixed "
                f"{view.base_year} prices, undiscounted, no tax-financing cost; per inhabitant in NOK)")
    print("\nAssumptions:")
    for line in view.describe("en"):
        print(f"  {line}")
    print_screened_out(a, "shown above")
    return 0


def _csv_safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _print_csv(cb) -> None:
    """The table (amounts in the unit) with the non-monetised effects beside it; text cells that look like formulas
    quoted."""
    out = cb.table.join(cb.effects.by_option()) if cb.effects is not None else cb.table
    out = out.reset_index()
    for c in out.columns:
        if not pd.api.types.is_numeric_dtype(out[c]):
            out[c] = out[c].map(_csv_safe)
    out.columns = [_csv_safe(c) for c in out.columns]
    out.to_csv(sys.stdout, index=False)


#: Columns of the absolute table (the deterministic measures).
ABSOLUTE = ["npv", "incremental_npv_without_residual", "incremental_npv", "residual_share",
            "incremental_net_benefit_per_krone", "pv_costs", "pv_benefits", "residual_value", "npv_without_residual",
            "tax_cost", "net_benefit_per_krone", "annualised_cost", "investment"]


def _print_tables(cb, a) -> None:
    t = cb.result.timeline
    _print_headline(cb)
    title = (f"{cb.case} — {cb.decision}: cost-benefit analysis (R-109), {cb.unit} real {cb.base_year} prices, "
             f"discounted to {t.start}, analysis period {t.start}–{t.end}")
    print_table(cb.table[ABSOLUTE].round(2), "\nAbsolute measures (second): " + title)
    print("Costs count in full and benefits against the 0-alternative, so absolute NPVs are usually negative; "
          "their differences are the ΔNPV above.")
    sim = cb.simulation
    if sim is not None:
        mc_cols = [c for c in cb.table.columns if c not in ABSOLUTE and c not in ("net_public_spending", "screened_out")]
        print_table(cb.table[mc_cols].round(3), f"\nMonte Carlo: {sim.n} samples, seed {sim.seed}, {sim.distribution}; "
                    "Pxx = value not exceeded with probability xx %")
        print("For costs (investment, pv_costs) P50 is the steering frame and P85 the cost frame (KS2). For the NPV the\n"
              "cautious side is the low percentiles: npv_P10 is exceeded in 90 % of draws; npv_P85 lies on the optimistic side.")
    if cb.effects is not None:
        verified = "verified" if cb.effects.plus_minus.verified else "unverified"
        print_table(cb.effects.by_option(), f"\nNon-monetised effects (plus-minus method; consequence matrix {verified})")
    paying = cb.who_pays.table(cb.unit) if cb.who_pays is not None else None
    if paying is not None:
        print_table(paying.round(3), f"\nWho pays ({cb.unit}, present value per payer; NOK per inhabitant) and the "
                    "break-even share of the population that must join")
    print("\nAssumptions:")
    for line in cb.describe("en"):
        print(f"  {line}")
    print_screened_out(a, "shown above")
    unverified = [c["parameter"] for c in cb.params.cited() if not c["verified"]]
    if unverified:
        print(f"\nParameters not verified in the primary source: {', '.join(unverified)} (see {cb.params.source}).")


def _print_headline(cb) -> None:
    """The increments against the reference option first, probabilities as percentages with one decimal."""
    shown = cb.increments()
    screened = cb.table["screened_out"].fillna("").astype(str)
    if screened.ne("").any():
        shown["excluded_by"] = screened.reindex(shown.index).fillna("")
    for c in shown.columns:
        if c.startswith("p_"):
            shown[c] = [fmt.probability(v, "en", 1) for v in shown[c]]
    money = [c for c in shown.columns if c.startswith("incremental_npv")]
    shown[money] = shown[money].round(1)
    for c in ("incremental_net_benefit_per_krone", "residual_share"):
        if c in shown.columns:
            shown[c] = shown[c].round(3)
    ref = f"0-alternative '{cb.reference}'" if cb.reference_kind == "zero" else f"best option '{cb.reference}'"
    sim = cb.simulation
    draws = f"; Monte Carlo {sim.n} samples, common random numbers {sim.meta.get('common', 1.0):g}" if sim is not None else ""
    print_table(shown, f"Against the {ref} ({cb.unit}; point estimate: {cb.point_estimate}{draws})")
