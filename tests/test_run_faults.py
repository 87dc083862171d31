"""`procurement run` under faults: every one ends with one line, a known exit status and no stranded folder.

Each test builds a tiny project (the tiny case of conftest, a notebooks folder
of fast notebooks) and injects one fault: the command started in a sub-folder,
Ctrl-C (SIGINT to the whole process group, as a terminal sends it, and to the
runner alone), a worker killed with SIGKILL, a full disk while writing the
workbook or the manifest, SIGTERM just as the report is published, a rename that fails, a hidden folder left by a run
that died, two runs stamped in the same second, a scenario naming a notebook
by path, too many samples. Processes are checked to be gone afterwards.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from procurement.cli import main
from procurement import MAX_SAMPLES
from procurement.report import manifest as run_record
from procurement.report import plan as report_plan
from procurement.report import project as report_project
from procurement.report import runner, workers

from conftest import write_case
from test_runner import TABLE_CELL, write_notebook

ROOT = Path(__file__).resolve().parents[1]


def procurement() -> list[str]:
    script = Path(sys.executable).with_name("procurement")
    return [str(script)] if script.exists() else [sys.executable, "-m", "procurement.cli"]


@pytest.fixture
def project(tmp_path):
    """tmp/proj with notebooks/ (01-table, 02-plain) and data/case with a scenario; reports go to tmp/out."""
    proj = tmp_path / "proj"
    case = write_case(proj / "data")
    nbdir = proj / "notebooks"
    write_notebook(nbdir / "01-table.ipynb", TABLE_CELL)
    write_notebook(nbdir / "02-plain.ipynb", "x = 1 + 1\nprint(language, x)")
    scenario = case / "scenarios" / "tiny.yaml"
    scenario.parent.mkdir()
    scenario.write_text("name: tiny\ndecision: pick\nlanguage: en\nmethods: [wsm]\n", encoding="utf-8")
    return {"proj": proj, "case": case, "nbdir": nbdir, "scenario": scenario, "out": tmp_path / "out"}


def run_in_process(p, *extra: str) -> int:
    return main(["run", str(p["scenario"]), "--out", str(p["out"]), "--notebooks-dir", str(p["nbdir"]), "--no-progress",
                 *extra])


def folders(out: Path) -> list[str]:
    return sorted(x.name for x in out.iterdir()) if out.exists() else []


def manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def gone(pid: int, within: float = 60.0) -> bool:
    """Whether the process has ended; waits for that event up to `within` seconds (a hang guard, not a speed test)."""
    end = time.monotonic() + within
    while time.monotonic() < end:
        if not workers._alive(pid):
            return True
        time.sleep(0.05)
    return False


# --- where the report goes ---------------------------------------------------------------


def test_relative_out_is_taken_from_the_folder_the_command_started_in(project):
    """`cd data && procurement run SCENARIO` writes data/reports (papermill changes folder; the runner resolves first)."""
    data = project["proj"] / "data"
    proc = subprocess.run([*procurement(), "run", "case/scenarios/tiny.yaml", "--no-progress"], cwd=data,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    (run_dir,) = (data / "reports").iterdir()
    assert run_dir.name.endswith("-tiny") and (run_dir / "02-plain.html").exists()
    assert proc.stdout.strip() in (str(run_dir / "02-plain.html"), str(run_dir / "index.html"))
    assert not (project["proj"] / "reports").exists()
    m = manifest(run_dir)
    assert [n["notebook"] for n in m["notebooks"]] == ["01-table", "02-plain"]  # the project's notebooks/, found upwards


# --- Ctrl-C --------------------------------------------------------------------------------

#: How long a test waits for an event (a notebook started, a process ended) before it calls it a hang.
HANG_GUARD = 300

SLEEPER = """\
import os, time, pathlib
marker = pathlib.Path({markers!r}) / str(os.getpid())
marker.with_suffix(".tmp").write_text(str(os.getpid()))
marker.with_suffix(".tmp").rename(marker)  # appears whole: the kernel is running this cell
time.sleep(600)"""


def as_in_a_terminal() -> None:
    """In the child before exec: Ctrl-C's default action, as a command typed in a terminal has it.

    A process started in the background of a script (``cmd &``, cron, some CI runners) inherits SIGINT *ignored*,
    and Python then installs no KeyboardInterrupt handler; the command would never see the Ctrl-C these tests send.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def wait_for_kernels(proc: subprocess.Popen, markers: Path, count: int) -> list[int]:
    """Wait until `count` sleeping notebooks have started (each kernel leaves a marker file named by its pid)."""
    end = time.monotonic() + HANG_GUARD
    while len(pids := [int(m.name) for m in markers.iterdir() if m.suffix == ""]) < count:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < end, f"the sleeping notebook never started ({len(pids)} of {count})"
        time.sleep(0.1)
    return pids


