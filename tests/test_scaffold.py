"""`procurement new`: a case that validates and runs at once, and never writes over a folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from procurement.case.errors import InputError
from procurement.case.loader import load_case
from procurement.casebook.scaffold import new_case
from procurement.cli import main


@pytest.mark.parametrize("language", ["nb", "en"])
def test_new_case_validates(tmp_path: Path, language: str, capsys) -> None:
    case_dir = tmp_path / "welfare-tech"
    assert main(["new", str(case_dir), "--decision", "cloud-framework", "--title", 'Velferdsteknologi «Ø» "x"',
                 "--language", language]) == 0
    assert main(["validate", str(case_dir)]) == 0
    assert "OK — 1 decisions, 2 options, 2 criteria, 4 scores, 2 weight profiles, 6 cash-flow rows, 1 scenarios" in \
        capsys.readouterr().out
    case = load_case(case_dir)
    assert case.id == "welfare-tech" and case.meta.title.nb == 'Velferdsteknologi «Ø» "x"'
    d = case.decision("cloud-framework")
    assert d.criterion_ids == ["quality", "cost"]
    assert sorted(d.criterion("quality").scale.rubric or {}) == [0, 5, 10]
    assert d.weights.to_dict() == {"quality": 0.6, "cost": 0.4}
    assert case.scenarios["default"].language == language
    # every file tells what to fill in
    for name in ("case.yaml", "criteria/cloud-framework.yaml", "options.csv", "scores.csv", "cashflows.csv",
                 "profiles.csv", "scenarios/default.yaml"):
        first = (case_dir / name).read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# "), name
    text = (case_dir / "case.yaml").read_text(encoding="utf-8")
    assert ("Fyll inn" in text) == (language == "nb") and ("Fill in" in text) == (language == "en")
    # by hand: with two options, min-max scaling gives the best 1 and the worst 0 on each criterion, so the
    # weighted sum is the weight of the criteria an option is best on: open-tender quality (0.6), zero cost (0.4)
    table = case.analysis("default").ranking("wsm").table
    assert table["score"].to_dict() == pytest.approx({"open-tender": 0.6, "zero": 0.4})


def test_new_refuses_existing_folder_and_bad_ids(tmp_path: Path) -> None:
    existing = tmp_path / "case"
    existing.mkdir()
    (existing / "keep.txt").write_text("mine")
    with pytest.raises(InputError) as err:
        new_case(existing, "Bad Id")
    lines = [str(p) for p in err.value.problems]
    assert len(lines) == 2
    assert "already exists; procurement new never writes over a folder" in lines[0]
    assert "'Bad Id' is not a valid decision id" in lines[1]
    assert (existing / "keep.txt").read_text() == "mine" and sorted(p.name for p in existing.iterdir()) == ["keep.txt"]
    assert not list(tmp_path.glob(".*partial"))


def test_new_validate_run_produces_a_report(tmp_path: Path, capsys) -> None:
    """The slow one: the new case's default scenario runs every report notebook (small sample count)."""
    case_dir = tmp_path / "first-case"
    new_case(case_dir, "contract-strategy", "Første sak", "nb")
    sc = case_dir / "scenarios" / "default.yaml"
    data = yaml.safe_load(sc.read_text(encoding="utf-8"))
    assert data["samples"] == 10000
    sc.write_text(sc.read_text(encoding="utf-8").replace("samples: 10000", "samples: 500"), encoding="utf-8")
    assert main(["validate", str(case_dir)]) == 0
    assert main(["run", str(sc), "--out", str(tmp_path / "reports"), "--no-progress"]) == 0
    summary = Path(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary.name == "07-summary.html" and summary.exists()
    manifest = json.loads((summary.parent / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "ok" and all(nb["status"] == "ok" for nb in manifest["notebooks"])
    assert manifest["parameters"]["decision"] == "contract-strategy" and manifest["parameters"]["samples"] == 500
    assert len(manifest["notebooks"]) >= 7
    assert "Åpen anbudskonkurranse" in summary.read_text(encoding="utf-8")
