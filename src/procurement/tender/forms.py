"""Evaluator forms in Excel: one workbook per evaluator out, scores and justifications back in.

:func:`write_forms` writes ``<evaluator>.xlsx`` per evaluator with a *Scores* sheet (one row per tenderer and
quality criterion; only the score and justification cells are unlocked, the score cell has a data validation for
the criterion's scale), a *Rubric* sheet and an *About* sheet naming the competition, the evaluator and the sha256
of the model the form was made from. The sheets are protected (no password: the lock prevents slips, not fraud).
:func:`collect` reads a folder of filled forms, checks every cell (file, sheet and row, what is wrong, what would
be right), and writes ``evaluations.csv`` with one row per evaluator, tenderer and criterion.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from procurement.case.csvio import parse_number
from procurement.case.errors import InputError, Problem, ProblemList
from procurement.case.filenames import distinct_files, file_in
from procurement.case.outputs import output_file, output_folder
from procurement.case.xlsxfile import open_workbook
from procurement.tender.competition import EVALUATIONS_FILE, Competition, read_evaluations
from procurement.tender.seal import file_digest
from procurement.text.cells import put_row

HEADER = ["tenderer", "tenderer name", "criterion", "criterion label", "scale", "score", "justification"]
SCORE_COL, JUSTIFICATION_COL = 6, 7  # 1-based columns of the unlocked cells


def write_forms(comp: Competition, evaluators: list[str], out: str | Path, language: str = "nb",
                source: str | Path = "--evaluators") -> list[Path]:
    """One workbook per evaluator in ``out`` (``<slug of the name>.xlsx``); returns their paths.

    A name that cannot be a file name is refused, naming `source` (where the names came from), before anything
    is written (:func:`procurement.case.filenames.file_in`)."""
    if comp.tenders is None:
        raise InputError(Problem(str(comp.folder / "tenders.csv"), "", "no tenders yet",
                                 "forms list the tenderers of tenders.csv"))
    out = Path(out)
    targets = [file_in(out, e, ".xlsx", source, f"evaluator '{e}'") for e in evaluators]
    distinct_files(evaluators, source, "evaluators")
    output_folder(out, "forms folder", "choose another folder with --out")
    names = comp.tenderer_names()
    digest = file_digest(comp.model_path)
    paths = []
    for evaluator, path in zip(evaluators, targets, strict=True):
        wb = Workbook()
        ws = wb.active
        ws.title = "Scores"
        put_row(ws, HEADER)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for c in comp.model.quality:
            assert c.scale is not None
            dv = DataValidation(type="decimal", operator="between", formula1=str(c.scale.min), formula2=str(c.scale.max),
                                allow_blank=True, showErrorMessage=True,
                                error=f"{c.scale.min:g} to {c.scale.max:g}", errorTitle="score outside the scale")
            ws.add_data_validation(dv)
            for t in comp.tenders.index:
                row = put_row(ws, [t, names[t], c.id, c.label.get(language), f"{c.scale.min:g}-{c.scale.max:g}",
                                   None, None])
                dv.add(ws.cell(row, SCORE_COL))
                for col in (SCORE_COL, JUSTIFICATION_COL):
                    ws.cell(row, col).protection = Protection(locked=False)
        for letter, width in zip("ABCDEFG", (14, 28, 16, 34, 8, 8, 60), strict=True):
            ws.column_dimensions[letter].width = width
        ws.protection.sheet = True
        _rubric_sheet(wb, comp, language)
        about = wb.create_sheet("About")
        for item in (("competition", comp.id), ("evaluator", evaluator), ("model_sha256", digest),
                     ("instructions", "Fill in score and justification for every row; other cells are locked.")):
            put_row(about, list(item))
        about.protection.sheet = True
        tmp = path.with_name(f".{path.name}.partial")
        wb.save(tmp)
        os.replace(tmp, path)  # a link in the way is replaced, never followed
        paths.append(path)
    return paths


def _rubric_sheet(wb, comp: Competition, language: str) -> None:
    ws = wb.create_sheet("Rubric")
    put_row(ws, ["criterion", "label", "weight", "level", "meaning"])
    weights = comp.model.weights()
    for c in comp.model.quality:
        assert c.scale is not None
        for level, text in sorted(c.scale.rubric.items()) or [(c.scale.max, "")]:
            put_row(ws, [c.id, c.label.get(language), round(weights[c.id], 4), level, text])
    ws.protection.sheet = True


def read_form(path: Path, comp: Competition, problems: ProblemList) -> list[list[str]]:
    """Rows (evaluator, tenderer, criterion, score text, justification) of one filled form."""
    try:
        wb = open_workbook(path, "return the .xlsx file 'procurement tender forms' wrote, or move other files out")
    except InputError as e:
        problems.extend(e.problems)
        return []
    missing = [s for s in ("Scores", "About") if s not in wb.sheetnames]
    if missing:
        problems.add(path, f"sheet '{missing[0]}'", "is missing", "use a form written by 'procurement tender forms'")
        return []
    about = {str(r[0]): r[1] for r in wb["About"].iter_rows(max_col=2, values_only=True) if r and r[0]}
    if about.get("competition") != comp.id:
        problems.add(path, "sheet 'About'", f"form of competition '{about.get('competition')}', not '{comp.id}'",
                     "collect the forms of this competition only")
        return []
    if about.get("model_sha256") != file_digest(comp.model_path):
        problems.add(path, "sheet 'About'", "the form was made from a different model.yaml",
                     "write new forms with 'procurement tender forms' and copy the scores over")
    evaluator = str(about.get("evaluator") or path.stem)
    rows = []
    for r, values in enumerate(wb["Scores"].iter_rows(min_row=2, max_col=7, values_only=True), start=2):
        if not values or all(v is None for v in values):
            continue
        tenderer, _, criterion, _, _, score, justification = (list(values) + [None] * 7)[:7]
        where = f"sheet 'Scores', row {r}"
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
        rows.append([evaluator, str(tenderer), str(criterion), repr(float(number or 0.0)), str(justification or "").strip()])
    return rows


def _in_scale(comp: Competition, criterion: str, score: float) -> bool:
    crit = next((c for c in comp.model.quality if c.id == criterion), None)
    if crit is None or crit.scale is None:
        return True  # an unknown criterion is reported by the check of the collected rows
    return crit.scale.min <= score <= crit.scale.max


def collect(comp: Competition, forms: str | Path, out: str | Path | None = None) -> Path:
    """Read every ``*.xlsx`` in ``forms``, check it, and merge it into evaluations.csv (to ``out`` or the competition
    folder): the rows of an evaluator with a form are replaced, the rows of evaluators without one are kept."""
    folder = Path(forms)
    paths = sorted(p for p in folder.glob("*.xlsx") if not p.name.startswith("~$"))
    if not paths:
        raise InputError(Problem(str(folder), "", "no .xlsx forms found", "write them with 'procurement tender forms'"))
    problems = ProblemList()
    rows = [row for p in paths for row in read_form(p, comp, problems)]
    problems.raise_if_any()
    with_forms = {r[0] for r in rows}
    if comp.evaluations is not None:
        kept = comp.evaluations[~comp.evaluations["evaluator"].isin(with_forms)]
        rows += [[str(r["evaluator"]), str(r["tenderer"]), str(r["criterion"]), repr(float(r["score"])), str(r["justification"])]
                 for r in kept.to_dict("records")]
    target = output_file(Path(out) if out is not None else comp.folder / EVALUATIONS_FILE, "tender collect",
                         "make the competition folder writable: collect writes evaluations.csv there")
    tmp = target.with_suffix(".csv.tmp")
    with tmp.open("w", newline="", encoding="utf-8") as f:
        f.write(f"# collected from {len(paths)} evaluator forms by 'procurement tender collect'\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["evaluator", "tenderer", "criterion", "score", "justification"])
        w.writerows(rows)
    assert comp.tenders is not None
    read_evaluations(tmp, comp.model, list(comp.tenders.index), problems)
    if problems:
        tmp.unlink()
        raise InputError([Problem(f"forms in {folder}", p.where, p.message, p.hint) for p in problems.problems])
    tmp.replace(target)
    return target
