"""The catalogue of broken and hostile inputs (issue 16), generated on a copy of the example case.

Each :class:`Bad` changes one thing in a fresh copy of
``data/national-municipal-solution`` and ``criteria/`` and says what a clear
answer is: exit code, the file and the field the first line names, how many
root lines it may take (one, unless the defect really is several), and, for
an input that is valid however odd it looks, that ``validate`` says OK and the
consumers then succeed. :func:`classify` sorts a run into clear, traceback,
silent (accepted what it should refuse), cascade (more lines than problems,
or a line that names no file), hang (still running after the hang guard) and misleading
(the wrong file or field named).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
import dataclasses
from dataclasses import dataclass
from pathlib import Path

from procurement import DEFAULT_SEED

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "national-municipal-solution"
CRITERIA = ROOT / "criteria"
CASE = "nms"

BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""

#: Consumers run for an input validate accepts: each must then succeed (exit 0).
CONSUMERS: list[list[str]] = [
    ["rank", "{case}", "--scenario", "default"],
    ["sensitivity", "{case}", "--scenario", "default", "--samples", "200"],
    ["cba", "{case}", "--scenario", "default", "--samples", "200"],
    ["timeline", "{case}"],
    ["risks", "{case}"],
    ["run-prepare", "{case}/scenarios/default.yaml"],
]


@dataclass
class Bad:
    id: str
    kind: str
    mutate: Callable[[Path], None]
    file: str = ""  # the file the first line must name ('' for a valid input)
    field: str = ""  # the row / key / column it must name
    roots: int = 1  # most root lines (not counting 'not checked' lines)
    ok: bool = False  # a valid input: validate OK, then every consumer succeeds
    words: str = ""  # a text the message must contain
    consumers: list[list[str]] = dataclasses.field(default_factory=list)  # commands that must also end cleanly (exit 2)
    uses: tuple[str, ...] = ()  # for a valid input: the consumers (CONSUMERS' first words) that read what changed; () = all


# --- small editing helpers ------------------------------------------------------------------------


def _edit(rel: str, fn: Callable[[str], str]) -> Callable[[Path], None]:
    def go(case: Path) -> None:
        p = _path(case, rel)
        p.write_text(fn(p.read_text(encoding="utf-8")), encoding="utf-8")

    return go


def _path(case: Path, rel: str) -> Path:
    """A file of the case (`rel` relative to it) or of the criteria folder (`criteria/...`)."""
    return case.parents[1] / rel if rel.startswith("criteria/") else case / rel


def _write(rel: str, text: str | bytes) -> Callable[[Path], None]:
    def go(case: Path) -> None:
        p = _path(case, rel)
        if isinstance(text, bytes):
            p.write_bytes(text)
        else:
            p.write_text(text, encoding="utf-8")

    return go


def _replace(rel: str, old: str, new: str, count: int = 1) -> Callable[[Path], None]:
    def fn(text: str) -> str:
        assert old in text, f"{old!r} not in {rel}"
        return text.replace(old, new, count)

    return _edit(rel, fn)


def _header_only(rel: str) -> Callable[[Path], None]:
    def keep(line: str) -> bool:
        return line.startswith(("#", "decision"))

    return _edit(rel, lambda t: "\n".join(line for line in t.splitlines() if keep(line)) + "\n")


def _row(rel: str, n: int, fn: Callable[[str], str]) -> Callable[[Path], None]:
    """Change the n-th data line (1 = first after the header), counting comment lines as the file does."""

    def edit(text: str) -> str:
        lines = text.split("\n")
        data = [i for i, line in enumerate(lines) if line and not line.startswith("#")]
        i = data[n]  # data[0] is the header
        lines[i] = fn(lines[i])
        return "\n".join(lines)

    return _edit(rel, edit)


def _line_of_row(case: Path, rel: str, n: int) -> int:
    lines = _path(case, rel).read_text(encoding="utf-8").split("\n")
    data = [i for i, line in enumerate(lines) if line and not line.startswith("#")]
    return data[n] + 1


def _symlink_loop(rel: str) -> Callable[[Path], None]:
    def go(case: Path) -> None:
        p = _path(case, rel)
        p.unlink()
        os.symlink(p.name, p)  # points at itself

    return go


def _folder(rel: str) -> Callable[[Path], None]:
    def go(case: Path) -> None:
        p = _path(case, rel)
        p.unlink()
        p.mkdir()

    return go


def _fifo(rel: str) -> Callable[[Path], None]:
    def go(case: Path) -> None:
        p = _path(case, rel)
        p.unlink()
        os.mkfifo(p)

    return go


def _semicolon_header(rel: str) -> Callable[[Path], None]:
    def edit(text: str) -> str:
        lines = text.split("\n")
        i = next(i for i, line in enumerate(lines) if line.startswith("decision"))
        lines[i] = lines[i].replace(",", ";")
        return "\n".join(lines)

    return _edit(rel, edit)


def _unterminated(rel: str, n: int) -> Callable[[Path], None]:
    """Open a quote in the 2nd field of data row n and never close it."""

    def fn(line: str) -> str:
        first, rest = line.split(",", 1)
        return f'{first},"{rest.replace(chr(34), "")}'

    return _row(rel, n, fn)


def _cell(rel: str, n: int, col: int, value: str) -> Callable[[Path], None]:
    """Set column `col` (0-based) of data row n, quoting as needed (the file's other quoting kept)."""
    import csv
    import io

    def fn(line: str) -> str:
        fields = next(csv.reader([line]))
        fields[col] = value
        out = io.StringIO()
        csv.writer(out, lineterminator="").writerow(fields)
        return out.getvalue()

    return _row(rel, n, fn)


def _all(*steps: Callable[[Path], None]) -> Callable[[Path], None]:
    def go(case: Path) -> None:
        for s in steps:
            s(case)

    return go


# --- the catalogue ------------------------------------------------------------------------------------

CSV_FILES = {  # file -> a text column index to put hostile text in, first data row's name
    "options.csv": 2,
    "scores.csv": 6,
    "profiles.csv": 1,
    "cashflows.csv": 7,
    "risks.csv": 2,
    "effects.csv": 2,
}


def _csv_cases() -> list[Bad]:
    out: list[Bad] = []
    for f, col in CSV_FILES.items():
        stem = f.removesuffix(".csv")
        out += [
            Bad(f"{stem}-empty", "empty file", _write(f, ""), f, "", words="empty"),
            Bad(f"{stem}-unterminated-quote", "unterminated quote", _unterminated(f, 3), f, "row",
                words="quote opened in this row"),
            Bad(f"{stem}-semicolon-header", "separator mismatch", _semicolon_header(f), f, "header", words="separated by"),
            Bad(f"{stem}-huge-field", "field over 131,072 characters", _cell(f, 2, col, "x" * 140_000), f, "row",
                words="characters long"),
            Bad(f"{stem}-bel", "control character", _cell(f, 1, col, "bad\x07name"), f, "row", words="U+0007"),
            Bad(f"{stem}-nul", "control character", _cell(f, 1, col, "bad\x00name"), f, "row", words="U+0000"),
            Bad(f"{stem}-vertical-tab", "control character", _cell(f, 1, col, "two\x0blines"), f, "row", words="U+000B"),
            Bad(f"{stem}-latin1", "not UTF-8", _latin1(f), f, "line", words="UTF-8"),
            Bad(f"{stem}-symlink-loop", "symlink loop", _symlink_loop(f), f, "", words="symbolic links"),
            Bad(f"{stem}-folder", "unreadable file", _folder(f), f, "", words="folder"),
            Bad(f"{stem}-fifo", "unreadable file", _fifo(f), f, "", words="regular file"),
            Bad(f"{stem}-unknown-column", "header", _replace(f, "decision,", "decisoin,"), f, "column", roots=2),
            Bad(f"{stem}-extra-field", "field count", _row(f, 2, lambda line: line + ",extra"), f, "row", words="fields"),
        ]
    return out


def _latin1(rel: str) -> Callable[[Path], None]:
    def go(case: Path) -> None:
        p = _path(case, rel)
        p.write_bytes(p.read_bytes() + "contract-strategy,zero,Bærum\n".encode("latin-1"))

    return go


def _yaml_cases() -> list[Bad]:
    sc = "scenarios/default.yaml"
    crit = "criteria/contract-strategy.yaml"
    out = [
        Bad("case-bomb", "YAML alias bomb", _write("case.yaml", BOMB), "case.yaml", "line", words="aliases"),
        Bad("scenario-bomb", "YAML alias bomb", _write(sc, BOMB), "default.yaml", "line", words="aliases"),
        Bad("criteria-bomb", "YAML alias bomb", _write(crit, BOMB), "contract-strategy.yaml", "line", words="aliases"),
        Bad("ahp-bomb", "YAML alias bomb", _write("ahp-contract-strategy.yaml", BOMB), "ahp-contract-strategy.yaml",
            "line", words="aliases"),
        Bad("timeline-bomb", "YAML alias bomb", _write("timeline.yaml", BOMB), "timeline.yaml", "line", words="aliases"),
        Bad("case-python-tag", "YAML python tag", _write("case.yaml", "id: !!python/object/apply:os.system ['true']\n"),
            "case.yaml", "line", words="YAML"),
        Bad("case-deep-nesting", "YAML nesting", _write("case.yaml", "a: " + "[" * 5000 + "]" * 5000 + "\n"), "case.yaml",
            "", words="nested"),
        Bad("case-huge", "YAML size", _write("case.yaml", "# " + "x" * (5 * 1024 * 1024) + "\n"), "case.yaml", "",
            words="bytes"),
        Bad("case-syntax", "YAML syntax", _replace("case.yaml", "base_year: 2024", "base_year: [2024"), "case.yaml", "line"),
        Bad("scenario-syntax", "YAML syntax", _replace(sc, f"seed: {DEFAULT_SEED}", "seed: : 1"), "default.yaml", "line"),
        Bad("criteria-syntax", "YAML syntax", _edit(crit, lambda t: t + "\n  - : [\n"), "contract-strategy.yaml", "line"),
        Bad("ahp-syntax", "YAML syntax", _edit("ahp-contract-strategy.yaml", lambda t: t + "\n: [\n"),
            "ahp-contract-strategy.yaml", "line"),
        Bad("timeline-syntax", "YAML syntax", _edit("timeline.yaml", lambda t: t + "\n: [\n"), "timeline.yaml", "line"),
        Bad("case-symlink-loop", "symlink loop", _symlink_loop("case.yaml"), "case.yaml", "", words="symbolic links"),
        Bad("scenario-symlink-loop", "symlink loop", _symlink_loop(sc), "default.yaml", "", words="symbolic links"),
        Bad("case-folder", "unreadable file", _folder("case.yaml"), "case.yaml", "", words="folder"),
        Bad("case-empty", "empty file", _write("case.yaml", ""), "case.yaml", "", words="empty"),
        Bad("case-nul-title", "control character", _replace("case.yaml", 'en: "National municipal record solution"',
                                                              'en: "National\\0 municipal record solution"'),
            "case.yaml", "title", words="U+0000"),
        Bad("criteria-bel-label", "control character", _edit(crit, lambda t: _first_label_nb(t, "\\a")),
            "contract-strategy.yaml", "label", words="U+0007"),
        Bad("case-unknown-key", "YAML keys", _edit("case.yaml", lambda t: t + "\nbase_yaer: 2024\n"), "case.yaml",
            "base_yaer"),
        Bad("case-base-year-1e20", "number range", _replace("case.yaml", "base_year: 2024", "base_year: 1e20"), "case.yaml",
            "base_year"),
        Bad("case-unit", "allowed values", _replace("case.yaml", "cash_flow_unit: MNOK", "cash_flow_unit: GNOK"), "case.yaml",
            "cash_flow_unit"),
        Bad("case-unknown-decision", "references", _replace("case.yaml", "governance-financing]", "governance-financng]"),
            "governance-financng", "", roots=3),
        Bad("criteria-missing", "missing file", lambda c: (c.parents[1] / crit).unlink(), "contract-strategy.yaml", "",
            words="not found", roots=2),
        Bad("criteria-weight-nan", "non-finite number", _weight(crit, ".nan"), "contract-strategy.yaml", "weight"),
        Bad("criteria-weight-inf", "non-finite number", _weight(crit, ".inf"), "contract-strategy.yaml", "weight"),
        Bad("criteria-weight-1e308", "huge number", _weight(crit, "1e308"), "contract-strategy.yaml", "weight"),
        Bad("criteria-scale-max-inf", "non-finite number", _scale_max(crit, ".inf"), "contract-strategy.yaml", "scale"),
        Bad("criteria-scale-max-1e308", "huge number", _scale_max(crit, "1e308"), "contract-strategy.yaml", "scale"),
        Bad("criteria-duplicate-id", "duplicate id", _duplicate_criterion(crit), "contract-strategy.yaml", "",
            words="twice"),
        Bad("criteria-must-pass-all", "screening leaves no option", _must_pass_all(crit), "contract-strategy.yaml",
            "", words="every option"),
        Bad("scenario-samples-1e7", "samples limit", _replace(sc, "samples: 10000", "samples: 10000000"), "default.yaml",
            "samples"),
        Bad("scenario-language-fr", "allowed values", _replace(sc, "language: nb", "language: fr"), "default.yaml",
            "language"),
        Bad("scenario-unknown-method", "references", _replace(sc, "methods: [wsm, topsis]", "methods: [wsm, topsys]"),
            "default.yaml", "methods", words="topsis"),
        Bad("scenario-unknown-profile", "references", _replace(sc, "profile: null", "profile: kss"), "default.yaml",
            "profile"),
        Bad("scenario-unknown-decision", "references", _replace(sc, "decision: contract-strategy", "decision: contract"),
            "default.yaml", "decision"),
        Bad("scenario-weights-nan", "non-finite number", _edit(sc, lambda t: t + "\nweights: {legal-robustness: .nan}\n"),
            "default.yaml", "weights"),
        Bad("scenario-weights-1e308", "huge number", _scenario_weights(sc, "1e308"), "default.yaml", "weights"),
        Bad("scenario-notebook-path", "notebook outside the project", _edit(sc, lambda t: t + "\nnotebooks: [/tmp/x.ipynb]\n"),
            "default.yaml", "notebooks"),
        Bad("scenario-notebook-unknown", "references", _edit(sc, lambda t: t + "\nnotebooks: [99-nothing]\n"),
            "default.yaml", "notebooks"),
        Bad("scenario-mixture-nan", "non-finite number", _replace(sc, "  scores: triangular",
                                                                   "  scores: triangular\n  mixture: {ks: .nan}"),
            "default.yaml", "mixture"),
        Bad("scenario-spread-inf", "non-finite number", _replace(sc, "spread: 0.2", "spread: .inf"), "default.yaml",
            "spread"),
        Bad("ahp-wrong-decision-name", "references", _write("ahp-contract.yaml", "x: 1\n"), "ahp-contract.yaml", "",
            words="decision"),
        Bad("timeline-unknown-option", "references", _replace("timeline.yaml", "  dialogue-total:", "  dialog-total:"),
            "timeline.yaml", "", roots=2),
        Bad("timeline-unknown-procedure", "references",
            _replace("timeline.yaml", "procedure: competitive-dialogue", "procedure: competitive-dialog"),
            "timeline.yaml", "procedure"),
    ]
    return out


def _first_label_nb(text: str, escape: str) -> str:
    import re

    m = re.search(r'label: \{nb: "([^"]*)"', text)
    assert m, "no label to edit"
    return text[: m.start(1)] + m.group(1) + escape + text[m.end(1):]


def _weight(rel: str, value: str) -> Callable[[Path], None]:
    import re

    def fn(text: str) -> str:
        m = re.search(r"\n(\s+)weight: [0-9.]+", text)
        assert m
        return text[: m.start()] + f"\n{m.group(1)}weight: {value}" + text[m.end():]

    return _edit(rel, fn)


def _scale_max(rel: str, value: str) -> Callable[[Path], None]:
    import re

    def fn(text: str) -> str:
        m = re.search(r"max: [0-9.]+", text)
        assert m
        return text[: m.start()] + f"max: {value}" + text[m.end():]

    return _edit(rel, fn)


def _duplicate_criterion(rel: str) -> Callable[[Path], None]:
    import yaml

    def fn(text: str) -> str:
        data = yaml.safe_load(text)
        data["criteria"].append(dict(data["criteria"][0]))
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)

    return _edit(rel, fn)


