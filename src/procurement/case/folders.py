"""Finding case folders from where a person works: one rule for the report notebooks and the workbench.

Notebooks run with their own folder (``notebooks/``) as working folder under nbval, JupyterLab and Voilà, and
with the project folder under the runner; a case named ``data/national-municipal-solution`` is found from both
by looking from the working folder upwards.
"""

from __future__ import annotations

from pathlib import Path

from procurement.case.errors import InputError, Problem, did_you_mean


def data_folder(here: Path | None = None) -> Path | None:
    """The nearest ``data/`` folder from `here` (the working folder) upwards, or None."""
    here = here if here is not None else Path.cwd()
    return next((q / "data" for q in [here, *here.resolve().parents] if (q / "data").is_dir()), None)


def known_cases(here: Path | None = None) -> list[Path]:
    """Every ``data/*/`` folder holding a case.yaml, in the nearest ``data/`` from `here` upwards, sorted."""
    data = data_folder(here)
    return sorted(d for d in data.iterdir() if (d / "case.yaml").exists()) if data is not None else []


def find_case(case: str | Path, where: str = "parameter 'case'") -> Path:
    """The case folder: `case` as given when it exists or is absolute, else looked for from the working folder
    upwards; InputError (naming `where`, with the case folders there are) when there is none."""
    p = Path(case)
    if p.is_dir() or p.is_absolute():
        return p
    for parent in Path.cwd().resolve().parents:
        if (parent / p).is_dir():
            return parent / p
    existing = [d.name for d in known_cases()]
    hint = did_you_mean(p.name, existing) if existing else "give the folder that holds case.yaml"
    raise InputError(Problem(str(case), where, "no such case folder", hint))
