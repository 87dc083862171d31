"""Run the report notebooks for a scenario with papermill and collect a report folder.

``procurement run [SCENARIO.yaml ...]`` (see :mod:`procurement.cli.run`) is a
thin door onto this module:

1. :func:`prepare` reads and checks a scenario file *before any kernel
   starts*: unknown or wrongly typed keys (with "did you mean", see
   :mod:`procurement.report.params`), the case (loaded and validated once), the
   decision, profile and methods it names, and the notebooks to run. Any
   problem raises :class:`~procurement.case.errors.InputError` (exit status 2) and
   nothing is written.
2. :func:`execute` runs each notebook through papermill's Python API with
   kernel ``python3``, the project folder as working directory and a per-cell
   timeout, into a hidden folder ``reports/.<timestamp>-<scenario>.*.partial``.
   Then it writes an HTML report per notebook without code
   (:mod:`procurement.report.htmlreport`), an Excel workbook of the result tables
   (:mod:`procurement.report.excel`) and ``manifest.json``, and renames the folder to
   ``reports/<timestamp>-<scenario>``. A notebook that raises stops the run;
   the folder is renamed ``<timestamp>-<scenario>.failed`` and keeps the
   executed notebooks with papermill's error cell, and the manifest.
3. :func:`run_all` runs several scenarios, in parallel processes (one kernel
   each) when ``jobs > 1``.

A complete report folder therefore exists under its final name only when
every notebook succeeded, and earlier report folders are never touched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from procurement.report import params as paramspec
from procurement.case.errors import InputError, Problem, ProblemList, did_you_mean, display_path
import contextlib

KERNEL = "python3"
DEFAULT_SCENARIO = "data/national-municipal-solution/scenarios/default.yaml"
#: Default seconds a single cell may run before the run fails.
DEFAULT_TIMEOUT = 600
#: Notebooks whose name starts with one of these are interactive, not part of a report.
INTERACTIVE_PREFIXES = ("00-",)
#: The notebook whose HTML is "the report" an advisor sends on.
SUMMARY_NOTEBOOK = "07-summary"
WORKBOOK_NAME = "results.xlsx"
MANIFEST_NAME = "manifest.json"
PACKAGES = (
    "procurement-workbench",
    "pandas",
    "numpy",
    "scipy",
    "scikit-criteria",
    "pydantic",
    "PyYAML",
    "seaborn",
    "matplotlib",
    "openpyxl",
    "papermill",
    "nbformat",
    "nbconvert",
    "nbclient",
    "ipykernel",
    "jupyter_client",
)

_NB_RE = re.compile(r"^\d\d-[a-z0-9-]+$")


# ---------------------------------------------------------------------------
# Finding things
# ---------------------------------------------------------------------------


def project_root(start: Path | None = None) -> Path:
    """The project folder: the nearest folder upwards holding ``notebooks/`` and ``data/``."""
    start = (start or Path.cwd()).resolve()
    for p in [start, *start.parents]:
        if (p / "notebooks").is_dir() and (p / "data").is_dir():
            return p
    repo = Path(__file__).resolve().parents[3]
    if (repo / "notebooks").is_dir():
        return repo
    return start


def available_notebooks(notebooks_dir: Path) -> list[Path]:
    """Every numbered notebook (``NN-name.ipynb``) in the folder, in order."""
    if not notebooks_dir.is_dir():
        return []
    return sorted(p for p in notebooks_dir.glob("*.ipynb") if _NB_RE.match(p.stem))


def default_notebooks(notebooks_dir: Path) -> list[Path]:
    """The report notebooks: every numbered notebook except the interactive ``00-`` ones."""
    return [p for p in available_notebooks(notebooks_dir) if not p.stem.startswith(INTERACTIVE_PREFIXES)]


def resolve_notebooks(names: list[str] | None, notebooks_dir: Path, file: str = "--notebooks") -> list[Path]:
    """Notebook names (``02-ranking``, ``02``, ``ranking`` or a path) -> files; unknown names are problems."""
    if not names:
        found = default_notebooks(notebooks_dir)
        if not found:
            raise InputError(
                Problem(display_path(notebooks_dir), "", "no report notebooks found", "expected files like 01-inputs.ipynb")
            )
        return found
    avail = available_notebooks(notebooks_dir)
    problems = ProblemList()
    out: list[Path] = []
    for name in names:
        p = Path(name)
        if p.suffix == ".ipynb" and p.exists():
            out.append(p.resolve())
            continue
        stem = p.stem if p.suffix == ".ipynb" else name
        match = (
            [a for a in avail if a.stem == stem]
            or [a for a in avail if a.stem[:2] == stem]
            or [a for a in avail if a.stem[3:] == stem]
        )
        if len(match) == 1:
            out.append(match[0])
        else:
            problems.add(
                file,
                f"notebook '{name}'",
                "not found in " + display_path(notebooks_dir),
                did_you_mean(stem, [a.stem for a in avail]),
            )
    problems.raise_if_any()
    return list(dict.fromkeys(out))


def _resolve_case(value: str | None, scenario_path: Path, root: Path) -> Path:
    if value is None:
        # data/<case>/scenarios/<name>.yaml
        guess = scenario_path.resolve().parent.parent
        if (guess / "case.yaml").exists():
            return guess
        raise InputError(
            Problem(
                display_path(scenario_path),
                "key 'case'",
                "no case given and the file is not in a case's scenarios/ folder",
                "add case: data/<case>",
            )
        )
    for candidate in (Path(value), root / value, root / "data" / value, scenario_path.parent / value):
        if (candidate / "case.yaml").exists():
            return candidate.resolve()
    data = root / "data"
    existing = sorted(d.name for d in data.iterdir() if (d / "case.yaml").exists()) if data.is_dir() else []
    raise InputError(
        Problem(display_path(scenario_path), "key 'case'", f"no case folder '{value}'", did_you_mean(Path(value).name, existing))
    )


# ---------------------------------------------------------------------------
# Planning
# ---------------------------------------------------------------------------


@dataclass
class Plan:
    """A checked scenario, ready to run."""

    scenario_file: Path
    name: str
    description: str
    case_dir: Path
    root: Path
    parameters: dict[str, Any]
    notebooks: list[Path]
    inputs: list[Path]

    def notebook_parameters(self, notebook: Path) -> dict[str, Any]:
        names = paramspec.NOTEBOOKS.get(notebook.stem)
        if names is None:
            import papermill

            names = tuple(papermill.inspect_notebook(str(notebook)).keys())
        return {k: v for k, v in self.parameters.items() if k in names}


def prepare(
    scenario_file: str | Path,
    notebooks: list[str] | None = None,
    notebooks_dir: str | Path | None = None,
    root: str | Path | None = None,
) -> Plan:
    """Read and check a scenario file and everything it names; raise InputError on any problem."""
    from procurement.case.loader import load_case
    from procurement.mcda.methods import METHODS
    from procurement.case.models import read_yaml

    path = Path(scenario_file)
    root_dir = Path(root).resolve() if root else project_root()
    if not path.exists():
        if not path.is_absolute() and (root_dir / path).exists():
            path = root_dir / path
        else:
            near = (
                sorted(str(display_path(p)) for p in (root_dir / "data").glob("*/scenarios/*.yaml"))
                if (root_dir / "data").is_dir()
                else []
            )
            raise InputError(Problem(str(scenario_file), "", "scenario file not found", did_you_mean(str(scenario_file), near)))
    if path.is_dir():
        raise InputError(
            Problem(display_path(path), "", "is a folder, not a scenario file", "give data/<case>/scenarios/<name>.yaml")
        )
    data = read_yaml(path)
    paramspec.check_scenario_data(data, path)
    case_dir = _resolve_case(data.get("case"), path, root_dir)
    case = load_case(case_dir)

    problems = ProblemList()
    where = display_path(path)
    decision = data["decision"]
    if decision not in case.decisions:
        problems.add(
            where, "key 'decision'", f"unknown decision '{decision}' in case '{case.id}'", did_you_mean(decision, case.decisions)
        )
    else:
        from procurement.mcda.weights import SPECIAL_SOURCES

        profile = data.get("profile")
        profiles = [*case.decisions[decision].profiles, *SPECIAL_SOURCES]
        if profile is not None and profile not in profiles:
            problems.add(
                where,
                "key 'profile'",
                f"no weight profile '{profile}' for decision '{decision}'",
                did_you_mean(profile, profiles),
            )
    for m in data.get("methods") or []:
        if m not in METHODS:
            problems.add(where, "key 'methods'", f"unknown method '{m}'", did_you_mean(m, METHODS))
    if not problems:  # the analysis this scenario describes must build (weights, AHP file, uncertainty)
        try:
            case.analysis({k: v for k, v in data.items() if k not in ("case", "notebooks")})
        except InputError as e:
            problems.extend(Problem(where, f"key '{p.file}'" if p.file else p.where, p.message, p.hint) for p in e.problems)
    nb_dir = Path(notebooks_dir) if notebooks_dir else root_dir / "notebooks"
    try:
        nbs = resolve_notebooks(
            notebooks if notebooks else data.get("notebooks"), nb_dir, "--notebooks" if notebooks else f"{where}: key 'notebooks'"
        )
    except InputError as e:
        problems.extend(e.problems)
        nbs = []
    problems.raise_if_any()

    try:
        case_param = str(case_dir.resolve().relative_to(root_dir))
    except ValueError:
        case_param = str(case_dir.resolve())
    values = paramspec.defaults()
    values.update({k: v for k, v in data.items() if k in paramspec.PARAMETERS})
    values["case"] = case_param
    values["scenario"] = data["name"]

    inputs = _input_files(case, case_dir, path, nbs, root_dir)
    return Plan(path.resolve(), data["name"], data.get("description", ""), case_dir.resolve(), root_dir, values, nbs, inputs)


def _input_files(case, case_dir: Path, scenario: Path, notebooks: list[Path], root: Path) -> list[Path]:
    files: set[Path] = {p.resolve() for p in case.files}
    files.add(scenario.resolve())
    for p in case_dir.rglob("*"):
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(case_dir).parts):
            files.add(p.resolve())
    from procurement.law.rules import default_rules_dir

    rules = case_dir.parent / "rules"
    if not rules.is_dir():
        rules = Path(default_rules_dir())  # the reference data shipped in the package (or $PROCUREMENT_RULES)
    if rules.is_dir():
        files.update(p.resolve() for p in rules.glob("*.yaml"))
    files.update(p.resolve() for p in notebooks)
    return sorted(files)


# ---------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------


@dataclass
class NotebookStatus:
    notebook: str
    source: str
    status: str = "not run"  # ok | failed | not run
    seconds: float | None = None
    output: str | None = None
    html: str | None = None
    error: str | None = None


@dataclass
class RunResult:
    scenario: str
    scenario_file: str
    status: str  # ok | failed
    folder: str | None
    notebooks: list[NotebookStatus] = field(default_factory=list)
    message: str = ""
    summary_html: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            out[name] = metadata.version(name)
    return out


def git_state(root: Path) -> dict[str, Any] | None:
    try:
        commit = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10)
        if commit.returncode != 0:
            return None
        status = subprocess.run(["git", "-C", str(root), "status", "--porcelain"], capture_output=True, text=True, timeout=20)
        return {"commit": commit.stdout.strip(), "dirty": bool(status.stdout.strip()) if status.returncode == 0 else None}
    except (OSError, subprocess.SubprocessError):
        return None


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root))
    except ValueError:
        return str(path)


def check_output_dir(out: str | Path) -> Path:
    """Create the reports folder if needed and make sure a run folder can be written there."""
    out = Path(out)
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


def _rename(src: Path, out: Path, base: str) -> Path:
    for _ in range(100):
        target = _final_name(out, base)
        try:
            os.rename(src, target)
            return target
        except OSError:
            if not target.exists():
                raise
    raise OSError(f"cannot rename {src}")


def _kernel_manager_class(log_path: Path):
    """A kernel manager that writes the kernel process's own stderr to `log_path`.

    ipykernel prints start-up notices (for example about TCP transport) on the
    kernel process's stderr, which would otherwise land on the terminal between
    the progress bars. Cell output is unaffected: it is captured in the notebook.
    """
    from jupyter_client.manager import AsyncKernelManager

    class _LoggedKernelManager(AsyncKernelManager):
        async def _async_launch_kernel(self, kernel_cmd, **kw):
            kw.setdefault("stderr", open(log_path, "ab"))  # noqa: SIM115 - owned by the kernel process
            return await super()._async_launch_kernel(kernel_cmd, **kw)

    return _LoggedKernelManager


def _skip_slow_optional_imports() -> None:
    """Keep jsonschema from compiling an IRI grammar it never needs here.

    nbformat validates notebooks with jsonschema, which imports the optional
    ``rfc3987_syntax`` package when it is installed; that import builds a
    parser and costs seconds on every run. Notebook schemas use no IRI formats,
    so the runner marks the package as absent before nbformat is imported.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def _error_text(err: BaseException) -> str:
    try:
        from papermill.exceptions import PapermillExecutionError
    except ImportError:  # pragma: no cover
        PapermillExecutionError = ()  # type: ignore[assignment]
    if isinstance(err, PapermillExecutionError):
        evalue = " ".join(str(err.evalue).split())
        return f"cell {err.exec_count}: {err.ename}: {evalue}"
    text = " ".join(str(err).split())
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