def _must_pass_all(rel: str) -> Callable[[Path], None]:
    import yaml

    def fn(text: str) -> str:
        data = yaml.safe_load(text)
        c = next(c for c in data["criteria"] if c["scale"]["kind"] == "ordinal" and not c.get("from_cba"))
        bound = "min" if c["direction"] == "max" else "max"
        c["must_pass"] = {bound: 10.5 if bound == "min" else -0.5, "rule": "impossible rule", "citation": "test"}
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)

    return _edit(rel, fn)


def _scenario_weights(rel: str, value: str) -> Callable[[Path], None]:
    def go(case: Path) -> None:
        import yaml

        crit = yaml.safe_load((case.parents[1] / "criteria" / "contract-strategy.yaml").read_text(encoding="utf-8"))
        ids = [c["id"] for c in crit["criteria"]]
        p = case / rel
        p.write_text(p.read_text(encoding="utf-8") + "\nweights: {" + ", ".join(f"{i}: {value}" for i in ids) + "}\n",
                     encoding="utf-8")

    return go


def _semantic_cases() -> list[Bad]:
    risks_header = "decision,option,risk,probability,consequence,owner,mitigation,source"
    return [
        Bad("risks-probability-7", "value range", _cell("risks.csv", 1, 3, "7"), "risks.csv", "probability"),
        Bad("risks-unknown-option", "references", _cell("risks.csv", 1, 1, "zer0"), "risks.csv", "option", roots=2),
        Bad("effects-unknown-option", "references", _cell("effects.csv", 1, 5, "dialog-total"), "effects.csv", "option",
            roots=2),
        Bad("cashflows-year-1e20", "number range", _cell("cashflows.csv", 1, 2, "1e20"), "cashflows.csv", "year"),
        Bad("cashflows-no-rows-for-reported-decision", "cash flows for the decision reported on",
            _edit("cashflows.csv", lambda t: "\n".join(line for line in t.split("\n")
                                                       if not line.startswith("contract-strategy"))),
            "", "", roots=3),
        Bad("cashflows-reversed-8000", "quadratic check", _reversed_cashflows(8000), "cashflows.csv", "year",
            roots=8000),
        Bad("options-unknown-procedure", "references", _cell("options.csv", 2, 5, "competitive-dialog"), "options.csv",
            "procedure"),
        Bad("options-header-only", "cascade", _header_only("options.csv"), "options.csv", "", roots=3),
        Bad("options-bad-id", "cascade", _cell("options.csv", 2, 1, "Dialogue Total"), "options.csv", "id"),
        Bad("options-semicolon-1.500", "decimal hint", _all(_to_semicolons("scores.csv"), _cell_sc("scores.csv", 1, 4, "1.500")),
            "scores.csv", "likely", words="'1500'", roots=2),
        Bad("scores-1e308", "huge number", _cell("scores.csv", 1, 4, "1e308"), "scores.csv", "likely", roots=2),
        Bad("scores-inf", "non-finite number", _cell("scores.csv", 1, 4, "inf"), "scores.csv", "likely"),
        Bad("scores-out-of-order", "value range", _cell("scores.csv", 1, 3, "10"), "scores.csv", "row"),
        Bad("scores-unknown-option", "references", _cell("scores.csv", 1, 1, "zer0"), "scores.csv", "option", roots=2),
        Bad("profiles-negative", "value range", _cell("profiles.csv", 1, 3, "-5"), "profiles.csv", "weight"),
        Bad("risks-header-only", "empty register", _write("risks.csv", risks_header + "\n"), "risks.csv", "", words="no risks"),
        Bad("scenario-language-no", "valid odd input", _replace("scenarios/default.yaml", "language: nb", "language: no"),
            ok=True, uses=("rank", "run-prepare")),
        Bad("scenario-language-norsk", "valid odd input",
            _replace("scenarios/default.yaml", "language: nb", "language: norsk"), ok=True, uses=("rank", "run-prepare")),
        Bad("scenario-language-bokmal", "valid odd input",
            _replace("scenarios/default.yaml", "language: nb", "language: bokmål"), ok=True, uses=("rank", "run-prepare")),
        Bad("options-u2028-name", "valid odd input", _cell("options.csv", 1, 3, "0-alternative\u2028(reference)"), ok=True),
        Bad("options-unquoted-u2028", "valid odd input",
            _row("options.csv", 1, lambda line: line.replace("0-alternative,", "0-alter\u2028native,", 1)), ok=True),
        Bad("options-html-name", "valid odd input",
            _cell("options.csv", 1, 3, '<iframe srcdoc="<script>alert(1)</script>"></iframe>'), ok=True),
        Bad("options-formula-name", "valid odd input", _cell("options.csv", 1, 3, '=HYPERLINK("http://evil","x")'), ok=True),
        Bad("options-crlf", "valid odd input", _edit("options.csv", lambda t: t.replace("\n", "\r\n")), ok=True,
            uses=("rank", "timeline", "risks")),
        Bad("scores-bom", "valid odd input", _bom("scores.csv"), ok=True, uses=("rank",)),
        Bad("cashflows-semicolon", "valid odd input", _to_semicolons("cashflows.csv"), ok=True, uses=("cba",)),
    ]


