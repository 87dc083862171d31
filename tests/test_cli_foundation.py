"""The command line: validate and rank, exit codes, output shapes."""

from __future__ import annotations

import json

import pytest

from conftest import SCORES, write_case
from procurement.cli import main
from procurement.case.loader import load_case
from procurement.mcda.ranking import rank


def test_wsm_by_hand(tiny_case):
    # min-max per criterion (cost reversed), weights 0.5/0.25/0.25:
    # a = 0.5*0 + 0.25*0.5 + 0.25*(1/3); b = 0.5*0.5 + 0.25*1 + 0; c = 0.5*1 + 0 + 0.25*1
    r = rank(load_case(tiny_case).decision("pick"), "wsm")
    assert r.order == ["c", "b", "a"]
    assert r.table.loc["a", "score"] == pytest.approx(0.125 + 0.25 / 3)
    assert r.table.loc["b", "score"] == pytest.approx(0.5)
    assert r.table.loc["c", "score"] == pytest.approx(0.75)


def test_profile_changes_weights(tiny_case):
    d = load_case(tiny_case).decision("pick")
    # alpha weighs cost double: a = 0.125 + 0.5/3, b = 0.125 + 0.25, c = 0.25 + 0.5
    r = rank(d, "wsm", profile="alpha")
    assert r.weights.tolist() == pytest.approx([0.25, 0.25, 0.5])
    assert r.table.loc[["a", "b", "c"], "score"].tolist() == pytest.approx([0.125 + 0.5 / 3, 0.375, 0.75])


def test_validate_ok(tiny_case, capsys, monkeypatch):
    monkeypatch.chdir(tiny_case.parent)
    assert main(["validate", "case"]) == 0
    out = capsys.readouterr().out
    assert "OK" in out and "3 options" in out and "9 scores" in out


def test_validate_bad_exits_2_without_traceback(tmp_path, capsys, monkeypatch):
    write_case(tmp_path, case__scores_csv=SCORES.replace("pick,a,fit,4,5,6", "pick,a,fit,4,7,6"))
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "case"]) == 2
    err = capsys.readouterr().err
    assert "error: case/scores.csv: row 3: low 4, likely 7, high 6 are out of order" in err
    assert "Traceback" not in err


def test_missing_case_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "nowhere"]) == 2
    assert "no such case folder" in capsys.readouterr().err


def test_rank_json_and_unknown_method(tiny_case, capsys, monkeypatch):
    monkeypatch.chdir(tiny_case.parent)
    assert main(["rank", "case", "--decision", "pick", "--method", "topsis", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    (res,) = data["results"]
    assert res["method"] == "topsis"
    expected = rank(load_case(tiny_case).decision("pick"), "topsis").order
    assert [r["option"] for r in res["ranking"]] == expected
    assert res["inputs"]["objectives"] == [1, 1, -1]
    assert sum(res["inputs"]["weights"]) == pytest.approx(1)
    assert main(["rank", "case", "--decision", "pick", "--method", "topsys"]) == 2
    assert "did you mean 'topsis'" in capsys.readouterr().err
    assert main(["rank", "case", "--decision", "pik"]) == 2
    assert "unknown decision 'pik'" in capsys.readouterr().err


# --- issue 16: validate means it runs ----------------------------------------------------------------------


RISKS = """\
decision,option,risk,probability,consequence,owner,mitigation,source
pick,a,Late delivery,3,4,PMO,Milestones,test
pick,b,Lock-in,2,5,PMO,Exit plan,test
pick,c,Nothing happens,4,2,PMO,None,test
"""


def test_validate_checks_what_the_risks_command_reads(tmp_path, capsys, monkeypatch):
    """A probability of 7 passed validate and failed `procurement risks`; now validate names it."""
    write_case(tmp_path, case__risks_csv=RISKS.replace("pick,b,Lock-in,2,5", "pick,b,Lock-in,7,5"))
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "case", "--quick"]) == 0  # the case files alone are fine
    capsys.readouterr()
    assert main(["validate", "case"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and err[1] == "1 problem found."
    assert err[0].startswith("error: case/risks.csv: row 3, column 'probability'")
    assert main(["risks", "case", "--decision", "pick"]) == 2  # the consumer agrees


def test_validate_ok_means_the_risks_command_runs(tmp_path, capsys, monkeypatch):
    write_case(tmp_path, case__risks_csv=RISKS)
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "case"]) == 0
    assert main(["risks", "case", "--decision", "pick"]) == 0
    assert "Expected risk score per option" in capsys.readouterr().out


def test_a_consumer_that_crashes_is_one_line_and_never_ok(tiny_case, capsys, monkeypatch):
    from procurement import validation as checks

    def boom(case, did, shared):
        raise ValueError("x" * 500 + "\nsecond line")

    monkeypatch.setattr(checks, "_probe_decision", boom)
    monkeypatch.chdir(tiny_case.parent)
    assert main(["validate", "case"]) == 2
    (line, total) = capsys.readouterr().err.splitlines()
    assert line.startswith("error: criteria/pick.yaml: ranking decision 'pick' fails on this input: ValueError: xxx")
    assert len(line) < 300 and total == "1 problem found."


def test_a_broken_case_yaml_is_one_line_plus_one_per_dependent_file(tiny_case, capsys, monkeypatch):
    (tiny_case / "case.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    monkeypatch.chdir(tiny_case.parent)
    assert main(["validate", "case"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("error: case/case.yaml: line 2, column 1: YAML syntax error")
    assert err[1:] == [
        "error: case/options.csv: not checked, because case.yaml has a problem (fix case.yaml first)",
        "error: case/scores.csv: not checked, because case.yaml has a problem (fix case.yaml first)",
        "error: case/profiles.csv: not checked, because case.yaml has a problem (fix case.yaml first)",
        "4 problems found.",
    ]


def test_screening_that_leaves_no_option_fails_validate(tmp_path, capsys, monkeypatch):
    from conftest import CRITERIA

    strict = CRITERIA.replace("    weight: 2\n", "    weight: 2\n    must_pass: {min: 11, rule: impossible, citation: test}\n", 1)
    assert strict != CRITERIA
    write_case(tmp_path, criteria__pick_yaml=strict)
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "case"]) == 2
    err = capsys.readouterr().err
    assert "criteria/pick.yaml" in err and "every option" in err
