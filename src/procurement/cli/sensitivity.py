"""`procurement sensitivity CASE --decision D [--samples N] [--seed S] [--method NAME] [--format table|json]`.

SMAA-2 (rank acceptability, central weights, confidence factors, winning
indices, each with its standard error), the weighted sum's exact weight
stability intervals, "what would it take" for every option that does not win,
and the largest score swings. Same seed, same numbers.
"""

from __future__ import annotations

import sys

import procurement as pw

from ._common import add_case_argument, add_format_argument, add_scenario_argument, analysis, print_json, print_table

InputError, Problem = pw.InputError, pw.Problem


def register(sub) -> None:
    p = sub.add_parser(
        "sensitivity",
        help="how sure is the ranking: SMAA-2, weight stability, what would it take",
        description="Sensitivity and uncertainty of a decision's ranking: SMAA-2 with weights and scores "
        "uncertain, exact weight stability intervals (weighted sum), the smallest change that makes each "
        "other option win, and the largest score swings.",
    )
    add_case_argument(p)
    p.add_argument("--decision", default=None, help="decision id, e.g. contract-strategy (or from --scenario)")
    add_scenario_argument(p)
    p.add_argument(
        "--method",
        default=None,
        help=f"ranking method with a vectorised kernel ({', '.join(pw.KERNEL_METHODS)}; default the scenario's first "
        "method, else wsm)",
    )
    p.add_argument("--samples", default=None, metavar="N", help="Monte Carlo samples (default 10000, or the scenario's)")
    p.add_argument("--seed", default=None, metavar="S",
                   help=f"random seed, a whole number (default {pw.DEFAULT_SEED}, or the scenario's)")
    p.add_argument(
        "--weights",
        dest="weight_model",
        choices=pw.WEIGHT_MODELS,
        default=None,
        help="weight uncertainty: bounds (± --spread around the point weights; the default, as in the "
        "report and the workbench), uniform (no preference information), order (only the order of the "
        "point weights), profiles (mixture of the stakeholder profiles), fixed (point weights)",
    )
    p.add_argument(
        "--spread",
        default=None,
        metavar="X",
        help="fraction for --weights bounds (default 0.2 = ± 20 %%) or the perturbation of each profile (default 0)",
    )
    p.add_argument(
        "--profile", default=None, help="stakeholder group whose weights are the point weights (default: the criteria file's)"
    )
    p.add_argument(
        "--mixture",
        default=None,
        metavar="G[=P],...",
        help="profiles for --weights profiles with optional probabilities, e.g. ks=0.5,directorate=0.5 (default: all, equal)",
    )
    p.add_argument(
        "--distribution", choices=pw.DISTRIBUTIONS, default=None,
        help="score distribution from low/likely/high (default triangular)",
    )
    p.add_argument("--fixed-scores", action="store_true", help="use the likely scores only (weights uncertain alone)")
    p.add_argument("--progress", dest="progress", action="store_true", default=None, help="always show a progress bar")
    p.add_argument("--no-progress", dest="progress", action="store_false", help="never show a progress bar")
    add_format_argument(p, choices=("table", "json"))
    p.set_defaults(func=run)


def _parse_samples(text: str) -> int:
    try:
        value = int(str(text).strip())
    except ValueError:
        raise InputError(Problem("--samples", "", f"must be a whole number above zero, got '{text}'")) from None
    if value <= 0:
        raise InputError(Problem("--samples", "", f"must be a whole number above zero, got {value}"))
    return value


def _parse_seed(text: str) -> int:
    try:
        value = int(str(text).strip())
    except ValueError:
        raise InputError(Problem("--seed", "", f"must be a whole number, got '{text}'",
                                 f"e.g. --seed {pw.DEFAULT_SEED}")) from None
    if value < 0:
        raise InputError(Problem("--seed", "", f"must be zero or more, got {value}"))
    return value


def _parse_spread(text):
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InputError(Problem("--spread", "", f"must be a number between 0 and 1, got '{text}'")) from None
    if not 0 <= value <= 1:
        raise InputError(Problem("--spread", "", f"must lie between 0 and 1 (0.2 is ± 20 %), got {text}"))
    return value