def _start_and_wait(project, tmp_path, jobs: str):
    markers = tmp_path / "kernels"
    markers.mkdir()
    write_notebook(project["nbdir"] / "03-sleep.ipynb", SLEEPER.format(markers=str(markers)))
    cmd = [*procurement(), "run", str(project["scenario"]), "--out", str(project["out"]), "--no-progress",
           "--notebook-jobs", jobs]
    proc = subprocess.Popen(cmd, cwd=project["proj"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, preexec_fn=as_in_a_terminal)
    (kernel,) = wait_for_kernels(proc, markers, 1)
    return proc, kernel


@pytest.mark.parametrize("target", ["group", "runner"])
def test_ctrl_c_stops_without_traceback_and_keeps_what_finished(project, tmp_path, target):
    """Sent once the sleeping notebook runs; how fast it stops is a figure of benchmarks/interrupt.py."""
    proc, kernel = _start_and_wait(project, tmp_path, "1")
    if target == "group":  # what a terminal does: every process of the foreground group gets SIGINT
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=HANG_GUARD)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert err.strip().splitlines()[-1].startswith("interrupted: scenario tiny: interrupted; finished: 01-table, 02-plain")
    assert gone(kernel), "the kernel of the interrupted notebook is still running"
    (name,) = folders(project["out"])
    assert name.endswith("-tiny.interrupted")
    m = manifest(project["out"] / name)
    assert m["status"] == "interrupted" and m["run"] == name
    assert {n["notebook"]: n["status"] for n in m["notebooks"]} == {
        "01-table": "ok", "02-plain": "ok", "03-sleep": "interrupted"}


def test_kill_9_of_the_runner_leaves_no_process_of_its_own(project, tmp_path):
    """Issue 26: after `kill -9` of `procurement run` its two workers and two kernels lived on. Each worker now ends
    with the runner (Linux's parent-death signal) and each kernel then with its worker (ipykernel's parent poller);
    the test waits for that event."""
    import psutil

    if not sys.platform.startswith("linux"):
        pytest.skip("the parent-death signal is Linux's")
    proc, kernel = _start_and_wait(project, tmp_path, "2")
    ours = [p.pid for p in psutil.Process(proc.pid).children(recursive=True)]
    assert kernel in ours and len(ours) >= 2  # a worker and its kernel at least
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=HANG_GUARD)
    left = [pid for pid in ours if not gone(pid)]
    assert left == [], f"processes of the killed run still alive: {left}"


def test_sigterm_stops_like_ctrl_c(project, tmp_path):
    proc, kernel = _start_and_wait(project, tmp_path, "2")
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=HANG_GUARD)
    assert proc.returncode == 130 and "Traceback" not in err, err
    assert gone(kernel)
    assert folders(project["out"])[0].endswith(".interrupted")


