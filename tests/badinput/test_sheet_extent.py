"""Sheets bounded by their declared and their real extent (issue 26): one cell far out in a sheet of a returned
workbook -- A1048576 in a case workbook, XFD1048576 in a weight form's hidden meta sheet -- is one line naming the
file and the sheet, exit 2, no traceback, the input files unchanged; before the fix the readers walked every row up
to it (119 s and 3.78 GB for `procurement import`, out of memory for `procurement collect`).

The dimension element a sheet declares is checked before openpyxl loads; a sheet whose dimension lies (declared
small) or is absent is caught by its real extent after loading, before any reader iterates its rows.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_security import COMPETITION, EXAMPLE, assert_one_clear_line, call, example_copy, snapshot
from test_tracebacks import _filled_tender_forms

from procurement.case.xlsxfile import MAX_SHEET_COLUMNS, MAX_SHEET_ROWS
from procurement.casebook.forms import FIRST_ROW

CASH_FLOWS = "Kontantstrømmer"  # the bokmål title of the case workbook's cash-flow sheet (8 columns, A to H)


def _exported(tmp_path: Path, case: Path) -> Path:
    out = tmp_path / "case.xlsx"
    code, _, err = call(["export", str(case), "--xlsx", str(out)])
    assert code == 0, err
    return out


def _weight_form(tmp_path: Path, case: Path) -> Path:
    out = tmp_path / "forms"
    code, _, err = call(["forms", str(case), "--decision", "contract-strategy", "--out", str(out)])
    assert code == 0, err
    return sorted(out.glob("*.xlsx"))[0]


def _put(path: Path, sheet: str, cell: str) -> None:
    """One text cell at `cell` of `sheet`, saved by openpyxl (which declares the dimension honestly)."""
    wb = load_workbook(path)
    wb[sheet][cell] = "x"
    wb.save(path)


def _dimension(path: Path, holding: str, ref: str | None) -> None:
    """Rewrite the <dimension> of the worksheet whose XML holds `holding` (a cell reference) to `ref`, or remove it
    (None): the zip edited as another program could write it."""
    with zipfile.ZipFile(path) as z:
        members = [(i, z.read(i.filename)) for i in z.infolist()]
    marker = f'r="{holding}"'.encode()
    found = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in members:
            if info.filename.startswith("xl/worksheets/") and marker in data:
                new = b"" if ref is None else f'<dimension ref="{ref}"/>'.encode()
                data, n = re.subn(rb"<dimension [^>]*/>", new, data)
                found += n
            z.writestr(info, data)
    assert found == 1  # exactly one sheet holds the far cell, and it had a dimension to edit


def _declared_ref(path: Path, holding: str) -> str | None:
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            data = z.read(name)
            if name.startswith("xl/worksheets/") and f'r="{holding}"'.encode() in data:
                m = re.search(rb'<dimension ref="([^"]+)"', data)
                return m.group(1).decode() if m else None
    raise AssertionError(holding)


def test_the_limits_leave_room_for_the_example_case(tmp_path):
    """Every sheet of the example's workbook and of its forms lies well within the limits (an independent reading:
    openpyxl's own extent of the files the workbench writes)."""
    case = example_copy(tmp_path)
    for path in (_exported(tmp_path, case), _weight_form(tmp_path, case)):
        for ws in load_workbook(path).worksheets:
            assert ws.max_row * 10 < MAX_SHEET_ROWS and ws.max_column * 4 < MAX_SHEET_COLUMNS, (path, ws.title)


def test_import_refuses_a_case_workbook_with_a_cell_at_the_last_row(tmp_path):
    case = example_copy(tmp_path)
    xlsx = _exported(tmp_path, case)
    _put(xlsx, CASH_FLOWS, "A1048576")
    assert _declared_ref(xlsx, "A1048576") == "A1:H1048576"  # openpyxl declared it: refused before loading
    before = snapshot(tmp_path)
    code, _, err = call(["import", str(xlsx), str(case)])
    assert_one_clear_line(code, err, "case.xlsx", f"sheet '{CASH_FLOWS}'")
    assert "declares cells up to H1048576 (row 1,048,576, column 8)" in err, err
    assert "keep within CV50000" in err, err
    assert snapshot(tmp_path) == before


