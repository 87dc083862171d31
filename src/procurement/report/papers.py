"""A decision paper per municipality, rendered on a Dask cluster (``procurement papers``).

Why Dask (dask.distributed) and not the report runner's process pool: the same papers must run on the advisor's
two cores (a :class:`~distributed.LocalCluster` the command starts, one worker process per core) and on a cluster
someone else runs (``--scheduler ADDRESS``), where workers share no filesystem with the client. So:

* **Everything travels with the task.** The client packs the case folder, the criteria sets and the paper
  notebook into one :class:`Bundle` (bytes, with a SHA-256 of its contents), scatters it to the workers once, and
  each worker unpacks it into a private temporary folder the first time it sees that digest. The rendered HTML
  (and PDF) and the paper's key figures come back to the client, which alone writes the output folder.
* **One kernel per worker, reused.** A worker runs its papers one after another in one Jupyter kernel, its
  namespace cleared in between (:func:`procurement.report.workers.execute_one`), so pandas, matplotlib and the
  package are imported once per worker, not once per paper. A paper whose kernel dies (killed, out of memory)
  fails alone; the worker starts a fresh kernel for the next one.
* **Bytes do not depend on the cluster.** Nothing in a paper is drawn per municipality: the national analysis
  takes the scenario's seed, and each paper's numbers are shares of it, so a paper's bytes are the same whatever
  the number of workers, the worker that ran it or the order papers finish in.
* **Batch behaviour.** A progress bar (done, failed, left, rate); one paper's failure does not stop the others (it
  is named in the summary and in ``failed.csv``, and the command exits 1); Ctrl-C cancels the papers not yet done
  and keeps the finished ones; a rerun skips every paper whose inputs (the bundle's digest, the parameters, the
  municipality and the package version) have not changed since it was written (``papers.json``).

The output folder holds ``<kommunenummer>.html`` (and ``.pdf``) per paper, ``index.html`` (a table of every
municipality's key figures, sortable offline), ``key-figures.csv`` and ``key-figures.xlsx``.
"""

from __future__ import annotations

import atexit
import contextlib
import csv
import hashlib
import html
import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from procurement import __version__
from procurement.report import excel, htmlreport, workers
from procurement.report.project import PAPER_NOTEBOOK
from procurement.report.sections.paper import FIGURES_MIME
from procurement.text import cells, fmt
from procurement.text.labels import label

MANIFEST = "papers.json"
FAILED = "failed.csv"
INDEX = "index.html"
KEY_FIGURES = "key-figures"
#: Files of a case folder a paper never needs (reports, tender forms), left out of the bundle.
SKIP_DIRS = {"reports", "forms", "notebooks", "__pycache__", ".ipynb_checkpoints"}


# ---------------------------------------------------------------------------
# What travels with a task
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Bundle:
    """The case, the criteria sets and the notebook as bytes, by path below a project root of their own."""

    files: dict[str, bytes]
    case: str  # the case folder, relative
    notebook: str  # the notebook, relative
    digest: str = ""

    @classmethod
    def of(cls, case_dir: Path, criteria_dir: Path, notebook: Path) -> Bundle:
        files: dict[str, bytes] = {}
        case_rel = f"data/{case_dir.name}"
        _add_folder(files, case_dir, case_rel)
        _add_folder(files, criteria_dir, "criteria")
        files[f"notebooks/{notebook.name}"] = notebook.read_bytes()
        h = hashlib.sha256()
        for name in sorted(files):
            h.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
        return cls(files, case_rel, f"notebooks/{notebook.name}", h.hexdigest())


def _add_folder(files: dict[str, bytes], folder: Path, prefix: str) -> None:
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and not path.is_symlink() and not (set(rel.parts[:-1]) & SKIP_DIRS) \
                and not any(p.startswith(".") for p in rel.parts):
            files[f"{prefix}/{rel.as_posix()}"] = path.read_bytes()