def default_notebook_jobs() -> int:
    """Notebooks of one scenario run side by side: two kernels when there are two or more cores."""
    return max(1, min(2, os.cpu_count() or 1))


@dataclass
class _Outcome:
    status: str
    error: str | None
    seconds: float
    written: bool
    interrupted: bool = False


def _run_notebook(
    nb: str, target: str, parameters: dict, cwd: str, timeout: int, log_path: str, progress_bar: Any = False, on_cell=None
) -> _Outcome:
    """Execute one notebook with papermill; never raises for a failing cell."""
    _skip_slow_optional_imports()
    import papermill

    extra = {"on_cell_executed": on_cell} if on_cell is not None else {}
    t0 = time.perf_counter()
    status, error, interrupted = "ok", None, False
    try:
        papermill.execute_notebook(
            nb,
            target,
            parameters=parameters,
            kernel_name=KERNEL,
            language="python",
            cwd=cwd,
            progress_bar=progress_bar,
            log_output=False,
            execution_timeout=timeout,
            start_timeout=120,
            kernel_manager_class=_kernel_manager_class(Path(log_path)),
            **extra,
        )
    except KeyboardInterrupt:
        status, error, interrupted = "failed", "interrupted", True
    except Exception as err:  # noqa: BLE001 - reported, run folder marked failed
        status, error = "failed", _error_text(err)
    return _Outcome(status, error, round(time.perf_counter() - t0, 2), Path(target).exists(), interrupted)


