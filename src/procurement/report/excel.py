"""Result tables from a report run into one Excel workbook, one sheet per table.

How a table gets from a notebook to the workbook:

1. A notebook shows a result table with :func:`procurement.report.notebook.Report.show`,
   which calls :func:`publish`.
2. When the runner executes a notebook it sets the environment variable
   :data:`TABLES_ENV` to a folder inside the run folder. :func:`publish`
   writes each table there as a small JSON file
   (``<notebook>--<NN>-<name>.json``, pandas "split" layout, the index turned
   into columns). Outside a report run (JupyterLab, nbval) the variable is
   unset and :func:`publish` does nothing.
3. After the notebooks ran, the runner calls :func:`collect` and
   :func:`write_workbook`: sheets in notebook order, then in the order the
   notebook showed them, with a first ``contents`` sheet listing every table.
   A table name shown twice (the summary repeats the key tables) keeps its
   first sheet.

The files are plain JSON so a run folder can be inspected or re-exported
without the workbench.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

TABLES_ENV = "PROCUREMENT_TABLES_DIR"

_counter: dict[str, int] = {}


@dataclass
class PublishedTable:
    name: str
    title: str
    notebook: str
    frame: pd.DataFrame


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-") or "table"


def publish(df: pd.DataFrame, name: str, title: str = "", notebook: str = "notebook") -> Path | None:
    """Write `df` for the runner's workbook when running under the runner; else do nothing."""
    folder = os.environ.get(TABLES_ENV)
    if not folder:
        return None
    folder_path = Path(folder)
    folder_path.mkdir(parents=True, exist_ok=True)
    n = _counter.get(notebook, 0) + 1
    _counter[notebook] = n
    frame = df.copy()
    if isinstance(frame.columns, pd.MultiIndex):
        frame.columns = [" / ".join(str(x) for x in col) for col in frame.columns]
    frame.columns = [str(c) for c in frame.columns]
    if not isinstance(frame.index, pd.RangeIndex) or frame.index.name is not None:
        frame = frame.reset_index()
        frame.columns = [str(c) for c in frame.columns]
    payload = {
        "name": name,
        "title": title or name,
        "notebook": notebook,
        "table": json.loads(
            frame.to_json(orient="split", index=False, date_format="iso", force_ascii=False, double_precision=15)
        ),
    }
    path = folder_path / f"{notebook}--{n:02d}-{_slug(name)}.json"
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def collect(folder: str | Path, notebook_order: list[str] | None = None) -> list[PublishedTable]:
    """Read the tables published into `folder`, in notebook order, first of each name kept."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    order = {nb: i for i, nb in enumerate(notebook_order or [])}
    files = sorted(folder.glob("*.json"), key=lambda p: (order.get(p.name.split("--")[0], len(order)), p.name))
    out: list[PublishedTable] = []
    seen: set[str] = set()
    for path in files:
        payload = json.loads(path.read_text(encoding="utf-8"))
        if payload["name"] in seen:
            continue
        seen.add(payload["name"])
        t = payload["table"]
        frame = pd.DataFrame(t["data"], columns=t["columns"])
        out.append(PublishedTable(payload["name"], payload["title"], payload["notebook"], frame))
    return out


_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")


def sheet_names(names: list[str]) -> list[str]:
    """Valid, unique Excel sheet names (≤ 31 characters, no []:*?/\\)."""
    out: list[str] = []
    used = {"contents"}
    for name in names:
        base = _BAD_SHEET.sub("-", name).strip("'")[:31] or "table"
        candidate, i = base, 2
        while candidate.lower() in used:
            suffix = f"-{i}"
            candidate = base[: 31 - len(suffix)] + suffix
            i += 1
        used.add(candidate.lower())
        out.append(candidate)
    return out


def write_workbook(tables: list[PublishedTable], path: str | Path, title: str = "") -> Path | None:
    """One sheet per table plus a ``contents`` sheet; None when there are no tables."""
    if not tables:
        return None
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    path = Path(path)
    names = sheet_names([t.name for t in tables])
    contents = pd.DataFrame(
        {
            "sheet": names,
            "table": [t.title for t in tables],
            "notebook": [t.notebook for t in tables],
            "rows": [len(t.frame) for t in tables],
        }
    )
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        start = 0
        if title:
            pd.DataFrame({title: []}).to_excel(writer, sheet_name="contents", index=False)
            start = 2
        contents.to_excel(writer, sheet_name="contents", index=False, startrow=start)
        for sheet, t in zip(names, tables, strict=True):
            t.frame.to_excel(writer, sheet_name=sheet, index=False)
        for ws in writer.book.worksheets:
            ws.freeze_panes = "A2" if ws.title != "contents" else None
            for cell in ws[1]:
                cell.font = Font(bold=True)
            for i, col in enumerate(ws.iter_cols(min_row=1, max_row=min(ws.max_row, 200)), start=1):
                width = max((len(str(c.value)) for c in col if c.value is not None), default=8)
                ws.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), 60)
    return path
