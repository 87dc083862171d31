"""The notebooks of one run, each in a worker process with its own kernel, stopped cleanly on any fault.

:func:`run_notebooks` is what :func:`procurement.report.runner.execute` calls.
Every notebook runs in a child process (papermill inside it starts the
kernel), never in the runner's own process, so the runner can always stop
them:

* **Ctrl-C** (or SIGTERM turned into one by the command line): the workers
  ignore SIGINT; the runner kills the kernels it was told about and the
  workers, within about a second, and reports which notebooks finished, which
  were running and which never started. No asyncio traceback, no kernel left.
* **A killed worker** (out of memory, ``kill -9``): the pool breaks; the
  notebook whose worker ended by a signal other than the pool's own SIGTERM is
  named with the signal, the others are reported as stopped because of it.
* **A failing notebook**: no new notebook starts; those already running finish.

Workers report progress through a queue: ``("start", i, pid)`` when notebook
``i`` starts, ``("kernel", i, pid)`` when its kernel process exists, and
``("cell", 1)`` after each executed cell (the progress bar).

The module also finds the hidden ``.<run>.partial`` folders of runs that died
(:func:`stale_partials`): each run writes an owner file with its process id,
host and the process's start time, and a folder whose owner is gone is stale.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import multiprocessing
import os
import queue as queue_mod
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from multiprocessing import util
from typing import Any

import papermill
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from traitlets import default
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.exceptions import PapermillExecutionError

from procurement.report import htmlreport

OWNER_FILE = ".owner.json"
#: A hidden run folder without an owner file is taken as stale after this many seconds.
UNOWNED_GRACE = 120
#: Seconds the runner waits for a stopped kernel or worker before SIGKILL.
STOP_GRACE = 0.7


@dataclass
class Outcome:
    """How one notebook ended."""

    status: str  # ok | failed | interrupted | killed | not run
    error: str | None = None
    seconds: float | None = None
    written: bool = False


@dataclass
class PoolResult:
    outcomes: dict[int, Outcome] = field(default_factory=dict)
    stopped: str | None = None  # None | failed | interrupted | killed
    message: str = ""


@dataclass
class Task:
    notebook: str  # the notebook's name, for messages
    source: str
    target: str
    parameters: dict[str, Any]
    html_footer: str | None = None  # render the report page right after the notebook (None: the runner does it)
    case_dir: str | None = None  # the case the notebook's report reads, read ahead in its kernel (cases.preload)


# ---------------------------------------------------------------------------
# Inside a worker
# ---------------------------------------------------------------------------

_QUEUE: Any = None
_TASK: int = -1
_SOCKETS: str | None = None  # this worker's folder for its kernel's sockets (set by the runner's pool)


#: Linux's prctl option that sends the calling process a signal when its parent ends (PR_SET_PDEATHSIG).
_PR_SET_PDEATHSIG = 1


def die_with_parent(sig: int = signal.SIGTERM) -> bool:
    """Ask the kernel to send this process `sig` when its parent dies (Linux); False where that is not available.

    A runner killed with SIGKILL (``kill -9``, the out-of-memory killer) runs no cleanup, so its workers and their
    kernels would live on (issue 26). With this, a worker ends when the runner does; its kernel then ends by
    ipykernel's own parent poller (the kernel exits when its parent, JPY_PARENT_PID, is gone). The kernel is not
    given a parent-death signal itself: Linux sends it when the *thread* that started the process ends, and
    jupyter_client may start a kernel from a short-lived thread (a kernel died before replying, once in five runs).
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _init_worker(queue, tables_dir: str, tables_env: str, sockets: str | None = None) -> None:
    global _QUEUE, _SOCKETS
    _QUEUE = queue
    _SOCKETS = sockets
    die_with_parent(signal.SIGTERM)  # the worker ends when the runner does, even after kill -9
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the runner decides when workers stop
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # and stops them with SIGTERM, not read as a Ctrl-C here
    os.environ[tables_env] = tables_dir


def _tell(*message: Any) -> None:
    if _QUEUE is not None:
        with contextlib.suppress(Exception):
            _QUEUE.put(message)


def _cell_done(**_kw: Any) -> None:
    _tell("cell", 1)


