"""Tracked notebooks stay clean however they are saved: the strip rules, and JupyterLab's pre-save hook.

The report notebooks and the workbench notebook are kept in git without outputs, except the reference outputs nbval
compares (cells marked ``# NBVAL_CHECK_OUTPUT``). JupyterLab autosaves what a person runs, a traceback included
(issue 25: a failed start cell was autosaved into the tracked ``00-workbench.ipynb``). Two guards use the rules
below: git's clean filter (``scripts/strip_notebooks.py --filter``, ``.gitattributes``) for any editor, and
:func:`pre_save_hook` for the Jupyter server, which ``make env`` registers in the environment's
``etc/jupyter/jupyter_server_config.json`` (``python -m procurement.app.savehook``, :func:`install`) so the file on
disk never changes by a run. Written here, not taken from nbstripout: the reference cells keep their outputs
with a stable execution count, which nbstripout's ``keep_output`` does not renumber, and a Jupyter pre-save hook
needs the rules as a function.

Rules:

* a code cell whose source contains ``# NBVAL_CHECK_OUTPUT`` keeps its outputs (never an error) and an execution
  count (nbval refuses a reference cell with outputs but no count: "Unrun reference cell has outputs"), numbered as
  in one full run from the top, so running the notebook again changes nothing; every other code cell has no outputs
  and no execution count;
* cell metadata added by papermill or Jupyter on execution (``execution``, ``papermill``, ``collapsed``,
  ``scrolled``) is removed, as are notebook metadata ``papermill`` and saved ``widgets`` state;
* the kernel is ``python3`` and ``language_info`` is reduced to its name, so a notebook saved on another machine
  does not change.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

import nbformat

#: The attribute line that marks a project whose tracked notebooks are kept stripped.
FILTER = "filter=notebooks-stripped"

CHECK_MARK = "# NBVAL_CHECK_OUTPUT"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
DROP_CELL_METADATA = ("execution", "papermill", "collapsed", "scrolled", "ExecuteTime")
DROP_NB_METADATA = ("papermill", "widgets", "toc", "varInspector")


def is_checked(cell) -> bool:
    return cell.cell_type == "code" and CHECK_MARK in cell.source


def strip(nb):
    """A stripped copy of `nb` (the rules of the module docstring)."""
    nb = copy.deepcopy(nb)
    for key in DROP_NB_METADATA:
        nb.metadata.pop(key, None)
    spec = nb.metadata.get("kernelspec") or {}
    if spec.get("name") != "python3" or not spec.get("display_name"):
        spec = dict(KERNELSPEC)
    nb.metadata["kernelspec"] = {**spec, "name": "python3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    code_cells = 0
    for cell in nb.cells:
        for key in DROP_CELL_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type != "code":
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
            continue
        code_cells += 1
        if is_checked(cell):
            _keep_reference(cell, code_cells)  # numbered as in a first full run from the top
        else:
            cell.outputs = []
            cell.execution_count = None
    return nb


def _keep_reference(cell, count: int) -> None:
    """A reference cell: its outputs without an error or output metadata, all numbered `count`."""
    cell.outputs = [out for out in cell.outputs if out.get("output_type") != "error"]
    cell.execution_count = count if cell.outputs else None
    for out in cell.outputs:
        if "metadata" in out:
            out["metadata"] = {}
        if "execution_count" in out:
            out["execution_count"] = count



def kept_stripped(os_path: str | Path) -> bool:
    """Whether the notebook at `os_path` is one of a project's tracked notebooks: in a folder ``notebooks`` whose
    project's ``.gitattributes`` strips them."""
    path = Path(os_path).resolve()
    attributes = path.parent.parent / ".gitattributes"
    if path.suffix != ".ipynb" or path.parent.name != "notebooks" or not attributes.is_file():
        return False
    return FILTER in attributes.read_text(encoding="utf-8", errors="replace")


def pre_save_hook(model: dict[str, Any], path: str, contents_manager: Any, **_: Any) -> None:
    """Jupyter server's pre-save hook: a tracked notebook is written stripped (the person keeps seeing the outputs
    in the browser; the file, and so git, never holds them)."""
    if model.get("type") != "notebook" or "content" not in model:
        return
    if kept_stripped(Path(contents_manager.root_dir, path.strip("/"))):
        model["content"] = strip(nbformat.from_dict(model["content"]))


HOOK = "procurement.app.savehook.pre_save_hook"


def install(prefix: str | Path = sys.prefix) -> Path:
    """Register :func:`pre_save_hook` in the Jupyter server configuration of the environment at `prefix` (merged into
    ``etc/jupyter/jupyter_server_config.json``; other settings there are kept). Returns the file."""
    path = Path(prefix) / "etc" / "jupyter" / "jupyter_server_config.json"
    config = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    config.setdefault("ContentsManager", {})["pre_save_hook"] = HOOK
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    print(f"Jupyter keeps the tracked notebooks stripped: {install()}")
