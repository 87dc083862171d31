"""The law modules read YAML through procurement.case.yamlsafe: a syntax error names the file and line, a
'billion laughs' file is refused before it expands, and neither is a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from procurement import reference
from procurement.case.errors import InputError
from procurement.law.contracts import load_standard_contracts
from procurement.law.enforcement import load_events
from procurement.law.loader import load_rules
from procurement.law.timeline import load_timeline
from procurement.law.whomayuse import load_reference, load_screening

#: Nine levels of ten aliases: a few hundred bytes that expand to 10**9 nodes under yaml.safe_load.
LAUGHS = 'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8)
)
BROKEN = "decision: contract-strategy\noptions:\n  zero: 1\n   procedure: none\n"  # line 4 cannot be a mapping value


def _rules_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    folder.mkdir()
    for name in ("thresholds.yaml", "procedures.yaml", "time-limits.yaml", "standard-contracts.yaml"):
        shutil.copy(reference.path(name), folder / name)
    return folder


def _one_line(exc: pytest.ExceptionInfo[InputError]) -> str:
    assert len(exc.value.problems) == 1
    p = exc.value.problems[0]
    return f"{p.file} | {p.where} | {p.message}"


READERS = {
    "thresholds": lambda d: load_rules(d),
    "procedures": lambda d: load_rules(d),
    "time-limits": lambda d: load_rules(d),
    "standard-contracts": lambda d: load_standard_contracts(d),
    "enforcement": lambda d: load_events(d / "enforcement.yaml"),
    "who-may-use": lambda d: load_reference(d / "who-may-use.yaml"),
    "screening": lambda d: load_screening(d),
    "timeline": lambda d: load_timeline(d / "timeline.yaml"),
}


@pytest.mark.parametrize("name", sorted(READERS))
def test_syntax_error_names_file_line_and_column(tmp_path, name):
    folder = _rules_copy(tmp_path)
    (folder / f"{name}.yaml").write_text(BROKEN, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        READERS[name](folder)
    line = _one_line(exc)
    assert f"{name}.yaml | line 4, column " in line and "YAML syntax error" in line, line


@pytest.mark.parametrize("name", sorted(READERS))
def test_billion_laughs_is_refused_before_it_expands(tmp_path, name):
    folder = _rules_copy(tmp_path)
    (folder / f"{name}.yaml").write_text(LAUGHS, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        READERS[name](folder)
    line = _one_line(exc)
    assert f"{name}.yaml | line " in line and "billion laughs" in line, line