def kernel_socket_prefix() -> str:
    """Where a kernel's sockets go: files ``<prefix>-1`` … ``-5`` in the temporary folder, a prefix of its own.

    Kernels talk over Unix sockets, not TCP: with TCP, jupyter_client picks five free ports, closes them and hands
    them to the kernel, and a kernel starting at the same moment could take one first. The kernel then died with
    "Address already in use" and the run waited 120 s for it (one full test run with three workers lost a report).
    A file of its own cannot be taken (and ipykernel no longer warns about unencrypted TCP). In the runner's workers
    the files go in the pool's own folder, removed when the pool ends, also after Ctrl-C or a killed kernel."""
    return os.path.join(_SOCKETS or tempfile.gettempdir(), f"procurement-kernel-{uuid.uuid4().hex[:12]}")


def kernel_manager_class(log_path: Path):
    """A kernel manager that writes the kernel's stderr to `log_path` and reports the kernel's process id; its kernel
    listens on Unix sockets (:func:`kernel_socket_prefix`).

    ipykernel prints start-up notices (for example about TCP transport) on the
    kernel process's stderr, which would otherwise land on the terminal between
    the progress bars. Cell output is unaffected: it is captured in the notebook.
    """
    class _LoggedKernelManager(AsyncKernelManager):
        @default("transport")
        def _transport_default(self) -> str:
            return "ipc"

        @default("ip")
        def _ip_default(self) -> str:
            return kernel_socket_prefix()

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            kw.setdefault("stderr", open(log_path, "ab"))  # noqa: SIM115 - owned by the kernel process
            await super()._async_launch_kernel(kernel_cmd, **kw)
            pid = getattr(getattr(self.provisioner, "process", None), "pid", None)
            if pid is not None:
                _tell("kernel", _TASK, pid)

    return _LoggedKernelManager


def error_text(err: BaseException) -> str:
    """One line for an exception: papermill's failing cell, else the exception's type and message."""
    if isinstance(err, PapermillExecutionError):
        evalue = " ".join(str(err.evalue).split())
        return f"cell {err.exec_count}: {err.ename}: {evalue}"
    text = " ".join(str(err).split())
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


#: Run in a kernel before each notebook but its first: an empty namespace, the imported modules kept.
RESET_CODE = "get_ipython().run_line_magic('reset', '-f')"
#: after the modules and the case are loaded: the garbage collector leaves what is there now alone (``gc.freeze``), so
#: the two full collections of each ``%reset`` and the automatic ones while a notebook runs walk only the objects made
#: since, not the 180,000 of pandas, matplotlib and the package (measured: a collection 0.1 s -> 0.00001 s; the default
#: report 13.9 -> 12.6 CPU seconds and 9.6 -> 9.2 s, three runs each, interleaved, idle 2-core machine)
FREEZE_CODE = "; __import__('gc').freeze()"
_KERNEL: dict[str, Any] = {}  # this worker's kernel manager, kept between notebooks


def _engine():
    """A papermill engine that runs every notebook of this worker in one kernel, reset in between.

    Starting a kernel and importing pandas, matplotlib and the package costs
    about 2.5 s, more than most notebooks compute. A worker therefore starts
    one kernel, and before each further notebook clears its namespace
    (``%reset -f``): the notebook sees exactly what a fresh kernel would show
    (its parameters cell, papermill's injected cell) while imported modules,
    already loaded, cost nothing. After a notebook fails, the kernel is
    replaced by a fresh one.
    """
    class _ResetFirst(PapermillNotebookClient):
        def papermill_execute_cells(self):
            if _KERNEL.get("used"):
                self.wait_for_reply(self.kc.execute(RESET_CODE, silent=True, store_history=False))
            _KERNEL["used"] = True
            if _KERNEL.get("case_dir"):
                setup = f"__import__('procurement.report.cases', fromlist=['_']).preload({_KERNEL['case_dir']!r})"
                self.wait_for_reply(self.kc.execute(setup + FREEZE_CODE, silent=True, store_history=False))
            super().papermill_execute_cells()

    class _WarmKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None, stderr_file=None,
                                     start_timeout=60, execution_timeout=None, **kwargs):
            kwargs.pop("input_path", None)
            kwargs.pop("timeout", None)
            kwargs.pop("startup_timeout", None)
            return _ResetFirst(nb_man, km=_KERNEL["km"], timeout=execution_timeout, startup_timeout=start_timeout,
                               kernel_name=kernel_name, log_output=log_output, stdout_file=stdout_file,
                               stderr_file=stderr_file, **kwargs).execute()

    papermill_engines.register("procurement-warm", _WarmKernelEngine)
    return "procurement-warm"


def _shutdown_kernel() -> None:
    km = _KERNEL.pop("km", None)
    _KERNEL.pop("used", None)
    if km is not None and km.has_kernel:
        with contextlib.suppress(Exception):
            run_sync(km.shutdown_kernel)(now=True)


