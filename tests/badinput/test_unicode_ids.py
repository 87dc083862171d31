"""Unicode ids (issue 26): an id may hold Unicode lower-case letters in composed form (NFC), all of one script, so
``tromsø``, ``bodø-kommune`` and ``ålesund`` are ids; a mixed-script look-alike (a Cyrillic ``о`` or a Greek ``ο`` in
a Latin id), a decomposed ``å`` (``a`` + U+030A), an upper-case letter, an emoji or a space is refused by
``procurement validate`` in one line naming the file, the key, the character with its Unicode name and script, and
what to write instead; exit 2, no traceback, the input unchanged.

The expected characters, names and scripts are written out by hand from the Unicode code charts (U+043E CYRILLIC
SMALL LETTER O, U+03BF GREEK SMALL LETTER OMICRON, U+030A COMBINING RING ABOVE, U+00E5 LATIN SMALL LETTER A WITH
RING ABOVE), not taken from the code under test.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path

import pytest
from test_security import EXAMPLE, call, example_copy, snapshot

from procurement.case.ids import id_problem

STAKEHOLDER = "  - id: \"{id}\"\n    label: {{nb: \"Ny gruppe\", en: \"New group\"}}\n"


def _roots(err: str) -> list[str]:
    """Error lines but the 'not checked, because ... has a problem' lines of the files that depend on a broken one."""
    return [line for line in err.splitlines() if line.startswith("error:") and "not checked" not in line]


def _add_stakeholder(case: Path, sid: str) -> None:
    p = case / "case.yaml"
    text = p.read_text(encoding="utf-8")
    assert "\nstakeholders:\n" in text
    p.write_text(text.replace("\nstakeholders:\n", "\nstakeholders:\n" + STAKEHOLDER.format(id=sid), 1), encoding="utf-8")


def _add_option(case: Path, oid: str) -> None:
    p = case / "options.csv"
    with p.open("a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerow(["contract-strategy", oid, "Nytt alternativ", "New option", "", "", "", ""])


def _rename(case: Path, old: str, new: str) -> None:
    """`old` -> `new` as a whole id (not inside a longer id) in every CSV and YAML file of the case."""
    word = re.compile(rf"(?<![\w-]){re.escape(old)}(?![\w-])")
    for p in sorted(case.rglob("*")):
        if p.suffix in (".csv", ".yaml") and p.is_file():
            text = p.read_text(encoding="utf-8")
            if word.search(text):
                p.write_text(word.sub(new, text), encoding="utf-8")


ACCEPTED = ["tromsø", "ålesund", "æ-ø-å", "bodø-kommune", "2026", "kárášjohka", "9-ø"]


@pytest.mark.parametrize("sid", ACCEPTED)
def test_validate_accepts_an_id_of_lower_case_letters_of_one_script(tmp_path, sid):
    assert unicodedata.is_normalized("NFC", sid)
    case = example_copy(tmp_path)
    _add_stakeholder(case, sid)
    code, out, err = call(["validate", str(case)])
    assert code == 0 and not _roots(err), err
    assert "OK" in out, out


#: id -> (words the line must hold: the character, its Unicode name, its script; then what to write instead)
REFUSED = {
    "cyrillic-o": ("trоndheim", ["'о' (U+043E CYRILLIC SMALL LETTER O) is Cyrillic", "the other letters are Latin",
                                 "write the Latin 'o' instead"]),
    "greek-omicron": ("tromsο", ["'ο' (U+03BF GREEK SMALL LETTER OMICRON) is Greek", "the other letters are Latin",
                                 "write a Latin letter instead"]),
    "decomposed-å": ("a\u030alesund", ["not in composed form (NFC)", "U+030A COMBINING RING ABOVE",
                                       "write the composed character 'å' (U+00E5 LATIN SMALL LETTER A WITH RING ABOVE)",
                                       "'ålesund'"]),
    "upper-case": ("Tromsø", ["upper-case 'T' (U+0054 LATIN CAPITAL LETTER T)", "'tromsø'"]),
    "emoji": ("bodø-🙂", ["'🙂' (U+1F642 SLIGHTLY SMILING FACE)", "lower-case letters"]),
    "space": ("bodø kommune", ["a space (U+0020 SPACE)", "'bodø-kommune'"]),
    "math-letter": ("\U0001d42d\U0001d42b\U0001d428\U0001d426\U0001d42c\U0001d428", ["U+1D42D MATHEMATICAL BOLD SMALL T",
                                                                                   "write 'tromso'"]),
    "leading-hyphen": ("-tromsø", ["starts with '-'"]),
}


@pytest.mark.parametrize("where", ["case.yaml", "options.csv"])
@pytest.mark.parametrize("name", list(REFUSED))
def test_validate_refuses_a_look_alike_or_malformed_id_in_one_line(tmp_path, name, where):
    value, words = REFUSED[name]
    case = example_copy(tmp_path)
    (_add_stakeholder if where == "case.yaml" else _add_option)(case, value)
    before = snapshot(tmp_path)
    code, _, err = call(["validate", str(case)])
    assert "Traceback" not in err and code == 2, err
    (line,) = _roots(err)
    field = "key 'id'" if where == "case.yaml" else "column 'id'"
    assert where in line and field in line and f"'{value}' is not a valid" in line, line
    for w in words:
        assert w in line, (w, line)
    assert snapshot(tmp_path) == before


def test_a_refused_id_names_the_same_character_as_the_unicode_database():
    """The character and script each message names against Python's own Unicode database (unicodedata), the
    second source for the names written by hand above."""
    for value, _ in REFUSED.values():
        problem = id_problem(value)
        assert problem is not None
        named = re.findall(r"U\+([0-9A-F]{4,6}) ([A-Z0-9 -]+?)(?=[),]|$| is)", problem[0])
        assert named or value.startswith("-"), problem
        for code, name in named:
            assert unicodedata.name(chr(int(code, 16))) == name, (value, problem)


def _rank_rows(argv: list[str]) -> dict[str, tuple[str, str]]:
    code, out, err = call(argv)
    assert code == 0, err
    return {r["option"]: (r["score"], r["rank"]) for r in csv.DictReader(io.StringIO(out)) if r["method"] == "wsm"}


def test_an_option_renamed_to_a_unicode_id_validates_and_ranks_as_before(tmp_path):
    case = example_copy(tmp_path)
    _rename(case, "modular-lots", "tromsø-moduler")
    code, out, err = call(["validate", str(case)])
    assert code == 0 and not _roots(err), err
    rank = ["rank", "--decision", "contract-strategy", "--format", "csv"]
    renamed = _rank_rows([rank[0], str(case), *rank[1:]])
    original = _rank_rows([rank[0], str(EXAMPLE), *rank[1:]])
    assert "tromsø-moduler" in renamed and "modular-lots" not in renamed
    assert renamed.pop("tromsø-moduler") == original.pop("modular-lots")  # the same score and rank
    assert renamed == original


def test_a_group_with_a_unicode_id_gets_a_form_named_in_nfc_inside_its_folder(tmp_path):
    """The stakeholder 'tromso' renamed 'tromsø' everywhere: validate accepts the case, and its weight form is
    forms/contract-strategy-tromsø.xlsx, a composed (NFC) name directly in the forms folder."""
    case = example_copy(tmp_path)
    _rename(case, "tromso", "tromsø")
    code, _, err = call(["validate", str(case)])
    assert code == 0 and not _roots(err), err
    out = tmp_path / "forms"
    code, _, err = call(["forms", str(case), "--decision", "contract-strategy", "--out", str(out)])
    assert code == 0, err
    names = sorted(p.name for p in out.iterdir())
    assert "contract-strategy-tromsø.xlsx" in names, names
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
    assert all(p.parent == out for p in out.rglob("*"))
    form = out / "contract-strategy-tromsø.xlsx"
    assert form.name.encode("utf-8") == b"contract-strategy-troms\xc3\xb8.xlsx"  # U+00F8, two bytes, composed
