"""The case a report kernel keeps between notebooks: read once, read again when one of its files changed.

A runner worker runs several notebooks of one scenario in one kernel (:mod:`procurement.report.workers`);
each notebook's :func:`procurement.report.notebook.start` asks :func:`load` for the case, so it is read and
checked once per kernel instead of once per notebook. A file of the case whose size or modification time
changed since (an advisor editing ``scores.csv`` between two runs of a notebook in JupyterLab) makes it read
again.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import procurement as pw

_HELD: dict[str, tuple[Any, list[tuple[str, int, int]]]] = {}  # case folder -> the loaded case and its file stamps


def _stamps(files) -> list[tuple[str, int, int]]:
    out = []
    for f in files:
        try:
            st = os.stat(f)
            out.append((str(f), st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((str(f), -1, -1))
    return out


def load(case_dir: str | Path):
    """The case in `case_dir` (:func:`procurement.load_case`), the one read before when none of its files changed."""
    key = str(Path(case_dir).resolve())
    held = _HELD.get(key)
    if held is not None and held[1] == _stamps(held[0].files):
        return held[0]
    case = pw.load_case(case_dir)
    _HELD[key] = (case, _stamps(case.files))
    return case


def preload(case_dir: str | Path) -> None:
    """Read the case before a notebook runs (a runner kernel, between notebooks); a case that does not load is left
    to the notebook, whose :func:`procurement.report.notebook.start` then reports the problem itself."""
    try:
        load(case_dir)
    except Exception:  # noqa: BLE001 - the notebook's own start() reports it
        return
