"""Every workbook the workbench writes stores text as text (issue 26): formula text fed through every text field of a
case comes back as the same text in every cell, no cell is a formula that the writer did not build itself, and
numbers stay numbers.

The workbooks: the report's ``results.xlsx`` (its writer on a small table, every text place filled), the case
workbook of ``procurement export``, the weighting forms of ``procurement forms`` (the case's groups and a list of
respondents) and the evaluator forms of ``procurement tender forms``; and the way round through ``collect``: a
returned form's hidden group label lands in case.yaml as that text and the next forms hold it as text. The formula
text is fed in with PyYAML and the csv module and read back with openpyxl, independent of the writers.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from openpyxl import load_workbook

from procurement.casebook.forms import FIRST_ROW
from procurement.casebook.sheets import CSV_SHEETS, TEXT
from procurement.cli import main
from procurement.report.excel import PublishedTable, write_workbook

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "national-municipal-solution"
DECISION = "contract-strategy"
COMPETITION = "dialogue-final-round"

#: Text that a spreadsheet program would run: a link that sends a cell away, DDE, and the other formula starts.
PAYLOADS = ['=HYPERLINK("http://127.0.0.1:9/?"&B4,"click")', "=cmd|' /c calc'!A0", "+1", "-1+1", "@SUM(A1)"]
#: YAML keys whose string values are text a person wrote (labels, descriptions, rubric levels, legal rules)
TEXT_KEYS = {"nb", "en", "description", "rule", "citation", "note", "notes", "title"}


def _payloads():
    return itertools.cycle(PAYLOADS)


def _feed_yaml(data, pay, key=None):
    """`data` with every text value (TEXT_KEYS, rubric levels) replaced by formula text, in turn."""
    if isinstance(data, dict):
        return {k: (next(pay) if (k in TEXT_KEYS or key == "rubric") and isinstance(v, str) else _feed_yaml(v, pay, k))
                for k, v in data.items()}
    if isinstance(data, list):
        return [_feed_yaml(v, pay, key) for v in data]
    return data


def feed_yaml_file(path: Path, pay) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump(_feed_yaml(data, pay), allow_unicode=True, sort_keys=False), encoding="utf-8")


def feed_csv_file(path: Path, columns: set[str], pay) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        lines = [line for line in f if not line.startswith("#")]
    rows = list(csv.DictReader(lines))
    for row in rows:
        for c in columns & set(row):
            row[c] = next(pay)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


@pytest.fixture(scope="module")
def hostile_case(tmp_path_factory) -> Path:
    """The example case with formula text in every text field of its files, its criteria and its competition."""
    tmp = tmp_path_factory.mktemp("formulas")
    case = tmp / "data" / "nms"
    shutil.copytree(EXAMPLE, case)
    shutil.copytree(ROOT / "criteria", tmp / "criteria")
    pay = _payloads()
    for p in [case / "case.yaml", *sorted((tmp / "criteria").glob("*.yaml")), case / "tenders" / COMPETITION / "model.yaml"]:
        feed_yaml_file(p, pay)
    for sheet in CSV_SHEETS:
        text = {c.key for c in sheet.columns if c.kind == TEXT and not c.choices and c.key != "id"}
        feed_csv_file(case / sheet.file, text, pay)
    feed_csv_file(case / "tenders" / COMPETITION / "tenders.csv", {"name", "notes"}, pay)
    feed_csv_file(case / "tenders" / COMPETITION / "evaluations.csv", {"justification"}, pay)
    # the model's labels changed: seal it again, as the authority would before opening
    assert main(["tender", "seal", str(case), "--competition", COMPETITION, "--force"]) == 0
    code = main(["validate", str(case)])
    assert code == 0, "the case with formula text must be a valid case"
    return case


def formula_cells(path: Path) -> list[str]:
    wb = load_workbook(path)
    return [f"{ws.title}!{c.coordinate}={c.value}" for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.data_type == "f"]


def texts(path: Path) -> set[str]:
    wb = load_workbook(path)
    return {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)}


def numbers(path: Path, sheet: str, column: int) -> list:
    ws = load_workbook(path)[sheet]
    return [ws.cell(row=r, column=column).value for r in range(2, ws.max_row + 1)
            if ws.cell(row=r, column=column).value is not None]


def test_the_report_workbook(tmp_path):
    frame = pd.DataFrame({PAYLOADS[0]: PAYLOADS, "score": [0.5, -1.0, 1.0, 2.5, 10.0], "rank": [1, 2, 3, 4, 5]})
    table = PublishedTable(PAYLOADS[1], PAYLOADS[2], PAYLOADS[3], frame, {"score": "number", "rank": "integer"})
    path = write_workbook([table], tmp_path / "results.xlsx", title=PAYLOADS[4], language="en",
                          about=[(p, q) for p, q in zip(PAYLOADS, reversed(PAYLOADS), strict=True)])
    assert path is not None
    assert formula_cells(path) == []
    assert set(PAYLOADS) <= texts(path)
    wb = load_workbook(path)
    data = wb.worksheets[-1]
    assert [data.cell(row=r, column=2).value for r in range(2, 7)] == [0.5, -1.0, 1.0, 2.5, 10.0]
    assert [data.cell(row=r, column=3).value for r in range(2, 7)] == [1, 2, 3, 4, 5]
    assert all(data.cell(row=r, column=2).data_type == "n" for r in range(2, 7))


def test_the_case_workbook(hostile_case, tmp_path):
    xlsx = tmp_path / "case.xlsx"
    assert main(["export", str(hostile_case), "--xlsx", str(xlsx), "--language", "en"]) == 0
    assert formula_cells(xlsx) == []
    assert set(PAYLOADS) <= texts(xlsx)
    likely = numbers(xlsx, "Scores", 5)
    assert likely and all(isinstance(v, int | float) for v in likely)


def test_the_weighting_forms_of_the_groups_and_of_a_list(hostile_case, tmp_path):
    out = tmp_path / "forms"
    respondents = tmp_path / "respondents.csv"
    write_respondents(respondents)
    assert main(["forms", str(hostile_case), "--decision", DECISION, "--out", str(out)]) == 0
    assert main(["forms", str(hostile_case), "--decision", DECISION, "--out", str(out / "list"),
                 "--respondents", str(respondents)]) == 0
    files = sorted(out.rglob("*.xlsx"))
    assert len(files) >= 5 + len(PAYLOADS)
    seen: set[str] = set()
    for f in files:
        assert_only_the_sum_formula(f)
        seen |= texts(f)
    assert set(PAYLOADS) <= seen


def write_respondents(path: Path) -> None:
    """A list of respondents r0, r1, … whose names (bokmål and English) are the formula texts."""
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "name", "name_en"])
        w.writerows([f"r{i}", p, p] for i, p in enumerate(PAYLOADS))


def assert_only_the_sum_formula(path: Path) -> None:
    """A weighting form's one formula is its own sum of the points column (points forms only)."""
    found = formula_cells(path)
    ws = load_workbook(path).worksheets[0]
    last = FIRST_ROW
    while ws.cell(row=last + 1, column=1).value and ws.cell(row=last + 1, column=4).value != "sum":
        last += 1
    allowed = [f"{ws.title}!E{last + 1}==SUM(E{FIRST_ROW}:E{last})"]
    assert found in ([], allowed), found