def _record(st: NotebookStatus, outcome: _Outcome) -> BaseException | None:
    st.status, st.error, st.seconds = outcome.status, outcome.error, outcome.seconds
    if outcome.written:
        st.output = st.notebook + ".ipynb"
    if outcome.interrupted:
        raise KeyboardInterrupt
    return RuntimeError(outcome.error) if outcome.status != "ok" else None


_QUEUE = None


def _init_worker(queue, tables_dir: str) -> None:
    global _QUEUE
    _QUEUE = queue
    from procurement.report import excel

    os.environ[excel.TABLES_ENV] = tables_dir


def _cell_done(**_kw) -> None:
    if _QUEUE is not None:
        _QUEUE.put(1)


def _worker_notebook(nb: str, target: str, parameters: dict, cwd: str, timeout: int, log_path: str) -> _Outcome:
    return _run_notebook(nb, target, parameters, cwd, timeout, log_path, progress_bar=False, on_cell=_cell_done)


def _count_code_cells(path: str) -> int:
    with open(path, encoding="utf-8") as f:
        nb = json.load(f)
    return sum(1 for c in nb.get("cells", []) if c.get("cell_type") == "code") + 1  # + papermill's injected cell


def _run_parallel(tasks, statuses, jobs: int, common: dict, tables_dir: Path, name: str, disable) -> BaseException | None:
    """Run the notebooks of one scenario in `jobs` processes, one kernel each; stop starting new ones after a failure."""
    import multiprocessing
    import queue as queue_mod
    from concurrent.futures import FIRST_COMPLETED, wait

    from tqdm.auto import tqdm

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    q = ctx.Queue()
    failed: BaseException | None = None
    nb_bar = tqdm(total=len(tasks), desc=name, unit="notebook", disable=disable, position=0, leave=True)
    cell_bar = tqdm(
        total=sum(_count_code_cells(t[0]) for t in tasks), desc="  cells", unit="cell", disable=disable, position=1, leave=False
    )
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init_worker, initargs=(q, str(tables_dir))) as pool:
        futures = {pool.submit(_worker_notebook, nb, target, params, **common): i for i, (nb, target, params) in enumerate(tasks)}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            try:
                while True:
                    cell_bar.update(q.get_nowait())
            except queue_mod.Empty:
                pass
            for fut in done:
                st = statuses[futures[fut]]
                if fut.cancelled():
                    continue
                failed = _record(st, fut.result()) or failed
                nb_bar.update(1)
                nb_bar.set_postfix_str(st.notebook)
            if failed is not None:
                for fut in pending:
                    fut.cancel()
    cell_bar.close()
    nb_bar.close()
    return failed


