#!/usr/bin/env python
"""Strip notebook outputs before commit, keeping the nbval reference outputs.

Usage (from the project folder)::

    .venv/bin/python scripts/strip_notebooks.py                 # strip notebooks/*.ipynb in place
    .venv/bin/python scripts/strip_notebooks.py --execute       # run each notebook first, then strip
    .venv/bin/python scripts/strip_notebooks.py --check         # exit 1 and list notebooks that need stripping
    .venv/bin/python scripts/strip_notebooks.py --filter < X     # stdin to stdout: git's clean filter

``make env`` registers ``--filter`` as git's clean filter for ``notebooks/*.ipynb`` (``.gitattributes``): what git
stores and compares is always the stripped notebook, so outputs, a traceback or widget state that JupyterLab autosaves
into a notebook never show in ``git status`` and can never be committed (issue 25).

Rules: :mod:`procurement.app.savehook` (the same ones ``tests/test_notebooks_clean.py`` enforces, and the Jupyter
server's pre-save hook applies).

``--execute`` runs each notebook with its default parameters the way nbval
does (kernel ``python3`` from the current environment, the notebook's folder
as working directory), so the kept outputs are exactly what nbval will
compare. It is the same effect as nbstripout with ``keep_output`` on the
checked cells and ``--keep-count``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# the rules, re-exported for the tests; imported before nbformat, which then loads without the IRI grammar it does not
# need (procurement.app marks rfc3987_syntax absent: git runs this filter once per notebook it looks at)
from procurement.app.savehook import CHECK_MARK, is_checked, strip  # noqa: F401

import nbformat


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
    mode.add_argument("--filter", action="store_true", help="strip the notebook on stdin to stdout (git's clean filter)")
    args = parser.parse_args(argv)
    if args.filter:
        return clean_filter()
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


def clean_filter() -> int:
    """git's clean filter: the stripped notebook, byte for byte as a stripped file is written; text that is not a
    notebook passes unchanged (git must never lose what it was given)."""
    data = sys.stdin.buffer.read()
    try:
        text = nbformat.writes(strip(nbformat.reads(data.decode("utf-8"), as_version=4)))
    except Exception:  # noqa: BLE001 - not a notebook (a conflict, a half-saved file): keep it as it is
        sys.stdout.buffer.write(data)
        return 0
    sys.stdout.buffer.write((text if text.endswith("\n") else text + "\n").encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