def _parse_mixture(text):
    if text is None:
        return None
    out: dict[str, float] = {}
    for part in str(text).split(","):
        part = part.strip()
        if not part:
            continue
        if "=" in part:
            g, p = part.split("=", 1)
            try:
                out[g.strip()] = float(p)
            except ValueError:
                raise InputError(
                    Problem("--mixture", "", f"the probability of '{g.strip()}' must be a number, got '{p}'")
                ) from None
        else:
            out[part] = 1.0
    if not out:
        raise InputError(Problem("--mixture", "", "names no profile", "e.g. --mixture ks=0.5,directorate=0.5"))
    return out


def _uncertainty(args, base) -> dict | None:
    """The scenario's uncertainty block with the flags given on the command line replacing its keys."""
    u = dict(base.model_dump()) if base is not None else {}
    given = {
        "weights": args.weight_model,
        "spread": _parse_spread(args.spread),
        "mixture": _parse_mixture(args.mixture),
        "scores": "fixed" if args.fixed_scores else args.distribution,
    }
    given = {k: v for k, v in given.items() if v is not None}
    return {**u, **given} if given else None


def run(args) -> int:
    samples = None if args.samples is None else _parse_samples(args.samples)
    seed = None if args.seed is None else _parse_seed(args.seed)
    a = analysis(
        args,
        decision=args.decision,
        profile=args.profile,
        samples=samples,
        seed=seed,
        methods=[args.method] if args.method else (["wsm"] if args.scenario is None else None),
        language="en" if args.scenario is None else None,  # as `rank`: English without a scenario
    )
    unc = _uncertainty(args, a.uncertainty)
    if unc is not None:
        a = a.with_(uncertainty=unc)
    result = a.sensitivity(progress=args.progress)
    if args.format == "json":
        print_json(result.to_dict())
        return 0
    _table(result, a.option_labels(), a.language)
    return 0


def _table(result, labels: dict[str, str], language: str) -> None:
    smaa = result.smaa
    print(f"{result.decision} — SMAA-2, {smaa.method}")
    for line in result.describe(language):
        print(f"  {line}")
    if len(smaa.excluded):
        print("Excluded by screening: " + "; ".join(f"{e.option} ({e.rule})" for e in smaa.excluded.itertuples()))
    summary = smaa.summary()
    summary.insert(0, "label", [labels[o] for o in summary.index])
    print_table(
        _pct(summary, ["first", "first_se", "confidence", "confidence_se"]),
        "\nSummary (first = share of draws ranked first; % ± standard error)",
    )
    acc = smaa.acceptability.loc[summary.index] * 100
    acc.columns = [f"r{c}" for c in acc.columns]
    print_table(acc.round(1), "\nRank acceptability (%)")
    print_table(
        smaa.central_weights.loc[summary.index].dropna(how="all").round(3),
        "\nCentral weights (the typical weights that make each option win)",
    )
    print_table(
        (smaa.winning.loc[summary.index, summary.index] * 100).round(1),
        "\nPairwise winning index (% of draws where the row ranks above the column)",
    )
    if result.stability is not None:
        print_table(
            result.stability.intervals().round(3),
            f"\nWeight stability intervals ({smaa.method}; leader {', '.join(result.stability.leader)})",
        )
    wwit = result.what_it_takes.table
    if len(wwit):
        print_table(
            wwit.round(3), "\nWhat would it take (smallest single change that makes the option draw level with the leader)"
        )
    torn = result.tornado.table
    top = torn.sort_values("swing", ascending=False, kind="stable").head(10)
    print_table(
        top.set_index(["option", "criterion"])[
            ["low", "likely", "high", "score_at_low", "score_at_high", "rank_at_low", "rank_at_high", "swing"]
        ].round(3),
        "\nLargest score swings (one score at its low / high)",
    )
    print(f"\n{smaa.seconds:.2f} s", file=sys.stderr)


def _pct(df, cols):
    out = df.copy()
    for c in cols:
        out[c] = (out[c] * 100).round(1)
    out["mean_rank"] = out["mean_rank"].round(2)
    return out
