"""`procurement new`: a case that validates and runs at once (docs/first-case.md, run as written, in both languages),
and never writes over a folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from procurement.case.errors import InputError
from procurement import load_case
from procurement.casebook.scaffold import new_case
from procurement.cli import main
from procurement import Analysis


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
    # descriptions and rubric levels in both languages, so a bokmål form shows no English text (issue 25)
    crit = yaml.safe_load((case_dir / "criteria" / "cloud-framework.yaml").read_text(encoding="utf-8"))
    meta = yaml.safe_load((case_dir / "case.yaml").read_text(encoding="utf-8"))
    texts = [crit["description"], meta["description"], *(s["description"] for s in meta["stakeholders"]),
             *(c["description"] for c in crit["criteria"]),
             *(t for c in crit["criteria"] for t in (c["scale"].get("rubric") or {}).values())]
    assert len(texts) == 9 and all(sorted(t) == ["en", "nb"] and t["nb"].strip() and t["en"].strip() for t in texts)
    assert d.criterion("quality").description.get("nb").startswith("Hvor godt alternativet dekker behovet")
    assert (d.criterion("quality").scale.rubric or {})[10].get("en") == "Meets every need well"
    assert d.weights.to_dict() == {"quality": 0.6, "cost": 0.4}
    assert case.scenarios["default"].language == language and case.scenarios["default"].samples == 10000
    # every file tells what to fill in
    for name in ("case.yaml", "criteria/cloud-framework.yaml", "options.csv", "scores.csv", "cashflows.csv",
                 "profiles.csv", "scenarios/default.yaml"):
        first = (case_dir / name).read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# "), name
    text = (case_dir / "case.yaml").read_text(encoding="utf-8")
    assert ("Fyll inn" in text) == (language == "nb") and ("Fill in" in text) == (language == "en")
    # by hand: with two options, min-max scaling gives the best 1 and the worst 0 on each criterion, so the
    # weighted sum is the weight of the criteria an option is best on: open-tender quality (0.6), zero cost (0.4)
    table = Analysis(case, "default").ranking("wsm").table
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


# --- docs/first-case.md, run as written ------------------------------------------

DOC = Path(__file__).resolve().parents[1] / "docs" / "first-case.md"


def _commands(section: str) -> list[list[str]]:
    import re
    import shlex

    text = DOC.read_text(encoding="utf-8")
    part = text.split("## English")[1].split("## Bokmål")[0] if section == "en" else text.split("## Bokmål")[1]
    blocks = re.findall(r"```sh\n(.*?)```", part, flags=re.S)
    return [shlex.split(line) for b in blocks for line in b.splitlines() if line.strip()]


def _edit_workbook(xlsx: Path, language: str) -> None:
    """What the advisor does in Excel: the most likely quality of the open tender 7 -> 8 (typed as text in bokmål)."""
    from openpyxl import load_workbook

    wb = load_workbook(xlsx)
    ws = wb["Scores" if language == "en" else "Skårer"]
    assert (ws["B4"].value, ws["C4"].value, ws["E4"].value) == ("open-tender", "quality", 7)
    ws["E4"] = 8 if language == "en" else "8,0"
    wb.save(xlsx)


def _plant_misspelt_criterion(xlsx: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(xlsx)
    assert wb["Scores"]["C2"].value == "quality"
    wb["Scores"]["C2"] = "qualty"
    wb.save(xlsx)


def _fill_forms(folder: Path, weights: dict[str, dict[str, int]]) -> None:
    from openpyxl import load_workbook

    for path in sorted(folder.glob("*.xlsx")):
        group = path.stem.split("-")[-1]
        wb = load_workbook(path)
        ws = wb.worksheets[0]
        ws["B4"], ws["B5"] = f"Respondent {group}", "30.11.2026"
        for row in (9, 10):
            ws.cell(row=row, column=5, value=weights[group][ws.cell(row=row, column=1).value])
        wb.save(path)


@pytest.mark.parametrize("language", ["en", "nb"])
def test_first_case_page(tmp_path: Path, monkeypatch, capsys, language: str) -> None:
    """Every command of docs/first-case.md in order, from an empty folder; the Excel steps done with openpyxl.

    Both sections run their report (`procurement run`); tests/test_docs_commands.py leaves this page's commands to
    this test (its ``RUN_BY``).
    """
    import glob


    monkeypatch.chdir(tmp_path)
    commands = _commands(language)
    assert [c[1] for c in commands] == ["new", "validate", "export", "import", "forms", "collect", "validate", "run", "app"]
    weights = {"buyer": {"quality": 70, "cost": 30}, "users": {"quality": 80, "cost": 20}}
    for cmd in commands:
        assert cmd[0] == "procurement"
        args = [a for pattern in cmd[1:] for a in (sorted(glob.glob(pattern)) if "*" in pattern else [pattern])]
        if args[0] == "app":
            continue
        if args[0] == "import":
            xlsx = Path(args[1])
            if language == "en":  # the problem line the page shows, exactly
                _plant_misspelt_criterion(xlsx)
                capsys.readouterr()
                assert main(args) == 2
                assert capsys.readouterr().err.splitlines()[0] == (
                    "error: welfare-tech.xlsx: sheet 'Scores', row 2, column C 'criterion': unknown criterion 'qualty' "
                    "for decision 'technology-choice' (did you mean 'quality'?)")
                from openpyxl import load_workbook

                wb = load_workbook(xlsx)
                wb["Scores"]["C2"] = "quality"
                wb.save(xlsx)
            _edit_workbook(xlsx, language)
        if args[0] == "collect":
            _fill_forms(Path(args[2]).parent, weights)
        capsys.readouterr()
        assert main(args) == 0, (args, capsys.readouterr().err)
        if args[0] == "run":
            entry = Path(capsys.readouterr().out.strip().splitlines()[-1])  # the page the runner names: the report's entry
    case_dir = Path(commands[0][2])
    case = load_case(case_dir)
    d = case.decisions[commands[0][4]]
    s = d.scores.set_index(["option", "criterion"]).loc[("open-tender", "quality")]
    assert s["likely"] == 8  # the edit in the workbook arrived
    assert d.profiles["buyer"].to_dict() == pytest.approx({"quality": 0.7, "cost": 0.3})  # the collected forms
    text = (case_dir / "profiles.csv").read_text(encoding="utf-8")
    notes = {x.split(": ", 1)[1] for x in text.splitlines() if x.startswith("# collected")}
    assert notes == {"Respondent buyer, 2026-11-30, points form " f"{d.id}-buyer.xlsx",
                     "Respondent users, 2026-11-30, points form " f"{d.id}-users.xlsx"}
    assert (case_dir / "criteria" / f"{d.id}.yaml").read_text(encoding="utf-8").startswith("# ")  # comments kept
    # the report: every notebook ran, the entry page the runner names is the report's, the options by their names
    assert entry.suffix == ".html" and entry.exists()
    manifest = json.loads((entry.parent / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "ok" and len(manifest["notebooks"]) >= 7
    assert all(nb["status"] == "ok" for nb in manifest["notebooks"])
    assert manifest["parameters"]["decision"] == d.id and manifest["parameters"]["samples"] == 10000
    summary = (entry.parent / "07-summary.html").read_text(encoding="utf-8")
    assert ("Open tender" if language == "en" else "Åpen anbudskonkurranse") in summary
