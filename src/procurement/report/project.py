"""The project and its report notebooks: the project folder, the numbered notebooks in it, names given to run.

A report notebook is a file ``notebooks/NN-name.ipynb`` of the project (the folder holding ``notebooks/`` and
``data/``). The interactive ones (``00-``) are not part of a report. A notebook is named ``02-ranking``, ``02``
or ``ranking``; on the command line (``--notebooks``) a path may be given too, but a scenario file, which is data
and not code, may only name notebooks of the project's folder.

Which project a command belongs to is decided by where the person started it and where the package is installed,
never by where a case lies: a case is data that may come from anyone, so a ``notebooks/`` folder inside a case, or
next to one, is never run (:func:`project_root`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from procurement import InputError, Problem, ProblemList, did_you_mean, display_path

#: Notebooks whose name starts with one of these are interactive, not part of a report.
INTERACTIVE_PREFIXES = ("00-",)
#: The notebook ``procurement papers`` runs once per municipality: not a page of the report.
PAPER_NOTEBOOK = "09-municipality"

_NB_RE = re.compile(r"^\d\d-[a-z0-9-]+$")
#: the file that makes a folder a case
CASE_FILE = "case.yaml"


def project_root(start: Path | None = None, case_dir: Path | None = None) -> Path:
    """The project a command belongs to: the folder whose ``notebooks/`` a report runs.

    The nearest folder upwards from the working folder (`start`) that holds ``notebooks/`` and ``data/`` and is
    not part of a case (:func:`is_project`); else, for a case laid out as a project keeps it (`case_dir` is
    ``PROJECT/data/<case>``), that project when it is one; else the checkout the package is installed from; else
    `start` (whose missing notebooks are then reported). A case's own folder never is: a case that carries
    ``notebooks/`` and ``data/`` of its own (or sits beside them) brings no code into a run.
    """
    start = (start or Path.cwd()).resolve()
    for p in [start, *start.parents]:
        if is_project(p):
            return p
    if case_dir is not None:
        case_dir = Path(case_dir).resolve()
        if case_dir.parent.name == "data" and is_project(case_dir.parent.parent):
            return case_dir.parent.parent
    repo = Path(__file__).resolve().parents[3]
    if (repo / "notebooks").is_dir():
        return repo
    return repo if (start / "notebooks").exists() else start


def case_of_scenario(path: str | Path) -> Path | None:
    """The case a scenario file sits in (``<case>/scenarios/<name>.yaml``), or None."""
    case = Path(path).resolve().parent.parent
    return case if (case / CASE_FILE).exists() else None


def is_project(folder: Path) -> bool:
    """Whether `folder` may be a project: it holds ``notebooks/`` and ``data/``, it is not a case or inside one
    (no ``case.yaml`` in it or a folder above), and no case sits right beside its ``notebooks/`` (a subfolder
    holding ``case.yaml``: a project keeps its cases in ``data/<case>/``)."""
    if not ((folder / "notebooks").is_dir() and (folder / "data").is_dir()):
        return False
    if any((p / CASE_FILE).exists() for p in [folder, *folder.parents]):
        return False
    return not any((sub / CASE_FILE).exists() for sub in _subfolders(folder))


def _subfolders(folder: Path) -> list[Path]:
    try:
        return [p for p in folder.iterdir() if p.is_dir()]
    except OSError:
        return []


def case_notebooks(case_dir: Path) -> Path | None:
    """A ``notebooks/`` folder a case carries (inside it or beside it), which a run never uses; None without."""
    case_dir = Path(case_dir).resolve()
    for folder in (case_dir / "notebooks", case_dir.parent / "notebooks"):
        if folder.is_dir() and available_notebooks(folder) and folder.parent != project_root(case_dir=case_dir):
            return folder
    return None


def available_notebooks(notebooks_dir: Path) -> list[Path]:
    """Every numbered notebook (``NN-name.ipynb``) in the folder, in order."""
    if not notebooks_dir.is_dir():
        return []
    return sorted(p for p in notebooks_dir.glob("*.ipynb") if _NB_RE.match(p.stem))


def default_notebooks(notebooks_dir: Path) -> list[Path]:
    """The report notebooks: every numbered notebook except the interactive ``00-`` ones."""
    return [p for p in available_notebooks(notebooks_dir)
            if not p.stem.startswith(INTERACTIVE_PREFIXES) and p.stem != PAPER_NOTEBOOK]


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


def check_scenario_notebooks(data: Any, path: str | Path, notebooks_dir: str | Path | None = None) -> list[Problem]:
    """Problems with the ``notebooks:`` key of a scenario file's contents.

    A scenario file is data, not code: it may name only notebooks of the
    project's notebook folder (``notebooks/``, or `notebooks_dir` when the
    person running the command gives one), by name (``02-ranking``, ``02``,
    ``ranking``), never by path. Returns one problem per bad entry naming the
    key; an empty list when the key is absent or fine (a value of the wrong
    type is the scenario model's to report).
    """
    if not isinstance(data, dict) or not data.get("notebooks"):
        return []
    names = data["notebooks"]
    if not isinstance(names, list) or not all(isinstance(v, str) and v for v in names):
        return []
    folder = Path(notebooks_dir) if notebooks_dir else project_root(case_dir=case_of_scenario(path)) / "notebooks"
    try:
        resolve_notebooks(names, folder, f"{display_path(path)}: key 'notebooks'", allow_paths=False)
    except InputError as e:
        return list(e.problems)
    return []
