"""The report runner: checks before any kernel, report folder layout, failures, parallel runs."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from procurement.cli import main
from procurement.report.htmlreport import external_resources
from procurement import DEFAULT_SEED
from procurement.report.plan import prepare
from procurement.report.project import resolve_notebooks

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "national-municipal-solution"


def write_notebook(path: Path, *code: str, params: str = 'decision = "pick"\nlanguage = "en"') -> Path:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells.append(new_markdown_cell(f"# {path.stem}\n\nA test notebook."))
    nb.cells.append(new_code_cell(params, metadata={"tags": ["parameters"]}))
    for src in code:
        nb.cells.append(new_code_cell(src))
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path


TABLE_CELL = """\
import pandas as pd
from procurement.report import excel
excel.publish(pd.DataFrame({"option": ["a", "b"], "rank": [1, 2]}), "ranking", "Ranking", "01-table")
print("decision is", decision)"""


@pytest.fixture
def setup(tmp_path, tiny_case):
    """A tiny case, a scenario for it, a notebooks folder with two fast notebooks, an output folder."""
    nbdir = tmp_path / "nbs"
    write_notebook(nbdir / "01-table.ipynb", TABLE_CELL)
    write_notebook(nbdir / "02-plain.ipynb", "x = 1 + 1\nprint(language, x)")
    write_notebook(nbdir / "00-interactive.ipynb", "raise RuntimeError('never part of a report')")
    scenario = tmp_path / "scen.yaml"
    scenario.write_text(f"name: tiny-run\ncase: {tiny_case}\ndecision: pick\nlanguage: en\nmethods: [wsm]\n", encoding="utf-8")
    out = tmp_path / "reports"
    return {"nbdir": nbdir, "scenario": scenario, "out": out, "case": tiny_case, "tmp": tmp_path}


def run(setup, *extra: str, scenario=None) -> int:
    args = ["run", str(scenario or setup["scenario"]), "--out", str(setup["out"]), "--notebooks-dir", str(setup["nbdir"]),
            "--no-progress"]
    return main(args + list(extra))


def folders(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir()) if out.exists() else []


# --- bad input: exit 2, nothing written ------------------------------------------------


@pytest.mark.parametrize(
    "text, words",
    [
        ("seeed: 3\n", ["key 'seeed': unknown key", "did you mean 'seed'?"]),
        ("samples: lots\n", ["key 'samples'", "not a whole number"]),
        ("profile: gamma\n", ["key 'profile'", "no weight profile 'gamma'"]),
    ],
)
def test_bad_scenario_exits_2_and_writes_no_run_folder(setup, capsys, text, words):
    sc = setup["scenario"]
    sc.write_text(sc.read_text() + text, encoding="utf-8")
    assert run(setup) == 2
    err = capsys.readouterr().err
    for w in words:
        assert w in err
    assert "Traceback" not in err
    assert folders(setup["out"]) == []


def test_unknown_decision_and_case(setup, capsys):
    sc = setup["scenario"]
    sc.write_text(sc.read_text().replace("decision: pick", "decision: pik"), encoding="utf-8")
    assert run(setup) == 2
    assert "unknown decision 'pik'" in capsys.readouterr().err
    sc.write_text(f"name: x\ncase: {setup['tmp'] / 'nowhere'}\ndecision: pick\n", encoding="utf-8")
    assert run(setup) == 2
    assert "key 'case': no case folder" in capsys.readouterr().err
    assert folders(setup["out"]) == []


def test_missing_scenario_file(setup, capsys):
    assert run(setup, scenario=setup["tmp"] / "nope.yaml") == 2
    assert "scenario file not found" in capsys.readouterr().err


def test_unknown_notebook(setup, capsys):
    assert run(setup, "--notebooks", "01-tabel") == 2
    err = capsys.readouterr().err
    assert "notebook '01-tabel'" in err and "did you mean '01-table'?" in err
    assert folders(setup["out"]) == []


def test_report_folder_that_cannot_be_written(setup, capsys):
    blocker = setup["tmp"] / "a-file"
    blocker.write_text("not a folder")
    setup["out"] = blocker / "reports"
    assert run(setup) == 2
    err = capsys.readouterr().err
    assert "cannot write a report folder here" in err and "Traceback" not in err


def test_notebook_names_resolve_by_number_name_or_stem(setup):
    nbdir = setup["nbdir"]
    got = resolve_notebooks(["02", "table", "01-table"], nbdir)
    assert [p.stem for p in got] == ["02-plain", "01-table"]
    assert [p.stem for p in resolve_notebooks(None, nbdir)] == ["01-table", "02-plain"]  # 00- is not a report


def test_default_scenario_of_the_example_case_prepares():
    plan = prepare(EXAMPLE / "scenarios" / "default.yaml", root=ROOT)
    assert plan.name == "default"
    assert plan.parameters["case"] == "data/national-municipal-solution"
    assert "00-workbench" not in [p.stem for p in plan.notebooks]
    assert plan.notebooks, "the report notebooks are found"
    assert any(p.name == "default.yaml" for p in plan.inputs)


# --- a successful run -------------------------------------------------------------------


def test_successful_run_builds_the_report_folder(setup, capsys):
    earlier = setup["out"] / "20200101-000000-old"
    earlier.mkdir(parents=True)
    (earlier / "keep.txt").write_text("untouched")

    assert run(setup) == 0
    out = capsys.readouterr().out.strip().splitlines()
    names = folders(setup["out"])
    assert len(names) == 2 and "20200101-000000-old" in names
    run_dir = setup["out"] / next(n for n in names if n.endswith("-tiny-run"))
    entry = run_dir / "index.html" if (run_dir / "index.html").exists() else run_dir / "02-plain.html"
    assert out == [str(entry)]  # the index page when there is one, else (no summary notebook here) the last page
    assert (earlier / "keep.txt").read_text() == "untouched"

    files = sorted(p.name for p in run_dir.iterdir())
    for f in ("01-table.ipynb", "01-table.html", "02-plain.ipynb", "02-plain.html", "manifest.json", "results.xlsx"):
        assert f in files
    assert not any(n.startswith(".") for n in folders(setup["out"]))

    executed = nbformat.read(str(run_dir / "01-table.ipynb"), as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and 'decision = "pick"' in injected[0].source
    assert "methods" not in injected[0].source  # only the parameters the notebook declares

    html = (run_dir / "01-table.html").read_text(encoding="utf-8")
    assert external_resources(html) == []
    assert "excel.publish" not in html  # no code in the report
    assert "decision is pick" in html

    m = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert m["status"] == "ok" and m["run"] == run_dir.name
    assert m["scenario"]["name"] == "tiny-run"
    assert m["parameters"]["decision"] == "pick" and m["parameters"]["seed"] == DEFAULT_SEED
    assert [n["status"] for n in m["notebooks"]] == ["ok", "ok"]
    assert all(len(i["sha256"]) == 64 for i in m["inputs"])
    assert any(i["path"].endswith("scores.csv") for i in m["inputs"])
    assert any(i["path"].endswith("scen.yaml") for i in m["inputs"])
    assert {"python", "pandas", "papermill", "scikit-criteria"} <= set(m["environment"]["versions"])
    assert m["started"] <= m["finished"]
    assert "git" in m

    import openpyxl

    wb = openpyxl.load_workbook(run_dir / "results.xlsx")
    assert [s.lower() for s in wb.sheetnames][-2:] == ["contents", "ranking"]  # after an "about this run" sheet, if any
    rows = list(wb[wb.sheetnames[-1]].iter_rows(values_only=True))
    assert rows == [("option", "rank"), ("a", 1), ("b", 2)]


def test_failing_notebook_exits_1_and_keeps_a_failed_folder(setup, capsys):
    write_notebook(setup["nbdir"] / "03-boom.ipynb", "raise ValueError('the model broke')", "print('never')")
    assert run(setup, "--notebook-jobs", "1") == 1
    err = capsys.readouterr().err
    assert "notebook 03-boom failed" in err and "ValueError: the model broke" in err
    names = folders(setup["out"])
    assert len(names) == 1 and names[0].endswith("-tiny-run.failed")
    failed = setup["out"] / names[0]
    executed = nbformat.read(str(failed / "03-boom.ipynb"), as_version=4)
    text = json.dumps(executed)
    assert "the model broke" in text and "An Exception was encountered" in text
    m = json.loads((failed / "manifest.json").read_text(encoding="utf-8"))
    assert m["status"] == "failed"
    assert [n["status"] for n in m["notebooks"]] == ["ok", "ok", "failed"]


def test_failure_while_notebooks_run_side_by_side(setup, capsys):
    write_notebook(setup["nbdir"] / "01-boom.ipynb", "raise ValueError('early failure')")
    assert run(setup, "--notebook-jobs", "2") == 1
    names = folders(setup["out"])
    assert len(names) == 1 and names[0].endswith(".failed")
    m = json.loads((setup["out"] / names[0] / "manifest.json").read_text(encoding="utf-8"))
    status = {n["notebook"]: n["status"] for n in m["notebooks"]}
    assert status["01-boom"] == "failed" and "early failure" in m["message"]


def test_parallel_runs_of_two_scenarios(setup, capsys):
    second = setup["tmp"] / "second.yaml"
    second.write_text(setup["scenario"].read_text().replace("tiny-run", "other-run"), encoding="utf-8")
    code = main(["run", str(setup["scenario"]), str(second), "--jobs", "2", "--out", str(setup["out"]),
                 "--notebooks-dir", str(setup["nbdir"]), "--notebooks", "02", "--no-progress"])
    assert code == 0
    names = folders(setup["out"])
    # the two runs may be stamped in different seconds, so compare the case and scenario parts of the names
    case = prepare(setup["scenario"], ["02"], setup["nbdir"]).case_dir.name
    assert len(names) == 2 and sorted(n.split("-", 2)[2] for n in names) == [f"{case}-other-run", f"{case}-tiny-run"]
    assert len(capsys.readouterr().out.strip().splitlines()) == 2


# --- the real notebooks ------------------------------------------------------------------


def test_misspelt_parameter_stops_a_real_notebook_at_its_first_cell(tmp_path):
    import papermill
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError) as e:
        papermill.execute_notebook(str(ROOT / "notebooks" / "01-inputs.ipynb"), str(tmp_path / "out.ipynb"),
                                   parameters={"langauge": "en"}, kernel_name="python3", cwd=str(ROOT), progress_bar=False)
    assert e.value.ename == "ParameterError"
    assert "parameter 'langauge': unknown parameter" in e.value.evalue
    assert "did you mean 'language'?" in e.value.evalue


def test_real_inputs_notebook_runs_through_the_runner(tmp_path, capsys):
    code = main(["run", str(EXAMPLE / "scenarios" / "default.yaml"), "--notebooks", "01-inputs", "--out", str(tmp_path),
                 "--no-progress"])
    assert code == 0
    (run_dir,) = list(tmp_path.iterdir())
    html = (run_dir / "01-inputs.html").read_text(encoding="utf-8")
    assert external_resources(html) == []
    assert "data:image/png;base64" in html
    import openpyxl

    sheets = openpyxl.load_workbook(run_dir / "results.xlsx").sheetnames
    assert "data-check" in sheets or "Datakontroll" in sheets  # sheet names in the report's language


# --- one kernel per worker ---------------------------------------------------------------


def test_a_worker_reuses_its_kernel_with_a_clean_namespace(setup, tmp_path, capsys):
    """Notebooks run one after the other in one kernel see nothing of the one before; the kernel ends with the run."""
    pids = tmp_path / "pids"
    record = f"import os\nwith open({str(pids)!r}, 'a') as f:\n    f.write(str(os.getpid()) + '\\n')"
    write_notebook(setup["nbdir"] / "03-first.ipynb", record, "leaked = 42\nimport json")
    write_notebook(setup["nbdir"] / "04-second.ipynb", record,
                   "assert 'leaked' not in globals() and 'json' not in globals(), sorted(globals())")
    assert run(setup, "--notebook-jobs", "1") == 0, capsys.readouterr().err
    kernels = pids.read_text().split()
    assert len(kernels) == 2 and kernels[0] == kernels[1]  # one kernel for both
    import psutil

    assert not psutil.pid_exists(int(kernels[0])) or psutil.Process(int(kernels[0])).status() == psutil.STATUS_ZOMBIE


def test_kernels_listen_on_unix_sockets_of_their_own_that_go_with_the_run(setup, tmp_path, capsys):
    """A full run with three workers once lost a report: a kernel died with "Address already in use" on a TCP port
    jupyter_client had picked for it and another process took first. The runner's kernels listen on Unix sockets
    in a folder of the run's own, removed when the run ends."""
    info = tmp_path / "connection.json"
    write_notebook(setup["nbdir"] / "03-where.ipynb",
                   f"from ipykernel.connect import get_connection_info\nopen({str(info)!r}, 'w').write(get_connection_info())")
    assert run(setup, "--notebooks", "03") == 0, capsys.readouterr().err
    connection = json.loads(info.read_text())
    assert connection["transport"] == "ipc"
    folder = Path(connection["ip"]).parent
    assert folder.name.startswith("procurement-kernels-") and not folder.exists()


