"""Evaluator forms in Excel: one workbook per evaluator out, scores and justifications back in.

:func:`write_forms` writes ``<evaluator>.xlsx`` per evaluator, in bokmål or English (words from
:mod:`procurement.text.words_forms`, criterion names from model.yaml), with a scores sheet (one row per tenderer
and quality criterion; only the score and justification cells are unlocked, the score cell has a data validation
for the criterion's scale), a rubric sheet, an about sheet naming the competition, the evaluator and the sha256 of
the model the form was made from, and a hidden ``meta`` sheet with the same for :func:`read_form`. The sheets are
protected (no password: the lock prevents slips, not fraud). :func:`collect` reads a folder of filled forms, checks
every cell (file, sheet and row, what is wrong, what would be right), and merges them into ``evaluations.csv``,
changing only the rows the forms change.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from procurement.case.csvio import (Record, csv_line, joined, line_end, merged_in_place, parse_number, read_text, records,
                                    separator, with_comment_lines)
from procurement.case.models import DEFAULT_LANGUAGE
from procurement.case.errors import InputError, Problem, ProblemList
from procurement.case.filenames import distinct_files, file_in
from procurement.case.outputs import output_file, output_folder
from procurement.case.xlsxfile import open_workbook
from procurement.tender.competition import EVALUATIONS_FILE, Competition, read_evaluations
from procurement.tender.seal import file_digest
from procurement.text.cells import put_row
from procurement.text.labels import LANGUAGES, label

HEADER = ["tenderer", "tenderer_name", "criterion", "criterion_label", "scale", "score", "justification"]
SCORE_COL, JUSTIFICATION_COL = 6, 7  # 1-based columns of the unlocked cells
#: The hidden sheet with what the form was made for (read back by :func:`read_form`); forms written before it
#: existed carry the same keys on their *About* sheet.
META_SHEET = "meta"
META_KEYS = ("competition", "evaluator", "model_sha256")


def _w(key: str, language: str) -> str:
    return label(f"tform.{key}", language)


def write_forms(comp: Competition, evaluators: list[str], out: str | Path, language: str = DEFAULT_LANGUAGE,
                source: str | Path = "--evaluators") -> list[Path]:
    """One workbook per evaluator in ``out`` (``<slug of the name>.xlsx``) in `language` (sheet names, headers,
    instructions and criterion names); returns their paths.

    A name that cannot be a file name is refused, naming `source` (where the names came from), before anything
    is written (:func:`procurement.case.filenames.file_in`)."""
    if comp.tenders is None:
        raise InputError(Problem(str(comp.folder / "tenders.csv"), "", "no tenders yet",
                                 "forms list the tenderers of tenders.csv"))
    out = Path(out)
    targets = [file_in(out, e, ".xlsx", source, f"evaluator '{e}'") for e in evaluators]
    distinct_files(evaluators, source, "evaluators")
    output_folder(out, "forms folder", "choose another folder with --out")
    digest = file_digest(comp.model_path)
    paths = []
    for evaluator, path in zip(evaluators, targets, strict=True):
        wb = Workbook()
        _scores_sheet(wb.active, comp, language)
        _rubric_sheet(wb, comp, language)
        about = wb.create_sheet(_w("about", language))
        for key, value in (("competition", comp.id), ("evaluator", evaluator), ("model_sha256", digest),
                           ("instructions", _w("how", language))):
            put_row(about, [_w(key, language), value])
        about.protection.sheet = True
        meta = wb.create_sheet(META_SHEET)
        for row in (("competition", comp.id), ("evaluator", evaluator), ("model_sha256", digest), ("language", language)):
            put_row(meta, list(row))
        meta.sheet_state = "hidden"
        meta.protection.sheet = True
        tmp = path.with_name(f".{path.name}.partial")
        wb.save(tmp)
        os.replace(tmp, path)  # a link in the way is replaced, never followed
        paths.append(path)
    return paths


def _scores_sheet(ws, comp: Competition, language: str) -> None:
    assert comp.tenders is not None
    ws.title = _w("scores", language)
    put_row(ws, [_w(h, language) for h in HEADER])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    names = comp.tenderer_names()
    for c in comp.model.quality:
        assert c.scale is not None
        dv = DataValidation(type="decimal", operator="between", formula1=str(c.scale.min), formula2=str(c.scale.max),
                            allow_blank=True, showErrorMessage=True,
                            error=f"{c.scale.min:g}–{c.scale.max:g}", errorTitle=_w("outside", language))
        ws.add_data_validation(dv)
        for t in comp.tenders.index:
            row = put_row(ws, [t, names[t], c.id, c.label.get(language), f"{c.scale.min:g}-{c.scale.max:g}", None, None])
            dv.add(ws.cell(row, SCORE_COL))
            for col in (SCORE_COL, JUSTIFICATION_COL):
                ws.cell(row, col).protection = Protection(locked=False)
    for letter, width in zip("ABCDEFG", (14, 28, 16, 34, 8, 8, 60), strict=True):
        ws.column_dimensions[letter].width = width
    ws.protection.sheet = True


def _rubric_sheet(wb, comp: Competition, language: str) -> None:
    ws = wb.create_sheet(_w("rubric", language))
    meaning = "meaning_en" if language != "en" else "meaning"  # model.yaml's rubric texts are written in English
    put_row(ws, [_w(h, language) for h in ("criterion", "label", "weight", "level", meaning)])
    weights = comp.model.weights()
    for c in comp.model.quality:
        assert c.scale is not None
        for level, text in sorted(c.scale.rubric.items()) or [(c.scale.max, "")]:
            put_row(ws, [c.id, c.label.get(language), round(weights[c.id], 4), level, text])
    ws.protection.sheet = True


def _form_meta(wb) -> tuple[dict, str]:
    """What the form was made for (its hidden sheet, or the About sheet of a form written before it), and the
    name of its scores sheet."""
    if META_SHEET in wb.sheetnames:
        meta = {str(r[0]): r[1] for r in wb[META_SHEET].iter_rows(max_col=2, values_only=True) if r and r[0]}
        language = str(meta.get("language")) if meta.get("language") in LANGUAGES else "en"
        return meta, _w("scores", language)
    if "About" in wb.sheetnames:
        return {str(r[0]): r[1] for r in wb["About"].iter_rows(max_col=2, values_only=True) if r and r[0]}, "Scores"
    return {}, "Scores"


def read_form(path: Path, comp: Competition, problems: ProblemList) -> list[list]:
    """Rows (evaluator, tenderer, criterion, score text, justification) of one filled form."""
    try:
        wb = open_workbook(path, "return the .xlsx file 'procurement tender forms' wrote, or move other files out")
    except InputError as e:
        problems.extend(e.problems)
        return []
    about, scores = _form_meta(wb)
    if not about or scores not in wb.sheetnames:
        missing = scores if about else f"{META_SHEET}' or 'About"
        problems.add(path, f"sheet '{missing}'", "is missing", "use a form written by 'procurement tender forms'")
        return []
    if about.get("competition") != comp.id:
        problems.add(path, f"sheet '{META_SHEET}'", f"form of competition '{about.get('competition')}', not '{comp.id}'",
                     "collect the forms of this competition only")
        return []
    if about.get("model_sha256") != file_digest(comp.model_path):
        problems.add(path, f"sheet '{META_SHEET}'", "the form was made from a different model.yaml",
                     "write new forms with 'procurement tender forms' and copy the scores over")
    evaluator = str(about.get("evaluator") or path.stem)
    rows = []
    for r, values in enumerate(wb[scores].iter_rows(min_row=2, max_col=7, values_only=True), start=2):
        if not values or all(v is None for v in values):
            continue
        tenderer, _, criterion, _, _, score, justification = (list(values) + [None] * 7)[:7]
        where = f"sheet '{scores}', row {r}"
        if score is None or str(score).strip() == "":
            problems.add(path, where, f"no score for '{tenderer}' on '{criterion}'", "fill in the score column")
            continue
        text = str(score) if isinstance(score, int | float) else str(score).strip()
        if parse_number(text, ".") is None and parse_number(text, ",") is None:
            problems.add(path, where, f"score '{score}' is not a number", "write a number such as 7 or 7,5")
            continue
        number = parse_number(text, ".") if parse_number(text, ".") is not None else parse_number(text, ",")
        if not _in_scale(comp, str(criterion), float(number or 0.0)):
            problems.add(path, where, f"score {number:g} for '{tenderer}' is outside the scale of '{criterion}'",
                         "give a score on the scale shown in the form")
            continue
        rows.append([evaluator, str(tenderer), str(criterion), float(number or 0.0), str(justification or "").strip()])
    return rows


def _in_scale(comp: Competition, criterion: str, score: float) -> bool:
    crit = next((c for c in comp.model.quality if c.id == criterion), None)
    if crit is None or crit.scale is None:
        return True  # an unknown criterion is reported by the check of the collected rows
    return crit.scale.min <= score <= crit.scale.max


#: The start of the comment line of evaluations.csv that says whose form was collected from which file, and when.
PROVENANCE = "# collected"
COLUMNS = ["evaluator", "tenderer", "criterion", "score", "justification"]


def collect(comp: Competition, forms: str | Path, out: str | Path | None = None, today: dt.date | None = None) -> Path:
    """Read every ``*.xlsx`` in ``forms``, check it, and merge it into evaluations.csv (to ``out`` or the competition
    folder), changing only the rows that must change: an evaluator with a form gets the form's rows where its old
    rows were (in their order; a row the form leaves unchanged stays byte for byte, a row the form no longer has
    goes, a new one comes after the evaluator's others; a new evaluator's rows at the end); every other line
    (comments, order, number spelling, quoting, line ends) stays as it was. One ``# collected EVALUATOR: …``
    comment line per form says which file and when."""
    folder = Path(forms)
    paths = sorted(p for p in folder.glob("*.xlsx") if not p.name.startswith("~$"))
    if not paths:
        raise InputError(Problem(str(folder), "", "no .xlsx forms found", "write them with 'procurement tender forms'"))
    problems = ProblemList()
    read = {p: read_form(p, comp, problems) for p in paths}
    problems.raise_if_any()
    source = comp.folder / EVALUATIONS_FILE
    text, bom = _base_text(source if comp.evaluations is not None else None)
    text = _merged(text, [row for rows in read.values() for row in rows])
    when = (today or dt.date.today()).isoformat()
    text = with_comment_lines(text, [f"{PROVENANCE} {rows[0][0]}:" for rows in read.values() if rows],
                              [f"{PROVENANCE} {rows[0][0]}: form {p.name}, {when}" for p, rows in read.items() if rows])
    target = output_file(Path(out) if out is not None else source, "tender collect",
                         "make the competition folder writable: collect writes evaluations.csv there")
    tmp = target.with_name(f".{target.name}.collect")
    with tmp.open("w", newline="", encoding="utf-8-sig" if bom else "utf-8") as f:
        f.write(text)
    assert comp.tenders is not None
    read_evaluations(tmp, comp.model, list(comp.tenders.index), problems)
    if problems:
        tmp.unlink()
        raise InputError([Problem(f"forms in {folder}", p.where, p.message, p.hint) for p in problems.problems])
    os.replace(tmp, target)
    return target


def _base_text(path: Path | None) -> tuple[str, bool]:
    """The text of the evaluations.csv the forms are merged into (a header only when there is none), and whether
    it starts with a byte-order mark."""
    if path is None or not path.exists():
        return csv_line(COLUMNS, ",", "\n"), False
    return read_text(path), path.read_bytes().startswith(b"\xef\xbb\xbf")


def _merged(text: str, rows: list[list]) -> str:
    """`text` with the forms' `rows` (evaluator, tenderer, criterion, score, justification) in place."""
    end, sep = line_end(text), separator(text) or ","
    recs = records(text, sep)
    header_at = next(i for i, r in enumerate(recs) if r.fields is not None)
    header = [h.strip().lower() for h in recs[header_at].fields or []]
    if "justification" not in header and any(r[4] for r in rows):  # the column is added: every line changes
        recs = [r if r.fields is None else _widened(r, "justification" if i == header_at else "", sep, end)
                for i, r in enumerate(recs)]
        header.append("justification")
    col = {k: header.index(k) for k in COLUMNS if k in header}

    def key(r: Record) -> tuple[str, ...] | None:
        if r.fields is None or r is recs[header_at] or len(r.fields) <= max(col.values()):
            return None
        return tuple(r.fields[col[k]].strip() for k in COLUMNS[:3])

    def evaluator(r: Record) -> str | None:
        k = key(r)
        return k[0] if k else None

    evaluators = {r[0] for r in rows}
    old = {k: r for r in recs if (k := key(r)) is not None and k[0] in evaluators}
    order = {k: i for i, k in enumerate(old)}
    new: dict[str, list[Record]] = {}
    for row in sorted(rows, key=lambda x: order.get(tuple(x[:3]), len(order))):
        was = old.get(tuple(row[:3]))
        if was is None or not _same(was, row, col, sep):
            fields = [""] * len(header)
            for name, v in zip(COLUMNS, [*row[:3], _number(row[3], sep), row[4]], strict=True):
                if name in col:
                    fields[col[name]] = v
            was = Record(csv_line(fields, sep, end), fields)
        new.setdefault(row[0], []).append(was)
    return joined([r.text for r in merged_in_place(recs, evaluator, new)], end)


def _widened(r: Record, value: str, sep: str, end: str) -> Record:
    """A record with one more field, `value`, before its line end."""
    body = r.text.rstrip("\r\n")
    cell = csv_line([value], sep, "") if value else ""  # the csv module writes a lone empty field as ""
    return Record(body + sep + cell + r.text[len(body):], [*(r.fields or []), value])


def _same(was: Record, row: list, col: dict[str, int], sep: str) -> bool:
    """Whether the file's row says what the form says (then it is kept as written: ``6.0`` stays ``6.0``)."""
    fields = was.fields or []
    score = parse_number(fields[col["score"]].strip(), "," if sep == ";" else ".")
    why = fields[col["justification"]].strip() if "justification" in col else ""
    return score == row[3] and why == row[4]


def _number(x: float, sep: str) -> str:
    """A score as the CSV files write it: 6, not 6.0; 7,5 in a semicolon-separated file."""
    text = str(int(x)) if float(x).is_integer() else repr(float(x))
    return text.replace(".", ",") if sep == ";" else text