def _bom(rel: str) -> Callable[[Path], None]:
    def go(case: Path) -> None:
        p = case / rel
        p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes())

    return go


def _reversed_cashflows(n: int) -> Callable[[Path], None]:
    def go(case: Path) -> None:
        p = case / "cashflows.csv"
        rows = [f"contract-strategy,zero,{2200 - i % 300},operations,1,2,3,x" for i in range(n)]
        p.write_text(p.read_text(encoding="utf-8") + "\n".join(rows) + "\n", encoding="utf-8")

    return go


def _to_semicolons(rel: str) -> Callable[[Path], None]:
    import csv
    import io

    def fn(text: str) -> str:
        out = io.StringIO()
        w = csv.writer(out, delimiter=";", lineterminator="\n")
        for line in text.split("\n"):
            if not line or line.startswith("#"):
                out.write(line + "\n")
                continue
            fields = next(csv.reader([line]))
            w.writerow([f.replace(".", ",") if _is_number(f) else f for f in fields])
        return out.getvalue()

    return _edit(rel, fn)


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def _cell_sc(rel: str, n: int, col: int, value: str) -> Callable[[Path], None]:
    import csv
    import io

    def fn(line: str) -> str:
        fields = next(csv.reader([line], delimiter=";"))
        fields[col] = value
        out = io.StringIO()
        csv.writer(out, delimiter=";", lineterminator="").writerow(fields)
        return out.getvalue()

    return _row(rel, n, fn)