def test_fresh_kernels_start_one_kernel_per_notebook(setup, tmp_path, capsys):
    pids = tmp_path / "pids"
    record = f"import os\nwith open({str(pids)!r}, 'a') as f:\n    f.write(str(os.getpid()) + '\\n')"
    write_notebook(setup["nbdir"] / "03-first.ipynb", record)
    write_notebook(setup["nbdir"] / "04-second.ipynb", record)
    assert run(setup, "--notebook-jobs", "1", "--fresh-kernels") == 0, capsys.readouterr().err
    kernels = pids.read_text().split()
    assert len(kernels) == 2 and kernels[0] != kernels[1]


@pytest.mark.parametrize("value, kernels", [("1", 1), ("2", 2)])
def test_the_environment_sets_how_many_kernels_a_report_uses(setup, tmp_path, capsys, monkeypatch, value, kernels):
    """PROCUREMENT_NOTEBOOK_JOBS is the default of --notebook-jobs (the test suite sets 1: its workers keep the cores
    busy already). Each notebook records its kernel's process id: the count of distinct ids is the count of kernels."""
    pids = tmp_path / "pids"
    record = f"import os\nwith open({str(pids)!r}, 'a') as f:\n    f.write(str(os.getpid()) + '\\n')"
    write_notebook(setup["nbdir"] / "03-first.ipynb", record)
    write_notebook(setup["nbdir"] / "04-second.ipynb", record)
    monkeypatch.setenv("PROCUREMENT_NOTEBOOK_JOBS", value)
    assert run(setup, "--notebooks", "03", "04") == 0, capsys.readouterr().err
    assert len(set(pids.read_text().split())) == kernels


