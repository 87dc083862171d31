"""`procurement app` under load, in headless Chromium with every non-loopback request blocked.

* three tabs opened and closed leave at most one kernel (Voilà ends a tab's
  kernel on ``beforeunload``; the culler ends kernels of tabs that vanished
  without it, after ``--cull-idle`` seconds);
* no request leaves the machine while the workbench loads (each request is
  recorded; any to a host other than 127.0.0.1 fails the test, and is aborted);
* with ``--max-kernels 1`` a second tab gets a page saying there are too many
  open tabs, not a second kernel;
* ``--host 0.0.0.0`` without a token exits 2 with one line; with a token the
  page asks for it and the token opens it.

Kernels are counted as the ``ipykernel_launcher`` processes under the app's
process (psutil). Chromium: as in tests/test_app_browser.py.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path
from urllib.parse import urlparse

import psutil
import pytest
from test_app_browser import CASE, LAUNCH_ARGS, ROOT, chromium, free_port, procurement_command, wait_listening  # noqa: F401

PAGE_TIMEOUT = 90_000


def start_app(tmp_path: Path, *extra: str, env_extra: dict | None = None):
    port = free_port()
    log = tmp_path / f"app-{port}.log"
    env = dict(os.environ, PYTHONUNBUFFERED="1", MPLBACKEND="Agg", **(env_extra or {}))
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [*procurement_command(), "app", str(CASE), "--port", str(port), "--no-browser", "--language", "en", *extra],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    wait_listening(port, proc, log)
    return proc, f"http://127.0.0.1:{port}/", log


def stop_app(proc: subprocess.Popen) -> None:
    kernels = [k.pid for k in kernel_processes(proc)]
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
    for pid in kernels:  # kernels run in their own sessions
        with contextlib.suppress(psutil.Error):
            psutil.Process(pid).kill()


def kernel_processes(proc: subprocess.Popen) -> list[psutil.Process]:
    try:
        children = psutil.Process(proc.pid).children(recursive=True)
    except psutil.Error:
        return []
    out = []
    for c in children:
        try:
            if "ipykernel_launcher" in " ".join(c.cmdline()):
                out.append(c)
        except psutil.Error:
            continue
    return out


def count_kernels(proc, want_at_most: int, within: float) -> int:
    end = time.monotonic() + within
    n = len(kernel_processes(proc))
    while n > want_at_most and time.monotonic() < end:
        time.sleep(0.5)
        n = len(kernel_processes(proc))
    return n


class Offline:
    """Record every request of a browser context; abort (and remember) any not to the loopback host."""

    def __init__(self, context):
        self.outside: list[str] = []
        context.route("**/*", self._route)

    def _route(self, route):
        url = route.request.url
        host = urlparse(url).hostname or ""
        if url.startswith(("data:", "blob:", "about:")) or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()


def open_workbench(context, url: str):
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url, timeout=PAGE_TIMEOUT)
    page.wait_for_selector("table.pw-ranking", timeout=PAGE_TIMEOUT)
    return page, errors


@pytest.fixture(scope="module")
def browser(chromium):  # noqa: F811 - the fixture of test_app_browser; one browser for the module's tests
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=LAUNCH_ARGS)
        try:
            yield b
        finally:
            b.close()


def test_three_tabs_leave_at_most_one_kernel_and_nothing_leaves_the_machine(tmp_path, browser):
    proc, url, log = start_app(tmp_path, "--cull-idle", "4")
    try:
        context = browser.new_context()
        offline = Offline(context)
        pages = []
        for _ in range(3):
            page, errors = open_workbench(context, url)
            pages.append(page)
            assert not [e for e in errors if "ERR_FAILED" in e or "net::" in e], errors
        assert offline.outside == [], f"requests left the machine: {offline.outside}"
        assert len(kernel_processes(proc)) == 3
        pages[0].close(run_before_unload=True)  # a tab closed normally: Voilà ends its kernel at once
        assert count_kernels(proc, 2, within=120) <= 2
        for page in pages[1:]:  # tabs that vanished without beforeunload: the culler ends their kernels
            page.close()
        context.close()
        assert count_kernels(proc, 1, within=180) <= 1, log.read_text()[-2000:]
    finally:
        stop_app(proc)


def test_cap_on_kernels_shows_a_clear_page(tmp_path, browser):
    proc, url, log = start_app(tmp_path, "--max-kernels", "1")
    try:
        context = browser.new_context()
        offline = Offline(context)
        open_workbench(context, url)
        second = context.new_page()
        response = second.goto(url, timeout=PAGE_TIMEOUT)
        assert response is not None and response.status == 503
        text = second.inner_text("body")
        assert "Too many open workbench tabs (1)" in text and "Traceback" not in text
        assert len(kernel_processes(proc)) == 1
        assert offline.outside == [], offline.outside
    finally:
        stop_app(proc)


def test_other_host_needs_a_token():
    port = free_port()
    done = subprocess.run([*procurement_command(), "app", str(CASE), "--port", str(port), "--no-browser", "--host", "0.0.0.0"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    lines = [x for x in done.stderr.splitlines() if x.startswith("error:")]
    assert len(lines) == 1 and "--host" in lines[0] and "--token" in lines[0] and "Traceback" not in done.stderr


def test_token_is_asked_for_and_opens_the_page(tmp_path, browser):
    token = "s3cret-token-for-the-test"
    proc, url, log = start_app(tmp_path, env_extra={"PROCUREMENT_APP_TOKEN": token})
    try:
        for child in psutil.Process(proc.pid).children(recursive=True):
            assert token not in " ".join(child.cmdline())  # not visible to other users in ps
        context = browser.new_context()
        page = context.new_page()
        page.goto(url, timeout=PAGE_TIMEOUT)
        assert page.locator("table.pw-ranking").count() == 0
        assert len(kernel_processes(proc)) == 0  # no kernel for a visitor without the token
        open_workbench(context, f"{url}?token={token}")
        assert len(kernel_processes(proc)) == 1
    finally:
        stop_app(proc)
