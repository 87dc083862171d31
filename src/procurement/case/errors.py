"""Problems with user input, collected and reported as one clear line each.

Every check in the workbench reports a :class:`Problem` naming the file, the
row or key, what is wrong and what would be right. Checks collect problems in
one pass and raise :class:`InputError` once, so an advisor sees every mistake
in a file set at the same time. The command line prints each problem on one
line and exits with status 2; it never shows a traceback for a user mistake.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
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
        return one_line(text)


#: Most characters of an offending value a message quotes (the rest is elided with '…').
QUOTE_LIMIT = 80
#: Most characters of one problem line.
LINE_LIMIT = 600
# a quoted value: the quote opens after a space, bracket, '=' or the start and closes before a space, punctuation or
# the end, so apostrophes in prose ("Excel's") never pair up
_QUOTED = re.compile(r"(?:(?<=[\s(=\[,])|^)'([^'\n]{" + str(QUOTE_LIMIT + 1) + r",}?)'(?=$|[\s),.;:?\]])")
# C0 controls but tab, DEL, C1 controls, and the Unicode line and paragraph separators
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
# what Excel (XML 1.0) cannot hold in a cell: C0 controls but tab, line feed and carriage return
_EXCEL_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _escape(text: str) -> str:
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}", text)


def _elide(text: str, limit: int, total: int) -> str:
    if len(text) <= limit:
        return text
    head = limit * 2 // 3
    return f"{text[:head]}…{text[-(limit - head - 1):]} ({total:,} characters)"


def clip(value: object, limit: int = QUOTE_LIMIT) -> str:
    """`value` as text of at most about `limit` characters (middle elided), control characters escaped."""
    text = str(value)
    return _elide(_escape(text), limit, len(text))


def one_line(text: str) -> str:
    """A problem as one printable line: quoted values clipped to QUOTE_LIMIT, controls escaped, LINE_LIMIT in all."""
    text = _QUOTED.sub(lambda m: f"'{clip(m.group(1))}'", _escape(text))
    return _elide(text, LINE_LIMIT, len(text))


def control_characters(text: str) -> str:
    """The first character Excel cannot hold (C0 controls but tab and line ends), as 'U+0007', or ''."""
    m = _EXCEL_ILLEGAL.search(text)
    return f"U+{ord(m.group()):04X}" if m else ""


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
    try:
        cwd = os.getcwd()
    except OSError:  # the working folder was removed
        return str(path)
    return _display(str(path), cwd)


@functools.lru_cache(maxsize=256)
def _display(path: str, cwd: str) -> str:  # cached: a file with thousands of problems resolves its path once
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path(cwd).resolve()))
    except RuntimeError:  # a symlink loop (Python 3.11 raises RuntimeError): shown as given
        return str(p)
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