def _other_file_cases() -> list[Bad]:
    """Files other packages read (financing, uptake, screening, enforcement, municipalities, tenders): validate reads
    each within the limits before handing the case to them."""
    tender = "tenders/dialogue-final-round"
    out = [
        Bad(f"{name.replace('/', '-').removesuffix('.yaml')}-bomb", "YAML alias bomb", _write(name, BOMB), name.split("/")[-1],
            "line", words="aliases", consumers=[["run-prepare", "{case}/scenarios/default.yaml"]])
        for name in ("financing.yaml", "uptake.yaml", "screening.yaml", f"{tender}/model.yaml")
    ]
    out += [
        Bad("municipalities-unterminated-quote", "unterminated quote", _unterminated("municipalities.csv", 3),
            "municipalities.csv", "row", words="quote opened in this row"),
        Bad("municipalities-nul", "control character", _cell("municipalities.csv", 2, 1, "Oslo\x00"), "municipalities.csv",
            "column 'name'", words="U+0000"),
        Bad("enforcement-bel", "control character", _cell("enforcement.csv", 1, 8, "bell\x07"), "enforcement.csv",
            "column 'source'", words="U+0007"),
        Bad("tenders-huge-field", "field over 131,072 characters", _cell(f"{tender}/tenders.csv", 1, 1, "x" * 140_000),
            "tenders.csv", "row 3", words="characters long"),
    ]
    return out


