"""Committed notebooks carry no stray outputs and run on the kernel python3.

Only cells marked ``# NBVAL_CHECK_OUTPUT`` keep outputs (nbval's reference),
with their execution count; every other cell is stripped. Fix a failure with
``.venv/bin/python scripts/strip_notebooks.py`` (or ``--execute`` to refresh
the reference outputs).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CHECK_MARK = "# NBVAL_CHECK_OUTPUT"


def _strip_module():
    spec = importlib.util.spec_from_file_location("strip_notebooks", ROOT / "scripts" / "strip_notebooks.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_kernel_is_python3(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"].get("kernelspec", {}).get("name") == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_stray_outputs(path):
    nb = nbformat.read(str(path), as_version=4)
    stray = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        checked = CHECK_MARK in cell.source
        if not checked and (cell.outputs or cell.execution_count is not None):
            stray.append(f"cell {i} has outputs or an execution count but is not marked {CHECK_MARK}")
        if checked and cell.outputs and cell.execution_count is None:
            stray.append(f"cell {i} keeps outputs without an execution count (nbval: 'Unrun reference cell has outputs')")
        if checked and any(o.get("output_type") == "error" for o in cell.outputs):
            stray.append(f"cell {i} keeps an error as its reference output")
    assert not stray, f"{path.name}: " + "; ".join(stray)
    assert "widgets" not in nb.metadata and "papermill" not in nb.metadata


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stripping_changes_nothing(path):
    mod = _strip_module()
    nb = nbformat.read(str(path), as_version=4)
    assert nbformat.writes(mod.strip(nb)) == nbformat.writes(nb), f"run scripts/strip_notebooks.py {path}"


def test_strip_keeps_only_checked_outputs():
    mod = _strip_module()
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "my-venv", "display_name": "x", "language": "python"}
    nb.metadata["widgets"] = {"state": {}}
    a = nbformat.v4.new_code_cell("print(1)", execution_count=1,
                                  outputs=[nbformat.v4.new_output("stream", name="stdout", text="1\n")])
    b = nbformat.v4.new_code_cell(f"{CHECK_MARK}\nprint(2)", execution_count=2,
                                  outputs=[nbformat.v4.new_output("stream", name="stdout", text="2\n")])
    a.metadata["execution"] = {"iopub.status.busy": "2026-01-01"}
    nb.cells = [a, b]
    out = mod.strip(nb)
    assert out.metadata["kernelspec"]["name"] == "python3" and "widgets" not in out.metadata
    assert out.cells[0].outputs == [] and out.cells[0].execution_count is None and "execution" not in out.cells[0].metadata
    assert out.cells[1].outputs[0]["text"] == "2\n" and out.cells[1].execution_count == 2


# --- bilingual prose ----------------------------------------------------------------------------------------
# Every Markdown cell with prose comes as a pair: English tagged "en", then the same content in bokmål tagged
# "nb" (and, in the municipality paper, then in nynorsk tagged "nn"). procurement.report.htmlreport keeps the cells
# of the page's language and drops the others'.
LANGUAGE_TAGS = ("en", "nb", "nn")


def _language(cell) -> str | None:
    tags = [t for t in cell.metadata.get("tags", []) if t in LANGUAGE_TAGS]
    assert len(tags) <= 1, f"cell {cell.get('id')} is tagged with more than one language: {tags}"
    return tags[0] if tags else None


def _structure(source: str) -> dict:
    """What must be the same in both languages: heading levels, list items, code spans and links."""
    import re

    return {
        "headings": [len(m.group(1)) for m in re.finditer(r"^(#+)\s", source, re.M)],
        "list items": len(re.findall(r"^\s*(?:[*+-]|\d+\.)\s", source, re.M)),
        "code": sorted(re.findall(r"`([^`]+)`", source)),
        "links": sorted(re.findall(r"\]\(([^)\s]+)", source)),
    }


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_prose_comes_in_english_and_bokmal_pairs(path):
    cells = nbformat.read(str(path), as_version=4).cells
    problems = []
    for i, cell in enumerate(cells):
        lang = _language(cell)
        if lang is not None and cell.cell_type != "markdown":
            problems.append(f"cell {i} ({cell.get('id')}) is a {cell.cell_type} cell with language tag {lang!r}")
        if lang == "en":
            nxt = cells[i + 1] if i + 1 < len(cells) else None
            if nxt is None or nxt.cell_type != "markdown" or _language(nxt) != "nb":
                problems.append(f"cell {i} ({cell.get('id')}) tagged 'en' is not followed by a Markdown cell tagged 'nb'")
            elif _structure(cell.source) != _structure(nxt.source):
                problems.append(f"cells {i}/{i + 1} ({cell.get('id')}): the 'en' and 'nb' versions differ in headings, "
                                f"lists, code or links: {_structure(cell.source)} vs {_structure(nxt.source)}")
        if lang == "nb":
            prev = cells[i - 1] if i > 0 else None
            if prev is None or prev.cell_type != "markdown" or _language(prev) != "en":
                problems.append(f"cell {i} ({cell.get('id')}) tagged 'nb' does not follow a Markdown cell tagged 'en'")
        if lang == "nn":
            prev = cells[i - 1] if i > 0 else None
            if prev is None or prev.cell_type != "markdown" or _language(prev) != "nb":
                problems.append(f"cell {i} ({cell.get('id')}) tagged 'nn' does not follow a Markdown cell tagged 'nb'")
            elif _structure(cell.source) != _structure(prev.source):
                problems.append(f"cells {i - 1}/{i} ({cell.get('id')}): the 'nb' and 'nn' versions differ")
    assert not problems, f"{path.name}: " + "; ".join(problems)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_untagged_markdown_has_no_prose(path):
    """An untagged Markdown cell shows in both languages' reports, so it may hold only formulas or code."""
    import re

    for i, cell in enumerate(nbformat.read(str(path), as_version=4).cells):
        if cell.cell_type != "markdown" or _language(cell) is not None:
            continue
        text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$|`[^`]*`", " ", cell.source, flags=re.S)
        assert not re.search(r"[^\W\d_]{3,}", text), (
            f"{path.name} cell {i} ({cell.get('id')}) has prose but no language tag: tag it 'en' and add a 'nb' cell after it")


def test_pair_check_catches_a_missing_translation(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("## Ranking", metadata={"tags": ["en"]}),
                nbformat.v4.new_code_cell("x = 1")]
    path = tmp_path / "one-language.ipynb"
    nbformat.write(nb, str(path))
    with pytest.raises(AssertionError, match="not followed by a Markdown cell tagged 'nb'"):
        test_prose_comes_in_english_and_bokmal_pairs(path)
    nb.cells.insert(1, nbformat.v4.new_markdown_cell("### Rangering", metadata={"tags": ["nb"]}))
    nbformat.write(nb, str(path))
    with pytest.raises(AssertionError, match="differ in headings"):
        test_prose_comes_in_english_and_bokmal_pairs(path)
    nb.cells[1].source = "## Rangering"
    nbformat.write(nb, str(path))
    test_prose_comes_in_english_and_bokmal_pairs(path)