def _warm_kernel(log_path: str, kernel: str) -> str:
    """The engine name; this worker's kernel manager made on first use, shut down when the worker ends."""
    if "km" not in _KERNEL:
        _KERNEL["km"] = kernel_manager_class(Path(log_path))(kernel_name=kernel)
        if not _KERNEL.get("finalizer"):
            _KERNEL["finalizer"] = util.Finalize(None, _shutdown_kernel, exitpriority=10)
    return _engine()


def _run_one(index: int, task: Task, cwd: str, timeout: int, log_path: str, kernel: str, warm: bool = True) -> Outcome:
    """Execute one notebook with papermill (in a worker); never raises for a failing cell."""
    global _TASK
    _TASK = index
    _tell("start", index, os.getpid())
    t0 = time.perf_counter()
    status, error = "ok", None
    engine = {"engine_name": _warm_kernel(log_path, kernel)} if warm else {}
    _KERNEL["case_dir"] = task.case_dir if warm else None
    try:
        papermill.execute_notebook(
            task.source,
            task.target,
            parameters=task.parameters,
            kernel_name=kernel,
            language="python",
            cwd=cwd,
            progress_bar=False,
            log_output=False,
            execution_timeout=timeout,
            start_timeout=120,
            kernel_manager_class=kernel_manager_class(Path(log_path)),
            on_cell_executed=_cell_done,
            # papermill would rewrite (and validate) the whole notebook, images and all, before and after every cell;
            # it is written once at the end instead, a failing one with its error cell (a killed one not at all)
            request_save_on_cell_execute=False,
            **engine,
        )
    except Exception as err:  # noqa: BLE001 - reported, run folder marked failed
        status, error = "failed", error_text(err)
        if warm:
            _shutdown_kernel()  # the next notebook gets a fresh kernel
    if status == "ok" and task.html_footer is not None:
        _render_page(task)
    return Outcome(status, error, round(time.perf_counter() - t0, 2), Path(task.target).exists())


def _render_page(task: Task) -> None:
    """The notebook's report page, while other notebooks still run; on any error the runner renders it (and reports)."""
    page = Path(task.target).with_suffix(".html")
    try:
        htmlreport.to_html(task.target, page, footer=task.html_footer or "")
    except Exception:  # noqa: BLE001 - the runner tries again and reports a failure in one line
        with contextlib.suppress(OSError):
            page.unlink()


# ---------------------------------------------------------------------------
# In the runner
# ---------------------------------------------------------------------------


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        import psutil

        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except Exception:  # noqa: BLE001 - psutil missing or the process just ended
        return True


def stop_processes(pids: list[int], grace: float = STOP_GRACE) -> None:
    """SIGTERM each live process, wait up to `grace` seconds, then SIGKILL what is left."""
    live = [p for p in dict.fromkeys(pids) if p and p != os.getpid() and _alive(p)]
    for p in live:
        with contextlib.suppress(OSError):
            os.kill(p, signal.SIGTERM)
    end = time.monotonic() + grace
    while live and time.monotonic() < end:
        time.sleep(0.05)
        live = [p for p in live if _alive(p)]
    for p in live:
        with contextlib.suppress(OSError):
            os.kill(p, signal.SIGKILL)


