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

import contextlib

from procurement.case.errors import InputError, Problem, ProblemList, did_you_mean, display_path
from procurement.report import params as paramspec
from procurement.report import workers

KERNEL = "python3"
DEFAULT_SCENARIO = "data/national-municipal-solution/scenarios/default.yaml"
#: Default seconds a single cell may run before the run fails.
DEFAULT_TIMEOUT = 600
#: Notebooks whose name starts with one of these are interactive, not part of a report.
INTERACTIVE_PREFIXES = ("00-",)
#: The notebook whose HTML is "the report" an advisor sends on.
SUMMARY_NOTEBOOK = "07-summary"
WORKBOOK_NAME = "results.xlsx"
#: At most this many kernels side by side for one scenario (each takes 150-300 MB).
MAX_NOTEBOOK_JOBS = 4
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


def _project_of(path: Path) -> Path | None:
    """The nearest folder above `path` holding ``notebooks/`` and ``data/``, or None."""
    for p in path.resolve().parents:
        if (p / "notebooks").is_dir() and (p / "data").is_dir():
            return p
    return None


def available_notebooks(notebooks_dir: Path) -> list[Path]:
    """Every numbered notebook (``NN-name.ipynb``) in the folder, in order."""
    if not notebooks_dir.is_dir():
        return []
    return sorted(p for p in notebooks_dir.glob("*.ipynb") if _NB_RE.match(p.stem))


def default_notebooks(notebooks_dir: Path) -> list[Path]:
    """The report notebooks: every numbered notebook except the interactive ``00-`` ones."""
    return [p for p in available_notebooks(notebooks_dir) if not p.stem.startswith(INTERACTIVE_PREFIXES)]


def _is_path(name: str) -> bool:
    return "/" in name or "\\" in name or name.startswith(".") or Path(name).is_absolute() or ":" in name


def resolve_notebooks(
    names: list[str] | None, notebooks_dir: Path, file: str = "--notebooks", allow_paths: bool = True
) -> list[Path]:
    """Notebook names (``02-ranking``, ``02``, ``ranking`` or a path) -> files; unknown names are problems.

    With ``allow_paths=False`` (the ``notebooks:`` key of a scenario file, which
    is data, not code) only names of notebooks in `notebooks_dir` are accepted:
    a path, absolute or relative, is a problem naming the key. Paths are for the
    person running the command (``--notebooks``, ``--notebooks-dir``).
    """
    notebooks_dir = Path(notebooks_dir).absolute()
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
        if not allow_paths and _is_path(name):
            problems.add(
                file,
                f"notebook '{name[:80]}'",
                f"is a path; a scenario file may only name notebooks of {display_path(notebooks_dir)}",
                "give a name such as 02-ranking; to run another notebook, use --notebooks or --notebooks-dir",
            )
            continue
        if allow_paths and p.suffix == ".ipynb" and p.exists():
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
                f"notebook '{name[:80]}'",
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


def _locate_scenario(scenario_file: str | Path, root: str | Path | None) -> tuple[Path, Path]:
    """The scenario file (also relative to the project) and its project folder, whose notebooks the run uses."""
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
    if not root:  # the project the scenario belongs to (its notebooks), wherever the command was started
        own = _project_of(path)
        root_dir = own or root_dir
    return path, root_dir


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

    path, root_dir = _locate_scenario(scenario_file, root)
    data = read_yaml(path)
    if isinstance(data, dict) and "language" in data:  # no / norsk / bokmål (and YAML's False for `no`) mean nb
        from procurement.case.models import normalise_language

        data["language"] = normalise_language(data["language"])
    paramspec.check_scenario_data(data, path)
    case_dir = _resolve_case(data.get("case"), path, root_dir)
    case = load_case(case_dir)
    from procurement.validation import bounded_problems

    bounded = bounded_problems(case)  # the case's other files (financing, tenders/...) within the parsing limits
    if bounded:
        raise InputError(bounded)

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
    nb_dir = Path(notebooks_dir).absolute() if notebooks_dir else root_dir / "notebooks"
    try:
        if notebooks:
            nbs = resolve_notebooks(notebooks, nb_dir, "--notebooks")
        else:
            nbs = resolve_notebooks(data.get("notebooks"), nb_dir, f"{where}: key 'notebooks'", allow_paths=False)
    except InputError as e:
        problems.extend(e.problems)
        nbs = []
    nbs, competition_problems = _competition_notebooks(data, case_dir, nbs, explicit=bool(notebooks or data.get("notebooks")))
    problems.extend(Problem(where, p.where, p.message, p.hint) for p in competition_problems)
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


def _competition_notebooks(data: dict, case_dir: Path, nbs: list[Path], explicit: bool) -> tuple[list[Path], list[Problem]]:
    """Report notebooks that need a competition (08-tender-evaluation) run only when the scenario names one."""
    from procurement.tender.competition import competitions

    needs = [p for p in nbs if "competition" in paramspec.NOTEBOOKS.get(p.stem, ())]
    name = data.get("competition")
    if name is None:
        if explicit and needs:
            return nbs, [Problem("", "key 'competition'", f"notebook {needs[0].stem} needs a competition",
                                 f"add competition: ID ({', '.join(competitions(case_dir)) or 'none in tenders/'})")]
        return [p for p in nbs if p not in needs], []
    if name not in competitions(case_dir):
        return nbs, [Problem("", "key 'competition'", f"no competition '{name}' in the case's tenders/ folder",
                             did_you_mean(str(name), competitions(case_dir)))]
    return nbs, []


