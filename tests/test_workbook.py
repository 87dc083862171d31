"""The case workbook: export -> import gives the same case and the same files; planted errors give one line each."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from openpyxl import load_workbook

from procurement.case.errors import InputError
from procurement.case.loader import load_case
from procurement.casebook import cells
from procurement.casebook.workbook import export_workbook, import_workbook

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "national-municipal-solution"


@pytest.fixture
def case_copy(tmp_path: Path) -> Path:
    """The example case and its criteria, copied so that an import may write."""
    shutil.copytree(EXAMPLE, tmp_path / "case")
    shutil.copytree(ROOT / "criteria", tmp_path / "criteria")
    p = tmp_path / "case" / "case.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("criteria_dir: ../../criteria", "criteria_dir: ../criteria"),
                 encoding="utf-8")
    return tmp_path / "case"


def _texts(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix != ".xlsx"}


def _assert_same_case(a, b) -> None:
    assert a.meta == b.meta
    assert list(a.decisions) == list(b.decisions)
    for did in a.decisions:
        da, db = a.decisions[did], b.decisions[did]
        assert da.criteria_set == db.criteria_set
        assert da.options == db.options
        pd.testing.assert_frame_equal(da.scores.reset_index(drop=True), db.scores.reset_index(drop=True))
        assert da.profiles.keys() == db.profiles.keys()
        for g in da.profiles:
            pd.testing.assert_series_equal(da.profiles[g], db.profiles[g])
    pd.testing.assert_frame_equal(a.cashflows.reset_index(drop=True), b.cashflows.reset_index(drop=True))
    assert a.scenarios == b.scenarios


@pytest.mark.parametrize("language", ["nb", "en"])
def test_round_trip_keeps_case_and_files(case_copy: Path, tmp_path: Path, language: str) -> None:
    before_case = load_case(case_copy)
    before = _texts(tmp_path)
    xlsx = export_workbook(case_copy, tmp_path / "out" / "case.xlsx", language)
    changed = import_workbook(xlsx, case_copy)
    assert changed == []
    after = _texts(tmp_path)
    assert after == before  # every file byte for byte: comments, order and quoting of the YAML included
    assert "# Criteria for choosing a contract strategy" in after["criteria/contract-strategy.yaml"]
    _assert_same_case(before_case, load_case(case_copy))


def test_descriptions_and_rubric_texts_have_a_column_per_language(case_copy: Path, tmp_path: Path) -> None:
    """The criteria file's bokmål and English texts (read with PyYAML) fill one column each; a bokmål text edited in
    the workbook changes only that line of the file, and a plain (English) description given a bokmål text becomes
    {nb:, en:} with the English kept."""
    crit_file = tmp_path / "criteria" / "contract-strategy.yaml"
    plain = crit_file.read_text(encoding="utf-8").replace(  # municipal-autonomy as written before bokmål texts
        "    description:\n      nb: >\n        Hvor langt hver kommune beholder egne valg om tidspunkt, leverandør og\n"
        "        utforming av tjenestene. 10 = full lokal handlefrihet.\n      en: >\n", "    description: >\n", 1)
    plain = plain.replace("\n        How far each municipality keeps", "\n      How far each municipality keeps", 1).replace(
        "\n        service design. 10 = full local freedom.", "\n      service design. 10 = full local freedom.", 1)
    crit_file.write_text(plain, encoding="utf-8")
    source = yaml.safe_load(plain)["criteria"]
    assert isinstance(source[-1]["description"], str) and source[-1]["id"] == "municipal-autonomy"
    xlsx = export_workbook(case_copy, tmp_path / "case.xlsx", "nb")
    wb = load_workbook(xlsx)
    crit, rubric = wb["Kriterier"], wb["Rubrikk"]
    assert [crit.cell(1, j).value for j in (5, 6)] == ["beskrivelse (bokmål)", "beskrivelse (engelsk)"]
    assert [rubric.cell(1, j).value for j in (4, 5)] == ["hva nivået betyr (bokmål)", "hva nivået betyr (engelsk)"]
    rows = {crit.cell(r, 2).value: r for r in range(2, crit.max_row + 1) if crit.cell(r, 1).value == "contract-strategy"}
    for c in source[:-1]:
        assert [crit.cell(rows[c["id"]], j).value for j in (5, 6)] == [c["description"][k].strip() for k in ("nb", "en")]
    last = rows["municipal-autonomy"]
    assert (crit.cell(last, 5).value, crit.cell(last, 6).value) == (None, source[-1]["description"].strip())
    assert [rubric.cell(2, j).value for j in (4, 5)] == [source[0]["scale"]["rubric"][0][k] for k in ("nb", "en")]
    crit.cell(rows["competition"], 5).value = "Hvor mye reell konkurranse veivalget skaper."
    crit.cell(last, 5).value = "Hvor langt hver kommune beholder egne valg."
    rubric.cell(2, 4).value = "Adgangsgrunnlaget faller."
    wb.save(xlsx)
    changed = import_workbook(xlsx, case_copy)
    assert [p.name for p in changed] == ["contract-strategy.yaml"]
    after = yaml.safe_load(crit_file.read_text(encoding="utf-8"))["criteria"]
    assert after[1]["description"]["nb"] == "Hvor mye reell konkurranse veivalget skaper."
    assert after[1]["description"]["en"] == source[1]["description"]["en"]
    assert after[-1]["description"] == {"nb": "Hvor langt hver kommune beholder egne valg.",
                                        "en": " ".join(source[-1]["description"].split())}
    assert after[0]["scale"]["rubric"][0] == {"nb": "Adgangsgrunnlaget faller.", "en": source[0]["scale"]["rubric"][0]["en"]}
    assert [a for a, b in zip(source, after, strict=True) if a != b] == [source[0], source[1], source[-1]]
    assert load_case(case_copy).decision("contract-strategy").criterion("competition").description.get("nb") == \
        "Hvor mye reell konkurranse veivalget skaper."


def test_workbook_layout(case_copy: Path, tmp_path: Path) -> None:
    xlsx = export_workbook(case_copy, tmp_path / "case.xlsx", "nb")
    wb = load_workbook(xlsx)
    assert wb.sheetnames[:2] == ["Om arbeidsboken", "lists"]
    assert wb.sheetnames[2:] == ["Alternativer", "Kriterier", "Rubrikk", "Skårer", "Kontantstrømmer", "Vektprofiler",
                                 "Interessenter"]
    ws = wb["Kontantstrømmer"]
    assert ws["E1"].value == "lav (MNOK, faste 2024-kroner)"
    assert ws.protection.sheet and ws["E1"].protection.locked and not ws["E2"].protection.locked
    # every row below the data takes input: each column is unlocked by its own style (no empty cells written), the
    # header row's cells are locked by theirs (the <col> element's style, read back by openpyxl)
    last_column = ws.max_column
    assert all(not ws.column_dimensions[chr(64 + j)].protection.locked for j in range(1, last_column + 1))
    assert all(ws.cell(row=1, column=j).protection.locked for j in range(1, last_column + 1))
    assert ws.max_row == 1 + len(load_case(case_copy).cashflows)  # no row written beyond the data
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in wb["Skårer"].data_validations.dataValidation}
    assert lists["A2"] == "lists!$A$2:$A$4"  # the three decisions
    assert lists["C2"].startswith("lists!$C$2")
    n_opts = len({o.id for d in load_case(case_copy).decisions.values() for o in d.options})
    assert lists["B2"] == f"lists!$B$2:$B${n_opts + 1}"
    assert wb["lists"].sheet_state == "hidden"
    # 180 score rows in file order
    scores = wb["Skårer"]
    assert scores["C2"].value == "legal-robustness" and scores["F2"].value == 10 and scores.max_row >= 181


def test_edit_changes_exactly_the_edited_values(case_copy: Path, tmp_path: Path) -> None:
    xlsx = export_workbook(case_copy, tmp_path / "case.xlsx", "nb")
    wb = load_workbook(xlsx)
    wb["Skårer"]["E2"] = "8,5"  # likely of the first score, typed as text with a decimal comma
    crit = wb["Kriterier"]
    assert crit["B2"].value == "legal-robustness"
    crit["I2"] = "1 3"  # weight 12 -> 13, typed with a (thousands) space
    crit["C2"] = "Juridisk robusthet – æøå"
    wb["Alternativer"]["H2"] = "=SUM(A1:A2) is text here"
    wb["Alternativer"]["H2"].data_type = "s"
    wb.save(xlsx)
    before = _texts(tmp_path / "criteria")
    changed = import_workbook(xlsx, case_copy)
    assert sorted(p.name for p in changed) == ["contract-strategy.yaml", "options.csv", "scores.csv"]
    old = (EXAMPLE / "scores.csv").read_text(encoding="utf-8").splitlines()
    new = (case_copy / "scores.csv").read_text(encoding="utf-8").splitlines()
    assert [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b] == [1]
    assert new[1].startswith("contract-strategy,zero,legal-robustness,8,8.5,10,")
    yaml_old = before["contract-strategy.yaml"].splitlines()
    yaml_new = (tmp_path / "criteria" / "contract-strategy.yaml").read_text(encoding="utf-8").splitlines()
    diff = [(a, b) for a, b in zip(yaml_old, yaml_new, strict=True) if a != b]
    assert diff == [
        ('    label: {nb: "Juridisk robusthet", en: "Legal robustness"}',
         '    label: {nb: "Juridisk robusthet – æøå", en: "Legal robustness"}'),
        ("    weight: 12", "    weight: 13"),
    ]
    case = load_case(case_copy)
    d = case.decision("contract-strategy")
    assert d.criterion("legal-robustness").weight == 13
    assert d.option("zero").notes == "=SUM(A1:A2) is text here"
    s = d.scores.set_index(["option", "criterion"]).loc[("zero", "legal-robustness")]
    assert (s["low"], s["likely"], s["high"]) == (8, 8.5, 10)


def test_three_planted_errors_three_lines_nothing_written(case_copy: Path, tmp_path: Path) -> None:
    xlsx = export_workbook(case_copy, tmp_path / "case.xlsx", "en")
    wb = load_workbook(xlsx)
    ws = wb["Scores"]
    assert ws["C3"].value == "legal-robustness" and ws["C5"].value == "legal-robustness"
    ws["C3"] = "legal-robustnes"  # a misspelt criterion id
    ws["E5"] = 9  # most likely 9 above its high 8 (dialogue-total 7/8/9 -> modular-lots 6/7/8)
    assert ws["F5"].value == 8
    ws["D7"] = "7,5"  # a decimal comma in a text cell of an English workbook
    wb.save(xlsx)
    before = _texts(tmp_path)
    with pytest.raises(InputError) as err:
        import_workbook(xlsx, case_copy)
    lines = [str(p) for p in err.value.problems]
    assert len(lines) == 3, lines
    assert lines[0].startswith(f"{xlsx}: sheet 'Scores', row 7, column D 'low (criterion scale)': '7,5' has a decimal comma")
    assert "write 7.5" in lines[0]
    assert lines[1].startswith(f"{xlsx}: sheet 'Scores', row 3, column C 'criterion': unknown criterion 'legal-robustnes'")
    assert "did you mean 'legal-robustness'?" in lines[1]
    assert lines[2].startswith(f"{xlsx}: sheet 'Scores', row 5, column E 'most likely (criterion scale)': low 6, likely 9, "
                               "high 8 are out of order")
    assert all("\n" not in line for line in lines)
    assert _texts(tmp_path) == before  # nothing written


def _last_row(ws) -> int:
    return max(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value not in (None, ""))


def _copy_row(ws, src: int, dst: int, **changes) -> None:
    for c in range(1, ws.max_column + 1):
        ws.cell(row=dst, column=c, value=ws.cell(row=src, column=c).value)
    for col, value in changes.items():
        ws[f"{col}{dst}"] = value


@pytest.mark.parametrize("plant", ["criterion twice", "unknown decision", "rubric of no criterion", "rubric level twice",
                                   "stakeholder without id", "stakeholder twice"])
def test_import_refuses_rows_it_would_drop_or_let_overwrite_another(case_copy: Path, tmp_path: Path, plant: str) -> None:
    """Issue 26: import dropped or overwrote such rows without a word (a duplicate criterion row's weight 12 became
    99; a row with a misspelt decision vanished). Each is now one line naming sheet, row and column; nothing is
    written."""
    xlsx = export_workbook(case_copy, tmp_path / "case.xlsx", "en")
    wb = load_workbook(xlsx)
    sheet = {"criterion twice": "Criteria", "unknown decision": "Criteria", "rubric of no criterion": "Rubric",
             "rubric level twice": "Rubric", "stakeholder without id": "Stakeholders",
             "stakeholder twice": "Stakeholders"}[plant]
    ws = wb[sheet]
    last = _last_row(ws)
    changes = {"criterion twice": {"F": 99}, "unknown decision": {"A": "contract-stratgy", "B": "new-criterion"},
               "rubric of no criterion": {"B": "no-such-criterion"}, "rubric level twice": {"D": "other text"},
               "stakeholder without id": {"A": None, "B": "Ny gruppe"}, "stakeholder twice": {}}[plant]
    _copy_row(ws, 2, last + 1, **changes)
    wb.save(xlsx)
    before = _texts(tmp_path)
    with pytest.raises(InputError) as err:
        import_workbook(xlsx, case_copy)
    lines = [str(p) for p in err.value.problems]
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{xlsx}: sheet '{sheet}', row {last + 1}, column "), lines[0]
    assert "refused: " in lines[0]
    assert _texts(tmp_path) == before


def test_a_bad_cash_flow_number_names_its_column_as_the_sheet_shows_it(case_copy: Path, tmp_path: Path) -> None:
    """Issue 26: a bad number in column F of the cash-flow sheet printed the header with unfilled placeholders,
    'most likely ({unit}, real {year})'; the line must show the header the reader sees in the workbook."""
    xlsx = export_workbook(case_copy, tmp_path / "case.xlsx", "nb")
    wb = load_workbook(xlsx)
    ws = wb["Kontantstrømmer"]
    header = ws["F1"].value
    assert header == "mest sannsynlig (MNOK, faste 2024-kroner)"
    ws["F3"] = "abc"
    wb.save(xlsx)
    with pytest.raises(InputError) as err:
        import_workbook(xlsx, case_copy)
    (line,) = [str(p) for p in err.value.problems]
    assert f"sheet 'Kontantstrømmer', row 3, column F '{header}': 'abc' is not a number" in line
    assert "{" not in line


@pytest.mark.parametrize(("text", "language", "value"), [
    ("7,5", "nb", 7.5), ("12 500", "nb", 12500), ("12\u00a0500,25", "nb", 12500.25), ("1.234,5", "nb", 1234.5),
    ("7.5", "nb", 7.5), ("12,500", "en", 12500), ("7.5", "en", 7.5), (" 3 ", "en", 3), (4, "en", 4),
])
def test_numbers_as_typed(text, language, value) -> None:
    assert cells.parse_number(text, language) == value


@pytest.mark.parametrize(("text", "language"), [("1.500", "nb"), ("7,5", "en"), ("sju", "nb"), ("1,2,3", "nb")])
def test_ambiguous_or_bad_numbers_are_reported(text, language) -> None:
    assert isinstance(cells.parse_number(text, language), cells.Bad)


def test_broken_sheet_is_reported(case_copy: Path, tmp_path: Path) -> None:
    xlsx = export_workbook(case_copy, tmp_path / "case.xlsx", "en")
    wb = load_workbook(xlsx)
    del wb["Profiles"]
    wb.save(xlsx)
    with pytest.raises(InputError) as err:
        import_workbook(xlsx, case_copy)
    assert [str(p) for p in err.value.problems] == [
        f"{xlsx}: sheet 'Profiles': is missing (export the case again with procurement export, and keep every sheet)"
    ]


def test_a_case_without_cash_flows_or_profiles_gets_no_empty_files(tmp_path: Path) -> None:
    from procurement.casebook.scaffold import new_case

    case_dir = tmp_path / "small"
    new_case(case_dir, "choice", "Small", "en")
    (case_dir / "cashflows.csv").unlink()
    (case_dir / "profiles.csv").unlink()
    xlsx = export_workbook(case_dir, tmp_path / "small.xlsx")
    assert load_workbook(xlsx).sheetnames[0] == "About this workbook"  # the default scenario's language
    assert import_workbook(xlsx, case_dir) == []
    assert not (case_dir / "cashflows.csv").exists() and not (case_dir / "profiles.csv").exists()


def test_a_semicolon_file_with_decimal_commas_keeps_its_habits(tmp_path: Path) -> None:
    from procurement.casebook.scaffold import new_case

    case_dir = tmp_path / "semi"
    new_case(case_dir, "choice", "Semi", "nb")
    scores = case_dir / "scores.csv"
    text = scores.read_text(encoding="utf-8")
    lines = text.splitlines()
    head = [line for line in lines if line.startswith("#")]
    body = [";".join(f'"{f}"' if " " in f else f for f in fields)
            for fields in csv.reader(line for line in lines if not line.startswith("#"))]
    body[1] = body[1].replace(";2;3;4;", ";2,5;3;4;")  # zero, quality: low 2,5 with a decimal comma
    scores.write_text("\n".join(head + body) + "\n", encoding="utf-8")
    before = scores.read_text(encoding="utf-8")
    assert load_case(case_dir).decision("choice").scores.iloc[0]["low"] == 2.5
    xlsx = export_workbook(case_dir, tmp_path / "semi.xlsx")
    assert import_workbook(xlsx, case_dir) == []
    assert scores.read_text(encoding="utf-8") == before
    wb = load_workbook(xlsx)
    wb["Skårer"]["E3"] = "201,5"  # zero, cost: most likely 200 -> 201,5
    wb.save(xlsx)
    assert import_workbook(xlsx, case_dir) == [scores]
    changed = [(a, b) for a, b in zip(before.splitlines(), scores.read_text(encoding="utf-8").splitlines(), strict=True)
               if a != b]
    assert len(changed) == 1 and changed[0][1].startswith("choice;zero;cost;150;201,5;260;")


def test_problems_in_the_criteria_and_other_sheets_name_sheet_row_and_column(tmp_path: Path) -> None:
    from procurement.casebook.scaffold import new_case

    case_dir = tmp_path / "small"
    new_case(case_dir, "choice", "Small", "en")
    xlsx = export_workbook(case_dir, tmp_path / "small.xlsx")
    wb = load_workbook(xlsx)
    crit = wb["Criteria"]
    assert (crit["B2"].value, crit["B3"].value) == ("quality", "cost")
    crit["G2"] = "maxx"
    crit["L3"] = 2000  # cost: min above max 1000
    wb["Rubric"]["C2"] = 11  # quality's level 0 -> 11, outside 0-10
    wb["Options"]["B3"] = "open tender"
    wb.save(xlsx)
    before = _texts(case_dir)
    with pytest.raises(InputError) as err:
        import_workbook(xlsx, case_dir)
    lines = [str(p).removeprefix(f"{xlsx}: ") for p in err.value.problems]
    assert lines[:4] == [
        "sheet 'Criteria', row 2, column G 'direction (max: higher is better)': 'maxx' is not allowed: should be 'max' or 'min'",
        "sheet 'Rubric', criterion 'quality': rubric levels [11.0] lie outside the scale 0–10",
        "sheet 'Criteria', row 3, column L 'scale min (unit)': min (2000) must be below max (1000)",
        "sheet 'Options', row 3, column B 'id (a-z, æøå, 0-9, -)': 'open tender' is not a valid option id: holds a space "
        "(U+0020 SPACE) (use lower-case letters, digits and '-', a '-' for a space, e.g. 'open-tender')",
    ]
    # what the loader leaves unchecked after a bad options file is told in sheets, not in the files behind them
    assert all(line.startswith("sheet '") and ".csv" not in line and ".import-" not in line for line in lines)
    assert _texts(case_dir) == before


def test_formula_looking_text_stays_text_and_a_formula_without_a_value_is_reported(tmp_path: Path) -> None:
    from procurement.casebook.scaffold import new_case

    case_dir = tmp_path / "small"
    new_case(case_dir, "choice", "Small", "en")
    scores = case_dir / "scores.csv"
    scores.write_text(scores.read_text(encoding="utf-8").replace(
        '"Today\'s solution meets only part of the need (illustrative; replace)."', '"=SUM(A1:A9) as the supplier wrote"'),
        encoding="utf-8")
    xlsx = export_workbook(case_dir, tmp_path / "small.xlsx")
    cell = load_workbook(xlsx)["Scores"]["G2"]
    assert (cell.value, cell.data_type) == ("=SUM(A1:A9) as the supplier wrote", "s")
    assert import_workbook(xlsx, case_dir) == []
    assert load_case(case_dir).decision("choice").scores.iloc[0]["rationale"] == "=SUM(A1:A9) as the supplier wrote"
    wb = load_workbook(xlsx)
    wb["Scores"]["E2"] = "=D2+1"  # a real formula; openpyxl saves no value for it
    wb.save(xlsx)
    with pytest.raises(InputError) as err:
        import_workbook(xlsx, case_dir)
    assert [str(p) for p in err.value.problems] == [
        f"{xlsx}: sheet 'Scores', row 2, column E 'most likely (criterion scale)': holds a formula (=D2+1) without a saved "
        "value (type the value, or open and save the workbook in Excel)"]
