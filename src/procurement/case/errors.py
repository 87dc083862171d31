"""Problems with user input, collected and reported as one clear line each.

Every check in the workbench reports a :class:`Problem` naming the file, the
row or key, what is wrong and what would be right. Checks collect problems in
one pass and raise :class:`InputError` once, so an advisor sees every mistake
in a file set at the same time. The command line prints each problem on one
line and exits with status 2; it never shows a traceback for a user mistake.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located precisely."""

    file: str
    where: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        loc = f"{self.file}: {self.where}" if self.where else self.file
        text = f"{loc}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class InputError(Exception):
    """Raised when inputs have one or more problems. Carries them all."""

    def __init__(self, problems: Iterable[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem("", "", problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class ProblemList:
    """Collects problems while checking, then raises them together."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, file: str | Path, where: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(display_path(file), where, message, hint))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.problems)

    def __len__(self) -> int:
        return len(self.problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputError(self.problems)


def display_path(path: str | Path) -> str:
    """A path as the user would recognise it: relative to the cwd when possible."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(p)


def did_you_mean(value: str, valid: Iterable[str]) -> str:
    """'did you mean X?' for a misspelt id, else the list of valid ids."""
    valid = sorted(set(valid))
    close = difflib.get_close_matches(str(value), valid, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    shown = ", ".join(valid[:12]) + (", ..." if len(valid) > 12 else "")
    return f"valid: {shown}" if valid else "none are defined"
