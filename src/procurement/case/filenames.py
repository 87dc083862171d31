"""Names from input files that become file names: slugged, checked, and kept inside their folder.

An evaluator in ``evaluations.csv`` becomes ``forms/<evaluator>.xlsx``, a respondent or stakeholder group
``<decision>-<group>.xlsx``, a competition ``tenders/<competition>/``. Such a name is data from whoever wrote the
file, so it is never joined to a folder as it is: :func:`name_problem` refuses a name that is a path (``/``,
``\\``, ``..``, a leading ``.``), holds control characters, is too long or has no letter or digit, and
:func:`file_in` turns an accepted name into ``folder/<slug><suffix>`` (lower-case letters, digits and ``-``),
checked to lie directly in `folder`. Validation asks :func:`name_problem` for every such name, so ``validate``
refuses what a writer would refuse.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from procurement.case.errors import InputError, Problem, display_path

#: Most characters of a name that becomes a file name (a file name may hold 255 bytes; ø takes two).
MAX_NAME = 100
#: Most bytes of a file name's stem (a file system allows 255 bytes in a name; ø takes two, some letters four).
MAX_STEM_BYTES = 200
#: Names Windows reserves for devices, in any case and with any suffix.
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NOT_WORD = re.compile(r"[^\w]+|_+")
HINT = "use letters, digits, spaces and '-', e.g. 'ingrid' or 'Kari Nordmann'"


def slug(name: str) -> str:
    """`name` as a file name: NFC, lower-case, each run of other characters than letters and digits one '-'."""
    return _NOT_WORD.sub("-", unicodedata.normalize("NFC", name).casefold()).strip("-")


def name_problem(name: str) -> str | None:
    """Why `name` cannot become a file name, or None when it can (its :func:`slug` is then the file's stem)."""
    if not name.strip():
        return "is empty"
    if "/" in name or "\\" in name or name.strip().startswith("."):
        return f"'{name}' is a path, not a name"
    if _CONTROL.search(name):
        return f"'{name}' holds control characters"
    if len(name) > MAX_NAME:
        return f"is {len(name):,} characters long, more than {MAX_NAME}"
    stem = slug(name)
    if not stem:
        return f"'{name}' has no letter or digit"
    if len(stem.encode("utf-8")) > MAX_STEM_BYTES:  # room for a suffix and the writers' '.<name>.partial'
        return f"takes {len(stem.encode('utf-8')):,} bytes as a file name, more than {MAX_STEM_BYTES}"
    if stem in _RESERVED:
        return f"'{name}' is a name Windows reserves for a device"
    return None


def file_in(folder: str | Path, name: str, suffix: str, file: str | Path, where: str) -> Path:
    """``folder/<slug(name)><suffix>``; an InputError naming `file` and `where` when `name` cannot be a file name
    or the result would not lie directly in `folder` (a symbolic link there is replaced, never followed, by the
    writers, which write beside it and rename)."""
    problem = name_problem(name)
    if problem is not None:
        raise InputError(Problem(display_path(file), where, problem, HINT))
    folder = Path(folder)
    path = folder / f"{slug(name)}{suffix}"
    if path.parent.resolve() != folder.resolve() or path.name in (".", ".."):
        raise InputError(Problem(display_path(file), where, f"'{name}' would be written outside {display_path(folder)}",
                                 HINT))
    return path


def distinct_files(names: list[str], file: str | Path, where: str) -> None:
    """An InputError when two of `names` would share a file (``Kari Nordmann`` and ``kari-nordmann``)."""
    seen: dict[str, str] = {}
    for n in names:
        s = slug(n)
        if s in seen and seen[s] != n:
            raise InputError(Problem(display_path(file), where, f"'{seen[s]}' and '{n}' would share the file {s}",
                                     "give them names that differ in more than case and punctuation"))
        seen[s] = n