def _long_scenario(case: Path) -> None:
    text = (case / "scenarios" / "default.yaml").read_text(encoding="utf-8")
    (case / "scenarios" / "long.yaml").write_text(text.replace("name: default", "name: " + "a" * 200), encoding="utf-8")


def _carried_notebooks(case: Path) -> None:
    """A case that brings notebooks/ (named as the project's, each writing PWNED) and an empty data/ (issue 26)."""
    import json

    cell = {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
            "source": "open('PWNED', 'w').write('ran')"}
    nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [cell]}
    (case / "notebooks").mkdir()
    (case / "data").mkdir()
    for name in ("01-inputs", "02-ranking", "07-summary"):
        (case / "notebooks" / f"{name}.ipynb").write_text(json.dumps(nb), encoding="utf-8")


def _security_cases() -> list[Bad]:
    """Issue 26: names that would become files outside their folder, and a case that brings its own notebooks."""
    tender = "tenders/dialogue-final-round"
    forms = [["tender", "forms", "{case}", "--competition", "dialogue-final-round"]]
    return [
        Bad("evaluator-dot-dot", "name that becomes a file", _cell(f"{tender}/evaluations.csv", 1, 0,
            "../../../../../../escaped"), "evaluations.csv", "column 'evaluator'", words="is a path", consumers=forms),
        Bad("evaluator-absolute", "name that becomes a file", _cell(f"{tender}/evaluations.csv", 1, 0, "/tmp/escaped"),
            "evaluations.csv", "column 'evaluator'", words="is a path", consumers=forms),
        Bad("evaluator-backslash", "name that becomes a file", _cell(f"{tender}/evaluations.csv", 1, 0, "..\\..\\x"),
            "evaluations.csv", "column 'evaluator'", words="is a path", consumers=forms),
        Bad("evaluator-hidden", "name that becomes a file", _cell(f"{tender}/evaluations.csv", 1, 0, ".bashrc"),
            "evaluations.csv", "column 'evaluator'", words="is a path", consumers=forms),
        Bad("evaluator-too-long", "name that becomes a file", _cell(f"{tender}/evaluations.csv", 1, 0, "e" * 300),
            "evaluations.csv", "column 'evaluator'", words="characters long", consumers=forms),
        Bad("evaluator-device", "name that becomes a file", _cell(f"{tender}/evaluations.csv", 1, 0, "NUL"),
            "evaluations.csv", "column 'evaluator'", words="Windows reserves", consumers=forms),
        Bad("scenario-name-too-long", "name that becomes a file", _long_scenario, "long.yaml", "key 'name'",
            words="at most 100 characters"),
        Bad("case-brings-notebooks", "case that brings notebooks", _carried_notebooks, ok=True, uses=("run-prepare",)),
    ]


