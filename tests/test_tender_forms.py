"""Evaluator forms: written, filled with openpyxl as an evaluator would, collected, and evaluated: the same result as
the CSV path."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from procurement.case.errors import InputError
from procurement.cli import main
from procurement.tender import evaluate, load_competition
from procurement.tender.forms import JUSTIFICATION_COL, SCORE_COL, collect, write_forms

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "data" / "national-municipal-solution"
COMP = "dialogue-final-round"


@pytest.fixture
def case(tmp_path) -> Path:
    target = tmp_path / "case"
    shutil.copytree(CASE / "tenders", target / "tenders")
    return target


def _scores() -> dict[tuple[str, str, str], tuple[str, str]]:
    path = CASE / "tenders" / COMP / "evaluations.csv"
    with path.open(encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return {(r["evaluator"], r["tenderer"], r["criterion"]): (r["score"], r["justification"]) for r in rows}


def _fill(path: Path, evaluator: str, scores: dict) -> None:
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    for row in range(2, ws.max_row + 1):
        tenderer, criterion = ws.cell(row, 1).value, ws.cell(row, 3).value
        score, why = scores[(evaluator, tenderer, criterion)]
        ws.cell(row, SCORE_COL).value = float(score)
        ws.cell(row, JUSTIFICATION_COL).value = why
    wb.save(path)


def test_round_trip_equals_csv_path(case, tmp_path):
    comp = load_competition(case, COMP)
    forms = tmp_path / "forms"
    paths = write_forms(comp, ["ingrid", "lars", "sofie"], forms)
    assert [p.name for p in paths] == ["ingrid.xlsx", "lars.xlsx", "sofie.xlsx"]
    ws = load_workbook(paths[0]).worksheets[0]
    assert ws.protection.sheet
    assert ws.cell(2, 1).protection.locked and not ws.cell(2, SCORE_COL).protection.locked
    assert not ws.cell(2, JUSTIFICATION_COL).protection.locked
    assert ws.max_row - 1 == 5 * 4  # five tenderers x four quality criteria
    scores = _scores()
    for p in paths:
        _fill(p, p.stem, scores)
    (case / "tenders" / COMP / "evaluations.csv").unlink()
    out = collect(load_competition(case, COMP), forms)
    collected = evaluate(load_competition(case, COMP))
    original = evaluate(load_competition(CASE, COMP))
    assert out.name == "evaluations.csv"
    pd.testing.assert_frame_equal(collected.table, original.table, check_exact=False, rtol=0, atol=1e-12)
    pd.testing.assert_frame_equal(collected.consensus, original.consensus)
    assert collected.winner == original.winner


def test_bad_form_cells_are_named(case, tmp_path):
    comp = load_competition(case, COMP)
    [path] = write_forms(comp, ["ingrid"], tmp_path / "forms")
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    for row in range(2, ws.max_row + 1):
        ws.cell(row, SCORE_COL).value = 5
    ws.cell(2, SCORE_COL).value = 12
    ws.cell(3, SCORE_COL).value = "good"
    ws.cell(4, SCORE_COL).value = None
    wb.save(path)
    with pytest.raises(InputError) as err:
        collect(comp, tmp_path / "forms")
    text = str(err.value)
    assert "ingrid.xlsx: sheet 'Poeng', row 2: score 12 for 'supplier-a' is outside the scale of 'usability'" in text
    assert "row 3: score 'good' is not a number" in text
    assert "row 4: no score for 'supplier-c' on 'usability'" in text


def test_cli_forms_and_collect(case, capsys):
    assert main(["tender", "forms", str(case), "--competition", COMP]) == 0
    forms = case / "tenders" / COMP / "forms"
    scores = _scores()
    for p in sorted(forms.glob("*.xlsx")):
        _fill(p, p.stem, scores)
    assert main(["tender", "collect", str(case), "--competition", COMP]) == 0
    assert "evaluations.csv" in capsys.readouterr().out
    assert evaluate(load_competition(case, COMP)).winner == "supplier-a"


def test_collect_keeps_evaluators_without_a_form(case, tmp_path):
    comp = load_competition(case, COMP)
    [path] = write_forms(comp, ["lars"], tmp_path / "forms")
    scores = _scores()
    _fill(path, "lars", {k: (str(float(v[0]) - 1 if k[0] == "lars" else v[0]), v[1]) for k, v in scores.items()})
    collect(comp, tmp_path / "forms")
    merged = load_competition(case, COMP).evaluations
    assert merged is not None and sorted(set(merged["evaluator"])) == ["ingrid", "lars", "sofie"]
    lars = merged[merged["evaluator"] == "lars"].set_index(["tenderer", "criterion"])["score"]
    assert lars[("supplier-c", "implementation")] == 7.0  # 8 in evaluations.csv, one less in the form
    ingrid = merged[merged["evaluator"] == "ingrid"].set_index(["tenderer", "criterion"])["score"]
    assert ingrid[("supplier-c", "implementation")] == 10.0
