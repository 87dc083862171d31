"""The `procurement` command line.

Each sub-command lives in its own module in this package, named like the
command, and provides ``register(subparsers)``, which adds its parser and sets
``func`` to a function taking the parsed arguments and returning the exit
code. Modules are found automatically, so adding a command is adding a module.
Only the module of the command being run is imported (some pull in plotting
or scikit-criteria, which take seconds to import); ``--help`` imports all.

Exit codes: 0 success, 1 a run that failed (for example a notebook raised),
2 bad input (every problem printed as one line, never a traceback).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import os
import pkgutil
import sys
from collections.abc import Iterator

from procurement import InputError, Problem, __version__

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with one clear line (its default, kept explicit)."""

    def error(self, message: str):  # pragma: no cover - argparse path
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


#: True in a process the console script started: one command, then the process ends (see :func:`start_up`).
_ONE_COMMAND = False


@contextlib.contextmanager
def start_up() -> Iterator[None]:
    """Import modules and read the case with the cyclic garbage collector off, then freeze what was made.

    What a command makes at start (modules, classes, the case it reads) lives until the process ends, yet the
    collector walks it again and again: one or two full collections over 45,000-90,000 objects and some twenty
    partial ones, 36 ms (route) to 104 ms (validate) of commands that take about a second (measured with
    ``gc.callbacks`` on the 2-core machine). In a process of the console
    script the collector is off while they are made, and they are then moved out of its sight (``gc.freeze``), so
    the collections the command's own work triggers walk only what that work makes. Elsewhere (a test or a notebook
    calling :func:`main`, a process that goes on) it changes nothing.
    """
    if not _ONE_COMMAND or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def _command_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="procurement",
        description="Procurement and contract-strategy workbench: validate a case, rank options, "
        "analyse sensitivity, cost-benefit and procurement rules, and run reports.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in _command_modules():
        if only is not None and name != only:
            continue
        module = importlib.import_module(f"{__name__}.{name}")
        if hasattr(module, "register"):
            module.register(sub)
    return parser


#: Neutral keys the core uses in its problems, and the command-line flag that sets each.
FLAGS = {
    "method": "--method",
    "methods": "--method",
    "profile": "--profile",
    "samples": "--samples",
    "seed": "--seed",
    "spread": "--spread",
    "date": "--date",
    "value": "--value",
    "decision": "--decision",
    "scenario": "--scenario",
    "weight model": "--weights",
    "distribution": "--distribution",
    "mixture": "--mixture",
    "profile mixture": "--mixture",
    "authority": "--authority",
    "kind": "--kind",
    "original": "--original",
    "used": "--used",
    "grounds": "--grounds",
    "start": "--start",
    "correlation": "--correlation",
    "zero": "--zero",
    "option": "--option",
    "how": "--how",
}


def as_flags(problem: Problem) -> Problem:
    """A core problem named by a neutral key (``method``) as the flag the user typed (``--method``)."""
    if problem.file in FLAGS:
        return Problem(FLAGS[problem.file], problem.where, problem.message, problem.hint)
    return problem


def report_problems(err: InputError) -> None:
    n = len(err.problems)
    for p in err.problems:
        print(f"error: {as_flags(p)}", file=sys.stderr)
    print(f"{n} problem{'s' if n != 1 else ''} found.", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    args_list = sys.argv[1:] if argv is None else list(argv)
    first = next((a for a in args_list if not a.startswith("-")), None)
    with start_up():
        parser = build_parser(first if first in _command_modules() else None)
        args = parser.parse_args(args_list)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        code = args.func(args)
    except InputError as err:
        report_problems(err)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader (head, less) closed the pipe: stop quietly

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return int(code or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


#: The settings of OpenBLAS's thread count, in the order it reads them when it loads.
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS")


def one_blas_thread() -> None:
    """Matrix products on one thread in a process of the console script, unless a thread count is set already.

    OpenBLAS (numpy's copy, and scipy's own when scipy.special loads) starts a worker thread per core as it loads,
    and each worker spins for a while after it starts and after every product before it sleeps. Measured on the
    2-core machine (CPU seconds, median of 9, interleaved): importing numpy 0.127 -> 0.094 on one thread,
    importing scipy.special 0.357 -> 0.284, ``procurement cba`` 1.03 -> 0.89; the products a command computes
    take a few milliseconds. Every command prints the same numbers on one thread (outputs compared byte for
    byte). Processes a command starts (report kernels, Voilà) inherit the setting.
    """
    if not any(name in os.environ for name in BLAS_THREADS):
        os.environ["OPENBLAS_NUM_THREADS"] = "1"


def console() -> None:
    """Entry point of the `procurement` console script (and of ``python -m procurement``)."""
    global _ONE_COMMAND
    _ONE_COMMAND = True
    one_blas_thread()  # before numpy loads: the command modules import it
    sys.exit(main())