def test_ctrl_c_with_scenarios_in_parallel(project, tmp_path):
    """--jobs 2: each scenario's process stops its kernel and keeps its folder as .interrupted."""
    markers = tmp_path / "kernels"
    markers.mkdir()
    write_notebook(project["nbdir"] / "03-sleep.ipynb", SLEEPER.format(markers=str(markers)))
    second = project["scenario"].with_name("other.yaml")
    second.write_text(project["scenario"].read_text().replace("name: tiny", "name: other"), encoding="utf-8")
    cmd = [*procurement(), "run", str(project["scenario"]), str(second), "--jobs", "2", "--out", str(project["out"]),
           "--no-progress", "--notebooks", "03"]
    proc = subprocess.Popen(cmd, cwd=project["proj"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, preexec_fn=as_in_a_terminal)
    kernels = wait_for_kernels(proc, markers, 2)  # both scenarios' kernels run their sleeping notebook
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=HANG_GUARD)
    assert proc.returncode == 130, err
    assert "Traceback" not in err, err
    names = folders(project["out"])
    assert len(names) == 2 and all(n.endswith(".interrupted") for n in names), names
    assert all(gone(k) for k in kernels)


# --- a worker killed, a notebook that fails -------------------------------------------------

KILL_WORKER = """\
import os, signal, pathlib
pathlib.Path({marker!r}).write_text(str(os.getpid()))
os.kill(os.getppid(), signal.SIGKILL)  # the worker process running this notebook, as the OOM killer would"""


def test_a_killed_worker_is_named_by_its_notebook(project, tmp_path, capsys):
    marker = tmp_path / "kernel.pid"
    write_notebook(project["nbdir"] / "03-victim.ipynb", KILL_WORKER.format(marker=str(marker)))
    assert run_in_process(project, "--notebook-jobs", "2") == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "BrokenProcessPool" not in err
    lines = [x for x in err.splitlines() if x.startswith("error:")]
    assert len(lines) == 1 and "notebook 03-victim: its process was killed by SIGKILL" in lines[0], err
    assert gone(int(marker.read_text())), "the orphaned kernel is still running"
    (name,) = folders(project["out"])
    assert name.endswith(".failed")
    status = {n["notebook"]: n["status"] for n in manifest(project["out"] / name)["notebooks"]}
    assert status["03-victim"] == "killed"


# --- the disk ------------------------------------------------------------------------------


def _no_space(*a, **k):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_full_disk_while_writing_the_workbook(project, capsys, monkeypatch):
    from procurement.report import excel

    monkeypatch.setattr(excel, "write_workbook", _no_space)
    assert run_in_process(project) == 1
    err = capsys.readouterr().err
    (line,) = [x for x in err.splitlines() if x.startswith("error:")]
    assert "building the report failed: OSError: [Errno 28] No space left on device" in line
    (name,) = folders(project["out"])  # no hidden folder beside it
    assert name.endswith("-tiny.failed")
    kept = project["out"] / name
    assert (kept / "01-table.html").exists() and manifest(kept)["status"] == "failed"


def test_full_disk_while_writing_the_manifest(project, capsys, monkeypatch):
    monkeypatch.setattr(run_record, "write", _no_space)
    assert run_in_process(project) == 1
    err = capsys.readouterr().err
    (line,) = [x for x in err.splitlines() if x.startswith("error:")]
    assert "could not write the report folder: No space left on device" in line and "Traceback" not in err
    (name,) = folders(project["out"])
    assert name.endswith("-tiny.failed")
    assert (project["out"] / name / "02-plain.html").exists()  # what was written is kept


