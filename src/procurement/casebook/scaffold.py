"""``procurement new``: write a minimal valid case folder from the templates shipped with the package.

The templates (``templates/<language>/``) hold a case with one decision, two example criteria (one ordinal with
a rubric, one in MNOK), two options, their scores, a few cash flows, two stakeholder groups and a default
scenario, each file with comments that say what to fill in. The folder passes ``procurement validate`` and
``procurement run`` as written.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from importlib import resources
from pathlib import Path
from string import Template

from procurement.case.errors import InputError, Problem, display_path
from procurement.case.ids import id_problem
from procurement.case.outputs import check_names, output_file

LANGUAGES = ("nb", "en")
#: template file -> path in the new case folder ({decision} is replaced)
LAYOUT = {
    "case.yaml": "case.yaml",
    "criteria.yaml": "criteria/{decision}.yaml",
    "options.csv": "options.csv",
    "scores.csv": "scores.csv",
    "cashflows.csv": "cashflows.csv",
    "profiles.csv": "profiles.csv",
    "default.yaml": "scenarios/default.yaml",
}


def _yaml_text(text: str) -> str:
    """A text safe inside a double-quoted YAML string."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


#: Most characters of a case title (it heads every report page).
MAX_TITLE = 200
# control characters (C0, DEL, C1) and the Unicode line and paragraph separators: a title is one line of text
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _title_problem(title: str | None) -> Problem | None:
    if title is None:
        return None
    bad = _CONTROL.search(title)
    if bad:
        return Problem("--title", "", f"holds the control character U+{ord(bad.group()):04X}",
                       "give the title as one line of text, e.g. --title 'Velferdsteknologi i Nordfjord'")
    if not title.strip() or len(title) > MAX_TITLE:
        return Problem("--title", "", f"is {'empty' if not title.strip() else f'{len(title):,} characters long'}",
                       f"give a title of 1 to {MAX_TITLE} characters")
    return None


def _check(case_dir: Path, decision: str, language: str, title: str | None = None) -> None:
    check_names(case_dir.absolute(), "CASE_DIR", "choose a shorter folder name for the new case")
    problems = [p for p in [_title_problem(title)] if p is not None]
    if case_dir.exists() or case_dir.is_symlink():
        problems.append(Problem(display_path(case_dir), "", "already exists; procurement new never writes over a folder",
                                "give a new folder name, or delete the folder first"))
    if (wrong := id_problem(decision)) is not None:
        problems.append(Problem("--decision", "", f"'{decision}' is not a valid decision id: {wrong[0]}",
                                f"{wrong[1]}, e.g. 'cloud-framework'"))
    if (wrong := id_problem(case_dir.name)) is not None:
        problems.append(Problem(display_path(case_dir), "",
                                f"the folder name '{case_dir.name}' is not a valid case id: {wrong[0]}",
                                f"{wrong[1]}, e.g. data/welfare-technology"))
    if language not in LANGUAGES:
        problems.append(Problem("--language", "", f"unknown language '{language}'", "use nb or en"))
    if problems:
        raise InputError(problems)


def new_case(case_dir: str | Path, decision: str, title: str | None = None, language: str = "nb",
             today: dt.date | None = None) -> list[Path]:
    """Write a new case folder; return the files written. Raises InputError if the folder exists or an id is bad.

    The folder appears whole or not at all: the files are written into a temporary folder beside it, which is
    then renamed.
    """
    case_dir = Path(case_dir)
    _check(case_dir, decision, language, title)
    year = (today or dt.date.today()).year
    title = title or case_dir.name.replace("-", " ").capitalize()
    values = {
        "case_id": case_dir.name,
        "decision": decision,
        "title_nb": _yaml_text(title),
        "title_en": _yaml_text(title),
        "decision_title": _yaml_text(decision.replace("-", " ").capitalize()),
        "year": str(year),
        "year1": str(year + 1),
        "year2": str(year + 2),
        "seed": f"{year}0101",
        "language": language,
    }
    templates = resources.files("procurement.casebook") / "templates" / language
    output_file(case_dir, "CASE_DIR", "choose another folder for the new case")
    tmp = Path(tempfile.mkdtemp(prefix=f".{case_dir.name}.", suffix=".partial", dir=case_dir.parent))
    written = []
    try:
        for name, target in LAYOUT.items():
            text = Template((templates / name).read_text(encoding="utf-8")).substitute(values)
            out = tmp / target.format(decision=decision)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
            written.append(case_dir / out.relative_to(tmp))
        os.rename(tmp, case_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return written