def _rename_id(old: str, new: str) -> Callable[[Path], None]:
    """`old` -> `new` as a whole id (not inside a longer id) in every CSV and YAML file of the case."""
    import re

    word = re.compile(rf"(?<![\w-]){re.escape(old)}(?![\w-])")

    def go(case: Path) -> None:
        for p in sorted(case.rglob("*")):
            if p.suffix in (".csv", ".yaml") and p.is_file() and word.search(p.read_text(encoding="utf-8")):
                p.write_text(word.sub(new, p.read_text(encoding="utf-8")), encoding="utf-8")

    return go


def _id_cases() -> list[Bad]:
    """Ids (issue 26): Unicode lower-case letters of one script in composed form are ids; a look-alike of another
    script, a decomposed letter, upper case or an emoji is one line naming the character and its Unicode name."""
    crit = "criteria/contract-strategy.yaml"
    return [
        Bad("options-id-cyrillic-o", "look-alike or malformed id", _cell("options.csv", 1, 1, "zer\u043e"),
            "options.csv", "column 'id'", words="U+043E CYRILLIC SMALL LETTER O) is Cyrillic"),
        Bad("case-stakeholder-id-greek-omicron", "look-alike or malformed id",
            _replace("case.yaml", "  - id: tromso\n", "  - id: troms\u03bf\n"),
            "case.yaml", "key 'id'", words="U+03BF GREEK SMALL LETTER OMICRON) is Greek"),
        Bad("criteria-group-id-decomposed", "look-alike or malformed id",
            _replace(crit, "  - id: legal-market\n", "  - id: legal-ma\u030arket\n"), "contract-strategy.yaml",
            "key 'id'", words="not in composed form (NFC)"),
        Bad("scenario-name-upper-case", "look-alike or malformed id",
            _replace("scenarios/default.yaml", "name: default", "name: Default"), "default.yaml", "key 'name'",
            words="upper-case 'D'"),
        Bad("options-id-emoji", "look-alike or malformed id", _cell("options.csv", 1, 1, "zero-\U0001f642"),
            "options.csv", "column 'id'", words="U+1F642 SLIGHTLY SMILING FACE"),
        Bad("stakeholder-id-unicode-tromso", "valid odd input", _rename_id("tromso", "tromsø"), ok=True,
            uses=("rank", "run-prepare")),
        Bad("option-id-unicode-modular-lots", "valid odd input", _rename_id("modular-lots", "tromsø-moduler"), ok=True,
            uses=("rank", "timeline", "risks")),
    ]


