"""Every table a report notebook shows gets a sheet name in the reader's language (issue 25: four sheets of
results.xlsx were named by their English ids in a bokmål report)."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from procurement.report.excel import SHEET_NAMES, sheet_names, sheet_title

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("0*.ipynb"))


def shown_tables(path: Path) -> set[str]:
    """The names given to ``report.show(table, "name", ...)`` in a notebook's code cells."""
    names = set()
    for cell in nbformat.read(str(path), as_version=4).cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "show"
                    and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant)):
                names.add(node.args[1].value)
    return names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_shown_table_has_a_sheet_name_in_both_languages(path):
    missing = sorted(n for n in shown_tables(path) if n not in SHEET_NAMES)
    assert not missing, f"{path.name}: tables without a sheet name: {missing}"


def test_the_cost_benefit_notebook_shows_the_financing_tables():
    names = shown_tables(next(p for p in NOTEBOOKS if p.stem == "04-cost-benefit"))
    assert {"financing", "per-inhabitant", "uptake", "uptake-scenarios"} <= names
    assert [sheet_title(n, "nb") for n in ("financing", "per-inhabitant", "uptake", "uptake-scenarios")] == [
        "Finansiering", "Per innbygger", "Oppslutning", "Oppslutningsscenarioer"]


def test_sheet_names_are_valid_excel_names():
    names = sheet_names([sheet_title(n, lang) for n in SHEET_NAMES for lang in ("nb", "en")])
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