def paper_key(bundle: Bundle, parameters: dict[str, Any], kommunenummer: str, pdf: bool) -> str:
    """What decides a paper's bytes: the bundle, the parameters, the municipality, the package version, the PDF."""
    text = json.dumps({"bundle": bundle.digest, "parameters": parameters, "municipality": kommunenummer,
                       "version": __version__, "pdf": pdf}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


#: A paper is a few pages: a slightly smaller type in print and a figure no taller than a third of the page.
PAPER_CSS = """
@media print {
  body.jp-Notebook { font-size: 9.5pt; }
  h2 { margin-top: 0.8em; }
  .jp-OutputArea-output img { max-height: 8.5cm; width: auto; }
}
"""

# ---------------------------------------------------------------------------
# On a worker
# ---------------------------------------------------------------------------

_ROOTS: dict[str, Path] = {}


def _materialise(bundle: Bundle) -> Path:
    """The bundle unpacked in this worker's temporary folder (once per digest)."""
    root = _ROOTS.get(bundle.digest)
    if root is not None and root.is_dir():
        return root
    root = Path(tempfile.mkdtemp(prefix="procurement-paper-"))
    for name, data in bundle.files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    _ROOTS[bundle.digest] = root
    if len(_ROOTS) == 1:
        atexit.register(_clean_roots)
    return root


def _clean_roots() -> None:
    for root in _ROOTS.values():
        shutil.rmtree(root, ignore_errors=True)


def _figures(nb: nbformat.NotebookNode) -> dict[str, Any] | None:
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if FIGURES_MIME in data:
                return dict(data[FIGURES_MIME])
    return None


def render_paper(bundle: Bundle, parameters: dict[str, Any], kommunenummer: str, pdf: bool = False,
                 timeout: int = 600, footer: str = "") -> dict[str, Any]:
    """Run the paper notebook for one municipality and render it (on a worker); never raises for a failing paper.

    Returns ``kommunenummer, status (ok|failed), error, figures, html (bytes), pdf (bytes or None), seconds``.
    """
    root = _materialise(bundle)
    work = Path(tempfile.mkdtemp(prefix=f"{kommunenummer}-", dir=root))
    try:
        task = workers.Task(notebook=PAPER_NOTEBOOK, source=str(root / bundle.notebook), target=str(work / "paper.ipynb"),
                            parameters={**parameters, "municipality": kommunenummer}, case_dir=str(root / bundle.case))
        outcome = workers.execute_one(task, str(root), timeout, str(root / "kernel.log"))
        result: dict[str, Any] = {"kommunenummer": kommunenummer, "status": outcome.status, "error": outcome.error,
                                  "figures": None, "html": None, "pdf": None, "seconds": outcome.seconds}
        if outcome.status == "ok":
            try:
                _render(result, work, footer, pdf)
            except Exception as e:  # noqa: BLE001 - reported as this paper's failure, the batch goes on
                result.update(status="failed", error=workers.error_text(e), html=None, pdf=None)
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _render(result: dict[str, Any], work: Path, footer: str, pdf: bool) -> None:
    nb = nbformat.read(str(work / "paper.ipynb"), as_version=4)
    figures = _figures(nb)
    if figures is None:
        result.update(status="failed", error="the notebook published no key figures (its last cell did not run)")
        return
    page = htmlreport.to_html(nb, work / "paper.html", title=figures["title"], footer=footer,
                              language=figures["language"], css=PAPER_CSS)
    result.update(figures=figures, html=page.read_bytes())
    if pdf:
        from procurement.report.pdf import PdfUnavailable, write_pdf  # lazy: Playwright, only with --pdf

        try:
            result["pdf"] = write_pdf(work, work / "paper.pdf", pages=["paper"]).read_bytes()
        except PdfUnavailable as e:
            result.update(status="failed", error=str(e))


# ---------------------------------------------------------------------------
# On the client
# ---------------------------------------------------------------------------


@dataclass
class PapersResult:
    out: Path
    rendered: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    cancelled: list[str] = field(default_factory=list)
    interrupted: bool = False
    dashboard: str | None = None
    workers: int = 0


def read_manifest(out: Path) -> dict[str, Any]:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data.get("papers", {}) if isinstance(data, dict) and isinstance(data.get("papers"), dict) else {}


def _done(entry: dict[str, Any] | None, key: str, out: Path) -> bool:
    if not entry or entry.get("key") != key:
        return False
    return all((out / f).is_file() for f in entry.get("files", []))


def write_paper(out: Path, result: dict[str, Any], key: str) -> dict[str, Any]:
    """Write one finished paper's files (atomically each) and return its manifest entry."""
    kn = result["kommunenummer"]
    files = []
    for suffix in ("html", "pdf"):
        data = result.get(suffix)
        if data is not None:
            _atomic(out / f"{kn}.{suffix}", data)
            files.append(f"{kn}.{suffix}")
    return {"key": key, "files": files, "figures": result["figures"], "seconds": result.get("seconds")}


def _atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def save_manifest(out: Path, papers: dict[str, Any], scenario: str) -> None:
    doc = {"scenario": scenario, "version": __version__, "papers": dict(sorted(papers.items()))}
    _atomic(out / MANIFEST, json.dumps(doc, ensure_ascii=False, sort_keys=True).encode())


# ---------------------------------------------------------------------------
# The index, the key figures as CSV and Excel, failed.csv
# ---------------------------------------------------------------------------

COLUMNS = ("kommunenummer", "name", "county", "population", "language", "payment_total", "payment_per_inhabitant",
           "zero_total", "difference", "share", "deadline")
_HEADERS = {"kommunenummer": "paper.col.kommunenummer", "name": "paper.municipality", "county": "paper.county",
            "population": "paper.population", "language": "paper.col.language",
            "payment_total": "paper.col.payment_total", "payment_per_inhabitant": "paper.col.payment_per_inhabitant",
            "zero_total": "paper.col.zero_total", "difference": "paper.col.difference", "share": "paper.col.share",
            "deadline": "paper.col.deadline"}
_THOUSANDS = {"payment_total", "zero_total", "difference"}


def _shown(col: str, value: Any, lang: str) -> str:
    if value is None:
        return fmt.MISSING
    if col in _THOUSANDS:
        return fmt.number(float(value) / 1000, lang, 0)
    if col in ("population", "payment_per_inhabitant"):
        return fmt.number(float(value), lang, 0)
    if col == "share":
        return fmt.percent(float(value), lang, 2)
    if col == "deadline":
        return fmt.date(str(value), lang)
    return str(value)


def _sort_value(col: str, value: Any) -> str:
    return repr(float(value)) if isinstance(value, (int, float)) and col != "kommunenummer" else str(value or "")


_SORT_SCRIPT = """
document.querySelectorAll('table.papers th').forEach(function (th, i) {
  th.addEventListener('click', function () {
    var body = th.closest('table').tBodies[0], rows = Array.from(body.rows);
    var num = th.classList.contains('num'), dir = th.dataset.dir === 'asc' ? -1 : 1;
    rows.sort(function (a, b) {
      var x = a.cells[i].dataset.v, y = b.cells[i].dataset.v;
      return dir * (num ? parseFloat(x) - parseFloat(y) : x.localeCompare(y, 'nb'));
    });
    th.dataset.dir = dir === 1 ? 'asc' : 'desc';
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
"""

_INDEX_CSS = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table.papers { border-collapse: collapse; font-size: 0.85em; }
table.papers th { cursor: pointer; text-align: left; border-bottom: 2px solid #555; padding: 0.3em 0.5em; }
table.papers td { border-bottom: 1px solid #ddd; padding: 0.25em 0.5em; }
table.papers td.num { text-align: right; white-space: nowrap; }
table.papers th.num { text-align: right; }
table.papers th { max-width: 9em; vertical-align: bottom; }
"""


def index_html(rows: list[dict[str, Any]], language: str, case_title: str) -> str:
    """The index page: one row per municipality, its paper linked, columns sortable by a click (no network)."""
    lang = language
    esc = html.escape
    title = label("paper.index_title", lang).format(case=case_title)
    head = "".join(f'<th class="{"num" if c not in ("kommunenummer", "name", "county", "language") else "text"}" '
                   f'scope="col">{esc(label(_HEADERS[c], lang))}</th>' for c in COLUMNS)
    body = []
    for r in rows:
        tds = []
        for c in COLUMNS:
            text = esc(_shown(c, r.get(c), lang))
            if c == "name" and r.get("file"):
                text = f'<a href="{esc(r["file"])}">{text}</a>'
            cls = "num" if c not in ("kommunenummer", "name", "county", "language") else "text"
            tds.append(f'<td class="{cls}" data-v="{esc(_sort_value(c, r.get(c)))}">{text}</td>')
        body.append("<tr>" + "".join(tds) + "</tr>")
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{esc(title)}</title>'
            f"<style>{_INDEX_CSS}</style></head><body><main><h1>{esc(title)}</h1>"
            f"<p>{esc(label('paper.index_intro', lang))}</p>"
            f'<table class="papers"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
            f'<p><a href="{KEY_FIGURES}.xlsx">Excel</a> · <a href="{KEY_FIGURES}.csv">CSV</a></p>'
            f"</main><script>{_SORT_SCRIPT}</script></body></html>")


def key_rows(papers: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for kn in sorted(papers):
        entry = papers[kn]
        figures = dict(entry.get("figures") or {})
        files = [f for f in entry.get("files", []) if f.endswith(".html")]
        rows.append({**figures, "kommunenummer": kn, "file": files[0] if files else None})
    return rows


def write_key_figures(out: Path, rows: list[dict[str, Any]]) -> None:
    """``key-figures.csv`` (every text cell quoted and formula-safe) and ``key-figures.xlsx`` (text as text)."""
    fields = [*COLUMNS, "cluster", "written_standard", "option", "zero_per_inhabitant", "break_even_share"]
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
    writer.writerow(fields)
    for r in rows:
        writer.writerow([cells.csv_safe(r.get(f)) if r.get(f) is not None else "" for f in fields])
    _atomic(out / f"{KEY_FIGURES}.csv", buf.getvalue().encode("utf-8"))
    _write_workbook(out / f"{KEY_FIGURES}.xlsx", fields, rows)


def _write_workbook(path: Path, fields: list[str], rows: list[dict[str, Any]]) -> None:
    from openpyxl import Workbook  # lazy: openpyxl costs 0.2 s at import; only the batch's end writes a workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "papers"
    cells.put_row(ws, list(fields))
    for r in rows:
        cells.put_row(ws, [r.get(f) for f in fields])
    ws.freeze_panes = "A2"
    for col in ws.columns:
        ws.column_dimensions[col[0].column_letter].width = max(9, min(40, max(len(str(c.value or "")) for c in col) + 2))
    excel.print_setup(ws)
    tmp = path.with_name(f".{path.name}.tmp")
    wb.save(tmp)
    tmp.replace(path)


def write_failed(out: Path, failed: dict[str, str], names: dict[str, str]) -> None:
    path = out / FAILED
    if not failed:
        path.unlink(missing_ok=True)
        return
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(["kommunenummer", "name", "error"])
    for kn in sorted(failed):
        writer.writerow([kn, cells.csv_safe(names.get(kn, "")), cells.csv_safe(failed[kn])])
    _atomic(path, buf.getvalue().encode("utf-8"))


def finish(out: Path, papers: dict[str, Any], failed: dict[str, str], names: dict[str, str], language: str,
           case_title: str, scenario: str) -> None:
    """The manifest, the index, the key figures and failed.csv, from every paper written so far."""
    save_manifest(out, papers, scenario)
    rows = key_rows(papers)
    _atomic(out / INDEX, index_html(rows, language, case_title).encode("utf-8"))
    write_key_figures(out, rows)
    write_failed(out, failed, names)


# ---------------------------------------------------------------------------
# The cluster
# ---------------------------------------------------------------------------


def start_client(scheduler: str | None, n_workers: int) -> tuple[Any, Any]:
    """A Dask client on `scheduler`, else on a LocalCluster of `n_workers` processes (one thread each)."""
    import logging

    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler, timeout="30s"), None
    dashboard = ":0" if _has_bokeh() else None
    cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=dashboard,
                           silence_logs=logging.ERROR, host="127.0.0.1")
    return Client(cluster), cluster


def _has_bokeh() -> bool:
    import importlib.util

    return importlib.util.find_spec("bokeh") is not None


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


@dataclass
class Batch:
    """One ``procurement papers`` run: what to render and where."""

    bundle: Bundle
    parameters: dict[str, Any]
    municipalities: dict[str, str]  # kommunenummer -> name
    out: Path
    scenario: str
    language: str
    case_title: str
    pdf: bool = False
    timeout: int = 600
    footer: str = ""


def submit(client: Any, batch: Batch, todo: Iterable[str]) -> dict[Any, str]:
    """One task per municipality, the bundle scattered to every worker once; future -> kommunenummer."""
    shared = client.scatter(batch.bundle, broadcast=True, hash=False)
    futures = {}
    for kn in todo:
        f = client.submit(render_paper, shared, batch.parameters, kn, batch.pdf, batch.timeout, batch.footer,
                          key=f"paper-{kn}-{batch.bundle.digest[:12]}", pure=False, retries=0)
        futures[f] = kn
    return futures


def collect(futures: dict[Any, str], batch: Batch, papers: dict[str, Any], result: PapersResult,
            keys: dict[str, str], on_done: Callable[[str, bool], None]) -> None:
    """Write each paper as it finishes; a worker lost mid-paper fails that paper only."""
    from distributed import as_completed

    for future in as_completed(list(futures)):
        kn = futures[future]
        try:
            out = future.result()
        except Exception as e:  # noqa: BLE001 - a lost worker or a task error: this paper fails, the others go on
            out = {"kommunenummer": kn, "status": "failed", "error": workers.error_text(e)}
        if out.get("status") == "ok":
            papers[kn] = write_paper(batch.out, out, keys[kn])
            result.rendered.append(kn)
            result.failed.pop(kn, None)
        else:
            result.failed[kn] = out.get("error") or "failed"
            papers.pop(kn, None)
        on_done(kn, out.get("status") == "ok")


def plan_todo(batch: Batch, papers: dict[str, Any]) -> tuple[list[str], list[str], dict[str, str]]:
    """(to render, unchanged, key of each) from the manifest of an earlier run into the same folder."""
    keys = {kn: paper_key(batch.bundle, batch.parameters, kn, batch.pdf) for kn in batch.municipalities}
    unchanged = [kn for kn in batch.municipalities if _done(papers.get(kn), keys[kn], batch.out)]
    todo = [kn for kn in batch.municipalities if kn not in set(unchanged)]
    return todo, unchanged, keys


def cancel(client: Any, futures: dict[Any, str], result: PapersResult) -> None:
    pending = [f for f in futures if not f.done()]
    result.cancelled = sorted(futures[f] for f in pending)
    with contextlib.suppress(Exception):
        client.cancel(pending, force=True)