def test_a_full_disk_in_the_middle_of_the_manifest_leaves_the_old_one_whole(project, monkeypatch):
    """Issue 26: a full disk at publish left a manifest.json of 4,096 bytes of invalid JSON. The manifest is written
    beside its place and renamed over it, so the one there stays whole and nothing half-written is left."""
    assert run_in_process(project) == 0
    (name,) = folders(project["out"])
    folder = project["out"] / name
    before = (folder / "manifest.json").read_bytes()
    real = Path.write_text

    def half_then_full(self, text, *a, **k):  # what a disk filling up mid-write leaves: the first block only
        real(self, text[:4096], *a, **k)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Path, "write_text", half_then_full)
    with pytest.raises(OSError):
        run_record.write(folder, {**json.loads(before), "status": "failed", "padding": "x" * 10_000})
    monkeypatch.undo()
    assert (folder / "manifest.json").read_bytes() == before
    assert json.loads(before)["status"] == "ok"
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == []


def test_sigterm_just_as_the_report_is_published_leaves_it_whole(project, capsys, monkeypatch):
    """Issue 26: a SIGTERM just as the last page was published left only "interrupted" and a hidden partial folder
    without a manifest. The signal now arrives (sent by the runner to itself right before the manifest is written)
    and waits until the folder has its name and manifest: the report stands, the command exits 130."""
    real = run_record.write

    def term_then_write(folder, record):
        os.kill(os.getpid(), signal.SIGTERM)
        return real(folder, record)

    monkeypatch.setattr(run_record, "write", term_then_write)
    idle = threading.Event()  # a second thread, as the runner has: the kernel may hand the signal to any thread
    other = threading.Thread(target=idle.wait, daemon=True)
    other.start()
    try:
        assert run_in_process(project) == 130
    finally:
        idle.set()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    err = capsys.readouterr().err
    assert "Traceback" not in err and "interrupted: after the report of scenario tiny was written" in err
    (name,) = folders(project["out"])  # no hidden partial folder beside it
    assert name.endswith("-tiny")
    record = manifest(project["out"] / name)
    assert record["status"] == "ok" and record["run"] == name
    assert all(nb["status"] == "ok" for nb in record["notebooks"])


