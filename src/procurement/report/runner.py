"""Run the report notebooks of a checked scenario with papermill and collect a report folder.

``procurement run [SCENARIO.yaml ...]`` (see :mod:`procurement.cli.run`) is a thin door onto three steps:

1. plan (:mod:`procurement.report.plan`): :func:`~procurement.report.plan.prepare` reads and checks a
   scenario file and everything it names *before any kernel starts*; any problem raises
   :class:`~procurement.InputError` (exit status 2) and nothing is written;
2. execute (here): :func:`execute` runs each notebook through papermill's Python API
   (:mod:`procurement.report.workers`: kernel ``python3``, the project folder as working directory, a per-cell
   timeout) into a hidden folder ``reports/.<timestamp>-<case>-<scenario>.*.partial``, then writes an HTML report per
   notebook without code (:mod:`procurement.report.htmlreport`) and an Excel workbook of the result tables
   (:mod:`procurement.report.excel`);
3. collect (here and :mod:`procurement.report.manifest`): the manifest is written and the folder renamed to
   ``reports/<timestamp>-<case>-<scenario>``. A notebook that raises stops the run; the folder is renamed
   ``<timestamp>-<case>-<scenario>.failed`` and keeps the executed notebooks with papermill's error cell, and the
   manifest.

:func:`run_all` runs several scenarios, in parallel processes (one kernel each) when ``jobs > 1``. A complete
report folder therefore exists under its final name only when every notebook succeeded, and earlier report
folders are never touched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import multiprocessing
import os
import re
import signal
import tempfile
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed, wait
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from procurement import InputError, Problem, display_path
from procurement.report import excel, htmlreport, workers
from procurement.report import manifest as record
from procurement.report.manifest import SUMMARY_NOTEBOOK, WORKBOOK_NAME, NotebookStatus, RunResult, now, relative
from procurement.report.plan import Plan
from procurement.text import fmt

KERNEL = "python3"
#: Default seconds a single cell may run before the run fails.
DEFAULT_TIMEOUT = 600
#: At most this many kernels side by side for one scenario (each takes 150-300 MB).
MAX_NOTEBOOK_JOBS = 4


# ---------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------


def check_output_dir(out: str | Path) -> Path:
    """Create the reports folder if needed and make sure a run folder can be written there; return it absolute.

    A relative `out` is taken from the current folder (where the command was
    started): papermill changes folder later, so it is made absolute here.
    """
    out = Path(out).absolute()
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = tempfile.mkdtemp(prefix=".write-check-", dir=out)
        os.rmdir(probe)
    except OSError as e:
        reason = e.strerror or str(e)
        raise InputError(
            Problem(display_path(out), "", f"cannot write a report folder here: {reason}", "choose another --out folder")
        ) from None
    return out


def _final_name(out: Path, base: str) -> Path:
    target, i = out / base, 2
    while target.exists():
        target = out / f"{base}-{i}"
        i += 1
    return target


def _publish(src: Path, out: Path, base: str, manifest: dict[str, Any]) -> Path:
    """Rename `src` to the first free ``out/base[-N]``, its manifest naming that folder.

    The manifest is rewritten before each attempt, so when two runs race for
    the same name each manifest names the folder it ended up in.
    """
    for _ in range(100):
        target = _final_name(out, base)
        manifest["run"] = target.name
        record.write(src, manifest)
        try:
            os.rename(src, target)
            return target
        except OSError:
            if not target.exists():
                raise
    raise OSError(f"no free name for {base} in {out}")


_error_text = workers.error_text


def default_notebook_jobs() -> int:
    """Notebooks of one scenario run side by side: one kernel per core, at most :data:`MAX_NOTEBOOK_JOBS`."""
    return max(1, min(MAX_NOTEBOOK_JOBS, os.cpu_count() or 1))


def _code_cells(path: str) -> list[str]:
    """The source of each code cell of the notebook at `path`."""
    with open(path, encoding="utf-8") as f:
        nb = json.load(f)
    return ["".join(c.get("source", "")) for c in nb.get("cells", []) if c.get("cell_type") == "code"]


#: How a report notebook begins (:func:`procurement.report.notebook.start`, which reads the case). Only the kernel of
#: such a notebook reads the case ahead (:func:`procurement.report.cases.preload`): for any other notebook that would
#: import the package and read a case nobody asks for (the example case: 0.9 CPU seconds, measured; the runner's and
#: the fault tests' own notebooks, 46 tests: 3-4 CPU seconds in all).
STARTS_A_REPORT = re.compile(r"\bstart\(\s*globals\(\)")


def _task(plan: Plan, nb: Path, cells: list[str], tmp: Path, footer: str | None) -> workers.Task:
    """The task of notebook `nb` (its code `cells`): the case read ahead only if it starts a report."""
    case_dir = str(plan.case_dir) if any(STARTS_A_REPORT.search(c) for c in cells) else None
    return workers.Task(nb.stem, str(nb), str(tmp / f"{nb.stem}.ipynb"), plan.notebook_parameters(nb), footer, case_dir)


def clean_stale(out: str | Path) -> list[str]:
    """Keep the hidden folders of runs that died (killed, power cut) as ``<run>.failed``; one line each.

    Called by ``procurement run`` before it starts. A folder whose run is still
    alive (another ``procurement run`` on this machine) is left alone.
    """
    out = Path(out).resolve()
    notes = []
    for folder in workers.stale_partials(out):
        base = workers.partial_base(folder) + ".failed"
        try:
            manifest = {"status": "failed", "message": "the run stopped without finishing (its process is gone)"}
            final = _publish(folder, out, base, manifest)
        except OSError as e:
            notes.append(f"{display_path(folder)} was left by a run that stopped; it could not be renamed: {e.strerror or e}")
            continue
        with contextlib.suppress(OSError):
            (final / workers.OWNER_FILE).unlink()
        notes.append(f"{display_path(folder)} was left by a run that stopped; kept as {display_path(final)}")
    return notes


def _run_notebooks(
    plan: Plan, tmp: Path, statuses: list[NotebookStatus], jobs: int, timeout: int, disable, fresh: bool = False,
    started: str = "", html: bool = True,
) -> workers.PoolResult:
    footer = _footer(plan, started) if html else None
    if html:
        # the page exporter, made here, is inherited by the forked workers: nbconvert is imported once per run, not
        # once more in every worker (0.25 CPU seconds each, measured)
        htmlreport.exporter(plan.parameters.get("language"))
    cells = [_code_cells(str(nb)) for nb in plan.notebooks]
    tasks = [_task(plan, nb, code, tmp, footer) for nb, code in zip(plan.notebooks, cells, strict=True)]
    run = {"cwd": str(plan.root), "timeout": timeout, "log_path": str(tmp / "kernel.log"), "kernel": KERNEL, "warm": not fresh}
    nb_bar = tqdm(total=len(tasks), desc=plan.name, unit="notebook", disable=disable, position=0, leave=True)
    cell_bar = tqdm(
        total=sum(len(code) + 1 for code in cells),  # + papermill's injected cell
        desc="  cells", unit="cell", disable=disable, position=1, leave=False,
    )

    def done(i: int, outcome: workers.Outcome) -> None:
        nb_bar.update(1)
        nb_bar.set_postfix_str(statuses[i].notebook)

    try:
        pool = workers.run_notebooks(tasks, jobs, run, (str(tmp / "tables"), excel.TABLES_ENV), cell_bar.update, done,
                                     longest_first(plan, tmp.parent))
    finally:
        cell_bar.close()
        nb_bar.close()
    for i, outcome in pool.outcomes.items():
        st = statuses[i]
        st.status, st.error, st.seconds = outcome.status, outcome.error, outcome.seconds
        if outcome.written or (tmp / f"{st.notebook}.ipynb").exists():
            st.output = st.notebook + ".ipynb"
    return pool


def longest_first(plan: Plan, out: Path) -> list[int]:
    """Indexes of `plan`'s notebooks, longest first by the last successful run of this scenario in `out`.

    Handing the longest notebooks out first balances the workers (the last
    notebook to finish decides the wall time). Without an earlier run (or for
    a notebook it did not have), the given order is kept.
    """
    seconds: dict[str, float] = {}
    for manifest in sorted(out.glob(f"????????-??????-{plan.name}/{record.MANIFEST_NAME}"), reverse=True)[:1]:
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
            seconds = {n["notebook"]: float(n["seconds"]) for n in data.get("notebooks", []) if n.get("seconds") is not None}
        except (OSError, ValueError, KeyError, TypeError):
            seconds = {}
    if not seconds:
        return list(range(len(plan.notebooks)))
    typical = sorted(seconds.values())[len(seconds) // 2]
    return sorted(range(len(plan.notebooks)), key=lambda i: -seconds.get(plan.notebooks[i].stem, typical))


def _footer(plan: Plan, started: str) -> str:
    return f"{plan.name} · {plan.parameters.get('case', '')} · {started} · procurement-workbench"


def _render(plan: Plan, tmp: Path, statuses: list[NotebookStatus], started: str, html: bool, workbook: bool) -> None:
    if html:
        for st in statuses:
            page = tmp / f"{st.notebook}.html"
            if not page.exists():  # the worker renders each page right after its notebook; this catches the rest
                htmlreport.to_html(tmp / f"{st.notebook}.ipynb", page, footer=_footer(plan, started))
            st.html = page.name
    if workbook:
        tables = excel.collect(tmp / "tables", [st.notebook for st in statuses])
        lang = str(plan.parameters.get("language") or "nb")
        excel.write_workbook(tables, tmp / WORKBOOK_NAME, language=lang, about=excel.about_run(plan, started, lang))
    if html:  # index.html (summary first) and links between the pages
        lang = str(plan.parameters.get("language") or "nb")
        htmlreport.link_pages(tmp, [st.notebook for st in statuses if st.html], lang,
                              title=f"{htmlreport.report_word(lang)}: {plan.name}", extras=[WORKBOOK_NAME],
                              run_date=fmt.timestamp(started, lang))


def _make_partial(out: Path, base: str) -> Path:
    tmp = Path(tempfile.mkdtemp(prefix=f".{base}.", suffix=".partial", dir=out))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)
    workers.write_owner(tmp)
    return tmp


def execute(
    plan: Plan,
    out: str | Path = "reports",
    timeout: int = DEFAULT_TIMEOUT,
    progress: bool | None = None,
    html: bool = True,
    workbook: bool = True,
    stamp: str | None = None,
    notebook_jobs: int | None = None,
    fresh_kernels: bool = False,
) -> RunResult:
    """Run every notebook of `plan` and build its report folder (see the module docstring).

    The notebooks run in `notebook_jobs` worker processes side by side (default
    :func:`default_notebook_jobs`). Each worker keeps one kernel for the
    notebooks it runs and clears its namespace before each (imports are paid
    once per worker, see :func:`procurement.report.workers._engine`);
    ``fresh_kernels=True`` starts a new kernel for every notebook. A relative `out`
    is taken from the current folder *now*, before papermill changes folder.
    Never raises for a notebook that fails, a Ctrl-C, a killed worker or a
    folder that cannot be written: the result says what happened
    (``status`` ok | failed | interrupted) and where what was written is.
    """
    out = check_output_dir(out)
    started_wall = time.perf_counter()
    started = now()
    stamp = stamp or dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    base = f"{stamp}-{plan.case_dir.name}-{plan.name}"  # the case too: two cases' default scenarios stay apart
    tmp = _make_partial(out, base)
    statuses = [NotebookStatus(nb.stem, relative(nb, plan.root)) for nb in plan.notebooks]
    result = RunResult(plan.name, relative(plan.scenario_file, plan.root), "failed", None, statuses)

    disable = None if progress is None else not progress
    jobs = notebook_jobs if notebook_jobs is not None else default_notebook_jobs()
    jobs = max(1, min(jobs, len(plan.notebooks)))
    pool = _run_notebooks(plan, tmp, statuses, jobs, timeout, disable, fresh_kernels, started, html)
    result.status = {"interrupted": "interrupted", None: "ok"}.get(pool.stopped, "failed")
    result.message = pool.message
    if result.status == "ok":
        try:
            _render(plan, tmp, statuses, started, html, workbook)
        except KeyboardInterrupt:
            result.status, result.message = "interrupted", "interrupted while writing the report"
        except Exception as err:  # noqa: BLE001 - reported in one line, the folder kept as .failed
            result.status, result.message = "failed", f"building the report failed: {_error_text(err)}"
    if result.status == "failed" and not result.message:
        bad = next((s for s in statuses if s.status not in ("ok", "not run")), None)
        result.message = f"notebook {bad.notebook} failed at {bad.error}" if bad else "the run failed"
    if result.status == "interrupted":
        ran = [s.notebook for s in statuses if s.status == "ok"]
        result.message = f"{result.message}; finished: {', '.join(ran) or 'none'} of {len(statuses)} notebooks"
    result.seconds = round(time.perf_counter() - started_wall, 2)
    try:
        with workers.interrupts_deferred():  # a stop asked for now comes after the folder has its name and manifest
            _finish(plan, result, started, tmp, out, base)
    except KeyboardInterrupt:
        result.stop_requested = True
    return result


def _finish(plan: Plan, result: RunResult, started: str, tmp: Path, out: Path, base: str) -> None:
    """Write the manifest and give the folder its final name; a write that fails leaves ``<run>.failed``."""
    suffix = {"ok": "", "interrupted": ".interrupted"}.get(result.status, ".failed")
    with contextlib.suppress(OSError):
        (tmp / workers.OWNER_FILE).unlink()
    try:
        final = _publish(tmp, out, base + suffix, _manifest(plan, result, started, tmp, base))
    except OSError as err:
        result.status = "failed" if result.status == "ok" else result.status
        result.message = f"could not write the report folder: {err.strerror or err}"
        try:
            final = _publish(tmp, out, base + (suffix or ".failed"), _manifest(plan, result, started, tmp, base))
        except OSError:
            try:  # not even a manifest fits: keep what was written under a visible name
                final = _final_name(out, base + (suffix or ".failed"))
                os.rename(tmp, final)
            except OSError:
                final = tmp
    result.folder = str(final)
    if result.ok:
        index, summary = final / "index.html", final / f"{SUMMARY_NOTEBOOK}.html"
        pages = sorted(p for p in final.glob("*.html") if p != index)
        entry = index if index.exists() else summary if summary.exists() else (pages[-1] if pages else final)
        result.summary_html = str(entry)


def _manifest(plan: Plan, result: RunResult, started: str, folder: Path, run_id: str) -> dict:
    return record.manifest(plan, result, started, folder, run_id, KERNEL)


def _init_scenario_worker() -> None:
    """A scenario worker ignores the terminal's Ctrl-C; the runner stops it with SIGTERM, read as a Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    workers.interrupt_on_sigterm()


