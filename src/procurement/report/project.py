"""The project and its report notebooks: the project folder, the numbered notebooks in it, names given to run.

A report notebook is a file ``notebooks/NN-name.ipynb`` of the project (the folder holding ``notebooks/`` and
``data/``). The interactive ones (``00-``) are not part of a report. A notebook is named ``02-ranking``, ``02``
or ``ranking``; on the command line (``--notebooks``) a path may be given too, but a scenario file, which is data
and not code, may only name notebooks of the project's folder.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from procurement import InputError, Problem, ProblemList, did_you_mean, display_path

#: Notebooks whose name starts with one of these are interactive, not part of a report.
INTERACTIVE_PREFIXES = ("00-",)

_NB_RE = re.compile(r"^\d\d-[a-z0-9-]+$")


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


def project_of(path: Path) -> Path | None:
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
    folder = Path(notebooks_dir) if notebooks_dir else project_root(Path(path).resolve().parent) / "notebooks"
    try:
        resolve_notebooks(names, folder, f"{display_path(path)}: key 'notebooks'", allow_paths=False)
    except InputError as e:
        return list(e.problems)
    return []