def test_a_failed_rename_leaves_a_failed_folder(project, capsys, monkeypatch):
    real = os.rename

    def rename(src, dst):
        if not str(dst).endswith(".failed"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        return real(src, dst)

    monkeypatch.setattr(runner.os, "rename", rename)
    assert run_in_process(project) == 1
    err = capsys.readouterr().err
    (line,) = [x for x in err.splitlines() if x.startswith("error:")]
    assert "could not write the report folder: Permission denied" in line
    (name,) = folders(project["out"])
    assert name.endswith("-tiny.failed") and manifest(project["out"] / name)["run"] == name


# --- folders of other runs -----------------------------------------------------------------


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_hidden_folder_of_a_dead_run_is_kept_as_failed_and_a_live_one_left_alone(project, capsys):
    out = project["out"]
    dead = out / ".20200101-000000-old.ab12cd34.partial"
    live = out / ".20200101-000001-busy.ef56gh78.partial"
    for folder, pid in ((dead, _dead_pid()), (live, os.getpid())):
        folder.mkdir(parents=True)
        (folder / "01-table.ipynb").write_text("{}")
        started = workers._process_start(pid) if pid == os.getpid() else None
        (folder / workers.OWNER_FILE).write_text(json.dumps({"pid": pid, "host": os.uname().nodename,
                                                              "process_started": started}))
    assert run_in_process(project, "--notebooks", "02") == 0
    err = capsys.readouterr().err
    notes = [x for x in err.splitlines() if x.startswith("note:")]
    assert len(notes) == 1 and "was left by a run that stopped; kept as" in notes[0] and "20200101-000000-old.failed" in notes[0]
    names = folders(out)
    assert "20200101-000000-old.failed" in names and live.name in names
    assert manifest(out / "20200101-000000-old.failed")["status"] == "failed"
    assert (out / "20200101-000000-old.failed" / "01-table.ipynb").exists()


def test_two_runs_in_the_same_second_each_name_their_own_folder(project):
    plan = report_plan.prepare(project["scenario"], ["02"], project["nbdir"])
    first = runner.execute(plan, project["out"], progress=False, stamp="20200101-000000")
    second = runner.execute(plan, project["out"], progress=False, stamp="20200101-000000")
    assert first.ok and second.ok and first.folder != second.folder
    for r in (first, second):
        assert manifest(Path(r.folder))["run"] == Path(r.folder).name
    assert Path(second.folder).name == f"20200101-000000-{plan.case_dir.name}-tiny-2"


def test_racing_for_a_name_rewrites_the_manifest(tmp_path, monkeypatch):
    """A run that loses the race for a name between the check and the rename takes the next and says so."""
    src = tmp_path / ".x.partial"
    src.mkdir()
    real = os.rename

    def rename(a, b):
        if Path(b).name == "run":  # another run takes the name just before us
            (tmp_path / "run").mkdir()
            (tmp_path / "run" / "theirs.txt").write_text("x")
            raise OSError(errno.ENOTEMPTY, os.strerror(errno.ENOTEMPTY))
        return real(a, b)

    monkeypatch.setattr(runner.os, "rename", rename)
    final = runner._publish(src, tmp_path, "run", {"status": "ok"})
    assert final.name == "run-2" and manifest(final)["run"] == "run-2"
    assert (tmp_path / "run" / "theirs.txt").exists()


# --- scenario files are data -----------------------------------------------------------------


@pytest.mark.parametrize("entry", ["/etc/evil.ipynb", "../notebooks/01-table.ipynb", "notebooks/01-table", "~/x.ipynb"])
def test_scenario_may_name_only_notebooks_of_the_notebook_folder(project, capsys, entry):
    evil = project["proj"] / "evil.ipynb"
    write_notebook(evil, "open('PWNED', 'w')")
    sc = project["scenario"]
    sc.write_text(sc.read_text() + f"notebooks: ['{entry}']\n", encoding="utf-8")
    assert run_in_process(project) == 2
    err = capsys.readouterr().err
    assert "key 'notebooks'" in err and "is a path; a scenario file may only name notebooks of" in err
    assert "Traceback" not in err and folders(project["out"]) == []
    problems = report_project.check_scenario_notebooks({"notebooks": [entry]}, sc, project["nbdir"])
    assert len(problems) == 1 and "key 'notebooks'" in str(problems[0])


def test_scenario_notebook_names_are_fine_and_the_command_line_may_give_a_path(project, capsys):
    sc = project["scenario"]
    assert report_project.check_scenario_notebooks({"notebooks": ["01-table", "02", "plain"]}, sc, project["nbdir"]) == []
    other = project["proj"] / "elsewhere" / "09-mine.ipynb"
    write_notebook(other, "print('mine')")
    assert run_in_process(project, "--notebooks", str(other)) == 0  # the person running it chose it


def test_too_many_samples_is_refused_before_any_kernel(project, capsys, monkeypatch):
    sc = project["scenario"]
    sc.write_text(sc.read_text() + f"samples: {MAX_SAMPLES + 1}\n", encoding="utf-8")
    started = []
    monkeypatch.setattr(workers, "run_notebooks", lambda *a, **k: started.append(a))  # the event: a notebook started
    assert run_in_process(project) == 2
    err = capsys.readouterr().err
    assert "key 'samples'" in err and "too large" in err and "Traceback" not in err
    assert started == [] and folders(project["out"]) == []


# --- a closed pipe ---------------------------------------------------------------------------


def test_closed_pipe_is_silent():
    r, w = os.pipe()
    os.close(r)
    try:
        proc = subprocess.run([*procurement(), "rank", str(ROOT / "data" / "national-municipal-solution"), "--decision",
                               "contract-strategy", "--method", "all", "--format", "csv"], stdout=w, stderr=subprocess.PIPE,
                              text=True, timeout=120)
    finally:
        os.close(w)
    assert proc.returncode in (0, 141) and proc.stderr == ""
