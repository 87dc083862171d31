#!/usr/bin/env python
"""Strip notebook outputs before commit, keeping the nbval reference outputs.

Usage (from the project folder)::

    .venv/bin/python scripts/strip_notebooks.py                 # strip notebooks/*.ipynb in place
    .venv/bin/python scripts/strip_notebooks.py --execute       # run each notebook first, then strip
    .venv/bin/python scripts/strip_notebooks.py --check         # exit 1 and list notebooks that need stripping

Rules (the same ones ``tests/test_notebooks_clean.py`` enforces):

* a code cell whose source contains ``# NBVAL_CHECK_OUTPUT`` keeps its outputs
  *and its execution count* (nbval refuses a reference cell with outputs but
  no count: "Unrun reference cell has outputs"); every other code cell has no
  outputs and no execution count;
* cell metadata added by papermill or Jupyter on execution (``execution``,
  ``papermill``, ``collapsed``, ``scrolled``) is removed, as are notebook
  metadata ``papermill`` and saved ``widgets`` state;
* the kernel is ``python3`` and ``language_info`` is reduced to its name, so
  a notebook saved on another machine does not change.

``--execute`` runs each notebook with its default parameters the way nbval
does (kernel ``python3`` from the current environment, the notebook's folder
as working directory), so the kept outputs are exactly what nbval will
compare. It is the same effect as nbstripout with ``keep_output`` on the
checked cells and ``--keep-count``.
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path

import nbformat

CHECK_MARK = "# NBVAL_CHECK_OUTPUT"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
DROP_CELL_METADATA = ("execution", "papermill", "collapsed", "scrolled", "ExecuteTime")
DROP_NB_METADATA = ("papermill", "widgets", "toc", "varInspector")


def is_checked(cell) -> bool:
    return cell.cell_type == "code" and CHECK_MARK in cell.source


def strip(nb):
    """A stripped copy of `nb` (see the module docstring)."""
    nb = copy.deepcopy(nb)
    for key in DROP_NB_METADATA:
        nb.metadata.pop(key, None)
    spec = nb.metadata.get("kernelspec") or {}
    if spec.get("name") != "python3" or not spec.get("display_name"):
        spec = dict(KERNELSPEC)
    nb.metadata["kernelspec"] = {**spec, "name": "python3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for cell in nb.cells:
        for key in DROP_CELL_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type != "code":
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
            continue
        if is_checked(cell):
            for out in cell.outputs:
                if "metadata" in out:
                    out["metadata"] = {}
        else:
            cell.outputs = []
            cell.execution_count = None
    return nb


def execute(path: Path, timeout: int = 600):
    from nbclient import NotebookClient

    nb = nbformat.read(str(path), as_version=4)
    client = NotebookClient(nb, kernel_name="python3", timeout=timeout, resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    return nb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks (default notebooks/*.ipynb)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="only report notebooks that are not clean; exit 1 if any")
    mode.add_argument("--execute", action="store_true", help="run each notebook first, then strip")
    args = parser.parse_args(argv)
    paths = args.paths or sorted(Path("notebooks").glob("*.ipynb"))
    dirty = []
    for path in paths:
        nb = execute(path) if args.execute else nbformat.read(str(path), as_version=4)
        clean = strip(nb)
        before = nbformat.writes(nbformat.read(str(path), as_version=4))
        after = nbformat.writes(clean)
        if args.check:
            if before != after:
                dirty.append(path)
            continue
        if before != after:
            nbformat.write(clean, str(path))
            print(f"{'executed and stripped' if args.execute else 'stripped'} {path}")
    if args.check and dirty:
        for p in dirty:
            print(f"{p}: has outputs or metadata to strip (run scripts/strip_notebooks.py)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
