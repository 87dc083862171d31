"""Reference data that ships with the workbench: procurement rules and R-109 parameters.

The YAML files in this folder are package data (see ``README.md`` here): each fact
carries its citation and a ``verified`` flag. :func:`files` gives the folder and
:func:`path` one file in it, found with :mod:`importlib.resources` so that an
installed wheel and a source checkout behave alike. A user overrides them with
``--rules DIR`` / ``--parameters FILE``, never by editing the installed copy.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["NAMES", "files", "path"]

NAMES = (
    "thresholds.yaml",
    "procedures.yaml",
    "time-limits.yaml",
    "standard-contracts.yaml",
    "r109.yaml",
    "plus-minus.yaml",
    "enforcement.yaml",
    "who-may-use.yaml",
)


def files() -> Path:
    """The folder of the reference files inside the installed package."""
    folder = resources.files(__name__)
    # The package is installed as plain files (setuptools, no zip-safe egg), so the
    # traversable is a real folder; callers need a Path to show and hash the files.
    return Path(str(folder))


def path(name: str) -> Path:
    """One reference file by name, e.g. ``path("r109.yaml")``."""
    if name not in NAMES:
        raise ValueError(f"no reference file {name!r}; the files are {', '.join(NAMES)}")
    return files() / name
