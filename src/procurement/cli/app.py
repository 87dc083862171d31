"""`procurement app [CASE] [--port P] [--no-browser]`: the workbench in the browser, without code.

Serves ``notebooks/00-workbench.ipynb`` with Voilà on 127.0.0.1 (code hidden,
only the controls and results show). The case, decision, profile, method and
language given here reach the notebook as ``PROCUREMENT_APP_*`` environment
variables, which :meth:`procurement.app.widgets.Workbench.from_parameters` reads.
Before starting, the case is loaded (a mistake in it exits 2 with every
problem listed) and the port is checked: a port in use exits 2 with one line
naming it and a free one to try.

Resources and reach:

* **No request leaves the machine.** The page uses the ``procurement`` Voilà
  template shipped in ``procurement/app/voila/templates/`` (Voilà's lab template
  without the FontAwesome stylesheets and diagram script it loads from CDNs).
* **Kernels end.** Each page load starts a kernel; Voilà shuts it down when the
  tab closes (``beforeunload``), and jupyter-server's culler ends kernels with no
  open tab after ``--cull-idle`` seconds without activity (default 600, checked
  every ``min(60, cull-idle)`` s; a kernel whose tab is still open is kept).
* **A cap.** At most ``--max-kernels`` (default 8) kernels run at once; the
  next page load gets a page saying so (HTTP 503), see :mod:`procurement.app.kernels`.
* **A token.** ``--host`` other than loopback requires ``--token TOKEN`` (or
  the environment variable ``PROCUREMENT_APP_TOKEN``); the page then asks for
  it. The token goes to Voilà in a private config file, not on its command line.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import procurement as pw
from procurement.cli._common import DEFAULT_CASE
from procurement.report.project import project_root

HOST = "127.0.0.1"
DEFAULT_PORT = 8866
NOTEBOOK = "00-workbench.ipynb"
#: Seconds without activity after which a kernel with no open tab is ended.
DEFAULT_CULL_IDLE = 600
#: Most kernels (open workbench tabs) at once.
DEFAULT_MAX_KERNELS = 8
TEMPLATE = "procurement"
TOKEN_ENV = "PROCUREMENT_APP_TOKEN"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def register(sub) -> None:
    p = sub.add_parser(
        "app",
        help="open the interactive workbench in the browser (Voilà, no code shown)",
        description="Serve the workbench notebook with Voilà on 127.0.0.1: weight sliders, stakeholder profiles, "
        "methods, live ranking and SMAA, and saving the settings as a scenario. Stop it with Ctrl+C.",
    )
    p.add_argument("case", metavar="CASE", nargs="?", default=DEFAULT_CASE, help=f"case folder (default {DEFAULT_CASE})")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, metavar="P", help=f"port on 127.0.0.1 (default {DEFAULT_PORT})")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser window")
    p.add_argument("--decision", default=None, help="decision id (default: the default scenario's, else the first)")
    p.add_argument("--profile", default=None, help="stakeholder group whose weights to start from (default: the criteria file's)")
    p.add_argument("--method", default=None, help="ranking method to start with (default wsm)")
    p.add_argument("--language", choices=("nb", "en"), default=None, help="labels in bokmål or English (default nb)")
    p.add_argument("--notebook", default=None, metavar="FILE", help=f"workbench notebook (default notebooks/{NOTEBOOK})")
    p.add_argument("--cull-idle", type=int, default=DEFAULT_CULL_IDLE, metavar="S",
                   help=f"end a kernel with no open tab after S seconds without activity (default {DEFAULT_CULL_IDLE})")
    p.add_argument("--max-kernels", type=int, default=DEFAULT_MAX_KERNELS, metavar="N",
                   help=f"most open workbench tabs (kernels) at once; more get a page saying so (default {DEFAULT_MAX_KERNELS})")
    p.add_argument("--host", default=HOST, metavar="ADDR",
                   help=f"address to listen on (default {HOST}, this machine only); any other needs --token")
    p.add_argument("--token", default=None, metavar="TOKEN",
                   help=f"ask visitors for this token (default: ${TOKEN_ENV}, else none on loopback); on a shared "
                   f"machine set ${TOKEN_ENV} instead, since a command line is visible to other users in ps")
    p.set_defaults(func=run)


def find_notebook(given: str | None = None) -> Path:
    """The workbench notebook: given (``--notebook``), else the one in the project's notebooks/
    (:func:`procurement.report.project.project_root`: never one a case folder carries)."""
    if given:
        p = Path(given)
        if not p.is_file():
            raise pw.InputError(pw.Problem(str(p), "", "notebook not found", "give the path to the workbench notebook"))
        return p.resolve()
    p = project_root() / "notebooks" / NOTEBOOK
    if p.is_file():
        return p
    raise pw.InputError(
        pw.Problem(f"notebooks/{NOTEBOOK}", "", "workbench notebook not found", "run the command from the project folder")
    )


def port_free(port: int, host: str = HOST) -> bool:
    """True when nothing listens on host:port and it can be bound."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.3)
        if s.connect_ex((host, port)) == 0:
            return False
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def free_port(start: int = DEFAULT_PORT + 1, host: str = HOST) -> int:
    """A free port, looking upwards from `start`; else one the system picks."""
    for p in range(start, min(start + 50, 65536)):
        if port_free(p, host):
            return p
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def check_port(port: int) -> None:
    if not 1 <= port <= 65535:
        raise pw.InputError(pw.Problem("--port", "", f"{port} is not a port number", "use a number from 1024 to 65535"))
    if not port_free(port):
        other = free_port(port + 1 if port < 65535 else 1024)
        raise pw.InputError(
            pw.Problem("--port", "", f"port {port} on {HOST} is in use by another program",
                       f"choose another, e.g. --port {other}")
        )