def execute(
    plan: Plan,
    out: str | Path = "reports",
    timeout: int = DEFAULT_TIMEOUT,
    progress: bool | None = None,
    html: bool = True,
    workbook: bool = True,
    stamp: str | None = None,
    notebook_jobs: int | None = None,
) -> RunResult:
    """Run every notebook of `plan` and build its report folder (see the module docstring).

    The notebooks run in `notebook_jobs` processes side by side (default
    :func:`default_notebook_jobs`), each with its own kernel; 1 runs them one
    after the other with a progress bar over each notebook's cells.
    """
    _skip_slow_optional_imports()
    import papermill  # noqa: F401 - imported once here, before any worker process is forked
    from tqdm.auto import tqdm

    from procurement.report import excel
    from procurement.report import htmlreport

    out = check_output_dir(out)
    started_wall = time.perf_counter()
    started = _now()
    stamp = stamp or dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    base = f"{stamp}-{plan.name}"
    tmp = Path(tempfile.mkdtemp(prefix=f".{base}.", suffix=".partial", dir=out))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)
    tables_dir = tmp / "tables"
    statuses = [NotebookStatus(nb.stem, _rel(nb, plan.root)) for nb in plan.notebooks]
    result = RunResult(plan.name, _rel(plan.scenario_file, plan.root), "failed", None, statuses)

    disable = None if progress is None else not progress
    jobs = notebook_jobs if notebook_jobs is not None else default_notebook_jobs()
    jobs = max(1, min(jobs, len(plan.notebooks)))
    tasks = [(str(nb), str(tmp / f"{nb.stem}.ipynb"), plan.notebook_parameters(nb)) for nb in plan.notebooks]
    common: dict[str, Any] = {"cwd": str(plan.root), "timeout": timeout, "log_path": str(tmp / "kernel.log")}
    old_env = os.environ.get(excel.TABLES_ENV)
    os.environ[excel.TABLES_ENV] = str(tables_dir)
    failed: BaseException | None = None
    try:
        if jobs == 1:
            bar = tqdm(total=len(tasks), desc=plan.name, unit="notebook", disable=disable, position=0, leave=True)
            for (nb, target, params), st in zip(tasks, statuses, strict=False):
                bar.set_postfix_str(st.notebook)
                cells = {"desc": f"  {st.notebook}", "leave": False, "disable": disable, "position": 1}
                outcome = _run_notebook(nb, target, params, progress_bar=cells, **common)
                failed = _record(st, outcome) or failed
                bar.update(1)
                if failed is not None:
                    break
            bar.close()
        else:
            failed = _run_parallel(tasks, statuses, jobs, common, tables_dir, plan.name, disable)
    except KeyboardInterrupt as err:
        failed = err
    finally:
        if old_env is None:
            os.environ.pop(excel.TABLES_ENV, None)
        else:
            os.environ[excel.TABLES_ENV] = old_env

    if failed is None:
        try:
            if html:
                title_case = plan.parameters.get("case", "")
                for st in statuses:
                    page = tmp / f"{st.notebook}.html"
                    htmlreport.to_html(
                        tmp / f"{st.notebook}.ipynb",
                        page,
                        footer=f"{plan.name} · {title_case} · {started} · procurement-workbench",
                    )
                    st.html = page.name
            if workbook:
                tables = excel.collect(tables_dir, [st.notebook for st in statuses])
                excel.write_workbook(tables, tmp / WORKBOOK_NAME)
        except Exception as err:  # noqa: BLE001
            failed = err
            result.message = f"building the report failed: {_error_text(err)}"

    result.status = "ok" if failed is None else "failed"
    result.seconds = round(time.perf_counter() - started_wall, 2)
    if failed is not None and not result.message:
        bad = next((s for s in statuses if s.status == "failed"), None)
        result.message = f"notebook {bad.notebook} failed at {bad.error}" if bad else f"the run failed: {_error_text(failed)}"
    manifest = _manifest(plan, result, started, tmp, base)
    (tmp / MANIFEST_NAME).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    final = _rename(tmp, out, base if failed is None else base + ".failed")
    result.folder = str(final)
    if failed is None:
        summary = final / f"{SUMMARY_NOTEBOOK}.html"
        pages = sorted(final.glob("*.html"))
        result.summary_html = str(summary if summary.exists() else (pages[-1] if pages else final))
    elif isinstance(failed, KeyboardInterrupt):
        raise failed
    return result


