"""The `procurement` command line.

Each sub-command lives in its own module in this package and provides
``register(subparsers)``, which adds its parser and sets ``func`` to a
function taking the parsed arguments and returning the exit code. Modules are
found automatically, so adding a command is adding a module.

Exit codes: 0 success, 1 a run that failed (for example a notebook raised),
2 bad input (every problem printed as one line, never a traceback).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from ..errors import InputError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with one clear line (its default, kept explicit)."""

    def error(self, message: str):  # pragma: no cover - argparse path
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = _Parser(
        prog="procurement",
        description="Procurement and contract-strategy workbench: validate a case, rank options, "
        "analyse sensitivity, cost-benefit and procurement rules, and run reports.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if mod.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{mod.name}")
        if hasattr(module, "register"):
            module.register(sub)
    return parser


def report_problems(err: InputError) -> None:
    n = len(err.problems)
    for p in err.problems:
        print(f"error: {p}", file=sys.stderr)
    print(f"{n} problem{'s' if n != 1 else ''} found.", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
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
    return int(code or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


def console() -> None:
    """Entry point of the `procurement` console script."""
    sys.exit(main())
