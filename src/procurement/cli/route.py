"""`procurement route`: which FOA part applies and which procedures are allowed."""

from __future__ import annotations

import argparse
import json
import sys

from procurement.law.rules import RouteResult, load_rules, route


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "route",
        help="which FOA part applies and which procedures are allowed, with reasons and citations",
        description="Which part of anskaffelsesforskriften applies to an estimated value, the threshold row used, "
        "each procedure allowed (reason, citation) and each one not allowed (what is missing).",
    )
    p.add_argument("--value", required=True, metavar="NOK", help="estimated value in NOK excluding VAT")
    p.add_argument("--authority", required=True, metavar="TYPE", help="state | municipal | utility")
    p.add_argument("--kind", required=True, metavar="KIND",
                   help="goods | services | works | health-social | special-services | concession | utilities")
    p.add_argument("--date", default=None, metavar="YYYY-MM-DD", help="date the thresholds are taken from (default today)")
    p.add_argument("--grounds", default="", metavar="G1,G2",
                   help="grounds that hold, e.g. complexity,innovation (see docs/rules.md)")
    p.add_argument("--rules", default=None, metavar="DIR", help="rules folder (default: the package's procurement/reference)")
    p.add_argument("--format", choices=("table", "json"), default="table", help="output format (default table)")
    p.add_argument("--language", choices=("en", "nb"), default="en",
                   help="language of labels, reasons, procedure names and notes (default en)")
    p.set_defaults(func=run)


_WORDS = {
    "en": {"value": "Value", "excl": "excl. VAT, authority", "kind": "kind", "date": "date", "regulation": "Regulation",
           "part": "Part", "reason": "Reason", "row": "Threshold row used", "national": "National threshold",
           "boundary": "Boundary: a value at a threshold counts as at or above it.", "grounds": "Grounds given",
           "allowed": "Allowed procedures", "not_allowed": "Not allowed", "none": "(none)", "notes": "Notes",
           "verified": "verified", "unverified": "UNVERIFIED", "yes": "yes", "no": "NO (check the source)"},
    "nb": {"value": "Verdi", "excl": "ekskl. mva., oppdragsgiver", "kind": "type", "date": "dato", "regulation": "Regelverk",
           "part": "Del", "reason": "Begrunnelse", "row": "Terskelverdirad brukt", "national": "Nasjonal terskelverdi",
           "boundary": "Grense: en verdi lik en terskelverdi regnes som lik eller over den.", "grounds": "Grunnlag oppgitt",
           "allowed": "Tillatte prosedyrer", "not_allowed": "Ikke tillatt", "none": "(ingen)", "notes": "Merknader",
           "verified": "verifisert", "unverified": "IKKE VERIFISERT", "yes": "ja", "no": "NEI (sjekk kilden)"},
}


def _nok(x: float, language: str) -> str:
    from procurement.text import fmt

    return f"NOK {fmt.number(x, 'en')}" if language != "nb" else f"{fmt.number(x, 'nb')} kr"


def _period(row, language: str) -> str:
    from procurement.text import fmt

    if language != "nb":
        return row.period()
    start = fmt.date(row.valid_from, "nb") if row.valid_from else ""
    end = fmt.date(row.valid_to, "nb") if row.valid_to else ""
    return f"{start}–{end}" if start and end else (f"fra {start}" if start else (f"til {end}" if end else "alltid"))


def format_table(result: RouteResult) -> str:
    """The route answer as readable text, in the result's language."""
    lang = result.language if result.language in _WORDS else "en"
    w = _WORDS[lang]
    d = result.decision
    text = d.text(lang)
    t = d.threshold
    n = d.national

    def flag(v: bool) -> str:
        return w["yes"] if v else w["no"]

    lines = [
        f"{w['value']} {_nok(d.value, lang)} {w['excl']} {d.authority}, {w['kind']} {d.kind} ({d.category}), "
        f"{w['date']} {d.date.strftime('%d.%m.%Y') if lang == 'nb' else d.date}",
        f"{w['regulation']}: {text['regulation']}",
        f"{w['part']}: {d.part} - {text['label']}",
        f"{w['reason']}: {text['reason']}",
        f"{w['row']}: {t.id}: {_nok(t.value, lang)}, {_period(t, lang)}, {t.citation}, {w['verified']}: {flag(t.verified)}",
        f"{w['national']}: {n.id}: {_nok(n.value, lang)}, {n.citation}, {w['verified']}: {flag(n.verified)}",
        w["boundary"],
    ]
    if result.grounds:
        lines.append(f"{w['grounds']}: {', '.join(result.grounds)}")
    width = max(len(x) for x in result.procedures["procedure"]) if not result.procedures.empty else 10
    for title, frame, col in ((w["allowed"], result.allowed, "reason"), (w["not_allowed"], result.not_allowed, "missing")):
        lines += ["", f"{title}:"]
        if frame.empty:
            lines.append(f"  {w['none']}")
        for r in frame.to_dict("records"):
            check = w["verified"] if r["verified"] else w["unverified"]
            lines.append(f"  {r['procedure'].ljust(width)}  {r['name']}: {r[col]}  [{r['citation']}; {check}]")
    from procurement.law.rules import notice_duty, standstill

    notice = notice_duty(d.part)
    if notice is not None:
        word = "Kunngjøring" if lang == "nb" else "Notice"
        check = w["verified"] if notice.verified else w["unverified"]
        lines += ["", f"{word}: {notice.text.get(lang)} [{notice.citation}; {check}]"]
    rule = standstill(d.part)
    if rule is not None and rule.exceptions:
        head = (f"Karensperiode {rule.days} dager ({rule.citation}); unntak:" if lang == "nb"
                else f"Standstill {rule.days} days ({rule.citation}); exceptions:")
        lines += [head] + [f"  - {x.text.get(lang)} [{x.citation}]" for x in rule.exceptions]
    notes = d.notes_nb if lang == "nb" else d.notes
    if notes:
        lines += ["", f"{w['notes']}:"] + [f"  - {x}" for x in notes]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    rules = load_rules(args.rules)
    grounds = [g for g in args.grounds.split(",") if g.strip()]
    result = route(args.value, args.authority, args.kind, args.date, grounds, rules, language=args.language)
    if args.format == "json":
        json.dump(result.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(format_table(result))
    return 0