def _execute_in_worker(plan: Plan, out: str, timeout: int) -> RunResult:
    try:
        return execute(plan, out, timeout, progress=False, notebook_jobs=1)
    except InputError as err:
        return RunResult(plan.name, str(plan.scenario_file), "bad input", None, message=str(err))
    except KeyboardInterrupt:
        return RunResult(plan.name, str(plan.scenario_file), "interrupted", None, message="interrupted before it started")
    except Exception as err:  # noqa: BLE001
        return RunResult(
            plan.name, str(plan.scenario_file), "failed", None, message=f"{_error_text(err)}\n{traceback.format_exc()}"
        )


def run_all(
    plans: list[Plan],
    out: str | Path = "reports",
    jobs: int = 1,
    timeout: int = DEFAULT_TIMEOUT,
    progress: bool | None = None,
    notebook_jobs: int | None = None,
    fresh_kernels: bool = False,
) -> list[RunResult]:
    """Run several checked scenarios.

    With ``jobs > 1`` the scenarios run in that many processes, each running
    its notebooks one after the other with one kernel. Otherwise the scenarios
    run in turn, each with `notebook_jobs` kernels side by side. After a
    Ctrl-C no further scenario starts; each result says how its run ended.
    """
    out = check_output_dir(out)
    if jobs <= 1 or len(plans) <= 1:
        results: list[RunResult] = []
        for p in plans:
            results.append(
                execute(p, out, timeout, progress=progress, notebook_jobs=notebook_jobs, fresh_kernels=fresh_kernels)
            )
            if results[-1].status == "interrupted" or results[-1].stop_requested:
                break
        return results
    return _run_scenarios_in_parallel(plans, out, jobs, timeout, progress)