CASES: list[Bad] = (_csv_cases() + _yaml_cases() + _semantic_cases() + _other_file_cases() + _security_cases()
                    + _id_cases())


def make_case(tmp: Path) -> Path:
    """A fresh copy of the example case and the criteria, laid out as case.yaml's criteria_dir expects."""
    case = tmp / "data" / CASE
    shutil.copytree(EXAMPLE, case)
    shutil.copytree(CRITERIA, tmp / "criteria")
    return case


# --- outcomes -------------------------------------------------------------------------------------------

OUTCOMES = ("clear", "traceback", "silent", "cascade", "misleading", "hang")
#: (case id, kind, outcome, seconds, note) of every case run in this session.
RESULTS: list[tuple[str, str, str, float, str]] = []


def table() -> str:
    """Totals per outcome, overall and per kind of defect, as a Markdown table."""
    kinds = sorted({r[1] for r in RESULTS})
    head = "| kind | tried | " + " | ".join(OUTCOMES) + " |"
    lines = [head, "|" + "---|" * (len(OUTCOMES) + 2)]
    for k in [*kinds, None]:
        rows = [r for r in RESULTS if k is None or r[1] == k]
        counts = [sum(r[2] == o for r in rows) for o in OUTCOMES]
        name = "**all**" if k is None else k
        lines.append(f"| {name} | {len(rows)} | " + " | ".join(str(c) for c in counts) + " |")
    slow = max(RESULTS, key=lambda r: r[3])
    lines.append(f"\nslowest: {slow[0]} {slow[3]:.2f} s; total {sum(r[3] for r in RESULTS):.1f} s")
    bad = [r for r in RESULTS if r[2] != "clear"]
    lines += [f"- {r[0]}: {r[2]} ({r[4]})" for r in bad]
    return "\n".join(lines)