class _Pool:
    """A process pool for one run's notebooks, with the bookkeeping to stop it."""

    def __init__(self, tasks: list[Task], jobs: int, run: dict[str, Any], tables: tuple[str, str], on_cell, on_done):
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        ctx = multiprocessing.get_context(method)
        self.queue = ctx.Queue()
        self.tasks, self.run, self.on_cell, self.on_done = tasks, run, on_cell, on_done
        self.sockets = tempfile.mkdtemp(prefix="procurement-kernels-")  # removed with the pool, whatever stopped it
        self.pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init_worker,
                                        initargs=(self.queue, *tables, self.sockets))
        self.workers: dict[int, int] = {}  # task -> worker pid
        self.kernels: dict[int, list[int]] = {}  # task -> kernel pids
        self.result = PoolResult()
        self.futures: dict[Any, int] = {}
        self.processes: dict[int, Any] = {}

    def submit_all(self, order: list[int] | None = None) -> None:
        for i in order if order is not None else range(len(self.tasks)):
            self.futures[self.pool.submit(_run_one, i, self.tasks[i], **self.run)] = i
        self.processes = dict(getattr(self.pool, "_processes", None) or {})

    def drain(self) -> None:
        try:
            while True:
                msg = self.queue.get_nowait()
                if msg[0] == "cell":
                    self.on_cell(msg[1])
                elif msg[0] == "start":
                    self.workers[msg[1]] = msg[2]
                elif msg[0] == "kernel":
                    self.kernels.setdefault(msg[1], []).append(msg[2])
        except (queue_mod.Empty, OSError, EOFError, ValueError):
            pass

    def running(self) -> list[int]:
        return [i for i in self.workers if i not in self.result.outcomes]

    def loop(self) -> None:
        pending = set(self.futures)
        while pending:
            done, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
            self.drain()
            for fut in done:
                if fut.cancelled():
                    continue
                i = self.futures[fut]
                try:
                    outcome = fut.result()
                except BrokenProcessPool:
                    self.broken()
                    return
                self.result.outcomes[i] = outcome
                self.on_done(i, outcome)
                if outcome.status != "ok" and self.result.stopped is None:
                    self.result.stopped = "failed"
                    for f in pending:
                        f.cancel()

    def broken(self) -> None:
        """A worker died: name the notebook whose worker a signal other than the pool's SIGTERM ended."""
        self.drain()
        killed: list[tuple[int, int | None]] = []
        for i in self.running():
            code = _exit_code(self.processes.get(self.workers[i]))
            if code is not None and code != -signal.SIGTERM:
                killed.append((i, code))
        if not killed and self.running():
            killed = [(self.running()[0], None)]
        for i, code in killed:
            self.result.outcomes[i] = Outcome("killed", _death(code))
        names = ", ".join(self.tasks[i].notebook for i, _ in killed) or "a notebook"
        for i in self.running():
            self.result.outcomes[i] = Outcome("failed", f"stopped because {names} was killed")
        self.result.stopped = "killed"
        first = killed[0] if killed else None
        self.result.message = f"notebook {names}: {_death(first[1] if first else None)}"
        self.stop()

    def stop(self) -> None:
        """Kill every kernel and worker of this pool and shut it down without waiting."""
        self.drain()
        kernels = [k for ks in self.kernels.values() for k in ks]
        workers = [*self.workers.values(), *(getattr(p, "pid", None) or 0 for p in self.processes.values())]
        with contextlib.suppress(Exception):
            import psutil  # kernels whose start was not reported yet are children of the workers

            for w in workers:
                with contextlib.suppress(psutil.Error):
                    kernels.extend(c.pid for c in psutil.Process(w).children(recursive=True))
        stop_processes(kernels + workers)
        with contextlib.suppress(Exception):
            self.pool.shutdown(wait=False, cancel_futures=True)
        with contextlib.suppress(Exception):
            self.queue.close()


def _exit_code(proc: Any, within: float = 10.0) -> int | None:
    """The exit status of a dead worker, or None for one still running after `within` seconds.

    The pool's own management thread reaps dead workers too; while it holds the status, ``exitcode`` can read None
    for a moment even though the process is gone. Asking again until the status is there makes the message name
    the signal whatever the timing (a worker still alive is stopped by the caller).
    """
    if proc is None:
        return None
    end = time.monotonic() + within
    while True:
        with contextlib.suppress(Exception):
            proc.join(timeout=0.2)
        code = getattr(proc, "exitcode", None)
        if code is not None or time.monotonic() > end:
            return code


def _death(code: int | None) -> str:
    if code is None or code >= 0:
        return "its process ended unexpectedly" + (f" (exit status {code})" if code else "")
    try:
        name = signal.Signals(-code).name
    except ValueError:
        name = f"signal {-code}"
    hint = ", perhaps out of memory (try fewer samples)" if -code == signal.SIGKILL else ""
    return f"its process was killed by {name}{hint}"


def run_notebooks(
    tasks: list[Task],
    jobs: int,
    run: dict[str, Any],
    tables: tuple[str, str],
    on_cell: Callable[[int], None] = lambda n: None,
    on_done: Callable[[int, Outcome], None] = lambda i, o: None,
    order: list[int] | None = None,
) -> PoolResult:
    """Run `tasks` in `jobs` worker processes; `run` holds cwd, timeout, log_path and kernel.

    `tables` is (folder, environment variable) for the tables the notebooks
    publish. Returns each notebook's outcome and why the run stopped early, if
    it did. A KeyboardInterrupt while waiting stops every worker and kernel and
    returns ``stopped="interrupted"``; a second Ctrl-C during that second is ignored.
    `order` is the order in which tasks are handed to the workers (default: as
    given); outcomes are keyed by the task's index in `tasks` either way.
    """
    pool = _Pool(tasks, jobs, run, tables, on_cell, on_done)
    try:
        return _run_pool(pool, order)
    finally:
        shutil.rmtree(pool.sockets, ignore_errors=True)


