"""The browser app as an advisor uses it: `procurement app`, headless Chromium, a weight slider moved.

Starts ``procurement app`` on a free loopback port, opens it in Debian's
Chromium through Playwright, moves one weight slider with the keyboard (focus
the handle, press ArrowRight) far enough that the package predicts another
ranking, and checks that the ranking shown is exactly what
:func:`procurement.mcda.ranking.rank` gives for the weights the app says it used.
Then it sets every weight to zero and checks that a message, not a traceback,
appears. A screenshot goes to ``test-artifacts/``. The server is always
stopped, with its kernels.

The browser: ``chromium`` on the PATH or /usr/bin/chromium. When there is
none and the test runs as root with apt-get, it installs Debian's package
(about 20 s; set PROCUREMENT_NO_APT=1 to forbid). Otherwise it is skipped,
saying why.
"""

from __future__ import annotations

import json
import re
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "data" / "national-municipal-solution"
DECISION = "contract-strategy"
METHOD = "wsm"
ARTIFACTS = ROOT / "test-artifacts"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
START_TIMEOUT = 90  # seconds for the server to listen
PAGE_TIMEOUT = 60_000  # ms for the first ranking to show


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def install_chromium() -> str:
    """Install Debian's chromium when allowed; return why not otherwise ('' on success)."""
    if os.environ.get("PROCUREMENT_NO_APT"):
        return "PROCUREMENT_NO_APT is set"
    if not shutil.which("apt-get"):
        return "no apt-get on this system"
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        return "not root, cannot run apt-get install chromium"
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    try:
        for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
            subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=600)
    except (subprocess.SubprocessError, OSError) as e:
        return f"apt-get install chromium failed: {e}"
    return ""


