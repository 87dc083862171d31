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
    assert r.table["score"].tolist() == pytest.approx([0.125 + 0.5 / 3, 0.375, 0.75])


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
