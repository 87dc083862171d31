"""The workbook writer on a hand-made table: units, number formats, Excel dates, sheet names, about sheet."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from procurement.report import excel


def _table() -> excel.PublishedTable:
    frame = pd.DataFrame(
        {
            "Navn": ["Alfa", "Beta"],
            "Nåverdi": [-1234.5678, 250.0],
            "Andel først": [0.6123, 0.3877],
            "Måneder": [14.44, 20.0],
            "Kontrakt": ["2027-03-01", "2026-10-24"],
            "Rangering": [1, 2],
            "Skår": [0.71234, 0.5],
        }
    )
    kinds = excel.column_kinds(
        frame.rename(columns={"Nåverdi": "npv", "Andel først": "first", "Måneder": "months", "Kontrakt": "contract",
                              "Rangering": "rank_wsm", "Skår": "score_wsm"}),
        frame.columns,
    )
    return excel.PublishedTable("npv", "npv", "04-cost-benefit", frame, kinds)


def test_column_kinds_from_ids():
    t = _table()
    assert t.kinds == {"Navn": "text", "Nåverdi": "money", "Andel først": "percent", "Måneder": "months",
                       "Kontrakt": "date", "Rangering": "integer", "Skår": "decimal"}


def test_workbook_formats(tmp_path):
    import openpyxl

    about = [("Scenario", "default"), ("Startet", dt.datetime(2026, 12, 1, 16, 5)), ("SHA-256: data/x.csv", "ab" * 32)]
    path = excel.write_workbook([_table()], tmp_path / "r.xlsx", language="nb", about=about)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Om kjøringen", "Innhold", "Nåverdi"]
    ws = wb["Nåverdi"]
    assert [c.value for c in ws[1]] == ["Navn", "Nåverdi (MNOK)", "Andel først (%)", "Måneder", "Kontrakt", "Rangering", "Skår"]
    row = {ws.cell(1, j).value: ws.cell(2, j) for j in range(1, 8)}
    assert row["Nåverdi (MNOK)"].value == -1234.5678 and row["Nåverdi (MNOK)"].number_format == "#,##0.0"
    assert row["Andel først (%)"].value == 0.6123 and row["Andel først (%)"].number_format == "0.0%"
    assert row["Måneder"].number_format == "#,##0.0"
    assert row["Kontrakt"].value == dt.datetime(2027, 3, 1) and row["Kontrakt"].number_format == "dd.mm.yyyy"
    assert row["Rangering"].value == 1 and row["Rangering"].number_format == "#,##0"
    assert row["Skår"].number_format == "#,##0.00"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:G3"
    assert all(ws.column_dimensions[c].width >= 9 for c in "ABCDEFG")
    info = wb["Om kjøringen"]
    assert info["B3"].value == dt.datetime(2026, 12, 1, 16, 5) and info["B3"].number_format == "dd.mm.yyyy hh:mm"
    contents = wb["Innhold"]
    assert contents["A2"].value == "Nåverdi" and contents["A2"].hyperlink.location == "'Nåverdi'!A1"


def test_english_workbook_has_english_sheet_names_and_dates(tmp_path):
    import openpyxl

    path = excel.write_workbook([_table()], tmp_path / "r.xlsx", language="en")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Contents", "NPV"]
    assert wb["NPV"]["E2"].number_format == "d mmm yyyy"


def test_sheet_names_are_valid_and_unique():
    names = excel.sheet_names(["a/b:c", "x" * 40, "x" * 40, "Innhold"], reserved=("Innhold",))
    assert names == ["a-b-c", "x" * 31, "x" * 29 + "-2", "Innhold-2"]


def test_years_are_written_without_digit_grouping_and_negatives_with_the_minus_sign(tmp_path):
    """Issue 25: the enforcement table of report 04 showed the year as "2 026" and a loss as "-596,9". By hand:
    a calendar year is written 2026 in both languages; a negative amount in bokmål takes U+2212 (CLDR's nb minus)."""
    import openpyxl

    from procurement.report.notebook import ResultTable

    frame = pd.DataFrame({"option": ["a", "b"], "year": [2026, 2031], "mnok": [-596.9, 12.0]})
    assert excel.column_kinds(frame)["year"] == "year"
    nb, en = ResultTable(frame, language="nb", decimals=1), ResultTable(frame, language="en", decimals=1)
    assert nb.cell(2026, "year") == en.cell(2026, "year") == "2026"
    assert "2\u00a0026" not in nb._repr_html_()
    assert "\u2212596,9" in nb._repr_html_() and "-596.9" in en._repr_html_()
    published = excel.PublishedTable("risk", "risk", "04-cost-benefit", frame, excel.column_kinds(frame))
    ws = openpyxl.load_workbook(excel.write_workbook([published], tmp_path / "r.xlsx", language="nb")).worksheets[-1]
    years = [c for row in ws.iter_rows(min_row=2) for c in row if c.value in (2026, 2031)]
    assert len(years) == 2 and all(c.number_format == "0" for c in years)


def test_sheets_print_on_a4_fit_to_width_with_the_header_row_on_every_page(tmp_path):
    """Issue 25: results.xlsx printed on 117 pages with labels and values apart, and wrapped headers overlapped the
    first row. Checked against what openpyxl reads back from the file (the OOXML page setup a spreadsheet prints by)."""
    import openpyxl

    wide = pd.DataFrame({f"Nåverdi alternativ {i} (MNOK)": [1.0, 2.0] for i in range(14)})
    tables = [_table(), excel.PublishedTable("npv-wide", "npv-wide", "04-cost-benefit", wide, {})]
    path = excel.write_workbook(tables, tmp_path / "r.xlsx", language="nb", about=[("Scenario", "default")])
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        assert ws.page_setup.paperSize == 9, ws.title  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1, ws.title
        assert ws.page_setup.fitToHeight == 0, ws.title  # as many pages down as needed
        assert ws.print_title_rows == "$1:$1", ws.title
    assert wb["Nåverdi"].page_setup.orientation == "portrait"  # 7 columns fit
    assert wb["npv-wide"].page_setup.orientation == "landscape"  # 14 columns do not
    # "Nåverdi alternativ 0 (MNOK)" wraps onto more than one line in its column: the header row is made taller
    assert wb["npv-wide"].row_dimensions[1].height >= 30


def test_the_run_sheet_shows_one_parameter_per_row():
    class Plan:
        name, description = "default", ""
        root = case_dir = scenario_file = __import__("pathlib").Path("/nowhere")
        parameters = {"samples": 10000, "uncertainty": {"spread": 0.2, "scores": "triangular"}, "methods": ["wsm"]}
        inputs: list = []

    rows = dict(excel.about_run(Plan(), "2026-12-06T08:00:00+00:00", "nb"))
    assert rows["Parameter: uncertainty.spread"] == 0.2
    assert rows["Parameter: uncertainty.scores"] == "triangular"
    assert rows["Parameter: methods"] == "wsm" and rows["Parameter: samples"] == 10000
    assert not any(isinstance(v, str) and v.startswith("{") for v in rows.values())