def _input_files(case, case_dir: Path, scenario: Path, notebooks: list[Path], root: Path) -> list[Path]:
    files: set[Path] = {p.resolve() for p in case.files}
    files.add(scenario.resolve())
    for p in case_dir.rglob("*"):
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(case_dir).parts):
            files.add(p.resolve())
    from procurement import default_rules_dir

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
    status: str = "not run"  # ok | failed | interrupted | killed | not run
    seconds: float | None = None
    output: str | None = None
    html: str | None = None
    error: str | None = None


@dataclass
class RunResult:
    scenario: str
    scenario_file: str
    status: str  # ok | failed | interrupted | bad input
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


def _write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    (folder / MANIFEST_NAME).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _publish(src: Path, out: Path, base: str, manifest: dict[str, Any]) -> Path:
    """Rename `src` to the first free ``out/base[-N]``, its manifest naming that folder.

    The manifest is rewritten before each attempt, so when two runs race for
    the same name each manifest names the folder it ended up in.
    """
    for _ in range(100):
        target = _final_name(out, base)
        manifest["run"] = target.name
        _write_manifest(src, manifest)
        try:
            os.rename(src, target)
            return target
        except OSError:
            if not target.exists():
                raise
    raise OSError(f"no free name for {base} in {out}")


def _skip_slow_optional_imports() -> None:
    """Keep jsonschema from compiling an IRI grammar it never needs here.

    nbformat validates notebooks with jsonschema, which imports the optional
    ``rfc3987_syntax`` package when it is installed; that import builds a
    parser and costs seconds on every run. Notebook schemas use no IRI formats,
    so the runner marks the package as absent before nbformat is imported.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


_error_text = workers.error_text


def default_notebook_jobs() -> int:
    """Notebooks of one scenario run side by side: one kernel per core, at most :data:`MAX_NOTEBOOK_JOBS`."""
    return max(1, min(MAX_NOTEBOOK_JOBS, os.cpu_count() or 1))


def _count_code_cells(path: str) -> int:
    with open(path, encoding="utf-8") as f:
        nb = json.load(f)
    return sum(1 for c in nb.get("cells", []) if c.get("cell_type") == "code") + 1  # + papermill's injected cell


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
    from tqdm.auto import tqdm

    from procurement.report import excel

    footer = _footer(plan, started) if html else None
    tasks = [
        workers.Task(nb.stem, str(nb), str(tmp / f"{nb.stem}.ipynb"), plan.notebook_parameters(nb), footer, str(plan.case_dir))
        for nb in plan.notebooks
    ]
    run = {"cwd": str(plan.root), "timeout": timeout, "log_path": str(tmp / "kernel.log"), "kernel": KERNEL, "warm": not fresh}
    nb_bar = tqdm(total=len(tasks), desc=plan.name, unit="notebook", disable=disable, position=0, leave=True)
    cell_bar = tqdm(
        total=sum(_count_code_cells(t.source) for t in tasks), desc="  cells", unit="cell", disable=disable, position=1,
        leave=False,
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
    for manifest in sorted(out.glob(f"????????-??????-{plan.name}/{MANIFEST_NAME}"), reverse=True)[:1]:
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
    from procurement.report import excel, htmlreport

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
                              title=f"{htmlreport.report_word(lang)}: {plan.name}", extras=[WORKBOOK_NAME])


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
    _skip_slow_optional_imports()
    import papermill  # noqa: F401 - imported once here, before any worker process is forked

    if html:  # the workers render the pages: nbconvert too is imported once, here, not in every worker
        from procurement.report import htmlreport  # noqa: F401

    out = check_output_dir(out)
    started_wall = time.perf_counter()
    started = _now()
    stamp = stamp or dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    base = f"{stamp}-{plan.name}"
    tmp = _make_partial(out, base)
    statuses = [NotebookStatus(nb.stem, _rel(nb, plan.root)) for nb in plan.notebooks]
    result = RunResult(plan.name, _rel(plan.scenario_file, plan.root), "failed", None, statuses)

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
    _finish(plan, result, started, tmp, out, base)
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


def _init_scenario_worker() -> None:
    """A scenario worker ignores the terminal's Ctrl-C; the runner stops it with SIGTERM, read as a Ctrl-C."""
    import signal

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
            if results[-1].status == "interrupted":
                break
        return results
    return _run_scenarios_in_parallel(plans, out, jobs, timeout, progress)


def _run_scenarios_in_parallel(plans: list[Plan], out: Path, jobs: int, timeout: int, progress: bool | None) -> list[RunResult]:
    import multiprocessing
    import signal
    from concurrent.futures import wait

    from tqdm.auto import tqdm

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
        r if r is not None else RunResult(p.name, _rel(p.scenario_file, p.root), "interrupted", None, message="interrupted")
        for p, r in zip(plans, results, strict=True)
    ]
