"""procurement.law.checks.problems: every law-input mistake of a case as one Problem, never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import procurement as pw
from procurement.law.checks import problems

CASE = Path(__file__).resolve().parents[1] / "data" / "national-municipal-solution"


@pytest.fixture()
def folder(tmp_path):
    out = tmp_path / "case"
    shutil.copytree(CASE, out)
    if (CASE.parent / "rules").is_dir():
        shutil.copytree(CASE.parent / "rules", tmp_path / "rules")
    return out


def lines(found) -> list[str]:
    return [f"{p.file} | {p.where} | {p.message} | {p.hint}" for p in found]


def test_example_case_is_clean():
    assert problems(pw.load_case(CASE), None) == []


def test_timeline_yaml_error_names_the_line(folder):
    text = (folder / "timeline.yaml").read_text(encoding="utf-8").replace("  zero:\n", "  zero: [\n", 1)
    (folder / "timeline.yaml").write_text(text, encoding="utf-8")
    found = lines(problems(pw.load_case(folder), None))
    assert len(found) == 1 and "timeline.yaml | line " in found[0] and "YAML syntax error" in found[0]


def test_unknown_procedure_in_timeline(folder):
    t = (folder / "timeline.yaml").read_text(encoding="utf-8").replace("procedure: no-competition", "procedure: no-competiton")
    (folder / "timeline.yaml").write_text(t, encoding="utf-8")
    found = "\n".join(lines(problems(pw.load_case(folder), None)))
    assert "no-competiton" in found and "no-competition" in found


def test_bad_enforcement_probability(folder):
    from procurement.case.errors import InputError
    from procurement.law.enforcement import read_enforcement

    e = (folder / "enforcement.csv").read_text(encoding="utf-8")
    e = e.replace("helseplattformen-extend,fine,0.6,", "helseplattformen-extend,fine,1.6,")
    (folder / "enforcement.csv").write_text(e, encoding="utf-8")
    with pytest.raises(InputError) as err:  # the cost-benefit analysis reads it with the case
        read_enforcement(folder)
    assert "column 'probability'" in str(err.value.problems[0].where) and err.value.problems[0].hint


def test_screening_that_leaves_no_option(folder):
    text = (folder / "screening.yaml").read_text(encoding="utf-8")
    text = text.replace("        state-agency: {status: pass-if, condition: duty-to-use-law}\n",
                        "".join(f"        {o}: {{status: fail}}\n" for o in
                                ("state-agency", "ks-company", "state-municipal-company", "nhn-service", "regional-iks")))
    text = text.replace("        nhn-service: {status: pass-if, condition: national-solution-designation}\n", "")
    (folder / "screening.yaml").write_text(text, encoding="utf-8")
    found = "\n".join(lines(problems(pw.load_case(folder), None)))
    assert "screening removes every option" in found and "governance-financing" in found


def test_who_may_use_fact_missing(folder):
    text = (folder / "screening.yaml").read_text(encoding="utf-8").replace("      activity_share: 0.95\n", "")
    (folder / "screening.yaml").write_text(text, encoding="utf-8")
    found = "\n".join(lines(problems(pw.load_case(folder), None)))
    assert "inhouse-company" in found and "activity_share" in found
