"""`procurement route`: which FOA part applies and which procedures are allowed."""

from __future__ import annotations

import argparse

import procurement as pw
from procurement.cli._common import print_json
from procurement.text.labels import label
from procurement.text.sentences import sentence


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


def _nok(x: float, language: str) -> str:
    return sentence("law.nok", language, value=x)


def _period(row, language: str) -> str:
    start = row.valid_from.isoformat() if row.valid_from else None
    end = row.valid_to.isoformat() if row.valid_to else None
    if start and end:
        return sentence("law.period.between", language, start=start, end=end)
    if start:
        return sentence("law.period.from", language, start=start)
    if end:
        return sentence("law.period.until", language, end=end)
    return label("law.period.always", language)


def _flag(verified: bool, language: str) -> str:
    return label("yes" if verified else "law.cli.no", language)


def _check(verified: bool, language: str) -> str:
    return label("law.cli.verified" if verified else "law.cli.unverified", language)


def _head(result, lang: str) -> list[str]:
    """The question, the regulation, the part and the threshold rows it was decided by."""
    d = result.decision
    text = d.text(lang)
    t, n = d.threshold, d.national
    w = {k: label(f"law.cli.{k}", lang) for k in ("regulation", "part", "reason", "row", "national", "verified")}
    checked = f"{w['verified']}: {_flag(t.verified, lang)}"
    return [
        sentence("law.cli.query", lang, value=_nok(d.value, lang), authority=d.authority, kind=d.kind, category=d.category,
                 date=d.date.isoformat()),
        f"{w['regulation']}: {text['regulation']}",
        f"{w['part']}: {d.part} - {text['label']}",
        f"{w['reason']}: {text['reason']}",
        f"{w['row']}: {t.id}: {_nok(t.value, lang)}, {_period(t, lang)}, {t.citation}, {checked}",
        f"{w['national']}: {n.id}: {_nok(n.value, lang)}, {n.citation}, {w['verified']}: {_flag(n.verified, lang)}",
        *_floor_line(d, w["verified"], lang),
        label("law.cli.boundary", lang),
    ]


def _floor_line(d, verified: str, lang: str) -> list[str]:
    """The lower-limit row (anskaffelsesloven § 2) in force, with its period and verified flag."""
    f = d.floor
    if f is None:
        return []
    return [f"{label('law.cli.floor', lang)}: {f.id}: {_nok(f.below, lang)}, {_period(f, lang)}, {f.citation}, "
            f"{verified}: {_flag(f.verified, lang)}"]


def _procedures(result, lang: str) -> list[str]:
    lines = []
    width = max(len(x) for x in result.procedures["procedure"]) if not result.procedures.empty else 10
    sections = (("law.cli.allowed", result.allowed, "reason"), ("law.cli.not_allowed", result.not_allowed, "missing"))
    for key, frame, col in sections:
        lines += ["", f"{label(key, lang)}:"]
        if frame.empty:
            lines.append(f"  {label('no_rows', lang)}")
        for r in frame.to_dict("records"):
            check = _check(r["verified"], lang)
            lines.append(f"  {r['procedure'].ljust(width)}  {r['name']}: {r[col]}  [{r['citation']}; {check}]")
    return lines


def _notice_and_standstill(result, lang: str) -> list[str]:
    lines = []
    notice = result.notice
    if notice is not None:
        lines += ["", f"{label('law.cli.notice', lang)}: {notice.text.get(lang)} [{notice.citation}; "
                      f"{_check(notice.verified, lang)}]"]
    rule = result.standstill
    if rule is not None and rule.exceptions:
        lines += [sentence("law.cli.standstill", lang, days=rule.days, citation=rule.citation)]
        lines += [f"  - {x.text.get(lang)} [{x.citation}]" for x in rule.exceptions]
    return lines


def format_table(result: pw.RouteResult) -> str:
    """The route answer as readable text, in the result's language."""
    lang = result.language
    lines = _head(result, lang)
    if result.grounds:
        lines.append(f"{label('law.cli.grounds', lang)}: {', '.join(result.grounds)}")
    lines += _procedures(result, lang)
    lines += _notice_and_standstill(result, lang)
    notes = result.decision.text(lang)["notes"]
    if notes:
        lines += ["", f"{label('law.cli.notes', lang)}:"] + [f"  - {x}" for x in notes]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    grounds = [g for g in args.grounds.split(",") if g.strip()]
    result = pw.route(args.value, args.authority, args.kind, args.date, grounds, args.rules, language=args.language)
    if args.format == "json":
        print_json(result.to_dict())
    else:
        print(format_table(result))
    return 0