def test_collect_refuses_a_form_with_a_cell_at_xfd1048576_in_its_meta_sheet(tmp_path):
    case = example_copy(tmp_path)
    form = _weight_form(tmp_path, case)
    _put(form, "meta", "XFD1048576")
    before = snapshot(tmp_path)
    code, _, err = call(["collect", str(case), str(form)])
    assert_one_clear_line(code, err, form.name, "sheet 'meta'")
    assert "declares cells up to XFD1048576 (row 1,048,576, column 16,384)" in err, err
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("ref", ["A1:B12", None], ids=["lying", "absent"])
def test_collect_checks_the_real_extent_when_the_dimension_lies_or_is_absent(tmp_path, ref):
    case = example_copy(tmp_path)
    form = _weight_form(tmp_path, case)
    _put(form, "meta", "XFD1048576")
    _dimension(form, "XFD1048576", ref)
    assert _declared_ref(form, "XFD1048576") == ref
    before = snapshot(tmp_path)
    code, _, err = call(["collect", str(case), str(form)])
    assert_one_clear_line(code, err, form.name, "sheet 'meta'")
    assert "has cells up to XFD1048576 (row 1,048,576, column 16,384)" in err, err
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("ref", ["A1:H20", None], ids=["lying", "absent"])
def test_import_checks_the_real_extent_when_the_dimension_lies_or_is_absent(tmp_path, ref):
    case = example_copy(tmp_path)
    xlsx = _exported(tmp_path, case)
    _put(xlsx, CASH_FLOWS, "A1048576")
    _dimension(xlsx, "A1048576", ref)
    before = snapshot(tmp_path)
    code, _, err = call(["import", str(xlsx), str(case)])
    assert_one_clear_line(code, err, "case.xlsx", f"sheet '{CASH_FLOWS}'")
    assert "has cells up to H1048576 (row 1,048,576, column 8)" in err, err
    assert snapshot(tmp_path) == before


def test_collect_refuses_a_merged_range_over_the_whole_sheet_before_loading(tmp_path):
    """A merged range A1:XFD1048576 in the meta sheet under an honest small dimension: openpyxl would create a cell
    object for each of its 17 billion cells while loading, so it is refused from the sheet's XML before."""
    case = example_copy(tmp_path)
    form = _weight_form(tmp_path, case)
    wb = load_workbook(form)
    wb["meta"].merge_cells("D20:E21")
    wb.save(form)
    with zipfile.ZipFile(form) as z:
        members = [(i, z.read(i.filename)) for i in z.infolist()]
    declared = []
    with zipfile.ZipFile(form, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in members:
            if b'<mergeCell ref="D20:E21"' in data:
                declared += re.findall(rb'<dimension ref="([^"]+)"', data)
                data = data.replace(b'<mergeCell ref="D20:E21"', b'<mergeCell ref="A1:XFD1048576"')
            z.writestr(info, data)
    assert declared == [b"A1:E21"]  # one sheet merged, its dimension stays small
    before = snapshot(tmp_path)
    code, _, err = call(["collect", str(case), str(form)])
    assert_one_clear_line(code, err, form.name, "sheet 'meta'")
    assert "merges cells A1:XFD1048576 (17,179,869,184 cells), more than the 10,000" in err, err
    assert snapshot(tmp_path) == before


def test_tender_collect_refuses_a_form_with_a_cell_at_the_last_row_of_its_scores(tmp_path):
    case = example_copy(tmp_path)
    forms = _filled_tender_forms(case)
    form = sorted(forms.glob("*.xlsx"))[0]
    _put(form, "Scores", "A1048576")
    before = snapshot(tmp_path)
    code, _, err = call(["tender", "collect", str(case), "--competition", COMPETITION])
    assert_one_clear_line(code, err, form.name, "sheet 'Scores'")
    assert "row 1,048,576" in err, err
    assert snapshot(tmp_path) == before


def _filled(path: Path) -> Path:
    """The weight form with the respondent, the date and equal points (100 in all) on every criterion."""
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    ws["B4"], ws["B5"] = "Kari Nordmann", dt.date(2026, 11, 30)
    rows = range(FIRST_ROW, FIRST_ROW + sum(1 for r in ws.iter_rows(min_row=FIRST_ROW, max_col=1) if r[0].value))
    for row in rows:
        ws.cell(row=row, column=5, value=100 / len(rows))
    wb.save(path)
    return path


def test_a_sheet_at_the_limits_is_read_as_without_the_far_cell(tmp_path):
    """The last cell the limits allow (CV50000) in the meta sheet: the form is collected into the same profiles.csv
    as the same form without it."""
    profiles = []
    for far in (None, f"CV{MAX_SHEET_ROWS}"):
        case = example_copy(tmp_path / str(far))
        form = _filled(_weight_form(tmp_path / str(far), case))
        if far:
            _put(form, "meta", far)
            assert _declared_ref(form, far) == f"A1:{far}"
        code, _, err = call(["collect", str(case), str(form)])
        assert code == 0, err
        profiles.append((case / "profiles.csv").read_bytes())
    assert profiles[0] == profiles[1]
    assert profiles[0] != (EXAMPLE / "profiles.csv").read_bytes()  # the form was merged