@pytest.fixture(scope="module")
def chromium() -> str:
    pytest.importorskip("playwright.sync_api", reason="playwright (Python) is not installed: pip install -e '.[test]'")
    path = find_chromium()
    if path is None:
        why = install_chromium()
        path = find_chromium()
        if path is None:
            pytest.skip("no Chromium for the browser test: none on PATH or at /usr/bin/chromium, and "
                        f"{why or 'installing it did not provide one'}")
    return path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port: int, proc: subprocess.Popen, log: Path, timeout: float = START_TIMEOUT) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            pytest.fail(f"`procurement app` exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.settimeout(0.5)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    tail = log.read_text(errors="replace")[-3000:]
    pytest.fail(f"`procurement app` did not listen on port {port} within {timeout:.0f} s:\n{tail}")


def procurement_command() -> list[str]:
    script = Path(sys.executable).with_name("procurement")
    return [str(script)] if script.exists() else [sys.executable, "-m", "procurement.cli"]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """`procurement app` on a free loopback port; yields the URL; always stopped (whole process group)."""
    port = free_port()
    log = tmp_path_factory.mktemp("app") / "app.log"
    env = dict(os.environ, PYTHONUNBUFFERED="1", MPLBACKEND="Agg")
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [*procurement_command(), "app", str(CASE), "--port", str(port), "--no-browser", "--language", "en",
             "--decision", DECISION],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        wait_listening(port, proc, log)
        yield f"http://127.0.0.1:{port}/"
    finally:
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                proc.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
        # kernels run in their own sessions; the app stops them on SIGTERM, SIGKILL leaves none behind either way


#: The ranking box read in one go: the rows and the weights of the same drawing (two reads could straddle a redraw
#: and pair the old ranking with the new weights).
_READ_RANKING = """() => {
    const box = document.querySelector('.pw-ranking-box');
    const rows = box ? Array.from(box.querySelectorAll('table.pw-ranking tr[data-option]')) : [];
    return {order: rows.map(r => r.dataset.option), weights: box ? box.dataset.weights : '{}'};
}"""


def shown(page) -> tuple[list[str], dict[str, float]]:
    """The ranking shown (option ids, best first) and the weights the app says it used, from one drawing."""
    read = page.evaluate(_READ_RANKING)
    return read["order"], json.loads(read["weights"])


def predicted_order(decision, weights: dict[str, float]) -> list[str]:
    from procurement.mcda.ranking import rank

    w = pd.Series(weights, dtype=float)
    return rank(decision, METHOD, weights=w / w.sum()).order


def plan_move(decision):
    """(criterion, presses, expected slider weights): the fewest ArrowRight presses on one slider that change the ranking."""
    from procurement.app.widgets import SLIDER_MAX, STEP, Context, Workbench

    ctx = Context(decision_case(), DECISION)
    base = ctx.base_weights(None)
    sliders = {c: Workbench._slider_value(base[c]) for c in decision.criterion_ids}
    exact = {c: 100.0 * float(base[c]) for c in decision.criterion_ids}  # what the app keeps for a slider not moved
    start = predicted_order(decision, dict(base))
    best = None
    for cid in decision.criterion_ids:
        for k in range(1, int((SLIDER_MAX - sliders[cid]) / STEP) + 1):
            w = dict(exact, **{cid: sliders[cid] + k * STEP})
            if predicted_order(decision, w) != start:
                if best is None or k < best[1]:
                    best = (cid, k, w)
                break
    assert best is not None, "no single slider changes the ranking of the example case"
    return start, best


_CASE = None


def decision_case():
    global _CASE
    if _CASE is None:
        from procurement import load_case

        _CASE = load_case(CASE)
    return _CASE


def wait_for_weights(page, expected: dict[str, float], timeout: float = 30.0) -> tuple[list[str], dict[str, float]]:
    total = sum(expected.values())
    want = {k: v / total for k, v in expected.items()}
    end = time.monotonic() + timeout
    order, got = shown(page)
    while time.monotonic() < end:
        order, got = shown(page)
        if got.keys() == want.keys() and all(abs(got[k] - want[k]) < 1e-9 for k in want):
            return order, got
        page.wait_for_timeout(200)
    pytest.fail(f"the app did not show the expected weights within {timeout:.0f} s: shows {got}, expected {want}")


def test_moving_a_weight_slider_changes_the_ranking_as_the_package_predicts(app, chromium):
    from playwright.sync_api import sync_playwright

    decision = decision_case().decision(DECISION)
    start, (criterion, presses, expected) = plan_move(decision)
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=LAUNCH_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 2100})
            page.goto(app, timeout=PAGE_TIMEOUT)
            page.wait_for_selector("table.pw-ranking tr[data-option]", timeout=PAGE_TIMEOUT)
            order, weights = shown(page)
            assert order == start == predicted_order(decision, weights)
            # labels in words, numbers rounded
            assert page.get_by_text(decision.criterion(criterion).label.en, exact=True).count() >= 1
            decimals = re.findall(r"\d+\.(\d+)", page.locator("table.pw-ranking").first.inner_text())
            assert decimals and all(len(d) <= 3 for d in decimals), decimals

            handle = page.locator(f".pw-weight-{criterion} .noUi-handle")
            handle.focus()
            for _ in range(presses):
                handle.press("ArrowRight")
            order, weights = wait_for_weights(page, expected)
            page.wait_for_timeout(500)  # let the figures of the last change arrive before the screenshot
            page.screenshot(path=str(ARTIFACTS / "app-browser.png"), full_page=True)
            assert order == predicted_order(decision, weights), "the ranking shown differs from procurement.mcda.ranking.rank"
            assert order != start, "the ranking did not change after moving the slider"

            # every weight to zero: a message, not a traceback
            for cid in decision.criterion_ids:
                h = page.locator(f".pw-weight-{cid} .noUi-handle")
                h.focus()
                h.press("Home")
            page.wait_for_selector(".pw-messages .pw-message", timeout=30_000)
            text = page.locator(".pw-messages").inner_text()
            assert "All weights are zero" in text
            assert "Traceback" not in page.content()
            page.screenshot(path=str(ARTIFACTS / "app-browser-zero-weights.png"), full_page=True)
        finally:
            browser.close()


def open_case_in_app(page, app: str, case: Path) -> None:
    """Load the app, type `case` into the case picker and open it; returns when its ranking (a new case's
    open-tender first) shows."""
    page.goto(app, timeout=PAGE_TIMEOUT)
    page.wait_for_selector("table.pw-ranking tr[data-option]", timeout=PAGE_TIMEOUT)
    field = page.locator(".pw-case-path input")
    field.fill(str(case))
    field.press("Tab")
    page.locator(".pw-open-case").click()
    page.wait_for_selector('table.pw-ranking tr[data-option="open-tender"]', timeout=PAGE_TIMEOUT)


def test_the_workbench_opens_a_second_case(app, chromium, tmp_path):
    """Type another case folder into the case picker, open it: its criteria, options and ranking show."""
    from playwright.sync_api import sync_playwright

    from procurement.casebook.scaffold import new_case

    second = tmp_path / "second-case"
    new_case(second, "cloud-framework", "Second case", "en")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=LAUNCH_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1600})
            open_case_in_app(page, app, second)
            order, weights = shown(page)
            # by hand: two options, min-max scaling, weights 0.6/0.4: open-tender 0.6 (best quality), zero 0.4
            assert order == ["open-tender", "zero"]
            assert weights == pytest.approx({"quality": 0.6, "cost": 0.4})
            assert page.locator(".pw-weight-quality").count() == 1 and page.locator(".pw-weight-cost-pv").count() == 0
            assert "Opened: Second case" in page.locator(".pw-case-status").inner_text()
            assert "Traceback" not in page.content()
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "app-browser-second-case.png"), full_page=True)
        finally:
            browser.close()


