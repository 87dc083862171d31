"""Ids: the names of options, criteria, groups, decisions, stakeholders, sources, scenarios, competitions and
tenderers, as written in the input files and used as keys, file names and folder names.

An id is lower-case letters, the digits 0-9 and ``-``, starting with a letter or a digit. Since issue 26 the letters
are any Unicode lower-case letters, so Norwegian and Sami place names keep their spelling (``tromsø``,
``bodø-kommune``, ``ålesund``, ``kárášjohka``), with three guards against two ids that look the same but are
different strings:

- the id is in composed form (NFC): ``å`` written as ``a`` followed by the combining ring U+030A is refused, with
  the composed character to write instead (the two spellings look alike and would be two ids and two file names);
- no compatibility character (NFKC): ``ﬁ``, a mathematical ``𝐚`` or a full-width ``ａ`` is refused for the plain
  letters it stands for;
- every letter is of one script: ``trоndheim`` with a Cyrillic ``о``, or a Greek ``ο`` in a Latin id, is refused
  (a mixed-script look-alike, Unicode TS #39's "single script" restriction); an id wholly in one other script
  is accepted.

Upper-case letters stay refused (ids are compared as written). Since an id holds no ``/``, ``\\``, ``.`` or control
character, a file or folder named after it stays inside its folder, and its name is NFC.

The script of a letter comes from ``fontTools.unicodedata.script`` (fontTools' copy of the Unicode Character
Database's Scripts.txt, kept current with each Unicode release; fontTools is already installed as a dependency of
matplotlib). The ``regex`` package's ``\\p{Script=...}`` was the other candidate: it tests whether a letter is of a
*given* script, but cannot say which script a letter is of, which the message names ("Cyrillic"); fontTools does
both, and the id's script is the one most of its letters are in.

:func:`id_problem` is the one check; :data:`Id` is the same check as a pydantic type. Everything that reads an id
(the YAML models, the CSV loader, the forms and the scaffold) uses one of them.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from typing import Annotated

from fontTools.unicodedata import script, script_name
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

#: What an id may be, in a hint.
ID_HINT = "use lower-case letters of one script (composed, as æ, ø and å), the digits 0-9 and '-', e.g. 'tromsø-2'"
#: The pydantic error type of an id that fails :func:`id_problem` (its context carries `problem` and `hint`).
ID_ERROR = "invalid_id"
_DIGITS = frozenset("0123456789")
_NO_SCRIPT = {"Zyyy", "Zinh", "Zzzz"}  # Common, Inherited, Unknown


def _show(c: str) -> str:
    """A character for a message: 'о' (U+043E CYRILLIC SMALL LETTER O); a mark, space or control by its name only."""
    name = f"U+{ord(c):04X} {unicodedata.name(c, 'unnamed character')}"
    return name if unicodedata.category(c)[0] in "CMZ" else f"'{c}' ({name})"


def id_problem(value: str) -> tuple[str, str] | None:
    """What is wrong with `value` as an id and what would be right, or None when it is an id. The first part
    follows the value ("'trоndheim' is not a valid option id: mixes scripts: ..."); the second is the hint."""
    if not value:
        return "is empty", ID_HINT
    if unicodedata.normalize("NFC", value) != value:
        return _decomposed(value)
    if unicodedata.normalize("NFKC", value) != value:
        c = next(c for c in value if unicodedata.normalize("NFKC", c) != c)
        plain = unicodedata.normalize("NFKC", c)
        return (f"holds {_show(c)}, a compatibility form of '{plain}'",
                f"write '{unicodedata.normalize('NFKC', value)}'")
    if value[0] == "-":
        return "starts with '-'", ID_HINT
    for c in value:
        wrong = _character_problem(value, c)
        if wrong is not None:
            return wrong
    return _mixed_scripts(value)


def _decomposed(value: str) -> tuple[str, str]:
    """The first character that is not composed: a letter followed by a combining mark that composes with it (a +
    U+030A is å), or a character NFC replaces (U+212B ANGSTROM SIGN is Å)."""
    composed = unicodedata.normalize("NFC", value)
    wrong = "is not in composed form (NFC)"
    for i, c in enumerate(value):
        if unicodedata.combining(c) and i > 0:
            letter = unicodedata.normalize("NFC", value[i - 1] + c)
            if len(letter) == 1:
                return (f"{wrong}: '{value[i - 1]}' is followed by the combining {_show(c)}",
                        f"write the composed character {_show(letter)}: '{composed}'")
        elif unicodedata.normalize("NFC", c) != c:
            return f"{wrong}: it holds {_show(c)}", f"write '{composed}'"
    return wrong, f"write '{composed}'"


def _character_problem(value: str, c: str) -> tuple[str, str] | None:
    if c in _DIGITS or c == "-":
        return None
    cat = unicodedata.category(c)
    if cat == "Ll":
        return None
    if cat in ("Lu", "Lt"):
        return f"holds the upper-case {_show(c)}", f"write it in lower case: '{value.lower()}'"
    if cat == "Nd":
        return f"holds the digit {_show(c)}", f"write the digits 0-9 only; {ID_HINT}"
    if c.isspace():
        return (f"holds a space ({_show(c)})",
                f"use lower-case letters, digits and '-', a '-' for a space, e.g. '{'-'.join(value.split())}'")
    kind = "letter without case" if cat.startswith("L") else "character"
    return f"holds the {kind} {_show(c)}, which an id cannot hold", ID_HINT


def _mixed_scripts(value: str) -> tuple[str, str] | None:
    scripts = [(c, script(c)) for c in value if script(c) not in _NO_SCRIPT]
    counts = Counter(s for _, s in scripts)
    if len(counts) <= 1:
        return None
    order = [s for _, s in scripts]
    main = max(counts, key=lambda s: (counts[s], -order.index(s)))  # the most letters; on a tie the first letter's
    c, other = next((c, s) for c, s in scripts if s != main)
    look_alike = _same_letter_in(c, script_name(main))
    instead = f"the {script_name(main)} '{look_alike}'" if look_alike else f"a {script_name(main)} letter"
    return (f"mixes scripts: {_show(c)} is {script_name(other)}, the other letters are "
            f"{script_name(main)}", f"write {instead} instead: an id is written in one script")


def _same_letter_in(c: str, script_title: str) -> str:
    """The letter of `script_title` with the same Unicode name as `c` (CYRILLIC SMALL LETTER O -> 'o'), or ''."""
    name = unicodedata.name(c, "")
    words = name.split(" ", 1)
    if len(words) < 2:
        return ""
    try:
        return unicodedata.lookup(f"{script_title.upper()} {words[1]}")
    except KeyError:
        return ""


def check_id(value: str) -> str:
    """`value` when it is an id, else a pydantic error whose context holds the problem and the hint."""
    problem = id_problem(value)
    if problem is not None:
        raise PydanticCustomError(ID_ERROR, "{problem}", {"problem": problem[0], "hint": problem[1]})
    return value


#: A string field that must be an id (see the module docstring).
Id = Annotated[str, AfterValidator(check_id)]
