"""`tender collect` changes only the rows it must: checked with git on a git-initialised copy of the example
competition (issue 25: a diff a steering group can review)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from procurement.tender import load_competition
from procurement.tender.forms import JUSTIFICATION_COL, SCORE_COL, collect, write_forms

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "data" / "national-municipal-solution"
COMP = "dialogue-final-round"
FILE = f"tenders/{COMP}/evaluations.csv"
DAY = dt.date(2026, 12, 1)


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def case(tmp_path) -> Path:
    target = tmp_path / "case"
    shutil.copytree(CASE / "tenders", target / "tenders")
    _git(target, "init", "-q")
    _git(target, "add", "-A")
    _git(target, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "example")
    return target


def _fill(path: Path, lines: list[str], changes: dict[tuple[str, str], float]) -> None:
    """Fill an evaluator's form from the file's own lines (split by hand), with `changes` by (tenderer, criterion)."""
    evaluator = path.stem
    given = {}
    for line in lines:
        e, t, c, score, why = line.split(",", 4)
        if e == evaluator:
            given[(t, c)] = (float(score), why)
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    for row in range(2, ws.max_row + 1):
        key = (ws.cell(row, 1).value, ws.cell(row, 3).value)
        ws.cell(row, SCORE_COL).value = changes.get(key, given[key][0])
        ws.cell(row, JUSTIFICATION_COL).value = given[key][1]
    wb.save(path)


def test_collect_changes_only_the_evaluators_changed_rows_in_place(case, tmp_path):
    original = (case / FILE).read_text(encoding="utf-8")
    lines = original.splitlines()
    assert lines[0].startswith("# ILLUSTRATIVE")
    [form] = write_forms(load_competition(case, COMP), ["ingrid"], tmp_path / "forms")
    _fill(form, lines[2:], {("supplier-b", "risk"): 3.0, ("supplier-d", "usability"): 7.5})
    collect(load_competition(case, COMP), tmp_path / "forms", today=DAY)
    # the file expected, made by hand from the original lines
    expected = list(lines)
    for i, line in enumerate(lines):
        if line.startswith("ingrid,supplier-b,risk,"):
            expected[i] = "ingrid,supplier-b,risk,3," + line.split(",", 4)[4]
        if line.startswith("ingrid,supplier-d,usability,"):
            expected[i] = "ingrid,supplier-d,usability,7.5," + line.split(",", 4)[4]
    expected.insert(1, "# collected ingrid: form ingrid.xlsx, 2026-12-01")
    assert (case / FILE).read_text(encoding="utf-8") == "\n".join(expected) + "\n"
    assert _git(case, "diff", "--numstat").split() == ["3", "2", FILE]
    changed = [x for x in _git(case, "diff", "-U0").splitlines() if x[:1] in "+-" and x[:3] not in ("+++", "---")]
    assert changed == ["+# collected ingrid: form ingrid.xlsx, 2026-12-01",
                       "-" + next(x for x in lines if x.startswith("ingrid,supplier-b,risk,")),
                       "+" + expected[lines.index(next(x for x in lines if x.startswith("ingrid,supplier-b,risk,"))) + 1],
                       "-" + next(x for x in lines if x.startswith("ingrid,supplier-d,usability,")),
                       "+" + next(x for x in expected if x.startswith("ingrid,supplier-d,usability,"))]
    hunks = [x for x in _git(case, "diff", "-U0").splitlines() if x.startswith("@@")]
    row = lines.index(next(x for x in lines if x.startswith("ingrid,supplier-b,risk,"))) + 1
    assert hunks[1].startswith(f"@@ -{row} +{row + 1} @@")  # in place: one line down, under the comment


def test_recollecting_the_same_values_changes_nothing_but_the_provenance_line(case, tmp_path):
    lines = (case / FILE).read_text(encoding="utf-8").splitlines()
    [form] = write_forms(load_competition(case, COMP), ["sofie"], tmp_path / "forms")
    _fill(form, lines[2:], {})
    collect(load_competition(case, COMP), tmp_path / "forms", today=DAY)
    assert _git(case, "diff", "--numstat").split() == ["1", "0", FILE]
    added = [x for x in _git(case, "diff", "-U0").splitlines() if x[:1] == "+" and not x.startswith("+++")]
    assert added == ["+# collected sofie: form sofie.xlsx, 2026-12-01"]
    collect(load_competition(case, COMP), tmp_path / "forms", today=dt.date(2026, 12, 2))  # again: the line is replaced
    added = [x for x in _git(case, "diff", "-U0").splitlines() if x[:1] == "+" and not x.startswith("+++")]
    assert added == ["+# collected sofie: form sofie.xlsx, 2026-12-02"]


def test_crlf_semicolon_file_keeps_its_dialect(case, tmp_path):
    """A file saved by Excel in a Norwegian locale (semicolons, decimal commas, CRLF): unchanged rows stay as
    written, a changed score is written with a decimal comma and the row ends in CRLF."""
    path = case / FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    semicolon = [lines[0]] + [";".join(x.split(",", 4)[:4] + ['"' + x.split(",", 4)[4] + '"']) for x in lines[1:]]
    path.write_bytes(("\r\n".join(semicolon) + "\r\n").encode("utf-8"))
    [form] = write_forms(load_competition(case, COMP), ["lars"], tmp_path / "forms")
    _fill(form, lines[2:], {("supplier-a", "risk"): 4.5})
    collect(load_competition(case, COMP), tmp_path / "forms", today=DAY)
    after = path.read_bytes().decode("utf-8").split("\r\n")
    before = list(semicolon) + [""]
    i = next(n for n, x in enumerate(before) if x.startswith("lars;supplier-a;risk;"))
    before[i] = "lars;supplier-a;risk;4,5;" + before[i].split(";", 4)[4]  # quoted: the text has a ';'
    before.insert(1, "# collected lars: form lars.xlsx, 2026-12-01")
    assert after == before


def test_a_file_without_justifications_gets_the_column_and_nothing_else_changes(case, tmp_path):
    """evaluations.csv may leave out the justification column; a form's justifications add it (to the header and,
    empty, to every other row), the values stay."""
    path = case / FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0]] + [",".join(x.split(",", 4)[:4]) for x in lines[1:]]) + "\n", encoding="utf-8")
    [form] = write_forms(load_competition(case, COMP), ["sofie"], tmp_path / "forms")
    _fill(form, lines[2:], {})
    collect(load_competition(case, COMP), tmp_path / "forms", today=DAY)
    after = path.read_text(encoding="utf-8").splitlines()
    assert after[:3] == [lines[0], "# collected sofie: form sofie.xlsx, 2026-12-01",
                         "evaluator,tenderer,criterion,score,justification"]
    for old, new in zip(lines[2:], after[3:], strict=True):
        assert new == (old if old.startswith("sofie,") else ",".join(old.split(",", 4)[:4]) + ",")
