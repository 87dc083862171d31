"""Planning a report run: a scenario file checked, with everything it names, before any kernel starts.

:func:`prepare` reads a scenario file and returns a :class:`Plan` or raises one
:class:`~procurement.InputError` listing every problem (exit status 2, nothing written):

1. the file's keys and values, against the one scenario model (:func:`procurement.read_scenario`: an unknown
   key with "did you mean", a value of the wrong type with what is expected);
2. the case it belongs to (``case:``, else the case folder the file sits in), loaded and checked once, and its
   other files within the parsing limits (:func:`procurement.bounded_problems`);
3. the engine's checks of the scenario against the case (:func:`procurement.check_scenario`: decision,
   profile, methods, competition, the analysis builds);
4. the report's own: the notebooks it names and a competition for the notebooks that need one
   (:func:`report_problems`, which ``procurement validate`` asks too).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import procurement as pw
from procurement import InputError, Problem, ProblemList, did_you_mean, display_path
from procurement.report import params as paramspec
from procurement.report.project import case_of_scenario, project_root, resolve_notebooks

DEFAULT_SCENARIO = "data/national-municipal-solution/scenarios/default.yaml"


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
            import papermill  # lazy: papermill costs 0.16 s at import; only a notebook the schema does not know needs it

            names = tuple(papermill.inspect_notebook(str(notebook)).keys())
        return {k: v for k, v in self.parameters.items() if k in names}


def prepare(
    scenario_file: str | Path,
    notebooks: list[str] | None = None,
    notebooks_dir: str | Path | None = None,
    root: str | Path | None = None,
) -> Plan:
    """Read and check a scenario file and everything it names; raise InputError on any problem."""
    path, root_dir = locate_scenario(scenario_file, root)
    scenario = pw.read_scenario(path)
    case_dir = resolve_case(scenario.case, path, root_dir)
    case = pw.load_case(case_dir)
    bounded = pw.bounded_problems(case)  # the case's other files (financing, tenders/...) within the parsing limits
    if bounded:
        raise InputError(bounded)
    problems = ProblemList()
    problems.extend(pw.check_scenario(case, scenario, path))
    nbs, found = _notebooks(scenario, path, case_dir, root_dir, notebooks, notebooks_dir)
    problems.extend(found)
    problems.raise_if_any()

    try:
        case_param = str(case_dir.resolve().relative_to(root_dir))
    except ValueError:
        case_param = str(case_dir.resolve())
    values = paramspec.defaults()
    given = scenario.model_dump()
    values.update({k: given[k] for k in scenario.model_fields_set if k in paramspec.PARAMETERS})
    values["case"] = case_param
    values["scenario"] = scenario.name
    inputs = sorted({*pw.input_files(case), path.resolve(), *(p.resolve() for p in nbs)})
    return Plan(path.resolve(), scenario.name, scenario.description, case_dir.resolve(), root_dir, values, nbs, inputs)


def report_problems(scenario_file: str | Path, root: str | Path | None = None) -> list[Problem]:
    """The report's half of checking a scenario file, one line each: its ``case`` key, the notebooks it names,
    a competition for the notebooks that need one. ``procurement validate`` asks it for each scenario of a case
    after the engine's checks (:func:`procurement.validate`), so the two never report the same thing twice."""
    try:
        path, root_dir = locate_scenario(scenario_file, root)
        scenario = pw.read_scenario(path)
        case_dir = resolve_case(scenario.case, path, root_dir)
    except InputError as e:
        return list(e.problems)
    return _notebooks(scenario, path, case_dir, root_dir, None, None)[1]


def _notebooks(scenario, path: Path, case_dir: Path, root_dir: Path, notebooks: list[str] | None,
               notebooks_dir: str | Path | None) -> tuple[list[Path], list[Problem]]:
    """The notebooks to run (``--notebooks``, else the scenario's ``notebooks``, else every report notebook)."""
    where = display_path(path)
    nb_dir = Path(notebooks_dir).absolute() if notebooks_dir else root_dir / "notebooks"
    try:
        if notebooks:
            nbs = resolve_notebooks(notebooks, nb_dir, "--notebooks")
        else:
            nbs = resolve_notebooks(scenario.notebooks, nb_dir, f"{where}: key 'notebooks'", allow_paths=False)
    except InputError as e:
        return [], list(e.problems)
    return _competition_notebooks(scenario, case_dir, nbs, where, explicit=bool(notebooks or scenario.notebooks))


def _competition_notebooks(scenario, case_dir: Path, nbs: list[Path], where: str,
                           explicit: bool) -> tuple[list[Path], list[Problem]]:
    """Report notebooks that need a competition (08-tender-evaluation) run only when the scenario names one."""
    needs = [p for p in nbs if "competition" in paramspec.NOTEBOOKS.get(p.stem, ())]
    if scenario.competition is not None or not needs:
        return nbs, []
    if explicit:
        known = ", ".join(pw.tender_competitions(case_dir)) or "none in tenders/"
        return nbs, [Problem(where, "key 'competition'", f"notebook {needs[0].stem} needs a competition",
                             f"add competition: ID ({known})")]
    return [p for p in nbs if p not in needs], []


def locate_scenario(scenario_file: str | Path, root: str | Path | None) -> tuple[Path, Path]:
    """The scenario file (also relative to the project) and the project whose notebooks the run uses.

    The project is the command's (:func:`~procurement.report.project.project_root`: the working folder's, else the
    project the case is laid out in, ``PROJECT/data/<case>``, else the installed checkout's), never the case's own
    folder: a case may carry ``notebooks/`` and ``data/`` of its own, and those are data from whoever sent the case,
    not code to run."""
    path = Path(scenario_file)
    root_dir = Path(root).resolve() if root else project_root(case_dir=case_of_scenario(path) if path.is_file() else None)
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
    return path, root_dir


def resolve_case(value: str | None, scenario_path: Path, root: Path) -> Path:
    """The case folder a scenario names (``case:``), else the one its file sits in (``data/<case>/scenarios/``)."""
    if value is None:
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