def _run_pool(pool: _Pool, order: list[int] | None) -> PoolResult:
    try:
        pool.submit_all(order)
        pool.loop()
    except KeyboardInterrupt:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            pool.stop()
        finally:
            signal.signal(signal.SIGINT, previous)
        for i in pool.running():
            pool.result.outcomes.setdefault(i, Outcome("interrupted", "interrupted"))
        pool.result.stopped = "interrupted"
        pool.result.message = "interrupted"
        return pool.result
    except BaseException:
        pool.stop()
        raise
    pool.pool.shutdown(wait=True)
    with contextlib.suppress(Exception):
        pool.queue.close()
    return pool.result


# ---------------------------------------------------------------------------
# Hidden folders of runs that died
# ---------------------------------------------------------------------------


def _process_start(pid: int) -> float | None:
    try:
        import psutil

        return psutil.Process(pid).create_time()
    except Exception:  # noqa: BLE001 - no psutil, or no such process
        return None


def write_owner(folder: Path) -> None:
    """Mark `folder` as belonging to this process (read by :func:`stale_partials`)."""
    pid = os.getpid()
    data = {"pid": pid, "host": socket.gethostname(), "process_started": _process_start(pid)}
    (folder / OWNER_FILE).write_text(json.dumps(data), encoding="utf-8")


def _owner_gone(folder: Path) -> bool:
    owner = folder / OWNER_FILE
    try:
        data = json.loads(owner.read_text(encoding="utf-8"))
    except FileNotFoundError:
        try:
            return time.time() - folder.stat().st_mtime > UNOWNED_GRACE
        except OSError:
            return False
    except (OSError, ValueError):
        return False
    if not isinstance(data, dict) or data.get("host") != socket.gethostname():
        return False  # another machine's run (a shared folder): not ours to judge
    pid = data.get("pid")
    if not isinstance(pid, int) or not _alive(pid):
        return True
    started = data.get("process_started")
    now = _process_start(pid)
    return started is not None and now is not None and abs(now - started) > 1  # the id was reused


def stale_partials(out: Path) -> list[Path]:
    """The hidden ``.<run>.partial`` folders in `out` whose run is no longer alive."""
    if not out.is_dir():
        return []
    return sorted(p for p in out.glob(".*.partial") if p.is_dir() and _owner_gone(p))


def partial_base(folder: Path) -> str:
    """``.20261201-101500-default.k2j4h1.partial`` -> ``20261201-101500-default``."""
    return folder.name[1:].removesuffix(".partial").rsplit(".", 1)[0]


def interrupt_on_sigterm() -> None:
    """Read the first SIGTERM as a Ctrl-C (KeyboardInterrupt); later ones are ignored while the run cleans up."""

    def stop(signum, frame):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise KeyboardInterrupt

    with contextlib.suppress(ValueError):  # not the main thread
        signal.signal(signal.SIGTERM, stop)


@contextlib.contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM while the block runs, then act on them (issue 26: a SIGTERM just as the report was
    published left a hidden folder without a manifest). While the block runs the two signals are only noted; after
    it the handlers that were in place are back, and a noted signal goes to its handler then (a KeyboardInterrupt,
    with the folder already whole). Python runs signal handlers in the main thread whichever thread the signal hit,
    so this holds in a process with worker threads too (blocking the signal in the main thread would not: the kernel
    hands it to another thread). Outside the main thread the block simply runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    noted: list[int] = []
    before = {s: signal.signal(s, lambda signum, frame: noted.append(signum)) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)
        if noted:
            _deliver(noted[0], before[signal.Signals(noted[0])])


def _deliver(signum: int, handler: Any) -> None:
    """Act on a signal noted while it was held, as its handler would have."""
    if callable(handler):
        handler(signum, None)
    elif handler != signal.SIG_IGN:
        raise KeyboardInterrupt


def execute_one(task: Task, cwd: str, timeout: int, log_path: str, kernel: str = "python3") -> Outcome:
    """Run one notebook in this process's kept kernel, as a runner worker does (``procurement papers`` calls it on a
    Dask worker): the kernel is started on first use, cleared between notebooks and replaced after a failure."""
    return _run_one(0, task, cwd, timeout, log_path, kernel, warm=True)