def _share(page, cid: str) -> float:
    """The share beside a criterion's slider, in percent ("59.4%" in English)."""
    text = page.locator(f".pw-share-{cid}").inner_text().strip()
    return float(text.rstrip("%").replace(",", ""))


def test_a_60_percent_weight_goes_unchanged_through_the_slider_the_saved_scenario_and_the_report(app, chromium, tmp_path):
    """Issue 25: quality carries 60 %; nudging cost from 40 to 41 rescales nothing else: the shares shown are
    60:41 = 59.4 % and 40.6 % (by hand), and the scenario saved from the page and the report run from that file
    carry the same shares to 0.1 percentage point (the slider stopped at 50 and rewrote the weights to 55/45)."""
    from playwright.sync_api import sync_playwright

    from procurement.casebook.scaffold import new_case

    case = tmp_path / "data" / "sixty-case"
    new_case(case, "cloud-framework", "Sixty case", "en")  # criteria weights: quality 60, cost 40
    by_hand = {"quality": 100 * 60 / 101, "cost": 100 * 41 / 101}  # 59.406 %, 40.594 %
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=LAUNCH_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1600})
            open_case_in_app(page, app, case)
            assert page.locator(".pw-weight-quality .widget-readout").inner_text().strip() == "60"
            assert _share(page, "quality") == 60.0 and _share(page, "cost") == 40.0
            handle = page.locator(".pw-weight-cost .noUi-handle")
            handle.focus()
            handle.press("ArrowRight")
            _, weights = wait_for_weights(page, {"quality": 60.0, "cost": 41.0})
            page.wait_for_function("() => document.querySelector('.pw-share-cost').innerText.includes('40.6')",
                                   timeout=30_000)
            shares = {c: _share(page, c) for c in by_hand}
            assert shares == {"quality": 59.4, "cost": 40.6}
            assert page.locator(".pw-weight-quality .widget-readout").inner_text().strip() == "60"
            page.locator(".pw-scenario-name input").fill("sixty")
            page.locator(".pw-save").click()
            page.wait_for_selector(".pw-save-status :text('sixty.yaml')", timeout=30_000)
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "app-browser-sixty.png"), full_page=True)
        finally:
            browser.close()
    saved = yaml.safe_load((case / "scenarios" / "sixty.yaml").read_text(encoding="utf-8"))
    total = sum(saved["weights"].values())
    assert saved["weights"] == {"quality": 60.0, "cost": 41.0}
    for cid, share in shares.items():
        assert abs(100 * saved["weights"][cid] / total - share) <= 0.05 + 1e-9  # the file reproduces what was shown
        assert abs(100 * weights[cid] - by_hand[cid]) < 1e-9
    out = tmp_path / "reports"
    run = subprocess.run([*procurement_command(), "run", str(case / "scenarios" / "sixty.yaml"), "--out", str(out),
                          "--notebooks", "01-inputs", "--no-progress"],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    table = json.loads(next(out.glob("*/tables/01-inputs--03-criteria.json")).read_text(encoding="utf-8"))["table"]
    col = table["columns"].index("weight")
    reported = {row[0]: 100 * row[col] for row in table["data"]}
    assert reported == pytest.approx(by_hand, abs=1e-9)
    assert all(abs(reported[c] - shares[c]) <= 0.05 + 1e-9 for c in shares)


# --- without a browser: the command's own checks ----------------------------------


def test_a_port_in_use_gives_one_clear_line(tmp_path):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        proc = subprocess.run([*procurement_command(), "app", str(CASE), "--port", str(port), "--no-browser"],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert f"port {port} on 127.0.0.1 is in use" in proc.stderr and "--port" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_bad_case_or_profile_stops_before_any_server(tmp_path):
    proc = subprocess.run([*procurement_command(), "app", str(tmp_path / "nope"), "--no-browser", "--port", str(free_port())],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "no such case folder" in proc.stderr
    proc = subprocess.run([*procurement_command(), "app", str(CASE), "--profile", "kss", "--no-browser",
                           "--port", str(free_port())],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "did you mean 'ks'" in proc.stderr
