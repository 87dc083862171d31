"""Committed notebooks carry no stray outputs and run on the kernel python3.

Only cells marked ``# NBVAL_CHECK_OUTPUT`` keep outputs (nbval's reference),
with their execution count; every other cell is stripped. Fix a failure with
``.venv/bin/python scripts/strip_notebooks.py`` (or ``--execute`` to refresh
the reference outputs).
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
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


def _git(repo: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(repo), "PATH": os.environ.get("PATH", "")}
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def _save_as_jupyterlab_does(repo: Path, name: str, nb) -> None:
    """Save `nb` through the Jupyter server's contents manager with the environment's server configuration (the
    pre-save hook `make env` registers), as JupyterLab's autosave does."""
    from jupyter_server.serverapp import ServerApp
    from jupyter_server.services.contents.filemanager import FileContentsManager

    app = ServerApp()
    app.load_config_file()
    manager = FileContentsManager(config=app.config, root_dir=str(repo))
    manager.save({"type": "notebook", "format": "json", "content": nb}, f"notebooks/{name}")


def test_a_workbench_run_twice_and_autosaved_leaves_git_status_clean(tmp_path):
    """Issue 25: running the workbench's start cell a second time failed, and JupyterLab autosaved the traceback
    into the tracked notebook. Here every cell of 00-workbench runs twice in one kernel (as "Run all" twice in
    JupyterLab) and gets a traceback and widget state besides; saved as JupyterLab saves it, `git status` shows
    nothing; written by any other editor, git's clean filter (.gitattributes) stages nothing."""
    from nbclient import NotebookClient

    source = ROOT / "notebooks" / "00-workbench.ipynb"
    repo = tmp_path / "repo"
    (repo / "notebooks").mkdir(parents=True)
    shutil.copy(source, repo / "notebooks" / source.name)
    for name in (".gitattributes", ".gitignore"):  # the project's: what git keeps stripped, and what it ignores
        shutil.copy(ROOT / name, repo / name)
    _git(repo, "init", "-q")
    _git(repo, "config", "filter.notebooks-stripped.clean",
         f"{sys.executable} {ROOT / 'scripts' / 'strip_notebooks.py'} --filter")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "clean notebooks")

    nb = nbformat.read(str(source), as_version=4)
    client = NotebookClient(nb, kernel_name="python3", timeout=600, resources={"metadata": {"path": str(source.parent)}})
    with client.setup_kernel():
        for _ in range(2):  # raises CellExecutionError when a cell fails
            for i, cell in enumerate(nb.cells):
                client.execute_cell(cell, i)
    assert any(cell.get("outputs") for cell in nb.cells if CHECK_MARK not in cell.source)
    nb.cells[1].outputs.append(nbformat.v4.new_output("error", ename="ParameterError", evalue="parameter 'wb'",
                                                      traceback=["Traceback (most recent call last)"]))
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    target = repo / "notebooks" / source.name

    _save_as_jupyterlab_does(repo, source.name, nb)
    assert _git(repo, "status", "--porcelain") == ""
    assert target.read_bytes() == source.read_bytes()

    nbformat.write(nb, str(target))  # another editor: the file holds it all, but git stores it stripped
    assert "Traceback" in target.read_text(encoding="utf-8")
    _git(repo, "add", "-A")
    assert _git(repo, "diff", "--cached", "--stat") == ""
    _git(repo, "config", "--unset", "filter.notebooks-stripped.clean")
    target.touch()
    _git(repo, "add", "-A")  # the test can fail: without the filter the outputs would be staged
    assert "00-workbench.ipynb" in _git(repo, "diff", "--cached", "--stat")