def test_the_tender_evaluator_forms(hostile_case, tmp_path):
    out = tmp_path / "tender-forms"
    evaluators = "+1,-1+1,@SUM(A1)"  # the formula texts that are also names (the others hold '/', a path)
    assert main(["tender", "forms", str(hostile_case), "--competition", COMPETITION, "--language", "en",
                 "--evaluators", evaluators,
                 "--out", str(out)]) == 0
    files = sorted(out.glob("*.xlsx"))
    assert [f.name for f in files] == ["1-1.xlsx", "1.xlsx", "sum-a1.xlsx"]
    seen: set[str] = set()
    for f in files:
        assert formula_cells(f) == []
        seen |= texts(f)
        weights = numbers(f, "Rubric", 3)
        assert weights and all(isinstance(v, int | float) for v in weights)
    assert set(PAYLOADS) <= seen
    about = {r[0]: r[1] for r in load_workbook(out / "sum-a1.xlsx")["About"].iter_rows(values_only=True)}
    assert about["evaluator"] == "@SUM(A1)"


def test_a_group_label_comes_back_through_collect_as_text(hostile_case, tmp_path):
    case = tmp_path / "data" / "nms"
    shutil.copytree(hostile_case, case)
    shutil.copytree(hostile_case.parents[1] / "criteria", tmp_path / "criteria")
    respondents = tmp_path / "respondents.csv"
    write_respondents(respondents)
    out = tmp_path / "forms"
    assert main(["forms", str(case), "--decision", DECISION, "--out", str(out), "--respondents", str(respondents),
                 "--method", "points"]) == 0
    files = sorted(out.glob("*.xlsx"))
    for f in files:
        wb = load_workbook(f)
        ws = wb.worksheets[0]
        ws["B4"], ws["B5"] = "Kari Nordmann", dt.date(2026, 12, 1)
        rows = [r for r in range(FIRST_ROW, ws.max_row + 1) if ws.cell(row=r + 1, column=1).value or
                ws.cell(row=r, column=1).value]
        ids = [r for r in rows if ws.cell(row=r, column=1).value]
        for r in ids:
            ws.cell(row=r, column=5, value=100 if r == ids[0] else 0)
        wb.save(f)
    assert main(["collect", str(case), *map(str, files)]) == 0
    stakeholders = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))["stakeholders"]
    labels = {s["id"]: s["label"]["nb"] for s in stakeholders}
    assert [labels[f"r{i}"] for i in range(len(PAYLOADS))] == PAYLOADS  # plain text, exactly as given
    again = tmp_path / "again"
    assert main(["forms", str(case), "--decision", DECISION, "--out", str(again)]) == 0
    for f in sorted(again.glob("*.xlsx")):
        assert_only_the_sum_formula(f)
    assert set(PAYLOADS) <= set().union(*(texts(f) for f in again.glob("*r?.xlsx")))