def _manifest(plan: Plan, result: RunResult, started: str, folder: Path, run_id: str) -> dict[str, Any]:
    return {
        "run": run_id,
        "status": result.status,
        "message": result.message,
        "scenario": {"name": plan.name, "file": _rel(plan.scenario_file, plan.root), "description": plan.description},
        "case": _rel(plan.case_dir, plan.root),
        "parameters": plan.parameters,
        "notebooks": [
            {**asdict(st), "parameters": plan.notebook_parameters(plan.notebooks[i])} for i, st in enumerate(result.notebooks)
        ],
        "outputs": {
            "workbook": WORKBOOK_NAME if (folder / WORKBOOK_NAME).exists() else None,
            "summary_html": f"{SUMMARY_NOTEBOOK}.html" if (folder / f"{SUMMARY_NOTEBOOK}.html").exists() else None,
        },
        "inputs": [
            {"path": _rel(p, plan.root), "sha256": sha256(p), "bytes": p.stat().st_size} for p in plan.inputs if p.exists()
        ],
        "environment": {"versions": versions(), "platform": platform.platform(), "kernel": KERNEL, "executable": sys.executable},
        "git": git_state(plan.root),
        "started": started,
        "finished": _now(),
        "seconds": result.seconds,
        "command": sys.argv,
    }