def _run_scenarios_in_parallel(plans: list[Plan], out: Path, jobs: int, timeout: int, progress: bool | None) -> list[RunResult]:
    results: list[RunResult | None] = [None] * len(plans)
    ctx = multiprocessing.get_context("spawn")
    disable = None if progress is None else not progress
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(plans)), mp_context=ctx, initializer=_init_scenario_worker)
    futures = {pool.submit(_execute_in_worker, p, str(out), timeout): i for i, p in enumerate(plans)}
    try:
        with tqdm(total=len(plans), desc="scenarios", unit="scenario", disable=disable) as bar:
            for fut in as_completed(futures):
                results[futures[fut]] = fut.result()
                bar.update(1)
    except KeyboardInterrupt:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            procs = [p.pid for p in (getattr(pool, "_processes", None) or {}).values()]
            for pid in procs:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGTERM)  # each worker stops its kernel and writes its manifest
            wait(futures, timeout=1.5)
            for fut, i in futures.items():
                if fut.done() and not fut.cancelled() and fut.exception() is None:
                    results[i] = fut.result()
            workers.stop_processes(procs)
            pool.shutdown(wait=False, cancel_futures=True)
        finally:
            signal.signal(signal.SIGINT, previous)
    else:
        pool.shutdown(wait=True)
    return [
        r if r is not None else RunResult(p.name, relative(p.scenario_file, p.root), "interrupted", None, message="interrupted")
        for p, r in zip(plans, results, strict=True)
    ]
