"""`procurement papers` on a real Dask cluster: key figures against the budget view, the same bytes through a
separate scheduler and workers, one killed kernel failing one paper only, and a rerun rendering only what is missing.

Independent of the code under test: each municipality's payment is computed here from the budget view's total for
all municipalities and the financing model's published rule (10 % equally between the participating
municipalities, the rest by population; the 0-alternative by population), to the krone. The cluster for the second
test is started with Dask's own command-line tools (``dask scheduler``, ``dask worker``), as an operator would.
Every wait is for an event (a file, a process, a worker count) with a generous bound, never for a duration.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

import procurement as pw
from procurement.text import fmt

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "national-municipal-solution"
#: Oslo (bokmål-neutral, the largest), Sogndal (nynorsk), Kvitsøy (the smallest), Bergen, Tromsø
FIVE = ["0301", "4640", "1144", "4601", "5501"]
BOUND = 300  # seconds: a hang guard, never a speed target

pytestmark = [pytest.mark.xdist_group("papers"), pytest.mark.timeout(900)]


def papers(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "procurement", "papers", "--no-progress", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=BOUND, env=env)


def _by_hand(kn: str, option: str) -> float:
    analysis = pw.Analysis(pw.load_case(EXAMPLE), "default")
    members = analysis.municipalities(participating=True)
    pop = members["population"].astype(float)
    share = pop[kn] / pop.sum() if option == "zero" else 0.10 / len(members) + 0.90 * pop[kn] / pop.sum()
    t = analysis.budget().totals
    row = t[(t["option"] == option) & (t["payer"] == "municipalities") & (t["period"] == "all")]
    return float(row["payment"].iloc[0]) * share


@pytest.fixture(scope="module")
def local_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("papers") / "local"
    r = papers("--municipalities", ",".join(FIVE), "--workers", "2", "--out", str(out))
    return out, r


def test_five_papers_on_a_local_cluster_match_the_budget_view_to_the_krone(local_run):
    out, r = local_run
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    assert r.stdout.strip() == str(out / "index.html")
    assert sorted(p.name for p in out.glob("*.html")) == sorted([*(f"{k}.html" for k in FIVE), "index.html"])
    assert not (out / "failed.csv").exists()
    with open(out / "key-figures.csv", encoding="utf-8") as f:
        rows = {r["kommunenummer"]: r for r in csv.DictReader(f)}
    assert sorted(rows) == sorted(FIVE)
    for kn in FIVE:
        assert round(float(rows[kn]["payment_total"])) == round(_by_hand(kn, "dialogue-total")), kn
        assert round(float(rows[kn]["zero_total"])) == round(_by_hand(kn, "zero")), kn
        page = (out / f"{kn}.html").read_text(encoding="utf-8")
        lang = "nn" if kn == "4640" else "nb"
        per_inhabitant = fmt.number(_by_hand(kn, "dialogue-total") / int(rows[kn]["population"]), lang, 0)
        assert per_inhabitant in page, kn  # the paper's own text shows the same figure
        assert f'<html lang="{lang}">' in page


def test_a_nynorsk_municipality_gets_its_paper_in_nynorsk(local_run):
    out, _ = local_run
    nn = (out / "4640.html").read_text(encoding="utf-8")
    nb = (out / "4601.html").read_text(encoding="utf-8")
    assert "Sogndal kommune: tilslutning til felles journalløysing" in nn
    assert "Kva det kostar kommunen" in nn and "Hva det koster kommunen" not in nn
    assert "innbyggjar" in nn and "Innbyggere" not in nn
    assert "Bergen kommune: tilslutning til felles journalløsning" in nb and "Kva det kostar" not in nb
    for page in (nn, nb):  # offline: nothing fetched, no code shown
        assert "src=\"http" not in page and "import procurement" not in page


def test_the_index_lists_every_paper_and_the_workbook_holds_text_as_text(local_run):
    from openpyxl import load_workbook

    out, _ = local_run
    index = (out / "index.html").read_text(encoding="utf-8")
    for kn in FIVE:
        assert f'href="{kn}.html"' in index
    ws = load_workbook(out / "key-figures.xlsx").active
    header = [c.value for c in ws[1]]
    assert header[:3] == ["kommunenummer", "name", "county"]
    assert sorted(ws.cell(row=i, column=1).value for i in range(2, 7)) == sorted(FIVE)  # "0301" kept as text
    manifest = json.loads((out / "papers.json").read_text(encoding="utf-8"))
    assert sorted(manifest["papers"]) == sorted(FIVE)


def _wait_for(predicate, what: str, bound: float = BOUND):
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what}")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_the_same_papers_byte_for_byte_through_a_separate_scheduler_and_two_workers(local_run, tmp_path):
    out_local, r = local_run
    assert r.returncode == 0, r.stderr
    dask = str(Path(sys.executable).with_name("dask"))
    info = tmp_path / "scheduler.json"
    scratch = tmp_path / "worker-space"
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    scheduler = subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                  "--scheduler-file", str(info)], cwd=tmp_path, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, env=env)
    worker = None
    try:
        _wait_for(lambda: info.exists() and info.stat().st_size > 0, "the scheduler file")
        address = json.loads(info.read_text())["address"]
        worker = subprocess.Popen([dask, "worker", "--scheduler-file", str(info), "--nworkers", "2", "--nthreads", "1",
                                   "--no-dashboard", "--local-directory", str(scratch)], cwd=tmp_path,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        from distributed import Client

        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=BOUND)
        out = tmp_path / "remote"
        two = ["4640", "1144"]
        r2 = papers("--municipalities", ",".join(two), "--scheduler", address, "--out", str(out), cwd=tmp_path)
        assert r2.returncode == 0, r2.stderr
        for kn in two:
            assert (out / f"{kn}.html").read_bytes() == (out_local / f"{kn}.html").read_bytes(), kn
    finally:
        if worker is not None:
            _stop(worker)
        _stop(scheduler)


def _kernels_of(pid: int) -> list[psutil.Process]:
    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    out = []
    for p in children:
        try:
            if "ipykernel" in " ".join(p.cmdline()):
                out.append(p)
        except psutil.Error:
            continue
    return out


def test_a_killed_kernel_fails_its_paper_only_and_a_rerun_renders_only_that_one(tmp_path):
    out = tmp_path / "papers"
    three = ["0301", "4640", "1144"]
    cmd = [sys.executable, "-m", "procurement", "papers", "--no-progress", "--municipalities", ",".join(three),
           "--workers", "1", "--out", str(out)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(lambda: list(out.glob("[0-9]*.html")), "the first paper")
        kernel = _wait_for(lambda: _kernels_of(proc.pid), "the worker's kernel")[0]
        kernel.kill()
        stdout, stderr = proc.communicate(timeout=BOUND)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 1, stderr
    assert "Traceback" not in stderr
    with open(out / "failed.csv", encoding="utf-8") as f:
        failed = list(csv.DictReader(f))
    assert len(failed) == 1
    lost = failed[0]["kommunenummer"]
    assert lost in three and failed[0]["error"]
    assert f"error: {lost} " in stderr
    written = sorted(p.stem for p in out.glob("[0-9]*.html"))
    assert written == sorted(k for k in three if k != lost)
    stamps = {k: (out / f"{k}.html").stat().st_mtime_ns for k in written}
    again = papers("--municipalities", ",".join(three), "--workers", "1", "--out", str(out))
    assert again.returncode == 0, again.stderr
    assert "papers: 1 rendered, 2 unchanged, 0 failed" in again.stderr
    assert (out / f"{lost}.html").exists() and not (out / "failed.csv").exists()
    assert {k: (out / f"{k}.html").stat().st_mtime_ns for k in written} == stamps


def test_bad_municipality_ids_are_named_and_nothing_is_written(tmp_path):
    out = tmp_path / "none"
    r = papers("--municipalities", "5001,9999", "--out", str(out))
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert "5001" in r.stderr and "not in the national solution" in r.stderr
    assert "9999" in r.stderr
    assert not out.exists() or not any(out.iterdir())


def _cwd(p: psutil.Process) -> str:
    try:
        return p.cwd()
    except psutil.Error:
        return ""


def test_no_orphan_kernel_after_a_run(local_run):
    # the local run above has ended: no kernel of its workers (they run in a procurement-paper- folder) outlives it
    assert local_run[1].returncode == 0
    left = [p.pid for p in psutil.process_iter() if "procurement-paper-" in _cwd(p)]
    assert left == []