def template_root() -> Path:
    """The folder to put on JUPYTER_PATH so that Voilà finds the ``procurement`` template (``voila/templates/procurement``).

    That is ``procurement/app/``, whose package data the template is. It is found as a folder beside this package,
    not imported: the workbench runs in Voilà's kernels, and one face does not import another.
    """
    return Path(__file__).resolve().parents[1] / "app"


def voila_command(
    notebook: Path, port: int, open_browser: bool, cull_idle: int = DEFAULT_CULL_IDLE,
    max_kernels: int = DEFAULT_MAX_KERNELS, host: str = HOST,
) -> list[str]:
    cmd = [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        f"--port={port}",
        f"--Voila.ip={host}",
        "--Voila.port_retries=0",
        "--strip_sources=True",
        "--theme=light",
        f"--template={TEMPLATE}",
        "--VoilaConfiguration.show_tracebacks=False",
        f"--Voila.root_dir={notebook.parent}",
        "--VoilaConfiguration.multi_kernel_manager_class=procurement.app.kernels.CappedKernelManager",
        f"--CappedKernelManager.max_kernels={max_kernels}",
        f"--MappingKernelManager.cull_idle_timeout={cull_idle}",
        f"--MappingKernelManager.cull_interval={max(1, min(60, cull_idle))}",
        "--MappingKernelManager.cull_connected=False",
    ]
    if not open_browser:
        cmd.append("--no-browser")
    return cmd


def check_reach(args) -> str | None:
    """The token to require, or None; a non-loopback --host without a token is bad input."""
    token = args.token if args.token is not None else os.environ.get(TOKEN_ENV) or None
    if args.cull_idle < 1:
        raise pw.InputError(pw.Problem("--cull-idle", "", f"{args.cull_idle} is not a number of seconds",
                                       "use 1 or more, e.g. 600"))
    if args.max_kernels < 1:
        raise pw.InputError(pw.Problem("--max-kernels", "", f"{args.max_kernels} is not a number of kernels", "use 1 or more"))
    if args.host not in LOOPBACK and not token:
        raise pw.InputError(pw.Problem("--host", "", f"serving on {args.host} makes the workbench reachable from other machines",
                                       f"also give --token TOKEN (or set {TOKEN_ENV}), or keep the default {HOST}"))
    if token is not None and len(token) < 8:
        raise pw.InputError(pw.Problem("--token", "", "a token must have at least 8 characters", "e.g. from: python -c "
                                       "'import secrets; print(secrets.token_urlsafe())'"))
    return token


def _token_config(token: str) -> Path:
    """A private folder holding voila.json with the token, so it is not visible on Voilà's command line."""
    folder = Path(tempfile.mkdtemp(prefix="procurement-app-"))
    os.chmod(folder, 0o700)
    (folder / "voila.json").write_text(json.dumps({"Voila": {"token": token}}), encoding="utf-8")
    return folder


def app_environment(args, case_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PROCUREMENT_APP_CASE"] = str(case_dir.resolve())
    env["PROCUREMENT_APP_DECISION"] = args.decision
    if args.profile is not None:
        env["PROCUREMENT_APP_PROFILE"] = args.profile
    if args.method:
        env["PROCUREMENT_APP_METHOD"] = args.method
    if args.language:
        env["PROCUREMENT_APP_LANGUAGE"] = args.language
    env["PROCUREMENT_WIDGETS"] = "live"
    env.setdefault("MPLBACKEND", "Agg")
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(template_root()), env.get("JUPYTER_PATH", "")) if p)
    return env


def _stop_on_sigterm() -> None:
    """Turn SIGTERM into KeyboardInterrupt so the Voilà child (and its kernels) stop with us."""
    def stop(signum, frame):
        raise KeyboardInterrupt

    with contextlib.suppress(ValueError):  # not the main thread
        signal.signal(signal.SIGTERM, stop)


def check_start(args) -> pw.Analysis:
    """The analysis the workbench opens on: the case read, the decision, profile and method checked by the engine.

    Every problem in the case, and an unknown decision, profile or method (with "did you mean"), stops the command
    before any server starts. No ``--decision`` takes the engine's choice (the default scenario's decision).
    """
    case = pw.load_case(Path(args.case), None)
    if args.decision is None:
        args.decision = pw.Analysis(case).decision.id
    given = {"profile": args.profile, "methods": [args.method] if args.method else None, "language": args.language}
    return pw.Analysis(case, {"name": "workbench", "decision": args.decision,
                              **{k: v for k, v in given.items() if v is not None}})


def run(args) -> int:
    analysis = check_start(args)
    notebook = find_notebook(args.notebook)
    token = check_reach(args)
    check_port(args.port)
    url = f"http://{HOST if args.host in LOOPBACK else args.host}:{args.port}/"
    title = analysis.case.meta.title.get(analysis.language)
    print(f"Workbench for {title} at {url}  (stop with Ctrl+C)", flush=True)
    env = app_environment(args, Path(args.case))
    config = _token_config(token) if token else None
    cmd = voila_command(notebook, args.port, not args.no_browser, args.cull_idle, args.max_kernels, args.host)
    if config is not None:
        cmd.append(f"--Voila.config_file_paths={json_list([str(config)])}")
    proc = subprocess.Popen(cmd, env=env)
    _stop_on_sigterm()
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        print("stopped", file=sys.stderr)
        return 0
    finally:
        if config is not None:
            shutil.rmtree(config, ignore_errors=True)


def json_list(items: list[str]) -> str:
    return json.dumps(items)