def _execute_in_worker(plan: Plan, out: str, timeout: int) -> RunResult:
    try:
        return execute(plan, out, timeout, progress=False, notebook_jobs=1)
    except InputError as err:
        return RunResult(plan.name, str(plan.scenario_file), "bad input", None, message=str(err))
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
) -> list[RunResult]:
    """Run several checked scenarios.

    With ``jobs > 1`` the scenarios run in that many processes, each running
    its notebooks one after the other with one kernel. Otherwise the scenarios
    run in turn, each with `notebook_jobs` kernels side by side.
    """
    check_output_dir(out)
    if jobs <= 1 or len(plans) <= 1:
        return [execute(p, out, timeout, progress=progress, notebook_jobs=notebook_jobs) for p in plans]
    import multiprocessing

    from tqdm.auto import tqdm

    results: list[RunResult | None] = [None] * len(plans)
    ctx = multiprocessing.get_context("spawn")
    disable = None if progress is None else not progress
    with ProcessPoolExecutor(max_workers=min(jobs, len(plans)), mp_context=ctx) as pool:
        futures = {pool.submit(_execute_in_worker, p, str(out), timeout): i for i, p in enumerate(plans)}
        with tqdm(total=len(plans), desc="scenarios", unit="scenario", disable=disable) as bar:
            for fut in as_completed(futures):
                i = futures[fut]
                results[i] = fut.result()
                bar.update(1)
    return [r for r in results if r is not None]
