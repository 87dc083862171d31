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
    a = nbformat.v4.new_code_cell("print(1)", execution_count=1, outputs=[nbformat.v4.new_output("stream", name="stdout", text="1\n")])
    b = nbformat.v4.new_code_cell(f"{CHECK_MARK}\nprint(2)", execution_count=2,
                                  outputs=[nbformat.v4.new_output("stream", name="stdout", text="2\n")])
    a.metadata["execution"] = {"iopub.status.busy": "2026-01-01"}
    nb.cells = [a, b]
    out = mod.strip(nb)
    assert out.metadata["kernelspec"]["name"] == "python3" and "widgets" not in out.metadata
    assert out.cells[0].outputs == [] and out.cells[0].execution_count is None and "execution" not in out.cells[0].metadata
    assert out.cells[1].outputs[0]["text"] == "2\n" and out.cells[1].execution_count == 2
