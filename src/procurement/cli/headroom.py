"""`procurement headroom`: how much a contract may still change under FOA § 28-1 (b)."""

from __future__ import annotations

import argparse

import procurement as pw
from procurement.cli._common import print_json
from procurement.text import fmt
from procurement.text.sentences import sentence


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "headroom",
        help="contract-change headroom under FOA § 28-1 (b)",
        description="How much more a contract can be changed without a new competition under FOA § 28-1 (b): "
        "below the EEA threshold and below 10 % of the original value (15 % for works), counting the changes already made.",
    )
    p.add_argument("--original", required=True, metavar="NOK", help="original contract value in NOK excluding VAT")
    p.add_argument("--kind", required=True, metavar="KIND", help="goods | services | works | health-social | concession")
    p.add_argument("--authority", default="municipal", metavar="TYPE", help="state | municipal | utility (default municipal)")
    p.add_argument("--date", default=None, metavar="YYYY-MM-DD", help="date of the change (default today)")
    p.add_argument("--used", default="", metavar="NOK,NOK", help="changes already made under § 28-1 (b), comma-separated NOK")
    p.add_argument("--rules", default=None, metavar="DIR", help="rules folder (default: the package's procurement/reference)")
    p.add_argument("--format", choices=("table", "json"), default="table", help="output format (default table)")
    p.set_defaults(func=run)


def _nok(x: float) -> str:
    return sentence("law.nok", "en", value=x)


EXHAUSTED = "  (exhausted: a further change needs another ground or a new competition)"


def format_table(h: pw.ChangeHeadroom) -> str:
    """The headroom answer as readable text."""
    t = h.threshold
    limit_name = "EEA threshold" if h.limited_by == "threshold" else f"{h.percent:g} % limit"
    lines = [
        f"Original value {_nok(h.original)}, kind {h.kind}, authority {h.authority}, date {h.date}",
        f"EEA threshold: {_nok(t.value)} ({t.id}, {t.period()}, verified: {'yes' if t.verified else 'NO'})",
        f"{h.percent:g} % of the original value: {_nok(h.percent_limit)}",
        f"Limit for changes (the smaller of the two: the {limit_name}): {_nok(h.limit)}",
        f"Changes already made: {len(h.used)}, total {_nok(h.used_total)}",
        f"Remaining headroom: {_nok(h.remaining)}" + (EXHAUSTED if h.exhausted else ""),
        f"A further change must stay below the remaining headroom. [{h.citation}; {'verified' if h.verified else 'UNVERIFIED'}]",
        "It must also not alter the overall nature of the contract (directive 2014/24/EU art. 72(2); unverified for FOA).",
    ]
    over = h.over_limit
    if over:
        lines.append(
            f"WARNING: {len(over)} change(s) already made were at or above the § 28-1 (b) limit of {_nok(h.limit)} "
            f"(largest {_nok(max(over))}): they needed another ground in § 28-1 or a new competition."
        )
    elif h.used_total >= h.limit and h.used:
        lines.append(
            f"WARNING: the changes already made add up to {_nok(h.used_total)}, at or above the limit: "
            "the last of them needed another ground in § 28-1 or a new competition."
        )
    if t.stale(h.date):
        lines.append(f"Note: {sentence('law.note.stale', 'en', row=t.id, valid_from=t.valid_from, date=h.date)}.")
    lines += ["", "Other grounds of FOA § 28-1 (cap per change where the ground has one):"]
    for g in h.other_grounds.to_dict("records"):
        nok, share = g["cap_nok"], g["cap_share"]
        capped = nok is not None and nok == nok
        cap = f"at most {_nok(float(nok))} ({fmt.percent(float(share), 'en', 0)})" if capped else "no cap of its own"
        check = "verified" if g["verified"] else "UNVERIFIED"
        lines.append(f"  ({g['ground']}) {g['rule']}: {cap} [{g['citation']}; {check}]")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    used = [x.strip() for x in args.used.split(",") if x.strip()]
    h = pw.headroom(args.original, args.kind, args.authority, args.date, used, args.rules)
    if args.format == "json":
        print_json(h.to_dict())
    else:
        print(format_table(h))
    return 0