@pytest.mark.parametrize("value", ["0", "two", "-1"])
def test_a_bad_notebook_jobs_environment_value_is_named(setup, capsys, monkeypatch, value):
    monkeypatch.setenv("PROCUREMENT_NOTEBOOK_JOBS", value)
    assert run(setup) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[0] == (f"error: PROCUREMENT_NOTEBOOK_JOBS: {value!r} is not a number of processes (set it "
                                   "to 1 or more, or unset it for one per core)")
    assert "Traceback" not in err
    assert folders(setup["out"]) == []


def test_longest_notebooks_are_handed_out_first(setup, tmp_path):
    from procurement.report.runner import longest_first

    for name in ("03-c", "04-d"):
        write_notebook(setup["nbdir"] / f"{name}.ipynb", "pass")
    plan = prepare(setup["scenario"], None, setup["nbdir"])
    out = tmp_path / "out"
    assert longest_first(plan, out) == [0, 1, 2, 3]  # no earlier run: as given
    for stamp, secs in (("20200101-000000", {"01-table": 9.0}), ("20200102-000000", {"01-table": 1.0, "02-plain": 5.0,
                                                                                    "03-c": 3.0})):
        folder = out / f"{stamp}-tiny-run"
        folder.mkdir(parents=True)
        notebooks = [{"notebook": k, "seconds": v} for k, v in secs.items()]
        (folder / "manifest.json").write_text(json.dumps({"notebooks": notebooks}), encoding="utf-8")
    # the latest run counts; 04-d, unknown, is taken as the median (3.0) and keeps its place after 03-c
    assert [plan.notebooks[i].stem for i in longest_first(plan, out)] == ["02-plain", "03-c", "04-d", "01-table"]


def test_only_a_report_notebook_has_the_case_read_ahead(setup, tmp_path, capsys):
    """The runner reads the case ahead in a kernel only for a notebook that starts a report (``start(globals(), …)``,
    as every report notebook of the project does); a kernel running any other notebook imports nothing of the package
    it does not ask for."""
    from procurement.report import runner

    starts = {nb.stem for nb in (ROOT / "notebooks").glob("[0-9]*.ipynb")
              if any(runner.STARTS_A_REPORT.search(c) for c in runner._code_cells(str(nb)))}
    assert starts == {f"0{i}-{n}" for i, n in enumerate(
        ["inputs", "ranking", "sensitivity", "cost-benefit", "procurement-route", "stakeholders", "summary",
         "tender-evaluation", "municipality"], start=1)}
    seen = tmp_path / "seen.txt"
    ours = "sorted(m for m in sys.modules if m.startswith('procurement'))"
    write_notebook(setup["nbdir"] / "03-modules.ipynb", f"import sys\nopen({str(seen)!r}, 'w').write(' '.join({ours}))")
    assert run(setup, "--notebooks", "03") == 0, capsys.readouterr().err
    assert seen.read_text() == ""
