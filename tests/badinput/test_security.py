"""Security holes of issue 26: a case is data and never brings code, a name never writes outside its folder, text never
becomes a formula in a workbook.

Each case here works on copies (the example case, or the tiny case of conftest in a tiny project) and asserts the
exit code, one line per problem naming the file and the field, no traceback, the input files unchanged, no file
written outside the target folder and no formula cell in any workbook written.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import shutil
import traceback
from pathlib import Path

import pytest

from conftest import write_case
from test_runner import TABLE_CELL, write_notebook

from procurement.cli import main
from procurement.report.plan import prepare
from procurement.report.project import project_root

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "national-municipal-solution"

#: What a hostile notebook does when it runs: leaves this file beside itself.
PWNED = "PWNED"


def call(argv: list[str]) -> tuple[int | None, str, str]:
    """The command line in process: exit code (None on an escaped exception), stdout, stderr (with any traceback)."""
    out, err = io.StringIO(), io.StringIO()
    code: int | None = None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as e:
            code = int(e.code or 0) if not isinstance(e.code, str) else 2
        except BaseException:  # noqa: BLE001 - anything escaping main is a traceback for the user
            err.write(traceback.format_exc())
    return code, out.getvalue(), err.getvalue()


def snapshot(root: Path) -> dict[str, str]:
    """Every file under `root` and its SHA-256 (a symlink or a special file as such)."""
    out = {}
    for p in sorted(root.rglob("*")):
        if p.is_symlink() or not p.is_file():
            out[str(p)] = "dir" if p.is_dir() else "special"
            continue
        out[str(p)] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def errors(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("error:")]


# --- 1. a case never brings its own notebooks ------------------------------------------------------------------


@pytest.fixture
def project(tmp_path):
    """tmp/proj: notebooks/ (01-table, 02-plain) and data/ with the tiny case and a scenario of it."""
    proj = tmp_path / "proj"
    case = write_case(proj / "data")
    write_notebook(proj / "notebooks" / "01-table.ipynb", TABLE_CELL)
    write_notebook(proj / "notebooks" / "02-plain.ipynb", "x = 1 + 1\nprint(language, x)")
    (case / "scenarios").mkdir()
    (case / "scenarios" / "tiny.yaml").write_text("name: tiny\ndecision: pick\nlanguage: en\nmethods: [wsm]\n",
                                                  encoding="utf-8")
    return proj


def hostile(folder: Path, marker: Path) -> None:
    """A notebooks/ folder (the project's names, each one leaving `marker` when run) and an empty data/."""
    for name in ("01-table", "02-plain", "03-extra"):
        write_notebook(folder / "notebooks" / f"{name}.ipynb", f"open({str(marker)!r}, 'w').write('ran')")
    (folder / "data").mkdir(exist_ok=True)


def carrying_case(tmp_path: Path, project: Path, layout: str) -> Path:
    """The tiny case with hostile notebooks inside it, beside it, or inside a case under the project's data/."""
    marker = tmp_path / PWNED
    if layout == "inside":  # the reproduction: a case folder from elsewhere with notebooks/ and data/
        case = write_case(tmp_path / "sent")
        hostile(case, marker)
    elif layout == "beside":  # notebooks/ and data/ right next to the case folder
        case = write_case(tmp_path / "sent")
        hostile(case.parent, marker)
    else:  # a case dropped into the project's own data/, carrying notebooks
        case = project / "data" / "case"
        hostile(case, marker)
    (case / "scenarios").mkdir(exist_ok=True)
    (case / "scenarios" / "tiny.yaml").write_text("name: tiny\ndecision: pick\nlanguage: en\nmethods: [wsm]\n",
                                                  encoding="utf-8")
    return case


@pytest.mark.parametrize("start", ["project", "case"])
@pytest.mark.parametrize("layout", ["inside", "beside", "in-project-data"])
def test_a_run_takes_the_notebooks_of_the_project_never_the_case(project, tmp_path, monkeypatch, layout, start):
    case = carrying_case(tmp_path, project, layout)
    monkeypatch.chdir(project if start == "project" else case)
    plan = prepare(case / "scenarios" / "tiny.yaml", ["01", "02"])
    # started in the project, or in a case under its data/: that project; in a case elsewhere: the installed checkout
    expected = project if start == "project" or layout == "in-project-data" else ROOT
    assert plan.root == expected
    assert [p.parent for p in plan.notebooks] == [expected / "notebooks"] * 2
    assert not (tmp_path / PWNED).exists()


def test_the_case_notebooks_never_run_end_to_end(project, tmp_path, monkeypatch):
    """`procurement run CASE/scenarios/tiny.yaml`, the case carrying notebooks/ and data/: the project's ran."""
    case = carrying_case(tmp_path, project, "inside")
    monkeypatch.chdir(project)
    before = snapshot(case)
    code, out, err = call(["run", str(case / "scenarios" / "tiny.yaml"), "--out", str(tmp_path / "out"),
                           "--no-progress", "--notebook-jobs", "1"])
    assert code == 0, err
    assert "Traceback" not in err
    assert not (tmp_path / PWNED).exists(), "a notebook the case brought was run"
    (run,) = (tmp_path / "out").iterdir()
    notebooks = json.loads((run / "manifest.json").read_text(encoding="utf-8"))["notebooks"]
    assert [n["notebook"] for n in notebooks] == ["01-table", "02-plain"]
    assert snapshot(case) == before


def test_validate_says_that_the_case_notebooks_are_not_run(project, tmp_path, monkeypatch):
    case = carrying_case(tmp_path, project, "inside")
    monkeypatch.chdir(project)
    before = snapshot(tmp_path / "sent")
    code, out, err = call(["validate", str(case)])
    assert code == 0, err
    (note,) = [line for line in err.splitlines() if line.startswith("note:")]
    assert f"{case / 'notebooks'}" in note and "never run" in note and str(project / "notebooks") in note
    assert "Traceback" not in err and snapshot(tmp_path / "sent") == before


def test_the_ways_a_person_runs_the_project_still_work(project, tmp_path, monkeypatch):
    """From the project folder, from below it (data/), a case outside it by an absolute path, an own
    --notebooks-dir, from anywhere else the installed checkout, and a project's case (PROJECT/data/<case>) by its
    absolute path from outside any project (an installed package has no checkout with notebooks)."""
    scenario = project / "data" / "case" / "scenarios" / "tiny.yaml"
    monkeypatch.chdir(project / "data")
    assert prepare("case/scenarios/tiny.yaml").root == project
    outside = write_case(tmp_path / "elsewhere")
    shutil.copytree(scenario.parent, outside / "scenarios")
    monkeypatch.chdir(project)
    assert prepare(outside / "scenarios" / "tiny.yaml").notebooks[0].parent == project / "notebooks"
    mine = tmp_path / "mine"
    write_notebook(mine / "05-mine.ipynb", "print('mine')")
    assert [p.stem for p in prepare(scenario, notebooks_dir=mine).notebooks] == ["05-mine"]
    monkeypatch.chdir(tmp_path)
    assert project_root() == ROOT  # no project above the working folder: the checkout the package runs from
    # started outside any project, a case laid out as a project keeps it (PROJECT/data/<case>): that project's
    assert prepare(scenario).root == project
    assert [p.parent for p in prepare(scenario, ["01"]).notebooks] == [project / "notebooks"]


# --- 2. a name never writes outside its folder ------------------------------------------------------------------

COMPETITION = "dialogue-final-round"
DEEP = ("a", "b", "c", "d", "e", "f")  # six folders between tmp_path and the project holding the case


def example_copy(tmp_path: Path) -> Path:
    """The example case and the criteria, six folders below tmp_path (so '../' x 6 from the case stays in tmp_path)."""
    base = tmp_path.joinpath(*DEEP)
    case = base / "data" / "nms"
    shutil.copytree(EXAMPLE, case)
    shutil.copytree(ROOT / "criteria", base / "criteria")
    return case


def set_first_evaluator(case: Path, name: str) -> None:
    """Give the first row of evaluations.csv (the example's 'ingrid') another evaluator name."""
    p = case / "tenders" / COMPETITION / "evaluations.csv"
    lines = p.read_text(encoding="utf-8").splitlines(keepends=True)
    i = next(i for i, line in enumerate(lines) if line.startswith("ingrid,"))
    lines[i] = lines[i].replace("ingrid,", f'"{name}",' if "," in name or '"' in name else f"{name},", 1)
    p.write_text("".join(lines), encoding="utf-8")


def assert_one_clear_line(code, err: str, file: str, field: str) -> None:
    assert "Traceback" not in err, err
    assert code == 2, err
    (line,) = errors(err)
    assert file in line and field in line, line


HOSTILE_NAMES = {
    "dot-dot": "../../../../../../escaped",
    "absolute": "/tmp/escaped",
    "backslash": "..\\..\\escaped",
    "hidden": ".bashrc",
    "control": "anne\x1bbjorn",
    "too-long": "x" * 101,
    "no-letter": "???",
    "device": "CON",
}


@pytest.mark.parametrize("name", list(HOSTILE_NAMES.values()), ids=list(HOSTILE_NAMES))
def test_an_evaluator_name_that_is_no_file_name_is_refused(tmp_path, name):
    case = example_copy(tmp_path)
    set_first_evaluator(case, name)
    before = snapshot(tmp_path)
    for argv in (["validate", str(case)], ["tender", "forms", str(case), "--competition", COMPETITION]):
        code, _, err = call(argv)
        assert_one_clear_line(code, err, "evaluations.csv", "column 'evaluator'")
    assert snapshot(tmp_path) == before  # nothing written anywhere, inside the case or above it


@pytest.mark.parametrize("given", ["../x,ingrid", "ingrid,/tmp/x", "Kari Nordmann,kari-nordmann", "ingrid,.."])
def test_evaluators_given_on_the_command_line_are_checked_too(tmp_path, given):
    case = example_copy(tmp_path)
    before = snapshot(tmp_path)
    code, _, err = call(["tender", "forms", str(case), "--competition", COMPETITION, "--evaluators", given])
    assert_one_clear_line(code, err, "--evaluators", "evaluator")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("competition", ["../../../x", "/tmp", "..", "tenders/../x"])
def test_a_competition_is_a_folder_name_never_a_path(tmp_path, competition):
    case = example_copy(tmp_path)
    before = snapshot(tmp_path)
    code, _, err = call(["tender", "forms", str(case), "--competition", competition])
    assert_one_clear_line(code, err, "competition", "is not a competition id")
    assert snapshot(tmp_path) == before


def test_evaluator_names_become_slugged_file_names_and_come_back_whole(tmp_path):
    case = example_copy(tmp_path)
    code, out, err = call(["tender", "forms", str(case), "--competition", COMPETITION, "--language", "en", "--evaluators",
                           "Kari Nordmann,Bjørn Åsen"])
    assert code == 0, err
    forms = case / "tenders" / COMPETITION / "forms"
    assert sorted(p.name for p in forms.iterdir()) == ["bjørn-åsen.xlsx", "kari-nordmann.xlsx"]
    from openpyxl import load_workbook

    about = {r[0]: r[1] for r in load_workbook(forms / "kari-nordmann.xlsx")["About"].iter_rows(values_only=True)}
    assert about["evaluator"] == "Kari Nordmann"  # the name itself goes back into evaluations.csv


def test_a_forms_folder_that_leads_outside_the_competition_is_refused(tmp_path):
    case = example_copy(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (case / "tenders" / COMPETITION / "forms").symlink_to(outside, target_is_directory=True)
    before = snapshot(tmp_path)
    code, _, err = call(["tender", "forms", str(case), "--competition", COMPETITION])
    assert_one_clear_line(code, err, "forms", "leads outside the competition")
    assert snapshot(tmp_path) == before and not any(outside.iterdir())


def test_a_link_where_a_form_goes_is_replaced_never_followed(tmp_path):
    case = example_copy(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    forms = case / "tenders" / COMPETITION / "forms"
    forms.mkdir()
    (forms / "ingrid.xlsx").symlink_to(victim)
    code, _, err = call(["tender", "forms", str(case), "--competition", COMPETITION])
    assert code == 0, err
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not (forms / "ingrid.xlsx").is_symlink() and (forms / "ingrid.xlsx").stat().st_size > 0


def test_a_returned_weight_form_whose_group_is_a_path_is_refused(tmp_path):
    from openpyxl import load_workbook

    case = example_copy(tmp_path)
    out = tmp_path / "forms"
    code, _, err = call(["forms", str(case), "--decision", "contract-strategy", "--out", str(out)])
    assert code == 0, err
    form = sorted(out.glob("*.xlsx"))[0]
    wb = load_workbook(form)
    meta = wb["meta"]
    row = next(r for r in meta.iter_rows() if r[0].value == "group")
    row[1].value = "../../../../escaped"
    wb.save(form)
    before = snapshot(tmp_path)
    code, _, err = call(["collect", str(case), str(form)])
    assert_one_clear_line(code, err, form.name, "key 'group'")
    assert snapshot(tmp_path) == before


def test_a_scenario_name_too_long_for_a_folder_is_refused_by_validate(tmp_path):
    case = example_copy(tmp_path)
    text = (case / "scenarios" / "default.yaml").read_text(encoding="utf-8")
    (case / "scenarios" / "long.yaml").write_text(text.replace("name: default", "name: " + "a" * 200), encoding="utf-8")
    before = snapshot(tmp_path)
    code, _, err = call(["validate", str(case)])
    assert_one_clear_line(code, err, "long.yaml", "key 'name'")
    assert snapshot(tmp_path) == before


# --- 3. a returned form brings only text into case.yaml ------------------------------------------------------------


@pytest.mark.parametrize("label, key", [("Bergen\nkommune: ok", "group_label"), (12345, "group_label"),
                                        ("x" * 201, "group_label_en")], ids=["control", "number", "too-long"])
def test_a_returned_weight_form_whose_group_label_is_no_line_of_text_is_refused(tmp_path, label, key):
    from openpyxl import load_workbook

    case = example_copy(tmp_path)
    respondents = tmp_path / "respondents.csv"
    respondents.write_text("id,name\nbergen,Bergen kommune\n", encoding="utf-8")
    out = tmp_path / "forms"
    code, _, err = call(["forms", str(case), "--decision", "contract-strategy", "--out", str(out),
                         "--respondents", str(respondents)])
    assert code == 0, err
    (form,) = out.glob("*.xlsx")
    wb = load_workbook(form)
    row = next(r for r in wb["meta"].iter_rows() if r[0].value == key)
    row[1].value = label
    wb.save(form)
    before = snapshot(tmp_path)
    code, _, err = call(["collect", str(case), str(form)])
    assert_one_clear_line(code, err, form.name, f"key '{key}'")
    assert snapshot(tmp_path) == before


def test_the_app_serves_the_project_workbench_never_one_a_case_carries(project, tmp_path, monkeypatch):
    from procurement.cli.app import NOTEBOOK, find_notebook

    case = carrying_case(tmp_path, project, "inside")
    write_notebook(case / "notebooks" / NOTEBOOK, "open('PWNED', 'w')")
    write_notebook(project / "notebooks" / NOTEBOOK, "print('the workbench')")
    monkeypatch.chdir(case)  # `cd CASE && procurement app`: the case lies outside any project, so the checkout's
    assert find_notebook() == ROOT / "notebooks" / NOTEBOOK
    monkeypatch.chdir(project / "data" / "case")
    assert find_notebook() == project / "notebooks" / NOTEBOOK
